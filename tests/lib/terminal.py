"""Runs a shell command line in a terminal (a detached tmux session on a
private server) and returns what it wrote to the screen and its exit code."""
import os
import shlex
import subprocess
import tempfile
import time

from jsbox_test import need_tool


class Tmux:
    """One private tmux server and one window of the given size."""

    def __init__(self, width=100, height=20):
        self.tmux = need_tool("tmux")
        self.dir = tempfile.mkdtemp(prefix="jsbox-tty-")
        self.sock = os.path.join(self.dir, "sock")
        self.status = os.path.join(self.dir, "status")
        self.size = (width, height)

    def cmd(self, *args, check=True):
        return subprocess.run([self.tmux, "-S", self.sock] + list(args), capture_output=True,
                              text=True, timeout=20, check=check)

    def start(self, command, env=None):
        """Starts command (a shell line) in the window; its exit code goes to a file."""
        env_prefix = " ".join("%s=%s" % (k, shlex.quote(v)) for k, v in (env or {}).items())
        line = "%s %s; echo $? > %s; sleep 600" % (env_prefix, command, shlex.quote(self.status))
        self.cmd("-f", "/dev/null", "new-session", "-d", "-x", str(self.size[0]), "-y",
                 str(self.size[1]), "sh", "-c", line)

    def keys(self, *keys):
        """Types keys (tmux send-keys names: Enter, Tab, C-c) into the window."""
        self.cmd("send-keys", *keys)

    def screen(self):
        return self.cmd("capture-pane", "-p").stdout

    def wait(self, seconds=20):
        """Waits for the command to end; returns (exit code, screen)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if os.path.exists(self.status):
                with open(self.status) as f:
                    text = f.read().strip()
                if text:
                    return int(text), self.screen()
            time.sleep(0.05)
        raise AssertionError("the command did not end in %ss; screen:\n%s" % (seconds, self.screen()))

    def close(self):
        self.cmd("kill-server", check=False)
        for name in os.listdir(self.dir):
            os.unlink(os.path.join(self.dir, name))
        os.rmdir(self.dir)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
