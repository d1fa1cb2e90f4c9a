/* jsbox's side of its ArrayBuffer patch to Duktape (patches/duktape/,
 * arraybuffer-transfer): transfer(), transferToFixedLength() and the
 * detached getter put on each heap's ArrayBuffer.prototype.  Only Duktape's
 * public API here; the detach itself needs its internals and stays in the
 * patch. */
#include "duktape.h"
#include "engine/confined/duk_patches.h"
#include "engine/confined/heap.h"

/* Called on a new heap, before any script, so the global ArrayBuffer is the
 * built-in. */
void jsb_arraybuffer_extend(duk_context *ctx)
{
	duk_get_global_literal(ctx, "ArrayBuffer");
	duk_get_prop_literal(ctx, -1, "prototype");
	duk_remove(ctx, -2);
	jsb_define_method(ctx, "transfer", jsb_arraybuffer_transfer, 1);
	jsb_define_method(ctx, "transferToFixedLength", jsb_arraybuffer_transfer, 1);
	duk_push_literal(ctx, "detached");
	duk_push_c_function(ctx, jsb_arraybuffer_detached_getter, 0);
	duk_def_prop(ctx, -3, DUK_DEFPROP_HAVE_GETTER | DUK_DEFPROP_SET_CONFIGURABLE);
	duk_pop(ctx);
}
