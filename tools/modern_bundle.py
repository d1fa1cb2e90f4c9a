#!/usr/bin/env python3
"""Assembles the transpiler heap's program from the installed npm packages:
jsbox's polyfills (the transpiler needs Map, Set and WeakMap), the
transpiler's CommonJS modules wrapped in a minimal require(), and jsbox's
entry point.  Left out, to keep load time low: JSX and the Unicode tables
of the regexp `u` flag rewriter (stubs that report "not supported").
Edits to the transpiler: for-of loops and spread elements go through
__jsbIter(x), which turns any iterable (Map, Set, strings, iterators) into
an array, instead of assuming an array; the two cases the generator
transform (regen_bundle.py) cannot take are errors.  The modules are
reachable through __jsbRequire (the entry point needs buble and acorn)."""
import json
import sys

MODULES = {
    "buble": "buble/dist/buble-browser.cjs.js",
    "acorn": "acorn/dist/acorn.js",
    "acorn-dynamic-import": "acorn-dynamic-import/lib/index.js",
    "magic-string": "magic-string/dist/magic-string.cjs.js",
    "sourcemap-codec": "sourcemap-codec/dist/sourcemap-codec.umd.js",
}
STUBS = {
    "acorn-jsx": "module.exports = function () { return function (Parser) { return Parser; }; };",
    "regexpu-core": "module.exports = function () { throw new Error("
                    "'Transforming regular expressions with the u flag is not implemented'); };",
}
PATCHES = [
    ("code.overwrite(this.start, element.argument.start, '[].concat( ');\n"
     "\t\t\t\t\t\tcode.overwrite(element.end, this.end, ' )');",
     "code.overwrite(this.start, element.argument.start, '[].concat( __jsbIter(');\n"
     "\t\t\t\t\t\tcode.overwrite(element.end, this.end, ') )');"),
    ("code.remove(firstArgument.start, firstArgument.argument.start);\n"
     "\t\t\t\t\thasSpreadElements = true;",
     "code.overwrite(firstArgument.start, firstArgument.argument.start, '__jsbIter(');\n"
     "\t\t\t\t\tcode.appendLeft(firstArgument.argument.end, ')');\n"
     "\t\t\t\t\thasSpreadElements = true;"),
    ("\t\t\t\t\targumentsArrayAlias\n\t\t\t\t);\n\t\t\t}\n\n\t\t\tfirstSpreadIndex = i;",
     "\t\t\t\t\targumentsArrayAlias\n\t\t\t\t);\n\t\t\t} else {\n"
     "\t\t\t\tcode.prependRight(element$1.argument.start, '__jsbIter(');\n"
     "\t\t\t\tcode.appendLeft(element$1.argument.end, ')');\n\t\t\t}\n\n\t\t\tfirstSpreadIndex = i;"),
    ('" = 0, " + list + " = "));', '" = 0, " + list + " = __jsbIter("));'),
    ('("; " + key + " < " + list + ".length; "', '("); " + key + " < " + list + ".length; "'),
    # The generator transform runs after this one and cannot follow a
    # yield or await into the function that holds a loop body whose
    # bindings a closure captures: report it instead of breaking it.
    ("\t\t\t\t\t\tthis.shouldRewriteAsFunction = true;\n",
     "\t\t\t\t\t\tif (yieldsOrAwaits(this.body)) { throw new CompileError('yield and await in a loop whose "
     "let or const bindings a closure captures are not supported', this); }\n"
     "\t\t\t\t\t\tthis.shouldRewriteAsFunction = true;\n"),
    ("var LoopStatement = /*@__PURE__*/",
     "function yieldsOrAwaits(node) {\n"
     "\tif (!node || typeof node.type !== 'string') { return false; }\n"
     "\tif (node.type === 'YieldExpression' || node.type === 'AwaitExpression') { return true; }\n"
     "\tif (/Function/.test(node.type)) { return false; }\n"
     "\treturn (node.keys || []).some(function (k) {\n"
     "\t\treturn [].concat(node[k]).some(yieldsOrAwaits);\n"
     "\t});\n}\n\nvar LoopStatement = /*@__PURE__*/"),
    # Neither transform has for-await-of loops.
    ("if (this.await && transforms.asyncAwait)\n", "if (this.await)\n"),
    # A generator method with a computed name (`*[Symbol.iterator]() {}`)
    # loses the `*` only, not the `[` after it.
    ("if (method.value.generator) { code.remove(method.start, method.key.start); }",
     "if (method.value.generator) { code.remove(method.start, method.computed && !fake_computed ? "
     "code.original.lastIndexOf('[', method.key.start) : method.key.start); }"),
    ("if (prop$2.value.generator) { code.remove(prop$2.start, prop$2.key.start); }",
     "if (prop$2.value.generator) { code.remove(prop$2.start, prop$2.computed ? "
     "code.original.lastIndexOf('[', prop$2.key.start) : prop$2.key.start); }"),
]
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


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def patch(text, old, new):
    if text.count(old) != 1:
        sys.exit("modern_bundle: transpiler source changed; cannot find %r" % old)
    return text.replace(old, new)


def main():
    out, polyfill, modules_dir, host = sys.argv[1:5]
    sources = dict(STUBS)
    for name, path in MODULES.items():
        sources[name] = read(modules_dir + "/" + path)
    for old, new in PATCHES:
        sources["buble"] = patch(sources["buble"], old, new)
    wrapped = ",\n".join("%s: function (module, exports, require) {\n%s\n}" % (json.dumps(n), s)
                         for n, s in sources.items())
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join([read(polyfill), LOADER % wrapped, read(host)]))


main()
