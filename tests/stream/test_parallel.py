"""A stream too big for one machine is split with GNU parallel, as the
README shows: the same output as a single jsbox (local jobs only here;
--sshlogin spreads the same jobs over machines)."""
import shlex
import subprocess

from jsbox_test import JSBOX, need_tool, serial, tmpfile

SCRIPT = "input.n % 3 ? {n: input.n, sq: input.n * input.n} : undefined"


@serial
def test_parallel_pipe_matches_one_jsbox():
    parallel = need_tool("parallel")
    # GNU parallel, not moreutils' parallel (which has no --pipe).
    version = subprocess.run([parallel, "--version"], capture_output=True, text=True)
    assert "GNU parallel" in version.stdout, version
    data = tmpfile("".join('{"n":%d,"s":"r%d"}\n' % (i, i) for i in range(30000)), suffix=".ndjson")
    with open(data, "rb") as f:
        single = subprocess.run([JSBOX, "-l", "-e", SCRIPT], stdin=f, capture_output=True, timeout=120)
    assert single.returncode == 0 and single.stderr == b"", single.stderr
    cmd = "%s --will-cite --pipe -k -q -N 10000 -j 2 %s -l -e %s < %s" % (
        shlex.quote(parallel), shlex.quote(JSBOX), shlex.quote(SCRIPT), shlex.quote(data))
    split = subprocess.run(["sh", "-c", cmd], capture_output=True, timeout=300)
    assert split.returncode == 0, split.stderr[-2000:]
    assert split.stdout == single.stdout, (len(split.stdout), len(single.stdout))
    assert single.stdout.count(b"\n") == 20000
