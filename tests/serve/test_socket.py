"""jsbox serve on a Unix socket: two clients at once, the socket's mode,
systemd's LISTEN_FDS, a client that hangs up or half-closes, and the
README's client."""
import json
import os
import re
import signal
import socket
import stat
import subprocess
import tempfile
import threading
import time

from jsbox_test import JSBOX, SOURCE
from serve_client import Server, SocketClient, start_activated


def wait_for(path, proc):
    for _ in range(300):
        if os.path.exists(path):
            return
        assert proc.poll() is None, proc.stderr.read()
        time.sleep(0.01)
    raise AssertionError("no socket at " + path)


def start(path, *args):
    s = Server("--quiet", "--listen", "unix:" + path, *args, stdio=False)
    wait_for(path, s.proc)
    return s


def test_two_clients_at_once_each_gets_its_own_answers():
    d = tempfile.mkdtemp()
    path = os.path.join(d, "jsbox.sock")
    s = start(path, "--workers", "2")
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
        assert mode == 0o600, oct(mode)
        a, b = SocketClient(path), SocketClient(path)
        got = {}

        def client(c, name, n):
            ids = [c.send("execute", {"code": "input.who + input.i", "input": {"who": name, "i": i}}) for i in range(n)]
            replies = [c.read() for _ in ids]
            got[name] = sorted(r["result"]["output"] for r in replies)

        ta = threading.Thread(target=client, args=(a, "a", 50))
        tb = threading.Thread(target=client, args=(b, "b", 50))
        ta.start(), tb.start()
        ta.join(30), tb.join(30)
        assert got["a"] == sorted("a%d" % i for i in range(50)), got
        assert got["b"] == sorted("b%d" % i for i in range(50)), got
        st = a.send("status")
        assert a.read()["result"]["clients"] == 2
        a.close(), b.close()
    finally:
        s.proc.send_signal(signal.SIGTERM)
        assert s.proc.wait(10) == 0
    assert not os.path.exists(path), "the server removes its socket"


def test_socket_mode_and_a_stale_socket():
    d = tempfile.mkdtemp()
    path = os.path.join(d, "jsbox.sock")
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(path)
    stale.close()  # a socket file nobody listens on
    s = start(path, "--socket-mode", "0660", "--workers", "1")
    try:
        for _ in range(100):
            if stat.S_IMODE(os.stat(path).st_mode) == 0o660:
                break
            time.sleep(0.01)
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o660
        c = SocketClient(path)
        c.send("execute", {"code": "1+1"})
        assert c.read()["result"]["output"] == 2
    finally:
        s.proc.send_signal(signal.SIGTERM)
        s.proc.wait(10)


def hang_up_with_jobs_queued(path, half_close_first=False):
    """A client queues 20 jobs of 100 ms and hangs up (after ending its
    sending side, if asked); another then asks for metrics and status."""
    c = SocketClient(path)
    for _ in range(20):
        c.send("execute", {"code": "var t = Date.now(); while (Date.now() - t < 100); 1"})
    if half_close_first:
        c.sock.shutdown(socket.SHUT_WR)
    time.sleep(0.2)
    c.close()
    time.sleep(0.3)
    other = SocketClient(path)
    other.send("metrics")
    m = other.read()["result"]
    other.send("status")
    return m, other.read()["result"]


def test_a_client_that_hangs_up_cancels_its_queued_jobs():
    d = tempfile.mkdtemp()
    path = os.path.join(d, "jsbox.sock")
    s = start(path, "--workers", "1")
    try:
        m, st = hang_up_with_jobs_queued(path)
        assert m["jobs"]["total"] <= 4, m
        assert st["queue"]["depth"] == 0 and st["clients"] == 1, st
    finally:
        s.proc.send_signal(signal.SIGTERM)
        assert s.proc.wait(10) == 0


def test_a_client_that_half_closes_gets_every_answer_then_the_end():
    # As socat or nc do at the end of their input: shutdown(SHUT_WR), then
    # read until the server closes.
    d = tempfile.mkdtemp()
    path = os.path.join(d, "jsbox.sock")
    s = start(path, "--workers", "1")
    try:
        c = SocketClient(path)
        ids = [c.send("execute", {"code": "var t = Date.now(); while (Date.now() - t < 50); input",
                                  "input": i}) for i in range(6)]
        c.sock.sendall(b'{"jsonrpc":"2.0","id":"last","method":"execute","params":{"code":"7"}}')  # no newline
        c.sock.shutdown(socket.SHUT_WR)
        got = {}
        while True:
            msg = c.read(timeout=20)
            if msg is None:
                break
            got[msg["id"]] = msg["result"]["output"]
        assert got == dict({i: n for n, i in enumerate(ids)}, last=7), got
        c.close()
        # a client that half-closes and then hangs up still cancels what waits
        m, st = hang_up_with_jobs_queued(path, half_close_first=True)
        assert st["queue"]["depth"] == 0 and st["clients"] == 1, st
        assert m["jobs"]["total"] <= 6 + 1 + 4, m
    finally:
        s.proc.send_signal(signal.SIGTERM)
        assert s.proc.wait(10) == 0


def test_systemd_socket_activation():
    d = tempfile.mkdtemp()
    path = os.path.join(d, "activated.sock")
    lsock = socket.socket(socket.AF_UNIX)
    lsock.bind(path)
    lsock.listen(8)
    proc = start_activated(lsock, "--quiet", "--workers", "1", "--listen", "unix:/nonexistent/ignored")
    lsock.close()
    try:
        c = SocketClient(path)
        c.send("execute", {"code": "'activated'"})
        assert c.read()["result"]["output"] == "activated"
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 0, proc.stderr.read()


def test_readme_client_example_runs():
    readme = open(os.path.join(SOURCE, "README.md"), encoding="utf-8").read()
    block = re.search(r"A client in Python, standard library only:\n\n```python\n(.*?)```", readme, re.S).group(1)
    env = dict(os.environ)
    d = tempfile.mkdtemp()
    os.symlink(os.path.abspath(JSBOX), os.path.join(d, "jsbox"))
    env["PATH"] = d + ":" + env["PATH"]
    res = subprocess.run(["python3", "-c", block], capture_output=True, text=True, env=env, timeout=60)
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert "'output': [2, 4, 6]" in lines[0] and lines[1] == "timeout", lines
