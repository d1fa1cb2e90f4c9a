#!/usr/bin/env python3
"""Writes regenerator-runtime's runtime.js with jsbox's edits
(patches/regenerator-runtime/) for the script heap
(engine/confined/modern/modern.c installs it for generator and async code):
- generator objects inherit from %IteratorPrototype% (the polyfills'
  Iterator.prototype when they are there, so the iterator helpers work on
  generators), which alone has the Symbol.iterator method;
- calling a generator or async function with `new` is a TypeError;
- `yield*` of a value that is neither iterable nor array-like is a
  TypeError instead of yielding nothing.

usage: regen_runtime.py OUT NODE_MODULES_DIR DEPFILE"""
import sys

from bundle_text import depfile, patched


def main():
    out, top, deps = sys.argv[1:4]
    text = patched(top, "regenerator-runtime", "regen_runtime")["runtime.js"]
    with open(out, "w", encoding="utf-8") as f:
        f.write(text)
    depfile(deps, out, ["regenerator-runtime"])


main()
