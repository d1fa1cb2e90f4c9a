"""Iteration in transpiled code: array patterns and for-of over any
iterable (lazily, closing what they leave early), spread, and the names
ES2015 gives functions."""

NEEDS_TRANSPILER = True

from modern_case import CACHE, check_table, js
from jsbox_test import run, expect


NATURALS = ("const log = [];\n"
            "function* naturals() { let n = 0; try { while (true) yield n++; } finally { log.push('closed'); } }\n")


def test_array_patterns_take_any_iterable():
    check_table([
        ("const [a, b] = new Set([1, 2]); [a, b]", "[1,2]"),
        ("const [[k, v]] = new Map([['x', 1]]); [k, v]", '["x",1]'),
        ("const [c, d, ...rest] = '\U00020bb7a\U00020bb6b'; [c, d, rest]", '["\U00020bb7","a",["\U00020bb6","b"]]'),
        ("function* g() { yield 1; yield 2; yield 3; } const [x, , z, w] = g(); [x, z, w]", "[1,3,null]"),
        ("let a, b; [a, b] = new Set(['p', 'q']); [a, b]", '["p","q"]'),
        ("function f([a, [b, c]], {d: [e] = [5]}) { return [a, b, c, e]; } f(new Set([1, 'xy']), {})",
         '[1,"x","y",5]'),
        ("const out = []; for (const [k, v] of new Map([['a', 1], ['b', 2]])) out.push(k + v); out", '["a1","b2"]'),
        ("const it = { [Symbol.iterator]() { let i = 0; return { next: () => ({ value: i, done: i++ > 2 }) }; } };\n"
         "const [p, ...q] = it; [p, q]", "[0,[1,2]]"),
        ("let x = 1, y = 2; [x, y] = [y, x]; [x, y]", "[2,1]"),
        ("[] = [1, 2]; ({} = {a: 1}); 'empty patterns'", '"empty patterns"'),
        ("let a, b, c, d; [a, b] = [c, d] = new Set([1, 2]); ({a, c} = {c: d} = {a: 5, c: 6}); [a, b, c, d]",
         "[5,2,6,6]"),
        ("let a, b; const v = ([a] = {b} = [7]); [a, b, v]", "[7,null,[7]]"),
        ("(function () { const [a, b] = arguments; return a + b; })(3, 4)", "7"),
    ])


def test_array_patterns_close_the_iterator():
    check_table([
        (NATURALS + "const [first, second] = naturals(); [first, second, log]", '[0,1,["closed"]]'),
        (NATURALS + "function f([a]) { return a; } [f(naturals()), log]", '[0,["closed"]]'),
        # Read to its end: nothing to close.
        ("const log = []; const it = { [Symbol.iterator]() { return this; }, next() { return { done: true }; },\n"
         "return() { log.push('closed'); return {}; } };\nconst [a] = it; [a, log]", "[null,[]]"),
    ])


def test_array_patterns_read_arrays_by_index():
    # Holes and the array's own elements, not its iterator.
    check_table([
        ("const [a, , b = 3, ...c] = [1, 2, undefined, 4, 5]; [a, b, c]", "[1,3,[4,5]]"),
        ("const [a, b] = [,,]; [a === undefined, b === undefined]", "[true,true]"),
        ("Object.entries({a: 1, b: 2}).map(([k, v]) => k + v)", '["a1","b2"]'),
    ])


def test_for_of_over_an_endless_generator_stops_at_break():
    res = js(NATURALS + "const out = [];\nfor (const x of naturals()) { if (x > 3) break; out.push(x); }\n[out, log]",
             "--timeout", "2s")
    expect(res, code=0, out='[[0,1,2,3],["closed"]]\n', err="")


def test_for_of_closes_the_iterator_it_leaves():
    check_table([
        (NATURALS + "function f() { for (const x of naturals()) if (x === 2) return x; }\n[f(), log]",
         '[2,["closed"]]'),
        (NATURALS + "let e;\ntry { for (const x of naturals()) throw new Error('at ' + x); } catch (err) { e = err.message; }\n"
         "[e, log]", '["at 0",["closed"]]'),
        (NATURALS + "const out = [];\nouter: for (const x of naturals()) for (const y of naturals()) {\n"
         "if (y > x) continue outer; if (x > 1) break outer; out.push([x, y]); }\n[out, log.length]",
         "[[[0,0],[1,0],[1,1]],4]"),
        (NATURALS + "const out = [];\nfor (const x of naturals()) { if (x % 2) continue; if (x > 4) break; out.push(x); }\n"
         "[out, log]", '[[0,2,4],["closed"]]'),
        # Run to the end, the iterator is not closed.
        ("const log = []; function* g() { try { yield 1; } finally { log.push('finally'); } }\n"
         "const out = []; for (const x of g()) out.push(x); [out, log]", '[[1],["finally"]]'),
        ("const out = []; for (const x of new Set([1, 2])) for (const c of 'a\U00020bb7') out.push(x + c); out",
         '["1a","1\U00020bb7","2a","2\U00020bb7"]'),
        ("let n = 0; for (const x of [1, 2, 3]) {} for (const x of 'abc') n++; n", "3"),
        ("const o = {}, out = []; let y; for (o.p of new Set([1])) out.push(o.p); for (y of 'ab') out.push(y); out",
         '[1,"a","b"]'),
        # Closures over the loop's const see each value.
        (NATURALS + "const fs = [];\nfor (const x of naturals()) { if (x > 2) break; fs.push(() => x); }\n"
         "[fs.map(f => f()), log]", '[[0,1,2],["closed"]]'),
        ("function* g() { for (const x of [1, 2]) yield x * 10; } [...g()]", "[10,20]"),
    ])


def test_for_of_over_hostile_iterators():
    it = ("function iter(next, ret) { return { [Symbol.iterator]() { return this; }, next, return: ret }; }\n"
          "const log = [];\n")
    check_table([
        # next() throws: the error is the loop's, and return() is not called.
        (it + "let e; try { for (const x of iter(() => { throw new Error('next'); }, () => { log.push('ret'); return {}; })) ; }"
         " catch (err) { e = err.message; } [e, log]", '["next",[]]'),
        # next() returns a non-object.
        (it + "let e; try { for (const x of iter(() => 5)) ; } catch (err) { e = err instanceof TypeError; } e", "true"),
        # return() throws after a break: its error is the loop's.
        (it + "let e; try { for (const x of iter(() => ({ value: 1 }), () => { throw new Error('ret'); })) break; }"
         " catch (err) { e = err.message; } e", '"ret"'),
        # return() throws after the body threw: the body's error wins.
        (it + "let e; try { for (const x of iter(() => ({ value: 1 }), () => { throw new Error('ret'); })) throw new Error('body'); }"
         " catch (err) { e = err.message; } e", '"body"'),
        # return() gives a non-object after a break.
        (it + "let e; try { for (const x of iter(() => ({ value: 1 }), () => 1)) break; }"
         " catch (err) { e = err instanceof TypeError; } e", "true"),
        (it + "let e; try { const [a] = iter(() => ({ value: 1 }), () => { throw new Error('ret'); }); }"
         " catch (err) { e = err.message; } e", '"ret"'),
        ("let e; try { for (const x of 5) ; } catch (err) { e = err instanceof TypeError; } e", "true"),
        ("let e; try { const [a] = {}; } catch (err) { e = err instanceof TypeError; } e", "true"),
    ])


def test_endless_loops_end_with_the_timeout():
    for code in ["function* g() { while (true) yield 1; }\nfor (const x of g()) {}",
                 "function* g() { while (true) yield 1; }\nfor (const x of g()) { if (x > 1) break; }\nconst [...all] = g();"]:
        res = run("-c", "--timeout", "300ms", "-e", code, env={"XDG_CACHE_HOME": CACHE})
        expect(res, code=3, out="")


def test_spread():
    check_table([
        ("[...new Set([1, 2]), ...'ab', ...new Map([[3, 4]])]", '[1,2,"a","b",[3,4]]'),
        ("Math.max(...new Set([1, 5, 2]))", "5"),
    ])


def test_errors_in_loops_name_the_source_line():
    for code, line in [
        ("const s = new Set([1]);\nfor (const [a] of [[1]]) {\n  null.x;\n}", 3),
        ("for (const x of new Set([1])) x;\nconst [a, b] = new Set([1, 2]);\nnull.y", 3),
        ("function* g() { yield 1; }\nfor (const x of g())\n  null.z;", 3),
    ]:
        res = js(code)
        expect(res, code=1, out="")
        assert res.err.startswith("jsbox: <eval>:%d: TypeError" % line), (code, res)


def test_function_names():
    check_table([
        ("const f = () => 1, g = function () {}; let h; h = async () => 1; [f.name, g.name, h.name]",
         '["f","g","h"]'),
        ("const o = {a: () => 1, b: function () {}, c() {}, 'd-e': () => 0}; [o.a.name, o.b.name, o.c.name, o['d-e'].name]",
         '["a","b","c","d-e"]'),
        ("function f(cb = () => 1) { return cb.name; } f()", '"cb"'),
        # The body refers to the name: the name is still given, and inside
        # it means what it meant before.
        ("const fact = n => n ? n * fact(n - 1) : 1; [fact.name, fact(5)]", '["fact",120]'),
        ("const log = 'outer'; const o = { log() { return log; } }; [o.log(), o.log.name]", '["outer","log"]'),
        ("const o = { 'a-b'() {}, 7() {}, *g() {} }; const k = 'x'; [o['a-b'].name, o[7].name, o.g.name]",
         '["a-b","7","g"]'),
        ("class A { m() {} static s() {} get g() { return 1; } [Symbol.iterator]() {} }\n"
         "const d = Object.getOwnPropertyDescriptor(A.prototype, 'g');\n"
         "[A.name, new A().m.name, A.s.name, d.get.name, A.prototype[Symbol.iterator].name]",
         '["A","m","s","get g","[Symbol.iterator]"]'),
        ("class A { static name() { return 'static'; } }\nA.name()", '"static"'),
        ("const sym = Symbol('k'); const o = { [sym]: function () {} }; o[sym].name", '"[k]"'),
        ("const f = (function () { return () => 1; })(); f.name", '""'),
    ])


def test_template_literals_convert_with_to_string():
    check_table([
        ("const a = { toString() { return 'str'; }, valueOf() { return 'val'; } }; const o = { a };\n"
         "[`${a}`, `<${o.a}>`, `${1}${2}`, `${null} ${undefined} ${[1, 2]}`]", '["str","<str>","12","null undefined 1,2"]'),
        ("let e; try { `${Symbol('s')}`; } catch (err) { e = err instanceof TypeError; } e", "true"),
    ])


def test_arguments_do_not_follow_non_simple_parameters():
    check_table([
        ("(function (a, ...rest) { a = 'changed'; return [arguments[0], arguments.length, rest]; })('a', 'b')",
         '["a",2,["b"]]'),
        ("(function (a = 1, b = 2) { a = 3; return [arguments.length, arguments[0], a, b]; })(undefined)",
         "[1,null,3,2]"),
        ("(function (a, b) { a = 3; return arguments[0]; })(1)", "3"),
    ])


def test_parameter_expressions_do_not_see_the_body():
    check_table([
        ("var b = 'outer'; (function (a = () => typeof b) { var b = 1; return [a(), b]; })()", '["string",1]'),
        ("(function ({a = function () { return typeof c; }}) { var c = 1; return a(); })({})", '"undefined"'),
        ("(function f(a = f) { var f = 2; return [typeof a, f]; })()", '["function",2]'),
        ("(function (x = 1, {y} = {y: x + 1}) { return [x, y]; })()", "[1,2]"),
        # A var of a parameter's name is that parameter.
        ("(function (a = 1, {b} = {b: 2}) { var a, b; return [a, b]; })()", "[1,2]"),
    ])


def test_array_patterns_over_arrays_do_not_load_the_polyfills():
    # The polyfills take some 500 KB of heap: a pattern over an array
    # needs none of it, and the first one over anything else loads it.
    expect(js("const [a, b] = 'x,y'.split(','); a + b", "--memory-limit", "250k", "--no-cache"),
           code=0, out='"xy"\n', err="")
    expect(js("function f(s) { const [a, b] = s; return a + b; } [f(['x', 'y']), f('pq')]"),
           code=0, out='["xy","pq"]\n', err="")
