/* The built-in profiles as data, and the policy's JSON form.
 * Must not touch the engine: a profile only says what is allowed. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "policy/policy.h"

#define KiB (UINT64_C(1) << 10)
#define MiB (UINT64_C(1) << 20)

static const struct jsb_policy profiles[] = {
    {.name = "strict",
     .profile = "strict",
     .memory = 16 * MiB,
     .timeout_ms = 500,
     .transpile_timeout_ms = 10000,
     .code_size = 64 * KiB,
     .max_lines = 10000,
     .max_output = 1 * MiB,
     .max_timers = 0,
     .caps = 0},
    {.name = "moderate",
     .profile = "moderate",
     .memory = 64 * MiB,
     .timeout_ms = 5000,
     .transpile_timeout_ms = 60000,
     .code_size = 1 * MiB,
     .max_lines = 100000,
     .max_output = 16 * MiB,
     .max_timers = 1000,
     .caps = JSB_CAP_TIMERS},
    {.name = "permissive",
     .profile = "permissive",
     .memory = 256 * MiB,
     .timeout_ms = 30000,
     .transpile_timeout_ms = 300000,
     .code_size = 16 * MiB,
     .max_lines = 1000000,
     .max_output = 256 * MiB,
     .max_timers = 100000,
     .caps = JSB_CAP_EVAL | JSB_CAP_TIMERS | JSB_CAP_DUKTAPE | JSB_CAP_READ},
};

const char *const jsb_policy_profiles[] = {"strict", "moderate", "permissive", NULL};

static const struct {
	unsigned bit;
	const char *name;
} caps[] = {
    {JSB_CAP_EVAL, "eval"},
    {JSB_CAP_TIMERS, "timers"},
    {JSB_CAP_DUKTAPE, "duktape"},
    {JSB_CAP_READ, "read"},
};

bool jsb_policy_profile(struct jsb_policy *p, const char *name)
{
	for (size_t i = 0; i < sizeof profiles / sizeof profiles[0]; i++) {
		if (strcmp(profiles[i].name, name) == 0) {
			*p = profiles[i];
			snprintf(p->label, sizeof p->label, "the %s profile", name);
			return true;
		}
	}
	return false;
}

const char *jsb_policy_cap_name(unsigned cap)
{
	for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++)
		if (caps[i].bit == cap)
			return caps[i].name;
	return "unknown";
}

unsigned jsb_policy_cap_bit(const char *name)
{
	for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++)
		if (strcmp(caps[i].name, name) == 0)
			return caps[i].bit;
	return 0;
}

/* Appends to buf at *at; false once it no longer fits. */
static bool emit(char *buf, size_t size, size_t *at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static bool emit(char *buf, size_t size, size_t *at, const char *fmt, ...)
{
	va_list ap;
	if (*at >= size)
		return false;
	va_start(ap, fmt);
	int n = vsnprintf(buf + *at, size - *at, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size - *at) {
		*at = size;
		return false;
	}
	*at += (size_t)n;
	return true;
}

/* A JSON string literal for the plain ASCII/UTF-8 names and paths used here. */
static void emit_string(char *buf, size_t size, size_t *at, const char *s)
{
	emit(buf, size, at, "\"");
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			emit(buf, size, at, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			emit(buf, size, at, "\\u%04x", (unsigned)*s);
		else
			emit(buf, size, at, "%c", *s);
	}
	emit(buf, size, at, "\"");
}

static void emit_list(char *buf, size_t size, size_t *at, const char *key, const char *const *items,
                      size_t n)
{
	emit(buf, size, at, ",\n  \"%s\": [", key);
	for (size_t i = 0; i < n; i++) {
		emit(buf, size, at, i ? ", " : "");
		emit_string(buf, size, at, items[i]);
	}
	emit(buf, size, at, "]");
}

bool jsb_policy_add_read_dir(struct jsb_policy *p, const char *dir, char *err, size_t errsize)
{
	char *real = realpath(dir, NULL);
	struct stat st;
	if (!real || stat(real, &st) != 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, errsize, "--allow-read %s: %s", dir,
		         real ? "not a directory" : strerror(errno));
		free(real);
		return false;
	}
	if (p->n_read_dirs == JSB_MAX_READ_DIRS) {
		snprintf(err, errsize, "--allow-read %s: at most %d directories", dir,
		         JSB_MAX_READ_DIRS);
		free(real);
		return false;
	}
	p->read_dirs[p->n_read_dirs++] = real;
	return true;
}

void jsb_policy_free(struct jsb_policy *p)
{
	for (size_t i = 0; i < p->n_read_dirs; i++)
		free(p->read_dirs[i]);
	for (size_t i = 0; i < p->n_patterns; i++)
		free(p->patterns[i]);
	p->n_read_dirs = p->n_patterns = 0;
}

size_t jsb_policy_to_json(const struct jsb_policy *p, char *buf, size_t size)
{
	size_t at = 0;
	const char *allow[8], *deny[8];
	size_t na = 0, nd = 0;
	for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
		if (p->caps & caps[i].bit)
			allow[na++] = caps[i].name;
		else
			deny[nd++] = caps[i].name;
	}
	emit(buf, size, &at, "{\n  \"name\": ");
	emit_string(buf, size, &at, p->name);
	emit(buf, size, &at, ",\n  \"extends\": ");
	emit_string(buf, size, &at, p->profile);
	emit(buf, size, &at,
	     ",\n  \"limits\": {\"memory\": %" PRIu64 ", \"timeout_ms\": %" PRIu64
	     ", \"transpile_timeout_ms\": %" PRIu64 ", \"code_size\": %" PRIu64
	     ", \"max_lines\": %" PRIu64 ", \"max_output\": %" PRIu64 ", \"max_timers\": %" PRIu64
	     "}",
	     p->memory, p->timeout_ms, p->transpile_timeout_ms, p->code_size, p->max_lines,
	     p->max_output, p->max_timers);
	emit_list(buf, size, &at, "allow", allow, na);
	emit_list(buf, size, &at, "deny", deny, nd);
	emit_list(buf, size, &at, "allow_read", (const char *const *)p->read_dirs, p->n_read_dirs);
	emit_list(buf, size, &at, "deny_patterns", (const char *const *)p->patterns, p->n_patterns);
	emit(buf, size, &at, "\n}\n");
	return at < size ? at : 0;
}

char *jsb_policy_json(const struct jsb_policy *p, size_t *len)
{
	/* Patterns and paths make it as long as the policy file says: grow
	 * until it fits rather than cut it. */
	for (size_t size = 8192; size && size <= ((size_t)1 << 40); size *= 2) {
		char *buf = malloc(size);
		if (!buf)
			return NULL;
		*len = jsb_policy_to_json(p, buf, size);
		if (*len)
			return buf;
		free(buf);
	}
	return NULL;
}
