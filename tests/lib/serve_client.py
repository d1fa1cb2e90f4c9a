"""A jsbox serve process for tests: JSON-RPC over its stdin/stdout (or a
Unix socket), replies collected by id, stderr kept for the log."""
import json
import os
import select
import socket
import subprocess
import sys
import threading
import time

from jsbox_test import JSBOX


# A small Python launcher for socket activation: it puts the listening
# socket on descriptor 3, sets LISTEN_PID to its own pid and execs jsbox, so
# the pid is the server's. (sh cannot name a descriptor above 9, and the test
# runner may hold more than ten open.)
_ACTIVATE = """import os, sys
fd = int(sys.argv[1])
if fd != 3:
    os.dup2(fd, 3)
    os.close(fd)
os.environ.update(LISTEN_PID=str(os.getpid()), LISTEN_FDS="1")
os.execv(sys.argv[2], sys.argv[2:])
"""


def start_activated(lsock, *args):
    """Start `jsbox serve ARGS` with the listening socket lsock passed as
    systemd socket activation does; the caller may close lsock after."""
    return subprocess.Popen([sys.executable, "-c", _ACTIVATE, str(lsock.fileno()), JSBOX, "serve", *args],
                            pass_fds=(lsock.fileno(),), stdin=subprocess.DEVNULL, stderr=subprocess.PIPE)


class Server:
    def __init__(self, *args, binary=None, env=None, stdio=True):
        full_env = dict(os.environ)
        if env:
            full_env.update(env)
        self.proc = subprocess.Popen([binary or JSBOX, "serve"] + [str(a) for a in args],
                                     stdin=subprocess.PIPE if stdio else subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=full_env)
        self.lines = []  # every line on stdout, parsed, in order
        self.err = b""
        self.next_id = 0
        self._buf = b""
        self._err_thread = threading.Thread(target=self._read_err, daemon=True)
        self._err_thread.start()

    def _read_err(self):
        for chunk in iter(lambda: self.proc.stderr.read1(65536), b""):
            self.err += chunk

    def send_raw(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, method, params=None, id=None, notify=False):
        """Sends one request; returns its id."""
        msg = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            msg["params"] = params
        if not notify:
            if id is None:
                self.next_id += 1
                id = self.next_id
            msg["id"] = id
        self.send_raw(json.dumps(msg) + "\n")
        return id

    def read_line(self, timeout=30):
        """The next line on stdout, parsed (None at end of file)."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("no reply within %ss; log %r" % (timeout, self.err[-2000:]))
            r, _, _ = select.select([self.proc.stdout], [], [], left)
            if not r:
                continue
            chunk = os.read(self.proc.stdout.fileno(), 1 << 20)
            if not chunk:
                if self._buf:
                    line, self._buf = self._buf, b""
                    return json.loads(line)
                return None
            self._buf += chunk
        line, self._buf = self._buf.split(b"\n", 1)
        msg = json.loads(line)
        self.lines.append(msg)
        return msg

    def reply(self, id, timeout=30):
        """The reply with this id (notifications and other replies are kept)."""
        for msg in self.lines:
            if isinstance(msg, dict) and msg.get("id") == id and ("result" in msg or "error" in msg):
                self.lines.remove(msg)
                return msg
        while True:
            msg = self.read_line(timeout)
            if msg is None:
                raise AssertionError("the server ended before replying to %r; log %r" % (id, self.err[-2000:]))
            if isinstance(msg, dict) and msg.get("id") == id and ("result" in msg or "error" in msg):
                self.lines.remove(msg)
                return msg

    def call(self, method, params=None, timeout=30):
        return self.reply(self.send(method, params), timeout)

    def execute(self, code, timeout=30, **params):
        params["code"] = code
        msg = self.call("execute", params, timeout)
        assert "result" in msg, msg
        return msg["result"]

    def close(self, timeout=30):
        """Ends stdin and waits for the exit; returns the exit code."""
        try:
            self.proc.stdin.close()
        except (BrokenPipeError, OSError):
            pass
        rest = self.proc.stdout.read()
        self._buf += rest
        for line in self._buf.split(b"\n"):
            if line.strip():
                self.lines.append(json.loads(line))
        self._buf = b""
        code = self.proc.wait(timeout)
        self._err_thread.join(5)
        return code

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


class SocketClient:
    """One connection to a server's Unix socket."""

    def __init__(self, path):
        # The socket file exists from bind(); connections succeed from listen().
        for attempt in range(500):
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                self.sock.connect(path)
                break
            except (ConnectionRefusedError, FileNotFoundError):
                self.sock.close()
                if attempt == 499:
                    raise
                time.sleep(0.01)
        self.buf = b""
        self.next_id = 0

    def send(self, method, params=None):
        self.next_id += 1
        msg = {"jsonrpc": "2.0", "id": self.next_id, "method": method}
        if params is not None:
            msg["params"] = params
        self.sock.sendall((json.dumps(msg) + "\n").encode())
        return self.next_id

    def read(self, timeout=30):
        self.sock.settimeout(timeout)
        while b"\n" not in self.buf:
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                return None
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def close(self):
        self.sock.close()
