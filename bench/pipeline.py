#!/usr/bin/env python3
"""A JSON pipeline: map 200,000 NDJSON records to {id, name upper-cased,
total} with jsbox --ndjson, jq and node (readline + JSON.parse/stringify),
check the three outputs agree, and print time and peak-RSS ratios measured
in the same run.  Usage: bench/pipeline.py [JSBOX] [RECORDS] [RUNS]

The data is generated deterministically into bench/data/ (not committed).
Outputs are compared value by value: jq 1.6 prints doubles with 17
significant digits (12.339999999999999) where JavaScript prints the
shortest form (12.34); both parse to the same double."""
import json
import os
import random
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
OUT = os.path.join(HERE, "out")

JSBOX_SCRIPT = ("output = {id: input.id, name: input.name.toUpperCase(), "
                "total: input.price*input.quantity}")
JQ_FILTER = "{id, name: (.name|ascii_upcase), total: (.price*.quantity)}"
NODE_SCRIPT = r"""
const rl = require('readline').createInterface({input: process.stdin, crlfDelay: Infinity});
const out = [];
rl.on('line', (line) => {
  if (!line.trim()) return;
  const r = JSON.parse(line);
  out.push(JSON.stringify({id: r.id, name: r.name.toUpperCase(), total: r.price * r.quantity}));
  if (out.length >= 1024) { process.stdout.write(out.join('\n') + '\n'); out.length = 0; }
});
rl.on('close', () => { if (out.length) process.stdout.write(out.join('\n') + '\n'); });
"""

WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
         "juliet", "kilo", "lima", "mike", "november", "oscar", "papa"]


def generate(path, n):
    """Deterministic records of ~125 bytes: id, name, price, quantity, tags, meta."""
    rng = random.Random(20240601)
    with open(path, "w") as f:
        for i in range(n):
            rec = {
                "id": i + 1,
                "name": "%s-%s %d" % (rng.choice(WORDS), rng.choice(WORDS), rng.randrange(1000)),
                "price": rng.randrange(1, 100000) / 100,
                "quantity": rng.randrange(1, 50),
                "tags": rng.sample(WORDS, 2),
                "meta": {"source": rng.choice(["web", "store", "api"]), "rating": rng.randrange(1, 6),
                         "day": rng.randrange(1, 366)},
            }
            f.write(json.dumps(rec, separators=(",", ":")) + "\n")


def measure(cmd, src, dst):
    """Wall seconds and peak RSS in KiB (the command and its reaped children,
    through GNU time: measured from Python directly, the forked interpreter's
    own pages would count before the exec)."""
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        start = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdin=fin, stdout=fout,
                              stderr=subprocess.PIPE)
        wall = time.perf_counter() - start
    err = proc.stderr.decode().strip().splitlines()
    if proc.returncode != 0 or not err:
        sys.exit("%s failed (%d): %s" % (cmd[0], proc.returncode, "\n".join(err)[:500]))
    return wall, int(err[-1])


def compare(paths):
    """True when every output has the same records, value for value."""
    files = [open(p) for p in paths]
    try:
        exact = True
        for n, rows in enumerate(zip(*files)):
            if len(set(rows)) > 1:
                exact = False
                values = [json.loads(r) for r in rows]
                if any(v != values[0] for v in values[1:]):
                    print("outputs differ at line %d: %s" % (n + 1, rows))
                    return False, exact
        if any(f.readline() for f in files):
            print("outputs differ in length")
            return False, exact
        return True, exact
    finally:
        for f in files:
            f.close()


def main():
    jsbox = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "build", "jsbox")
    records = int(sys.argv[2]) if len(sys.argv) > 2 else 200000
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    os.makedirs(DATA, exist_ok=True)
    os.makedirs(OUT, exist_ok=True)
    src = os.path.join(DATA, "records-%d.ndjson" % records)
    if not os.path.exists(src):
        generate(src, records)
    print("input: %s (%d records, %.1f MB)" % (src, records, os.path.getsize(src) / 1e6))
    peers = [("jsbox", [jsbox, "--ndjson", "-e", JSBOX_SCRIPT])]
    if shutil.which("jq"):
        peers.append(("jq", ["jq", "-c", JQ_FILTER]))
    if shutil.which("node"):
        peers.append(("node", ["node", "-e", NODE_SCRIPT]))
    best = {}
    for _ in range(runs):  # interleaved, best of runs
        for name, cmd in peers:
            wall, rss = measure(cmd, src, os.path.join(OUT, name + ".ndjson"))
            old = best.get(name)
            best[name] = (min(wall, old[0]) if old else wall, max(rss, old[1]) if old else rss)
    same, exact = compare([os.path.join(OUT, n + ".ndjson") for n, _ in peers])
    print("outputs: %s" % ("identical bytes" if exact else
                           "same values (number formatting differs)" if same else "DIFFERENT"))
    base_t, base_m = best["jsbox"]
    print("%-6s %9s %12s %12s %12s" % ("tool", "time s", "peak RSS MiB", "time/jsbox", "RSS/jsbox"))
    for name, (t, m) in best.items():
        print("%-6s %9.3f %12.1f %11.2fx %11.2fx" % (name, t, m / 1024, t / base_t, m / base_m))
    if "jq" in best:
        print("jq time / jsbox time     = %.2f (target: at least 2)" % (best["jq"][0] / base_t))
    if "node" in best:
        print("jsbox time / node time   = %.2f (target: at most 1.5)" % (base_t / best["node"][0]))
        print("jsbox RSS / node RSS     = %.3f (target: under 0.25)" % (base_m / best["node"][1]))
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
