/* Interactive sessions: the parent side (start the confined evaluator, send
 * requests, relay replies, enforce each request's deadline, replace an
 * evaluator that died or had to be killed) and the evaluator's request loop.
 * The parent never runs script code; the evaluator never opens a file. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/jsbox.h"
#include "common/parse.h"
#include "engine/confined/bridge.h"
#include "engine/confined/inspect.h"
#include "engine/confined/modern/modern.h"
#include "engine/confined/run.h"
#include "engine/confined/timers.h"
#include "engine/session.h"
#include "engine/trusted/confine.h"

/* Past a request's deadline the evaluator gets this long to stop by itself
 * before it is killed (stuck in C code). */
#define GRACE_NS (50 * 1000000ull)
/* The evaluator arms its deadline when it reads the request: it may start
 * this much after the parent sent it, never more. */
#define RECEIPT_NS (50 * 1000000ull)
/* After Ctrl-C: SIGINT is repeated this often, and the evaluator killed
 * when it has not stopped within INTERRUPT_GRACE_NS. */
#define INTERRUPT_REPEAT_NS (50 * 1000000ull)
#define INTERRUPT_GRACE_NS  (500 * 1000000ull)
/* CPU seconds of a whole session: the per-request deadline is the parent's
 * wall-clock kill; this only backs it up. */
#define SESSION_CPU_MS (3600u * 1000u)
/* A heap still this full after collecting is not worth keeping. */
#define KEEP_HEAP_PERCENT 75
#define MAX_COMPLETIONS   500

static volatile sig_atomic_t got_sigint;

static void on_sigint(int sig)
{
	(void)sig;
	got_sigint = 1;
}

struct jsb_session {
	struct jsb_job job;
	struct jsb_policy jail_policy;
	struct jsb_job jail_job;
	pid_t pid;
	int req_fd, out_fd;
	struct jsb_shared *sh;
	char *input; /* the JSON bound to `input`, re-sent to a fresh evaluator */
	size_t input_len;
	char input_name[256];
	/* reply being read */
	struct jsb_frames frames;
	bool replied; /* its status frame is complete */
	char data[64 * 1024];
	size_t data_len;
	unsigned char status[2];
	size_t status_len;
	int start_code; /* why the last start failed */
};

/* ---- the evaluator ---------------------------------------------------- */

static struct jsb_eval ev;
static struct jsb_job line_job; /* ev.job: the session's job with this request's source */
static double cpu_start_ms;

static double cpu_ms(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static bool read_full(int fd, void *buf, size_t len)
{
	char *p = buf;
	while (len) {
		ssize_t r = read(fd, p, len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		p += r;
		len -= (size_t)r;
	}
	return true;
}

/* Ends a request: its data (stats), then the status frame. */
static void reply(int code, enum jsb_reply kind)
{
	char stats[160];
	int n = snprintf(stats, sizeof stats, "%llu %llu %llu %.3f",
	                 (unsigned long long)ev.heap.used, (unsigned long long)ev.heap.peak,
	                 (unsigned long long)ev.heap.limit, cpu_ms() - cpu_start_ms);
	if (n > 0)
		jsb_out_raw(&ev.out, JSB_CH_STATS, stats, (size_t)n);
	char status[2] = {(char)code, (char)kind};
	jsb_out_raw(&ev.out, JSB_CH_STATUS, status, 2);
	jsb_out_flush(&ev.out);
}

/* Every request starts with no stop reason, a fresh output budget and
 * its own deadline. */
static void begin_request(void)
{
	jsb_limits_reset(&ev.limits);
	ev.out.used = 0;
	ev.heap.refusals = 0;
	ev.heap.episodes = 0;
	ev.heap.refused_size = 0;
	ev.heap.peak = ev.heap.used;
	cpu_start_ms = cpu_ms();
	jsb_limits_arm(&ev.limits, line_job.policy->timeout_ms);
}

static bool starts_with_brace(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n'))
		i++;
	return i < len && s[i] == '{';
}

/* A syntax error at the end of the input means the user has not finished
 * (Duktape and the transpiler: "... (line N, end of input)"). */
static bool ended_early(duk_context *ctx)
{
	if (!duk_is_error(ctx, -1))
		return false;
	duk_get_prop_string(ctx, -1, "message");
	const char *msg = duk_safe_to_string(ctx, -1);
	size_t len = strlen(msg);
	static const char tail[] = "end of input)";
	bool early = len >= sizeof tail - 1 && strcmp(msg + len - (sizeof tail - 1), tail) == 0;
	duk_pop(ctx);
	return early;
}

/* Whether the error on top of the stack is a SyntaxError. */
static bool syntax_error(duk_context *ctx)
{
	duk_get_prop_string(ctx, -1, "name");
	bool syntax = strcmp(duk_safe_to_string(ctx, -1), "SyntaxError") == 0;
	duk_pop(ctx);
	return syntax;
}

/* [ ] -> [ code ]: the line in parentheses, so that `{a: 1}` is an object. */
static void push_wrapped(duk_context *ctx)
{
	duk_push_string(ctx, "(");
	duk_push_lstring(ctx, line_job.source, line_job.source_len);
	duk_push_string(ctx, "\n)");
	duk_concat(ctx, 3);
}

/* [ ] -> [ function ] as ES5, or [ error ] (0 = compiled). */
static int compile_es5(duk_context *ctx, bool wrapped)
{
	if (wrapped)
		push_wrapped(ctx);
	else
		duk_push_lstring(ctx, line_job.source, line_job.source_len);
	duk_push_string(ctx, line_job.source_name);
	return duk_pcompile(ctx, DUK_COMPILE_EVAL);
}

/* The same, in parentheses first when the line opens with a brace. */
static int compile_es5_line(duk_context *ctx, bool brace)
{
	if (brace && compile_es5(ctx, true) == 0)
		return 0;
	if (brace)
		duk_pop(ctx);
	return compile_es5(ctx, false);
}

/* [ ] -> [ function ]: the wrapped line through the transpiler. */
static duk_ret_t transpile_wrapped(duk_context *ctx, void *udata)
{
	(void)udata;
	duk_push_undefined(ctx);
	push_wrapped(ctx);
	/* [ undefined code ] */
	duk_size_t len;
	const char *code = duk_get_lstring(ctx, -1, &len);
	duk_insert(ctx, -2);
	/* [ code undefined ]: the code stays referenced while it is transpiled */
	jsb_modern_compile_line(ctx, &ev, code, len);
	return 1;
}

/* [ ] -> [ function ].  `{a: 1}` is an object, as in node: try the code in
 * parentheses first when it opens with a brace.  As in file mode, only a
 * line Duktape cannot compile (or must not: jsb_modern_needed) goes to the
 * transpiler; one that Duktape sees end early asks for more input. */
static duk_ret_t compile_line(duk_context *ctx, void *udata)
{
	(void)udata;
	const char *src = line_job.source;
	size_t len = line_job.source_len;
	bool brace = starts_with_brace(src, len);
	bool modern = jsb_modern_needed(src, len);
	if (!modern && compile_es5_line(ctx, brace) == 0) {
		jsb_modern_polyfill(ctx, src, len, false);
		return 1;
	}
	if (!modern && (!syntax_error(ctx) || ended_early(ctx)))
		return duk_throw(ctx);
	if (modern)
		duk_push_undefined(ctx);
	/* [ err ] */
	if (brace && duk_safe_call(ctx, transpile_wrapped, NULL, 0, 1) == DUK_EXEC_SUCCESS)
		return 1;
	if (brace)
		duk_pop(ctx);
	return jsb_modern_compile_line(ctx, &ev, src, len);
}

/* [ function ] -> [ completion value ], pending promise jobs run. */
static duk_ret_t call_line(duk_context *ctx, void *udata)
{
	(void)udata;
	duk_call(ctx, 0);
	jsb_modern_drain(ctx);
	return 1;
}

/* [ value ] -> [ value ]: `_` set, the value printed as node would. */
static duk_ret_t show_result(duk_context *ctx, void *udata)
{
	(void)udata;
	struct jsb_strbuf b = {.heap = &ev.heap};
	struct jsb_inspect_opts opts = {.depth = 2, .color = (line_job.flags & JSB_JOB_COLOR) != 0};
	duk_dup(ctx, -1);
	duk_put_global_string(ctx, "_");
	jsb_inspect(ctx, -1, &b, &opts);
	jsb_strbuf_add(&b, "\n", 1);
	if (b.failed) {
		jsb_strbuf_free(&b);
		return duk_error(ctx, DUK_ERR_RANGE_ERROR, "out of memory showing the result");
	}
	bool ok = jsb_bridge_write(&ev.out, JSB_CH_STDOUT, b.data, b.len, JSB_LONE_REPLACE);
	jsb_strbuf_free(&b);
	if (!ok)
		return duk_error(ctx, DUK_ERR_RANGE_ERROR, "output limit exceeded");
	return 1;
}

static duk_ret_t keep_error(duk_context *ctx, void *udata)
{
	(void)udata;
	duk_dup(ctx, -1);
	duk_put_global_string(ctx, "_error");
	return 1;
}

/* After running out of memory: collect, and keep the heap if that freed
 * enough, else say it is lost (the evaluator then exits for a fresh one). */
static enum jsb_reply recover_heap(void)
{
	begin_request();
	duk_set_top(ev.ctx, 0);
	duk_gc(ev.ctx, 0);
	duk_gc(ev.ctx, 0);
	if (ev.heap.used > ev.heap.limit / 100 * KEEP_HEAP_PERCENT)
		return JSB_REPLY_HEAP_LOST;
	return JSB_REPLY_HEAP_KEPT;
}

static int eval_line(enum jsb_reply *kind)
{
	duk_context *ctx = ev.ctx;
	int rc;
	if (duk_safe_call(ctx, compile_line, NULL, 0, 1) != DUK_EXEC_SUCCESS) {
		if (ev.limits.stop == JSB_STOP_NONE && ended_early(ctx)) {
			*kind = JSB_REPLY_INCOMPLETE;
			return JSB_EXIT_OK;
		}
		rc = jsb_run_report(&ev);
	} else {
		rc = jsb_run_protect(&ev, call_line, 1);
	}
	if (rc == JSB_EXIT_OK && ev.timers)
		rc = jsb_timers_drain(&ev);
	if (rc == JSB_EXIT_OK)
		rc = jsb_run_protect(&ev, show_result, 1);
	if (rc != JSB_EXIT_OK)
		duk_safe_call(ctx, keep_error, NULL, 1, 1);
	return rc;
}

static int bind_input(const char *payload, size_t len)
{
	char err[512];
	size_t name_len = strnlen(payload, len);
	if (name_len == len)
		return JSB_EXIT_INTERNAL;
	const char *json = payload + name_len + 1;
	enum jsb_parse_status st = jsb_bridge_parse(ev.ctx, &ev.heap, &ev.out, json,
	                                            len - name_len - 1, payload, err, sizeof err);
	if (st == JSB_PARSE_MEMORY) {
		char size[32];
		jsb_format_size(size, sizeof size, ev.heap.limit);
		jsb_out_error(&ev.out, "memory limit exceeded", "%s", size);
		return JSB_EXIT_MEMORY;
	}
	if (st == JSB_PARSE_INVALID) {
		jsb_out_error(&ev.out, "usage", "%s", err);
		return JSB_EXIT_USAGE;
	}
	duk_put_global_string(ev.ctx, "input");
	return JSB_EXIT_OK;
}

static bool is_ident_char(char c)
{
	return c == '_' || c == '$' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (unsigned char)c >= 0x80;
}

/* [ obj ] -> [ obj value ] when obj or its prototypes hold `key` as a data
 * property; an accessor (a getter would run) or a missing key -> false,
 * stack unchanged.  Duktape has no getOwnPropertyDescriptor trap, so no
 * proxy code runs either. */
static bool data_property(duk_context *ctx, const char *key, size_t len)
{
	duk_dup(ctx, -1);
	for (int hops = 0; hops < 64 && duk_is_object(ctx, -1); hops++) {
		duk_push_lstring(ctx, key, len);
		duk_get_prop_desc(ctx, -2, 0);
		/* [ obj cur desc ] */
		if (duk_is_object(ctx, -1)) {
			bool accessor = duk_has_prop_string(ctx, -1, "get");
			if (!accessor)
				duk_get_prop_string(ctx, -1, "value");
			else
				duk_push_undefined(ctx);
			duk_replace(ctx, -3);
			duk_pop(ctx);
			if (accessor) {
				duk_pop(ctx);
				return false;
			}
			return true;
		}
		duk_pop(ctx);
		duk_get_prototype(ctx, -1);
		duk_replace(ctx, -2);
	}
	duk_pop(ctx);
	return false;
}

/* Names of obj and its prototypes starting with prefix, into b. */
static void list_names(duk_context *ctx, const char *prefix, size_t len, struct jsb_strbuf *b)
{
	unsigned n = 0;
	duk_dup(ctx, -1);
	for (int hops = 0; hops < 64 && duk_is_object(ctx, -1) && n < MAX_COMPLETIONS; hops++) {
		duk_enum(ctx, -1,
		         DUK_ENUM_OWN_PROPERTIES_ONLY | DUK_ENUM_INCLUDE_NONENUMERABLE |
		             DUK_ENUM_NO_PROXY_BEHAVIOR);
		while (n < MAX_COMPLETIONS && duk_next(ctx, -1, 0)) {
			duk_size_t klen;
			const char *k = duk_get_lstring(ctx, -1, &klen);
			if (k && klen >= len && memcmp(k, prefix, len) == 0) {
				jsb_strbuf_add(b, k, klen);
				jsb_strbuf_add(b, "\n", 1);
				n++;
			}
			duk_pop(ctx);
		}
		duk_pop(ctx);
		duk_get_prototype(ctx, -1);
		duk_replace(ctx, -2);
	}
	duk_pop(ctx);
}

/* [ ] -> [ undefined ], the completions of line_job.source written out. */
static duk_ret_t complete_path(duk_context *ctx, void *udata)
{
	(void)udata;
	const char *path = line_job.source, *end = path + line_job.source_len;
	const char *last = end;
	while (last > path && last[-1] != '.')
		last--;
	duk_push_global_object(ctx);
	for (const char *p = path; p < last;) {
		const char *dot = memchr(p, '.', (size_t)(last - p));
		size_t seg = (size_t)(dot - p);
		for (size_t i = 0; i < seg; i++)
			if (!is_ident_char(p[i]))
				return 0;
		if (seg == 0 || !data_property(ctx, p, seg))
			return 0;
		duk_replace(ctx, -2);
		if (!duk_is_object(ctx, -1)) {
			if (duk_is_null_or_undefined(ctx, -1))
				return 0;
			duk_to_object(ctx, -1); /* a primitive's methods */
		}
		p = dot + 1;
	}
	struct jsb_strbuf b = {.heap = &ev.heap};
	list_names(ctx, last, (size_t)(end - last), &b);
	if (!b.failed && b.len)
		jsb_out_raw(&ev.out, JSB_CH_STATS, b.data, b.len);
	jsb_strbuf_free(&b);
	return 0;
}

static void serve_request(char type, char *payload, size_t len)
{
	enum jsb_reply kind = JSB_REPLY_DONE;
	int rc = JSB_EXIT_OK;
	line_job.source = payload;
	line_job.source_len = len;
	begin_request();
	if (type == JSB_REQ_EVAL)
		rc = eval_line(&kind);
	else if (type == JSB_REQ_INPUT)
		rc = bind_input(payload, len);
	else if (type == JSB_REQ_COMPLETE)
		duk_safe_call(ev.ctx, complete_path, NULL, 0, 1);
	duk_set_top(ev.ctx, 0);
	if (rc == JSB_EXIT_MEMORY || ev.limits.stop == JSB_STOP_MEMORY)
		kind = recover_heap();
	jsb_out_flush(&ev.out);
	reply(rc, kind);
	if (kind == JSB_REPLY_HEAP_LOST)
		_exit(JSB_EXIT_MEMORY);
}

/* Reads one request into a budgeted buffer; false when the parent is gone. */
static bool next_request(int fd)
{
	unsigned char h[JSB_FRAME_HEADER];
	if (!read_full(fd, h, sizeof h))
		return false;
	size_t len = (size_t)h[1] | (size_t)h[2] << 8 | (size_t)h[3] << 16 | (size_t)h[4] << 24;
	char *payload = jsb_heap_alloc(&ev.heap, len + 1);
	if (!payload) {
		char sink[4096];
		while (len) {
			size_t n = len < sizeof sink ? len : sizeof sink;
			if (!read_full(fd, sink, n))
				return false;
			len -= n;
		}
		char size[32];
		jsb_format_size(size, sizeof size, ev.heap.limit);
		jsb_out_error(&ev.out, "memory limit exceeded", "%s", size);
		reply(JSB_EXIT_MEMORY, JSB_REPLY_DONE);
		return true;
	}
	bool ok = read_full(fd, payload, len);
	if (ok) {
		payload[len] = '\0';
		serve_request((char)h[0], payload, len);
	}
	jsb_heap_free(&ev.heap, payload);
	return ok;
}

void jsb_session_serve(const struct jsb_job *job, int req_fd, int out_fd, struct jsb_shared *shared)
{
	line_job = *job;
	line_job.input_fd = -1;
	cpu_start_ms = cpu_ms();
	int rc = jsb_run_open(&ev, &line_job, out_fd, -1, shared);
	if (rc == JSB_EXIT_OK)
		rc = jsb_run_bind(&ev);
	if (ev.ctx)
		duk_set_top(ev.ctx, 0);
	reply(rc, JSB_REPLY_DONE);
	if (rc != JSB_EXIT_OK)
		_exit(rc);
	while (next_request(req_fd))
		;
	_exit(JSB_EXIT_OK);
}

/* ---- the parent ------------------------------------------------------- */

enum ending { END_REPLY, END_DIED, END_TIMEOUT, END_INTERRUPT };

static void deliver(void *ctx, int channel, const char *data, size_t len, bool last)
{
	struct jsb_session *s = ctx;
	if (channel == JSB_CH_STATUS) {
		s->replied = last;
		size_t n =
		    len < sizeof s->status - s->status_len ? len : sizeof s->status - s->status_len;
		memcpy(s->status + s->status_len, data, n);
		s->status_len += n;
		return;
	}
	if (channel == JSB_CH_STATS) {
		size_t n =
		    len < sizeof s->data - 1 - s->data_len ? len : sizeof s->data - 1 - s->data_len;
		memcpy(s->data + s->data_len, data, n);
		s->data_len += n;
		s->data[s->data_len] = '\0';
		return;
	}
	int fd = channel == JSB_CH_STDOUT ? STDOUT_FILENO : STDERR_FILENO;
	while (len) {
		ssize_t w = write(fd, data, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return;
		data += w;
		len -= (size_t)w;
	}
}

/* Splits what was read into frames; true once the status frame is complete
 * (nothing follows a status within a request). */
static bool consume(struct jsb_session *s, const char *buf, size_t len)
{
	jsb_frames_feed(&s->frames, buf, len, deliver, s);
	return s->replied;
}

/* When the evaluator must have answered: its published deadline (never
 * later than the request's own bound) plus the grace. */
static uint64_t hard_deadline(const struct jsb_session *s, uint64_t sent_at)
{
	uint64_t bound = sent_at + s->job.policy->timeout_ms * 1000000u + RECEIPT_NS;
	uint64_t d = s->sh->deadline_ns;
	if (d == 0 || d > bound)
		d = bound;
	return d + GRACE_NS;
}

/* Relays the reply to one request, within its deadline; Ctrl-C meanwhile
 * is passed on as SIGINT. */
static enum ending await_reply(struct jsb_session *s, uint64_t sent_at)
{
	uint64_t interrupt_at = 0, signalled_at = 0;
	for (;;) {
		uint64_t now = jsb_now_ns(), until = hard_deadline(s, sent_at);
		if (got_sigint && !interrupt_at)
			interrupt_at = now + INTERRUPT_GRACE_NS;
		if (interrupt_at && now - signalled_at >= INTERRUPT_REPEAT_NS) {
			kill(s->pid, SIGINT);
			signalled_at = now;
		}
		if (interrupt_at && now >= interrupt_at)
			return END_INTERRUPT;
		if (now >= until)
			return END_TIMEOUT;
		uint64_t wait_ns =
		    until - now < INTERRUPT_REPEAT_NS ? until - now : INTERRUPT_REPEAT_NS;
		struct timespec ts = {0, (long)wait_ns};
		struct pollfd p = {.fd = s->out_fd, .events = POLLIN};
		if (ppoll(&p, 1, &ts, NULL) <= 0)
			continue;
		char buf[65536];
		ssize_t n = read(s->out_fd, buf, sizeof buf);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return END_DIED;
		if (consume(s, buf, (size_t)n))
			return END_REPLY;
	}
}

static void stop_evaluator(struct jsb_session *s, int *status)
{
	*status = 0;
	if (s->pid > 0) {
		kill(s->pid, SIGKILL);
		while (waitpid(s->pid, status, 0) < 0 && errno == EINTR)
			;
	}
	s->pid = 0;
	if (s->req_fd >= 0)
		close(s->req_fd);
	if (s->out_fd >= 0)
		close(s->out_fd);
	s->req_fd = s->out_fd = -1;
}

static void evaluator(struct jsb_session *s, int req_fd, int out_fd)
{
	struct jsb_jail jail = {out_fd, req_fd, -1, s->sh};
	setpgid(0, 0); /* Ctrl-C reaches the parent only, which decides */
	jsb_confine_enter(&s->jail_job, &jail);
	jsb_session_serve(&s->job, req_fd, out_fd, s->sh);
}

static bool send_request(struct jsb_session *s, char type, const char *a, size_t alen,
                         const char *b, size_t blen)
{
	size_t len = alen + blen;
	unsigned char h[JSB_FRAME_HEADER] = {(unsigned char)type, (unsigned char)len,
	                                     (unsigned char)(len >> 8), (unsigned char)(len >> 16),
	                                     (unsigned char)(len >> 24)};
	const char *parts[3] = {(const char *)h, a, b};
	size_t lens[3] = {sizeof h, alen, blen};
	for (int i = 0; i < 3; i++) {
		const char *p = parts[i];
		size_t left = lens[i];
		while (left) {
			ssize_t w = write(s->req_fd, p, left);
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return false;
			p += w;
			left -= (size_t)w;
		}
	}
	return true;
}

static void describe_death(const struct jsb_session *s, int status)
{
	if (s->sh->blocked_syscall > 0)
		jsb_error("blocked system call",
		          "%s: the evaluator was stopped; a fresh one was started, state was lost",
		          jsb_confine_syscall_name(s->sh->blocked_syscall - 1));
	else if (WIFEXITED(status) && WEXITSTATUS(status) == JSB_EXIT_MEMORY)
		jsb_error(
		    "memory limit exceeded",
		    "the heap could not be recovered: a fresh one was created, state was lost");
	else if (WIFSIGNALED(status))
		jsb_error("internal error",
		          "the evaluator died (%s): a fresh one was started, state was lost",
		          strsignal(WTERMSIG(status)));
	else
		jsb_error("internal error",
		          "the evaluator died (exit %d): a fresh one was started, state was lost",
		          WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

static enum ending request(struct jsb_session *s, char type, const char *a, size_t alen,
                           const char *b, size_t blen, struct jsb_session_result *res);

static bool start(struct jsb_session *s)
{
	int req[2], out[2];
	if (pipe2(req, O_CLOEXEC) != 0)
		return false;
	if (pipe2(out, O_CLOEXEC) != 0) {
		close(req[0]);
		close(req[1]);
		return false;
	}
	fflush(NULL);
	s->sh->deadline_ns = 0;
	s->sh->blocked_syscall = 0;
	pid_t pid = fork();
	if (pid < 0) {
		close(req[0]);
		close(req[1]);
		close(out[0]);
		close(out[1]);
		return false;
	}
	if (pid == 0) {
		close(req[1]);
		close(out[0]);
		evaluator(s, req[0], out[1]);
	}
	close(req[0]);
	close(out[1]);
	s->pid = pid;
	s->req_fd = req[1];
	s->out_fd = out[0];
	s->frames = (struct jsb_frames){0};
	s->replied = false;
	s->status_len = s->data_len = 0;
	/* The ready status: setup counts against a deadline like a request. */
	enum ending end = await_reply(s, jsb_now_ns());
	if (end != END_REPLY || s->status[0] != JSB_EXIT_OK) {
		int status = 0;
		if (end == END_DIED) { /* it closed its pipe: it is exiting */
			while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
				;
			s->pid = 0;
		}
		int ignored;
		stop_evaluator(s, &ignored);
		if (end == END_REPLY)
			s->start_code = s->status[0];
		else if (end == END_DIED && WIFEXITED(status) && WEXITSTATUS(status) != 0)
			s->start_code = WEXITSTATUS(status);
		else
			s->start_code = JSB_EXIT_INTERNAL;
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
	int status;
	stop_evaluator(s, &status);
	if (start(s))
		return true;
	jsb_error("internal error", "cannot start a fresh evaluator: %s", strerror(errno));
	return false;
}

/* Passes on what the dead evaluator had still written or only buffered
 * (stuck in native code, or crashed): nothing it printed is lost.  Buffered
 * frames only between frames: one cut short in the pipe cannot resume. */
static void salvage(struct jsb_session *s)
{
	char buf[65536];
	ssize_t n;
	while ((n = read(s->out_fd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			consume(s, buf, (size_t)n);
	size_t len = jsb_out_pending(&s->sh->pending);
	if (len && s->frames.left == 0 && s->frames.head_len == 0)
		consume(s, s->sh->pending.data, len);
}

/* After an ending other than a reply: say what happened, start afresh. */
static void replace(struct jsb_session *s, enum ending end, struct jsb_session_result *res)
{
	char text[32];
	int status = 0;
	if (end != END_DIED)
		kill(s->pid, SIGKILL);
	while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
		;
	s->pid = 0;
	salvage(s);
	if (end == END_DIED) {
		describe_death(s, status);
		res->code = WIFEXITED(status) && WEXITSTATUS(status) == JSB_EXIT_MEMORY
		                ? JSB_EXIT_MEMORY
		                : JSB_EXIT_INTERNAL;
	}
	stop_evaluator(s, &status);
	if (end == END_TIMEOUT) {
		jsb_format_duration(text, sizeof text, s->job.policy->timeout_ms);
		jsb_error("time limit exceeded",
		          "%s; the evaluator was stuck in native code and was replaced, state was "
		          "lost",
		          text);
		res->code = JSB_EXIT_TIMEOUT;
	} else if (end == END_INTERRUPT) {
		jsb_error("interrupted",
		          "the evaluator did not stop and was replaced, state was lost");
		res->code = JSB_EXIT_INTERRUPT;
	}
	res->restarted = true;
	if (!start(s))
		jsb_error("internal error", "cannot start a fresh evaluator: %s", strerror(errno));
}

static void parse_stats(const struct jsb_session *s, struct jsb_session_result *res)
{
	unsigned long long used = 0, peak = 0, limit = 0;
	double cpu = 0;
	if (sscanf(s->data, "%llu %llu %llu %lf", &used, &peak, &limit, &cpu) == 4) {
		res->heap_used = used;
		res->heap_peak = peak;
		res->heap_limit = limit;
		res->cpu_ms = cpu;
	}
}

static enum ending request(struct jsb_session *s, char type, const char *a, size_t alen,
                           const char *b, size_t blen, struct jsb_session_result *res)
{
	struct sigaction sa = {.sa_handler = on_sigint}, old;
	*res = (struct jsb_session_result){0};
	if (s->pid <= 0 && !start(s)) {
		res->code = JSB_EXIT_INTERNAL;
		return END_DIED;
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old);
	got_sigint = 0;
	s->frames = (struct jsb_frames){0};
	s->replied = false;
	s->status_len = s->data_len = 0;
	s->data[0] = '\0';
	s->sh->deadline_ns = 0;
	uint64_t sent_at = jsb_now_ns();
	enum ending end =
	    send_request(s, type, a, alen, b, blen) ? await_reply(s, sent_at) : END_DIED;
	res->wall_ms = (double)(jsb_now_ns() - sent_at) / 1e6;
	sigaction(SIGINT, &old, NULL);
	got_sigint = 0;
	if (end == END_REPLY) {
		parse_stats(s, res);
		res->code = s->status[0];
		res->incomplete = s->status_len > 1 && s->status[1] == JSB_REPLY_INCOMPLETE;
		res->heap_kept = s->status_len > 1 && s->status[1] == JSB_REPLY_HEAP_KEPT;
		if (s->status_len > 1 && s->status[1] == JSB_REPLY_HEAP_LOST)
			replace(s, END_DIED, res);
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
	s->req_fd = s->out_fd = -1;
	s->job = *job;
	s->job.input_fd = -1;
	s->job.source_name = "<repl>";
	s->jail_policy = *job->policy;
	s->jail_policy.timeout_ms = SESSION_CPU_MS;
	s->jail_job = s->job;
	s->jail_job.policy = &s->jail_policy;
	s->sh =
	    mmap(NULL, sizeof *s->sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	signal(SIGPIPE, SIG_IGN);
	if (s->sh == MAP_FAILED || !start(s)) {
		if (s->sh != MAP_FAILED) {
			*code = s->start_code;
			munmap(s->sh, sizeof *s->sh);
		} else {
			jsb_error("internal error", "cannot set up the evaluator: %s",
			          strerror(errno));
		}
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
	if (size == 0 || request(s, JSB_REQ_COMPLETE, path, len, NULL, 0, &res) != END_REPLY)
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
	int status;
	if (!s)
		return;
	stop_evaluator(s, &status);
	munmap(s->sh, sizeof *s->sh);
	free(s->input);
	free(s);
}
