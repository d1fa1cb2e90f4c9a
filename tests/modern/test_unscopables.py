"""with statements honour Symbol.unscopables (patches/duktape/0027), with
hostile objects: getters that throw, proxies, recursion."""

from modern_case import check_table
from jsbox_test import run, expect


def test_names_hidden():
    check_table([
        ("var a = {foo: 1, bar: 2}; a[Symbol.unscopables] = {bar: true}; var bar = 'outer', r;\n"
         "with (a) { r = [foo, bar]; bar = 'set'; } [r, bar, a.bar]", '[[1,"outer"],"set",2]'),
        # Array.prototype's list: values, keys, ... do not shadow outer names.
        ("var values = 'mine', keys = 'k', r; with ([1, 2]) { r = [values, keys, length, typeof push]; } r",
         '["mine","k",2,"function"]'),
        # A falsy entry, a non-object @@unscopables, an inherited one.
        ("var x = 'outer', y = 'outer', r = [];\n"
         "var o = {x: 1, y: 2}; o[Symbol.unscopables] = {x: 0, y: ''}; with (o) r.push(x, y);\n"
         "var p = {x: 3}; p[Symbol.unscopables] = 'x'; with (p) r.push(x);\n"
         "var q = Object.create({[Symbol.unscopables]: {x: true}}); q.x = 4; with (q) r.push(x);\n"
         "var f = function () {}; f.x = 5; f[Symbol.unscopables] = function () {}; f[Symbol.unscopables].x = 1;\n"
         "with (f) r.push(x); r", '[1,2,3,"outer","outer"]'),
        ("var log = [], u = new Proxy({}, {get: function (t, k) { log.push(String(k)); return k === 'a'; }});\n"
         "var o = {a: 1, b: 2}; o[Symbol.unscopables] = u; var a = 'outer', r; with (o) { r = [a, b]; } [r, log]",
         '[["outer",2],["a","b"]]'),
        # delete reaches the outer binding (a script's var is deletable: eval code).
        ("var x = 'outer'; var o = {x: 1}; o[Symbol.unscopables] = {x: true};\n"
         "[(function () { with (o) { return typeof x; } })(), (function () { with (o) { return delete x; } })(), o.x,\n"
         " typeof x]", '["string",true,1,"undefined"]'),
        # No with statement, no lookup: the global object is not a with object.
        ("this[Symbol.unscopables] = {Math: true}; typeof Math", '"object"'),
    ])


def test_hostile_unscopables():
    check_table([
        ("var o = {x: 1}; Object.defineProperty(o, Symbol.unscopables, {get: function () { throw new Error('boom'); }});\n"
         "var r; try { with (o) { r = x; } } catch (e) { r = e.message; } r", '"boom"'),
        ("var o = {x: 1}; o[Symbol.unscopables] = {get x() { throw new TypeError('inner'); }};\n"
         "var r; try { with (o) { r = x; } } catch (e) { r = e.name + ' ' + e.message; } r", '"TypeError inner"'),
        # A getter that resolves the same name through the same with object recurses until the engine stops it.
        ("var o = {x: 1}; Object.defineProperty(o, Symbol.unscopables, {get: function () { with (o) { return {x: x}; } }});\n"
         "var r; try { with (o) { r = x; } } catch (e) { r = e.name; } r", '"RangeError"'),
        ("var p = new Proxy({x: 1}, {get: function (t, k) { if (k === Symbol.unscopables) throw new Error('trap'); return t[k]; }});\n"
         "var r; try { with (p) { r = x; } } catch (e) { r = e.message; } r", '"trap"'),
        ("var r = Proxy.revocable({x: 1}, {}); var p = r.proxy; r.revoke(); var out;\n"
         "try { with (p) { out = x; } } catch (e) { out = e.name; } out", '"TypeError"'),
    ])


def test_getter_loop_hits_the_deadline():
    res = run("--timeout", "300ms", "-e",
              "var o = {x: 1}; Object.defineProperty(o, Symbol.unscopables, {get: function () { for (;;) {} }});\n"
              "with (o) { x; }")
    expect(res, code=3)
