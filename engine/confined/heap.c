/* Capped allocator for the evaluator and the Duktape fatal handler.
 * Accounts usable bytes (malloc_usable_size(), or the arena's header) so
 * realloc needs no header of its own; all limit arithmetic is in the
 * overflow-safe form `size > limit - used`. */
#include <malloc.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/jsbox.h"
#include "common/parse.h"
#include "engine/confined/arena.h"
#include "engine/confined/heap.h"
#include "engine/confined/out.h"
#include "engine/lib/normalize.h"

/* Duktape retries a failed allocation after each of 10 garbage collections;
 * a request refused this many times in a row has failed for good, and a
 * script that catches the resulting error must not get to go on. */
#define FINAL_REFUSALS 11
/* Refused requests (each after its own rescue) before the heap counts as exhausted. */
#define MAX_EPISODES 16

static void note_peak(struct jsb_heap *h)
{
	if (h->used > h->peak) {
		h->peak = h->used;
		if (h->limits->shared && !h->unpublished)
			h->limits->shared->peak_bytes = h->peak;
	}
}

/* Counts refusals of the same request: Duktape retries one request after
 * each garbage collection, and allocations the collector makes in between
 * (compaction, string table) must not look like the retry succeeding.
 * A heap so full that requests keep being refused, each rescued by an
 * emergency collection freeing a few bytes, is exhausted too: without
 * this a script would thrash until the deadline. */
static void refuse(struct jsb_heap *h, size_t size)
{
	if (size != h->refused_size || h->refusals == 0) {
		h->refused_size = size;
		h->refusals = 0;
		h->episodes++;
	}
	if (++h->refusals >= FINAL_REFUSALS || h->episodes > MAX_EPISODES)
		jsb_limits_stop(h->limits, JSB_STOP_MEMORY);
}

static void granted(struct jsb_heap *h, size_t size)
{
	if (size >= h->refused_size) {
		h->refusals = 0;
		h->refused_size = 0;
	}
	h->allocs++;
	if (h->limits->shared && !h->unpublished)
		h->limits->shared->allocs = h->allocs;
	note_peak(h);
}

/* True when `more` bytes fit the budget; counts a refusal when not. */
static int fits(struct jsb_heap *h, size_t more, size_t request)
{
	/* malloc rounds up, so used can pass the limit by a few bytes: check
	 * that before subtracting. */
	if (h->limits->stop == JSB_STOP_MEMORY || h->used >= h->limit ||
	    more > h->limit - h->used) {
		refuse(h, request);
		return 0;
	}
	return 1;
}

/* The blocks themselves: from the arena when the heap has one. */
static void *block_alloc(struct jsb_heap *h, size_t size)
{
	return h->arena ? jsb_arena_alloc(h->arena, size) : malloc(size);
}

static void *block_realloc(struct jsb_heap *h, void *ptr, size_t size)
{
	return h->arena ? jsb_arena_realloc(h->arena, ptr, size) : realloc(ptr, size);
}

static size_t block_size(const struct jsb_heap *h, void *ptr)
{
	return h->arena ? jsb_arena_usable(ptr) : malloc_usable_size(ptr);
}

static void *grant_alloc(struct jsb_heap *h, size_t size)
{
	if (size == 0 || !fits(h, size, size))
		return NULL;
	void *p = block_alloc(h, size);
	if (!p) {
		refuse(h, size);
		return NULL;
	}
	h->used += block_size(h, p);
	granted(h, size);
	return p;
}

void jsb_heap_free(struct jsb_heap *h, void *ptr)
{
	if (!ptr)
		return;
	h->used -= block_size(h, ptr);
	if (h->arena)
		jsb_arena_free(h->arena, ptr);
	else
		free(ptr);
}

static void *grant_realloc(struct jsb_heap *h, void *ptr, size_t size)
{
	if (!ptr)
		return grant_alloc(h, size);
	if (size == 0) {
		jsb_heap_free(h, ptr);
		return NULL;
	}
	size_t old = block_size(h, ptr);
	if (size > old && !fits(h, size - old, size))
		return NULL;
	void *p = block_realloc(h, ptr, size);
	if (!p) {
		refuse(h, size);
		return NULL;
	}
	size_t now = block_size(h, p);
	h->used = h->used - old + now;
	if (now > old)
		granted(h, size);
	return p;
}

/* The evaluator's own buffers (input text, console and result text) have
 * no collector to retry after them: one refusal is final, and ends the run
 * as a memory limit even if the script catches the error it causes. */
void *jsb_heap_alloc(struct jsb_heap *h, size_t size)
{
	void *p = grant_alloc(h, size);
	if (!p && size)
		jsb_limits_stop(h->limits, JSB_STOP_MEMORY);
	return p;
}

void *jsb_heap_realloc(struct jsb_heap *h, void *ptr, size_t size)
{
	void *p = grant_realloc(h, ptr, size);
	if (!p && size)
		jsb_limits_stop(h->limits, JSB_STOP_MEMORY);
	return p;
}

static void *heap_alloc(void *udata, duk_size_t size)
{
	return grant_alloc(udata, size);
}

static void *heap_realloc(void *udata, void *ptr, duk_size_t size)
{
	return grant_realloc(udata, ptr, size);
}

static void heap_free(void *udata, void *ptr)
{
	jsb_heap_free(udata, ptr);
}

duk_context *jsb_heap_create(struct jsb_heap *h)
{
	duk_context *ctx = duk_create_heap(heap_alloc, heap_realloc, heap_free, h, jsb_heap_fatal);
	/* What jsbox adds to the engine's built-ins, in every heap. */
	if (ctx) {
		jsb_regexp_extend(ctx);
		jsb_arraybuffer_extend(ctx);
		jsb_unscopables_extend(ctx);
		jsb_normalize_install(ctx);
	}
	return ctx;
}

void jsb_heap_fatal(void *udata, const char *msg)
{
	struct jsb_heap *h = udata;
	char size[32];
	if (h && h->out)
		jsb_out_flush(h->out);
	if (h && (h->limits->stop == JSB_STOP_MEMORY || h->refusals > 0)) {
		jsb_format_size(size, sizeof size, h->limit);
		jsb_out_error(h ? h->out : NULL, "memory limit exceeded", "%s", size);
		_exit(JSB_EXIT_MEMORY);
	}
	jsb_out_error(h ? h->out : NULL, "internal error", "engine: %s", msg ? msg : "fatal error");
	_exit(JSB_EXIT_INTERNAL);
}
