#!/usr/bin/env python3
"""Assembles the transpiler heap's program from the installed npm packages:
jsbox's polyfills (the transpiler needs Map, Set and WeakMap), jsbox's node
types for syntax after ES2018 (engine/confined/modern/syntax.js), jsbox's additions
to the class transform (engine/confined/modern/classes.js), the transpiler's
CommonJS modules wrapped in a minimal require(), and jsbox's entry point.
The transpiler parses with acorn 8 (ES2022) instead of its own acorn 6;
acorn 8 parses import() itself, so the dynamic-import plugin is a stub.
Left out, to keep load time low: JSX (a stub that reports "not
supported") and the rewriter of regular expressions with the `u` flag,
which the host loads only when a source may need it (regexpu_bundle.py).
Edits to the transpiler (PATCHES): spread elements go through
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
    # A for-of loop walks __jsbIterLoop(x) (the polyfills) by index: an
    # array as it is, anything else one next() per step; the loop is in
    # a try whose end closes an iterator it leaves before the end (quietly
    # when the loop threw), all on the loop's own lines.  An empty body is
    # a loop too (the values are still read).
    ('" = 0, " + list + " = "));', '" = 0, " + list + " = __jsbIterLoop("));'),
    ("\t\t// edge case (#80)\n\t\tif (!this.body.body[0]) {\n\t\t\tif (\n\t\t\t\tthis.left.type === 'VariableDeclaration' &&\n"
     "\t\t\t\tthis.left.kind === 'var'\n\t\t\t) {\n\t\t\t\tcode.remove(this.start, this.left.start);\n"
     "\t\t\t\tcode.appendLeft(this.left.end, ';');\n\t\t\t\tcode.remove(this.left.end, this.end);\n"
     "\t\t\t} else {\n\t\t\t\tcode.remove(this.start, this.end);\n\t\t\t}\n\n\t\t\treturn;\n\t\t}\n\n", ""),
    ("\t\tvar bodyStart = this.body.body[0].start;\n",
     "\t\tvar bodyStart = this.body.body[0] ? this.body.body[0].start : this.body.start + 1;\n"),
    # The try's end (and a synthetic body's `}`) goes in before the loop's
    # own parts are translated: what they add at the same place is inside
    # it, what enclosing statements added is outside.  Only a walk over an
    # iterator has `d` (done) false: an array's loop makes no call there.
    ("\tForOfStatement.prototype.transpile = function transpile (code, transforms) {\n"
     "\t\tLoopStatement.prototype.transpile.call(this, code, transforms);\n",
     "\tForOfStatement.prototype.transpile = function transpile (code, transforms) {\n"
     "\t\tvar list = this.findScope(true).createIdentifier('list'), thrown = this.findScope(true).createIdentifier('e');\n"
     "\t\tvar outermost = this;\n"
     "\t\twhile (outermost.parent.type === 'LabeledStatement') { outermost = outermost.parent; }\n"
     "\t\tcode.prependRight(outermost.start, 'try { ');\n"
     "\t\tcode.prependRight(this.end, (this.body.synthetic ? ' }' : '') + ' } catch (' + thrown + ') { "
     "__jsbIterClose(' + list + ', true); throw ' + thrown + '; } finally { if (' + list + ' && ' + list + '.d === false) { __jsbIterClose(' + list + '); } }');\n"
     "\t\tLoopStatement.prototype.transpile.call(this, code, transforms);\n"),
    ("\t\tvar key = scope.createIdentifier('i');\n\t\tvar list = scope.createIdentifier('list');\n",
     "\t\tvar key = scope.createIdentifier('i');\n"),
    ("\t\t\tcode.appendLeft(this.body.body[0].end, (\"\\n\" + i0 + \"}\"));\n", ""),
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
    # An accessor with a computed key (or a string or number key) and a
    # private method (classes.js gives it a string key) are defined with
    # Object.defineProperty, on the class or its prototype (Bublé reported
    # the accessor as not supported; the rest is after the function
    # names' edits, below).
    ("\t\t\t\tif (isAccessor) {\n\t\t\t\t\tif (method.computed) {\n\t\t\t\t\t\tthrow new Error(\n"
     "\t\t\t\t\t\t\t'Computed accessor properties are not currently supported'\n\t\t\t\t\t\t);\n\t\t\t\t\t}\n",
     "\t\t\t\tvar jsbDefined = (isAccessor || method.key.jsbDefine) && method.computed;\n"
     "\t\t\t\tif (jsbDefined) {\n"
     "\t\t\t\t\tlhs = 'Object.defineProperty(' + (method.static ? name : name + '.prototype') + ', ';\n"
     "\t\t\t\t} else if (isAccessor) {\n"),
    ("\t\t\t\t\tif (fake_computed) {\n\t\t\t\t\t\tcode.prependRight(method.key.start, '[');",
     "\t\t\t\t\tif (jsbDefined) {\n\t\t\t\t\t\tc = fake_computed ? c : code.original.indexOf(']', c);\n"
     "\t\t\t\t\t} else if (fake_computed) {\n\t\t\t\t\t\tcode.prependRight(method.key.start, '[');"),
    ("\t\t\t\tif (method.start < start) {\n\t\t\t\t\tcode.overwrite(method.start, start, lhs);",
     "\t\t\t\tif (jsbDefined && !fake_computed) { start += 1; }\n"
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
    # Once a class's methods are in place, __jsbMethods (engine/confined/modern/
    # modern.c) makes them, accessors and `constructor` non-enumerable, as a
    # class's are; on the class's last line, so later lines stay the user's.
    ("\t\t\tcode.appendLeft(this.end, outroBlock);\n",
     "\t\t\tcode.appendLeft(this.end, outroBlock + '; __jsbMethods(' + name + ');');\n"),
    # A tag gets the raw strings too (String.raw needs them), through
    # __jsbTemplate (the polyfills), in an object of its own per call site
    # (a string with an escape that is not one is undefined, ES2018);
    # the object is made on the program's first line, so the lines after it
    # stay the user's.
    ("\t\t\tvar templateObject = this.program.templateLiteralQuasis[templateStrings];\n",
     "\t\t\tvar templateObject = null;\n"),
    ("\t\t\tvar templateStrings = this.quasi.quasis.map(function (quasi) { "
     "return JSON.stringify(quasi.value.cooked); }\n\t\t\t).join(', ');",
     "\t\t\tvar templateStrings = '[' + this.quasi.quasis.map(function (quasi) { "
     "return quasi.value.cooked == null ? 'void 0' : JSON.stringify(quasi.value.cooked); }\n\t\t\t).join(', ') + '], [' + "
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
    # An array pattern takes its values from an array as it is, from
    # anything else through __jsbIterRead(source, n) (the polyfills), not
    # by index: that reads the n values the pattern needs (all with a rest
    # element) from any iterable, and closes its iterator.  The pattern's
    # `]` becomes that statement, so it stays on the pattern's line.
    ("\nfunction destructureArrayPattern(\n",
     "\nfunction arrayPatternSource(code, createIdentifier, node, ref, inline, statementGenerators) {\n"
     "\tif (node.jsbArraySource) { code.remove(node.end - 1, node.end); return ref; }\n"
     "\tvar n = node.elements.length, last = node.elements[n - 1];\n"
     "\tvar values = createIdentifier('ref');\n"
     "\tvar source = /^[\\w$]+$/.test(ref) ? ref : values;\n"
     "\tstatementGenerators.push(function (start, prefix, suffix) {\n"
     "\t\tcode.overwrite(node.end - 1, node.end, (inline ? prefix : prefix + 'var ') + values + ' = Array.isArray(' + "
     "(source === ref ? ref : '(' + values + ' = ' + ref + ')') + ') ? ' + source + ' : __jsbIterRead(' + source + ', ' + "
     "(last && last.type === 'RestElement' ? -1 : n) + ')' + suffix);\n"
     "\t\tcode.move(node.end - 1, node.end, start);\n"
     "\t});\n"
     "\treturn values;\n}\n"
     "\nfunction destructureArrayPattern(\n"),
    # An array literal is an array: `[a, b] = [b, a]` reads it by index.
    ("\t\t\t\t\tvar scope = declarator.findScope(false);\n\t\t\t\t\tdestructure(\n",
     "\t\t\t\t\tvar scope = declarator.findScope(false);\n"
     "\t\t\t\t\tdeclarator.id.jsbArraySource = declarator.init.type === 'ArrayExpression';\n"
     "\t\t\t\t\tdestructure(\n"),
    ("\t\tvar assign = writeScope.createDeclaration('assign');\n\t\tcode.appendRight(",
     "\t\tthis.left.jsbArraySource = this.right.type === 'ArrayExpression';\n"
     "\t\tvar assign = writeScope.createDeclaration('assign');\n\t\tcode.appendRight("),
    ("\tvar c = node.start;\n\n\tnode.elements.forEach(function (element, i) {",
     "\tvar c = node.start;\n"
     "\tref = arrayPatternSource(code, createIdentifier, node, ref, inline, statementGenerators);\n\n"
     "\tnode.elements.forEach(function (element, i) {"),
    ("\tcode.remove(c, node.end);\n}\n\nfunction destructureObjectPattern(",
     "\tcode.remove(c, node.end - 1);\n}\n\nfunction destructureObjectPattern("),
    ("\t\tcase 'ArrayPattern': {\n\t\t\tcode.remove(c, (c = node.start));\n",
     "\t\tcase 'ArrayPattern': {\n\t\t\tcode.remove(c, (c = node.start));\n"
     "\t\t\tvalue = arrayPatternSource(code, createIdentifier, node, value, inline, statementGenerators);\n"),
    ("\t\t\tcode.remove(c, node.end);\n\t\t\tbreak;\n\t\t}\n\n\t\tdefault: {",
     "\t\t\tcode.remove(c, node.end - 1);\n\t\t\tbreak;\n\t\t}\n\n\t\tdefault: {"),
    # A for-of or for-in loop's array pattern moves into the body without
    # its `]` (which becomes the statement taking the values, and moves
    # there by itself: a chunk moved next to where it already is is lost),
    # and `var ref = list[i];` goes before the pattern's pieces.
    ("\t\tcode.move(this.left.start, this.left.end, bodyStart);\n",
     "\t\tcode.move(this.left.start, this.left.end - (/ArrayPattern/.test(this.left.type) || "
     "this.left.declarations && this.left.declarations[0].id.type === 'ArrayPattern' ? 1 : 0), bodyStart);\n"),
    ("\t\tcode.move(pattern.start, pattern.end, bodyStart);\n",
     "\t\tcode.move(pattern.start, pattern.end - (pattern.type === 'ArrayPattern' ? 1 : 0), bodyStart);\n"),
    ('\t\t\t\tcode.appendLeft(this.left.start + this.left.kind.length + 1, ref);\n'
     '\t\t\t\tcode.appendLeft(this.left.end, (" = " + list + "[" + key + "];\\n" + i1));\n'
     '\t\t\t} else {\n'
     '\t\t\t\tcode.appendLeft(this.left.end, ("var " + ref + " = " + list + "[" + key + "];\\n" + i1));\n',
     '\t\t\t\tcode.appendLeft(this.left.start + this.left.kind.length + 1, ref + " = " + list + "[" + key + "]; ");\n'
     '\t\t\t} else {\n'
     '\t\t\t\tcode.prependRight(this.left.start, (this.body.synthetic ? "{ " : "") + "var " + ref + " = " + list + "[" + key + "]; ");\n'),
    # The names a for-of loop's pattern declares are the loop's (they may
    # have been renamed there), and a body that was not a block gets its
    # `{` back (taking the pattern apart removed it).
    ("\t\t\t\t\treturn scope.resolveName(name);\n\t\t\t},\n\t\t\t\tmaybeDestructuring,",
     "\t\t\t\t\treturn loopScope.resolveName(name);\n\t\t\t},\n\t\t\t\tmaybeDestructuring,"),
    ("\t\t\tvar statementGenerators = [];\n\t\t\tvar ref = scope.createIdentifier('ref');\n",
     "\t\t\tvar statementGenerators = [], loopScope = this.scope;\n\t\t\tvar ref = scope.createIdentifier('ref');\n"),
    # An empty pattern (`[] = x`, `({} = x)`) assigns nothing: no comma
    # after the source, which left `(assign = x, )`.  In a chain
    # (`[a, b] = [c, d] = x`) the translation of the outer patterns goes
    # after the innermost one's, from its value (both ended at the same
    # place, and their parts came out interleaved).
    ("\t\tvar assign = writeScope.createDeclaration('assign');\n\t\tcode.appendRight(this.left.end, (\"(\" + assign));\n",
     "\t\tvar assign = this.jsbAssign || writeScope.createDeclaration('assign');\n"
     "\t\tvar chained = this.right.type === 'AssignmentExpression' && /Pattern/.test(this.right.left.type) &&\n"
     "\t\t\tthis.right.end === this.end;\n"
     "\t\tif (!chained) { code.appendRight(this.left.end, (\"(\" + assign)); }\n"),
    ("\t\tcode.appendLeft(this.right.end, ', ');\n", ""),
    ("\t\tvar suffix = ', ';\n\t\tstatementGenerators.forEach(function (fn, j) {",
     "\t\tif (chained) {\n"
     "\t\t\tcode.remove(this.left.end, this.right.start);\n"
     "\t\t\tthis.right.jsbAssign = assign;\n"
     "\t\t\tthis.right.jsbChained = statementGenerators.concat(this.jsbChained || []);\n"
     "\t\t\treturn;\n\t\t}\n"
     "\t\tstatementGenerators = statementGenerators.concat(this.jsbChained || []);\n"
     "\t\tif (statementGenerators.length) { code.appendLeft(this.right.end, ', '); }\n"
     "\t\tvar suffix = ', ';\n\t\tstatementGenerators.forEach(function (fn, j) {"),
    # Function names: a function expression or arrow function assigned
    # to a name (variable, default value, object property) takes the name
    # as ES2015 infers it, and so does a class method.  Where naming the
    # function in the source would change what the name means inside it
    # (its body refers to the name), or the name is not an identifier
    # (an accessor's "get x", a computed key's), __jsbName (the polyfills)
    # defines it; a static method called name or length is defined, since
    # assigning to a function's own name or length does nothing.
    ("var ArrowFunctionExpression = /*@__PURE__*/",
     "function jsbFunctionName(node) {\n"
     "\tvar p = node.parent;\n"
     "\tif (p.type === 'VariableDeclarator' && p.init === node && p.id.type === 'Identifier') { return p.id.name; }\n"
     "\tif ((p.type === 'AssignmentPattern' || p.type === 'AssignmentExpression' && p.operator === '=') &&\n"
     "\t\t\tp.right === node && p.left.type === 'Identifier') { return p.left.name; }\n"
     "\tif (p.type === 'Property' && p.value === node && p.kind === 'init' && !p.method && !p.computed &&\n"
     "\t\t\tp.parent.type === 'ObjectExpression') { return p.key.type === 'Identifier' ? p.key.name : String(p.key.value); }\n"
     "\treturn null;\n}\n\n"
     "function jsbNameable(fn, name) {\n"
     "\treturn /^[A-Za-z_$][\\w$]*$/.test(name) && !reserved[name] && !fn.body.scope.references[name] &&\n"
     "\t\t!fn.body.scope.references.eval;\n}\n\n"
     "function jsbKeyText(code, key) {\n"
     "\treturn key.type === 'Identifier' || key.type === 'Literal' || key.type === 'MemberExpression' && !key.computed &&\n"
     "\t\tkey.object.type === 'Identifier' ? code.original.slice(key.start, key.end) : null;\n}\n\n"
     "function jsbNameFunction(code, fn) {\n"
     "\tvar p = fn.parent;\n"
     "\tif (fn.id || p.type === 'MethodDefinition' || p.type === 'Property' && (p.method || p.kind !== 'init')) { return; }\n"
     "\tvar name = jsbFunctionName(fn);\n"
     "\tvar key = name === null && p.type === 'Property' && p.computed && p.value === fn ? jsbKeyText(code, p.key) : null;\n"
     "\tif (name !== null && jsbNameable(fn, name)) {\n"
     "\t\tvar paren = code.original.indexOf('(', fn.start);\n"
     "\t\tcode.prependRight(paren, (/[\\s*]/.test(code.original[paren - 1]) ? '' : ' ') + name + ' ');\n"
     "\t} else if (name !== null || key !== null) {\n"
     "\t\tcode.prependRight(fn.start, '__jsbName(');\n"
     "\t\tcode.appendLeft(fn.end, ', ' + (key !== null ? key : JSON.stringify(name)) + ')');\n\t}\n}\n\n"
     "var ArrowFunctionExpression = /*@__PURE__*/"),
    ("\t\t\ttext += 'function';\n\t\t\tif (!standalone) { text += ' '; }\n",
     "\t\t\ttext += 'function';\n\t\t\tif (!standalone) { text += ' '; }\n"
     "\t\t\tvar inferred = standalone ? null : jsbFunctionName(this);\n"
     "\t\t\tif (inferred !== null && jsbNameable(this, inferred)) { text += inferred + ' '; }\n"
     "\t\t\telse if (inferred !== null) {\n"
     "\t\t\t\ttext = '__jsbName(' + text;\n"
     "\t\t\t\tcode.appendLeft(this.end, ', ' + JSON.stringify(inferred) + ')');\n\t\t\t}\n"),
    ("\tFunctionExpression.prototype.transpile = function transpile (code, transforms) {\n"
     "\t\tNode.prototype.transpile.call(this, code, transforms);\n",
     "\tFunctionExpression.prototype.transpile = function transpile (code, transforms) {\n"
     "\t\tNode.prototype.transpile.call(this, code, transforms);\n"
     "\t\tjsbNameFunction(code, this);\n"),
    ("\t\t\t\tvar methodName = method.key.name;\n\t\t\t\tif (\n\t\t\t\t\treserved[methodName] ||\n"
     "\t\t\t\t\tmethod.value.body.scope.references[methodName]\n\t\t\t\t) {\n"
     "\t\t\t\t\tmethodName = scope.createIdentifier(methodName);\n\t\t\t\t}\n",
     "\t\t\t\tvar methodName = method.key.name;\n"
     "\t\t\t\tvar defined = method.static && !method.computed && !isAccessor && /^(name|length)$/.test(methodName);\n"
     "\t\t\t\tvar keyText = method.computed ? jsbKeyText(code, method.key) : JSON.stringify(String(method.key.name || method.key.value));\n"
     "\t\t\t\tvar wrapped = keyText !== null && (method.computed || isAccessor || method.key.type !== 'Identifier' ||\n"
     "\t\t\t\t\t!jsbNameable(method.value, methodName));\n"),
    ("\t\t\t\tif (!method.computed) { lhs += '.'; }\n",
     "\t\t\t\tif (defined) { lhs = 'Object.defineProperty(' + lhs + ', \"'; }\n"
     "\t\t\t\telse if (!method.computed) { lhs += '.'; }\n"),
    ("\t\t\t\tvar funcName =\n\t\t\t\t\tmethod.computed || isAccessor || !namedFunctions\n\t\t\t\t\t\t? ''\n"
     "\t\t\t\t\t\t: (methodName + \" \");\n",
     "\t\t\t\tvar funcName =\n\t\t\t\t\tmethod.computed || isAccessor || !namedFunctions || wrapped\n\t\t\t\t\t\t? ''\n"
     "\t\t\t\t\t\t: (methodName + \" \");\n"),
    ("\t\t\t\tcode.prependRight(method.value.start, rhs);\n\t\t\t\tcode.appendLeft(method.end, ';');\n",
     "\t\t\t\tif (defined) { rhs = rhs.replace(' = ', '\", { value: '); }\n"
     "\t\t\t\tif (wrapped) { rhs = rhs.replace(/(async )?function/, '__jsbName($&'); }\n"
     "\t\t\t\tcode.prependRight(method.value.start, rhs);\n"
     "\t\t\t\tcode.appendLeft(method.end, (wrapped ? ', ' + keyText + (isAccessor ? ', \"' + method.kind + '\"' : '') + ')' : '') +\n"
     "\t\t\t\t\t(defined ? ', writable: true, configurable: true })' : '') + ';');\n"),
    # (The methods defined with Object.defineProperty, above.)
    ("\t\t\t\tif (wrapped) { rhs = rhs.replace(/(async )?function/, '__jsbName($&'); }\n",
     "\t\t\t\tif (wrapped) { rhs = rhs.replace(/(async )?function/, '__jsbName($&'); }\n"
     "\t\t\t\tif (jsbDefined) { rhs = ', { ' + (isAccessor ? method.kind : 'value') + ': ' + (wrapped ? '__jsbName(' : '') + "
     "(method.value.async ? 'async ' : '') + 'function' + (method.value.generator ? '* ' : ' '); }\n"),
    ("\t\t\t\t\t(defined ? ', writable: true, configurable: true })' : '') + ';');\n",
     "\t\t\t\t\t(defined || jsbDefined && !isAccessor ? ', writable: true, configurable: true })' : "
     "jsbDefined ? ', configurable: true })' : '') + ';');\n"),
    # An object's method whose body refers to its name, or whose key is a
    # string or a number, gets the name through __jsbName (renamed, it showed the new
    # name: foo$1, foo_bar).
    ("\t\t\t\t\t\t\tthis.value.body.scope.references[this.key.name]\n\t\t\t\t\t\t) {\n"
     "\t\t\t\t\t\t\tname = this.findScope(true).createIdentifier(this.key.name);\n",
     "\t\t\t\t\t\t\tthis.value.body.scope.references[this.key.name]\n\t\t\t\t\t\t) {\n"
     "\t\t\t\t\t\t\tname = '';\n\t\t\t\t\t\t\tnamedLater = this.key.name;\n"),
    ("\t\t\t\t\t} else {\n\t\t\t\t\t\tname = this.findScope(true).createIdentifier(this.key.value);\n\t\t\t\t\t}\n"
     "\t\t\t\t\tname = ' ' + name;\n",
     "\t\t\t\t\t} else {\n\t\t\t\t\t\tname = '';\n\t\t\t\t\t\tnamedLater = String(this.key.value);\n\t\t\t\t\t}\n"
     "\t\t\t\t\tname = ' ' + name;\n"),
    ("\t\t\t\tcode.appendLeft(\n\t\t\t\t\tthis.key.end,\n"
     "\t\t\t\t\t(\": \" + (this.value.async ? 'async ' : '') + \"function\" + (this.value.generator ? '*' : '') + name)\n\t\t\t\t);\n",
     "\t\t\t\tcode.appendLeft(\n\t\t\t\t\tthis.key.end,\n"
     "\t\t\t\t\t(\": \" + (namedLater !== null ? '__jsbName(' : '') + (this.value.async ? 'async ' : '') + \"function\" + "
     "(this.value.generator ? '*' : '') + name)\n\t\t\t\t);\n"
     "\t\t\t\tif (namedLater !== null) { code.appendLeft(this.value.end, ', ' + JSON.stringify(namedLater) + ')'); }\n"),
    ("\t\t\t\t\t\ttypeof this.key.value === 'number'\n\t\t\t\t\t) {\n\t\t\t\t\t\tname = '';\n",
     "\t\t\t\t\t\ttypeof this.key.value === 'number'\n\t\t\t\t\t) {\n\t\t\t\t\t\tname = '';\n"
     "\t\t\t\t\t\tnamedLater = String(this.key.value);\n"),
    ("\t\t\t} else if (this.method) {\n\t\t\t\tvar name = '';\n",
     "\t\t\t} else if (this.method) {\n\t\t\t\tvar name = '', namedLater = null;\n"),
    # `${x}` is ToString(x) (an object's toString before its valueOf), not
    # "" + x: an object goes through String(), anything else is added as
    # before (a symbol still throws).
    ("\t\t\t\t\tvar parenthesise$1 = node.type !== 'Identifier'; // TODO other cases where it's safe\n\n"
     "\t\t\t\t\tif (parenthesise$1) { prefix += '('; }\n\n"
     "\t\t\t\t\tcode.remove(lastIndex, node.start);\n\n"
     "\t\t\t\t\tif (prefix) { code.prependRight(node.start, prefix); }\n"
     "\t\t\t\t\tif (parenthesise$1) { code.appendLeft(node.end, ')'); }\n",
     "\t\t\t\t\tvar value = node.type === 'Identifier' ? code.slice(node.start, node.end) :\n"
     "\t\t\t\t\t\t(templateValue = templateValue || node.findScope(true).createDeclaration('ref'));\n"
     "\t\t\t\t\tprefix += '(typeof ' + (node.type === 'Identifier' ? '' : '(' + value + ' = ');\n\n"
     "\t\t\t\t\tcode.remove(lastIndex, node.start);\n\n"
     "\t\t\t\t\tcode.prependRight(node.start, prefix);\n"
     "\t\t\t\t\tcode.appendLeft(node.end, (node.type === 'Identifier' ? '' : ')') + ' === \"object\" && ' + value +\n"
     "\t\t\t\t\t\t' ? String(' + value + ') : ' + value + ')');\n"),
    ("\t\t\tvar lastIndex = this.start;\n\n\t\t\tordered.forEach(function (node, i) {\n",
     "\t\t\tvar lastIndex = this.start, templateValue = null;\n\n\t\t\tordered.forEach(function (node, i) {\n"),
    # A function with default, rest or destructured parameters has an
    # arguments object that does not follow its parameters; the
    # translation's parameters are simple, so where the body uses
    # arguments each named parameter becomes a copy of an unnamed one.
    # The parameters' expressions do not see the body's declarations
    # either: a name both use (other than a parameter's) is renamed in the
    # body.
    ("\tBlockStatement.prototype.transpileParameters = function transpileParameters (params, code, transforms, indentation, introStatementGenerators) {\n"
     "\t\tvar this$1 = this;\n",
     "\tBlockStatement.prototype.transpileParameters = function transpileParameters (params, code, transforms, indentation, introStatementGenerators) {\n"
     "\t\tvar this$1 = this;\n"
     "\t\tif (/Function/.test(this.parent.type) && this.parent.type !== 'ArrowFunctionExpression' && this.scope.references.arguments &&\n"
     "\t\t\t\tparams.some(function (param) { return param.type !== 'Identifier'; })) {\n"
     "\t\t\tparams.forEach(function (param) {\n"
     "\t\t\t\tvar id = param.type === 'AssignmentPattern' ? param.left : param;\n"
     "\t\t\t\tif (id.type !== 'Identifier') { return; }\n"
     "\t\t\t\tvar name = id.alias || id.name, copy = this$1.scope.createIdentifier(name);\n"
     "\t\t\t\tcode.overwrite(id.start, id.end, copy, { contentOnly: true });\n"
     "\t\t\t\tintroStatementGenerators.push(function (start, prefix, suffix) {\n"
     "\t\t\t\t\tcode.appendLeft(start, prefix + 'var ' + name + ' = ' + copy + suffix);\n"
     "\t\t\t\t});\n"
     "\t\t\t});\n"
     "\t\t}\n"
     "\t\tvar seen = Object.create(null);\n"
     "\t\tvar walk = function (node) {\n"
     "\t\t\tif (!node || typeof node.type !== 'string') { return; }\n"
     "\t\t\tif (node.type === 'Identifier' && isReference(node, node.parent)) { seen[node.name] = true; }\n"
     "\t\t\t(node.keys || []).forEach(function (k) { [].concat(node[k]).forEach(walk); });\n"
     "\t\t};\n"
     "\t\tif (/Function/.test(this.parent.type)) {\n"
     "\t\t\tparams.forEach(function (param) { if (param.type !== 'Identifier') { walk(param); } });\n"
     "\t\t\tparams.forEach(function (param) { extractNames(param).forEach(function (id) { seen[id.name] = false; }); });\n"
     "\t\t\tObject.keys(this.scope.declarations).forEach(function (name) {\n"
     "\t\t\t\tvar declaration = this$1.scope.declarations[name];\n"
     "\t\t\t\tif (!seen[name] || declaration.kind === 'param' || declaration.node === this$1.parent.id) { return; }\n"
     "\t\t\t\tvar alias = this$1.scope.createIdentifier(name);\n"
     "\t\t\t\tdeclaration.name = declaration.node.alias = alias;\n"
     "\t\t\t\tdeclaration.instances.forEach(function (instance) { instance.alias = alias; });\n"
     "\t\t\t});\n"
     "\t\t}\n"),
    # A for-of loop may assign to a property: `for (o.p of xs)`.
    ("\t\tif (maybeDestructuring.type !== 'Identifier') {\n",
     "\t\tif (maybeDestructuring.type !== 'Identifier' && maybeDestructuring.type !== 'MemberExpression') {\n"),
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
