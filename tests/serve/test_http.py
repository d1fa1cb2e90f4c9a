"""jsbox serve --http: every endpoint and status code with real clients
(http.client and curl), the Prometheus output through a real parser,
auth, drain, and a soak with hostile jobs and clients that hang up."""
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

from jsbox_test import JSBOX, run, skip
from serve_client import Server, start_activated

SERIAL = True  # servers on loopback ports, load tests


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Http:
    def __init__(self, *args, token=None, env=None):
        self.port = free_port()
        extra = []
        if token:
            fd, self.token_file = tempfile.mkstemp()
            os.write(fd, (token + "\n").encode())
            os.close(fd)
            extra = ["--auth-token-file", self.token_file]
        self.server = Server("--quiet", "--http", "127.0.0.1:%d" % self.port, *extra, *args, stdio=False, env=env)
        self.token = token
        for _ in range(500):
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.1).close()
                break
            except OSError:
                assert self.server.proc.poll() is None, self.server.err
                time.sleep(0.01)

    def conn(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def request(self, method, path, body=None, headers=None, conn=None, raw=False):
        c = conn or self.conn()
        h = {"Content-Type": "application/json"}
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        h.update(headers or {})
        data = body if isinstance(body, (bytes, str)) or body is None else json.dumps(body)
        c.request(method, path, body=data, headers=h)
        r = c.getresponse()
        payload = r.read()
        if not conn:
            c.close()
        return r.status, dict(r.getheaders()), payload if raw else (json.loads(payload) if payload else None)

    def stop(self):
        self.server.proc.send_signal(signal.SIGTERM)
        code = self.server.proc.wait(20)
        return code


def test_execute_and_every_status_is_200():
    h = Http("--workers", "2", "--timeout", "2s", "--memory-limit", "8M", "--max-output", "1k")
    try:
        st, hdr, r = h.request("POST", "/v1/execute", {"code": "return input.n*2", "input": {"n": 21}})
        assert st == 200 and r["status"] == "ok" and r["output"] == 42, (st, r)
        assert hdr["Content-Type"] == "application/json"
        for code, status in (("null.x", "error"), ("for (;;) {}", "timeout"), ("'x'.repeat(1 << 28).length", "memory"),
                             ("for (var i = 0; i < 999; i++) console.log('xxxxxxxxxx')", "output_limit"),
                             ("eval('1')", "violation")):
            params = {"code": code}
            if status == "timeout":
                params["limits"] = {"timeout": "100ms"}
            st, _, r = h.request("POST", "/v1/execute", params)
            assert st == 200 and r["status"] == status, (code, st, r)
    finally:
        assert h.stop() == 0


def test_client_errors():
    h = Http("--workers", "1", "--memory-limit", "8M", "--max-request", "64k")
    try:
        assert h.request("POST", "/v1/execute", "{not json")[0] == 400
        st, _, r = h.request("POST", "/v1/execute", {"code": 5})
        assert st == 400 and "code" in r["error"]["message"], r
        st, _, r = h.request("POST", "/v1/execute", {"code": "1", "limits": {"memory": "1G"}})
        assert st == 400 and "limits.memory" in r["error"]["message"], r
        st, _, r = h.request("POST", "/v1/execute", {"code": "1"}, headers={"Content-Type": "text/plain"})
        assert st == 415, (st, r)
        st, _, r = h.request("POST", "/v1/execute", {"code": "1", "input": "x" * 70000})
        assert st == 413, (st, r)
        assert h.request("GET", "/v1/execute")[0] == 405
        assert h.request("GET", "/nope")[0] == 404
        st, _, r = h.request("POST", "/v1/execute/batch", {"jobs": [{"code": "1"}] * 21})
        assert st == 400 and "20" in r["error"]["message"], r
        st, _, r = h.request("POST", "/v1/execute/batch", {"jobs": [{"code": "1"}, {"code": 5}, {"code": "2+2"}]})
        assert st == 200 and r[0]["output"] == 1 and r[1]["error"]["code"] == -32602 and r[2]["output"] == 4, r
        # the keep-alive connection survives an error
        c = h.conn()
        assert h.request("POST", "/v1/execute", "{bad", conn=c)[0] == 400
        assert h.request("POST", "/v1/execute", {"code": "7"}, conn=c)[2]["output"] == 7
        c.close()
    finally:
        h.stop()


def test_sessions_health_and_readiness():
    h = Http("--workers", "1", "--max-sessions", "1")
    try:
        assert h.request("GET", "/healthz") == (200, h.request("GET", "/healthz")[1], {"ok": True})
        for _ in range(500):  # 503 until a worker has started
            st, _, r = h.request("GET", "/readyz")
            if st == 200:
                break
            assert st == 503 and r["workers"]["starting"] == 1, (st, r)
            time.sleep(0.02)
        assert st == 200 and r["workers"]["total"] == 1, r
        st, _, s = h.request("POST", "/v1/sessions")
        assert st == 201 and s["session"].startswith("s-"), (st, s)
        sid = s["session"]
        path = "/v1/sessions/%s/execute" % sid
        assert h.request("POST", path, {"code": "var n = 40; n"})[2]["output"] == 40
        assert h.request("POST", path, {"code": "n + 2"})[2]["output"] == 42
        st, _, info = h.request("GET", "/v1/sessions/" + sid)
        assert st == 200 and info["runs"] == 2, info
        assert h.request("POST", "/v1/sessions")[0] == 503  # --max-sessions 1
        assert h.request("DELETE", "/v1/sessions/" + sid)[0] == 200
        assert h.request("GET", "/v1/sessions/" + sid)[0] == 404
        assert h.request("POST", "/v1/sessions/nope/execute", {"code": "1"})[0] == 404
    finally:
        h.stop()


def test_auth_token():
    h = Http("--workers", "1", token="0123456789abcdef-secret")
    try:
        assert h.request("POST", "/v1/execute", {"code": "1"})[2]["output"] == 1
        for auth in ("", "Bearer wrong", "Bearer 0123456789abcdef-secreT", "Basic abc"):
            c = h.conn()
            c.request("POST", "/v1/execute", body='{"code":"1"}',
                      headers={"Content-Type": "application/json", **({"Authorization": auth} if auth else {})})
            r = c.getresponse()
            assert r.status == 401 and r.getheader("WWW-Authenticate") == "Bearer", (auth, r.status)
            c.close()
        c = h.conn()
        c.request("GET", "/healthz")
        assert c.getresponse().status == 200  # probes need no token
    finally:
        h.stop()


def test_listening_beyond_loopback_needs_a_token():
    res = run("serve", "--http", "0.0.0.0:%d" % free_port(), timeout=10)
    assert res.code == 2 and "--auth-token-file" in res.err and len(res.err.splitlines()) == 1, res
    res = run("serve", "--http", "nonsense", timeout=10)
    assert res.code == 2 and "HOST:PORT" in res.err, res


def test_rate_limit_queue_full_and_queue_timeout():
    h = Http("--workers", "1", "--rate-limit", "2", "--timeout", "5s")
    try:
        codes = [h.request("POST", "/v1/execute", {"code": "1"}) for _ in range(6)]
        limited = [c for c in codes if c[0] == 429]
        assert limited and all(c[1].get("Retry-After") == "1" for c in limited), codes
    finally:
        h.stop()
    h = Http("--workers", "1", "--max-queue", "1", "--queue-timeout", "150ms", "--timeout", "5s")
    try:
        slow = {"code": "var t = Date.now(); while (Date.now() - t < 600); 1"}
        results = []
        threads = [threading.Thread(target=lambda: results.append(h.request("POST", "/v1/execute", slow)[0]))
                   for _ in range(4)]
        for t in threads:
            t.start()
            time.sleep(0.05)
        for t in threads:
            t.join(30)
        assert sorted(results) == [200, 408, 503, 503], results
    finally:
        h.stop()


def parse_prometheus(text):
    try:
        from prometheus_client.parser import text_string_to_metric_families
    except ImportError:
        sys.path.append("/usr/lib/python3/dist-packages")
        try:
            from prometheus_client.parser import text_string_to_metric_families
        except ImportError:
            skip("python3-prometheus-client is not installed")
    return {f.name: f for f in text_string_to_metric_families(text)}


def test_prometheus_metrics_agree_with_the_metrics_call():
    sock = os.path.join(tempfile.mkdtemp(), "rpc.sock")
    h = Http("--workers", "2", "--listen", "unix:" + sock)
    try:
        for code in ("1", "2", "null.x", "eval('1')"):
            h.request("POST", "/v1/execute", {"code": code})
        h.request("POST", "/v1/execute", "{bad")
        st, hdr, body = h.request("GET", "/metrics", raw=True)
        assert st == 200 and hdr["Content-Type"].startswith("text/plain; version=0.0.4"), hdr
        fams = parse_prometheus(body.decode())
        jobs = {s.labels["status"]: s.value for s in fams["jsbox_jobs"].samples}
        assert jobs["ok"] == 2 and jobs["error"] == 1 and jobs["violation"] == 1, jobs
        dur = fams["jsbox_job_duration_seconds"]
        assert dur.type == "histogram"
        count = [s.value for s in dur.samples if s.name.endswith("_count")][0]
        assert count == 4, dur.samples  # eval is refused in the worker, so it ran
        buckets = [s for s in dur.samples if s.name.endswith("_bucket")]
        assert buckets[-1].labels["le"] == "+Inf" and buckets[-1].value == count
        assert all(a.value <= b.value for a, b in zip(buckets, buckets[1:]))
        assert {s.labels["state"] for s in fams["jsbox_workers"].samples} == {"busy", "idle", "starting", "standby"}
        rejected = {s.labels["reason"]: s.value for s in fams["jsbox_rejected"].samples}
        assert rejected["invalid"] >= 1, rejected
        viol = {s.labels["kind"]: s.value for s in fams["jsbox_violations"].samples}
        assert viol["eval"] == 1, viol
        # the same figures as the JSON-RPC metrics call on the same server
        from serve_client import SocketClient
        c = SocketClient(sock)
        c.send("metrics")
        m = c.read()["result"]
        c.close()
        assert {k: m["jobs"][k] for k in jobs} == jobs, (m["jobs"], jobs)
        assert m["time_ms"]["count"] == count and m["rejected"] == rejected and m["violations"] == viol, m
    finally:
        h.stop()


def test_curl():
    if not shutil.which("curl"):
        skip("curl is not installed")
    h = Http("--workers", "1")
    try:
        out = subprocess.run(["curl", "-sS", "-H", "Content-Type: application/json", "-d",
                              '{"code":"input.map(function (x) { return x * 2 })","input":[1,2,3]}',
                              "http://127.0.0.1:%d/v1/execute" % h.port], capture_output=True, text=True, timeout=30)
        assert json.loads(out.stdout)["output"] == [2, 4, 6], out
        out = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "DELETE",
                              "http://127.0.0.1:%d/v1/execute" % h.port], capture_output=True, text=True, timeout=30)
        assert out.stdout == "405", out
    finally:
        h.stop()


def test_drain_on_sigterm_answers_or_refuses_every_request():
    h = Http("--workers", "1", "--timeout", "5s")
    results = []

    def one(i):
        try:
            results.append(h.request("POST", "/v1/execute",
                                     {"code": "var t = Date.now(); while (Date.now() - t < 200); %d" % i})[0])
        except (OSError, http.client.HTTPException) as e:
            results.append(type(e).__name__)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(5)]
    for t in threads:
        t.start()
    time.sleep(0.3)
    h.server.proc.send_signal(signal.SIGTERM)
    for t in threads:
        t.join(30)
    assert h.server.proc.wait(20) == 0
    assert len(results) == 5 and 200 in results, results
    assert set(results) <= {200, 503}, results


def test_a_client_that_hangs_up_cancels_its_queued_job():
    h = Http("--workers", "1", "--timeout", "5s")
    try:
        c = h.conn()
        c.request("POST", "/v1/execute", body=json.dumps({"code": "var t = Date.now(); while (Date.now() - t < 500); 1"}),
                  headers={"Content-Type": "application/json"})
        time.sleep(0.1)
        for _ in range(5):  # queued behind it, then gone
            s = socket.create_connection(("127.0.0.1", h.port))
            body = b'{"code":"2"}'
            s.sendall(b"POST /v1/execute HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
            time.sleep(0.05)
            s.close()
        assert json.loads(c.getresponse().read())["output"] == 1
        time.sleep(0.3)
        m = h.request("GET", "/readyz")[2]
        assert m["queue"]["depth"] == 0, m
        st, _, body = h.request("GET", "/metrics", raw=True)
        ok = [l for l in body.decode().splitlines() if l.startswith('jsbox_jobs_total{status="ok"}')]
        assert ok == ['jsbox_jobs_total{status="ok"} 1'], ok  # the five never ran
    finally:
        h.stop()


def rss_kib(pid):
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])


def fds(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


BODIES = []
for i in range(50):
    if i == 7:
        BODIES.append(({"code": "for (;;) {}", "limits": {"timeout": "50ms"}}, "timeout"))
    elif i == 19:
        BODIES.append(({"code": "'x'.repeat(1 << 26).length"}, "memory"))
    elif i == 31:
        BODIES.append(({"code": "eval(1)"}, "violation"))
    elif i == 43:
        BODIES.append(('{"code":', 400))
    else:
        BODIES.append(({"code": "input.n * 2", "input": {"n": i}}, i * 2))


def soak_client(args):
    """One keep-alive connection sending n requests; checks every answer."""
    port, n, offset = args
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    bad = []
    for k in range(n):
        body, want = BODIES[(offset + k) % 50]
        c.request("POST", "/v1/execute", body=body if isinstance(body, str) else json.dumps(body),
                  headers={"Content-Type": "application/json"})
        r = c.getresponse()
        payload = r.read()
        if want == 400:
            ok = r.status == 400
        else:
            got = json.loads(payload) if r.status == 200 else {}
            ok = got.get("output") == want if isinstance(want, int) else got.get("status") == want
        if not ok:
            bad.append((r.status, payload[:200]))
    c.close()
    return n, bad


def test_soak_memory_and_descriptors_stay_flat():
    import multiprocessing
    # 100,000 requests; a sanitizer build (ASAN_OPTIONS set) is some 20x
    # slower per job and soaks 10,000.
    total = int(os.environ.get("JSBOX_SOAK_REQUESTS", "10000" if "ASAN_OPTIONS" in os.environ else "100000"))
    env = None
    if "ASAN_OPTIONS" in os.environ:  # freed memory held in quarantine would look like growth
        env = {"ASAN_OPTIONS": os.environ["ASAN_OPTIONS"] + ":quarantine_size_mb=0"}
    h = Http("--workers", "2", "--memory-limit", "4M", "--max-queue", "100000", "--timeout", "5s", env=env)
    pid = h.server.proc.pid

    def load(n, clients=8):
        ctx = multiprocessing.get_context("fork")
        results = ctx.Queue()
        procs = [ctx.Process(target=lambda i=i: results.put(soak_client((h.port, n // clients, i * 7))))
                 for i in range(clients)]
        for p in procs:
            p.start()
        done = [results.get(timeout=900) for _ in procs]
        for p in procs:
            p.join(60)
        bad = [b for _, bs in done for b in bs]
        assert not bad, bad[:5]
        return sum(k for k, _ in done)

    def hang_ups(n):
        for _ in range(n):
            s = socket.create_connection(("127.0.0.1", h.port))
            body = b'{"code":"for (;;) {}","limits":{"timeout":"1s"}}'
            s.sendall(b"POST /v1/execute HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
            s.close()

    def settled():
        """The descriptors once the hung-up jobs have ended and the count
        holds still (a loaded machine closes connections late)."""
        last, deadline = None, time.monotonic() + 30
        while time.monotonic() < deadline:
            time.sleep(0.3)
            st, _, r = h.request("GET", "/readyz")
            now = fds(pid)
            if st == 200 and r["workers"]["busy"] == 0 and r["queue"]["depth"] == 0 and now == last:
                return now
            last = now
        return last

    try:
        fds_before = settled()
        sent = load(total // 10)
        hang_ups(20)
        fds_warm, rss_warm = settled(), rss_kib(pid)
        sent += load(total - total // 10)
        hang_ups(20)
        fds_end, rss_end = settled(), rss_kib(pid)
        st, _, m = h.request("GET", "/readyz")
        assert st == 200 and m["queue"]["depth"] == 0, m
        # memory flat after warm-up (an allowance for allocator noise, not growth)
        assert rss_end - rss_warm < 4096, (rss_warm, rss_end)
        assert fds_end <= fds_warm + 2 and fds_warm <= fds_before + 4, (fds_before, fds_warm, fds_end)
        st, _, body = h.request("GET", "/metrics", raw=True)
        text = body.decode()
        answered = sum(float(l.split()[-1]) for l in text.splitlines() if l.startswith("jsbox_jobs_total{"))
        invalid = [float(l.split()[-1]) for l in text.splitlines() if l.startswith('jsbox_rejected_total{reason="invalid"}')][0]
        # each request was answered once: the jobs the server counts are the
        # ones the clients sent (the hung-up ones never ran, or ran unanswered)
        assert sent <= answered + invalid <= sent + 40, (sent, answered, invalid)
    finally:
        assert h.stop() == 0


def test_systemd_socket_activation_serves_http():
    lsock = socket.socket()
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(16)
    port = lsock.getsockname()[1]
    proc = start_activated(lsock, "--quiet", "--workers", "1", "--http", "127.0.0.1:1")
    lsock.close()
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        c.request("POST", "/v1/execute", body='{"code":"\'activated\'"}', headers={"Content-Type": "application/json"})
        assert json.loads(c.getresponse().read())["output"] == "activated"
        c.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 0, proc.stderr.read()
