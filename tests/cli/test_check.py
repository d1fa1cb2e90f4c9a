"""jsbox check FILE|-: everything a run does before running (syntax, the
modern-syntax translation, code size and line limits, deny patterns), and
nothing run; the same exit code and one-line message as the run."""
import json

from jsbox_test import needs_transpiler, expect, one_line_error, run, tmpfile


def same_as_run(source, *flags, code):
    path = tmpfile(source)
    checked = run("check", path, *flags)
    ran = run("run", path, *flags)
    expect(checked, code=code, out="")
    assert (checked.code, checked.err) == (ran.code, ran.err), (checked, ran)
    if code:
        one_line_error(checked, "jsbox: ")
    return checked


def test_valid_script_passes_silently():
    expect(run("check", tmpfile("var a = 1;\nconsole.log(a);\n")), code=0, out="", err="")


def test_nothing_runs():
    # A script that would loop forever, print, or throw at run time is only compiled.
    for src in ("while (true) {}", "console.log('ran'); throw new Error('ran')",
                "for (;;) { var s = 'x'; s += s; }"):
        expect(run("check", tmpfile(src)), code=0, out="", err="")


def test_syntax_error_matches_run():
    res = same_as_run("var x = 1;\nvar y = ;\n", code=1)
    assert ":2:" in res.err and "SyntaxError" in res.err, res


@needs_transpiler
def test_modern_syntax_is_translated():
    expect(run("check", tmpfile("const f = (a) => a?.b ?? 2;\nclass A { #x = 1; get x() { return this.#x; } }\n"
                                "async function g() { await 1; }\nfunction* h() { yield 1; }\n"), "--timeout", "10s"),
           code=0, out="", err="")


def test_translation_error_matches_run():
    res = same_as_run("const ok = 1;\nasync function f() { for await (const x of y) {} }\n", code=1)
    assert "<" not in res.err.split(":")[1], res


def test_top_level_return_is_allowed():
    expect(run("check", "-", stdin="if (input) return 1;\nreturn 2;\n"), code=0, out="", err="")


def test_stdin_script():
    res = run("check", "-", stdin="var = 1")
    expect(res, code=1, out="")
    assert res.err.startswith("jsbox: <stdin>:1"), res


def test_code_size_limit_matches_run():
    same_as_run("var a = 1;\n" * 10000, "--profile", "strict", code=5)


def test_line_limit_and_deny_patterns_match_run():
    policy = tmpfile('{"limits": {"max_lines": 3}, "deny_patterns": ["while *\\\\(true\\\\)"]}', suffix=".json")
    res = same_as_run("1;\n2;\n3;\n4;\n", "--policy", policy, code=5)
    assert "3-line limit" in res.err, res
    res = same_as_run("while (true) {}", "--policy", policy, code=5)
    assert "deny pattern" in res.err, res


def test_json_result_report():
    ok = json.loads(run("check", "--json-result", tmpfile("var a = 1;")).out)
    assert ok["success"] is True and ok["output"] is None, ok
    res = run("check", "--json-result", tmpfile("var a;\nvar b = ;"))
    assert res.code == 1, res
    bad = json.loads(res.out)
    assert bad["success"] is False and bad["error"]["type"] == "SyntaxError", bad
    assert bad["error"]["line"] == 2, bad
    res = run("check", "--json-result", "--policy",
              tmpfile('{"deny_patterns": ["eval"]}', suffix=".json"), tmpfile("eval('1')"))
    assert res.code == 5 and json.loads(res.out)["error"]["type"] == "SecurityError", res


def test_usage_errors():
    expect(run("check"), code=2, err="jsbox: usage: check takes one FILE (or - for stdin) (see jsbox --help)\n")
    expect(run("check", "/nonexistent/x.js"), code=2,
           err="jsbox: usage: /nonexistent/x.js: cannot open: No such file or directory\n")
    res = run("check", tmpfile("1"), "--input", tmpfile("1", suffix=".json"))
    expect(res, code=2, out="")
    one_line_error(res, "jsbox: usage: check runs nothing")
    expect(run("check", "a.js", "-e", "1"), code=2)


def test_hostile_source_is_still_bounded():
    # Deeply nested source: the compiler's own limit, as in a run.
    same_as_run("[" * 100000 + "]" * 100000, "--profile", "permissive", code=1)
