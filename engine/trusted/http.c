/* jsbox serve's HTTP front (libmicrohttpd, driven from the server's own
 * poll loop): a thin translation of requests onto the same jobs, queue,
 * sessions and metrics as JSON-RPC; no second implementation of any of
 * them.  A request waiting for its job is suspended; the job's answer
 * resumes it.  The listening socket is bound here and passed in. */
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/jsbox.h"
#include "common/parse.h"
#include "engine/confined/limits.h"
#include "engine/lib/jspan.h"
#include "engine/trusted/serve.h"

/* libmicrohttpd is loaded only by `serve --http`: linked into the binary
 * it (and the TLS libraries it needs) would cost every run's start-up. */
#define MHD_FUNCS(X)                                                                               \
	X(MHD_start_daemon)                                                                        \
	X(MHD_stop_daemon)                                                                         \
	X(MHD_run)                                                                                 \
	X(MHD_get_timeout)                                                                         \
	X(MHD_get_daemon_info)                                                                     \
	X(MHD_quiesce_daemon)                                                                      \
	X(MHD_suspend_connection)                                                                  \
	X(MHD_resume_connection)                                                                   \
	X(MHD_get_connection_info)                                                                 \
	X(MHD_lookup_connection_value)                                                             \
	X(MHD_create_response_from_buffer)                                                         \
	X(MHD_add_response_header)                                                                 \
	X(MHD_queue_response)                                                                      \
	X(MHD_destroy_response)
#define DECLARE(f) static __typeof__(f) *p_##f;
MHD_FUNCS(DECLARE)
#undef DECLARE

static bool load_mhd(void)
{
	static const char *const names[] = {"libmicrohttpd.so.12", "libmicrohttpd.so"};
	void *lib = NULL;
	for (size_t i = 0; i < 2 && !lib; i++)
		lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		jsb_error("usage", "--http needs libmicrohttpd (Debian: libmicrohttpd12): %s",
		          dlerror());
		return false;
	}
	void *sym;
#define LOAD(f)                                                                                    \
	if (!(sym = dlsym(lib, #f))) {                                                             \
		jsb_error("usage", "--http: libmicrohttpd has no %s", #f);                         \
		return false;                                                                      \
	}                                                                                          \
	memcpy(&p_##f, &sym, sizeof sym);
	MHD_FUNCS(LOAD)
#undef LOAD
	return true;
}

#define MHD_start_daemon                (*p_MHD_start_daemon)
#define MHD_stop_daemon                 (*p_MHD_stop_daemon)
#define MHD_run                         (*p_MHD_run)
#define MHD_get_timeout                 (*p_MHD_get_timeout)
#define MHD_get_daemon_info             (*p_MHD_get_daemon_info)
#define MHD_quiesce_daemon              (*p_MHD_quiesce_daemon)
#define MHD_suspend_connection          (*p_MHD_suspend_connection)
#define MHD_resume_connection           (*p_MHD_resume_connection)
#define MHD_get_connection_info         (*p_MHD_get_connection_info)
#define MHD_lookup_connection_value     (*p_MHD_lookup_connection_value)
#define MHD_create_response_from_buffer (*p_MHD_create_response_from_buffer)
#define MHD_add_response_header         (*p_MHD_add_response_header)
#define MHD_queue_response              (*p_MHD_queue_response)
#define MHD_destroy_response            (*p_MHD_destroy_response)

#define CONNECTION_LIMIT   1000
#define CONNECTION_TIMEOUT 30 /* seconds a connection may sit idle */
#define MAX_PEERS          1024

struct peer {
	char addr[64];
	struct srv_bucket bucket;
	uint64_t used_ns;
};

struct srv_front {
	struct server *srv;
	struct MHD_Daemon *d;
	int lfd;
	bool unix_socket, activated;
	char *token; /* --auth-token-file, or NULL */
	uint64_t max_body;
	unsigned max_batch;
	struct srv_http *waiting; /* suspended requests */
	size_t in_flight;         /* requests begun and not completed */
	struct peer peers[MAX_PEERS];
	size_t n_peers;
};

struct srv_http {
	struct srv_http *next, *prev; /* in waiting while suspended */
	struct srv_front *f;
	struct MHD_Connection *conn;
	int fd; /* the connection's socket: watched for a hang-up while suspended */
	struct srv_buf body;
	bool too_large, begun, suspended;
	unsigned status; /* the answer, once there is one */
	char *reply;
	size_t reply_len;
	struct peer *peer;
	const char *type; /* of the answer; NULL: application/json */
};

/* Answers ---------------------------------------------------------------- */

static void unwait(struct srv_http *h)
{
	if (!h->suspended)
		return;
	if (h->prev)
		h->prev->next = h->next;
	else
		h->f->waiting = h->next;
	if (h->next)
		h->next->prev = h->prev;
	h->next = h->prev = NULL;
	h->suspended = false;
	MHD_resume_connection(h->conn);
}

void srv_http_answer(struct srv_http *h, unsigned status, const char *body, size_t len)
{
	if (!h || h->reply)
		return;
	h->reply = malloc(len ? len : 1);
	if (h->reply)
		memcpy(h->reply, body, len);
	h->reply_len = h->reply ? len : 0;
	h->status = status;
	unwait(h);
}

static unsigned http_status(int code)
{
	switch (code) {
	case RPC_RATE_LIMITED: return 429;
	case RPC_QUEUE_FULL:
	case RPC_SHUTTING_DOWN:
	case RPC_TOO_MANY_SESSIONS: return 503;
	case RPC_QUEUE_TIMEOUT: return 408;
	case RPC_UNKNOWN_SESSION: return 404;
	case RPC_TOO_LARGE: return 413;
	default: return 400;
	}
}

static void answer_error(struct srv_http *h, unsigned status, int code, const char *msg)
{
	struct srv_buf b = {0};
	cJSON *m = cJSON_CreateString(msg);
	char *q = m ? cJSON_PrintUnformatted(m) : NULL;
	srv_buf_printf(&b, "{\"error\":{\"code\":%d,\"message\":%s}}", code, q ? q : "\"error\"");
	srv_http_answer(h, status, b.data, b.len);
	cJSON_free(q);
	cJSON_Delete(m);
	srv_buf_free(&b);
}

void srv_http_error(struct srv_http *h, int code, const char *msg)
{
	answer_error(h, http_status(code), code, msg);
}

static enum MHD_Result send_reply(struct srv_http *h)
{
	struct MHD_Response *r =
	    MHD_create_response_from_buffer(h->reply_len, h->reply, MHD_RESPMEM_MUST_FREE);
	if (!r)
		return MHD_NO;
	h->reply = NULL;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	                        h->type ? h->type : "application/json");
	if (h->status == 429)
		MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, "1");
	if (h->status == 401)
		MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
	enum MHD_Result ok = MHD_queue_response(h->conn, h->status, r);
	MHD_destroy_response(r);
	return ok;
}

/* Peers (rate limits) ---------------------------------------------------- */

static struct peer *peer_of(struct srv_front *f, struct MHD_Connection *c)
{
	char addr[64] = "unix";
	const union MHD_ConnectionInfo *ci =
	    f->unix_socket ? NULL : MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
		inet_ntop(AF_INET,
		          &((const struct sockaddr_in *)(const void *)ci->client_addr)->sin_addr,
		          addr, sizeof addr);
	else if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
		          &((const struct sockaddr_in6 *)(const void *)ci->client_addr)->sin6_addr,
		          addr, sizeof addr);
	struct peer *oldest = &f->peers[0];
	for (size_t i = 0; i < f->n_peers; i++) {
		if (strcmp(f->peers[i].addr, addr) == 0) {
			f->peers[i].used_ns = jsb_now_ns();
			return &f->peers[i];
		}
		if (f->peers[i].used_ns < oldest->used_ns)
			oldest = &f->peers[i];
	}
	struct peer *p = f->n_peers < MAX_PEERS ? &f->peers[f->n_peers++] : oldest;
	snprintf(p->addr, sizeof p->addr, "%s", addr);
	srv_bucket_init(f->srv, &p->bucket);
	p->used_ns = jsb_now_ns();
	return p;
}

struct srv_bucket *srv_http_peer(struct srv_http *h, struct srv_batch *batch)
{
	if (!h && batch)
		h = batch->http;
	return h && h->peer ? &h->peer->bucket : NULL;
}

/* Routes ----------------------------------------------------------------- */

/* The request's bearer token, compared in constant time. */
static bool authorized(struct srv_front *f, struct MHD_Connection *c)
{
	if (!f->token)
		return true;
	const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
	if (!auth || strncmp(auth, "Bearer ", 7) != 0)
		return false;
	const char *got = auth + 7;
	size_t want_len = strlen(f->token), got_len = strlen(got);
	unsigned char diff = (unsigned char)(want_len != got_len);
	for (size_t i = 0; i < want_len; i++)
		diff |= (unsigned char)(f->token[i] ^ (i < got_len ? got[i] : 0));
	return diff == 0;
}

/* The body as a JSON object, or an error answered (false). */
static cJSON *json_body(struct srv_http *h)
{
	const char *type =
	    MHD_lookup_connection_value(h->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	if (!type || strncasecmp(type, "application/json", 16) != 0 ||
	    (type[16] && type[16] != ';' && type[16] != ' ')) {
		h->f->srv->m.rejected[RJ_INVALID]++;
		answer_error(h, 415, RPC_INVALID, "the body must be application/json");
		return NULL;
	}
	cJSON *root = NULL;
	if (!jsb_jspan_utf8(h->body.data ? h->body.data : "", h->body.len) ||
	    !(root = cJSON_ParseWithLength(h->body.data ? h->body.data : "", h->body.len))) {
		h->f->srv->m.rejected[RJ_INVALID]++;
		answer_error(h, 400, RPC_PARSE, "the body is not valid JSON");
		return NULL;
	}
	if (!cJSON_IsObject(root)) {
		h->f->srv->m.rejected[RJ_INVALID]++;
		answer_error(h, 400, RPC_INVALID, "the body must be a JSON object");
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

static void execute_one(struct srv_http *h, cJSON *params)
{
	struct srv_target to = {.http = h};
	srv_execute_params(h->f->srv, &to, params);
}

static void execute_batch(struct srv_http *h, const cJSON *body)
{
	const cJSON *jobs = cJSON_GetObjectItemCaseSensitive(body, "jobs");
	int n = cJSON_GetArraySize(jobs);
	if (!cJSON_IsArray(jobs) || n == 0 || (unsigned)n > h->f->max_batch) {
		char msg[96];
		snprintf(msg, sizeof msg, "jobs: must be an array of 1 to %u execute objects",
		         h->f->max_batch);
		answer_error(h, 400, RPC_PARAMS, msg);
		return;
	}
	struct srv_batch *b = calloc(1, sizeof *b);
	if (b)
		b->replies = calloc((size_t)n, sizeof *b->replies);
	if (!b || !b->replies) {
		free(b);
		answer_error(h, 503, RPC_QUEUE_FULL, "out of memory");
		return;
	}
	b->http = h;
	b->n = (size_t)n;
	b->left = (size_t)n + 1;
	size_t slot = 0;
	for (const cJSON *item = jobs->child; item; item = item->next, slot++) {
		struct srv_target to = {.batch = b, .slot = slot};
		srv_execute_params(h->f->srv, &to, item);
	}
	srv_batch_release(b);
}

static void new_session(struct srv_http *h)
{
	unsigned char rnd[12];
	char name[32] = "s-";
	if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd) {
		answer_error(h, 503, RPC_TOO_MANY_SESSIONS, "no randomness for a session id");
		return;
	}
	for (size_t i = 0; i < sizeof rnd; i++)
		snprintf(name + 2 + 2 * i, 3, "%02x", rnd[i]);
	struct srv_session *s = srv_session_open(h->f->srv, name);
	if (!s) {
		srv_http_error(h, RPC_TOO_MANY_SESSIONS, "too many sessions (--max-sessions)");
		return;
	}
	struct srv_buf b = {0};
	srv_session_json(s, &b);
	srv_http_answer(h, 201, b.data, b.len);
	srv_buf_free(&b);
}

/* /v1/sessions/{id}[/execute] */
static void session_route(struct srv_http *h, const char *method, const char *rest)
{
	const char *slash = strchr(rest, '/');
	size_t len = slash ? (size_t)(slash - rest) : strlen(rest);
	char name[128];
	bool execute = slash && strcmp(slash, "/execute") == 0;
	if (!srv_session_name_ok(rest, len) || (slash && !execute)) {
		answer_error(h, 404, RPC_UNKNOWN_SESSION, "no such path");
		return;
	}
	snprintf(name, sizeof name, "%.*s", (int)len, rest);
	struct srv_session *s = srv_session_find(h->f->srv, name);
	if (execute != (strcmp(method, "POST") == 0) ||
	    (!execute && strcmp(method, "GET") && strcmp(method, "DELETE"))) {
		answer_error(h, 405, RPC_INVALID, "method not allowed");
		return;
	}
	if (!s) {
		srv_http_error(h, RPC_UNKNOWN_SESSION, "unknown session");
		return;
	}
	struct srv_buf b = {0};
	if (execute) {
		cJSON *body = json_body(h);
		if (body) {
			cJSON_DeleteItemFromObjectCaseSensitive(body, "session");
			cJSON_AddStringToObject(body, "session", name);
			execute_one(h, body);
			cJSON_Delete(body);
		}
	} else if (method[0] == 'G') {
		srv_session_json(s, &b);
		srv_http_answer(h, 200, b.data, b.len);
	} else {
		srv_session_close(h->f->srv, s);
		srv_http_answer(h, 200, "{\"closed\":true}", 15);
	}
	srv_buf_free(&b);
}

static void route(struct srv_http *h, const char *method, const char *url)
{
	struct server *srv = h->f->srv;
	bool get = strcmp(method, "GET") == 0, post = strcmp(method, "POST") == 0;
	struct srv_buf b = {0};
	if (strcmp(url, "/healthz") == 0 || strcmp(url, "/readyz") == 0) {
		bool ready = url[1] == 'h' || srv_pool_ready(srv);
		if (url[1] == 'h')
			srv_buf_printf(&b, "{\"ok\":true}");
		else
			srv_status_json(srv, &b);
		srv_http_answer(h, get ? (ready ? 200 : 503) : 405, b.data, b.len);
	} else if (!authorized(h->f, h->conn)) {
		srv->m.rejected[RJ_UNAUTHORIZED]++;
		answer_error(h, 401, RPC_INVALID, "a valid bearer token is required");
	} else if (h->too_large) {
		char size[32], msg[96];
		srv->m.rejected[RJ_TOO_LARGE]++;
		jsb_format_size(size, sizeof size, h->f->max_body);
		snprintf(msg, sizeof msg, "the body is over --max-request %s", size);
		answer_error(h, 413, RPC_TOO_LARGE, msg);
	} else if (strcmp(url, "/metrics") == 0 && get) {
		srv_metrics_prometheus(srv, &b);
		h->type = "text/plain; version=0.0.4; charset=utf-8";
		srv_http_answer(h, 200, b.data, b.len);
	} else if ((strcmp(url, "/v1/execute") == 0 || strcmp(url, "/v1/execute/batch") == 0) &&
	           post) {
		cJSON *body = json_body(h);
		if (body && url[11] == '/')
			execute_batch(h, body);
		else if (body)
			execute_one(h, body);
		cJSON_Delete(body);
	} else if (strcmp(url, "/v1/sessions") == 0 && post) {
		new_session(h);
	} else if (strncmp(url, "/v1/sessions/", 13) == 0) {
		session_route(h, method, url + 13);
	} else if (strcmp(url, "/metrics") == 0 || strcmp(url, "/v1/execute") == 0 ||
	           strcmp(url, "/v1/execute/batch") == 0 || strcmp(url, "/v1/sessions") == 0) {
		answer_error(h, 405, RPC_INVALID, "method not allowed");
	} else {
		answer_error(h, 404, RPC_NO_METHOD, "no such path");
	}
	srv_buf_free(&b);
}

/* libmicrohttpd's callbacks ---------------------------------------------- */

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
	struct srv_front *f = cls;
	struct srv_http *h = *con_cls;
	(void)version;
	if (!h) {
		h = calloc(1, sizeof *h);
		if (!h)
			return MHD_NO;
		h->f = f;
		h->conn = c;
		const union MHD_ConnectionInfo *ci =
		    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		h->fd = ci ? ci->connect_fd : -1;
		h->peer = peer_of(f, c);
		f->in_flight++;
		*con_cls = h;
		return MHD_YES;
	}
	if (*upload_size) {
		if (!h->too_large && *upload_size > f->max_body - h->body.len) {
			h->too_large = true;
			srv_buf_free(&h->body);
		}
		if (!h->too_large)
			srv_buf_add(&h->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	if (!h->begun) {
		h->begun = true;
		route(h, method, url);
	}
	if (h->reply || h->status)
		return send_reply(h);
	/* Its job answers later: wait, watched for a hang-up. */
	h->suspended = true;
	h->next = f->waiting;
	if (f->waiting)
		f->waiting->prev = h;
	f->waiting = h;
	MHD_suspend_connection(c);
	return MHD_YES;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode why)
{
	struct srv_front *f = cls;
	struct srv_http *h = *con_cls;
	(void)c;
	(void)why;
	if (!h)
		return;
	srv_pool_forget(f->srv, NULL, h); /* its queued job is cancelled */
	if (h->suspended) {
		/* never: a suspended request is resumed before it can end */
		h->suspended = false;
	}
	f->in_flight--;
	srv_buf_free(&h->body);
	free(h->reply);
	free(h);
	*con_cls = NULL;
}

/* Start and the loop ----------------------------------------------------- */

static bool loopback(const struct sockaddr_storage *a)
{
	if (a->ss_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)(const void *)a)->sin_addr.s_addr) >>
		        24) == 127;
	if (a->ss_family == AF_INET6)
		return IN6_IS_ADDR_LOOPBACK(
		    &((const struct sockaddr_in6 *)(const void *)a)->sin6_addr);
	return true;
}

/* HOST:PORT or [HOST]:PORT -> address; false when it is not one. */
static bool parse_addr(const char *text, struct sockaddr_storage *a, socklen_t *len)
{
	char host[128];
	const char *colon = strrchr(text, ':');
	if (!colon || colon == text || (size_t)(colon - text) >= sizeof host)
		return false;
	snprintf(host, sizeof host, "%.*s", (int)(colon - text), text);
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (!colon[1] || *end || port < 0 || port > 65535)
		return false;
	memset(a, 0, sizeof *a);
	struct sockaddr_in *v4 = (struct sockaddr_in *)(void *)a;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)(void *)a;
	size_t hl = strlen(host);
	if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
		host[hl - 1] = '\0';
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		*len = sizeof *v6;
		return inet_pton(AF_INET6, host + 1, &v6->sin6_addr) == 1;
	}
	v4->sin_family = AF_INET;
	v4->sin_port = htons((uint16_t)port);
	*len = sizeof *v4;
	return inet_pton(AF_INET, strcmp(host, "localhost") == 0 ? "127.0.0.1" : host,
	                 &v4->sin_addr) == 1;
}

/* The token file's first line; NULL (with the reason printed) when it
 * cannot be read or is empty. */
static char *read_token(const char *path)
{
	FILE *fp = fopen(path, "re");
	char buf[4096];
	if (!fp || !fgets(buf, sizeof buf, fp)) {
		jsb_error("usage", "--auth-token-file %s: %s", path,
		          fp ? "empty" : strerror(errno));
		if (fp)
			fclose(fp);
		return NULL;
	}
	fclose(fp);
	buf[strcspn(buf, "\r\n")] = '\0';
	if (strlen(buf) < 16) {
		jsb_error("usage", "--auth-token-file %s: the token must be at least 16 characters",
		          path);
		return NULL;
	}
	return strdup(buf);
}

static int bind_front(const struct jsb_serve_opts *o, bool *unix_socket, bool *local,
                      bool *activated)
{
	const char *spec = o->http;
	const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
	if (!o->listen && pid && fds && strtol(pid, NULL, 10) == (long)getpid() &&
	    strtol(fds, NULL, 10) >= 1) {
		/* systemd's socket: whoever set it up chose who may reach it. */
		unsetenv("LISTEN_PID");
		unsetenv("LISTEN_FDS");
		struct sockaddr_storage a;
		socklen_t len = sizeof a;
		if (getsockname(3, (struct sockaddr *)&a, &len) != 0) {
			jsb_error("usage", "LISTEN_FDS: descriptor 3 is not a socket");
			return -1;
		}
		*unix_socket = a.ss_family == AF_UNIX;
		*local = a.ss_family == AF_UNIX || loopback(&a);
		*activated = true;
		fcntl(3, F_SETFD, FD_CLOEXEC);
		return 3;
	}
	if (strncmp(spec, "unix:", 5) == 0) {
		*unix_socket = *local = true;
		int fd = srv_bind_unix(spec + 5, o->socket_mode, 0);
		if (fd < 0)
			jsb_error("usage", "--http %s: %s", spec, strerror(errno));
		return fd;
	}
	struct sockaddr_storage a;
	socklen_t len;
	if (!parse_addr(spec, &a, &len)) {
		jsb_error("usage", "--http: '%s' is not HOST:PORT, [HOST]:PORT or unix:PATH", spec);
		return -1;
	}
	*local = loopback(&a);
	int fd = socket(a.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, len) != 0 || listen(fd, 512) != 0) {
		jsb_error("usage", "--http %s: %s", spec, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

struct srv_front *srv_http_start(struct server *srv)
{
	const struct jsb_serve_opts *o = srv->o;
	if (!load_mhd())
		return NULL;
	struct srv_front *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	bool local = false;
	f->srv = srv;
	f->max_body = o->max_request ? o->max_request : 1u << 20;
	f->max_batch = o->max_batch ? o->max_batch : 20;
	if (o->auth_token_file && !(f->token = read_token(o->auth_token_file)))
		goto fail;
	if ((f->lfd = bind_front(o, &f->unix_socket, &local, &f->activated)) < 0)
		goto fail;
	if (!local && !f->token) {
		jsb_error("usage",
		          "--http %s: only loopback or a Unix socket may listen without "
		          "--auth-token-file",
		          o->http);
		goto fail;
	}
	fcntl(f->lfd, F_SETFL, fcntl(f->lfd, F_GETFL) | O_NONBLOCK);
	f->d = MHD_start_daemon(MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME, 0, NULL, NULL, on_request,
	                        f, MHD_OPTION_LISTEN_SOCKET, f->lfd, MHD_OPTION_NOTIFY_COMPLETED,
	                        on_completed, f, MHD_OPTION_CONNECTION_LIMIT,
	                        (unsigned)CONNECTION_LIMIT, MHD_OPTION_CONNECTION_TIMEOUT,
	                        (unsigned)CONNECTION_TIMEOUT, MHD_OPTION_END);
	if (!f->d) {
		jsb_error("internal error", "cannot start the HTTP server on %s", o->http);
		close(f->lfd);
		goto fail;
	}
	return f;
fail:
	free(f->token);
	free(f);
	return NULL;
}

size_t srv_http_fds(struct srv_front *f, struct pollfd *p)
{
	size_t n = 0;
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(f->d, MHD_DAEMON_INFO_EPOLL_FD);
	p[n++] = (struct pollfd){.fd = di ? di->epoll_fd : -1, .events = POLLIN};
	for (struct srv_http *h = f->waiting; h; h = h->next)
		p[n++] = (struct pollfd){.fd = h->fd, .events = POLLRDHUP};
	return n;
}

void srv_http_step(struct srv_front *f, const struct pollfd *p, size_t n)
{
	/* A client that hung up while its job waited: the job is cancelled
	 * (or its result dropped) and the connection ends. */
	size_t i = 1;
	for (struct srv_http *h = f->waiting, *next; h && i < n; h = next, i++) {
		next = h->next;
		if (p[i].fd == h->fd && (p[i].revents & (POLLRDHUP | POLLHUP | POLLERR))) {
			srv_pool_forget(f->srv, NULL, h);
			answer_error(h, 503, RPC_SHUTTING_DOWN, "the client went away");
		}
	}
	MHD_run(f->d);
}

uint64_t srv_http_until(struct srv_front *f, uint64_t now)
{
	MHD_UNSIGNED_LONG_LONG ms;
	if (MHD_get_timeout(f->d, &ms) == MHD_YES)
		return now + (uint64_t)ms * 1000000u;
	return now + 1000 * 1000000ull;
}

void srv_http_drain(struct srv_front *f)
{
	int fd = MHD_quiesce_daemon(f->d);
	if (fd >= 0)
		close(fd);
	f->lfd = -1;
}

bool srv_http_busy(const struct srv_front *f)
{
	return f->in_flight > 0;
}

void srv_http_stop(struct srv_front *f)
{
	if (!f)
		return;
	while (f->waiting)
		unwait(f->waiting);
	MHD_stop_daemon(f->d);
	if (f->lfd >= 0)
		close(f->lfd);
	if (f->unix_socket && !f->activated && strncmp(f->srv->o->http, "unix:", 5) == 0)
		unlink(f->srv->o->http + 5);
	free(f->token);
	free(f);
}
