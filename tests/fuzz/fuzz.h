/* What every libFuzzer target shares: the entry point's prototype (the
 * project builds with -Wmissing-prototypes) and a check that aborts, so a
 * broken invariant is a crash libFuzzer keeps, like a sanitizer report. */
#ifndef JSB_FUZZ_H
#define JSB_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);   \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#endif
