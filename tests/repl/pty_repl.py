"""Drives `jsbox repl` through a pseudo-terminal: type, then wait (always
bounded) for text to appear.  Ctrl-C and Ctrl-D go through the terminal."""
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import tempfile
import termios
import time

from jsbox_test import JSBOX


class Repl:
    def __init__(self, *args, env=None, history="", binary=None):
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 200, 0, 0))
        full = dict(os.environ)
        full.pop("NO_COLOR", None)
        full["TERM"] = "xterm"
        full.pop("JSBOX_HISTORY", None)
        if history is not None:
            full["JSBOX_HISTORY"] = history
        full.update(env or {})
        self.proc = subprocess.Popen(
            [binary or JSBOX, "repl"] + [str(a) for a in args], stdin=slave, stdout=slave, stderr=slave,
            env=full, start_new_session=True,
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))
        os.close(slave)
        self.fd = master
        self.out = ""   # everything read
        self.mark = 0   # where the next expect starts looking

    def send(self, text):
        os.write(self.fd, text.encode())

    def line(self, text):
        self.send(text + "\r")

    def _read(self, timeout):
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return False
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            return None
        if not data:
            return None
        self.out += data.decode("utf-8", "replace")
        return True

    def expect(self, pattern, timeout=10):
        """Waits for the regex after the mark; returns the match's text."""
        deadline = time.monotonic() + timeout
        rx = re.compile(pattern)
        while True:
            m = rx.search(self.out, self.mark)
            if m:
                self.mark = m.end()
                return m.group(0)
            left = deadline - time.monotonic()
            if left <= 0 or self._read(min(left, 0.2)) is None and not rx.search(self.out, self.mark):
                if left <= 0 or self.proc.poll() is not None:
                    raise AssertionError("waited for %r; got %r" % (pattern, self.out[self.mark:][-3000:]))

    def prompt(self):
        """Waits for a prompt, then a moment: libedit prints the prompt
        before it puts the terminal in raw mode, and keys typed before that
        are echoed (and Ctrl-C handled) by the terminal instead."""
        text = self.expect(r"> $|> (?=\x1b)|\n> ")
        time.sleep(0.05)
        return text

    def wait_exit(self, timeout=10):
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < deadline:
            self._read(0.1)
        if self.proc.poll() is None:
            self.kill()
            raise AssertionError("jsbox did not exit; output %r" % self.out[-2000:])
        while self._read(0.05):
            pass
        return self.proc.returncode

    def kill(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)

    def close(self):
        self.kill()
        os.close(self.fd)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def tmppath(suffix=""):
    fd, path = tempfile.mkstemp(prefix="jsbox-repl-", suffix=suffix)
    os.close(fd)
    return path
