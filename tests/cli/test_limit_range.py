"""Limits too large to mean anything are usage errors, never values that
wrap (a timeout that ended at once, an address-space cap of 87 MiB)."""
from jsbox_test import run

HUGE = [str(2 ** 53), str(2 ** 63), str(2 ** 64 - 1)]


def test_absurd_durations_are_usage_errors():
    for flag in ("--timeout", "--total-timeout"):
        for n in HUGE:
            for unit in ("", "ms", "s", "m"):
                extra = ("-l",) if flag == "--total-timeout" else ()
                res = run(*extra, flag, n + unit, "-e", "1")
                assert res.code == 2, (flag, n + unit, res)
                assert res.err.startswith("jsbox: usage: %s: " % flag), res
                assert "too large (at most 365 days)" in res.err or "invalid duration" in res.err, res


def test_absurd_sizes_are_usage_errors():
    for flag in ("--memory-limit", "--max-output"):
        for n in HUGE:
            for unit in ("", "k", "M", "G"):
                res = run(flag, n + unit, "-e", "1")
                assert res.code == 2, (flag, n + unit, res)
                assert "too large (at most 1 PiB)" in res.err or "invalid size" in res.err, res


def test_the_largest_limits_still_work():
    res = run("--timeout", "525600m", "--memory-limit", "64M",
              "-e", "2+3*4")
    assert (res.code, res.out) == (0, "14\n"), res
    # The old wrap: this timeout ended at once with "time limit exceeded".
    res = run("--timeout", "18446744073709", "-e", "1")
    assert res.code == 2 and "too large" in res.err, res


def test_policy_file_limits_too_large():
    from jsbox_test import tmpfile
    for key, value in (("timeout", 2 ** 53), ("memory", "16777216G")):
        path = tmpfile('{"limits": {"%s": %s}}' % (key, value if isinstance(value, int) else '"%s"' % value),
                       suffix=".json")
        res = run("--policy", path, "-e", "1")
        assert res.code == 2, (key, res)
