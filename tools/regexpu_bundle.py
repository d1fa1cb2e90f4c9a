#!/usr/bin/env python3
"""Assembles the rewriter of regular expressions with the `u` flag for the
transpiler heap from the installed npm packages: regexpu-core's
rewritePattern(), which turns a `u` pattern into an ES5 one (code points
as surrogate pairs, Unicode case folding, \\u{...} escapes), with the
modules it requires.  They are ES2015, so each is translated to ES5 with
the same transpiler, under Node, at build time.  The sets of Unicode
property escapes (\\p{...}) come from a table of jsbox's, loaded apart
(unicode_bundle.py).  The program defines __jsbRewritePattern, which the
transpiler's stand-in for regexpu-core calls (modern_bundle.py).

usage: regexpu_bundle.py OUT NODE NODE_MODULES_DIR DEPFILE"""
import json
import subprocess
import sys

from bundle_modules import Graph
from bundle_text import depfile

# Property sets from jsbox's table; the parser matches tokens in place.
PATCHED = ["regexpu-core", "regjsparser"]
# Under Node: every module's source to ES5, by the installed buble.
TO_ES5 = """
const buble = require(process.argv[1] + '/buble');
const sources = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = {};
for (const key of Object.keys(sources))
	out[key] = buble.transform(sources[key], { transforms: { dangerousForOf: true } }).code;
process.stdout.write(JSON.stringify(out));
"""


def main():
    out, node, top, dep_path = sys.argv[1:5]
    graph = Graph(top, ["regexpu-core/rewrite-pattern.js"], {}, PATCHED, "regexpu_bundle")
    sources = {key: src for key, (src, deps) in graph.modules.items()}
    es5 = subprocess.run([node, "-e", TO_ES5, graph.top], input=json.dumps(sources), capture_output=True,
                         text=True)
    if es5.returncode != 0:
        sys.exit("regexpu_bundle: translating to ES5 failed:\n" + es5.stderr)
    for key, src in json.loads(es5.stdout).items():
        graph.modules[key][0] = src
    with open(out, "w", encoding="utf-8") as f:
        f.write("var __jsbRewritePattern = %s[0];\n" % graph.program())
    depfile(dep_path, out, PATCHED)


main()
