"""Every documented error: one line, the right kind, the right exit code."""
import os
import signal
import subprocess

from jsbox_test import needs_transpiler, JSBOX, expect, one_line_error, run, tmpfile


def test_script_error_names_file_and_line():
    path = tmpfile("var a = 1;\nvar b = 2;\nnull.x;\n")
    res = run("run", path)
    expect(res, code=1)
    one_line_error(res, "jsbox: %s:3: TypeError: cannot read property 'x' of null" % path)


def test_eval_error_place():
    res = run("-e", "var x = 1;\ny.z")
    expect(res, code=1)
    one_line_error(res, "jsbox: <eval>:2: ReferenceError: identifier 'y' undefined")


def test_error_raised_in_builtin_names_script_line():
    res = run("-e", "\n\n[].reduce(function () {})")
    expect(res, code=1)
    one_line_error(res, "jsbox: <eval>:3: TypeError")


@needs_transpiler
def test_syntax_error():
    res = run("-e", "var = ;")
    expect(res, code=1)
    one_line_error(res, "jsbox: <eval>:1:5: SyntaxError")
    assert "(line" not in res.err, res


def test_syntax_error_runs_nothing():
    res = run("-e", "console.log('ran');\nvar = ;")
    expect(res, code=1, out="")


def test_thrown_non_error():
    res = run("-e", "throw 'plain'")
    expect(res, code=1)
    one_line_error(res, "jsbox: <eval>: uncaught exception: plain")


def test_stack_trace_flag():
    res = run("--stack-trace", "-e", "function inner() { throw new Error('boom'); }\ninner();")
    expect(res, code=1)
    lines = res.err.splitlines()
    assert lines[0] == "jsbox: <eval>:1: Error: boom", res
    assert any("at inner (<eval>:1)" in l for l in lines[1:]), res
    assert not any("duk_" in l for l in lines), res


def test_unknown_flag():
    res = run("--frobnicate")
    expect(res, code=2, out="")
    one_line_error(res, "jsbox: usage: unknown option '--frobnicate'")


def test_unknown_short_flag():
    res = run("-Z")
    expect(res, code=2)
    one_line_error(res, "jsbox: usage: unknown option '-Z'")


def test_missing_flag_value():
    res = run("-e")
    expect(res, code=2)
    one_line_error(res, "jsbox: usage: --eval needs CODE")


def test_flag_takes_no_value():
    res = run("--compact=yes", "-e", "1")
    expect(res, code=2)
    one_line_error(res, "jsbox: usage: --compact takes no value")


def test_unknown_command():
    res = run("frobnicate")
    expect(res, code=2)
    one_line_error(res, "jsbox: usage: unknown command 'frobnicate'")


def test_missing_script_file():
    res = run("run", "/nonexistent/script.js")
    expect(res, code=2)
    one_line_error(res, "jsbox: usage: /nonexistent/script.js: cannot open: No such file or directory")


def test_script_is_directory():
    res = run("run", "/")
    expect(res, code=2)
    one_line_error(res, "jsbox: usage: /: is a directory")


def test_missing_input_file():
    res = run("-e", "1", "--input", "/nonexistent/data.json")
    expect(res, code=2)
    one_line_error(res, "jsbox: usage: /nonexistent/data.json: cannot open: No such file or directory")


def test_unreadable_input_file():
    if os.geteuid() == 0:
        # root reads anything; a directory is the unreadable case here.
        res = run("-e", "1", "--input", "/")
        expect(res, code=2)
        one_line_error(res, "jsbox: usage: /: is a directory")
        return
    path = tmpfile("{}", suffix=".json")
    os.chmod(path, 0)
    res = run("-e", "1", "--input", path)
    expect(res, code=2)
    one_line_error(res, "jsbox: usage: %s: cannot open: Permission denied" % path)


def test_invalid_input_json_line_col():
    path = tmpfile('{\n  "a": 1,\n  "b": tru\n}', suffix=".json")
    res = run("-e", "1", "--input", path)
    expect(res, code=2)
    one_line_error(res, "jsbox: usage: %s:3:" % path)
    assert "invalid JSON" in res.err, res


def test_truncated_input_json():
    res = run("-e", "1", "--input", "-", stdin='{"a": [1, 2')
    expect(res, code=2)
    one_line_error(res, "jsbox: usage: <stdin>:1:")
    assert "unexpected end of input" in res.err, res


def test_trailing_garbage_input_json():
    res = run("-e", "1", "--input", "-", stdin='{"a": 1} x')
    expect(res, code=2)
    one_line_error(res, "jsbox: usage: <stdin>:1:10: invalid JSON")


def test_empty_input():
    res = run("-e", "1", "--input", "-", stdin="  \n")
    expect(res, code=2)
    one_line_error(res, "jsbox: usage: <stdin>: invalid JSON: empty input")


def test_bad_limits():
    for flag, value in [("--memory-limit", "-1"), ("--memory-limit", "16Q"), ("--timeout", "5h"),
                        ("--timeout", "0"), ("--max-output", "abc"), ("--memory-limit", "99999999999999999999G")]:
        res = run(flag, value, "-e", "1")
        expect(res, code=2)
        one_line_error(res, "jsbox: usage: %s: invalid" % flag)


def test_unknown_profile():
    res = run("--profile", "lax", "-e", "1")
    expect(res, code=2)
    one_line_error(res, "jsbox: usage: unknown profile 'lax'")


def test_code_over_size_limit():
    path = tmpfile("var x = 1;\n" * 7000)
    res = run("run", path)
    expect(res, code=5)
    one_line_error(res, "jsbox: blocked by policy: %s: the code is larger than the 64 KiB size limit" % path)


def test_full_disk_reported():
    with open("/dev/full", "wb") as full:
        proc = subprocess.run([JSBOX, "-e", "'x'"], stdout=full, stderr=subprocess.PIPE, timeout=10)
    assert proc.returncode == 2, proc
    assert proc.stderr.decode() == "jsbox: write error: stdout: No space left on device\n", proc


def test_closed_pipe_ends_quietly():
    proc = subprocess.Popen([JSBOX, "-e", "for (var i = 0; i < 100000; i++) console.log('line ' + i)"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read()
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGPIPE, (proc.returncode, err)
    assert err == b"", err
