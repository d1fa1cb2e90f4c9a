/* A server's worker (jsbox serve): answers JSB_REQ_JOB requests until the
 * parent closes the pipe.  Each job runs as a one-shot run with
 * --json-result and --stats: output frames, a JSB_CH_STATS frame, then
 * JSB_CH_STATUS with the exit code. */
#ifndef JSB_WORKER_H
#define JSB_WORKER_H

#include <stdbool.h>

#include "engine/engine.h"
#include "engine/lib/wire.h"

/* First a ready status, then jobs.  tmpl: the server's job (policy, flags);
 * keep: a session's worker, whose heap and globals outlive each job.
 * Runs confined; never returns. */
void jsb_worker_serve(const struct jsb_job *tmpl, int req_fd, int out_fd, int files_fd,
                      struct jsb_shared *sh, bool keep) __attribute__((noreturn));

#endif
