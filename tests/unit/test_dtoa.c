/* Numbers to text: ECMAScript's layout for every branch, and, for millions
 * of doubles (random bit patterns, decimals, integers, powers of two,
 * subnormals), digits that read back as the same double and are as short
 * as, and when as short the same as, the best printf("%.*e") finds. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "engine/lib/dtoa.h"

static int gives(double v, const char *want)
{
	char buf[JSB_DTOA_MAX];
	size_t n = jsb_dtoa(v, buf);
	if (n == strlen(want) && memcmp(buf, want, n) == 0)
		return 1;
	printf("# %.17g gave %.*s, want %s\n", v, (int)n, buf, want);
	return 0;
}

/* Significant digits of a decimal string, without sign, point, exponent
 * or leading and trailing zeros. */
static size_t digits_of(const char *s, size_t n, char *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n && s[i] != 'e'; i++)
		if (s[i] >= '0' && s[i] <= '9' && (k > 0 || s[i] != '0'))
			out[k++] = s[i];
	while (k > 0 && out[k - 1] == '0')
		k--;
	out[k] = 0;
	return k;
}

/* The fewest %.*e digits that read back as v: correctly rounded, so as
 * short as possible except beside a power of two, where the interval of
 * decimals is lopsided. */
static size_t reference(double v, char *digits)
{
	char buf[64];
	int lo = 0, hi = 16; /* 17 digits always read back; more digits never stop */
	while (lo < hi) {
		int p = (lo + hi) / 2;
		snprintf(buf, sizeof buf, "%.*e", p, v);
		if (strtod(buf, NULL) == v)
			hi = p;
		else
			lo = p + 1;
	}
	int n = snprintf(buf, sizeof buf, "%.*e", lo, v);
	return digits_of(buf, (size_t)n, digits);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Whether v's text reads back as v, and is no longer than the reference
 * (and equal to it when as long, unless v's significand is a power of 2). */
static int agrees(double v)
{
	char buf[JSB_DTOA_MAX + 1], mine[24], ref[24];
	size_t n = jsb_dtoa(v, buf);
	buf[n] = 0;
	if (strtod(buf, NULL) != v) {
		printf("# %a gave %s, which reads back as %a\n", v, buf, strtod(buf, NULL));
		return 0;
	}
	size_t k = digits_of(buf, n, mine), kr = reference(v, ref);
	uint64_t bits;
	memcpy(&bits, &v, sizeof bits);
	int pow2 = (bits & ((1ull << 52) - 1)) == 0;
	if (k < kr || (k == kr && (strcmp(mine, ref) == 0 || pow2)))
		return 1;
	printf("# %a gave %s, printf has %s\n", v, buf, ref);
	return 0;
}

static double from_bits(uint64_t bits)
{
	double v;
	memcpy(&v, &bits, sizeof v);
	return v;
}

/* Each kind of double, count of them: 0 when every one agrees. */
static int sweep(int kind, int count)
{
	int bad = 0;
	for (int i = 0; i < count && bad < 5; i++) {
		uint64_t r = next();
		double v;
		switch (kind) {
		case 0: v = from_bits(r & ~(0x7ffull << 52) ? r : 1); break; /* any bits */
		case 1: v = (double)(r % 100000000) / 100.0; break;          /* prices */
		case 2: v = (double)(r % 1000000) / 100.0 * (double)((r >> 44) % 1000); break;
		case 3: v = (double)(int64_t)(r >> (r % 64)); break;   /* integers */
		case 4: v = from_bits((r % 2046 + 1) << 52); break;    /* powers of two */
		default: v = from_bits(r & ((1ull << 52) - 1)); break; /* subnormals */
		}
		if (v != v || v - v != 0)
			continue;
		bad += !agrees(v) + !agrees(-v);
	}
	return bad;
}

int main(void)
{
	CHECK("zero", gives(0.0, "0"));
	CHECK("negative zero prints as 0", gives(-0.0, "0"));
	CHECK("integer", gives(100, "100"));
	CHECK("large integer with zeros", gives(1e20, "100000000000000000000"));
	CHECK("21 digits switch to exponent", gives(1e21, "1e+21"));
	CHECK("2^53", gives(9007199254740992.0, "9007199254740992"));
	CHECK("rounded integer", gives(123456789012345680000.0, "123456789012345680000"));
	CHECK("fraction", gives(12.34, "12.34"));
	CHECK("0.1 + 0.2", gives(0.1 + 0.2, "0.30000000000000004"));
	CHECK("one third", gives(1.0 / 3, "0.3333333333333333"));
	CHECK("product of a price", gives(12.34 * 3, "37.019999999999996"));
	CHECK("small fraction", gives(0.000001, "0.000001"));
	CHECK("1e-7 switches to exponent", gives(1e-7, "1e-7"));
	CHECK("exponent with digits", gives(1.5e-10, "1.5e-10"));
	CHECK("negative", gives(-2.5, "-2.5"));
	CHECK("negative exponent form", gives(-1.23e-18, "-1.23e-18"));
	CHECK("largest double", gives(1.7976931348623157e308, "1.7976931348623157e+308"));
	CHECK("smallest normal", gives(2.2250738585072014e-308, "2.2250738585072014e-308"));
	CHECK("smallest subnormal", gives(5e-324, "5e-324"));
	CHECK("three subnormal steps", gives(1.5e-323, "1.5e-323"));
	CHECK("exponent 100", gives(1e100, "1e+100"));
	CHECK("2^-1074 * 2^k boundary", gives(9007199254740993.0 * 2, "18014398509481984"));
	CHECK("random bit patterns", sweep(0, 200000) == 0);
	CHECK("prices", sweep(1, 50000) == 0);
	CHECK("products", sweep(2, 50000) == 0);
	CHECK("integers", sweep(3, 50000) == 0);
	CHECK("powers of two", sweep(4, 4092) == 0);
	CHECK("subnormals", sweep(5, 50000) == 0);
	CHECK_DONE();
}
