#!/bin/sh
# Start-up of plain ES5 and modern snippets: jsbox against duk and node,
# measured in the same run with hyperfine.  Usage: bench/modern.sh BUILD_DIR
set -eu
jsbox="$(cd "${1:-build}" && pwd)/jsbox"
cache=$(mktemp -d)
trap 'rm -rf "$cache" "$cache.json"' EXIT
es5='[1, 2, 3].map(function (x) { return x * 2; })'
modern='[1, 2, 3].map(x => x * 2)'
XDG_CACHE_HOME=$cache "$jsbox" -e "$modern" >/dev/null   # fill the cache
XDG_CACHE_HOME=$cache hyperfine -N --warmup 5 --runs 40 --export-json "$cache.json" \
	-n "jsbox ES5" "$jsbox -e '$es5'" \
	-n "jsbox modern, first run" "$jsbox --no-cache -e '$modern'" \
	-n "jsbox modern, cached" "$jsbox -e '$modern'" \
	-n "duk ES5" "duk -e 'print($es5)'" \
	-n "node modern" "node -e 'console.log($modern)'" >/dev/null
python3 - "$cache.json" <<'PY'
import json, sys
# Wall time suffers from other load on the machine; CPU time (user+system,
# the evaluator included) much less.
res = json.load(open(sys.argv[1]))["results"]
wall = {x["command"]: x["median"] * 1000 for x in res}
cpu = {x["command"]: (x["user"] + x["system"]) * 1000 for x in res}
print("%-26s %10s %8s %10s %8s" % ("", "wall (med)", "ratio", "cpu (mean)", "ratio"))
for name in wall:
    print("%-26s %7.2f ms %7.2fx %7.2f ms %7.2fx" % (name, wall[name], wall[name] / wall["jsbox ES5"],
                                                   cpu[name], cpu[name] / cpu["jsbox ES5"]))
PY
