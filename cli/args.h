/* Command line -> struct jsb_options.  Checks everything before anything
 * runs (two passes, like lua.c): a bad flag never half-starts a run. */
#ifndef JSB_ARGS_H
#define JSB_ARGS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "engine/engine.h"

enum jsb_mode {
	JSB_MODE_EVAL,        /* -e CODE */
	JSB_MODE_RUN,         /* run FILE | run - */
	JSB_MODE_REPL,        /* no script, stdin is a terminal; or `repl` */
	JSB_MODE_STDIN,       /* no script, stdin is not a terminal: stdin is the script */
	JSB_MODE_TRANSPILE,   /* transpile FILE | transpile - */
	JSB_MODE_CHECK,       /* check FILE | check -: compile and vet, run nothing */
	JSB_MODE_POLICY_SHOW, /* policy show */
	JSB_MODE_POLICY_LIST, /* policy list */
	JSB_MODE_HELP,
	JSB_MODE_VERSION,
	JSB_MODE_COMPLETIONS, /* --completions SHELL: the script the build installs */
	JSB_MODE_SERVE        /* serve: the job server */
};

#define JSB_MAX_BINDS 64

struct jsb_options {
	enum jsb_mode mode;
	const char *code;        /* -e */
	const char *script_path; /* run FILE, check FILE ("-" for stdin) */
	const char *input_path;  /* --input FILE ("-" for stdin) */
	struct jsb_bind binds[JSB_MAX_BINDS];
	size_t n_binds;
	const char *profile;                     /* --profile, default "strict" */
	const char *policy_path;                 /* --policy */
	uint64_t memory, timeout_ms, max_output; /* 0 = the policy's */
	bool compact, raw, stack_trace, stats, no_jail, no_cache;
	bool null_input, json_result, unbuffered, progress;
	int prof;                   /* --prof: 1 text, 2 json */
	const char *completions;    /* --completions: bash, zsh or fish */
	enum jsb_records records;   /* --ndjson, --slurp */
	enum jsb_on_error on_error; /* --on-error */
	uint64_t total_timeout_ms;  /* --total-timeout */
	const char *read_dirs[16];
	size_t n_read_dirs;
	/* serve's own flags (0: the default) */
	struct {
		uint64_t workers_n, max_queue, queue_timeout_ms, worker_max_jobs;
		uint64_t session_idle_ms, max_sessions, max_request;
		uint64_t max_batch;
		const char *listen, *http, *auth_token_file;
		unsigned socket_mode;
		double rate_limit;
		bool log_json, quiet;
	} serve;
	const char *serve_flag; /* the first of them given, for "applies to serve" */
};

/* One row of the option table: parsing, --help and the shell completions
 * all read it. */
struct jsb_flag {
	int id;
	char short_name;
	const char *long_name;
	int nargs; /* values; -1: one optional value, only as --flag=VALUE */
	const char *metavar;
	const char *help; /* NULL: not in --help (--completions) */
};

/* The option table, n rows. */
const struct jsb_flag *jsb_args_flags(size_t *n);

/* Parses argv into opt.  On a usage error prints one line and returns false. */
bool jsb_args_parse(struct jsb_options *opt, int argc, char **argv);

/* The --help text. */
void jsb_args_usage(FILE *f);

#endif
