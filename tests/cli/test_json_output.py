"""What jsbox itself prints as JSON (the --json-result envelope, --stats,
--on-error emit) comes from one writer: whole whatever its size, valid
UTF-8 JSON, and the envelope has the same keys in the same order whichever
process writes it."""
import json

from jsbox_test import run_bytes, serial

ENVELOPE_FAILURE = ["success", "error", "console", "time_ms", "transpile_ms", "memory_peak"]
ERROR = ["type", "message", "line"]
# Stuck in native code: only the supervisor can stop it, and it writes the envelope.
STUCK = '/(a+)+$/.test("a".repeat(40) + "b")'


def parsed_lines(data):
    """Every line of data as JSON, the bytes decoded strictly as UTF-8."""
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


def stats_line(res):
    """The --stats line: the last on stderr, after any message."""
    return json.loads(res.err.decode("utf-8").splitlines()[-1])


def test_failure_envelope_with_a_100kb_message_is_whole():
    message = "x\u00e9\"\\\n" * 20000 + "end"
    res = run_bytes("--json-result", "-e", "throw new RangeError(%s.repeat(20000) + 'end')"
                    % json.dumps("x\u00e9\"\\\n"))
    (env,) = parsed_lines(res.out)
    assert res.code == 1 and list(env) == ENVELOPE_FAILURE, res
    assert env["error"] == {"type": "RangeError", "message": message, "line": 1}, env["error"]["type"]


def test_thrown_name_is_whole():
    name = "N" * 5000
    res = run_bytes("--json-result", "-e", "var e = new Error('m'); e.name = %s; throw e" % json.dumps(name))
    (env,) = parsed_lines(res.out)
    assert env["error"]["type"] == name and env["error"]["message"] == "m", res


def test_lone_surrogates_and_control_characters():
    res = run_bytes("--json-result", "-e", "console.log('a\\ud800\\u0001'); throw new Error('b\\udc00\\u001f\"')")
    (env,) = parsed_lines(res.out)
    assert env["console"] == ["a\ud800\u0001"], env
    assert env["error"]["message"] == "b\ufffd\u001f\"", env


@serial
def test_killed_envelope_has_the_evaluators_keys():
    thrown = parsed_lines(run_bytes("--json-result", "-e", "console.log(1); null.x").out)[0]
    res = run_bytes("--json-result", "-e", "console.log(1); " + STUCK)
    (killed,) = parsed_lines(res.out)
    assert res.code == 3 and list(killed) == list(thrown) == ENVELOPE_FAILURE, (killed, thrown)
    assert list(killed["error"]) == list(thrown["error"]) == ERROR, killed
    assert killed["error"]["type"] == "TimeoutError" and killed["console"] == ["1"], killed
    assert killed["time_ms"] >= 400 and killed["memory_peak"] > 0, killed


@serial
def test_killed_record_envelope_has_the_evaluators_keys():
    res = run_bytes("-l", "--json-result", "--on-error", "skip", "-e",
                    "if (input == 2) null.x; if (input == 3) " + STUCK + "; input", stdin=b"1\n2\n3\n")
    ok, thrown, killed = parsed_lines(res.out)
    assert res.code == 3, res
    assert list(ok) == ["success", "output", "console", "time_ms", "transpile_ms", "memory_peak", "record"], ok
    assert list(killed) == list(thrown) == ENVELOPE_FAILURE + ["record"], (killed, thrown)
    assert [e["record"] for e in (ok, thrown, killed)] == [1, 2, 3], res
    assert killed["time_ms"] >= 400, killed


def test_envelope_before_the_run_has_the_same_keys():
    res = run_bytes("--json-result", "run", "/nonexistent/x.js")
    (env,) = parsed_lines(res.out)
    assert res.code == 2 and list(env) == ENVELOPE_FAILURE and env["time_ms"] == 0, env


def test_success_envelope_over_the_output_limit_is_not_cut():
    res = run_bytes("--json-result", "--max-output", "20", "-e", "'x'.repeat(100)")
    (env,) = parsed_lines(res.out)
    assert res.code == 6 and env["error"]["type"] == "OutputLimitError", res


def test_stats_with_a_long_record_is_valid_json():
    record = json.dumps({"k": "\u00e9\"" * 100000}).encode()
    res = run_bytes("-l", "--stats", "--json-result", "--memory-limit", "64M", "-e", "input.k.length",
                    stdin=record + b"\n" + record + b"\n")
    envs = parsed_lines(res.out)
    stats = stats_line(res)
    assert res.code == 0 and [e["output"] for e in envs] == [200000, 200000], res
    assert stats["records"] == {"in": 2, "out": 2, "skipped": 0} and stats["killed"] is False, stats
    assert list(stats)[:2] == ["wall_ms", "cpu_ms"] and list(stats)[-2:] == ["rss_peak_kib", "killed"], stats


@serial
def test_stats_of_a_killed_run_is_valid_json():
    res = run_bytes("--stats", "-e", STUCK)
    stats = stats_line(res)
    assert res.code == 3 and stats["killed"] is True and stats["limit"] == "time", res


def test_emit_line_is_valid_json():
    res = run_bytes("-l", "--on-error", "emit", "-e", "if (input == 2) throw new Error('q\"\\u0001\\ud800'); input",
                    stdin=b"1 2 3")
    lines = parsed_lines(res.out)
    assert res.code == 0 and lines[0] == 1 and lines[2] == 3, res
    assert list(lines[1]) == ["error", "record"] and lines[1]["record"] == 2, lines
    assert lines[1]["error"] == "<eval>:1: Error: q\"\u0001\ufffd", lines


# Messages jsbox writes about a failure are whole, whatever the script threw:
# no fixed buffer in the report cuts them (they were cut at 2 KiB).
LONG = "\u00e9x" * 6000 + "end"


def test_emit_line_with_a_long_message_is_whole():
    res = run_bytes("-l", "--on-error", "emit", "-e", "if (input == 2) throw new Error(%s); input" % json.dumps(LONG),
                    stdin=b"1 2 3")
    lines = parsed_lines(res.out)
    assert res.code == 0 and lines[1] == {"error": "<eval>:1: Error: " + LONG, "record": 2}, lines[1]


def test_stderr_message_of_a_long_error_is_whole():
    res = run_bytes("-e", "throw new TypeError(%s)" % json.dumps(LONG))
    assert res.code == 1 and res.err.decode("utf-8") == "jsbox: <eval>:1: TypeError: %s\n" % LONG, res.err[-80:]


def test_stderr_message_of_a_long_record_error_is_whole():
    res = run_bytes("-l", "-e", "throw 'y'.repeat(9000) + 'end'", stdin=b"1\n")
    expected = "jsbox: <eval>: uncaught exception: %send (record 1, line 1)\n" % ("y" * 9000)
    assert res.code == 1 and res.err.decode("utf-8") == expected, res.err[-80:]


def test_stack_trace_after_a_long_message_is_whole():
    res = run_bytes("--stack-trace", "-e", "function f() { throw new Error('z'.repeat(5000)) }\nf()")
    err = res.err.decode("utf-8").splitlines()
    assert res.code == 1 and err[0] == "jsbox: <eval>:1: Error: " + "z" * 5000, err[0][-40:]
    assert err[1] == "Error: " + "z" * 5000 and err[2].startswith("    at f (<eval>:1)") and "(<eval>:2)" in err[3], err[1:]
