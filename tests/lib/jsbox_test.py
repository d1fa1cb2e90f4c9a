"""Helpers for jsbox's Python tests: run the binary, check what it did."""
import atexit
import os
import subprocess
import tempfile
import time

JSBOX = os.environ.get("JSBOX", "jsbox")
SOURCE = os.environ.get("JSBOX_SOURCE", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


class Skip(Exception):
    """Raised by a test that cannot run here (what it needs is absent); the
    runner counts it as skipped, with the reason, neither passed nor failed."""


def skip(reason):
    raise Skip(reason)


_transpiler = None


def has_transpiler():
    """Whether this jsbox embeds the ES2015+ transpiler (-Dtranspiler=true):
    an arrow function compiles only through it."""
    global _transpiler
    if _transpiler is None:
        res = run("-e", "(() => 1)()")
        _transpiler = res.code == 0 and res.out == "1\n"
    return _transpiler


def needs_transpiler(fn):
    """Marks a test of ES2015+ syntax: skipped in a build without the transpiler."""
    def wrapper():
        if not has_transpiler():
            skip("this jsbox is built without the transpiler")
        return fn()
    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    wrapper.serial = getattr(fn, "serial", False)
    return wrapper


class Result:
    def __init__(self, code, out, err, wall):
        self.code, self.out, self.err, self.wall = code, out, err, wall

    def __repr__(self):
        return "Result(code=%r, out=%r, err=%r, wall=%.3f)" % (self.code, self.out[:500], self.err[:500], self.wall)


def run(*args, stdin=None, env=None, timeout=30, binary=None):
    """Runs jsbox with args; stdin is bytes or str (or None for /dev/null).
    Returns Result with out/err as str (UTF-8, errors replaced)."""
    full_env = dict(os.environ)
    full_env.pop("NO_COLOR", None)
    if env:
        full_env.update(env)
    if isinstance(stdin, str):
        stdin = stdin.encode()
    start = time.monotonic()
    proc = subprocess.run([binary or JSBOX] + [str(a) for a in args], input=stdin if stdin is not None else b"",
                          capture_output=True, env=full_env, timeout=timeout)
    wall = time.monotonic() - start
    return Result(proc.returncode, proc.stdout.decode("utf-8", "replace"),
                  proc.stderr.decode("utf-8", "replace"), wall)


def run_bytes(*args, stdin=None, env=None, timeout=30):
    """Like run, but out/err stay bytes (for byte-exact checks)."""
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    start = time.monotonic()
    proc = subprocess.run([JSBOX] + [str(a) for a in args], input=stdin or b"", capture_output=True,
                          env=full_env, timeout=timeout)
    return Result(proc.returncode, proc.stdout, proc.stderr, time.monotonic() - start)


def tmpfile(content, suffix=".js"):
    """Writes content (str or bytes) to a temporary file and returns its path."""
    fd, path = tempfile.mkstemp(suffix=suffix, prefix="jsbox-test-")
    with os.fdopen(fd, "wb") as f:
        f.write(content.encode() if isinstance(content, str) else content)
    atexit.register(_remove, path)
    return path


def _remove(path):
    try:
        os.unlink(path)
    except OSError:
        pass


def expect(res, code=None, out=None, err=None, err_contains=None, out_contains=None, max_wall=None):
    """Asserts on a Result; every mismatch names the whole result."""
    if code is not None:
        assert res.code == code, "exit %r, expected %r: %r" % (res.code, code, res)
    if out is not None:
        assert res.out == out, "stdout %r, expected %r: %r" % (res.out, out, res)
    if err is not None:
        assert res.err == err, "stderr %r, expected %r: %r" % (res.err, err, res)
    if err_contains is not None:
        assert err_contains in res.err, "stderr lacks %r: %r" % (err_contains, res)
    if out_contains is not None:
        assert out_contains in res.out, "stdout lacks %r: %r" % (out_contains, res)
    if max_wall is not None:
        assert res.wall <= max_wall, "took %.3fs, bound %.3fs: %r" % (res.wall, max_wall, res)
    return res


def one_line_error(res, prefix):
    """The run printed exactly one stderr line, starting with prefix."""
    lines = res.err.splitlines()
    assert len(lines) == 1, "expected one stderr line: %r" % (res,)
    assert lines[0].startswith(prefix), "stderr %r does not start with %r" % (lines[0], prefix)


def need_tool(name):
    """The path of the program name, or skips the test when it is absent."""
    import shutil
    path = shutil.which(name)
    if not path:
        skip("%s is not installed" % name)
    return path


def serial(fn):
    """Marks a timing-sensitive test to run alone, after the parallel ones."""
    fn.serial = True
    return fn


def evaluator_of(pid, seconds=2.0):
    """The evaluator child of the jsbox process pid (waits for it to appear)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
                kids = f.read().split()
            if kids:
                return int(kids[0])
        except OSError:
            pass
        time.sleep(0.01)
    raise AssertionError("no evaluator child appeared")
