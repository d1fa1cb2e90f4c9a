/* Stream mode.  The splitter: a stream of whitespace-separated JSON values
 * read from a descriptor with a bounded buffer, finding where each value
 * ends without parsing it, so the memory used is the largest record, not
 * the stream; it must not parse values or decide what a bad record means.
 * The record loop on top of it: --ndjson runs the script once per value,
 * --slurp binds them all as one array. */
#ifndef JSB_STREAM_H
#define JSB_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/confined/heap.h"

enum jsb_stream_status {
	JSB_STREAM_RECORD,    /* one value's text */
	JSB_STREAM_END,       /* the input ended between values */
	JSB_STREAM_TRUNCATED, /* the input ended inside a value (its text is given) */
	JSB_STREAM_MEMORY,    /* a single value does not fit the memory limit */
	JSB_STREAM_READ_ERROR /* read() failed; errno is in `error` */
};

struct jsb_stream {
	int fd;
	struct jsb_heap *heap;
	char *buf;
	size_t cap, start, end; /* unread bytes are buf[start, end) */
	bool eof, begun, regular;
	unsigned long line; /* input line of buf[start] */
	uint64_t records;   /* values returned so far */
	uint64_t bytes;     /* read so far (--progress) */
	int error;
	/* Called before a read that may block (to pass on buffered output). */
	void (*on_wait)(void *arg);
	void *wait_arg;
};

void jsb_stream_init(struct jsb_stream *s, int fd, struct jsb_heap *heap);

/* The next value: its text (valid until the next call) and the input line
 * it starts on. */
enum jsb_stream_status jsb_stream_next(struct jsb_stream *s, const char **text, size_t *len,
                                       unsigned long *line);

void jsb_stream_free(struct jsb_stream *s);

struct jsb_eval;

/* --ndjson: compiles once, then runs once per value of the input, in the
 * same heap, until the input ends or a record fails (per --on-error). */
int jsb_stream_run(struct jsb_eval *ev);

/* --slurp: [ ... ] -> [ ... ] with `input` the array of every value. */
int jsb_stream_slurp(struct jsb_eval *ev);

#endif
