/* JSON and text between the outside world and Duktape values.
 * Owns the UTF-8 <-> CESU-8 boundary for data: input JSON, --arg values,
 * results and console text.  Must not decide exit codes or print errors. */
#ifndef JSB_BRIDGE_H
#define JSB_BRIDGE_H

#include <stdbool.h>
#include <stddef.h>

#include "duktape.h"
#include "engine/confined/heap.h"
#include "engine/confined/out.h"
#include "engine/lib/text.h"

enum jsb_parse_status { JSB_PARSE_OK, JSB_PARSE_INVALID, JSB_PARSE_MEMORY };

/* Parses UTF-8 JSON text and pushes the value: [ ... ] -> [ ... value ].
 * On failure pushes nothing and writes "name:line:col: detail" to err.
 * Warns once (through out) when an integer loses precision. */
enum jsb_parse_status jsb_bridge_parse(duk_context *ctx, struct jsb_heap *heap, struct jsb_out *out,
                                       const char *text, size_t len, const char *name, char *err,
                                       size_t errsize);

/* Pushes UTF-8 text as a string, converting non-BMP characters to the
 * surrogate pairs JavaScript expects.  False when the budget ran out. */
bool jsb_bridge_push_text(duk_context *ctx, struct jsb_heap *heap, const char *text, size_t len);

/* Saves the pristine JSON.stringify before any script can replace it. */
void jsb_bridge_init(duk_context *ctx);

/* Replaces the value at idx with its JSON text (indent 0 = compact), or with
 * undefined when JSON has no form for it.  May throw (cycles, limits, a
 * throwing toJSON); call inside a protected call. */
void jsb_bridge_encode(duk_context *ctx, duk_idx_t idx, int indent);

/* Writes Duktape string bytes as UTF-8 script output.  False when the
 * output budget ran out. */
bool jsb_bridge_write(struct jsb_out *out, enum jsb_channel ch, const char *s, size_t len,
                      enum jsb_lone lone);

#endif
