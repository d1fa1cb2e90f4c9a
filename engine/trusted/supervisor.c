/* The trusted side of a run: forks the evaluator, relays its framed output
 * to stdout/stderr, enforces the hard deadline the evaluator publishes,
 * reaps it and turns how it ended into an exit code and one message.
 * Never runs script code; never trusts the child to stop by itself. */
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
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/jsbox.h"
#include "common/parse.h"
#include "engine/confined/envelope.h"
#include "engine/confined/limits.h"
#include "engine/confined/out.h"
#include "engine/confined/run.h"
#include "engine/engine.h"
#include "engine/trusted/confine.h"
#include "engine/trusted/files.h"

/* Past the deadline the evaluator gets this long to stop by itself (the
 * exec-timeout hook) before it is killed (stuck in C code). */
#define GRACE_NS (10 * 1000000ull)
/* More of it for an evaluator already stopping by itself. */
#define STOPPING_GRACE_NS (40 * 1000000ull)
/* Longest sleep between looks at the evaluator's published deadline. */
#define MAX_WAIT_NS (50 * 1000000ull)
/* An evaluator that has reported its exit code only has to exit. */
#define EXIT_GRACE_NS (1000 * 1000000ull)
/* After SIGINT, the same for the interrupt. */
#define INTERRUPT_GRACE_NS (200 * 1000000ull)

static volatile sig_atomic_t got_sigint;

static void on_sigint(int sig)
{
	(void)sig;
	got_sigint++;
}

const char *jsb_engine_version(void)
{
	static char text[32];
	long v = DUK_VERSION;
	snprintf(text, sizeof text, "Duktape %ld.%ld.%ld", v / 10000, v / 100 % 100, v % 100);
	return text;
}

struct relay {
	int fd;
	struct jsb_frames frames;
	char stats[1024];
	size_t stats_len;
	uint64_t relayed; /* stdout+stderr bytes delivered */
	int status;       /* exit code the evaluator reported, -1 before */
	bool wait_exit;   /* wait for the evaluator's exit after its status (--stats) */
	uint64_t bound;   /* when the whole run must end */
	int write_errno;  /* first failed write to stdout/stderr */
	const char *write_what;
	int files_fd; /* readFile() requests, or -1 */
	const struct jsb_policy *policy;
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

static void deliver(void *ctx, int channel, const char *data, size_t len, bool last)
{
	struct relay *r = ctx;
	int fd = channel == JSB_CH_STDOUT ? STDOUT_FILENO : STDERR_FILENO;
	(void)last;
	if (channel == JSB_CH_STATUS) {
		if (len)
			r->status = (unsigned char)data[len - 1];
		return;
	}
	if (channel != JSB_CH_STATS)
		r->relayed += len;
	if (channel == JSB_CH_STATS) {
		size_t room = sizeof r->stats - 1 - r->stats_len;
		size_t n = len < room ? len : room;
		memcpy(r->stats + r->stats_len, data, n);
		r->stats_len += n;
		return;
	}
	if (channel == JSB_CH_ES5) {
		keep_es5(r->es5, data, len);
		return;
	}
	while (len && !r->write_errno) {
		ssize_t w = write(fd, data, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			r->write_errno = errno;
			r->write_what = fd == STDOUT_FILENO ? "stdout" : "stderr";
			return;
		}
		data += w;
		len -= (size_t)w;
	}
}

/* Reads what is available; false at end of file. */
static bool pump(struct relay *r)
{
	char buf[65536];
	ssize_t n = read(r->fd, buf, sizeof buf);
	if (n < 0)
		return errno == EINTR || errno == EAGAIN;
	if (n == 0)
		return false;
	jsb_frames_feed(&r->frames, buf, (size_t)n, deliver, r);
	return true;
}

/* When the evaluator must be gone: its published deadline (it cannot
 * extend past the run's own bound) plus the grace. */
static uint64_t hard_deadline(const struct jsb_shared *sh, uint64_t bound)
{
	uint64_t d = sh->deadline_ns;
	if (d == 0 || d > bound)
		d = bound;
	/* An evaluator that has seen the limit itself is unwinding toward its
	 * own message: killing it mid-write would print the ending twice. */
	return d + GRACE_NS + (sh->stopping ? STOPPING_GRACE_NS : 0);
}

enum ending { END_EXIT, END_REPORTED, END_TIMEOUT, END_INTERRUPT, END_WRITE };

/* Relays output until the evaluator closes its pipe or must be killed. */
static enum ending supervise(pid_t pid, struct relay *r, const struct jsb_shared *sh,
                             uint64_t bound)
{
	uint64_t interrupt_at = 0, reported_at = 0;
	for (;;) {
		uint64_t now = jsb_now_ns();
		uint64_t until = hard_deadline(sh, bound);
		if (r->status >= 0 && !r->wait_exit)
			return END_REPORTED; /* everything is said; its exit is its own business */
		if (r->status >= 0) {        /* done: it only has to exit */
			if (!reported_at)
				reported_at = now;
			until = reported_at + EXIT_GRACE_NS;
			if (now >= until) {
				kill(pid, SIGKILL);
				return END_EXIT;
			}
		}
		if (got_sigint && !interrupt_at) {
			interrupt_at = now + INTERRUPT_GRACE_NS;
			kill(pid, SIGINT);
		}
		if (interrupt_at && (now >= interrupt_at || got_sigint > 1)) {
			kill(pid, SIGKILL);
			return END_INTERRUPT;
		}
		if (interrupt_at && interrupt_at < until)
			until = interrupt_at;
		if (now >= until) {
			kill(pid, SIGKILL);
			return END_TIMEOUT;
		}
		if (r->write_errno) { /* nobody can see what it writes */
			kill(pid, SIGKILL);
			return END_WRITE;
		}
		/* Wake up now and then: the evaluator may publish a nearer deadline. */
		uint64_t wait_ns = until - now < MAX_WAIT_NS ? until - now : MAX_WAIT_NS;
		struct timespec ts = {(time_t)(wait_ns / 1000000000u),
		                      (long)(wait_ns % 1000000000u)};
		struct pollfd p[2] = {{.fd = r->fd, .events = POLLIN},
		                      {.fd = r->files_fd, .events = POLLIN}};
		int ready = ppoll(p, r->files_fd >= 0 ? 2 : 1, &ts, NULL);
		if (ready > 0 && (p[1].revents & POLLIN))
			jsb_files_serve(r->files_fd, r->policy);
		if (ready > 0 && (p[0].revents & (POLLIN | POLLHUP)) && !pump(r))
			return END_EXIT;
	}
}

/* Reads what the killed evaluator had already written. */
static void drain(struct relay *r)
{
	while (pump(r))
		;
}

/* Passes on what a dead evaluator had buffered but not written (killed in
 * C code it was stuck in, or crashed): nothing of what it printed is lost.
 * Only between frames: a frame cut short in the pipe cannot be resumed. */
static void relay_pending(struct relay *r, struct jsb_shared *sh)
{
	size_t len = jsb_out_pending(&sh->pending);
	if (len && r->frames.left == 0 && r->frames.head_len == 0)
		jsb_frames_feed(&r->frames, sh->pending.data, len, deliver, r);
}

static const char *signal_name(int sig)
{
	static char buf[16];
	switch (sig) {
	case SIGSEGV: return "SIGSEGV";
	case SIGBUS: return "SIGBUS";
	case SIGILL: return "SIGILL";
	case SIGFPE: return "SIGFPE";
	case SIGABRT: return "SIGABRT";
	case SIGKILL: return "SIGKILL";
	case SIGSYS: return "SIGSYS";
	case SIGTERM: return "SIGTERM";
	case SIGPIPE: return "SIGPIPE";
	default: snprintf(buf, sizeof buf, "signal %d", sig); return buf;
	}
}

static int map_status(const struct jsb_job *job, const struct relay *r, const struct jsb_shared *sh,
                      int status, enum ending end)
{
	char text[32];
	if (sh->blocked_syscall > 0) {
		jsb_error("blocked system call", "%s",
		          jsb_confine_syscall_name(sh->blocked_syscall - 1));
		return JSB_EXIT_POLICY;
	}
	/* The filter kills outright only on another architecture's calls. */
	if (!(job->flags & JSB_JOB_NO_JAIL) && WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS) {
		jsb_error("blocked system call", "unknown (another architecture)");
		return JSB_EXIT_POLICY;
	}
	if (r->status >= 0) /* it reported; how it then exited does not matter */
		return r->status;
	if (sh->reported > 0) /* it said why it ends, then was slow to exit */
		return sh->reported - 1;
	if (end == END_WRITE)
		return JSB_EXIT_USAGE;
	if (end == END_INTERRUPT) {
		jsb_error("interrupted", "stopped by SIGINT");
		return JSB_EXIT_INTERRUPT;
	}
	if (end == END_TIMEOUT || (WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU)) {
		bool stream = job->records == JSB_RECORDS_STREAM;
		bool total = stream && job->total_timeout_ms &&
		             (sh->deadline_ns == 0 || sh->deadline_ns >= r->bound);
		if (sh->translating) {
			jsb_format_duration(text, sizeof text, job->policy->transpile_timeout_ms);
			jsb_error("time limit exceeded",
			          "%s translating the script to ES5 (transpile_timeout)", text);
			return JSB_EXIT_TIMEOUT;
		}
		jsb_format_duration(text, sizeof text,
		                    total ? job->total_timeout_ms : job->policy->timeout_ms);
		char where[96] = "";
		if (stream && sh->record)
			snprintf(where, sizeof where, " (record %llu, line %lu)",
			         (unsigned long long)sh->record, sh->record_line);
		/* Killed while blocked on its input: say what it waited for. */
		bool waiting = sh->waiting_input && job->input_name;
		bool on_stdin = waiting && strcmp(job->input_name, "<stdin>") == 0;
		jsb_error("time limit exceeded", "%s%s%s%s%s%s", text,
		          total    ? " in total (--total-timeout)"
		          : stream ? " per record"
		                   : "",
		          where, waiting ? " (waiting for input on " : "",
		          waiting ? (on_stdin ? "stdin" : job->input_name) : "",
		          waiting ? ")" : "");
		return JSB_EXIT_TIMEOUT;
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGINT) {
		jsb_error("interrupted", "stopped by SIGINT");
		return JSB_EXIT_INTERRUPT;
	}
	jsb_error("internal error", "evaluator killed by %s", signal_name(WTERMSIG(status)));
	return JSB_EXIT_INTERNAL;
}

static void print_stats(const struct relay *r, uint64_t start, int code,
                        const struct jsb_shared *sh, const struct rusage *ru, enum ending end,
                        bool killed)
{
	double wall = (double)(jsb_now_ns() - start) / 1e6;
	char line[1400];
	int n;
	if (r->stats_len)
		n = snprintf(line, sizeof line,
		             "{\"wall_ms\":%.3f,%.*s,\"rss_peak_kib\":%ld,\"killed\":false}\n",
		             wall, (int)r->stats_len, r->stats, ru->ru_maxrss);
	else /* the evaluator did not get to say: what the supervisor knows */
		n = snprintf(
		    line, sizeof line,
		    "{\"wall_ms\":%.3f,\"cpu_ms\":%.3f,\"heap_peak\":%llu,\"allocations\":%llu,"
		    "\"output_bytes\":%llu,\"limit\":%s,\"exit\":%d,\"rss_peak_kib\":%ld,"
		    "\"killed\":%s}\n",
		    wall,
		    (double)(ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * 1e3 +
		        (double)(ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) / 1e3,
		    (unsigned long long)sh->peak_bytes, (unsigned long long)sh->allocs,
		    (unsigned long long)r->relayed,
		    end == END_TIMEOUT     ? "\"time\""
		    : end == END_INTERRUPT ? "\"interrupt\""
		                           : "null",
		    code, ru->ru_maxrss, killed ? "true" : "false");
	if (n > 0) {
		ssize_t w = write(STDERR_FILENO, line,
		                  (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
		(void)w;
	}
}

/* --json-result when the evaluator could not write its envelope (killed,
 * crashed, out of memory): the failure as the supervisor saw it. */
static void write_envelope(int code)
{
	char msg[4200], line[4400];
	jsb_envelope_quote(msg, sizeof msg, jsb_error_last());
	int n = snprintf(line, sizeof line,
	                 "{\"success\":false,\"error\":{\"type\":\"%s\",\"message\":%s,"
	                 "\"line\":null},\"console\":[]}\n",
	                 jsb_envelope_type(code), msg);
	if (n > 0) {
		ssize_t w = write(STDOUT_FILENO, line,
		                  (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
		(void)w;
	}
}

/* The evaluator: confine, evaluate, exit without running atexit handlers. */
static void child(const struct jsb_job *job, int out_fd, int files_fd, struct jsb_shared *sh)
{
	struct jsb_jail jail = {out_fd, job->input_fd, files_fd, sh};
	jsb_confine_enter(job, &jail);
	_exit(jsb_run_evaluate(job, out_fd, files_fd, sh));
}

/* The socket readFile() asks through, when the policy lets it read. */
static bool files_socket(const struct jsb_job *job, int sv[2])
{
	sv[0] = sv[1] = -1;
	if (!(job->policy->caps & JSB_CAP_READ) || job->policy->n_read_dirs == 0)
		return true;
	return socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == 0;
}

int jsb_engine_run(const struct jsb_job *job)
{
	int fds[2], sv[2];
	struct jsb_shared *sh =
	    mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED || pipe2(fds, O_CLOEXEC) != 0 || !files_socket(job, sv)) {
		jsb_error("internal error", "cannot set up the evaluator: %s", strerror(errno));
		return JSB_EXIT_INTERNAL;
	}
	sh->envelope_pending = (job->flags & JSB_JOB_JSON_RESULT) != 0;
	struct sigaction sa = {.sa_handler = on_sigint}, old_int;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	uint64_t start = jsb_now_ns();
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		jsb_error("internal error", "cannot start the evaluator: %s", strerror(errno));
		return JSB_EXIT_INTERNAL;
	}
	if (pid == 0) {
		close(fds[0]);
		child(job, fds[1], sv[1], sh);
	}
	close(fds[1]);
	if (sv[1] >= 0)
		close(sv[1]);
	struct relay r = {.fd = fds[0],
	                  .status = -1,
	                  .files_fd = sv[0],
	                  .policy = job->policy,
	                  .es5 = job->es5_out,
	                  .wait_exit = (job->flags & JSB_JOB_STATS) != 0};
	/* The deadline counts from the fork: setup (heap, input parsing,
	 * compilation) counts against it too. */
	uint64_t bound = start + job->policy->timeout_ms * 1000000u;
	/* A stream's --timeout is per record (published by the evaluator); the
	 * run as a whole is bounded only by --total-timeout. */
	if (job->records == JSB_RECORDS_STREAM)
		bound = job->total_timeout_ms ? start + job->total_timeout_ms * 1000000u
		                              : UINT64_MAX / 2;
	r.bound = bound;
	/* Translating the script has a bound of its own, outside the script's
	 * (the evaluator publishes it while translating, and moves its own
	 * deadlines on by the time it took). */
	if (!job->es5 && bound < UINT64_MAX / 2)
		bound += job->policy->transpile_timeout_ms * 1000000u;
	enum ending end = supervise(pid, &r, sh, bound);
	int status = 0;
	if (end != END_EXIT && end != END_REPORTED)
		drain(&r);
	struct rusage ru = {0};
	/* An evaluator that reported its exit code is left to exit alone (it
	 * dies with us at the latest): waiting for its teardown only delays
	 * the caller.  --stats waits, for the evaluator's resource usage. */
	while (end != END_REPORTED && wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
		;
	if (end != END_REPORTED && r.status < 0)
		relay_pending(&r, sh);
	close(fds[0]);
	if (sv[0] >= 0)
		close(sv[0]);
	sigaction(SIGINT, &old_int, NULL);
	int code = map_status(job, &r, sh, status, end);
	if (r.write_errno) {
		jsb_error("write error", "%s: %s", r.write_what, strerror(r.write_errno));
		if (code == JSB_EXIT_OK)
			code = JSB_EXIT_USAGE;
	}
	if ((job->flags & JSB_JOB_JSON_RESULT) && sh->envelope_pending)
		write_envelope(code);
	if (job->flags & JSB_JOB_STATS)
		print_stats(&r, start, code, sh, &ru, end, end != END_EXIT || WIFSIGNALED(status));
	munmap(sh, sizeof *sh);
	return code;
}
