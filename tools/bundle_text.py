"""Text helpers the build-time bundlers share (modern_bundle.py,
regen_bundle.py): reading a source, and an edit that must apply exactly
once, so that a changed npm package stops the build instead of being
bundled half patched."""
import sys


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def patch(text, old, new, what):
    if text.count(old) != 1:
        sys.exit("%s changed; cannot find %r" % (what, old))
    return text.replace(old, new)
