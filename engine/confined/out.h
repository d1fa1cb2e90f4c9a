/* The evaluator's output: buffered frames on one pipe to the supervisor.
 * Counts script output against the output budget; jsbox's own messages are
 * not counted.  One pipe keeps stdout and stderr in the order written. */
#ifndef JSB_OUT_H
#define JSB_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/jsbox.h"
#include "engine/confined/limits.h"
#include "engine/lib/wire.h"

struct jsb_out {
	int fd;
	uint64_t limit;  /* the output limit, for a run or (streams) a record */
	uint64_t budget; /* used may grow to this */
	uint64_t used;   /* script bytes written in the whole run */
	struct jsb_limits *limits;
	bool line_flush;     /* flush stdout at each newline (terminal, --line-buffered) */
	bool progress_shown; /* a --progress line is on the terminal, not erased yet */
	/* A server worker's job ending: its frames (envelope, stats, status) are
	 * written together by one jsb_out_flush() (the shared page's buffer
	 * keeps them for a salvage meanwhile). */
	bool hold;
	struct jsb_outbuf *b;  /* the shared page's buffer, or own */
	struct jsb_outbuf own; /* without a shared page */
};

/* Buffers in lim's shared page when it has one. */
void jsb_out_init(struct jsb_out *out, int fd, uint64_t budget, struct jsb_limits *lim,
                  bool line_flush);

/* Stream mode: the next record may write limit bytes more. */
void jsb_out_next_record(struct jsb_out *out);

/* Script output (console, results).  False when the budget ran out: what
 * fitted is kept, the run is stopped with JSB_STOP_OUTPUT. */
bool jsb_out_script(struct jsb_out *out, enum jsb_channel ch, const char *data, size_t len);

/* jsbox's own bytes on a channel (messages, stats); not counted. */
void jsb_out_raw(struct jsb_out *out, enum jsb_channel ch, const char *data, size_t len);

/* A JSON writer's sink (engine/lib/jsonw.h) onto the stdout channel, as
 * jsbox's own bytes: the envelope and emit lines, whose result alone
 * counts against the output budget. */
bool jsb_out_stdout_sink(void *out, const char *data, size_t len);

/* "jsbox: <kind>: <detail>" on the stderr channel; out may be NULL (then fd 2). */

void jsb_out_error(struct jsb_out *out, const char *kind, const char *fmt, ...) JSB_PRINTF(3, 4);

void jsb_out_flush(struct jsb_out *out);

/* --progress: replaces the progress line on stderr with text (len 0:
 * erases it) and flushes.  Any later output erases it first. */
void jsb_out_progress(struct jsb_out *out, const char *text, size_t len);

#endif
