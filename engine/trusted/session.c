/* Interactive sessions, the parent side: one confined evaluator kept alive
 * across requests (engine/confined/requests.c answers them), each request
 * under its own deadline on the supervision core; an evaluator that died
 * or had to be killed is replaced, and the user told that state was lost.
 * The parent never runs script code. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/jsbox.h"
#include "common/parse.h"
#include "engine/confined/limits.h"
#include "engine/confined/requests.h"
#include "engine/trusted/foreground.h"

/* The evaluator arms its deadline when it reads the request: it may start
 * this much after the parent sent it, never more. */
#define RECEIPT_NS (50 * 1000000ull)
/* CPU seconds of a whole session: the per-request deadline is the parent's
 * wall-clock kill; this only backs it up. */
#define SESSION_CPU_MS (3600u * 1000u)

struct jsb_session {
	struct jsb_job job;
	struct jsb_policy jail_policy;
	struct jsb_job jail_job;
	struct jsb_fg fg;
	bool running;
	char *input; /* the JSON bound to `input`, re-sent to a fresh evaluator */
	size_t input_len;
	char input_name[256];
	/* a request's data (stats, completions) */
	char data[64 * 1024];
	size_t data_len;
	int start_code; /* why the last start failed */
};

static void evaluator(void *arg, int out_fd, int req_fd, int files_fd, struct jsb_shared *sh)
{
	struct jsb_session *s = arg;
	(void)files_fd;
	jsb_session_serve(&s->job, req_fd, out_fd, sh);
}

static void keep_data(void *ctx, int channel, const char *data, size_t len, bool last)
{
	struct jsb_session *s = ctx;
	(void)last;
	if (channel != JSB_CH_STATS)
		return;
	size_t room = sizeof s->data - 1 - s->data_len;
	size_t n = len < room ? len : room;
	memcpy(s->data + s->data_len, data, n);
	s->data_len += n;
	s->data[s->data_len] = '\0';
}

/* The bound of one request (or of the start-up): the policy's timeout and
 * time to receive it. */
static uint64_t request_bound(const struct jsb_session *s)
{
	uint64_t ms = s->job.policy->timeout_ms;
	return ms ? jsb_after_ms(jsb_now_ns() + RECEIPT_NS, ms) : UINT64_MAX;
}

/* Relays one reply within its deadline (armed before the request went
 * out); what was printed is out when this returns (the evaluator is idle
 * then, so waiting for the reader is fine). */
static enum jsb_ending await_reply(struct jsb_session *s)
{
	s->data_len = 0;
	s->data[0] = '\0';
	jsb_fg_catch();
	enum jsb_ending end = jsb_fg_wait(&s->fg, false);
	jsb_fg_release();
	jsb_sink_finish(&s->fg.sink);
	return end;
}

static void stop_evaluator(struct jsb_session *s)
{
	if (s->running)
		jsb_super_close(&s->fg.sup, true);
	s->running = false;
}

static enum jsb_ending request(struct jsb_session *s, char type, const char *a, size_t alen,
                               const char *b, size_t blen, struct jsb_session_result *res);

static bool start(struct jsb_session *s)
{
	if (!jsb_fg_start(&s->fg, &s->jail_job, -1, true, request_bound(s), evaluator, s)) {
		s->start_code = JSB_EXIT_INTERNAL;
		return false;
	}
	s->running = true;
	s->fg.on_other = keep_data;
	s->fg.ctx = s;
	/* The ready status: setup counts against a deadline like a request. */
	enum jsb_ending end = await_reply(s);
	if (end != JSB_END_STATUS || s->fg.sup.status[0] != JSB_EXIT_OK) {
		struct jsb_verdict v;
		jsb_super_verdict(&s->fg.sup, &s->jail_job, end, &v);
		if (v.kind)
			jsb_error(v.kind, "%s", v.detail);
		s->start_code = v.code ? v.code : JSB_EXIT_INTERNAL;
		stop_evaluator(s);
		return false;
	}
	if (s->input) {
		struct jsb_session_result res;
		request(s, JSB_REQ_INPUT, s->input_name, strlen(s->input_name) + 1, s->input,
		        s->input_len, &res);
	}
	return true;
}

bool jsb_session_restart(struct jsb_session *s)
{
	stop_evaluator(s);
	if (start(s))
		return true;
	jsb_error("internal error", "cannot start a fresh evaluator: %s", strerror(errno));
	return false;
}

/* Why the evaluator is gone, told as a replacement: state was lost. */
static int describe_loss(struct jsb_session *s, enum jsb_ending end)
{
	const struct jsb_super *sup = &s->fg.sup;
	int st = sup->wstatus;
	char text[32];
	struct jsb_verdict v;
	jsb_super_verdict(sup, &s->jail_job, end, &v);
	const char *lost = "a fresh one was started, state was lost";
	if (end == JSB_END_TIMEOUT) {
		jsb_format_duration(text, sizeof text, s->job.policy->timeout_ms);
		jsb_error("time limit exceeded",
		          "%s; the evaluator was stuck in native code and was replaced, state was "
		          "lost",
		          text);
		return JSB_EXIT_TIMEOUT;
	}
	if (end == JSB_END_INTERRUPT) {
		jsb_error("interrupted",
		          "the evaluator did not stop and was replaced, state was lost");
		return JSB_EXIT_INTERRUPT;
	}
	if (sup->sh->blocked_syscall > 0) {
		jsb_error("blocked system call", "%s: the evaluator was stopped; %s", v.detail,
		          lost);
		return JSB_EXIT_POLICY;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == JSB_EXIT_MEMORY) {
		jsb_error(
		    "memory limit exceeded",
		    "the heap could not be recovered: a fresh one was created, state was lost");
		return JSB_EXIT_MEMORY;
	}
	if (v.kind)
		jsb_error(v.kind, "%s: %s", v.detail, lost);
	else
		jsb_error("internal error", "the evaluator died (exit %d): %s",
		          WIFEXITED(st) ? WEXITSTATUS(st) : -1, lost);
	return JSB_EXIT_INTERNAL;
}

/* After an ending other than a reply: say what happened, start afresh. */
static void replace(struct jsb_session *s, enum jsb_ending end, struct jsb_session_result *res)
{
	if (s->fg.sup.pid > 0)
		jsb_super_kill(&s->fg.sup);
	res->code = describe_loss(s, end);
	stop_evaluator(s);
	res->restarted = true;
	if (!start(s))
		jsb_error("internal error", "cannot start a fresh evaluator: %s", strerror(errno));
}

static void parse_stats(const struct jsb_session *s, struct jsb_session_result *res)
{
	unsigned long long used = 0, peak = 0, limit = 0;
	double cpu = 0;
	const char *last = memrchr(s->data, '\n', s->data_len);
	if (sscanf(last ? last + 1 : s->data, "%llu %llu %llu %lf", &used, &peak, &limit, &cpu) ==
	    4) {
		res->heap_used = used;
		res->heap_peak = peak;
		res->heap_limit = limit;
		res->cpu_ms = cpu;
	}
}

static enum jsb_ending request(struct jsb_session *s, char type, const char *a, size_t alen,
                               const char *b, size_t blen, struct jsb_session_result *res)
{
	*res = (struct jsb_session_result){0};
	if (!s->running && !start(s)) {
		res->code = JSB_EXIT_INTERNAL;
		return JSB_END_EXIT;
	}
	uint64_t sent_at = jsb_now_ns();
	jsb_super_arm(&s->fg.sup, request_bound(s));
	enum jsb_ending end = jsb_super_send(&s->fg.sup, type, a, alen, b, blen)
	                          ? await_reply(s)
	                          : jsb_super_check(&s->fg.sup, UINT64_MAX, false);
	res->wall_ms = (double)(jsb_now_ns() - sent_at) / 1e6;
	const unsigned char *st = s->fg.sup.status;
	if (end == JSB_END_STATUS) {
		parse_stats(s, res);
		res->code = st[0];
		size_t n = s->fg.sup.status_len;
		res->incomplete = n > 1 && st[1] == JSB_REPLY_INCOMPLETE;
		res->heap_kept = n > 1 && st[1] == JSB_REPLY_HEAP_KEPT;
		if (n > 1 && st[1] == JSB_REPLY_HEAP_LOST) {
			jsb_fg_wait(&s->fg, true); /* it exits now, saying why */
			replace(s, JSB_END_EXIT, res);
		}
		return end;
	}
	replace(s, end, res);
	return end;
}

struct jsb_session *jsb_session_open(const struct jsb_job *job, int *code)
{
	struct jsb_session *s = calloc(1, sizeof *s);
	*code = JSB_EXIT_INTERNAL;
	if (!s)
		return NULL;
	s->job = *job;
	s->job.input_fd = -1;
	s->job.source_name = "<repl>";
	s->jail_policy = *job->policy;
	s->jail_policy.timeout_ms = SESSION_CPU_MS;
	s->jail_job = s->job;
	s->jail_job.policy = &s->jail_policy;
	signal(SIGPIPE, SIG_IGN);
	if (!start(s)) {
		*code = s->start_code;
		free(s);
		return NULL;
	}
	*code = JSB_EXIT_OK;
	return s;
}

void jsb_session_eval(struct jsb_session *s, const char *code, size_t len,
                      struct jsb_session_result *res)
{
	request(s, JSB_REQ_EVAL, code, len, NULL, 0, res);
}

void jsb_session_input(struct jsb_session *s, const char *json, size_t len, const char *name,
                       struct jsb_session_result *res)
{
	request(s, JSB_REQ_INPUT, name, strlen(name) + 1, json, len, res);
	if (res->code != JSB_EXIT_OK)
		return;
	char *copy = malloc(len ? len : 1);
	if (!copy)
		return;
	memcpy(copy, json, len);
	free(s->input);
	s->input = copy;
	s->input_len = len;
	snprintf(s->input_name, sizeof s->input_name, "%s", name);
}

size_t jsb_session_complete(struct jsb_session *s, const char *path, size_t len, char *buf,
                            size_t size)
{
	struct jsb_session_result res;
	if (size == 0 || request(s, JSB_REQ_COMPLETE, path, len, NULL, 0, &res) != JSB_END_STATUS)
		return 0;
	/* The names, one a line, then the request's stats (no newline). */
	const char *last = memrchr(s->data, '\n', s->data_len);
	size_t n = last ? (size_t)(last - s->data) + 1 : 0;
	if (n > size - 1)
		n = size - 1;
	memcpy(buf, s->data, n);
	buf[n] = '\0';
	size_t count = 0;
	for (size_t i = 0; i < n; i++)
		count += buf[i] == '\n';
	return count;
}

void jsb_session_close(struct jsb_session *s)
{
	if (!s)
		return;
	stop_evaluator(s);
	free(s->input);
	free(s);
}
