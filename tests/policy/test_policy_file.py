"""Policy-file cases beyond test_policy_files.py: keys given twice, each
kind of bad limit value, contradictory capability lists, positions that
count characters and ignore look-alike text inside strings."""
from jsbox_test import run, expect, tmpfile


def bad(text, where, message):
    path = tmpfile(text, suffix=".json")
    expect(run("--policy", path, "-e", "1"), code=2, out="",
           err="jsbox: usage: %s:%s: %s\n" % (path, where, message))
    expect(run("policy", "show", "--policy", path), code=2, out="")


def test_duplicate_keys_are_errors():
    bad('{"extends": "strict", "extends": "permissive"}', "1:23", "'extends' is given twice")
    bad('{"limits": {"memory": 1,\n "memory": 2}}', "2:2", "'memory' is given twice")
    bad('{"deny": ["eval"],\n  "deny": []}', "2:3", "'deny' is given twice")


def test_contradictory_capability_lists():
    bad('{"allow": ["eval"], "deny": ["eval"]}', "1:21",
        "deny: capability 'eval' is listed twice (in allow or deny)")
    bad('{"allow": ["timers", "timers"]}', "1:2",
        "allow: capability 'timers' is listed twice (in allow or deny)")


def test_every_kind_of_bad_size():
    for value, message in [('"lots"', "invalid size 'lots'"), ('"16Q"', "invalid size '16Q'"),
                           ('"-1k"', "invalid size '-1k'"), ("-1", "must be a whole number >= 0"),
                           ("1.5", "must be a whole number >= 0"), ("1e300", "must be a whole number >= 0"),
                           ("0", "must be greater than 0"), ("true", "must be a number (bytes) or a size string"),
                           ("null", "must be a number (bytes) or a size string"),
                           ("[]", "must be a number (bytes) or a size string")]:
        for key in ["memory", "code_size", "max_output"]:
            bad('{"limits": {"%s": %s}}' % (key, value), "1:13", "limits.%s: %s" % (key, message))


def test_every_kind_of_bad_duration():
    for value, message in [('"soon"', "invalid duration 'soon'"), ('"5h"', "invalid duration '5h'"),
                           ("-5", "must be a whole number >= 0"), ("0", "must be greater than 0"),
                           ("{}", "must be a number (ms) or a duration string")]:
        bad('{"limits": {"timeout": %s}}' % value, "1:13", "limits.timeout: %s" % message)


def test_counts_take_numbers_only():
    bad('{"limits": {"max_lines": "10"}}', "1:13", "limits.max_lines: must be a number")
    bad('{"limits": {"max_timers": "5"}}', "1:13", "limits.max_timers: must be a number")


def test_zero_timers_allowed():
    path = tmpfile('{"extends": "moderate", "limits": {"max_timers": 0}}', suffix=".json")
    expect(run("--policy", path, "-e", "setTimeout(function () {})"), code=1,
           err="jsbox: <eval>:1: RangeError: too many pending timers (the limit is 0)\n")


def test_positions_count_characters_not_bytes():
    bad('{"description": "\u00e9\u00e9\u00e9", "x": 1}', "1:24",
        "unknown key 'x' (extends, description, limits, allow, deny, deny_patterns, allow_read)")


def test_positions_skip_key_lookalikes_in_strings():
    bad('{"deny_patterns": ["\\"memory\\": 5"], "limits": {"memory": "x"}}', "1:49",
        "limits.memory: invalid size 'x'")
    bad('{"description": "\\"limits\\": {",\n "limits": {"heap": 1}}', "2:13",
        "limits: unknown key 'heap' (memory, timeout, transpile_timeout, code_size, max_lines, max_output, max_timers)")


def test_policy_file_limits_apply():
    path = tmpfile('{"limits": {"timeout": 100}}', suffix=".json")
    expect(run("--policy", path, "-e", "for(;;);"), code=3, err="jsbox: time limit exceeded: 100 ms\n")
    path = tmpfile('{"limits": {"max_lines": 2}}', suffix=".json")
    res = run("--policy", path, "-e", "1\n2\n3")
    expect(res, code=5, out="")
    assert res.err.startswith("jsbox: blocked by policy: <eval>: "), res
    path = tmpfile('{"limits": {"max_output": 4}}', suffix=".json")
    expect(run("--policy", path, "-e", "console.log('hello world')"), code=6)


def test_policy_show_prints_a_large_policy_whole():
    # 30 long deny patterns, some 100 KB of JSON: no fixed buffer cuts it.
    import json as _json
    patterns = [("p%02d" % i) + "abc" * 1130 for i in range(30)]
    path = tmpfile(_json.dumps({"extends": "moderate", "deny_patterns": patterns}), suffix=".json")
    res = run("--policy", path, "policy", "show")
    assert res.code == 0, res
    assert len(res.out) > 100000, len(res.out)
    assert _json.loads(res.out)["deny_patterns"] == patterns
