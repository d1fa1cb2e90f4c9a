/* Unicode normalization (UAX #15): String.prototype.normalize, and the
 * code point level under it (pure, for the unit tests). */
#ifndef JSB_NORMALIZE_H
#define JSB_NORMALIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "duktape.h"

/* Code points jsb_normalize writes for in[0..n). */
size_t jsb_normalize_bound(const uint32_t *in, size_t n, bool compat);

/* in[0..n) decomposed (compat: with the compatibility mappings, as NFKD),
 * put in canonical order and, if composed, composed again (NFC, NFKC)
 * into out, which holds jsb_normalize_bound(); returns the length. */
size_t jsb_normalize(const uint32_t *in, size_t n, uint32_t *out, bool compat, bool composed);

/* The Unicode version of the tables. */
const char *jsb_normalize_unicode_version(void);

/* Defines String.prototype.normalize on ctx's String. */
void jsb_normalize_install(duk_context *ctx);

#endif
