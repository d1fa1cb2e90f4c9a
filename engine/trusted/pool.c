/* The server's pool: workers started ahead on the supervision core, the
 * queue (priority, then arrival), sessions with a worker each, a job's
 * result made from what its worker wrote (checked, then passed on as
 * written), and the metrics.  One worker runs one job at a time; a worker
 * that dies or is killed fails only its job and is replaced.  The pool
 * holds one process more than may run jobs at once (the standby): a worker
 * that is killed, crashes or is recycled leaves its place to one already
 * started, and its replacement starts while jobs go on. */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "common/jsbox.h"
#include "common/parse.h"
#include "engine/confined/limits.h"
#include "engine/confined/worker.h"
#include "engine/lib/envelope_json.h"
#include "engine/lib/jspan.h"
#include "engine/lib/text.h"
#include "engine/trusted/serve.h"

/* Time for a worker to start and say it is ready. */
#define START_NS (5000 * 1000000ull)
/* Time for a job's request to reach the worker, on top of its limits. */
#define RECEIPT_NS (50 * 1000000ull)
/* A worker that keeps dying is restarted at most this often. */
#define RESTART_PACE_NS (100 * 1000000ull)

const char *const srv_status_names[ST_COUNT] = {"ok",           "error",     "timeout", "memory",
                                                "output_limit", "violation", "crashed"};

bool srv_buf_add(struct srv_buf *b, const char *s, size_t n)
{
	if (n > b->cap - b->len) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap - b->len < n) {
			if (cap > SIZE_MAX / 2)
				return false;
			cap *= 2;
		}
		char *more = realloc(b->data, cap);
		if (!more)
			return false;
		b->data = more;
		b->cap = cap;
	}
	if (n)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	return true;
}

bool srv_buf_printf(struct srv_buf *b, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return false;
	if ((size_t)n < sizeof small)
		return srv_buf_add(b, small, (size_t)n);
	char *big = malloc((size_t)n + 1);
	if (!big)
		return false;
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	bool ok = srv_buf_add(b, big, (size_t)n);
	free(big);
	return ok;
}

void srv_buf_free(struct srv_buf *b)
{
	free(b->data);
	*b = (struct srv_buf){0};
}

void srv_job_free(struct srv_job *job)
{
	if (!job)
		return;
	free(job->to.id);
	free(job->payload);
	jsb_policy_free(&job->inline_policy);
	srv_buf_free(&job->out);
	srv_buf_free(&job->err);
	srv_buf_free(&job->stats);
	srv_buf_free(&job->console);
	free(job);
}

/* Metrics ------------------------------------------------------------- */

static void sample(struct srv_samples *s, double v)
{
	s->v[s->at] = v;
	s->at = (s->at + 1) % SRV_SAMPLES;
	if (s->n < SRV_SAMPLES)
		s->n++;
	s->sum += v;
	s->count++;
	if (v > s->max)
		s->max = v;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* {"avg":..,"p50":..,"p95":..,"p99":..,"max":..} over the latest samples. */
static void samples_json(const struct srv_samples *s, struct srv_buf *b)
{
	double sorted[SRV_SAMPLES], q[3] = {0, 0, 0};
	static const double at[3] = {0.50, 0.95, 0.99};
	memcpy(sorted, s->v, s->n * sizeof *sorted);
	qsort(sorted, s->n, sizeof *sorted, by_value);
	for (int i = 0; i < 3 && s->n; i++) {
		size_t k = (size_t)(at[i] * (double)s->n);
		q[i] = sorted[k < s->n ? k : s->n - 1];
	}
	srv_buf_printf(
	    b, "{\"count\":%llu,\"avg\":%.3f,\"p50\":%.3f,\"p95\":%.3f,\"p99\":%.3f,\"max\":%.3f}",
	    (unsigned long long)s->count, s->count ? s->sum / (double)s->count : 0.0, q[0], q[1],
	    q[2], s->max);
}

static const char *const violation_names[6] = {"eval", "timers",  "duktape",
                                               "read", "syscall", "pattern"};
static const char *const reject_names[RJ_COUNT] = {"queue_full",    "rate_limited", "shutting_down",
                                                   "queue_timeout", "invalid",      "unauthorized",
                                                   "too_large"};

static const double time_le[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                 0.1,    0.25,  0.5,    1,     2.5,  5,     10};
static const double memory_le[] = {65536,    131072,    262144,    524288,    1048576,
                                   2097152,  4194304,   8388608,   16777216,  33554432,
                                   67108864, 134217728, 268435456, 536870912, 1073741824};

void srv_metrics_init(struct srv_metrics *m)
{
	m->time_s = (struct srv_hist){.le = time_le, .n = sizeof time_le / sizeof time_le[0]};
	m->queue_s = (struct srv_hist){.le = time_le, .n = sizeof time_le / sizeof time_le[0]};
	m->memory_bytes =
	    (struct srv_hist){.le = memory_le, .n = sizeof memory_le / sizeof memory_le[0]};
}

static void observe(struct srv_hist *h, double v)
{
	size_t i = 0;
	while (i < h->n && v > h->le[i])
		i++;
	if (i < h->n)
		h->counts[i]++;
	h->sum += v;
	h->count++;
}

/* The pool's --workers places by state (a place whose process is stopped or
 * starting counts as starting), and whether the standby is ready beyond
 * them. */
static void count_workers(const struct server *srv, unsigned *busy, unsigned *idle,
                          unsigned *starting, unsigned *standby)
{
	unsigned up = 0;
	*busy = 0;
	for (unsigned i = 0; i < srv->n_procs; i++) {
		enum srv_worker_state st = srv->workers[i].state;
		*busy += st == W_BUSY;
		up += st == W_IDLE;
	}
	*busy = *busy < srv->n_workers ? *busy : srv->n_workers;
	*idle = up < srv->n_workers - *busy ? up : srv->n_workers - *busy;
	*starting = srv->n_workers - *busy - *idle;
	*standby = up - *idle;
}

static void prom_hist(struct srv_buf *b, const char *name, const char *help,
                      const struct srv_hist *h)
{
	uint64_t cum = 0;
	srv_buf_printf(b, "# HELP %s %s\n# TYPE %s histogram\n", name, help, name);
	for (size_t i = 0; i < h->n; i++) {
		cum += h->counts[i];
		srv_buf_printf(b, "%s_bucket{le=\"%g\"} %llu\n", name, h->le[i],
		               (unsigned long long)cum);
	}
	srv_buf_printf(b, "%s_bucket{le=\"+Inf\"} %llu\n%s_sum %.6f\n%s_count %llu\n", name,
	               (unsigned long long)h->count, name, h->sum, name,
	               (unsigned long long)h->count);
}

void srv_metrics_prometheus(struct server *srv, struct srv_buf *b)
{
	const struct srv_metrics *m = &srv->m;
	srv_buf_printf(b, "# HELP jsbox_jobs_total Jobs answered, by status.\n"
	                  "# TYPE jsbox_jobs_total counter\n");
	for (int i = 0; i < ST_COUNT; i++)
		srv_buf_printf(b, "jsbox_jobs_total{status=\"%s\"} %llu\n", srv_status_names[i],
		               (unsigned long long)m->by_status[i]);
	srv_buf_printf(b, "# HELP jsbox_rejected_total Requests refused, by reason.\n"
	                  "# TYPE jsbox_rejected_total counter\n");
	for (int i = 0; i < RJ_COUNT; i++)
		srv_buf_printf(b, "jsbox_rejected_total{reason=\"%s\"} %llu\n", reject_names[i],
		               (unsigned long long)m->rejected[i]);
	srv_buf_printf(b, "# HELP jsbox_violations_total Security violations, by kind.\n"
	                  "# TYPE jsbox_violations_total counter\n");
	for (int i = 0; i < 6; i++)
		srv_buf_printf(b, "jsbox_violations_total{kind=\"%s\"} %llu\n", violation_names[i],
		               (unsigned long long)m->violations[i]);
	srv_buf_printf(
	    b,
	    "# HELP jsbox_worker_restarts_total Workers replaced after a kill or crash.\n"
	    "# TYPE jsbox_worker_restarts_total counter\n"
	    "jsbox_worker_restarts_total %llu\n",
	    (unsigned long long)m->restarts);
	prom_hist(b, "jsbox_job_duration_seconds", "Wall time of a job in its worker.", &m->time_s);
	prom_hist(b, "jsbox_queue_wait_seconds", "Time a job waited for a worker.", &m->queue_s);
	prom_hist(b, "jsbox_memory_peak_bytes", "Heap peak of a job.", &m->memory_bytes);
	unsigned busy, idle, starting, standby;
	count_workers(srv, &busy, &idle, &starting, &standby);
	srv_buf_printf(b,
	               "# HELP jsbox_queue_depth Jobs waiting for a worker.\n"
	               "# TYPE jsbox_queue_depth gauge\njsbox_queue_depth %zu\n"
	               "# HELP jsbox_workers Workers, by state.\n# TYPE jsbox_workers gauge\n"
	               "jsbox_workers{state=\"busy\"} %u\njsbox_workers{state=\"idle\"} %u\n"
	               "jsbox_workers{state=\"starting\"} %u\n"
	               "jsbox_workers{state=\"standby\"} %u\n"
	               "# HELP jsbox_sessions Sessions open.\n# TYPE jsbox_sessions gauge\n"
	               "jsbox_sessions %zu\n",
	               srv->queued, busy, idle, starting, standby, srv->n_sessions);
}

bool srv_pool_ready(const struct server *srv)
{
	bool up = false;
	for (unsigned i = 0; i < srv->n_procs; i++)
		up = up || srv->workers[i].state == W_IDLE || srv->workers[i].state == W_BUSY;
	return up && !srv->draining && srv->queued < srv->o->max_queue;
}

void srv_metrics_json(struct server *srv, struct srv_buf *b)
{
	const struct srv_metrics *m = &srv->m;
	srv_buf_printf(b, "{\"jobs\":{\"total\":%llu", (unsigned long long)m->jobs);
	for (int i = 0; i < ST_COUNT; i++)
		srv_buf_printf(b, ",\"%s\":%llu", srv_status_names[i],
		               (unsigned long long)m->by_status[i]);
	srv_buf_printf(b, "},\"rejected\":{");
	for (int i = 0; i < RJ_COUNT; i++)
		srv_buf_printf(b, "%s\"%s\":%llu", i ? "," : "", reject_names[i],
		               (unsigned long long)m->rejected[i]);
	srv_buf_printf(b, "},\"violations\":{");
	for (int i = 0; i < 6; i++)
		srv_buf_printf(b, "%s\"%s\":%llu", i ? "," : "", violation_names[i],
		               (unsigned long long)m->violations[i]);
	srv_buf_printf(b, "},\"worker_restarts\":%llu,\"worker_kills\":%llu,\"time_ms\":",
	               (unsigned long long)m->restarts, (unsigned long long)m->kills);
	samples_json(&m->time_ms, b);
	srv_buf_printf(b, ",\"queue_ms\":");
	samples_json(&m->queue_ms, b);
	srv_buf_printf(b, ",\"memory_peak\":");
	samples_json(&m->memory, b);
	srv_buf_printf(b, "}");
}

size_t srv_pool_running(const struct server *srv)
{
	size_t n = 0;
	for (unsigned i = 0; i < srv->n_procs; i++)
		n += srv->workers[i].state == W_BUSY;
	for (const struct srv_session *s = srv->sessions; s; s = s->next)
		n += s->w.state == W_BUSY;
	return n;
}

void srv_status_json(struct server *srv, struct srv_buf *b)
{
	unsigned busy, idle, starting, standby;
	count_workers(srv, &busy, &idle, &starting, &standby);
	srv_buf_printf(b,
	               "{\"uptime_s\":%.3f,\"draining\":%s,\"workers\":{\"total\":%u,\"busy\":%u,"
	               "\"idle\":%u,\"starting\":%u,\"standby\":%u},\"queue\":{\"depth\":%zu,"
	               "\"max\":%llu},\"sessions\":{\"open\":%zu,\"max\":%llu},\"clients\":%zu,"
	               "\"profile\":\"%s\"}",
	               (double)(jsb_now_ns() - srv->started_ns) / 1e9,
	               srv->draining ? "true" : "false", srv->n_workers, busy, idle, starting,
	               standby, srv->queued, (unsigned long long)srv->o->max_queue, srv->n_sessions,
	               (unsigned long long)srv->o->max_sessions, srv->n_clients,
	               srv->tmpl->policy->profile);
}

/* Workers ------------------------------------------------------------- */

static void worker_main(void *arg, int out_fd, int req_fd, int files_fd, struct jsb_shared *sh)
{
	struct srv_worker *w = arg;
	jsb_worker_serve(w->srv->tmpl, req_fd, out_fd, files_fd, sh, w->keep);
}

static void capture(void *ctx, int channel, const char *data, size_t len, bool last);

static bool worker_start(struct srv_worker *w, uint64_t now)
{
	w->jobs = 0;
	w->job = NULL;
	if (!jsb_super_start(&w->sup, w->srv->tmpl, -1, true, now + START_NS, worker_main, w)) {
		w->state = W_OFF;
		w->down_ns = now;
		return false;
	}
	w->sup.on_frame = capture;
	w->sup.ctx = w;
	w->state = W_STARTING;
	return true;
}

static void worker_stop(struct srv_worker *w)
{
	if (w->state != W_OFF)
		jsb_super_close(&w->sup, true);
	w->state = W_OFF;
	w->down_ns = jsb_now_ns();
}

bool srv_pool_start(struct server *srv)
{
	srv->n_procs = srv->n_workers + 1;
	srv->workers = calloc(srv->n_procs, sizeof *srv->workers);
	if (!srv->workers)
		return false;
	uint64_t now = jsb_now_ns();
	for (unsigned i = 0; i < srv->n_procs; i++) {
		srv->workers[i].srv = srv;
		if (!worker_start(&srv->workers[i], now))
			return false;
	}
	return true;
}

void srv_pool_stop(struct server *srv)
{
	for (unsigned i = 0; i < srv->n_procs; i++)
		worker_stop(&srv->workers[i]);
	while (srv->sessions)
		srv_session_close(srv, srv->sessions);
	free(srv->workers);
	srv->workers = NULL;
}

/* What a worker writes for its job, kept within a bound (the job's output
 * limit and room for the envelope around it): past it the reply cannot
 * be whole, and the job is reported as crashed. */
static void capture(void *ctx, int channel, const char *data, size_t len, bool last)
{
	struct srv_worker *w = ctx;
	struct srv_job *job = w->job;
	if (!job)
		return; /* between jobs a worker has nothing to say */
	uint64_t bound = 2 * job->policy.max_output + (1u << 20);
	struct srv_buf *b = channel == JSB_CH_STDOUT    ? &job->out
	                    : channel == JSB_CH_STDERR  ? &job->err
	                    : channel == JSB_CH_STATS   ? &job->stats
	                    : channel == JSB_CH_CONSOLE ? &job->console
	                                                : NULL;
	if (!b || len > bound - (b->len < bound ? b->len : bound))
		return;
	if (channel == JSB_CH_CONSOLE) {
		if (len == 0 && last) {
			b->len = 0; /* a fresh list */
			return;
		}
		if (!job->console_open && b->len)
			srv_buf_add(b, ",", 1);
		job->console_open = !last;
	}
	srv_buf_add(b, data, len);
}

/* Results ------------------------------------------------------------- */

static enum srv_status status_of(int code)
{
	switch (code) {
	case JSB_EXIT_OK: return ST_OK;
	case JSB_EXIT_SCRIPT:
	case JSB_EXIT_USAGE: return ST_ERROR;
	case JSB_EXIT_TIMEOUT: return ST_TIMEOUT;
	case JSB_EXIT_MEMORY: return ST_MEMORY;
	case JSB_EXIT_POLICY: return ST_VIOLATION;
	case JSB_EXIT_OUTPUT: return ST_OUTPUT;
	default: return ST_CRASHED;
	}
}

static double number_of(const struct jsb_jspan *sp)
{
	char tmp[64];
	size_t n = sp && sp->value_len < sizeof tmp ? sp->value_len : 0;
	memcpy(tmp, sp ? sp->value : "", n);
	tmp[n] = '\0';
	return strtod(tmp, NULL);
}

/* A JSON string of text (UTF-8, control characters escaped). */
static void quote(struct srv_buf *b, const char *s, size_t len)
{
	srv_buf_add(b, "\"", 1);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			char e[2] = {'\\', (char)c};
			srv_buf_add(b, e, 2);
		} else if (c < 0x20) {
			srv_buf_printf(b, "\\u%04x", c);
		} else {
			srv_buf_add(b, (const char *)&s[i], 1);
		}
	}
	srv_buf_add(b, "\"", 1);
}

/* The worker's --stats frame, when it is one (a compromised worker can
 * send anything: only its size is trusted, and the numbers are only
 * reported). */
static bool stats_of(const struct srv_job *job, struct jsb_wire_stats *st)
{
	if (job->stats.len != sizeof *st)
		return false;
	memcpy(st, job->stats.data, sizeof *st);
	return true;
}

/* The console lines of a worker that died: the frames it sent, as an
 * array, or [] when they do not check out. */
static void salvaged_console(struct srv_job *job, struct srv_buf *b)
{
	size_t bound = jsb_text_utf8_bound(job->console.len);
	char *utf8 = bound == SIZE_MAX ? NULL : malloc(bound + 2);
	size_t n = 0;
	if (utf8) {
		utf8[n++] = '[';
		n += jsb_text_to_utf8(utf8 + n, job->console.data ? job->console.data : "",
		                      job->console.len, JSB_LONE_ESCAPE);
		utf8[n++] = ']';
	}
	if (utf8 && jsb_jspan_valid(utf8, n))
		srv_buf_add(b, utf8, n);
	else
		srv_buf_add(b, "[]", 2);
	free(utf8);
}

/* The result of a job whose worker answered: the envelope's members as the
 * worker wrote them, once checked. */
static bool result_from_envelope(struct server *srv, struct srv_job *job, int code,
                                 struct srv_buf *r)
{
	struct jsb_jspan env[16];
	size_t ne;
	size_t len = job->out.len;
	while (len && job->out.data[len - 1] == '\n')
		len--;
	if (!len || !jsb_jspan_members(job->out.data, len, env, 16, &ne))
		return false;
	struct jsb_wire_stats st;
	bool have_stats = stats_of(job, &st);
	const struct jsb_jspan *output = jsb_jspan_find(env, ne, "output");
	const struct jsb_jspan *error = jsb_jspan_find(env, ne, "error");
	const struct jsb_jspan *console = jsb_jspan_find(env, ne, "console");
	enum srv_status status = status_of(code);
	srv_buf_printf(r, "{\"status\":\"%s\"", srv_status_names[status]);
	if (status == ST_OK && output)
		srv_buf_printf(r, ",\"output\":%.*s", (int)output->value_len, output->value);
	else if (status == ST_OK)
		srv_buf_printf(r, ",\"output\":null");
	if (status != ST_OK && error) {
		srv_buf_printf(r, ",\"error\":%.*s", (int)error->value_len, error->value);
		if (job->stack_trace_wanted && job->err.len) {
			r->len--; /* into the error object */
			srv_buf_add(r, ",\"stack\":", 9);
			quote(r, job->err.data, job->err.len);
			srv_buf_add(r, "}", 1);
		}
	}
	srv_buf_printf(r, ",\"console\":%.*s", console ? (int)console->value_len : 2,
	               console ? console->value : "[]");
	double time_ms = number_of(jsb_jspan_find(env, ne, "time_ms"));
	double cpu_ms = have_stats ? st.cpu_ms : 0;
	double peak = number_of(jsb_jspan_find(env, ne, "memory_peak"));
	srv_buf_printf(r, ",\"time_ms\":%.3f,\"cpu_ms\":%.3f,\"memory_peak\":%.0f", time_ms, cpu_ms,
	               peak);
	for (int i = 0; have_stats && i < 4; i++)
		srv->m.violations[i] += st.denials[i];
	sample(&srv->m.memory, peak);
	observe(&srv->m.memory_bytes, peak);
	return true;
}

/* The result of a job whose worker was killed or died: what the
 * supervision core knows. */
static void result_from_ending(struct server *srv, struct srv_worker *w, enum jsb_ending end,
                               struct srv_buf *r, enum srv_status *status)
{
	struct srv_job *job = w->job;
	struct jsb_verdict v;
	struct jsb_job as_run = *srv->tmpl;
	as_run.policy = &job->policy;
	jsb_super_verdict(&w->sup, &as_run, end, &v);
	*status = status_of(v.code);
	char text[32], message[256];
	if (v.code == JSB_EXIT_TIMEOUT) {
		jsb_format_duration(text, sizeof text, job->policy.timeout_ms);
		snprintf(message, sizeof message, "time limit exceeded: %s", text);
	} else if (v.kind) {
		snprintf(message, sizeof message, "%s%s%s", v.kind, v.detail[0] ? ": " : "",
		         v.detail);
	} else {
		snprintf(message, sizeof message, "the worker ended with exit code %d", v.code);
	}
	if (v.code == JSB_EXIT_POLICY)
		srv->m.violations[4]++;
	srv_buf_printf(r, "{\"status\":\"%s\",\"error\":{\"type\":\"%s\",\"message\":",
	               srv_status_names[*status], jsb_envelope_type(v.code));
	quote(r, message, strlen(message));
	srv_buf_printf(r, ",\"line\":null},\"console\":");
	salvaged_console(job, r);
	double peak = (double)w->sup.sh->peak_bytes;
	srv_buf_printf(r, ",\"time_ms\":%.3f,\"cpu_ms\":null,\"memory_peak\":%.0f",
	               (double)(jsb_now_ns() - job->started_ns) / 1e6, peak);
	sample(&srv->m.memory, peak);
	observe(&srv->m.memory_bytes, peak);
}

static void finish(struct server *srv, struct srv_worker *w, enum jsb_ending end, uint64_t now)
{
	struct srv_job *job = w->job;
	struct srv_buf r = {0};
	enum srv_status status = ST_CRASHED;
	int code = w->sup.status[0];
	if (end == JSB_END_STATUS && result_from_envelope(srv, job, code, &r)) {
		status = status_of(code);
	} else if (end == JSB_END_STATUS) {
		r.len = 0;
		srv_buf_printf(
		    &r, "{\"status\":\"crashed\",\"error\":{\"type\":\"InternalError\","
		        "\"message\":\"the worker's reply did not check out\",\"line\":null},"
		        "\"console\":[]");
	} else {
		result_from_ending(srv, w, end, &r, &status);
		srv->m.kills++;
	}
	double queue_ms = (double)(job->started_ns - job->queued_ns) / 1e6;
	double time_ms = (double)(now - job->started_ns) / 1e6;
	srv_buf_printf(&r, ",\"queue_ms\":%.3f}", queue_ms);
	srv->m.jobs++;
	srv->m.by_status[status]++;
	sample(&srv->m.time_ms, time_ms);
	sample(&srv->m.queue_ms, queue_ms);
	observe(&srv->m.time_s, time_ms / 1e3);
	observe(&srv->m.queue_s, queue_ms / 1e3);
	if (status == ST_VIOLATION || srv_subscribed(srv)) {
		char fields[256];
		snprintf(fields, sizeof fields, "\"job\":%llu,\"status\":\"%s\",\"time_ms\":%.3f",
		         (unsigned long long)job->seq, srv_status_names[status], time_ms);
		srv_event(srv, "job.done", fields);
		if (status == ST_VIOLATION)
			srv_event(srv, "security.violation", fields);
	}
	srv_reply_result(srv, job, r.data, r.len);
	srv_buf_free(&r);
	w->job = NULL;
	srv_job_free(job);
}

/* Queue --------------------------------------------------------------- */

static bool queue_job(struct server *srv, struct srv_job *job);

/* Adds job at the end of its priority's list, and as the newest. */
static void enqueue(struct server *srv, struct srv_job *job)
{
	struct srv_queue *q = &srv->queue;
	size_t k = (size_t)(job->priority + SRV_PRIORITY_MAX);
	job->next = NULL;
	job->prev = q->tail[k];
	*(q->tail[k] ? &q->tail[k]->next : &q->head[k]) = job;
	q->tail[k] = job;
	q->nonempty[k / 64] |= 1ull << (k % 64);
	job->newer = NULL;
	job->older = q->newest;
	*(q->newest ? &q->newest->newer : &q->oldest) = job;
	q->newest = job;
	srv->queued++;
}

static void unqueue(struct server *srv, struct srv_job *job)
{
	struct srv_queue *q = &srv->queue;
	size_t k = (size_t)(job->priority + SRV_PRIORITY_MAX);
	*(job->prev ? &job->prev->next : &q->head[k]) = job->next;
	*(job->next ? &job->next->prev : &q->tail[k]) = job->prev;
	if (!q->head[k])
		q->nonempty[k / 64] &= ~(1ull << (k % 64));
	*(job->older ? &job->older->newer : &q->oldest) = job->newer;
	*(job->newer ? &job->newer->older : &q->newest) = job->older;
	job->next = job->prev = job->older = job->newer = NULL;
	srv->queued--;
}

/* The job to start next: the first of the highest priority. */
static struct srv_job *queue_first(const struct server *srv)
{
	const struct srv_queue *q = &srv->queue;
	for (size_t i = sizeof q->nonempty / sizeof q->nonempty[0]; i-- > 0;)
		if (q->nonempty[i])
			return q->head[i * 64 + 63 - (size_t)__builtin_clzll(q->nonempty[i])];
	return NULL;
}

static void start_queued(struct server *srv, uint64_t now);

/* Queues the job and starts it at once when a worker is free. */
bool srv_pool_submit(struct server *srv, struct srv_job *job)
{
	if (!queue_job(srv, job))
		return false;
	start_queued(srv, jsb_now_ns());
	return true;
}

static bool queue_job(struct server *srv, struct srv_job *job)
{
	job->seq = ++srv->seq;
	job->queued_ns = jsb_now_ns();
	if (job->session) {
		struct srv_session *s = job->session;
		if (s->waiting >= srv->o->max_queue)
			return false;
		job->next = NULL;
		if (s->tail)
			s->tail->next = job;
		else
			s->head = job;
		s->tail = job;
		s->waiting++;
		return true;
	}
	if (srv->queued >= srv->o->max_queue)
		return false;
	enqueue(srv, job);
	return true;
}

/* Hands job to an idle worker; false when the worker is gone. */
static bool dispatch(struct server *srv, struct srv_worker *w, struct srv_job *job, uint64_t now)
{
	uint64_t ms = job->policy.timeout_ms + job->policy.transpile_timeout_ms;
	now = jsb_now_ns(); /* the job may have come in after the loop woke */
	job->started_ns = now;
	w->job = job;
	w->sup.policy = &job->policy; /* readFile() is served by the job's policy */
	jsb_super_arm(&w->sup, jsb_after_ms(now + RECEIPT_NS, ms));
	if (!jsb_super_send(&w->sup, JSB_REQ_JOB, job->payload, job->payload_len, "", 0)) {
		w->job = NULL;
		return false;
	}
	w->state = W_BUSY;
	w->jobs++;
	if (srv_subscribed(srv)) {
		char fields[64];
		snprintf(fields, sizeof fields, "\"job\":%llu", (unsigned long long)job->seq);
		srv_event(srv, "job.start", fields);
	}
	return true;
}

static void expire_queue(struct server *srv, uint64_t now)
{
	uint64_t wait = srv->o->queue_timeout_ms;
	if (!wait)
		return;
	for (struct srv_job *job; (job = srv->queue.oldest);) {
		if (now < job->queued_ns || now - job->queued_ns < wait * 1000000u)
			break; /* the rest came later */
		unqueue(srv, job);
		srv->m.rejected[RJ_QUEUE_TIMEOUT]++;
		char text[32], msg[96];
		jsb_format_duration(text, sizeof text, wait);
		snprintf(msg, sizeof msg, "queue timeout: no worker was free within %s", text);
		srv_reply_job_error(srv, job, RPC_QUEUE_TIMEOUT, msg);
		srv_job_free(job);
	}
}

void srv_pool_drain(struct server *srv)
{
	for (struct srv_job *job; (job = srv->queue.oldest);) {
		unqueue(srv, job);
		srv->m.rejected[RJ_DRAINING]++;
		srv_reply_job_error(srv, job, RPC_SHUTTING_DOWN, "shutting down");
		srv_job_free(job);
	}
	for (struct srv_session *s = srv->sessions; s; s = s->next) {
		while (s->head) {
			struct srv_job *job = s->head;
			s->head = job->next;
			srv->m.rejected[RJ_DRAINING]++;
			srv_reply_job_error(srv, job, RPC_SHUTTING_DOWN, "shutting down");
			srv_job_free(job);
		}
		s->tail = NULL;
		s->waiting = 0;
	}
}

/* Whether job's answer goes to c or h (alone or in a batch). */
static bool owned_by(const struct srv_job *job, const struct srv_client *c,
                     const struct srv_http *h)
{
	const struct srv_target *t = &job->to;
	return (c && (t->c == c || (t->batch && t->batch->client == c))) ||
	       (h && (t->http == h || (t->batch && t->batch->http == h)));
}

/* Nobody takes its answer any more. */
static void detach(struct srv_job *job)
{
	job->to.c = NULL;
	job->to.http = NULL;
	if (job->to.batch) {
		job->to.batch->client = NULL;
		job->to.batch->http = NULL;
	}
}

/* A waiting job whose peer has gone, once out of its list. */
static void cancel(struct server *srv, struct srv_job *job)
{
	detach(job);
	srv_reply_job_error(srv, job, RPC_SHUTTING_DOWN, "cancelled"); /* frees its slot */
	srv_job_free(job);
}

static void drop_jobs(struct server *srv, struct srv_job **head, struct srv_client *c,
                      struct srv_http *h, size_t *count)
{
	for (struct srv_job **at = head; *at;) {
		struct srv_job *job = *at;
		if (!owned_by(job, c, h)) {
			at = &job->next;
			continue;
		}
		*at = job->next;
		(*count)--;
		cancel(srv, job);
	}
}

void srv_pool_forget(struct server *srv, struct srv_client *c, struct srv_http *h)
{
	for (struct srv_job *job = srv->queue.oldest, *newer; job; job = newer) {
		newer = job->newer;
		if (!owned_by(job, c, h))
			continue;
		unqueue(srv, job);
		cancel(srv, job);
	}
	for (struct srv_session *s = srv->sessions; s; s = s->next) {
		drop_jobs(srv, &s->head, c, h, &s->waiting);
		s->tail = NULL;
		for (struct srv_job *j = s->head; j; j = j->next)
			s->tail = j;
	}
	for (unsigned i = 0; i < srv->n_procs; i++)
		if (srv->workers[i].job && owned_by(srv->workers[i].job, c, h))
			detach(srv->workers[i].job);
	for (struct srv_session *s = srv->sessions; s; s = s->next)
		if (s->w.job && owned_by(s->w.job, c, h))
			detach(s->w.job);
}

/* Sessions ------------------------------------------------------------ */

struct srv_session *srv_session_open(struct server *srv, const char *name)
{
	struct srv_session *s = srv_session_find(srv, name);
	if (s || srv->n_sessions >= srv->o->max_sessions)
		return s;
	s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	snprintf(s->name, sizeof s->name, "%s", name);
	s->w.srv = srv;
	s->w.keep = true;
	s->w.state = W_OFF;
	s->created_ns = s->last_ns = jsb_now_ns();
	s->next = srv->sessions;
	srv->sessions = s;
	srv->n_sessions++;
	return s;
}

void srv_session_json(const struct srv_session *s, struct srv_buf *b)
{
	uint64_t now = jsb_now_ns();
	srv_buf_printf(
	    b,
	    "{\"session\":\"%s\",\"age_s\":%.3f,\"idle_s\":%.3f,\"runs\":%llu,"
	    "\"waiting\":%zu,\"running\":%s,\"memory\":%llu}",
	    s->name, (double)(now - s->created_ns) / 1e9, (double)(now - s->last_ns) / 1e9,
	    (unsigned long long)s->runs, s->waiting, s->w.state == W_BUSY ? "true" : "false",
	    s->w.state != W_OFF && s->w.sup.sh ? (unsigned long long)s->w.sup.sh->peak_bytes
	                                       : 0ull);
}

struct srv_session *srv_session_find(struct server *srv, const char *name)
{
	for (struct srv_session *s = srv->sessions; s; s = s->next)
		if (strcmp(s->name, name) == 0)
			return s;
	return NULL;
}

void srv_session_reset(struct server *srv, struct srv_session *s)
{
	(void)srv;
	if (s->w.job) {
		srv_reply_job_error(srv, s->w.job, RPC_UNKNOWN_SESSION, "the session was reset");
		srv_job_free(s->w.job);
		s->w.job = NULL;
	}
	worker_stop(&s->w);
	s->w.down_ns = 0; /* starts again at its next job, at once */
}

void srv_session_close(struct server *srv, struct srv_session *s)
{
	srv_session_reset(srv, s);
	while (s->head) {
		struct srv_job *job = s->head;
		s->head = job->next;
		srv_reply_job_error(srv, job, RPC_UNKNOWN_SESSION, "the session was closed");
		srv_job_free(job);
	}
	for (struct srv_session **at = &srv->sessions; *at; at = &(*at)->next) {
		if (*at == s) {
			*at = s->next;
			break;
		}
	}
	srv->n_sessions--;
	char fields[200];
	snprintf(fields, sizeof fields, "\"session\":\"%s\"", s->name);
	srv_event(srv, "session.close", fields);
	free(s);
}

static void expire_sessions(struct server *srv, uint64_t now)
{
	uint64_t idle = srv->o->session_idle_ms * 1000000u;
	for (struct srv_session *s = srv->sessions, *next; s; s = next) {
		next = s->next;
		if (!s->head && s->w.state != W_BUSY && now - s->last_ns >= idle)
			srv_session_close(srv, s);
	}
}

/* The loop's side ----------------------------------------------------- */

size_t srv_pool_fds(struct server *srv, struct pollfd *p, struct srv_worker **owners, uint64_t now)
{
	size_t n = 0;
	for (unsigned i = 0; i < srv->n_procs; i++) {
		struct srv_worker *w = &srv->workers[i];
		if (w->state == W_OFF)
			continue;
		int k = jsb_super_fds(&w->sup, p + n, true, now);
		for (int j = 0; j < k; j++)
			owners[n + (size_t)j] = w;
		n += (size_t)k;
	}
	for (struct srv_session *s = srv->sessions; s; s = s->next) {
		if (s->w.state == W_OFF)
			continue;
		int k = jsb_super_fds(&s->w.sup, p + n, true, now);
		for (int j = 0; j < k; j++)
			owners[n + (size_t)j] = &s->w;
		n += (size_t)k;
	}
	return n;
}

/* Whether a started worker is free beyond the jobs running: the place of
 * one that has just gone is then taken at once. */
static bool standby_ready(const struct server *srv)
{
	for (unsigned i = 0; i < srv->n_procs; i++)
		if (srv->workers[i].state == W_IDLE)
			return true;
	return false;
}

/* Where a worker stands after its descriptors were served. */
static void check_worker(struct server *srv, struct srv_worker *w, uint64_t now)
{
	if (w->state == W_OFF)
		return;
	bool gone = w->sup.pid == 0 || w->sup.frames_fd < 0;
	if (w->state == W_IDLE) {
		if (gone) {
			worker_stop(w);
			srv->m.restarts++;
		}
		return;
	}
	enum jsb_ending end = jsb_super_check(&w->sup, now, false);
	if (end == JSB_END_NONE)
		return;
	if (w->state == W_STARTING) {
		if (end == JSB_END_STATUS && w->sup.status[0] == JSB_EXIT_OK && !gone) {
			w->state = W_IDLE;
			if (w->lost_ns) { /* how long its job's end left the pool a worker short */
				char fields[64];
				snprintf(fields, sizeof fields, "\"replaced_ms\":%.3f",
				         (double)(now - w->lost_ns) / 1e6);
				srv_event(srv, "worker.ready", fields);
				w->lost_ns = 0;
			}
			return;
		}
		worker_stop(w);
		return;
	}
	finish(srv, w, end, now);
	gone = w->sup.pid == 0 || w->sup.frames_fd < 0;
	bool worn = srv->o->worker_max_jobs && w->jobs >= srv->o->worker_max_jobs;
	if (end != JSB_END_STATUS || gone || worn) {
		worker_stop(w);
		if (!worn) {
			w->lost_ns = now;
			srv->m.restarts++;
			char fields[96];
			snprintf(fields, sizeof fields,
			         "\"reason\":\"the worker was killed or died\",\"standby\":%s",
			         standby_ready(srv) ? "true" : "false");
			srv_event(srv, "worker.restart", fields);
		}
		w->down_ns = 0; /* a job's end, not a failing start: replace it at once */
	} else {
		w->state = W_IDLE;
	}
}

static void restart_if_due(struct srv_worker *w, uint64_t now)
{
	if (w->state == W_OFF && now - w->down_ns >= RESTART_PACE_NS)
		worker_start(w, now);
	else if (w->state == W_OFF && w->down_ns == 0)
		worker_start(w, now);
}

static void start_queued(struct server *srv, uint64_t now)
{
	unsigned busy = 0;
	for (unsigned i = 0; i < srv->n_procs; i++)
		busy += srv->workers[i].state == W_BUSY;
	for (unsigned i = 0; i < srv->n_procs && srv->queued && busy < srv->n_workers; i++) {
		struct srv_worker *w = &srv->workers[i];
		restart_if_due(w, now);
		if (w->state != W_IDLE)
			continue;
		struct srv_job *job = queue_first(srv);
		if (!dispatch(srv, w, job, now)) { /* it stays first in the queue */
			worker_stop(w);
			srv->m.restarts++;
			continue;
		}
		unqueue(srv, job);
		busy++;
	}
	for (struct srv_session *s = srv->sessions; s; s = s->next) {
		if (!s->head)
			continue;
		if (s->w.state == W_OFF && !worker_start(&s->w, now))
			continue;
		if (s->w.state != W_IDLE)
			continue;
		struct srv_job *job = s->head;
		s->head = job->next;
		if (!s->head)
			s->tail = NULL;
		s->waiting--;
		s->last_ns = now;
		s->runs++;
		if (!dispatch(srv, &s->w, job, now)) {
			srv_reply_job_error(srv, job, RPC_UNKNOWN_SESSION,
			                    "the session's worker was lost; its state is gone");
			srv_job_free(job);
			worker_stop(&s->w);
		}
	}
}

void srv_pool_step(struct server *srv, const struct pollfd *p, struct srv_worker **owners, size_t n,
                   uint64_t now)
{
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && owners[j] == owners[i])
			j++;
		jsb_super_handle(&owners[i]->sup, p + i, (int)(j - i));
		i = j;
	}
	for (unsigned i = 0; i < srv->n_procs; i++)
		check_worker(srv, &srv->workers[i], now);
	for (struct srv_session *s = srv->sessions; s; s = s->next) {
		check_worker(srv, &s->w, now);
		if (s->w.state == W_BUSY || s->head)
			s->last_ns = now;
	}
	expire_queue(srv, now);
	expire_sessions(srv, now);
	for (unsigned i = 0; i < srv->n_procs; i++)
		restart_if_due(&srv->workers[i], now);
	start_queued(srv, now);
}

uint64_t srv_pool_until(struct server *srv, uint64_t now)
{
	uint64_t until = now + 1000 * 1000000ull;
	for (unsigned i = 0; i < srv->n_procs; i++) {
		struct srv_worker *w = &srv->workers[i];
		if (w->state == W_BUSY || w->state == W_STARTING) {
			uint64_t u = jsb_super_until(&w->sup);
			until = u < until ? u : until;
		} else if (w->state == W_OFF) {
			uint64_t u = w->down_ns + RESTART_PACE_NS;
			until = u < until ? u : until;
		}
	}
	for (struct srv_session *s = srv->sessions; s; s = s->next) {
		if (s->w.state == W_BUSY || s->w.state == W_STARTING) {
			uint64_t u = jsb_super_until(&s->w.sup);
			until = u < until ? u : until;
		}
	}
	/* Deadlines may be published nearer: look at least every 50 ms. */
	if (srv_pool_running(srv) && until > now + 50 * 1000000ull)
		until = now + 50 * 1000000ull;
	return until < now ? now : until;
}
