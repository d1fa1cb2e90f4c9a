/* Binding tables (console, btoa/atob) and the removal of what the policy
 * denies.  Each binding is a small Duktape/C function; tables are
 * registered with duk_put_function_list. */
#include <string.h>

#include "engine/confined/bindings.h"
#include "engine/confined/bridge.h"
#include "engine/confined/envelope.h"
#include "engine/confined/inspect.h"
#include "engine/confined/modern/modern.h"
#include "engine/confined/timers.h"
#include "engine/trusted/files.h"
#ifdef JSB_TEST_HOOKS
#include "engine/confined/testhooks.h"
#endif

#define STASH_SECURITY_PROTO "jsb.securityProto"

/* console.* writes its arguments like node: strings as they are, other
 * values inspected, separated by spaces, then a newline. */
static duk_ret_t console_write(duk_context *ctx, enum jsb_channel ch)
{
	struct jsb_eval *ev = jsb_eval_current(ctx);
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
	bool ok = (ev->job->flags & JSB_JOB_JSON_RESULT)
	              ? jsb_envelope_capture(ev, b.data, b.len)
	              : jsb_bridge_write(&ev->out, ch, b.data, b.len, JSB_LONE_REPLACE);
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
	struct jsb_eval *ev = jsb_eval_current(ctx);
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

/* SecurityError: an Error whose prototype chain runs through
 * SecurityError.prototype; callable with or without `new`. */
static duk_ret_t security_error(duk_context *ctx)
{
	duk_push_error_object(ctx, DUK_ERR_ERROR, "%s",
	                      duk_is_undefined(ctx, 0) ? "" : duk_safe_to_string(ctx, 0));
	duk_push_global_stash(ctx);
	duk_get_prop_string(ctx, -1, STASH_SECURITY_PROTO);
	duk_set_prototype(ctx, -3);
	duk_pop(ctx);
	return 1;
}

static void install_security_error(duk_context *ctx)
{
	/* [ ... global ] */
	duk_push_c_function(ctx, security_error, 1);
	duk_get_global_string(ctx, "Object");
	duk_get_prop_string(ctx, -1, "create");
	duk_get_global_string(ctx, "Error");
	duk_get_prop_string(ctx, -1, "prototype");
	duk_remove(ctx, -2);
	duk_call(ctx, 1);
	duk_remove(ctx, -2);
	/* [ ... global SecurityError proto ] */
	duk_push_string(ctx, "SecurityError");
	duk_put_prop_string(ctx, -2, "name");
	duk_dup(ctx, -2);
	duk_put_prop_string(ctx, -2, "constructor");
	duk_push_global_stash(ctx);
	duk_dup(ctx, -2);
	duk_put_prop_string(ctx, -2, STASH_SECURITY_PROTO);
	duk_pop(ctx);
	duk_put_prop_string(ctx, -2, "prototype");
	duk_put_prop_string(ctx, -2, "SecurityError");
}

static unsigned cap_index(unsigned cap)
{
	unsigned i = 0;
	while (cap > 1) {
		cap >>= 1;
		i++;
	}
	return i;
}

duk_ret_t jsb_bindings_deny(duk_context *ctx, unsigned cap, const char *what)
{
	struct jsb_eval *ev = jsb_eval_current(ctx);
	char place[512];
	ev->denials[cap_index(cap)]++;
	duk_push_c_function(ctx, security_error, 1);
	duk_push_sprintf(ctx, "%s is denied by %s", what, ev->job->policy->label);
	duk_call(ctx, 1);
	jsb_eval_mark_reported(ctx, -1);
	jsb_eval_place(ev, -1, place, sizeof place);
	jsb_out_error(&ev->out, "blocked by policy", "%s: SecurityError: %s is denied by %s", place,
	              what, ev->job->policy->label);
	return duk_throw(ctx);
}

/* What each denial stub stands for: its magic indexes this table. */
static const struct {
	const char *name;
	unsigned cap;
} stubs[] = {
    {"eval", JSB_CAP_EVAL},           {"Function", JSB_CAP_EVAL},
    {"setTimeout", JSB_CAP_TIMERS},   {"setInterval", JSB_CAP_TIMERS},
    {"clearTimeout", JSB_CAP_TIMERS}, {"clearInterval", JSB_CAP_TIMERS},
    {"readFile", JSB_CAP_READ},
};

static duk_ret_t denied(duk_context *ctx)
{
	int i = duk_get_current_magic(ctx);
	return jsb_bindings_deny(ctx, stubs[i].cap, stubs[i].name);
}

/* Pushes the stub for stubs[i]. */
static void push_stub(duk_context *ctx, int i)
{
	duk_push_c_function(ctx, denied, DUK_VARARGS);
	duk_set_magic(ctx, -1, i);
	duk_push_string(ctx, "name");
	duk_push_string(ctx, stubs[i].name);
	duk_def_prop(ctx, -3, DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_FORCE);
}

/* Replaces the globals of a denied capability with stubs that throw. */
static void stub_globals(duk_context *ctx, unsigned cap)
{
	for (int i = 0; i < (int)(sizeof stubs / sizeof stubs[0]); i++) {
		if (stubs[i].cap != cap)
			continue;
		push_stub(ctx, i);
		duk_put_prop_string(ctx, -2, stubs[i].name);
	}
}

/* Code generation has two roots: the eval function and the Function
 * constructor.  Every other path (indirect eval, fn.constructor,
 * Reflect.construct, bound copies) goes through one of these two objects,
 * so replacing them everywhere they are reachable closes them all. */
static void deny_eval(duk_context *ctx)
{
	/* [ ... global ] */
	duk_get_prop_string(ctx, -1, "Function");
	duk_get_prop_string(ctx, -1, "prototype");
	/* [ ... global Function Function.prototype ] */
	push_stub(ctx, 1);
	duk_push_string(ctx, "prototype");
	duk_dup(ctx, -3);
	duk_def_prop(ctx, -3, DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_FORCE);
	/* [ ... global Function Function.prototype stub ] */
	duk_push_string(ctx, "constructor");
	duk_dup(ctx, -2);
	duk_def_prop(ctx, -4,
	             DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_SET_WRITABLE |
	                 DUK_DEFPROP_SET_CONFIGURABLE | DUK_DEFPROP_FORCE);
	duk_put_prop_string(ctx, -4, "Function");
	duk_pop_2(ctx);
	push_stub(ctx, 0);
	duk_put_prop_string(ctx, -2, "eval");
}

/* strict and moderate see Duktape.version only: act, fin, gc, info,
 * Pointer, Thread, errCreate and the rest reach activations, finalizers,
 * raw buffers and the heap.  The other routes to raw (plain) buffers go
 * too: Uint8Array.allocPlain/plainOf and CBOR (decode makes byte strings
 * plain buffers), and with them Duktape's Node.js-style Buffer.  What the
 * standard byte APIs make (TextEncoder, ArrayBuffer, typed arrays) is a
 * buffer object, never a plain buffer: they stay. */
static void hide_duktape(duk_context *ctx)
{
	/* [ ... global ] */
	duk_get_prop_string(ctx, -1, "Duktape");
	duk_get_prop_string(ctx, -1, "version");
	duk_push_object(ctx);
	duk_swap_top(ctx, -2);
	duk_put_prop_string(ctx, -2, "version");
	duk_put_prop_string(ctx, -3, "Duktape");
	duk_pop(ctx);
	duk_get_prop_string(ctx, -1, "Uint8Array");
	duk_del_prop_string(ctx, -1, "allocPlain");
	duk_del_prop_string(ctx, -1, "plainOf");
	duk_pop(ctx);
	duk_del_prop_string(ctx, -1, "CBOR");
	duk_del_prop_string(ctx, -1, "Buffer");
}

void jsb_bindings_install(struct jsb_eval *ev)
{
	duk_context *ctx = ev->ctx;
	unsigned caps = ev->job->policy->caps;
	duk_push_global_object(ctx);
	duk_put_function_list(ctx, -1, global_funcs);
	duk_push_object(ctx);
	duk_put_function_list(ctx, -1, console_funcs);
	duk_put_prop_string(ctx, -2, "console");
	install_security_error(ctx);
	jsb_modern_regexp_translates();
	if (!(caps & JSB_CAP_EVAL))
		deny_eval(ctx);
	else
		jsb_modern_eval_transpiles();
	if (caps & JSB_CAP_TIMERS)
		jsb_timers_install(ev);
	else
		stub_globals(ctx, JSB_CAP_TIMERS);
	if (!(caps & JSB_CAP_DUKTAPE))
		hide_duktape(ctx);
	if ((caps & JSB_CAP_READ) && ev->files_fd >= 0)
		jsb_files_install(ev);
	else
		stub_globals(ctx, JSB_CAP_READ);
#ifdef JSB_TEST_HOOKS
	jsb_testhooks_install(ctx);
#endif
	duk_pop(ctx);
}
