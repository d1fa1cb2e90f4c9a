"""The result rules, JSON printing of awkward values, console and btoa/atob."""
from jsbox_test import run, expect, tmpfile, one_line_error


def test_output_wins_over_completion_and_return():
    expect(run("-e", "output = 'o'; 42"), code=0, out='"o"\n')
    expect(run("-e", "output = 'o'; return 42"), code=0, out='"o"\n')


def test_completion_value():
    expect(run("-e", "var x = 3; if (x > 2) { 'big' } else { 'small' }"), code=0, out='"big"\n')


def test_top_level_return_keeps_line_numbers():
    script = tmpfile("var a = 1;\nif (a) return a;\nnull.x;\n")
    expect(run("run", script), code=0, out="1\n")
    script = tmpfile("var a = 0;\nif (a) return a;\nnull.x;\n")
    res = expect(run("run", script), code=1, out="")
    one_line_error(res, "jsbox: %s:3: TypeError:" % script)


def test_bare_return_prints_nothing():
    expect(run("-e", "return"), code=0, out="", err="")


def test_null_and_primitives():
    expect(run("-e", "null"), code=0, out="null\n")
    expect(run("-e", "true"), code=0, out="true\n")
    expect(run("-e", "'s'"), code=0, out='"s"\n')
    expect(run("-e", "1.5e300"), code=0, out="1.5e+300\n")


def test_non_finite_numbers_print_null():
    expect(run("-e", "NaN"), code=0, out="null\n")
    expect(run("-e", "-Infinity"), code=0, out="null\n")
    expect(run("-c", "-e", "[NaN, Infinity]"), code=0, out="[null,null]\n")


def test_functions_inside_objects_are_dropped():
    expect(run("-c", "-e", "({a: 1, f: function () {}})"), code=0, out='{"a":1}\n')


def test_console_object_formatting():
    res = run("-e", "console.log({a: 1, b: [1, 'two'], c: {d: null}}, 'str', 3)")
    expect(res, code=0, out="{ a: 1, b: [ 1, 'two' ], c: { d: null } } str 3\n", err="")


def test_console_error_formats_objects():
    expect(run("-e", "console.error({x: 'y'})"), code=0, out="", err="{ x: 'y' }\n")


def test_console_emoji():
    expect(run("-e", "console.log('😀', {e: '😀'})"), code=0, out="😀 { e: '😀' }\n")


def test_btoa_atob():
    expect(run("-e", "btoa('hello')"), code=0, out='"aGVsbG8="\n')
    expect(run("-e", "atob('aGVsbG8=')"), code=0, out='"hello"\n')
    expect(run("-e", "atob(btoa('\\u00ff\\u0000x')) === '\\u00ff\\u0000x'"), code=0, out="true\n")
    expect(run("-e", "atob('aGk')"), code=0, out='"hi"\n')
    expect(run("-e", "atob(' aG k= ')"), code=0, out='"hi"\n')


def test_btoa_rejects_non_latin1():
    res = expect(run("-e", "btoa('\\u0100')"), code=1, out="")
    assert res.err == ("jsbox: <eval>:1: InvalidCharacterError: btoa: the string contains "
                       "characters outside of Latin1\n"), res


def test_atob_rejects_invalid():
    res = expect(run("-e", "\natob('!!')"), code=1, out="")
    assert res.err == "jsbox: <eval>:2: InvalidCharacterError: atob: the string is not valid base64\n", res
    res = expect(run("-e", "atob('a')"), code=1, out="")
    one_line_error(res, "jsbox: <eval>:1: InvalidCharacterError: atob:")


def test_atob_error_is_catchable():
    expect(run("-e", "try { atob('!') } catch (e) { e.name }"), code=0, out='"InvalidCharacterError"\n')
