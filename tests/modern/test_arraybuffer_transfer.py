"""ArrayBuffer.prototype.transfer, transferToFixedLength and detached
(ES2024), in the engine for every script (patches/duktape/, with a real
detach: every view of a transferred buffer reads as out of bounds).
Expected values are node 20's."""

from modern_case import check_table, js
from jsbox_test import expect


def test_transfer_moves_the_contents_and_detaches():
    check_table([
        ("var a = new Uint8Array([1, 2, 3]).buffer, b = a.transfer(); "
         "[a.byteLength, b.byteLength, a.detached, b.detached, Array.prototype.slice.call(new Uint8Array(b))]",
         "[0,3,true,false,[1,2,3]]"),
        ("var a = new Uint8Array([1, 2]).buffer, b = a.transferToFixedLength(); [a.byteLength, b.byteLength, a.detached]",
         "[0,2,true]"),
        ("var a = new Uint8Array([1, 2, 3]).buffer; "
         "[Array.prototype.slice.call(new Uint8Array(a.transfer(5))), new Uint8Array(new Uint8Array([4, 5]).buffer.transfer(1))[0]]",
         "[[1,2,3,0,0],4]"),
        ("var z = new ArrayBuffer(0), z2 = z.transfer(); [z.detached, z2.detached, z2.byteLength, "
         "new ArrayBuffer(4).detached, typeof Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'detached').get]",
         '[true,false,0,false,"function"]'),
    ])


def test_views_of_a_detached_buffer_are_out_of_bounds():
    check_table([
        ("var t = new Uint16Array([1, 2, 3]), b = t.buffer.transfer(); t[0] = 7; "
         "[t.length, t.byteLength, t.byteOffset, t[0], t[2], new Uint16Array(b)[0]]", "[0,0,0,null,null,1]"),
        ("var u = new Uint8Array(8), v = new Uint8Array(u.buffer, 2, 4); u.buffer.transfer(); [v.length, v[0]]",
         "[0,null]"),
    ])


def test_what_transfer_rejects():
    for code, name in (("var a = new ArrayBuffer(2); a.transfer(); a.transfer()", "TypeError"),
                       ("new ArrayBuffer(2).transfer(-1)", "RangeError"),
                       ("new ArrayBuffer(2).transfer(Math.pow(2, 40))", "RangeError"),
                       ("ArrayBuffer.prototype.transfer.call(new Uint8Array(2))", "TypeError"),
                       ("ArrayBuffer.prototype.transfer.call({})", "TypeError"),
                       ("var a = new ArrayBuffer(2); a.transfer({ valueOf: function () { a.transfer(); return 1; } })",
                        "TypeError")):
        expect(js("try { %s; 'no' } catch (e) { e.name }" % code), code=0, out='"%s"\n' % name)


def test_a_transfer_larger_than_the_memory_limit_fails_cleanly():
    expect(js("new ArrayBuffer(1024).transfer(64 * 1024 * 1024)", "--memory-limit", "16M"), code=4,
           err_contains="memory limit")
