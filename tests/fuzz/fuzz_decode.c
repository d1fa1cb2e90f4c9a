/* Fuzz target: input JSON as jsbox binds it (engine/confined/bridge.c:
 * the direct decoder of engine/lib/decode.c, then Duktape's decoder and
 * the error locator), in a fresh capped heap per input.  Either a value
 * is pushed or nothing is, with a message or a memory verdict; what the
 * direct decoder accepts, Duktape's decoder accepts as the same value
 * (numbers within an ulp: their last-bit rounding is unit-tested apart). */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "engine/confined/bridge.h"
#include "engine/lib/decode.h"
#include "tests/fuzz/fuzz.h"

struct direct {
	struct jsb_heap *heap;
	const uint8_t *text;
	size_t len;
	bool ok;
};

static duk_ret_t direct_decode(duk_context *ctx, void *udata)
{
	struct direct *d = udata;
	duk_idx_t top = duk_get_top(ctx);
	d->ok = jsb_decode(ctx, d->heap, (const char *)d->text, d->len);
	FUZZ_CHECK(duk_get_top(ctx) == top + (d->ok ? 1 : 0));
	return d->ok ? 1 : 0;
}

/* Same JSON value; numbers may differ in their last bit. */
static const char same_js[] =
    "(function same(a, b) {\n"
    "  if (typeof a === 'number' && typeof b === 'number')\n"
    "    return a === b || Math.abs(a - b) <= Math.abs(a) * 2.3e-16;\n"
    "  if (a === null || typeof a !== 'object' || b === null || typeof b !== 'object')\n"
    "    return a === b;\n"
    "  if (Array.isArray(a) !== Array.isArray(b)) return false;\n"
    "  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;\n"
    "  var ka = Object.keys(a), kb = Object.keys(b);\n"
    "  if (ka.length !== kb.length) return false;\n"
    "  for (var i = 0; i < ka.length; i++)\n"
    "    if (ka[i] !== kb[i] || !same(a[ka[i]], b[kb[i]])) return false;\n"
    "  return true;\n"
    "})";

/* One heap for every input (creating one costs more than most inputs):
 * emptied after each, its limit set per input. */
struct state {
	struct jsb_limits lim;
	struct jsb_out out;
	struct jsb_heap heap;
	duk_context *ctx;
	uint64_t base; /* bytes the empty heap holds */
};

static struct state *state(void)
{
	static struct state st;
	if (st.ctx)
		return &st;
	int null_fd = open("/dev/null", O_WRONLY);
	FUZZ_CHECK(null_fd >= 0);
	st.heap = (struct jsb_heap){.limit = UINT64_MAX, .limits = &st.lim, .out = &st.out};
	jsb_out_init(&st.out, null_fd, 1u << 20, &st.lim, false);
	st.ctx = jsb_heap_create(&st.heap);
	FUZZ_CHECK(st.ctx != NULL);
	jsb_bridge_init(st.ctx);
	duk_push_global_stash(st.ctx);
	duk_eval_string(st.ctx, same_js);
	duk_put_prop_string(st.ctx, -2, "same");
	duk_pop(st.ctx);
	duk_gc(st.ctx, 0);
	st.base = st.heap.used;
	return &st;
}

/* [ value text ] -> [ same-as-Duktape's-decoding ] */
static duk_ret_t compare(duk_context *ctx, void *udata)
{
	(void)udata;
	duk_json_decode(ctx, -1);
	duk_push_global_stash(ctx);
	duk_get_prop_string(ctx, -1, "same");
	duk_remove(ctx, -2);
	duk_insert(ctx, -3);
	duk_call(ctx, 2);
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct state *st = state();
	duk_context *ctx = st->ctx;
	struct jsb_heap *heap = &st->heap;
	/* The last byte picks the memory limit: most runs have room, some do
	 * not, so running out midway is explored too. */
	uint64_t room = size && data[size - 1] < 32 ? 1024 + data[size - 1] * 2048u : 16u << 20;
	heap->limit = heap->used + room;
	heap->refusals = heap->episodes = 0;
	heap->refused_size = 0;
	jsb_limits_reset(&st->lim);

	/* The direct decoder alone (a fast path: refusing is allowed). */
	struct direct d = {heap, data, size, false};
	if (duk_safe_call(ctx, direct_decode, &d, 0, 1) == DUK_EXEC_SUCCESS && d.ok &&
	    jsb_bridge_push_text(ctx, heap, (const char *)data, size)) {
		bool same = duk_safe_call(ctx, compare, NULL, 2, 1) == DUK_EXEC_SUCCESS &&
		            duk_get_boolean(ctx, -1);
		/* Duktape's decoder refuses exponents past its range, where the
		 * direct decoder (as JSON.parse elsewhere) gives Infinity or 0. */
		bool refused = !same && duk_is_error(ctx, -1) &&
		               strstr(duk_safe_to_string(ctx, -1), "exponent too large");
		FUZZ_CHECK(same || refused || heap->episodes > 0);
	}
	duk_set_top(ctx, 0);
	heap->refusals = heap->episodes = 0;
	jsb_limits_reset(&st->lim);

	/* The whole path, as `input` is bound. */
	char err[512] = "";
	enum jsb_parse_status s = jsb_bridge_parse(ctx, heap, &st->out, (const char *)data, size,
	                                           "<input>", err, sizeof err);
	FUZZ_CHECK(duk_get_top(ctx) == (s == JSB_PARSE_OK ? 1 : 0));
	FUZZ_CHECK(s == JSB_PARSE_OK || (err[0] && memchr(err, 0, sizeof err)));
	duk_set_top(ctx, 0);
	heap->limit = UINT64_MAX;
	jsb_limits_reset(&st->lim);
	duk_gc(ctx, 0);
	return 0;
}
