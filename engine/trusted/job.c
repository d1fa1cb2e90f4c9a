/* A run, file or stream job in the foreground: starts the evaluator on the
 * supervision core, relays what it writes, and turns how it ended into an
 * exit code, one message, the --stats line and the envelope owed.  Never
 * runs script code. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/jsbox.h"
#include "common/parse.h"
#include "engine/confined/limits.h"
#include "engine/confined/run.h"
#include "engine/engine.h"
#include "engine/lib/envelope_json.h"
#include "engine/lib/jsonw.h"
#include "engine/lib/text.h"
#include "engine/trusted/foreground.h"

const char *jsb_engine_version(void)
{
	static char text[32];
	long v = DUK_VERSION;
	snprintf(text, sizeof text, "Duktape %ld.%ld.%ld", v / 10000, v / 100 % 100, v % 100);
	return text;
}

struct relay {
	struct jsb_fg fg;
	/* --json-result: the console lines so far, for an envelope the
	 * evaluator could not write (CESU-8 JSON strings, comma-separated). */
	char *console;
	size_t console_len, console_cap;
	bool console_open; /* a console frame is being read */
	/* --stats: what the evaluator measured, if it got to say */
	struct jsb_wire_stats stats;
	size_t stats_len;
	bool stats_whole;
	struct jsb_es5 *es5; /* where a transpiled source goes, or NULL */
};

/* Collects the evaluator's ES5 translation for the transpile cache. */
static void keep_es5(struct jsb_es5 *es5, const char *data, size_t len)
{
	char *more =
	    es5 && len <= (64u << 20) - es5->len ? realloc(es5->text, es5->len + len) : NULL;
	if (!more)
		return;
	memcpy(more + es5->len, data, len);
	es5->text = more;
	es5->len += len;
}

/* A console line's piece; an empty frame starts the list afresh. */
static void keep_console(struct relay *r, const char *data, size_t len, bool last)
{
	if (!r->console_open && len == 0 && last) {
		r->console_len = 0;
		return;
	}
	size_t need = r->console_len + len + 1;
	if (need > r->console_cap) {
		char *more = need <= (256u << 20) ? realloc(r->console, need * 2) : NULL;
		if (!more)
			return;
		r->console = more;
		r->console_cap = need * 2;
	}
	if (!r->console_open && r->console_len)
		r->console[r->console_len++] = ',';
	memcpy(r->console + r->console_len, data, len);
	r->console_len += len;
	r->console_open = !last;
}

/* The stats frame: taken only when it is one frame of the exact size
 * (stats_len past that size marks a frame too long, read to its end). */
static void keep_stats(struct relay *r, const char *data, size_t len, bool last)
{
	bool fits = r->stats_len <= sizeof r->stats && len <= sizeof r->stats - r->stats_len;
	if (fits)
		memcpy((char *)&r->stats + r->stats_len, data, len);
	r->stats_len = fits ? r->stats_len + len : sizeof r->stats + 1;
	if (last) {
		r->stats_whole = r->stats_len == sizeof r->stats;
		r->stats_len = 0;
	}
}

/* Frames other than stdout and stderr. */
static void keep(void *ctx, int channel, const char *data, size_t len, bool last)
{
	struct relay *r = ctx;
	(void)last;
	if (channel == JSB_CH_STATS) {
		keep_stats(r, data, len, last);
	} else if (channel == JSB_CH_ES5) {
		keep_es5(r->es5, data, len);
	} else if (channel == JSB_CH_CONSOLE) {
		keep_console(r, data, len, last);
	}
}

/* "time limit exceeded: 500 ms per record (record 3, line 7)" */
static void timeout_detail(const struct jsb_job *job, const struct jsb_super *s, uint64_t total_at,
                           struct jsb_verdict *v)
{
	char text[32], where[96] = "";
	bool stream = job->records == JSB_RECORDS_STREAM;
	bool total = stream && job->total_timeout_ms &&
	             (s->sh->deadline_ns == 0 || s->sh->deadline_ns >= total_at);
	if (s->sh->translating) {
		jsb_format_duration(text, sizeof text, job->policy->transpile_timeout_ms);
		snprintf(v->detail, sizeof v->detail,
		         "%s translating the script to ES5 (transpile_timeout)", text);
		return;
	}
	jsb_format_duration(text, sizeof text,
	                    total ? job->total_timeout_ms : job->policy->timeout_ms);
	if (stream && s->sh->record)
		snprintf(where, sizeof where, " (record %llu, line %lu)",
		         (unsigned long long)s->sh->record, s->sh->record_line);
	/* Killed while blocked on its input: say what it waited for. */
	bool waiting = s->sh->waiting_input && job->input_name;
	bool on_stdin = waiting && strcmp(job->input_name, "<stdin>") == 0;
	snprintf(v->detail, sizeof v->detail, "%s%s%s%s%s%s%s", text,
	         total    ? " in total (--total-timeout)"
	         : stream ? " per record"
	                  : "",
	         where, waiting ? " (waiting for input on " : "",
	         waiting ? (on_stdin ? "stdin" : job->input_name) : "", waiting ? ")" : "",
	         s->paused_late ? "; stdout was not being read" : "");
}

static double cpu_ms(const struct rusage *ru)
{
	return (double)(ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * 1e3 +
	       (double)(ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) / 1e3;
}

/* The members the evaluator measured, after wall_ms. */
static void write_measured(struct jsb_jsonw *w, const struct jsb_wire_stats *st)
{
	static const char *const denied[] = {"eval", "timers", "duktape", "read"};
	const char *limit = jsb_wire_limit_name(st->limit);
	jsb_jsonw_key(w, "cpu_ms");
	jsb_jsonw_ms(w, st->cpu_ms);
	jsb_jsonw_key(w, "transpile_ms");
	jsb_jsonw_ms(w, st->transpile_ms);
	jsb_jsonw_key(w, "transpile_heap_peak");
	jsb_jsonw_uint(w, st->transpile_heap_peak);
	jsb_jsonw_key(w, "transpile_allocations");
	jsb_jsonw_uint(w, st->transpile_allocations);
	jsb_jsonw_key(w, "heap_peak");
	jsb_jsonw_uint(w, st->heap_peak);
	jsb_jsonw_key(w, "heap_limit");
	jsb_jsonw_uint(w, st->heap_limit);
	jsb_jsonw_key(w, "allocations");
	jsb_jsonw_uint(w, st->allocations);
	jsb_jsonw_key(w, "output_bytes");
	jsb_jsonw_uint(w, st->output_bytes);
	jsb_jsonw_key(w, "denials");
	jsb_jsonw_object(w);
	for (size_t i = 0; i < 4; i++) {
		jsb_jsonw_key(w, denied[i]);
		jsb_jsonw_uint(w, st->denials[i]);
	}
	jsb_jsonw_end(w);
	jsb_jsonw_key(w, "limit");
	if (limit)
		jsb_jsonw_str(w, limit);
	else
		jsb_jsonw_null(w);
	jsb_jsonw_key(w, "exit");
	jsb_jsonw_int(w, st->exit);
	if (st->stream) {
		jsb_jsonw_key(w, "records");
		jsb_jsonw_object(w);
		jsb_jsonw_key(w, "in");
		jsb_jsonw_uint(w, st->records_in);
		jsb_jsonw_key(w, "out");
		jsb_jsonw_uint(w, st->records_out);
		jsb_jsonw_key(w, "skipped");
		jsb_jsonw_uint(w, st->records_skipped);
		jsb_jsonw_end(w);
	}
}

/* What the supervisor knows of an evaluator that did not get to say. */
static void write_known(struct jsb_jsonw *w, const struct relay *r, int code,
                        const struct jsb_shared *sh, const struct rusage *ru, enum jsb_ending end)
{
	jsb_jsonw_key(w, "cpu_ms");
	jsb_jsonw_ms(w, cpu_ms(ru));
	jsb_jsonw_key(w, "heap_peak");
	jsb_jsonw_uint(w, sh->peak_bytes);
	jsb_jsonw_key(w, "allocations");
	jsb_jsonw_uint(w, sh->allocs);
	jsb_jsonw_key(w, "output_bytes");
	jsb_jsonw_uint(w, r->fg.sink.total);
	jsb_jsonw_key(w, "limit");
	if (end == JSB_END_TIMEOUT || end == JSB_END_INTERRUPT)
		jsb_jsonw_str(w, end == JSB_END_TIMEOUT ? "time" : "interrupt");
	else
		jsb_jsonw_null(w);
	jsb_jsonw_key(w, "exit");
	jsb_jsonw_int(w, code);
}

/* --stats: one JSON line on stderr. */
static void print_stats(const struct relay *r, uint64_t start, int code,
                        const struct jsb_shared *sh, const struct rusage *ru, enum jsb_ending end,
                        bool killed)
{
	int fd = STDERR_FILENO;
	struct jsb_jsonw w;
	jsb_jsonw_init(&w, JSB_JSONW_COMPACT, jsb_jsonw_fd_sink, &fd);
	jsb_jsonw_object(&w);
	jsb_jsonw_key(&w, "wall_ms");
	jsb_jsonw_ms(&w, (double)(jsb_now_ns() - start) / 1e6);
	if (r->stats_whole)
		write_measured(&w, &r->stats);
	else
		write_known(&w, r, code, sh, ru, end);
	jsb_jsonw_key(&w, "rss_peak_kib");
	jsb_jsonw_int(&w, ru->ru_maxrss);
	jsb_jsonw_key(&w, "killed");
	jsb_jsonw_bool(&w, r->stats_whole ? false : killed);
	jsb_jsonw_finish(&w);
}

/* The time the evaluator published (the run's or record's start, and its
 * translation), checked against the parent's own clock: a lying evaluator
 * can only make its envelope say less. */
static void published_times(const struct jsb_shared *sh, uint64_t start, double *time_ms,
                            double *transpile_ms)
{
	uint64_t now = jsb_now_ns(), began = sh->started_ns, translating = sh->transpile_ns;
	if (began < start || began > now)
		began = start;
	if (translating > now - start)
		translating = 0;
	*time_ms = (double)(now - began) / 1e6;
	*transpile_ms = (double)translating / 1e6;
}

/* --json-result when the evaluator could not write its envelope (killed,
 * crashed, out of memory): the failure as the supervisor saw it, with what
 * the script printed before it died, in the evaluator's shape. */
static void write_envelope(const struct relay *r, const struct jsb_job *job,
                           const struct jsb_shared *sh, uint64_t start, int code)
{
	int fd = STDOUT_FILENO;
	struct jsb_jsonw w;
	struct jsb_envelope_json e = {.type = jsb_envelope_type(code),
	                              .message = jsb_error_last(),
	                              .console = r->console,
	                              .console_len = r->console_len,
	                              .memory_peak = sh->peak_bytes};
	e.message_len = strlen(e.message);
	if (job->records == JSB_RECORDS_STREAM)
		e.record = sh->record;
	published_times(sh, start, &e.time_ms, &e.transpile_ms);
	jsb_jsonw_init(&w, JSB_JSONW_COMPACT, jsb_jsonw_fd_sink, &fd);
	jsb_envelope_write(&w, &e);
}

/* The evaluator: evaluate, exit without running atexit handlers. */
static void evaluate(void *arg, int out_fd, int req_fd, int files_fd, struct jsb_shared *sh)
{
	(void)req_fd;
	_exit(jsb_run_evaluate(arg, out_fd, files_fd, sh));
}

/* When the run must be over: the deadline counts from the fork, so setup
 * (heap, input parsing, compilation) counts against it too.  A stream's
 * --timeout is per record (published by the evaluator); the run as a whole
 * is bounded only by --total-timeout. */
static uint64_t run_bound(const struct jsb_job *job, uint64_t start)
{
	uint64_t ms =
	    job->records != JSB_RECORDS_STREAM ? job->policy->timeout_ms : job->total_timeout_ms;
	if (ms == 0)
		return UINT64_MAX;
	/* Translating the script has a bound of its own, outside the script's
	 * (the evaluator publishes it while translating, and moves its own
	 * deadlines on by the time it took). */
	if (!job->es5)
		start = jsb_after_ms(start, job->policy->transpile_timeout_ms);
	return jsb_after_ms(start, ms);
}

int jsb_engine_run(const struct jsb_job *job)
{
	struct relay r = {.es5 = job->es5_out};
	bool stats = (job->flags & JSB_JOB_STATS) != 0;
	uint64_t start = jsb_now_ns();
	if (!jsb_fg_start(&r.fg, job, job->input_fd, false, run_bound(job, start), evaluate,
	                  (void *)(uintptr_t)job))
		return JSB_EXIT_INTERNAL;
	struct jsb_super *s = &r.fg.sup;
	r.fg.on_other = keep;
	r.fg.ctx = &r;
	jsb_fg_catch();
	enum jsb_ending end = jsb_fg_wait(&r.fg, stats);
	jsb_fg_release();
	jsb_sink_finish(&r.fg.sink);
	struct jsb_verdict v;
	jsb_super_verdict(s, job, end, &v);
	if (v.code == JSB_EXIT_TIMEOUT && v.kind)
		timeout_detail(job, s, jsb_after_ms(start, job->total_timeout_ms), &v);
	if (v.kind)
		jsb_error(v.kind, "%s", v.detail);
	int code = v.code;
	if (r.fg.sink.error) {
		jsb_error("write error", "%s: %s", r.fg.sink.failed, strerror(r.fg.sink.error));
		if (code == JSB_EXIT_OK)
			code = JSB_EXIT_USAGE;
	}
	if ((job->flags & JSB_JOB_JSON_RESULT) && s->sh->envelope_pending)
		write_envelope(&r, job, s->sh, start, code);
	if (stats)
		print_stats(&r, start, code, s->sh, &s->ru, end,
		            (end != JSB_END_STATUS && end != JSB_END_EXIT) ||
		                WIFSIGNALED(s->wstatus));
	jsb_super_close(s, stats || end != JSB_END_STATUS);
	free(r.console);
	return code;
}
