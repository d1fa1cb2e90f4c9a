"""Stream mode: --ndjson records, --slurp, -n, --on-error, per-record limits,
--json-result envelopes for every exit code, pipes and terminals."""
import json
import os
import pty
import subprocess
import time

from jsbox_test import JSBOX, expect, run, serial, tmpfile


def lines(res):
    return [json.loads(l) for l in res.out.splitlines()]


def test_one_result_per_record():
    expect(run("-l", "-e", "input.a * 2", stdin='{"a":1}\n{"a":2}\n{"a":3}\n'), code=0, out="2\n4\n6\n", err="")


def test_blank_lines_crlf_and_any_whitespace():
    stdin = b'\r\n{"a":1}\r\n\r\n\n  {"a":\r\n 2}  3 "x"\t[1,\n2] true null\r\n'
    expect(run("-l", "-e", "input", stdin=stdin), code=0,
           out='{"a":1}\n{"a":2}\n3\n"x"\n[1,2]\ntrue\nnull\n', err="")


def test_results_are_compact_lines():
    expect(run("-l", "-e", "({a: [1, {b: 2}], s: 'x\\ny'})", stdin="1\n"), code=0,
           out='{"a":[1,{"b":2}],"s":"x\\ny"}\n')


def test_raw_output_prints_each_string_record_as_its_text():
    # as jq -r: a string result is its text, anything else a compact JSON line
    stdin = '{"n":"a"}\n{"n":"b\\tc\\nd"}\n{"n":1}\n{"n":{"x":[1,2]}}\n{"n":"\\ud800"}\n'
    expect(run("-l", "-r", "-e", "input.n", stdin=stdin), code=0,
           out='a\nb\tc\nd\n1\n{"x":[1,2]}\n\ufffd\n', err="")
    # an envelope is JSON all the same
    res = run("-l", "-r", "--json-result", "-e", "input.n", stdin='{"n":"a"}\n')
    assert json.loads(res.out)["output"] == "a", res.out


def test_undefined_filters():
    expect(run("-l", "-e", "input % 2 ? input : undefined", stdin="1 2 3 4 5"), code=0, out="1\n3\n5\n")


def test_state_carries_across_records():
    expect(run("-l", "-e", "var seen = (typeof seen === 'number' ? seen : 0) + 1; [seen, input]",
               stdin="10\n20\n30\n"), code=0, out="[1,10]\n[2,20]\n[3,30]\n")


def test_output_is_reset_per_record():
    expect(run("-l", "-e", "if (input > 1) output = input;", stdin="1\n2\n1\n"), code=0, out="2\n")


def test_byte_exact_utf8():
    stdin = '{"s":"é😀\\ud83d\\ude00 \\u00e9"}\n'.encode()
    res = run("-l", "-e", "input.s + '|' + input.s.length", stdin=stdin)
    expect(res, code=0, out='"é😀😀 é|7"\n')


def test_empty_stream_writes_nothing():
    expect(run("-l", "-e", "input", stdin=""), code=0, out="", err="")
    expect(run("-l", "-e", "input", stdin="\n\r\n  \n"), code=0, out="", err="")


def test_input_file():
    path = tmpfile('{"a":1}\n{"a":2}\n', suffix=".ndjson")
    expect(run("-l", "--input", path, "-e", "input.a"), code=0, out="1\n2\n")


def test_truncated_last_record_is_an_error_for_that_record():
    res = run("-l", "-e", "input.a", stdin='{"a":1}\n{"a":2}\n{"a":')
    expect(res, code=2, out="1\n2\n",
           err="jsbox: usage: <stdin>:3: invalid JSON: the input ends inside this value (record 3, line 3)\n")
    res = run("-l", "--on-error", "emit", "-e", "input.a", stdin='{"a":1}\n["x", "y')
    assert res.code == 0 and lines(res) == [1, {"error": "usage: <stdin>:2: invalid JSON: the input ends "
                                                         "inside this value", "record": 2}], res


def test_truncated_scalar_at_end():
    expect(run("-l", "-e", "input", stdin="1\ntru"), code=2, out="1\n",
           err="jsbox: usage: <stdin>:2:4: invalid JSON: unexpected end of input (record 2, line 2)\n")


STREAM = '{"a":1}\n{"a":}\n{"a":3}\nnull\n{"a":5}\n'


def test_on_error_stop_names_record_and_line():
    expect(run("-l", "-e", "input.a", stdin=STREAM), code=2, out="1\n",
           err="jsbox: usage: <stdin>:2:6: invalid JSON: unexpected '}' (record 2, line 2)\n")
    expect(run("-l", "-e", "input.a", stdin='{"a":1}\nnull\n{"a":3}\n'), code=1, out="1\n",
           err="jsbox: <eval>:1: TypeError: cannot read property 'a' of null (record 2, line 2)\n")


def test_on_error_skip():
    res = run("-l", "--on-error", "skip", "--stats", "-e", "input.a", stdin=STREAM)
    expect(res, code=0, out="1\n3\n5\n")
    err = res.err.splitlines()
    assert err[0] == "jsbox: usage: <stdin>:2:6: invalid JSON: unexpected '}' (record 2, line 2)", res
    assert err[1] == "jsbox: <eval>:1: TypeError: cannot read property 'a' of null (record 4, line 4)", res
    assert json.loads(err[2])["records"] == {"in": 5, "out": 3, "skipped": 2}, res


def test_on_error_emit():
    res = run("-l", "--on-error", "emit", "--stats", "-e", "input.a", stdin=STREAM)
    expect(res, code=0)
    assert lines(res) == [1, {"error": "usage: <stdin>:2:6: invalid JSON: unexpected '}'", "record": 2}, 3,
                          {"error": "<eval>:1: TypeError: cannot read property 'a' of null", "record": 4}, 5], res
    assert json.loads(res.err)["records"] == {"in": 5, "out": 3, "skipped": 2}, res


def test_garbage_between_records_is_one_record_each():
    res = run("-l", "--on-error", "emit", "-e", "input", stdin='1\n}\n2\nxyz 3\n')
    assert [l.get("record") if isinstance(l, dict) else l for l in lines(res)] == [1, 2, 2, 4, 3], res


def test_limits_stop_even_when_skipping():
    expect(run("-l", "--on-error", "skip", "--timeout", "100ms", "-e",
               "if (input === 2) for (;;) {} input", stdin="1\n2\n3\n"),
           code=3, out="1\n", err="jsbox: time limit exceeded: 100 ms per record (record 2, line 2)\n")


@serial
def test_killed_after_a_skipped_record():
    # Stuck in native code: the supervisor kills it, and the skipped
    # failure of record 1 is not how the run ends.
    expect(run("-l", "--on-error", "skip", "--timeout", "200ms", "-e",
               'if (input === 1) null.x; if (input === 2) /(a+)+$/.test("a".repeat(40) + "b"); input',
               stdin="1\n2\n3\n"),
           code=3, out="",
           err="jsbox: <eval>:1: TypeError: cannot read property 'x' of null (record 1, line 1)\n"
               "jsbox: time limit exceeded: 200 ms per record (record 2, line 2)\n")


def test_bad_flag_values():
    expect(run("-l", "--on-error", "ignore", "-e", "1"), code=2,
           err="jsbox: usage: --on-error: 'ignore' is not stop, skip or emit (see jsbox --help)\n")
    expect(run("--on-error", "skip", "-e", "1"), code=2)
    expect(run("-n", "-l", "-e", "1"), code=2)
    expect(run("-l", "run", "-"), code=2)


def test_output_limit_is_per_record():
    # 3 KiB in all, under 1 KiB a record: a long stream is not cut short.
    stdin = "".join('"%s"\n' % ("x" * 500) for _ in range(6))
    res = run("-l", "--max-output", "1k", "-e", "console.log(input.length); input", stdin=stdin)
    expect(res, code=0, err="")
    assert res.out.count("\n") == 12 and len(res.out) > 3000, res


def test_output_limit_stops_the_record_that_floods():
    res = run("-l", "--on-error", "skip", "--max-output", "1k", "-e",
              "if (input === 2) for (;;) console.log('0123456789'); input", stdin="1\n2\n3\n")
    expect(res, code=6, err="jsbox: output limit exceeded: 1 KiB per record (record 2, line 2)\n")
    assert res.out.startswith("1\n0123456789\n") and len(res.out) == 2 + 1024, res


def test_strict_profile_streams_past_its_output_limit():
    # 20,000 records of ~100 bytes: twice the strict profile's 1 MiB.
    stdin = "".join('{"i":%d,"s":"%s"}\n' % (i, "y" * 80) for i in range(20000))
    res = run("-l", "-e", "input", stdin=stdin)
    expect(res, code=0, err="")
    assert res.out == stdin.replace(" ", ""), len(res.out)


@serial
def test_timeout_is_per_record():
    # 8 records of ~60 ms each: far over one 150 ms timeout, each within it.
    script = "var t = Date.now(); while (Date.now() - t < 60) {} input"
    expect(run("-l", "--timeout", "150ms", "-e", script, stdin="1 2 3 4 5 6 7 8"), code=0,
           out="".join("%d\n" % i for i in range(1, 9)))


@serial
def test_total_timeout_bounds_the_run():
    script = "var t = Date.now(); while (Date.now() - t < 60) {} input"
    res = run("-l", "--timeout", "150ms", "--total-timeout", "300ms", "-e", script,
              stdin="1 2 3 4 5 6 7 8")
    expect(res, code=3, err_contains="time limit exceeded: 300 ms in total (--total-timeout)")
    assert 2 <= len(res.out.split()) <= 6 and res.wall < 2, res


@serial
def test_waiting_for_input_is_not_record_time():
    proc = subprocess.Popen([JSBOX, "-l", "--timeout", "100ms", "-e", "input"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdin.write(b"1\n")
    proc.stdin.flush()
    time.sleep(0.4)
    proc.stdin.write(b"2\n")
    proc.stdin.close()
    out, err = proc.stdout.read(), proc.stderr.read()
    proc.wait(timeout=10)
    assert (proc.returncode, out, err) == (0, b"1\n2\n", b""), (proc.returncode, out, err)


@serial
def test_total_timeout_holds_while_waiting_for_input():
    proc = subprocess.Popen([JSBOX, "-l", "--total-timeout", "300ms", "-e", "input"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdin.write(b"1\n")
    proc.stdin.flush()
    start = time.monotonic()
    # stdin stays open: the producer stalls.
    out, err = proc.stdout.read(), proc.stderr.read()
    proc.wait(timeout=10)
    proc.stdin.close()
    assert proc.returncode == 3 and out == b"1\n" and time.monotonic() - start < 2, (proc.returncode, out, err)
    assert b"300 ms in total" in err, err


def test_memory_is_for_the_whole_run():
    expect(run("-l", "--memory-limit", "4M", "-e", "var keep = keep || []; keep.push(new Array(20000).join('x') + input); 1",
               stdin="".join("%d\n" % i for i in range(1000))), code=4, err_contains="memory limit exceeded: 4 MiB")


def test_huge_single_record():
    big = '{"s":"%s","n":[%s]}\n' % ("y" * 3000000, ",".join(["1"] * 100000))
    # a deadline per record that a loaded machine parsing 3 MB cannot miss
    expect(run("-l", "--memory-limit", "64M", "--timeout", "30s", "-e", "input.s.length + input.n.length",
               stdin='{"s":"a","n":[]}\n' + big + "1\n"), code=1,
           out="1\n3100000\n", err_contains="TypeError")


def test_record_larger_than_memory_fails_cleanly():
    big = '["' + "z" * (8 << 20) + '"]\n'
    res = run("-l", "--memory-limit", "4M", "-e", "input.length", stdin="[1]\n" + big + "[2]\n")
    expect(res, code=4, out="1\n", err="jsbox: memory limit exceeded: <stdin>: one value does not fit 4 MiB\n")


@serial
def test_million_tiny_records_in_constant_memory():
    data = b"1\n2\n{}\n[]\n" * 250000
    res = run("-l", "--stats", "--memory-limit", "2M", "-e", "typeof input === 'number' ? undefined : 0",
              stdin=data, timeout=60)
    expect(res, code=0, out="0\n" * 500000)
    stats = json.loads(res.err)
    assert stats["records"] == {"in": 1000000, "out": 500000, "skipped": 0}, stats
    assert stats["heap_peak"] < 2 << 20, stats


def test_slurp():
    expect(run("-s", "-e", "input", stdin='1 {"a":2}\n\n[3]\r\n'), code=0, out='[1,{"a":2},[3]]\n')
    expect(run("--slurp", "-e", "input.length", stdin=""), code=0, out="0\n")
    expect(run("-s", "-e", "input", stdin="1 2 {"), code=2,
           err="jsbox: usage: <stdin>:1: invalid JSON: the input ends inside this value (record 3, line 1)\n")


def test_null_input_reads_nothing():
    expect(run("-n", "-e", "input", stdin="this is not json"), code=0, out="null\n")


def test_head_ends_quietly():
    res = subprocess.run("%s -l -e input | head -1; echo ${PIPESTATUS[0]}" % JSBOX, shell=True,
                         executable="/bin/bash", input=b"1\n" * 300000, capture_output=True, timeout=30)
    assert res.stdout == b"1\n141\n" and res.stderr == b"", res


def test_unbuffered_flushes_each_line():
    proc = subprocess.Popen([JSBOX, "-l", "--unbuffered", "-e", "input"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdin.write(b"7\n")
    proc.stdin.flush()
    first = proc.stdout.readline()  # would block until exit if buffered
    proc.stdin.close()
    rest = proc.stdout.read()
    proc.wait(timeout=10)
    assert first == b"7\n" and rest == b"" and proc.returncode == 0, (first, rest)


def pty_run(*args):
    master, slave = pty.openpty()
    proc = subprocess.Popen([JSBOX] + list(args), stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    os.close(slave)
    try:
        out, err = proc.communicate(timeout=5)
    finally:
        os.close(master)
    return proc.returncode, out.decode(), err.decode()


def test_terminal_stdin_does_not_hang():
    msg = "jsbox: usage: the input is stdin, which is a terminal: pipe JSON in or give --input FILE\n"
    assert pty_run("-l", "-e", "input") == (2, "", msg)
    assert pty_run("-s", "-e", "input") == (2, "", msg)
    assert pty_run("--input", "-", "-e", "input") == (2, "", msg)
    assert pty_run("-n", "-e", "input") == (0, "null\n", "")


# --json-result: one envelope per run or record, for every exit code.

def envelope(res, code):
    assert res.code == code, res
    out = lines(res)
    assert len(out) == 1, res
    return out[0]


def test_envelope_success():
    e = envelope(run("--json-result", "-e", "console.log('hi', {a: 1}); console.warn('w'); ({x: [1]})"), 0)
    assert e["success"] is True and e["output"] == {"x": [1]} and e["console"] == ["hi { a: 1 }", "w"], e
    assert isinstance(e["time_ms"], float) and e["memory_peak"] > 0, e
    assert envelope(run("--json-result", "-e", "undefined"), 0)["output"] is None
    assert envelope(run("--json-result", "-r", "-e", "'s'"), 0)["output"] == "s"


def test_envelope_per_record():
    res = run("-l", "--json-result", "--on-error", "skip", "-e", "if (input === 2) throw new RangeError('two'); input",
              stdin="1 2 3")
    out = lines(res)
    assert res.code == 0 and [o["success"] for o in out] == [True, False, True], res
    assert [o["record"] for o in out] == [1, 2, 3], res
    assert out[1]["error"] == {"type": "RangeError", "message": "two", "line": 1}, res


def check_error(res, code, etype, message_part):
    e = envelope(res, code)
    assert e["success"] is False and e["error"]["type"] == etype, res
    assert message_part in e["error"]["message"], res
    return e


def test_envelope_script_error():
    e = check_error(run("--json-result", "-e", "\n\nnull.x"), 1, "TypeError", "cannot read property")
    assert e["error"]["line"] == 3, e
    check_error(run("--json-result", "-e", "throw 42"), 1, "Error", "uncaught exception: 42")
    check_error(run("--json-result", "-e", "syntax error"), 1, "SyntaxError", "")


def test_envelope_usage_errors():
    check_error(run("--json-result", "run", "/nonexistent/x.js"), 2, "UsageError", "cannot open")
    check_error(run("--json-result", "-i", "-", "-e", "input", stdin="{"), 2, "UsageError", "invalid JSON")


def test_envelope_timeout_memory_policy_output():
    check_error(run("--json-result", "--timeout", "100ms", "-e", "for (;;) {}"), 3, "TimeoutError",
                "time limit exceeded: 100 ms")
    # Limits other than time get a deadline no loaded machine reaches.
    check_error(run("--json-result", "--timeout", "120s", "-e", "'abc'.repeat(1e8).length", timeout=300), 4,
                "MemoryError", "memory limit exceeded: 16 MiB")
    check_error(run("--json-result", "--timeout", "120s", "-e", "eval('1')", timeout=300), 5, "SecurityError",
                "eval is denied")
    e = check_error(run("--json-result", "--timeout", "120s", "--max-output", "20", "-e",
                        "for (;;) console.log('0123456789')", timeout=300), 6,
                    "OutputLimitError", "output limit exceeded: 20 bytes")


@serial
def test_envelope_when_supervisor_kills():
    # Sorting without a comparator stays in C code, where only the supervisor can stop it.
    res = run("--json-result", "--memory-limit", "128M", "--timeout", "300ms", "-e",
              "var a = []; for (var i = 0; i < 3000000; i++) a.push('k' + (i * 7919 % 1000003)); a.sort(); 1")
    check_error(res, 3, "TimeoutError", "time limit exceeded: 300 ms")


def test_envelope_internal_and_interrupt():
    proc = subprocess.Popen([JSBOX, "--json-result", "--timeout", "10s", "-e", "for (;;) {}"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(0.3)
    proc.send_signal(2)
    out, err = proc.communicate(timeout=10)
    e = json.loads(out)
    assert proc.returncode == 130 and e["error"]["type"] == "InterruptedError", (out, err)
    # A crash of the evaluator: the parent writes the envelope (exit 70).
    proc = subprocess.Popen([JSBOX, "--json-result", "--timeout", "10s", "-e", "for (;;) {}"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    child = ""
    for _ in range(100):
        time.sleep(0.02)
        with open("/proc/%d/task/%d/children" % (proc.pid, proc.pid)) as f:
            child = f.read().split()
        if child:
            break
    os.kill(int(child[0]), 9)  # not SIGSEGV: a sanitizer would catch that one
    out, err = proc.communicate(timeout=10)
    e = json.loads(out)
    assert proc.returncode == 70 and e["error"]["type"] == "InternalError", (out, err)
    assert e["error"]["message"] == "internal error: evaluator killed by SIGKILL", e


# The direct decoder must make exactly what JSON.parse makes.
DECODE_CASES = [
    r'{"a":1,"a":2}', r'{"__proto__":{"x":1}}', r'[-0, 0, -1.5e3, 1E-7, 0.1, 9007199254740991]',
    r'"tab\tquote\"back\\slash\/u\u00e9\u20ac\ud83d\ude00 lone \ud800 end"', '"raw é € 😀"',
    r'{"nested":[[[{"k":[true,false,null]}]]],"e":{},"ea":[]}', r'"\u0000"',
    '  {"s" : [ 1 , 2 ] }  ', '123456789012345', '-123456789012345',
]


def test_direct_decoder_matches_json_parse():
    script = ("var t = JSON.stringify(input); var p = JSON.parse(inputText); "
              "var same = JSON.stringify(p) === t && Object.keys(input).join() === Object.keys(p).join() "
              "&& Object.getPrototypeOf(input) === Object.getPrototypeOf(p) && (!Array.isArray(p) || 1/input[0] === 1/p[0]); "
              "same ? t : 'DIFFERENT ' + t + ' vs ' + JSON.stringify(p)")
    for case in DECODE_CASES:
        res = run("-l", "--arg", "inputText", case, "-e", script, stdin=case.encode())
        assert res.code == 0 and not res.out.startswith("\"DIFFERENT"), (case, res)


def test_setters_a_record_put_on_object_prototype_do_not_see_later_records():
    # JSON.parse makes own data properties; [[Put]] would call the setter.
    script = ("if (input.n === 1) Object.defineProperty(Object.prototype, 'name', "
              "{set: function (v) { console.log('setter saw ' + v); }, configurable: true}); "
              "[Object.keys(input), input.name]")
    res = run("-l", "-c", "-e", script, stdin='{"n":1,"name":"a"} {"n":2,"name":"b"}\n')
    expect(res, code=0, out='[["n","name"],"a"]\n[["n","name"],"b"]\n', err="")


def test_decoder_leaves_big_integers_to_the_warning_path():
    res = run("-l", "-e", "input", stdin="12345678901234567890\n")
    expect(res, code=0, out="12345678901234567000\n", err_contains="beyond 2^53")


def test_invalid_escapes_and_controls_rejected():
    for bad, msg in [(r'"\x"', "bad escape"), ('"a\x01"', "control character"), (r'"\u12"', "escape"),
                     ("01", "unexpected"), ("[1,]", "unexpected ']'"), ('{"a" 1}', "unexpected '1'")]:
        res = run("-l", "-e", "input", stdin=bad.encode())
        assert res.code == 2 and msg in res.err, (bad, res)


def test_result_encoding_errors():
    expect(run("-c", "-e", "var a = [1]; a.push({x: a}); a"), code=1, err_contains="TypeError: cyclic input")
    expect(run("-c", "-e", "({get x() { throw new RangeError('from getter'); }})"), code=1,
           err_contains="RangeError: from getter")
    res = run("-l", "--on-error", "skip", "-e",
              "input === 2 ? {get x() { throw new Error('e'); }} : {n: input}", stdin="1 2 3")
    expect(res, code=0, out='{"n":1}\n{"n":3}\n')


@serial
def test_supervisor_kill_names_the_record():
    script = ("if (input === 2) { var a = []; for (var i = 0; i < 3000000; i++) a.push('k' + (i * 7919 % 1000003));"
              " a.sort(); } input")
    expect(run("-l", "--memory-limit", "128M", "--timeout", "300ms", "-e", script, stdin="1\n2\n3\n"),
           code=3, out="1\n", err="jsbox: time limit exceeded: 300 ms per record (record 2, line 2)\n")
