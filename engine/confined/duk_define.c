/* A native method defined as a built-in's are, for jsbox's own built-ins
 * and the patches' (archived with Duktape, so whatever links Duktape has
 * it: the evaluator, the tests, bench/duk_options.py's harness). */
#include "duktape.h"
#include "engine/confined/heap.h"

/* [ ... obj ] -> [ ... obj ]: obj[name] = a native method, as a built-in's
 * are (named, not enumerable). */
void jsb_define_method(duk_context *ctx, const char *name, duk_c_function fn, duk_idx_t nargs)
{
	duk_push_string(ctx, name);
	duk_push_c_function(ctx, fn, nargs);
	duk_push_literal(ctx, "name");
	duk_push_string(ctx, name);
	duk_def_prop(ctx, -3, DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_FORCE);
	duk_def_prop(ctx, -3,
	             DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_SET_WRITABLE |
	                 DUK_DEFPROP_SET_CONFIGURABLE);
}
