"""Random regular expressions built from the pieces of the syntax jsbox
adds to the engine (named groups and their references, lookbehind, the
y and s flags, Annex B escapes) and from its old pieces, compiled and run
on random text in one script: every pattern either compiles or is a
SyntaxError, every match ends (or meets the engine's recursion limit), and the process never crashes (the
sanitizer build runs this too)."""
import json
import random

from jsbox_test import run, expect, tmpfile, needs_transpiler

PIECES = ["(?<a>", "(?<b>", "\\k<a>", "\\k<b>", "\\k", "(?<=", "(?<!", "(?=", "(?!", "(?:", "(", ")", ")", ")",
          "[", "]", "[^", "\\1", "\\2", "\\41", "\\0", "\\08", "\\c", "\\cA", "\\x", "\\x4", "\\x41", "\\u", "\\u004",
          "\\u0041", "|", "*", "+", "?", "*?", "{2}", "{1,3}", "{", "a", "b", "é", "\U0001F600", ".", "^", "$",
          "\\d", "\\w", "\\s", "\\b", "\\B", "-", "<", ">", "="]
FLAGS = ["", "g", "y", "s", "i", "gy", "ms", "gimsy", "d", "dgy"]


def test_random_patterns_compile_or_fail_cleanly():
    rnd = random.Random(2026)
    cases = [["".join(rnd.choice(PIECES) for _ in range(rnd.randint(1, 12))), rnd.choice(FLAGS),
              "".join(rnd.choice("ab\u00e9<>=x\n1\U0001F600") for _ in range(rnd.randint(0, 16)))]
             for _ in range(3000)]
    path = tmpfile(json.dumps(cases), suffix=".json")
    script = """
var compiled = 0, rejected = 0, matched = 0, limited = 0;
input.forEach(function (c) {
    var re;
    try { re = new RegExp(c[0], c[1]); compiled++; } catch (e) {
        if (!(e instanceof SyntaxError)) throw e;
        rejected++;
        return;
    }
    try {
        var m = re.exec(c[2]);
        if (m) { matched++; if (m.groups) Object.keys(m.groups); if (m.indices) JSON.stringify(m.indices); }
        c[2].replace(re, '[$<a>$1]');
        c[2].split(re);
    } catch (e) {
        /* the engine's recursion and step limits */
        if (!(e instanceof RangeError)) throw e;
        limited++;
    }
});
output = [compiled + rejected, compiled > 500, rejected > 500, matched > 50, limited < 100];
"""
    res = run("-c", "--timeout", "60s", "--input", path, "-e", script, timeout=120)
    expect(res, code=0, out="[3000,true,true,true,true]\n", err="")


UNICODE_PIECES = ["\\p{L}", "\\P{L}", "\\p{Lu}", "\\p{Script=Greek}", "\\P{sc=Latn}", "\\p{scx=Han}", "\\p{Any}",
                  "\\P{Any}", "\\p{White_Space}", "\\p{Emoji}", "\\p{Foo}", "\\p{", "\\p{L", "\\p", "\\u{1F600}", "[", "]",
                  "[^", "-", "(", ")", "(?:", "|", "*", "+", "?", "{2,}", "a", "\u00e9", "\U0001F600", ".", "^", "$",
                  "(?i:", "(?-s:", "(?m:", "(?<n>", "\\k<n>", "&&", "--", "\\q{ab|c}", "\\p{Emoji_Keycap_Sequence}"]


def run_unicode_cases(seed, pieces, flags, compile_expr):
    """40 random patterns from pieces with one of flags, each compiled by
    compile_expr (JS, of c[0] and c[1]) and run on a random subject, in one
    run under one deadline; each compiles or is a SyntaxError, and running
    one throws at most a RangeError.  Asserts a mix of both outcomes, and
    that no pattern text ran as code (a global `ran`)."""
    rnd = random.Random(seed)
    cases = [["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 8))), rnd.choice(flags),
              "".join(rnd.choice("ab\u00e9\u03c0 \n1\U0001F600") for _ in range(rnd.randint(0, 16)))]
             for _ in range(40)]
    path = tmpfile(json.dumps(cases), suffix=".json")
    script = """
var compiled = 0, rejected = 0;
input.forEach(function (c) {
    var re;
    try { re = %s; compiled++; } catch (e) {
        if (!(e instanceof SyntaxError)) throw e;
        rejected++;
        return;
    }
    try { var m = re.exec(c[2]); if (m && m.indices) JSON.stringify(m.indices); c[2].replace(re, '[$&]'); c[2].split(re); } catch (e) {
        if (!(e instanceof RangeError)) throw e;
    }
});
output = [compiled + rejected, compiled > 5, rejected > 5, typeof ran];
""" % compile_expr
    res = run("-c", "--profile", "permissive", "--no-cache", "--timeout", "60s", "--input", path, "-e", script,
              timeout=120)
    expect(res, code=0, out='[40,true,true,"undefined"]\n', err="")


@needs_transpiler
def test_random_property_escape_patterns_compile_or_fail_cleanly():
    # Literals with the u or v flag or with modifiers are rewritten by the
    # transpiler: each goes through eval, which translates it, under the
    # run's one deadline.  "(?:)" first: a pattern starting with "*" would
    # open a comment.
    run_unicode_cases(2027, UNICODE_PIECES, ["u", "iu", "gsu", "v", "iv", "", "im"],
                      "eval('/(?:)' + c[0] + '/' + c[1])")


@needs_transpiler
def test_random_unicode_constructor_patterns_compile_or_fail_cleanly():
    # new RegExp with the u or v flag: the pattern is translated when the
    # constructor runs, under the run's deadline; its text never runs.
    run_unicode_cases(2028, UNICODE_PIECES + ["/", "*/", "\n", "\\"], ["u", "du", "gsu", "v", "iv", "dgv"],
                      "new RegExp(c[0], c[1])")
