#!/usr/bin/env python3
"""jsbox serve against its peers, measured in the same run: trivial jobs
(`input.n * 2`) through the whole protocol over a pipe, one client keeping
2x --workers requests in flight.  Prints jobs per second and p50/p99
latency (send to reply) for:
  - jsbox serve (a fresh heap per job, jail and limits on)
  - jsbox forked per job (-e, the same number of jobs in flight)
  - node: vm.runInNewContext with a timeout per job (a fresh context)
  - node: one vm context reused, with a timeout per job
and the ratios the targets are stated in; the CPU time each server (and
its workers) spent per job, from the rusage of its process tree.  Also:
what a worker killed at its deadline costs the jobs beside it (the
standby takes its place; its replacement's own start time).
Usage: bench/serve.py [JSBOX] [JOBS] [WORKERS]"""
import json
import os
import select
import shutil
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))

NODE_SERVER = r"""
const vm = require('vm');
const readline = require('readline');
const fresh = process.argv[2] === 'fresh';
const shared = vm.createContext({});
const rl = readline.createInterface({input: process.stdin});
rl.on('line', (line) => {
  const req = JSON.parse(line);
  let reply;
  try {
    let out;
    if (fresh) {
      out = vm.runInNewContext(req.params.code, {input: req.params.input}, {timeout: 1000});
    } else {
      shared.input = req.params.input;
      out = vm.runInContext(req.params.code, shared, {timeout: 1000});
    }
    reply = {jsonrpc: '2.0', id: req.id, result: {status: 'ok', output: out}};
  } catch (e) {
    reply = {jsonrpc: '2.0', id: req.id, result: {status: 'error', error: String(e)}};
  }
  process.stdout.write(JSON.stringify(reply) + '\n');
});
"""


class Replies:
    """Reply lines from a server's stdout, as they come."""

    def __init__(self, fd):
        self.fd, self.buf = fd, b""

    def next(self):
        """Waits for output: when it came, and the whole lines in it, parsed."""
        select.select([self.fd], [], [])
        self.buf += os.read(self.fd, 1 << 20)
        lines = self.buf.split(b"\n")
        self.buf = lines.pop()
        return time.perf_counter(), [json.loads(line) for line in lines]


def tree_cpu(pid):
    """CPU seconds used so far by process pid and its descendants alive now
    (from /proc: workers in the jail are not reaped by the server, so the
    rusage of children would miss them)."""
    tick = os.sysconf("SC_CLK_TCK")
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for tid in os.listdir("/proc/%d/task" % p):
                with open("/proc/%d/task/%s/stat" % (p, tid)) as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])
                with open("/proc/%d/task/%s/children" % (p, tid)) as f:
                    todo += [int(c) for c in f.read().split()]
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total / tick


def pipe_server(cmd, jobs, in_flight, code="input.n * 2", cpu=None):
    """Runs jobs through a line-protocol server on a pipe, keeping in_flight
    requests outstanding; returns (jobs/s, latencies in ms, wrong answers).
    cpu, a list, gets the server's CPU seconds per job after the warm-up,
    its workers included."""
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = proc.stdout.fileno()
    sent_at, lat, wrong = {}, [], 0
    nxt = 0

    def send(i):
        msg = {"jsonrpc": "2.0", "id": i, "method": "execute", "params": {"code": code, "input": {"n": i}}}
        sent_at[i] = time.perf_counter()
        proc.stdin.write((json.dumps(msg) + "\n").encode())

    # warm-up: the workers start, node compiles
    for i in range(min(50, jobs)):
        send(-1 - i)
    proc.stdin.flush()
    replies, warm = Replies(out), 0
    while warm < min(50, jobs):
        warm += len(replies.next()[1])
    cpu0 = tree_cpu(proc.pid)
    start = time.perf_counter()
    while nxt < min(in_flight, jobs):
        send(nxt)
        nxt += 1
    proc.stdin.flush()
    done = 0
    while done < jobs:
        now, lines = replies.next()
        for r in lines:
            lat.append((now - sent_at.pop(r["id"])) * 1e3)
            if r.get("result", {}).get("output") != r["id"] * 2:
                wrong += 1
            done += 1
            if nxt < jobs:
                send(nxt)
                nxt += 1
        proc.stdin.flush()
    elapsed = time.perf_counter() - start
    if cpu is not None:
        cpu.append((tree_cpu(proc.pid) - cpu0) / jobs)
    proc.stdin.close()
    proc.wait()
    return jobs / elapsed, lat, wrong


def forked(jsbox, jobs, in_flight):
    """jsbox -e per job, in_flight at a time."""
    lat = []

    def one(i):
        t = time.perf_counter()
        r = subprocess.run([jsbox, "-n", "--argjson", "n", str(i), "-e", "n * 2"], capture_output=True)
        lat.append((time.perf_counter() - t) * 1e3)
        return r.stdout.strip() == str(i * 2).encode()

    start = time.perf_counter()
    with ThreadPoolExecutor(in_flight) as pool:
        ok = list(pool.map(one, range(jobs)))
    return jobs / (time.perf_counter() - start), lat, ok.count(False)


def pct(lat, p):
    s = sorted(lat)
    return s[min(len(s) - 1, int(p * len(s)))]


def deep_queue(jsbox, workers, n, extra=()):
    """n requests written at once, a third each at priorities 0, 1 and 2:
    jobs/s and the server's own CPU per job (the parent alone: the queue's
    cost grows with its depth if a step walks it)."""
    proc = subprocess.Popen([jsbox, "serve", "--quiet", "--workers", str(workers), "--max-queue", str(n)] + list(extra),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    data = "".join(json.dumps({"jsonrpc": "2.0", "id": i, "method": "execute",
                               "params": {"code": "input.n * 2", "input": {"n": i}, "priority": i % 3}}) + "\n"
                   for i in range(n)).encode()
    writer = threading.Thread(target=lambda: (proc.stdin.write(data), proc.stdin.flush()))
    tick = os.sysconf("SC_CLK_TCK")

    def own_cpu():
        with open("/proc/%d/stat" % proc.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick

    cpu0, start = own_cpu(), time.perf_counter()
    writer.start()
    got, out = 0, proc.stdout.fileno()
    while got < n:
        got += os.read(out, 1 << 20).count(b"\n")
    cpu1, elapsed = own_cpu(), time.perf_counter() - start
    writer.join()
    proc.stdin.close()
    proc.wait()
    return n / elapsed, (cpu1 - cpu0) / n


def replacement(jsbox, workers):
    """A job stuck in native code is killed at its deadline while trivial
    jobs flow beside it (2x workers in flight, until 2000 have come back
    after the kill): whether the standby took its place, the longest gap
    between replies after the kill, and how long the replacement took to be
    ready."""
    proc = subprocess.Popen([jsbox, "serve", "--log-format", "json", "--workers", str(workers), "--max-queue", "5000",
                             "--timeout", "100ms"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    out = proc.stdout.fileno()

    def send(i, code="input.n"):
        msg = {"jsonrpc": "2.0", "id": i, "method": "execute", "params": {"code": code, "input": {"n": i}}}
        proc.stdin.write((json.dumps(msg) + "\n").encode())
        proc.stdin.flush()

    send(0, "/(a+)+$/.test('a'.repeat(40) + 'b')")
    nxt, in_flight, replies, killed_at, gap, last, after = 1, 1, [], None, 0.0, None, 0
    while in_flight < 2 * workers:
        send(nxt)
        nxt, in_flight = nxt + 1, in_flight + 1
    reader = Replies(out)
    while in_flight:
        now, lines = reader.next()
        for r in lines:
            replies.append(r)
            in_flight -= 1
            if r["id"] == 0:
                killed_at = last = now
                after = len(replies)
            elif killed_at is not None:
                gap = max(gap, (now - last) * 1e3)
                last = now
            if killed_at is None or len(replies) - after < 2000:
                send(nxt)
                nxt, in_flight = nxt + 1, in_flight + 1
    proc.stdin.close()
    err = proc.stderr.read()
    proc.wait()
    killed = [r for r in replies if r["id"] == 0][0]["result"]
    ok = sum(1 for r in replies if r["id"] and r["result"]["status"] == "ok")
    log = [json.loads(l) for l in err.splitlines() if l.startswith(b"{")]
    restarts = [e.get("standby") for e in log if e["event"] == "worker.restart"]
    replaced = [e["replaced_ms"] for e in log if e["event"] == "worker.ready"]
    return killed["status"], ok, len(replies), restarts, replaced, gap


def replacement_alone(jsbox):
    """The same kill with nothing else running: the replacement's own cost."""
    proc = subprocess.Popen([jsbox, "serve", "--log-format", "json", "--workers", "1"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdin.write((json.dumps({"jsonrpc": "2.0", "id": 0, "method": "execute",
                                  "params": {"code": "/(a+)+$/.test('a'.repeat(40) + 'b')",
                                             "limits": {"timeout": "100ms"}}}) + "\n").encode())
    proc.stdin.flush()
    proc.stdout.readline()
    time.sleep(0.3)
    out, err = proc.communicate(b"", timeout=60)
    log = [json.loads(l) for l in err.splitlines() if l.startswith(b"{")]
    return [e["replaced_ms"] for e in log if e["event"] == "worker.ready"]


def main():
    jsbox = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "build", "jsbox")
    jobs = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    workers = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    in_flight = 2 * workers
    rows, cpu = [], {}
    serve_cmd = [jsbox, "serve", "--quiet", "--workers", str(workers), "--max-queue", str(4 * jobs)]
    cpu["jsbox serve"] = []
    rows.append(("jsbox serve (fresh heap per job)",) + pipe_server(serve_cmd, jobs, in_flight, cpu=cpu["jsbox serve"]))
    alone = pipe_server(serve_cmd, max(jobs // 5, 200), 1)
    rows.append(("jsbox forked per job",) + forked(jsbox, max(jobs // 10, 100), in_flight))
    node = shutil.which("node")
    if node:
        cpu["node vm, fresh context"], cpu["node vm, one context reused"] = [], []
        rows.append(("node vm, fresh context per job",) +
                    pipe_server([node, "-e", NODE_SERVER, "x", "fresh"], jobs, in_flight,
                                cpu=cpu["node vm, fresh context"]))
        rows.append(("node vm, one context reused",) +
                    pipe_server([node, "-e", NODE_SERVER, "x", "reuse"], jobs, in_flight,
                                cpu=cpu["node vm, one context reused"]))
    print("%d jobs, %d workers, %d in flight" % (jobs, workers, in_flight))
    print("%-34s %10s %9s %9s %6s" % ("", "jobs/s", "p50 ms", "p99 ms", "wrong"))
    for name, rate, lat, wrong in rows:
        print("%-34s %10.0f %9.3f %9.3f %6d" % (name, rate, pct(lat, 0.5), pct(lat, 0.99), wrong))
    base = rows[0]
    for name, rate, lat, _ in rows[1:]:
        print("jsbox serve vs %-30s throughput %.2fx, p50 %.2fx, p99 %.2fx" %
              (name + ":", base[1] / rate, pct(lat, 0.5) / pct(base[2], 0.5), pct(lat, 0.99) / pct(base[2], 0.99)))
    print("jsbox serve, one job at a time: p50 %.3f ms, p99 %.3f ms (round trip through the protocol)" %
          (pct(alone[1], 0.5), pct(alone[1], 0.99)))
    if node:
        nalone = pipe_server([node, "-e", NODE_SERVER, "x", "fresh"], max(jobs // 5, 200), 1)
        print("node vm fresh context, one job at a time: p50 %.3f ms, p99 %.3f ms (%.2fx jsbox's p50)" %
              (pct(nalone[1], 0.5), pct(nalone[1], 0.99), pct(nalone[1], 0.5) / pct(alone[1], 0.5)))
    # per-job cost: wall time per job per worker at full load (the client
    # shares the cores), and CPU time the server's process tree spent per job
    print("jsbox serve per-job cost (1/throughput x workers): %.1f us" % (1e6 * workers / base[1]))
    mine = cpu["jsbox serve"][0]
    print("CPU per job, server and workers together: jsbox serve %.1f us" % (1e6 * mine) +
          "".join(", %s %.1f us (%.2fx jsbox's)" % (k, 1e6 * v[0], v[0] / mine)
                  for k, v in cpu.items() if k != "jsbox serve"))
    for extra in ((), ("--queue-timeout", "60s")):
        rate, own = deep_queue(jsbox, workers, 20000, extra)
        print("20000 requests at once%s: %.0f jobs/s, the server's own CPU %.1f us per job" %
              (" (" + " ".join(extra) + ")" if extra else "", rate, 1e6 * own))
    status, ok, n, restarts, replaced, gap = replacement(jsbox, workers)
    print("a job killed in native code: %s; %d of the jobs beside it ok, %d replies; "
          "its place taken by the standby: %s; longest wait for a reply after the kill %.2f ms; "
          "replacement ready in %s ms (kill to ready)" %
          (status, ok, n, ", ".join(str(r) for r in restarts), gap, ", ".join("%.2f" % r for r in replaced)))
    alone = [r for _ in range(5) for r in replacement_alone(jsbox)]
    print("the same kill with nothing beside it, 5 times: replacement ready in %s ms" %
          ", ".join("%.2f" % r for r in alone))


if __name__ == "__main__":
    main()
