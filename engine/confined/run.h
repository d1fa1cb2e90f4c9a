/* One evaluation in the evaluator process: heap, globals, input, compile,
 * run, result.  Runs inside the confined child; reports through its out. */
#ifndef JSB_RUN_H
#define JSB_RUN_H

#include "duktape.h"
#include "engine/confined/heap.h"
#include "engine/confined/limits.h"
#include "engine/confined/out.h"
#include "engine/engine.h"

struct jsb_timers;
struct jsb_line_mark;

struct jsb_eval {
	const struct jsb_job *job;
	struct jsb_limits limits;
	struct jsb_heap heap;
	struct jsb_out out;
	duk_context *ctx;
	unsigned denials[4];       /* SecurityErrors raised, by capability bit index (--stats) */
	struct jsb_timers *timers; /* moderate/permissive: pending timers */
	int files_fd; /* permissive --allow-read: socket to the supervisor's file reader */
	/* Stream mode (--ndjson): the record being run (1-based; 0 outside the
	 * loop), where it starts, and the counts --stats reports. */
	uint64_t record, records_in, records_out, records_skipped;
	unsigned long record_line;
	uint64_t total_deadline_ns; /* --total-timeout; 0 = none */
	uint64_t record_start_ns;
	/* --json-result: what the envelope says about a failure, and console
	 * text captured as a JSON array's elements (CESU-8). */
	int said; /* exit code + 1 of the last message say() wrote while reporting; 0 none */
	char fail_type[48], fail_message[1024];
	long fail_line;
	char *console;
	size_t console_len, console_cap;
	/* A translation whose lines are not the source's: where they differ
	 * (jsb_modern_source_line). */
	struct jsb_line_mark *line_marks;
	size_t n_line_marks;
	/* The script's translation, which has a deadline of its own: how long
	 * it took (--stats, the envelope), and whether it ran out of time. */
	uint64_t transpile_ns;
	bool transpile_expired;
	/* The transpiler's heaps, apart from the script's (--stats): the
	 * highest peak of one translation, and allocations in all of them. */
	uint64_t transpile_peak, transpile_allocs;
	/* Reading the input (engine/confined/input.c): the exit code of a
	 * failure already reported, and whether the deadline passed while
	 * waiting for it. */
	int input_failed;
	bool waiting_input;
};

/* In stream mode: a failure that belongs to the record (its script threw or
 * its JSON is invalid), which --on-error may skip; limits always stop. */
bool jsb_run_record_level(const struct jsb_eval *ev, int code);

/* --json-result: keeps console text for the envelope instead of writing
 * it (counted against the output budget).  False when the budget ran out. */
bool jsb_run_capture(struct jsb_eval *ev, const char *text, size_t len);

/* The evaluation a binding runs in (through the heap's udata). */
struct jsb_eval *jsb_run_current(duk_context *ctx);

/* Runs the job, writing frames to out_fd; returns the exit code.  The
 * steps below, in this order, are what it does. */
int jsb_run_evaluate(const struct jsb_job *job, int out_fd, int files_fd,
                     struct jsb_shared *shared);

/* Limits armed, output set up, heap created, globals installed. */
int jsb_run_open(struct jsb_eval *ev, const struct jsb_job *job, int out_fd, int files_fd,
                 struct jsb_shared *shared);

/* [ ... ] -> [ ... value ]: the job's input read and parsed (empty lazy
 * stdin is null); on failure reports it and returns its exit code. */
int jsb_run_input_value(struct jsb_eval *ev);

/* `input` and the --arg/--argjson globals. */
int jsb_run_bind(struct jsb_eval *ev);

/* Compiles and runs job->source, writes the result; returns the exit code. */
int jsb_run_source(struct jsb_eval *ev);

/* --stats frame and the final flush. */
void jsb_run_close(struct jsb_eval *ev, int code);

/* Calls fn(ctx, ev) protected, with nargs from the stack and one result
 * left on it; on error (or a limit hit meanwhile) reports it and returns
 * its exit code. */
int jsb_run_protect(struct jsb_eval *ev, duk_safe_call_function fn, duk_idx_t nargs);

/* "file:line" of the innermost script frame of the error at idx. */
void jsb_run_place(struct jsb_eval *ev, duk_idx_t idx, char *buf, size_t size);

/* Reports the error on top of the stack as one line (plus the trace with
 * --stack-trace); returns its exit code. */
int jsb_run_report(struct jsb_eval *ev);

#endif
