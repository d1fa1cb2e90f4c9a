/* Decimal to double.  The literal is first reduced to its significant
 * digits and a power of ten (bounded: beyond MAX_DIGITS digits only
 * "something non-zero follows" matters for rounding, kept as a final 1).
 * Clinger's fast path answers when both the digits (at most 15, so below
 * 2^53) and the power (|e| <= 22, so 10^e is exact) are exact doubles: one
 * IEEE multiplication or division then rounds correctly.  Everything else
 * goes to strtod_l in the C locale, which rounds correctly always. */
#include <locale.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "engine/lib/atod.h"

/* Correct rounding of a double needs at most 767 significant digits
 * (the longest exact subnormal); 800 and a sticky digit are plenty. */
#define MAX_DIGITS 800

/* A power of ten past this is 0 or infinity for any digits we keep. */
#define MAX_EXP 100000

static const double powers_of_ten[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* The literal as value = digits x 10^exp. */
struct decimal {
	char digits[MAX_DIGITS + 16]; /* and a sticky 1 and "e-100000" */
	size_t n;                     /* significant digits kept (no leading zeros) */
	bool sticky;                  /* a non-zero digit was dropped past MAX_DIGITS */
	int64_t exp;                  /* power of ten of the last kept digit */
	bool neg;
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* One mantissa digit; frac says it is after the point. */
static void add_digit(struct decimal *d, char c, bool frac)
{
	if (d->n == 0 && c == '0') {
		if (frac)
			d->exp--;
		return;
	}
	if (d->n < MAX_DIGITS) {
		d->digits[d->n++] = c;
		if (frac)
			d->exp--;
	} else {
		d->sticky |= c != '0';
		if (!frac)
			d->exp++;
	}
}

/* The exponent part's value, clamped (it only needs to stay past MAX_EXP
 * after the mantissa's shift, which is at most len). */
static int64_t exponent(const char *p, const char *end)
{
	bool neg = false;
	int64_t e = 0;
	if (p < end && (*p == '+' || *p == '-'))
		neg = *p++ == '-';
	for (; p < end && is_digit(*p); p++)
		if (e < INT64_MAX / 100)
			e = e * 10 + (*p - '0');
	return neg ? -e : e;
}

static void scan(struct decimal *d, const char *s, size_t len)
{
	const char *p = s, *end = s + len;
	d->n = 0;
	d->sticky = false;
	d->exp = 0;
	d->neg = false;
	if (p < end && (*p == '+' || *p == '-'))
		d->neg = *p++ == '-';
	for (; p < end && is_digit(*p); p++)
		add_digit(d, *p, false);
	if (p < end && *p == '.')
		for (p++; p < end && is_digit(*p); p++)
			add_digit(d, *p, true);
	if (p < end && (*p == 'e' || *p == 'E'))
		d->exp += exponent(p + 1, end);
}

/* Digits and power as strtod reads them, in the C locale (a decimal point
 * is never involved, but the locale is not the process's to choose). */
static double slow(struct decimal *d)
{
	static locale_t c_locale;
	if (!c_locale)
		c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	if (d->sticky) {
		d->digits[d->n++] = '1';
		d->exp--;
	}
	int64_t e = d->exp < -MAX_EXP ? -MAX_EXP : d->exp > MAX_EXP ? MAX_EXP : d->exp;
	snprintf(d->digits + d->n, sizeof d->digits - d->n, "e%d", (int)e);
	return strtod_l(d->digits, NULL, c_locale);
}

static double value(struct decimal *d)
{
	if (d->n == 0)
		return 0.0;
	if (d->n <= 15 && !d->sticky && d->exp >= -22 && d->exp <= 22) {
		int64_t w = 0;
		for (size_t i = 0; i < d->n; i++)
			w = w * 10 + (d->digits[i] - '0');
		double x = (double)w;
		return d->exp < 0 ? x / powers_of_ten[-d->exp] : x * powers_of_ten[d->exp];
	}
	return slow(d);
}

double jsb_atod(const char *s, size_t len)
{
	struct decimal d;
	scan(&d, s, len);
	double x = value(&d);
	return d.neg ? -x : x;
}
