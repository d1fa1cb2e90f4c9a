/* --progress: one line on stderr about a stream run (records, bytes, rate;
 * percent and time left for a regular file), redrawn at most ten times a
 * second and erased at the end.  Only asked for when stderr is a terminal. */
#ifndef JSB_PROGRESS_H
#define JSB_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

struct jsb_eval;

struct jsb_progress {
	bool on;
	uint64_t start_ns, next_ns;
	uint64_t size; /* of a regular input file, else 0 */
};

/* file_fd: the input when it is a regular file (percent and time left), or
 * -1. */
void jsb_progress_init(struct jsb_progress *pg, const struct jsb_eval *ev, int file_fd);

/* Redraws the line if a tenth of a second has passed since the last time;
 * done: the input's bytes taken so far. */
void jsb_progress_tick(struct jsb_progress *pg, struct jsb_eval *ev, uint64_t done);

/* Erases the line. */
void jsb_progress_end(struct jsb_progress *pg, struct jsb_eval *ev);

#endif
