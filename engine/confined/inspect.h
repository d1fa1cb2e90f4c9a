/* How values look to a person: console.log arguments and REPL results.
 * Node-like: {{ a: 1, b: [ 1, 2 ] }}, depth and length limits, colors on
 * request.  Never runs getters; runs only what a Proxy's traps run. */
#ifndef JSB_INSPECT_H
#define JSB_INSPECT_H

#include <stdbool.h>
#include <stddef.h>

#include "duktape.h"
#include "engine/confined/heap.h"

struct jsb_strbuf {
	struct jsb_heap *heap;
	char *data; /* CESU-8, like Duktape's strings */
	size_t len, cap;
	bool failed; /* the budget ran out */
};

struct jsb_inspect_opts {
	int depth;    /* nesting shown before [Object] (node: 2) */
	bool color;   /* ANSI colors */
	bool top_raw; /* a top-level string prints without quotes (console.log) */
};

void jsb_strbuf_add(struct jsb_strbuf *b, const char *s, size_t len);
void jsb_strbuf_free(struct jsb_strbuf *b);

/* Appends the inspection of the value at idx to b.  May throw (a Proxy
 * trap); call inside a protected call. */
void jsb_inspect(duk_context *ctx, duk_idx_t idx, struct jsb_strbuf *b,
                 const struct jsb_inspect_opts *opts);

#endif
