#!/usr/bin/env python3
"""Uncached translation cost per line: jsbox (the evaluator's transpile_ms
from --stats, the median of a few runs) next to stock buble 0.20 under node
(one cold transform in a fresh process, and one after warming the JIT), in
the same run, on the class-heavy script of bench/modern_source.py at several
sizes and, when given, on real-world files: e.g. the npm package's
@npmcli/arborist/lib/node.js (1,632 lines of classes, getters, optional
chaining and spread; Debian's npm installs it under
/usr/lib/node_modules/npm/node_modules), which stock buble cannot translate.

Usage: bench/transpile.py BUILD_DIR [FILE.js ...]"""
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from modern_source import source  # noqa: E402

NODE_BUBLE = r"""
const fs = require('fs'), buble = require(process.argv[1]);
const src = fs.readFileSync(process.argv[2], 'utf8');
const opts = { transforms: { generator: false, asyncAwait: false, dangerousForOf: true } };
let t = process.hrtime.bigint(); buble.transform(src, opts);
const cold = Number(process.hrtime.bigint() - t) / 1e6;
for (let i = 0; i < 5; i++) buble.transform(src, opts);
t = process.hrtime.bigint(); buble.transform(src, opts);
console.log(JSON.stringify({ cold, warm: Number(process.hrtime.bigint() - t) / 1e6 }));
"""


def jsbox_ms(jsbox, path, runs=3):
    times = []
    for _ in range(runs):
        res = subprocess.run([jsbox, "--no-cache", "--profile", "permissive", "--stats", "run", path],
                             capture_output=True, text=True)
        times.append(json.loads(res.stderr.strip().splitlines()[-1])["transpile_ms"])
    return statistics.median(times)


def buble_ms(build, path):
    """Stock buble's times, or None where it cannot translate the file
    (syntax past what it knows: class fields, optional chaining, ...)."""
    module = os.path.join(build, "engine", "confined", "modern", "node_modules", "buble")
    res = subprocess.run(["node", "-e", NODE_BUBLE, os.path.abspath(module), path],
                         capture_output=True, text=True)
    return json.loads(res.stdout) if res.returncode == 0 else None


def measure(build, name, path):
    with open(path, encoding="utf-8") as f:
        lines = max(1, f.read().count("\n"))
    ours, theirs = jsbox_ms(os.path.join(build, "jsbox"), path), buble_ms(build, path)
    peer = ("buble/node cold %6.3f ms/line, warm %6.3f ms/line" % (theirs["cold"] / lines, theirs["warm"] / lines)
            if theirs else "stock buble cannot translate it")
    print("%-28s %6d lines  jsbox %8.1f ms %6.3f ms/line   %s" % (name, lines, ours, ours / lines, peer))
    return ours / lines


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    per_line = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in (200, 400, 800, 1600):
            path = os.path.join(tmp, "classes%d.js" % n)
            with open(path, "w", encoding="utf-8") as f:
                f.write(source(n))
            per_line[n] = measure(build, "class-heavy %d" % n, path)
    for path in sys.argv[2:]:
        measure(build, os.path.basename(path), path)
    print("linearity: ms/line at 1600 / at 400 = %.2f (target <= 1.2); target <= 0.3 ms/line"
          % (per_line[1600] / per_line[400]))


if __name__ == "__main__":
    main()
