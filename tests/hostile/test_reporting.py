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
