"""The interactive REPL, driven through a pseudo-terminal."""
import os
import sys
import time

# Driven through a pseudo-terminal with timed waits: run alone.
SERIAL = True

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from jsbox_test import needs_transpiler, expect, run, serial, tmpfile
from pty_repl import Repl, tmppath

NOCOLOR = {"NO_COLOR": "1"}


def test_values_persist_and_print_readably():
    with Repl(env=NOCOLOR) as r:
        r.prompt()
        r.line("var x = 40; function twice(n) { return 2 * n }")
        r.prompt()
        r.line("twice(x + 1)")
        r.expect(r"\r\n82\r\n")
        r.line("'a\\nb'")
        r.expect(r"'a\\nb'\r\n")
        r.line("({a: [1, 2, {b: {c: {d: 1}}}], s: 'x'})")
        r.expect(r"\{ a: \[ 1, 2, \{ b: \[Object\] \} \], s: 'x' \}")
        r.line("_.s + '!'")
        r.expect(r"'x!'")
        r.line("null.x")
        r.expect(r"jsbox: <repl>:1: TypeError: ")
        r.line("_error instanceof TypeError")
        r.expect(r"\r\ntrue\r\n")
        r.prompt()  # Ctrl-D typed before the prompt may reach the terminal, not jsbox
        r.send("\x04")
        assert r.wait_exit() == 0


def test_colors_on_a_terminal_unless_no_color():
    with Repl() as r:
        r.prompt()
        r.line("[42, 'x']")
        r.expect(r"\[ \x1b\[33m42\x1b\[0m, \x1b\[32m'x'\x1b\[0m \]")
    with Repl(env=NOCOLOR) as r:
        r.prompt()
        r.line("[42, 'x']")
        r.expect(r"\[ 42, 'x' \]")
        r.line("0")
        r.prompt()
        assert "\x1b[3" not in r.out


@needs_transpiler
def test_multi_line_input_continues_until_complete():
    with Repl(env=NOCOLOR) as r:
        r.prompt()
        r.line("function add(a, b) {")
        r.expect(r"\.\.\. ")
        r.line("  return a +")
        r.expect(r"\.\.\. ")
        r.line("  b; }")
        r.prompt()
        r.line("[add(1,")
        r.expect(r"\.\.\. ")
        r.line("2)]")
        r.expect(r"\[ 3 \]")
        r.line("'unterminated")
        r.expect(r"SyntaxError")
        r.line("1 +* 2")
        # As in file mode: what neither compiler takes, the transpiler's place.
        r.expect(r"jsbox: <repl>:1:4: SyntaxError: Unexpected token")


def test_ctrl_c_on_a_continuation_line_drops_the_input():
    with Repl(env=NOCOLOR) as r:
        r.prompt()
        r.line("var y = (1 +")
        r.expect(r"\.\.\. ")
        r.send("\x03")
        r.prompt()
        r.line("typeof y")
        r.expect(r"'undefined'")


def test_ctrl_c_at_an_empty_prompt_says_how_to_exit_and_ctrl_d_exits():
    with Repl(env=NOCOLOR) as r:
        r.prompt()
        r.send("\x03")
        r.expect(r"\(to exit, press Ctrl-D or type \.exit\)")
        r.prompt()
        r.send("\x04")
        assert r.wait_exit() == 0


@serial
def test_ctrl_c_interrupts_a_running_loop_and_keeps_state():
    with Repl("--timeout", "20s", env=NOCOLOR) as r:
        r.prompt()
        r.line("var kept = 'before'")
        r.prompt()
        r.line("while(1){}")
        time.sleep(0.3)
        start = time.monotonic()
        r.send("\x03")
        r.expect(r"jsbox: interrupted: stopped by SIGINT")
        assert time.monotonic() - start < 2
        r.prompt()
        r.line("kept")
        r.expect(r"'before'")
        assert "state was lost" not in r.out


@serial
def test_a_timeout_then_a_working_line():
    with Repl("--timeout", "300ms", env=NOCOLOR) as r:
        r.prompt()
        r.line("var n = 7")
        r.prompt()
        r.line("for(;;){}")
        r.expect(r"jsbox: time limit exceeded: 300 ?ms")
        r.prompt()
        r.line("n * 6")
        r.expect(r"\r\n42\r\n")


def test_out_of_memory_then_a_working_line():
    with Repl("--memory-limit", "8M", "--timeout", "10s", env=NOCOLOR) as r:
        r.prompt()
        r.line("var small = 5")
        r.prompt()
        r.line("var a = []; while (true) a.push('x' + a.length)")
        r.expect(r"jsbox: memory limit exceeded: 8 MiB")
        r.expect(r"jsbox: note: the heap was (collected and kept|recreated)")
        r.prompt()
        r.line("1 + 1")
        r.expect(r"\r\n2\r\n")


def test_out_of_memory_held_by_a_variable_recreates_the_heap():
    with Repl("--memory-limit", "8M", "--timeout", "10s", env=NOCOLOR) as r:
        r.prompt()
        r.line("var a = []; (function(){ while (true) a.push('x' + a.length) })()")
        r.expect(r"jsbox: memory limit exceeded: 8 MiB")
        r.expect(r"jsbox: note: the heap was recreated")
        r.prompt()
        r.line("typeof a")
        r.expect(r"'undefined'")


def test_a_denied_eval_then_a_working_line():
    with Repl(env=NOCOLOR) as r:
        r.prompt()
        r.line("var v = 3")
        r.prompt()
        r.line("eval('1')")
        r.expect(r"SecurityError")
        r.prompt()
        r.line("v")
        r.expect(r"\r\n3\r\n")


def test_tab_completes_globals_properties_and_commands():
    with Repl(env=NOCOLOR) as r:
        r.prompt()
        r.line("var myObject = {alpha: 1, beta: {gamma: 2}}")
        r.prompt()
        r.send("myObj\t.be\t.gam\t\r")
        r.expect(r"\r\n2\r\n")
        r.send("Math.flo\t(2.5)\r")
        r.expect(r"\r\n2\r\n")
        r.send(".he\t\r")
        r.expect(r"\.editor")


def test_completion_never_runs_getters():
    with Repl(env=NOCOLOR) as r:
        r.prompt()
        r.line("var hits = 0; var o = {}; Object.defineProperty(o, 'g', {get: function () { hits++; return {zz: 1}; }})")
        r.prompt()
        r.send("o.g.z\t\t\x15hits\r")
        r.expect(r"\r\n0\r\n")


def test_history_is_saved_and_reloaded():
    path = tmppath()
    os.unlink(path)
    try:
        with Repl(env=NOCOLOR, history=path) as r:
            r.prompt()
            r.line("6 * 7")
            r.expect(r"42")
            r.line(".exit")
            assert r.wait_exit() == 0
        with open(path) as f:
            text = f.read()  # libedit's format: spaces as \040
        assert "6\\040*\\0407" in text or "6 * 7" in text, text
        with Repl(env=NOCOLOR, history=path) as r:
            r.prompt()
            r.send("\x1b[A\x1b[A\r")  # .exit, then 6 * 7
            r.expect(r"\r\n42\r\n")
    finally:
        if os.path.exists(path):
            os.unlink(path)


def test_history_goes_to_xdg_state_home():
    state = tmppath()
    os.unlink(state)
    os.mkdir(state)
    try:
        env = dict(NOCOLOR, XDG_STATE_HOME=state)
        with Repl(env=env, history=None) as r:
            r.prompt()
            r.line("1")
            r.prompt()
        with open(os.path.join(state, "jsbox", "history")) as f:
            assert "1" in f.read()
    finally:
        os.system("rm -rf '%s'" % state)


def test_dot_help_exit_and_unknown():
    with Repl(env=NOCOLOR) as r:
        r.prompt()
        r.line(".help")
        r.expect(r"\.stats +memory and time")
        r.line(".nope")
        r.expect(r"jsbox: usage: unknown REPL command '\.nope' \(see \.help\)")
        r.line(".exit")
        assert r.wait_exit() == 0


def test_dot_clear_gives_a_fresh_heap():
    with Repl(env=NOCOLOR) as r:
        r.prompt()
        r.line("var gone = 1")
        r.prompt()
        r.line(".clear")
        r.expect(r"cleared")
        r.line("typeof gone")
        r.expect(r"'undefined'")


def test_dot_load_and_save():
    src = tmpfile("var loaded = 'yes';\nfunction lf() { return loaded + '!'; }\n")
    out = tmppath(".js")
    try:
        with Repl(env=NOCOLOR) as r:
            r.prompt()
            r.line(".load " + src)
            r.prompt()
            r.line("lf()")
            r.expect(r"'yes!'")
            r.line(".save " + out)
            r.expect(r"session saved to")
            r.line(".load /nonexistent/x.js")
            r.expect(r"jsbox: usage: /nonexistent/x.js: cannot open")
        with open(out) as f:
            saved = f.read()
        assert "var loaded = 'yes';" in saved and "lf()\n" in saved, saved
    finally:
        os.unlink(src)
        os.unlink(out)


def test_dot_input_and_input_flag():
    data = tmpfile('{"items": [1, 2, 3]}', suffix=".json")
    other = tmpfile('{"n": 9}', suffix=".json")
    bad = tmpfile('{"n": }', suffix=".json")
    try:
        with Repl("--input", data, env=NOCOLOR) as r:
            r.prompt()
            r.line("input.items.length")
            r.expect(r"\r\n3\r\n")
            r.line(".input " + other)
            r.prompt()
            r.line("input.n")
            r.expect(r"\r\n9\r\n")
            r.line(".input " + bad)
            r.expect(r"jsbox: usage: .*:1:7")
            r.line("input.n")
            r.expect(r"\r\n9\r\n")
            r.line(".clear")
            r.expect("cleared")
            r.line("input.n")
            r.expect(r"\r\n9\r\n")
    finally:
        for p in (data, other, bad):
            os.unlink(p)


def test_dot_policy_and_stats():
    with Repl("--profile", "moderate", env=NOCOLOR) as r:
        r.prompt()
        r.line(".stats")
        r.expect(r"nothing evaluated yet")
        r.line(".policy")
        r.expect(r'"memory"')
        r.line("var s = new Array(1000).join('x')")
        r.prompt()
        r.line(".stats")
        r.expect(r"last evaluation: [0-9.]+ ms wall, [0-9.]+ ms cpu; heap [0-9.]+ (bytes|KiB|MiB) in use, peak [0-9.]+ (bytes|KiB|MiB), limit 64 MiB; exit 0")


def test_dot_editor():
    with Repl(env=NOCOLOR) as r:
        r.prompt()
        r.line(".editor")
        r.expect(r"editor mode")
        # Each line is echoed before the next is sent: the terminal's mode
        # switches between reads may drop input typed ahead of them.
        r.line("var e1 = 20")
        r.expect(r"var e1 = 20\r\n")
        r.line("e1 + 1")
        r.expect(r"e1 \+ 1\r\n")
        time.sleep(0.2)
        r.send("\x04")
        r.expect(r"\n21\r\n")
        r.line(".editor")
        r.expect(r"editor mode")
        r.line("var e2 = 1")
        r.expect(r"var e2 = 1\r\n")
        time.sleep(0.2)
        r.send("\x03")
        r.expect(r"cancelled")
        r.line("typeof e2")
        r.expect(r"'undefined'")


def test_piped_stdin_is_the_script_without_prompts():
    res = run(stdin="var a = 2;\na * 21\n")
    expect(res, code=0, out="42\n", err="")
    assert "> " not in res.out


def test_a_dead_evaluator_is_replaced():
    hooks = os.path.join(os.environ.get("JSBOX_BUILD", ""), "tests", "jsbox-hooks")
    assert os.path.exists(hooks), "build with -Dtest_hooks=true (the default)"
    with Repl(env=NOCOLOR, binary=hooks) as r:
        r.prompt()
        r.line("var lost = 1")
        r.prompt()
        r.line("__jsboxTest.attempt('open')")
        r.expect(r"jsbox: blocked system call: openat: the evaluator was stopped; a fresh one was started, state was lost")
        r.prompt()
        r.line("typeof lost")
        r.expect(r"'undefined'")
        r.line("1 + 1")
        r.expect(r"\r\n2\r\n")


@serial
def test_stuck_in_native_code_is_killed_and_replaced():
    with Repl("--timeout", "300ms", env=NOCOLOR) as r:
        r.prompt()
        r.line("var k = 5")
        r.prompt()
        start = time.monotonic()
        r.line("/(a+)+b/.test('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')")
        r.expect(r"jsbox: time limit exceeded: 300 ms; the evaluator was stuck in native code and was replaced, state was lost")
        assert time.monotonic() - start < 3
        r.prompt()
        r.line("typeof k")
        r.expect(r"'undefined'")


def test_ctrl_c_on_a_line_with_text_drops_it_silently():
    with Repl(env=NOCOLOR) as r:
        r.prompt()
        r.send("var dropped = 1")
        r.expect("dropped = 1")
        r.send("\x03")
        r.prompt()
        r.line("typeof dropped")
        r.expect(r"'undefined'")
        assert "to exit, press" not in r.out, r.out


def test_repl_command_with_piped_stdin_reads_lines_without_prompts():
    res = run("repl", stdin="var a = 2\na * 21\nfunction f() {\nreturn 5 }\nf()\nnull.x\n1\n")
    expect(res, code=0, out="undefined\n42\nundefined\n5\n1\n",
           err="jsbox: <repl>:1: TypeError: cannot read property 'x' of null\n")


def test_an_evaluator_that_cannot_start_gives_its_exit_code():
    res = run("repl", "--memory-limit", "20k", stdin="1\n")
    expect(res, code=4, out="", err="jsbox: memory limit exceeded: 20 KiB\n")
    res = run("repl", "--argjson", "j", "{bad", stdin="1\n")
    expect(res, code=2, out="")
    assert res.err.startswith("jsbox: usage: --argjson j:1:2"), res


def test_completion_skips_names_with_control_characters():
    with Repl(env=NOCOLOR) as r:
        r.prompt()
        r.line("var q = {}; q['zz\\x1b[31m'] = 1; q.zzok = 2")
        r.prompt()
        r.send("q.z\t\r")
        r.expect(r"\r\n2\r\n")
        assert "\x1b[31m" not in r.out


@needs_transpiler
def test_modern_syntax_is_transpiled_and_declarations_persist():
    with Repl(env=NOCOLOR) as r:
        r.prompt()
        r.line("[1, 2].map(x => x * 2)")
        r.expect(r"\[ 2, 4 \]")
        r.line("const base = 10; let count = 1")
        r.prompt()
        r.line("class Counter { constructor(n) { this.n = n } next() { return ++this.n } }")
        r.expect(r"\r\nundefined\r\n")
        r.line("new Counter(base + count).next()")
        r.expect(r"\r\n12\r\n")
        r.line("`sum ${base + count}`")
        r.expect(r"'sum 11'")
        r.line("_.length")
        r.expect(r"\r\n6\r\n")
        r.line("({...{a: 1}, base})")
        r.expect(r"\{ a: 1, base: 10 \}")
        r.line("const {a, b: [c]} = {a: 'x', b: ['y']}")
        r.prompt()
        r.line("a + c")
        r.expect(r"'xy'")
        r.line("[base?.toFixed(1), input?.x ?? 'no input']")
        r.expect(r"\[ '10\.0', 'no input' \]")


@needs_transpiler
def test_modern_input_continues_until_complete():
    with Repl(env=NOCOLOR) as r:
        r.prompt()
        r.line("const f = (x) => {")
        r.expect(r"\.\.\. ")
        r.line("  return x * 3")
        r.expect(r"\.\.\. ")
        r.line("}")
        r.prompt()
        r.line("f(2)")
        r.expect(r"\r\n6\r\n")
        r.line("`two")
        r.expect(r"\.\.\. ")
        r.line("lines`")
        r.expect(r"'two\\nlines'")
        r.line("let bad = ;")
        r.expect(r"jsbox: <repl>:1:11: SyntaxError: Unexpected token\r\n")
        r.line("[1].map(x => x.y.z)")
        r.expect(r"jsbox: <repl>:1: TypeError: ")
        r.line("_error instanceof TypeError")
        r.expect(r"\r\ntrue\r\n")


@needs_transpiler
def test_polyfills_and_promise_jobs_at_the_prompt():
    with Repl(env=NOCOLOR) as r:
        r.prompt()
        r.line("{has: new WeakMap().has({})}")
        r.expect(r"\{ has: false \}")
        r.line("new Map([[1, 'one']]).get(1)")
        r.expect(r"'one'")
        r.line("var got; Promise.resolve(4).then(function (v) { got = v * 2 }); 0")
        r.prompt()
        r.line("got")
        r.expect(r"\r\n8\r\n")
        r.line("[...new Set([3, 3, 1])]")
        r.expect(r"\[ 3, 1 \]")
