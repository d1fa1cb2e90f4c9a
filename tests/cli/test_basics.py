"""The seed examples and the result rules."""
from jsbox_test import run, expect, tmpfile


def test_seed_expression():
    expect(run("-e", "2+3*4"), code=0, out="14\n", err="")


def test_top_level_return():
    expect(run("-e", "var numbers = [1, 2, 3]; return numbers.reduce(function (a, b) { return a + b; }, 0)"),
           code=0, out="6\n")


def test_output_wins_over_completion():
    expect(run("-e", "output = {a: 1}; 42"), code=0, out='{"a":1}\n')


def test_file_with_input():
    script = tmpfile("function transform(d) { return d.items.length; }\noutput = transform(input);\n")
    data = tmpfile('{"items": [1, 2, 3]}', suffix=".json")
    expect(run("run", script, "--input", data), code=0, out="3\n")


def test_undefined_prints_nothing():
    expect(run("-e", "undefined"), code=0, out="")
