"""--prof: a sampling profiler on the engine's interrupt hook; its report
(stderr, at the end) names the hot function and line as errors do."""
import json

from jsbox_test import needs_transpiler, expect, run, tmpfile

HOT = """function fib(n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}
function cold() {
  return 1;
}
var r = 0;
for (var k = 0; k < 12; k++) { r += fib(22); cold(); }
r;
"""


def profile(source, *flags):
    path = tmpfile(source)
    res = run("--prof=json", "--timeout", "60s", *flags, "run", path)
    lines = res.err.splitlines()
    assert res.code == 0 and lines, res
    return path, json.loads(lines[-1]), res


def test_hot_function_and_line_lead():
    path, prof, res = profile(HOT)
    assert res.out == "212532\n", res
    assert prof["samples"] >= 5, prof
    top = prof["functions"][0]
    assert (top["name"], top["file"], top["line"]) == ("fib", path, 2), prof
    assert top["self"] >= prof["samples"] * 0.8, prof
    outer = [f for f in prof["functions"] if f["name"] == "(top level)"][0]
    assert outer["self"] <= prof["samples"] * 0.2 and outer["total"] >= prof["samples"] * 0.9, prof
    assert (prof["lines"][0]["file"], prof["lines"][0]["line"]) == (path, 2), prof
    # The loop's line is on the stack in every sample: total, not self.
    loop = [l for l in prof["lines"] if l["line"] == 8][0]
    assert loop["total"] >= prof["samples"] * 0.9, prof


def test_text_report_on_stderr():
    path = tmpfile(HOT)
    res = run("--prof", "--timeout", "60s", "run", path)
    expect(res, code=0, out="212532\n")
    lines = res.err.splitlines()
    assert lines[0].startswith("jsbox: profile: "), res
    assert lines[1].split() == ["self", "total", "function"], res
    assert lines[2].endswith("fib (%s:2)" % path), res
    assert "   self  total  line" in lines, res
    assert lines[lines.index("   self  total  line") + 1].endswith(" %s:2" % path), res


@needs_transpiler
def test_translated_lines_are_the_sources():
    src = """const square = (x) => x * x;
class Box {
  #v = 0;
  constructor(v) { this.#v = v; }
  spin(n) {
    let s = 0;
    for (let i = 0; i < n; i++) { s += square(i % 7) + this.#v; }
    return s;
  }
}
let total = 0;
for (const b of [new Box(1), new Box(2)]) total += b.spin(150000);
total;
"""
    path, prof, res = profile(src)
    spin = [f for f in prof["functions"] if f["name"] == "spin"][0]
    assert spin["file"] == path and spin["total"] >= prof["samples"] * 0.8, prof
    hot = [l for l in prof["lines"] if l["file"] == path][0]
    assert hot["line"] == 7, prof


def test_report_after_a_limit():
    # The output limit ends the run; the report still follows.  (A time
    # limit would do too, but the supervisor may have to kill a slow
    # evaluator there before it writes the report.)
    res = run("--prof", "--timeout", "60s", "--max-output", "1k", "-e",
              "function spin() { for (var i = 0; i < 3e6; i++); }\nspin();\n"
              "for (;;) console.log('x'.repeat(100));")
    assert res.code == 6 and "output limit exceeded" in res.err, res
    assert "spin (<eval>:1)" in res.err, res


def test_off_prints_nothing_and_bad_value_is_usage():
    expect(run("-e", "1"), code=0, out="1\n", err="")
    expect(run("--prof=xml", "-e", "1"), code=2,
           err="jsbox: usage: --prof takes no value or =json, not 'xml' (see jsbox --help)\n")


def test_hostile_names_are_quoted():
    src = ('var f = function () { for (var i = 0; i < 3e6; i++); };\n'
           'Object.defineProperty(f, "name", {value: "a\\"b\\\\c\\n"});\nf();\n')
    path, prof, _ = profile(src)
    assert any(f["name"] == 'a"b\\c\n' for f in prof["functions"]), prof


def test_getter_on_name_is_not_run():
    # The sampler reads only own data properties: a getter never runs.
    src = ('var f = function () { for (var i = 0; i < 3e6; i++); };\n'
           'Object.defineProperty(f, "name", {get: function () { console.log("ran"); return "g"; }});\n'
           'f();\n')
    path, prof, res = profile(src)
    assert "ran" not in res.out, res
