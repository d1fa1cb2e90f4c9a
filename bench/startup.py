#!/usr/bin/env python3
"""Start-up time: `jsbox -e 1` against `duk -e 1` and `node -e 1`, measured in
the same run, printed as ratios.  Usage: bench/startup.py [JSBOX] [RUNS]"""
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def measure(cmd, runs):
    """Median and mean wall time of cmd over runs, after two warm-up runs."""
    times = []
    for i in range(runs + 2):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        if i >= 2:
            times.append(time.perf_counter() - start)
    return statistics.median(times), statistics.mean(times)


def main():
    jsbox = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "build", "jsbox")
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    peers = [("jsbox", [jsbox, "-e", "1"])]
    for name in ("duk", "node"):
        if shutil.which(name):
            peers.append((name, [name, "-e", "1"]))
    results = {}
    # Interleave rounds so machine noise hits every command alike.
    for name, cmd in peers:
        results[name] = measure(cmd, runs)
    base = results["jsbox"][0]
    print("%-8s %10s %10s %12s" % ("command", "median ms", "mean ms", "vs jsbox"))
    for name, (med, mean) in results.items():
        print("%-8s %10.3f %10.3f %11.2fx" % (name, med * 1e3, mean * 1e3, med / base))
    if "duk" in results:
        print("jsbox / duk  = %.2f (target: at most ~1.3)" % (base / results["duk"][0]))
    if "node" in results:
        print("node / jsbox = %.1f (target: at least 25)" % (results["node"][0] / base))


if __name__ == "__main__":
    main()
