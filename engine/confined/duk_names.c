/* Function names that only a running script can give (patches/duktape/,
 * function-name-inference): the compiler names an anonymous function after
 * what it initializes when that is known in the source, and calls here for
 * a computed key, { [key]: function () {} }.  Only Duktape's public API. */
#include <string.h>

#include "duktape.h"
#include "engine/confined/duk_patches.h"

void jsb_push_symbol_description(duk_context *ctx, int idx)
{
	/* Duktape keeps a symbol as 0x80 text (Symbol.for) or 0x81 text 0xFF
	 * suffix, with one more 0xFF at the end for Symbol(). */
	duk_size_t len;
	const unsigned char *s = (const unsigned char *)duk_get_lstring(ctx, idx, &len);
	if (len == 0) {
		duk_push_undefined(ctx);
		return;
	}
	const unsigned char *end = memchr(s + 1, 0xff, len - 1);
	if (end && end != s + len - 1 && s[len - 1] == 0xff) {
		duk_push_undefined(ctx);
		return;
	}
	duk_push_lstring(ctx, (const char *)s + 1, (duk_size_t)((end ? end : s + len) - s - 1));
}

void jsb_name_function_by_key(duk_context *ctx, int key, int fn)
{
	/* ToPropertyKey, once: the object literal's own put finds it done. */
	duk_to_primitive(ctx, key, DUK_HINT_STRING);
	if (!duk_is_symbol(ctx, key)) {
		duk_to_string(ctx, key);
	}
	duk_push_literal(ctx, "name");
	if (duk_is_symbol(ctx, key)) {
		jsb_push_symbol_description(ctx, key);
		if (duk_is_undefined(ctx, -1)) {
			duk_pop(ctx);
			duk_push_literal(ctx, "");
		} else {
			duk_push_literal(ctx, "[");
			duk_insert(ctx, -2);
			duk_push_literal(ctx, "]");
			duk_concat(ctx, 3);
		}
	} else {
		duk_dup(ctx, key);
	}
	duk_def_prop(ctx, fn, DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_SET_CONFIGURABLE);
}
