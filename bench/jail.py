#!/usr/bin/env python3
"""Start-up cost of the jail: `jsbox -e 1` with the jail against
`jsbox --no-jail -e 1`, interleaved runs in the same process.  Target: the
jail adds under 0.3 ms.  Usage: bench/jail.py [JSBOX] [RUNS]"""
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def once(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main():
    jsbox = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "build", "jsbox")
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    jailed, free = [], []
    for _ in range(5):
        once([jsbox, "-e", "1"])
    for _ in range(runs):  # interleaved: machine noise hits both alike
        jailed.append(once([jsbox, "-e", "1"]))
        free.append(once([jsbox, "--no-jail", "-e", "1"]))
    j, f = statistics.median(jailed) * 1e3, statistics.median(free) * 1e3
    print("jsbox -e 1            median %.3f ms" % j)
    print("jsbox --no-jail -e 1  median %.3f ms" % f)
    print("jail adds %.3f ms (target: under 0.3 ms)" % (j - f))


if __name__ == "__main__":
    main()
