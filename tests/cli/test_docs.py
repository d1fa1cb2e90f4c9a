"""--help, man/jsbox.1 and README.md tell the same story: every flag, every
exit code, every kind of error message."""
import os
import re

from jsbox_test import SOURCE, run

MAN = open(os.path.join(SOURCE, "man", "jsbox.1"), encoding="utf-8").read()
README = open(os.path.join(SOURCE, "README.md"), encoding="utf-8").read()


def man_text():
    # Undo roff escapes for plain searching: \- is a hyphen, \fB/\fR fonts.
    return re.sub(r"\\f[BIRP]", "", MAN.replace("\\-", "-"))


def help_flags():
    out = run("--help").out
    return sorted(set(re.findall(r"(?m)^\s+(?:-\w, )?(--[a-z][a-z-]*)", out)))


def help_exit_codes():
    out = run("--help").out
    section = out.split("Exit codes:", 1)[1]
    return {int(c): m.strip() for c, m in re.findall(r"(?m)^\s+(\d+)\s+(.*)$", section)}


def test_help_lists_flags():
    flags = help_flags()
    assert "--input" in flags and "--timeout" in flags and len(flags) >= 15, flags


def test_every_flag_in_man_page():
    text = man_text()
    missing = [f for f in help_flags() if f not in text]
    assert not missing, "flags missing from man/jsbox.1: %s" % missing


def test_every_flag_in_readme():
    missing = [f for f in help_flags() if f not in README]
    assert not missing, "flags missing from README.md: %s" % missing


def test_exit_codes_agree():
    codes = help_exit_codes()
    assert sorted(codes) == [0, 1, 2, 3, 4, 5, 6, 70, 130], codes
    man_section = man_text().split(".SH EXIT STATUS", 1)[1].split(".SH", 1)[0]
    man_codes = {int(c) for c in re.findall(r"(?m)^(\d+)\t", man_section)}
    readme_codes = {int(c) for c in re.findall(r"(?m)^\| (\d+) \|", README)}
    assert man_codes == set(codes), (man_codes, codes)
    assert readme_codes == set(codes), (readme_codes, codes)
    for code, meaning in codes.items():
        first_words = " ".join(meaning.split()[:3])
        assert first_words in " ".join(man_section.split()), (code, meaning)
        assert first_words in README, (code, meaning)


def error_kinds():
    """Every kind passed to jsb_error/jsb_out_error in the sources."""
    kinds = set()
    for top in ("cli", "engine", "policy", "common"):
        for dirpath, _, files in os.walk(os.path.join(SOURCE, top)):
            for name in files:
                if name.endswith(".c"):
                    text = open(os.path.join(dirpath, name), encoding="utf-8").read()
                    kinds.update(re.findall(r'jsb_(?:out_)?error\((?:[^,()"]*(?:\([^)]*\))?, )?"([a-z][a-z ]+)"', text))
    return kinds


def test_every_error_kind_documented():
    kinds = error_kinds()
    assert {"usage", "time limit exceeded", "memory limit exceeded"} <= kinds, kinds
    diag = man_text().split(".SH DIAGNOSTICS", 1)[1].split(".SH EXIT STATUS", 1)[0]
    missing = [k for k in sorted(kinds) if ("jsbox: " + k) not in diag and ('"jsbox: " kind') not in k
               and k + ":" not in diag]
    assert not missing, "error kinds missing from the man page DIAGNOSTICS: %s" % missing


def test_readme_opens_with_two_commands():
    blocks = re.findall(r"(?ms)^```sh\n(.*?)^```$", README)
    assert len(blocks) >= 2
    assert "apt-get install" in blocks[0] and "jsbox -e '2+3*4'" in blocks[0]
    assert blocks[1].strip() == "tests/run build"


# Stricter checks: flags in the OPTIONS section itself (short forms too), exit
# meanings word for word, every section present.
def section(text, title):
    """The body of the man section called title (up to the next .SH)."""
    m = re.search(r"^\.SH " + re.escape(title) + r"\n(.*?)(?=^\.SH |\Z)", text, re.S | re.M)
    assert m, "man page has no section %r" % title
    return m.group(1)


def help_flag_names():
    """Long and short flags listed in --help's Options."""
    res = run("--help")
    assert res.code == 0, res
    options = res.out.split("Options:", 1)[1].split("Exit codes:", 1)[0]
    longs = re.findall(r"^\s+(?:-\w, )?--([a-z][a-z-]*)", options, re.M)
    shorts = re.findall(r"^\s+-(\w), --([a-z][a-z-]*)", options, re.M)
    assert len(longs) >= 15, options
    return longs, shorts


def normalise(meaning):
    return " ".join(meaning.split()).rstrip(".")


def help_exit_table():
    text = run("--help").out.split("Exit codes:", 1)[1].split("\n\n", 1)[0]
    codes = {}
    last = None
    for line in text.splitlines():
        m = re.match(r"^\s+(\d+)\s+(.*)$", line)
        if m:
            last = m.group(1)
            codes[last] = m.group(2)
        elif line.strip() and last:
            codes[last] += " " + line.strip()
    return {k: normalise(v) for k, v in codes.items()}


def man_exit_codes():
    table = section(man_text(), "EXIT STATUS")
    body = table.split(".TS", 1)[1].split(".TE", 1)[0]
    body = body.split("\n", 2)[2]  # drop the format line
    body = re.sub(r"T\{\n(.*?)\nT\}", lambda m: m.group(1).replace("\n", " "), body, flags=re.S)
    codes = {}
    for line in body.splitlines():
        code, _, meaning = line.partition("\t")
        codes[code.strip()] = normalise(meaning)
    return codes


def readme_exit_codes():
    text = README.split("## Exit codes", 1)[1]
    return {m.group(1): normalise(m.group(2))
            for m in re.finditer(r"^\|\s*(\d+)\s*\|\s*(.*?)\s*\|\s*$", text, re.M)}


def test_every_help_flag_in_man_options():
    text = man_text()
    options = section(text, "OPTIONS")
    longs, shorts = help_flag_names()
    missing = [f for f in longs if "--" + f not in options]
    assert not missing, "flags missing from the man page's OPTIONS: %r" % missing
    missing = [s for s, name in shorts if '.BR -%s ", " --%s' % (s, name) not in options]
    assert not missing, "short flags missing from the man page's OPTIONS: %r" % missing


def test_exit_code_meanings_agree_word_for_word():
    helped, manned, readme = help_exit_table(), man_exit_codes(), readme_exit_codes()
    assert sorted(helped, key=int) == ["0", "1", "2", "3", "4", "5", "6", "70", "130"], helped
    assert manned == helped, "man page %r != --help %r" % (manned, helped)
    assert readme == helped, "README %r != --help %r" % (readme, helped)


def test_man_page_has_every_section():
    text = man_text()
    for title in ("NAME", "SYNOPSIS", "DESCRIPTION", "MODES", "RESULT", "OPTIONS", "LIMITS",
                  "NUMBERS", "DIAGNOSTICS", "EXIT STATUS", "PROFILES AND POLICY FILES", "JAIL",
                  "STREAMS", "REPL", "MODERN JAVASCRIPT", "ENVIRONMENT", "EXAMPLES"):
        assert section(text, title).strip(), title
    assert "NO_COLOR" in section(text, "ENVIRONMENT")




def test_readme_option_table_lists_every_flag():
    table = README.split("## Options", 1)[1].split("\n## ", 1)[0]
    rows = [l for l in table.splitlines() if l.startswith("| `")]
    missing = [f for f in help_flags() if not any("`%s" % f in r for r in rows)]
    assert not missing, "flags missing from README.md's option table: %s" % missing
    out = run("--help").out
    for short, long in re.findall(r"(?m)^\s+(-\w), (--[a-z-]+)", out):
        assert any("`%s`, `%s" % (short, long) in r for r in rows), (short, long)


def test_input_rule_stated_wherever_input_is_described():
    rule = "else the JSON on stdin when stdin is piped or redirected"
    assert rule in " ".join(README.split()), "README.md lacks the input rule"
    assert rule in " ".join(man_text().split()), "man/jsbox.1 lacks the input rule"
    assert "stdin when it is piped" in run("--help").out
