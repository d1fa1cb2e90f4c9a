"""ES2015+ syntax (transpiled), the polyfilled built-ins, error places, and
the transpile cache."""
import os
import tempfile

from jsbox_test import run, expect, tmpfile

CACHE = tempfile.mkdtemp(prefix="jsbox-test-cache-")


def js(code, *args, cache=CACHE):
    # A generous deadline: the transpiler runs within it, and sanitizer
    # builds under parallel tests are many times slower.
    return run("-c", "--timeout", "10s", *args, "-e", code, env={"XDG_CACHE_HOME": cache})


def check_table(table):
    for code, out in table:
        expect(js(code), code=0, out=out + "\n", err="")


def test_syntax_features():
    check_table([
        ("output = [1, 2, 3].map(x => x * 2)", "[2,4,6]"),
        ("const a = 1; let b = 2; { let b = 3; } a + b", "3"),
        ("const name = 'x'; `hi ${name}!\n${1 + 1}`", '"hi x!\\n2"'),
        ("const {a, b: {c}} = {a: 1, b: {c: 2}}; [a, c]", "[1,2]"),
        ("const [x, , y = 5, ...rest] = [1, 2, undefined, 4, 5]; [x, y, rest]", "[1,5,[4,5]]"),
        ("function f(a, b = a + 1, ...more) { return [a, b, more]; } f(1)", "[1,2,[]]"),
        ("Math.max(...[1, 7, 3])", "7"),
        ("[0, ...[1, 2], 3]", "[0,1,2,3]"),
        ("const o = {a: 1}; ({...o, b: 2})", '{"a":1,"b":2}'),
        ("const k = 'z', v = 1; ({k, v, [k + 1]: 2, m() { return 3; }}).m()", "3"),
        ("let s = 0; for (const x of [1, 2, 3]) s += x; s", "6"),
        ("let s = ''; for (const c of 'héllo') s = c + s; s", '"olléh"'),
        ("class A { constructor(x) { this.x = x; } get double() { return this.x * 2; } "
         "static make() { return new A(4); } }\nA.make().double", "8"),
        ("class A { hi() { return 'A'; } }\nclass B extends A { hi() { return super.hi() + 'B'; } }\n"
         "new B().hi()", '"AB"'),
        ("2 ** 10", "1024"),
        ("const f = function () { return () => this.v; }; f.call({v: 9})()", "9"),
        ("const {a, ...rest} = {a: 1, b: 2, c: 3}; rest", '{"b":2,"c":3}'),
        ("return [1, 2].map(n => n + 1)", "[2,3]"),
    ])


def test_common_pasted_examples():
    check_table([
        ("const users = [{name: 'a', age: 30}, {name: 'b', age: 17}];\n"
         "output = users.filter(u => u.age >= 18).map(({name}) => name.toUpperCase())", '["A"]'),
        ("const total = [1, 2, 3, 4].reduce((acc, n) => acc + n, 0); total", "10"),
        ("const fmt = ({id, tags = []}) => `${id}:${tags.join('|')}`; [{id: 1, tags: ['x', 'y']}, {id: 2}].map(fmt)",
         '["1:x|y","2:"]'),
        ("[...new Set([3, 1, 3, 2, 1])]", "[3,1,2]"),
        ("Object.entries({a: 1, b: 2}).map(([k, v]) => `${k}=${v}`).join('&')", '"a=1&b=2"'),
        ("class Animal { constructor(n) { this.n = n; } speak() { return `${this.n} makes a sound`; } }\n"
         "class Dog extends Animal { speak() { return `${super.speak()}: woof`; } }\nnew Dog('Rex').speak()",
         '"Rex makes a sound: woof"'),
    ])


def test_builtins():
    check_table([
        ("var m = new Map([['a', 1]]); m.set('b', 2); [m.get('a'), m.size, m.has('b'), Array.from(m.keys())]",
         '[1,2,true,["a","b"]]'),
        ("var s = new Set([1, 2, 2, NaN, NaN]); [s.size, s.has(NaN)]", "[3,true]"),
        ("var k = {}, w = new WeakMap(); w.set(k, 1); var ws = new WeakSet([k]); [w.get(k), ws.has(k)]", "[1,true]"),
        ("var r = []; Promise.resolve(1).then(function (v) { r.push(v); }); r.push(0); output = r",
         "[0,1]"),
        ("Promise.all([1, Promise.resolve(2)]).then(function (a) { output = a; })", "[1,2]"),
        ("Promise.reject(new Error('no')).catch(function (e) { return e.message; })"
         ".then(function (m) { output = m; })", '"no"'),
        ("[Object.values({a: 1, b: 2}), Object.fromEntries([['x', 1]])]", '[[1,2],{"x":1}]'),
        ("[Array.from('abc'), Array.of(7, 8), Array.from({length: 2}, function (_, i) { return i; })]",
         '[["a","b","c"],[7,8],[0,1]]'),
        ("[[1, 2, NaN].includes(NaN), [5, 6].find(function (x) { return x > 5; }), "
         "[5, 6].findIndex(function (x) { return x > 9; }), new Array(3).fill(0)]", "[true,6,-1,[0,0,0]]"),
        ("[[1, [2, [3]]].flat(), [1, 2].flatMap(function (x) { return [x, x]; })]", "[[1,2,[3]],[1,1,2,2]]"),
        ("['5'.padStart(3, '0'), 'a'.padEnd(3, '-'), '  x '.trimStart(), ' x  '.trimEnd()]",
         '["005","a--","x "," x"]'),
        ("[Number.EPSILON > 0, Number.isInteger(3), Number.MAX_SAFE_INTEGER, globalThis === this]",
         "[true,true,9007199254740991,true]"),
    ])


def test_es5_code_is_not_transpiled():
    # An ES5 script that names no polyfilled built-in runs with Duktape alone.
    expect(js("Object.getOwnPropertyNames(this).indexOf('__jsbDrain')"), code=0, out="-1\n")
    expect(js("Object.getOwnPropertyNames(this).indexOf('__jsbDrain') >= 0 && typeof Map"), code=0,
           out='"function"\n')


def test_syntax_error_points_at_original_place():
    res = js("const a = 1;\nconst b = 2;\n  let c = ;")
    expect(res, code=1, out="", err="jsbox: <eval>:3:11: SyntaxError: Unexpected token\n")


def test_runtime_error_line_is_the_users():
    res = js("const f = (x) => {\n  return x.y.z;\n};\nf({})")
    expect(res, code=1, out="")
    assert res.err.startswith("jsbox: <eval>:2"), res


def test_unsupported_feature_is_named():
    expect(js("const x = 1;\nfunction* gen() { yield x; }"), code=1,
           err="jsbox: <eval>:2:1: SyntaxError: generators are not supported\n")
    expect(js("async function f() { await 1; }"), code=1,
           err="jsbox: <eval>:1:1: SyntaxError: async functions are not supported\n")


def test_cache_miss_then_hit():
    cache = tempfile.mkdtemp(prefix="jsbox-test-cache-")
    code = "const xs = [1, 2]; xs.map(x => x + 1) // cache test"
    expect(js(code, cache=cache), code=0, out="[2,3]\n")
    entries = os.listdir(os.path.join(cache, "jsbox"))
    assert len(entries) == 1, entries
    path = os.path.join(cache, "jsbox", entries[0])
    with open(path) as f:
        text = f.read()
    assert "function (x) { return x + 1; }" in text, text
    # A hit runs the stored translation: change it and see the change.
    with open(path, "w") as f:
        f.write(text[::-1].replace("1 + x", "001 + x", 1)[::-1])
    expect(js(code, cache=cache), code=0, out="[101,102]\n")
    expect(js(code, "--no-cache", cache=cache), code=0, out="[2,3]\n")


def test_no_cache_writes_nothing():
    cache = tempfile.mkdtemp(prefix="jsbox-test-cache-")
    expect(js("[1].map(x => x)", "--no-cache", cache=cache), code=0, out="[1]\n")
    assert not os.path.exists(os.path.join(cache, "jsbox"))


def test_es5_code_writes_no_cache_entry():
    cache = tempfile.mkdtemp(prefix="jsbox-test-cache-")
    expect(js("[1].map(function (x) { return x; })", cache=cache), code=0, out="[1]\n")
    assert not os.path.exists(os.path.join(cache, "jsbox"))


def test_cache_entry_for_other_source_is_a_miss():
    cache = tempfile.mkdtemp(prefix="jsbox-test-cache-")
    code = "[1].map(x => x * 3)"
    expect(js(code, cache=cache), code=0, out="[3]\n")
    d = os.path.join(cache, "jsbox")
    entry = os.path.join(d, os.listdir(d)[0])
    with open(entry) as f:
        text = f.read()
    # Same name, different recorded source (as a hash collision would be).
    with open(entry, "w") as f:
        f.write(text.replace("x * 3)", "x * 4)", 1))
    expect(js(code, cache=cache), code=0, out="[3]\n")


def test_transpiler_memory_is_not_the_scripts():
    # The transpiler heap is larger than this limit; the script still runs.
    expect(js("[1, 2].map(x => x)", "--memory-limit", "1M", "--no-cache"), code=0, out="[1,2]\n")


def test_polyfills_count_against_the_limits():
    # The polyfills take about 260 KiB of the script's heap: a script that
    # names none fits in 300 KiB, one that names Map does not.
    expect(js("1", "--memory-limit", "300k", "--no-cache"), code=0, out="1\n")
    expect(js("typeof Map", "--memory-limit", "300k", "--no-cache"), code=4,
           err="jsbox: memory limit exceeded: 300 KiB\n")


def test_script_file_modern():
    script = tmpfile("const double = n => n * 2;\noutput = input.map(double);\n")
    data = tmpfile("[1, 2]", suffix=".json")
    expect(run("-c", "--timeout", "10s", "run", script, "--input", data, "--no-cache"), code=0,
           out="[2,4]\n")


def test_const_is_block_scoped_and_array_patterns_assign():
    check_table([
        ("const a = 1; { const a = 2; } a", "1"),
        ("var a = 1, b = 2; [a, b] = [b, a]; [a, b]", "[2,1]"),
        ("var x = [1]; x[0] = 2; x", "[2]"),
    ])


def test_typed_array_methods():
    check_table([
        ("var a = new Int16Array([3, 1, 2]); [a.map(function (x) { return x * 2; }) instanceof Int16Array, "
         "Array.from(a.sort()), a.includes(2), Uint8Array.from([1, 2]).length]", "[true,[1,2,3],true,2]"),
    ])


def test_object_pattern_assignment():
    check_table([
        ("var c, e; ({c, d: e} = {c: 7, d: 8}); [c, e]", "[7,8]"),
        ("var x = {a: [1]}; x.a[0] = 3; var y = [[1]]; y[0][0] = 2; [x, y]", '[{"a":[3]},[[2]]]'),
    ])


def test_a_class_declaration_leaves_no_result():
    # Untranspiled, a declaration has no completion value; its translation
    # (a var and method assignments) must not make the last method the result.
    expect(js("class A { m() { return 1; } }", "--no-cache"), code=0, out="", err="")
    expect(js("class A { m() { return 1; } }\nnew A().m()", "--no-cache"), code=0, out="1\n")


def test_optional_chaining():
    check_table([
        ("const o = {a: {b: {c: 1}}, n: null}; [o?.a.b.c, o.n?.b.c === undefined, o.x?.[0] === undefined, "
         "o.a?.['b'].c, o.a.b?.c]", "[1,true,true,1,1]"),
        # The whole chain short-circuits: .c is never read on undefined.
        ("const n = null; [n?.b.c.d === undefined, typeof n?.b.c(), n?.[(() => { throw 1; })()] === undefined]",
         '[true,"undefined",true]'),
        ("function f(x) { return x; } let u; [f?.(3), u?.(1) === undefined, Math.max?.(1, 2)]", "[3,true,2]"),
        # Nested chains and chains inside arrow functions and templates.
        ("const data = [{u: {name: 'a'}}, {}, null]; data.map(d => d?.u?.name ?? '-')", '["a","-","-"]'),
        ("const o = {p: {q: null}}; `${o?.p?.q?.r}|${o?.p?.q}`", '"undefined|null"'),
        ("const o = {p: 1}; [delete o?.p, 'p' in o, delete null?.p]", "[true,false,true]"),
        ("var fn = null, o = {}; [fn?.(...[], 1), o.m?.(...[1]), o?.x?.(...[])].every(v => v === undefined)",
         "true"),
    ])


def test_optional_chaining_evaluates_each_operand_once():
    check_table([
        ("let n = 0; const get = () => (n++, {x: {y: 2}}); [get()?.x.y, get()?.x?.y, get()?.['x']?.y, n]",
         "[2,2,2,3]"),
        ("let n = 0; const none = () => (n++, null); [none()?.x.y, none()?.(), none()?.m(n++), n]",
         "[null,null,null,3]"),
        ("let k = 0; const o = {a1: {v: 'x'}}; [o?.[`a${++k}`]?.v, k]", '["x",1]'),
        ("let reads = 0; const o = {get p() { reads++; return {q: 5}; }}; [o?.p?.q, reads]", "[5,1]"),
    ])


def test_optional_calls_keep_this():
    check_table([
        ("const o = {v: 42, m() { return this.v; }}; [o?.m(), o.m?.(), o?.m?.(), o?.['m']?.()]",
         "[42,42,42,42]"),
        ("const o = {in: {v: 7, m() { return this.v; }}}; [o?.in.m(), o.in?.m?.(), o?.in?.['m']()]", "[7,7,7]"),
        ("const o = {v: 1, m(a, b) { return this.v + a + b; }}; [o.m?.(2, 3), o?.m(...[2, 3]), "
         "o.m?.(...[2], 3)]", "[6,6,6]"),
        ("class C { constructor() { this.v = 3; } get() { return this.v; } } const c = new C(); c.get?.()", "3"),
        # Parentheses end the chain but not the reference: (a?.b)() calls b on a.
        ("const o = {v: 4, m(a) { return this.v + (a || 0); }, p: {v: 1, m(a, b) { return this.v + a + b; }}}; "
         "[(o?.m)(), (o.p?.m)(1, 2), ((o?.p).m)(0, 0), (o?.['m'])(1)]", "[4,4,1,5]"),
    ])


def test_nullish_coalescing_keeps_falsy_values():
    check_table([
        ("[0 ?? 1, '' ?? 1, false ?? 1, null ?? 1, undefined ?? 1, NaN ?? 1]", '[0,"",false,1,1,null]'),
        ("let n = 0; const f = () => (n++, 0); [f() ?? 9, n]", "[0,1]"),
        ("let n = 0; const f = () => (n++, null); [f() ?? f() ?? 'end', n]", '["end",2]'),
        ("let right = 0; [1 ?? right++, right]", "[1,0]"),
        ("const cfg = {}; const port = cfg.port ?? 8080; (null ?? 1) + (cfg.x ?? 2) * port", "16161"),
        ("const o = {a: 0}; (o?.a ?? 5) + (o?.b ?? 5)", "5"),
    ])


def test_logical_assignment():
    check_table([
        ("let a = 0, b = 1, c = null, d = 'x'; a ||= 5; b &&= 7; c ??= 9; d ??= 'y'; [a, b, c, d]",
         '[5,7,9,"x"]'),
        ("const o = {n: 0}; [o.n ||= 3, o.n &&= 4, o.m ??= 5, o.m ??= 6, o]", '[3,4,5,5,{"n":4,"m":5}]'),
        # Object and key are evaluated once; the right side only when assigned.
        ("let n = 0, k = 0; const o = {x1: null}; const get = () => (n++, o); "
         "get()[`x${++k}`] ??= 'set'; get()[`x${++k}`] ||= (n += 10, 'no'); [n, k, o.x1]", '[12,2,"set"]'),
        ("let calls = 0; let v = 1; v ||= calls++; v &&= 0; v &&= calls++; [v, calls]", "[0,0]"),
    ])


def test_optional_catch_binding_and_numeric_separators():
    check_table([
        ("let r; try { null.x; } catch { r = 'caught'; } r", '"caught"'),
        ("const $jsbCaught = 'outer'; try { throw 1; } catch { } $jsbCaught", '"outer"'),
        ("[1_000_000, 0x1_0, 0b1_1, 1_0.5_0]", "[1000000,16,3,10.5]"),
    ])


def test_new_syntax_errors_point_at_the_users_place():
    expect(js("const a = 1;\nconst b = a?.;\n"), code=1, out="",
           err="jsbox: <eval>:2:14: SyntaxError: Unexpected token\n")
    expect(js("let x = 1;\nx = 2n;"), code=1,
           err="jsbox: <eval>:2:5: SyntaxError: BigInt literals are not supported\n")
    expect(js("const ok = a => a;\nconst b = a || b ?? c;"), code=1, out="")
    res = js("const o = null;\nconst v = o?.a ?? o?.b;\n\nv.x")
    expect(res, code=1, out="")
    assert res.err.startswith("jsbox: <eval>:4: TypeError"), res
    # Temporaries and default parameters add no lines.
    res = js("function f(a = 1, b = a?.x) {\n  return b ?? a;\n}\nf().y.z")
    assert res.err.startswith("jsbox: <eval>:4: TypeError"), res


def test_temporaries_do_not_clash_with_the_users_names():
    check_table([
        ("var $jsb = 'mine'; { let $jsb$1 = 2; } const o = {a: 1}; [o?.a ?? 0, $jsb]", '[1,"mine"]'),
        ("function f($jsb) { return [$jsb?.x, $jsb ?? 'none']; } [f({x: 1}), f(null)]", '[[1,{"x":1}],[null,"none"]]'),
    ])


def test_run_time_errors_name_the_source_line_where_the_translation_moved_lines():
    # The translation of these takes more lines than the source.
    for code, line in [
        ("for (const x of [1]) x\nnull.y", 2),
        ("const [a, b] = [1, 2]\nconst {c} = {c: 3}\n\nnull.y", 4),
        ("class A extends Object { m() { return null.q } }\nconst z = 1\nnew A().m()", 1),
        ("let fs = []; for (let i = 0; i < 2; i++) fs.push(() => i)\nnull.y", 2),
    ]:
        for attempt in ("transpiled", "from the cache"):
            res = js(code)
            expect(res, code=1, out="")
            assert res.err.startswith("jsbox: <eval>:%d: TypeError" % line), (attempt, code, res)
    res = js("class A extends Object { m() { return null.q } }\nconst z = 1\nnew A().m()", "--stack-trace")
    assert "(<eval>:1)\n" in res.err and "(<eval>:3)" in res.err, res
    res = js("const [a] = [1]\nnull.y", "--json-result")
    assert '"line":2' in res.out, res


def test_json_result_line_of_a_syntax_error_with_a_column():
    res = js("let x = 1;\nlet y = ;", "--json-result")
    expect(res, code=1)
    assert '"type":"SyntaxError","message":"Unexpected token","line":2}' in res.out, res


def test_rewritten_statements_do_not_join_a_line_without_semicolon():
    # `f()\n(x)` would be a call: a statement starting with ?., ?? or ||=
    # stays a statement of its own after a line without a semicolon.
    code = ("var log = [];\nfunction foo() { log.push('foo'); return function () { log.push('called'); }; }\n"
            "var a = null\nfoo()\na?.b\nfoo()\na ?? 1\nvar q = 0\nfoo()\nq ||= 2\noutput = [log, q]")
    expect(js(code), code=0, out='[["foo","foo","foo"],2]\n', err="")
    expect(js("const a = {b: 2}\na?.b + 1"), code=0, out="3\n")


def test_a_transpiled_script_may_start_with_a_shebang_line():
    script = tmpfile("#!/usr/bin/env jsbox\nconst xs = [1, 2];\noutput = xs.map(x => x ?? 0);\nnull.y\n")
    res = run("-c", "--timeout", "10s", "run", script, "--no-cache")
    expect(res, code=1, out="")
    assert res.err.startswith("jsbox: %s:4: TypeError" % script), res
    script = tmpfile("#!/usr/bin/env jsbox\nconst xs = [1, 2];\nxs.map(x => x * 2)\n")
    expect(run("-c", "--timeout", "10s", "run", script, "--no-cache"), code=0, out="[2,4]\n")


def test_subclasses_of_error_keep_message_and_cause():
    check_table([
        ("class E extends Error { constructor(m) { super(m); this.name = 'E'; } }\n"
         "const e = new E('boom'); [e.message, String(e), e instanceof E, e instanceof Error]",
         '["boom","E: boom",true,true]'),
        ("class V extends TypeError {}\nconst v = new V('bad', {cause: 42});\n"
         "[String(v), v.cause, v instanceof TypeError, Object.keys(v).length]",
         '["TypeError: bad",42,true,0]'),
        ("class Q extends RangeError { constructor() { super(); } }\n[new Q().message, 'message' in new Q()]",
         '["",true]'),
        ("class M extends Map { constructor() { super(); this.n = 1; } }\n"
         "const m = new M(); m.set('k', 2); [m.get('k'), m.size, m.n, m instanceof Map]", '[2,1,1,true]'),
    ])
    expect(js("class ValidationError extends Error {\n"
              "  constructor(m) { super(m); this.name = 'ValidationError'; }\n}\n"
              "throw new ValidationError('name is required')"),
           code=1, out="", err="jsbox: <eval>:4: ValidationError: name is required\n")


def test_tagged_templates_get_raw_strings():
    check_table([
        ("String.raw`C:\\\\new${1 + 1}\\\\table`", '"C:\\\\\\\\new2\\\\\\\\table"'),
        ("function tag(s, ...v) { return [s, s.raw, v, Object.isFrozen(s), Object.isFrozen(s.raw)]; }\n"
         "tag`x${1}y\\n${'z'}`", '[["x","y\\n",""],["x","y\\\\n",""],[1,"z"],true,true]'),
        ("const f = (s) => s; const seen = [];\nfor (let i = 0; i < 2; i++) seen.push(f`same`);\n"
         "[seen[0] === seen[1], f`same` === seen[0]]", "[true,false]"),
    ])
    expect(js("const t = (s) => s.raw[0];\nconst x = t`hi`;\nnull.y"), code=1,
           err="jsbox: <eval>:3: TypeError: cannot read property 'y' of null\n")
