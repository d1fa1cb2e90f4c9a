"""The temporal dead zone (transpiled): a let, const or parameter used before
its initialisation throws a ReferenceError, statically in the same function
and by a run-time check in a function that may run early; other uses work."""

NEEDS_TRANSPILER = True

import time

from modern_case import check_table, js
from jsbox_test import expect

CATCH = "function tdz(f) { try { f(); return 'none'; } catch (e) { return e.name + ': ' + e.message; } }\n"
ERR = "ReferenceError: Cannot access '%s' before initialization"


def check_error(code, name):
    expect(js(code), code=1, out="", err="jsbox: <eval>:1: %s\n" % (ERR % name))


def test_use_before_declaration_throws():
    check_error("x; let x = 1;", "x")
    check_error("const c = c + 1;", "c")
    check_error("typeof t; let t;", "t")
    check_error("y = 2; let y;", "y")
    check_error("z++; let z = 0;", "z")
    check_error("let {c = c} = {};", "c")
    check_error("let {c = d, d} = {d: 1};", "d")
    check_error("let [a = b, b] = [];", "b")
    check_error("for (let q of q) {}", "q")
    check_error("(function (a = a) {}());", "a")
    check_error("(function (a = b, b) {}());", "b")


def test_uses_after_initialisation_work():
    check_table([
        ("let x = 1; x += 1; const c = x * 2; let {a, b = a} = {a: 3}; [x, c, a, b]", "[2,4,3,3]"),
        ("(function (a, b = a, {c} = {c: b}) { return [a, b, c]; }(5))", "[5,5,5]"),
        ("let u; typeof u", '"undefined"'),
        ("let o = 1; const p = {o}; p.o", "1"),
    ])


def test_closures_check_at_run_time():
    check_table([
        # A hoisted function called before and after the declaration.
        (CATCH + "const before = tdz(f); function f() { return k; } const k = 7;\n[before, f()]",
         '["%s",7]' % (ERR % "k")),
        # A function written before the declaration.
        (CATCH + "var g = () => v; const r = tdz(g); let v = 'v'; [r, g()]",
         '["%s","v"]' % (ERR % "v")),
        # The compat-table shape: an IIFE before, a call after.
        ("var passed = (function () { try { qux; } catch (e) { return true; } }());\n"
         "function fn() { passed &= qux === 456; }\nlet qux = 456; fn(); passed", "1"),
        # Writes are checked too.
        (CATCH + "function set() { w = 1; } const r = tdz(set); let w = 0; set(); [r, w]",
         '["%s",1]' % (ERR % "w")),
        # A class declared later.
        (CATCH + "function mk() { return new K(); } const r = tdz(mk); class K {} [r, mk() instanceof K]",
         '["%s",true]' % (ERR % "K")),
    ])


def test_checked_bindings_initialise_and_keep_statements_apart():
    check_table([
        # A checked `let x;` is undefined once it has run.
        ("function f() { return x; } var g = f; let x; g() === undefined", "true"),
        ("var r = []; for (var i = 0; i < 2; i++) { function f() { return x; } var g = f; let x; r.push(g() === undefined); } r",
         "[true,true]"),
        # A check that starts a line does not call the line before it.
        (CATCH + "function d() { var q = 1\n  return [w.length\n  , q]; }\nfunction e() { var q = 1\n  w.length\n  return q; }\n"
         "const r = tdz(e); let w = 'ab'; [r, d(), e()]", '["%s",[2,1],1]' % (ERR % "w")),
        (CATCH + "function c() { return {z}; } const r = tdz(c); let z = 3; [r, c().z]", '["%s",3]' % (ERR % "z")),
    ])


def test_class_fields_run_later():
    check_table([
        ("class C { m = z; } let z = 5; new C().m", "5"),
        (CATCH + "class C { m = z; static s = tdz(() => new C()); } let z = 5; [C.s, new C().m]",
         '["%s",5]' % (ERR % "z")),
        ("(function (a = class { x = a }) { return new a().x === a; })()", "true"),
    ])
    check_error("class D { static s = w; } let w = 1;", "w")


def test_loops_reenter_the_zone():
    check_table([
        ("var out = []; for (var i = 0; i < 3; i++) { try { w; out.push('no'); } catch (e) { out.push(e.name); }"
         " let w = i; out.push(w); } out", '["ReferenceError",0,"ReferenceError",1,"ReferenceError",2]'),
        (CATCH + "var out = []; for (const n of [1, 2]) { let f = () => m; out.push(tdz(f)); let m = n; out.push(f()); }"
         " out", '["%s",1,"%s",2]' % (ERR % "m", ERR % "m")),
    ])


def test_switch_cases_and_shadowing():
    check_table([
        (CATCH + "function s(v) { switch (v) { case 0: let x = 'x'; return x; case 1: return tdz(() => x); } }"
         " [s(0), s(1)]", '["x","%s"]' % (ERR % "x")),
        ("let a = 'outer'; { let b = a; let a2 = 'inner'; [b, a2] }", '["outer","inner"]'),
        (CATCH + "let s = 'outer'; function f() { return tdz(() => s); } { f(); let s = 'inner'; } f()",
         '"none"'),
        (CATCH + "let r; { r = tdz(() => h); let h = 1; } r", '"%s"' % (ERR % "h")),
    ])


def test_unchecked_code_is_plain():
    # Uses that cannot be in the zone get no check: the translation of
    # ordinary code names no helper.
    res = expect(js("const a = 1; let b = a + 1; function f() { return a + b; } f(); [a, b].map(x => x + a)",
                    "--stack-trace"), code=0)
    assert res.out == "[2,3]\n", res


def test_deep_nesting_stays_linear():
    # Each level declares a let every deeper level reads.
    def source(n):
        return ("".join("let x%d = () => { " % i for i in range(n)) + "+".join("x%d" % i for i in range(n)) +
                ";" + "}" * n + "; 1")
    times = []
    for n in (40, 160):
        start = time.monotonic()
        expect(js(source(n), "--no-cache"), code=0, out="1\n")
        times.append(time.monotonic() - start)
    assert times[1] < 16 * times[0] + 2, times
