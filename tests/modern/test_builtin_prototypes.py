"""Date.prototype and the Error prototypes are ordinary objects, not
instances (ES2015; patches/duktape/0030)."""

from jsbox_test import needs_transpiler
from modern_case import check_table


def err_of(code):
    return "(function () { try { %s; return 'no error'; } catch (e) { return e.name; } })()" % code


def test_prototypes_are_not_instances():
    check_table([
        ("[" + err_of("Date.prototype.valueOf()") + ", " + err_of("Date.prototype.getTime()") + ", "
         + err_of("RegExp.prototype.exec('x')") + ", "
         "[Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError].every(function (E) {\n"
         "  return Object.prototype.toString.call(E.prototype) === '[object Object]'; })]",
         '["TypeError","TypeError","TypeError",true]'),
        # Instances are as before; the prototypes keep their properties.
        ("var e = new TypeError('m'); [Object.prototype.toString.call(e), Object.prototype.toString.call(new Date(0)),\n"
         " e instanceof Error, String(e), String(Error.prototype), RangeError.prototype.name, new Date(0).getTime(),\n"
         " Object.getPrototypeOf(TypeError.prototype) === Error.prototype]",
         '["[object Error]","[object Date]",true,"TypeError: m","Error","RangeError",0,true]'),
    ])


@needs_transpiler
def test_error_subclasses_are_instances():
    check_table([
        ("class MyError extends Error {} var m = new MyError('x'); [m instanceof MyError, m instanceof Error, m.message]",
         '[true,true,"x"]'),
    ])
