/* The evaluator's core (eval.h): which evaluation a binding runs in,
 * protected calls, and how a run or record failed: one message on stderr
 * or an --on-error emit line, the note the --json-result envelope gives,
 * the error's place with a translation's lines given as the source's, and
 * the stack trace.  Features call into this file; it calls none of them. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/parse.h"
#include "engine/confined/bridge.h"
#include "engine/confined/eval.h"
#include "engine/lib/envelope_json.h"
#include "engine/lib/jsonw.h"
#include "engine/lib/text.h"

#define REPORTED DUK_HIDDEN_SYMBOL("jsbReported")

struct jsb_eval *jsb_eval_current(duk_context *ctx)
{
	duk_memory_functions funcs;
	duk_get_memory_functions(ctx, &funcs);
	struct jsb_heap *h = funcs.udata;
	return (struct jsb_eval *)((char *)h - offsetof(struct jsb_eval, heap));
}

/* fmt formatted into buf, or into memory of its own when it does not fit
 * (free it when it is not buf); cut between characters only when that
 * memory is refused. */
static char *format(char *buf, size_t size, const char *fmt, va_list ap) JSB_PRINTF(3, 0);
static char *format(char *buf, size_t size, const char *fmt, va_list ap)
{
	va_list again;
	va_copy(again, ap);
	int n = vsnprintf(buf, size, fmt, ap);
	char *whole = n >= 0 && (size_t)n >= size ? malloc((size_t)n + 1) : NULL;
	if (whole)
		vsnprintf(whole, (size_t)n + 1, fmt, again);
	else if (n >= 0 && (size_t)n >= size)
		buf[jsb_text_whole(buf, size - 1)] = '\0';
	va_end(again);
	return whole ? whole : buf;
}

static void forget_thrown(struct jsb_eval *ev)
{
	jsb_heap_free(&ev->heap, ev->thrown_name);
	jsb_heap_free(&ev->heap, ev->thrown_message);
	ev->thrown_name = ev->thrown_message = NULL;
}

static void forget_message(struct jsb_eval *ev)
{
	if (ev->fail_message != ev->fail_short)
		free(ev->fail_message);
	ev->fail_message = NULL;
}

void jsb_eval_forget(struct jsb_eval *ev)
{
	forget_thrown(ev);
	forget_message(ev);
	ev->fail_type = NULL;
	ev->fail_line = 0;
}

void jsb_eval_note(struct jsb_eval *ev, int code, const char *kind, const char *detail)
{
	jsb_eval_forget(ev);
	ev->fail_type = jsb_envelope_type(code);
	size_t klen = strlen(kind), dlen = strlen(detail);
	ev->fail_message = klen + dlen < SIZE_MAX - 3 ? malloc(klen + dlen + 3) : NULL;
	if (ev->fail_message) {
		memcpy(ev->fail_message, kind, klen);
		memcpy(ev->fail_message + klen, ": ", 2);
		memcpy(ev->fail_message + klen + 2, detail, dlen + 1);
		return;
	}
	ev->fail_message = ev->fail_short; /* memory refused: the note cut */
	if ((size_t)snprintf(ev->fail_short, sizeof ev->fail_short, "%s: %s", kind, detail) >=
	    sizeof ev->fail_short)
		ev->fail_short[jsb_text_whole(ev->fail_short, sizeof ev->fail_short - 1)] = '\0';
}

/* --on-error emit: {"error": "kind: detail", "record": N} on stdout, as
 * jsbox's own bytes (not counted against the output budget). */
static void emit_error(struct jsb_eval *ev, const char *kind, const char *detail)
{
	struct jsb_jsonw w;
	if (ev->job->flags & JSB_JOB_JSON_RESULT)
		return;
	jsb_jsonw_init(&w, JSB_JSONW_COMPACT, jsb_out_stdout_sink, &ev->out);
	jsb_jsonw_object(&w);
	jsb_jsonw_key(&w, "error");
	jsb_jsonw_open_string(&w);
	jsb_jsonw_string_part(&w, kind, strlen(kind), JSB_LONE_REPLACE);
	jsb_jsonw_string_part(&w, ": ", 2, JSB_LONE_REPLACE);
	jsb_jsonw_string_part(&w, detail, strlen(detail), JSB_LONE_REPLACE);
	jsb_jsonw_close_string(&w);
	jsb_jsonw_key(&w, "record");
	jsb_jsonw_uint(&w, ev->record);
	jsb_jsonw_finish(&w);
}

/* "jsbox: kind: detail (record N, line L)" on the stderr channel, whole. */
static void error_line(struct jsb_eval *ev, const char *kind, const char *detail)
{
	char where[96] = "";
	if (ev->record)
		snprintf(where, sizeof where, " (record %llu, line %lu)",
		         (unsigned long long)ev->record, ev->record_line);
	const char *parts[] = {"jsbox: ", kind, ": ", detail, where, "\n"};
	for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
		jsb_out_raw(&ev->out, JSB_CH_STDERR, parts[i], strlen(parts[i]));
}

int jsb_eval_say(struct jsb_eval *ev, int code, const char *kind, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	char *detail = format(buf, sizeof buf, fmt, ap);
	va_end(ap);
	ev->said = code + 1;
	jsb_eval_note(ev, code, kind, detail);
	/* Said before it is written: a supervisor that kills an evaluator
	 * between the two must not say it again. */
	bool goes_on = jsb_eval_record_level(ev, code) && ev->job->on_error != JSB_ON_ERROR_STOP;
	if (ev->limits.shared && !goes_on)
		ev->limits.shared->reported = code + 1;
	if (jsb_eval_record_level(ev, code) && ev->job->on_error == JSB_ON_ERROR_EMIT)
		emit_error(ev, kind, detail);
	else
		error_line(ev, kind, detail);
	if (detail != buf)
		free(detail);
	return code;
}

bool jsb_eval_record_level(const struct jsb_eval *ev, int code)
{
	return ev->record && ev->limits.stop == JSB_STOP_NONE &&
	       (code == JSB_EXIT_SCRIPT || code == JSB_EXIT_USAGE);
}

int jsb_eval_memory_exceeded(struct jsb_eval *ev)
{
	char size[32];
	jsb_format_size(size, sizeof size, ev->heap.limit);
	return jsb_eval_say(ev, JSB_EXIT_MEMORY, "memory limit exceeded", "%s", size);
}

long jsb_eval_source_line(const struct jsb_eval *ev, long line)
{
	const struct jsb_line_mark *mark = NULL;
	for (size_t i = 0; i < ev->n_line_marks && ev->line_marks[i].line <= line; i++)
		mark = &ev->line_marks[i];
	return mark ? mark->source + (line - mark->line) : line;
}

void jsb_eval_mark_reported(duk_context *ctx, duk_idx_t idx)
{
	idx = duk_normalize_index(ctx, idx);
	duk_push_true(ctx);
	duk_put_prop_string(ctx, idx, REPORTED);
}

static bool was_reported(duk_context *ctx, duk_idx_t idx)
{
	bool reported = duk_get_prop_string(ctx, idx, REPORTED) != 0;
	duk_pop(ctx);
	return reported;
}

/* Line of the innermost frame of `file` in a Duktape stack string
 * ("    at f (file:12)"), or 0. */
static long stack_line(const char *stack, const char *file)
{
	size_t flen = strlen(file);
	for (const char *p = stack; p && (p = strchr(p, '(')) != NULL; p++)
		if (strncmp(p + 1, file, flen) == 0 && p[1 + flen] == ':')
			return strtol(p + 2 + flen, NULL, 10);
	return 0;
}

/* file:line of an error value, or just the file.  Errors raised by C code
 * (bindings, built-ins) carry a C file name: the script's line is then the
 * innermost script frame of the stack.  Lines of a translation are given
 * as the source's; the transpiler's own errors (the only ones with a
 * column) already are. */
void jsb_eval_place(struct jsb_eval *ev, duk_idx_t idx, char *buf, size_t size)
{
	duk_context *ctx = ev->ctx;
	const char *file = ev->job->source_name;
	long line = 0, col = 0;
	idx = duk_normalize_index(ctx, idx);
	if (duk_is_error(ctx, idx)) {
		duk_get_prop_string(ctx, idx, "fileName");
		bool ours = duk_is_string(ctx, -1) && strcmp(duk_get_string(ctx, -1), file) == 0;
		duk_get_prop_string(ctx, idx, ours ? "lineNumber" : "stack");
		if (ours)
			line = duk_is_number(ctx, -1) ? (long)duk_get_number(ctx, -1) : 0;
		if (ours && duk_get_prop_string(ctx, idx, "columnNumber"))
			col = (long)duk_get_number(ctx, -1);
		if (ours)
			duk_pop(ctx);
		else if (duk_is_string(ctx, -1))
			line = stack_line(duk_get_string(ctx, -1), file);
		duk_pop_2(ctx);
	}
	if (line > 0 && col == 0)
		line = jsb_eval_source_line(ev, line);
	if (line > 0 && col > 0)
		snprintf(buf, size, "%s:%ld:%ld", file, line, col);
	else if (line > 0)
		snprintf(buf, size, "%s:%ld", file, line);
	else
		snprintf(buf, size, "%s", file);
}

/* A heap copy of the string at idx and its length, NUL-terminated (NULL
 * when the heap refuses: the note jsbox made stands then). */
static char *copy_string(struct jsb_eval *ev, duk_idx_t idx, size_t *len)
{
	duk_size_t n;
	const char *s = duk_safe_to_lstring(ev->ctx, idx, &n);
	char *copy = n < SIZE_MAX ? jsb_heap_alloc(&ev->heap, n + 1) : NULL;
	if (copy) {
		memcpy(copy, s, n);
		copy[n] = '\0';
		*len = n;
	}
	return copy;
}

/* Refines the note from the thrown error at idx: its name, message and
 * line. */
static void note_error(struct jsb_eval *ev, duk_idx_t idx)
{
	duk_context *ctx = ev->ctx;
	size_t name_len;
	idx = duk_normalize_index(ctx, idx);
	if (!duk_is_error(ctx, idx))
		return;
	forget_thrown(ev);
	duk_get_prop_string(ctx, idx, "name");
	ev->thrown_name = copy_string(ev, -1, &name_len);
	duk_get_prop_string(ctx, idx, "message");
	ev->thrown_message = copy_string(ev, -1, &ev->thrown_message_len);
	duk_pop_2(ctx);
	if (!ev->thrown_name || !ev->thrown_message) {
		forget_thrown(ev);
		return;
	}
	/* Duktape's " (line N)" suffix: the line has its own field. */
	char *suffix = strstr(ev->thrown_message, " (line ");
	if (suffix && strchr(suffix, ')') && strchr(suffix, ')')[1] == '\0') {
		*suffix = '\0';
		ev->thrown_message_len = (size_t)(suffix - ev->thrown_message);
	}
	char place[512];
	jsb_eval_place(ev, idx, place, sizeof place);
	/* "file:line" or "file:line:column": the number after the file name. */
	size_t flen = strlen(ev->job->source_name);
	ev->fail_line =
	    flen + 1 < sizeof place && place[flen] == ':' ? strtol(place + flen + 1, NULL, 10) : 0;
}

/* Writes one line of a stack trace, a frame of the script ("(file:N)")
 * with the source's line. */
static void write_frame(struct jsb_eval *ev, const char *frame, size_t len)
{
	const char *file = ev->job->source_name;
	size_t flen = strlen(file);
	for (const char *p = frame; (p = memchr(p, '(', len - (size_t)(p - frame))) != NULL; p++) {
		char *end;
		if ((size_t)(frame + len - p) <= flen + 2 || strncmp(p + 1, file, flen) != 0 ||
		    p[1 + flen] != ':')
			continue;
		long line = strtol(p + 2 + flen, &end, 10);
		if (end == p + 2 + flen || end >= frame + len || *end != ')')
			continue;
		char num[24];
		int n = snprintf(num, sizeof num, "%ld", jsb_eval_source_line(ev, line));
		jsb_bridge_write(&ev->out, JSB_CH_STDERR, frame, (size_t)(p + 2 + flen - frame),
		                 JSB_LONE_REPLACE);
		jsb_out_raw(&ev->out, JSB_CH_STDERR, num, (size_t)n);
		jsb_bridge_write(&ev->out, JSB_CH_STDERR, end, (size_t)(frame + len - end),
		                 JSB_LONE_REPLACE);
		return;
	}
	jsb_bridge_write(&ev->out, JSB_CH_STDERR, frame, len, JSB_LONE_REPLACE);
}

/* Writes a stack trace without the frames of Duktape's own C files and of
 * jsbox's embedded polyfills (compiled as jsb_modern_polyfill_bc; their
 * error-constructor wrappers have no file name at all). */
static void write_stack(struct jsb_eval *ev, const char *stack)
{
	static const char *const hidden[] = {"(duk_", "(jsb_modern_", "(:"};
	while (*stack) {
		const char *end = strchr(stack, '\n');
		size_t len = end ? (size_t)(end - stack) : strlen(stack);
		bool internal = false;
		for (size_t i = 0; !internal && i < sizeof hidden / sizeof *hidden; i++)
			internal = memmem(stack, len, hidden[i], strlen(hidden[i])) != NULL;
		if (!internal) {
			write_frame(ev, stack, len);
			jsb_out_raw(&ev->out, JSB_CH_STDERR, "\n", 1);
		}
		stack += len + (end ? 1 : 0);
	}
}

/* Duktape appends " (line N)" or " (line N, end of input)" to syntax errors;
 * the place goes in front instead. */
static void strip_line_suffix(char *msg)
{
	char *p = strstr(msg, " (line ");
	if (p && strchr(p, ')') && strchr(p, ')')[1] == '\0')
		*p = '\0';
}

static int report(struct jsb_eval *ev);
static int report_protected(struct jsb_eval *ev);

/* "500 ms", per record in stream mode, or the --total-timeout. */
int jsb_eval_time_exceeded(struct jsb_eval *ev)
{
	char size[32];
	if (ev->transpile_expired) {
		jsb_format_duration(size, sizeof size, ev->job->policy->transpile_timeout_ms);
		return jsb_eval_say(ev, JSB_EXIT_TIMEOUT, "time limit exceeded",
		                    "%s translating the script to ES5 (transpile_timeout)", size);
	}
	bool total = ev->total_deadline_ns && ev->limits.deadline_ns == ev->total_deadline_ns;
	jsb_format_duration(size, sizeof size,
	                    total ? ev->job->total_timeout_ms : ev->limits.timeout_ms);
	char waiting[300] = "";
	if (ev->waiting_input)
		snprintf(waiting, sizeof waiting, " (waiting for input on %s)",
		         strcmp(ev->job->input_name, "<stdin>") == 0 ? "stdin"
		                                                     : ev->job->input_name);
	return jsb_eval_say(ev, JSB_EXIT_TIMEOUT, "time limit exceeded", "%s%s%s", size,
	                    total                                    ? " in total (--total-timeout)"
	                    : ev->job->records == JSB_RECORDS_STREAM ? " per record"
	                                                             : "",
	                    waiting);
}

/* Reports the error on top of the stack (see run.h), then tells the
 * supervisor, which must not report the same ending again if it has to
 * kill an evaluator slow to exit. */
int jsb_eval_report(struct jsb_eval *ev)
{
	int code = report_protected(ev);
	if (ev->limits.shared)
		ev->limits.shared->reported = code + 1;
	return code;
}

/* The limit that stopped the script, reported; -1 when none did. */
static int limit_report(struct jsb_eval *ev)
{
	char size[32];
	if (ev->input_failed) /* reported when it happened */
		return ev->input_failed;
	switch (ev->limits.stop) {
	case JSB_STOP_TIME: return jsb_eval_time_exceeded(ev);
	case JSB_STOP_MEMORY: return jsb_eval_memory_exceeded(ev);
	case JSB_STOP_OUTPUT:
		jsb_format_size(size, sizeof size, ev->out.limit);
		return jsb_eval_say(ev, JSB_EXIT_OUTPUT, "output limit exceeded", "%s%s", size,
		                    ev->job->records == JSB_RECORDS_STREAM ? " per record" : "");
	case JSB_STOP_INTERRUPT:
		return jsb_eval_say(ev, JSB_EXIT_INTERRUPT, "interrupted", "stopped by SIGINT");
	case JSB_STOP_POLICY:
	case JSB_STOP_INPUT:
	case JSB_STOP_NONE: break;
	}
	return -1;
}

static duk_ret_t report_call(duk_context *ctx, void *udata)
{
	int *code = udata;
	*code = report(jsb_eval_current(ctx));
	return 0;
}

/* Reading the error (its getters, toString, stack) runs the script's code:
 * inside a protected call, under the deadline, so a throw there is the
 * script's error and a loop there a timeout, never jsbox's internal error.
 * The error stays where it is (the REPL keeps it as `_error`). */
static int report_protected(struct jsb_eval *ev)
{
	int code = -1;
	ev->said = 0;
	duk_dup(ev->ctx, -1);
	int rc = duk_safe_call(ev->ctx, report_call, &code, 1, 1);
	duk_pop(ev->ctx);
	if (rc == DUK_EXEC_SUCCESS && code >= 0)
		return code;
	if ((code = limit_report(ev)) >= 0)
		return code;
	if (ev->said)
		return ev->said - 1;
	return jsb_eval_say(
	    ev, JSB_EXIT_SCRIPT, ev->job->source_name,
	    "uncaught exception: an error whose properties threw while it was reported");
}

/* The error's text in UTF-8 for the terminal (Duktape's strings are
 * CESU-8), whole: in memory of its own when it does not fit buf (free it
 * when it is not buf), cut only when that memory is refused. */
static char *error_text(const char *text, size_t len, char *buf, size_t size)
{
	size_t need = jsb_text_utf8_bound(len);
	char *whole = need >= size && need < SIZE_MAX ? malloc(need + 1) : NULL;
	if (whole) {
		whole[jsb_text_to_utf8(whole, text, len, JSB_LONE_REPLACE)] = '\0';
		return whole;
	}
	jsb_text_to_utf8_cut(buf, size, text, len, JSB_LONE_REPLACE);
	return buf;
}

static int report(struct jsb_eval *ev)
{
	duk_context *ctx = ev->ctx;
	char place[512], buf[512];
	int limit = limit_report(ev);
	if (limit >= 0)
		return limit;
	jsb_eval_place(ev, -1, place, sizeof place);
	/* Only jsbox's own denials are policy violations, and each was
	 * reported when it happened: once is enough.  An error the script
	 * made, whatever its name (SecurityError too), is the script's error. */
	if (duk_is_object(ctx, -1) && was_reported(ctx, -1)) {
		note_error(ev, -1);
		return JSB_EXIT_POLICY;
	}
	duk_dup(ctx, -1);
	duk_size_t len;
	const char *text = duk_safe_to_lstring(ctx, -1, &len);
	/* Its toString (a getter on name or message) may have run into a
	 * limit: that limit is the ending, not the error it turned into. */
	limit = limit_report(ev);
	if (limit >= 0) {
		duk_pop(ctx);
		return limit;
	}
	char *utf8 = error_text(text, len, buf, sizeof buf);
	duk_pop(ctx);
	strip_line_suffix(utf8);
	int code = JSB_EXIT_SCRIPT;
	if (!duk_is_error(ctx, -1))
		jsb_eval_say(ev, code, place, "uncaught exception: %s", utf8);
	else
		jsb_eval_say(ev, code, place, "%s", utf8);
	if (utf8 != buf)
		free(utf8);
	note_error(ev, -1);
	if ((ev->job->flags & JSB_JOB_STACK_TRACE) && duk_is_error(ctx, -1)) {
		duk_get_prop_string(ctx, -1, "stack");
		write_stack(ev, duk_safe_to_string(ctx, -1));
		duk_pop(ctx);
	}
	return code;
}

int jsb_eval_protect(struct jsb_eval *ev, duk_safe_call_function fn, duk_idx_t nargs)
{
	if (duk_safe_call(ev->ctx, fn, ev, nargs, 1) == DUK_EXEC_SUCCESS) {
		/* A script that caught the out-of-memory error still failed. */
		if (ev->limits.stop != JSB_STOP_NONE && ev->limits.stop != JSB_STOP_POLICY)
			return jsb_eval_report(ev);
		return JSB_EXIT_OK;
	}
	return jsb_eval_report(ev);
}
