/* Shortest round-trip digits of a double by Ulf Adams's Ryu algorithm
 * (PLDI 2018): the interval of decimals that read back as the double is
 * scaled by a 125-bit power of five, and digits are dropped while the
 * interval still holds one.  Then ECMAScript's layout of those digits.
 * The tables come from tools/dtoa_tables.py at build time. */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "dtoa_tables.h"
#include "duktape.h"
#include "engine/lib/dtoa.h"

#define MANTISSA_BITS 52
#define EXPONENT_BIAS 1023

/* floor(e * log10(2)), floor(e * log10(5)), ceil(e * log2(5)) (1 for 0). */
static uint32_t log10_pow2(int32_t e)
{
	return ((uint32_t)e * 78913) >> 18;
}

static uint32_t log10_pow5(int32_t e)
{
	return ((uint32_t)e * 732923) >> 20;
}

static int32_t pow5_bits(int32_t e)
{
	return (int32_t)(((uint32_t)e * 1217359) >> 19) + 1;
}

static uint32_t pow5_factor(uint64_t v)
{
	uint32_t n = 0;
	while (v % 5 == 0) {
		v /= 5;
		n++;
	}
	return n;
}

static bool multiple_of_pow5(uint64_t v, uint32_t p)
{
	return pow5_factor(v) >= p;
}

static bool multiple_of_pow2(uint64_t v, uint32_t p)
{
	return (v & ((1ull << p) - 1)) == 0;
}

__extension__ typedef unsigned __int128 uint128;

/* (m * mul) >> j for a 128-bit mul, j >= 64. */
static uint64_t mul_shift(uint64_t m, const uint64_t *mul, int32_t j)
{
	uint128 lo = (uint128)m * mul[0];
	uint128 hi = (uint128)m * mul[1];
	return (uint64_t)(((lo >> 64) + hi) >> (j - 64));
}

struct decimal {
	uint64_t digits;
	int32_t exponent; /* value = digits * 10^exponent */
};

/* The scaled interval [vm, vp] around vr, and which ends are exact. */
struct interval {
	uint64_t vr, vp, vm;
	int32_t e10;
	bool vm_zeros, vr_zeros;
};

static void scale(uint64_t m2, int32_t e2, bool accept, uint32_t mm_shift, struct interval *iv)
{
	const uint64_t mv = 4 * m2;
	const uint64_t *mul;
	int32_t j;
	uint32_t q;
	iv->vm_zeros = iv->vr_zeros = false;
	if (e2 >= 0) {
		q = log10_pow2(e2) - (e2 > 3);
		iv->e10 = (int32_t)q;
		mul = pow5_inv_split[q];
		j = -e2 + (int32_t)q + JSB_POW5_INV_BITS + pow5_bits((int32_t)q) - 1;
	} else {
		q = log10_pow5(-e2) - (-e2 > 1);
		iv->e10 = (int32_t)q + e2;
		int32_t i = -e2 - (int32_t)q;
		mul = pow5_split[i];
		j = (int32_t)q - (pow5_bits(i) - JSB_POW5_BITS);
	}
	iv->vr = mul_shift(mv, mul, j);
	iv->vp = mul_shift(mv + 2, mul, j);
	iv->vm = mul_shift(mv - 1 - mm_shift, mul, j);
	if (e2 >= 0) {
		if (q <= 21) {
			if (mv % 5 == 0)
				iv->vr_zeros = multiple_of_pow5(mv, q);
			else if (accept)
				iv->vm_zeros = multiple_of_pow5(mv - 1 - mm_shift, q);
			else
				iv->vp -= multiple_of_pow5(mv + 2, q);
		}
	} else if (q <= 1) {
		iv->vr_zeros = true;
		if (accept)
			iv->vm_zeros = mm_shift == 1;
		else
			iv->vp--;
	} else if (q < 63) {
		iv->vr_zeros = multiple_of_pow2(mv, q);
	}
}

/* Drops digits while the interval still holds a shorter decimal; rounds
 * the last one to the nearest (ties to even). */
static struct decimal shorten(struct interval *iv, bool accept)
{
	int32_t removed = 0;
	unsigned last = 0;
	if (iv->vm_zeros || iv->vr_zeros) {
		while (iv->vp / 10 > iv->vm / 10) {
			iv->vm_zeros &= iv->vm % 10 == 0;
			iv->vr_zeros &= last == 0;
			last = (unsigned)(iv->vr % 10);
			iv->vr /= 10, iv->vp /= 10, iv->vm /= 10, removed++;
		}
		if (iv->vm_zeros)
			while (iv->vm % 10 == 0) {
				iv->vr_zeros &= last == 0;
				last = (unsigned)(iv->vr % 10);
				iv->vr /= 10, iv->vp /= 10, iv->vm /= 10, removed++;
			}
		if (iv->vr_zeros && last == 5 && iv->vr % 2 == 0)
			last = 4;
		bool up = (iv->vr == iv->vm && (!accept || !iv->vm_zeros)) || last >= 5;
		return (struct decimal){iv->vr + up, iv->e10 + removed};
	}
	bool up = false;
	while (iv->vp / 10 > iv->vm / 10) {
		up = iv->vr % 10 >= 5;
		iv->vr /= 10, iv->vp /= 10, iv->vm /= 10, removed++;
	}
	return (struct decimal){iv->vr + (iv->vr == iv->vm || up), iv->e10 + removed};
}

/* The shortest decimal of a finite, positive double's bits. */
static struct decimal shortest(uint64_t bits)
{
	uint64_t mantissa = bits & ((1ull << MANTISSA_BITS) - 1);
	uint32_t exponent = (uint32_t)(bits >> MANTISSA_BITS) & 0x7ff;
	int32_t e2;
	uint64_t m2;
	if (exponent == 0) {
		e2 = 1 - EXPONENT_BIAS - MANTISSA_BITS - 2;
		m2 = mantissa;
	} else {
		e2 = (int32_t)exponent - EXPONENT_BIAS - MANTISSA_BITS - 2;
		m2 = (1ull << MANTISSA_BITS) | mantissa;
	}
	bool accept = (m2 & 1) == 0;
	struct interval iv;
	scale(m2, e2, accept, mantissa != 0 || exponent <= 1, &iv);
	return shorten(&iv, accept);
}

static int decimal_length(uint64_t v)
{
	int n = 1;
	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

/* ECMAScript's layout of k digits d with the point after n of them
 * (Number::toString, step 6 onwards). */
static size_t layout(const char *d, int k, int n, char *out)
{
	char *p = out;
	if (k <= n && n <= 21) {
		memcpy(p, d, (size_t)k), p += k;
		memset(p, '0', (size_t)(n - k)), p += n - k;
	} else if (0 < n && n <= 21) {
		memcpy(p, d, (size_t)n), p += n;
		*p++ = '.';
		memcpy(p, d + n, (size_t)(k - n)), p += k - n;
	} else if (-6 < n && n <= 0) {
		*p++ = '0', *p++ = '.';
		memset(p, '0', (size_t)-n), p += -n;
		memcpy(p, d, (size_t)k), p += k;
	} else {
		*p++ = d[0];
		if (k > 1) {
			*p++ = '.';
			memcpy(p, d + 1, (size_t)(k - 1)), p += k - 1;
		}
		int e = n - 1;
		*p++ = 'e', *p++ = e < 0 ? '-' : '+';
		e = e < 0 ? -e : e;
		if (e >= 100)
			*p++ = (char)('0' + e / 100);
		if (e >= 10)
			*p++ = (char)('0' + e / 10 % 10);
		*p++ = (char)('0' + e % 10);
	}
	return (size_t)(p - out);
}

size_t jsb_dtoa(double v, char *buf)
{
	uint64_t bits;
	memcpy(&bits, &v, sizeof bits);
	size_t sign = bits >> 63;
	bits &= ~(1ull << 63);
	if (bits == 0) {
		buf[0] = '0';
		return 1;
	}
	if (sign)
		buf[0] = '-';
	struct decimal dec = shortest(bits);
	char digits[20];
	int k = decimal_length(dec.digits);
	for (int i = k - 1; i >= 0; i--, dec.digits /= 10)
		digits[i] = (char)('0' + dec.digits % 10);
	return sign + layout(digits, k, dec.exponent + k, buf + sign);
}

int jsb_dtoa_push(void *thr)
{
	duk_context *ctx = thr;
	double v = duk_get_number(ctx, -1);
	if (!isfinite(v))
		return 0;
	char buf[JSB_DTOA_MAX];
	size_t n = jsb_dtoa(v, buf);
	duk_pop(ctx);
	duk_push_lstring(ctx, buf, n);
	return 1;
}
