"""Output floods: exit 6, everything before the limit delivered, then one message."""
import os

from jsbox_test import run_bytes as _run

# Tests not about time get a deadline that a slow build cannot hit.
_SAN = "san" in os.environ.get("JSBOX_BUILD", "")
LONG = "60s" if _SAN else "5s"
_EXTRA = ["--timeout", "60s"] if _SAN else []


def run(*args, **kw):
    return _run(*(_EXTRA + list(args)), **kw)

OUT = b"jsbox: output limit exceeded: 1 MiB\n"
# The sanitizer build runs several times slower: more room, same codes and messages.
SLACK = 4.0 if "san" in os.environ.get("JSBOX_BUILD", "") else 1.0
BOUND = 0.5 + 1.5 * SLACK
MiB = 1 << 20


def flood(script, *args):
    # A generous deadline: these are about output, not time.
    res = run("-e", script, "--timeout", LONG, *args)
    assert res.code == 6, res
    assert res.wall <= BOUND + 5, res
    return res


def test_console_log_flood_keeps_partial_output():
    res = flood("for (var i = 0;; i++) console.log('line ' + i)")
    assert len(res.out) == MiB, len(res.out)
    lines = res.out.split(b"\n")
    assert lines[0] == b"line 0" and lines[1000] == b"line 1000"
    assert res.err == OUT, res.err


def test_console_error_flood():
    res = flood("for (;;) console.error('e'.repeat(100))")
    assert res.out == b""
    assert res.err.endswith(OUT)
    assert len(res.err) == MiB + len(OUT), len(res.err)
    assert res.err[:101] == b"e" * 100 + b"\n"


def test_mixed_flood_counts_both_streams():
    res = flood("for (;;) { console.log('o'.repeat(50)); console.error('x'.repeat(50)); }")
    assert len(res.out) + len(res.err) - len(OUT) == MiB
    assert res.err.endswith(OUT)


def test_result_flood():
    res = flood("'r'.repeat(3 * 1024 * 1024)", "-r")
    assert res.out == b"r" * MiB
    assert res.err == OUT


def test_json_result_flood():
    res = flood("var a = []; for (var i = 0; i < 200000; i++) a.push(i); a", "-c")
    assert len(res.out) == MiB and res.out.startswith(b"[0,1,2,3")
    assert res.err == OUT


def test_catching_nothing_helps():
    res = flood("for (;;) { try { console.log('z'.repeat(1000)) } catch (e) {} }")
    assert len(res.out) == MiB
    assert res.err == OUT


def test_max_output_flag():
    res = flood("for (;;) console.log('abc')", "--max-output", "10k")
    assert res.out == (b"abc\n" * 2560)
    assert res.err == b"jsbox: output limit exceeded: 10 KiB\n"


def test_under_the_limit_is_fine():
    res = run("-e", "console.log('a'.repeat(1000)); 1", "--max-output", "2k")
    assert res.code == 0 and res.out == b"a" * 1000 + b"\n1\n", res
