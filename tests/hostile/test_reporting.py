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


def emit(script, *args, stdin="1\n2\n"):
    return run("-l", "--on-error", "emit", "--timeout", "300ms", *args, "-e", script, stdin=stdin)


def error_records(res):
    """The stdout lines of an --on-error emit run, each parsed as JSON (run()
    shows bytes that are not UTF-8 as U+FFFD)."""
    import json
    return [json.loads(line) for line in res.out.splitlines()]


HOSTILE_THROWS = [
    'var e = new Error("x"); Object.defineProperty(e, "%s", {get: function () { throw 1 }}); throw e' % f
    for f in FIELDS] + [
    'throw new Proxy({}, {get: function () { throw 1 }})',
    'throw new Proxy(new Error("x"), {get: function () { throw 1 }, getPrototypeOf: function () { throw 2 }})',
    'throw {toString: function () { throw 1 }, valueOf: function () { throw 2 }}',
    'throw Object.create(new Proxy({}, {get: function () { throw 3 }}))',
    '({toJSON: function () { throw 1 }})',
]
LOOPING_THROWS = [
    'var e = new Error("x"); Object.defineProperty(e, "%s", {get: function () { for (;;); }}); throw e' % f
    for f in ("name", "message", "fileName", "lineNumber")] + [
    'throw new Proxy({}, {get: function () { for (;;); }})',
    'throw {toString: function () { for (;;); }}',
    '({toJSON: function () { for (;;); }})',
    'Promise.reject(new Proxy({}, {get: function () { for (;;); }}))',
]


def test_emitted_error_records_of_hostile_errors_are_the_scripts():
    # Each record's error is a line of its own; the run goes on (exit 0).
    for script in HOSTILE_THROWS:
        res = emit(script)
        assert res.code == 0 and res.err == "", (script, res)
        records = error_records(res)
        assert [r["record"] for r in records] == [1, 2] and all(r["error"] for r in records), (script, res)


def test_emitted_error_records_of_looping_errors_end_at_the_deadline():
    for script in LOOPING_THROWS:
        res = emit(script)
        assert (res.code, res.out) == (3, ""), (script, res)
        assert res.err == "jsbox: time limit exceeded: 300 ms per record (record 1, line 1)\n", (script, res)


def test_emitted_error_records_of_huge_messages_are_whole():
    # Whole, in UTF-8: 2-, 3- and 4-byte characters (a surrogate pair in the
    # engine) at every offset, no replacement character from a cut.
    import json
    for ch in ("\\u00e9", "\\u20ac", "\\ud83d\\ude00"):
        char = json.loads('"%s"' % ch)
        for pre in range(4):
            script = 'var e = new Error("a".repeat(%d) + "%s".repeat(1 << 16)); e.name = "N%s".repeat(40); throw e' % (
                pre, ch, ch)
            res = emit(script)
            assert res.code == 0, (ch, pre, res)
            whole = "<eval>:1: %s: %s" % (("N" + char) * 40, "a" * pre + char * (1 << 16))
            assert [r["error"] for r in error_records(res)] == [whole, whole], (ch, pre)
            res = run("--json-result", "-e", script)
            assert res.code == 1, (ch, pre, res)
            assert "\ufffd" not in res.out + res.err, (ch, pre, res)
            env = json.loads(res.out)
            assert env["error"]["type"].startswith("N") and env["error"]["message"].startswith("a" * pre), env
    res = emit('var e = new Error("x"); Object.defineProperty(e, "name", {get: function () { return "n".repeat(1 << 24) }}); throw e',
               "--memory-limit", "8M")
    assert (res.code, res.out) == (4, ""), res
    assert res.err == "jsbox: memory limit exceeded: 8 MiB (record 1, line 1)\n", res


def test_emitted_stream_globals_made_hostile():
    res = emit('Object.defineProperty(globalThis, "output", {set: function () { throw 1 }}); input')
    assert res.code == 0 and error_records(res)[-1]["record"] == 2, res
    res = emit('Object.defineProperty(globalThis, "output", {set: function () { for (;;); }}); input')
    assert res.code == 3 and "internal error" not in res.err, res
