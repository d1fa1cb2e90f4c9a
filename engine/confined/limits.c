/* Deadline and stop flag read by Duktape's exec-timeout hook, and the native
 * stack guard.  The hook runs every few thousand bytecodes but never inside
 * Duktape's C code: the supervisor's kill is the backstop for those paths. */
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <time.h>

#include "engine/confined/heap.h"
#include "engine/confined/limits.h"
#include "engine/confined/out.h"
#ifdef JSB_TEST_HOOKS
#include "engine/confined/testhooks.h"
#endif

/* Longest time buffered output waits while the script runs (the kill comes
 * 10 ms after the deadline at the earliest). */
#define FLUSH_EVERY_NS (5 * 1000000ull)

/* What the SIGINT handler can reach: a flag, read by the hook. */
static volatile sig_atomic_t interrupted;
/* Lowest usable stack address for the guard; set once per evaluator. */
static uintptr_t stack_floor;

uint64_t jsb_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t jsb_after_ms(uint64_t now, uint64_t ms)
{
	/* Saturates: a limit too far away to count is no limit, never one
	 * that wrapped into the past. */
	if (ms > (UINT64_MAX - now) / 1000000u)
		return UINT64_MAX;
	return now + ms * 1000000u;
}

void jsb_limits_arm(struct jsb_limits *lim, uint64_t timeout_ms)
{
	lim->timeout_ms = timeout_ms;
	lim->deadline_ns = jsb_after_ms(jsb_now_ns(), timeout_ms);
	if (lim->shared)
		lim->shared->deadline_ns = lim->deadline_ns;
}

void jsb_limits_hold(struct jsb_limits *lim, uint64_t bound_ms, struct jsb_limits_held *held)
{
	*held = (struct jsb_limits_held){lim->timeout_ms, lim->deadline_ns, jsb_now_ns()};
	jsb_limits_arm(lim, bound_ms);
	if (lim->shared)
		lim->shared->translating = 1;
}

uint64_t jsb_limits_resume(struct jsb_limits *lim, const struct jsb_limits_held *held)
{
	uint64_t spent = jsb_now_ns() - held->since_ns;
	lim->timeout_ms = held->timeout_ms;
	/* 0 is "not armed"; a monotonic deadline is centuries from overflow. */
	lim->deadline_ns = held->deadline_ns ? held->deadline_ns + spent : 0;
	if (lim->shared) {
		lim->shared->deadline_ns = lim->deadline_ns;
		lim->shared->translating = 0;
	}
	return spent;
}

void jsb_limits_stop(struct jsb_limits *lim, enum jsb_stop why)
{
	if (lim->stop == JSB_STOP_NONE)
		lim->stop = why;
#ifdef JSB_TEST_HOOKS
	/* An evaluator descheduled before it says it is stopping, and after. */
	bool first = lim->shared && !lim->shared->stopping;
	if (first)
		jsb_testhooks_lag("JSBOX_TEST_STOP_LAG_MS");
#endif
	if (lim->shared)
		lim->shared->stopping = 1;
#ifdef JSB_TEST_HOOKS
	if (first)
		jsb_testhooks_lag("JSBOX_TEST_STOPPING_LAG_MS");
#endif
}

void jsb_limits_reset(struct jsb_limits *lim)
{
	lim->stop = JSB_STOP_NONE;
	interrupted = 0;
}

bool jsb_limits_expired(struct jsb_limits *lim)
{
	if (lim->stop != JSB_STOP_NONE)
		return true;
	if (interrupted) {
		jsb_limits_stop(lim, JSB_STOP_INTERRUPT);
		return true;
	}
	if (lim->deadline_ns && jsb_now_ns() >= lim->deadline_ns) {
		jsb_limits_stop(lim, JSB_STOP_TIME);
		return true;
	}
	return false;
}

int jsb_limits_timeout(void *udata)
{
	struct jsb_heap *heap = udata;
	/* Every few thousand bytecodes (and at calls): pass on buffered output,
	 * so what a script printed survives even if it must be killed later;
	 * at most every few milliseconds, so a stream's results go out in
	 * blocks rather than one write per record. */
	static uint64_t passed_at;
	if (heap->out && heap->out->b->len) {
		uint64_t now = jsb_now_ns();
		if (now - passed_at >= FLUSH_EVERY_NS) {
			jsb_out_flush(heap->out);
			passed_at = now;
		}
	}
	if (heap->prof) /* --prof; off, this test is all it costs */
		heap->prof_tick(heap->prof);
	return jsb_limits_expired(heap->limits);
}

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

void jsb_limits_install(struct jsb_limits *lim)
{
	(void)lim;
	struct sigaction sa = {.sa_handler = on_sigint};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);

	/* Leave 256 KiB of the stack rlimit for C code between checks (signal
	 * frames, libc, Duktape's own helpers). */
	struct rlimit rl;
	size_t usable = 8u << 20;
	if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		usable = (size_t)rl.rlim_cur;
	size_t margin = 256u << 10;
	char here;
	uintptr_t top = (uintptr_t)&here;
	size_t room = usable > 2 * margin ? usable - margin : usable / 2;
	stack_floor = top > room ? top - room : 0;
}

int jsb_limits_stack_low(void)
{
	char here;
	return (uintptr_t)&here < stack_floor;
}
