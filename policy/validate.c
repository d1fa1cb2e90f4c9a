/* Pre-run checks of source text against the policy: size, line count and
 * deny patterns (a coarse extra filter; real denial is by capability). */
#include <inttypes.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/parse.h"
#include "policy/validate.h"

static uint64_t count_lines(const char *src, size_t len)
{
	uint64_t n = len ? 1 : 0;
	for (const char *p = src; (p = memchr(p, '\n', len - (size_t)(p - src))) != NULL; p++)
		n++;
	return n;
}

/* True when pattern matches somewhere in src (which may hold NULs: each
 * NUL-separated piece is matched on its own). */
static bool matches(const regex_t *re, const char *src, size_t len)
{
	char *copy = malloc(len + 1);
	if (!copy)
		return true; /* fail closed */
	memcpy(copy, src, len);
	copy[len] = '\0';
	bool hit = false;
	for (size_t at = 0; at <= len && !hit; at += strlen(copy + at) + 1)
		hit = regexec(re, copy + at, 0, NULL, 0) == 0;
	free(copy);
	return hit;
}

bool jsb_validate_source(const struct jsb_policy *p, const char *src, size_t len, char *err,
                         size_t errsize)
{
	char limit[32];
	if (len > p->code_size) {
		jsb_format_size(limit, sizeof limit, p->code_size);
		snprintf(err, errsize, "the code is larger than the %s size limit of %s", limit,
		         p->label);
		return false;
	}
	uint64_t lines = count_lines(src, len);
	if (lines > p->max_lines) {
		snprintf(err, errsize, "%" PRIu64 " lines is over the %" PRIu64 "-line limit of %s",
		         lines, p->max_lines, p->label);
		return false;
	}
	for (size_t i = 0; i < p->n_patterns; i++) {
		regex_t re;
		if (regcomp(&re, p->patterns[i], REG_EXTENDED | REG_NOSUB) != 0) {
			snprintf(err, errsize, "deny pattern /%s/ does not compile",
			         p->patterns[i]);
			return false;
		}
		bool hit = matches(&re, src, len);
		regfree(&re);
		if (hit) {
			snprintf(err, errsize, "source matches deny pattern /%s/ of %s",
			         p->patterns[i], p->label);
			return false;
		}
	}
	return true;
}
