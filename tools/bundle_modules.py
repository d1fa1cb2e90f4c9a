"""CommonJS module graphs for the build-time bundlers (regen_bundle.py,
regexpu_bundle.py): every module reachable from some roots by literal
require() calls, resolved as Node does within one node_modules tree, with
stand-ins for the modules that must not come along, wrapped in a minimal
require() that runs each module once."""
import json
import os
import re
import sys

from bundle_text import patched, read

REQUIRE = re.compile(r"""\brequire\(\s*(["'])([^"']+)\1\s*\)""")
LOADER = """(function (defs) {
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
	return [%s].map(load);
})({
%s
})"""


def as_file(path):
    """The file a require() of path names, or None."""
    for p in (path, path + ".js", os.path.join(path, "index.js")):
        if os.path.isfile(p):
            return os.path.normpath(p)
    pkg = os.path.join(path, "package.json")
    if os.path.isfile(pkg):
        return as_file(os.path.join(path, json.loads(read(pkg)).get("main", "index.js")))
    return None


def resolve(name, directory, top, what):
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
        sys.exit("%s: cannot bundle %r required from %s" % (what, name, directory))
    return found


class Graph:
    """roots: paths under top, or "stub:NAME"; stubs: {NAME: source}, used
    for require(NAME) from any module; packages: the packages under top
    whose files are read with patches/<package>/ applied."""

    def __init__(self, top, roots, stubs, packages, what):
        self.top = os.path.normpath(os.path.abspath(top))
        self.roots = [r if r.startswith("stub:") else os.path.join(self.top, r) for r in roots]
        self.stubs, self.what = stubs, what
        self.patched = {p: patched(self.top, p, what) for p in packages}
        self.modules = self.collect()

    def source(self, key):
        if key.startswith("stub:"):
            return self.stubs[key[5:]]
        package, _, file = os.path.relpath(key, self.top).partition(os.sep)
        text = self.patched.get(package, {}).get(file)
        text = (read(key) if text is None else text).lstrip("\ufeff")
        return re.sub(r"^#!.*", "", text)

    def collect(self):
        """{key: [source, {name: key}]} for every reachable module."""
        modules, queue = {}, list(self.roots)
        while queue:
            key = queue.pop()
            if key in modules:
                continue
            source, deps = self.source(key), {}
            for m in REQUIRE.finditer(source):
                name = m.group(2)
                if name in self.stubs and not key.startswith("stub:"):
                    deps[name] = "stub:" + name
                else:
                    d = self.top if key.startswith("stub:") else os.path.dirname(key)
                    deps[name] = resolve(name, d, self.top, self.what)
                queue.append(deps[name])
            modules[key] = [source, deps]
        return modules

    def program(self):
        """An expression whose value is the array of the roots' exports."""
        ids = {key: i for i, key in enumerate(sorted(self.modules))}
        defs = ",\n".join("%d: [function (module, exports, require) {\n%s\n}, %s]"
                          % (ids[k], src, json.dumps({n: ids[d] for n, d in deps.items()}))
                          for k, (src, deps) in sorted(self.modules.items()))
        return LOADER % (", ".join(str(ids[r]) for r in self.roots), defs)
