/* A direct JSON decoder: pushes values straight onto the Duktape stack,
 * numbers through jsb_atod (correctly rounded).  Fast path only: anything it does not accept
 * (invalid JSON, integers beyond 2^53, deep nesting) is left to the
 * bridge's full decoder, which also words the error. */
#ifndef JSB_DECODE_H
#define JSB_DECODE_H

#include <stdbool.h>
#include <stddef.h>

#include "duktape.h"
#include "engine/confined/heap.h"

/* Pushes the value of UTF-8 JSON text: [ ... ] -> [ ... value ] and true;
 * false with the stack unchanged when the fast path does not apply.  Must
 * run inside a protected call (pushing may throw out of memory). */
bool jsb_decode(duk_context *ctx, struct jsb_heap *heap, const char *text, size_t len);

#endif
