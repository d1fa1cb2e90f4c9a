"""Text helpers the build-time bundlers share (modern_bundle.py,
regen_bundle.py, regexpu_bundle.py, regen_runtime.py): reading a source,
and an npm package's files with jsbox's patches (patches/<package>/)
applied, which stops the build with one line when the installed version is
not the one the patches are for, or a patch no longer applies exactly."""
import os
import sys

from apply_patches import PatchError, apply_series, npm_version, write_depfile

PATCHES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "patches")


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def patch_dir(package):
    return os.path.normpath(os.path.join(PATCHES, package))


def patched(modules_dir, package, what):
    """{file in the package: text} for the files its patches change."""
    src = os.path.join(modules_dir, package)
    try:
        return apply_series(patch_dir(package), package, npm_version(src), src)
    except PatchError as e:
        sys.exit("%s: %s" % (what, e))


def depfile(path, target, packages):
    write_depfile(path, target, [patch_dir(p) for p in packages])
