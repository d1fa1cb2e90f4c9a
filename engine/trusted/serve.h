/* jsbox serve, inside: the server's state, shared by the protocol side
 * (serve.c: the loop, clients, JSON-RPC) and the pool (pool.c: workers,
 * the queue, sessions, results, metrics).  Trusted code: runs no script
 * and believes nothing a worker writes until it has checked it. */
#ifndef JSB_SERVE_H
#define JSB_SERVE_H

#include <cjson/cJSON.h>
#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"
#include "engine/trusted/supervise.h"

/* A growing byte buffer. */
struct srv_buf {
	char *data;
	size_t len, cap;
};
bool srv_buf_add(struct srv_buf *b, const char *s, size_t n);
bool srv_buf_printf(struct srv_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void srv_buf_free(struct srv_buf *b);

struct server;
struct srv_client;
struct srv_front;

/* A token bucket (--rate-limit), one per client. */
struct srv_bucket {
	double tokens;
	uint64_t refilled_ns;
};
void srv_bucket_init(const struct server *srv, struct srv_bucket *b);
struct srv_session;

struct srv_http;

/* Several answers sent as one array (a JSON-RPC batch, or an HTTP one). */
struct srv_batch {
	struct srv_client *client;
	struct srv_http *http;
	char **replies; /* one per request that wants an answer, in order */
	size_t n, left;
};

/* Where an answer goes: a JSON-RPC client (with the request's id), a slot
 * of a batch, or an HTTP request.  id NULL: no answer is wanted (a
 * notification), or it has been given. */
struct srv_target {
	struct srv_client *c;
	char *id; /* JSON text */
	struct srv_batch *batch;
	size_t slot;
	struct srv_http *http;
};

struct srv_job {
	struct srv_job *next, *prev;   /* in the queue's list of its priority, or a session's */
	struct srv_job *older, *newer; /* in the queue, by arrival */
	struct srv_target to;          /* its peer's parts NULL once it has gone */
	int priority;
	uint64_t seq, queued_ns, started_ns;
	struct srv_session *session;
	struct jsb_policy policy;        /* the job's: scalars its own, strings borrowed */
	struct jsb_policy inline_policy; /* what an inline policy added (owned) */
	bool stack_trace_wanted;         /* the error gets the stack (stack_trace) */
	char *payload;                   /* struct jsb_wire_job, packed */
	size_t payload_len;
	/* What the worker wrote for it. */
	struct srv_buf out, err, stats, console;
	bool console_open;
};

enum srv_worker_state { W_OFF, W_STARTING, W_IDLE, W_BUSY };

struct srv_worker {
	struct jsb_super sup;
	enum srv_worker_state state;
	struct srv_job *job;
	uint64_t jobs;    /* run by this process */
	uint64_t down_ns; /* when it stopped (restart pacing) */
	uint64_t lost_ns; /* when it was killed or died with a job, until replaced */
	bool keep;        /* a session's: heap kept between jobs */
	struct server *srv;
};

/* Priorities a job may have: -SRV_PRIORITY_MAX to SRV_PRIORITY_MAX. */
#define SRV_PRIORITY_MAX 1000
#define SRV_PRIORITIES   (2 * SRV_PRIORITY_MAX + 1)

/* The queue: a list per priority (taken from the highest non-empty one, a
 * bit each says which), and every job by arrival (queue timeouts and
 * cancellations go from the oldest), so that no step walks the queue. */
struct srv_queue {
	struct srv_job *head[SRV_PRIORITIES], *tail[SRV_PRIORITIES];
	uint64_t nonempty[(SRV_PRIORITIES + 63) / 64];
	struct srv_job *oldest, *newest;
};

struct srv_session {
	struct srv_session *next;
	char name[128];
	struct srv_worker w;
	uint64_t created_ns, last_ns, runs;
	struct srv_job *head, *tail; /* its jobs, run one at a time */
	size_t waiting;
};

#define SRV_SAMPLES 8192
struct srv_samples {
	double v[SRV_SAMPLES];
	size_t n;  /* kept so far (at most SRV_SAMPLES: the latest) */
	size_t at; /* next slot */
	double sum, max;
	uint64_t count;
};

enum srv_status {
	ST_OK,
	ST_ERROR,
	ST_TIMEOUT,
	ST_MEMORY,
	ST_OUTPUT,
	ST_VIOLATION,
	ST_CRASHED,
	ST_COUNT
};

enum srv_reject {
	RJ_QUEUE_FULL,
	RJ_RATE,
	RJ_DRAINING,
	RJ_QUEUE_TIMEOUT,
	RJ_INVALID,
	RJ_UNAUTHORIZED,
	RJ_TOO_LARGE,
	RJ_COUNT
};

/* A histogram with fixed upper bounds, for /metrics. */
struct srv_hist {
	const double *le;
	size_t n;
	uint64_t counts[20]; /* per bound, not cumulative */
	double sum;
	uint64_t count;
};

struct srv_metrics {
	uint64_t jobs, by_status[ST_COUNT], rejected[RJ_COUNT], restarts, kills;
	uint64_t violations[6]; /* eval, timers, duktape, read, syscall, pattern */
	struct srv_samples time_ms, queue_ms, memory;
	struct srv_hist time_s, queue_s, memory_bytes;
};

struct server {
	const struct jsb_serve_opts *o;
	const struct jsb_job *tmpl; /* the server's job: policy, jail flags */
	struct srv_worker *workers; /* n_procs: --workers and the standby */
	unsigned n_workers, n_procs;
	struct srv_queue queue;
	size_t queued;
	uint64_t seq;
	struct srv_session *sessions;
	size_t n_sessions;
	struct srv_client *clients;
	size_t n_clients;
	bool draining;
	uint64_t started_ns;
	struct srv_front *http; /* the HTTP front, or NULL */
	struct srv_metrics m;
};

extern const char *const srv_status_names[ST_COUNT];

/* The pool (pool.c). */
bool srv_pool_start(struct server *srv);
void srv_pool_stop(struct server *srv);
/* Queues a job (or gives it to its session); false when the queue is full. */
bool srv_pool_submit(struct server *srv, struct srv_job *job);
/* The pollfds of every worker into p (room for 3 per worker + session),
 * with owners[i] the worker of p[i]; returns how many. */
size_t srv_pool_fds(struct server *srv, struct pollfd *p, struct srv_worker **owners, uint64_t now);
/* After poll: relays frames, finishes jobs, replaces dead workers, starts
 * queued jobs, expires queue waits and idle sessions. */
void srv_pool_step(struct server *srv, const struct pollfd *p, struct srv_worker **owners, size_t n,
                   uint64_t now);
/* When the pool next needs the loop awake (absolute ns). */
uint64_t srv_pool_until(struct server *srv, uint64_t now);
/* Drops the jobs of a client (or an HTTP request) that has gone: queued
 * ones are cancelled, running ones' results discarded. */
void srv_pool_forget(struct server *srv, struct srv_client *c, struct srv_http *h);
/* Answers every queued job with the shutting-down error. */
void srv_pool_drain(struct server *srv);
size_t srv_pool_running(const struct server *srv);
struct srv_session *srv_session_find(struct server *srv, const char *name);
/* The session of that name, made when there is none (NULL when there are
 * --max-sessions already). */
struct srv_session *srv_session_open(struct server *srv, const char *name);
void srv_session_json(const struct srv_session *s, struct srv_buf *b);
/* A session name: 1-100 letters, digits or ._:- (logged and echoed as it
 * is, and part of an HTTP path). */
bool srv_session_name_ok(const char *s, size_t n);
void srv_session_close(struct server *srv, struct srv_session *s);
void srv_session_reset(struct server *srv, struct srv_session *s);
void srv_job_free(struct srv_job *job);
/* status and metrics as JSON objects. */
void srv_status_json(struct server *srv, struct srv_buf *b);
void srv_metrics_json(struct server *srv, struct srv_buf *b);
/* The same in the Prometheus text format (counters, gauges, histograms). */
void srv_metrics_prometheus(struct server *srv, struct srv_buf *b);
void srv_metrics_init(struct srv_metrics *m);
/* Whether the pool can take jobs: workers up, queue not full, not draining. */
bool srv_pool_ready(const struct server *srv);

/* The protocol side (serve.c), for the pool. */
/* Sends a job's result, or an error with code and message, to its client. */
void srv_reply_result(struct server *srv, struct srv_job *job, const char *result, size_t len);
void srv_reply_job_error(struct server *srv, struct srv_job *job, int code, const char *msg);
/* A Unix stream socket listening at path with that mode (umask aside), in
 * place of a socket file nobody answers on; flags: SOCK_NONBLOCK or 0.
 * -1 with errno on failure. */
int srv_bind_unix(const char *path, unsigned mode, int flags);

/* The HTTP front (http.c), for the protocol side: an answer with its HTTP
 * status, or a JSON-RPC error code mapped to one; the rate-limit bucket of
 * the peer behind a request. */
void srv_http_answer(struct srv_http *h, unsigned status, const char *body, size_t len);
void srv_http_error(struct srv_http *h, int code, const char *msg);
struct srv_bucket *srv_http_peer(struct srv_http *h, struct srv_batch *batch);
/* Drops a batch's hold on itself once every item is in (it is sent when
 * its last answer is). */
void srv_batch_release(struct srv_batch *b);
/* The HTTP front's part of the loop (NULL front: none). */
struct srv_front *srv_http_start(struct server *srv);
size_t srv_http_fds(struct srv_front *f, struct pollfd *p);
void srv_http_step(struct srv_front *f, const struct pollfd *p, size_t n);
uint64_t srv_http_until(struct srv_front *f, uint64_t now);
void srv_http_drain(struct srv_front *f);
bool srv_http_busy(const struct srv_front *f);
void srv_http_stop(struct srv_front *f);
/* Runs the execute method for an HTTP request (or a batch's item). */
void srv_execute_params(struct server *srv, struct srv_target *to, const cJSON *params);
/* An event: to subscribed clients, and logged on stderr. */
void srv_event(struct server *srv, const char *name, const char *fields);
/* Whether a client subscribed to events (per-job events go only there). */
bool srv_subscribed(const struct server *srv);

/* jsbox's own JSON-RPC error codes. */
enum {
	RPC_PARSE = -32700,
	RPC_INVALID = -32600,
	RPC_NO_METHOD = -32601,
	RPC_PARAMS = -32602,
	RPC_QUEUE_FULL = -32001,
	RPC_RATE_LIMITED = -32002,
	RPC_SHUTTING_DOWN = -32003,
	RPC_UNKNOWN_SESSION = -32004,
	RPC_TOO_MANY_SESSIONS = -32005,
	RPC_QUEUE_TIMEOUT = -32006,
	RPC_TOO_LARGE = -32007
};

#endif
