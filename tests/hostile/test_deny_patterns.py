"""deny_patterns run on a matcher that never backtracks, within the run's
time limit: the sources and patterns that kept glibc's regexec busy for
minutes (while --stats said the run took milliseconds) are checked in one
pass; back-references, which no such matcher can run, are refused."""
import os
import random
import tempfile

from jsbox_test import expect, one_line_error, run, tmpfile


def policy(text):
    d = tempfile.mkdtemp(prefix="jsbox-test-pol-")
    path = os.path.join(d, "p.json")
    with open(path, "w") as f:
        f.write(text)
    return path


def test_quadratic_source_for_a_backtracker_is_one_pass():
    # 45 s with glibc; the subprocess bound would stop a regression.
    path = policy('{"extends": "moderate", "deny_patterns": ["process.*env"]}')
    script = tmpfile("// " + "process " * 65000 + "\n1\n")
    expect(run("--policy", path, "run", script, timeout=20), code=0, out="1\n", err="")
    script = tmpfile("// " + "process " * 65000 + "env\n1\n")
    res = run("--policy", path, "run", script, timeout=20)
    expect(res, code=5)
    one_line_error(res, "jsbox: blocked by policy: %s: source matches deny pattern /process.*env/" % script)


def test_exponential_pattern_is_one_pass():
    path = policy('{"extends": "moderate", "deny_patterns": ["(a|aa)*c"]}')
    script = tmpfile("// " + "a" * 200000 + "\n1\n")
    expect(run("--policy", path, "run", script, timeout=20), code=0, out="1\n", err="")


def test_back_references_are_refused_where_they_are_written():
    path = policy('{"extends": "moderate",\n "deny_patterns": ["(.*)\\\\1x"]}')
    res = run("--policy", path, "-e", "1")
    expect(res, code=2, out="")
    one_line_error(res, "jsbox: usage: %s:2:2: deny_patterns: invalid regular expression '(.*)\\1x': "
                        "back-references (\\1) are not supported" % path)


def test_pattern_checks_stop_at_the_time_limit():
    # A pattern whose DFA cannot be kept (2^17 states) is matched at NFA
    # speed, some hundred nanoseconds a byte: 4 MB take far longer than the
    # 100 ms limit, which holds for the checks as for the run (the script
    # itself, a comment, compiles well within it).
    path = policy('{"extends": "permissive", "limits": {"timeout": 100}, "deny_patterns": ["a[ab]{16}c"]}')
    rnd = random.Random(7)
    script = tmpfile("//" + "".join(rnd.choice("ab") for _ in range(4000000)) + "\n1\n")
    res = run("--policy", path, "run", script, timeout=20)
    expect(res, code=3, out="", err="jsbox: time limit exceeded: 100 ms\n")
