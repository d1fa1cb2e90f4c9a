#!/usr/bin/env python3
"""Assemble Duktape's amalgamated source in the build tree with jsbox's configuration.

Reads duktape.c, duktape.h and duk_config.h from the Duktape source directory
and writes them to the output directory: duktape.c with jsbox's patches
(patches/duktape/, for the Duktape version recorded there; any other
version stops the build), duk_config.h with jsbox's feature options set.
The stock duk_config.h #undef's the options jsbox needs and duktape.h
includes duk_config.h from its own directory, so the three files must sit
together in the build tree.  Nothing of Duktape is kept in the repository.
"""
import re
import sys
from pathlib import Path

from apply_patches import PatchError, apply_series, duktape_version, write_depfile

PATCHES = Path(__file__).resolve().parent.parent / "patches" / "duktape"

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
    # Math.random: seeded from the kernel, outside the heap (engine/confined/random.c).
    "DUK_USE_GET_RANDOM_DOUBLE(udata)": "jsb_random_double(udata)",
    # Speed: integer fast path and JSON.stringify fast path (measured in bench/).
    "DUK_USE_FASTINT": None,
    "DUK_USE_JSON_STRINGIFY_FASTPATH": None,
}

# Options turned off.
UNDEFINES = [
    # No debugger transport in a sandbox.
    "DUK_USE_DEBUGGER_SUPPORT",
]

# Prototypes the hooks above and the patches need; duk_config.h is included
# before anything else.
PROTOTYPES = """
/* jsbox hooks named by the options above and by patches/duktape/
 * (engine/confined/limits.c, engine/confined/heap.c, engine/confined/random.c,
 * engine/lib/dtoa.c), and
 * what jsbox's C and the patches share. */
extern int jsb_limits_timeout(void *udata);
extern int jsb_limits_stack_low(void);
extern void jsb_heap_fatal(void *udata, const char *msg);
extern int jsb_dtoa_push(void *thr);
extern double jsb_random_double(void *udata);
#include <stddef.h>
extern size_t jsb_dtoa(double v, char *buf);
extern double jsb_atod(const char *s, size_t len);
#include "engine/confined/duk_patches.h"
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


def configure_source(src):
    """duktape.c with patches/duktape/ applied, once its version is checked."""
    try:
        return apply_series(str(PATCHES), "Duktape", duktape_version(str(src)), str(src))["duktape.c"]
    except PatchError as e:
        sys.exit("duk_configure: %s" % e)


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: duk_configure.py DUKTAPE_SRC_DIR OUT_DIR [DEPFILE]")
    src, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    (out / "duktape.c").write_text(configure_source(src))
    if len(sys.argv) == 4:
        write_depfile(sys.argv[3], str(out / "duktape.c"), [str(PATCHES)])
    (out / "duktape.h").write_bytes((src / "duktape.h").read_bytes())
    config = configure((src / "duk_config.h").read_text())
    (out / "duk_config.h").write_text(config)


if __name__ == "__main__":
    main()
