#!/usr/bin/env python3
"""Assemble Duktape's amalgamated source in the build tree with jsbox's configuration.

Reads duktape.c, duktape.h and duk_config.h from the Duktape source directory
and writes them to the output directory, with jsbox's feature options set in
duk_config.h.  The stock duk_config.h #undef's the options jsbox needs and
duktape.h includes duk_config.h from its own directory, so the three files must
sit together in the build tree.  Nothing of Duktape is kept in the repository.
"""
import re
import sys
from pathlib import Path

# Options turned on or given a value.  A value of None means a plain #define.
DEFINES = {
    # The deadline: the executor calls the hook every DUK_HTHREAD_INTCTR_DEFAULT
    # bytecodes; jsb_limits_timeout() reads a monotonic clock and the stop flag.
    "DUK_USE_INTERRUPT_COUNTER": None,
    "DUK_USE_EXEC_TIMEOUT_CHECK(udata)": "jsb_limits_timeout(udata)",
    # The default fatal handler is never used (jsbox passes its own to
    # duk_create_heap), but one wired to jsbox's keeps every path covered.
    "DUK_USE_FATAL_HANDLER(udata,msg)": "jsb_heap_fatal((udata), (msg))",
    # C stack guard for the paths Duktape's recursion limits do not cover.
    "DUK_USE_NATIVE_STACK_CHECK()": "jsb_limits_stack_low()",
    # Speed: integer fast path and JSON.stringify fast path (measured in bench/).
    "DUK_USE_FASTINT": None,
    "DUK_USE_JSON_STRINGIFY_FASTPATH": None,
}

# Options turned off.
UNDEFINES = [
    # No debugger transport in a sandbox.
    "DUK_USE_DEBUGGER_SUPPORT",
]

# Prototypes the hooks above need; duk_config.h is included before anything else.
PROTOTYPES = """
/* jsbox hooks named by the options above and by configure_source()
 * (engine/limits.c, engine/heap.c, engine/dtoa.c). */
extern int jsb_limits_timeout(void *udata);
extern int jsb_limits_stack_low(void);
extern void jsb_heap_fatal(void *udata, const char *msg);
extern int jsb_dtoa_push(void *thr);
#include <stddef.h>
extern size_t jsb_dtoa(double v, char *buf);
"""


def configure(text):
    for name, value in DEFINES.items():
        base = name.split("(")[0]
        pattern = re.compile(r"^#(define|undef) " + re.escape(base) + r"\b.*$", re.M)
        line = "#define %s %s" % (name, value) if value else "#define " + name
        text, count = pattern.subn(line.replace("\\", "\\\\"), text)
        if count == 0:
            sys.exit("duk_configure: %s not found in duk_config.h" % base)
    for name in UNDEFINES:
        text = re.sub(r"^#define " + re.escape(name) + r"\b.*$", "#undef " + name, text, flags=re.M)
    guard = "#define DUK_CONFIG_H_INCLUDED"
    if guard not in text:
        sys.exit("duk_configure: %s not found in duk_config.h" % guard)
    return text.replace(guard, guard + "\n" + PROTOTYPES, 1)


# The edits to duktape.c itself.  First: the exec-timeout hook runs every
# DUK_HTHREAD_INTCTR_DEFAULT bytecodes, and Duktape's 256k bytecodes take
# several milliseconds, which is how far a plain loop could run past the
# deadline.  16k bytecodes is well under a millisecond; the hook is a
# clock_gettime from the vDSO, so the extra checks cost little (bench/).
INTCTR_DEFINE = "#define DUK_HTHREAD_INTCTR_DEFAULT (256L * 1024L)"
INTCTR = "#define DUK_HTHREAD_INTCTR_DEFAULT (16L * 1024L)"


# Numbers to text: Duktape's shortest-digits conversion is a bignum
# Dragon4, about a sixth of the time of a pipeline writing fractional
# numbers.  Its plain ToString case (radix 10, shortest, no flags) goes to
# engine/dtoa.c, which gives the same digits (tests/unit/test_dtoa.c).
NUMCONV = ("DUK_INTERNAL void duk_numconv_stringify(duk_hthread *thr, duk_small_int_t radix, "
           "duk_small_int_t digits, duk_small_uint_t flags) {\n")
NUMCONV_HOOK = NUMCONV + ("\tif (radix == 10 && digits == 0 && flags == 0 && "
                          "jsb_dtoa_push((void *) thr)) return;\n")


# An error thrown where nothing catches it (an allocation that fails while
# duk_create_heap builds the built-ins, under a tiny --memory-limit) goes
# to the fatal handler, but first Duktape formats it, which allocates,
# fails and throws again: a recursion that ends in SIGSEGV.  The fatal
# handler says what happened (it knows when the budget ran out); the
# message is not needed.
UNCAUGHT = ("\tsummary = duk_push_string_tval_readable_error(thr, &thr->heap->lj.value1);\n"
            "\tDUK_ASSERT(summary != NULL);\n"
            "\tDUK_SNPRINTF(buf, sizeof(buf), \"uncaught: %s\", summary);\n")
UNCAUGHT_PLAIN = ("\tsummary = \"error\";\n"
                  "\tDUK_UNREF(duk_push_string_tval_readable_error);\n"
                  "\tDUK_SNPRINTF(buf, sizeof(buf), \"uncaught: %s\", summary);\n")


# JSON.stringify writes a number's digits straight into its output, not
# through an interned string of them made and freed for each number.
# (The number stays on the stack, where the callers pop what is there.)
JSON_DOUBLE = ("\t\t\tduk_numconv_stringify(thr, 10 /*radix*/, 0 /*digits*/, n2s_flags);\n"
               "\t\t}\n")
JSON_DOUBLE_DIRECT = ("\t\t\tchar jsb_digits[32];\n"
                      "\t\t\tDUK_UNREF(n2s_flags);\n"
                      "\t\t\tjsb_digits[jsb_dtoa(d, jsb_digits)] = 0;\n"
                      "\t\t\tDUK__EMIT_CSTR(js_ctx, jsb_digits);\n"
                      "\t\t\treturn;\n"
                      "\t\t}\n")


# toUpperCase()/toLowerCase() of an ASCII string (most keys, codes and
# names in JSON data) by a byte loop: Duktape decodes, maps through its
# Unicode tables and re-encodes every character.  No character outside
# ASCII maps into it or out of it except through non-ASCII input.
CASECONV = ("\th_input = duk_require_hstring(thr, -1); /* Accept symbols. */\n"
            "\tDUK_ASSERT(h_input != NULL);\n")
CASECONV_ASCII = CASECONV + """\tif (!DUK_HSTRING_HAS_SYMBOL(h_input) && duk_hstring_get_charlen(h_input) == DUK_HSTRING_GET_BYTELEN(h_input)) {
		duk_size_t jsb_n = DUK_HSTRING_GET_BYTELEN(h_input), jsb_i;
		const duk_uint8_t *jsb_s = (const duk_uint8_t *) DUK_HSTRING_GET_DATA(h_input);
		duk_uint8_t *jsb_q = (duk_uint8_t *) duk_push_fixed_buffer_nozero(thr, jsb_n);
		for (jsb_i = 0; jsb_i < jsb_n; jsb_i++) {
			duk_uint8_t jsb_c = jsb_s[jsb_i];
			if (uppercase ? (jsb_c >= 'a' && jsb_c <= 'z') : (jsb_c >= 'A' && jsb_c <= 'Z'))
				jsb_c ^= 0x20;
			jsb_q[jsb_i] = jsb_c;
		}
		(void) duk_buffer_to_string(thr, -1);
		duk_remove_m2(thr);
		return;
	}
"""


def configure_source(text):
    for old, new in ((INTCTR_DEFINE, INTCTR), (NUMCONV, NUMCONV_HOOK), (UNCAUGHT, UNCAUGHT_PLAIN),
                     (JSON_DOUBLE, JSON_DOUBLE_DIRECT), (CASECONV, CASECONV_ASCII)):
        if text.count(old) != 1:
            sys.exit("duk_configure: %r not found once in duktape.c" % old)
        text = text.replace(old, new, 1)
    return text


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: duk_configure.py DUKTAPE_SRC_DIR OUT_DIR")
    src, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    (out / "duktape.c").write_text(configure_source((src / "duktape.c").read_text()))
    (out / "duktape.h").write_bytes((src / "duktape.h").read_bytes())
    config = configure((src / "duk_config.h").read_text())
    (out / "duk_config.h").write_text(config)


if __name__ == "__main__":
    main()
