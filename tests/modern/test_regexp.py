"""Regular expressions beyond Duktape's ES5 ones: the y and s flags,
ES2015 Annex B pattern syntax and RegExp.prototype.compile (in the
engine, for every script), and the u flag (patterns rewritten by the
transpiler).  Expected values are node's for the same expressions."""

NEEDS_TRANSPILER = True

import json

from modern_case import check_table, js
from jsbox_test import run, expect, serial

# A translation bound of 60 s (the moderate profile's) for patterns whose
# rewrite is long: \p{...} sets and v-flag classes, many times slower to
# translate in the sanitizer build.
SLOW_TRANSLATION = ("--profile", "moderate")


def test_sticky_flag_matches_only_at_last_index():
    check_table([
        ("var re = /a/y, s = 'aab', out = []; out.push(re.exec(s)[0], re.lastIndex);"
         "out.push(re.exec(s)[0], re.lastIndex); out.push(re.exec(s), re.lastIndex); out",
         '["a",1,"a",2,null,0]'),
        ("var re = /b/y; [re.test('ab'), re.lastIndex, (re.lastIndex = 1, re.test('ab')), re.lastIndex]",
         "[false,0,true,2]"),
        ("var re = /yy/y; re.lastIndex = 3; [re.exec('xxxyyxx')[0], re.lastIndex]", '["yy",5]'),
        ("var re = /\\d/y; re.lastIndex = 2; ['a1b2'.match(re), re.lastIndex]", "[null,0]"),
        ("var re = new RegExp('\\\\w', 'y'); re.exec('xy'); re.exec('xy')[0]", '"y"'),
    ])


def test_sticky_flag_in_string_methods():
    check_table([
        ("var re = /o/y; re.lastIndex = 1; ['foo'.replace(re, '0'), re.lastIndex, "
         "'foo'.replace(/o/gy, '0'), 'oof'.replace(/o/gy, '0')]", '["f0o",2,"foo","00f"]'),
        # split finds its separators anywhere, sticky or not (ES2015).
        ("['a,b,,c'.split(/,/y), 'x1y2z'.split(/\\d/y)]", '[["a","b","","c"],["x","y","z"]]'),
    ])


def test_dot_all_flag():
    check_table([
        ("[/a.b/s.test('a\\nb'), /a.b/.test('a\\nb'), /^.+$/s.exec('x\\r\\ny\\u2028z')[0].length, "
         "/a.c/s.test('a\\u2029c')]", "[true,false,6,true]"),
    ])


def test_flag_getters_and_flags_text():
    check_table([
        ("[/a/gimsy.flags, /a/ysmig.flags, /a/y.sticky, /a/.sticky, /a/s.dotAll, /a/.dotAll, "
         "new RegExp('a', 'sy').flags, String(new RegExp(/x/y))]",
         '["gimsy","gimsy",true,false,true,false,"sy","/x/y"]'),
        ("[typeof Object.getOwnPropertyDescriptor(RegExp.prototype, 'sticky').get, "
         "Object.keys(RegExp.prototype).length, RegExp.prototype.sticky === undefined, RegExp.prototype.flags]",
         '["function",0,true,""]'),
    ])


def test_repeated_or_unknown_flags_are_syntax_errors():
    for flags in ("yy", "ss", "q"):
        expect(js("try { new RegExp('a', '%s'); 'no' } catch (e) { e.name }" % flags), code=0,
               out='"SyntaxError"\n')


def test_annex_b_escapes():
    check_table([
        ("[/\\c2/.exec('\\\\c2')[0], /[\\c*]/.test('\\\\'), /[\\c_]/.test('\\x1f'), /[\\c1]/.test('\\x11'), "
         "/\\cJ/.test('\\n')]", '["\\\\c2",true,true,true,true]'),
        ("[/\\x1/.test('x1'), /\\u12/.test('u12'), /\\u{2}/.test('uu'), /[\\x1]/.test('1'), "
         "/\\x41\\u0042/.test('AB'), /[\\u004]/.test('4')]", "[true,true,true,true,true,true]"),
        ("[/\\041/.exec('!')[0], /[\\041]/.test('!'), /\\41/.test('!'), /\\8/.test('8'), /\\0/.test('\\0'), "
         "/\\00/.test('\\0'), /\\377/.test('\\xff'), /\\400/.test('\\x200')]",
         '["!",true,true,true,true,true,true,true]'),
    ])


def test_decimal_escapes_are_backreferences_up_to_the_group_count():
    check_table([
        ("[/(a)\\1/.test('aa'), /\\1(a)/.test('a'), /(a)\\2/.test('a\\x02'), /(a)(b)\\2/.test('abb'), "
         "/((a))\\2/.test('aa'), /(?:a)\\1/.test('a\\x01'), /[(]\\1/.test('(\\x01'), /\\(\\1/.test('(\\x01')]",
         "[true,true,true,true,true,true,true,true]"),
        # 3000 groups: \3001 is above the count, so octal \300 then "1".
        ("new RegExp('('.repeat(3000) + ')'.repeat(3000) + '\\\\3001').test('\\xc01')", "true"),
    ])


def test_compile_recompiles_in_place():
    check_table([
        ("var rx = /a/g; rx.lastIndex = 2; var same = rx.compile('b+', 'i') === rx; "
         "[same, rx.source, rx.flags, rx.lastIndex, rx.test('xBB'), String(rx.compile(/c/y)), "
         "String(rx.compile()), rx.compile.length, Object.keys(RegExp.prototype).length]",
         '[true,"b+","i",0,true,"/c/y","/(?:)/",2,0]'),
    ])


def test_compile_rejects_what_it_must():
    check_table([
        # A regexp pattern with flags, a non-regexp this.
        ("var rx = /a/; try { rx.compile(/b/, 'g'); 'no' } catch (e) { [e.name, rx.source] }", '["TypeError","a"]'),
        ("try { RegExp.prototype.compile.call({}, 'a'); 'no' } catch (e) { e.name }", '"TypeError"'),
        # A bad pattern leaves the regexp as it was.
        ("var rx = /a/; try { rx.compile('('); 'no' } catch (e) { [e.name, rx.source, rx.test('a')] }",
         '["SyntaxError","a",true]'),
        # A frozen regexp stays as it was (its lastIndex is read-only).
        ("var rx = Object.freeze(/a/); try { rx.compile('b'); 'no' } catch (e) { [e.name, rx.source] }",
         '["TypeError","a"]'),
    ])


def test_named_groups():
    check_table([
        ("var m = /(?<year>\\d{4})-(?<month>\\d{2})-(?<day>\\d{2})/.exec('2016-03-11'); "
         "[m.groups.year, m.groups.month, m.groups.day, m[0], m[1], m[2], m[3], "
         "Object.getPrototypeOf(m.groups), Object.keys(m.groups)]",
         '["2016","03","11","2016-03-11","2016","03","11",null,["year","month","day"]]'),
        # An unmatched group is there, undefined; no names, no groups.
        ("var m = /(a)(?<x>b)?/.exec('a'); [m.groups.x, 'x' in m.groups, /a/.exec('a').groups, "
         "'groups' in /a/.exec('a'), Object.keys(/(?<q>a)/.exec('a'))]",
         '[null,true,null,true,["0","1","index","input","groups"]]'),
        ("[/(?<a>.)\\k<a>/.test('xx'), /(?<a>.)\\k<a>/.test('xy'), /\\k<a>(?<a>x)/.test('x'), /\\k/.test('k'), "
         "/(?<$a_1>z)/.exec('z').groups.$a_1]", '[true,false,true,true,"z"]'),
        ("var re = /(?<w>[a-z]+)/gy, out = [], m; while ((m = re.exec('ab cd'))) out.push(m.groups.w, re.lastIndex); "
         "out", '["ab",2]'),
        ("[/[(?<a>]/.test('<'), /(?:(?<a>x)|(?<b>y))/.exec('y').groups, 'x1y22'.match(/(?<d>\\d+)/g)]",
         '[true,{"b":"y"},["1","22"]]'),
        ("var re = /(?<a>x)/; re.compile('(?<b>y)'); [re.exec('y').groups, "
         "new RegExp(/(?<a>x)\\k<a>/).exec('xx').groups.a]", '[{"b":"y"},"x"]'),
    ])


def test_named_groups_in_replace():
    check_table([
        ("['2016-03-11'.replace(/(?<y>\\d+)-(?<m>\\d+)-(?<d>\\d+)/, '$<d>/$<m>/$<y>'), "
         "'ab'.replace(/(?<x>a)/, '[$<x>][$<nope>]'), 'ab'.replace(/(a)/, '[$<x>]'), 'ab'.replace('a', '$<x>'), "
         "'ab'.replace(/(?<x>a)/, '$<x')]", '["11/03/2016","[a][]b","[$<x>]b","$<x>b","$<xb"]'),
        # A replacer gets the groups last, only when the pattern has names.
        ("var out = {}; 'k=v; k2=v2'.replace(/(?<k>\\w+)=(?<v>\\w+)/g, function () { "
         "var g = arguments[arguments.length - 1]; out[g.k] = g.v; }); "
         "[out, 'ab'.replace(/(a)/, function () { return arguments.length; })]", '[{"k":"v","k2":"v2"},"4b"]'),
    ])


def test_lookbehind():
    check_table([
        ("[/(?<=a)b/.test('ab'), /(?<!a)b/.test('cb'), !/(?<=a)b/.test('b'), /(?<!a)b/.test('ab')]",
         "[true,true,true,false]"),
        ("['$10 and \u20ac20 and $30'.match(/(?<=\\$)\\d+/g), "
         "'price: 42 USD'.replace(/(?<!\\d)(\\d+)(?= USD)/, '[$1]'), "
         "'1234567.891'.replace(/(?<!\\.\\d*)(?<=\\d)(?=(\\d{3})+(?!\\d))/g, ',')]",
         '[["10","30"],"price: [42] USD","1,234,567.891"]'),
        ("[/(?<=\\$(\\d+)\\.)\\d+/.exec('$10.53')[0], /(?<=\\$(\\d+)\\.)\\d+/.exec('$10.53')[1]]", '["53","10"]'),
        ("['abcdef'.replace(/(?<=^.{2})./, 'X'), 'xyz'.split(/(?<=y)/), /(?<=\u00e9)x/.test('\u00e9x'), "
         "/(?<=\U0001F600)x/.test('\U0001F600x'), /(?<![a-z])\\d/.exec('a1 2').index]",
         '["abXdef",["xy","z"],true,true,3]'),
        ("[/(?<=ab|c)d/.test('abd'), /(?<=ab|c)d/.test('cd'), /(?<=ab|c)d/.test('bd'), /(?<=a(?=b)b)c/.test('abc'), "
         "/(?<=(?<!x)a)b/.test('ab'), /(?<=(?<!x)a)b/.test('xab')]", "[true,true,false,true,true,false]"),
    ])


def test_a_variable_length_lookbehind_on_long_text_meets_the_deadline():
    # Each x looks back to the start of the text: quadratic, stopped in time.
    res = run("--timeout", "300ms", "-e", "'x'.repeat(200000).replace(/(?<!y.*)x/g, 'z').length")
    expect(res, code=3, err_contains="time limit exceeded", max_wall=5)


def test_bad_group_names_are_syntax_errors():
    for pattern in ("(?<a>x)(?<a>y)", "(?<1a>x)", "(?<a", "(?<>x)", "(?<a>x)\\\\k<b>", "(?<a>x)\\\\k",
                    "(?<=a", "(?<!a"):
        expect(js("try { new RegExp('%s'); 'compiled' } catch (e) { e.name }" % pattern), code=0,
               out='"SyntaxError"\n')


def test_catastrophic_sticky_pattern_still_meets_the_deadline():
    expect(run("--timeout", "300ms", "-e", "/(a+)+$/y.test('a'.repeat(40) + 'b')"), code=3,
           err_contains="time limit exceeded", max_wall=5)


def test_unicode_flag_literals_match_code_points():
    check_table([
        ("const astral = '\U0001F600'; [/^.$/u.test(astral), /^.$/.test(astral), "
         "/^[\U0001F600-\U0001F602]$/u.test('\U0001F601'), /\\u{1F600}/u.test(astral), "
         "astral.match(/./gu).length, 'a\U0001F600b'.match(/./gu)]",
         '[true,false,true,true,1,["a","\U0001F600","b"]]'),
        ("const r = [/S/iu.test('\u017f'), /\u017f/iu.test('S'), /\\u212a/iu.test('k'), "
         "/[^x]/u.exec('\U0001F600')[0].length]; r", "[true,true,true,2]"),
        ("const r = /\U0001F600/gu; 'x\U0001F600y\U0001F600'.replace(r, '-')", '"x-y-"'),
        ("let r = /a.b/su.test('a\\n\U0001F600b'); r", "false"),
        ("let r = /a.b/su.test('a\U0001F600b'); r", "true"),
    ])


def test_unicode_property_escapes_general_category():
    check_table([
        ("[/^\\p{L}+$/u.test('abc\u00c9\u03c0\u0436\u3042\u4e2d'), /\\p{Lu}/u.test('a'), /\\p{Ll}/u.test('a'), "
         "/\\p{gc=Nd}/u.test('\u0663'), /\\p{General_Category=Decimal_Number}/u.test('x'), /^\\P{L}+$/u.test('12 !'), "
         "/[\\p{N}\\p{P}]+/u.exec('ab3.14!c')[0], /[^\\p{L}]/u.exec('ab1')[0], /\\p{Lu}/iu.test('a'), /\\P{Lu}/u.test('A')]",
         '[true,false,true,true,false,true,"3.14!","1",true,false]'),
        # Astral code points, unassigned ones, symbols and emoji (Unicode 16).
        ("['\\ud835\\udc00 \\ud835\\udc1a'.match(/\\p{L}/gu), /^\\p{Lo}$/u.test('\\u{20000}'), "
         "/^\\p{Cn}$/u.test('\\u{E0080}'), /\\p{Sc}/u.exec('cost: \u20ac5')[0], /^\\p{Emoji}$/u.test('\U0001FAE9'), "
         "/^\\p{Extended_Pictographic}$/u.test('\u00a9'), 'a\U0001F600b'.replace(/\\p{Extended_Pictographic}/gu, '_')]",
         '[["\U0001D400","\U0001D41A"],true,true,"\u20ac",true,true,"a_b"]'),
    ], *SLOW_TRANSLATION)


def test_unicode_property_escapes_scripts():
    check_table([
        ("[/\\p{Script=Latin}/u.test('\u00e9'), /\\p{Script=Greek}/u.test('\u03c0'), /\\p{sc=Cyrl}/u.test('\u0436'), "
         "/\\p{Script=Han}/u.test('\u4e2d'), /\\p{Script=Han}/u.test('\u3042'), /\\p{Script=Hiragana}/u.test('\u3042'), "
         "/^\\p{Script=Latin}+$/u.test('Stra\u00dfe'), 'a\u03c0\u0436b'.replace(/\\P{Script=Latin}/gu, '.'), "
         "/\\p{Script=Todhri}/u.test('\\u{105c0}'), /\\p{Script=Kawi}/u.test('\\u{11f00}')]",
         '[true,true,true,true,false,true,true,"a..b",true,true]'),
        # Script_Extensions counts the characters several scripts share.
        ("[/\\p{Script=Greek}/u.test('\\u0342'), /\\p{Script_Extensions=Greek}/u.test('\\u0342'), "
         "/\\p{scx=Grek}/u.test('\\u0342'), /\\p{Script=Common}/u.test('1'), /\\p{Script=Inherited}/u.test('\\u0300'), "
         "/\\p{Script=Latin}/iu.test('\u212a')]", "[false,true,true,true,true,true]"),
    ], *SLOW_TRANSLATION)


def test_unicode_property_escapes_binary_properties():
    check_table([
        ("[/\\p{Alphabetic}/u.test('\u00e9'), /\\p{Alpha}/u.test('1'), /^\\p{White_Space}+$/u.test(' \\t\\u00a0\\u3000\\u2028'), "
         "/\\p{White_Space}/u.test('\\u200b'), /^\\p{ASCII}+$/u.test('abc~'), /\\p{ASCII}/u.test('\u00e9'), "
         "/\\p{Any}/u.test('\\u{10ffff}'), /^\\P{Any}$/u.test('a'), /\\p{ID_Start}/u.test('_'), /\\p{ID_Continue}/u.test('_'), "
         "/\\p{Assigned}/u.test('\\u{E0080}')]",
         "[true,false,true,false,true,false,true,false,false,true,false]"),
    ], *SLOW_TRANSLATION)


def test_unknown_unicode_properties_are_syntax_errors():
    # Names match exactly; properties of strings need the v flag.
    for pattern in ("\\p{Foo}", "\\p{Script=Foo}", "\\p{Script}", "\\p{letter}", "\\p{RGI_Emoji}",
                    "\\p{General_Category=Alphabetic}", "\\p{L", "\\p{}", "[\\p{L}-z]"):
        expect(js("/%s/u" % pattern), code=1, out="", err_contains="SyntaxError: Invalid ")


def test_a_property_escape_without_the_unicode_flag_is_the_letter_p():
    check_table([("[/\\p{L}/.test('p{L}'), /\\P{L}/.test('a')]", "[true,false]")])


def test_the_v_flag_set_notation_and_strings():
    # Node's results; the first four are compat-table's subtests.
    check_table([
        ("[/[\\p{ASCII}&&\\p{Decimal_Number}]/v.test('0'), /[\\p{Any}--[\\x01-\\u{10ffff}]]/v.test('\\0')]",
         "[true,true]"),
        ("[/^\\p{Emoji_Keycap_Sequence}$/v.test('*\\uFE0F\\u20E3'), /^\\p{Emoji_Keycap_Sequence}$/v.test('*')]",
         "[true,false]"),
        ("[/^[\\q{abc|d}x-z]+$/v.test('abcdxz'), /^[\\q{abc|d}x-z]+$/v.test('ab'), /[[a-z]--[aeiou]]+/v.exec('hello')[0], "
         "/[\\w--\\d]+/v.exec('a1b')[0], /[^\\d]/v.exec('1x')[0], /[^\\q{a}]/v.test('b')]",
         '[true,false,"h","a","x",true]'),
        ("[/[\\p{L}--\\p{Script=Latin}]/v.test('\u03c0'), /[\\p{L}--\\p{Script=Latin}]/v.test('a'), "
         "/[[\\p{Lu}&&\\p{Script=Greek}][0-9]]+/v.exec('a\u03a3\u03a012')[0], /\\p{Lu}/iv.test('a'), /[\\q{AB}]/iv.test('ab'), "
         "'a\U0001F600b'.replace(/[\U0001F600]/gv, '_'), /[a\U0001F600]+/v.exec('x\U0001F600a')[0]]",
         '[true,false,"\u03a3\u03a012",true,true,"a_b","\U0001F600a"]'),
    ], *SLOW_TRANSLATION)


@serial
def test_the_v_flag_rgi_emoji():
    # One \\p{RGI_Emoji} (3,700 strings) takes about a second to translate,
    # ten times that under the sanitizers: one literal per run, alone.
    for code, out in (("const re = /^\\p{RGI_Emoji}$/v; [re.test('\U0001F426\u200d\U0001F525'), "
                       "re.test('\U0001F1E8\U0001F1F6'), re.test('a'), re.test('\U0001F600')]", "[true,true,false,true]"),
                      ("/[\\p{RGI_Emoji}--\\q{\U0001F600}]/v.test('\U0001F600')", "false")):
        expect(run("-c", *SLOW_TRANSLATION, "--no-cache", "-e", code, timeout=180), code=0, out=out + "\n", err="")


def test_bad_v_flag_patterns_are_syntax_errors():
    for pattern, message in (("/[^\\p{RGI_Emoji}]/v", "Negated character class may contain strings"),
                             ("/\\P{RGI_Emoji}/v", "Invalid property name"),
                             ("/[(]/v", "Invalid character in character class"),
                             ("/[a&&&b]/v", "Invalid character in character class"),
                             ("/[\\q{ab}]/u", "Invalid escape")):
        expect(js(pattern), code=1, out="", err_contains="SyntaxError: Invalid regular expression: %s: %s"
               % (pattern[:-1].rstrip("/") + "/", message))
    expect(js("/a/uv"), code=1, out="", err_contains="SyntaxError: Invalid regular expression flag")


def test_a_catastrophic_property_pattern_still_meets_the_deadline():
    expect(run("--timeout", "300ms", "-e", "/(\\p{L}+)+$/u.test('a'.repeat(40) + '!')"), code=3,
           err_contains="time limit exceeded", max_wall=5)


def test_pattern_modifiers():
    # ES2025; node 20 has none, so these are the specification's results
    # (the first three are compat-table's subtests).
    check_table([
        ("const r = /^[a-z](?-i:[a-z])$/i; [r.test('ab'), r.test('Ab'), r.test('aB')]", "[true,true,false]"),
        ("const r = /^a|(?m:^b)/; [r.test('a'), r.test('b'), r.test('c\\nb'), r.test('c\\na')]",
         "[true,true,true,false]"),
        ("const r = /.(?-s:.)/s; [r.test('\\na'), r.test('aa'), r.test('\\n\\n')]", "[true,true,false]"),
        ("[/(?i:ab)c/.test('ABc'), /(?i:ab)c/.test('ABC'), /x(?i:[a-c]+)y/.exec('xAbCy')[0], /(?i:[^a])/.test('A'), "
         "/(?i:\u03c3)/.test('\u03c2'), /(?i:\\x41)/.test('a'), /(?i:k)/.test('\u212a')]",
         '[true,false,"xAbCy",false,true,true,false]'),
        ("[/(?i:a(?-i:b)c)/.test('AbC'), /(?i:a(?-i:b)c)/.test('ABC'), /(?<n>(?i:x))\\k<n>/.test('XX'), "
         "/(?<n>(?i:x))\\k<n>/.test('Xx'), /(?s:a.b)|c.d/.exec('c\\nd a\\nb')[0], /(?ims:^a.$)/.test('z\\nA\\n')]",
         '[true,false,true,false,"a\\nb",true]'),
        ("[/(?m:$)x/.test('a\\nx'), /(?=(?i:A))a/.test('a'), /(?<=(?i:q))z/.test('Qz'), /(?i:\u00e9)/.test('\u00c9'), "
         "'aBc'.replace(/(?i:b)/g, '-'), /(?i:[a-z\\u00e0-\\u00ff])+/.exec('AB\u00c0')[0]]",
         '[false,true,true,true,"a-c","AB\u00c0"]'),
        # With the u flag: s and m (i is not supported there).
        ("[/(?s:.)/u.test('\U0001F600'), /x(?-s:.)/su.exec('x\\n'), /(?m:^b)/u.test('a\\nb')]", "[true,null,true]"),
    ])


def test_bad_pattern_modifiers_are_syntax_errors():
    for pattern, message in (("(?i-i:a)", "Duplicate regular expression modifiers"),
                             ("(?ii:a)", "Duplicate regular expression modifiers"),
                             ("(?-:a)", "Invalid regular expression modifiers"), ("(?x:a)", "Invalid group")):
        expect(js("/%s/" % pattern), code=1, out="", err_contains="SyntaxError: Invalid regular expression: /%s/: %s"
               % (pattern, message))
    expect(js("/(?i:a)/u"), code=1, out="", err="jsbox: <eval>:1:1: SyntaxError: pattern modifiers with i in a "
           "regular expression with the u flag are not supported\n")
    expect(js("/(?i:(a)\\1)/"), code=1, out="", err="jsbox: <eval>:1:1: SyntaxError: backreferences in a "
           "case-insensitive pattern with modifiers are not supported\n")


def test_lookbehind_with_the_unicode_flag():
    check_table([("[/(?<=a)b/u.test('ab'), /(?<!\U0001F600)b/u.test('\U0001F600b'), /(?<=\U0001F600)b/u.test('\U0001F600b')]",
                  "[true,false,true]")])


def test_named_groups_with_the_unicode_flags():
    check_table([("[/(?<y>a)\\k<y>/u.test('aa'), /(?<y>\U0001F600)/u.exec('x\U0001F600').groups.y, "
                  "/\\k<y>(?<y>.)/u.exec('\U0001F600').groups, 'ab'.replace(/(?<x>b)/u, '[$<x>]'), "
                  "/(?<n>[\\d])\\k<n>/v.test('11')]",
                  '[true,"\U0001F600",{"y":"\U0001F600"},"a[b]",true]')])


def test_unicode_flags_in_the_constructor():
    # The pattern is rewritten when the constructor runs, as a literal's is
    # before the script runs.  Expected values are node 20's (the v flag's,
    # the specification's).
    check_table([
        ("var r = new RegExp('^.$', 'u'); [r.test('\U0001F600'), r.unicode, r.flags, /a/.unicode, "
         "new RegExp('^.$').test('\U0001F600')]", '[true,true,"u",false,false]'),
        ("var r = new RegExp('\\\\p{Script=Greek}+', 'gu'); ['ab\u03b1\u03b2c'.match(r)[0], r.global, r.flags]",
         '["\u03b1\u03b2",true,"gu"]'),
        ("var r = new RegExp('[\\\\p{ASCII}&&\\\\p{Decimal_Number}]', 'v'); [r.test('0'), r.test('a'), "
         "r.unicodeSets, r.unicode, r.flags]", '[true,false,true,false,"v"]'),
        ("[new RegExp('a/b', 'u').test('a/b'), new RegExp('', 'u').test('x'), new RegExp('a\\n', 'u').test('a\\n'), "
         "new RegExp('[/]', 'u').test('/'), new RegExp('\\\\u{61}', 'iu').test('A')]", "[true,true,true,true,true]"),
    ])


def test_the_constructor_pattern_stays_a_pattern():
    # The pattern is translated as the text of a literal: nothing in it can
    # end the literal and run as code.
    for pattern in ("a/;output = 1;/", "a\\\\/;output = 1;//", "a\\n;output = 1;", "a\\\\", "*/output = 1;/*"):
        res = js("var r; try { r = new RegExp('%s', 'u').test('a/;output = 1;/') } catch (e) { r = e.name } "
                 "typeof output === 'number' ? 'ran' : r" % pattern)
        expect(res, code=0, err="")
        assert res.out in ("true\n", "false\n", '"SyntaxError"\n'), res


def test_bad_unicode_constructor_patterns_and_flags_are_syntax_errors():
    for args in ("'\\\\u{110000}', 'u'", "'(', 'v'", "'a', 'uv'", "'a', 'u;1'", "'a', 'uu'", "'a', 'dd'",
                 "'\\\\\\u2028', 'u'"):
        expect(js("try { new RegExp(%s); 'no' } catch (e) { e.name }" % args), code=0, out='"SyntaxError"\n')


def test_a_catastrophic_constructor_pattern_and_many_translations_meet_the_deadline():
    expect(run("--timeout", "300ms", "-e", "new RegExp('(\\\\p{L}+)+$', 'u').test('a'.repeat(40) + '!')"), code=3,
           err_contains="time limit exceeded", max_wall=5)
    expect(run("--timeout", "300ms", "-e", "for (var i = 0; ; i++) new RegExp('a' + i, 'u')"), code=3,
           err_contains="time limit exceeded", max_wall=5)


def test_a_constructed_pattern_is_translated_once_per_heap():
    # The translator's allocations (in --stats) are the same for one
    # construction as for twenty of the same pattern and flags; other
    # flags are translated again.
    def allocations(code):
        res = run("--stats", *SLOW_TRANSLATION, "-e", code)
        assert res.code == 0, res.err
        return res.out.strip(), json.loads(res.err.splitlines()[-1])["transpile_allocations"]

    out1, once = allocations("new RegExp('\\\\p{L}+', 'u').test('\u00e9')")
    out20, twenty = allocations("var n = 0; for (var i = 0; i < 20; i++) n += new RegExp('\\\\p{L}+', 'u').test('\u00e9'); n")
    assert (out1, out20) == ("true", "20") and once == twenty > 0, (once, twenty)
    _, other = allocations("[new RegExp('\\\\p{L}+', 'u'), new RegExp('\\\\p{L}+', 'ui')].length")
    assert other > once, (once, other)


def test_has_indices_flag():
    # Expected values are node 20's.
    check_table([
        ("var m = /a(b)?(?<x>c)/d.exec('zzac'); [m.indices, m.indices.groups, m.index]",
         '[[[2,4],null,[3,4]],{"x":[3,4]},2]'),
        ("[/a/d.hasIndices, /a/.hasIndices, /a/dgimsy.flags, new RegExp('a', 'dg').flags, /a/.exec('a').indices]",
         '[true,false,"dgimsy","dg",null]'),
        ("[/(?<=(a))b/d.exec('ab').indices[1], new RegExp('\U0001F600(.)', 'du').exec('x\U0001F600yz').indices, "
         "/(\u00e9+)/d.exec('a\u00e9\u00e9').indices[1]]", "[[0,1],[[1,4],[3,4]],[1,3]]"),
        ("var r = /o/dg, s = 'foo', out = []; var m; while ((m = r.exec(s))) out.push(m.indices[0]); out",
         "[[1,2],[2,3]]"),
    ])


def test_flags_getter_reads_every_flag_in_order():
    check_table([
        ("var read = []; var p = new Proxy({}, { get: function (o, k) { read.push(k); return o[k]; } }); "
         "Object.getOwnPropertyDescriptor(RegExp.prototype, 'flags').get.call(p); read",
         '["hasIndices","global","ignoreCase","multiline","dotAll","unicode","unicodeSets","sticky"]'),
    ])


def test_unicode_rewrite_is_cached():
    code = "const hit = /\\u{1F600}/u.test('\U0001F600'); hit"
    expect(js(code), code=0, out="true\n")
    expect(js(code), code=0, out="true\n")
