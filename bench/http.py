#!/usr/bin/env python3
"""jsbox serve --http against node http servers, measured in the same run,
on loopback, bounded in time: trivial jobs (`input.n * 2`) with keep-alive
from wrk.  Prints requests per second and p50/p99 latency for:
  - jsbox serve --http (a fresh heap per job, jail and limits on)
  - node http + vm.runInNewContext with a timeout (a fresh context per job)
  - node http + one vm context reused, with a timeout
and the ratios the targets are stated in.  wrk is checked not to be the
bottleneck: it also loads a node server that only answers, with no job.
Also "scale": one server with 2 workers against two servers with 1 worker
each loaded at once (the same machine, so it shows the cost of running
several instances, not more capacity).
Usage: bench/http.py [JSBOX] [SECONDS] [WORKERS]"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))

NODE = r"""
const http = require('http'), vm = require('vm');
const mode = process.argv[2], port = +process.argv[3];
const shared = vm.createContext({});
http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => { body += d; });
  req.on('end', () => {
    let out;
    if (mode === 'none') {
      out = {status: 'ok', output: null};
    } else {
      const p = JSON.parse(body);
      try {
        let v;
        if (mode === 'fresh') v = vm.runInNewContext(p.code, {input: p.input}, {timeout: 1000});
        else { shared.input = p.input; v = vm.runInContext(p.code, shared, {timeout: 1000}); }
        out = {status: 'ok', output: v};
      } catch (e) { out = {status: 'error', error: String(e)}; }
    }
    res.writeHead(200, {'Content-Type': 'application/json'});
    res.end(JSON.stringify(out));
  });
}).listen(port, '127.0.0.1');
"""

LUA = """
wrk.method = "POST"
wrk.body = '{"code":"input.n * 2","input":{"n":21}}'
wrk.headers["Content-Type"] = "application/json"
"""


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def wait_port(port):
    for _ in range(500):
        try:
            socket.create_connection(("127.0.0.1", port), 0.1).close()
            return
        except OSError:
            time.sleep(0.01)
    raise SystemExit("nothing listens on %d" % port)


def unit_ms(v, u):
    return float(v) * {"us": 1e-3, "ms": 1, "s": 1e3}[u]


def wrk(port, seconds, conns, script):
    out = subprocess.run(["wrk", "-t2", "-c%d" % conns, "-d%ds" % seconds, "--latency", "-s", script,
                          "http://127.0.0.1:%d/v1/execute" % port], capture_output=True, text=True,
                         timeout=seconds + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = {p: unit_ms(v, u) for p, v, u in re.findall(r"\s(50|99)%\s+([\d.]+)(us|ms|s)\b", out)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, lat.get("50"), lat.get("99"), int(errors.group(1)) if errors else 0


def main():
    jsbox = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "build", "jsbox")
    seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    workers = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    if not shutil.which("wrk"):
        raise SystemExit("bench/http.py needs wrk (Debian: wrk)")
    conns = 2 * workers
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write(LUA)
    script.close()
    rows, procs = [], []

    def start(cmd, port):
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(p)
        wait_port(port)
        return p

    def stop(p):
        p.terminate()
        p.wait()

    try:
        port = free_port()
        p = start([jsbox, "serve", "--quiet", "--workers", str(workers), "--max-queue", "100000",
                   "--http", "127.0.0.1:%d" % port], port)
        rows.append(("jsbox serve --http",) + wrk(port, seconds, conns, script.name))
        stop(p)
        node = shutil.which("node")
        if node:
            for mode, name in (("fresh", "node http + vm, fresh context"), ("reuse", "node http + vm, one context"),
                               ("none", "node http, no job (wrk's headroom)")):
                port = free_port()
                p = start([node, "-e", NODE, "x", mode, str(port)], port)
                rows.append((name,) + wrk(port, seconds, conns, script.name))
                stop(p)
        print("%d s each, %d connections, %d workers" % (seconds, conns, workers))
        print("%-38s %10s %9s %9s %7s" % ("", "req/s", "p50 ms", "p99 ms", "non-2xx"))
        for name, rps, p50, p99, err in rows:
            print("%-38s %10.0f %9.3f %9.3f %7d" % (name, rps, p50, p99, err))
        base = rows[0]
        for name, rps, p50, p99, _ in rows[1:3]:
            print("jsbox vs %-32s throughput %.2fx, p50 %.2fx, p99 %.2fx (p99: above 1 is better)" %
                  (name + ":", base[1] / rps, p50 / base[2], p99 / base[3]))
        # scale: one server with N workers against two with N/2 each, loaded at once
        if workers >= 2:
            ports = [free_port(), free_port()]
            ps = [start([jsbox, "serve", "--quiet", "--workers", str(workers // 2), "--max-queue", "100000",
                         "--http", "127.0.0.1:%d" % pt], pt) for pt in ports]
            runs = [subprocess.Popen(["wrk", "-t1", "-c%d" % (conns // 2), "-d%ds" % seconds, "-s", script.name,
                                      "http://127.0.0.1:%d/v1/execute" % pt], stdout=subprocess.PIPE, text=True)
                    for pt in ports]
            total = sum(float(re.search(r"Requests/sec:\s+([\d.]+)", r.communicate()[0]).group(1)) for r in runs)
            for p in ps:
                stop(p)
            print("two servers x %d workers: %.0f req/s together (one server x %d: %.0f)" %
                  (workers // 2, total, workers, base[1]))
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
        os.unlink(script.name)


if __name__ == "__main__":
    main()
