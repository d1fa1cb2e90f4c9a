/* The evaluator's one run: build the heap and globals, bind input and
 * arguments, compile (as a program, or as a function body when the script
 * uses a top-level return), run, and write the result.  Maps how the run
 * ended to an exit code and one message. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/parse.h"
#include "engine/confined/bindings.h"
#include "engine/confined/bridge.h"
#include "engine/confined/envelope.h"
#include "engine/confined/input.h"
#include "engine/confined/modern/modern.h"
#include "engine/confined/prof.h"
#include "engine/confined/run.h"
#include "engine/confined/stream.h"
#include "engine/confined/timers.h"
#include "engine/trusted/confine.h"

struct jsb_eval *jsb_run_current(duk_context *ctx)
{
	duk_memory_functions funcs;
	duk_get_memory_functions(ctx, &funcs);
	struct jsb_heap *h = funcs.udata;
	return (struct jsb_eval *)((char *)h - offsetof(struct jsb_eval, heap));
}

/* Reads all of fd into a budgeted buffer.  A regular file larger than the
 * budget fails before anything is read. */
static int read_input(struct jsb_eval *ev, int fd, char **text, size_t *len)
{
	struct stat st;
	size_t cap = 64 * 1024, n = 0;
	if (jsb_confine_fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		if ((uint64_t)st.st_size >= ev->heap.limit)
			return JSB_EXIT_MEMORY;
		cap = (size_t)st.st_size + 1;
	}
	char *buf = jsb_heap_alloc(&ev->heap, cap);
	if (!buf)
		return JSB_EXIT_MEMORY;
	for (;;) {
		if (n == cap) {
			char *more =
			    cap > SIZE_MAX / 2 ? NULL : jsb_heap_realloc(&ev->heap, buf, cap * 2);
			if (!more) {
				jsb_heap_free(&ev->heap, buf);
				return JSB_EXIT_MEMORY;
			}
			buf = more;
			cap *= 2;
		}
		if (!jsb_input_wait(ev, fd)) {
			jsb_heap_free(&ev->heap, buf);
			return JSB_EXIT_TIMEOUT;
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			jsb_heap_free(&ev->heap, buf);
			return JSB_EXIT_USAGE;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	*text = buf;
	*len = n;
	return JSB_EXIT_OK;
}

/* Reports how a run or record failed: one stderr line (naming the record
 * in stream mode), or with --on-error emit a JSON line on stdout for a
 * record's own failure; remembers it for the --json-result envelope. */
static int say(struct jsb_eval *ev, int code, const char *kind, const char *fmt, ...)
    JSB_PRINTF(4, 5);
static int say(struct jsb_eval *ev, int code, const char *kind, const char *fmt, ...)
{
	char detail[2048], where[96] = "";
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof detail) /* a long message: cut between characters */
		detail[jsb_text_whole(detail, sizeof detail - 1)] = '\0';
	if (ev->record)
		snprintf(where, sizeof where, " (record %llu, line %lu)",
		         (unsigned long long)ev->record, ev->record_line);
	ev->said = code + 1;
	jsb_envelope_note(ev, code, kind, detail);
	/* Said before it is written: a supervisor that kills an evaluator
	 * between the two must not say it again. */
	bool goes_on = jsb_run_record_level(ev, code) && ev->job->on_error != JSB_ON_ERROR_STOP;
	if (ev->limits.shared && !goes_on)
		ev->limits.shared->reported = code + 1;
	if (jsb_run_record_level(ev, code) && ev->job->on_error == JSB_ON_ERROR_EMIT)
		jsb_envelope_emit_error(ev, kind, detail);
	else
		jsb_out_error(&ev->out, kind, "%s%s", detail, where);
	return code;
}

int jsb_run_say(struct jsb_eval *ev, int code, const char *kind, const char *fmt, ...)
{
	char detail[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	return say(ev, code, kind, "%s", detail);
}

bool jsb_run_record_level(const struct jsb_eval *ev, int code)
{
	return ev->record && ev->limits.stop == JSB_STOP_NONE &&
	       (code == JSB_EXIT_SCRIPT || code == JSB_EXIT_USAGE);
}

static int memory_exceeded(struct jsb_eval *ev)
{
	char size[32];
	jsb_format_size(size, sizeof size, ev->heap.limit);
	return say(ev, JSB_EXIT_MEMORY, "memory limit exceeded", "%s", size);
}

static int time_exceeded(struct jsb_eval *ev);

int jsb_run_memory_exceeded(struct jsb_eval *ev)
{
	return memory_exceeded(ev);
}

/* Only whitespace: a piped stdin nothing was written to. */
static bool blank(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!strchr(" \t\r\n", text[i]) || !text[i])
			return false;
	return true;
}

int jsb_run_input_value(struct jsb_eval *ev)
{
	const struct jsb_job *job = ev->job;
	char err[512], *read = NULL;
	const char *text = job->input_text;
	size_t len = job->input_len;
	int rc = text ? JSB_EXIT_OK : read_input(ev, job->input_fd, &read, &len);
	if (!text)
		text = read;
	if (rc == JSB_EXIT_MEMORY)
		return memory_exceeded(ev);
	if (rc == JSB_EXIT_TIMEOUT)
		return time_exceeded(ev);
	if (rc != JSB_EXIT_OK)
		return say(ev, rc, "usage", "%s: cannot read: %s", job->input_name,
		           strerror(errno));
	enum jsb_parse_status st = JSB_PARSE_OK;
	if ((job->flags & JSB_JOB_LAZY_INPUT) && blank(text, len))
		duk_push_null(ev->ctx);
	else
		st = jsb_bridge_parse(ev->ctx, &ev->heap, &ev->out, text, len, job->input_name, err,
		                      sizeof err);
	jsb_heap_free(&ev->heap, read);
	if (st == JSB_PARSE_MEMORY)
		return memory_exceeded(ev);
	if (st == JSB_PARSE_INVALID)
		return say(ev, JSB_EXIT_USAGE, "usage", "%s", err);
	return JSB_EXIT_OK;
}

/* [ ... ] -> [ ... ] with global `input` bound (or, for a piped stdin,
 * bound to read it on first use). */
static int bind_input(struct jsb_eval *ev)
{
	const struct jsb_job *job = ev->job;
	duk_context *ctx = ev->ctx;
	if ((job->input_fd < 0 && !job->input_text) || job->records == JSB_RECORDS_STREAM) {
		duk_push_null(ctx);
		duk_put_global_string(ctx, "input");
		return JSB_EXIT_OK;
	}
	if (job->records == JSB_RECORDS_SLURP)
		return jsb_stream_slurp(ev);
	if (job->flags & JSB_JOB_LAZY_INPUT) {
		jsb_input_lazy(ev);
		return JSB_EXIT_OK;
	}
	int rc = jsb_run_input_value(ev);
	if (rc == JSB_EXIT_OK)
		duk_put_global_string(ctx, "input");
	return rc;
}

/* --arg and --argjson values as globals. */
static int bind_args(struct jsb_eval *ev)
{
	duk_context *ctx = ev->ctx;
	for (size_t i = 0; i < ev->job->n_binds; i++) {
		const struct jsb_bind *b = &ev->job->binds[i];
		size_t len = strlen(b->value);
		char err[512], name[160];
		if (!b->json) {
			if (!jsb_bridge_push_text(ctx, &ev->heap, b->value, len))
				return memory_exceeded(ev);
		} else {
			snprintf(name, sizeof name, "--argjson %s", b->name);
			enum jsb_parse_status st = jsb_bridge_parse(
			    ctx, &ev->heap, &ev->out, b->value, len, name, err, sizeof err);
			if (st == JSB_PARSE_MEMORY)
				return memory_exceeded(ev);
			if (st == JSB_PARSE_INVALID)
				return say(ev, JSB_EXIT_USAGE, "usage", "%s", err);
		}
		duk_put_global_string(ctx, b->name);
	}
	return JSB_EXIT_OK;
}

static duk_ret_t setup(duk_context *ctx, void *udata)
{
	struct jsb_eval *ev = udata;
	jsb_bridge_init(ctx);
	jsb_bindings_install(ev);
	return 0;
}

/* Compiles the job's source: [ ... ] -> [ ... function ].  A top-level
 * `return` makes Duktape reject the program; the source then compiles as
 * the body of a function, which is how the result rules define it. */
duk_ret_t jsb_run_compile(duk_context *ctx, void *udata)
{
	struct jsb_eval *ev = udata;
	const struct jsb_job *job = ev->job;
	if (job->es5 || jsb_modern_needed(job->source, job->source_len)) {
		duk_push_undefined(ctx);
		return jsb_modern_compile(ctx, ev);
	}
	duk_push_string(ctx, job->source_name);
	if (duk_pcompile_lstring_filename(ctx, DUK_COMPILE_EVAL | DUK_COMPILE_SHEBANG, job->source,
	                                  job->source_len) == 0) {
		jsb_modern_polyfill(ctx, job->source, job->source_len, false);
		return 1;
	}
	/* Only syntax the engine lacks goes to the transpiler: a compiler
	 * limit (source nested too deeply) is the answer as it is. */
	duk_get_prop_string(ctx, -1, "name");
	bool syntax = strcmp(duk_safe_to_string(ctx, -1), "SyntaxError") == 0;
	duk_pop(ctx);
	if (!syntax)
		return duk_throw(ctx);
	duk_get_prop_string(ctx, -1, "message");
	bool invalid_return = strncmp(duk_safe_to_string(ctx, -1), "invalid return", 14) == 0;
	duk_pop(ctx);
	if (!invalid_return)
		return jsb_modern_compile(ctx, ev);
	duk_pop(ctx);
	/* The wrapper adds no line, so line numbers stay the user's. */
	duk_push_string(ctx, "function(){");
	duk_push_lstring(ctx, job->source, job->source_len);
	duk_push_string(ctx, "\n}");
	duk_concat(ctx, 3);
	duk_push_string(ctx, job->source_name);
	if (duk_pcompile(ctx, DUK_COMPILE_FUNCTION) != 0)
		return jsb_modern_compile(ctx, ev);
	jsb_modern_polyfill(ctx, job->source, job->source_len, false);
	return 1;
}

/* Runs the compiled function: [ fn ] -> [ completion value ]. */
static duk_ret_t execute(duk_context *ctx, void *udata)
{
	(void)udata;
	duk_call(ctx, 0);
	jsb_modern_drain(ctx);
	return 1;
}

/* The result, taken after timers have run: `output` if the script
 * assigned it, else the completion or return value. */
static duk_ret_t take_result(duk_context *ctx, void *udata)
{
	(void)udata;
	/* [ value ] */
	duk_get_global_string(ctx, "output");
	if (!duk_is_undefined(ctx, -1))
		duk_replace(ctx, -2);
	else
		duk_pop(ctx);
	return 1;
}

/* Serialises the result: [ value ] -> [ text-or-undefined ]. */
static duk_ret_t serialise(duk_context *ctx, void *udata)
{
	struct jsb_eval *ev = udata;
	unsigned flags = ev->job->flags;
	/* A record's result is one line; an envelope holds JSON, never raw text. */
	if (ev->job->records == JSB_RECORDS_STREAM || (flags & JSB_JOB_JSON_RESULT))
		flags = (flags | JSB_JOB_COMPACT) & ~(unsigned)JSB_JOB_RAW;
	if (duk_is_undefined(ctx, -1))
		return 1;
	if ((flags & JSB_JOB_RAW) && duk_is_string(ctx, -1))
		return 1;
	if (duk_is_function(ctx, -1) || duk_is_symbol(ctx, -1))
		return duk_error(ctx, DUK_ERR_TYPE_ERROR,
		                 "the result is a %s, which JSON cannot represent",
		                 duk_is_function(ctx, -1) ? "function" : "symbol");
	jsb_bridge_encode(ctx, -1, (flags & JSB_JOB_COMPACT) ? 0 : 2);
	return 1;
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
static void error_place(struct jsb_eval *ev, duk_idx_t idx, char *buf, size_t size)
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
		line = jsb_modern_source_line(ev, line);
	if (line > 0 && col > 0)
		snprintf(buf, size, "%s:%ld:%ld", file, line, col);
	else if (line > 0)
		snprintf(buf, size, "%s:%ld", file, line);
	else
		snprintf(buf, size, "%s", file);
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
		int n = snprintf(num, sizeof num, "%ld", jsb_modern_source_line(ev, line));
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
static int time_exceeded(struct jsb_eval *ev)
{
	char size[32];
	if (ev->transpile_expired) {
		jsb_format_duration(size, sizeof size, ev->job->policy->transpile_timeout_ms);
		return say(ev, JSB_EXIT_TIMEOUT, "time limit exceeded",
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
	return say(ev, JSB_EXIT_TIMEOUT, "time limit exceeded", "%s%s%s", size,
	           total                                    ? " in total (--total-timeout)"
	           : ev->job->records == JSB_RECORDS_STREAM ? " per record"
	                                                    : "",
	           waiting);
}

void jsb_run_place(struct jsb_eval *ev, duk_idx_t idx, char *buf, size_t size)
{
	error_place(ev, idx, buf, size);
}

/* Reports the error on top of the stack (see run.h), then tells the
 * supervisor, which must not report the same ending again if it has to
 * kill an evaluator slow to exit. */
int jsb_run_report(struct jsb_eval *ev)
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
	case JSB_STOP_TIME: return time_exceeded(ev);
	case JSB_STOP_MEMORY: return memory_exceeded(ev);
	case JSB_STOP_OUTPUT:
		jsb_format_size(size, sizeof size, ev->out.limit);
		return say(ev, JSB_EXIT_OUTPUT, "output limit exceeded", "%s%s", size,
		           ev->job->records == JSB_RECORDS_STREAM ? " per record" : "");
	case JSB_STOP_INTERRUPT:
		return say(ev, JSB_EXIT_INTERRUPT, "interrupted", "stopped by SIGINT");
	case JSB_STOP_POLICY:
	case JSB_STOP_INPUT:
	case JSB_STOP_NONE: break;
	}
	return -1;
}

static duk_ret_t report_call(duk_context *ctx, void *udata)
{
	int *code = udata;
	*code = report(jsb_run_current(ctx));
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
	return say(ev, JSB_EXIT_SCRIPT, ev->job->source_name,
	           "uncaught exception: an error whose properties threw while it was reported");
}

static int report(struct jsb_eval *ev)
{
	duk_context *ctx = ev->ctx;
	char place[512], utf8[2048];
	int limit = limit_report(ev);
	if (limit >= 0)
		return limit;
	error_place(ev, -1, place, sizeof place);
	/* Only jsbox's own denials are policy violations, and each was
	 * reported when it happened: once is enough.  An error the script
	 * made, whatever its name (SecurityError too), is the script's error. */
	if (duk_is_object(ctx, -1) && jsb_bindings_was_reported(ctx, -1)) {
		jsb_envelope_note_error(ev, -1);
		return JSB_EXIT_POLICY;
	}
	duk_dup(ctx, -1);
	duk_size_t len;
	const char *text = duk_safe_to_lstring(ctx, -1, &len);
	/* CESU-8 like every Duktape string: UTF-8 for the terminal. */
	jsb_text_to_utf8_cut(utf8, sizeof utf8, text, len, JSB_LONE_REPLACE);
	duk_pop(ctx);
	/* Its toString (a getter on name or message) may have run into a
	 * limit: that limit is the ending, not the error it turned into. */
	limit = limit_report(ev);
	if (limit >= 0)
		return limit;
	strip_line_suffix(utf8);
	int code = JSB_EXIT_SCRIPT;
	if (!duk_is_error(ctx, -1))
		say(ev, code, place, "uncaught exception: %s", utf8);
	else
		say(ev, code, place, "%s", utf8);
	jsb_envelope_note_error(ev, -1);
	if ((ev->job->flags & JSB_JOB_STACK_TRACE) && duk_is_error(ctx, -1)) {
		duk_get_prop_string(ctx, -1, "stack");
		write_stack(ev, duk_safe_to_string(ctx, -1));
		duk_pop(ctx);
	}
	return code;
}

static int write_result(struct jsb_eval *ev)
{
	duk_context *ctx = ev->ctx;
	if (ev->job->flags & JSB_JOB_JSON_RESULT)
		return jsb_envelope_success(ev, -1) ? JSB_EXIT_OK : jsb_run_report(ev);
	if (duk_is_undefined(ctx, -1))
		return JSB_EXIT_OK;
	ev->records_out++;
	duk_size_t len;
	const char *s = duk_get_lstring(ctx, -1, &len);
	bool raw = (ev->job->flags & JSB_JOB_RAW) != 0;
	if (!jsb_bridge_write(&ev->out, JSB_CH_STDOUT, s, len,
	                      raw ? JSB_LONE_REPLACE : JSB_LONE_ESCAPE) ||
	    !jsb_out_script(&ev->out, JSB_CH_STDOUT, "\n", 1))
		return jsb_run_report(ev);
	return JSB_EXIT_OK;
}

static void send_stats(struct jsb_eval *ev, int code)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	             (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3 - ev->cpu_base_ms;
	struct jsb_wire_stats st = {.cpu_ms = cpu,
	                            .transpile_ms = (double)ev->transpile_ns / 1e6,
	                            .transpile_heap_peak = ev->transpile_peak,
	                            .transpile_allocations = ev->transpile_allocs,
	                            .heap_peak = ev->heap.peak,
	                            .heap_limit = ev->heap.limit,
	                            .allocations = ev->heap.allocs,
	                            .output_bytes = ev->out.used,
	                            .records_in = ev->records_in,
	                            .records_out = ev->records_out,
	                            .records_skipped = ev->records_skipped,
	                            .limit = (int)ev->limits.stop,
	                            .exit = code,
	                            .stream = ev->job->records == JSB_RECORDS_STREAM};
	memcpy(st.denials, ev->denials, sizeof st.denials);
	jsb_out_raw(&ev->out, JSB_CH_STATS, (const char *)&st, sizeof st);
}

int jsb_run_protect(struct jsb_eval *ev, duk_safe_call_function fn, duk_idx_t nargs)
{
	if (duk_safe_call(ev->ctx, fn, ev, nargs, 1) == DUK_EXEC_SUCCESS) {
		/* A script that caught the out-of-memory error still failed. */
		if (ev->limits.stop != JSB_STOP_NONE && ev->limits.stop != JSB_STOP_POLICY)
			return jsb_run_report(ev);
		return JSB_EXIT_OK;
	}
	return jsb_run_report(ev);
}

int jsb_run_open(struct jsb_eval *ev, const struct jsb_job *job, int out_fd, int files_fd,
                 struct jsb_shared *shared)
{
	ev->job = job;
	ev->files_fd = files_fd;
	ev->limits = (struct jsb_limits){.shared = shared};
	ev->heap =
	    (struct jsb_heap){.limit = job->policy->memory, .limits = &ev->limits, .out = &ev->out};
	jsb_out_init(&ev->out, out_fd, job->policy->max_output, &ev->limits,
	             (job->flags & JSB_JOB_LINE_FLUSH) != 0);
	jsb_limits_install(&ev->limits);
	jsb_limits_arm(&ev->limits, job->policy->timeout_ms);
	if (job->records == JSB_RECORDS_STREAM && job->total_timeout_ms)
		ev->total_deadline_ns = jsb_after_ms(jsb_now_ns(), job->total_timeout_ms);
	ev->record_start_ns = jsb_now_ns();
	if (shared)
		shared->started_ns = ev->record_start_ns;
	ev->ctx = jsb_heap_create(&ev->heap);
	if (!ev->ctx)
		return memory_exceeded(ev);
	int rc = jsb_run_protect(ev, setup, 0);
	if (rc == JSB_EXIT_OK)
		duk_pop(ev->ctx);
	if (rc == JSB_EXIT_OK && (job->flags & JSB_JOB_PROF) && !jsb_prof_start(ev))
		rc = memory_exceeded(ev);
	return rc;
}

static duk_ret_t bind_all(duk_context *ctx, void *udata)
{
	struct jsb_eval *ev = udata;
	int rc = bind_input(ev);
	duk_push_int(ctx, rc != JSB_EXIT_OK ? rc : bind_args(ev));
	return 1;
}

/* Protected: an allocation that fails outside a protected call sends
 * Duktape into its uncaught-error path, which allocates again and recurses
 * until the stack overflows. */
int jsb_run_bind(struct jsb_eval *ev)
{
	if (duk_safe_call(ev->ctx, bind_all, ev, 0, 1) != DUK_EXEC_SUCCESS)
		return jsb_run_report(ev);
	int rc = duk_get_int(ev->ctx, -1);
	duk_pop(ev->ctx);
	return rc;
}

int jsb_run_compiled(struct jsb_eval *ev, duk_idx_t fn_idx)
{
	int rc;
	duk_dup(ev->ctx, fn_idx);
	if ((rc = jsb_run_protect(ev, execute, 1)) != 0)
		return rc;
	if (ev->timers && (rc = jsb_timers_drain(ev)) != 0)
		return rc;
	if ((rc = jsb_run_protect(ev, take_result, 1)) != 0)
		return rc;
	if ((rc = jsb_run_protect(ev, serialise, 1)) != 0)
		return rc;
	rc = write_result(ev);
	duk_pop(ev->ctx);
	return rc;
}

int jsb_run_source(struct jsb_eval *ev)
{
	int rc;
	if ((rc = jsb_run_protect(ev, jsb_run_compile, 0)) != 0)
		return rc;
	if (ev->job->flags & JSB_JOB_TRANSPILE) {
		duk_pop(ev->ctx); /* the translation went out on JSB_CH_ES5 */
		return JSB_EXIT_OK;
	}
	rc = jsb_run_compiled(ev, duk_get_top_index(ev->ctx));
	if (rc == JSB_EXIT_OK)
		duk_pop(ev->ctx);
	return rc;
}

void jsb_run_close(struct jsb_eval *ev, int code)
{
	jsb_prof_report(ev);
	if (ev->job->flags & JSB_JOB_STATS)
		send_stats(ev, code);
	char status = (char)code;
	jsb_out_raw(&ev->out, JSB_CH_STATUS, &status, 1);
	jsb_out_flush(&ev->out);
	/* The heap is not destroyed: the process ends here, and finalizers run by
	 * a teardown would be script code running past the deadline. */
}

/* `jsbox check`: compile (translating modern syntax), run nothing; with
 * --json-result the success envelope has a null output. */
static int check_source(struct jsb_eval *ev)
{
	int rc = jsb_run_protect(ev, jsb_run_compile, 0);
	if (rc == JSB_EXIT_OK && (ev->job->flags & JSB_JOB_JSON_RESULT)) {
		duk_push_undefined(ev->ctx);
		jsb_envelope_success(ev, -1);
	}
	return rc;
}

int jsb_run_evaluate(const struct jsb_job *job, int out_fd, int files_fd, struct jsb_shared *shared)
{
	static struct jsb_eval ev; /* 64 KiB output buffer: not on the stack */
	int code = jsb_run_open(&ev, job, out_fd, files_fd, shared);
	if (code == JSB_EXIT_OK && (job->flags & JSB_JOB_CHECK))
		code = check_source(&ev);
	else if (code == JSB_EXIT_OK)
		code = jsb_run_bind(&ev);
	if (code == JSB_EXIT_OK && !(job->flags & JSB_JOB_CHECK))
		code =
		    job->records == JSB_RECORDS_STREAM ? jsb_stream_run(&ev) : jsb_run_source(&ev);
	if (code != JSB_EXIT_OK)
		jsb_envelope_failure(&ev, code);
	jsb_envelope_done(&ev);
	jsb_run_close(&ev, code);
	return code;
}
