/* Binding tables (console, btoa/atob) and the removal of what the policy
 * denies.  Each binding is a small Duktape/C function; tables are
 * registered with duk_put_function_list. */
#include <string.h>

#include "engine/bindings.h"
#include "engine/bridge.h"
#include "engine/inspect.h"

/* console.* writes its arguments like node: strings as they are, other
 * values inspected, separated by spaces, then a newline. */
static duk_ret_t console_write(duk_context *ctx, enum jsb_channel ch)
{
	struct jsb_eval *ev = jsb_run_current(ctx);
	struct jsb_strbuf b = {.heap = &ev->heap};
	struct jsb_inspect_opts opts = {
	    .depth = 2, .color = (ev->job->flags & JSB_JOB_COLOR) != 0, .top_raw = true};
	duk_idx_t n = duk_get_top(ctx);
	for (duk_idx_t i = 0; i < n; i++) {
		if (i)
			jsb_strbuf_add(&b, " ", 1);
		jsb_inspect(ctx, i, &b, &opts);
	}
	jsb_strbuf_add(&b, "\n", 1);
	if (b.failed) {
		jsb_strbuf_free(&b);
		return duk_error(ctx, DUK_ERR_RANGE_ERROR, "console: out of memory");
	}
	bool ok = jsb_bridge_write(&ev->out, ch, b.data, b.len, JSB_LONE_REPLACE);
	jsb_strbuf_free(&b);
	if (!ok)
		return duk_error(ctx, DUK_ERR_RANGE_ERROR, "output limit exceeded");
	return 0;
}

static duk_ret_t console_log(duk_context *ctx)
{
	return console_write(ctx, JSB_CH_STDOUT);
}

static duk_ret_t console_error(duk_context *ctx)
{
	return console_write(ctx, JSB_CH_STDERR);
}

static const duk_function_list_entry console_funcs[] = {
    {"log", console_log, DUK_VARARGS},     {"info", console_log, DUK_VARARGS},
    {"debug", console_log, DUK_VARARGS},   {"warn", console_error, DUK_VARARGS},
    {"error", console_error, DUK_VARARGS}, {NULL, NULL, 0},
};

/* Throws the DOMException-like error browsers throw for bad btoa/atob input. */
static duk_ret_t invalid_character(duk_context *ctx, const char *what)
{
	duk_push_error_object(ctx, DUK_ERR_ERROR, "%s", what);
	duk_push_string(ctx, "InvalidCharacterError");
	duk_put_prop_string(ctx, -2, "name");
	return duk_throw(ctx);
}

/* btoa(string): base64 of a string of characters U+0000..U+00FF. */
static duk_ret_t binding_btoa(duk_context *ctx)
{
	struct jsb_eval *ev = jsb_run_current(ctx);
	duk_size_t len;
	const unsigned char *s = (const unsigned char *)duk_to_lstring(ctx, 0, &len);
	unsigned char *bytes = duk_push_dynamic_buffer(ctx, len);
	size_t n = 0;
	for (size_t i = 0; i < len;) {
		unsigned c = s[i];
		if (c < 0x80) {
			bytes[n++] = (unsigned char)c;
			i++;
		} else if ((c == 0xC2 || c == 0xC3) && i + 1 < len) {
			bytes[n++] = (unsigned char)(((c & 0x1F) << 6) | (s[i + 1] & 0x3F));
			i += 2;
		} else {
			return invalid_character(
			    ctx, "btoa: the string contains characters outside of Latin1");
		}
	}
	(void)ev;
	duk_resize_buffer(ctx, -1, n);
	duk_base64_encode(ctx, -1);
	return 1;
}

static bool is_b64_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

/* atob(base64): the decoded bytes as a string of U+0000..U+00FF. */
static duk_ret_t binding_atob(duk_context *ctx)
{
	duk_size_t len;
	const char *s = duk_to_lstring(ctx, 0, &len);
	char *clean = duk_push_fixed_buffer(ctx, len);
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (is_b64_space(c))
			continue;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '+' || c == '/' || c == '='))
			return invalid_character(ctx, "atob: the string is not valid base64");
		clean[n++] = c;
	}
	if (n % 4 == 1)
		return invalid_character(ctx, "atob: the string is not valid base64");
	duk_push_lstring(ctx, clean, n);
	while (n % 4) { /* atob accepts missing padding */
		duk_push_string(ctx, "=");
		duk_concat(ctx, 2);
		n++;
	}
	duk_base64_decode(ctx, -1);
	duk_size_t blen;
	const unsigned char *bytes = duk_get_buffer_data(ctx, -1, &blen);
	unsigned char *out = duk_push_fixed_buffer(ctx, 2 * blen);
	size_t o = 0;
	for (size_t i = 0; i < blen; i++) {
		if (bytes[i] < 0x80) {
			out[o++] = bytes[i];
		} else {
			out[o++] = (unsigned char)(0xC0 | (bytes[i] >> 6));
			out[o++] = (unsigned char)(0x80 | (bytes[i] & 0x3F));
		}
	}
	duk_push_lstring(ctx, (const char *)out, o);
	return 1;
}

static const duk_function_list_entry global_funcs[] = {
    {"btoa", binding_btoa, 1},
    {"atob", binding_atob, 1},
    {NULL, NULL, 0},
};

void jsb_bindings_install(struct jsb_eval *ev)
{
	duk_context *ctx = ev->ctx;
	duk_push_global_object(ctx);
	duk_put_function_list(ctx, -1, global_funcs);
	duk_push_object(ctx);
	duk_put_function_list(ctx, -1, console_funcs);
	duk_put_prop_string(ctx, -2, "console");
	duk_pop(ctx);
}
