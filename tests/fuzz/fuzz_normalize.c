/* Fuzz target: Unicode normalization (engine/lib/normalize.c) on any code
 * points.  Output stays within jsb_normalize_bound, and the stability
 * rules of UAX #15 hold: normalizing a normalized string changes nothing,
 * NFC(NFD(x)) = NFC(x), NFD(NFC(x)) = NFD(x), and likewise for K forms. */
#include <string.h>

#include "engine/lib/normalize.h"
#include "tests/fuzz/fuzz.h"

#define MAX_IN 512

/* A form of in[0..n) in a fresh buffer; *len gets its length. */
static uint32_t *form(const uint32_t *in, size_t n, bool compat, bool composed, size_t *len)
{
	size_t bound = jsb_normalize_bound(in, n, compat);
	uint32_t *out = malloc((bound ? bound : 1) * sizeof *out);
	FUZZ_CHECK(out != NULL);
	*len = jsb_normalize(in, n, out, compat, composed);
	FUZZ_CHECK(*len <= bound);
	return out;
}

static bool same(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	return na == nb && memcmp(a, b, na * sizeof *a) == 0;
}

/* Both forms of one kind (canonical or compatibility) and their rules. */
static void check_kind(const uint32_t *in, size_t n, bool compat)
{
	size_t nd, nc, ndd, ncc, ncd, ndc;
	uint32_t *d = form(in, n, compat, false, &nd);
	uint32_t *c = form(in, n, compat, true, &nc);
	uint32_t *dd = form(d, nd, compat, false, &ndd);
	uint32_t *cc = form(c, nc, compat, true, &ncc);
	uint32_t *cd = form(d, nd, compat, true, &ncd);
	uint32_t *dc = form(c, nc, compat, false, &ndc);
	FUZZ_CHECK(same(d, nd, dd, ndd));
	FUZZ_CHECK(same(c, nc, cc, ncc));
	FUZZ_CHECK(same(c, nc, cd, ncd));
	FUZZ_CHECK(same(d, nd, dc, ndc));
	free(d), free(c), free(dd), free(cc), free(cd), free(dc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Three bytes a code point: every plane is reachable, and inputs that
	 * are mostly small values stay in the scripts with most mappings. */
	uint32_t in[MAX_IN];
	size_t n = 0;
	for (size_t i = 0; i + 3 <= size && n < MAX_IN; i += 3)
		in[n++] = ((uint32_t)data[i] << 16 | (uint32_t)data[i + 1] << 8 | data[i + 2]) %
		          0x110000u;
	check_kind(in, n, false);
	check_kind(in, n, true);
	return 0;
}
