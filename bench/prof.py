#!/usr/bin/env python3
"""What --prof costs: CPU time of the same CPU-bound scripts with and
without it, alternating runs so machine load hits both alike.  The cost
when off is a pointer test in the exec-timeout hook (every 16k bytecodes).
Usage: bench/prof.py BUILD_DIR [RUNS] [OTHER_BUILD_DIR]
With OTHER_BUILD_DIR (a build without --prof), also compares "off" with it.
"""
import json
import os
import subprocess
import sys

SCRIPTS = {
    "calls (fib)": "function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); } fib(25)",
    "loop": "var s = 0; for (var i = 0; i < 1e6; i++) s += i % 7; s",
    "deep stack": "function d(n) { if (n) return d(n - 1); for (var i = 0; i < 4e6; i++); } d(200)",
}


def cpu(jsbox, flags, code):
    """The evaluator's CPU seconds, as --stats reports them."""
    res = subprocess.run([jsbox, "--timeout", "60s", "--stats", *flags, "-e", code], check=True,
                         capture_output=True, text=True)
    return json.loads(res.stderr.splitlines()[-1])["cpu_ms"] / 1e3


def main():
    jsbox = os.path.join(sys.argv[1] if len(sys.argv) > 1 else "build", "jsbox")
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    other = os.path.join(sys.argv[3], "jsbox") if len(sys.argv) > 3 else None
    print("%-12s %12s %12s %8s %12s %8s" % ("", "off (med)", "--prof (med)", "ratio",
                                           "other (med)", "off/other"))
    for name, code in SCRIPTS.items():
        off, on, base = [], [], []
        for _ in range(runs):
            off.append(cpu(jsbox, [], code))
            on.append(cpu(jsbox, ["--prof"], code))
            if other:
                base.append(cpu(other, [], code))
        a, b = sorted(off)[runs // 2], sorted(on)[runs // 2]
        c = sorted(base)[runs // 2] if other else float("nan")
        print("%-12s %9.1f ms %9.1f ms %7.3fx %9.1f ms %7.3fx" % (
            name, a * 1e3, b * 1e3, b / a, c * 1e3, a / c))


if __name__ == "__main__":
    main()
