/* Flags and subcommands.  One table drives parsing and --help, so the two
 * cannot disagree; values are checked strictly here (sizes, durations,
 * identifiers), never later. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "common/jsbox.h"
#include "common/parse.h"

enum flag_id {
	F_EVAL,
	F_INPUT,
	F_ARG,
	F_ARGJSON,
	F_COMPACT,
	F_RAW,
	F_STACK,
	F_PROFILE,
	F_POLICY,
	F_MEMORY,
	F_TIMEOUT,
	F_MAX_OUTPUT,
	F_STATS,
	F_NO_JAIL,
	F_ALLOW_READ,
	F_NDJSON,
	F_SLURP,
	F_NULL_INPUT,
	F_ON_ERROR,
	F_TOTAL_TIMEOUT,
	F_JSON_RESULT,
	F_UNBUFFERED,
	F_LINE_BUFFERED,
	F_NO_CACHE,
	F_PROF,
	F_PROGRESS,
	F_COMPLETIONS,
	F_WORKERS,
	F_LISTEN,
	F_SOCKET_MODE,
	F_MAX_QUEUE,
	F_QUEUE_TIMEOUT,
	F_RATE_LIMIT,
	F_WORKER_MAX_JOBS,
	F_SESSION_IDLE,
	F_MAX_SESSIONS,
	F_MAX_REQUEST,
	F_LOG_FORMAT,
	F_HTTP,
	F_AUTH_TOKEN_FILE,
	F_MAX_BATCH,
	F_QUIET,
	F_HELP,
	F_VERSION
};

static const struct jsb_flag flags[] = {
    {F_EVAL, 'e', "eval", 1, "CODE", "run CODE (one-shot mode)"},
    {F_INPUT, 'i', "input", 1, "FILE", "bind the JSON in FILE (- for stdin) to `input`"},
    {F_ARG, 0, "arg", 2, "NAME VALUE", "bind the string VALUE to the global NAME"},
    {F_ARGJSON, 0, "argjson", 2, "NAME JSON", "bind the parsed JSON to the global NAME"},
    {F_COMPACT, 'c', "compact", 0, NULL, "print the result as compact JSON"},
    {F_RAW, 'r', "raw-output", 0, NULL, "print a string result without quotes"},
    {F_STACK, 0, "stack-trace", 0, NULL, "add the stack trace to script errors"},
    {F_PROFILE, 0, "profile", 1, "NAME", "strict (default), moderate or permissive"},
    {F_POLICY, 0, "policy", 1, "FILE", "apply the JSON policy FILE"},
    {F_MEMORY, 0, "memory-limit", 1, "SIZE", "heap cap, e.g. 16M (k/M/G suffixes)"},
    {F_TIMEOUT, 0, "timeout", 1, "DURATION", "time limit, e.g. 500ms, 2s, 1m"},
    {F_MAX_OUTPUT, 0, "max-output", 1, "SIZE",
     "cap on stdout+stderr bytes the script writes (per record with --ndjson)"},
    {F_STATS, 0, "stats", 0, NULL, "print run statistics as one JSON line on stderr"},
    {F_NO_JAIL, 0, "no-jail", 0, NULL, "UNSAFE: do not confine the evaluator (debugging)"},
    {F_ALLOW_READ, 0, "allow-read", 1, "DIR", "permissive: let readFile() read under DIR"},
    {F_NDJSON, 'l', "ndjson", 0, NULL,
     "input is a stream of JSON values: run once per value, one result line each"},
    {F_SLURP, 's', "slurp", 0, NULL, "read every JSON value of the input into one array"},
    {F_NULL_INPUT, 'n', "null-input", 0, NULL,
     "run once with `input` null; read no input, not even stdin"},
    {F_ON_ERROR, 0, "on-error", 1, "MODE",
     "--ndjson: a failing record stops (default), skip or emit"},
    {F_TOTAL_TIMEOUT, 0, "total-timeout", 1, "DURATION",
     "--ndjson: time limit for the whole run (--timeout is per record)"},
    {F_JSON_RESULT, 0, "json-result", 0, NULL,
     "print one JSON envelope per run (per record with --ndjson)"},
    {F_UNBUFFERED, 0, "unbuffered", 0, NULL, "flush each result line as it is written"},
    {F_LINE_BUFFERED, 0, "line-buffered", 0, NULL, "same as --unbuffered"},
    {F_NO_CACHE, 0, "no-cache", 0, NULL, "do not read or write the transpile cache"},
    {F_PROF, 0, "prof", -1, "[=json]",
     "sample the script; print its hottest functions and lines on stderr"},
    {F_PROGRESS, 0, "progress", 0, NULL,
     "--ndjson: a progress line on stderr when it is a terminal"},
    {F_WORKERS, 0, "workers", 1, "N", "serve: jailed workers started ahead (default: CPUs)"},
    {F_LISTEN, 0, "listen", 1, "unix:PATH", "serve: on a Unix socket, not stdin/stdout"},
    {F_SOCKET_MODE, 0, "socket-mode", 1, "MODE", "serve: the socket's mode (default 0600)"},
    {F_MAX_QUEUE, 0, "max-queue", 1, "N", "serve: jobs that may wait (default 1000)"},
    {F_QUEUE_TIMEOUT, 0, "queue-timeout", 1, "DURATION",
     "serve: a job not started by then fails (default: none)"},
    {F_RATE_LIMIT, 0, "rate-limit", 1, "N", "serve: jobs per second per client (default: none)"},
    {F_WORKER_MAX_JOBS, 0, "worker-max-jobs", 1, "N",
     "serve: replace a worker after N jobs (default: never)"},
    {F_SESSION_IDLE, 0, "session-idle", 1, "DURATION",
     "serve: close a session idle this long (default 10m)"},
    {F_MAX_SESSIONS, 0, "max-sessions", 1, "N", "serve: sessions open at once (default 64)"},
    {F_MAX_REQUEST, 0, "max-request", 1, "SIZE",
     "serve: bytes of one request (default 16M a line, 1M an HTTP body)"},
    {F_LOG_FORMAT, 0, "log-format", 1, "FORMAT", "serve: log lines on stderr, text or json"},
    {F_HTTP, 0, "http", 1, "ADDR",
     "serve: the HTTP API on HOST:PORT or unix:PATH (loopback unless a token is set)"},
    {F_AUTH_TOKEN_FILE, 0, "auth-token-file", 1, "FILE",
     "serve --http: require the bearer token in FILE"},
    {F_MAX_BATCH, 0, "max-batch", 1, "N", "serve --http: jobs in one batch (default 20)"},
    {F_QUIET, 0, "quiet", 0, NULL, "serve: no log lines"},
    {F_COMPLETIONS, 0, "completions", 1, "SHELL", NULL}, /* hidden: used by the build */
    {F_HELP, 'h', "help", 0, NULL, "print this help and exit"},
    {F_VERSION, 'V', "version", 0, NULL, "print jsbox's and Duktape's versions and exit"},
};

#define NFLAGS (sizeof flags / sizeof flags[0])

const struct jsb_flag *jsb_args_flags(size_t *n)
{
	*n = NFLAGS;
	return flags;
}

void jsb_args_usage(FILE *f)
{
	fputs(
	    "Usage: jsbox [OPTIONS] -e CODE\n"
	    "       jsbox [OPTIONS] run FILE|-\n"
	    "       jsbox [OPTIONS]                (REPL on a terminal; else stdin is the script)\n"
	    "       jsbox [OPTIONS] repl           (the REPL; .help there lists its commands)\n"
	    "       jsbox [OPTIONS] transpile FILE|-  (print the ES5 that runs; warms the cache)\n"
	    "       jsbox [OPTIONS] check FILE|-   (vet a script as a run would; run nothing)\n"
	    "       jsbox policy show|list [--profile NAME] [--policy FILE]\n"
	    "       jsbox [OPTIONS] serve          (a job server: JSON-RPC on stdin/stdout or a "
	    "socket)\n"
	    "\n"
	    "Runs JavaScript in a sandbox: capped memory, a deadline, an output cap,\n"
	    "a security profile and an OS-level jail around the evaluator.\n"
	    "The result (`output` if assigned, else the completion value or a\n"
	    "top-level `return`) prints as JSON.  `input` is the JSON of --input FILE,\n"
	    "else of stdin when it is piped (read on first use; empty is null), else null.\n"
	    "\nOptions:\n",
	    f);
	for (size_t i = 0; i < NFLAGS; i++) {
		char left[64];
		const struct jsb_flag *fl = &flags[i];
		if (!fl->help)
			continue;
		int n = fl->short_name ? snprintf(left, sizeof left, "-%c, --%s", fl->short_name,
		                                  fl->long_name)
		                       : snprintf(left, sizeof left, "    --%s", fl->long_name);
		if (fl->metavar && n > 0 && (size_t)n < sizeof left)
			snprintf(left + n, sizeof left - (size_t)n, fl->nargs < 0 ? "%s" : " %s",
			         fl->metavar);
		fprintf(f, "  %-30s %s\n", left, fl->help);
	}
	fputs("\nExit codes:\n"
	      "  0    success\n"
	      "  1    the script threw (syntax error or uncaught exception)\n"
	      "  2    usage error: bad flag, unreadable file, invalid input JSON, invalid policy "
	      "file,\n"
	      "       output that cannot be written\n"
	      "  3    time limit exceeded\n"
	      "  4    memory limit exceeded\n"
	      "  5    blocked by policy (a denied capability, code over the size limit,\n"
	      "       a blocked system call)\n"
	      "  6    output limit exceeded\n"
	      "  70   internal error (the evaluator crashed)\n"
	      "  130  interrupted (SIGINT)\n"
	      "\nEnvironment: NO_COLOR turns colors off; JSBOX_HISTORY names the REPL's history\n"
	      "file (empty: none; default $XDG_STATE_HOME/jsbox/history).\n"
	      "\nSee jsbox(1) for profiles, policy files and the result rules.\n",
	      f);
}

static bool usage_error(const char *fmt, ...) JSB_PRINTF(1, 2);
static bool usage_error(const char *fmt, ...)
{
	char detail[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	jsb_error("usage", "%s (see jsbox --help)", detail);
	return false;
}

static const struct jsb_flag *find_long(const char *name, size_t len)
{
	for (size_t i = 0; i < NFLAGS; i++)
		if (strlen(flags[i].long_name) == len &&
		    strncmp(flags[i].long_name, name, len) == 0)
			return &flags[i];
	return NULL;
}

static const struct jsb_flag *find_short(char c)
{
	for (size_t i = 0; i < NFLAGS; i++)
		if (flags[i].short_name == c)
			return &flags[i];
	return NULL;
}

static bool is_identifier(const char *s)
{
	static const char *const reserved[] = {
	    "break",  "case",     "catch",  "class",  "const",  "continue",   "debugger", "default",
	    "delete", "do",       "else",   "enum",   "export", "extends",    "false",    "finally",
	    "for",    "function", "if",     "import", "in",     "instanceof", "new",      "null",
	    "return", "super",    "switch", "this",   "throw",  "true",       "try",      "typeof",
	    "var",    "void",     "while",  "with",   "input",  "output",     "console",  NULL};
	if (!*s || (*s >= '0' && *s <= '9'))
		return false;
	for (const char *p = s; *p; p++)
		if (!(*p == '_' || *p == '$' || (*p >= 'a' && *p <= 'z') ||
		      (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
			return false;
	for (size_t i = 0; reserved[i]; i++)
		if (strcmp(reserved[i], s) == 0)
			return false;
	return true;
}

static bool parse_limit(const char *flag, const char *value, uint64_t *out, bool duration)
{
	bool ok = duration ? jsb_parse_duration(value, out) : jsb_parse_size(value, out);
	if (!ok || *out == 0)
		return duration ? usage_error("--%s: invalid duration '%s' (e.g. 500ms, 2s, 1m)",
		                              flag, value)
		                : usage_error("--%s: invalid size '%s' (e.g. 64k, 16M, 1G)", flag,
		                              value);
	const char *max;
	if (!jsb_limit_in_range(*out, duration, &max))
		return usage_error("--%s: '%s' is too large (at most %s)", flag, value, max);
	return true;
}

/* A whole number from lo to hi. */
static bool parse_count(const char *flag, const char *value, uint64_t lo, uint64_t hi,
                        uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long n = strtoull(value, &end, 10);
	if (!*value || *end || value[0] == '-' || errno || n < lo || n > hi)
		return usage_error("--%s: '%s' is not a number from %llu to %llu", flag, value,
		                   (unsigned long long)lo, (unsigned long long)hi);
	*out = n;
	return true;
}

static bool parse_on_error(struct jsb_options *opt, const char *mode)
{
	static const char *const names[] = {"stop", "skip", "emit"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(mode, names[i]) == 0) {
			opt->on_error = (enum jsb_on_error)i;
			return true;
		}
	return usage_error("--on-error: '%s' is not stop, skip or emit", mode);
}

/* Applies one flag with its values (already counted). */
static bool apply(struct jsb_options *opt, const struct jsb_flag *fl, char **v)
{
	if (fl->id >= F_WORKERS && fl->id <= F_QUIET && !opt->serve_flag)
		opt->serve_flag = fl->long_name;
	switch ((enum flag_id)fl->id) {
	case F_EVAL:
		if (opt->code)
			return usage_error("-e given twice");
		opt->code = v[0];
		return true;
	case F_INPUT: opt->input_path = v[0]; return true;
	case F_ARG:
	case F_ARGJSON:
		if (!is_identifier(v[0]))
			return usage_error("--%s: '%s' is not a usable identifier", fl->long_name,
			                   v[0]);
		if (opt->n_binds == JSB_MAX_BINDS)
			return usage_error("--%s: too many bindings", fl->long_name);
		opt->binds[opt->n_binds++] = (struct jsb_bind){v[0], v[1], fl->id == F_ARGJSON};
		return true;
	case F_COMPACT: opt->compact = true; return true;
	case F_RAW: opt->raw = true; return true;
	case F_STACK: opt->stack_trace = true; return true;
	case F_STATS: opt->stats = true; return true;
	case F_NO_JAIL: opt->no_jail = true; return true;
	case F_NO_CACHE: opt->no_cache = true; return true;
	case F_PROFILE: opt->profile = v[0]; return true;
	case F_POLICY: opt->policy_path = v[0]; return true;
	case F_MEMORY: return parse_limit(fl->long_name, v[0], &opt->memory, false);
	case F_TIMEOUT: return parse_limit(fl->long_name, v[0], &opt->timeout_ms, true);
	case F_MAX_OUTPUT: return parse_limit(fl->long_name, v[0], &opt->max_output, false);
	case F_ALLOW_READ:
		if (opt->n_read_dirs == sizeof opt->read_dirs / sizeof opt->read_dirs[0])
			return usage_error("--%s: too many directories", fl->long_name);
		opt->read_dirs[opt->n_read_dirs++] = v[0];
		return true;
	case F_NDJSON: opt->records = JSB_RECORDS_STREAM; return true;
	case F_SLURP: opt->records = JSB_RECORDS_SLURP; return true;
	case F_NULL_INPUT: opt->null_input = true; return true;
	case F_ON_ERROR: return parse_on_error(opt, v[0]);
	case F_TOTAL_TIMEOUT: return parse_limit(fl->long_name, v[0], &opt->total_timeout_ms, true);
	case F_JSON_RESULT: opt->json_result = true; return true;
	case F_UNBUFFERED:
	case F_LINE_BUFFERED: opt->unbuffered = true; return true;
	case F_PROF:
		if (v && strcmp(v[0], "json") != 0)
			return usage_error("--prof takes no value or =json, not '%s'", v[0]);
		opt->prof = v ? 2 : 1;
		return true;
	case F_PROGRESS: opt->progress = true; return true;
	case F_COMPLETIONS:
		if (strcmp(v[0], "bash") && strcmp(v[0], "zsh") && strcmp(v[0], "fish"))
			return usage_error("--completions: '%s' is not bash, zsh or fish", v[0]);
		opt->completions = v[0];
		opt->mode = JSB_MODE_COMPLETIONS;
		return true;
	case F_WORKERS: return parse_count(fl->long_name, v[0], 1, 256, &opt->serve.workers_n);
	case F_LISTEN:
		if (strncmp(v[0], "unix:", 5) != 0 || !v[0][5])
			return usage_error("--listen: '%s' is not unix:PATH", v[0]);
		opt->serve.listen = v[0];
		return true;
	case F_SOCKET_MODE: {
		char *end;
		unsigned long m = strtoul(v[0], &end, 8);
		if (!*v[0] || *end || m > 0777)
			return usage_error("--socket-mode: '%s' is not an octal mode like 0600",
			                   v[0]);
		opt->serve.socket_mode = (unsigned)m;
		return true;
	}
	case F_MAX_QUEUE:
		return parse_count(fl->long_name, v[0], 1, 1000000, &opt->serve.max_queue);
	case F_QUEUE_TIMEOUT:
		return parse_limit(fl->long_name, v[0], &opt->serve.queue_timeout_ms, true);
	case F_RATE_LIMIT: {
		char *end;
		double r = strtod(v[0], &end);
		if (!*v[0] || *end || !(r > 0) || r > 1e6)
			return usage_error("--rate-limit: '%s' is not a rate from 0 to 1000000",
			                   v[0]);
		opt->serve.rate_limit = r;
		return true;
	}
	case F_WORKER_MAX_JOBS:
		return parse_count(fl->long_name, v[0], 1, UINT32_MAX, &opt->serve.worker_max_jobs);
	case F_SESSION_IDLE:
		return parse_limit(fl->long_name, v[0], &opt->serve.session_idle_ms, true);
	case F_MAX_SESSIONS:
		return parse_count(fl->long_name, v[0], 1, 10000, &opt->serve.max_sessions);
	case F_MAX_REQUEST: return parse_limit(fl->long_name, v[0], &opt->serve.max_request, false);
	case F_LOG_FORMAT:
		if (strcmp(v[0], "json") && strcmp(v[0], "text"))
			return usage_error("--log-format: '%s' is not text or json", v[0]);
		opt->serve.log_json = v[0][0] == 'j';
		return true;
	case F_HTTP: opt->serve.http = v[0]; return true;
	case F_AUTH_TOKEN_FILE: opt->serve.auth_token_file = v[0]; return true;
	case F_MAX_BATCH: return parse_count(fl->long_name, v[0], 1, 1000, &opt->serve.max_batch);
	case F_QUIET: opt->serve.quiet = true; return true;
	case F_HELP: opt->mode = JSB_MODE_HELP; return true;
	case F_VERSION: opt->mode = JSB_MODE_VERSION; return true;
	}
	return false;
}

/* Takes fl's values from "--flag=value" (inline) and the following argv. */
static bool take(struct jsb_options *opt, const struct jsb_flag *fl, const char *inline_value,
                 int argc, char **argv, int *i)
{
	char *v[2];
	int have = 0;
	if (fl->nargs < 0) {
		v[0] = (char *)(uintptr_t)inline_value;
		return apply(opt, fl, inline_value ? v : NULL);
	}
	if (inline_value) {
		if (fl->nargs == 0)
			return usage_error("--%s takes no value", fl->long_name);
		v[have++] = (char *)(uintptr_t)inline_value;
	}
	while (have < fl->nargs) {
		if (*i + 1 >= argc)
			return usage_error("--%s needs %s", fl->long_name, fl->metavar);
		v[have++] = argv[++*i];
	}
	return apply(opt, fl, v);
}

/* Short flags, possibly bundled: -cr, -e CODE, -eCODE. */
static bool take_short(struct jsb_options *opt, const char *arg, int argc, char **argv, int *i)
{
	for (const char *p = arg + 1; *p; p++) {
		const struct jsb_flag *fl = find_short(*p);
		if (!fl) {
			char name[3] = {'-', *p, 0};
			return usage_error("unknown option '%s'", name);
		}
		if (fl->nargs)
			return take(opt, fl, p[1] ? p + 1 : NULL, argc, argv, i);
		if (!apply(opt, fl, NULL))
			return false;
	}
	return true;
}

/* The positional words: a subcommand and its operands. */
static bool positional(struct jsb_options *opt, char **words, int n)
{
	if (n == 0)
		return true;
	if (strcmp(words[0], "run") == 0 || strcmp(words[0], "check") == 0) {
		if (n != 2)
			return usage_error("%s takes one FILE (or - for stdin)", words[0]);
		opt->mode = words[0][0] == 'r' ? JSB_MODE_RUN : JSB_MODE_CHECK;
		opt->script_path = words[1];
		return true;
	}
	if (strcmp(words[0], "transpile") == 0) {
		if (n != 2)
			return usage_error("transpile takes one FILE (or - for stdin)");
		opt->mode = JSB_MODE_TRANSPILE;
		opt->script_path = words[1];
		return true;
	}
	if (strcmp(words[0], "policy") == 0) {
		if (n == 2 && strcmp(words[1], "show") == 0)
			opt->mode = JSB_MODE_POLICY_SHOW;
		else if (n == 2 && strcmp(words[1], "list") == 0)
			opt->mode = JSB_MODE_POLICY_LIST;
		else
			return usage_error("policy takes 'show' or 'list'");
		return true;
	}
	if (strcmp(words[0], "serve") == 0 && n == 1) {
		opt->mode = JSB_MODE_SERVE;
		return true;
	}
	if (strcmp(words[0], "repl") == 0 && n == 1) {
		opt->mode = JSB_MODE_REPL;
		return true;
	}
	return usage_error("unknown command '%s'", words[0]);
}

/* --ndjson/--slurp read stdin unless --input names a file; -n reads nothing. */
static bool check_records(struct jsb_options *opt, bool script_stdin)
{
	if (opt->null_input && (opt->records != JSB_RECORDS_ONE || opt->input_path))
		return usage_error("-n/--null-input reads no input: it cannot be combined with "
		                   "--ndjson, --slurp or --input");
	if (opt->records != JSB_RECORDS_STREAM && opt->progress)
		return usage_error("--progress applies to --ndjson");
	if (opt->records == JSB_RECORDS_ONE && (opt->on_error || opt->total_timeout_ms))
		return usage_error("--on-error and --total-timeout apply to --ndjson");
	if (opt->records != JSB_RECORDS_ONE && !opt->input_path) {
		if (script_stdin)
			return usage_error(
			    "--ndjson and --slurp read stdin, which holds the script: "
			    "give the input with --input FILE");
		opt->input_path = "-";
	}
	return true;
}

static bool check(struct jsb_options *opt)
{
	if (opt->mode == JSB_MODE_HELP || opt->mode == JSB_MODE_VERSION ||
	    opt->mode == JSB_MODE_COMPLETIONS)
		return true;
	if (opt->code && opt->mode != JSB_MODE_EVAL)
		return usage_error("-e cannot be combined with a command");
	if (opt->serve_flag && opt->mode != JSB_MODE_SERVE)
		return usage_error("--%s applies to serve", opt->serve_flag);
	if (opt->mode == JSB_MODE_SERVE &&
	    (opt->input_path || opt->null_input || opt->records != JSB_RECORDS_ONE ||
	     opt->n_binds || opt->json_result || opt->stats || opt->prof || opt->raw))
		return usage_error(
		    "serve takes its jobs' code, input and args from requests: "
		    "--input, -n, --ndjson, --slurp, --arg, --argjson, --json-result, "
		    "--stats, --prof and -r do not apply");
	if (opt->mode == JSB_MODE_SERVE)
		return true;
	if (opt->code)
		opt->mode = JSB_MODE_EVAL;
	if (opt->mode == JSB_MODE_CHECK &&
	    (opt->input_path || opt->null_input || opt->records != JSB_RECORDS_ONE))
		return usage_error(
		    "check runs nothing: --input, -n, --ndjson and --slurp do not apply");
	bool script_stdin = opt->mode == JSB_MODE_STDIN ||
	                    ((opt->mode == JSB_MODE_RUN || opt->mode == JSB_MODE_TRANSPILE ||
	                      opt->mode == JSB_MODE_CHECK) &&
	                     strcmp(opt->script_path, "-") == 0);
	if (script_stdin && opt->input_path && strcmp(opt->input_path, "-") == 0)
		return usage_error("the script and --input cannot both come from stdin");
	return check_records(opt, script_stdin);
}

bool jsb_args_parse(struct jsb_options *opt, int argc, char **argv)
{
	char *words[8];
	int nwords = 0;
	bool only_words = false;
	*opt = (struct jsb_options){.mode = JSB_MODE_EVAL, .serve.socket_mode = 0600};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (only_words || a[0] != '-' || strcmp(a, "-") == 0) {
			if (nwords == (int)(sizeof words / sizeof words[0]))
				return usage_error("too many arguments");
			words[nwords++] = argv[i];
		} else if (strcmp(a, "--") == 0) {
			only_words = true;
		} else if (a[1] == '-') {
			const char *eq = strchr(a + 2, '=');
			size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
			const struct jsb_flag *fl = find_long(a + 2, len);
			if (!fl)
				return usage_error("unknown option '%s'", a);
			if (!take(opt, fl, eq ? eq + 1 : NULL, argc, argv, &i))
				return false;
		} else if (!take_short(opt, a, argc, argv, &i)) {
			return false;
		}
	}
	enum jsb_mode flagged = opt->mode;
	opt->mode = JSB_MODE_EVAL;
	if (!positional(opt, words, nwords))
		return false;
	if (flagged == JSB_MODE_HELP || flagged == JSB_MODE_VERSION ||
	    flagged == JSB_MODE_COMPLETIONS)
		opt->mode = flagged;
	else if (nwords == 0 && !opt->code)
		opt->mode = isatty(STDIN_FILENO) ? JSB_MODE_REPL : JSB_MODE_STDIN;
	return check(opt);
}
