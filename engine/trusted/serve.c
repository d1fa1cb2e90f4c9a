/* jsbox serve: newline-delimited JSON-RPC 2.0 on stdin and stdout or on a
 * Unix socket, one poll loop over clients and the pool's workers that
 * never blocks on either.  Requests become jobs here (checked against the
 * server's policy, which is every job's ceiling); pool.c runs them. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "common/jsbox.h"
#include "common/parse.h"
#include "engine/confined/limits.h"
#include "engine/lib/jspan.h"
#include "engine/trusted/serve.h"
#include "policy/validate.h"

/* A client whose replies pile up unread past this is dropped. */
#define MAX_BACKLOG (256u << 20)
#define MAX_CLIENTS 1000
#define READ_CHUNK  65536
/* Draining, the time clients get to take their last answers. */
#define DRAIN_FLUSH_NS (5000 * 1000000ull)
/* HTTP requests waiting for their job, watched for a hang-up. */
#define CONNECTIONS_WATCHED 1001

struct srv_client {
	struct srv_client *next;
	int in_fd, out_fd; /* the same socket, or stdin and stdout */
	uint64_t number;
	struct srv_buf in;  /* bytes of an unfinished line */
	bool skipping;      /* the line in progress is too long: dropped up to its end */
	struct srv_buf out; /* replies not yet written */
	size_t out_at;
	bool eof;  /* its input ended: answered, then closed */
	bool gone; /* hung up: what it queued is cancelled */
	bool subscribed;
	struct srv_bucket bucket; /* --rate-limit */
	size_t pending;           /* answers owed */
};

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

/* Logging and events ----------------------------------------------------- */

/* "k":v,"l":"w" as k=v l="w", for the text log. */
static const char *text_fields(const char *fields)
{
	static char out[1024];
	size_t n = 0;
	bool in_string = false, key = true;
	for (const char *p = fields; *p && n + 2 < sizeof out; p++) {
		if (*p == '\\' && in_string && p[1]) {
			out[n++] = *p++;
			out[n++] = *p;
			continue;
		}
		if (*p == '"')
			in_string = !in_string;
		if (*p == '"' && key)
			continue;
		if (!in_string && *p == ':' && key) {
			out[n++] = '=';
			key = false;
		} else if (!in_string && *p == ',' && !key) {
			out[n++] = ' ';
			key = true;
		} else {
			out[n++] = *p;
		}
	}
	out[n] = '\0';
	return out;
}

static void log_line(struct server *srv, const char *event, const char *fields)
{
	if (srv->o->quiet)
		return;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	if (srv->o->log_json)
		fprintf(stderr, "{\"time\":%lld.%03ld,\"event\":\"%s\"%s%s}\n",
		        (long long)ts.tv_sec, ts.tv_nsec / 1000000, event, fields[0] ? "," : "",
		        fields);
	else
		fprintf(stderr, "jsbox serve: %s%s%s\n", event, fields[0] ? " " : "",
		        text_fields(fields));
	fflush(stderr);
}

static void send_text(struct srv_client *c, const char *s, size_t n);

bool srv_subscribed(const struct server *srv)
{
	for (const struct srv_client *c = srv->clients; c; c = c->next)
		if (c->subscribed && !c->gone)
			return true;
	return false;
}

void srv_event(struct server *srv, const char *name, const char *fields)
{
	/* Per-job events are for subscribers; the log has the rest. */
	bool per_job = strncmp(name, "job.", 4) == 0;
	if (!per_job)
		log_line(srv, name, fields);
	if (!srv_subscribed(srv))
		return;
	struct srv_buf b = {0};
	srv_buf_printf(
	    &b, "{\"jsonrpc\":\"2.0\",\"method\":\"event\",\"params\":{\"event\":\"%s\"%s%s}}\n",
	    name, fields[0] ? "," : "", fields);
	for (struct srv_client *c = srv->clients; c; c = c->next)
		if (c->subscribed && !c->gone)
			send_text(c, b.data, b.len);
	srv_buf_free(&b);
}

/* Replies ---------------------------------------------------------------- */

static void send_text(struct srv_client *c, const char *s, size_t n)
{
	if (c->gone)
		return;
	if (c->out.len - c->out_at > MAX_BACKLOG) {
		c->gone = true; /* it does not read what it asked for */
		return;
	}
	srv_buf_add(&c->out, s, n);
}

/* {"jsonrpc":"2.0","id":ID,"result":R} or "error":{code,message}. */
static char *response(const char *id, const char *result, size_t len, int code, const char *msg)
{
	struct srv_buf b = {0};
	srv_buf_printf(&b, "{\"jsonrpc\":\"2.0\",\"id\":%s,", id ? id : "null");
	if (result) {
		srv_buf_add(&b, "\"result\":", 9);
		srv_buf_add(&b, result, len);
	} else {
		cJSON *m = cJSON_CreateString(msg);
		char *q = m ? cJSON_PrintUnformatted(m) : NULL;
		srv_buf_printf(&b, "\"error\":{\"code\":%d,\"message\":%s}", code,
		               q ? q : "\"error\"");
		cJSON_free(q);
		cJSON_Delete(m);
	}
	srv_buf_add(&b, "}", 1);
	srv_buf_add(&b, "", 1);
	return b.data;
}

/* A batch's answer is one array, sent when its last member is in. */
static void batch_done(struct srv_batch *b)
{
	if (--b->left)
		return;
	struct srv_buf arr = {0};
	srv_buf_add(&arr, "[", 1);
	for (size_t i = 0; i < b->n; i++) {
		if (i)
			srv_buf_add(&arr, ",", 1);
		srv_buf_add(&arr, b->replies[i], strlen(b->replies[i]));
	}
	srv_buf_add(&arr, "]", 1);
	if (b->http) {
		srv_http_answer(b->http, 200, arr.data, arr.len);
	} else if (b->client) {
		send_text(b->client, arr.data, arr.len);
		send_text(b->client, "\n", 1);
		b->client->pending--;
	}
	srv_buf_free(&arr);
	for (size_t i = 0; i < b->n; i++)
		free(b->replies[i]);
	free(b->replies);
	free(b);
}

void srv_batch_release(struct srv_batch *b)
{
	batch_done(b);
}

/* An error as an HTTP batch holds it. */
static char *error_item(int code, const char *msg)
{
	struct srv_buf b = {0};
	cJSON *m = cJSON_CreateString(msg);
	char *q = m ? cJSON_PrintUnformatted(m) : NULL;
	srv_buf_printf(&b, "{\"error\":{\"code\":%d,\"message\":%s}}", code, q ? q : "\"error\"");
	srv_buf_add(&b, "", 1);
	cJSON_free(q);
	cJSON_Delete(m);
	return b.data;
}

/* Sends an answer where t says: a JSON-RPC client, a batch's slot or an
 * HTTP request.  result (len bytes) or, when NULL, the error code and msg.
 * t no longer wants one afterwards. */
static void deliver(struct srv_target *t, const char *result, size_t len, int code, const char *msg)
{
	if (!t->id)
		return; /* a notification, or answered already */
	if (t->batch && t->batch->http) {
		char *item = result ? strndup(result, len) : error_item(code, msg);
		t->batch->replies[t->slot] = item ? item : strdup("null");
		batch_done(t->batch);
	} else if (t->batch) {
		t->batch->replies[t->slot] = response(t->id, result, len, code, msg);
		batch_done(t->batch);
	} else if (t->http) {
		if (result)
			srv_http_answer(t->http, 200, result, len);
		else
			srv_http_error(t->http, code, msg);
	} else if (t->c) {
		char *text = response(t->id, result, len, code, msg);
		send_text(t->c, text, strlen(text));
		send_text(t->c, "\n", 1);
		t->c->pending--;
		free(text);
	}
	free(t->id);
	t->id = NULL;
}

void srv_reply_result(struct server *srv, struct srv_job *job, const char *result, size_t len)
{
	(void)srv;
	deliver(&job->to, result, len, 0, NULL);
}

void srv_reply_job_error(struct server *srv, struct srv_job *job, int code, const char *msg)
{
	(void)srv;
	deliver(&job->to, NULL, 0, code, msg);
}

/* Requests --------------------------------------------------------------- */

/* One request being answered: where its answer goes. */
struct req {
	struct server *srv;
	struct srv_target to; /* to.id: JSON text; NULL for a notification */
};

static void answer(struct req *q, const char *result)
{
	deliver(&q->to, result, strlen(result), 0, NULL);
}

static void fail(struct req *q, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fail(struct req *q, int code, const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (code == RPC_PARAMS || code == RPC_INVALID || code == RPC_PARSE)
		q->srv->m.rejected[RJ_INVALID]++;
	deliver(&q->to, NULL, 0, code, msg);
}

/* A limit from a request: a size or duration in the flags' units, or a
 * number (bytes, milliseconds). */
static bool limit_value(const cJSON *v, bool duration, uint64_t *out)
{
	if (cJSON_IsNumber(v) && v->valuedouble >= 1 && v->valuedouble <= 9007199254740992.0 &&
	    floor(v->valuedouble) == v->valuedouble) {
		*out = (uint64_t)v->valuedouble;
		return true;
	}
	if (!cJSON_IsString(v))
		return false;
	return duration ? jsb_parse_duration(v->valuestring, out)
	                : jsb_parse_size(v->valuestring, out);
}

struct scalar {
	const char *name; /* as in a policy file's limits */
	size_t offset;
	bool duration;
};

#define SCALAR(n, field, d)                                                                        \
	{                                                                                          \
		n, offsetof(struct jsb_policy, field), d                                           \
	}
static const struct scalar scalars[] = {
    SCALAR("memory", memory, false),
    SCALAR("timeout", timeout_ms, true),
    SCALAR("transpile_timeout", transpile_timeout_ms, true),
    SCALAR("code_size", code_size, false),
    SCALAR("max_lines", max_lines, false),
    SCALAR("max_output", max_output, false),
    SCALAR("max_timers", max_timers, false),
};

static uint64_t *field(struct jsb_policy *p, const struct scalar *s)
{
	return (uint64_t *)(void *)((char *)p + s->offset);
}

static uint64_t value_of(const struct jsb_policy *p, const struct scalar *s)
{
	uint64_t v;
	memcpy(&v, (const char *)p + s->offset, sizeof v);
	return v;
}

static void format_limit(const struct scalar *s, uint64_t v, char *buf, size_t size)
{
	if (s->duration)
		jsb_format_duration(buf, size, v);
	else if (strcmp(s->name, "max_lines") == 0 || strcmp(s->name, "max_timers") == 0)
		snprintf(buf, size, "%llu", (unsigned long long)v);
	else
		jsb_format_size(buf, size, v);
}

/* The job's policy: the profile it names (or the server's), an inline
 * policy on top, then its limits; never above the server's.  False with
 * the -32602 message in err. */
static bool job_policy(struct server *srv, const cJSON *params, struct srv_job *job, char *err,
                       size_t errsize)
{
	const struct jsb_policy *ceiling = srv->tmpl->policy;
	const cJSON *profile = cJSON_GetObjectItemCaseSensitive(params, "profile");
	const cJSON *inl = cJSON_GetObjectItemCaseSensitive(params, "policy");
	const cJSON *limits = cJSON_GetObjectItemCaseSensitive(params, "limits");
	struct jsb_policy *p = &job->inline_policy;
	bool given[sizeof scalars / sizeof scalars[0]] = {false};
	if (profile && (!cJSON_IsString(profile) || !jsb_policy_profile(p, profile->valuestring))) {
		snprintf(err, errsize,
		         "profile: must be \"strict\", \"moderate\" or \"permissive\"");
		return false;
	}
	if (!profile) { /* the server's own, its strings left to it */
		*p = *ceiling;
		p->n_read_dirs = p->n_patterns = 0;
	}
	if (inl) {
		char *text = cJSON_IsObject(inl) ? cJSON_PrintUnformatted(inl) : NULL;
		char perr[512];
		bool ok = text && jsb_policy_load_text(p, "policy", text, profile != NULL, perr,
		                                       sizeof perr);
		if (!ok)
			snprintf(err, errsize, "%s", text ? perr : "policy: must be an object");
		cJSON_free(text);
		if (!ok)
			return false;
		const cJSON *il = cJSON_GetObjectItemCaseSensitive(inl, "limits");
		for (size_t i = 0; i < sizeof scalars / sizeof scalars[0]; i++)
			given[i] = cJSON_GetObjectItemCaseSensitive(il, scalars[i].name) != NULL;
	}
	if (limits && !cJSON_IsObject(limits)) {
		snprintf(err, errsize, "limits: must be an object");
		return false;
	}
	for (const cJSON *l = limits ? limits->child : NULL; l; l = l->next) {
		size_t i = 0;
		while (i < sizeof scalars / sizeof scalars[0] &&
		       strcmp(scalars[i].name, l->string) != 0)
			i++;
		if (i == sizeof scalars / sizeof scalars[0] ||
		    !limit_value(l, scalars[i].duration, field(p, &scalars[i]))) {
			snprintf(err, errsize,
			         "limits.%s: unknown, or not a size or duration (memory, timeout, "
			         "max_output as the flags take them, e.g. \"8M\", \"500ms\")",
			         l->string);
			return false;
		}
		given[i] = true;
	}
	job->policy = *ceiling;
	for (size_t i = 0; i < sizeof scalars / sizeof scalars[0]; i++) {
		const struct scalar *s = &scalars[i];
		uint64_t want = value_of(p, s), max = value_of(ceiling, s);
		if (given[i] && want > max) {
			char a[32], b[32];
			format_limit(s, want, a, sizeof a);
			format_limit(s, max, b, sizeof b);
			snprintf(err, errsize, "limits.%s: %s is above the server's %s", s->name, a,
			         b);
			return false;
		}
		*field(&job->policy, s) = want < max ? want : max;
	}
	if (p->caps & ~ceiling->caps) {
		unsigned extra = p->caps & ~ceiling->caps;
		snprintf(err, errsize, "policy: '%s' is not allowed by the server's %s",
		         jsb_policy_cap_name(extra & -extra), ceiling->label);
		return false;
	}
	job->policy.caps = p->caps;
	if (p->n_read_dirs) {
		for (size_t i = 0; i < p->n_read_dirs; i++) {
			bool under = false;
			for (size_t k = 0; k < ceiling->n_read_dirs && !under; k++) {
				size_t n = strlen(ceiling->read_dirs[k]);
				under = strncmp(p->read_dirs[i], ceiling->read_dirs[k], n) == 0 &&
				        (p->read_dirs[i][n] == '/' || p->read_dirs[i][n] == '\0' ||
				         ceiling->read_dirs[k][n - 1] == '/');
			}
			if (!under) {
				snprintf(err, errsize,
				         "policy: allow_read %s is outside the server's",
				         p->read_dirs[i]);
				return false;
			}
		}
		job->policy.n_read_dirs = p->n_read_dirs;
		memcpy(job->policy.read_dirs, p->read_dirs, sizeof p->read_dirs);
	}
	/* Its deny_patterns go on top of the server's. */
	for (size_t i = 0; i < p->n_patterns; i++) {
		if (job->policy.n_patterns == JSB_MAX_PATTERNS) {
			snprintf(err, errsize,
			         "policy: deny_patterns: at most %d with the server's",
			         JSB_MAX_PATTERNS);
			return false;
		}
		job->policy.patterns[job->policy.n_patterns++] = p->patterns[i];
	}
	snprintf(job->policy.profile, sizeof job->policy.profile, "%s", p->profile);
	return true;
}

bool srv_session_name_ok(const char *s, size_t n)
{
	if (n == 0 || n > 100)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(s[i] == '.' || s[i] == '_' || s[i] == ':' || s[i] == '-' ||
		      (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z')))
			return false;
	return true;
}

static bool identifier(const char *s)
{
	if (!*s || (*s >= '0' && *s <= '9'))
		return false;
	for (; *s; s++)
		if (!(*s == '_' || *s == '$' || (*s >= '0' && *s <= '9') ||
		      (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
			return false;
	return true;
}

static const char *const execute_keys[] = {"code",   "input",   "args",     "profile",     "policy",
                                           "limits", "session", "priority", "stack_trace", NULL};

/* Checks execute's params: NULL when fine, else the -32602 message. */
static const char *check_execute(const cJSON *params, char *err, size_t errsize)
{
	if (!cJSON_IsObject(params))
		return "params: must be an object";
	for (const cJSON *k = params->child; k; k = k->next) {
		size_t i = 0;
		while (execute_keys[i] && strcmp(execute_keys[i], k->string) != 0)
			i++;
		if (!execute_keys[i]) {
			snprintf(
			    err, errsize,
			    "params: unknown key '%s' (code, input, args, profile, policy, limits, "
			    "session, priority, stack_trace)",
			    k->string);
			return err;
		}
	}
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(params, "code");
	const cJSON *args = cJSON_GetObjectItemCaseSensitive(params, "args");
	const cJSON *prio = cJSON_GetObjectItemCaseSensitive(params, "priority");
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(params, "stack_trace");
	const cJSON *sess = cJSON_GetObjectItemCaseSensitive(params, "session");
	if (!cJSON_IsString(code))
		return "code: must be a string";
	if (args && !cJSON_IsObject(args))
		return "args: must be an object of name: value";
	size_t n = 0;
	for (const cJSON *a = args ? args->child : NULL; a; a = a->next, n++) {
		if (!identifier(a->string) || strcmp(a->string, "input") == 0 ||
		    strcmp(a->string, "output") == 0) {
			snprintf(err, errsize, "args: '%.64s' is not a name a script can use",
			         a->string);
			return err;
		}
	}
	if (n > JSB_WIRE_MAX_BINDS)
		return "args: at most 64";
	if (prio && (!cJSON_IsNumber(prio) || fabs(prio->valuedouble) > SRV_PRIORITY_MAX ||
	             floor(prio->valuedouble) != prio->valuedouble))
		return "priority: must be an integer from -1000 to 1000";
	if (st && !cJSON_IsBool(st))
		return "stack_trace: must be true or false";
	if (sess && (!cJSON_IsString(sess) ||
	             !srv_session_name_ok(sess->valuestring, strlen(sess->valuestring))))
		return "session: must be 1-100 letters, digits or ._:-";
	return NULL;
}

/* The source's static checks, as a run makes them: a violation is a result,
 * not a protocol error. */
static bool vetted(struct req *q, struct srv_job *job, const char *code)
{
	char err[512];
	int rc = jsb_validate_source(&job->policy, code, strlen(code), err, sizeof err);
	if (rc == JSB_EXIT_OK)
		return true;
	struct srv_buf r = {0};
	cJSON *m = cJSON_CreateString(err);
	char *msg = m ? cJSON_PrintUnformatted(m) : NULL;
	bool timeout = rc == JSB_EXIT_TIMEOUT;
	srv_buf_printf(
	    &r,
	    "{\"status\":\"%s\",\"error\":{\"type\":\"%s\",\"message\":%s,\"line\":null},"
	    "\"console\":[],\"time_ms\":0,\"cpu_ms\":0,\"memory_peak\":0,\"queue_ms\":0}",
	    timeout ? "timeout" : "violation", timeout ? "TimeoutError" : "SecurityError",
	    msg ? msg : "\"denied\"");
	q->srv->m.jobs++;
	q->srv->m.by_status[timeout ? ST_TIMEOUT : ST_VIOLATION]++;
	if (!timeout)
		q->srv->m.violations[5]++;
	srv_buf_add(&r, "", 1);
	answer(q, r.data);
	cJSON_free(msg);
	cJSON_Delete(m);
	srv_buf_free(&r);
	return false;
}

/* The job's payload for its worker. */
static bool pack(struct srv_job *job, const cJSON *params)
{
	const cJSON *input = cJSON_GetObjectItemCaseSensitive(params, "input");
	const cJSON *args = cJSON_GetObjectItemCaseSensitive(params, "args");
	const char *code = cJSON_GetObjectItemCaseSensitive(params, "code")->valuestring;
	struct jsb_wire_job w = {
	    .flags = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(params, "stack_trace"))
	                 ? JSB_JOB_STACK_TRACE
	                 : 0,
	    .caps = job->policy.caps,
	    .memory = job->policy.memory,
	    .timeout_ms = job->policy.timeout_ms,
	    .transpile_timeout_ms = job->policy.transpile_timeout_ms,
	    .max_output = job->policy.max_output,
	    .max_timers = job->policy.max_timers,
	    .source = code,
	    .source_len = strlen(code)};
	char *texts[1 + JSB_WIRE_MAX_BINDS] = {NULL};
	bool ok = true;
	if (input && !cJSON_IsNull(input)) {
		ok = (texts[0] = cJSON_PrintUnformatted(input)) != NULL;
		w.input = texts[0];
		w.input_len = ok ? strlen(texts[0]) : 0;
	}
	for (const cJSON *a = args ? args->child : NULL; a && ok; a = a->next) {
		w.bind_names[w.n_binds] = a->string;
		ok = (texts[1 + w.n_binds] = cJSON_PrintUnformatted(a)) != NULL;
		w.bind_values[w.n_binds] = texts[1 + w.n_binds];
		w.n_binds++;
	}
	if (ok) {
		job->payload_len = jsb_wire_job_pack(&w, NULL);
		job->payload = malloc(job->payload_len);
		ok = job->payload != NULL;
		if (ok)
			jsb_wire_job_pack(&w, job->payload);
	}
	for (size_t i = 0; i <= JSB_WIRE_MAX_BINDS; i++)
		cJSON_free(texts[i]);
	job->stack_trace_wanted = w.flags & JSB_JOB_STACK_TRACE;
	return ok;
}

/* A token from the client's bucket, or false (rate limited). */
static bool take_token(struct server *srv, struct srv_bucket *c)
{
	double rate = srv->o->rate_limit;
	if (rate <= 0 || !c)
		return true;
	uint64_t now = jsb_now_ns();
	double burst = rate < 1 ? 1 : rate;
	c->tokens += (double)(now - c->refilled_ns) / 1e9 * rate;
	if (c->tokens > burst)
		c->tokens = burst;
	c->refilled_ns = now;
	if (c->tokens < 1)
		return false;
	c->tokens -= 1;
	return true;
}

void srv_bucket_init(const struct server *srv, struct srv_bucket *b)
{
	b->tokens = srv->o->rate_limit < 1 ? 1 : srv->o->rate_limit;
	b->refilled_ns = jsb_now_ns();
}

static void execute(struct req *q, const cJSON *params)
{
	struct server *srv = q->srv;
	char err[600];
	const char *bad = check_execute(params, err, sizeof err);
	if (bad) {
		fail(q, RPC_PARAMS, "%s", bad);
		return;
	}
	if (srv->draining) {
		srv->m.rejected[RJ_DRAINING]++;
		fail(q, RPC_SHUTTING_DOWN, "shutting down");
		return;
	}
	if (!take_token(srv, q->to.c ? &q->to.c->bucket : srv_http_peer(q->to.http, q->to.batch))) {
		srv->m.rejected[RJ_RATE]++;
		fail(q, RPC_RATE_LIMITED, "rate limited: at most %g jobs per second",
		     srv->o->rate_limit);
		return;
	}
	struct srv_job *job = calloc(1, sizeof *job);
	if (!job) {
		fail(q, RPC_QUEUE_FULL, "out of memory");
		return;
	}
	if (!job_policy(srv, params, job, err, sizeof err)) {
		fail(q, RPC_PARAMS, "%s", err);
		srv_job_free(job);
		return;
	}
	const cJSON *prio = cJSON_GetObjectItemCaseSensitive(params, "priority");
	const cJSON *sess = cJSON_GetObjectItemCaseSensitive(params, "session");
	job->priority = prio ? (int)prio->valuedouble : 0;
	if (!vetted(q, job, cJSON_GetObjectItemCaseSensitive(params, "code")->valuestring) ||
	    !pack(job, params)) {
		fail(q, RPC_QUEUE_FULL, "out of memory");
		srv_job_free(job);
		return;
	}
	if (sess && !(job->session = srv_session_open(srv, sess->valuestring))) {
		fail(q, RPC_TOO_MANY_SESSIONS, "too many sessions (--max-sessions %llu)",
		     (unsigned long long)srv->o->max_sessions);
		srv_job_free(job);
		return;
	}
	job->to = q->to;
	if (!srv_pool_submit(srv, job)) {
		job->to.id = NULL;
		srv->m.rejected[RJ_QUEUE_FULL]++;
		fail(q, RPC_QUEUE_FULL, "queue full (--max-queue %llu)",
		     (unsigned long long)srv->o->max_queue);
		srv_job_free(job);
		return;
	}
	q->to.id = NULL; /* the job answers */
}

void srv_execute_params(struct server *srv, struct srv_target *to, const cJSON *params)
{
	struct req q = {srv, *to};
	if (!q.to.id)
		q.to.id = strdup("null");
	execute(&q, params);
	free(q.to.id);
}

static void session_call(struct req *q, const cJSON *params, bool close)
{
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(params, "session");
	if (!cJSON_IsString(name)) {
		fail(q, RPC_PARAMS, "session: must be a string");
		return;
	}
	struct srv_session *s = srv_session_find(q->srv, name->valuestring);
	if (!s) {
		fail(q, RPC_UNKNOWN_SESSION, "unknown session '%.100s'", name->valuestring);
		return;
	}
	if (close) {
		srv_session_close(q->srv, s);
		answer(q, "{\"closed\":true}");
	} else {
		srv_session_reset(q->srv, s);
		answer(q, "{\"reset\":true}");
	}
}

static void info(struct req *q, const cJSON *params, const char *method)
{
	struct srv_buf b = {0};
	if (strcmp(method, "status") == 0) {
		srv_status_json(q->srv, &b);
	} else if (strcmp(method, "metrics") == 0) {
		srv_metrics_json(q->srv, &b);
	} else {
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(params, "session");
		struct srv_session *s =
		    cJSON_IsString(name) ? srv_session_find(q->srv, name->valuestring) : NULL;
		if (!s) {
			fail(q, RPC_UNKNOWN_SESSION, "unknown session");
			return;
		}
		srv_session_json(s, &b);
	}
	srv_buf_add(&b, "", 1);
	answer(q, b.data);
	srv_buf_free(&b);
}

/* Whether r is a well-formed JSON-RPC 2.0 request (with or without id). */
static bool well_formed(const cJSON *r)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(r, "id");
	const cJSON *ver = cJSON_GetObjectItemCaseSensitive(r, "jsonrpc");
	const cJSON *method = cJSON_GetObjectItemCaseSensitive(r, "method");
	const cJSON *params = cJSON_GetObjectItemCaseSensitive(r, "params");
	return cJSON_IsObject(r) &&
	       (!id || cJSON_IsString(id) || cJSON_IsNumber(id) || cJSON_IsNull(id)) &&
	       cJSON_IsString(ver) && strcmp(ver->valuestring, "2.0") == 0 &&
	       cJSON_IsString(method) &&
	       (!params || cJSON_IsObject(params) || cJSON_IsArray(params));
}

/* Whether r is answered: everything but a well-formed notification. */
static bool wants_answer(const cJSON *r)
{
	return !well_formed(r) || cJSON_GetObjectItemCaseSensitive(r, "id") != NULL;
}

/* One request object (alone or from a batch). */
static void request(struct req *q, const cJSON *r)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(r, "id");
	const cJSON *method = cJSON_GetObjectItemCaseSensitive(r, "method");
	const cJSON *params = cJSON_GetObjectItemCaseSensitive(r, "params");
	bool valid = well_formed(r);
	q->to.id = valid && id ? cJSON_PrintUnformatted(id) : valid ? NULL : strdup("null");
	if (q->to.id && !q->to.batch)
		q->to.c->pending++;
	if (!valid) {
		fail(q, RPC_INVALID, "invalid request (JSON-RPC 2.0: jsonrpc, method, params, id)");
		return;
	}
	const char *m = method->valuestring;
	if (strcmp(m, "execute") == 0)
		execute(q, params);
	else if (strcmp(m, "status") == 0 || strcmp(m, "metrics") == 0 ||
	         strcmp(m, "session.info") == 0)
		info(q, params, m);
	else if (strcmp(m, "session.close") == 0 || strcmp(m, "session.reset") == 0)
		session_call(q, params, m[8] == 'c');
	else if (strcmp(m, "subscribe") == 0) {
		q->to.c->subscribed = true;
		answer(q, "{\"subscribed\":true}");
	} else if (strcmp(m, "unsubscribe") == 0) {
		q->to.c->subscribed = false;
		answer(q, "{\"subscribed\":false}");
	} else
		fail(q, RPC_NO_METHOD, "method not found: '%.100s'", m);
}

/* How many answers a request array owes (notifications owe none). */
static size_t owed(const cJSON *arr)
{
	size_t n = 0;
	for (const cJSON *r = arr->child; r; r = r->next)
		n += wants_answer(r);
	return n;
}

/* A batch: its requests run side by side; one array answers them all. */
static void batch(struct server *srv, struct srv_client *c, const cJSON *arr)
{
	size_t n = owed(arr);
	struct srv_batch *b = calloc(1, sizeof *b);
	if (b)
		b->replies = calloc(n + 1, sizeof *b->replies);
	if (!b || !b->replies) {
		free(b);
		return;
	}
	b->client = c;
	b->n = n;
	b->left = n + 1; /* held until every request is in */
	c->pending++;
	size_t slot = 0;
	for (const cJSON *r = arr->child; r; r = r->next) {
		struct req q = {srv, {c, NULL, b, slot, NULL}};
		slot += wants_answer(r);
		request(&q, r);
		free(q.to.id);
	}
	if (n == 0) { /* only notifications: no answer at all */
		b->client = NULL;
		c->pending--;
	}
	batch_done(b);
}

/* One line from a client: a request or a batch. */
static void line(struct server *srv, struct srv_client *c, const char *text, size_t len)
{
	struct req q = {srv, {c, NULL, NULL, 0, NULL}};
	while (len && (text[len - 1] == '\r' || text[len - 1] == ' ' || text[len - 1] == '\t'))
		len--;
	if (len == 0)
		return;
	cJSON *root = NULL;
	const char *why = NULL;
	if (!jsb_jspan_utf8(text, len))
		why = "parse error: the request is not valid UTF-8";
	else if (!(root = cJSON_ParseWithLength(text, len)))
		why = "parse error: the request is not valid JSON";
	else if (cJSON_IsArray(root) && !root->child)
		why = "invalid request: an empty batch";
	if (why) {
		c->pending++;
		q.to.id = strdup("null");
		fail(&q, root ? RPC_INVALID : RPC_PARSE, "%s", why);
	} else if (cJSON_IsArray(root)) {
		batch(srv, c, root);
	} else {
		request(&q, root);
		free(q.to.id);
	}
	cJSON_Delete(root);
}

/* Clients ---------------------------------------------------------------- */

static struct srv_client *client_add(struct server *srv, int in_fd, int out_fd)
{
	static uint64_t numbers;
	struct srv_client *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->in_fd = in_fd;
	c->out_fd = out_fd;
	c->number = ++numbers;
	srv_bucket_init(srv, &c->bucket);
	fcntl(in_fd, F_SETFL, fcntl(in_fd, F_GETFL) | O_NONBLOCK);
	fcntl(out_fd, F_SETFL, fcntl(out_fd, F_GETFL) | O_NONBLOCK);
	c->next = srv->clients;
	srv->clients = c;
	srv->n_clients++;
	return c;
}

static void client_free(struct server *srv, struct srv_client *c)
{
	srv_pool_forget(srv, c, NULL);
	for (struct srv_client **at = &srv->clients; *at; at = &(*at)->next) {
		if (*at == c) {
			*at = c->next;
			break;
		}
	}
	srv->n_clients--;
	if (c->in_fd > 2)
		close(c->in_fd);
	if (c->out_fd > 2 && c->out_fd != c->in_fd)
		close(c->out_fd);
	srv_buf_free(&c->in);
	srv_buf_free(&c->out);
	free(c);
}

/* Splits what arrived into lines; a line longer than --max-request is
 * answered with an error and skipped to its end. */
static void take_lines(struct server *srv, struct srv_client *c)
{
	size_t start = 0;
	for (;;) {
		char *nl = memchr(c->in.data + start, '\n', c->in.len - start);
		if (!nl)
			break;
		size_t len = (size_t)(nl - (c->in.data + start));
		if (c->skipping)
			c->skipping = false;
		else
			line(srv, c, c->in.data + start, len);
		start += len + 1;
	}
	memmove(c->in.data, c->in.data + start, c->in.len - start);
	c->in.len -= start;
	uint64_t max = srv->o->max_request ? srv->o->max_request : 16u << 20;
	if (c->in.len > max) {
		if (!c->skipping) {
			struct req q = {srv, {c, strdup("null"), NULL, 0, NULL}};
			c->pending++;
			char size[32];
			jsb_format_size(size, sizeof size, max);
			fail(&q, RPC_TOO_LARGE, "request too large (over --max-request %s)", size);
		}
		c->skipping = true;
		c->in.len = 0;
	}
}

/* revents: poll's.  The end of a client's input is a hang-up only when
 * the other way is shut too (POLLHUP: a socket closed, not half-closed
 * with shutdown(SHUT_WR), which asks for the answers still owed). */
static void client_read(struct server *srv, struct srv_client *c, short revents)
{
	char buf[READ_CHUNK];
	ssize_t n = read(c->in_fd, buf, sizeof buf);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		c->eof = true;
		c->gone = c->in_fd == c->out_fd && (n < 0 || (revents & (POLLHUP | POLLERR)));
		if (c->in.len && !c->skipping)
			line(srv, c, c->in.data, c->in.len); /* the last line had no newline */
		c->in.len = 0;
		return;
	}
	srv_buf_add(&c->in, buf, (size_t)n);
	take_lines(srv, c);
}

static void client_write(struct srv_client *c)
{
	while (c->out_at < c->out.len) {
		ssize_t n = write(c->out_fd, c->out.data + c->out_at, c->out.len - c->out_at);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			c->gone = true;
			return;
		}
		c->out_at += (size_t)n;
	}
	c->out.len = c->out_at = 0;
}

/* Listening -------------------------------------------------------------- */

int srv_bind_unix(const char *path, unsigned mode, int flags)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof a.sun_path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(a.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | flags, 0);
	struct stat st;
	if (fd >= 0 && lstat(path, &st) == 0 && S_ISSOCK(st.st_mode)) {
		/* A socket left by a server that is gone: nobody answers on it. */
		int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (probe >= 0 && connect(probe, (struct sockaddr *)&a, sizeof a) != 0)
			unlink(path);
		if (probe >= 0)
			close(probe);
	}
	mode_t old = umask(0777 & ~mode);
	bool ok = fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && listen(fd, 128) == 0;
	int e = errno;
	umask(old);
	if (!ok) {
		if (fd >= 0)
			close(fd);
		errno = e;
		return -1;
	}
	chmod(path, mode);
	return fd;
}

/* A socket from systemd (LISTEN_FDS), or one bound at path. */
static int listen_on(const struct jsb_serve_opts *o, bool *activated)
{
	const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
	if (pid && fds && strtol(pid, NULL, 10) == (long)getpid() && strtol(fds, NULL, 10) >= 1) {
		unsetenv("LISTEN_PID");
		unsetenv("LISTEN_FDS");
		*activated = true;
		fcntl(3, F_SETFD, FD_CLOEXEC);
		fcntl(3, F_SETFL, fcntl(3, F_GETFL) | O_NONBLOCK);
		return 3;
	}
	const char *path = o->listen + 5; /* "unix:" */
	if (strlen(path) >= sizeof((struct sockaddr_un *)0)->sun_path) {
		jsb_error("usage", "--listen: the socket path is too long (at most %zu bytes)",
		          sizeof((struct sockaddr_un *)0)->sun_path - 1);
		return -1;
	}
	int fd = srv_bind_unix(path, o->socket_mode, SOCK_NONBLOCK);
	if (fd < 0)
		jsb_error("usage", "--listen %s: %s", o->listen, strerror(errno));
	return fd;
}

static void accept_clients(struct server *srv, int lfd)
{
	for (;;) {
		int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd < 0)
			return;
		if (srv->n_clients >= MAX_CLIENTS || srv->draining) {
			close(fd);
			continue;
		}
		if (!client_add(srv, fd, fd))
			close(fd);
	}
}

/* The loop --------------------------------------------------------------- */

static void catch_signals(void)
{
	struct sigaction sa = {.sa_handler = on_stop};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* Clients that are done: gone (hung up: what it queued is cancelled, what
 * runs for it is dropped), or at the end of its input with nothing owed
 * and all written. */
static void reap_clients(struct server *srv)
{
	for (struct srv_client *c = srv->clients, *next; c; c = next) {
		next = c->next;
		bool flushed = c->out_at == c->out.len;
		if (c->gone || (c->eof && c->pending == 0 && flushed))
			client_free(srv, c);
	}
}

static void begin_drain(struct server *srv, int lfd)
{
	if (srv->http)
		srv_http_drain(srv->http);
	if (srv->draining)
		return;
	srv->draining = true;
	char fields[64];
	snprintf(fields, sizeof fields, "\"running\":%zu,\"queued\":%zu", srv_pool_running(srv),
	         srv->queued);
	srv_event(srv, "drain", fields);
	srv_pool_drain(srv);
	if (lfd >= 0)
		close(lfd);
}

static size_t client_fds(struct server *srv, struct pollfd *p, struct srv_client **who)
{
	size_t n = 0;
	for (struct srv_client *c = srv->clients; c; c = c->next) {
		if (!c->gone && (!c->eof || c->in_fd == c->out_fd)) {
			/* a half-closed socket is watched for its hang-up only */
			who[n] = c;
			p[n++] = (struct pollfd){.fd = c->in_fd, .events = c->eof ? 0 : POLLIN};
		}
		if (c->out_at < c->out.len && !c->gone) {
			who[n] = c;
			p[n++] = (struct pollfd){.fd = c->out_fd, .events = POLLOUT};
		}
	}
	return n;
}

/* Whether every client has been sent all it is owed. */
static bool flushed(const struct server *srv)
{
	for (const struct srv_client *c = srv->clients; c; c = c->next)
		if (!c->gone && c->out_at < c->out.len)
			return false;
	return true;
}

static int serve_loop(struct server *srv, int *listening, bool stdio)
{
	int lfd = *listening;
	uint64_t idle_since = 0;
	size_t cap = 0;
	struct pollfd *p = NULL;
	void **who = NULL;
	for (;;) {
		if (stop_signal && !srv->draining) {
			begin_drain(srv, lfd);
			lfd = *listening = -1;
		}
		reap_clients(srv);
		bool idle = srv_pool_running(srv) == 0 && srv->queued == 0;
		if (srv->draining && idle && !idle_since)
			idle_since = jsb_now_ns();
		/* Draining: done when all is answered and taken, or after a while
		 * for clients that do not read. */
		bool taken = flushed(srv) && !(srv->http && srv_http_busy(srv->http));
		if (srv->draining && idle && (taken || jsb_now_ns() - idle_since > DRAIN_FLUSH_NS))
			break;
		if (stdio && !srv->clients && idle)
			break;
		size_t need = 2 * srv->n_clients + 3 * (srv->n_procs + srv->n_sessions) + 2 +
		              (srv->http ? CONNECTIONS_WATCHED : 0);
		if (need > cap) {
			cap = need * 2;
			p = realloc(p, cap * sizeof *p);
			who = realloc(who, cap * sizeof *who);
			if (!p || !who)
				return JSB_EXIT_INTERNAL;
		}
		uint64_t now = jsb_now_ns();
		size_t n = 0;
		if (lfd >= 0 && !srv->draining) {
			who[n] = NULL;
			p[n++] = (struct pollfd){.fd = lfd, .events = POLLIN};
		}
		size_t first_client = n;
		n += client_fds(srv, p + n, (struct srv_client **)(who + n));
		size_t first_worker = n;
		n += srv_pool_fds(srv, p + n, (struct srv_worker **)(who + n), now);
		size_t first_http = n;
		if (srv->http)
			n += srv_http_fds(srv->http, p + n);
		uint64_t until = srv_pool_until(srv, now);
		if (srv->http) {
			uint64_t u = srv_http_until(srv->http, now);
			until = u < until ? u : until;
		}
		uint64_t wait = until > now ? until - now : 0;
		struct timespec ts = {(time_t)(wait / 1000000000u), (long)(wait % 1000000000u)};
		int r = ppoll(p, (nfds_t)n, &ts, NULL);
		if (r < 0 && errno != EINTR)
			return JSB_EXIT_INTERNAL;
		now = jsb_now_ns();
		if (first_client > 0 && r > 0 && p[0].revents)
			accept_clients(srv, lfd);
		for (size_t i = first_client; r > 0 && i < first_worker; i++) {
			struct srv_client *c = who[i];
			if (p[i].revents & (POLLIN | POLLHUP | POLLERR) && p[i].events == POLLIN)
				client_read(srv, c, p[i].revents);
			else if (p[i].revents & (POLLHUP | POLLERR) && p[i].events == 0)
				c->gone = true;
			else if (p[i].revents && p[i].events == POLLOUT)
				client_write(c);
		}
		srv_pool_step(srv, r > 0 ? p + first_worker : p,
		              (struct srv_worker **)(who + first_worker),
		              r > 0 ? first_http - first_worker : 0, jsb_now_ns());
		if (srv->http)
			srv_http_step(srv->http, p + first_http, r > 0 ? n - first_http : 0);
		for (struct srv_client *c = srv->clients; c; c = c->next)
			if (c->out_at < c->out.len)
				client_write(c);
	}
	/* Flush what is owed before leaving. */
	for (struct srv_client *c = srv->clients; c; c = c->next) {
		fcntl(c->out_fd, F_SETFL, fcntl(c->out_fd, F_GETFL) & ~O_NONBLOCK);
		client_write(c);
	}
	free(p);
	free(who);
	return JSB_EXIT_OK;
}

int jsb_engine_serve(const struct jsb_job *job, const struct jsb_serve_opts *o)
{
	struct server srv = {.o = o, .tmpl = job, .n_workers = o->workers};
	srv.started_ns = jsb_now_ns();
	int lfd = -1;
	bool stdio = o->listen == NULL && o->http == NULL, activated = false;
	catch_signals();
	srv_metrics_init(&srv.m);
	if (o->listen && (lfd = listen_on(o, &activated)) < 0)
		return JSB_EXIT_USAGE;
	if (o->http && !(srv.http = srv_http_start(&srv))) {
		if (lfd >= 0)
			close(lfd);
		return JSB_EXIT_USAGE;
	}
	if (!srv_pool_start(&srv)) {
		jsb_error("internal error", "cannot start the workers");
		srv_pool_stop(&srv);
		return JSB_EXIT_INTERNAL;
	}
	if (stdio)
		client_add(&srv, STDIN_FILENO, STDOUT_FILENO);
	char fields[256];
	snprintf(fields, sizeof fields,
	         "\"workers\":%u,\"listen\":\"%s\",\"http\":\"%s\",\"profile\":\"%s\"", o->workers,
	         stdio       ? "stdio"
	         : o->listen ? o->listen
	                     : "",
	         o->http ? o->http : "", job->policy->profile);
	srv_event(&srv, "ready", fields);
	int rc = serve_loop(&srv, &lfd, stdio);
	srv_event(&srv, "shutdown", "");
	while (srv.clients)
		client_free(&srv, srv.clients);
	srv_http_stop(srv.http);
	srv_pool_stop(&srv);
	if (lfd >= 0)
		close(lfd);
	if (o->listen && !activated)
		unlink(o->listen + 5);
	return rc;
}
