/* eval and the Function constructor compile ES5 only: this is where the
 * patched built-ins (patches/duktape/, eval-function-transpile-hook) send a
 * source, to Duktape's compiler or, when it rejects the source, to jsbox's
 * transpiler.  Only Duktape's public API and the patch's jsb_duk_compile. */
#include <string.h>

#include "duktape.h"
#include "engine/confined/duk_patches.h"
#include "engine/confined/modern/modern.h"

int (*jsb_code_transpile)(duk_context *ctx) = NULL;
int (*jsb_code_needed)(const char *src, size_t len) = NULL;

/* [ source filename ] -> [ source function ], under duk_safe_call. */
static duk_ret_t compile_raw(duk_context *ctx, void *udata)
{
	jsb_duk_compile(ctx, *(unsigned int *)udata);
	return 1;
}

/* [ ... es5 ] -> [ ... es5 ]: a function expression was transpiled in
 * parentheses, which come off (before the line marks that end it). */
static void strip_parentheses(duk_context *ctx)
{
	duk_size_t n;
	const char *p = duk_get_lstring(ctx, -1, &n), *open = memchr(p, '(', n), *close;
	const char *marks = jsb_modern_marks(p, n);
	for (close = marks ? marks : p + n; close > p && close[-1] != ')'; close--)
		;
	if (open == NULL || close <= open + 1) {
		(void)duk_syntax_error(ctx, "transpiled function expression");
	}
	duk_push_lstring(ctx, open + 1, (duk_size_t)(close - 1 - (open + 1)));
	duk_replace(ctx, -2);
}

/* [ ... source filename ] -> [ ... source filename err ]: undefined when
 * the transpiler must have the source (Duktape would take it, with other
 * meanings), else Duktape's SyntaxError; [ ... source function ] when
 * Duktape compiles it. */
static int try_duktape(duk_context *ctx, unsigned int flags)
{
	duk_size_t n;
	const char *src = duk_get_lstring(ctx, -2, &n);
	if (jsb_code_needed(src, n)) {
		duk_push_undefined(ctx);
		return 0;
	}
	duk_dup(ctx, -2);
	duk_dup(ctx, -2);
	if (duk_safe_call(ctx, compile_raw, (void *)&flags, 2, 1) == DUK_EXEC_SUCCESS) {
		duk_remove(ctx, -2);
		return 1;
	}
	if (duk_get_error_code(ctx, -1) != DUK_ERR_SYNTAX_ERROR) {
		(void)duk_throw(ctx);
	}
	return 0;
}

void jsb_compile_code(duk_context *ctx, unsigned int flags)
{
	if (jsb_code_transpile == NULL) {
		jsb_duk_compile(ctx, flags);
		return;
	}
	if (try_duktape(ctx, flags)) {
		return;
	}
	/* [ ... source filename err ] */
	if (flags & DUK_COMPILE_FUNCEXPR) {
		duk_push_literal(ctx, "(");
		duk_dup(ctx, -4);
		duk_push_literal(ctx, ")");
		duk_concat(ctx, 3);
	} else {
		duk_dup(ctx, -3);
	}
	if (!jsb_code_transpile(ctx)) { /* declined: the engine's own error stands */
		duk_pop(ctx);
		if (!duk_is_undefined(ctx, -1)) {
			(void)duk_throw(ctx);
		}
		duk_pop(ctx);
		jsb_duk_compile(ctx, flags);
		return;
	}
	/* [ ... source filename err es5 ] */
	duk_remove(ctx, -2);
	if (flags & DUK_COMPILE_FUNCEXPR) {
		strip_parentheses(ctx);
	}
	duk_dup(ctx, -2);
	jsb_duk_compile(ctx, flags);
	/* [ ... source filename es5 function ] */
	duk_remove(ctx, -2);
	duk_remove(ctx, -2);
}
