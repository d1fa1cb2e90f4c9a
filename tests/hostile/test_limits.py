"""Hostile scripts against every limit: each must end with the documented
exit code and one-line message, within a bounded wall time, never a crash.
Timing-sensitive tests run alone (@serial)."""
import os
import signal
import subprocess
import time

from jsbox_test import JSBOX, evaluator_of, expect, one_line_error, run, serial, tmpfile

SAN = "san" in os.environ.get("JSBOX_BUILD", "")
# Deadline + grace + process start; the sanitizer build is slower to tear down.
SLACK = 1.5 if SAN else 0.4
# Deadline for tests about other limits, in every build: no build on a
# loaded machine may turn them into time limits (a memory bomb needs
# 0.2-0.4 s of CPU, several times that under the sanitizers).
BIG = "120s"


def run_big(*args):
    """A run whose limit under test is not time (nor wall-clock speed)."""
    return run("--timeout", BIG, *args, timeout=300)


def timed_out(res, limit="500 ms", seconds=0.5):
    expect(res, code=3)
    one_line_error(res, "jsbox: time limit exceeded: %s" % limit)
    assert res.wall < seconds + SLACK, res


def out_of_memory(res, limit="16 MiB"):
    expect(res, code=4)
    assert res.err.splitlines()[-1] == "jsbox: memory limit exceeded: %s" % limit, res
    assert res.err.count("jsbox:") == 1, res


@serial
def test_plain_loop():
    timed_out(run("-e", "while (true) {}"))


@serial
def test_catching_the_timeout_does_not_help():
    res = run("-e", "var n = 0; for (;;) { try { while (true) {} } catch (e) { n++; } } ")
    timed_out(res)


@serial
def test_timeout_then_more_work_cannot_succeed():
    res = run("-e", "try { while (true) {} } catch (e) {} console.log('after'); 'done'")
    timed_out(res)
    assert "done" not in res.out, res


@serial
def test_finally_cannot_outlive_deadline():
    timed_out(run("-e", "for (;;) { try { while (true) {} } finally { continue; } }"))


@serial
def test_catastrophic_regexp():
    timed_out(run("-e", "/(a+)+$/.test(new Array(40).join('a') + 'b')"))


@serial
def test_native_sort_with_comparator():
    timed_out(run("--memory-limit", "64M", "-e",
                  "var a = []; for (var i = 0; i < 300000; i++) a.push(Math.random());"
                  "a.sort(function (x, y) { return x - y; }); a.sort(); a.length"))


@serial
def test_native_sort_without_comparator():
    timed_out(run("--memory-limit", "128M", "--timeout", "300ms", "-e",
                  "var a = []; for (var i = 0; i < 3000000; i++) a.push('k' + (i * 7919 % 1000003));"
                  "a.sort(); a.length"), limit="300 ms", seconds=0.3)


@serial
def test_huge_join():
    res = run("--memory-limit", "256M", "--timeout", "200ms", "-e",
              "var a = new Array(3000000); for (;;) a.join('abcdefgh').length")
    assert res.code in (3, 4), res
    assert res.wall < 0.2 + SLACK, res


@serial
def test_getter_while_serialising_result():
    timed_out(run("-e", "var o = {}; Object.defineProperty(o, 'x', {get: function () { for (;;) {} },"
                  " enumerable: true}); o"))


@serial
def test_tojson_while_serialising_result():
    timed_out(run("-e", "output = {toJSON: function () { for (;;) {} }}"))


@serial
def test_proxy_trap_while_serialising_result():
    timed_out(run("-e", "new Proxy({}, {ownKeys: function () { for (;;) {} }})"))


@serial
def test_proxy_trap_in_console_log():
    timed_out(run("-e", "console.log(new Proxy({}, {ownKeys: function () { for (;;) {} }}))"))


@serial
def test_finalizer_loop():
    timed_out(run("--profile", "permissive", "--timeout", "500ms", "-e",
                  "var o = {}; Duktape.fin(o, function () { for (;;) {} }); o = null; Duktape.gc(); 1"))


@serial
def test_deadline_counts_compilation_of_huge_source():
    src = "var x = 0;\n" + "x = x + 1;\n" * 200000
    path = tmpfile(src)
    res = run("--profile", "permissive", "--timeout", "50ms", "run", path)
    assert res.code in (0, 3), res
    assert res.wall < 0.05 + SLACK, res


def test_memory_bomb_array():
    out_of_memory(run_big("-e", "var a = []; for (;;) a.push({x: a.length})"))


def test_memory_bomb_strings():
    out_of_memory(run_big("-e", "var s = 'x'; for (;;) s = s + s"))


def test_memory_bomb_typed_array():
    out_of_memory(run_big("-e", "new Uint8Array(1e9).length"))


def test_memory_bomb_repeat():
    out_of_memory(run_big("-e", "'abc'.repeat(1e8).length"))


def test_catch_oom_and_keep_allocating():
    res = run_big("-e", "var a = []; try { for (;;) a.push(new Array(1000)); } catch (e) { a = null; }"
                  "var b = []; for (;;) b.push(1);")
    out_of_memory(res)


def test_catch_oom_and_finish_still_fails():
    res = run_big("-e", "try { var s = 'x'; for (;;) s = s + s; } catch (e) {} 'survived'")
    out_of_memory(res)
    assert "survived" not in res.out, res


def test_memory_limit_flag():
    out_of_memory(run_big("--memory-limit", "4M", "-e", "var a = []; for (;;) a.push('s' + a.length)"), "4 MiB")


def test_memory_stats_never_pass_limit():
    res = run_big("--stats", "--memory-limit", "8M", "-e", "var a = []; try { for (;;) a.push([a.length]) } catch (e) {}"
                  " a = null; var b = []; for (;;) b.push(1);")
    import json
    stats = json.loads(res.err.splitlines()[-1])
    assert stats["heap_peak"] <= 8 * 1024 * 1024 + 64, stats
    expect(res, code=4)
    assert stats["limit"] == "memory", stats


def test_huge_file_input_fails_fast():
    path = tmpfile(b"", suffix=".json")
    with open(path, "r+b") as f:
        f.truncate(1 << 30)  # a sparse 1 GiB file
    res = run("-e", "1", "--input", path)
    out_of_memory(res)
    assert res.wall < 2, res


def test_huge_piped_input_fails_fast():
    proc = subprocess.Popen([JSBOX, "-e", "1", "--input", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    start = time.monotonic()
    chunk = b"[" + b"1," * 500000
    try:
        for _ in range(1000):  # up to ~1 GB; jsbox must stop reading long before
            proc.stdin.write(chunk)
    except BrokenPipeError:
        pass
    try:
        proc.stdin.close()
    except BrokenPipeError:
        pass
    err = proc.stderr.read().decode()
    proc.wait(timeout=30)
    assert proc.returncode == 4, (proc.returncode, err)
    assert err == "jsbox: memory limit exceeded: 16 MiB\n", err
    assert time.monotonic() - start < 10


def test_huge_argjson():
    res = run("--memory-limit", "512k", "--argjson", "big", "[" + "1," * 60000 + "1]", "-e", "big.length")
    out_of_memory(res, "512 KiB")


def test_deep_recursion_is_catchable():
    res = run("-e", "function r(n) { return 1 + r(n + 1); } var name; try { r(0) } catch (e) { name = e.name } name")
    expect(res, code=0, out='"RangeError"\n')


def test_deep_recursion_uncaught():
    res = run("-e", "function r() { r(); } r()")
    expect(res, code=1)
    one_line_error(res, "jsbox: <eval>:1: RangeError")


def test_deep_source_nesting():
    for src in ["(" * 100000 + "1" + ")" * 100000, "[" * 100000 + "]" * 100000,
                "{" * 100000 + "}" * 100000, "a" + "[0]" * 100000, "-" * 100000 + "1"]:
        res = run("--profile", "permissive", "run", tmpfile(src))
        assert res.code == 1, res
        one_line_error(res, "jsbox: /")
        assert "Error" in res.err, res


def test_deep_regexp_nesting():
    res = run("--profile", "permissive", "-e", "new RegExp(new Array(100000).join('(') + 'a' + new Array(100000).join(')'))")
    assert res.code == 1 and "RangeError" in res.err or "SyntaxError" in res.err, res


def test_deep_value_stringify():
    res = run("--timeout", BIG, "-e", "var x = {}; for (var i = 0; i < 100000; i++) x = {a: x}; JSON.stringify(x).length")
    expect(res, code=1)
    one_line_error(res, "jsbox: <eval>:1: RangeError")


def test_deep_value_console_log():
    res = run("--timeout", BIG, "-e", "var x = []; for (var i = 0; i < 100000; i++) x = [x]; console.log(x); 'ok'")
    expect(res, code=0, out="[ [ [ [Array] ] ] ]\n\"ok\"\n")


def test_deep_value_result():
    res = run("--timeout", BIG, "-e", "var x = []; for (var i = 0; i < 100000; i++) x = [x]; x")
    expect(res, code=1)
    one_line_error(res, "jsbox: <eval>: RangeError")


def test_output_flood_console():
    # The output limit is what is checked: a deadline of its own.
    res = run("--timeout", "60s", "-e", "for (;;) console.log('flood flood flood')")
    expect(res, code=6)
    assert len(res.out) == 1024 * 1024, len(res.out)
    assert res.out.startswith("flood flood flood\n"), res
    one_line_error(res, "jsbox: output limit exceeded: 1 MiB")


def test_output_flood_stderr_counts_too():
    res = run("--max-output", "1k", "-e", "for (;;) console.error('e')")
    expect(res, code=6)
    assert res.err.endswith("jsbox: output limit exceeded: 1 KiB\n"), res
    assert res.err.count("e\n") == 512, res


def test_output_flood_result():
    # The output limit is what is checked: a deadline of its own, not the
    # profile's 500 ms, whatever the machine's load.
    res = run("--max-output", "10k", "--timeout", "60s", "-e", "new Array(100000).join('x')")
    expect(res, code=6)
    assert res.out == '"' + "x" * (10 * 1024 - 1), res
    one_line_error(res, "jsbox: output limit exceeded: 10 KiB")


def test_output_just_under_limit():
    res = run("--max-output", "10", "-e", "console.log('123456789')")
    expect(res, code=0, out="123456789\n")


def test_output_before_timeout_is_kept():
    res = run("--timeout", "200ms", "-e", "console.log('early'); while (true) {}")
    expect(res, code=3, out="early\n")


def test_sigint_interrupts():
    proc = subprocess.Popen([JSBOX, "--timeout", "20s", "-e", "while (true) {}"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    evaluator_of(proc.pid)
    time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=10)
    assert proc.returncode == 130, (proc.returncode, err)
    assert err == b"jsbox: interrupted: stopped by SIGINT\n", err


def test_stats_line():
    import json
    res = run("--stats", "-e", "console.log('hi'); 1")
    expect(res, code=0, out="hi\n1\n")
    stats = json.loads(res.err.splitlines()[-1])
    for key in ("wall_ms", "cpu_ms", "heap_peak", "allocations", "output_bytes", "limit", "exit"):
        assert key in stats, stats
    assert stats["output_bytes"] == 5 and stats["limit"] is None and stats["exit"] == 0, stats


def test_stats_after_supervisor_kill():
    import json
    res = run("--stats", "--timeout", "100ms", "-e", "/(a+)+$/.test(new Array(40).join('a') + 'b')")
    expect(res, code=3)
    stats = json.loads(res.err.splitlines()[-1])
    assert stats["exit"] == 3 and stats["limit"] == "time", stats
