#!/usr/bin/env python3
"""Writes regenerator-runtime's runtime.js with jsbox's edits, for the
script heap (engine/confined/modern/modern.c installs it for generator and async
code):
- generator objects inherit from %IteratorPrototype% (the polyfills'
  Iterator.prototype when they are there, so the iterator helpers work on
  generators), which alone has the Symbol.iterator method;
- calling a generator or async function with `new` is a TypeError;
- `yield*` of a value that is neither iterable nor array-like is a
  TypeError instead of yielding nothing.

usage: regen_runtime.py OUT NODE_MODULES_DIR"""
import sys

from bundle_text import patch, read

PATCHES = [
    ("  Gp[iteratorSymbol] = function() {\n    return this;\n  };\n",
     "  var IteratorPrototype = typeof Iterator === 'function' && Object(Iterator.prototype) === Iterator.prototype\n"
     "    ? Iterator.prototype : {};\n"
     "  if (!hasOwn.call(IteratorPrototype, iteratorSymbol)) {\n"
     "    Object.defineProperty(IteratorPrototype, iteratorSymbol, {\n"
     "      value: function() { return this; }, writable: true, configurable: true\n"
     "    });\n"
     "  }\n"
     "  Object.setPrototypeOf(Gp, IteratorPrototype);\n"),
    ("  function wrap(innerFn, outerFn, self, tryLocsList) {\n",
     "  function wrap(innerFn, outerFn, self, tryLocsList) {\n"
     "    // `new f()` made self from f.prototype, as a generator object is,\n"
     "    // but without the generator's own _invoke.\n"
     "    if (outerFn && self instanceof outerFn && !hasOwn.call(self, '_invoke')) {\n"
     "      throw new TypeError((outerFn.name || 'anonymous') + ' is not a constructor');\n"
     "    }\n"),
    ("    // Return an iterator with no values.\n    return { next: doneResult };\n",
     "    throw new TypeError(String(iterable) + ' is not iterable');\n"),
]


def main():
    out, top = sys.argv[1:3]
    text = read(top + "/regenerator-runtime/runtime.js")
    for old, new in PATCHES:
        text = patch(text, old, new, "regen_runtime: regenerator-runtime")
    with open(out, "w", encoding="utf-8") as f:
        f.write(text)


main()
