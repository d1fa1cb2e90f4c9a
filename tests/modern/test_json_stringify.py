"""Well-formed JSON.stringify (ES2019): a surrogate code unit without its
partner comes out as a \\uXXXX escape, a pair as the character."""
from modern_case import check_table


def test_lone_surrogates_escaped_pairs_kept():
    check_table([
        ("JSON.stringify('\\uDF06\\uD834')", r'"\"\\udf06\\ud834\""'),
        ("JSON.stringify('\\uDEAD')", r'"\"\\udead\""'),
        ("JSON.stringify('\\uD834\\uDF06') === '\"\\uD834\\uDF06\"'", "true"),
        ("JSON.stringify('a\\uD834\\uDF06b\\uD800').length", "12"),
        ("JSON.stringify(['\\uDC00\\uD800\\uDC00x']) === '[\"\\\\udc00\\uD800\\uDC00x\"]'", "true"),
        ("JSON.stringify({'\\uD800': '\\uDBFF'})", r'"{\"\\ud800\":\"\\udbff\"}"'),
        # A high half at the very end, a low half at the very start.
        ("JSON.stringify('x\\uD83D') + JSON.stringify('\\uDE00x')", r'"\"x\\ud83d\"\"\\ude00x\""'),
    ])


def test_long_strings_across_the_encoder_chunks():
    # Pairs and lone halves at every offset of strings longer than the
    # encoder's working chunk: every pair survives, every lone half is escaped.
    check_table([
        ("var s = 'a'; for (var i = 0; i < 12; i++) s += s;\n"
         "var t = '', n = 0; for (var k = 0; k < 3000; k++) t += (k % 3 ? '\\uD83D\\uDE00' : '\\uD800') + s.slice(0, k % 7);\n"
         "var j = JSON.stringify(t);\n"
         "[j.split('\\\\ud800').length - 1, j.split('\\uD83D\\uDE00').length - 1, JSON.parse(j) === t]",
         "[1000,2000,true]"),
    ])
