/* deny_patterns' matcher against glibc's regexec (REG_EXTENDED, C locale)
 * on a table of cases and on random patterns and texts over a small
 * alphabet, so that every construct meets every other; then the errors it
 * must give and the patterns that made glibc's backtracking take minutes. */
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "policy/pattern.h"

static uint64_t rng_state = 0x853c49e6748fea9bull;

static unsigned next(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
}

/* 1 match, 0 none, -1 our compile failed. */
static int ours(const char *pat, const char *text)
{
	char err[160];
	struct jsb_pattern *re = jsb_pattern_compile(pat, err, sizeof err);
	if (!re)
		return -1;
	int r = jsb_pattern_search(re, text, strlen(text), 0) == JSB_SEARCH_YES;
	jsb_pattern_free(re);
	return r;
}

static int glibc(const char *pat, const char *text)
{
	regex_t re;
	if (regcomp(&re, pat, REG_EXTENDED | REG_NOSUB) != 0)
		return -1;
	int r = regexec(&re, text, 0, NULL, 0) == 0;
	regfree(&re);
	return r;
}

static const char *const table[][2] = {
    {"process.*env", "x = process.env"},
    {"process.*env", "process only"},
    {"\\bdebugger\\b", "debugger;"},
    {"\\bdebugger\\b", "nodebugger"},
    {"while *\\(true\\)", "while (true)"},
    {"^abc", "abc"},
    {"^abc", "xabc"},
    {"abc$", "xabc"},
    {"abc$", "abcx"},
    {"a|b", "c"},
    {"a|b", "cb"},
    {"(ab)+c", "ababc"},
    {"(ab)+c", "ac"},
    {"a{2,3}", "xaay"},
    {"a{2,3}b", "ab"},
    {"a{2}", "aa"},
    {"a{2,}", "a"},
    {"[[:digit:]]+", "x9"},
    {"[^a-z]", "abc"},
    {"[^a-z]", "abC"},
    {"[]a]", "]"},
    {"[a-]", "-"},
    {"\\<foo\\>", "a foo b"},
    {"\\<foo\\>", "afoo"},
    {"\\Bfoo", "afoo"},
    {"\\w+\\s\\W", "ab ;"},
    {"x.y", "x\ny"},
    {"()", ""},
    {"a||b", "c"},
    {"(a|)b", "b"},
    {"[.].", ".x"},
    {"a\\.b", "axb"},
    {"a\\.b", "a.b"},
    {"\\(", "("},
    {"a**", "b"},
    {"(a*)*b", "aaab"},
    {"(a|aa)*c", "aaaa"},
    {"^$", ""},
    {"$a", "a"},
    {"a^", "a"},
    {"[[:alpha:][:digit:]]", "_"},
    {"[[:punct:]]", "_"},
    {"\\`a", "a"},
    {"a\\'", "a"},
    {"\xc3\xa9", "caf\xc3\xa9"},
    {".", ""},
    {"x{0}", ""},
    {"(x{0,1}){3}y", "xxy"},
};

static void check_table(void)
{
	int bad = 0;
	for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
		int a = ours(table[i][0], table[i][1]), b = glibc(table[i][0], table[i][1]);
		if (a != b && bad++ < 10)
			printf("# /%s/ on \"%s\": %d, glibc %d\n", table[i][0], table[i][1], a, b);
	}
	CHECK("table of cases agrees with glibc", bad == 0);
}

static const char *const atoms[] = {"a",   "b",   "c",   ".",   "[ab]",  "[^a]", "[[:alpha:]]",
                                    "\\w", "\\W", "\\s", "\\b", "\\B",   "\\<",  "\\>",
                                    "^",   "$",   " ",   "\\.", "[a-c]", "_"};
static const char *const suffixes[] = {"", "", "", "*", "+", "?", "{2}", "{1,3}", "{0,}", "{2,}"};

static void random_pattern(char *out, size_t size, int depth)
{
	size_t n = strlen(out);
	int parts = 1 + (int)next(4);
	for (int i = 0; i < parts && n + 40 < size; i++) {
		if (depth < 2 && next(5) == 0) {
			strcat(out, "(");
			random_pattern(out, size, depth + 1);
			if (next(3) == 0) {
				strcat(out, "|");
				random_pattern(out, size, depth + 1);
			}
			strcat(out, ")");
			/* Repeated groups make glibc's regcomp itself exponential. */
			strcat(out, (const char *[]){"", "", "*", "?"}[next(4)]);
			n = strlen(out);
			continue;
		} else {
			strcat(out, atoms[next(sizeof atoms / sizeof *atoms)]);
		}
		const char *suffix = suffixes[next(sizeof suffixes / sizeof *suffixes)];
		/* glibc takes a repeat of an anchor its own way; skip those pairs. */
		char last = out[strlen(out) - 1];
		if (!(last == '^' || last == '$' || last == '>' || last == '<' ||
		      (last == 'b' && (strlen(out) >= 2 ? out[strlen(out) - 2] : '\0') == '\\') ||
		      (last == 'B' && (strlen(out) >= 2 ? out[strlen(out) - 2] : '\0') == '\\') ||
		      (last == ')' && (strlen(out) >= 2 ? out[strlen(out) - 2] : '\0') == '(')))
			strcat(out, suffix);
		n = strlen(out);
	}
}

static void check_random(int count)
{
	int bad = 0, compared = 0;
	char pat[512], text[32];
	for (int i = 0; i < count; i++) {
		pat[0] = '\0';
		random_pattern(pat, sizeof pat, 0);
		int len = (int)next(12);
		for (int k = 0; k < len; k++)
			text[k] = "abc _."[next(6)]; /* glibc's anchors at newlines are its own */
		text[len] = '\0';
		if (strlen(pat) > 48) /* glibc's regcomp is slow on long ones */
			continue;
		int b = glibc(pat, text);
		if (b < 0)
			continue;
		compared++;
		int a = ours(pat, text);
		if (a != b && bad++ < 10)
			printf("# /%s/ on \"%s\": %d, glibc %d\n", pat, text, a, b);
	}
	printf("# %d random cases compared\n", compared);
	CHECK("random patterns agree with glibc", bad == 0 && compared > count / 2);
}

static void check_errors(void)
{
	char err[160];
	static const char *const invalid[][2] = {
	    {"(", "unmatched ("},
	    {"a)", "unmatched )"},
	    {"[a", "unmatched ["},
	    {"*a", "nothing to repeat"},
	    {"(.*)\\1x", "back-references (\\1) are not supported"},
	    {"a{2,1}", "invalid repeat"},
	    {"a{1001}", "a repeat count over 1000"},
	    {"[[:nope:]]", "unknown character class"},
	    {"a\\", "trailing backslash"},
	    {"z-a", NULL},
	    {"[z-a]", "invalid range"},
	    {"(a{1000}){1000}", "too large"},
	};
	int bad = 0;
	for (size_t i = 0; i < sizeof invalid / sizeof *invalid; i++) {
		struct jsb_pattern *re = jsb_pattern_compile(invalid[i][0], err, sizeof err);
		bool ok = invalid[i][1] ? !re && strstr(err, invalid[i][1]) : re != NULL;
		if (!ok && bad++ < 10)
			printf("# /%s/: %s\n", invalid[i][0], re ? "compiled" : err);
		jsb_pattern_free(re);
	}
	CHECK("invalid patterns are refused with a reason", bad == 0);
}

static double seconds_for(const char *pat, const char *text, size_t len, int *hit)
{
	char err[160];
	struct timespec a, b;
	struct jsb_pattern *re = jsb_pattern_compile(pat, err, sizeof err);
	if (!re)
		return 1e9;
	clock_gettime(CLOCK_MONOTONIC, &a);
	*hit = jsb_pattern_search(re, text, len, 0) == JSB_SEARCH_YES;
	clock_gettime(CLOCK_MONOTONIC, &b);
	jsb_pattern_free(re);
	return (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
}

/* What took glibc 45 s and more: here each is one pass.  The bound is
 * loose (a loaded machine, sanitizers); quadratic time would be minutes. */
static void check_bombs(void)
{
	size_t n = 520 * 1024;
	char *text = malloc(n + 1);
	int hit;
	for (size_t i = 0; i < n; i++)
		text[i] = "// process process "[i % 19];
	text[n] = '\0';
	double t1 = seconds_for("process.*env", text, n, &hit);
	CHECK("process.*env on 520 KB of 'process' is linear", t1 < 5 && !hit);
	memset(text, 'a', n);
	double t2 = seconds_for("(a|aa)*c", text, n, &hit);
	CHECK("(a|aa)*c on 520 KB of 'a' is linear", t2 < 5 && !hit);
	for (size_t i = 0; i < n; i++)
		text[i] = "ab"[next(2)];
	double t3 = seconds_for("a(a|b){14}$", text, n, &hit);
	CHECK("a DFA too large to keep still runs (flushing)", t3 < 30);
	printf("# %.3f s, %.3f s, %.3f s\n", t1, t2, t3);
	free(text);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	check_table();
	check_random(3000);
	check_errors();
	check_bombs();
	CHECK_DONE();
}
