"""The OS jail: every forbidden operation is stopped and named under every
profile; normal scripts of every profile still run inside it."""
import json
import os
import signal
import subprocess
import time

from jsbox_test import JSBOX, expect, one_line_error, run, skip, tmpfile

HOOKS = os.path.join(os.environ.get("JSBOX_BUILD", ""), "tests", "jsbox-hooks")
PROFILES = ("strict", "moderate", "permissive")
# Sanitizer builds keep fd 2 open in the evaluator for the runtime's reports.
SAN = "san" in os.environ.get("JSBOX_BUILD", "")
FORBIDDEN = ([] if SAN else [("write-stderr", "write")]) + [
    ("open", "openat"), ("socket", "socket"), ("connect", "connect"), ("exec", "execve"),
    ("fork", "clone"), ("ptrace", "ptrace"), ("write-other", "write"), ("mprotect-exec", "mprotect"),
    ("mmap-exec", "mmap"), ("ioctl", "ioctl"), ("kill", "kill"), ("setrlimit", "prlimit64"),
    ("unlink", "unlink"), ("stat-path", "newfstatat"), ("stat-path-empty-flag", "newfstatat"),
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
    # About the jail, not the deadline: 50,000 objects under a sanitizer
    # build beside other tests can take more than the profiles' 500 ms.
    for profile in PROFILES:
        res = run("--profile", profile, "--timeout", "10s", "--stats", "-e",
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
    res = run("--max-output", "100k", "--timeout", "60s", "-e",
              "for (var i = 0; i < 1000; i++) console.log(new Array(100).join('x'))")
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


# What the filter adds beyond the operations above.
EXTRA_FORBIDDEN = [("sigaction", "rt_sigaction"), ("read-other", "read")]


def test_extra_forbidden_operations_in_every_profile():
    for profile in PROFILES:
        for op, call in EXTRA_FORBIDDEN:
            res = hooks("--profile", profile, "-e", "__jsboxTest.attempt('%s'); 'after'" % op)
            expect(res, code=5, out="", err="jsbox: blocked system call: %s\n" % call)


def test_forbidden_operations_with_allow_read():
    """readFile() widens the filter (the socket, reads of passed descriptors);
    everything else stays stopped."""
    d = os.path.dirname(os.path.abspath(__file__))
    for op, call in FORBIDDEN + [("sigaction", "rt_sigaction")]:
        res = hooks("--profile", "permissive", "--allow-read", d, "-e", "__jsboxTest.attempt('%s'); 'after'" % op)
        expect(res, code=5, out="", err="jsbox: blocked system call: %s\n" % call)


def test_blocked_call_cannot_be_caught():
    res = hooks("-e", "try { __jsboxTest.attempt('open') } catch (e) { 'caught' }")
    expect(res, code=5, out="", err="jsbox: blocked system call: openat\n")


def i386_entry_works():
    """Whether this kernel runs 32-bit system calls (IA32 emulation), probed
    outside the jail: without it `int 0x80` is a SIGSEGV wherever it runs."""
    res = hooks("--no-jail", "-e", "__jsboxTest.attempt('i386-getpid')")
    if res.code == 70 and "killed by SIGSEGV" in res.err:
        return False
    if "AddressSanitizer: SEGV" in res.err:  # the sanitizer caught the fault first
        return False
    assert res.code == 0 and int(res.out) > 0, res
    return True


def test_other_architecture_is_killed_and_reported():
    if os.uname().machine != "x86_64":
        skip("the 32-bit entry point is an x86-64 matter")
    if not i386_entry_works():
        skip("the kernel has no 32-bit system calls (int 0x80 faults without the jail)")
    expect(hooks("-e", "__jsboxTest.attempt('i386-getpid')"), code=5, out="",
           err="jsbox: blocked system call: unknown (another architecture)\n")


def test_hooks_reach_the_kernel_without_jail():
    """The control for every hook whose call can succeed or fail harmlessly:
    without the jail each returns, so what stops them above is the filter."""
    def call(op):
        res = hooks("--no-jail", "-e", "__jsboxTest.attempt('%s')" % op)
        assert res.code == 0 and res.err == "", (op, res)
        return int(res.out)
    assert call("open") >= 0
    assert call("socket") >= 0
    assert call("mmap-exec") > 0
    assert call("mprotect-exec") == 0
    assert call("sigaction") == 0
    assert call("read-other") == -1  # fd 7 was closed with every inherited one
    assert call("stat-path") == 0
    assert call("stat-path-empty-flag") == 0


def test_no_seccomp_refuses_unless_no_jail():
    env = {"JSBOX_TEST_NO_SECCOMP": "1"}
    res = run("-e", "1", env=env, binary=HOOKS)
    expect(res, code=70, out="",
           err="jsbox: internal error: cannot confine the evaluator: the kernel refused the syscall filter "
               "(Invalid argument): seccomp is unavailable; --no-jail runs without it (unsafe)\n")
    expect(run("--no-jail", "-e", "1", env=env, binary=HOOKS), code=0, out="1\n", err="")


def test_installed_files_hold_no_hook():
    with open(JSBOX, "rb") as f:
        assert b"JSBOX_TEST_NO_SECCOMP" not in f.read()
    with open(HOOKS, "rb") as f:
        assert b"JSBOX_TEST_NO_SECCOMP" in f.read()  # the marker is a real one
    build = os.environ.get("JSBOX_BUILD", "")
    proc = subprocess.run(["meson", "introspect", build, "--installed"], capture_output=True, text=True)
    assert proc.returncode == 0, proc
    installed = json.loads(proc.stdout)
    assert any(os.path.basename(p) == "jsbox" for p in installed), installed
    assert not any("hooks" in p for p in list(installed) + list(installed.values())), installed


def test_input_descriptor_and_stdin_in_jail():
    data = tmpfile('{"n": [1, 2, 3]}', suffix=".json")
    try:
        expect(run("-i", data, "-e", "input.n.length"), code=0, out="3\n", err="")
    finally:
        os.unlink(data)
    expect(run("-i", "-", "-e", "input.n[2]", stdin='{"n": [1, 2, 3]}'), code=0, out="3\n", err="")


def test_big_heap_under_the_address_space_limit():
    # Zeroing 900 MB is slow on a loaded machine: the point is the address
    # space limit, so the deadline is far.
    expect(run("--memory-limit", "1G", "--timeout", "2m", "-e", "new Uint8Array(900 * 1024 * 1024).length"),
           code=0, out="943718400\n", err="")


def test_local_time_keeps_historical_rules():
    # US daylight saving time began on 2 April in 2006, on the second Sunday
    # of March from 2007: 20 March 2006 was still standard time.
    res = run("-e", "[new Date(2006, 2, 20).getTimezoneOffset(), new Date(2007, 2, 20).getTimezoneOffset()]",
              env={"TZ": "America/New_York"})
    expect(res, code=0, out="[300,240]\n")


def test_sigint_handler_returns_in_jail():
    """SIGINT runs the evaluator's flag handler and rt_sigreturn."""
    proc = subprocess.Popen([JSBOX, "--timeout", "20s", "-e", "for (;;) {}"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=10)
    assert proc.returncode == 130 and err == b"jsbox: interrupted: stopped by SIGINT\n", (proc.returncode, err)


def test_evaluator_that_closes_its_pipe_and_sleeps_is_killed_in_bounds():
    # Native code that closes every descriptor and sleeps, using only calls
    # the jail allows: the parent must not wait for its exit unbounded.
    for extra in ([], ["--stats"]):
        res = hooks(*extra, "-e", "__jsboxTest.attempt('close-and-sleep')")
        assert res.code in (70, 3), res
        assert "jsbox: internal error: the evaluator closed its output but did not exit" in res.err, res
        # the deadline (500 ms) plus grace, with room for a loaded machine
        assert res.wall < 5, res


def test_an_evaluator_that_says_it_is_stopping_while_the_parent_judges_is_a_timeout():
    # The evaluator reaches its deadline late (descheduled), says it is
    # stopping just as the parent, also late, judges it, and has not yet
    # reported: once read as "closed its output but did not exit" (exit 70,
    # "crashed" in serve) because the parent read the shared page twice and
    # the second reading earned the evaluator more grace.
    lags = {"JSBOX_TEST_STOP_LAG_MS": "30", "JSBOX_TEST_STOPPING_LAG_MS": "300", "JSBOX_TEST_CHECK_LAG_MS": "50"}
    for _ in range(3):
        res = run("--timeout", "50ms", "-e", "for (;;) {}", binary=HOOKS, env=lags)
        assert res.code == 3 and res.err == "jsbox: time limit exceeded: 50 ms\n", res
    from serve_client import Server
    s = Server("--quiet", "--workers", "1", binary=HOOKS, env=lags)
    try:
        for _ in range(3):
            r = s.execute("for (;;) {}", limits={"timeout": "50ms"})
            assert r["status"] == "timeout" and r["error"]["message"] == "time limit exceeded: 50 ms", r
    finally:
        s.close()


def test_deadline_published_while_the_parent_lags_still_holds():
    # A parent descheduled right after fork (a loaded machine) must not erase
    # the deadline the evaluator has already published and fall back to the
    # run's outer bound (timeout plus transpile_timeout, 10 s).  A regexp
    # cannot stop itself, so only the parent's deadline ends it.
    script = "'x'.repeat(200000).replace(/(?<!y.*)x/g, 'z').length"
    res = run("--timeout", "300ms", "-e", script, binary=HOOKS, env={"JSBOX_TEST_PARENT_LAG_MS": "400"})
    assert res.code == 3 and "time limit exceeded: 300 ms" in res.err, res
    assert res.wall < 4, res
    # A session (the REPL's evaluator) arms each request before sending it.
    res = run("--timeout", "300ms", "repl", stdin=script + "\n", binary=HOOKS, env={"JSBOX_TEST_PARENT_LAG_MS": "400"})
    assert "time limit exceeded" in res.err and res.wall < 4, res
