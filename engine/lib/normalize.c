/* String.prototype.normalize (NFC, NFD, NFKC, NFKD, UAX #15) in C, which
 * Duktape 2.7 lacks.  The tables (norm_tables.h, generated at build time
 * from the build's Unicode database by tools/unicode_norm.py) are sorted
 * arrays searched by halving; Hangul syllables are computed. */
#include <stdint.h>
#include <string.h>

#include "engine/confined/heap.h"
#include "engine/lib/normalize.h"
#include "norm_tables.h"

#define N_OF(a) (sizeof(a) / sizeof *(a))

enum {
	SBASE = 0xAC00,
	LBASE = 0x1100,
	VBASE = 0x1161,
	TBASE = 0x11A7,
	LCOUNT = 19,
	VCOUNT = 21,
	TCOUNT = 28,
	NCOUNT = VCOUNT * TCOUNT,
	SCOUNT = LCOUNT * NCOUNT
};

/* NAME(a, n, key): the index of key in the sorted a[0..n), or -1; one for
 * the code point tables, one for the pair keys. */
#define DEFINE_FIND(NAME, TYPE)                                                                    \
	static long NAME(const TYPE *a, size_t n, TYPE key)                                        \
	{                                                                                          \
		size_t lo = 0, hi = n;                                                             \
		while (lo < hi) {                                                                  \
			size_t mid = lo + (hi - lo) / 2;                                           \
			if (a[mid] < key)                                                          \
				lo = mid + 1;                                                      \
			else                                                                       \
				hi = mid;                                                          \
		}                                                                                  \
		return lo < n && a[lo] == key ? (long)lo : -1;                                     \
	}
DEFINE_FIND(find, uint32_t)
DEFINE_FIND(find_pair, uint64_t)

static unsigned ccc(uint32_t cp)
{
	size_t lo = 0, hi = N_OF(norm_classes);
	if (cp < norm_classes[0].first)
		return 0;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (norm_classes[mid].first <= cp)
			lo = mid;
		else
			hi = mid;
	}
	return cp < norm_classes[lo].first + norm_classes[lo].count ? norm_classes[lo].cls : 0;
}

struct sink {
	uint32_t *cp; /* NULL: only count */
	size_t n;
};

static void put(struct sink *s, uint32_t cp)
{
	if (s->cp)
		s->cp[s->n] = cp;
	s->n++;
}

static void decompose(uint32_t cp, bool compat, struct sink *out);

/* Decomposes cp through one table; false when it is not in it. */
static bool mapped(const uint32_t *cps, size_t n, const uint16_t *at, const uint32_t *to,
                   uint32_t cp, bool compat, struct sink *out)
{
	long k = find(cps, n, cp);
	if (k < 0)
		return false;
	const uint32_t *d = to + at[k];
	for (uint32_t i = 1; i <= d[0]; i++)
		decompose(d[i], compat, out);
	return true;
}

/* The full decomposition of cp (the tables hold one level each). */
static void decompose(uint32_t cp, bool compat, struct sink *out)
{
	if (cp >= SBASE && cp < SBASE + SCOUNT) {
		uint32_t s = cp - SBASE;
		put(out, LBASE + s / NCOUNT);
		put(out, VBASE + (s % NCOUNT) / TCOUNT);
		if (s % TCOUNT)
			put(out, TBASE + s % TCOUNT);
	} else if (cp < 0xA0 ||
	           (!mapped(norm_canon_cps, N_OF(norm_canon_cps), norm_canon_at, norm_canon_to, cp,
	                    compat, out) &&
	            !(compat && mapped(norm_compat_cps, N_OF(norm_compat_cps), norm_compat_at,
	                               norm_compat_to, cp, compat, out)))) {
		put(out, cp);
	}
}

/* Canonical order: each run of marks sorted by class, stably (runs are
 * short: insertion). */
static void reorder(uint32_t *a, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		uint32_t x = a[i];
		unsigned c = ccc(x);
		size_t j = i;
		if (!c)
			continue;
		for (; j > 0 && ccc(a[j - 1]) > c; j--)
			a[j] = a[j - 1];
		a[j] = x;
	}
}

/* What a b compose to, or 0. */
static uint32_t compose_pair(uint32_t a, uint32_t b)
{
	if (a >= LBASE && a < LBASE + LCOUNT && b >= VBASE && b < VBASE + VCOUNT)
		return SBASE + ((a - LBASE) * VCOUNT + (b - VBASE)) * TCOUNT;
	if (a >= SBASE && a < SBASE + SCOUNT && (a - SBASE) % TCOUNT == 0 && b > TBASE &&
	    b < TBASE + TCOUNT)
		return a + (b - TBASE);
	long k = find_pair(norm_pairs, N_OF(norm_pairs), (uint64_t)a * 0x110000 + b);
	return k < 0 ? 0 : norm_pair_cps[k];
}

/* Canonical composition in place: each mark joins the last starter
 * unless a starter, or a mark of the same or a higher class, comes
 * between.  Returns the new length. */
static size_t compose(uint32_t *a, size_t n)
{
	if (n == 0)
		return 0;
	size_t out = 1, starter = 0;
	unsigned last = ccc(a[0]) ? 256 : 0;
	for (size_t i = 1; i < n; i++) {
		uint32_t cp = a[i], composite;
		unsigned c = ccc(cp);
		if ((last < c || last == 0) && (composite = compose_pair(a[starter], cp)) != 0) {
			a[starter] = composite;
			continue;
		}
		if (!c)
			starter = out;
		last = c;
		a[out++] = cp;
	}
	return out;
}

size_t jsb_normalize_bound(const uint32_t *in, size_t n, bool compat)
{
	struct sink count = {NULL, 0};
	for (size_t i = 0; i < n; i++)
		decompose(in[i], compat, &count);
	return count.n;
}

size_t jsb_normalize(const uint32_t *in, size_t n, uint32_t *out, bool compat, bool composed)
{
	struct sink s = {out, 0};
	for (size_t i = 0; i < n; i++)
		decompose(in[i], compat, &s);
	reorder(out, s.n);
	return composed ? compose(out, s.n) : s.n;
}

const char *jsb_normalize_unicode_version(void)
{
	return NORM_UNICODE_VERSION;
}

/* CESU-8 (Duktape's strings) -> code points, surrogate pairs joined; a
 * 4-byte sequence (from C code) is one code point too.  out holds len. */
static size_t code_points(const unsigned char *s, size_t len, uint32_t *out)
{
	size_t n = 0;
	for (size_t i = 0; i < len;) {
		uint32_t c = s[i];
		size_t k = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
		if (i + k > len)
			k = len - i;
		if (k == 2)
			c = (c & 0x1F) << 6 | (s[i + 1] & 0x3F);
		else if (k == 3)
			c = (c & 0x0F) << 12 | (uint32_t)(s[i + 1] & 0x3F) << 6 | (s[i + 2] & 0x3F);
		else if (k == 4)
			c = (c & 0x07) << 18 | (uint32_t)(s[i + 1] & 0x3F) << 12 |
			    (uint32_t)(s[i + 2] & 0x3F) << 6 | (s[i + 3] & 0x3F);
		i += k;
		if (n > 0 && c >= 0xDC00 && c < 0xE000 && out[n - 1] >= 0xD800 &&
		    out[n - 1] < 0xDC00)
			out[n - 1] = 0x10000 + ((out[n - 1] - 0xD800) << 10) + (c - 0xDC00);
		else
			out[n++] = c;
	}
	return n;
}

static size_t put_cesu(unsigned char *p, uint32_t c)
{
	if (c < 0x80) {
		p[0] = (unsigned char)c;
		return 1;
	}
	if (c < 0x800) {
		p[0] = (unsigned char)(0xC0 | c >> 6);
		p[1] = (unsigned char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c >= 0x10000) {
		size_t k = put_cesu(p, 0xD800 + ((c - 0x10000) >> 10));
		return k + put_cesu(p + k, 0xDC00 + ((c - 0x10000) & 0x3FF));
	}
	p[0] = (unsigned char)(0xE0 | c >> 12);
	p[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
	p[2] = (unsigned char)(0x80 | (c & 0x3F));
	return 3;
}

/* String.prototype.normalize([form]).  The buffers are the heap's, so a
 * huge string meets the memory limit, not malloc. */
static duk_ret_t normalize(duk_context *ctx)
{
	static const char *const forms[] = {"NFC", "NFD", "NFKC", "NFKD"};
	duk_push_this(ctx);
	if (duk_is_null_or_undefined(ctx, -1))
		return duk_error(ctx, DUK_ERR_TYPE_ERROR,
		                 "String.prototype.normalize called on null or undefined");
	duk_size_t len;
	const unsigned char *s = (const unsigned char *)duk_to_lstring(ctx, -1, &len);
	int form = 0;
	if (!duk_is_undefined(ctx, 0)) {
		const char *name = duk_to_string(ctx, 0);
		for (form = 0; form < 4 && strcmp(name, forms[form]) != 0; form++)
			;
		if (form == 4)
			return duk_error(
			    ctx, DUK_ERR_RANGE_ERROR,
			    "The normalization form should be one of NFC, NFD, NFKC, NFKD.");
	}
	bool compat = form >= 2, composed = form % 2 == 0, plain = true;
	for (size_t i = 0; i < len && plain; i++)
		plain = s[i] < 0xC2 || (s[i] == 0xC2 && i + 1 < len && s[i + 1] < 0xA0);
	if (plain)
		return 1; /* below U+00A0: the same in every form */
	uint32_t *in = duk_push_fixed_buffer(ctx, len * sizeof *in);
	size_t n = code_points(s, len, in);
	size_t m = jsb_normalize_bound(in, n, compat);
	uint32_t *out = duk_push_fixed_buffer(ctx, m * sizeof *out);
	m = jsb_normalize(in, n, out, compat, composed);
	unsigned char *text = duk_push_fixed_buffer(ctx, m * 6);
	size_t bytes = 0;
	for (size_t i = 0; i < m; i++)
		bytes += put_cesu(text + bytes, out[i]);
	duk_push_lstring(ctx, (const char *)text, bytes);
	return 1;
}

void jsb_normalize_install(duk_context *ctx)
{
	duk_get_global_string(ctx, "String");
	duk_get_prop_string(ctx, -1, "prototype");
	jsb_define_method(ctx, "normalize", normalize, 1);
	duk_pop_2(ctx);
}
