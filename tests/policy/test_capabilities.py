"""Every capability in every profile: allowed where the profile table says,
denied (SecurityError, exit 5) everywhere else, by every path found."""
import atexit
import json
import os
import shutil
import subprocess
import tempfile

from jsbox_test import JSBOX, Result, run, expect, tmpfile, serial

PROFILES = ["strict", "moderate", "permissive"]

# Every route to code generation found in Duktape 2.7.
EVAL_PATHS = [
    'eval("1+1")',
    '(0, eval)("1+1")',
    'var e = eval; e("1+1")',
    'this.eval("1+1")',
    'globalThis.eval("1+1")',
    'Function("return 1")()',
    'new Function("return 1")()',
    '(function () {}).constructor("return 1")()',
    'Object.getPrototypeOf(function () {}).constructor("return 1")()',
    'new (function () {}.constructor)("return 1")()',
    'Reflect.construct(Function, ["return 1"])()',
    'Reflect.apply(Function, null, ["return 1"])()',
    'Reflect.apply(eval, null, ["1+1"])',
    'Function.prototype.constructor("return 1")()',
    'Function.prototype.constructor.bind(null, "return 1")()()',
    'eval.call(null, "1+1")',
    'Function.call(null, "return 1")()',
    'Function.apply(null, ["return 1"])()',
    '(function () {}).bind(null).constructor("return 1")()',
    '(function () { return arguments.callee.constructor; })()("return 1")()',
    'Math.max.constructor("return 1")()',
    '[].map.constructor("return 1")()',
    'console.log.constructor("return 1")()',
    'Object.getOwnPropertyDescriptor(Function.prototype, "constructor").value("return 1")()',
    '(function () { "use strict"; return eval("1+1"); })()',
    '"".constructor.constructor("return 1")()',
    'Object.getPrototypeOf(Function).constructor("return 1")()',
    'new Proxy(function () {}, {}).constructor("return 1")()',
    'Symbol.constructor("return 1")()',
    'JSON.parse.constructor("return 1")()',
    'Error.prototype.constructor.constructor("return 1")()',
    'SecurityError.constructor("return 1")()',
    'setTimeout.constructor("return 1")()',
]


def denied(res, names, profile):
    """Exit 5 with one line naming one of names and the profile."""
    expect(res, code=5, out="")
    assert len(res.err.splitlines()) == 1, res
    assert res.err.startswith("jsbox: blocked by policy: <eval>:1: SecurityError: "), res
    assert any(res.err.endswith(": SecurityError: %s is denied by the %s profile\n" % (n, profile))
               for n in names.split()), res


def test_eval_denied_by_every_path_in_strict_and_moderate():
    for profile in ["strict", "moderate"]:
        for code in EVAL_PATHS:
            denied(run("--profile", profile, "-e", code), "eval Function", profile)


def test_eval_allowed_by_every_path_in_permissive():
    for code in EVAL_PATHS:
        res = run("--profile", "permissive", "-e", code)
        expect(res, code=0, err="")
        assert res.out in ("1\n", "2\n"), (code, res)


def test_denial_is_a_catchable_error_subclass():
    code = ('try { eval("1") } catch (e) { output = [e instanceof SecurityError, e instanceof Error, '
            'e.name, e.message, String(e), typeof e.stack] }')
    res = expect(run("-c", "-e", code), code=0)
    assert json.loads(res.out) == [True, True, "SecurityError", "eval is denied by the strict profile",
                                   "SecurityError: eval is denied by the strict profile", "string"]


def test_caught_denial_is_reported_once_with_place():
    res = expect(run("-e", 'var n = 0;\nfor (var i = 0; i < 3; i++) try { eval("1") } catch (e) { n++ }\nn'),
                 code=0, out="3\n")
    # Each denial is reported once, where it happened, even when caught.
    assert res.err == "jsbox: blocked by policy: <eval>:2: SecurityError: eval is denied by the strict profile\n" * 3, res


def test_uncaught_denial_names_the_place():
    script = tmpfile("var a = 1;\n\nFunction('return 2');\n")
    expect(run("run", script), code=5, out="",
           err="jsbox: blocked by policy: %s:3: SecurityError: Function is denied by the strict profile\n" % script)


def test_security_error_is_a_global_in_every_profile():
    for profile in PROFILES:
        expect(run("--profile", profile, "-e",
                   "new SecurityError('x') instanceof Error && SecurityError.prototype.name"),
               code=0, out='"SecurityError"\n')


def test_user_thrown_security_error_is_a_script_error():
    # Only jsbox's own denials exit 5 (see test_profiles).
    expect(run("-e", "throw new SecurityError('mine')"), code=1, err="jsbox: <eval>:1: SecurityError: mine\n")


def test_functions_still_work_without_the_constructor():
    expect(run("-e", "var f = function (a) { return a * 2 }; [f instanceof Function, typeof Function, "
                     "f.call(null, 2), f.apply(null, [3]), f.bind(null, 4)(), Function.prototype.isPrototypeOf(f)]"),
           code=0, out="[true,\"function\",4,6,8,true]\n")


def test_legitimate_code_mentioning_eval_process_require_runs_in_strict():
    script = tmpfile("// eval(x); require('fs'); process.exit(1)\n"
                     "/* new Function('return 1') */\n"
                     "var s = 'eval(\"1\") process.env require(\"child_process\") Duktape.act';\n"
                     "var o = {eval: 1, process: 2, require: 3, Function: 4};\n"
                     "output = [s.length, o.eval + o.process + o.require + o.Function, typeof process, typeof require];\n")
    expect(run("run", script), code=0, out='[58,10,"undefined","undefined"]\n', err="")


def test_never_present_in_any_profile():
    for profile in PROFILES:
        expect(run("--profile", profile, "-e",
                   "[typeof process, typeof require, typeof module, typeof exports, typeof XMLHttpRequest, typeof fetch]"),
               code=0, out='["undefined","undefined","undefined","undefined","undefined","undefined"]\n')


# ---- Duktape internals ----

INTERNALS = ["act", "fin", "gc", "info", "compact", "enc", "dec", "Pointer", "Thread", "env"]


def test_duktape_internals_hidden_in_strict_and_moderate():
    for profile in ["strict", "moderate"]:
        code = "[%s, Object.getOwnPropertyNames(Duktape), typeof Duktape.version, " \
               "typeof Uint8Array.allocPlain, typeof Uint8Array.plainOf]" % \
               ", ".join("typeof Duktape.%s" % n for n in INTERNALS)
        res = expect(run("--profile", profile, "-c", "-e", code), code=0, err="")
        got = json.loads(res.out)
        assert got[:len(INTERNALS)] == ["undefined"] * len(INTERNALS), res
        assert got[len(INTERNALS):] == [["version"], "number", "undefined", "undefined"], res


# Every built-in that hands a script a plain buffer (Duktape's raw buffer
# value, not a typed array object), and the Node.js-style Buffer beside them.
PLAIN_BUFFER_ROUTES = ["CBOR.decode(new Uint8Array([0x42, 1, 2]))",
                       "CBOR.decode(CBOR.encode({a: new Uint8Array([1])})).a",
                       "Uint8Array.allocPlain(2)", "Uint8Array.plainOf(new Uint8Array(2))",
                       "Duktape.dec('hex', '0102')", "new Buffer(2)"]


def test_no_route_to_a_plain_buffer_in_strict_and_moderate():
    for profile in ["strict", "moderate"]:
        res = expect(run("--profile", profile, "-c", "-e",
                         "[typeof CBOR, typeof Buffer, 'CBOR' in this, 'Buffer' in this]"), code=0)
        assert res.out == '["undefined","undefined",false,false]\n', (profile, res)
        for code in PLAIN_BUFFER_ROUTES:
            res = run("--profile", profile, "-e", "var b = " + code + "; typeof b")
            expect(res, code=1, out="")
            assert "TypeError: " in res.err or "ReferenceError: " in res.err, (profile, code, res)


def test_plain_buffer_routes_stay_in_permissive():
    for code in PLAIN_BUFFER_ROUTES:
        expect(run("--profile", "permissive", "-e", "var b = " + code + "; Duktape.info(b) !== undefined"),
               code=0, out="true\n")
    # The standard byte routes make typed array objects and stay everywhere.
    expect(run("-c", "-e", "[new TextDecoder().decode(new TextEncoder().encode('h\u00e9')), "
                           "new Uint8Array(new ArrayBuffer(4).slice(1)).length]"),
           code=0, out='["h\u00e9",3]\n')


def test_duktape_internals_cannot_be_called_in_strict():
    for code in ["Duktape.act(-1)", "Duktape.gc()", "Duktape.fin({}, function () {})",
                 "new Duktape.Thread(function () {})", "Duktape.info({})", "Duktape.dec('jx', '{}')"]:
        expect(run("-e", code), code=1, out="")


def test_duktape_internals_exposed_in_permissive():
    code = "[%s, Duktape.act(-1) !== undefined, typeof Uint8Array.allocPlain]" % \
           ", ".join("typeof Duktape.%s" % n for n in INTERNALS)
    res = expect(run("--profile", "permissive", "-c", "-e", code), code=0, err="")
    got = json.loads(res.out)
    assert "undefined" not in got[:len(INTERNALS)], res
    assert got[len(INTERNALS):] == [True, "function"], res


def test_error_hooks_have_no_effect_in_strict():
    # The engine reads errCreate/errThrow from the original Duktape object,
    # which scripts cannot reach any more.
    expect(run("-e", "Duktape.errCreate = function (e) { e.hooked = true; return e };\n"
                     "try { null.x } catch (e) { output = e.hooked === undefined }"), code=0, out="true\n")
    expect(run("--profile", "permissive", "-e", "Duktape.errCreate = function (e) { e.hooked = true; return e };\n"
                                               "try { null.x } catch (e) { output = e.hooked === true }"),
           code=0, out="true\n")


def test_duktape_version_kept_everywhere():
    for profile in PROFILES:
        expect(run("--profile", profile, "-e", "Duktape.version"), code=0, out="20700\n")


# ---- timers ----

TIMER_CALLS = ["setTimeout(function () {}, 1)", "setInterval(function () {}, 1)", "clearTimeout(1)",
               "clearInterval(1)", "setTimeout('1', 1)"]


def test_timers_denied_in_strict():
    for code in TIMER_CALLS:
        denied(run("-e", code), "setTimeout setInterval clearTimeout clearInterval", "strict")


def test_timers_run_after_the_script_in_order():
    code = ("var log = [];\n"
            "setTimeout(function (x) { log.push(x); output = log }, 40, 'late');\n"
            "setTimeout(function () { log.push('early') }, 10);\n"
            "setTimeout(function () { log.push('a') }, 0); setTimeout(function () { log.push('b') });\n"
            "var n = 0, id = setInterval(function () { if (++n == 3) { clearInterval(id); log.push('ticks') } }, 1);\n"
            "var gone = setTimeout(function () { log.push('cleared') }, 2); clearTimeout(gone);\n"
            "log.push('sync');")
    for profile in ["moderate", "permissive"]:
        res = expect(run("--profile", profile, "-c", "-e", code), code=0, err="")
        got = json.loads(res.out)
        assert sorted(got) == sorted(["sync", "a", "b", "ticks", "early", "late"]), res
        assert got[:3] == ["sync", "a", "b"] and got.index("early") < got.index("late") and got[-1] == "late", res


def test_timers_never_run_strings():
    for fn in ["setTimeout", "setInterval"]:
        expect(run("--profile", "moderate", "-e", "%s('output = 1', 1)" % fn), code=1, out="",
               err="jsbox: <eval>:1: TypeError: %s: the callback must be a function "
                   "(strings are never evaluated)\n" % fn)


def test_timer_cap_is_a_clear_error():
    expect(run("--profile", "moderate", "-e", "\nfor (;;) setTimeout(function () {}, 1e9)"), code=1, out="",
           err="jsbox: <eval>:2: RangeError: too many pending timers (the limit is 1000)\n")


@serial
def test_timer_storm_ends_at_the_deadline():
    res = run("--profile", "moderate", "--timeout", "300ms", "-e",
              "setInterval(function () {}, 0); function again() { setTimeout(again, 0) } again()")
    expect(res, code=3, out="", err="jsbox: time limit exceeded: 300 ms\n")


@serial
def test_timer_past_the_deadline_stops_at_the_deadline():
    res = run("--profile", "moderate", "--timeout", "200ms", "-e", "setTimeout(function () { output = 1 }, 60000)")
    expect(res, code=3, out="", err="jsbox: time limit exceeded: 200 ms\n")
    assert res.wall < 5, res


def test_error_in_a_timer_is_uncaught():
    expect(run("--profile", "moderate", "-e", "setTimeout(function () {\n  throw new Error('boom') }, 1)"),
           code=1, out="", err="jsbox: <eval>:2: Error: boom\n")


def test_denied_eval_inside_a_timer():
    expect(run("--profile", "moderate", "-e", "setTimeout(function () {\n  eval('1') }, 1)"),
           code=5, out="", err="jsbox: blocked by policy: <eval>:2: SecurityError: eval is denied by the moderate profile\n")


# ---- readFile ----

def make_tree():
    root = tempfile.mkdtemp(prefix="jsbox-read-")
    atexit.register(shutil.rmtree, root, True)
    os.mkdir(os.path.join(root, "ok"))
    os.mkdir(os.path.join(root, "secret"))
    with open(os.path.join(root, "ok", "a.txt"), "w", encoding="utf-8") as f:
        f.write("h\u00e9llo \U0001F600")
    with open(os.path.join(root, "secret", "s.txt"), "w") as f:
        f.write("secret")
    os.symlink(os.path.join(root, "secret", "s.txt"), os.path.join(root, "ok", "link"))
    os.symlink(os.path.join(root, "secret"), os.path.join(root, "ok", "dirlink"))
    os.mkdir(os.path.join(root, "ok2"))
    return root


def test_read_file_under_allowed_directory():
    root = make_tree()
    res = run("--profile", "permissive", "--allow-read", root + "/ok", "-e",
              "var s = readFile(%s); [s, s.length]" % json.dumps(root + "/ok/a.txt"))
    expect(res, code=0, err="", out='["h\u00e9llo \U0001F600",8]\n')


def test_read_file_cannot_escape():
    root = make_tree()
    for path in [root + "/ok/../secret/s.txt", root + "/ok/link", root + "/ok/dirlink/s.txt",
                 root + "/secret/s.txt", "/etc/passwd", root + "/ok2/../secret/s.txt", root + "/okx"]:
        res = run("--profile", "permissive", "--allow-read", root + "/ok", "--allow-read", root + "/ok2",
                  "-e", "readFile(%s)" % json.dumps(path))
        assert res.out == "" and "secret" not in res.out, res
        assert res.code == 5 and "(it is not under an --allow-read directory)" in res.err or \
            res.code == 1 and "No such file" in res.err, (path, res)


def test_read_file_errors_are_catchable():
    root = make_tree()
    res = run("--profile", "permissive", "--allow-read", root + "/ok", "-e",
              "try { readFile(%s) } catch (e) { output = e.message }" % json.dumps(root + "/ok/none"))
    expect(res, code=0, out='"readFile: %s/ok/none: No such file or directory"\n' % root)
    res = run("--profile", "permissive", "--allow-read", root + "/ok", "-e", "readFile(%s)" % json.dumps(root + "/ok"))
    expect(res, code=1, err="jsbox: <eval>:1: Error: readFile: %s/ok: not a regular file\n" % root)


def test_read_file_of_a_fifo_does_not_hang():
    root = make_tree()
    os.mkfifo(os.path.join(root, "ok", "fifo"))
    res = run("--profile", "permissive", "--allow-read", root + "/ok", "-e",
              "readFile(%s)" % json.dumps(root + "/ok/fifo"), timeout=20)
    expect(res, code=1, out="", err="jsbox: <eval>:1: Error: readFile: %s/ok/fifo: not a regular file\n" % root)


def test_read_file_size_counts_against_memory():
    root = make_tree()
    with open(os.path.join(root, "ok", "big"), "wb") as f:
        f.write(b"x" * 3000000)
    big = json.dumps(root + "/ok/big")
    res = run("--profile", "permissive", "--allow-read", root + "/ok", "--memory-limit", "2M",
              "-e", "readFile(%s).length" % big)
    expect(res, code=1, out="", err="jsbox: <eval>:1: RangeError: readFile: %s/ok/big does not fit the memory limit\n" % root)
    expect(run("--profile", "permissive", "--allow-read", root + "/ok", "--memory-limit", "16M",
               "-e", "readFile(%s).length" % big), code=0, out="3000000\n")


def test_read_file_without_directory_in_permissive():
    denied(run("--profile", "permissive", "-e", "readFile('/etc/passwd')"), "readFile", "permissive")


def test_read_file_denied_in_strict_and_moderate():
    for profile in ["strict", "moderate"]:
        denied(run("--profile", profile, "-e", "readFile('/etc/passwd')"), "readFile", profile)


def test_allow_read_needs_read_capability():
    expect(run("--allow-read", "/tmp", "-e", "1"), code=2,
           err="jsbox: usage: --allow-read needs a policy that allows 'read' (--profile permissive)\n")


# ---- --stats ----

def test_stats_count_denials_by_capability():
    res = run("--stats", "-e", "for (var i = 0; i < 2; i++) try { eval('1') } catch (e) {}\n"
                               "try { setTimeout(function () {}) } catch (e) {}\n"
                               "try { readFile('x') } catch (e) {} 1")
    expect(res, code=0, out="1\n")
    stats = json.loads(res.err.splitlines()[-1])
    assert stats["denials"] == {"eval": 2, "timers": 1, "duktape": 0, "read": 1}, res
    res = run("--stats", "-e", "eval('1')")
    stats = json.loads(res.err.splitlines()[-1])
    assert stats["exit"] == 5 and stats["denials"]["eval"] == 1, res


def test_read_file_outside_says_the_same_whether_it_exists_or_not():
    # The decision is made on the path as asked, before anything outside the
    # allowed directory is looked up: no answer tells existing from absent.
    root = make_tree()
    pairs = [("/etc/passwd", "/etc/no-such-jsbox-file"),
             (root + "/secret/s.txt", root + "/secret/none"),
             (root + "/ok/../secret/s.txt", root + "/ok/../secret/none"),
             (root + "/ok/dirlink/s.txt", root + "/ok/dirlink/none"),
             (root + "/ok/../../../../etc/passwd", root + "/ok/../../../../etc/nonexistent"),
             (root + "/ok/link", root + "/ok/../secret/nodir/x")]
    for there, absent in pairs:
        got = []
        for path in (there, absent):
            res = run("--profile", "permissive", "--allow-read", root + "/ok", "-e",
                      "try { readFile(%s) } catch (e) { output = [e.name, e.message] }" % json.dumps(path))
            expect(res, code=0)
            got.append(res.out.replace(json.dumps(path)[1:-1], "PATH"))
        assert got[0] == got[1], (there, absent, got)
        assert got[0] == '["SecurityError","reading PATH (it is not under an --allow-read directory) is ' \
                         'denied by the permissive profile"]\n', got


def test_read_file_relative_path_is_decided_against_the_directory():
    root = make_tree()
    script = "try { readFile(%s) } catch (e) { output = e.message }"
    expect(subprocess_run_in(os.path.join(root, "ok"), "--profile", "permissive", "--allow-read", root + "/ok",
                             "-e", "readFile('a.txt').length"), code=0, out="8\n")
    for path in ["../secret/s.txt", "../secret/none"]:
        res = subprocess_run_in(os.path.join(root, "ok"), "--profile", "permissive", "--allow-read", root + "/ok",
                                "-e", script % json.dumps(path))
        expect(res, code=0, out='"reading %s (it is not under an --allow-read directory) is denied by the '
                                'permissive profile"\n' % path)


def subprocess_run_in(cwd, *args):
    """run() with another working directory (tests share this process's)."""
    proc = subprocess.run([JSBOX] + list(args), cwd=cwd, capture_output=True, timeout=30)
    return Result(proc.returncode, proc.stdout.decode(), proc.stderr.decode(), 0)
