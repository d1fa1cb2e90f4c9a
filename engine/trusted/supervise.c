/* The one supervision core (see supervise.h).  Never runs script code and
 * never trusts the evaluator to stop, exit or tell the truth: what it
 * reads from the pipe and the shared page only ever shortens the
 * evaluator's time, and every wait has a bound. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/jsbox.h"
#include "engine/confined/limits.h"
#include "engine/trusted/confine.h"
#include "engine/trusted/files.h"
#include "engine/trusted/supervise.h"

/* The socket readFile() asks through, when the policy lets it read. */
static bool files_socket(const struct jsb_job *job, int sv[2])
{
	sv[0] = sv[1] = -1;
	if (!(job->policy->caps & JSB_CAP_READ) || job->policy->n_read_dirs == 0)
		return true;
	return socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == 0;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* In the child: confine, then run fn; never returns. */
static void child(const struct jsb_job *job, int input_fd, int out_fd, int req_fd, int files_fd,
                  struct jsb_shared *sh, jsb_child_fn fn, void *arg)
{
	/* A session's evaluator: Ctrl-C reaches the parent only, which decides. */
	if (req_fd >= 0)
		setpgid(0, 0);
	struct jsb_jail jail = {out_fd, req_fd >= 0 ? req_fd : input_fd, files_fd, sh, req_fd >= 0};
	jsb_confine_enter(job, &jail);
	fn(arg, out_fd, req_fd, files_fd, sh);
	_exit(JSB_EXIT_INTERNAL);
}

static bool fail_start(struct jsb_super *s, const char *what)
{
	jsb_error("internal error", "cannot %s the evaluator: %s", what, strerror(errno));
	jsb_super_close(s, true);
	return false;
}

bool jsb_super_start(struct jsb_super *s, const struct jsb_job *job, int input_fd, bool requests,
                     uint64_t bound, jsb_child_fn fn, void *arg)
{
	int out[2] = {-1, -1}, req[2] = {-1, -1}, sv[2];
	*s = (struct jsb_super){
	    .pidfd = -1, .frames_fd = -1, .req_fd = -1, .files_fd = -1, .policy = job->policy};
	s->sh =
	    mmap(NULL, sizeof *s->sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (s->sh == MAP_FAILED) {
		s->sh = NULL;
		return fail_start(s, "set up");
	}
	if (pipe2(out, O_CLOEXEC) != 0 || (requests && pipe2(req, O_CLOEXEC) != 0) ||
	    !files_socket(job, sv)) {
		int e = errno;
		close_fd(&out[0]), close_fd(&out[1]), close_fd(&req[0]), close_fd(&req[1]);
		errno = e;
		return fail_start(s, "set up");
	}
	s->sh->envelope_pending = (job->flags & JSB_JOB_JSON_RESULT) != 0;
	jsb_super_arm(s, bound);
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		close(out[0]);
		if (req[1] >= 0)
			close(req[1]);
		child(job, input_fd, out[1], req[0], sv[1], s->sh, fn, arg);
	}
	int e = errno;
	close_fd(&out[1]), close_fd(&req[0]), close_fd(&sv[1]);
	s->frames_fd = out[0];
	s->req_fd = req[1];
#ifdef JSB_TEST_HOOKS
	/* A parent descheduled right after fork, as on a loaded machine. */
	const char *lag = getenv("JSBOX_TEST_PARENT_LAG_MS");
	if (pid > 0 && lag)
		usleep((useconds_t)atoi(lag) * 1000u);
#endif
	s->files_fd = sv[0];
	if (pid < 0) {
		errno = e;
		return fail_start(s, "start");
	}
	s->pid = pid;
	s->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	fcntl(s->frames_fd, F_SETFL, O_NONBLOCK);
	return true;
}

void jsb_super_arm(struct jsb_super *s, uint64_t bound)
{
	s->bound = bound;
	s->sh->deadline_ns = 0;
	s->sh->stopping = 0;
	s->frames = (struct jsb_frames){0};
	s->replied = false;
	s->status_len = 0;
	s->paused_late = false;
	s->done_at = 0;
}

/* The deadline part of the policy: the published deadline, never past
 * bound, plus the grace. */
static uint64_t deadline(const struct jsb_super *s)
{
	uint64_t d = s->sh->deadline_ns;
	if (d == 0 || d > s->bound)
		d = s->bound;
	uint64_t grace = JSB_GRACE_NS + (s->sh->stopping ? JSB_STOPPING_GRACE_NS : 0);
	return d > UINT64_MAX - grace ? UINT64_MAX : d + grace;
}

/* When to act, for a deadline d read once. */
static uint64_t until_for(const struct jsb_super *s, uint64_t d)
{
	if (s->pid == 0)
		return UINT64_MAX; /* nothing left to stop: what it wrote is read at leisure */
	/* Once it has closed its pipe or reported, it only has to exit. */
	if (s->done_at && s->done_at + JSB_EXIT_GRACE_NS < d)
		return s->done_at + JSB_EXIT_GRACE_NS;
	return d;
}

uint64_t jsb_super_until(const struct jsb_super *s)
{
	return until_for(s, deadline(s));
}

int jsb_super_fds(struct jsb_super *s, struct pollfd *p, bool reading, uint64_t now)
{
	int n = 0;
	if (!reading && !s->paused_at)
		s->paused_at = now;
	if (reading)
		s->paused_at = 0;
	if (s->frames_fd >= 0 && reading)
		p[n++] = (struct pollfd){.fd = s->frames_fd, .events = POLLIN};
	if (s->files_fd >= 0)
		p[n++] = (struct pollfd){.fd = s->files_fd, .events = POLLIN};
	if (s->pidfd >= 0 && s->pid > 0)
		p[n++] = (struct pollfd){.fd = s->pidfd, .events = POLLIN};
	return n;
}

static void on_frame(void *ctx, int channel, const char *data, size_t len, bool last)
{
	struct jsb_super *s = ctx;
	if (channel != JSB_CH_STATUS) {
		s->on_frame(s->ctx, channel, data, len, last);
		return;
	}
	size_t room = sizeof s->status - s->status_len;
	size_t n = len < room ? len : room;
	memcpy(s->status + s->status_len, data, n);
	s->status_len += n;
	if (last && s->status_len && !s->replied) {
		s->replied = true;
		if (!s->done_at)
			s->done_at = jsb_now_ns();
	}
}

/* Reads what the pipe holds; false at end of file. */
static bool pump(struct jsb_super *s)
{
	char buf[65536];
	ssize_t n = read(s->frames_fd, buf, sizeof buf);
	if (n < 0)
		return errno == EINTR || errno == EAGAIN;
	if (n == 0)
		return false;
	jsb_frames_feed(&s->frames, buf, (size_t)n, on_frame, s);
	return true;
}

static void reap(struct jsb_super *s, int options)
{
	if (s->pid <= 0)
		return;
	pid_t r;
	while ((r = wait4(s->pid, &s->wstatus, options, &s->ru)) < 0 && errno == EINTR)
		;
	if (r == s->pid || (r < 0 && errno == ECHILD))
		s->pid = 0;
}

static void at_eof(struct jsb_super *s)
{
	close_fd(&s->frames_fd);
	if (!s->done_at)
		s->done_at = jsb_now_ns();
}

void jsb_super_handle(struct jsb_super *s, const struct pollfd *p, int n)
{
	for (int i = 0; i < n; i++) {
		if (!p[i].revents)
			continue;
		if (p[i].fd == s->frames_fd && !pump(s))
			at_eof(s);
		else if (p[i].fd == s->files_fd && (p[i].revents & POLLIN))
			jsb_files_serve(s->files_fd, s->policy);
		else if (p[i].fd == s->files_fd)
			close_fd(&s->files_fd); /* the evaluator's end is gone */
		else if (p[i].fd == s->pidfd)
			reap(s, WNOHANG);
	}
}

static void salvage(struct jsb_super *s);

/* At the deadline, before judging: what the evaluator had already written
 * (a parent that ran late may not have read its answer yet).  True when
 * that changed something: it answered or closed its pipe. */
static bool look_late(struct jsb_super *s)
{
	if (s->frames_fd < 0 || s->paused_at)
		return false; /* not read while the consumer is full */
	bool replied = s->replied;
	for (int i = 0; i < 16 && s->frames_fd >= 0 && s->replied == replied; i++) {
		char buf[65536];
		ssize_t n = read(s->frames_fd, buf, sizeof buf);
		if (n == 0)
			at_eof(s);
		else if (n > 0)
			jsb_frames_feed(&s->frames, buf, (size_t)n, on_frame, s);
		else if (errno != EINTR)
			break;
	}
	return s->replied != replied || s->frames_fd < 0;
}

enum jsb_ending jsb_super_check(struct jsb_super *s, uint64_t now, bool wait_exit)
{
	if (s->pid > 0 && s->pidfd < 0 && s->done_at)
		reap(s, WNOHANG); /* no pidfd: look now and then */
	if (s->replied && (!wait_exit || s->pid == 0))
		return JSB_END_STATUS;
	if (s->frames_fd < 0 && s->pid == 0) {
		salvage(s); /* it died by itself: what it had only buffered */
		return JSB_END_EXIT;
	}
	if (now < jsb_super_until(s))
		return JSB_END_NONE;
	if (look_late(s))
		return jsb_super_check(s, now, wait_exit);
#ifdef JSB_TEST_HOOKS
	/* A parent descheduled while it judges. */
	const char *lag = getenv("JSBOX_TEST_CHECK_LAG_MS");
	if (lag)
		usleep((useconds_t)atoi(lag) * 1000u);
#endif
	/* The evaluator writes the shared page as it goes: it may have said
	 * meanwhile that it is stopping, which earns it more grace.  One reading
	 * decides both whether to act and why, else a deadline that moved
	 * between two readings would make a timeout look like a hang. */
	uint64_t d = deadline(s);
	if (now < until_for(s, d))
		return JSB_END_NONE;
	bool late = now >= d;
	s->paused_late = s->paused_at != 0;
	jsb_super_kill(s);
	if (s->replied)
		return JSB_END_STATUS;
	return late ? JSB_END_TIMEOUT : JSB_END_HUNG;
}

/* Passes on what the dead evaluator had still written or only buffered. */
static void salvage(struct jsb_super *s)
{
	if (s->frames_fd >= 0) {
		while (pump(s))
			;
		at_eof(s);
	}
	size_t len = s->replied ? 0 : jsb_wire_pending(&s->sh->pending);
	if (len && jsb_frames_between(&s->frames))
		jsb_frames_feed(&s->frames, s->sh->pending.data, len, on_frame, s);
}

void jsb_super_kill(struct jsb_super *s)
{
	if (s->pid > 0)
		kill(s->pid, SIGKILL);
	reap(s, 0);
	salvage(s);
}

bool jsb_super_send(struct jsb_super *s, char type, const char *a, size_t alen, const char *b,
                    size_t blen)
{
	unsigned char h[JSB_FRAME_HEADER];
	jsb_wire_header(h, (unsigned char)type, (uint32_t)(alen + blen));
	/* One write for the whole request, as a rule: the evaluator reads it in one. */
	struct iovec v[3] = {
	    {h, sizeof h}, {(void *)(uintptr_t)a, alen}, {(void *)(uintptr_t)b, blen}};
	return jsb_wire_writev(s->req_fd, v, 3);
}

void jsb_super_close(struct jsb_super *s, bool wait)
{
	if (s->pid > 0)
		kill(s->pid, SIGKILL);
	if (wait)
		reap(s, 0);
	close_fd(&s->frames_fd), close_fd(&s->req_fd), close_fd(&s->files_fd), close_fd(&s->pidfd);
	if (s->sh)
		munmap(s->sh, sizeof *s->sh);
	s->sh = NULL;
}

static const char *signal_name(int sig, char *buf, size_t size)
{
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
	default: snprintf(buf, size, "signal %d", sig); return buf;
	}
}

static void say(struct jsb_verdict *v, int code, const char *kind, const char *detail)
{
	v->code = code;
	v->kind = kind;
	snprintf(v->detail, sizeof v->detail, "%s", detail);
}

void jsb_super_verdict(const struct jsb_super *s, const struct jsb_job *job, enum jsb_ending end,
                       struct jsb_verdict *v)
{
	int st = s->wstatus;
	char sig[16];
	*v = (struct jsb_verdict){0};
	if (s->sh->blocked_syscall > 0)
		say(v, JSB_EXIT_POLICY, "blocked system call",
		    jsb_confine_syscall_name(s->sh->blocked_syscall - 1));
	/* The filter kills outright only on another architecture's calls. */
	else if (!(job->flags & JSB_JOB_NO_JAIL) && WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS &&
	         end != JSB_END_STATUS)
		say(v, JSB_EXIT_POLICY, "blocked system call", "unknown (another architecture)");
	else if (end == JSB_END_STATUS) /* it reported; how it then exited does not matter */
		v->code = s->status[0];
	else if (s->sh->reported > 0) /* it said why it ends, then was slow to exit */
		v->code = s->sh->reported - 1;
	else if (end == JSB_END_WRITE)
		v->code = JSB_EXIT_USAGE;
	else if (end == JSB_END_INTERRUPT || (WIFSIGNALED(st) && WTERMSIG(st) == SIGINT))
		say(v, JSB_EXIT_INTERRUPT, "interrupted", "stopped by SIGINT");
	else if (end == JSB_END_TIMEOUT || (WIFSIGNALED(st) && WTERMSIG(st) == SIGXCPU))
		say(v, JSB_EXIT_TIMEOUT, "time limit exceeded", "");
	else if (end == JSB_END_HUNG)
		say(v, JSB_EXIT_INTERNAL, "internal error",
		    "the evaluator closed its output but did not exit; it was killed");
	else if (WIFEXITED(st))
		v->code = WEXITSTATUS(st);
	else if (WIFSIGNALED(st)) {
		say(v, JSB_EXIT_INTERNAL, "internal error", "");
		snprintf(v->detail, sizeof v->detail, "evaluator killed by %s",
		         signal_name(WTERMSIG(st), sig, sizeof sig));
	} else
		say(v, JSB_EXIT_INTERNAL, "internal error", "the evaluator vanished");
}
