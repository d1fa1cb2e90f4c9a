/* The wire between the trusted parent and a confined evaluator: output
 * frames on one pipe, requests on another (sessions), and the page they
 * share.  Both sides include it; the parent trusts nothing it reads here
 * (a compromised evaluator can write anything), so every reader checks. */
#ifndef JSB_WIRE_H
#define JSB_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Frame: channel byte, 4-byte little-endian length, payload.  Requests
 * (parent -> evaluator) have the same shape with a request type first. */
#define JSB_FRAME_HEADER 5

enum jsb_channel {
	JSB_CH_STDOUT = 1,
	JSB_CH_STDERR = 2,
	JSB_CH_STATS = 3,
	JSB_CH_STATUS = 4, /* the exit code, last: everything has been reported */
	JSB_CH_ES5 = 5,    /* a transpiled source, for the parent's cache */
	/* --json-result: a console line as the envelope holds it (a JSON
	 * string, CESU-8), kept by the parent for the envelope it owes if the
	 * evaluator dies; an empty frame starts a record's list afresh. */
	JSB_CH_CONSOLE = 6
};

enum jsb_request {
	JSB_REQ_EVAL = 'e',     /* code to compile and run */
	JSB_REQ_COMPLETE = 'k', /* a dotted identifier path to complete */
	JSB_REQ_INPUT = 'i',    /* "name\0json": bind `input` */
	JSB_REQ_JOB = 'j'       /* a server's job (struct jsb_wire_job) */
};

/* Second byte of a session's status frame (the first is the exit code). */
enum jsb_reply {
	JSB_REPLY_DONE = 0,
	JSB_REPLY_INCOMPLETE = 1, /* the code ended early: nothing ran */
	JSB_REPLY_HEAP_KEPT = 2,  /* out of memory; collected, state kept */
	JSB_REPLY_HEAP_LOST = 3   /* out of memory; the heap is unusable, exiting */
};

/* Output frames not yet written to the pipe (engine/confined/out.c owns
 * them).  In the shared page, so that what a killed or crashed evaluator
 * had buffered still reaches the user (jsb_wire_pending). */
struct jsb_outbuf {
	volatile int flushing; /* a write is under way: part of data may be in the pipe */
	int channel;           /* channel of the open frame, 0 when none */
	size_t frame_at;       /* offset of the open frame's header */
	size_t len;
	char data[64 * 1024];
};

/* Shared through a MAP_SHARED page created before fork: the evaluator
 * publishes its current deadline, the supervisor enforces it. */
struct jsb_shared {
	volatile uint64_t deadline_ns; /* monotonic; 0 = not armed */
	volatile uint64_t peak_bytes;  /* heap high-water mark, for --stats */
	volatile int blocked_syscall;  /* 1 + the call the jail stopped, 0 if none */
	volatile int reported;         /* 1 + the exit code once the evaluator said why it ends */
	volatile int stopping;         /* the evaluator saw a limit and is unwinding to report it */
	volatile uint64_t allocs;      /* allocations so far, for --stats */
	volatile int envelope_pending; /* --json-result: the parent writes the envelope owed */
	volatile uint64_t record;      /* --ndjson: the record running (0 = none) */
	volatile unsigned long record_line;
	volatile int translating;   /* the deadline is the translation's (transpile_timeout) */
	volatile int waiting_input; /* blocked on the input: a timeout says so */
	/* --json-result: when the run's or record's time began (monotonic,
	 * the translation left out) and how long translating took, for the
	 * time_ms and transpile_ms of an envelope the parent writes */
	volatile uint64_t started_ns;
	volatile uint64_t transpile_ns;
	struct jsb_outbuf pending; /* the evaluator's output buffer */
};

/* --stats: what the evaluator measured, sent as one JSB_CH_STATS frame of
 * exactly this size (both sides are one program, forked); the parent
 * writes the JSON line from it. */
struct jsb_wire_stats {
	double cpu_ms, transpile_ms;
	uint64_t transpile_heap_peak, transpile_allocations;       /* the transpiler's heaps */
	uint64_t heap_peak, heap_limit, allocations, output_bytes; /* the script's */
	uint64_t records_in, records_out, records_skipped;
	unsigned denials[4]; /* SecurityErrors: eval, timers, duktape, read */
	int limit;  /* which limit ended the run (engine/confined/limits.h's enum jsb_stop) */
	int exit;   /* the exit code */
	int stream; /* --ndjson: the records counts mean something */
};

/* The name --stats gives a stats limit ("time"), NULL for none or nonsense. */
const char *jsb_wire_limit_name(int limit);

/* The reading side of the frame format. */
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

/* True between frames: nothing of a frame is half read. */
bool jsb_frames_between(const struct jsb_frames *f);

/* Writes a frame header for channel and payload length n. */
void jsb_wire_header(unsigned char h[JSB_FRAME_HEADER], int channel, uint32_t n);

struct iovec;
/* Writes the n pieces of v whole (retrying short writes and EINTR; v is
 * used up as it goes); false when the pipe fails. */
bool jsb_wire_writev(int fd, struct iovec *v, int n);

/* Closes b's open frame: its header gets the payload's length. */
void jsb_wire_close_frame(struct jsb_outbuf *b);

/* In the parent, once the evaluator is dead without having said why: the
 * length of the complete frames it left in b (closing the open one), 0
 * when a write was under way (the pipe had them) or b is not sound. */
size_t jsb_wire_pending(struct jsb_outbuf *b);

/* A server's job as sent to a worker: the limits of its policy (the
 * worker keeps the rest of the server's), flags, source, input JSON and
 * --argjson-style globals.  Strings point into the payload. */
#define JSB_WIRE_MAX_BINDS 64
struct jsb_wire_job {
	uint32_t flags; /* JSB_JOB_* */
	uint32_t caps;
	uint64_t memory, timeout_ms, transpile_timeout_ms, max_output, max_timers;
	const char *source;
	size_t source_len;
	const char *input; /* NULL: `input` is null */
	size_t input_len;
	size_t n_binds;
	const char *bind_names[JSB_WIRE_MAX_BINDS];
	const char *bind_values[JSB_WIRE_MAX_BINDS]; /* JSON text */
};

/* The payload for j into buf (NULL: only the size); its size. */
size_t jsb_wire_job_pack(const struct jsb_wire_job *j, char *buf);

/* Reads a payload of len bytes (NUL-terminated at len) into j; false when
 * it is malformed. */
bool jsb_wire_job_unpack(struct jsb_wire_job *j, const char *buf, size_t len);

#endif
