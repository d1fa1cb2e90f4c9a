"""Every profile and every capability: allowed where the profile table says,
denied everywhere else, by every path; legitimate code is never blocked."""
import atexit
import json
import os
import shutil
import tempfile

from jsbox_test import needs_transpiler, expect, one_line_error, run

PROFILES = ("strict", "moderate", "permissive")
EVAL_PATHS = [
    ("eval", "eval('1+1')"),
    ("indirect eval", "(0, eval)('1+1')"),
    ("eval via globalThis lookup", "this['ev' + 'al']('1')"),
    ("Function global", "Function('return 1')()"),
    ("new Function", "new Function('return 1')()"),
    ("function constructor", "(function () {}).constructor('return 1')()"),
    ("prototype constructor", "Object.getPrototypeOf(function () {}).constructor('return 1')()"),
    ("constructor of a builtin", "''.constructor.constructor('return 1')()"),
    ("Reflect.construct", "Reflect.construct(Object.getPrototypeOf(Math.max).constructor, ['return 1'])()"),
    ("Reflect.apply", "Reflect.apply(Math.max.constructor, null, ['return 1'])()"),
    ("bound constructor", "Function.prototype.constructor.bind(null, 'return 1')()()"),
    ("call", "Function.call(null, 'return 1')()"),
    ("descriptor", "Object.getOwnPropertyDescriptor(Function.prototype, 'constructor').value('return 1')()"),
]


def test_eval_denied_by_every_path_in_strict_and_moderate():
    for profile in ("strict", "moderate"):
        for name, code in EVAL_PATHS:
            res = run("--profile", profile, "-e", code)
            assert res.code == 5, (profile, name, res)
            one_line_error(res, "jsbox: blocked by policy: <eval>:1: SecurityError: ")
            assert "is denied by the %s profile" % profile in res.err, (name, res)


def test_eval_allowed_in_permissive():
    for name, code in EVAL_PATHS:
        res = run("--profile", "permissive", "-e", code)
        expect(res, code=0, out="%s\n" % ("2" if "1+1" in code else "1"))


def test_denial_is_catchable_security_error():
    res = run("-e", "try { eval('1') } catch (e) { [e.name, e.message, e instanceof SecurityError,"
              " e instanceof Error] }")
    expect(res, code=0, out='["SecurityError","eval is denied by the strict profile",true,true]\n')
    one_line_error(res, "jsbox: blocked by policy: <eval>:1: SecurityError: eval is denied by the strict profile")


def test_denial_reported_once_when_uncaught():
    res = run("-e", "var x = 1;\neval('x')")
    expect(res, code=5)
    one_line_error(res, "jsbox: blocked by policy: <eval>:2: SecurityError: eval is denied by the strict profile")


def test_function_instanceof_still_works():
    expect(run("-e", "[(function () {}) instanceof Function, typeof Function, Function.prototype.call.length]"),
           code=0, out="[true,\"function\",1]\n")


def test_timers_denied_in_strict():
    for fn in ("setTimeout(function () {}, 1)", "setInterval(function () {}, 1)", "clearTimeout(1)"):
        res = run("-e", fn)
        expect(res, code=5)
        assert "is denied by the strict profile" in res.err, res


def test_timers_run_in_order_in_moderate_and_permissive():
    # Wide gaps: a loaded machine can delay each 1 ms interval tick, and a
    # timer whose due time has passed rightly runs before a later tick.
    code = ("var log = []; setTimeout(function () { log.push('late'); output = log; }, 400);"
            "setTimeout(function (a, b) { log.push(a + b); }, 250, 'x', 'y');"
            "setTimeout(function () { log.push('zero'); });"
            "var n = 0, id = setInterval(function () { if (++n === 3) { clearInterval(id); log.push('i3'); } }, 1);"
            "var gone = setTimeout(function () { log.push('cleared'); }, 5); clearTimeout(gone); 'sync'")
    for profile in ("moderate", "permissive"):
        expect(run("--profile", profile, "-e", code), code=0, out='["zero","i3","xy","late"]\n')


def test_timer_string_never_evaluated():
    res = run("--profile", "moderate", "-e", "setTimeout('console.log(1)', 1)")
    expect(res, code=1, out="")
    one_line_error(res, "jsbox: <eval>:1: TypeError: setTimeout: the callback must be a function")


def test_timer_storm_clear_error():
    res = run("--profile", "moderate", "-e", "function storm() { setTimeout(storm, 0); setTimeout(storm, 0); } storm()")
    expect(res, code=1)
    one_line_error(res, "jsbox: <eval>:1: RangeError: too many pending timers (the limit is 1000)")


def test_endless_interval_hits_deadline():
    res = run("--profile", "moderate", "--timeout", "200ms", "-e", "setInterval(function () {}, 5)")
    expect(res, code=3)
    one_line_error(res, "jsbox: time limit exceeded: 200 ms")
    assert res.wall < 1.0, res


def test_timer_error_is_script_error():
    res = run("--profile", "moderate", "-e", "setTimeout(function () { null.x; }, 1)")
    expect(res, code=1)
    one_line_error(res, "jsbox: <eval>:1: TypeError")


def test_duktape_internals_hidden_outside_permissive():
    for profile in ("strict", "moderate"):
        res = run("--profile", profile, "-e", "[Object.keys(Duktape), typeof Duktape.act, typeof Duktape.fin,"
                  " typeof Duktape.gc, typeof Duktape.Thread, typeof Duktape.version]")
        expect(res, code=0, out='[["version"],"undefined","undefined","undefined","undefined","number"]\n')


def test_duktape_internals_exposed_in_permissive():
    res = run("--profile", "permissive", "-e", "[typeof Duktape.act, typeof Duktape.fin, typeof Duktape.gc]")
    expect(res, code=0, out='["function","function","function"]\n')


def read_dir():
    d = tempfile.mkdtemp(prefix="jsbox-read-")
    atexit.register(shutil.rmtree, d, True)
    os.makedirs(os.path.join(d, "sub"))
    with open(os.path.join(d, "sub", "a.txt"), "w") as f:
        f.write("hello \U0001F600\n")
    os.symlink("/etc/hostname", os.path.join(d, "escape"))
    return d


def test_read_file_under_allowed_dir():
    d = read_dir()
    res = run("--profile", "permissive", "--allow-read", d, "-e",
              "var s = readFile('%s/sub/a.txt'); [s, s.length]" % d)
    expect(res, code=0, out='["hello \U0001F600\\n",9]\n')


def test_read_file_cannot_escape():
    d = read_dir()
    for path in (d + "/escape", d + "/sub/../escape", "/etc/hostname", d + "/../" + os.path.basename(d) + "/escape"):
        res = run("--profile", "permissive", "--allow-read", d, "-e", "readFile('%s')" % path)
        expect(res, code=5)
        assert "is not under an --allow-read directory" in res.err, (path, res)


def test_read_file_missing_and_directory():
    d = read_dir()
    res = run("--profile", "permissive", "--allow-read", d, "-e", "readFile('%s/nope')" % d)
    expect(res, code=1)
    one_line_error(res, "jsbox: <eval>:1: Error: readFile: %s/nope: No such file or directory" % d)
    res = run("--profile", "permissive", "--allow-read", d, "-e", "readFile('%s/sub')" % d)
    expect(res, code=1)
    assert "not a regular file" in res.err, res


def test_read_file_counts_against_memory():
    d = read_dir()
    with open(os.path.join(d, "big.txt"), "w") as f:
        f.write("x" * (3 << 20))
    res = run("--profile", "permissive", "--memory-limit", "2M", "--allow-read", d, "-e",
              "readFile('%s/big.txt').length" % d)
    assert res.code in (1, 4), res
    assert "memory limit" in res.err, res


def test_read_denied_without_permissive():
    for profile in ("strict", "moderate"):
        res = run("--profile", profile, "-e", "readFile('/etc/hostname')")
        expect(res, code=5)
        assert "readFile is denied by the %s profile" % profile in res.err, res


def test_allow_read_needs_permissive():
    res = run("--allow-read", "/tmp", "-e", "1")
    expect(res, code=2)
    one_line_error(res, "jsbox: usage: --allow-read needs a policy that allows 'read'")


def test_allow_read_must_exist():
    res = run("--profile", "permissive", "--allow-read", "/nonexistent-dir", "-e", "1")
    expect(res, code=2)
    one_line_error(res, "jsbox: usage: --allow-read /nonexistent-dir: No such file or directory")


def test_never_present_globals():
    for profile in PROFILES:
        res = run("--profile", profile, "-e",
                  "[typeof process, typeof require, typeof XMLHttpRequest, typeof fetch, typeof module]")
        expect(res, code=0, out='["undefined","undefined","undefined","undefined","undefined"]\n')


def test_always_present_globals():
    for profile in PROFILES:
        res = run("--profile", profile, "-e", "[typeof console.log, typeof btoa, typeof atob, typeof JSON,"
                  " typeof Math, typeof Date, typeof RegExp, typeof Uint8Array, input]")
        expect(res, code=0, out='["function","function","function","object","object","function","function",'
                                '"function",null]\n')


def test_legitimate_code_mentioning_eval_runs_in_strict():
    code = ("// eval is evil; process.exit(); require('fs')\n"
            "var s = 'eval(\"x\") and Function(\"y\") and process and require';\n"
            "var o = {eval: 1, process: 2, require: 3}; /* new Function('z') */\n"
            "[s.length, o.eval + o.process + o.require]")
    expect(run("-e", code), code=0, out="[51,6]\n", err="")


def test_code_size_and_lines_limits():
    big = "var a = 1;\n" * 7000  # 77000 bytes > 64 KiB
    path = tempfile.mktemp(suffix=".js")
    with open(path, "w") as f:
        f.write(big)
    res = run("run", path)
    expect(res, code=5, out="")
    one_line_error(res, "jsbox: blocked by policy: %s: the code is larger than the 64 KiB size limit of the "
                        "strict profile" % path)
    expect(run("--profile", "moderate", "run", path), code=0)
    lines = "\n" * 10001 + "1"
    res = run("-e", lines)
    expect(res, code=5)
    one_line_error(res, "jsbox: blocked by policy: <eval>: 10002 lines is over the 10000-line limit of the "
                        "strict profile")


def test_line_limit_counts_every_javascript_line_terminator():
    # CR, U+2028 and U+2029 end lines in JavaScript as LF does; CRLF ends one line, not two.
    for end in ("\r", "\r\n", "\u2028", "\u2029"):
        expect(run("-e", end * 5001 + "1"), code=0, out="1\n", err="")
        res = run("-e", end * 10001 + "1")
        expect(res, code=5, out="")
        one_line_error(res, "jsbox: blocked by policy: <eval>: 10002 lines is over the 10000-line limit of the "
                            "strict profile")


@needs_transpiler
def test_syntax_errors_run_nothing():
    for profile in PROFILES:
        res = run("--profile", profile, "-e", "console.log('ran');\n}")
        expect(res, code=1, out="")
        one_line_error(res, "jsbox: <eval>:2:1: SyntaxError")


def test_stats_counts_denials():
    res = run("--stats", "-e", "for (var i = 0; i < 3; i++) { try { eval('1') } catch (e) {} }"
              " try { setTimeout(function () {}) } catch (e) {} 1")
    expect(res, code=0, out="1\n")
    stats = json.loads(res.err.splitlines()[-1])
    assert stats["denials"] == {"eval": 3, "timers": 1, "duktape": 0, "read": 0}, stats


def test_only_jsbox_denials_exit_5_not_a_scripts_own_security_error():
    # A SecurityError the script made is the script's error (exit 1), by any route;
    # a real denial stays exit 5, also when caught and thrown again.
    for code in ["throw new SecurityError('mine')", "throw SecurityError('mine')",
                 "var e = new Error('mine'); e.name = 'SecurityError'; throw e",
                 "try { eval('1') } catch (e) { throw new SecurityError('mine') }"]:
        res = run("--stats", "-e", code)
        expect(res, code=1, out="")
        lines = res.err.splitlines()
        assert lines[-2] == "jsbox: <eval>:1: SecurityError: mine", res
        assert json.loads(lines[-1])["exit"] == 1, res
    res = run("--stats", "-e", "try { eval('1') } catch (e) { throw e }")
    expect(res, code=5, out="")
    lines = res.err.splitlines()
    assert lines[0] == "jsbox: blocked by policy: <eval>:1: SecurityError: eval is denied by the strict profile", res
    stats = json.loads(lines[-1])
    assert stats["exit"] == 5 and stats["denials"]["eval"] == 1, stats
    expect(run("-l", "-e", "throw new SecurityError('mine')", stdin="1\n"), code=1, out="")
    expect(run("-l", "-e", "eval('1')", stdin="1\n"), code=5, out="")


def test_profile_limits_apply():
    res = run("--profile", "moderate", "policy", "show")
    shown = json.loads(res.out)
    assert shown["limits"]["memory"] == 64 << 20 and shown["limits"]["timeout_ms"] == 5000, shown
    assert shown["allow"] == ["timers"], shown
    shown = json.loads(run("--profile", "permissive", "policy", "show").out)
    assert shown["allow"] == ["eval", "timers", "duktape", "read"], shown
    shown = json.loads(run("policy", "show").out)
    assert shown["name"] == "strict" and shown["allow"] == [], shown
