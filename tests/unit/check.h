/* A minimal check harness for jsbox's C unit tests: one line per check,
 * "ok NAME" or "FAIL NAME: detail", and exit status 1 if any failed.
 * tests/run counts the lines. */
#ifndef JSB_CHECK_H
#define JSB_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures;

#define CHECK(name, cond)                                                                          \
	do {                                                                                       \
		if (cond) {                                                                        \
			printf("ok %s\n", name);                                                   \
		} else {                                                                           \
			printf("FAIL %s: %s (%s:%d)\n", name, #cond, __FILE__, __LINE__);          \
			check_failures++;                                                          \
		}                                                                                  \
	} while (0)

#define CHECK_MEM(name, got, got_len, want, want_len)                                              \
	CHECK(name, (got_len) == (want_len) && memcmp((got), (want), (want_len)) == 0)

#define CHECK_DONE() return check_failures ? 1 : 0

#endif
