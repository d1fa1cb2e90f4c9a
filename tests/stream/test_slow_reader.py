"""A reader that stops reading never stalls supervision: the deadline keeps
running while jsbox holds what the script printed, and that output still
arrives in full."""
import json
import subprocess
import time

from jsbox_test import JSBOX, serial

BIG = 150000


def stalled_reader(script, records, pause=5.0, extra=()):
    """Runs a stream whose stdout nobody reads for `pause` seconds."""
    proc = subprocess.Popen([JSBOX, "-l", "--stats", "--timeout", "500ms", *extra, "-e", script],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdin.write(records)
    proc.stdin.close()
    time.sleep(pause)
    out = proc.stdout.read()
    err = proc.stderr.read()
    proc.wait(timeout=30)
    return proc.returncode, out, err.decode()


def stats_of(err):
    return json.loads([l for l in err.splitlines() if l.startswith("{")][-1])


@serial
def test_looping_record_is_stopped_while_the_reader_is_stalled():
    code, out, err = stalled_reader(
        "if (input === 2) { console.log('x'.repeat(%d)); for (;;); } input" % BIG, b"1\n2\n")
    assert code == 3, (code, err)
    assert "time limit exceeded: 500 ms per record (record 2, line 2)" in err, err
    assert out == b"1\n" + b"x" * BIG + b"\n", len(out)
    # 500 ms for the record, plus start-up and record 1: nowhere near the
    # 5 s the reader was stalled for (before, the loop ran all that time).
    assert stats_of(err)["cpu_ms"] < 1500, err


@serial
def test_record_stuck_in_native_code_is_killed_while_the_reader_is_stalled():
    code, out, err = stalled_reader(
        "if (input === 2) { console.log('x'.repeat(%d)); /(a+)+$/.test('a'.repeat(40) + 'b'); } input"
        % BIG, b"1\n2\n")
    assert code == 3, (code, err)
    assert out == b"1\n" + b"x" * BIG + b"\n", len(out)
    assert stats_of(err)["cpu_ms"] < 1500, err


@serial
def test_stalled_reader_between_records_is_not_the_scripts_time():
    # Output beyond what jsbox holds (the output limit plus 1 MiB) waits for
    # the reader between records, where only --total-timeout runs.
    line = "y" * 1000
    code, out, err = stalled_reader("'%s'" % line, b"1\n" * 3000, pause=2.0)
    assert code == 0, (code, err)
    assert out == ('"%s"\n' % line).encode() * 3000
