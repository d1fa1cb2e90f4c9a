/* The foreground loop (see foreground.h): one poll over the evaluator's
 * descriptors and the sink's, never blocking on either, waking at least
 * every 50 ms to read a nearer deadline the evaluator may have published. */
#include <errno.h>
#include <signal.h>
#include <time.h>

#include "engine/confined/limits.h"
#include "engine/trusted/foreground.h"

#define MAX_WAIT_NS (50 * 1000000ull)
/* Without a pidfd, an exiting evaluator is looked at this often. */
#define REAP_POLL_NS (2 * 1000000ull)
/* Backlog the sink may hold beyond the output limit (jsbox's messages). */
#define SLACK    (1u << 20)
#define MAX_SOFT (64u << 20)

static volatile sig_atomic_t got_sigint;
static struct sigaction old_int;

static void on_sigint(int sig)
{
	(void)sig;
	got_sigint++;
}

void jsb_fg_catch(void)
{
	struct sigaction sa = {.sa_handler = on_sigint};
	sigemptyset(&sa.sa_mask);
	got_sigint = 0;
	sigaction(SIGINT, &sa, &old_int);
}

void jsb_fg_release(void)
{
	sigaction(SIGINT, &old_int, NULL);
	got_sigint = 0;
}

bool jsb_fg_start(struct jsb_fg *f, const struct jsb_job *job, int input_fd, bool requests,
                  uint64_t bound, jsb_child_fn fn, void *arg)
{
	uint64_t out = job->policy->max_output;
	f->soft = (out < MAX_SOFT ? out : MAX_SOFT) + SLACK;
	f->hard = 2 * f->soft;
	f->stream = job->records == JSB_RECORDS_STREAM;
	f->sink = (struct jsb_sink){0};
	if (!jsb_super_start(&f->sup, job, input_fd, requests, bound, fn, arg))
		return false;
	return true;
}

static void relay(void *ctx, int channel, const char *data, size_t len, bool last)
{
	struct jsb_fg *f = ctx;
	if (channel == JSB_CH_STDOUT || channel == JSB_CH_STDERR)
		jsb_sink_put(&f->sink, channel, data, len);
	else if (f->on_other)
		f->on_other(f->ctx, channel, data, len, last);
}

/* Ctrl-C: passed on as SIGINT, repeated; JSB_END_INTERRUPT once the
 * evaluator has had its grace (or at a second Ctrl-C). */
static enum jsb_ending interrupt(struct jsb_fg *f, uint64_t now, uint64_t *first, uint64_t *last,
                                 uint64_t *until)
{
	if (!got_sigint || f->sup.pid <= 0)
		return JSB_END_NONE;
	if (!*first)
		*first = now;
	if (now >= *first + JSB_INTERRUPT_GRACE_NS || got_sigint > 1) {
		jsb_super_kill(&f->sup);
		return JSB_END_INTERRUPT;
	}
	if (now - *last >= JSB_INTERRUPT_REPEAT_NS) {
		kill(f->sup.pid, SIGINT);
		*last = now;
	}
	uint64_t next = *last + JSB_INTERRUPT_REPEAT_NS;
	if (next < *until)
		*until = next;
	return JSB_END_NONE;
}

static bool reading(const struct jsb_fg *f)
{
	uint64_t backlog = f->sink.backlog;
	return backlog < f->soft || (f->stream && f->sup.sh->record && backlog < f->hard);
}

enum jsb_ending jsb_fg_wait(struct jsb_fg *f, bool wait_exit)
{
	uint64_t first = 0, last = 0;
	f->sup.on_frame = relay;
	f->sup.ctx = f;
	for (;;) {
		uint64_t now = jsb_now_ns();
		enum jsb_ending end = jsb_super_check(&f->sup, now, wait_exit);
		if (end != JSB_END_NONE)
			return end;
		if (f->sink.error) { /* nobody can see what it writes */
			jsb_super_kill(&f->sup);
			return JSB_END_WRITE;
		}
		uint64_t until = jsb_super_until(&f->sup);
		end = interrupt(f, now, &first, &last, &until);
		if (end != JSB_END_NONE)
			return end;
		struct pollfd p[4];
		int n = jsb_super_fds(&f->sup, p, reading(f), now);
		int m = jsb_sink_fds(&f->sink, p + n);
		uint64_t wait = until - now < MAX_WAIT_NS ? until - now : MAX_WAIT_NS;
		if (f->sup.pidfd < 0 && f->sup.done_at && wait > REAP_POLL_NS)
			wait = REAP_POLL_NS;
		struct timespec ts = {(time_t)(wait / 1000000000u), (long)(wait % 1000000000u)};
		if (ppoll(p, (nfds_t)(n + m), &ts, NULL) <= 0)
			continue;
		if (m && p[n].revents)
			jsb_sink_flush(&f->sink);
		jsb_super_handle(&f->sup, p, n);
	}
}
