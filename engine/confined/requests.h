/* The evaluator's request loop for sessions (the REPL): the parent sends
 * requests (engine/lib/wire.h), the evaluator answers each with output
 * frames, a JSB_CH_STATS frame of data and a JSB_CH_STATUS frame. */
#ifndef JSB_REQUESTS_H
#define JSB_REQUESTS_H

#include "engine/engine.h"
#include "engine/lib/wire.h"

/* Opens the heap for job, then answers requests read from req_fd until it
 * closes.  Runs confined; never returns. */
void jsb_session_serve(const struct jsb_job *job, int req_fd, int out_fd, struct jsb_shared *shared)
    __attribute__((noreturn));

/* For request loops (this one and a server worker's): reads exactly len
 * bytes, false at end of file or error; the process's CPU time in ms. */
bool jsb_requests_read(int fd, void *buf, size_t len);
double jsb_requests_cpu_ms(void);

#endif
