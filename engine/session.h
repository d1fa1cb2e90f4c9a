/* The wire between an interactive session's parent and its evaluator.
 * Requests (parent -> evaluator): a type byte, a 4-byte little-endian
 * length, the payload.  Replies use the output frames of engine/confined/out.h; a
 * JSB_CH_STATS frame carries a request's data, a JSB_CH_STATUS frame ends it. */
#ifndef JSB_SESSION_H
#define JSB_SESSION_H

#include "engine/confined/limits.h"
#include "engine/engine.h"

enum jsb_request {
	JSB_REQ_EVAL = 'e',     /* code to compile and run */
	JSB_REQ_COMPLETE = 'k', /* a dotted identifier path to complete */
	JSB_REQ_INPUT = 'i'     /* "name\0json": bind `input` */
};

/* Second byte of a status frame (the first is the exit code). */
enum jsb_reply {
	JSB_REPLY_DONE = 0,
	JSB_REPLY_INCOMPLETE = 1, /* the code ended early: nothing ran */
	JSB_REPLY_HEAP_KEPT = 2,  /* out of memory; collected, state kept */
	JSB_REPLY_HEAP_LOST = 3   /* out of memory; the heap is unusable, exiting */
};

/* The evaluator of a session: opens the heap, then answers requests read
 * from req_fd until it closes.  Runs confined; never returns. */
void jsb_session_serve(const struct jsb_job *job, int req_fd, int out_fd, struct jsb_shared *shared)
    __attribute__((noreturn));

#endif
