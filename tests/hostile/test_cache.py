"""The transpile cache is trusted only as far as its owner: a directory or
entry another user could have written, a link or a non-regular file turns
the cache off for the run (one warning), and the script's own source is
what runs and what the policy checks."""
NEEDS_TRANSPILER = True  # what is cached is a translation

import os
import subprocess
import tempfile
import time

from jsbox_test import JSBOX, expect, run

CODE = "const x = 1; x"
PLANTED = "'planted'"


def cached(code=CODE):
    """A fresh cache holding code's entry: (cache root, entry path, entry text)."""
    root = tempfile.mkdtemp(prefix="jsbox-test-cache-")
    expect(run("-c", "-e", code, env={"XDG_CACHE_HOME": root}), code=0, out="1\n", err="")
    d = os.path.join(root, "jsbox")
    names = os.listdir(d)
    assert len(names) == 1, names
    path = os.path.join(d, names[0])
    with open(path) as f:
        return root, path, f.read()


def plant(path, text):
    """Replaces the translation in an entry (the header and source stay)."""
    head = text[:text.index(CODE) + len(CODE)]
    with open(path, "w") as f:
        f.write(head + PLANTED)
    os.chmod(path, 0o600)


def refused(root, why):
    res = run("-c", "-e", CODE, env={"XDG_CACHE_HOME": root})
    expect(res, code=0, out="1\n")
    lines = res.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("jsbox: warning: cache ") and why in lines[0] \
        and lines[0].endswith(": running without the cache"), res
    return res


def test_own_private_entry_is_used():
    # The control: the same planting in a private cache is a hit.
    root, path, text = cached()
    plant(path, text)
    expect(run("-c", "-e", CODE, env={"XDG_CACHE_HOME": root}), code=0, out='"planted"\n', err="")


def test_directory_writable_by_others_is_not_used():
    root, path, text = cached()
    plant(path, text)
    os.chmod(os.path.dirname(path), 0o777)
    refused(root, "is writable by group or others")


def test_directory_writable_by_group_is_not_used():
    root, path, text = cached()
    plant(path, text)
    os.chmod(os.path.dirname(path), 0o770)
    refused(root, "is writable by group or others")


def test_entry_writable_by_others_is_not_used():
    root, path, text = cached()
    plant(path, text)
    os.chmod(path, 0o666)
    res = refused(root, "is writable by group or others")
    # Refused for the whole run: nothing is stored over it either.
    with open(path) as f:
        assert f.read().endswith(PLANTED)


def test_foreign_entry_and_directory_are_not_used():
    if os.geteuid() != 0:
        return  # giving a file to another user needs root
    root, path, text = cached()
    plant(path, text)
    os.chown(path, 65534, 65534)
    refused(root, "is owned by another user")
    os.chown(path, 0, 0)
    os.chown(os.path.dirname(path), 65534, 65534)
    refused(root, "is owned by another user")


def test_symlinked_directory_is_not_followed():
    root, path, text = cached()
    plant(path, text)
    elsewhere = tempfile.mkdtemp(prefix="jsbox-test-cache-")
    os.rename(os.path.dirname(path), os.path.join(elsewhere, "jsbox"))
    os.symlink(os.path.join(elsewhere, "jsbox"), os.path.join(root, "jsbox"))
    refused(root, "is a symbolic link")


def test_symlinked_entry_is_not_followed():
    root, path, text = cached()
    target = path + ".real"
    os.rename(path, target)
    plant(target, text)
    os.symlink(target, path)
    refused(root, "is a symbolic link")


def test_fifo_entry_does_not_hang():
    # Opening a FIFO for reading waits for a writer unless it is opened
    # without blocking; the deadline is not armed yet at that point.
    root, path, _ = cached()
    os.unlink(path)
    os.mkfifo(path, 0o600)
    proc = subprocess.Popen([JSBOX, "-c", "-e", CODE], env=dict(os.environ, XDG_CACHE_HOME=root),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise AssertionError("jsbox hung on a FIFO in the cache")
    assert proc.returncode == 0 and out == b"1\n", (proc.returncode, out, err)
    assert err == b"jsbox: warning: cache entry is not a regular file: running without the cache\n", err


def test_directory_entry_is_not_used():
    root, path, _ = cached()
    os.unlink(path)
    os.mkdir(path, 0o700)
    refused(root, "is not a regular file")


def test_source_checks_apply_to_a_cached_source():
    # A hit does not skip the checks of the source: they are made first.
    root, path, text = cached()
    pol = tempfile.mkdtemp(prefix="jsbox-test-pol-")
    policy = os.path.join(pol, "p.json")
    with open(policy, "w") as f:
        f.write('{"extends": "moderate", "deny_patterns": ["const x"], "limits": {"max_lines": 5}}')
    res = run("-c", "--policy", policy, "-e", CODE, env={"XDG_CACHE_HOME": root})
    expect(res, code=5, err="jsbox: blocked by policy: <eval>: source matches deny pattern /const x/ of "
           "policy p.json\n")
