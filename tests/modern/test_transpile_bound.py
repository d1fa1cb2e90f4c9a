"""Translation to ES5 has a time bound of its own (transpile_timeout), not
the script's --timeout: a first run and a cached run of a script end alike,
and a hostile source still cannot keep the transpiler busy."""
NEEDS_TRANSPILER = True  # what is cached is a translation

import importlib.util
import json
import os
import tempfile

from jsbox_test import SOURCE, expect, run, serial, tmpfile

SERIAL = True  # the first runs below translate 1,600 lines: keep them off a loaded machine


def modern_source(lines):
    spec = importlib.util.spec_from_file_location(
        "modern_source", os.path.join(SOURCE, "bench", "modern_source.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.source(lines)


def stats(res):
    return json.loads(res.err.strip().splitlines()[-1])


@serial  # a 1,600-line translation: its bound is wall-clock time
def test_first_run_under_strict_as_cached():
    text = modern_source(1600)
    assert len(text) <= 64 * 1024 and text.count("\n") >= 1550
    path, cache = tmpfile(text), tempfile.mkdtemp(prefix="jsbox-test-cache-")
    env = {"XDG_CACHE_HOME": cache}
    first = run("--stats", "run", path, env=env, timeout=120)
    expect(first, code=0, out="7046\n")
    assert stats(first)["transpile_ms"] > 0, first
    cached = run("--stats", "run", path, env=env, timeout=120)
    expect(cached, code=0, out=first.out)
    assert stats(cached)["transpile_ms"] == 0, cached


def test_script_deadline_excludes_translation():
    # The script itself needs well under 400 ms, its translation more than
    # that: the run succeeds, first and cached, with --timeout 400ms.
    path, cache = tmpfile(modern_source(800)), tempfile.mkdtemp(prefix="jsbox-test-cache-")
    env = {"XDG_CACHE_HOME": cache}
    first = run("--stats", "--timeout", "400ms", "run", path, env=env, timeout=120)
    expect(first, code=0)
    cached = run("--timeout", "400ms", "run", path, env=env, timeout=120)
    expect(cached, code=0, out=first.out)


def test_translation_bound_from_policy():
    policy = tmpfile('{"limits": {"transpile_timeout": "20ms"}}', suffix=".json")
    path, cache = tmpfile(modern_source(1600)), tempfile.mkdtemp(prefix="jsbox-test-cache-")
    env = {"XDG_CACHE_HOME": cache}
    res = run("--policy", policy, "--json-result", "run", path, env=env, timeout=60)
    expect(res, code=3, err="jsbox: time limit exceeded: 20 ms translating the script to ES5 "
                            "(transpile_timeout)\n")
    envelope = json.loads(res.out)
    assert envelope["error"]["type"] == "TimeoutError" and "transpile_timeout" in envelope["error"]["message"], \
        envelope
    # Translated under strict's larger bound and cached: the 20 ms policy
    # still may not take it, since its own first run could not have made it.
    expect(run("run", path, env=env, timeout=120), code=0, out="7046\n")
    expect(run("--policy", policy, "run", path, env=env, timeout=60), code=3,
           err_contains="translating the script")


def test_hostile_source_cannot_keep_the_transpiler_busy():
    # 60 KiB on one line, each statement rewritten: slow to translate.
    policy = tmpfile('{"limits": {"transpile_timeout": "300ms"}}', suffix=".json")
    path = tmpfile("".join("const a%d = `${a%d}`;" % (i, i) for i in range(2500)) + "\n")
    res = run("--policy", policy, "--no-cache", "--stats", "run", path, timeout=60)
    expect(res, code=3, err_contains="jsbox: time limit exceeded: 300 ms translating the script")
    assert stats(res)["wall_ms"] < 5000, res


def test_policy_show_names_the_bound():
    for profile, ms in (("strict", 10000), ("moderate", 60000), ("permissive", 300000)):
        shown = json.loads(run("policy", "show", "--profile", profile).out)
        assert shown["limits"]["transpile_timeout_ms"] == ms, shown


def test_stats_and_envelope_report_transpile_ms():
    cache = tempfile.mkdtemp(prefix="jsbox-test-cache-")
    res = run("--stats", "--json-result", "-e", "const a = [1, 2].map(x => x * 2); a",
              env={"XDG_CACHE_HOME": cache})
    expect(res, code=0)
    assert json.loads(res.out)["transpile_ms"] > 0 and stats(res)["transpile_ms"] > 0, res
    res = run("--stats", "--json-result", "-e", "1 + 1")
    assert json.loads(res.out)["transpile_ms"] == 0 and stats(res)["transpile_ms"] == 0, res


def test_transpile_prints_the_es5_and_warms_the_cache():
    cache = tempfile.mkdtemp(prefix="jsbox-test-cache-")
    env = {"XDG_CACHE_HOME": cache}
    path = tmpfile("const double = x => x * 2;\noutput = [1, 2].map(double);\n")
    res = expect(run("transpile", path, env=env), code=0, err="")
    assert "=>" not in res.out and "const " not in res.out and "var double" in res.out, res
    # The translation runs as printed; the next run takes it from the cache.
    expect(run("-c", "-e", res.out), code=0, out="[2,4]\n")
    cached = run("--stats", "-c", "run", path, env=env)
    expect(cached, code=0, out="[2,4]\n")
    assert stats(cached)["transpile_ms"] == 0, cached
    # stdin, nothing run, and ES5 printed as it is.
    expect(run("transpile", "-", stdin="console.log('ran'); var a = 1;", env=env),
           code=0, out="console.log('ran'); var a = 1;\n", err="")
    expect(run("transpile", "-", stdin="const = 1", env=env), code=1, out="",
           err_contains="SyntaxError")
    expect(run("transpile", env=env), code=2, err_contains="transpile takes one FILE")


def test_generator_transform_only_for_generators():
    # The transpiler heap loads the generator transform (regenerator) only
    # for a source with a generator, an async function or an await: the
    # words in strings, comments or property names cost next to nothing
    # (the transform is about 50,000 allocations).
    def allocations(code):
        res = expect(run("--stats", "--no-cache", "-e", code), code=0)
        return stats(res)["transpile_allocations"]
    plain = allocations('let s = "xxxxx xxxxx xxxxx", o = {xxxxx: 1}; // xxxxx\ns.length')
    words = allocations('let s = "async await yield", o = {async: 1}; // yield\ns.length')
    real = allocations('let s = async () => 1; // xxxxx xxxxx xxxx\n1')
    assert abs(words - plain) < 100, (words, plain)
    assert real > plain * 2, (real, plain)

