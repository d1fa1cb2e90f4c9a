"""Shell completions for bash, zsh and fish, generated from the option
table behind --help (jsbox --completions SHELL, run by the build): every
flag is in each, and each shell really completes with them."""
import os
import re
import subprocess
import tempfile
import time

from jsbox_test import JSBOX, expect, need_tool, run, serial
from terminal import Tmux

SHELLS = {"bash": "jsbox", "zsh": "_jsbox", "fish": "jsbox.fish"}


def help_flags():
    out = run("--help").out
    return sorted(set(re.findall(r"(?m)^\s+(?:-\w, )?(--[a-z][a-z-]*)", out))), \
        sorted(set(re.findall(r"(?m)^\s+(-\w), --", out)))


def script(shell):
    res = run("--completions", shell)
    expect(res, code=0, err="")
    return res.out


def test_every_help_flag_in_every_shell():
    longs, shorts = help_flags()
    assert len(longs) >= 25 and "--prof" in longs and "--progress" in longs, longs
    for shell in SHELLS:
        text = script(shell)
        if shell == "fish":
            missing = [f for f in longs if "-l %s " % f[2:] not in text + " "]
            missing += [s for s in shorts if "-s %s " % s[1:] not in text + " "]
        else:
            missing = [f for f in longs + shorts if f not in text]
        assert not missing, (shell, missing)
        body = "\n".join(l for l in text.splitlines() if not l.startswith("#"))
        assert "--completions" not in body, shell  # the hidden flag is not offered


def test_built_scripts_are_the_generated_ones():
    build = os.environ.get("JSBOX_BUILD")
    for shell, name in SHELLS.items():
        path = os.path.join(build, "completions", name)
        with open(path) as f:
            assert f.read() == script(shell), path


def test_unknown_shell():
    expect(run("--completions", "tcsh"), code=2,
           err="jsbox: usage: --completions: 'tcsh' is not bash, zsh or fish (see jsbox --help)\n")


def bash_complete(text, *words):
    with tempfile.NamedTemporaryFile("w", suffix=".bash", delete=False) as f:
        f.write(text)
    try:
        body = ('source %s; complete -p jsbox; COMP_WORDS=(%s); COMP_CWORD=$((${#COMP_WORDS[@]}-1)); '
                '_jsbox; printf "%%s\\n" "${COMPREPLY[@]}"' % (f.name, " ".join("'%s'" % w for w in words)))
        out = subprocess.run(["bash", "-c", body], capture_output=True, text=True, timeout=30)
    finally:
        os.unlink(f.name)
    assert out.returncode == 0, out
    lines = out.stdout.splitlines()
    assert lines[0] == "complete -F _jsbox jsbox", out
    return sorted(l for l in lines[1:] if l)


def test_bash_completes():
    text = script("bash")
    assert bash_complete(text, "jsbox", "--pro") == ["--prof", "--prof=json", "--profile", "--progress"]
    assert bash_complete(text, "jsbox", "--profile", "") == ["moderate", "permissive", "strict"]
    assert bash_complete(text, "jsbox", "") == ["check", "policy", "repl", "run", "serve", "transpile"]
    assert bash_complete(text, "jsbox", "--timeout", "2s", "-c", "ch") == ["check"]
    assert bash_complete(text, "jsbox", "--arg", "a", "b", "pol") == ["policy"]
    assert bash_complete(text, "jsbox", "policy", "") == ["list", "show"]
    assert bash_complete(text, "jsbox", "--on-error", "s") == ["skip", "stop"]
    here = os.path.dirname(os.path.abspath(__file__))
    got = bash_complete(text, "jsbox", "run", os.path.join(here, "test_compl"))
    assert got == [os.path.join(here, "test_completions.py")], got


def test_fish_completes():
    fish = need_tool("fish")
    with tempfile.NamedTemporaryFile("w", suffix=".fish", delete=False) as f:
        f.write(script("fish"))

    def complete(line):
        out = subprocess.run([fish, "--no-config", "-c", "source %s; complete -C %s" % (f.name, "'%s'" % line)],
                             capture_output=True, text=True, timeout=30)
        assert out.returncode == 0, out
        return sorted(l.split("\t")[0] for l in out.stdout.splitlines())
    try:
        assert {"--prof", "--profile", "--progress"} <= set(complete("jsbox --pro")), complete("jsbox --pro")
        assert complete("jsbox --profile ") == ["moderate", "permissive", "strict"]
        assert complete("jsbox ") == ["check", "policy", "repl", "run", "serve", "transpile"]
        assert complete("jsbox policy ") == ["list", "show"]
    finally:
        os.unlink(f.name)


@serial
def test_zsh_completes():
    need_tool("zsh")
    d = tempfile.mkdtemp(prefix="jsbox-zsh-")
    with open(os.path.join(d, "_jsbox"), "w") as f:
        f.write(script("zsh"))
    try:
        with Tmux(width=120) as t:
            t.start("zsh -f -i")
            t.keys("PS1='ready> '; fpath=(%s $fpath); autoload -U compinit; compinit -u -D; "
                   "PATH=%s:$PATH; echo compinit-done" % (d, os.path.dirname(JSBOX)), "Enter")
            wait_for(t, "compinit-done\n")
            t.keys("jsbox --profile ", "Tab")
            screen = wait_for(t, "permissive")
            assert "strict" in screen and "moderate" in screen, screen
            t.keys("C-u", "jsbox --prog", "Tab")
            screen = wait_for(t, "jsbox --progress")
    finally:
        os.unlink(os.path.join(d, "_jsbox"))
        os.rmdir(d)


def wait_for(t, text, seconds=15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        screen = t.screen()
        if text in screen:
            return screen
        time.sleep(0.05)
    raise AssertionError("%r not on the screen:\n%s" % (text, t.screen()))
