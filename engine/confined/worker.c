/* A server's worker: answers job requests (struct jsb_wire_job) one at a
 * time, each in a fresh heap with the server's policy lowered to the job's
 * limits, as a one-shot run with --json-result and --stats would.  A
 * session's worker keeps its heap between jobs instead, as the REPL does.
 * Runs confined. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "common/jsbox.h"
#include "engine/confined/arena.h"
#include "engine/confined/envelope.h"
#include "engine/confined/random.h"
#include "engine/confined/requests.h"
#include "engine/confined/run.h"
#include "engine/confined/timers.h"
#ifdef JSB_TEST_HOOKS
#include "engine/confined/testhooks.h"
#endif
#include "engine/confined/worker.h"

static struct jsb_eval ev;

/* A fresh job's heap lives in the arena when the worker has one: saved
 * (with ev) right after the heap is made, and put back after every job,
 * so each job starts on the same pristine heap without building it. */
#define ARENA_MAX (32ull << 20)
static struct jsb_arena arena;
static struct jsb_eval pristine;
static bool saved, arena_failed;

/* Ends the job's heap before its status goes out, so nothing of it can
 * run on: destroyed, or (in the saved arena) left for prepare() to put
 * back.  No finalizer runs (patches/duktape/0018): a script's finalizer
 * runs only when its object is collected during the job, within the
 * job's deadline. */
static void drop_heap(void)
{
	bool in_arena = ev.heap.arena != NULL;
	if (ev.ctx && !(in_arena && saved))
		duk_destroy_heap(ev.ctx);
	ev.ctx = NULL;
	jsb_timers_free(&ev);
	jsb_eval_forget(&ev);
	jsb_heap_free(&ev.heap, ev.console);
	ev.console = NULL;
	ev.console_len = ev.console_cap = 0;
	free(ev.line_marks);
	ev.line_marks = NULL;
	ev.n_line_marks = 0;
	if (in_arena && !saved)
		jsb_arena_restore(&arena); /* empty again */
}

/* The job's policy: the server's, with the job's limits (never above the
 * server's: the parent checked them). */
static void lower(struct jsb_policy *p, const struct jsb_wire_job *w)
{
	p->memory = w->memory;
	p->timeout_ms = w->timeout_ms;
	p->transpile_timeout_ms = w->transpile_timeout_ms;
	p->max_output = w->max_output;
	p->max_timers = w->max_timers;
	p->caps = w->caps;
}

static void forget_last(struct jsb_shared *sh)
{
	sh->reported = 0;
	sh->envelope_pending = 1; /* every job's result is an envelope */
	sh->translating = 0;
	sh->waiting_input = 0;
	sh->record = 0;
}

/* The next job's heap, made while the worker waits for it (with the
 * server's policy, reporting nowhere): a job that finds one ready skips
 * the heap's creation.  The job takes it only when it has the same
 * capabilities (its bindings) and fits the job's memory limit. */
static struct jsb_policy prepared_policy;
static struct jsb_job prepared_job;
static bool prepared;

static void prepare(const struct jsb_job *tmpl, int out_fd, int files_fd)
{
	jsb_random_forget();
	if (saved) {
		jsb_arena_restore(&arena);
		ev = pristine;
		prepared = true;
		return;
	}
	memset(&ev, 0, sizeof ev);
	prepared_policy = *tmpl->policy;
	prepared_job = *tmpl;
	prepared_job.policy = &prepared_policy;
	prepared_job.flags |= JSB_JOB_JSON_RESULT | JSB_JOB_STATS;
	uint64_t size = prepared_policy.memory < ARENA_MAX ? prepared_policy.memory : ARENA_MAX;
	if (!arena_failed && (arena.base || jsb_arena_open(&arena, (size_t)size)))
		ev.heap.arena = &arena;
	prepared = jsb_run_open(&ev, &prepared_job, out_fd, files_fd, NULL) == JSB_EXIT_OK;
	if (prepared && ev.heap.arena && jsb_arena_save(&arena)) {
		pristine = ev;
		saved = true;
		return;
	}
	arena_failed = true;
	if (!prepared)
		drop_heap();
}

/* The prepared heap made this job's: its limits, deadline, output. */
static bool take_prepared(struct jsb_job *job, int out_fd, struct jsb_shared *sh)
{
	bool fits = prepared && ev.ctx && job->policy->caps == prepared_policy.caps &&
	            ev.heap.used < job->policy->memory;
	prepared = false;
	if (!fits)
		return false;
	ev.job = job;
	ev.limits.shared = sh;
	jsb_limits_reset(&ev.limits);
	jsb_limits_arm(&ev.limits, job->policy->timeout_ms);
	ev.heap.limit = job->policy->memory;
	jsb_out_init(&ev.out, out_fd, job->policy->max_output, &ev.limits, false);
	ev.record_start_ns = jsb_now_ns();
	return true;
}

/* The job's envelope, held with the stats and status to come, so the
 * ending's frames go out in one write (jsb_run_close() flushes). */
static void end_job(int code)
{
	ev.out.hold = true;
	if (code != JSB_EXIT_OK)
		jsb_envelope_failure(&ev, code);
	jsb_envelope_done(&ev);
}

/* A fresh job: as jsb_run_evaluate, then the heap goes. */
static int run_fresh(struct jsb_job *job, int out_fd, int files_fd, struct jsb_shared *sh)
{
	double base = jsb_requests_cpu_ms();
	int code = JSB_EXIT_OK;
	if (!take_prepared(job, out_fd, sh)) {
		drop_heap();
		memset(&ev, 0, sizeof ev);
		code = jsb_run_open(&ev, job, out_fd, files_fd, sh);
	}
	ev.cpu_base_ms = base;
	if (code == JSB_EXIT_OK)
		code = jsb_run_bind(&ev);
	if (code == JSB_EXIT_OK)
		code = jsb_run_source(&ev);
	end_job(code);
	drop_heap();
	return code;
}

/* [ ] -> [ ]: `output` cleared, so a result is this job's. */
static duk_ret_t clear_output(duk_context *ctx, void *udata)
{
	(void)udata;
	duk_push_undefined(ctx);
	duk_put_global_string(ctx, "output");
	return 0;
}

/* A session's job: the heap opened by the first, kept for the next. */
static int run_kept(struct jsb_job *job, int out_fd, int files_fd, struct jsb_shared *sh)
{
	int code = JSB_EXIT_OK;
	double base = jsb_requests_cpu_ms();
	if (!ev.ctx) {
		memset(&ev, 0, sizeof ev);
		code = jsb_run_open(&ev, job, out_fd, files_fd, sh);
	} else {
		ev.job = job;
		jsb_limits_reset(&ev.limits);
		jsb_limits_arm(&ev.limits, job->policy->timeout_ms);
		ev.heap.limit = job->policy->memory;
		ev.heap.peak = ev.heap.used;
		ev.heap.refusals = ev.heap.episodes = 0;
		ev.heap.refused_size = 0;
		ev.out.used = 0;
		ev.out.budget = job->policy->max_output;
		jsb_envelope_begin(&ev);
		ev.said = 0;
		ev.record_start_ns = jsb_now_ns();
		ev.transpile_ns = 0;
	}
	ev.cpu_base_ms = base;
	if (code == JSB_EXIT_OK)
		code = jsb_run_bind(&ev);
	if (code == JSB_EXIT_OK)
		code = jsb_eval_protect(&ev, clear_output, 0);
	if (code == JSB_EXIT_OK)
		code = jsb_run_source(&ev);
	end_job(code);
	if (ev.ctx)
		duk_set_top(ev.ctx, 0);
	return code;
}

static void serve_job(const struct jsb_job *tmpl, const char *payload, size_t len, int out_fd,
                      int files_fd, struct jsb_shared *sh, bool keep)
{
	struct jsb_wire_job w;
	if (!jsb_wire_job_unpack(&w, payload, len))
		_exit(JSB_EXIT_INTERNAL); /* the parent never sends one */
	struct jsb_policy policy = *tmpl->policy;
	lower(&policy, &w);
	struct jsb_bind binds[JSB_WIRE_MAX_BINDS];
	for (size_t i = 0; i < w.n_binds; i++)
		binds[i] = (struct jsb_bind){w.bind_names[i], w.bind_values[i], true};
	struct jsb_job job = *tmpl;
	job.source = w.source;
	job.source_len = w.source_len;
	job.source_name = "<job>";
	job.input_fd = -1;
	job.input_text = w.input;
	job.input_len = w.input_len;
	job.input_name = "input";
	job.binds = binds;
	job.n_binds = w.n_binds;
	job.policy = &policy;
	job.flags = (tmpl->flags & ~JSB_JOB_STACK_TRACE) | JSB_JOB_JSON_RESULT | JSB_JOB_STATS |
	            (w.flags & JSB_JOB_STACK_TRACE);
	forget_last(sh);
	int code =
	    keep ? run_kept(&job, out_fd, files_fd, sh) : run_fresh(&job, out_fd, files_fd, sh);
	jsb_run_close(&ev, code);
	ev.out.hold = false;
	if (!keep)
		prepare(tmpl, out_fd, files_fd);
	/* Out of memory or stopped by a limit, a kept heap may be unusable:
	 * the session's worker ends and the server says so. */
	if (keep && ev.limits.stop != JSB_STOP_NONE && ev.limits.stop != JSB_STOP_POLICY)
		_exit(code);
}

/* Reads len bytes of requests through a buffer: a small request (header
 * and payload) takes one read. */
static bool take(int fd, void *dst, size_t len)
{
	static char buf[16384];
	static size_t at, end;
	char *p = dst;
	while (len) {
		if (at == end) {
			if (len >= sizeof buf) /* the rest of a big one: straight in */
				return jsb_requests_read(fd, p, len);
			ssize_t r = read(fd, buf, sizeof buf);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				return false;
			at = 0;
			end = (size_t)r;
		}
		size_t n = end - at < len ? end - at : len;
		memcpy(p, buf + at, n);
		at += n;
		p += n;
		len -= n;
	}
	return true;
}

void jsb_worker_serve(const struct jsb_job *tmpl, int req_fd, int out_fd, int files_fd,
                      struct jsb_shared *sh, bool keep)
{
	static struct jsb_out ready_out;
	static struct jsb_limits ready_limits;
#ifdef JSB_TEST_HOOKS
	jsb_testhooks_lag("JSBOX_TEST_WORKER_START_MS"); /* a worker slow to start */
#endif
	ready_limits.shared = sh;
	jsb_out_init(&ready_out, out_fd, 0, &ready_limits, false);
	/* Ready once its first heap is made: the pool gives a job to a worker
	 * whose heap is there (the standby covers the start). */
	if (!keep)
		prepare(tmpl, out_fd, files_fd);
	char ready = JSB_EXIT_OK;
	jsb_out_raw(&ready_out, JSB_CH_STATUS, &ready, 1);
	jsb_out_flush(&ready_out);
	for (;;) {
		unsigned char h[JSB_FRAME_HEADER];
		if (!take(req_fd, h, sizeof h))
			_exit(JSB_EXIT_OK);
		size_t len =
		    (size_t)h[1] | (size_t)h[2] << 8 | (size_t)h[3] << 16 | (size_t)h[4] << 24;
		char *payload = malloc(len + 1);
		if (!payload || !take(req_fd, payload, len) || h[0] != JSB_REQ_JOB)
			_exit(JSB_EXIT_INTERNAL);
		payload[len] = '\0';
		serve_job(tmpl, payload, len, out_fd, files_fd, sh, keep);
		free(payload);
	}
}
