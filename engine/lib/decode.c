/* Recursive-descent JSON -> Duktape values in one pass, without the
 * intermediate string Duktape's decoder needs and without its bignum
 * number parser.  Strings become CESU-8 (non-BMP characters and \u
 * escapes as surrogates), exactly as the full decoder makes them. */
#include <stdlib.h>
#include <string.h>

#include "engine/lib/atod.h"
#include "engine/lib/decode.h"
#include "engine/lib/text.h"

#define MAX_DEPTH 1000

struct dec {
	duk_context *ctx;
	struct jsb_heap *heap;
	const char *s, *end;
	/* Scratch for strings with escapes or non-BMP characters: a Duktape
	 * buffer on the value stack (at tmp_idx), so that an error thrown
	 * while decoding (a limit) frees it with the stack. */
	char *tmp;
	size_t tmp_cap;
	duk_idx_t tmp_idx;
	int depth;
	duk_idx_t proto; /* the intrinsic Object.prototype, on the stack */
};

static bool value(struct dec *d);

static void skip_ws(struct dec *d)
{
	while (d->s < d->end && (*d->s == ' ' || *d->s == '\n' || *d->s == '\r' || *d->s == '\t'))
		d->s++;
}

static bool reserve(struct dec *d, size_t need)
{
	if (need <= d->tmp_cap)
		return true;
	size_t cap = need < 256 ? 256 : need * 2;
	if (cap < need) /* wrapped */
		return false;
	d->tmp = duk_resize_buffer(d->ctx, d->tmp_idx, cap);
	d->tmp_cap = cap;
	return true;
}

static int hex4(const char *p)
{
	int v = 0;
	for (int k = 0; k < 4; k++) {
		char c = p[k];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

static size_t put_cesu(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	o[0] = (char)(0xE0 | (cp >> 12));
	o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[2] = (char)(0x80 | (cp & 0x3F));
	return 3;
}

/* The slow half of a string: escapes and non-ASCII text, into tmp. */
static bool string_slow(struct dec *d, const char *start, const char *close)
{
	size_t n = 0, bound = jsb_text_cesu_bound((size_t)(close - start));
	if (bound == SIZE_MAX || !reserve(d, bound))
		return false;
	const char *p = start;
	while (p < close) {
		const char *run = p;
		while (p < close && *p != '\\')
			p++;
		n += jsb_text_to_cesu(d->tmp + n, run, (size_t)(p - run));
		if (p == close)
			break;
		char e = p[1];
		p += 2;
		static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
		const char *k = strchr(from, e);
		if (e && k) {
			d->tmp[n++] = to[k - from];
			continue;
		}
		int cp = e == 'u' && close - p >= 4 ? hex4(p) : -1;
		if (cp < 0)
			return false;
		p += 4;
		n += put_cesu(d->tmp + n, (unsigned)cp);
	}
	duk_push_lstring(d->ctx, d->tmp, n);
	return true;
}

static bool string(struct dec *d)
{
	const char *start = ++d->s, *p = start;
	bool plain = true;
	for (; p < d->end; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '"')
			break;
		if (c < 0x20)
			return false;
		if (c == '\\') {
			plain = false;
			if (++p >= d->end)
				return false;
		} else if (c >= 0x80) {
			plain = false;
		}
	}
	if (p >= d->end)
		return false;
	d->s = p + 1;
	if (plain) {
		duk_push_lstring(d->ctx, start, (size_t)(p - start));
		return true;
	}
	return string_slow(d, start, p);
}

/* A JSON number; integers past 2^53 go to the full decoder, which warns. */
static bool number(struct dec *d)
{
	const char *p = d->s;
	bool integral = true;
	if (p < d->end && *p == '-')
		p++;
	if (p >= d->end || *p < '0' || *p > '9')
		return false;
	if (*p == '0' && p + 1 < d->end && p[1] >= '0' && p[1] <= '9')
		return false;
	const char *digits = p;
	while (p < d->end && *p >= '0' && *p <= '9')
		p++;
	if (p - digits >= 16)
		return false;
	if (p < d->end && *p == '.') {
		integral = false;
		if (++p >= d->end || *p < '0' || *p > '9')
			return false;
		while (p < d->end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < d->end && (*p == 'e' || *p == 'E')) {
		integral = false;
		if (++p < d->end && (*p == '+' || *p == '-'))
			p++;
		if (p >= d->end || *p < '0' || *p > '9')
			return false;
		while (p < d->end && *p >= '0' && *p <= '9')
			p++;
	}
	if (integral) {
		long long v = 0;
		for (const char *q = digits; q < p; q++)
			v = v * 10 + (*q - '0');
		double x = (double)v;
		duk_push_number(d->ctx, *d->s == '-' ? -x : x);
	} else {
		duk_push_number(d->ctx, jsb_atod(d->s, (size_t)(p - d->s)));
	}
	d->s = p;
	return true;
}

static bool literal(struct dec *d, const char *word, size_t len)
{
	if ((size_t)(d->end - d->s) < len || memcmp(d->s, word, len) != 0)
		return false;
	d->s += len;
	return true;
}

static bool array(struct dec *d)
{
	duk_uarridx_t i = 0;
	d->s++;
	duk_push_array(d->ctx);
	skip_ws(d);
	if (d->s < d->end && *d->s == ']') {
		d->s++;
		return true;
	}
	for (;;) {
		if (!value(d))
			return false;
		duk_put_prop_index(d->ctx, -2, i++);
		skip_ws(d);
		if (d->s < d->end && *d->s == ',') {
			d->s++;
			continue;
		}
		if (d->s < d->end && *d->s == ']') {
			d->s++;
			return true;
		}
		return false;
	}
}

/* An object is built without a prototype and gets Object.prototype when
 * complete: its keys become own data properties, as in JSON.parse, even
 * when named __proto__ and whatever setters a script put on
 * Object.prototype in an earlier record; and storing a key walks no
 * prototype chain. */
static bool end_object(struct dec *d)
{
	duk_dup(d->ctx, d->proto);
	duk_set_prototype(d->ctx, -2);
	return true;
}

static bool object(struct dec *d)
{
	d->s++;
	duk_push_bare_object(d->ctx);
	skip_ws(d);
	if (d->s < d->end && *d->s == '}') {
		d->s++;
		return end_object(d);
	}
	for (;;) {
		skip_ws(d);
		if (d->s >= d->end || *d->s != '"' || !string(d))
			return false;
		skip_ws(d);
		if (d->s >= d->end || *d->s != ':')
			return false;
		d->s++;
		if (!value(d))
			return false;
		duk_put_prop(d->ctx, -3);
		skip_ws(d);
		if (d->s < d->end && *d->s == ',') {
			d->s++;
			continue;
		}
		if (d->s < d->end && *d->s == '}') {
			d->s++;
			return end_object(d);
		}
		return false;
	}
}

static bool value(struct dec *d)
{
	skip_ws(d);
	if (d->s >= d->end)
		return false;
	switch (*d->s) {
	case '{':
	case '[': {
		if (++d->depth > MAX_DEPTH)
			return false;
		duk_require_stack(d->ctx, 4);
		bool ok = *d->s == '{' ? object(d) : array(d);
		d->depth--;
		return ok;
	}
	case '"': return string(d);
	case 't':
		if (!literal(d, "true", 4))
			return false;
		duk_push_true(d->ctx);
		return true;
	case 'f':
		if (!literal(d, "false", 5))
			return false;
		duk_push_false(d->ctx);
		return true;
	case 'n':
		if (!literal(d, "null", 4))
			return false;
		duk_push_null(d->ctx);
		return true;
	default: return number(d);
	}
}

bool jsb_decode(duk_context *ctx, struct jsb_heap *heap, const char *text, size_t len)
{
	struct dec d = {.ctx = ctx, .heap = heap, .s = text, .end = text + len};
	duk_idx_t top = duk_get_top(ctx);
	duk_push_object(ctx); /* its prototype is the intrinsic one, whatever `Object` now is */
	duk_get_prototype(ctx, -1);
	duk_remove(ctx, -2);
	d.proto = top;
	duk_push_dynamic_buffer(ctx, 0);
	d.tmp_idx = top + 1;
	bool ok = value(&d);
	if (ok) {
		skip_ws(&d);
		ok = d.s == d.end;
	}
	if (!ok) {
		duk_set_top(ctx, top);
		return false;
	}
	duk_remove(ctx, top + 1);
	duk_remove(ctx, top);
	return true;
}
