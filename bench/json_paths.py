#!/usr/bin/env python3
"""cJSON or Duktape's own JSON, each direction: JSON text to Duktape values
(jsbox's direct decoder, Duktape's JSON.parse, cJSON's parser plus a walk
that pushes its tree) and values to text (Duktape's JSON.stringify with
its fast path, a walk that builds a cJSON tree plus cJSON's printer), over
the records bench/pipeline.py generates.  Prints best times and ratios to
the route jsbox uses.  Usage: bench/json_paths.py [BUILD_DIR] [RECORDS] [RUNS]"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import pipeline  # noqa: E402  (its generator, so both use the same records)


def main():
    build = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build"))
    records = int(sys.argv[2]) if len(sys.argv) > 2 else 200000
    runs = sys.argv[3] if len(sys.argv) > 3 else "3"
    data = os.path.join(pipeline.DATA, "records-%d.ndjson" % records)
    if not os.path.exists(data):
        os.makedirs(pipeline.DATA, exist_ok=True)
        pipeline.generate(data, records)
    with tempfile.TemporaryDirectory() as tmp:
        exe = os.path.join(tmp, "json_paths")
        subprocess.run(["cc", "-O2", "-std=gnu11", "-D_GNU_SOURCE", "-I" + build, "-I" + ROOT,
                        "-I/usr/include/cjson", os.path.join(HERE, "json_paths.c"), "-o", exe,
                        os.path.join(build, "libjsbox.a"), os.path.join(build, "libduktape.a"),
                        os.path.join(build, "libjsbox.a"), "-lcjson", "-lm"], check=True)
        out = subprocess.run([exe, data, runs], capture_output=True, text=True, check=True).stdout
    rows = [line.split("\t") for line in out.splitlines()]
    base = {"decode": float(rows[0][1]), "encode": float(rows[3][1])}
    print("%d records, best of %s runs" % (records, runs))
    print("%-34s %9s %12s %s" % ("route", "time s", "vs jsbox's", "output bytes"))
    for name, t, nbytes in rows:
        print("%-34s %9.3f %11.2fx %s" % (name, float(t), float(t) / base[name.split(":")[0]],
                                          nbytes if nbytes != "0" else ""))


if __name__ == "__main__":
    main()
