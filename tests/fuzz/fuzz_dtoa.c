/* Fuzz target: numbers to text (engine/lib/dtoa.c).  For any finite
 * double: the text reads back as the same double, has no fewer digits
 * than needed (one digit less never reads back), and its digits are the
 * closest of that length that reads back (printf's %.*e). */
#include <math.h>
#include <string.h>

#include "engine/lib/dtoa.h"
#include "tests/fuzz/fuzz.h"

/* The significant digits of ToString's text, and their count. */
static size_t digits_of(const char *s, char *d)
{
	size_t n = 0;
	for (; *s && *s != 'e'; s++)
		if (*s >= '0' && *s <= '9')
			d[n++] = *s;
	d[n] = '\0';
	size_t lead = strspn(d, "0");
	memmove(d, d + lead, n - lead + 1);
	n -= lead;
	while (n > 1 && d[n - 1] == '0')
		d[--n] = '\0';
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	double v;
	if (size != sizeof v)
		return 0;
	memcpy(&v, data, sizeof v);
	if (!isfinite(v))
		return 0;
	char buf[JSB_DTOA_MAX + 1], digits[JSB_DTOA_MAX + 1], ref[64], refd[64];
	size_t len = jsb_dtoa(v, buf);
	FUZZ_CHECK(len > 0 && len <= JSB_DTOA_MAX);
	buf[len] = '\0';
	FUZZ_CHECK(strtod(buf, NULL) == v);
	if (v == 0) {
		FUZZ_CHECK(strcmp(buf, "0") == 0);
		return 0;
	}
	size_t n = digits_of(buf, digits);
	FUZZ_CHECK(n >= 1 && n <= 17);
	if (n > 1) {
		snprintf(ref, sizeof ref, "%.*e", (int)n - 2, v);
		FUZZ_CHECK(strtod(ref, NULL) != v);
	}
	/* Beside a power of two the closest n digits may fall outside the
	 * narrower half of the rounding interval: compare only when they read back. */
	snprintf(ref, sizeof ref, "%.*e", (int)n - 1, v);
	digits_of(ref, refd);
	FUZZ_CHECK(strtod(ref, NULL) != v || strcmp(digits, refd) == 0);
	return 0;
}
