"""--progress: on a terminal, one line on stderr about a stream run,
redrawn at most ten times a second and erased at the end; nothing when
stderr is not a terminal."""
import os
import pty
import shlex
import subprocess
import time

from jsbox_test import JSBOX, expect, run, serial, tmpfile
from terminal import Tmux

SCRIPT = "for (var i = 0; i < 300; i++); input.n"


def big_input(records=40000):
    return tmpfile("".join('{"n":%d,"pad":"%s"}\n' % (i, "x" * 30) for i in range(records)),
                   suffix=".ndjson")


@serial
def test_progress_line_on_a_terminal_then_erased():
    data = big_input()
    out = tmpfile("", suffix=".out")
    with Tmux() as t:
        t.start("%s -l --progress --timeout 10s -e %s --input %s > %s" % (
            shlex.quote(JSBOX), shlex.quote(SCRIPT), data, out))
        seen = None
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not os.path.exists(t.status):
            screen = t.screen()
            if "records" in screen:
                seen = screen.splitlines()[0]
                break
            time.sleep(0.02)
        code, screen = t.wait(60)
    assert seen and seen.startswith("jsbox: ") and "records, " in seen and "/s" in seen, seen
    assert "% " in seen or "%," in seen, seen  # a regular file: percent and time left
    assert " left" in seen, seen
    assert code == 0, (code, screen)
    assert "jsbox:" not in screen, screen  # erased at the end
    with open(out) as f:
        assert f.read().split() == [str(i) for i in range(40000)]


@serial
def test_at_most_ten_updates_a_second():
    data = big_input()
    master, slave = pty.openpty()
    start = time.monotonic()
    proc = subprocess.Popen([JSBOX, "-l", "--progress", "--timeout", "10s", "-e", SCRIPT, "--input", data],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    raw = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        raw += chunk
    proc.wait(60)
    wall = time.monotonic() - start
    os.close(master)
    draws = raw.count(b"records, ")
    assert proc.returncode == 0 and draws >= 1, (proc.returncode, raw[-300:])
    assert draws <= wall * 10 + 1, (draws, wall)
    assert raw.endswith(b"\r\x1b[K"), raw[-100:]


def test_nothing_when_stderr_is_not_a_terminal():
    expect(run("-l", "--progress", "-e", "input.n", stdin='{"n":1}\n{"n":2}\n'),
           code=0, out="1\n2\n", err="")


def test_progress_needs_a_stream():
    expect(run("--progress", "-e", "1"), code=2,
           err="jsbox: usage: --progress applies to --ndjson (see jsbox --help)\n")


def test_errors_are_not_glued_to_the_line():
    # A record's error erases the line first: the message starts its own line.
    master, slave = pty.openpty()
    data = tmpfile('{"n":1}\n' * 20000 + "nope\n", suffix=".ndjson")
    proc = subprocess.Popen([JSBOX, "-l", "--progress", "--timeout", "10s", "-e", SCRIPT, "--input", data],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    raw = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        raw += chunk
    proc.wait(60)
    os.close(master)
    assert proc.returncode == 2, raw[-300:]
    msg = raw.rfind(b"jsbox: usage:")
    assert msg >= 0 and (msg == 0 or raw[:msg].endswith(b"\r\x1b[K")), raw[-300:]
