/* with statements and Symbol.unscopables (patches/duktape/, with-unscopables):
 * the well-known symbol on every heap, and the check the patched identifier
 * lookup makes on a with statement's object.  Only Duktape's public API. */
#include "duktape.h"
#include "engine/confined/duk_patches.h"

#define UNSCOPABLES DUK_WELLKNOWN_SYMBOL("Symbol.unscopables")

/* Called on a new heap, before any script: the polyfill's own
 * Symbol.unscopables (engine/confined/modern/polyfill.js) is made only when
 * the engine has none, and the engine looks for this one. */
void jsb_unscopables_extend(duk_context *ctx)
{
	duk_get_global_literal(ctx, "Symbol");
	duk_push_literal(ctx, "unscopables");
	duk_push_literal(ctx, UNSCOPABLES);
	duk_def_prop(ctx, -3,
	             DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_HAVE_WRITABLE |
	                 DUK_DEFPROP_HAVE_ENUMERABLE | DUK_DEFPROP_HAVE_CONFIGURABLE);
	duk_pop(ctx);
}

int jsb_unscopable(duk_context *ctx)
{
	/* [ ... target name ] */
	int blocked = 0;
	duk_get_prop_literal(ctx, -2, UNSCOPABLES);
	if (duk_is_object(ctx, -1)) {
		duk_dup(ctx, -2);
		duk_get_prop(ctx, -2);
		blocked = duk_to_boolean(ctx, -1);
		duk_pop(ctx);
	}
	duk_pop_3(ctx);
	return blocked;
}
