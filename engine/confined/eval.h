/* The evaluator's core: the state of one evaluation (struct jsb_eval) and
 * the few calls every feature may make into it: find the evaluation a
 * binding runs in, call protected, report an error, say how a run or
 * record failed.  Features (bindings, timers, envelope, input, prof,
 * progress, modern/, readFile) include this header, not run.h, whose steps
 * are for the run's drivers.  eval.c implements it and calls no feature:
 * what a report needs of them (denial marks, a translation's line marks,
 * the envelope's note) is kept here. */
#ifndef JSB_EVAL_H
#define JSB_EVAL_H

#include <stdbool.h>

#include "duktape.h"
#include "engine/confined/heap.h"
#include "engine/confined/limits.h"
#include "engine/confined/out.h"
#include "engine/engine.h"

struct jsb_timers;

/* Line `line` of a translation came from line `source` of the script (the
 * lines after it follow on, up to the next mark). */
struct jsb_line_mark {
	long line, source;
};

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
	/* jsbox's note: the type an exit code stands for and "kind: detail",
	 * whole (fail_short holds it cut only when memory was refused) */
	const char *fail_type;
	char *fail_message;
	char fail_short[512];
	/* the thrown error's name and message, copied to the heap (NULL when
	 * none, or when the heap refused: the note stands then) */
	char *thrown_name, *thrown_message;
	size_t thrown_message_len;
	long fail_line;
	char *console;
	size_t console_len, console_cap;
	/* A translation whose lines are not the source's: where they differ
	 * (jsb_eval_source_line). */
	struct jsb_line_mark *line_marks;
	size_t n_line_marks;
	/* The script's translation, which has a deadline of its own: how long
	 * it took (--stats, the envelope), and whether it ran out of time. */
	uint64_t transpile_ns;
	bool transpile_expired;
	/* Reading the input (engine/confined/input.c): the exit code of a
	 * failure already reported, and whether the deadline passed while
	 * waiting for it. */
	int input_failed;
	bool waiting_input;
	/* The transpiler's heaps, apart from the script's (--stats): the
	 * highest peak of one translation, and allocations in all of them. */
	uint64_t transpile_peak, transpile_allocs;
	/* CPU time the process had used before this run (a server's worker
	 * runs many): --stats reports the run's own. */
	double cpu_base_ms;
};

/* Reports how a run or record failed, whole (one message, or an --on-error emit
 * line, remembered for the envelope); returns code. */
int jsb_eval_say(struct jsb_eval *ev, int code, const char *kind, const char *fmt, ...)
    JSB_PRINTF(4, 5);

/* In stream mode: a failure that belongs to the record (its script threw or
 * its JSON is invalid), which --on-error may skip; limits always stop. */
bool jsb_eval_record_level(const struct jsb_eval *ev, int code);

/* The evaluation a binding runs in (through the heap's udata). */
struct jsb_eval *jsb_eval_current(duk_context *ctx);

/* Calls fn(ctx, ev) protected, with nargs from the stack and one result
 * left on it; on error (or a limit hit meanwhile) reports it and returns
 * its exit code. */
int jsb_eval_protect(struct jsb_eval *ev, duk_safe_call_function fn, duk_idx_t nargs);

/* "file:line" of the innermost script frame of the error at idx. */
void jsb_eval_place(struct jsb_eval *ev, duk_idx_t idx, char *buf, size_t size);

/* Reports the error on top of the stack as one line (plus the trace with
 * --stack-trace); returns its exit code. */
int jsb_eval_report(struct jsb_eval *ev);

/* "memory limit exceeded", or "time limit exceeded" with what ran out
 * (the run's, a record's, the total or the translation's time), said;
 * return their exit code. */
int jsb_eval_memory_exceeded(struct jsb_eval *ev);
int jsb_eval_time_exceeded(struct jsb_eval *ev);

/* Remembers a failure for the --json-result envelope: the type its exit
 * code stands for and "kind: detail" (say does this). */
void jsb_eval_note(struct jsb_eval *ev, int code, const char *kind, const char *detail);

/* Forgets the note and the thrown error's name and message kept for the
 * envelope (a run or record starts; a server's worker ends a job). */
void jsb_eval_forget(struct jsb_eval *ev);

/* The script's line that line `line` of its translation came from. */
long jsb_eval_source_line(const struct jsb_eval *ev, long line);

/* Marks the error at idx as a denial already reported (and counted) when
 * it was raised: reported again it is the policy's ending, not a script
 * error. */
void jsb_eval_mark_reported(duk_context *ctx, duk_idx_t idx);

#endif
