/* Pre-run checks of source text against the policy: size, line count and
 * deny patterns (a coarse extra filter; real denial is by capability).
 * Patterns run on policy/pattern.c's matcher, which never backtracks, and
 * within the run's time limit, counted from when the checks begin. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/parse.h"
#include "policy/pattern.h"
#include "policy/validate.h"

/* Lines as JavaScript counts them: LF, CR, CRLF (once), and U+2028 and
 * U+2029 (E2 80 A8/A9 in UTF-8) each end one. */
static uint64_t count_lines(const char *src, size_t len)
{
	const unsigned char *s = (const unsigned char *)src;
	uint64_t n = len ? 1 : 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			n++;
		else if (s[i] == '\r')
			n += i + 1 < len && s[i + 1] == '\n' ? 0 : 1;
		else if (s[i] == 0xe2 && len - i >= 3 && s[i + 1] == 0x80 &&
		         (s[i + 2] == 0xa8 || s[i + 2] == 0xa9))
			n++;
	}
	return n;
}

static uint64_t deadline_after(uint64_t ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	uint64_t now = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	return ms > (UINT64_MAX - now) / 1000000u ? 0 : now + ms * 1000000u;
}

/* The first pattern src matches: JSB_EXIT_POLICY naming it, or
 * JSB_EXIT_TIMEOUT when the time limit passed first. */
static int check_patterns(const struct jsb_policy *p, const char *src, size_t len, char *err,
                          size_t errsize)
{
	uint64_t deadline = deadline_after(p->timeout_ms);
	for (size_t i = 0; i < p->n_patterns; i++) {
		char why[160];
		struct jsb_pattern *re = jsb_pattern_compile(p->patterns[i], why, sizeof why);
		if (!re) {
			snprintf(err, errsize, "deny pattern /%s/ does not compile: %s",
			         p->patterns[i], why);
			return JSB_EXIT_POLICY;
		}
		enum jsb_search hit = jsb_pattern_search(re, src, len, deadline);
		jsb_pattern_free(re);
		if (hit == JSB_SEARCH_LATE) {
			jsb_format_duration(err, errsize, p->timeout_ms);
			return JSB_EXIT_TIMEOUT;
		}
		if (hit == JSB_SEARCH_YES) {
			snprintf(err, errsize, "source matches deny pattern /%s/ of %s",
			         p->patterns[i], p->label);
			return JSB_EXIT_POLICY;
		}
	}
	return JSB_EXIT_OK;
}

int jsb_validate_source(const struct jsb_policy *p, const char *src, size_t len, char *err,
                        size_t errsize)
{
	char limit[32];
	if (len > p->code_size) {
		jsb_format_size(limit, sizeof limit, p->code_size);
		snprintf(err, errsize, "the code is larger than the %s size limit of %s", limit,
		         p->label);
		return JSB_EXIT_POLICY;
	}
	uint64_t lines = count_lines(src, len);
	if (lines > p->max_lines) {
		snprintf(err, errsize, "%" PRIu64 " lines is over the %" PRIu64 "-line limit of %s",
		         lines, p->max_lines, p->label);
		return JSB_EXIT_POLICY;
	}
	return check_patterns(p, src, len, err, errsize);
}
