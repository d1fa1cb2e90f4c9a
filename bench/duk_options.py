#!/usr/bin/env python3
"""Do the speed options in tools/duk_configure.py help?  Builds Duktape three
ways (jsbox's configuration, without DUK_USE_FASTINT, without
DUK_USE_JSON_STRINGIFY_FASTPATH) into a small harness, runs workloads each
variant should care about, prints median times and ratios.
Usage: bench/duk_options.py [DUKTAPE_DIR] [RUNS]"""
import os
import re
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
VARIANTS = [("jsbox", None), ("no fastint", "DUK_USE_FASTINT"),
            ("no stringify fast path", "DUK_USE_JSON_STRINGIFY_FASTPATH")]
WORKLOADS = {
    "integer loop": "var s = 0; for (var i = 0; i < 20000000; i++) { s = (s + i * 3) | 0; }",
    "array indexing": "var a = []; for (var i = 0; i < 1000000; i++) a[i] = i;"
                      " var t = 0; for (var k = 0; k < 5; k++) for (var i = 0; i < a.length; i++) t += a[i];",
    "JSON.stringify": "var o = []; for (var i = 0; i < 100000; i++) o.push({id: i, name: 'n' + i, v: [i, i / 2]});"
                      " for (var k = 0; k < 5; k++) JSON.stringify(o);",
    "JSON.parse": "var o = []; for (var i = 0; i < 100000; i++) o.push({id: i, name: 'n' + i, v: [i, i / 2]});"
                  " var t = JSON.stringify(o); for (var k = 0; k < 5; k++) JSON.parse(t);",
}


def build(tmp, name, without, duk_dir):
    out = os.path.join(tmp, re.sub(r"\W", "_", name))
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "duk_configure.py"), duk_dir, out], check=True)
    if without:
        cfg = os.path.join(out, "duk_config.h")
        text = open(cfg).read()
        text = re.sub(r"^#define %s\b.*$" % without, "#undef %s" % without, text, flags=re.M)
        open(cfg, "w").write(text)
    exe = os.path.join(out, "harness")
    # the patched duktape.c calls jsbox's own C (engine/confined/duk_patches.h)
    own = [os.path.join(ROOT, "engine", "confined", f) for f in sorted(os.listdir(os.path.join(ROOT, "engine", "confined")))
           if f.startswith("duk_") and f.endswith(".c")]
    own += [os.path.join(ROOT, "engine", "lib", f) for f in ("dtoa.c", "atod.c")]
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "dtoa_tables.py"), os.path.join(out, "dtoa_tables.h")],
                   check=True)
    subprocess.run(["cc", "-O2", "-w", "-I", out, "-I", ROOT, os.path.join(HERE, "duk_options.c"),
                    os.path.join(out, "duktape.c")] + own + ["-lm", "-o", exe], check=True)
    return exe


def main():
    duk_dir = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/duktape"
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    with tempfile.TemporaryDirectory() as tmp:
        exes = [(name, build(tmp, name, without, duk_dir)) for name, without in VARIANTS]
        print("%-16s %s" % ("workload", "  ".join("%22s" % n for n, _ in exes)))
        for wname, code in WORKLOADS.items():
            path = os.path.join(tmp, "w.js")
            open(path, "w").write("(function () { %s })();" % code)  # locals live in registers
            times = []
            for _, exe in exes:
                xs = [float(subprocess.run([exe, path], capture_output=True, text=True, check=True).stdout)
                      for _ in range(runs)]
                times.append(statistics.median(xs))
            base = times[0]
            print("%-16s %s" % (wname, "  ".join("%12.1f ms %5.2fx" % (t, t / base) for t in times)))


if __name__ == "__main__":
    main()
