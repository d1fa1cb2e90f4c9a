#!/usr/bin/env python3
"""Memory overshoot: peak RSS of the evaluator minus the memory limit, for
allocation-bomb scripts, at several limits.  The evaluator's RSS also holds
the binary and libraries: the idle RSS of `jsbox -e 1` is printed too, and
the overshoot is given both raw and above that baseline.
Usage: bench/memory.py [JSBOX]"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BOMBS = [
    ("objects", "var a = []; for (;;) a.push({x: a.length})"),
    ("strings", "var a = []; for (;;) a.push('s' + a.length + 'padding-padding')"),
    ("doubling", "var s = 'x'; for (;;) s = s + s"),
    ("typed arrays", "var a = []; for (;;) a.push(new Uint8Array(65536))"),
    ("catch and go on", "var a = []; try { for (;;) a.push([a.length]) } catch (e) { a = null }"
                        " var b = []; for (;;) b.push(1)"),
]


def peak_kib(cmd):
    """Peak RSS of the evaluator process, as --stats reports it (from wait4)."""
    out = subprocess.run(cmd[:1] + ["--stats"] + cmd[1:], capture_output=True, text=True)
    return json.loads(out.stderr.splitlines()[-1])["rss_peak_kib"]


def main():
    jsbox = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "build", "jsbox")
    idle = peak_kib([jsbox, "-e", "1"])
    print("idle evaluator (jsbox -e 1): %.1f MiB peak RSS" % (idle / 1024))
    print("%-16s %6s %12s %12s %14s" % ("bomb", "limit", "peak RSS", "over limit", "over limit+idle"))
    for limit_mib in (16, 64):
        for name, code in BOMBS:
            peak = peak_kib([jsbox, "--timeout", "10s", "--memory-limit", "%dM" % limit_mib, "-e", code])
            over = peak / 1024 - limit_mib
            print("%-16s %4dM %9.1f MiB %9.1f MiB %11.1f MiB" % (name, limit_mib, peak / 1024, over,
                                                                 over - idle / 1024))


if __name__ == "__main__":
    main()
