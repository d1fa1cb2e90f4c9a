/* The evaluator's one run: build the heap and globals, bind input and
 * arguments, compile (as a program, or as a function body when the script
 * uses a top-level return), run, and write the result.  How a step failed
 * is said by the core (eval.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

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
	int rc = jsb_input_value(ev);
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
				return jsb_eval_memory_exceeded(ev);
		} else {
			snprintf(name, sizeof name, "--argjson %s", b->name);
			enum jsb_parse_status st = jsb_bridge_parse(
			    ctx, &ev->heap, &ev->out, b->value, len, name, err, sizeof err);
			if (st == JSB_PARSE_MEMORY)
				return jsb_eval_memory_exceeded(ev);
			if (st == JSB_PARSE_INVALID)
				return jsb_eval_say(ev, JSB_EXIT_USAGE, "usage", "%s", err);
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
	/* A record's JSON result is one line (a raw string is its text, as
	 * with jq -r); an envelope holds JSON, never raw text. */
	if (ev->job->records == JSB_RECORDS_STREAM)
		flags |= JSB_JOB_COMPACT;
	if (flags & JSB_JOB_JSON_RESULT)
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

static int write_result(struct jsb_eval *ev)
{
	duk_context *ctx = ev->ctx;
	if (ev->job->flags & JSB_JOB_JSON_RESULT)
		return jsb_envelope_success(ev, -1) ? JSB_EXIT_OK : jsb_eval_report(ev);
	if (duk_is_undefined(ctx, -1))
		return JSB_EXIT_OK;
	ev->records_out++;
	duk_size_t len;
	const char *s = duk_get_lstring(ctx, -1, &len);
	bool raw = (ev->job->flags & JSB_JOB_RAW) != 0;
	if (!jsb_bridge_write(&ev->out, JSB_CH_STDOUT, s, len,
	                      raw ? JSB_LONE_REPLACE : JSB_LONE_ESCAPE) ||
	    !jsb_out_script(&ev->out, JSB_CH_STDOUT, "\n", 1))
		return jsb_eval_report(ev);
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

int jsb_run_open(struct jsb_eval *ev, const struct jsb_job *job, int out_fd, int files_fd,
                 struct jsb_shared *shared)
{
	ev->job = job;
	ev->files_fd = files_fd;
	ev->limits = (struct jsb_limits){.shared = shared};
	ev->heap = (struct jsb_heap){.limit = job->policy->memory,
	                             .limits = &ev->limits,
	                             .out = &ev->out,
	                             .arena = ev->heap.arena};
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
		return jsb_eval_memory_exceeded(ev);
	int rc = jsb_eval_protect(ev, setup, 0);
	if (rc == JSB_EXIT_OK)
		duk_pop(ev->ctx);
	if (rc == JSB_EXIT_OK && (job->flags & JSB_JOB_PROF) && !jsb_prof_start(ev))
		rc = jsb_eval_memory_exceeded(ev);
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
		return jsb_eval_report(ev);
	int rc = duk_get_int(ev->ctx, -1);
	duk_pop(ev->ctx);
	return rc;
}

int jsb_run_compiled(struct jsb_eval *ev, duk_idx_t fn_idx)
{
	int rc;
	duk_dup(ev->ctx, fn_idx);
	if ((rc = jsb_eval_protect(ev, execute, 1)) != 0)
		return rc;
	if (ev->timers && (rc = jsb_timers_drain(ev)) != 0)
		return rc;
	if ((rc = jsb_eval_protect(ev, take_result, 1)) != 0)
		return rc;
	if ((rc = jsb_eval_protect(ev, serialise, 1)) != 0)
		return rc;
	rc = write_result(ev);
	duk_pop(ev->ctx);
	return rc;
}

int jsb_run_source(struct jsb_eval *ev)
{
	int rc;
	if ((rc = jsb_eval_protect(ev, jsb_run_compile, 0)) != 0)
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
	int rc = jsb_eval_protect(ev, jsb_run_compile, 0);
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
