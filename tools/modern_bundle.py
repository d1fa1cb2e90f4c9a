#!/usr/bin/env python3
"""Assembles the transpiler heap's program from the installed npm packages:
jsbox's polyfills (the transpiler needs Map, Set and WeakMap), jsbox's node
types for syntax after ES2018 (engine/confined/modern/syntax.js), jsbox's additions
to the class transform (engine/confined/modern/classes.js), jsbox's temporal
dead zone (engine/confined/modern/tdz.js), the transpiler's
CommonJS modules wrapped in a minimal require(), and jsbox's entry point.
The transpiler parses with acorn 8 (ES2022) instead of its own acorn 6;
acorn 8 parses import() itself, so the dynamic-import plugin is a stub.
Left out, to keep load time low: JSX (a stub that reports "not
supported") and the rewriter of regular expressions with the `u` flag,
which the host loads only when a source may need it (regexpu_bundle.py).
jsbox's edits to the transpiler are patches/buble/, patches/acorn/ and
patches/magic-string/ (each file gives its reason); in short: spread elements go through
__jsbIter(x), which turns any iterable (Map, Set, strings, iterators) into
an array, instead of assuming an array; a for-of loop walks an array by
index and anything else one next() at a time, and closes an iterator it
leaves early (break, return, throw); an array pattern
reads an array by index and anything else through __jsbIterRead (as many
values as it needs, then the iterator is closed), and chained or empty
patterns translate to valid code; functions get the names ES2015 infers
(directly or through __jsbName); parameters get their own scope and an
unmapped arguments object; `${x}` converts with ToString; a class declaration
that ends the program leaves an empty completion value (as it does
untranspiled), not its last method; statements added at the top of a block
stay on its first line; jsbox's node types are installed; no source map
is built: the result carries the MagicString, whose chunks the entry point
reads lines from; MagicString.slice() finds its chunk by position and
acorn's directive check copies nothing for a body without one; superclasses, the
implicit constructor of a subclass and tagged templates go through helpers
of the polyfills; a class's constructor is named and requires `new`; the two cases the
generator transform (regen_bundle.py) cannot take are errors.  The modules
are reachable through __jsbRequire (the entry point needs buble and acorn).

usage: modern_bundle.py OUT POLYFILL SYNTAX CLASSES TDZ NODE_MODULES_DIR HOST DEPFILE"""
import json
import sys

from bundle_text import depfile, patched, read

MODULES = {
    "buble": "buble/dist/buble-browser.cjs.js",
    "acorn": "acorn/dist/acorn.js",
    "magic-string": "magic-string/dist/magic-string.cjs.js",
    "sourcemap-codec": "sourcemap-codec/dist/sourcemap-codec.umd.js",
}
STUBS = {
    "acorn-dynamic-import": "module.exports = function (Parser) { return Parser; };",
    "acorn-jsx": "module.exports = function () { return function (Parser) { return Parser; }; };",
    # regexpu_bundle.py's program, which the host loads for sources that
    # may have a regular expression with the `u` flag.
    "regexpu-core": "module.exports = function (pattern, flags) {\n"
                    "\tif (typeof __jsbRewritePattern !== 'function') { throw new Error("
                    "'Transforming regular expressions with the u flag is not implemented'); }\n"
                    "\treturn __jsbRewritePattern(pattern, flags, { dotAllFlag: true, unicodePropertyEscape: true, lookbehind: true, keepNamedGroups: true });\n};",
}
# The modules jsbox patches (patches/buble/, patches/acorn/, patches/magic-string/).
PATCHED = ["buble", "acorn", "magic-string"]
LOADER = """
var __jsbRequire = (function (sources) {
	var cache = {};
	function require(name) {
		if (!cache[name]) {
			var module = { exports: {} };
			cache[name] = module;
			sources[name].call(module.exports, module, module.exports, require);
		}
		return cache[name].exports;
	}
	return require;
})({
%s
});
"""


def main():
    out, polyfill, syntax, classes, tdz, modules_dir, host, deps = sys.argv[1:9]
    sources = dict(STUBS)
    for name, path in MODULES.items():
        sources[name] = read(modules_dir + "/" + path)
    for name in PATCHED:
        package, file = MODULES[name].split("/", 1)
        sources[name] = patched(modules_dir, package, "modern_bundle")[file]
    wrapped = ",\n".join("%s: function (module, exports, require) {\n%s\n}" % (json.dumps(n), s)
                         for n, s in sources.items())
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join([read(polyfill), read(syntax), read(classes), read(tdz), LOADER % wrapped, read(host)]))
    depfile(deps, out, PATCHED)


main()
