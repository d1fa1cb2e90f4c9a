"""A proxy on an object's prototype chain answers property reads and `in`
(patches/duktape/0028) and assignments (0029) through its traps, with the
object as the receiver, also when its traps throw, recurse or loop."""

from modern_case import check_table
from jsbox_test import run, expect


def err_of(code):
    return "(function () { try { %s; return 'no error'; } catch (e) { return e.name + ': ' + e.message; } })()" % code


def test_traps_see_the_receiver():
    check_table([
        ("var t = {}, log = [], child;\n"
         "var p = new Proxy(t, {get: function (tt, k, r) { log.push([tt === t, String(k), r === child]); return 5; },\n"
         "  has: function (tt, k) { log.push(['has', tt === t, k]); return k === 'yes'; }});\n"
         "child = Object.create(p); child.own = 1;\n"
         "[child.foo, child.own, 'yes' in child, 'no' in child, 'own' in child, log]",
         '[5,1,true,false,true,[[true,"foo",true],["has",true,"yes"],["has",true,"no"]]]'),
        # Without traps the lookup goes on in the target, getters get the child as this.
        ("var t = {a: 1, get me() { return this; }}, child = Object.create(new Proxy(t, {}));\n"
         "[child.a, child.me === child, 'a' in child, 'toString' in child, child.nope]", "[1,true,true,true,null]"),
        ("var grand = Object.create(Object.create(new Proxy({}, {get: function (t, k, r) { return r.tag + ':' + String(k); }})));\n"
         "grand.tag = 'g'; [grand.x, grand[Symbol.iterator]]", '["g:x","g:Symbol(Symbol.iterator)"]'),
        # Classes inheriting from a proxy.
        ("function Base() {} Base.prototype = new Proxy({}, {get: function (t, k) { return 'trap ' + String(k); }});\n"
         "var b = new Base(); [b.anything, Object.getPrototypeOf(b) === Base.prototype]", '["trap anything",true]'),
    ])


def test_assignments():
    check_table([
        ("var t = {}, log = [], child = Object.create(new Proxy(t, {set: function (tt, k, v, r) {\n"
         "  log.push([tt === t, k, v, r === child]); return true; }}));\n"
         "child.foo = 'bar'; [log, child.hasOwnProperty('foo'), t.hasOwnProperty('foo')]",
         '[[[true,"foo","bar",true]],false,false]'),
        # Without a set trap the write lands on the receiver, as Reflect.set has it.
        ("var t = {}, child = Object.create(new Proxy(t, {})); child.x = 1; [Object.keys(child), Object.keys(t)]",
         '[["x"],[]]'),
        ("var t = {set v(x) { this.seen = x; }}, child = Object.create(new Proxy(t, {})); child.v = 3; [child.seen, t.seen]",
         "[3,null]"),
        # A false result fails the assignment: silently, or with a TypeError in strict code.
        ("var child = Object.create(new Proxy({}, {set: function () { return false; }})); child.y = 2;\n"
         "['y' in child, (function () { 'use strict'; try { child.z = 3; return 'no error'; } catch (e) { return e.name; } })()]",
         '[false,"TypeError"]'),
        ("var child = Object.create(new Proxy({}, {set: function (t, k, v, r) {\n"
         "  Object.defineProperty(r, k, {value: v * 2, writable: true, enumerable: true, configurable: true}); return true; }}));\n"
         "child.w = 5; child.own = 1; child.own = 2; [child.w, child.own]", "[10,2]"),
    ])


def test_hostile_traps():
    check_table([
        ("var child = Object.create(new Proxy({}, {get: function () { throw new Error('get boom'); },\n"
         "  has: function () { throw new Error('has boom'); }, set: function () { throw new Error('set boom'); }}));\n"
         "[" + err_of("child.x") + ", " + err_of("'x' in child") + ", " + err_of("child.x = 1") + "]",
         '["Error: get boom","Error: has boom","Error: set boom"]'),
        ("var child = Object.create(new Proxy({}, {set: function (t, k, v, r) { r[k] = v; return true; }}));\n"
         + err_of("child.x = 1") + ".split(':')[0]", '"RangeError"'),
        # A trap that reads through the receiver again recurses until the engine stops it.
        ("var child = Object.create(new Proxy({}, {get: function (t, k, r) { return r[k]; }, has: function (t, k) { return k in child; }}));\n"
         "[" + err_of("child.x") + ".split(':')[0], " + err_of("'x' in child") + ".split(':')[0]]",
         '["RangeError","RangeError"]'),
        ("var r = Proxy.revocable({a: 1}, {}), child = Object.create(r.proxy); var before = child.a; r.revoke();\n"
         "[before, " + err_of("child.a") + ", " + err_of("'a' in child") + ", " + err_of("child.a = 2") + "]",
         '[1,"TypeError: proxy: operation on a revoked proxy","TypeError: proxy: operation on a revoked proxy",'
         '"TypeError: proxy: operation on a revoked proxy"]'),
        # A prototype loop through a proxy's target ends in an error, not a hang.
        ("var t = {}, child = Object.create(new Proxy(t, {})); Object.setPrototypeOf(t, child);\n"
         "[" + err_of("child.x") + ".split(':')[0], " + err_of("'x' in child") + ".split(':')[0], "
         + err_of("child.x = 1") + ".split(':')[0]]",
         '["RangeError","RangeError","RangeError"]'),
    ])


def test_looping_trap_hits_the_deadline():
    res = run("--timeout", "300ms", "-e",
              "var child = Object.create(new Proxy({}, {get: function () { for (;;) {} }})); child.x")
    expect(res, code=3)
