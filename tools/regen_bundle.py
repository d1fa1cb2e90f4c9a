#!/usr/bin/env python3
"""Assembles the generator and async function transform for the transpiler
heap from the installed npm packages: regenerator's transform and the AST
types it works on, with the CommonJS modules they require (found by
following literal require() calls) wrapped in a minimal require(), then
jsbox's own files.  Left out, to keep it small: recast's parsers and
printer (the transpiler's parser is passed in; print.js prints) and the
Node built-ins, which get ES5 stubs.  Two edits to ast-types, for speed
(patches/ast-types/).

usage: regen_bundle.py OUT DEPFILE NODE_MODULES_DIR FILE.js..."""
import sys

from bundle_modules import Graph
from bundle_text import depfile, read

ROOTS = ["regenerator/lib/visit.js", "stub:recast"]
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
# Speed, in Duktape, where the transform spends its time: two edits to
# ast-types (patches/ast-types/).
PATCHED = ["ast-types"]


def main():
    out, deps, top, files = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    graph = Graph(top, ROOTS, STUBS, PATCHED, "regen_bundle")
    loader = ("var regenerator = (function (roots) {\n"
              "\treturn { transform: roots[0].transform, types: roots[1].types };\n"
              "})(%s);\n" % graph.program())
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join([loader] + [read(p) for p in files]))
    depfile(deps, out, PATCHED)


main()
