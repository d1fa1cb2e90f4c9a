"""An evaluator that dies of a signal is reported, never left as a core."""
import glob
import os
import signal
import subprocess
import time

from jsbox_test import JSBOX, evaluator_of, needs_transpiler, serial


def kill_evaluator_with(sig, name):
    cwd = os.getcwd()
    before = set(glob.glob(os.path.join(cwd, "core*")))
    proc = subprocess.Popen([JSBOX, "--timeout", "30s", "-e", "while(1){}"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    start = time.monotonic()
    kid = evaluator_of(proc.pid, 5)
    time.sleep(0.1)
    os.kill(kid, sig)
    out, err = proc.communicate(timeout=10)
    assert proc.returncode == 70, (proc.returncode, err)
    assert err == ("jsbox: internal error: evaluator killed by %s\n" % name).encode(), err
    assert out == b""
    assert time.monotonic() - start < 5
    assert set(glob.glob(os.path.join(cwd, "core*"))) == before


@serial
def test_segv_is_internal_error():
    # AddressSanitizer catches SIGSEGV itself; there SIGILL stands in.
    if "san" in os.environ.get("JSBOX_BUILD", ""):
        kill_evaluator_with(signal.SIGILL, "SIGILL")
    else:
        kill_evaluator_with(signal.SIGSEGV, "SIGSEGV")


@serial
def test_abort_is_internal_error():
    kill_evaluator_with(signal.SIGABRT, "SIGABRT")




def stats_line(err):
    import json
    return json.loads(err.splitlines()[-1])


CATASTROPHIC = "/(a+)+$/.test('a'.repeat(30) + 'b')"
# Busy for 20 ms first: the engine's hook passes buffered output on at most
# every 5 ms, so what is printed next is still buffered when the regexp
# starts.
BUSY = "var t = Date.now(); while (Date.now() - t < 20) {} "


@serial
def test_output_before_a_kill_in_native_code_is_kept():
    from jsbox_test import run
    res = run("-e", BUSY + "console.error('warned'); console.log('printed'); " + CATASTROPHIC)
    assert (res.code, res.out) == (3, "printed\n"), res
    assert res.err == "warned\njsbox: time limit exceeded: 500 ms\n", res


@serial
def test_stream_results_before_a_kill_in_native_code_are_kept():
    from jsbox_test import run
    res = run("-l", "--timeout", "300ms", "-e", "input === 3 ? %s : input" % CATASTROPHIC,
              stdin="1\n2\n3\n4\n")
    assert (res.code, res.out) == (3, "1\n2\n"), res
    assert res.err == "jsbox: time limit exceeded: 300 ms per record (record 3, line 3)\n", res


@serial
def test_output_before_a_crash_in_native_code_is_kept():
    proc = subprocess.Popen([JSBOX, "--timeout", "30s", "-e", BUSY + "console.log('printed'); " + CATASTROPHIC],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    kid = evaluator_of(proc.pid, 5)
    time.sleep(0.3)
    os.kill(kid, signal.SIGABRT)
    out, err = proc.communicate(timeout=10)
    assert (proc.returncode, out) == (70, b"printed\n"), (proc.returncode, out, err)
    assert err == b"jsbox: internal error: evaluator killed by SIGABRT\n", err


@serial
def test_stats_after_a_kill_in_native_code():
    from jsbox_test import run
    res = run("--stats", "-e", "/(a+)+$/.test('a'.repeat(30) + 'b')")
    assert res.code == 3, res
    assert res.err.splitlines()[0] == "jsbox: time limit exceeded: 500 ms", res
    st = stats_line(res.err)
    assert st["limit"] == "time" and st["exit"] == 3 and st["killed"] is True, st
    assert st["wall_ms"] >= 500 and st["cpu_ms"] > 0 and st["heap_peak"] > 0 and st["allocations"] > 0, st


def test_stats_fields_for_each_limit():
    from jsbox_test import run
    for args, limit, code in ((["-e", "1"], None, 0),
                              # Limits other than time get a deadline no loaded machine reaches.
                              (["-e", "for(;;) console.log(1)", "--max-output", "1k", "--timeout", "120s"],
                               "output", 6),
                              (["-e", "'x'.repeat(1 << 26)", "--timeout", "120s"], "memory", 4),
                              (["-e", "while(1){}", "--timeout", "50ms"], "time", 3)):
        res = run("--stats", *args, timeout=300)
        assert res.code == code, res
        st = stats_line(res.err)
        assert set(st) >= {"wall_ms", "cpu_ms", "heap_peak", "allocations", "output_bytes", "limit", "exit"}, st
        assert st["limit"] == limit and st["exit"] == code, (args, st)
        # A slow build may need the kill for the 50 ms loop.
        assert st["killed"] is False or limit == "time", st
    assert stats_line(run("--stats", "--timeout", "120s", "-e", "for(;;) console.log(1)", "--max-output", "1k",
                          timeout=300).err)["output_bytes"] == 1024


def modern_source(lines):
    """A modern source whose translation takes a while and a transpiler heap
    far larger than the script's."""
    return "\n".join("const f%d = (a, b = %d) => { let [x, y] = [a, b]; return {x, y}; };" % (i, i)
                     for i in range(lines)) + "\n1"


@needs_transpiler
def test_stats_keep_the_transpiler_heap_apart_from_the_scripts():
    from jsbox_test import run, tmpfile
    path = tmpfile(modern_source(400))
    # moderate's 60 s translation bound: a sanitizer build on a loaded
    # machine takes longer than strict's 10 s; the script keeps 16 MiB.
    res = run("--stats", "--no-cache", "--profile", "moderate", "--memory-limit", "16M", "--timeout", "30s",
              "run", path, timeout=180)
    assert res.code == 0, res
    st = stats_line(res.err)
    # Its translation needs more than the 16 MiB the script may use, and is not counted as the script's.
    assert st["transpile_heap_peak"] > st["heap_limit"] >= st["heap_peak"], st
    assert st["transpile_allocations"] > st["allocations"] > 0, st
    # moderate's translation bound is part of the cache key: this run stores it
    assert run("--profile", "moderate", "run", path, timeout=120).code == 0
    for args in (["-e", "1 + 1"], ["--profile", "moderate", "run", path]):  # ES5, and from the cache
        st = stats_line(run("--stats", "--timeout", "30s", *args, timeout=120).err)
        assert st["transpile_heap_peak"] == 0 and st["transpile_allocations"] == 0, (args, st)


@serial
@needs_transpiler
def test_stats_of_an_evaluator_killed_while_translating_are_the_scripts():
    # The supervisor's own line (the evaluator cannot report) has the
    # script's heap only, not the translation's in progress.
    from jsbox_test import tmpfile
    path = tmpfile(modern_source(2000))
    proc = subprocess.Popen([JSBOX, "--stats", "--no-cache", "--profile", "moderate", "run", path],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    kid = evaluator_of(proc.pid, 5)
    time.sleep(1)
    os.kill(kid, signal.SIGABRT)
    out, err = proc.communicate(timeout=10)
    assert proc.returncode == 70, (proc.returncode, err)
    st = stats_line(err.decode())
    assert st["killed"] is True and st["heap_peak"] < 1 << 20 and st["allocations"] < 10000, st
