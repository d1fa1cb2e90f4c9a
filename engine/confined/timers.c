/* Timers: a binary min-heap of (due time, sequence) in C, the callbacks and
 * their arguments in the global stash (so the garbage collector sees them).
 * The loop sleeps until the next timer is due, never past the deadline. */
#include <time.h>

#include "engine/confined/heap.h"
#include "engine/confined/modern/modern.h"
#include "engine/confined/timers.h"

#define STASH_TIMERS "jsb.timers"
#define MAX_DELAY_MS 2147483647.0

struct entry {
	uint64_t due_ns;
	uint64_t seq; /* keeps timers due at the same time in creation order */
	uint32_t id;
};

struct jsb_timers {
	struct entry *heap;
	size_t n, cap;
	size_t live; /* scheduled and not cleared */
	uint32_t next_id;
	uint64_t seq;
};

static bool before(const struct entry *a, const struct entry *b)
{
	return a->due_ns < b->due_ns || (a->due_ns == b->due_ns && a->seq < b->seq);
}

static bool push(struct jsb_eval *ev, struct entry e)
{
	struct jsb_timers *t = ev->timers;
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		struct entry *h = jsb_heap_realloc(&ev->heap, t->heap, cap * sizeof *h);
		if (!h)
			return false;
		t->heap = h;
		t->cap = cap;
	}
	size_t i = t->n++;
	for (; i > 0 && before(&e, &t->heap[(i - 1) / 2]); i = (i - 1) / 2)
		t->heap[i] = t->heap[(i - 1) / 2];
	t->heap[i] = e;
	return true;
}

static struct entry pop(struct jsb_timers *t)
{
	struct entry top = t->heap[0], last = t->heap[--t->n];
	size_t i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= t->n)
			break;
		if (c + 1 < t->n && before(&t->heap[c + 1], &t->heap[c]))
			c++;
		if (!before(&t->heap[c], &last))
			break;
		t->heap[i] = t->heap[c];
		i = c;
	}
	if (t->n)
		t->heap[i] = last;
	return top;
}

/* [ ... ] -> [ ... stash.timers ] */
static void push_table(duk_context *ctx)
{
	duk_push_global_stash(ctx);
	duk_get_prop_string(ctx, -1, STASH_TIMERS);
	duk_remove(ctx, -2);
}

/* setTimeout/setInterval(fn, delay, ...args); magic 1 for intervals. */
static duk_ret_t set_timer(duk_context *ctx)
{
	struct jsb_eval *ev = jsb_eval_current(ctx);
	struct jsb_timers *t = ev->timers;
	bool interval = duk_get_current_magic(ctx) == 1;
	duk_idx_t nargs = duk_get_top(ctx);
	if (!duk_is_function(ctx, 0))
		return duk_error(
		    ctx, DUK_ERR_TYPE_ERROR,
		    "%s: the callback must be a function (strings are never evaluated)",
		    interval ? "setInterval" : "setTimeout");
	if (t->live >= ev->job->policy->max_timers)
		return duk_error(ctx, DUK_ERR_RANGE_ERROR,
		                 "too many pending timers (the limit is %llu)",
		                 (unsigned long long)ev->job->policy->max_timers);
	double delay = nargs > 1 ? duk_to_number(ctx, 1) : 0;
	if (!(delay >= 1))
		delay = interval ? 1 : 0; /* NaN, negative: now; intervals never spin at 0 */
	if (delay > MAX_DELAY_MS)
		delay = MAX_DELAY_MS;
	uint32_t id = ++t->next_id;
	struct entry e = {jsb_now_ns() + (uint64_t)delay * 1000000u, t->seq++, id};
	if (!push(ev, e))
		return duk_error(ctx, DUK_ERR_RANGE_ERROR, "out of memory for timers");
	/* stash.timers[id] = [fn, interval_ms or -1, args...] */
	push_table(ctx);
	duk_push_array(ctx);
	duk_dup(ctx, 0);
	duk_put_prop_index(ctx, -2, 0);
	duk_push_number(ctx, interval ? delay : -1);
	duk_put_prop_index(ctx, -2, 1);
	for (duk_idx_t i = 2; i < nargs; i++) {
		duk_dup(ctx, i);
		duk_put_prop_index(ctx, -2, (duk_uarridx_t)i);
	}
	duk_put_prop_index(ctx, -2, id);
	t->live++;
	duk_push_uint(ctx, id);
	return 1;
}

static duk_ret_t clear_timer(duk_context *ctx)
{
	struct jsb_eval *ev = jsb_eval_current(ctx);
	if (!duk_is_number(ctx, 0))
		return 0;
	duk_uarridx_t id = duk_to_uint32(ctx, 0);
	push_table(ctx);
	if (duk_has_prop_index(ctx, -1, id)) {
		duk_del_prop_index(ctx, -1, id);
		ev->timers->live--;
	}
	return 0;
}

static const duk_function_list_entry timer_funcs[] = {
    {"setTimeout", set_timer, DUK_VARARGS},
    {"setInterval", set_timer, DUK_VARARGS},
    {"clearTimeout", clear_timer, 1},
    {"clearInterval", clear_timer, 1},
    {NULL, NULL, 0},
};

void jsb_timers_install(struct jsb_eval *ev)
{
	static struct jsb_timers timers;
	duk_context *ctx = ev->ctx;
	ev->timers = &timers;
	duk_put_function_list(ctx, -1, timer_funcs);
	duk_get_prop_string(ctx, -1, "setInterval");
	duk_set_magic(ctx, -1, 1);
	duk_pop(ctx);
	duk_push_global_stash(ctx);
	duk_push_object(ctx);
	duk_put_prop_string(ctx, -2, STASH_TIMERS);
	duk_pop(ctx);
}

/* Calls a timer's callback: [ ... record ] -> [ ... result ]. */
static duk_ret_t fire(duk_context *ctx, void *udata)
{
	(void)udata;
	duk_idx_t rec = duk_get_top_index(ctx);
	duk_uarridx_t n = (duk_uarridx_t)duk_get_length(ctx, rec);
	duk_get_prop_index(ctx, rec, 0);
	duk_push_undefined(ctx);
	for (duk_uarridx_t i = 2; i < n; i++)
		duk_get_prop_index(ctx, rec, i);
	duk_call_method(ctx, n > 2 ? (duk_idx_t)(n - 2) : 0);
	jsb_modern_drain(ctx);
	return 1;
}

/* Sleeps until `until` (monotonic) or an interrupt. */
static void sleep_until(uint64_t until)
{
	struct timespec ts = {(time_t)(until / 1000000000u), (long)(until % 1000000000u)};
	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL); /* EINTR: caller re-checks */
}

/* Takes the next live timer's record: [ ... ] -> [ ... record ]; false
 * when none is left. */
static bool next_record(struct jsb_eval *ev, struct entry *e)
{
	duk_context *ctx = ev->ctx;
	struct jsb_timers *t = ev->timers;
	while (t->n) {
		*e = pop(t);
		push_table(ctx);
		if (duk_get_prop_index(ctx, -1, e->id)) {
			duk_remove(ctx, -2);
			return true;
		}
		duk_pop_2(ctx); /* cleared meanwhile */
	}
	return false;
}

int jsb_timers_drain(struct jsb_eval *ev)
{
	duk_context *ctx = ev->ctx;
	struct entry e;
	while (ev->timers->live && next_record(ev, &e)) {
		while (jsb_now_ns() < e.due_ns && !jsb_limits_expired(&ev->limits))
			sleep_until(e.due_ns < ev->limits.deadline_ns ? e.due_ns
			                                              : ev->limits.deadline_ns);
		if (jsb_limits_expired(&ev->limits))
			return jsb_eval_report(ev);
		duk_get_prop_index(ctx, -1, 1);
		double interval = duk_get_number(ctx, -1);
		duk_pop(ctx);
		if (interval < 0) {
			push_table(ctx);
			duk_del_prop_index(ctx, -1, e.id);
			duk_pop(ctx);
			ev->timers->live--;
		} else {
			e.due_ns = jsb_now_ns() + (uint64_t)interval * 1000000u;
			e.seq = ev->timers->seq++;
			push(ev, e);
		}
		int rc = jsb_eval_protect(ev, fire, 1);
		if (rc != 0)
			return rc;
		duk_pop(ctx);
	}
	return JSB_EXIT_OK;
}

void jsb_timers_free(struct jsb_eval *ev)
{
	struct jsb_timers *t = ev->timers;
	if (!t)
		return;
	jsb_heap_free(&ev->heap, t->heap);
	*t = (struct jsb_timers){0};
	ev->timers = NULL;
}
