/* The engine's contract with the command line: a job in, an exit code out.
 * The supervisor runs the job in a confined child; nothing else of the
 * engine is visible to cli/. */
#ifndef JSB_ENGINE_H
#define JSB_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/policy.h"

/* --arg NAME VALUE / --argjson NAME JSON */
struct jsb_bind {
	const char *name;
	const char *value;
	bool json;
};

enum jsb_job_flags {
	JSB_JOB_COMPACT = 1u << 0,     /* -c: compact JSON */
	JSB_JOB_RAW = 1u << 1,         /* -r: strings without quotes */
	JSB_JOB_STACK_TRACE = 1u << 2, /* --stack-trace */
	JSB_JOB_STATS = 1u << 3,       /* --stats */
	JSB_JOB_NO_JAIL = 1u << 4,     /* --no-jail */
	JSB_JOB_COLOR = 1u << 5,       /* colors for console inspection */
	JSB_JOB_LINE_FLUSH = 1u << 6,  /* stdout is interactive */
	JSB_JOB_FUNCTION = 1u << 7,    /* the source is a function body (top-level return) */
	JSB_JOB_JSON_RESULT = 1u << 8, /* --json-result: one envelope per run or record */
	JSB_JOB_CACHE = 1u << 9,       /* send a transpiled source back on JSB_CH_ES5 */
	/* input_fd is a piped stdin, read on the script's first use of
	 * `input` (never, if it uses none); empty means null. */
	JSB_JOB_LAZY_INPUT = 1u << 10,
	JSB_JOB_CHECK = 1u << 11,     /* `jsbox check`: compile (and translate), run nothing */
	JSB_JOB_PROF = 1u << 12,      /* --prof: sample the call stack, report on stderr */
	JSB_JOB_PROF_JSON = 1u << 13, /* --prof=json: the report as one JSON line */
	JSB_JOB_PROGRESS = 1u << 14,  /* --progress on a terminal: a stream's progress line */
	JSB_JOB_TRANSPILE = 1u << 15  /* `jsbox transpile`: compile (translating), never run */
};

/* How the input becomes `input`. */
enum jsb_records {
	JSB_RECORDS_ONE,    /* one JSON value (or null without input) */
	JSB_RECORDS_STREAM, /* --ndjson: the script runs once per value */
	JSB_RECORDS_SLURP   /* --slurp: every value in one array */
};

/* --on-error: what a failing record does in stream mode. */
enum jsb_on_error { JSB_ON_ERROR_STOP, JSB_ON_ERROR_SKIP, JSB_ON_ERROR_EMIT };

struct jsb_job {
	const char *source; /* UTF-8, not NUL-terminated */
	size_t source_len;
	const char *source_name; /* file name, or "<eval>" / "<stdin>" */
	int input_fd;            /* JSON input, or -1 for `input = null` */
	const char *input_text;  /* or the JSON input as text (a server's job) */
	size_t input_len;
	const char *input_name;
	const struct jsb_bind *binds;
	size_t n_binds;
	const struct jsb_policy *policy;
	unsigned flags;
	enum jsb_records records;
	enum jsb_on_error on_error;
	uint64_t total_timeout_ms; /* --total-timeout; 0 = none (stream mode) */
	/* ES5 translation of a modern source, from the transpile cache (NULL
	 * when none); es5_out, when set, receives a translation the evaluator
	 * made (malloc'd; the caller frees it). */
	const char *es5;
	size_t es5_len;
	struct jsb_es5 *es5_out;
};

struct jsb_es5 {
	char *text;
	size_t len;
};

/* Runs the job in a confined evaluator and returns the exit code; any
 * message has been printed. */
int jsb_engine_run(const struct jsb_job *job);

/* jsbox serve: how the job server runs (the flags of `jsbox serve`). */
struct jsb_serve_opts {
	unsigned workers;            /* --workers */
	const char *listen;          /* --listen unix:PATH; NULL: stdin and stdout */
	unsigned socket_mode;        /* --socket-mode */
	uint64_t max_queue;          /* --max-queue */
	uint64_t queue_timeout_ms;   /* --queue-timeout; 0 = none */
	double rate_limit;           /* --rate-limit: jobs per second per client; 0 = none */
	uint64_t worker_max_jobs;    /* --worker-max-jobs; 0 = no recycling */
	uint64_t session_idle_ms;    /* --session-idle */
	uint64_t max_sessions;       /* --max-sessions */
	uint64_t max_request;        /* --max-request; 0: 16 MiB a line, 1 MiB an HTTP body */
	const char *http;            /* --http HOST:PORT or unix:PATH; NULL: none */
	const char *auth_token_file; /* --auth-token-file */
	unsigned max_batch;          /* --max-batch (HTTP); 0: 20 */
	bool log_json;               /* --log-format json */
	bool quiet;                  /* --quiet: no log lines */
};

/* Runs the server until it is told to stop (SIGTERM, SIGINT) or, on stdin,
 * until its input ends and everything is answered; job is the server's
 * job (its policy is every job's default and ceiling).  Returns the exit
 * code. */
int jsb_engine_serve(const struct jsb_job *job, const struct jsb_serve_opts *o);

/* An interactive session: one confined evaluator kept alive across
 * evaluations, so variables persist.  Each request gets the policy's
 * deadline; the memory cap holds for the whole session. */
struct jsb_session;

/* How the last request ended, for the REPL to tell the user. */
struct jsb_session_result {
	int code;           /* exit code the evaluation would have had */
	bool incomplete;    /* the code ended early: more input is needed */
	bool restarted;     /* the evaluator was replaced: its state is lost */
	bool heap_kept;     /* after running out of memory, the heap was collected and kept */
	double wall_ms;     /* of the last evaluation */
	double cpu_ms;      /* of the last evaluation, in the evaluator */
	uint64_t heap_used; /* bytes after the evaluation */
	uint64_t heap_peak; /* high-water mark during it */
	uint64_t heap_limit;
};

/* Starts the evaluator for job (policy, --arg bindings, flags; job->source
 * and job->input_fd are not used).  NULL, with the reason printed and its
 * exit code in *code, if it cannot start. */
struct jsb_session *jsb_session_open(const struct jsb_job *job, int *code);

/* Evaluates UTF-8 code; prints its output and result (or error). */
void jsb_session_eval(struct jsb_session *s, const char *code, size_t len,
                      struct jsb_session_result *res);

/* Binds the JSON text to `input` (kept across evaluator restarts). */
void jsb_session_input(struct jsb_session *s, const char *json, size_t len, const char *name,
                       struct jsb_session_result *res);

/* Completions of a dotted identifier path ("Math.fl"), newline-separated
 * into buf; returns their count.  Runs no getter, proxy trap or call. */
size_t jsb_session_complete(struct jsb_session *s, const char *path, size_t len, char *buf,
                            size_t size);

/* Replaces the evaluator with a fresh one (a fresh heap). */
bool jsb_session_restart(struct jsb_session *s);

void jsb_session_close(struct jsb_session *s);

/* "Duktape 2.7.0" */
const char *jsb_engine_version(void);

/* Names the embedded transpiler's build (a hash of it; "none" without
 * one): a translation cached by another build is not this one's. */
const char *jsb_engine_transpiler_id(void);

#endif
