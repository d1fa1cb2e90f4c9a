/* Text to numbers: jsb_atod against glibc's strtod (correctly rounded) on
 * millions of literals: random doubles printed with 15-20 digits, exact
 * halfway points between neighbouring doubles (and a digit either side),
 * subnormals, the ends of the range, huge exponents and long mantissas;
 * then the same literals through Duktape's number parser (Number(),
 * JSON.parse) and the direct JSON decoder, which must agree bit for bit. */
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "engine/confined/bridge.h"
#include "engine/lib/atod.h"
#include "engine/lib/decode.h"

static uint64_t rng_state = 0x2545f4914f6cdd1dull;

static uint64_t next(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static double bits(uint64_t b)
{
	double d;
	memcpy(&d, &b, sizeof d);
	return d;
}

static uint64_t bits_of(double d)
{
	uint64_t b;
	memcpy(&b, &d, sizeof b);
	return b;
}

static int mismatches;

/* One literal: jsb_atod must give strtod's bits. */
static void compare(const char *lit)
{
	double want = strtod(lit, NULL), got = jsb_atod(lit, strlen(lit));
	if (bits_of(got) != bits_of(want) && mismatches++ < 10)
		printf("# %s: got %.17g, strtod %.17g\n", lit, got, want);
}

/* A random finite double of any exponent. */
static double random_double(void)
{
	double d;
	do
		d = bits(next());
	while (!isfinite(d));
	return d;
}

/* The decimal halfway between d and the next double up (exact in a long
 * double's 64-bit mantissa), printed with `digits` digits after the point:
 * 780 is every digit of it (glibc prints binary values exactly), fewer a
 * near miss; then, when nudge says, its last digit moved either way. */
static void halfway(double d, char *out, size_t size, int nudge, int digits)
{
	double up = nextafter(d, INFINITY);
	long double mid = ((long double)d + (long double)up) / 2;
	int n = snprintf(out, size, "%.*Le", digits, mid);
	if (nudge) {
		char *e = strchr(out, 'e');
		char *last = e ? e - 1 : out + n - 1;
		if (nudge > 0 && *last < '9')
			(*last)++;
		else if (nudge < 0 && *last > '0')
			(*last)--;
	}
}

static void random_literals(long count)
{
	char buf[128];
	for (long i = 0; i < count; i++) {
		double d = random_double();
		snprintf(buf, sizeof buf, "%.*e", 14 + (int)(next() % 7), d);
		compare(buf);
	}
}

static void halfway_literals(long count)
{
	char buf[1024];
	for (long i = 0; i < count; i++) {
		double d = fabs(random_double());
		if (!isfinite(nextafter(d, INFINITY)))
			continue;
		int digits = i % 8 == 0 ? 780 : 16 + (int)(next() % 10);
		for (int nudge = -1; nudge <= 1; nudge++) {
			halfway(d, buf, sizeof buf, nudge, digits);
			compare(buf);
		}
	}
}

/* Decimal integers and fractions of 1-20 digits with every exponent
 * around the fast path's edges and the range's ends. */
static void shaped_literals(long count)
{
	char buf[128], digits[32];
	for (long i = 0; i < count; i++) {
		int nd = 1 + (int)(next() % 20);
		for (int k = 0; k < nd; k++)
			digits[k] = (char)('0' + next() % 10);
		digits[nd] = '\0';
		int e = (int)(next() % 700) - 350;
		if (next() % 4 == 0)
			e = (int)(next() % 50) - 25;
		int point = (int)(next() % (unsigned)(nd + 1));
		snprintf(buf, sizeof buf, "%s%.*s.%se%d", next() % 2 ? "-" : "", point, digits,
		         digits + point, e);
		compare(buf);
	}
}

static const char *const edges[] = {
    "1e23",
    "33e21",
    "8.41e21",
    "9007199254740993",
    "9007199254740992",
    "9007199254740995",
    "0",
    "-0",
    "0.0",
    "-0.0e10",
    "0e999999",
    "1e-400",
    "-1e-400",
    "1e400",
    "-1e400",
    "4.9406564584124654e-324",
    "2.4703282292062327e-324",
    "2.4703282292062328e-324",
    "2.2250738585072011e-308",
    "2.2250738585072014e-308",
    "2.2250738585072012e-308",
    "1.7976931348623157e308",
    "1.7976931348623158e308",
    "1.7976931348623159e308",
    "179769313486231580793728971405301e276",
    "0.1",
    "0.2",
    "0.3",
    "123456789012345678901",
    "1.00000000000000011102230246251565404236316680908203125",
    "1.00000000000000011102230246251565404236316680908203124",
    "1.00000000000000011102230246251565404236316680908203126",
    "7.2057594037927933e16",
    "1e22",
    "1e-22",
    "123456789012345e22",
    "123456789012345e-22",
    "1234567890123456e22",
    "5e-324",
    "3e-324",
    "2e-324",
    ".5",
    "5.",
    "1e",
    "1E+2",
    "1e-0",
    "000000000001.5",
    "0.000000000000000000000000000000000000000000000000000000000001e60",
};

static void edge_literals(void)
{
	for (size_t i = 0; i < sizeof edges / sizeof *edges; i++)
		compare(edges[i]);
	/* A mantissa far longer than a double needs: only "non-zero beyond"
	 * matters past the first few hundred digits. */
	static char longer[4100];
	memset(longer, '0', sizeof longer - 1);
	memcpy(longer, "1.", 2);
	longer[sizeof longer - 2] = '1';
	compare(longer);
	memcpy(
	    longer,
	    "2."
	    "47032822920623272088284396434110686182529901307162382212792841250337753635104375932649"
	    "91818081799618989828234772285886546332835517796989819938739800539093906315035659515570"
	    "22639229085839244910518443593180284993653615250031937045767824921936562366986365848075"
	    "70015857692699037063119282795585513329278343384093519780155312465972635795746227664652"
	    "72827220056374006485499977096599470454020828166226237857393450736339007967761930577506"
	    "74017632467360096895134053553745851666113422376667860416215968046191446729184030053005"
	    "75308490487653917113865916462395249126236538818796362393732804238910186723484976682350"
	    "89863388587925628302755995657524455507255189313690836254779186948667994968324049705821"
	    "028513185451396213837722826145437693412532098591327667236328125e-324",
	    700);
	longer[700] = '\0';
	compare(longer);
}

/* Duktape's parser (Number() and JSON.parse) and the direct decoder give
 * strtod's value for the same literals. */
static void through_engine(long count)
{
	struct jsb_limits limits = {0};
	struct jsb_out out;
	struct jsb_heap heap = {.limit = 64 << 20, .limits = &limits, .out = &out};
	int fds[2];
	if (pipe2(fds, O_NONBLOCK) != 0)
		abort();
	jsb_out_init(&out, fds[1], 1 << 20, &limits, false);
	duk_context *ctx = jsb_heap_create(&heap);
	if (!ctx)
		abort();
	int bad[3] = {0, 0, 0};
	char buf[1024];
	for (long i = 0; i < count; i++) {
		double d = random_double();
		if (i % 3 == 0)
			halfway(fabs(d), buf, sizeof buf, 0, i % 9 == 0 ? 780 : 20);
		else
			snprintf(buf, sizeof buf, "%.*e", 14 + (int)(next() % 7), d);
		uint64_t want = bits_of(strtod(buf, NULL));
		duk_push_string(ctx, buf);
		bad[0] += bits_of(duk_to_number(ctx, -1)) != want;
		duk_pop(ctx);
		duk_push_string(ctx, buf);
		duk_json_decode(ctx, -1);
		bad[1] += bits_of(duk_get_number(ctx, -1)) != want;
		duk_pop(ctx);
		bad[2] += !jsb_decode(ctx, &heap, buf, strlen(buf)) ||
		          bits_of(duk_get_number(ctx, -1)) != want;
		duk_pop(ctx);
	}
	duk_destroy_heap(ctx);
	close(fds[0]);
	close(fds[1]);
	CHECK("Number() rounds as strtod", bad[0] == 0);
	CHECK("JSON.parse rounds as strtod", bad[1] == 0);
	CHECK("the direct decoder rounds as strtod", bad[2] == 0);
}

int main(void)
{
	edge_literals();
	CHECK("edge literals", mismatches == 0);
	mismatches = 0;
	random_literals(1000000);
	CHECK("random doubles with 15-21 digits", mismatches == 0);
	mismatches = 0;
	halfway_literals(150000);
	CHECK("exact and near halfway points and their neighbours", mismatches == 0);
	mismatches = 0;
	shaped_literals(700000);
	CHECK("1-20 digit mantissas, any point, exponents near the edges", mismatches == 0);
	through_engine(100000);
	CHECK_DONE();
}
