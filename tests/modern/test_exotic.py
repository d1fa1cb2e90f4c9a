"""The well-known symbols (Symbol.match, replace, search, split, toStringTag,
isConcatSpreadable) and the Proxy layer of engine/confined/modern/exotic.js, with
hostile handlers."""

NEEDS_TRANSPILER = True

from modern_case import check_table, js
from jsbox_test import run, expect


def err_of(code):
    """Code giving "Name: message" of what code throws."""
    return "(function () { try { %s; return 'no error'; } catch (e) { return e.name + ': ' + e.message; } })()" % code


VALIDATOR = ("var v = new Proxy({}, {\n"
             "  set: function (t, k, x) { if (typeof x !== 'number') throw new TypeError(k + ' must be a number'); t[k] = x; return true; },\n"
             "  getOwnPropertyDescriptor: function (t, k) { var d = Object.getOwnPropertyDescriptor(t, k); if (d) d.enumerable = k[0] !== '_'; return d; }\n"
             "});\nv.age = 3; v._id = 7;\n")


def test_validation_proxy():
    check_table([
        (VALIDATOR + "[v.age, Object.keys(v), JSON.stringify(v), v.hasOwnProperty('_id'), "
         "Object.getOwnPropertyDescriptor(v, '_id').enumerable]", '[3,["age"],"{\\"age\\":3}",true,false]'),
        (VALIDATOR + err_of("v.name = 'x'"), '"TypeError: name must be a number"'),
        (VALIDATOR + "var k = []; for (var x in v) k.push(x); k", '["age"]'),
    ])


def test_traps_jsbox_adds():
    check_table([
        ("var proto = {hi: 1}, log = [];\n"
         "var p = new Proxy({}, {getPrototypeOf: function (t) { log.push('gpo'); return proto; },\n"
         "  isExtensible: function (t) { log.push('ext'); return Reflect.isExtensible(t); },\n"
         "  defineProperty: function (t, k, d) { log.push('def ' + k); return Reflect.defineProperty(t, k, d); }});\n"
         "[Object.getPrototypeOf(p) === proto, Object.isExtensible(p), Object.defineProperty(p, 'a', {value: 1}) === p, log]",
         '[true,true,true,["gpo","ext","def a"]]'),
        ("var t = {a: 1}, p = new Proxy(t, {}); Object.freeze(p); [Object.isFrozen(t), Object.isFrozen(p)]", "[true,true]"),
        ("var o = {get me() { return this; }}, p = new Proxy(o, {}); p.me === p", "true"),
        ("var p = new Proxy(function (a, b) { return a + b; }, {}); [typeof p, p(1, 2), p.length]", '["function",3,2]'),
        ("var p = new Proxy([1, 2], {}); [Array.isArray(p), p.map(x => x * 2), Object.prototype.toString.call(p)]",
         '[true,[2,4],"[object Array]"]'),
        ("Reflect.get({get x() { return this.y; }}, 'x', {y: 5})", "5"),
        # Holes stay holes through reverse, shift, unshift and splice.
        ("var del = [], p = new Proxy([0, , 2, , 4, ,], {deleteProperty: function (t, k) { del.push(k); return delete t[k]; }});\n"
         "p.reverse(); var r = p.splice(1, 1); p.unshift(9); p.shift(); [del.join(), 0 in p, 1 in p, p.length, r.length]",
         '["0,4,2,1,3,5,4,2,1,0,1,3,5",false,false,5,1]'),
        ("function Foo() {} var p = new Proxy(new Foo(), {}), q = new Proxy(p, {});\n"
         "[p instanceof Foo, q instanceof Foo, new Proxy(Object.create(null), {}) instanceof Object]", "[true,true,false]"),
    ])


def test_revocable_proxy():
    check_table([
        ("var r = Proxy.revocable({a: 1}, {}); var before = r.proxy.a; r.revoke(); r.revoke();\n"
         "[before, " + err_of("r.proxy.a") + ", " + err_of("Object.keys(r.proxy)") + ", typeof r.proxy]",
         '[1,"TypeError: proxy: operation on a revoked proxy","TypeError: proxy: operation on a revoked proxy","object"]'),
    ])


def test_custom_matcher():
    check_table([
        ("var m = {}; m[Symbol.replace] = function (s, r) { return s.toUpperCase() + r; };\n"
         "'x'.replace(m, '!')", '"X!"'),
        ("var m = {}; m[Symbol.split] = function (s, n) { return [s, n]; };\n"
         "m[Symbol.search] = function (s) { return s.length; }; m[Symbol.match] = function () { return 'm'; };\n"
         "['abc'.split(m, 2), 'abc'.search(m), 'abc'.match(m)]", '[["abc",2],3,"m"]'),
        ("Symbol.match; ['a-b-c'.replace(/-/g, '+'), 'a-b'.replace('-', '$&$&'), 'a1b22c'.split(/\\d+/),\n"
         " 'abc'.replace(/(b)/, '[$1$2$&]'), 'abab'.match(/a/g), 'aXbx'.split(/x/i)]",
         '["a+b+c","a--b",["a","b","c"],"a[b$2b]c",["a","a"],["a","b",""]]'),
        ("var re = /(\\d)/g; re.exec = function (s) { return RegExp.prototype.exec.call(this, s); };\n"
         "Symbol.split; ['a1b2'.replace(re, '<$1>'), 'a1b2'.split(re), RegExp.prototype[Symbol.search].call(/b/, 'ab')]",
         '["a<1>b<2>",["a","1","b","2",""],1]'),
        ("Symbol.match; var re = /./; var first = " + err_of("'/./'.startsWith(re)") + ";\n"
         "re[Symbol.match] = false; [first, '/./'.startsWith(re), 'abc'.includes('b')]",
         '["TypeError: First argument to String.prototype.startsWith must not be a regular expression",true,true]'),
    ])


def test_to_string_tag():
    check_table([
        ("[Object.prototype.toString.call(new Map), String(new Set), Object.prototype.toString.call(Promise.resolve())]",
         '["[object Map]","[object Set]","[object Promise]"]'),
        ("var a = []; a[Symbol.toStringTag] = 'List'; [Object.prototype.toString.call(a), Object.prototype.toString.call(new Uint8Array(1)),\n"
         " new Int8Array(1)[Symbol.toStringTag], ArrayBuffer.prototype[Symbol.toStringTag]]",
         '["[object List]","[object Uint8Array]","Int8Array","ArrayBuffer"]'),
    ])


def test_spreadable_with_poisoned_getter():
    check_table([
        ("var o = {length: Math.pow(2, 53) - 1}; o[Symbol.isConcatSpreadable] = true;\n"
         "Object.defineProperty(o, 0, {get: function () { throw new SyntaxError('poisoned'); }});\n"
         "[" + err_of("[].concat(o)") + ", [1].concat([2], 3)]", '["SyntaxError: poisoned",[1,2,3]]'),
    ])


def test_hostile_handlers():
    check_table([
        # A trap that throws: its error, as thrown.
        (err_of("new Proxy({}, {get: function () { throw new RangeError('boom'); }}).x"), '"RangeError: boom"'),
        # Invariants: each a TypeError.
        ("var t = {}; Object.defineProperty(t, 'k', {value: 1});\n"
         "[" + err_of("new Proxy(t, {get: function () { return 2; }}).k") + ",\n"
         " " + err_of("Object.getOwnPropertyDescriptor(new Proxy(t, {getOwnPropertyDescriptor: function () {}}), 'k')") + ",\n"
         " " + err_of("Object.keys(new Proxy({}, {ownKeys: function () { return ['a', 'a']; }}))") + ",\n"
         " " + err_of("Object.isExtensible(new Proxy({}, {isExtensible: function () { return false; }}))") + "]",
         '["TypeError: proxy: get trap result differs from the target\'s non-configurable property \'k\'",'
         '"TypeError: proxy: getOwnPropertyDescriptor trap hid the target\'s non-configurable property \'k\'",'
         '"TypeError: proxy: ownKeys trap result holds \'a\' twice",'
         '"TypeError: proxy: isExtensible trap result differs from the target"]'),
        # A proxy of a proxy: both handlers run, outer first.
        ("var log = []; var inner = new Proxy({a: 1}, {get: function (t, k) { log.push('in ' + k); return t[k]; }});\n"
         "var outer = new Proxy(inner, {get: function (t, k) { log.push('out ' + k); return t[k]; }});\n"
         "[outer.a, log, Object.keys(outer), Object.getPrototypeOf(outer) === Object.prototype]",
         '[1,["out a","in a"],["a"],true]'),
        # A handler that is itself a proxy: its traps are looked up through it.
        ("var log = []; var h = new Proxy({}, {get: function (t, k) { log.push(k); }});\n"
         "var p = new Proxy({z: 1}, h); [p.z, 'z' in p, Object.keys(p), log]",
         '[1,true,["z"],["get","has","ownKeys","getOwnPropertyDescriptor"]]'),
        # Traps see the target itself and run with the handler as this.
        ("var t = {}, h = {get: function (target) { return target === t && this === h; }}; new Proxy(t, h).x", "true"),
    ])


def test_recursion_through_traps_is_a_range_error():
    res = js("var p = new Proxy({}, {getOwnPropertyDescriptor: function (t, k) { return Object.getOwnPropertyDescriptor(p, k); }});\n"
             "Object.getOwnPropertyDescriptor(p, 'x')")
    expect(res, code=1, out="")
    assert "RangeError" in res.err, res


def test_the_layer_hands_out_nothing_of_its_own():
    # No symbol-keyed or extra properties show; the traps get the real
    # target; the prototype is the target's, not a shadow's.
    check_table([
        ("var t = {a: 1}, seen = [];\n"
         "var p = new Proxy(t, {get: function (o, k, r) { seen.push(o === t, r === p); return o[k]; },\n"
         "  ownKeys: function (o) { seen.push(o === t); return Reflect.ownKeys(o); }});\n"
         "p.a; var keys = Reflect.ownKeys(p);\n"
         "[seen, keys, Object.getOwnPropertySymbols(p).length, Object.getPrototypeOf(p) === Object.prototype,\n"
         "  [Proxy.name, Proxy.length, typeof Proxy.revocable], Proxy.hasOwnProperty('prototype'), " + err_of("Proxy({}, {})") + "]",
         '[[true,true,true,true],["a"],0,true,["Proxy",2,"function"],false,"TypeError: Constructor Proxy requires \'new\'"]'),
    ])


def test_profiles_keep_their_denials():
    code = ("var p = new Proxy(function () {}, {}); var q = new Proxy({}, {});\n"
            "[p.constructor === Function, Object.getPrototypeOf(p).constructor === Function, typeof Reflect.get(q, 'constructor')]")
    for profile in ("strict", "moderate", "permissive"):
        expect(js(code, "--profile", profile), code=0, out='[true,true,"function"]\n', err="")
    expect(js("var p = new Proxy(function () {}, {}); p.constructor('return 1')()"), code=5, out="",
           err="jsbox: blocked by policy: <eval>:1: SecurityError: Function is denied by the strict profile\n")


def test_nothing_is_installed_unless_named():
    check_table([
        ("[typeof this['Pro' + 'xy'].revocable, Object.getOwnPropertySymbols(RegExp.prototype).length]", '["undefined",0]'),
        ("Symbol.replace; [typeof this['Pro' + 'xy'].revocable, Object.getOwnPropertySymbols(RegExp.prototype).length]",
         '["undefined",4]'),
        ("[typeof Proxy.revocable, Object.getOwnPropertySymbols(RegExp.prototype).length]", '["function",0]'),
    ])
