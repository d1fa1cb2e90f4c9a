"""What the tests of modern JavaScript share: running a snippet with a
transpile cache of their own, and checking a table of snippets against
their outputs."""
import tempfile

from jsbox_test import run, expect

CACHE = tempfile.mkdtemp(prefix="jsbox-test-cache-")


def js(code, *args, cache=CACHE):
    # A generous deadline: the transpiler runs within it, and sanitizer
    # builds under parallel tests are many times slower.  The process may
    # also take a profile's longer translation bound (60 s for moderate).
    return run("-c", "--timeout", "10s", *args, "-e", code, env={"XDG_CACHE_HOME": cache}, timeout=90)


def check_table(table, *args):
    """table: (code, compact JSON output) pairs; each must succeed quietly."""
    for code, out in table:
        expect(js(code, *args), code=0, out=out + "\n", err="")
