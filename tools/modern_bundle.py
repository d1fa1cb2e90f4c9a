#!/usr/bin/env python3
"""Assembles the transpiler heap's program from the installed npm packages:
jsbox's polyfills (the transpiler needs Map, Set and WeakMap), jsbox's node
types for syntax after ES2018 (engine/modern/syntax.js), jsbox's additions
to the class transform (engine/modern/classes.js), the transpiler's
CommonJS modules wrapped in a minimal require(), and jsbox's entry point.
The transpiler parses with acorn 8 (ES2022) instead of its own acorn 6;
acorn 8 parses import() itself, so the dynamic-import plugin is a stub.
Left out, to keep load time low: JSX (a stub that reports "not
supported") and the rewriter of regular expressions with the `u` flag,
which the host loads only when a source may need it (regexpu_bundle.py).
Edits to the transpiler (PATCHES): for-of loops and spread elements go
through __jsbIter(x), which turns any iterable (Map, Set, strings,
iterators) into an array, instead of assuming an array; a class declaration
that ends the program leaves an empty completion value (as it does
untranspiled), not its last method; statements added at the top of a block
stay on its first line; jsbox's node types are installed; the source map
stays decoded (the entry point reads lines from it); superclasses, the
implicit constructor of a subclass and tagged templates go through helpers
of the polyfills; a class's constructor is named and requires `new`; the two cases the
generator transform (regen_bundle.py) cannot take are errors.  The modules
are reachable through __jsbRequire (the entry point needs buble and acorn)."""
import json
import sys

from bundle_text import patch, read

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
                    "\treturn __jsbRewritePattern(pattern, flags, { dotAllFlag: true, unicodePropertyEscape: true });\n};",
}
# acorn builds the Unicode property tables of every ECMAScript version
# when it loads; build only the one a regexp with \\p{...} needs, when it does.
ACORN_PATCHES = [
    ("  for (var i = 0, list = [9, 10, 11, 12, 13, 14]; i < list.length; i += 1) {\n"
     "    var ecmaVersion = list[i];\n\n    buildUnicodeData(ecmaVersion);\n  }\n", ""),
    ("    this.unicodeProperties = data[parser.options.ecmaVersion >= 14 ? 14 : "
     "parser.options.ecmaVersion];\n",
     "    var unicodeVersion = parser.options.ecmaVersion >= 14 ? 14 : parser.options.ecmaVersion;\n"
     "    if (!data[unicodeVersion]) { buildUnicodeData(unicodeVersion); }\n"
     "    this.unicodeProperties = data[unicodeVersion];\n"),
]
PATCHES = [
    # Statements the translation adds at the top of a block (temporaries,
    # default parameters, `this` aliases) go on its first line, so the
    # lines after it stay the user's.
    ('\t\tvar prefix = "\\n" + indentation;\n\t\tvar suffix = \';\';\n',
     '\t\tvar prefix = isUseStrict(this.body[0]) ? "; " : " ";\n\t\tvar suffix = \';\';\n'),
    ('if (i === introStatementGenerators.length - 1) { suffix = ";\\n"; }',
     'if (i === introStatementGenerators.length - 1) { suffix = "; "; }'),
    ('code.prependRight(expr.start, ("\\n" + indentation + "return "));\n'
     '\t\t\t\t\tcode.appendLeft(expr.end, ";\\n");',
     'code.prependRight(expr.start, " return ");\n'
     '\t\t\t\t\tcode.appendLeft(expr.end, "; ");'),
    ("\t\t\tecmaVersion: 10,\n", "\t\t\tecmaVersion: 2022,\n"),
    # The host reads source lines from the map: skip its VLQ encoding.
    ("\t\t\tmap: this.magicString.generateMap({\n",
     "\t\t\tmap: this.magicString.generateDecodedMap({\n"),
    ("\nfunction wrap(raw, parent) {\n",
     "\n__jsbSyntax(Node, types, CompileError);\n__jsbClasses(Node, types, BlockStatement);\n\n"
     "function wrap(raw, parent) {\n"),
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
    ("\t\t\t} else if (syntheticDefaultExport) {\n"
     "\t\t\t\tcode.prependRight(this.end, syntheticDefaultExport);\n\t\t\t}\n",
     "\t\t\t} else if (syntheticDefaultExport) {\n"
     "\t\t\t\tcode.prependRight(this.end, syntheticDefaultExport);\n"
     "\t\t\t} else if (this.parent.type === 'Program' &&\n"
     "\t\t\t\t\tthis.parent.body[this.parent.body.length - 1] === this) {\n"
     "\t\t\t\tcode.prependRight(this.end, '\\n' + i0 + 'void 0;');\n\t\t\t}\n"),
    ('("; " + key + " < " + list + ".length; "', '("); " + key + " < " + list + ".length; "'),
    # A class's superclass goes through __jsbSuper (the polyfills): native
    # constructors such as Error ignore `this` when called as super(), so
    # a subclass would lose its message.
    ('code.appendLeft(this.end, ("\\n\\n" + i1 + "return " + (this.name) + ";\\n" + i0 + "}("));\n'
     '\t\t\t\tcode.move(this.superClass.start, this.superClass.end, this.end);\n'
     '\t\t\t\tcode.prependRight(this.end, ("));" + syntheticDefaultExport));',
     'code.appendLeft(this.end, ("\\n\\n" + i1 + "return " + (this.name) + ";\\n" + i0 + "}(__jsbSuper("));\n'
     '\t\t\t\tcode.move(this.superClass.start, this.superClass.end, this.end);\n'
     '\t\t\t\tcode.prependRight(this.end, (")));" + syntheticDefaultExport));'),
    ('"return " + (this.name) + ";\\n" + i0 + "}(" + superClass + "))"));',
     '"return " + (this.name) + ";\\n" + i0 + "}(" + (superClass && "__jsbSuper(" + superClass + ")") + "))"));'),
    # A subclass's prototype comes from __jsbSuperProto (the polyfills),
    # which checks the superclass's.
    ('name + ".prototype = Object.create( " + superName + " && " + superName + ".prototype );\\n"',
     'name + ".prototype = __jsbSuperProto(" + superName + ");\\n"'),
    # A derived class's implicit constructor gets its object from
    # __jsbSuperCall (the polyfills), which lets a native superclass make
    # it; every constructor is named after its class, strict, and requires
    # `new` (classes.js).
    ('("\\n" + i1 + superName + ".apply(this, arguments);\\n" + i0 + "}")',
     '__jsbImplicitSuper(this.parent, superName)'),
    ("var fn$1 = 'function ' + (namedConstructor ? name + ' ' : '') + '() {}';",
     "var fn$1 = 'function ' + (namedConstructor ? name + ' ' : '') + '() { ' + __jsbCtorStart(this.parent) + '}';"),
    ("\t\t\tvar namedConstructor =\n\t\t\t\tnamedFunctions ||\n\t\t\t\tthis.parent.superClass ||\n"
     "\t\t\t\tthis.parent.type !== 'ClassDeclaration';\n", "\t\t\tvar namedConstructor = true;\n"),
    # An accessor with a computed key (or a string or number key), a
    # private method and a static method `name` or `length` (classes.js
    # gives them string keys) are defined with Object.defineProperty, on
    # the class or its prototype (Bublé reported the accessor as not
    # supported, and assigned the others).
    ("\t\t\t\tif (isAccessor) {\n\t\t\t\t\tif (method.computed) {\n\t\t\t\t\t\tthrow new Error(\n"
     "\t\t\t\t\t\t\t'Computed accessor properties are not currently supported'\n\t\t\t\t\t\t);\n\t\t\t\t\t}\n",
     "\t\t\t\tvar defined = (isAccessor || method.key.jsbDefine) && method.computed;\n"
     "\t\t\t\tif (defined) {\n"
     "\t\t\t\t\tlhs = 'Object.defineProperty(' + (method.static ? name : name + '.prototype') + ', ';\n"
     "\t\t\t\t} else if (isAccessor) {\n"),
    ("\t\t\t\t\tif (fake_computed) {\n\t\t\t\t\t\tcode.prependRight(method.key.start, '[');",
     "\t\t\t\t\tif (defined) {\n\t\t\t\t\t\tc = fake_computed ? c : code.original.indexOf(']', c);\n"
     "\t\t\t\t\t} else if (fake_computed) {\n\t\t\t\t\t\tcode.prependRight(method.key.start, '[');"),
    ("\t\t\t\tcode.prependRight(method.value.start, rhs);\n\t\t\t\tcode.appendLeft(method.end, ';');",
     "\t\t\t\tif (defined) { rhs = ', { ' + (isAccessor ? method.kind : 'value') + ': ' + "
     "(method.value.async ? 'async ' : '') + 'function' + (method.value.generator ? '* ' : ' '); }\n"
     "\t\t\t\tcode.prependRight(method.value.start, rhs);\n"
     "\t\t\t\tcode.appendLeft(method.end, defined ? (isAccessor ? '' : ', writable: true') + "
     "', configurable: true });' : ';');"),
    ("\t\t\t\tif (method.start < start) {\n\t\t\t\t\tcode.overwrite(method.start, start, lhs);",
     "\t\t\t\tif (defined && !fake_computed) { start += 1; }\n"
     "\t\t\t\tif (method.start < start) {\n\t\t\t\t\tcode.overwrite(method.start, start, lhs);"),
    # A class declaration is block-scoped, as let is.
    ("\t\t\tthis.findScope(true).addDeclaration(this.id, 'class');",
     "\t\t\tthis.findScope(false).addDeclaration(this.id, 'class');"),
    # Fields and static blocks are translated by classes.js: the class
    # transform leaves them where they are.
    ("\t\t\tthis.body.forEach(function (method, i) {\n"
     "\t\t\t\tif ((method.kind === 'get' || method.kind === 'set') && transforms.getterSetter) {",
     "\t\t\tthis.body.forEach(function (method, i) {\n"
     "\t\t\t\tif (/^(PropertyDefinition|StaticBlock)$/.test(method.type)) { return; }\n"
     "\t\t\t\tif ((method.kind === 'get' || method.kind === 'set') && transforms.getterSetter) {"),
    # An accessor in an object literal after a computed key (or with one)
    # is defined with Object.defineProperty (classes.js) on the object
    # the translation builds, not assigned.
    ("var propId = name + (prop$2.computed ? '' : '.');",
     "var propId = __jsbPropertyTarget(prop$2, name, prop$2.computed ? '' : '.');"),
    ('(isSimpleAssignment ? (";\\n" + i0 + name) : (", " + name)) +\n'
     "\t\t\t\t\t\t\t(prop$2.key.type === 'Literal' || prop$2.computed ? '' : '.');",
     '(isSimpleAssignment ? (";\\n" + i0) : ", ") + __jsbPropertyTarget(prop$2, name, '
     "prop$2.key.type === 'Literal' || prop$2.computed ? '' : '.');"),
    ("\t\t\t\t\tvar c = prop$2.key.end;\n",
     "\t\t\t\t\tif (prop$2.kind === 'get' || prop$2.kind === 'set') { __jsbObjectAccessor(code, prop$2); } else {\n"
     "\t\t\t\t\tvar c = prop$2.key.end;\n"),
    ("\t\t\t\t\t}\n\t\t\t\t} else if (prop$2.type === 'SpreadElement') {",
     "\t\t\t\t\t}\n\t\t\t\t\t}\n\t\t\t\t} else if (prop$2.type === 'SpreadElement') {"),
    # Once a class's methods are in place, __jsbMethods (engine/modern/
    # modern.c) makes them, accessors and `constructor` non-enumerable, as a
    # class's are; on the class's last line, so later lines stay the user's.
    ("\t\t\tcode.appendLeft(this.end, outroBlock);\n",
     "\t\t\tcode.appendLeft(this.end, outroBlock + '; __jsbMethods(' + name + ');');\n"),
    # A tag gets the raw strings too (String.raw needs them), through
    # __jsbTemplate (the polyfills), in an object of its own per call site;
    # the object is made on the program's first line, so the lines after it
    # stay the user's.
    ("\t\t\tvar templateObject = this.program.templateLiteralQuasis[templateStrings];\n",
     "\t\t\tvar templateObject = null;\n"),
    ("\t\t\tvar templateStrings = this.quasi.quasis.map(function (quasi) { "
     "return JSON.stringify(quasi.value.cooked); }\n\t\t\t).join(', ');",
     "\t\t\tvar templateStrings = '[' + this.quasi.quasis.map(function (quasi) { "
     "return JSON.stringify(quasi.value.cooked); }\n\t\t\t).join(', ') + '], [' + "
     "this.quasi.quasis.map(function (quasi) { return JSON.stringify(quasi.value.raw); }).join(', ') + ']';"),
    ('("var " + templateObject + " = Object.freeze([" + templateStrings + "]);\\n")',
     '("var " + templateObject + " = __jsbTemplate(" + templateStrings + "); ")'),
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
    # A loop body that becomes a function (a closure captures its let
    # bindings) is called with its bindings by their names after renaming
    # (unless the loop keeps inner and outer aliases of them): buble passed
    # the names the source gave them, so a for-in variable renamed for a
    # clash with an outer one was not the one the body read.
    ("var LoopStatement = /*@__PURE__*/",
     "function loopNames(loop, names) {\n"
     "\treturn [].concat.apply([], names).map(function (name) {\n"
     "\t\tvar declaration = !(name in loop.aliases) && loop.scope && loop.scope.declarations[name];\n"
     "\t\treturn declaration && declaration.name ? declaration.name : name;\n"
     "\t});\n}\n\nvar LoopStatement = /*@__PURE__*/"),
    ("\t\t\t\t? this.init.declarations.map(function (declarator) { return extractNames(declarator.id); })\n"
     "\t\t\t\t: [];\n",
     "\t\t\t\t? this.init.declarations.map(function (declarator) { return extractNames(declarator.id); })\n"
     "\t\t\t\t: [];\n\t\t\tnames = loopNames(this, names);\n"),
    ("\t\t\t\t? this.left.declarations.map(function (declarator) { return extractNames(declarator.id); })\n"
     "\t\t\t\t: [];\n",
     "\t\t\t\t? this.left.declarations.map(function (declarator) { return extractNames(declarator.id); })\n"
     "\t\t\t\t: [];\n\t\t\tnames = loopNames(this, names);\n"),
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


def main():
    out, polyfill, syntax, classes, modules_dir, host = sys.argv[1:7]
    sources = dict(STUBS)
    for name, path in MODULES.items():
        sources[name] = read(modules_dir + "/" + path)
    for old, new in PATCHES:
        sources["buble"] = patch(sources["buble"], old, new, "modern_bundle: buble")
    for old, new in ACORN_PATCHES:
        sources["acorn"] = patch(sources["acorn"], old, new, "modern_bundle: acorn")
    wrapped = ",\n".join("%s: function (module, exports, require) {\n%s\n}" % (json.dumps(n), s)
                         for n, s in sources.items())
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join([read(polyfill), read(syntax), read(classes), LOADER % wrapped, read(host)]))


main()
