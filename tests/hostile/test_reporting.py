"""Reporting a script's error reads script-controlled values (getters and
toString on the error): a throw there is
the script's error (exit 1), a loop there runs into the deadline (exit 3);
neither is ever jsbox's internal error (exit 70)."""
from jsbox_test import expect, run

FIELDS = ["name", "message", "stack", "fileName", "lineNumber"]
MODES = [[], ["--stack-trace"], ["--json-result"]]


def test_throwing_getter_on_any_error_field_is_a_script_error():
    for field in FIELDS:
        code = 'var e = new Error("x"); Object.defineProperty(e, "%s", {get: function () { throw 1 }}); throw e' % field
        for mode in MODES:
            res = run(*mode, "-e", code)
            assert res.code == 1 and "internal error" not in res.err, (field, mode, res)


def test_thrown_object_with_throwing_to_string():
    res = run("-e", "throw {toString: function () { throw 1 }, valueOf: function () { throw 2 }}")
    assert res.code == 1 and "internal error" not in res.err, res


def test_stream_globals_made_hostile_are_the_scripts_error():
    # The record loop writes `output` and `input` for every record: a
    # throwing setter or a read-only property is the script's error (exit 1),
    # never an internal one (70).
    for script in ('Object.defineProperty(globalThis, "output", {set: function () { throw 1 }}); input',
                   'Object.defineProperty(globalThis, "input", {value: 5, writable: false}); input'):
        res = run("-l", "-e", script, stdin="1\n2\n")
        assert res.code == 1, (script, res)
        assert "(record 2, line 2)" in res.err and "internal error" not in res.err, res
        res = run("-l", "--on-error", "skip", "-e", script, stdin="1\n2\n3\n")
        assert res.code == 0 and "internal error" not in res.err, res


def test_looping_getter_while_reporting_is_a_timeout():
    for field in ("name", "message"):
        res = run("--timeout", "300ms", "-e",
                  'var e = new Error("x"); Object.defineProperty(e, "%s", {get: function () { for (;;); }}); throw e' % field)
        # one ending, the limit's: not the RangeError the getter turned into
        assert (res.code, res.err) == (3, "jsbox: time limit exceeded: 300 ms\n"), (field, res)
    for mode in ("--stack-trace", "--json-result"):
        res = run(mode, "--timeout", "300ms", "-e",
                  'var e = new Error("x"); Object.defineProperty(e, "stack", {get: function () { for (;;); }}); throw e')
        assert res.code in (1, 3) and "internal error" not in res.err, (mode, res)


def test_envelope_of_a_killed_run_keeps_its_console():
    # Stuck in native code past the deadline: the evaluator is killed and
    # jsbox writes the envelope, with what the script printed before.
    import json
    res = run("--json-result", "-e", 'console.log("a\\u00e9"); console.log(2); /(a+)+$/.test("a".repeat(40) + "b")')
    env = json.loads(res.out)
    assert res.code == 3 and env["error"]["type"] == "TimeoutError", res
    assert env["console"] == ["a\u00e9", "2"], env
    res = run("-l", "--json-result", "-e",
              'console.log("r" + input); if (input == 2) /(a+)+$/.test("a".repeat(40) + "b"); input',
              stdin="1\n2\n")
    lines = [json.loads(l) for l in res.out.splitlines()]
    assert res.code == 3 and [l["console"] for l in lines] == [["r1"], ["r2"]], res
