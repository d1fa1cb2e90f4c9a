/* Input JSON through Duktape's own decoder (measured faster than building a
 * cJSON tree and converting it), with a pre-scan that locates errors as
 * line:column and finds integers beyond 2^53.  Output through the pristine
 * JSON.stringify and a chunked CESU-8 -> UTF-8 conversion. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/confined/bridge.h"
#include "engine/lib/decode.h"

#define STASH_STRINGIFY "jsb.stringify"
#define CHUNK           16384

void jsb_bridge_init(duk_context *ctx)
{
	duk_push_global_stash(ctx);
	duk_get_global_string(ctx, "JSON");
	duk_get_prop_string(ctx, -1, "stringify");
	duk_put_prop_string(ctx, -3, STASH_STRINGIFY);
	duk_pop_2(ctx);
}

bool jsb_bridge_push_text(duk_context *ctx, struct jsb_heap *heap, const char *text, size_t len)
{
	if (jsb_text_is_cesu_clean(text, len)) {
		duk_push_lstring(ctx, text, len);
		return true;
	}
	size_t bound = jsb_text_cesu_bound(len);
	char *buf = bound == SIZE_MAX ? NULL : jsb_heap_alloc(heap, bound);
	if (!buf)
		return false;
	size_t n = jsb_text_to_cesu(buf, text, len);
	duk_push_lstring(ctx, buf, n);
	jsb_heap_free(heap, buf);
	return true;
}

/* Finds the first integer literal outside strings that a double cannot hold
 * exactly; returns its offset or (size_t)-1. */
static size_t find_inexact(const char *s, size_t len, size_t *toklen)
{
	size_t i = 0;
	while (i < len) {
		char c = s[i];
		if (c == '"') {
			for (i++; i < len && s[i] != '"'; i++)
				if (s[i] == '\\')
					i++;
			i++;
			continue;
		}
		if (c != '-' && (c < '0' || c > '9')) {
			i++;
			continue;
		}
		size_t start = i, digits = 0;
		bool integral = true;
		for (i += c == '-'; i < len; i++) {
			if (s[i] >= '0' && s[i] <= '9')
				digits++;
			else if (s[i] == '.' || s[i] == 'e' || s[i] == 'E' || s[i] == '+' ||
			         s[i] == '-')
				integral = false;
			else
				break;
		}
		if (integral && digits >= 16 && digits < 400) {
			char num[512], back[512];
			memcpy(num, s + start, i - start);
			num[i - start] = '\0';
			snprintf(back, sizeof back, "%.0f", strtod(num, NULL));
			if (strcmp(num, back) != 0 && !(strcmp(num, "-0") == 0)) {
				*toklen = i - start;
				return start;
			}
		}
	}
	return (size_t)-1;
}

static void warn_inexact(struct jsb_out *out, const char *text, size_t len, const char *name)
{
	size_t toklen = 0, at = find_inexact(text, len, &toklen);
	if (at == (size_t)-1)
		return;
	unsigned long line, col;
	jsb_text_position(text, len, at, &line, &col);
	jsb_out_error(out, "warning",
	              "%s:%lu:%lu: number %.*s is beyond 2^53 and cannot be represented exactly",
	              name, line, col, (int)(toklen > 64 ? 64 : toklen), text + at);
}

static duk_ret_t decode(duk_context *ctx, void *udata)
{
	(void)udata;
	duk_json_decode(ctx, -1);
	return 1;
}

/* A JSON syntax checker for the error path only: Duktape's decoder says
 * where it gave up, not what was wrong.  Finds the first offending byte and
 * names it.  Iterative, with an explicit stack of open containers. */
struct scan {
	const char *s;
	size_t len, i;
	const char *why; /* NULL: the input ended early */
};

static void skip_ws(struct scan *sc)
{
	while (sc->i < sc->len && (sc->s[sc->i] == ' ' || sc->s[sc->i] == '\t' ||
	                           sc->s[sc->i] == '\n' || sc->s[sc->i] == '\r'))
		sc->i++;
}

static bool fail(struct scan *sc, const char *why)
{
	sc->why = sc->i >= sc->len ? NULL : why;
	return false;
}

static bool scan_literal(struct scan *sc, const char *word)
{
	for (size_t k = 0; word[k]; k++, sc->i++)
		if (sc->i >= sc->len || sc->s[sc->i] != word[k])
			return fail(sc, "unexpected");
	return true;
}

static bool digits(struct scan *sc)
{
	size_t start = sc->i;
	while (sc->i < sc->len && sc->s[sc->i] >= '0' && sc->s[sc->i] <= '9')
		sc->i++;
	return sc->i > start || fail(sc, "unexpected");
}

static bool scan_number(struct scan *sc)
{
	if (sc->s[sc->i] == '-')
		sc->i++;
	if (sc->i < sc->len && sc->s[sc->i] == '0')
		sc->i++;
	else if (!digits(sc))
		return false;
	if (sc->i < sc->len && sc->s[sc->i] == '.') {
		sc->i++;
		if (!digits(sc))
			return false;
	}
	if (sc->i < sc->len && (sc->s[sc->i] == 'e' || sc->s[sc->i] == 'E')) {
		sc->i++;
		if (sc->i < sc->len && (sc->s[sc->i] == '+' || sc->s[sc->i] == '-'))
			sc->i++;
		if (!digits(sc))
			return false;
	}
	return true;
}

static bool scan_string(struct scan *sc)
{
	for (sc->i++; sc->i < sc->len; sc->i++) {
		unsigned char c = (unsigned char)sc->s[sc->i];
		if (c == '"') {
			sc->i++;
			return true;
		}
		if (c < 0x20)
			return fail(sc, "control character in string");
		if (c != '\\')
			continue;
		if (++sc->i >= sc->len)
			break;
		if (strchr("\"\\/bfnrt", sc->s[sc->i]))
			continue;
		if (sc->s[sc->i] != 'u')
			return fail(sc, "bad escape in string");
		for (int k = 0; k < 4; k++)
			if (++sc->i >= sc->len || !strchr("0123456789abcdefABCDEF", sc->s[sc->i]))
				return fail(sc, "bad \\u escape in string");
	}
	return fail(sc, NULL);
}

static bool scan_scalar(struct scan *sc)
{
	char c = sc->s[sc->i];
	if (c == '"')
		return scan_string(sc);
	if (c == '-' || (c >= '0' && c <= '9'))
		return scan_number(sc);
	if (c == 't')
		return scan_literal(sc, "true");
	if (c == 'f')
		return scan_literal(sc, "false");
	if (c == 'n')
		return scan_literal(sc, "null");
	return fail(sc, "unexpected");
}

/* After a value: a key's colon, a separator, closers, or the end.  Returns
 * 1 when another value follows, 0 at a valid end, -1 on an error. */
static int after_value(struct scan *sc, char *open, size_t *depth)
{
	for (;;) {
		skip_ws(sc);
		if (*depth == 0)
			return sc->i >= sc->len ? 0 : (fail(sc, "unexpected"), -1);
		if (sc->i >= sc->len)
			return fail(sc, NULL), -1;
		char c = sc->s[sc->i];
		if (c == ',' || c == ':') {
			sc->i++;
			skip_ws(sc);
			if (open[*depth - 1] == '{' && c == ',' &&
			    (sc->i >= sc->len || sc->s[sc->i] != '"'))
				return fail(sc, "unexpected"), -1;
			return 1;
		}
		if (c != (open[*depth - 1] == '[' ? ']' : '}'))
			return fail(sc, "unexpected"), -1;
		--*depth;
		sc->i++;
	}
}

/* True when text is one valid JSON value; else sc->i is the offending
 * offset and sc->why the reason. */
static bool scan_json(struct scan *sc)
{
	char open[1024];
	size_t depth = 0;
	for (;;) {
		skip_ws(sc);
		if (sc->i >= sc->len)
			return fail(sc, NULL);
		char c = sc->s[sc->i];
		if ((c == '[' || c == '{') && depth < sizeof open) {
			open[depth++] = c;
			sc->i++;
			skip_ws(sc);
			if (sc->i < sc->len && sc->s[sc->i] == (c == '[' ? ']' : '}')) {
				depth--;
				sc->i++;
			} else if (c == '{' && (sc->i >= sc->len || sc->s[sc->i] != '"')) {
				return fail(sc, "unexpected");
			} else {
				continue;
			}
		} else if (!scan_scalar(sc)) {
			return false;
		}
		int next = after_value(sc, open, &depth);
		if (next <= 0)
			return next == 0;
	}
}

static void describe(char *err, size_t errsize, const char *name, const char *text, size_t len,
                     const char *msg)
{
	unsigned long line, col;
	struct scan sc = {.s = text, .len = len};
	if (msg && strstr(msg, "recursion limit")) {
		snprintf(err, errsize, "%s: invalid JSON: nested deeper than 1000 levels", name);
		return;
	}
	if (scan_json(&sc)) { /* valid syntax: Duktape objected to something else */
		snprintf(err, errsize, "%s: invalid JSON: %s", name, msg ? msg : "unknown error");
		return;
	}
	jsb_text_position(text, len, sc.i, &line, &col);
	unsigned char c = sc.i < len ? (unsigned char)text[sc.i] : 0;
	if (!sc.why)
		snprintf(err, errsize, "%s:%lu:%lu: invalid JSON: unexpected end of input", name,
		         line, col);
	else if (strcmp(sc.why, "unexpected") != 0)
		snprintf(err, errsize, "%s:%lu:%lu: invalid JSON: %s", name, line, col, sc.why);
	else if (c >= 0x20 && c < 0x7f)
		snprintf(err, errsize, "%s:%lu:%lu: invalid JSON: unexpected '%c'", name, line, col,
		         c);
	else
		snprintf(err, errsize, "%s:%lu:%lu: invalid JSON: unexpected byte 0x%02x", name,
		         line, col, c);
}

static bool blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return false;
	return true;
}

/* The direct decoder first (see decode.c); Duktape's own decoder words
 * errors, warns about inexact integers and takes what the fast path leaves. */
struct fast {
	struct jsb_heap *heap;
	const char *text;
	size_t len;
	bool ok;
};

static duk_ret_t fast_decode(duk_context *ctx, void *udata)
{
	struct fast *f = udata;
	f->ok = jsb_decode(ctx, f->heap, f->text, f->len);
	if (!f->ok)
		duk_push_undefined(ctx);
	return 1;
}

enum jsb_parse_status jsb_bridge_parse(duk_context *ctx, struct jsb_heap *heap, struct jsb_out *out,
                                       const char *text, size_t len, const char *name, char *err,
                                       size_t errsize)
{
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
		text += 3;
		len -= 3;
	}
	if (blank(text, len)) {
		snprintf(err, errsize, "%s: invalid JSON: empty input", name);
		return JSB_PARSE_INVALID;
	}
	struct fast f = {heap, text, len, false};
	if (duk_safe_call(ctx, fast_decode, &f, 0, 1) == DUK_EXEC_SUCCESS && f.ok)
		return JSB_PARSE_OK;
	duk_pop(ctx);
	if (heap->limits->stop == JSB_STOP_MEMORY) {
		snprintf(err, errsize, "%s: input does not fit the memory limit", name);
		return JSB_PARSE_MEMORY;
	}
	warn_inexact(out, text, len, name);
	if (!jsb_bridge_push_text(ctx, heap, text, len)) {
		snprintf(err, errsize, "%s: input does not fit the memory limit", name);
		return JSB_PARSE_MEMORY;
	}
	if (duk_safe_call(ctx, decode, NULL, 1, 1) == DUK_EXEC_SUCCESS)
		return JSB_PARSE_OK;
	if (heap->limits->stop == JSB_STOP_MEMORY) {
		duk_pop(ctx);
		snprintf(err, errsize, "%s: input does not fit the memory limit", name);
		return JSB_PARSE_MEMORY;
	}
	duk_get_prop_string(ctx, -1, "message");
	describe(err, errsize, name, text, len, duk_get_string(ctx, -1));
	duk_pop_2(ctx);
	return JSB_PARSE_INVALID;
}

void jsb_bridge_encode(duk_context *ctx, duk_idx_t idx, int indent)
{
	idx = duk_require_normalize_index(ctx, idx);
	if (indent == 0) {
		/* Compact: the C entry point of the same encoder (toJSON included),
		 * without a call through JavaScript. */
		duk_dup(ctx, idx);
		duk_json_encode(ctx, -1);
	} else {
		duk_push_global_stash(ctx);
		duk_get_prop_string(ctx, -1, STASH_STRINGIFY);
		duk_remove(ctx, -2);
		duk_dup(ctx, idx);
		duk_push_undefined(ctx);
		if (indent)
			duk_push_int(ctx, indent);
		else
			duk_push_undefined(ctx);
		duk_call(ctx, 3);
	}
	duk_replace(ctx, idx);
}

/* Largest prefix of s (at most CHUNK) that ends between characters and
 * does not split a surrogate pair. */
static size_t chunk_end(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	if (len <= CHUNK)
		return len;
	size_t end = CHUNK;
	while (end > 0 && (u[end] & 0xC0) == 0x80)
		end--;
	if (end >= 3 && u[end] == 0xED && u[end + 1] >= 0xB0 && u[end - 3] == 0xED &&
	    u[end - 2] >= 0xA0 && u[end - 2] <= 0xAF)
		end -= 3;
	return end;
}

bool jsb_bridge_write(struct jsb_out *out, enum jsb_channel ch, const char *s, size_t len,
                      enum jsb_lone lone)
{
	if (jsb_text_is_utf8_clean(s, len))
		return jsb_out_script(out, ch, s, len);
	char buf[2 * CHUNK + 1];
	while (len) {
		size_t n = chunk_end(s, len);
		size_t m = jsb_text_to_utf8(buf, s, n, lone);
		if (!jsb_out_script(out, ch, buf, m))
			return false;
		s += n;
		len -= n;
	}
	return true;
}
