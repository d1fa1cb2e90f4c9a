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


def test_generators():
    check_table([
        ("function* g() { const x = yield 1; yield x * 2; }\nconst it = g(); [it.next(), it.next(5), it.next()]",
         '[{"value":1,"done":false},{"value":10,"done":false},{"done":true}]'),
        ("function* g() { yield 1; yield 2; return 3; } const it = g(); [it.next().value, it.return(9), it.next()]",
         '[1,{"value":9,"done":true},{"done":true}]'),
        ("function* g() { try { yield 1; } catch (e) { yield 'caught ' + e; } }\n"
         "const it = g(); it.next(); [it.throw('x').value, it.next().done]", '["caught x",true]'),
        ("const log = []; function* g() { try { yield 1; yield 2; } finally { log.push('finally'); } }\n"
         "const it = g(); it.next(); it.return(); log", '["finally"]'),
        ("function* inner() { const x = yield 1; return x + 1; }\n"
         "function* outer() { const r = yield* inner(); yield r * 10; yield* [7, 8]; }\n"
         "const it = outer(); [it.next().value, it.next(4).value, it.next().value, it.next().value]", "[1,50,7,8]"),
        ("class Tree { constructor(...xs) { this.xs = xs; } *[Symbol.iterator]() { yield* this.xs; } "
         "*doubled() { for (const x of this.xs) yield x * 2; } }\n"
         "const t = new Tree(1, 2, 3); [[...t], [...t.doubled()]]", "[[1,2,3],[2,4,6]]"),
        ("const o = { *pairs() { yield [1, 2]; yield [3, 4]; } }; let s = 0;\n"
         "for (const [a, b] of o.pairs()) s += a * b; s", "14"),
        ("function* range(n) { for (let i = 0; i < n; i++) yield i; } [Math.max(...range(4)), Array.from(range(3))]",
         "[3,[0,1,2]]"),
        ("function* g() { yield* [, 1]; yield* '\U00020bb7a'; } [...g()]", '[null,1,"\U00020bb7","a"]'),
        ("function* naturals() { let n = 0; while (true) yield n++; }\n"
         "const it = naturals(); [it.next().value, it.next().value, it.next().value]", "[0,1,2]"),
        ("const fib = function* () { let [a, b] = [0, 1]; for (;;) { yield a; [a, b] = [b, a + b]; } };\n"
         "const out = []; for (const it = fib(); out.length < 8;) out.push(it.next().value); out",
         "[0,1,1,2,3,5,8,13]"),
        ("output = [...g()]; function* g() { yield 'called before its declaration'; }",
         '["called before its declaration"]'),
        ("function* g() { yield this.v; yield arguments.length; } g.call({v: 'this'}, 1, 2).next().value", '"this"'),
    ])
    # Marking a generator declaration gives the script no result.
    expect(js("function* g() {}\nconst x = 1;"), code=0, out="", err="")


def test_async_functions():
    check_table([
        ("async function f(x) { const v = await Promise.resolve(x); return v + 1; }\n"
         "f(1).then(v => { output = v; })", "2"),
        ("const order = []; (async () => { order.push('start'); await null; order.push('resumed'); })();\n"
         "order.push('sync'); output = order", '["start","sync","resumed"]'),
        ("async function sum(xs) { let s = 0; for (const x of xs) s += await x; return s; }\n"
         "sum([1, Promise.resolve(2), 3]).then(v => { output = v; })", "6"),
        ("async function f() { try { await Promise.reject(new Error('no')); } catch (e) { return 'caught ' + e.message; }"
         " }\nf().then(v => { output = v; })", '"caught no"'),
        ("class Store { constructor() { this.v = 3; } async get() { return this.v; } static async make() "
         "{ return new Store(); } }\nStore.make().then(s => s.get()).then(v => { output = v; })", "3"),
        ("const o = { async twice(x) { return 2 * await x; } }; o.twice(Promise.resolve(4)).then(v => { output = v; })",
         "8"),
        ("const f = async (...xs) => Promise.all(xs.map(async x => x * 10));\nf(1, 2).then(v => { output = v; })",
         "[10,20]"),
    ])


def test_async_rejection_is_a_script_error():
    res = js("const f = async () => {\n  await 1;\n  throw new Error('boom');\n};\nf();")
    expect(res, code=1, out="", err="jsbox: <eval>:3: Error: boom\n")
    expect(js("Promise.reject(new Error('unhandled'))"), code=1, out="",
           err="jsbox: <eval>:1: Error: unhandled\n")
    expect(js("Promise.reject(1).catch(() => { output = 'handled'; })"), code=0, out='"handled"\n')


def test_await_on_a_timer():
    code = ("const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));\n"
            "async function f() { const t = Date.now(); await sleep(30); await sleep(1); return Date.now() - t >= 25; }\n"
            "f().then(v => { output = v; })")
    expect(js(code, "--profile", "moderate"), code=0, out="true\n", err="")
    expect(js(code), code=5, out="",
           err="jsbox: blocked by policy: <eval>:1: SecurityError: setTimeout is denied by the strict profile\n")
    late = ("const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));\n"
            "async function main() {\n  await sleep(5);\n  throw new Error('after sleep');\n}\nmain();")
    expect(js(late, "--profile", "moderate"), code=1, out="", err="jsbox: <eval>:4: Error: after sleep\n")


def test_generator_error_places():
    # Lines stay the user's outside the rewritten functions and inside.
    expect(js("const a = 1;\nfunction* g() {\n  yield 1;\n}\n[...g()];\nnull.x"), code=1, out="",
           err="jsbox: <eval>:6: TypeError: cannot read property 'x' of null\n")
    expect(js("const a = 1;\nfunction* g() {\n  yield 1;\n  null.x;\n}\n[...g()]"), code=1, out="",
           err="jsbox: <eval>:4: TypeError: cannot read property 'x' of null\n")
    # A loop variable's declaration moves to the top; the code stays put.
    expect(js("async function f(xs) {\n  let n = 0;\n  for (let i = 0; i < xs.length; i++) {\n"
              "    n += await xs[i];\n  }\n  if (n > 2)\n    throw new Error('big');\n}\n"
              "f([1, Promise.resolve(2)])"), code=1, out="", err="jsbox: <eval>:7: Error: big\n")
    expect(js("function* g() {\n  function helper() {\n    return null.y;\n  }\n  yield 1;\n"
              "  yield helper();\n}\nconst it = g(); it.next();\nit.next();"), code=1, out="",
           err="jsbox: <eval>:3: TypeError: cannot read property 'y' of null\n")
    expect(js("const a = 1;\nfunction* g() {\n  yield 1;\n  yield = 2;\n}"), code=1, out="",
           err_contains="jsbox: <eval>:4:")
    expect(js("async function f() {\n  await 1;\n}\nlet x = ;"), code=1, out="",
           err="jsbox: <eval>:4:9: SyntaxError: Unexpected token\n")


def test_unsupported_feature_is_named():
    expect(js("async function f(xs) {\n  for (let x of xs) {\n    setTimeout(() => x);\n    await x;\n  }\n}"),
           code=1, err="jsbox: <eval>:2:3: SyntaxError: yield and await in a loop whose let or const bindings "
                        "a closure captures are not supported\n")
    expect(js("async function f(xs) {\n  for await (const x of xs) {}\n}"), code=1,
           err="jsbox: <eval>:2:3: SyntaxError: for-await-of statements are not supported\n")
    expect(js("const x = 1;\nawait x;"), code=1,
           err="jsbox: <eval>:2:1: SyntaxError: top-level await is not supported\n")


def test_regenerator_runtime_only_when_used():
    # Code without generators or async functions gets no regeneratorRuntime
    # (nor the transform's time); code with them gets it in the strict
    # profile, which denies eval and Function.
    runtime = "typeof this['regenerator' + 'Runtime']"
    expect(js("const f = x => x; " + runtime), code=0, out='"undefined"\n')
    expect(js("const f = async x => x; " + runtime), code=0, out='"object"\n')
    expect(js("function* g() { yield 1; } [...g()]"), code=0, out='[1]\n')
    expect(js("const G = (function* () {}).constructor; String(G('return 1'))"), code=0, out='"undefined"\n')


def test_regenerator_runtime_counts_against_the_limits():
    # The runtime takes about 50 KiB of the script's heap; generators alone
    # need no polyfill, async functions need Promise.
    expect(js("const a = 1; a", "--memory-limit", "130k", "--no-cache"), code=0, out="1\n")
    expect(js("function* g() { yield 1; } g().next().value", "--memory-limit", "130k", "--no-cache"), code=4,
           err="jsbox: memory limit exceeded: 130 KiB\n")
    expect(js("function* g() { yield 1; } [g().next().value, Object.getOwnPropertyNames(this).indexOf('__jsbDrain')]"),
           code=0, out="[1,-1]\n")
    expect(js("async function f() {} Object.getOwnPropertyNames(this).indexOf('__jsbDrain') >= 0"), code=0,
           out="true\n")


def test_generator_cache_hit_runs_stored_es5():
    cache = tempfile.mkdtemp(prefix="jsbox-test-cache-")
    code = "function* g() { yield 1; yield 2; } [...g()] // generator cache test"
    expect(js(code, cache=cache), code=0, out="[1,2]\n")
    entries = os.listdir(os.path.join(cache, "jsbox"))
    with open(os.path.join(cache, "jsbox", entries[0])) as f:
        text = f.read()
    assert "regeneratorRuntime.wrap(" in text, text
    expect(js(code, cache=cache), code=0, out="[1,2]\n")


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
