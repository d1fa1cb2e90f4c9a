/* Math.random for every heap (DUK_USE_GET_RANDOM_DOUBLE): xoroshiro128+,
 * as Duktape's own, but seeded from the kernel's random source rather than
 * the clock, and kept outside the heap: a server worker puts the same saved
 * heap back for each job, and a seed inside it would give every job the
 * same numbers.  jsb_random_forget() makes the next call draw a new seed,
 * so one job's numbers tell nothing of another's. */
#include <stdbool.h>
#include <stdint.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "engine/confined/random.h"

static uint64_t state[2];
static bool seeded;

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void seed(void)
{
	uint64_t s[2];
	if (getrandom(s, sizeof s, GRND_NONBLOCK) != (ssize_t)sizeof s) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		uint64_t x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^
		             ((uint64_t)getpid() << 48) ^ (uint64_t)(uintptr_t)&ts;
		s[0] = splitmix(&x);
		s[1] = splitmix(&x);
	}
	if (!s[0] && !s[1])
		s[1] = 1; /* the one state xoroshiro cannot leave */
	state[0] = s[0];
	state[1] = s[1];
	seeded = true;
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

double jsb_random_double(void *udata)
{
	(void)udata;
	if (!seeded)
		seed();
	uint64_t s0 = state[0], s1 = state[1], r = s0 + s1;
	s1 ^= s0;
	state[0] = rotl(s0, 24) ^ s1 ^ (s1 << 16);
	state[1] = rotl(s1, 37);
	return (double)(r >> 11) * 0x1.0p-53; /* 53 random bits in [0, 1) */
}

void jsb_random_forget(void)
{
	seeded = false;
}
