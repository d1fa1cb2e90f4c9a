"""The arguments object's own @@iterator (patches/duktape/0026): the array
values() function the polyfill defines, taken from Array.prototype without
running script code."""

from jsbox_test import needs_transpiler
from modern_case import check_table


def test_own_iterator():
    check_table([
        ("function f() { var d = Object.getOwnPropertyDescriptor(arguments, Symbol.iterator);\n"
         "  return [typeof arguments[Symbol.iterator], arguments[Symbol.iterator] === Array.prototype.values,\n"
         "    d.writable, d.enumerable, d.configurable, Object.keys(arguments)]; }\n"
         "f(1, 2)", '["function",true,true,false,true,["0","1"]]'),
        ("function f() { delete arguments[Symbol.iterator]; return Symbol.iterator in arguments; } f()", "false"),
        ("function f() { return Array.from(arguments); } f(5, 6)", "[5,6]"),
    ])


@needs_transpiler
def test_for_of_and_spread_over_arguments():
    check_table([
        # Mapped (non-strict with formals) and strict arguments objects alike.
        ("function m(a) { a = 9; var out = []; for (var x of arguments) out.push(x); return out; }\n"
         "function s() { 'use strict'; return [...arguments]; }\n"
         "[m(1, 2), s(3, 4), s(), Array.from((function () { return arguments; })(5, 6))]",
         '[[9,2],[3,4],[],[5,6]]'),
    ])


def test_script_changes_to_array_prototype():
    check_table([
        # An accessor there is not called: arguments get no @@iterator.
        ("var calls = 0; Object.defineProperty(Array.prototype, Symbol.iterator,\n"
         "  {get: function () { calls++; throw new Error('no'); }, configurable: true});\n"
         "function f() { return Object.getOwnPropertySymbols(arguments).length; } [f(1), calls]", "[0,0]"),
        ("delete Array.prototype[Symbol.iterator];\n"
         "function f() { return Object.getOwnPropertySymbols(arguments).length; } f(1)", "0"),
        ("var mine = function () { return [].values.call(['x']); }; Array.prototype[Symbol.iterator] = mine;\n"
         "function f() { return arguments[Symbol.iterator] === mine; } f()", "true"),
        ("Array.prototype[Symbol.iterator] = 42;\n"
         "function f() { return Object.getOwnPropertySymbols(arguments).length; } f(1)", "0"),
    ])
