"""Function names the compiler infers (patches/duktape/0022): an anonymous
function expression named after the binding or property it initializes,
accessors named "get x"/"set x", computed keys named when the literal runs;
never a name binding inside the function."""

from jsbox_test import needs_transpiler
from modern_case import check_table


def test_bindings_and_properties():
    check_table([
        ("var f = function () {}, g = function h() {}; var k; k = function () {};\n"
         "[f.name, g.name, k.name]", '["f","h","k"]'),
        ("var o = {a: function () {}, b: function c() {}, 1: function () {}, 'x y': function () {}, if: function () {}};\n"
         "o.d = function () {}; [o.a.name, o.b.name, o[1].name, o['x y'].name, o.if.name, o.d.name]",
         '["a","c","1","x y","if",""]'),
        ("var d = Object.getOwnPropertyDescriptor({get x() {}, set x(v) {}}, 'x'); [d.get.name, d.set.name]",
         '["get x","set x"]'),
        ("var f = function () {}; var d = Object.getOwnPropertyDescriptor(f, 'name');\n"
         "[d.value, d.writable, d.enumerable, d.configurable]", '["f",false,false,true]'),
    ])


@needs_transpiler
def test_arrows_and_methods():
    # They come through the transpiler as function expressions.
    check_table([("const a = () => 1; let m = {n() {}}; [a.name, m.n.name]", '["a","n"]')])


def test_only_a_whole_function_expression_is_named():
    check_table([
        ("var g = null, f = g || function () {}, p = (0, function () {}); var o = {q: [function () {}][0]};\n"
         "[f.name, p.name, o.q.name]", '["","",""]'),
        ("var x = {y: 1}; x.y = function () {}; var z = x['w'] = function () {}; [x.y.name, z.name]", '["",""]'),
        ("var f; f += function () {}; typeof f", '"string"'),
        ("var o = {__proto__: function () {}}; Object.getPrototypeOf(o).name", '""'),
    ])


def test_no_name_binding():
    check_table([
        ("var o = {k: function () { return typeof k; }}; var v = function () { return typeof v; };\n"
         "var inner = (function () { var w = function () { return typeof w2; }; var w2 = 1; return w; })();\n"
         "[o.k(), o.k.name, inner(), inner.name]", '["undefined","k","number","w"]'),
        # A named expression keeps its own inner binding, read-only as before.
        ("var f = function g() { g = 1; return typeof g; }; [f(), f.name]", '["function","g"]'),
        ("'use strict'; var o = {implements: function () {}, eval: function () {}}; [o.implements.name, o.eval.name]",
         '["implements","eval"]'),
    ])


def test_computed_keys():
    check_table([
        ("var s = Symbol('foo'), t = Symbol(), u = Symbol(''), w = Symbol.for('reg');\n"
         "var o = {[s]: function () {}, [t]: function () {}, [u]: function () {}, [w]: function () {},\n"
         "  [Symbol.iterator]: function () {}, ['a' + 1]: function () {}, [2 + 3]: function () {}};\n"
         "[o[s].name, o[t].name, o[u].name, o[w].name, o[Symbol.iterator].name, o.a1.name, o[5].name]",
         '["[foo]","","[]","[reg]","[Symbol.iterator]","a1","5"]'),
        # The key is made a property key once, as before.
        ("var n = 0, key = {toString: function () { n++; return 'kk'; }};\n"
         "var o = {[key]: function () {}, [key]: 1}; [n, Object.keys(o)]", '[2,["kk"]]'),
        ("var log = [], key = {toString: function () { log.push('str'); return 'k'; }};\n"
         "var o = {[key]: function () {}}; [log, o.k.name]", '[["str"],"k"]'),
        ("var key = {toString: function () { throw new Error('boom'); }}, got;\n"
         "try { ({[key]: function () {}}); } catch (e) { got = e.message; } got", '"boom"'),
        ("var key = {toString: function () { return {}; }}, got;\n"
         "try { ({[key]: function () {}}); } catch (e) { got = e.name; } got", '"TypeError"'),
    ])


def test_many_registers():
    # Past register 255 (the opcode's BC field names the key's register).
    decls = "".join("var v%d = %d;" % (i, i) for i in range(300))
    check_table([
        ("(function () {" + decls + " var o = {['k']: function () {}, m: function () {}};"
         " return [o.k.name, o.m.name, v299]; })()", '[' + '"k"' + ',"m",299]'),
    ])
