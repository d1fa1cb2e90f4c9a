/* The JSON writer: separators and nesting, string escaping, numbers.
 * Owns no state beyond the writer it is given; must not allocate. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "engine/lib/jsonw.h"

static const char hex[] = "0123456789abcdef";

static void flush(struct jsb_jsonw *w)
{
	if (w->len && !w->failed && !w->sink(w->ctx, w->buf, w->len))
		w->failed = true;
	w->written += w->len;
	w->len = 0;
}

static void put(struct jsb_jsonw *w, const char *s, size_t n)
{
	while (n) {
		if (w->len == sizeof w->buf)
			flush(w);
		size_t room = sizeof w->buf - w->len;
		size_t k = n < room ? n : room;
		memcpy(w->buf + w->len, s, k);
		w->len += k;
		s += k;
		n -= k;
	}
}

static void put_str(struct jsb_jsonw *w, const char *s)
{
	put(w, s, strlen(s));
}

static uint32_t bit(unsigned depth)
{
	return (uint32_t)1 << depth;
}

/* Before a value or a key: the separator its place needs. */
static void separate(struct jsb_jsonw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth == 0)
		return;
	bool lines = w->style == JSB_JSONW_LINES && w->depth == 1;
	if (w->members & bit(w->depth))
		put_str(w, lines ? ",\n  " : w->style == JSB_JSONW_LINES ? ", " : ",");
	else if (lines)
		put_str(w, "\n  ");
	w->members |= bit(w->depth);
}

void jsb_jsonw_init(struct jsb_jsonw *w, enum jsb_jsonw_style style, jsb_jsonw_sink sink, void *ctx)
{
	memset(w, 0, offsetof(struct jsb_jsonw, buf));
	w->style = style;
	w->sink = sink;
	w->ctx = ctx;
}

static void open_container(struct jsb_jsonw *w, bool array)
{
	separate(w);
	if (w->depth + 1 >= JSB_JSONW_MAX_DEPTH) {
		w->failed = true;
		return;
	}
	w->depth++;
	w->members &= ~bit(w->depth);
	if (array)
		w->arrays |= bit(w->depth);
	else
		w->arrays &= ~bit(w->depth);
	put_str(w, array ? "[" : "{");
}

void jsb_jsonw_object(struct jsb_jsonw *w)
{
	open_container(w, false);
}

void jsb_jsonw_array(struct jsb_jsonw *w)
{
	open_container(w, true);
}

void jsb_jsonw_end(struct jsb_jsonw *w)
{
	if (w->depth == 0)
		return;
	bool array = (w->arrays & bit(w->depth)) != 0;
	if (w->style == JSB_JSONW_LINES && w->depth == 1 && (w->members & bit(1)))
		put_str(w, "\n");
	w->depth--;
	put_str(w, array ? "]" : "}");
}

static void put_escape(struct jsb_jsonw *w, unsigned c)
{
	char e[6] = {'\\',       'u', hex[(c >> 12) & 15], hex[(c >> 8) & 15], hex[(c >> 4) & 15],
	             hex[c & 15]};
	put(w, e, sizeof e);
}

static void put_ascii(struct jsb_jsonw *w, unsigned char c)
{
	if (c == '"' || c == '\\') {
		char e[2] = {'\\', (char)c};
		put(w, e, 2);
	} else if (c < 0x20) {
		put_escape(w, c);
	} else {
		char ch = (char)c;
		put(w, &ch, 1);
	}
}

static void put_code_point(struct jsb_jsonw *w, unsigned cp)
{
	char u[4] = {(char)(0xF0 | (cp >> 18)), (char)(0x80 | ((cp >> 12) & 0x3F)),
	             (char)(0x80 | ((cp >> 6) & 0x3F)), (char)(0x80 | (cp & 0x3F))};
	put(w, u, 4);
}

/* The non-ASCII character at s, as UTF-8; returns the bytes it used.  A
 * high surrogate followed by a low one is one character (CESU-8). */
static size_t put_wide(struct jsb_jsonw *w, const char *s, size_t left, enum jsb_lone lone)
{
	unsigned cp, lo;
	size_t n = jsb_text_char(s, left, &cp);
	if (n == 0) {
		put(w, "\xEF\xBF\xBD", 3);
		return 1;
	}
	if (cp < 0xD800 || cp > 0xDFFF) {
		put(w, s, n);
		return n;
	}
	if (cp <= 0xDBFF && left >= 6 && jsb_text_char(s + 3, left - 3, &lo) == 3 && lo >= 0xDC00 &&
	    lo <= 0xDFFF) {
		put_code_point(w, 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00));
		return 6;
	}
	if (lone == JSB_LONE_ESCAPE)
		put_escape(w, cp);
	else
		put(w, "\xEF\xBF\xBD", 3);
	return 3;
}

static void put_text(struct jsb_jsonw *w, const char *s, size_t len, enum jsb_lone lone)
{
	for (size_t i = 0; i < len;) {
		size_t run = i;
		while (run < len && (unsigned char)s[run] >= 0x20 && (unsigned char)s[run] < 0x80 &&
		       s[run] != '"' && s[run] != '\\')
			run++;
		put(w, s + i, run - i);
		i = run;
		if (i == len)
			break;
		if ((unsigned char)s[i] < 0x80)
			put_ascii(w, (unsigned char)s[i++]);
		else
			i += put_wide(w, s + i, len - i, lone);
	}
}

void jsb_jsonw_text(struct jsb_jsonw *w, const char *s, size_t len, enum jsb_lone lone)
{
	jsb_jsonw_open_string(w);
	put_text(w, s, len, lone);
	put_str(w, "\"");
}

void jsb_jsonw_open_string(struct jsb_jsonw *w)
{
	separate(w);
	put_str(w, "\"");
}

void jsb_jsonw_string_part(struct jsb_jsonw *w, const char *s, size_t len, enum jsb_lone lone)
{
	put_text(w, s, len, lone);
}

void jsb_jsonw_close_string(struct jsb_jsonw *w)
{
	put_str(w, "\"");
}

void jsb_jsonw_key(struct jsb_jsonw *w, const char *key)
{
	jsb_jsonw_text(w, key, strlen(key), JSB_LONE_REPLACE);
	put_str(w, w->style == JSB_JSONW_LINES ? ": " : ":");
	w->after_key = true;
}

void jsb_jsonw_str(struct jsb_jsonw *w, const char *s)
{
	jsb_jsonw_text(w, s, strlen(s), JSB_LONE_REPLACE);
}

void jsb_jsonw_uint(struct jsb_jsonw *w, uint64_t n)
{
	char text[24];
	separate(w);
	put(w, text, (size_t)snprintf(text, sizeof text, "%" PRIu64, n));
}

void jsb_jsonw_int(struct jsb_jsonw *w, long long n)
{
	char text[24];
	separate(w);
	put(w, text, (size_t)snprintf(text, sizeof text, "%lld", n));
}

void jsb_jsonw_bool(struct jsb_jsonw *w, bool b)
{
	separate(w);
	put_str(w, b ? "true" : "false");
}

void jsb_jsonw_null(struct jsb_jsonw *w)
{
	separate(w);
	put_str(w, "null");
}

void jsb_jsonw_ms(struct jsb_jsonw *w, double ms)
{
	/* %.3f of the largest double is 309 digits and the decimals. */
	char text[400];
	if (!isfinite(ms)) {
		jsb_jsonw_null(w);
		return;
	}
	separate(w);
	int n = snprintf(text, sizeof text, "%.3f", ms);
	put(w, text, n > 0 && (size_t)n < sizeof text ? (size_t)n : 0);
}

/* JSON text: bytes outside string literals are ASCII, so anything else is
 * inside one, where \udXXX is what a lone surrogate must become. */
static void put_json(struct jsb_jsonw *w, const char *json, size_t len)
{
	for (size_t i = 0; i < len;) {
		size_t run = i;
		while (run < len && (unsigned char)json[run] < 0x80)
			run++;
		put(w, json + i, run - i);
		i = run;
		if (i < len)
			i += put_wide(w, json + i, len - i, JSB_LONE_ESCAPE);
	}
}

void jsb_jsonw_json(struct jsb_jsonw *w, const char *json, size_t len)
{
	separate(w);
	put_json(w, json, len);
}

static bool discard(void *ctx, const char *data, size_t len)
{
	(void)ctx;
	(void)data;
	(void)len;
	return true;
}

uint64_t jsb_jsonw_json_size(const char *json, size_t len)
{
	struct jsb_jsonw w;
	jsb_jsonw_init(&w, JSB_JSONW_COMPACT, discard, NULL);
	put_json(&w, json, len);
	flush(&w);
	return w.written;
}

bool jsb_jsonw_finish(struct jsb_jsonw *w)
{
	while (w->depth)
		jsb_jsonw_end(w);
	put_str(w, "\n");
	flush(w);
	return !w->failed;
}

bool jsb_jsonw_fd_sink(void *ctx, const char *data, size_t len)
{
	int fd = *(const int *)ctx;
	while (len) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		data += n;
		len -= (size_t)n;
	}
	return true;
}

bool jsb_jsonw_file_sink(void *ctx, const char *data, size_t len)
{
	return fwrite(data, 1, len, ctx) == len;
}
