/* Custom policy files (JSON, parsed with cJSON) applied over a profile.
 * Every key is checked; unknown keys, wrong types and bad values are errors
 * with file:line:col, never ignored.  cJSON keeps no positions, so a
 * problem's place is found again in the text by its key. */
#include <cJSON.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/parse.h"
#include "policy/pattern.h"
#include "policy/policy.h"

#define MAX_POLICY_BYTES (1u << 20)

struct loader {
	const char *path;
	const char *text;
	struct jsb_policy *p;
	char *err;
	size_t errsize;
	unsigned listed; /* capabilities named in allow or deny so far */
};

/* 1-based line and column of byte offset off. */
static void position(const char *text, size_t off, unsigned *line, unsigned *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off && text[i]; i++) {
		if (text[i] == '\n') {
			++*line;
			*col = 1;
		} else if (((unsigned char)text[i] & 0xC0) != 0x80) {
			++*col;
		}
	}
}

/* Offset of the first `"key"` followed by a colon, after `from`. */
static size_t find_key(const char *text, const char *key, size_t from)
{
	size_t klen = strlen(key);
	for (const char *p = text + from; (p = strchr(p, '"')) != NULL; p++) {
		if (strncmp(p + 1, key, klen) != 0 || p[1 + klen] != '"')
			continue;
		const char *q = p + 2 + klen;
		while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
			q++;
		if (*q == ':')
			return (size_t)(p - text);
	}
	return 0;
}

static bool fail_at(struct loader *l, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static bool fail_at(struct loader *l, size_t off, const char *fmt, ...)
{
	unsigned line, col;
	char detail[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	position(l->text, off, &line, &col);
	snprintf(l->err, l->errsize, "%s:%u:%u: %s", l->path, line, col, detail);
	return false;
}

/* The place of `key` inside the object that `parent` names ("" for top). */
static size_t place(struct loader *l, const char *parent, const char *key)
{
	size_t from = parent[0] ? find_key(l->text, parent, 0) : 0;
	size_t at = find_key(l->text, key, from);
	return at ? at : from;
}

/* Rejects a key given twice in obj (cJSON would silently keep the first);
 * the error points at the second one. */
static bool check_duplicates(struct loader *l, const cJSON *obj, const char *parent)
{
	for (const cJSON *item = obj->child; item; item = item->next) {
		for (const cJSON *before = obj->child; before != item; before = before->next) {
			if (strcmp(before->string, item->string) != 0)
				continue;
			size_t first = place(l, parent, item->string);
			size_t second = find_key(l->text, item->string, first + 1);
			return fail_at(l, second ? second : first, "'%s' is given twice",
			               item->string);
		}
	}
	return true;
}

static bool read_text(struct loader *l, char **text)
{
	FILE *f = fopen(l->path, "rb");
	if (!f) {
		snprintf(l->err, l->errsize, "%s: cannot open: %s", l->path, strerror(errno));
		return false;
	}
	char *buf = malloc(MAX_POLICY_BYTES + 1);
	size_t n = buf ? fread(buf, 1, MAX_POLICY_BYTES + 1, f) : 0;
	bool bad = !buf || ferror(f);
	fclose(f);
	if (bad || n > MAX_POLICY_BYTES) {
		snprintf(l->err, l->errsize, "%s: %s", l->path,
		         bad ? "cannot read" : "larger than 1 MiB");
		free(buf);
		return false;
	}
	buf[n] = '\0';
	*text = buf;
	return true;
}

/* A limit: a non-negative integer, or a string with the flags' suffixes. */
static bool limit_value(struct loader *l, const cJSON *item, uint64_t *out)
{
	bool duration =
	    strcmp(item->string, "timeout") == 0 || strcmp(item->string, "transpile_timeout") == 0;
	bool count =
	    strcmp(item->string, "max_lines") == 0 || strcmp(item->string, "max_timers") == 0;
	size_t at = place(l, "limits", item->string);
	if (cJSON_IsNumber(item)) {
		double d = item->valuedouble;
		if (!(d >= 0 && d <= 1e15) || d != (double)(uint64_t)d)
			return fail_at(l, at, "limits.%s: must be a whole number >= 0",
			               item->string);
		*out = (uint64_t)d;
	} else if (cJSON_IsString(item) && !count) {
		bool ok = duration ? jsb_parse_duration(item->valuestring, out)
		                   : jsb_parse_size(item->valuestring, out);
		if (!ok)
			return fail_at(l, at, "limits.%s: invalid %s '%s'", item->string,
			               duration ? "duration" : "size", item->valuestring);
	} else {
		return fail_at(l, at, "limits.%s: must be a %s", item->string,
		               count      ? "number"
		               : duration ? "number (ms) or a duration string"
		                          : "number (bytes) or a size string");
	}
	if (*out == 0 && strcmp(item->string, "max_timers") != 0)
		return fail_at(l, at, "limits.%s: must be greater than 0", item->string);
	const char *max;
	if (!count && !jsb_limit_in_range(*out, duration, &max))
		return fail_at(l, at, "limits.%s: too large (at most %s)", item->string, max);
	return true;
}

static bool apply_limits(struct loader *l, const cJSON *limits)
{
	static const char *const keys[] = {"memory",    "timeout",   "transpile_timeout",
	                                   "code_size", "max_lines", "max_output",
	                                   "max_timers"};
	struct jsb_policy *p = l->p;
	uint64_t *fields[] = {&p->memory,    &p->timeout_ms, &p->transpile_timeout_ms,
	                      &p->code_size, &p->max_lines,  &p->max_output,
	                      &p->max_timers};
	const size_t nkeys = sizeof keys / sizeof *keys;
	if (!cJSON_IsObject(limits))
		return fail_at(l, place(l, "", "limits"), "limits: must be an object");
	if (!check_duplicates(l, limits, "limits"))
		return false;
	for (const cJSON *item = limits->child; item; item = item->next) {
		size_t k = 0;
		while (k < nkeys && strcmp(keys[k], item->string) != 0)
			k++;
		if (k == nkeys)
			return fail_at(
			    l, place(l, "limits", item->string),
			    "limits: unknown key '%s' (memory, timeout, transpile_timeout, "
			    "code_size, max_lines, max_output, max_timers)",
			    item->string);
		if (!limit_value(l, item, fields[k]))
			return false;
	}
	return true;
}

/* allow/deny: arrays of capability names. */
static bool apply_caps(struct loader *l, const cJSON *list, bool allow)
{
	const char *key = allow ? "allow" : "deny";
	if (!cJSON_IsArray(list))
		return fail_at(l, place(l, "", key), "%s: must be an array of capability names",
		               key);
	for (const cJSON *item = list->child; item; item = item->next) {
		unsigned bit = cJSON_IsString(item) ? jsb_policy_cap_bit(item->valuestring) : 0;
		if (!bit)
			return fail_at(
			    l, place(l, "", key),
			    "%s: unknown capability %s%s%s (eval, timers, duktape, read)", key,
			    cJSON_IsString(item) ? "'" : "",
			    cJSON_IsString(item) ? item->valuestring : "(not a string)",
			    cJSON_IsString(item) ? "'" : "");
		if (l->listed & bit)
			return fail_at(l, place(l, "", key),
			               "%s: capability '%s' is listed twice (in allow or deny)",
			               key, item->valuestring);
		l->listed |= bit;
		if (allow)
			l->p->caps |= bit;
		else
			l->p->caps &= ~bit;
	}
	return true;
}

static bool apply_patterns(struct loader *l, const cJSON *list)
{
	if (!cJSON_IsArray(list))
		return fail_at(l, place(l, "", "deny_patterns"),
		               "deny_patterns: must be an array of regular expressions");
	for (const cJSON *item = list->child; item; item = item->next) {
		char why[160];
		size_t at = place(l, "", "deny_patterns");
		if (!cJSON_IsString(item))
			return fail_at(l, at, "deny_patterns: entries must be strings");
		struct jsb_pattern *re = jsb_pattern_compile(item->valuestring, why, sizeof why);
		if (!re)
			return fail_at(l, at, "deny_patterns: invalid regular expression '%s': %s",
			               item->valuestring, why);
		jsb_pattern_free(re);
		if (l->p->n_patterns == JSB_MAX_PATTERNS)
			return fail_at(l, at, "deny_patterns: at most %d patterns",
			               JSB_MAX_PATTERNS);
		l->p->patterns[l->p->n_patterns++] = strdup(item->valuestring);
	}
	return true;
}

static bool apply_read_dirs(struct loader *l, const cJSON *list)
{
	char why[300];
	size_t at = place(l, "", "allow_read");
	if (!cJSON_IsArray(list))
		return fail_at(l, at, "allow_read: must be an array of directories");
	for (const cJSON *item = list->child; item; item = item->next) {
		if (!cJSON_IsString(item))
			return fail_at(l, at, "allow_read: entries must be strings");
		if (!jsb_policy_add_read_dir(l->p, item->valuestring, why, sizeof why))
			return fail_at(l, at, "allow_read: %s", why + strlen("--allow-read "));
	}
	return true;
}

/* The base profile: `extends`, else the one already in p (--profile). */
static bool apply_extends(struct loader *l, const cJSON *root, bool profile_given)
{
	const cJSON *ext = cJSON_GetObjectItemCaseSensitive(root, "extends");
	char base[16];
	snprintf(base, sizeof base, "%s", l->p->profile);
	if (ext) {
		size_t at = place(l, "", "extends");
		if (!cJSON_IsString(ext) || !jsb_policy_profile(l->p, ext->valuestring))
			return fail_at(
			    l, at, "extends: must be \"strict\", \"moderate\" or \"permissive\"");
		if (profile_given && strcmp(base, ext->valuestring) != 0)
			return fail_at(l, at, "extends \"%s\" conflicts with --profile %s",
			               ext->valuestring, base);
		snprintf(base, sizeof base, "%s", ext->valuestring);
	}
	const char *slash = strrchr(l->path, '/');
	const char *file = slash ? slash + 1 : l->path;
	snprintf(l->p->name, sizeof l->p->name, "%.32s (extends %.10s)", file, base);
	snprintf(l->p->label, sizeof l->p->label, "policy %.80s", file);
	return true;
}

static bool apply(struct loader *l, const cJSON *root, bool profile_given)
{
	if (!cJSON_IsObject(root))
		return fail_at(l, 0, "a policy must be a JSON object");
	if (!check_duplicates(l, root, ""))
		return false;
	if (!apply_extends(l, root, profile_given))
		return false;
	for (const cJSON *item = root->child; item; item = item->next) {
		const char *k = item->string;
		bool ok = true;
		if (strcmp(k, "extends") == 0)
			continue;
		if (strcmp(k, "description") == 0)
			ok = cJSON_IsString(item) ||
			     fail_at(l, place(l, "", k), "description: must be a string");
		else if (strcmp(k, "limits") == 0)
			ok = apply_limits(l, item);
		else if (strcmp(k, "allow") == 0 || strcmp(k, "deny") == 0)
			ok = apply_caps(l, item, k[0] == 'a');
		else if (strcmp(k, "deny_patterns") == 0)
			ok = apply_patterns(l, item);
		else if (strcmp(k, "allow_read") == 0)
			ok = apply_read_dirs(l, item);
		else
			ok = fail_at(l, place(l, "", k),
			             "unknown key '%s' (extends, description, limits, allow, deny, "
			             "deny_patterns, allow_read)",
			             k);
		if (!ok)
			return false;
	}
	return true;
}

static bool load(struct loader *l, const char *text, bool profile_given);

bool jsb_policy_load(struct jsb_policy *p, const char *path, bool profile_given, char *err,
                     size_t errsize)
{
	struct loader l = {.path = path, .p = p, .err = err, .errsize = errsize};
	char *text;
	if (!read_text(&l, &text))
		return false;
	bool ok = load(&l, text, profile_given);
	free(text);
	return ok;
}

bool jsb_policy_load_text(struct jsb_policy *p, const char *name, const char *text,
                          bool profile_given, char *err, size_t errsize)
{
	struct loader l = {.path = name, .p = p, .err = err, .errsize = errsize};
	return load(&l, text, profile_given);
}

static bool load(struct loader *l, const char *text, bool profile_given)
{
	l->text = text;
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithOpts(text, &end, 1);
	bool ok;
	if (!root) {
		const char *at = cJSON_GetErrorPtr();
		size_t off = at && at >= text ? (size_t)(at - text) : 0;
		ok = fail_at(l, off, "invalid JSON");
	} else {
		ok = apply(l, root, profile_given);
	}
	cJSON_Delete(root);
	return ok;
}
