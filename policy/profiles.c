/* The built-in profiles as data, and the policy's JSON form.
 * Must not touch the engine: a profile only says what is allowed. */
#include <errno.h>
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

static void write_list(struct jsb_jsonw *w, const char *key, const char *const *items, size_t n)
{
	jsb_jsonw_key(w, key);
	jsb_jsonw_array(w);
	for (size_t i = 0; i < n; i++)
		jsb_jsonw_str(w, items[i]);
	jsb_jsonw_end(w);
}

static void write_limits(struct jsb_jsonw *w, const struct jsb_policy *p)
{
	const struct {
		const char *key;
		uint64_t value;
	} limits[] = {{"memory", p->memory},
	              {"timeout_ms", p->timeout_ms},
	              {"transpile_timeout_ms", p->transpile_timeout_ms},
	              {"code_size", p->code_size},
	              {"max_lines", p->max_lines},
	              {"max_output", p->max_output},
	              {"max_timers", p->max_timers}};
	jsb_jsonw_key(w, "limits");
	jsb_jsonw_object(w);
	for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
		jsb_jsonw_key(w, limits[i].key);
		jsb_jsonw_uint(w, limits[i].value);
	}
	jsb_jsonw_end(w);
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

bool jsb_policy_write_json(const struct jsb_policy *p, struct jsb_jsonw *w)
{
	const char *allow[8], *deny[8];
	size_t na = 0, nd = 0;
	for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
		if (p->caps & caps[i].bit)
			allow[na++] = caps[i].name;
		else
			deny[nd++] = caps[i].name;
	}
	jsb_jsonw_object(w);
	jsb_jsonw_key(w, "name");
	jsb_jsonw_str(w, p->name);
	jsb_jsonw_key(w, "extends");
	jsb_jsonw_str(w, p->profile);
	write_limits(w, p);
	write_list(w, "allow", allow, na);
	write_list(w, "deny", deny, nd);
	write_list(w, "allow_read", (const char *const *)p->read_dirs, p->n_read_dirs);
	write_list(w, "deny_patterns", (const char *const *)p->patterns, p->n_patterns);
	jsb_jsonw_end(w);
	return jsb_jsonw_finish(w);
}
