"""Early errors ES2015 has and Duktape 2.7 lacked, checked where Duktape
compiles the code itself (eval and Function, which reach the transpiler
only when Duktape rejects a source): assignment to new.target
(patches/duktape/0023), escaped reserved words and U+2E2F in identifiers
(0024), an initializer in a strict for-in head (0025)."""

from modern_case import check_table

PERMISSIVE = ("--profile", "permissive")


def outcomes(*sources):
    """Code giving, for each source, what eval makes of it: its value as a
    string, or the name of the error it throws."""
    return ("[%s].map(function (s) { try { return String(eval(s)); } catch (e) { return e.name; } })"
            % ", ".join(repr(s) for s in sources))


def test_new_target_is_not_assignable():
    check_table([
        (outcomes("(function () { new.target = 1; })", "(function () { new.target += 1; })",
                  "(function () { new.target++; })", "(function () { new.target--; })"),
         '["SyntaxError","SyntaxError","SyntaxError","SyntaxError"]'),
        # Reading it, a property of it and a ++ on the next line stay legal.
        ("function F() { var t = new.target; return t === F; } var x = 1;\n"
         "var g = Function('var x = 1; new.target\\n++x; return x');\n"
         "[new F() instanceof F, F(), g()]", "[true,false,2]"),
        ("var r; try { Function('new.target = function(){};'); r = 'compiled'; } catch (e) { r = e.name; } r",
         '"SyntaxError"'),
    ], *PERMISSIVE)


def test_escaped_reserved_words():
    check_table([
        (outcomes("var v\\u0061r", "v\\u0061r x = 1", "n\\u0075ll", "typ\\u0065of 1",
                  "\\u0069f (1) {}", "'use strict'; var l\\u0065t = 1", "function f(n\\u0065w) {}"),
         '["SyntaxError","SyntaxError","SyntaxError","SyntaxError","SyntaxError","SyntaxError","SyntaxError"]'),
        # As property names they are legal, and escapes in other identifiers too.
        (outcomes("var o = {v\\u0061r: 1, \\u0069f: 2}; o.v\\u0061r + o.var + o.\\u0069f",
                  "var \\u0061b = 3; ab", "var l\\u0065t = 4; let", "var \\u{63} = 5; c"),
         '["4","3","4","5"]'),
    ], *PERMISSIVE)


def test_pattern_syntax_is_no_identifier():
    check_table([
        (outcomes("var \u2e2f", "var a\u2e2f", "var \\u2e2f", "var \u02b0 = 1; \u02b0"),
         '["SyntaxError","SyntaxError","SyntaxError","1"]'),
    ], *PERMISSIVE)


def test_for_in_initializer():
    check_table([
        (outcomes("'use strict'; for (var i = 0 in {}) {}", "'use strict'; var j; for (var i = j in {}) {}",
                  "(function () { 'use strict'; for (var i = 0 in {}) {} })"),
         '["SyntaxError","SyntaxError","SyntaxError"]'),
        # Annex B keeps it for non-strict code; strict code without one is fine.
        (outcomes("for (var i = 7 in {}) {} i", "'use strict'; var k = []; for (var i in {a: 1, b: 2}) k.push(i); k.join()"),
         '["7","a,b"]'),
    ], *PERMISSIVE)
