/* The evaluator's memory budget and its Duktape heap.
 * Owns every byte the evaluator allocates for script data (Duktape heap,
 * input text, output encoding); refuses past the cap, never aborts. */
#ifndef JSB_HEAP_H
#define JSB_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "duktape.h"
#include "engine/confined/limits.h"

struct jsb_arena;
struct jsb_out;
struct jsb_prof;

struct jsb_heap {
	uint64_t limit;
	uint64_t used;
	uint64_t peak;
	uint64_t allocs;
	uint64_t refused_size; /* the request being refused, and how often */
	unsigned refusals;
	unsigned episodes; /* requests refused at least once */
	struct jsb_limits *limits;
	struct jsb_out *out; /* flushed by the fatal handler before it exits */
	/* Where the bytes come from: a server worker's region, put back after
	 * each job (engine/confined/arena.c), or malloc when NULL. */
	struct jsb_arena *arena;
	/* The figures stay out of the shared page, where the supervisor reads
	 * the script's (the transpiler's heap, which --stats reports apart). */
	bool unpublished;
	/* --prof: the sampler the exec-timeout hook calls, else NULL (a
	 * pointer, so tools linking the hook need not link the profiler). */
	struct jsb_prof *prof;
	void (*prof_tick)(struct jsb_prof *prof);
};

/* Budgeted allocation for the evaluator's own buffers; NULL past the cap. */
void *jsb_heap_alloc(struct jsb_heap *h, size_t size);
void *jsb_heap_realloc(struct jsb_heap *h, void *ptr, size_t size);
void jsb_heap_free(struct jsb_heap *h, void *ptr);

/* A Duktape heap whose allocations go through the budget and whose fatal
 * handler ends the run with the documented exit code.  NULL if even the
 * empty heap does not fit. */
duk_context *jsb_heap_create(struct jsb_heap *h);

/* [ ... obj ] -> [ ... obj ]: obj[name] = fn as a built-in method (named,
 * not enumerable). */
void jsb_define_method(duk_context *ctx, const char *name, duk_c_function fn, duk_idx_t nargs);

/* Ends the evaluator: "memory limit exceeded" (exit 4) if the budget ran
 * out, else "internal error" (exit 70).  Never returns. */
void jsb_heap_fatal(void *udata, const char *msg);

#endif
