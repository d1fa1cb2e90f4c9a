"""A piped stdin is the input of -e and run FILE (as in jq), read only when
the script first uses `input` and under the run's deadline."""
import os
import shlex
import subprocess
import time

from jsbox_test import JSBOX, expect, run, serial, tmpfile
from terminal import Tmux


def test_piped_json_is_the_input():
    expect(run("-e", "input.items.length", stdin='{"items":[1,2,3]}'), code=0, out="3\n", err="")


def test_run_file_takes_piped_input():
    script = tmpfile("output = input.a * 2;")
    expect(run("run", script, stdin='{"a":21}'), code=0, out="42\n", err="")


def test_empty_or_blank_stdin_is_null():
    expect(run("-e", "input === null", stdin=""), code=0, out="true\n", err="")
    expect(run("-e", "input === null", stdin=" \n\t\r\n"), code=0, out="true\n", err="")


def test_explicit_input_dash_still_rejects_empty():
    res = run("-e", "input", "--input", "-", stdin="")
    expect(res, code=2, out="", err="jsbox: usage: <stdin>: invalid JSON: empty input\n")


def test_null_input_ignores_stdin():
    expect(run("-n", "-e", "input", stdin='{"a":1}'), code=0, out="null\n", err="")
    expect(run("--null-input", "-e", "input", stdin="not json"), code=0, out="null\n", err="")


def test_input_file_wins_over_stdin():
    path = tmpfile('{"from":"file"}', suffix=".json")
    expect(run("-e", "input.from", "--input", path, stdin='{"from":"stdin"}'),
           code=0, out='"file"\n', err="")


def test_script_from_stdin_has_no_input():
    expect(run("-e", "1", stdin="x"), code=0, out="1\n")
    expect(run("run", "-", stdin="input"), code=0, out="null\n", err="")


def test_invalid_json_is_a_usage_error_even_if_caught():
    res = run("-e", "try { input } catch (e) { 'caught' }", stdin='{"a":')
    expect(res, code=2, out="", err="jsbox: usage: <stdin>:1:6: invalid JSON: unexpected end of input\n")


def test_assigning_input_first_reads_nothing():
    expect(run("-e", "input = 5; input + 1", stdin="not json"), code=0, out="6\n", err="")


def test_input_is_a_plain_global_after_the_read():
    res = run("-e", "var a = input; input.x = 2; [a === input, input.x,"
              " Object.getOwnPropertyDescriptor(this, 'input').writable]", "-c", stdin='{"x":1}')
    expect(res, code=0, out="[true,2,true]\n", err="")


def test_unused_stdin_is_left_unread():
    # jsbox -e 1 must not swallow what the next command reads.
    cmd = "printf '{\"x\":1}\\n' | { %s -e 1; cat; }" % shlex.quote(JSBOX)
    out = subprocess.run(["sh", "-c", cmd], capture_output=True, text=True, timeout=30)
    assert out.stdout == '1\n{"x":1}\n', out


def test_while_read_loop_keeps_its_lines():
    cmd = ("printf 'a\\nb\\nc\\n' | while read l; do echo \"$l $(%s -e '2+3*4')\"; done"
           % shlex.quote(JSBOX))
    out = subprocess.run(["sh", "-c", cmd], capture_output=True, text=True, timeout=30)
    assert out.stdout == "a 14\nb 14\nc 14\n", out


def test_closed_stdin_is_null():
    out = subprocess.run(["sh", "-c", "%s -e 'input' <&-" % shlex.quote(JSBOX)],
                         capture_output=True, text=True, timeout=30)
    assert (out.returncode, out.stdout, out.stderr) == (0, "null\n", ""), out


def never_closing(*args):
    """Runs jsbox with a stdin pipe nobody writes to or closes."""
    proc = subprocess.Popen([JSBOX] + list(args), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    start = time.monotonic()
    try:
        proc.wait(timeout=20)  # communicate() would close stdin
        wall = time.monotonic() - start
    finally:
        proc.stdin.close()
    return proc.returncode, proc.stdout.read().decode(), proc.stderr.read().decode(), wall


@serial
def test_open_stdin_does_not_block_a_script_without_input():
    code, out, err, wall = never_closing("-e", "2+3*4")
    assert (code, out, err) == (0, "14\n", ""), (code, out, err)
    assert wall < 5, wall


@serial
def test_never_ending_stdin_times_out_saying_why():
    code, out, err, wall = never_closing("--timeout", "300ms", "-e", "input.a")
    assert (code, out) == (3, ""), (code, out, err)
    assert err == "jsbox: time limit exceeded: 300 ms (waiting for input on stdin)\n", err
    assert wall < 5, wall


@serial
def test_never_ending_stdin_json_result():
    code, out, err, _ = never_closing("--timeout", "200ms", "--json-result", "-e", "input")
    assert code == 3 and '"type":"TimeoutError"' in out and "waiting for input on stdin" in out, (
        code, out, err)


def test_stream_modes_read_stdin_as_before():
    expect(run("-l", "-e", "input.n", stdin='{"n":1}\n{"n":2}\n'), code=0, out="1\n2\n")
    expect(run("-s", "-c", "-e", "input", stdin="1 2 3"), code=0, out="[1,2,3]\n")


@serial
def test_terminal_stdin_is_not_read():
    # On a terminal nobody types JSON: `input` is null and jsbox does not wait.
    with Tmux() as t:
        t.start("%s -e 'input === null'" % shlex.quote(JSBOX))
        code, screen = t.wait()
    assert code == 0 and "true" in screen, (code, screen)


def test_seccomp_allows_the_wait():
    # The wait and the read run inside the jail (the default): a denied
    # call would be exit 5 naming it.
    big = '{"a":"%s"}' % ("x" * 200000)
    expect(run("-e", "input.a.length", stdin=big), code=0, out="200000\n", err="")
