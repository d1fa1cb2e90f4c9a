"""`__proto__: value` in object literals (ES2015 Annex B), in the engine
for every script: it sets the prototype; the computed, shorthand and
method forms define a property.  Expected values are node's."""
NEEDS_TRANSPILER = True

from jsbox_test import run, expect


def js(code):
    return run("-c", "--profile", "permissive", "-e", code)


def test_proto_key_sets_the_prototype():
    for code, out in [
        ("[{ __proto__ : [] } instanceof Array, !({ __proto__ : null } instanceof Object), "
         "Object.getPrototypeOf({ '__proto__': null }), Object.keys({ __proto__: [], a: 1, b: 2 }), "
         "Object.getOwnPropertyNames({ __proto__: 5 })]", '[true,true,null,["a","b"],[]]'),
        ("var p = { hi: function () { return 'hi ' + this.n; } }; var o = { n: 'x', __proto__: p, m: 1 }; "
         "[o.hi(), Object.keys(o), p.isPrototypeOf(o)]", '["hi x",["n","m"],true]'),
        # Values are evaluated in source order; a primitive leaves the prototype.
        ("var order = []; var o = { a: order.push('a'), __proto__: (order.push('p'), {}), b: order.push('b') }; order",
         '["a","p","b"]'),
        ("var o = { __proto__: 'str', x: 1 }; [Object.getPrototypeOf(o) === Object.prototype, o.x]", "[true,1]"),
    ]:
        expect(js(code), code=0, out=out + "\n", err="")


def test_other_forms_define_a_property():
    code = ("var a = '__proto__'; var __proto__ = []; [({ [a] : [] } instanceof Array), ({ __proto__ } instanceof Array), "
            "({ __proto__(){} } instanceof Function), Object.keys({ [a]: 1 }), Object.keys({ __proto__ })]")
    expect(js(code), code=0, out='[false,false,false,["__proto__"],["__proto__"]]\n', err="")


def test_two_proto_keys_are_a_syntax_error():
    expect(js("try { eval('({ __proto__ : [], __proto__: {} })'); 'compiled' } catch (e) { e.name }"), code=0,
           out='"SyntaxError"\n')
    # A script the engine rejects goes to the transpiler, whose parser names it.
    expect(js("({ __proto__: 1,\n __proto__: 2 })"), code=1,
           err="jsbox: <eval>:2:2: SyntaxError: Redefinition of __proto__ property\n")
