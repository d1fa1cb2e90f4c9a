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

/* Frame: channel byte, 4-byte little-endian length, payload. */
enum jsb_channel {
	JSB_CH_STDOUT = 1,
	JSB_CH_STDERR = 2,
	JSB_CH_STATS = 3,
	JSB_CH_STATUS = 4, /* the exit code, last: everything has been reported */
	JSB_CH_ES5 = 5     /* a transpiled source, for the parent's cache */
};
#define JSB_FRAME_HEADER 5

struct jsb_out {
	int fd;
	uint64_t limit;  /* the output limit, for a run or (streams) a record */
	uint64_t budget; /* used may grow to this */
	uint64_t used;   /* script bytes written in the whole run */
	struct jsb_limits *limits;
	bool line_flush;       /* flush stdout at each newline (terminal, --line-buffered) */
	bool progress_shown;   /* a --progress line is on the terminal, not erased yet */
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

/* "jsbox: <kind>: <detail>" on the stderr channel; out may be NULL (then fd 2). */
void jsb_out_error(struct jsb_out *out, const char *kind, const char *fmt, ...) JSB_PRINTF(3, 4);

void jsb_out_flush(struct jsb_out *out);

/* --progress: replaces the progress line on stderr with text (len 0:
 * erases it) and flushes.  Any later output erases it first. */
void jsb_out_progress(struct jsb_out *out, const char *text, size_t len);

/* In the supervisor, once the evaluator is dead without having said why:
 * the length of the complete frames it left in b (closing the open one),
 * 0 when a write was under way (the pipe had them) or b is not sound. */
size_t jsb_out_pending(struct jsb_outbuf *b);

/* The reading side of the format (the supervisor, the REPL session). */
struct jsb_frames {
	int channel; /* of the frame being read */
	size_t left; /* payload bytes left in it */
	unsigned char head[JSB_FRAME_HEADER];
	size_t head_len;
};

/* Receives one piece of a frame's payload; last when the frame is complete
 * (an empty frame arrives once, with len 0). */
typedef void (*jsb_frame_fn)(void *ctx, int channel, const char *data, size_t len, bool last);

/* Splits bytes read from the pipe into frames, as they come. */
void jsb_frames_feed(struct jsb_frames *f, const char *buf, size_t len, jsb_frame_fn fn, void *ctx);

#endif
