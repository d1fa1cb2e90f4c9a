"""Input and output fidelity: byte-exact strings (UTF-8, escapes, surrogate
pairs, NUL, lone surrogates), numbers beyond 2^53, nesting limits."""
import json

from jsbox_test import expect, one_line_error, run, run_bytes, tmpfile


def test_utf8_round_trip_byte_exact():
    doc = '{"s":"caf\u00e9 \u20ac \U0001F600 \u4e2d\u6587","k\U0001F600":1}'
    res = run_bytes("-c", "-e", "input", "--input", "-", stdin=doc.encode())
    assert res.code == 0 and res.out == doc.encode() + b"\n", res


def test_escaped_input_comes_back_as_characters():
    res = run_bytes("-e", "input", "--input", "-", stdin=b'["\\u00e9\\ud83d\\ude00\\n\\"\\\\"]')
    assert res.code == 0 and res.out == '["\u00e9\U0001F600\\n\\"\\\\"]\n'.encode(), res


def test_emoji_length_is_two_for_input():
    expect(run("-e", "[input.length, input.charCodeAt(0), input.charCodeAt(1)]", "--input", "-",
               stdin='"\U0001F600"'), code=0, out="[2,55357,56832]\n")


def test_emoji_in_source_and_arg_and_console():
    res = run_bytes("--arg", "a", "\U0001F600", "-e", "console.log(a + '\U0001F389'); [a.length, '\U0001F389'.length]")
    assert res.code == 0 and res.out == "\U0001F600\U0001F389\n[2,2]\n".encode(), res


def test_raw_output_emoji():
    res = run_bytes("-r", "-e", "'\\ud83d\\ude00'")
    assert res.code == 0 and res.out == "\U0001F600\n".encode(), res


def test_nul_survives():
    res = run_bytes("-e", "[input, input.length]", "--input", "-", stdin=b'"a\\u0000b"')
    assert res.code == 0 and res.out == b'["a\\u0000b",3]\n', res
    res = run_bytes("-r", "-e", "'a\\u0000b'")
    assert res.out == b"a\x00b\n", res


def test_lone_surrogates_escaped_in_json():
    res = run_bytes("-e", "input", "--input", "-", stdin=b'["\\ud800","\\udfff x"]')
    assert res.code == 0 and res.out == b'["\\ud800","\\udfff x"]\n', res


def test_lone_surrogate_replaced_in_raw_and_console():
    res = run_bytes("-r", "-e", "console.log('\\ud800'); '\\udc00'")
    assert res.code == 0 and res.out == "\ufffd\n\ufffd\n".encode(), res


def test_invalid_utf8_input_becomes_replacement():
    res = run_bytes("-e", "input", "--input", "-", stdin=b'"a\xffb"')
    assert res.code == 0 and res.out == '"a\ufffdb"\n'.encode(), res


def test_big_integer_warns_once():
    res = run("-e", "input.length", "--input", "-", stdin="[12345678901234567890, 98765432109876543210]")
    expect(res, code=0, out="2\n")
    lines = res.err.splitlines()
    assert len(lines) == 1, res
    assert lines[0] == ("jsbox: warning: <stdin>:1:2: number 12345678901234567890 is beyond 2^53 "
                        "and cannot be represented exactly"), res


def test_exact_large_integers_do_not_warn():
    expect(run("-e", "input", "--input", "-", stdin="[9007199254740992, -9007199254740992, 1e300, 0.1]"),
           code=0, err="")


def test_big_numbers_inside_strings_do_not_warn():
    expect(run("-e", "input", "--input", "-", stdin='["12345678901234567890"]'), code=0, err="")


def test_deep_input_nesting_is_clean_error():
    res = run("-e", "1", "--input", "-", stdin="[" * 100000)
    expect(res, code=2)
    one_line_error(res, "jsbox: usage: <stdin>: invalid JSON: nested deeper than 1000 levels")


def test_moderate_nesting_is_fine():
    depth = 500
    res = run("-e", "var d = 0, x = input; while (Array.isArray(x)) { d++; x = x[0]; } d", "--input", "-",
              stdin="[" * depth + "]" * depth)
    expect(res, code=0, out="%d\n" % depth)


def test_large_input_within_limit():
    items = [{"id": i, "name": "item %d" % i, "tags": ["a", "b"]} for i in range(20000)]
    path = tmpfile(json.dumps(items), suffix=".json")
    expect(run("--timeout", "10s", "-e", "input.length + ':' + input[19999].name", "--input", path), code=0,
           out='"20000:item 19999"\n')


def test_input_bom_skipped():
    expect(run("-e", "input.a", "--input", "-", stdin=b"\xef\xbb\xbf{\"a\": 1}"), code=0, out="1\n")


def test_deep_result_nesting_is_clean_error():
    res = run("-e", "var x = []; for (var i = 0; i < 5000; i++) x = [x]; x")
    expect(res, code=1)
    one_line_error(res, "jsbox: <eval>: RangeError")


def test_case_conversion_ascii_and_beyond():
    # ASCII strings take a byte loop; anything else Duktape's Unicode tables.
    code = ("['abcXYZ-09 ~', 'hello'.toUpperCase(), 'MiXeD'.toLowerCase(), ''.toUpperCase(),"
            " 'abc\\u0000def'.toUpperCase(), 'éCOLE ab'.toUpperCase(), 'ÉCOLE Ab'.toLowerCase(),"
            " 'ß'.toUpperCase(), 'ΣΑΣ'.toLowerCase(), 'x'.repeat(5000).toUpperCase().length]")
    expect(run("-c", "-e", code), code=0,
           out='["abcXYZ-09 ~","HELLO","mixed","","ABC\\u0000DEF","ÉCOLE AB","école ab","SS","σας",5000]\n')


NUMBERS = ["1e23", "33e21", "8.41e21", "9007199254740993", "2.2250738585072011e-308", "5e-324",
           "1.7976931348623157e308", "0.1", "-0.5e-3", "123456789012345678901234567890",
           "7.2057594037927933e16", "4.35679716e-319"]
ROUNDED = ("[1e+23,3.3e+22,8.41e+21,9007199254740992,2.225073858507201e-308,5e-324,"
           "1.7976931348623157e+308,0.1,-0.0005,1.2345678901234568e+29,72057594037927940,4.3568e-319]\n")


def test_input_numbers_round_correctly():
    # Each path that reads decimal text: the direct decoder (no number past
    # 2^53 in the input), the full decoder (one is), stream records,
    # JSON.parse, Number() and literals in the source.
    text = "[" + ",".join(n for n in NUMBERS if n not in ("9007199254740993", "123456789012345678901234567890")) + "]"
    res = expect(run("-c", "-i", "-", "-e", "input", stdin=text), code=0, err="")
    assert res.out == ROUNDED.replace("9007199254740992,", "").replace("1.2345678901234568e+29,", ""), res
    res = expect(run("-c", "-i", "-", "-e", "input", stdin="[" + ",".join(NUMBERS) + "]"), code=0)
    assert res.out == ROUNDED, res
    res = expect(run("-c", "--ndjson", "-e", "output = input", stdin="\n".join(NUMBERS) + "\n"), code=0)
    assert res.out == ROUNDED[1:-2].replace(",", "\n") + "\n", res
    for expr in ["JSON.parse('[%s]')", "[%s].map(function (s) { return Number(String(s)) })", "[%s]"]:
        listed = ",".join(NUMBERS) if "Number" not in expr else ",".join("'%s'" % n for n in NUMBERS)
        expect(run("-c", "-e", expr % listed), code=0, out=ROUNDED)
