"""Array.prototype.splice's missing arguments, in the engine for every
script (ES2015): no start removes nothing; a start alone removes to the
end; an undefined delete count removes nothing.  Expected values are
node's."""
NEEDS_TRANSPILER = True

from jsbox_test import run, expect


def test_splice_without_arguments_removes_nothing():
    res = run("-c", "-e", "var a = [1, 2], r = a.splice(), b = [1, 2, 3], r2 = b.splice(1), "
              "c = [1, 2, 3], r3 = c.splice(0, undefined), d = [1, 2, 3], r4 = d.splice(-1); [a, r, b, r2, c, r3, d, r4]")
    expect(res, code=0, out="[[1,2],[],[1],[2,3],[1,2,3],[],[1,2],[3]]\n", err="")


def test_splice_on_an_array_like():
    res = run("-c", "-e", "var o = {length: 2, 0: 'a', 1: 'b'}; var r = Array.prototype.splice.call(o); "
              "Array.prototype.splice.call(o, 0, 0, 'z'); [r, o.length, o[0], o[2]]")
    expect(res, code=0, out='[[],3,"z","b"]\n', err="")
