#!/usr/bin/env python3
"""Assembles the generator and async function transform for the transpiler
heap from the installed npm packages: regenerator's transform and the AST
types it works on, with the CommonJS modules they require (found by
following literal require() calls) wrapped in a minimal require(), then
jsbox's own files.  Left out, to keep it small: recast's parsers and
printer (the transpiler's parser is passed in; print.js prints) and the
Node built-ins, which get ES5 stubs.  Two edits to ast-types, for speed.

usage: regen_bundle.py OUT NODE_MODULES_DIR FILE.js..."""
import json
import os
import re
import sys

from bundle_text import patch, read

ROOTS = {"transform": "regenerator/lib/visit.js", "types": "stub:recast"}
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
    # What regenerator takes from recast is its AST types (print.js
    # prints), and of those only the ones ES2017 has, what the parser
    # makes: ast-types/main.js without JSX, Flow, E4X and Mozilla's.
    "recast": "var types = require('ast-types/lib/types');\n"
              "require('ast-types/def/core'); require('ast-types/def/es6'); require('ast-types/def/es7');\n"
              "types.finalize();\n"
              "var api = exports.types = {};\n"
              "['Type', 'builtInTypes', 'namedTypes', 'builders', 'defineMethod', 'getFieldNames', 'getFieldValue',\n"
              " 'eachField', 'someField', 'getSupertypeNames', 'finalize'].forEach(function (k) { api[k] = types[k]; });\n"
              "api.NodePath = require('ast-types/lib/node-path');\n"
              "api.PathVisitor = require('ast-types/lib/path-visitor');\n"
              "exports.visit = api.visit = api.PathVisitor.visit;",
}
# Speed, in Duktape, where the transform spends its time: builders check
# every field they are given (regenerator builds valid trees), and each
# visit recomputed the visitor's method table from all the AST types.
PATCHES = {
    "ast-types/lib/types.js": [
        ("                if (!type.check(value)) {\n                    throw new Error(\n"
         "                        shallowStringify(value) +",
         "                if (false) {\n                    throw new Error(\n"
         "                        shallowStringify(value) +"),
    ],
    "ast-types/lib/path-visitor.js": [
        ("function computeMethodNameTable(visitor) {\n",
         "var methodNameTables = Object.create(null);\n"
         "function computeMethodNameTable(visitor) {\n"
         "    var key = [];\n"
         "    for (var name in visitor)\n"
         "        if (/^visit[A-Z]/.test(name))\n"
         "            key.push(name + (isFunction.check(visitor[name]) ? '' : '!'));\n"
         "    key = key.sort().join(' ');\n"
         "    return methodNameTables[key] || (methodNameTables[key] = computeMethodNameTableOnce(visitor));\n"
         "}\n"
         "function computeMethodNameTableOnce(visitor) {\n"),
    ],
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
	return { transform: load(%s).transform, types: load(%s).types };
})({
%s
});
"""


def patched(path, top):
    """The module's source, with its PATCHES applied."""
    text = read(path).lstrip("\ufeff")
    for old, new in PATCHES.get(os.path.relpath(path, top), []):
        text = patch(text, old, new, "regen_bundle: " + path)
    return text


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


def root(top, path):
    return path if path.startswith("stub:") else os.path.join(top, path)


def collect(top):
    """Every module reachable from the roots: {id: (source, {name: id})}."""
    modules, queue = {}, [root(top, p) for p in ROOTS.values()]
    while queue:
        key = queue.pop()
        if key in modules:
            continue
        stub = key.startswith("stub:")
        source = STUBS[key[5:]] if stub else patched(key, top)
        deps = {}
        for m in REQUIRE.finditer(source):
            name = m.group(2)
            if name in STUBS and not stub:
                deps[name] = "stub:" + name
            else:
                deps[name] = resolve(name, top if stub else os.path.dirname(key), top)
            queue.append(deps[name])
        modules[key] = (re.sub(r"^#!.*", "", source), deps)
    return modules


def main():
    out, top, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    top = os.path.normpath(os.path.abspath(top))
    modules = collect(top)
    ids = {key: i for i, key in enumerate(sorted(modules))}
    defs = ",\n".join("%d: [function (module, exports, require) {\n%s\n}, %s]"
                      % (ids[k], src, json.dumps({n: ids[d] for n, d in deps.items()}))
                      for k, (src, deps) in sorted(modules.items()))
    roots = [ids[root(top, p)] for p in ROOTS.values()]
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join([LOADER % (roots[0], roots[1], defs)] + [read(p) for p in files]))


main()
