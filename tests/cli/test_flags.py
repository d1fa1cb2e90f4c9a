"""Flags, errors and fidelity cases beyond the per-mode files: every flag
spelling, every usage error, argument edge cases, and hostile values."""
import subprocess

from jsbox_test import JSBOX, run, run_bytes, expect, tmpfile, one_line_error


def test_eval_inline_long_form():
    expect(run("--eval=[1,2].length"), code=0, out="2\n", err="")


def test_eval_bundled_value():
    expect(run("-e6*7"), code=0, out="42\n")


def test_no_arguments_empty_stdin_prints_nothing():
    expect(run(stdin=""), code=0, out="", err="")


def test_input_short_flag_and_equals():
    data = tmpfile("[1, 2, 3]", suffix=".json")
    expect(run("-i", data, "-e", "input.length"), code=0, out="3\n")
    expect(run("--input=" + data, "-e", "input[2]"), code=0, out="3\n")


def test_seed_reduce_with_input():
    data = tmpfile('{"numbers": [1, 2, 3, 4]}', suffix=".json")
    script = tmpfile("var numbers = input.numbers;\n"
                     "return numbers.reduce(function (a, b) { return a + b; }, 0);\n")
    expect(run("run", script, "--input", data), code=0, out="10\n", err="")


def test_arg_value_is_never_parsed():
    expect(run("--arg", "n", "42", "-e", "typeof n"), code=0, out='"string"\n')


def test_arg_equals_form_takes_name():
    expect(run("--arg=x", "v", "-e", "x"), code=0, out='"v"\n')


def test_argjson_empty_is_usage_error():
    res = expect(run("--argjson", "cfg", "", "-e", "1"), code=2, out="")
    one_line_error(res, "jsbox: usage: --argjson cfg: invalid JSON: empty input")


def test_invalid_identifiers_rejected():
    for name in ["1x", "a-b", "", "var", "input", "output", "console", "a b", "é"]:
        for flag, value in (("--arg", "v"), ("--argjson", "1")):
            res = expect(run(flag, name, value, "-e", "1"), code=2, out="")
            one_line_error(res, "jsbox: usage: %s: '%s' is not a usable identifier" % (flag, name))


def test_identifier_with_dollar_and_underscore():
    expect(run("--arg", "$_a1", "ok", "-e", "$_a1"), code=0, out='"ok"\n')


def test_raw_only_affects_strings():
    expect(run("-r", "-e", "({s: 'x'})"), code=0, out='{"s":"x"}\n')


def test_thrown_in_nested_function_names_its_line():
    res = expect(run("-e", "function f() {\n  throw new Error('deep');\n}\nf()"), code=1, out="")
    assert res.err == "jsbox: <eval>:2: Error: deep\n", res


def test_output_before_error_is_kept():
    res = expect(run("-e", "console.log('before'); null.x"), code=1, out="before\n")
    one_line_error(res, "jsbox: <eval>:1: TypeError:")


def test_no_stack_trace_by_default():
    res = run("-e", "function f() { null.x }\nf()")
    assert len(res.err.splitlines()) == 1, res


def usage(args, message, stdin=None):
    res = expect(run(*args, stdin=stdin), code=2, out="")
    one_line_error(res, "jsbox: usage: " + message)
    return res


def test_unknown_flags():
    usage(["--bogus"], "unknown option '--bogus' (see jsbox --help)")
    usage(["-q", "-e", "1"], "unknown option '-q' (see jsbox --help)")
    usage(["-cq"], "unknown option '-q' (see jsbox --help)")


def test_missing_values():
    usage(["-e"], "--eval needs CODE (see jsbox --help)")
    usage(["--input"], "--input needs FILE (see jsbox --help)")
    usage(["--arg", "x"], "--arg needs NAME VALUE (see jsbox --help)")
    usage(["--argjson"], "--argjson needs NAME JSON (see jsbox --help)")


def test_bad_commands():
    usage(["run"], "run takes one FILE (or - for stdin) (see jsbox --help)")
    usage(["run", "a", "b"], "run takes one FILE (or - for stdin) (see jsbox --help)")
    usage(["frobnicate"], "unknown command 'frobnicate' (see jsbox --help)")
    usage(["-e", "1", "-e", "2"], "-e given twice (see jsbox --help)")
    usage(["-e", "1", "run", "x.js"], "-e cannot be combined with a command (see jsbox --help)")


def test_invalid_input_json_binary():
    usage(["-e", "1", "--input", "-"], "<stdin>:1:2: invalid JSON: unexpected byte 0x01", stdin=b"[\x01]")


def test_help_wins_over_other_flags():
    res = expect(run("-e", "1", "--help"), code=0, err="")
    assert res.out.startswith("Usage: jsbox"), res


def test_stdout_full_disk_with_console():
    with open("/dev/full", "wb") as full:
        proc = subprocess.run([JSBOX, "-e", "console.log('a'); undefined"], stdout=full,
                              stderr=subprocess.PIPE, timeout=30)
    assert proc.returncode != 0, proc
    assert b"No space left on device" in proc.stderr, proc


def roundtrip(doc):
    return run_bytes("-c", "-e", "input", "--input", "-", stdin=doc)


def test_utf8_and_escapes_round_trip():
    doc = '["é","ü€","a\\"b\\\\c","\\n\\t\\r\\b\\f","\\u001f","/"]'.encode()
    res = roundtrip(doc)
    assert (res.code, res.err) == (0, b""), res
    assert res.out == '["é","ü€","a\\"b\\\\c","\\n\\t\\r\\b\\f","\\u001f","/"]\n'.encode(), res


def test_emoji_raw_and_escaped_surrogate_pairs():
    res = roundtrip('["😀","\\ud83d\\ude00","x𝄞y"]'.encode())
    assert res.out == '["😀","😀","x𝄞y"]\n'.encode(), res


def test_argjson_large_integer_warns():
    res = expect(run("--argjson", "n", "9007199254740995", "-e", "n"), code=0, out="9007199254740996\n")
    one_line_error(res, "jsbox: warning: --argjson n:1:1: number 9007199254740995 is beyond 2^53")


def test_input_too_big_for_memory_limit():
    doc = "[" + ",".join(["1234567"] * 400000) + "]"
    res = expect(run("--memory-limit", "1M", "-e", "1", "--input", "-", stdin=doc), code=4, out="")
    one_line_error(res, "jsbox: memory limit exceeded")


def test_deep_result_nesting_never_crashes():
    res = run("--timeout", "10s", "-e", "var a = []; for (var i = 0; i < 100000; i++) a = [a]; a")
    assert res.code in (1, 4), res
    assert len(res.err.splitlines()) == 1 and res.err.startswith("jsbox: "), res


def test_input_file_between_read_budget_and_heap_is_memory_error():
    # The file fits the read budget but its value does not fit the heap: the
    # failed allocation must end as exit 4, not a crash or a timeout.
    path = tmpfile("[" + ",".join(["1"] * 300000) + "]", suffix=".json")
    for limit in ("700k", "1M", "1500k"):
        res = expect(run("--memory-limit", limit, "-e", "input.length", "--input", path), code=4, out="")
        one_line_error(res, "jsbox: memory limit exceeded: ")
        assert res.wall < 2, res
