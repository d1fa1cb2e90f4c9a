"""String.prototype.normalize: every form against Python's unicodedata
(the data the build took its tables from), the errors and the limits."""
NEEDS_TRANSPILER = True

import json
import random
import unicodedata

from jsbox_test import run, expect, tmpfile

FORMS = ("NFC", "NFD", "NFKC", "NFKD")


def js(code, *args):
    return run("-c", "--timeout", "10s", *args, "-e", code)


def sample_strings(n, seed):
    """Random strings of characters that decompose, combine or compose
    (Latin, Greek, Hangul jamo and syllables, compatibility forms, astral
    ones), with an odd plain character."""
    rnd = random.Random(seed)
    pool = [c for c in range(0xA0, 0x30000) if not 0xD800 <= c < 0xE000 and
            (unicodedata.decomposition(chr(c)) or unicodedata.combining(chr(c)))]
    pool += list(range(0xAC00, 0xAC00 + 300)) + list(range(0x1100, 0x1113)) + list(range(0x1161, 0x1176)) + \
        list(range(0x11A8, 0x11C3)) + [0x41, 0x61, 0x20, 0x4E2D]
    return ["".join(chr(rnd.choice(pool)) for _ in range(rnd.randint(1, 10))) for _ in range(n)]


def test_every_form_matches_the_unicode_database():
    strings = sample_strings(2000, 11)
    path = tmpfile(json.dumps(strings), suffix=".json")
    res = js("input.map(function (s) { return ['NFC', 'NFD', 'NFKC', 'NFKD'].map(function (f) { "
             "return s.normalize(f); }); })", "--input", path)
    expect(res, code=0, err="")
    got = json.loads(res.out)
    for s, forms in zip(strings, got):
        assert forms == [unicodedata.normalize(f, s) for f in FORMS], (ascii(s), ascii(forms))


def test_common_uses():
    for code, out in [
        # Accents off, the usual way.
        ("'Crème Brûlée à la café'.normalize('NFD').replace(/[\\u0300-\\u036f]/g, '')", '"Creme Brulee a la cafe"'),
        ("['c\\u0327\\u0301'.normalize() === '\\u1e09', '\\u1e09'.normalize('NFD') === 'c\\u0327\\u0301', "
         "'\\ufb01'.normalize('NFKC'), '\\u2460'.normalize('NFKD'), '\\u212b'.normalize() === '\\u00c5']",
         '[true,true,"fi","1",true]'),
        ("var s = '\\ud55c\\uad6d\\uc5b4'; [s.normalize('NFD').length, s.normalize('NFD').normalize('NFC') === s]",
         "[8,true]"),
        ("['plain ascii'.normalize('NFKD'), ''.normalize(), '\\ud834\\udd5e'.normalize().length]", '["plain ascii","",4]'),
    ]:
        expect(js(code), code=0, out=out + "\n", err="")


def test_bad_form_and_receiver():
    expect(js("try { 'a'.normalize('nfc'); 'no' } catch (e) { e.name }"), code=0, out='"RangeError"\n')
    expect(js("try { 'a'.normalize('toString'); 'no' } catch (e) { e.name }"), code=0, out='"RangeError"\n')
    expect(js("try { String.prototype.normalize.call(null); 'no' } catch (e) { e.name }"), code=0,
           out='"TypeError"\n')
    expect(js("String.prototype.normalize.call(12, 'NFD')"), code=0, out='"12"\n')


def test_long_text_is_quick():
    res = js("var s = new Array(20001).join('e\\u0301\\u0327 '); s.normalize('NFC').length", "--timeout", "5s")
    expect(res, code=0, out="60000\n", max_wall=5)


def test_it_is_a_built_in():
    # In the engine (C), for every script, however it is reached.
    expect(js("var n = String.prototype['norm' + 'alize']; [typeof n, n.name, n.length, "
              "Object.keys(String.prototype).indexOf('normalize')]"), code=0, out='["function","normalize",1,-1]\n')


def test_huge_text_meets_the_memory_limit():
    res = run("--memory-limit", "4MiB", "--timeout", "30s", "-e", "var s = new Array(300001).join('\\ufdfa'); s.normalize('NFKD').length")
    expect(res, code=4, err_contains="memory limit exceeded")
