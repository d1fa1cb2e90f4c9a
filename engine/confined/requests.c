/* A session's evaluator: opens the heap once, then answers requests read
 * from the parent (evaluate a line, bind `input`, list completions) until
 * the parent closes the pipe.  Runs confined; state persists between
 * requests, each of which gets a fresh deadline and output budget. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "common/jsbox.h"
#include "common/parse.h"
#include "engine/confined/bridge.h"
#include "engine/confined/inspect.h"
#include "engine/confined/modern/modern.h"
#include "engine/confined/requests.h"
#include "engine/confined/run.h"
#include "engine/confined/timers.h"

/* A heap still this full after collecting is not worth keeping. */
#define KEEP_HEAP_PERCENT 75
#define MAX_COMPLETIONS   500

static struct jsb_eval ev;
static struct jsb_job line_job; /* ev.job: the session's job with this request's source */
static double cpu_start_ms;

double jsb_requests_cpu_ms(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

bool jsb_requests_read(int fd, void *buf, size_t len)
{
	char *p = buf;
	while (len) {
		ssize_t r = read(fd, p, len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		p += r;
		len -= (size_t)r;
	}
	return true;
}

/* Ends a request: its data (stats), then the status frame. */
static void reply(int code, enum jsb_reply kind)
{
	char stats[160];
	int n = snprintf(stats, sizeof stats, "%llu %llu %llu %.3f",
	                 (unsigned long long)ev.heap.used, (unsigned long long)ev.heap.peak,
	                 (unsigned long long)ev.heap.limit, jsb_requests_cpu_ms() - cpu_start_ms);
	if (n > 0)
		jsb_out_raw(&ev.out, JSB_CH_STATS, stats, (size_t)n);
	char status[2] = {(char)code, (char)kind};
	jsb_out_raw(&ev.out, JSB_CH_STATUS, status, 2);
	jsb_out_flush(&ev.out);
}

/* Every request starts with no stop reason, a fresh output budget and
 * its own deadline. */
static void begin_request(void)
{
	jsb_limits_reset(&ev.limits);
	ev.out.used = 0;
	ev.heap.refusals = 0;
	ev.heap.episodes = 0;
	ev.heap.refused_size = 0;
	ev.heap.peak = ev.heap.used;
	cpu_start_ms = jsb_requests_cpu_ms();
	jsb_limits_arm(&ev.limits, line_job.policy->timeout_ms);
}

static bool starts_with_brace(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n'))
		i++;
	return i < len && s[i] == '{';
}

/* A syntax error at the end of the input means the user has not finished
 * (Duktape and the transpiler: "... (line N, end of input)"). */
static bool ended_early(duk_context *ctx)
{
	if (!duk_is_error(ctx, -1))
		return false;
	duk_get_prop_string(ctx, -1, "message");
	const char *msg = duk_safe_to_string(ctx, -1);
	size_t len = strlen(msg);
	static const char tail[] = "end of input)";
	bool early = len >= sizeof tail - 1 && strcmp(msg + len - (sizeof tail - 1), tail) == 0;
	duk_pop(ctx);
	return early;
}

/* Whether the error on top of the stack is a SyntaxError. */
static bool syntax_error(duk_context *ctx)
{
	duk_get_prop_string(ctx, -1, "name");
	bool syntax = strcmp(duk_safe_to_string(ctx, -1), "SyntaxError") == 0;
	duk_pop(ctx);
	return syntax;
}

/* [ ] -> [ code ]: the line in parentheses, so that `{a: 1}` is an object. */
static void push_wrapped(duk_context *ctx)
{
	duk_push_string(ctx, "(");
	duk_push_lstring(ctx, line_job.source, line_job.source_len);
	duk_push_string(ctx, "\n)");
	duk_concat(ctx, 3);
}

/* [ ] -> [ function ] as ES5, or [ error ] (0 = compiled). */
static int compile_es5(duk_context *ctx, bool wrapped)
{
	if (wrapped)
		push_wrapped(ctx);
	else
		duk_push_lstring(ctx, line_job.source, line_job.source_len);
	duk_push_string(ctx, line_job.source_name);
	return duk_pcompile(ctx, DUK_COMPILE_EVAL);
}

/* The same, in parentheses first when the line opens with a brace. */
static int compile_es5_line(duk_context *ctx, bool brace)
{
	if (brace && compile_es5(ctx, true) == 0)
		return 0;
	if (brace)
		duk_pop(ctx);
	return compile_es5(ctx, false);
}

/* [ ] -> [ function ]: the wrapped line through the transpiler. */
static duk_ret_t transpile_wrapped(duk_context *ctx, void *udata)
{
	(void)udata;
	duk_push_undefined(ctx);
	push_wrapped(ctx);
	/* [ undefined code ] */
	duk_size_t len;
	const char *code = duk_get_lstring(ctx, -1, &len);
	duk_insert(ctx, -2);
	/* [ code undefined ]: the code stays referenced while it is transpiled */
	jsb_modern_compile_line(ctx, &ev, code, len);
	return 1;
}

/* [ ] -> [ function ].  `{a: 1}` is an object, as in node: try the code in
 * parentheses first when it opens with a brace.  As in file mode, only a
 * line Duktape cannot compile (or must not: jsb_modern_needed) goes to the
 * transpiler; one that Duktape sees end early asks for more input. */
static duk_ret_t compile_line(duk_context *ctx, void *udata)
{
	(void)udata;
	const char *src = line_job.source;
	size_t len = line_job.source_len;
	bool brace = starts_with_brace(src, len);
	bool modern = jsb_modern_needed(src, len);
	if (!modern && compile_es5_line(ctx, brace) == 0) {
		jsb_modern_polyfill(ctx, src, len, false);
		return 1;
	}
	if (!modern && (!syntax_error(ctx) || ended_early(ctx)))
		return duk_throw(ctx);
	if (modern)
		duk_push_undefined(ctx);
	/* [ err ] */
	if (brace && duk_safe_call(ctx, transpile_wrapped, NULL, 0, 1) == DUK_EXEC_SUCCESS)
		return 1;
	if (brace)
		duk_pop(ctx);
	return jsb_modern_compile_line(ctx, &ev, src, len);
}

/* [ function ] -> [ completion value ], pending promise jobs run. */
static duk_ret_t call_line(duk_context *ctx, void *udata)
{
	(void)udata;
	duk_call(ctx, 0);
	jsb_modern_drain(ctx);
	return 1;
}

/* [ value ] -> [ value ]: `_` set, the value printed as node would. */
static duk_ret_t show_result(duk_context *ctx, void *udata)
{
	(void)udata;
	struct jsb_strbuf b = {.heap = &ev.heap};
	struct jsb_inspect_opts opts = {.depth = 2, .color = (line_job.flags & JSB_JOB_COLOR) != 0};
	duk_dup(ctx, -1);
	duk_put_global_string(ctx, "_");
	jsb_inspect(ctx, -1, &b, &opts);
	jsb_strbuf_add(&b, "\n", 1);
	if (b.failed) {
		jsb_strbuf_free(&b);
		return duk_error(ctx, DUK_ERR_RANGE_ERROR, "out of memory showing the result");
	}
	bool ok = jsb_bridge_write(&ev.out, JSB_CH_STDOUT, b.data, b.len, JSB_LONE_REPLACE);
	jsb_strbuf_free(&b);
	if (!ok)
		return duk_error(ctx, DUK_ERR_RANGE_ERROR, "output limit exceeded");
	return 1;
}

static duk_ret_t keep_error(duk_context *ctx, void *udata)
{
	(void)udata;
	duk_dup(ctx, -1);
	duk_put_global_string(ctx, "_error");
	return 1;
}

/* After running out of memory: collect, and keep the heap if that freed
 * enough, else say it is lost (the evaluator then exits for a fresh one). */
static enum jsb_reply recover_heap(void)
{
	begin_request();
	duk_set_top(ev.ctx, 0);
	duk_gc(ev.ctx, 0);
	duk_gc(ev.ctx, 0);
	if (ev.heap.used > ev.heap.limit / 100 * KEEP_HEAP_PERCENT)
		return JSB_REPLY_HEAP_LOST;
	return JSB_REPLY_HEAP_KEPT;
}

static int eval_line(enum jsb_reply *kind)
{
	duk_context *ctx = ev.ctx;
	int rc;
	if (duk_safe_call(ctx, compile_line, NULL, 0, 1) != DUK_EXEC_SUCCESS) {
		if (ev.limits.stop == JSB_STOP_NONE && ended_early(ctx)) {
			*kind = JSB_REPLY_INCOMPLETE;
			return JSB_EXIT_OK;
		}
		rc = jsb_eval_report(&ev);
	} else {
		rc = jsb_eval_protect(&ev, call_line, 1);
	}
	if (rc == JSB_EXIT_OK && ev.timers)
		rc = jsb_timers_drain(&ev);
	if (rc == JSB_EXIT_OK)
		rc = jsb_eval_protect(&ev, show_result, 1);
	if (rc != JSB_EXIT_OK)
		duk_safe_call(ctx, keep_error, NULL, 1, 1);
	return rc;
}

static int bind_input(const char *payload, size_t len)
{
	char err[512];
	size_t name_len = strnlen(payload, len);
	if (name_len == len)
		return JSB_EXIT_INTERNAL;
	const char *json = payload + name_len + 1;
	enum jsb_parse_status st = jsb_bridge_parse(ev.ctx, &ev.heap, &ev.out, json,
	                                            len - name_len - 1, payload, err, sizeof err);
	if (st == JSB_PARSE_MEMORY) {
		char size[32];
		jsb_format_size(size, sizeof size, ev.heap.limit);
		jsb_out_error(&ev.out, "memory limit exceeded", "%s", size);
		return JSB_EXIT_MEMORY;
	}
	if (st == JSB_PARSE_INVALID) {
		jsb_out_error(&ev.out, "usage", "%s", err);
		return JSB_EXIT_USAGE;
	}
	duk_put_global_string(ev.ctx, "input");
	return JSB_EXIT_OK;
}

static bool is_ident_char(char c)
{
	return c == '_' || c == '$' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (unsigned char)c >= 0x80;
}

/* [ obj ] -> [ obj value ] when obj or its prototypes hold `key` as a data
 * property; an accessor (a getter would run) or a missing key -> false,
 * stack unchanged.  Duktape has no getOwnPropertyDescriptor trap, so no
 * proxy code runs either. */
static bool data_property(duk_context *ctx, const char *key, size_t len)
{
	duk_dup(ctx, -1);
	for (int hops = 0; hops < 64 && duk_is_object(ctx, -1); hops++) {
		duk_push_lstring(ctx, key, len);
		duk_get_prop_desc(ctx, -2, 0);
		/* [ obj cur desc ] */
		if (duk_is_object(ctx, -1)) {
			bool accessor = duk_has_prop_string(ctx, -1, "get");
			if (!accessor)
				duk_get_prop_string(ctx, -1, "value");
			else
				duk_push_undefined(ctx);
			duk_replace(ctx, -3);
			duk_pop(ctx);
			if (accessor) {
				duk_pop(ctx);
				return false;
			}
			return true;
		}
		duk_pop(ctx);
		duk_get_prototype(ctx, -1);
		duk_replace(ctx, -2);
	}
	duk_pop(ctx);
	return false;
}

/* Names of obj and its prototypes starting with prefix, into b. */
static void list_names(duk_context *ctx, const char *prefix, size_t len, struct jsb_strbuf *b)
{
	unsigned n = 0;
	duk_dup(ctx, -1);
	for (int hops = 0; hops < 64 && duk_is_object(ctx, -1) && n < MAX_COMPLETIONS; hops++) {
		duk_enum(ctx, -1,
		         DUK_ENUM_OWN_PROPERTIES_ONLY | DUK_ENUM_INCLUDE_NONENUMERABLE |
		             DUK_ENUM_NO_PROXY_BEHAVIOR);
		while (n < MAX_COMPLETIONS && duk_next(ctx, -1, 0)) {
			duk_size_t klen;
			const char *k = duk_get_lstring(ctx, -1, &klen);
			if (k && klen >= len && memcmp(k, prefix, len) == 0) {
				jsb_strbuf_add(b, k, klen);
				jsb_strbuf_add(b, "\n", 1);
				n++;
			}
			duk_pop(ctx);
		}
		duk_pop(ctx);
		duk_get_prototype(ctx, -1);
		duk_replace(ctx, -2);
	}
	duk_pop(ctx);
}

/* [ ] -> [ undefined ], the completions of line_job.source written out. */
static duk_ret_t complete_path(duk_context *ctx, void *udata)
{
	(void)udata;
	const char *path = line_job.source, *end = path + line_job.source_len;
	const char *last = end;
	while (last > path && last[-1] != '.')
		last--;
	duk_push_global_object(ctx);
	for (const char *p = path; p < last;) {
		const char *dot = memchr(p, '.', (size_t)(last - p));
		size_t seg = (size_t)(dot - p);
		for (size_t i = 0; i < seg; i++)
			if (!is_ident_char(p[i]))
				return 0;
		if (seg == 0 || !data_property(ctx, p, seg))
			return 0;
		duk_replace(ctx, -2);
		if (!duk_is_object(ctx, -1)) {
			if (duk_is_null_or_undefined(ctx, -1))
				return 0;
			duk_to_object(ctx, -1); /* a primitive's methods */
		}
		p = dot + 1;
	}
	struct jsb_strbuf b = {.heap = &ev.heap};
	list_names(ctx, last, (size_t)(end - last), &b);
	if (!b.failed && b.len)
		jsb_out_raw(&ev.out, JSB_CH_STATS, b.data, b.len);
	jsb_strbuf_free(&b);
	return 0;
}

static void serve_request(char type, char *payload, size_t len)
{
	enum jsb_reply kind = JSB_REPLY_DONE;
	int rc = JSB_EXIT_OK;
	line_job.source = payload;
	line_job.source_len = len;
	begin_request();
	if (type == JSB_REQ_EVAL)
		rc = eval_line(&kind);
	else if (type == JSB_REQ_INPUT)
		rc = bind_input(payload, len);
	else if (type == JSB_REQ_COMPLETE)
		duk_safe_call(ev.ctx, complete_path, NULL, 0, 1);
	duk_set_top(ev.ctx, 0);
	if (rc == JSB_EXIT_MEMORY || ev.limits.stop == JSB_STOP_MEMORY)
		kind = recover_heap();
	jsb_out_flush(&ev.out);
	reply(rc, kind);
	if (kind == JSB_REPLY_HEAP_LOST)
		_exit(JSB_EXIT_MEMORY);
}

/* Reads one request into a budgeted buffer; false when the parent is gone. */
static bool next_request(int fd)
{
	unsigned char h[JSB_FRAME_HEADER];
	if (!jsb_requests_read(fd, h, sizeof h))
		return false;
	size_t len = (size_t)h[1] | (size_t)h[2] << 8 | (size_t)h[3] << 16 | (size_t)h[4] << 24;
	char *payload = jsb_heap_alloc(&ev.heap, len + 1);
	if (!payload) {
		char sink[4096];
		while (len) {
			size_t n = len < sizeof sink ? len : sizeof sink;
			if (!jsb_requests_read(fd, sink, n))
				return false;
			len -= n;
		}
		char size[32];
		jsb_format_size(size, sizeof size, ev.heap.limit);
		jsb_out_error(&ev.out, "memory limit exceeded", "%s", size);
		reply(JSB_EXIT_MEMORY, JSB_REPLY_DONE);
		return true;
	}
	bool ok = jsb_requests_read(fd, payload, len);
	if (ok) {
		payload[len] = '\0';
		serve_request((char)h[0], payload, len);
	}
	jsb_heap_free(&ev.heap, payload);
	return ok;
}

void jsb_session_serve(const struct jsb_job *job, int req_fd, int out_fd, struct jsb_shared *shared)
{
	line_job = *job;
	line_job.input_fd = -1;
	cpu_start_ms = jsb_requests_cpu_ms();
	int rc = jsb_run_open(&ev, &line_job, out_fd, -1, shared);
	if (rc == JSB_EXIT_OK)
		rc = jsb_run_bind(&ev);
	if (ev.ctx)
		duk_set_top(ev.ctx, 0);
	reply(rc, JSB_REPLY_DONE);
	if (rc != JSB_EXIT_OK)
		_exit(rc);
	while (next_request(req_fd))
		;
	_exit(JSB_EXIT_OK);
}
