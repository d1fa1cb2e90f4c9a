"""jsbox serve: the JSON-RPC protocol on stdin/stdout, every status, the
ceilings, isolation between jobs, workers replaced after kills."""
import json
import os
import signal
import time

from jsbox_test import JSBOX, run
from serve_client import Server

HOOKS = os.path.join(os.environ.get("JSBOX_BUILD", ""), "tests", "jsbox-hooks")


def serve(*args, **kw):
    return Server("--quiet", *args, **kw)


def wait_idle(s, n):
    """Until n workers have started."""
    for _ in range(200):
        if s.call("status")["result"]["workers"]["idle"] >= n:
            return
        time.sleep(0.02)
    raise AssertionError("workers did not start")


def test_the_example_in_the_issue():
    s = serve("--workers", "2")
    try:
        r = s.execute("return input.n*2", input={"n": 21})
        assert r["status"] == "ok" and r["output"] == 42 and r["console"] == [], r
        for key in ("time_ms", "cpu_ms", "memory_peak", "queue_ms"):
            assert isinstance(r[key], (int, float)) and r[key] >= 0, (key, r)
        assert r["cpu_ms"] < 1000 and r["memory_peak"] > 10000, r
    finally:
        assert s.close() == 0


def test_every_status():
    s = serve("--workers", "2", "--timeout", "1s", "--memory-limit", "8M", "--max-output", "1k")
    try:
        cases = [
            ("console.log('a'); 1+1", "ok", None),
            ("console.log('before'); null.x", "error", "TypeError"),
            ("console.log('partial'); for (;;) {}", "timeout", "TimeoutError"),
            ("console.log('re'); /(a+)+$/.test('a'.repeat(40) + 'b')", "timeout", "TimeoutError"),
            ("'x'.repeat(1 << 28).length", "memory", "MemoryError"),
            ("for (var i = 0; i < 1000; i++) console.log('xxxxxxxxxx')", "output_limit", "OutputLimitError"),
            ("eval('1')", "violation", "SecurityError"),
        ]
        ids = [s.send("execute", {"code": code}) for code, _, _ in cases]
        for (code, status, etype), id in zip(cases, ids):
            r = s.reply(id)["result"]
            assert r["status"] == status, (code, r)
            if etype:
                assert r["error"]["type"] == etype and r["error"]["message"], (code, r)
                assert "output" not in r, r
        # console output before the end is there, a timeout's too
        assert s.execute("console.log('a'); 1+1")["console"] == ["a"]
        r = s.execute("console.log('partial'); for (;;) {}")
        assert r["console"] == ["partial"], r
        r = s.execute("console.log('re'); /(a+)+$/.test('a'.repeat(40) + 'b')")
        assert r["status"] == "timeout" and r["console"] == ["re"], r
        r = s.execute("null.x")
        assert r["error"] == {"type": "TypeError", "message": "cannot read property 'x' of null", "line": 1}, r
    finally:
        assert s.close() == 0


def test_crashed_worker_fails_only_its_job_and_is_replaced():
    assert os.path.exists(HOOKS), HOOKS
    s = Server("--quiet", "--workers", "1", "--profile", "moderate", binary=HOOKS)
    try:
        a = s.send("execute", {"code": "__jsboxTest.attempt('kill')"})
        b = s.send("execute", {"code": "6*7"})
        ra, rb = s.reply(a)["result"], s.reply(b)["result"]
        assert ra["status"] in ("crashed", "violation"), ra
        assert rb["status"] == "ok" and rb["output"] == 42, rb
        m = s.call("metrics")["result"]
        assert m["worker_restarts"] >= 1, m
    finally:
        s.close()


def test_limits_above_the_ceiling_are_refused():
    s = serve("--workers", "1", "--memory-limit", "8M", "--timeout", "1s")
    try:
        for params, name in ((dict(limits={"memory": "64M"}), "limits.memory"),
                             (dict(limits={"timeout": "5s"}), "limits.timeout"),
                             (dict(limits={"timeout": 5000}), "limits.timeout"),
                             (dict(policy={"limits": {"memory": "1G"}}), "limits.memory"),
                             (dict(profile="permissive"), "not allowed by the server"),
                             (dict(policy={"allow": ["eval"]}), "not allowed by the server")):
            params["code"] = "1"
            e = s.call("execute", params)["error"]
            assert e["code"] == -32602 and name in e["message"], (params, e)
        assert "8 MiB" in s.call("execute", {"code": "1", "limits": {"memory": "64M"}})["error"]["message"]
        # lowering is fine, and holds
        r = s.execute("for (;;) {}", limits={"timeout": "100ms"})
        assert r["status"] == "timeout" and "100 ms" in r["error"]["message"], r
        r = s.execute("'x'.repeat(1 << 22).length", limits={"memory": "2M"})
        assert r["status"] == "memory" and "2 MiB" in r["error"]["message"], r
        assert s.execute("1", profile="strict")["status"] == "ok"
    finally:
        s.close()


def test_a_stricter_profile_or_policy_applies_to_its_job():
    s = serve("--workers", "1", "--profile", "moderate")
    try:
        assert s.execute("setTimeout(function(){}, 1); 1")["status"] == "ok"
        r = s.execute("setTimeout(function(){}, 1); 1", profile="strict")
        assert r["status"] == "error" or r["status"] == "violation", r
        r = s.execute("setTimeout(function(){}, 1); 1", policy={"deny": ["timers"]})
        assert r["status"] in ("error", "violation"), r
        r = s.execute("var secret = 1; secret", policy={"deny_patterns": ["secret"]})
        assert r["status"] == "violation", r
    finally:
        s.close()


def test_protocol_errors():
    s = serve("--workers", "1")
    try:
        s.send_raw("{not json\n")
        e = s.read_line()
        assert e["id"] is None and e["error"]["code"] == -32700, e
        s.send_raw(b'{"jsonrpc":"2.0","id":1,"method":"execute","params":{"code":"\xff"}}\n')
        e = s.read_line()
        assert e["error"]["code"] == -32700 and "UTF-8" in e["error"]["message"], e
        for bad in ('{"id":2,"method":"status"}', '{"jsonrpc":"1.0","id":2,"method":"status"}',
                    '{"jsonrpc":"2.0","id":2,"method":5}', '{"jsonrpc":"2.0","id":{},"method":"status"}',
                    '{"jsonrpc":"2.0","id":2,"method":"status","params":3}', '[]', '7'):
            s.send_raw(bad + "\n")
            e = s.read_line()
            assert e["error"]["code"] == -32600, (bad, e)
        e = s.call("nope")
        assert e["error"]["code"] == -32601 and "nope" in e["error"]["message"], e
        for params, word in (({}, "code"), ({"code": 5}, "code"), ({"code": "1", "zz": 1}, "zz"),
                             ({"code": "1", "args": {"1x": 1}}, "args"), ({"code": "1", "priority": 1.5}, "priority"),
                             ({"code": "1", "limits": {"memory": "lots"}}, "limits.memory"),
                             ({"code": "1", "session": "a b"}, "session"), ({"code": "1", "profile": "x"}, "profile"),
                             ({"code": "1", "policy": {"bogus": 1}}, "bogus")):
            e = s.call("execute", params)
            assert e["error"]["code"] == -32602 and word in e["error"]["message"], (params, e)
        e = s.call("session.close", {"session": "never"})
        assert e["error"]["code"] == -32004, e
        # a notification is not answered; the next request is
        s.send("execute", {"code": "1"}, notify=True)
        assert s.call("status")["result"]["workers"]["total"] == 1
    finally:
        assert s.close() == 0
    assert not [m for m in s.lines if m.get("id") is None and "result" in m], s.lines


def test_batches_answer_with_one_array_in_order():
    s = serve("--workers", "2")
    try:
        batch = [{"jsonrpc": "2.0", "id": "a", "method": "execute", "params": {"code": "for (var i = 0; i < 1e5; i++); 1"}},
                 {"jsonrpc": "2.0", "method": "execute", "params": {"code": "2"}},
                 {"jsonrpc": "2.0", "id": "c", "method": "nope"},
                 5,
                 {"jsonrpc": "2.0", "id": "e", "method": "execute", "params": {"code": "input", "input": [1, {"x": "y"}]}}]
        s.send_raw(json.dumps(batch) + "\n")
        reply = s.read_line()
        assert isinstance(reply, list) and len(reply) == 4, reply
        assert [m["id"] for m in reply] == ["a", "c", None, "e"], reply
        assert reply[0]["result"]["output"] == 1 and reply[1]["error"]["code"] == -32601
        assert reply[2]["error"]["code"] == -32600 and reply[3]["result"]["output"] == [1, {"x": "y"}]
        # only notifications: no answer at all
        s.send_raw(json.dumps([{"jsonrpc": "2.0", "method": "execute", "params": {"code": "1"}}]) + "\n")
        assert s.call("status")["id"] == s.next_id
    finally:
        s.close()


def test_replies_come_as_jobs_finish_matched_by_id():
    s = serve("--workers", "2", "--timeout", "5s")
    try:
        slow = s.send("execute", {"code": "var t = Date.now(); while (Date.now() - t < 300); 'slow'"})
        fast = s.send("execute", {"code": "'fast'"})
        first = s.read_line()
        assert first["id"] == fast and first["result"]["output"] == "fast", first
        assert s.reply(slow)["result"]["output"] == "slow"
    finally:
        s.close()


def test_big_request_and_the_request_bound():
    s = serve("--workers", "1", "--memory-limit", "64M", "--max-request", "12M", "--timeout", "10s")
    try:
        data = "x" * (10 << 20)
        r = s.execute("input.length", input=data)
        assert r["status"] == "ok" and r["output"] == 10 << 20, r
        s.send_raw(json.dumps({"jsonrpc": "2.0", "id": 5, "method": "execute",
                               "params": {"code": "1", "input": "y" * (13 << 20)}}) + "\n")
        e = s.read_line()
        assert e["error"]["code"] == -32007 and "12 MiB" in e["error"]["message"], e
        assert s.execute("'still here'")["output"] == "still here"
    finally:
        s.close()


def test_last_line_without_newline_is_answered_at_end_of_input():
    s = serve("--workers", "1")
    s.send_raw('{"jsonrpc":"2.0","id":1,"method":"execute","params":{"code":"40+2"}}')
    assert s.close() == 0
    assert s.lines and s.lines[0]["result"]["output"] == 42, s.lines


def test_nothing_of_one_job_is_visible_to_the_next():
    s = serve("--workers", "1", "--profile", "moderate")
    try:
        leaks = [
            ("leaked = 1", "typeof leaked", "undefined"),
            ("var v = 1", "typeof v", "undefined"),
            ("this.t = 1", "typeof this.t", "undefined"),
            ("Object.prototype.polluted = 1", "({}).polluted === undefined", True),
            ("Array.prototype.push = function () { return 'hacked' }; 1", "[].push(1)", 1),
            ("String.prototype.trim = function () { return 'hacked' }; 1", "' a '.trim()", "a"),
            ("JSON.stringify = function () { return 'hacked' }; 1", "JSON.stringify([1])", "[1]"),
            ("Math.random = function () { return 7 }; 1", "Math.random() === 7", False),
            ("console.log = function () {}; 1", "console.log('seen'); 1", 1),
            ("globalThis.s = Symbol.for('k'); 1", "typeof s", "undefined"),
            ("setTimeout(function () { console.log('timer leaked') }, 50); 1",
             "var t = Date.now(); while (Date.now() - t < 100); 1", 1),
            ("Promise.resolve().then(function () { globalThis.p = 1 }); 1", "typeof p", "undefined"),
            ("input.x = 'changed'; 1", "input.x", "original"),
            ("output = 'old'", "typeof output", "undefined"),
            ("Object.freeze(Object.prototype); 1", "var o = {}; o.toString = 1; o.toString", 1),
            ("delete Array.prototype.map; 1", "[1].map(function (x) { return x + 1 })[0]", 2),
            ("Error.prototype.toString = function () { return 'hacked' }; 1", "String(new Error('e'))", "Error: e"),
        ]
        for set_up, probe, want in leaks:
            a = s.execute(set_up, input={"x": "original"})
            assert a["status"] == "ok", (set_up, a)
            b = s.execute(probe, input={"x": "original"})
            assert b["status"] == "ok" and b["output"] == want, (set_up, probe, b)
            assert "timer leaked" not in b["console"], (set_up, b)
        assert s.execute("console.log('seen'); 1")["console"] == ["seen"]
    finally:
        s.close()


def test_no_finalizer_of_a_job_runs_after_it():
    # permissive has Duktape.fin.  A job's heap ends with the job and runs
    # no finalizer then: nothing of it reaches the next job.
    s = serve("--workers", "1", "--profile", "permissive", "--timeout", "2s")
    try:
        a = s.execute("var o = {}; Duktape.fin(o, function () { console.log('fin ran'); globalThis.leak = 1; }); 1")
        assert a["status"] == "ok" and a["output"] == 1 and a["console"] == [], a
        b = s.execute("typeof leak")
        assert b["status"] == "ok" and b["output"] == "undefined" and b["console"] == [], b
        # a finalizer whose object is collected during the job runs in it
        r = s.execute("(function () { var o = {}; Duktape.fin(o, function () { console.log('collected'); }); })();"
                      " Duktape.gc(); 1")
        assert r["console"] == ["collected"], r
        # one that never ends (on Object.prototype it finalizes the errors
        # that stop it) is the job's own time: stopped at its deadline
        r = s.execute("Duktape.fin(Object.prototype, function () { for (;;) {} }); var o = {}; o = null; 1",
                      limits={"timeout": "300ms"})
        assert r["status"] in ("ok", "timeout"), r
        b = s.execute("typeof leak + ({}).constructor.name")
        assert b["status"] == "ok" and b["output"] == "undefinedObject", b
    finally:
        s.close()


def test_sessions_keep_state_and_expire():
    # Idle long enough that a loaded machine starting session workers does
    # not expire one between two of its jobs.
    s = serve("--workers", "1", "--session-idle", "2s", "--max-sessions", "2")
    try:
        assert s.execute("var n = 1; n", session="a")["output"] == 1
        assert s.execute("n += 1; n", session="a")["output"] == 2
        assert s.execute("typeof n")["output"] == "undefined"
        assert s.execute("typeof n", session="b")["output"] == "undefined"
        info = s.call("session.info", {"session": "a"})["result"]
        assert info["runs"] == 2 and info["session"] == "a", info
        e = s.call("execute", {"code": "1", "session": "c"})["error"]
        assert e["code"] == -32005, e
        assert s.call("session.reset", {"session": "a"})["result"] == {"reset": True}
        used = time.monotonic()  # the last use of "a" ends after this
        assert s.execute("typeof n", session="a")["output"] == "undefined"
        assert s.call("session.close", {"session": "b"})["result"] == {"closed": True}
        assert s.call("session.info", {"session": "b"})["error"]["code"] == -32004
        assert s.call("status")["result"]["sessions"]["open"] == 1
        for _ in range(300):  # expiry: after 2 s idle, within a loop turn or so
            st = s.call("status")["result"]
            if st["sessions"]["open"] == 0:
                break
            time.sleep(0.05)
        assert st["sessions"]["open"] == 0 and time.monotonic() - used >= 2, st
        assert s.call("session.info", {"session": "a"})["error"]["code"] == -32004
    finally:
        s.close()


def test_queue_full_rate_limit_and_queue_timeout():
    s = serve("--workers", "1", "--max-queue", "2", "--queue-timeout", "100ms", "--timeout", "5s")
    try:
        slow = {"code": "var t = Date.now(); while (Date.now() - t < 250); 1"}
        wait_idle(s, 1)
        ids = [s.send("execute", slow) for _ in range(5)]
        replies = [s.reply(i) for i in ids]
        codes = [r["error"]["code"] if "error" in r else r["result"]["status"] for r in replies]
        assert codes[0] == "ok", codes
        assert codes.count(-32001) == 2, codes
        assert codes.count(-32006) == 2, codes
    finally:
        s.close()
    s = serve("--workers", "1", "--rate-limit", "2")
    try:
        ids = [s.send("execute", {"code": "1"}) for _ in range(6)]
        replies = [s.reply(i) for i in ids]
        limited = [r for r in replies if "error" in r]
        assert limited and all(r["error"]["code"] == -32002 for r in limited), replies
        assert len(limited) <= 4, replies
        m = s.call("metrics")["result"]
        assert m["rejected"]["rate_limited"] == len(limited), m
    finally:
        s.close()


def test_priorities_start_highest_first_and_in_arrival_order_within_one():
    s = serve("--workers", "1", "--max-queue", "500", "--timeout", "5s")
    try:
        wait_idle(s, 1)
        s.call("subscribe")
        block = s.send("execute", {"code": "var t = Date.now(); while (Date.now() - t < 300); 'block'"})
        levels = [0, 7, -1000, 1000, -5, 7, 0, 1000, -1000, 3]
        jobs = {}
        for i in range(200):
            prio = levels[(i * 7 + i // 10) % len(levels)]
            params = {"code": "input", "input": i}
            if prio or i % 3:  # 0 given or left out
                params["priority"] = prio
            jobs[s.send("execute", params)] = (prio, i)
        assert s.reply(block)["result"]["output"] == "block"
        started = []  # job numbers, given in arrival order (the block was 1)
        while len(started) < len(jobs):
            msg = s.read_line()
            if msg.get("method") == "event" and msg["params"]["event"] == "job.start":
                started.append(msg["params"]["job"])
        prios = [prio for prio, _ in jobs.values()]
        expect = sorted(range(2, 2 + len(jobs)), key=lambda seq: (-prios[seq - 2], seq))
        assert started == expect, (started[:20], expect[:20])
        for id, (prio, i) in jobs.items():
            assert s.reply(id)["result"]["output"] == i
    finally:
        s.close()


def test_queue_timeouts_expire_the_oldest_across_priorities():
    s = serve("--workers", "1", "--max-queue", "100", "--queue-timeout", "200ms", "--timeout", "5s")
    try:
        wait_idle(s, 1)
        block = s.send("execute", {"code": "var t = Date.now(); while (Date.now() - t < 600); 1"})
        early = [s.send("execute", {"code": "1", "priority": p}) for p in (5, -5, 0, 1000)]
        time.sleep(0.3)  # the early ones are past their wait; the late ones are not yet
        late = [s.send("execute", {"code": "2", "priority": p}) for p in (-1000, 5)]
        assert s.reply(block)["result"]["status"] == "ok"
        for i in early:
            assert s.reply(i)["error"]["code"] == -32006
        # the late ones waited 300 ms when the worker came free: past 200 ms
        # too, but each is answered once, in any case
        for i in late:
            r = s.reply(i)
            assert r.get("error", {}).get("code") == -32006 or r["result"]["output"] == 2, r
        assert s.call("status")["result"]["queue"]["depth"] == 0
        after = s.send("execute", {"code": "3", "priority": -7})
        assert s.reply(after)["result"]["output"] == 3
    finally:
        s.close()


def test_status_and_metrics():
    s = serve("--workers", "2")
    try:
        for code in ("1", "null.x", "eval('1')"):
            s.execute(code)
        st = s.call("status")["result"]
        assert st["workers"]["total"] == 2 and st["queue"]["depth"] == 0 and st["uptime_s"] > 0, st
        m = s.call("metrics")["result"]
        assert m["jobs"]["total"] == 3 and m["jobs"]["ok"] == 1 and m["jobs"]["error"] == 1, m
        assert m["jobs"]["violation"] == 1 and m["violations"]["eval"] == 1, m
        for key in ("time_ms", "queue_ms", "memory_peak"):
            d = m[key]
            assert d["count"] == 3 and d["p50"] <= d["p95"] <= d["p99"] <= d["max"], (key, d)
    finally:
        s.close()


def test_events_for_subscribers_and_the_log():
    s = Server("--workers", "1", "--log-format", "json")
    try:
        assert s.call("subscribe")["result"] == {"subscribed": True}
        id = s.send("execute", {"code": "eval('1')"})
        s.reply(id)
        events = [m["params"]["event"] for m in s.lines if m.get("method") == "event"]
        while len(events) < 3:
            msg = s.read_line()
            events.append(msg["params"]["event"])
        assert events[:3] == ["job.start", "job.done", "security.violation"], events
    finally:
        s.close()
    log = [json.loads(l) for l in s.err.decode().splitlines()]
    names = [e["event"] for e in log]
    assert names[0] == "ready" and "security.violation" in names and names[-1] == "shutdown", names


def test_sigterm_drains():
    s = serve("--workers", "1", "--timeout", "5s")
    try:
        running = s.send("execute", {"code": "var t = Date.now(); while (Date.now() - t < 400); 'done'"})
        queued = s.send("execute", {"code": "'queued'"})
        time.sleep(0.15)
        s.proc.send_signal(signal.SIGTERM)
        assert s.reply(running)["result"]["output"] == "done"
        e = s.reply(queued)["error"]
        assert e["code"] == -32003, e
        assert s.proc.wait(10) == 0
    finally:
        s.kill()


def test_ten_thousand_jobs_one_in_fifty_hostile_each_answered_once():
    # Timeouts are the hostile jobs' own: a loaded (or sanitizer) build is
    # slow, and a good job must not time out for it.
    s = serve("--workers", "2", "--timeout", "5s", "--memory-limit", "4M", "--max-queue", "20000")
    hostile = ["for (;;) {}", "var a = []; for (;;) a.push([a.length])", "/(a+)+$/.test('a'.repeat(40) + 'b')",
               "eval('1')", "throw new Error('x')"]
    try:
        want = {}
        for i in range(10000):
            if i % 50 == 7:
                want[i] = None
                params = {"code": hostile[(i // 50) % len(hostile)], "limits": {"timeout": "100ms"}}
            else:
                want[i] = i * 2
                params = {"code": "input.n * 2", "input": {"n": i}}
            s.send("execute", params, id=i)
        assert s.close(timeout=300) == 0
    finally:
        s.kill()
    seen = {}
    for m in s.lines:
        assert m["id"] not in seen, ("answered twice", m)
        seen[m["id"]] = m
    assert len(seen) == 10000, len(seen)
    for i, v in want.items():
        r = seen[i]["result"]
        if v is None:
            assert r["status"] != "ok", r
        else:
            assert r["status"] == "ok" and r["output"] == v, (i, r)


def test_serve_flags_need_serve():
    res = run("--workers", "2", "-e", "1")
    assert res.code == 2 and "--workers applies to serve" in res.err, res
    res = run("serve", "--input", "x.json")
    assert res.code == 2 and "do not apply" in res.err, res
    for bad in (("--workers", "0"), ("--listen", "tcp:1"), ("--socket-mode", "999"), ("--log-format", "xml"),
                ("--rate-limit", "-1"), ("--max-queue", "x")):
        res = run("serve", *bad)
        assert res.code == 2 and res.err.startswith("jsbox: usage: --"), (bad, res)


test_ten_thousand_jobs_one_in_fifty_hostile_each_answered_once.serial = True
test_queue_full_rate_limit_and_queue_timeout.serial = True
test_sigterm_drains.serial = True


# Under AddressSanitizer freed memory is held in quarantine (256 MB by
# default), which would look like growth: the tests that measure a worker's
# memory run it without.
NO_QUARANTINE = ({"ASAN_OPTIONS": os.environ["ASAN_OPTIONS"] + ":quarantine_size_mb=0"}
                 if "ASAN_OPTIONS" in os.environ else None)


def worker_rss_kib(server_pid):
    kids = open("/proc/%d/task/%d/children" % (server_pid, server_pid)).read().split()
    total = 0
    for k in kids:
        for line in open("/proc/%s/status" % k):
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def test_a_worker_keeps_nothing_of_its_jobs_errors():
    # The envelope keeps a thrown error's name and message; a worker frees
    # them with the job's heap (they once outlived it: 40 MB over these jobs).
    s = serve("--workers", "1", "--max-queue", "5000", env=NO_QUARANTINE)
    try:
        code = "throw new Error('x'.repeat(20000))"
        for _ in range(200):
            s.send("execute", {"code": code})
        for i in range(200):
            s.read_line()
        before = worker_rss_kib(s.proc.pid)
        ids = [s.send("execute", {"code": code}) for _ in range(2000)]
        for i in ids:
            assert s.reply(i)["result"]["status"] == "error"
        after = worker_rss_kib(s.proc.pid)
        assert after - before < 8192, (before, after)
    finally:
        s.close()


def test_each_job_starts_from_the_same_heap():
    # A worker saves its heap once made and puts it back after each job:
    # the same job costs the same memory every time, whatever ran before.
    s = serve("--workers", "1", "--profile", "moderate")
    try:
        probe = "[typeof leaked, Object.keys(globalThis).length, [].x]"
        first = s.execute(probe)
        assert first["status"] == "ok" and first["output"][0] == "undefined", first
        noise = ["leaked = []; for (var i = 0; i < 20000; i++) leaked.push({i: i, s: 'v' + i}); 1",
                 "Array.prototype.x = 1; String.prototype.y = 2; 1",
                 "throw new TypeError('t')",
                 "var t = Date.now(); while (Date.now() - t < 20); 1"]
        for n in noise:
            s.execute(n)
            again = s.execute(probe)
            assert again["output"] == first["output"], (n, again, first)
            assert again["memory_peak"] == first["memory_peak"], (n, again, first)
    finally:
        s.close()


def test_math_random_is_not_repeated_between_jobs():
    # The generator's state is not part of the saved heap: every job draws
    # a new seed, so no two jobs of one worker see the same numbers.
    s = serve("--workers", "1")
    try:
        seen = [tuple(s.execute("[Math.random(), Math.random()]")["output"]) for _ in range(40)]
        assert len(set(seen)) == len(seen), seen
        assert all(0 <= x < 1 for pair in seen for x in pair), seen
    finally:
        s.close()


def test_jobs_past_the_saved_heaps_region_run_and_leave_nothing():
    # A job may use far more memory than the region its heap starts in
    # (past it, blocks come from malloc): it runs, its memory goes back
    # after it, and a job that hits the limit leaves the next one clean.
    s = serve("--workers", "1", "--memory-limit", "256M", "--timeout", "10s", env=NO_QUARANTINE)
    try:
        s.execute("1")
        before = worker_rss_kib(s.proc.pid)
        big = ("var a = []; for (var i = 0; i < 400000; i++) a.push('item ' + i);"
               " var s = JSON.stringify(a); leaked = 1; s.length")
        r = s.execute(big, timeout=60)
        assert r["status"] == "ok" and r["output"] > 4000000 and r["memory_peak"] > 36 << 20, r
        r = s.execute("typeof leaked + ',' + [1, 2, 3].map(function (x) { return x * 2 }).join()")
        assert r == {**r, "status": "ok", "output": "undefined,2,4,6"}, r
        r = s.execute("var s = 'x'; for (;;) s += s", limits={"memory": "16M"}, timeout=60)
        assert r["status"] == "memory", r
        r = s.execute("typeof s + ',' + typeof leaked")
        assert r["status"] == "ok" and r["output"] == "undefined,undefined", r
        if "ASAN_OPTIONS" in os.environ:
            # AddressSanitizer's allocator keeps what was freed for reuse:
            # there, more big jobs must not take more
            time.sleep(0.5)
            before = worker_rss_kib(s.proc.pid)
        for _ in range(3):
            s.execute(big, timeout=60)
        # the worker gives the memory back after its reply went out
        for _ in range(100):
            after = worker_rss_kib(s.proc.pid)
            if after - before < 16384:
                break
            time.sleep(0.05)
        assert after - before < 16384, (before, after)
    finally:
        s.close()


def events_until(s, name, timeout=30):
    """Every event notification up to and including the first called name."""
    seen = [m["params"] for m in s.lines if m.get("method") == "event"]
    while not any(e["event"] == name for e in seen):
        msg = s.read_line(timeout)
        assert msg is not None, seen
        if msg.get("method") == "event":
            seen.append(msg["params"])
    return seen


def test_a_killed_workers_place_is_taken_at_once_by_the_standby():
    # Workers that take 1.5 s to start: the job behind a killed one must not
    # wait for the replacement, since the standby is already up.
    assert os.path.exists(HOOKS), HOOKS
    s = Server("--quiet", "--workers", "1", binary=HOOKS, env={"JSBOX_TEST_WORKER_START_MS": "1500"})
    try:
        for _ in range(400):
            w = s.call("status")["result"]["workers"]
            if w["idle"] == 1 and w["standby"] == 1:
                break
            time.sleep(0.02)
        assert w == {"total": 1, "busy": 0, "idle": 1, "starting": 0, "standby": 1}, w
        assert s.call("subscribe")["result"] == {"subscribed": True}
        stuck = s.send("execute", {"code": "/(a+)+$/.test('a'.repeat(40) + 'b')", "limits": {"timeout": "100ms"}})
        behind = s.send("execute", {"code": "6*7"})
        assert s.reply(stuck)["result"]["status"] == "timeout"
        r = s.reply(behind)["result"]
        assert r["status"] == "ok" and r["output"] == 42, r
        assert r["queue_ms"] < 1000, r  # the replacement takes 1.5 s to start
        events = events_until(s, "worker.ready")
        restart = [e for e in events if e["event"] == "worker.restart"]
        assert len(restart) == 1 and restart[0]["standby"] is True, events
        ready = [e for e in events if e["event"] == "worker.ready"][0]
        assert ready["replaced_ms"] >= 1400, ready
        # the job came back before the replacement was ready
        done = [i for i, e in enumerate(events) if e["event"] == "job.done" and e["status"] == "ok"]
        assert done and done[0] < events.index(ready), events
        # with no standby left, a second kill leaves the next job to wait
        stuck = s.send("execute", {"code": "/(a+)+$/.test('a'.repeat(40) + 'b')", "limits": {"timeout": "100ms"}})
        s.send("execute", {"code": "/(a+)+$/.test('a'.repeat(40) + 'b')", "limits": {"timeout": "100ms"}})
        behind = s.send("execute", {"code": "6*7"})
        assert s.reply(stuck)["result"]["status"] == "timeout"
        r = s.reply(behind)["result"]
        assert r["status"] == "ok" and r["queue_ms"] >= 1000, r
        restarts = [e for e in events_until(s, "worker.ready") if e["event"] == "worker.restart"]
        assert [e["standby"] for e in restarts] == [True, True, False], restarts
    finally:
        s.close()
