"""Scripts and inputs that try to use more memory than the limit: exit 4 and
one message, fast."""
import os

from jsbox_test import needs_transpiler, run as _run, expect, tmpfile, serial

# These tests check the memory limit, not speed: every run gets a deadline
# no build on a loaded machine reaches (so the answer is memory, never
# time) and no wall-clock bound.  A bomb needs 0.2-0.4 s of CPU here,
# several times that under the sanitizers, and a loaded two-core machine
# multiplies the wall time again.
LONG = "120s"


def run(*args, timeout=300, **kw):
    return _run(*(["--timeout", LONG] + list(args)), timeout=timeout, **kw)


MEM = "jsbox: memory limit exceeded: 16 MiB\n"


def out_of_memory(*args, **kw):
    return expect(run(*args, **kw), code=4, err=MEM, out="")


@serial
def test_array_bomb():
    out_of_memory("--timeout", LONG, "-e", "var a = []; for (;;) a.push([1, 2, 3, 4])")


def test_string_doubling():
    out_of_memory("-e", "var s = 'x'; for (;;) s = s + s + '';")


def test_repeat_bomb():
    out_of_memory("-e", "'x'.repeat(1 << 28)")


def test_typed_array_bomb():
    out_of_memory("-e", "var k = []; for (;;) k.push(new Uint8Array(1 << 20))")


def test_single_huge_typed_array():
    out_of_memory("-e", "new Float64Array(1 << 26).length")


@serial
def test_object_graph_bomb():
    out_of_memory("--timeout", LONG, "-e", "var root = {}; for (var i = 0;; i++) root = {a: root, b: {c: i}, d: 'k' + i}",
)


@serial
def test_catch_out_of_memory_then_allocate_more():
    out_of_memory("--timeout", LONG, "-e", "var keep = [];"
                  "try { for (;;) keep.push('x'.repeat(1000) + keep.length) } catch (e) {}"
                  "keep = null; var again = []; for (;;) again.push({})")


@serial
def test_catch_out_of_memory_then_succeed_is_still_memory():
    out_of_memory("--timeout", LONG, "-e", "try { var a = []; for (;;) a.push([1, 2]) } catch (e) { a = null } 'escaped'")


def test_huge_join():
    out_of_memory("-e", "var s = 'abcdefghij'.repeat(20), a = []; for (var i = 0; i < 50000; i++) a.push(s); a.join(',').length")


def test_huge_split():
    out_of_memory("-e", "'ab'.repeat(1 << 21).split('').length")


def test_json_stringify_huge():
    out_of_memory("-e", "var a = []; for (var i = 0; i < 1000; i++) a.push('y'.repeat(1000));"
                  "var b = []; for (var j = 0; j < 100; j++) b.push(a); JSON.stringify(b).length")


def test_result_too_big_to_serialise():
    out_of_memory("-e", "var a = []; for (var i = 0; i < 1000; i++) a.push('y'.repeat(1000));"
                  "var b = []; for (var j = 0; j < 100; j++) b.push(a); output = b", "--max-output", "1G")


def test_huge_input_from_pipe_fails_fast():
    import subprocess
    from jsbox_test import JSBOX
    chunk = b"[" + b"1," * (1 << 19)
    proc = subprocess.Popen([JSBOX, "--timeout", LONG, "-e", "input.length", "--input", "-"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    fd = proc.stdin.fileno()
    sent = 0
    try:
        while sent < (1 << 30):
            sent += os.write(fd, chunk)
    except BrokenPipeError:
        pass
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 4, (proc.returncode, err)
    assert err == MEM.encode(), err
    assert out == b""
    assert sent < (1 << 30), "read the whole gigabyte before failing"


def test_huge_input_file_fails_before_reading():
    path = tmpfile(b"", suffix=".json")
    with open(path, "r+b") as f:
        f.truncate(1 << 30)  # sparse: 1 GB without the disk
    try:
        out_of_memory("-e", "input.length", "--input", path)
    finally:
        os.unlink(path)


def test_argjson_huge_values():
    # One argument is capped at 128 KiB by the kernel: many small arrays
    # expand to far more heap than their text.
    value = "[" + ",".join(["[]"] * 40000) + "]"
    args = []
    for k in range(12):
        args += ["--argjson", "v%d" % k, value]
    expect(run("-e", "1", "--memory-limit", "4M", *args), code=4,
           err="jsbox: memory limit exceeded: 4 MiB\n", out="")


@serial
def test_console_log_huge_value():
    out_of_memory("--timeout", LONG, "-e", "var a = []; for (var i = 0; i < 200; i++) a.push('q'.repeat(20000));"
                  "var b = []; for (var j = 0; j < 5; j++) b.push(a); console.log(b, b, b)",
                  "--max-output", "1G")


@serial
def test_memory_limit_flag_message():
    expect(run("-e", "var a = []; for (;;) a.push([1])", "--memory-limit", "4M", "--timeout", LONG),
           code=4, err="jsbox: memory limit exceeded: 4 MiB\n", out="")


@needs_transpiler
def test_tiny_limits_end_cleanly_wherever_the_heap_runs_out():
    # Below ~110 KiB even the empty heap does not fit: Duktape then fails
    # while building its built-ins, outside any protected call.  Every limit
    # must give success or exit 4 with its message, never a crash.
    scripts = ["1", "[1, 2].map(function (x) { return x * 2; })", "const a = [1, 2]; a.map(x => x)"]
    for kib in range(4, 400, 9):
        for code in scripts:
            res = run("--memory-limit", "%dk" % kib, "-e", code)
            assert res.code in (0, 4), (kib, code, res)
            if res.code == 4:
                assert res.err == "jsbox: memory limit exceeded: %d KiB\n" % kib, (kib, code, res)
