"""The OS jail: every forbidden operation is stopped and named under every
profile; normal scripts of every profile still run inside it."""
import json
import os
import subprocess

from jsbox_test import JSBOX, expect, one_line_error, run

HOOKS = os.path.join(os.environ.get("JSBOX_BUILD", ""), "tests", "jsbox-hooks")
PROFILES = ("strict", "moderate", "permissive")
# Sanitizer builds keep fd 2 open in the evaluator for the runtime's reports.
SAN = "san" in os.environ.get("JSBOX_BUILD", "")
FORBIDDEN = ([] if SAN else [("write-stderr", "write")]) + [
    ("open", "openat"), ("socket", "socket"), ("connect", "connect"), ("exec", "execve"),
    ("fork", "clone"), ("ptrace", "ptrace"), ("write-other", "write"), ("mprotect-exec", "mprotect"),
    ("mmap-exec", "mmap"), ("ioctl", "ioctl"), ("kill", "kill"), ("setrlimit", "prlimit64"),
    ("unlink", "unlink"), ("stat-path", "newfstatat"),
]


def hooks(*args):
    assert os.path.exists(HOOKS), "build with -Dtest_hooks=true (the default) for " + HOOKS
    return run(*args, binary=HOOKS)


def test_every_forbidden_operation_is_stopped_in_every_profile():
    for profile in PROFILES:
        for op, call in FORBIDDEN:
            res = hooks("--profile", profile, "-e", "console.log('before'); __jsboxTest.attempt('%s'); 'after'" % op)
            assert res.code == 5, (profile, op, res)
            assert res.err == "jsbox: blocked system call: %s\n" % call, (profile, op, res)
            assert "after" not in res.out, (profile, op, res)


def test_hooks_work_without_jail():
    # The hook really performs the call: without the jail it goes through.
    res = hooks("--no-jail", "-e", "__jsboxTest.attempt('kill')")
    expect(res, code=0, out="0\n")


def test_release_binary_has_no_hooks():
    expect(run("-e", "typeof __jsboxTest"), code=0, out='"undefined"\n')
    with open(JSBOX, "rb") as f:
        assert b"__jsboxTest" not in f.read()


def test_normal_scripts_run_in_every_profile():
    for profile in PROFILES:
        res = run("--profile", profile, "--stats", "-e",
                  "console.log('x'); console.error('y'); var a = []; for (var i = 0; i < 50000; i++) a.push({i: i});"
                  " [a.length, new Date(0).getTime(), Math.random() < 1, JSON.stringify({k: [1]})]")
        assert res.code == 0, (profile, res)
        assert res.out == 'x\n[50000,0,true,"{\\"k\\":[1]}"]\n', (profile, res)
        stats = json.loads(res.err.splitlines()[-1])
        assert stats["exit"] == 0 and stats["heap_peak"] > 0, stats


def test_allocation_up_to_limit_in_jail():
    res = run("--memory-limit", "64M", "--timeout", "10s", "-e",
              "var a = []; for (var i = 0; i < 40; i++) a.push(new Uint8Array(1 << 20)); a.length")
    expect(res, code=0, out="40\n")
    res = run("--memory-limit", "64M", "--timeout", "10s", "-e",
              "var a = []; for (;;) a.push(new Uint8Array(1 << 20))")
    expect(res, code=4)


def test_output_near_cap_in_jail():
    res = run("--max-output", "100k", "-e", "for (var i = 0; i < 1000; i++) console.log(new Array(100).join('x'))")
    expect(res, code=0)
    assert len(res.out) == 100000, len(res.out)


def test_timers_and_read_in_jail():
    expect(run("--profile", "moderate", "-e", "setTimeout(function () { output = 'fired'; }, 5)"), code=0,
           out='"fired"\n')
    d = os.path.dirname(os.path.abspath(__file__))
    res = run("--profile", "permissive", "--allow-read", d, "-e", "readFile('%s').length > 0" % os.path.abspath(__file__))
    expect(res, code=0, out="true\n")


def test_local_time_works_in_jail():
    env = {"TZ": "America/New_York"}
    res = run("-e", "[new Date(2020, 6, 1).getTimezoneOffset(), new Date(2020, 0, 1).getTimezoneOffset()]", env=env)
    expect(res, code=0, out="[240,300]\n")
    res = run("-e", "new Date(2020, 6, 1, 12).toString()", env={"TZ": "Europe/Paris"})
    expect(res, code=0, out='"2020-07-01 12:00:00.000+02:00"\n')


def test_no_inherited_descriptors():
    # A descriptor the caller leaves open (here fd 7, opened by a shell) is
    # closed in the evaluator, and writing to it is not allowed either.
    proc = subprocess.run(["sh", "-c", 'exec "$0" -e "__jsboxTest.attempt(\'write-other\')" 7>/dev/null', HOOKS],
                          capture_output=True, timeout=10)
    assert proc.returncode == 5, proc
    assert proc.stderr == b"jsbox: blocked system call: write\n", proc


def test_errors_and_timeouts_in_jail():
    res = run("-e", "null.x")
    expect(res, code=1)
    one_line_error(res, "jsbox: <eval>:1: TypeError")
    res = run("--timeout", "100ms", "-e", "while (true) {}")
    expect(res, code=3)
