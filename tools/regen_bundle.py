#!/usr/bin/env python3
"""Assembles the generator and async function transform for the transpiler
heap from the installed npm packages: regenerator's transform and recast's
printer, with the CommonJS modules they require (found by following literal
require() calls) wrapped in a minimal require(), then jsbox's entry point.
Left out, to keep it small: the parsers (the transpiler's own parser is
passed in), source maps, and the Node built-ins, which get ES5 stubs.

usage: regen_bundle.py OUT NODE_MODULES_DIR ENTRY.js"""
import json
import os
import re
import sys

ROOTS = {"transform": "regenerator/lib/visit.js", "recast": "recast/main.js"}
STUBS = {
    "assert": "function fail(m) { var e = new Error(m || 'Assertion failed'); e.name = 'AssertionError'; throw e; }\n"
              "function assert(v, m) { if (!v) fail(m); }\n"
              "assert.ok = assert;\n"
              "assert.equal = function (a, b, m) { if (a != b) fail(m); };\n"
              "assert.notEqual = function (a, b, m) { if (a == b) fail(m); };\n"
              "assert.strictEqual = function (a, b, m) { if (a !== b) fail(m); };\n"
              "assert.notStrictEqual = function (a, b, m) { if (a === b) fail(m); };\n"
              "assert.deepEqual = function (a, b, m) { if (JSON.stringify(a) !== JSON.stringify(b)) fail(m); };\n"
              "module.exports = assert;",
    "util": "exports.inherits = function (ctor, base) { ctor.super_ = base; ctor.prototype = "
            "Object.create(base.prototype, { constructor: { value: ctor, writable: true, configurable: true } }); };",
    "os": "exports.EOL = '\\n';",
    "fs": "",
    "path": "",
    # regenerator's main module: only its runtime injection needs it.
    "..": "",
    "esprima-fb": "exports.parse = function () { throw new Error('no parser: pass one'); };",
    "source-map": "exports.SourceMapGenerator = exports.SourceMapConsumer = exports.SourceNode = "
                  "function () { throw new Error('source maps are not supported'); };",
}
REQUIRE = re.compile(r"""\brequire\(\s*(["'])([^"']+)\1\s*\)""")
LOADER = """
var regenerator = (function (defs) {
	var cache = {};
	function load(id) {
		if (!cache[id]) {
			var module = { exports: {} };
			cache[id] = module;
			defs[id][0].call(module.exports, module, module.exports, function (name) {
				return load(defs[id][1][name]);
			});
		}
		return cache[id].exports;
	}
	return { transform: load(%s).transform, recast: load(%s) };
})({
%s
});
"""


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def as_file(path):
    """The file a require() of path names, or None."""
    for p in (path, path + ".js", os.path.join(path, "index.js")):
        if os.path.isfile(p):
            return os.path.normpath(p)
    pkg = os.path.join(path, "package.json")
    if os.path.isfile(pkg):
        return as_file(os.path.join(path, json.loads(read(pkg)).get("main", "index.js")))
    return None


def resolve(name, directory, top):
    """Node's resolution of name required from directory, within top."""
    if name.startswith("."):
        found = as_file(os.path.join(directory, name))
    else:
        found, d = None, directory
        while found is None and d.startswith(top):
            found = as_file(os.path.join(d, "node_modules", name)) if d != top else as_file(
                os.path.join(top, name))
            d = os.path.dirname(d)
    if found is None or found.endswith(".json"):
        sys.exit("regen_bundle: cannot bundle %r required from %s" % (name, directory))
    return found


def collect(top):
    """Every module reachable from the roots: {id: (source, {name: id})}."""
    modules, queue = {}, [os.path.join(top, p) for p in ROOTS.values()]
    while queue:
        key = queue.pop()
        if key in modules:
            continue
        stub = key.startswith("stub:")
        source = STUBS[key[5:]] if stub else read(key).lstrip("\ufeff")
        deps = {}
        for m in REQUIRE.finditer(source):
            name = m.group(2)
            deps[name] = "stub:" + name if name in STUBS else resolve(name, os.path.dirname(key), top)
            queue.append(deps[name])
        modules[key] = (re.sub(r"^#!.*", "", source), deps)
    return modules


def main():
    out, top, entry = sys.argv[1:4]
    top = os.path.normpath(os.path.abspath(top))
    modules = collect(top)
    ids = {key: i for i, key in enumerate(sorted(modules))}
    defs = ",\n".join("%d: [function (module, exports, require) {\n%s\n}, %s]"
                      % (ids[k], src, json.dumps({n: ids[d] for n, d in deps.items()}))
                      for k, (src, deps) in sorted(modules.items()))
    roots = [ids[os.path.join(top, p)] for p in ROOTS.values()]
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join([LOADER % (roots[0], roots[1], defs), read(entry)]))


main()
