/* One evaluation in the evaluator process: heap, globals, input, compile,
 * run, result.  Runs inside the confined child; reports through its out. */
#ifndef JSB_RUN_H
#define JSB_RUN_H

#include "duktape.h"
#include "engine/engine.h"
#include "engine/heap.h"
#include "engine/limits.h"
#include "engine/out.h"

struct jsb_eval {
	const struct jsb_job *job;
	struct jsb_limits limits;
	struct jsb_heap heap;
	struct jsb_out out;
	duk_context *ctx;
	unsigned denials; /* SecurityErrors raised, for --stats */
};

/* The evaluation a binding runs in (through the heap's udata). */
struct jsb_eval *jsb_run_current(duk_context *ctx);

/* Runs the job, writing frames to out_fd; returns the exit code. */
int jsb_run_evaluate(const struct jsb_job *job, int out_fd, struct jsb_shared *shared);

#endif
