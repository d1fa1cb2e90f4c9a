"""Scripts that try to outlive the deadline: every path ends with exit 3,
one message, and a bounded wall time."""
import os

from jsbox_test import run, expect, serial

TIME = "jsbox: time limit exceeded: 500 ms\n"
# Generous for loaded machines and the sanitizer build; far below "hangs".
# The sanitizer build runs several times slower: more room, same codes and messages.
SLACK = 4.0 if "san" in os.environ.get("JSBOX_BUILD", "") else 1.0
BOUND = 0.5 + 1.5 * SLACK


def timed_out(*args, out="", **kw):
    return expect(run(*args, **kw), code=3, err=TIME, out=out, max_wall=BOUND)


@serial
def test_plain_loop():
    timed_out("-e", "while(1){}")


@serial
def test_for_loop_with_work():
    timed_out("-e", "var x = 0; for (;;) { x = (x + 1) % 7; }")


@serial
def test_catch_and_continue_cannot_succeed():
    timed_out("-e", "try { while(1){} } catch (e) {} 'escaped'")


@serial
def test_catch_in_loop_then_more_work():
    timed_out("-e", "for (;;) { try { while(1){} } catch (e) {} } ")


@serial
def test_finally_cannot_resume():
    timed_out("-e", "try { while(1){} } finally { output = 'escaped'; }")


@serial
def test_catastrophic_regexp():
    timed_out("-e", "/(a+)+$/.test('a'.repeat(30) + 'b')")


@serial
def test_catastrophic_regexp_in_replace():
    timed_out("-e", "('a'.repeat(32) + '!').replace(/(a|a)+$/, 'x')")


@serial
def test_native_sort_with_comparator():
    timed_out("-e", "var a = []; for (var i = 0; i < 300000; i++) a.push((i * 7919) % 300007);"
              "for (;;) a.sort(function (x, y) { return x - y; }).reverse()")


@serial
def test_native_sort_without_comparator():
    timed_out("-e", "var a = []; for (var i = 0; i < 200000; i++) a.push('k' + (i * 7919) % 200003);"
              "for (;;) a.sort().reverse()", "--memory-limit", "256M")


@serial
def test_huge_join_repeat_split():
    timed_out("-e", "var s = 'ab'.repeat(1 << 20); for (;;) s.split('').join('').length",
              "--memory-limit", "512M")


@serial
def test_json_stringify_loop():
    timed_out("-e", "var a = []; for (var i = 0; i < 100000; i++) a.push({k: i, s: 'x' + i});"
              "for (;;) JSON.stringify(a)", "--memory-limit", "256M")


@serial
def test_getter_loops_while_serialising_result():
    timed_out("-e", "output = { get x() { while(1){} } }")


@serial
def test_tojson_loops_while_serialising_result():
    timed_out("-e", "output = { toJSON: function () { for(;;){} } }")


@serial
def test_proxy_trap_loops_while_serialising_result():
    timed_out("-e", "output = new Proxy({a: 1}, { ownKeys: function () { for(;;){} } })")


@serial
def test_finalizer_loop_cannot_outlive_deadline():
    timed_out("--profile", "permissive", "--timeout", "500ms", "-e",
              "for (var i = 0; i < 1000; i++) { var o = {}; Duktape.fin(o, function () { for(;;){} }); }"
              "o = null; Duktape.gc(); 1")


@serial
def test_finalizer_resurrecting_forever():
    timed_out("--profile", "permissive", "--timeout", "500ms", "-e",
              "function f(o) { Duktape.fin(o, f); keep = null; keep = o; }"
              "for (;;) { var o = {}; Duktape.fin(o, function (x) { Duktape.fin(x, f); }); o = null; Duktape.gc(); }")


@serial
def test_deadline_covers_input_parsing(tmp=None):
    # 12 MB of JSON in a small deadline: the parse alone outlasts 20 ms.
    data = b"[" + b",".join([b'{"a":[1,2,3],"b":"xxxxxxxx"}'] * 400000) + b"]"
    res = run("-e", "input.length", "--input", "-", "--timeout", "20ms", "--memory-limit", "512M",
              stdin=data)
    # The writer may still be filling the pipe at the deadline: then the
    # message says jsbox was waiting for it.
    expect(res, code=3, out="", max_wall=BOUND)
    assert res.err in ("jsbox: time limit exceeded: 20 ms\n",
                       "jsbox: time limit exceeded: 20 ms (waiting for input on stdin)\n"), res


@serial
def test_interrupt_flag_loop_after_deep_recursion():
    timed_out("-e", "function f(n) { try { return f(n + 1); } catch (e) { for(;;){} } } f(0)")
