"""Custom policy files: every key, every kind of bad value (file:line:col,
exit 2), precedence of profile < file < flags, and the shipped examples."""
import json
import os

from jsbox_test import SOURCE, expect, one_line_error, run, tmpfile


def policy(text):
    return tmpfile(text, suffix=".json")


def show(*args):
    res = run("policy", "show", *args)
    expect(res, code=0)
    return json.loads(res.out)


def bad(text, where, detail):
    path = policy(text)
    res = run("--policy", path, "-e", "1")
    expect(res, code=2, out="")
    one_line_error(res, "jsbox: usage: %s:%s: %s" % (path, where, detail))


def test_every_key():
    path = policy('{"extends": "moderate", "description": "d", "limits": {"memory": "32M", "timeout": 1500,'
                  ' "transpile_timeout": "3s", "code_size": "2k", "max_lines": 50, "max_output": 4096, "max_timers": 7},'
                  ' "allow": ["eval"], "deny": ["timers"], "deny_patterns": ["forbidden"], "allow_read": ["/tmp"]}')
    p = show("--policy", path)
    assert p["name"] == "%s (extends moderate)" % os.path.basename(path), p
    assert p["limits"] == {"memory": 32 << 20, "timeout_ms": 1500, "transpile_timeout_ms": 3000,
                           "code_size": 2048, "max_lines": 50,
                           "max_output": 4096, "max_timers": 7}, p
    assert p["allow"] == ["eval"] and p["deny"] == ["timers", "duktape", "read"], p
    assert p["deny_patterns"] == ["forbidden"] and p["allow_read"] == ["/tmp"], p


def test_policy_takes_effect():
    path = policy('{"extends": "permissive", "deny": ["eval"], "limits": {"timeout": "100ms"}}')
    res = run("--policy", path, "-e", "eval('1')")
    expect(res, code=5)
    one_line_error(res, "jsbox: blocked by policy: <eval>:1: SecurityError: eval is denied by policy %s"
                   % os.path.basename(path))
    res = run("--policy", path, "-e", "while (true) {}")
    expect(res, code=3)
    one_line_error(res, "jsbox: time limit exceeded: 100 ms")


def test_allow_adds_capability():
    path = policy('{"allow": ["eval"]}')
    expect(run("--policy", path, "-e", "eval('6*7')"), code=0, out="42\n")


def test_flags_override_file():
    path = policy('{"limits": {"timeout": "100ms", "memory": "8M"}}')
    p = show("--policy", path, "--timeout", "3s")
    assert p["limits"]["timeout_ms"] == 3000 and p["limits"]["memory"] == 8 << 20, p


def test_extends_defaults_to_profile_flag():
    path = policy('{"limits": {"timeout": "1s"}}')
    p = show("--policy", path, "--profile", "moderate")
    assert p["extends"] == "moderate" and p["limits"]["timeout_ms"] == 1000, p
    assert show("--policy", path)["extends"] == "strict"


def test_conflicting_profile_rejected():
    path = policy('{"extends": "permissive"}')
    res = run("--policy", path, "--profile", "strict", "-e", "1")
    expect(res, code=2)
    one_line_error(res, 'jsbox: usage: %s:1:2: extends "permissive" conflicts with --profile strict' % path)


def test_deny_patterns_are_a_coarse_filter():
    path = policy('{"deny_patterns": ["\\\\bdebugger\\\\b", "while *\\\\(true\\\\)"]}')
    res = run("--policy", path, "-e", "while (true) {}")
    expect(res, code=5)
    one_line_error(res, "jsbox: blocked by policy: <eval>: source matches deny pattern /while *\\(true\\)/ of policy")
    expect(run("--policy", path, "-e", "'no loops here'"), code=0)


def test_invalid_json():
    bad('{"limits": {"memory": "1M",}}', "1:29", "invalid JSON")


def test_not_an_object():
    bad('[1, 2]', "1:1", "a policy must be a JSON object")


def test_unknown_top_key():
    bad('{\n  "extends": "strict",\n  "memroy": 1\n}', "3:3", "unknown key 'memroy'")


def test_unknown_limit_key():
    bad('{"limits": {\n "memory": "1M",\n "cpu": 5}}', "3:2", "limits: unknown key 'cpu'")


def test_bad_limit_values():
    bad('{"limits": {"memory": "lots"}}', "1:13", "limits.memory: invalid size 'lots'")
    bad('{"limits": {"timeout": "5h"}}', "1:13", "limits.timeout: invalid duration '5h'")
    bad('{"limits": {"memory": -5}}', "1:13", "limits.memory: must be a whole number >= 0")
    bad('{"limits": {"memory": 1.5}}', "1:13", "limits.memory: must be a whole number >= 0")
    bad('{"limits": {"memory": 0}}', "1:13", "limits.memory: must be greater than 0")
    bad('{"limits": {"max_lines": "10k"}}', "1:13", "limits.max_lines: must be a number")
    bad('{"limits": {"timeout": true}}', "1:13", "limits.timeout: must be a number (ms) or a duration string")
    bad('{"limits": 5}', "1:2", "limits: must be an object")


def test_bad_extends():
    bad('{"extends": "lax"}', "1:2", 'extends: must be "strict", "moderate" or "permissive"')
    bad('{"extends": 3}', "1:2", 'extends: must be "strict", "moderate" or "permissive"')


def test_bad_capabilities():
    bad('{"allow": ["network"]}', "1:2", "allow: unknown capability 'network' (eval, timers, duktape, read)")
    bad('{"deny": "eval"}', "1:2", "deny: must be an array of capability names")
    bad('{"deny": [1]}', "1:2", "deny: unknown capability (not a string)")


def test_bad_patterns():
    bad('{"deny_patterns": ["("]}', "1:2", "deny_patterns: invalid regular expression '('")
    bad('{"deny_patterns": "x"}', "1:2", "deny_patterns: must be an array of regular expressions")
    bad('{"deny_patterns": [1]}', "1:2", "deny_patterns: entries must be strings")


def test_bad_allow_read():
    bad('{"allow_read": ["/nonexistent-dir"]}', "1:2", "allow_read: /nonexistent-dir: No such file or directory")
    bad('{"allow_read": "/tmp"}', "1:2", "allow_read: must be an array of directories")


def test_bad_description():
    bad('{"description": 5}', "1:2", "description: must be a string")


def test_missing_policy_file():
    res = run("--policy", "/nonexistent/p.json", "-e", "1")
    expect(res, code=2)
    one_line_error(res, "jsbox: usage: /nonexistent/p.json: cannot open: No such file or directory")


def test_shipped_examples_load():
    d = os.path.join(SOURCE, "examples", "policies")
    names = sorted(os.listdir(d))
    assert len(names) >= 3, names
    for name in names:
        res = run("policy", "show", "--policy", os.path.join(d, name))
        expect(res, code=0)
        assert json.loads(res.out)["name"].startswith(name), res
