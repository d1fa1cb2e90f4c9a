"""Every mode and flag: -e, run FILE, run -, stdin as script, --input, --arg,
--argjson, -c, -r, pretty output on a terminal, console routing, btoa/atob."""
import json
import os
import pty
import select
import subprocess

from jsbox_test import JSBOX, expect, one_line_error, run, tmpfile


def test_run_stdin_script():
    expect(run("run", "-", stdin="3*3"), code=0, out="9\n")


def test_no_args_with_piped_stdin_runs_stdin():
    expect(run(stdin="output = [1, 2].length"), code=0, out="2\n")


def test_stdin_script_error_names_stdin():
    res = run("run", "-", stdin="\n\nnull.x")
    expect(res, code=1)
    one_line_error(res, "jsbox: <stdin>:3: TypeError")


def test_input_from_stdin():
    expect(run("-e", "input.a + 1", "--input", "-", stdin='{"a": 41}'), code=0, out="42\n")


def test_input_absent_is_null():
    expect(run("-e", "input === null"), code=0, out="true\n")


def test_script_and_input_both_stdin_refused():
    res = run("run", "-", "--input", "-", stdin="1")
    expect(res, code=2)
    one_line_error(res, "jsbox: usage: the script and --input cannot both come from stdin")


def test_arg_binds_string():
    expect(run("--arg", "name", "world", "-e", "'hello ' + name"), code=0, out='"hello world"\n')


def test_arg_inline_value_form():
    expect(run("--input=-", "-e", "input", stdin="[1]"), code=0, out="[1]\n")


def test_argjson_binds_value():
    expect(run("--argjson", "cfg", '{"max": 3}', "-e", "cfg.max * 2"), code=0, out="6\n")


def test_argjson_bad_json_names_flag():
    res = run("--argjson", "cfg", '{"max": }', "-e", "1")
    expect(res, code=2)
    one_line_error(res, "jsbox: usage: --argjson cfg:1:9: invalid JSON")


def test_arg_needs_identifier():
    for bad in ["1x", "a-b", "var", "input", ""]:
        res = run("--arg", bad, "v", "-e", "1")
        expect(res, code=2)
        one_line_error(res, "jsbox: usage: --arg: '%s' is not a usable identifier" % bad)


def test_arg_missing_value():
    res = run("-e", "1", "--arg", "x")
    expect(res, code=2)
    one_line_error(res, "jsbox: usage: --arg needs NAME VALUE")


def test_compact_is_default_in_pipe():
    expect(run("-e", "({a: [1, 2]})"), code=0, out='{"a":[1,2]}\n')


def test_raw_output():
    expect(run("-r", "-e", "'line1\\nline2'"), code=0, out="line1\nline2\n")
    expect(run("-r", "-e", "({a: 1})"), code=0, out='{"a":1}\n')


def test_bundled_short_flags():
    expect(run("-cr", "-e", "'x'"), code=0, out="x\n")


def test_undefined_result_prints_nothing():
    expect(run("-e", "var x = 1;"), code=0, out="")
    expect(run("-e", "output = undefined; void 0"), code=0, out="")


def test_completion_value_of_statements():
    expect(run("-e", "var x = 2; if (x > 1) { 'big' } else { 'small' }"), code=0, out='"big"\n')


def test_output_assignment_wins():
    expect(run("-e", "output = 'o'; 'completion'"), code=0, out='"o"\n')


def test_return_inside_function_body():
    src = "var numbers = [1, 2, 3, 4];\nreturn numbers.reduce(function (a, b) { return a + b; }, 0);\n"
    expect(run("run", tmpfile(src)), code=0, out="10\n")


def test_shebang_line_ignored():
    expect(run("run", tmpfile("#!/usr/bin/env jsbox\n40 + 2\n")), code=0, out="42\n")


def test_nan_and_infinity_print_null():
    expect(run("-e", "[NaN, Infinity, -0]"), code=0, out="[null,null,0]\n")


def test_function_result_is_error():
    res = run("-e", "(function f() {})")
    expect(res, code=1)
    one_line_error(res, "jsbox: <eval>: TypeError: the result is a function, which JSON cannot represent")


def test_cyclic_result_is_error():
    res = run("-e", "var a = {}; a.self = a; a")
    expect(res, code=1)
    one_line_error(res, "jsbox: <eval>: TypeError: cyclic input")


def test_tojson_is_honoured():
    expect(run("-e", "({toJSON: function () { return 'custom'; }})"), code=0, out='"custom"\n')


def test_console_routing():
    res = run("-e", "console.log('out1'); console.info('out2'); console.warn('err1'); console.error('err2'); 7")
    expect(res, code=0, out="out1\nout2\n7\n", err="err1\nerr2\n")


def test_console_formats_values():
    res = run("-e", "console.log({a: 1, b: [1, 2, {c: {d: {e: 1}}}], s: 'x'}, 'plain', 5, null, undefined)")
    expect(res, code=0, out="{ a: 1, b: [ 1, 2, { c: [Object] } ], s: 'x' } plain 5 null undefined\n")


def test_console_cycles_and_functions():
    res = run("-e", "var a = {f: function named() {}}; a.me = a; console.log(a)")
    expect(res, code=0, out="{ f: [Function: named], me: [Circular] }\n")


def test_console_shows_map_and_set_entries_and_symbols():
    res = run("-e", "console.log(new Map([['a', 1], [{x: 1}, [2]]]), new Set([1, 'two']), new Map(),"
                    " {m: new Map([[1, new Set([2, [3]])]])})")
    expect(res, code=0, out="Map(2) { 'a' => 1, { x: 1 } => [ 2 ] } Set(2) { 1, 'two' } Map(0) {}"
                            " { m: Map(1) { 1 => Set(2) { 2, [Array] } } }\n")
    res = run("-e", "var m = new Map(); m.set('me', m); console.log(m, Symbol('hi'), Symbol(), Symbol.for('k'),"
                    " [Symbol.iterator])")
    expect(res, code=0, out="Map(1) { 'me' => [Circular] } Symbol(hi) Symbol() Symbol(k) [ Symbol(Symbol.iterator) ]\n")


def test_console_long_object_breaks_lines():
    res = run("-e", "var o = {}; for (var i = 0; i < 12; i++) o['key' + i] = 'value' + i; console.log(o)")
    assert res.code == 0 and res.out.startswith("{\n  key0: 'value0',\n"), res


def test_btoa_atob():
    expect(run("-e", "[btoa('hello'), atob('aGVsbG8='), atob(btoa('\\u00ff\\u0000'))]"), code=0,
           out='["aGVsbG8=","hello","\\u00ff\\u0000"]\n'.replace("\\u00ff", "\u00ff"))


def test_btoa_rejects_wide_characters():
    res = run("-e", "try { btoa('\\u0100') } catch (e) { e.name }")
    expect(res, code=0, out='"InvalidCharacterError"\n')


def test_atob_rejects_junk():
    res = run("-e", "try { atob('%%%') } catch (e) { e.name }")
    expect(res, code=0, out='"InvalidCharacterError"\n')


def test_version():
    res = run("--version")
    expect(res, code=0)
    assert res.out.startswith("jsbox ") and "Duktape 2.7" in res.out, res


def test_help_on_stdout():
    res = run("--help")
    expect(res, code=0, err="")
    assert res.out.startswith("Usage: jsbox"), res


def test_policy_list_and_show():
    res = run("policy", "list")
    expect(res, code=0)
    assert res.out.splitlines()[0].startswith("strict"), res
    shown = json.loads(run("policy", "show", "--profile", "moderate", "--timeout", "2s").out)
    assert shown["name"] == "moderate" and shown["limits"]["timeout_ms"] == 2000, shown


def run_on_pty(*args):
    """Runs jsbox with stdout on a pseudo-terminal; returns what it printed."""
    master, slave = pty.openpty()
    env = dict(os.environ, NO_COLOR="1")
    proc = subprocess.Popen([JSBOX] + list(args), stdout=slave, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            env=env)
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 10)
        if not ready:
            break
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=10)
    os.close(master)
    return proc.returncode, b"".join(chunks).decode().replace("\r\n", "\n")


def test_pretty_on_terminal():
    code, out = run_on_pty("-e", "({a: [1, 2]})")
    assert code == 0 and out == '{\n  "a": [\n    1,\n    2\n  ]\n}\n', repr(out)


def test_compact_flag_on_terminal():
    code, out = run_on_pty("-c", "-e", "({a: [1, 2]})")
    assert code == 0 and out == '{"a":[1,2]}\n', repr(out)
