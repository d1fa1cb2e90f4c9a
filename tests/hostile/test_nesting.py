"""Deep recursion and nesting of every kind: catchable RangeErrors or clean
errors, never a C stack overflow."""
import os

from jsbox_test import needs_transpiler, run as _run, expect, tmpfile

# Tests not about time get a deadline that a slow build cannot hit.
_SAN = "san" in os.environ.get("JSBOX_BUILD", "")
LONG = "60s" if _SAN else "5s"
_EXTRA = ["--timeout", "60s"] if _SAN else []


def run(*args, **kw):
    return _run(*(_EXTRA + list(args)), **kw)

# The sanitizer build runs several times slower: more room, same codes and
# messages.  The bound catches a hang, not slowness: a loaded machine takes
# several times the usual 0.1-0.5 s.
SLACK = 4.0 if "san" in os.environ.get("JSBOX_BUILD", "") else 1.0
BOUND = 5.0 * SLACK


def test_deep_recursion_is_catchable_and_script_goes_on():
    expect(run("-e", "function f(n) { return f(n + 1) + 1 }"
               "var r; try { f(0) } catch (e) { r = e.name } r + ' then ' + [1,2,3].length"),
           code=0, out='"RangeError then 3"\n', err="", max_wall=BOUND)


def test_deep_recursion_uncaught():
    res = expect(run("-e", "function f() { return 1 + f() } f()"), code=1, out="", max_wall=BOUND)
    assert "RangeError" in res.err and len(res.err.splitlines()) == 1, res


def test_nested_parentheses_in_source():
    src = tmpfile("(" * 100000 + "1" + ")" * 100000)
    res = expect(run("run", src, "--profile", "moderate"), code=1, out="", max_wall=BOUND)
    assert "RangeError" in res.err and len(res.err.splitlines()) == 1, res


def test_nested_arrays_in_source():
    src = tmpfile("[" * 100000 + "]" * 100000)
    res = expect(run("run", src, "--profile", "moderate"), code=1, out="", max_wall=BOUND)
    assert "RangeError" in res.err and len(res.err.splitlines()) == 1, res


def test_nested_functions_in_source():
    src = tmpfile("function f(){" * 20000 + "}" * 20000)
    res = expect(run("run", src, "--profile", "moderate"), code=1, out="", max_wall=BOUND)
    assert "RangeError" in res.err and len(res.err.splitlines()) == 1, res


def test_nested_input_json():
    res = expect(run("-e", "1", "--input", "-", stdin="[" * 100000 + "]" * 100000),
                 out="", max_wall=BOUND)
    assert res.code in (1, 2) and len(res.err.splitlines()) == 1, res
    assert res.err.startswith("jsbox: "), res


def test_nested_argjson():
    res = expect(run("-e", "1", "--argjson", "v", "[" * 60000 + "]" * 60000), out="", max_wall=BOUND)
    assert res.code in (1, 2) and len(res.err.splitlines()) == 1 and res.err.startswith("jsbox: "), res


def test_deep_value_as_result():
    res = expect(run("-e", "var v = []; for (var i = 0; i < 100000; i++) v = [v]; v"), code=1, out="",
                 max_wall=BOUND)
    assert "RangeError" in res.err and len(res.err.splitlines()) == 1, res


def test_deep_value_stringify_catchable():
    expect(run("-e", "var v = {}; for (var i = 0; i < 100000; i++) v = {v: v};"
               "try { JSON.stringify(v) } catch (e) { e.name }"),
           code=0, out='"RangeError"\n', err="", max_wall=BOUND)


def test_deep_value_console_log():
    res = expect(run("-e", "var v = []; for (var i = 0; i < 100000; i++) v = [v]; console.log(v); 7"),
                 max_wall=BOUND)
    assert res.code in (0, 1), res
    assert res.code == 1 or res.out.endswith("7\n"), res


def test_deep_proxy_chain():
    # A proxy may have a proxy as its target: a chain this long ends at the
    # memory or time limit, or works.
    # Its own deadline: building it outlasts the sanitizer build's 60 s one.
    res = expect(run("--timeout", "1s", "-e", "var p = {}; for (var i = 0; i < 100000; i++) p = new Proxy(p, {}); p.x"),
                 max_wall=BOUND)
    assert res.code in (0, 1, 3, 4) and len(res.err.splitlines()) <= 1, res
    # One that fits: operations through it work or end in a RangeError.
    res = expect(run("--timeout", LONG, "-e", "var p = {}; for (var i = 0; i < 20000; i++) p = new Proxy(p, {});\n"
                     "p.x; Object.getPrototypeOf(p); Object.keys(p)"))
    assert res.code in (0, 1) and len(res.err.splitlines()) <= 1, res
    assert res.code == 0 or "RangeError" in res.err, res


@needs_transpiler
def test_deeply_nested_modern_syntax_is_a_clear_syntax_error():
    # Past the transpiler's own depth: the one message names the nesting,
    # not the transpiler's insides ("cannot read property 'line' of undefined").
    for code in ["let a = " + "() => " * 5000 + "1; 1",
                 "let a = " + "[" * 5000 + "]" * 5000 + "; 1",
                 "let a = " + "(" * 5000 + "1" + ")" * 5000 + "; 1",
                 "let a = " + "{a: " * 5000 + "1" + "}" * 5000 + "; 1",
                 "function* g() { yield " + "[" * 5000 + "]" * 5000 + " } 1"]:
        res = expect(run("run", tmpfile(code)), code=1, out="")
        assert res.err.endswith(": SyntaxError: the source is nested too deeply to translate\n"), res
        assert len(res.err.splitlines()) == 1, res
    res = expect(run("--json-result", "-e", "let a = " + "[" * 5000 + "]" * 5000), code=1)
    assert '"type":"SyntaxError","message":"the source is nested too deeply to translate"' in res.out, res
