#!/usr/bin/env python3
"""ES2015+ coverage against the public compat-table feature tests.

usage: bench/compat.py JSBOX COMPAT_TABLE_DIR [-j N] [-v]

Reads data-es6.js and data-es2016plus.js from COMPAT_TABLE_DIR at run time
(node loads them), runs every synchronous subtest (a function body that
returns a truthy value on success, as the compat-table page counts it)
through `JSBOX -e` with the permissive profile, one process per subtest,
and prints passed/total per feature and per section.  Asynchronous subtests (asyncTestPassed) are not counted."""
import argparse
import collections
import concurrent.futures
import json
import re
import subprocess
import sys
import textwrap

LOADER = r"""
const dir = process.argv[1], out = [];
for (const [file, section] of [['data-es6.js', 'ES2015'], ['data-es2016plus.js', null]]) {
  for (const t of require(dir + '/' + file).tests) {
    const sec = section || ('ES' + (t.category || '').split(' ')[0]);
    const subs = t.subtests || [{name: '', exec: t.exec}];
    for (const s of subs) {
      const src = String(s.exec);
      const m = /\/\*([\s\S]*)\*\//.exec(src);
      if (m) out.push({section: sec, feature: t.name, name: s.name, body: m[1]});
    }
  }
}
process.stdout.write(JSON.stringify(out));
"""

# What the compat-table page defines before running a test.
PRELUDE = r"""var global = this;
global.__createIterableObject = function (arr, methods) {
  methods = methods || {};
  if (typeof Symbol !== 'function' || !Symbol.iterator) return {};
  arr.length++;
  var iterator = {
    next: function () { return { value: arr.shift(), done: arr.length <= 0 }; },
    'return': methods['return'], 'throw': methods['throw']
  };
  var iterable = {};
  iterable[Symbol.iterator] = function () { return iterator; };
  return iterable;
};
"""


def load(table_dir):
    text = subprocess.run(["node", "-e", LOADER, table_dir], capture_output=True, text=True,
                          check=True).stdout
    return [t for t in json.loads(text) if "asyncTestPassed" not in t["body"]]


def passes(jsbox, body):
    # The compat-table page removes the body's indentation (multi-line
    # template literals depend on it).
    # Truthy passes, as on the compat-table page: many tests end in
    # `passed &= ...; return passed;`, which gives 1.
    src = PRELUDE + "output = !!(function () {\n" + textwrap.dedent(body) + "\n})();\n"
    try:
        r = subprocess.run([jsbox, "--profile", "permissive", "-c", "-e", src],
                           capture_output=True, text=True, timeout=40)
    except subprocess.TimeoutExpired:
        return False, "timeout"
    return r.stdout.strip() == "true", (r.stderr.strip() or r.stdout.strip())[:160]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("jsbox")
    ap.add_argument("table_dir")
    ap.add_argument("-j", type=int, default=2)
    ap.add_argument("-v", action="store_true", help="print every failing subtest")
    args = ap.parse_args()
    tests = load(args.table_dir)
    with concurrent.futures.ThreadPoolExecutor(args.j) as pool:
        results = list(pool.map(lambda t: passes(args.jsbox, t["body"]), tests))
    feature = collections.OrderedDict()
    section = collections.OrderedDict()
    for t, (ok, why) in zip(tests, results):
        for table, key in ((feature, (t["section"], t["feature"])), (section, t["section"])):
            p, n = table.get(key, (0, 0))
            table[key] = (p + ok, n + 1)
        if args.v and not ok:
            print("FAIL %s / %s / %s: %s" % (t["section"], t["feature"], t["name"], why))
    for (sec, name), (p, n) in feature.items():
        print("%-8s %-60s %3d/%d" % (sec, name[:60], p, n))
    print()
    for sec, (p, n) in section.items():
        print("%-8s %4d/%-4d %5.1f%%" % (sec, p, n, 100.0 * p / n))
    p, n = (sum(x) for x in zip(*[section[s] for s in section if s in ("ES2016", "ES2017")]))
    print("%-8s %4d/%-4d %5.1f%%" % ("ES2016-17", p, n, 100.0 * p / n))


if __name__ == "__main__":
    sys.exit(main())
