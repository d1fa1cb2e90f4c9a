#!/usr/bin/env python3
"""Start-up time: `jsbox -e 1` against `duk -e 1` and `node -e 1`, measured in
the same run, printed as means and ratios.  `/bin/true` (process start alone)
and `jsbox --no-jail -e 1` (without the jail's set-up) show where the time goes.
Uses hyperfine when installed (in rounds that take turns), else a timing loop.
Usage: bench/startup.py [JSBOX] [RUNS]"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def loop(cmd, runs):
    """Mean and median wall time of cmd over runs, after five warm-up runs."""
    times = []
    for i in range(runs + 5):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        if i >= 5:
            times.append(time.perf_counter() - start)
    return statistics.mean(times), statistics.median(times)


ROUNDS = 10


def hyperfine(cmds, runs):
    """Mean and median per command over ROUNDS hyperfine runs (no shell in
    between) that take turns: on a shared machine, load that comes and goes
    then falls on every command alike, not on whichever ran during it."""
    times = [[] for _ in cmds]
    for _ in range(ROUNDS):
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            subprocess.run(["hyperfine", "-N", "-w", "3", "-r", str(max(runs // ROUNDS, 2)),
                            "--export-json", out.name] + [" ".join(c) for c in cmds],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            for acc, r in zip(times, json.load(open(out.name))["results"]):
                acc += r["times"]
    return [(statistics.mean(t), statistics.median(t)) for t in times]


def main():
    jsbox = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "build", "jsbox")
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    peers = [("jsbox", [jsbox, "-e", "1"]), ("jsbox --no-jail", [jsbox, "--no-jail", "-e", "1"])]
    for name in ("duk", "node"):
        if shutil.which(name):
            peers.append((name, [name, "-e", "1"]))
    peers.append(("/bin/true", ["/bin/true"]))
    if shutil.which("hyperfine"):
        how, times = "hyperfine", hyperfine([c for _, c in peers], runs)
    else:
        how, times = "timing loop", [loop(c, runs) for _, c in peers]
    results = dict(zip([n for n, _ in peers], times))
    # Ratios use medians: on a shared machine a few slow outliers move the means.
    base = results["jsbox"][1]
    print("%d runs each (%s)" % (runs, how))
    print("%-16s %9s %10s %9s" % ("command", "mean ms", "median ms", "median vs jsbox"))
    for name, (mean, med) in results.items():
        print("%-16s %9.3f %10.3f %8.2fx" % (name, mean * 1e3, med * 1e3, med / base))
    if "duk" in results:
        print("jsbox / duk  = %.2f (target: about 1)" % (base / results["duk"][1]))
    if "node" in results:
        print("node / jsbox = %.1f" % (results["node"][1] / base))


if __name__ == "__main__":
    main()
