/* The parent's output to stdout and stderr: one queue, in the order the
 * evaluator wrote, written without blocking so that a slow or stopped
 * reader never stalls supervision.  Owns the bytes until they are out;
 * the caller decides how much backlog it lets build up. */
#ifndef JSB_SINK_H
#define JSB_SINK_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct jsb_chunk;

struct jsb_sink {
	struct jsb_chunk *head, *tail;
	uint64_t backlog;   /* bytes queued */
	uint64_t total;     /* bytes put, in all */
	int nowait[3];      /* per fd 1, 2: 1 RWF_NOWAIT works, 0 unknown, -1 it does not */
	int error;          /* errno of the first failed write, 0 if none */
	const char *failed; /* "stdout" or "stderr" */
};

/* Queues len bytes for fd (1 or 2) and writes what can go at once.  False
 * when memory for the queue ran out (the bytes are lost; error is set). */
bool jsb_sink_put(struct jsb_sink *k, int fd, const char *data, size_t len);

/* The descriptor to poll for room (0 when nothing waits). */
int jsb_sink_fds(const struct jsb_sink *k, struct pollfd *p);

/* Writes what can go now. */
void jsb_sink_flush(struct jsb_sink *k);

/* Writes everything, waiting for the reader as long as it takes (the
 * evaluator is gone: nothing else needs watching), then frees the queue. */
void jsb_sink_finish(struct jsb_sink *k);

#endif
