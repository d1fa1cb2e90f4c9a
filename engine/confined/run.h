/* One evaluation in the evaluator process: heap, globals, input, compile,
 * run, result.  Runs inside the confined child; reports through its out.
 * The steps of a run, for the run's drivers (the evaluator's entry point,
 * stream mode, a session's requests); features see engine/confined/eval.h. */
#ifndef JSB_RUN_H
#define JSB_RUN_H

#include "engine/confined/eval.h"

/* For jsb_eval_protect: [ ... ] -> [ ... function ], job->source compiled
 * (translated when modern); udata is the evaluation. */
duk_ret_t jsb_run_compile(duk_context *ctx, void *udata);

/* Runs the compiled function at fn_idx once and writes its result. */
int jsb_run_compiled(struct jsb_eval *ev, duk_idx_t fn_idx);

/* Runs the job, writing frames to out_fd; returns the exit code.  The
 * steps below, in this order, are what it does. */
int jsb_run_evaluate(const struct jsb_job *job, int out_fd, int files_fd,
                     struct jsb_shared *shared);

/* Limits armed, output set up, heap created, globals installed.  ev is
 * zeroed but for ev->heap.arena: where the heap's memory comes from. */
int jsb_run_open(struct jsb_eval *ev, const struct jsb_job *job, int out_fd, int files_fd,
                 struct jsb_shared *shared);

/* `input` and the --arg/--argjson globals. */
int jsb_run_bind(struct jsb_eval *ev);

/* Compiles and runs job->source, writes the result; returns the exit code. */
int jsb_run_source(struct jsb_eval *ev);

/* --stats frame and the final flush. */
void jsb_run_close(struct jsb_eval *ev, int code);

#endif
