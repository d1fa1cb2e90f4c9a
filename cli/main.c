/* jsbox's entry point: parse, resolve the policy, load the script, hand a
 * job to the engine, map the result to an exit code.  Orchestrates only. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/cache.h"
#include "cli/completions.h"
#include "cli/repl.h"
#include "common/jsbox.h"
#include "common/parse.h"
#include "engine/engine.h"
#include "engine/lib/envelope_json.h"
#include "engine/lib/jsonw.h"
#include "jsb_config.h"
#include "policy/policy.h"
#include "policy/validate.h"

/* Profile, then policy file, then flags: one effective policy. */
static int resolve_policy(const struct jsb_options *opt, struct jsb_policy *p)
{
	char err[512];
	const char *profile = opt->profile ? opt->profile : "strict";
	if (!jsb_policy_profile(p, profile)) {
		jsb_error("usage", "unknown profile '%s' (strict, moderate or permissive)",
		          profile);
		return JSB_EXIT_USAGE;
	}
	if (opt->policy_path &&
	    !jsb_policy_load(p, opt->policy_path, opt->profile != NULL, err, sizeof err)) {
		jsb_error("usage", "%s", err);
		return JSB_EXIT_USAGE;
	}
	if (opt->memory)
		p->memory = opt->memory;
	if (opt->timeout_ms)
		p->timeout_ms = opt->timeout_ms;
	if (opt->max_output)
		p->max_output = opt->max_output;
	if (opt->n_read_dirs && !(p->caps & JSB_CAP_READ)) {
		jsb_error("usage",
		          "--allow-read needs a policy that allows 'read' (--profile permissive)");
		return JSB_EXIT_USAGE;
	}
	for (size_t i = 0; i < opt->n_read_dirs; i++) {
		if (!jsb_policy_add_read_dir(p, opt->read_dirs[i], err, sizeof err)) {
			jsb_error("usage", "%s", err);
			return JSB_EXIT_USAGE;
		}
	}
	return JSB_EXIT_OK;
}

/* Reads at most limit + 1 bytes of fd, so an oversized script is noticed
 * without reading all of it. */
static int read_bounded(int fd, uint64_t limit, char **text, size_t *len)
{
	size_t cap = 4096, n = 0;
	uint64_t want = limit + 1;
	char *buf = malloc(cap);
	if (!buf)
		return ENOMEM;
	for (;;) {
		if (n == cap) {
			char *more = realloc(buf, cap * 2);
			if (!more) {
				free(buf);
				return ENOMEM;
			}
			buf = more;
			cap *= 2;
		}
		size_t room = cap - n;
		if (room > want - n)
			room = (size_t)(want - n);
		ssize_t r = room ? read(fd, buf + n, room) : 0;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			free(buf);
			return e;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	*text = buf;
	*len = n;
	return 0;
}

static int load_script(const struct jsb_options *opt, const struct jsb_policy *p,
                       struct jsb_job *job, char **owned)
{
	if (opt->mode == JSB_MODE_EVAL) {
		job->source = opt->code;
		job->source_len = strlen(opt->code);
		job->source_name = "<eval>";
		return JSB_EXIT_OK;
	}
	bool from_stdin = opt->mode == JSB_MODE_STDIN || strcmp(opt->script_path, "-") == 0;
	int fd = from_stdin ? STDIN_FILENO : open(opt->script_path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		jsb_error("usage", "%s: cannot open: %s", opt->script_path, strerror(errno));
		return JSB_EXIT_USAGE;
	}
	if (S_ISDIR(st.st_mode)) {
		jsb_error("usage", "%s: is a directory", opt->script_path);
		close(fd);
		return JSB_EXIT_USAGE;
	}
	size_t len = 0;
	int e = read_bounded(fd, p->code_size, owned, &len);
	if (!from_stdin)
		close(fd);
	if (e) {
		jsb_error("usage", "%s: cannot read: %s", from_stdin ? "<stdin>" : opt->script_path,
		          strerror(e));
		return JSB_EXIT_USAGE;
	}
	job->source = *owned;
	job->source_len = len;
	job->source_name = from_stdin ? "<stdin>" : opt->script_path;
	return JSB_EXIT_OK;
}

/* A script (-e or run FILE) without --input or -n takes a piped or
 * redirected stdin as its input, as jq does; the evaluator reads it only
 * if the script uses `input`.  A terminal is never read: a person is not
 * expected to type JSON. */
static bool stdin_is_input(const struct jsb_options *opt)
{
	bool script = opt->mode == JSB_MODE_EVAL ||
	              (opt->mode == JSB_MODE_RUN && strcmp(opt->script_path, "-") != 0);
	return script && !opt->input_path && !opt->null_input && opt->records == JSB_RECORDS_ONE &&
	       fcntl(STDIN_FILENO, F_GETFD) >= 0 && !isatty(STDIN_FILENO);
}

static int open_input(const struct jsb_options *opt, struct jsb_job *job)
{
	job->input_fd = -1;
	if (stdin_is_input(opt)) {
		job->input_fd = STDIN_FILENO;
		job->input_name = "<stdin>";
		job->flags |= JSB_JOB_LAZY_INPUT;
		return JSB_EXIT_OK;
	}
	if (!opt->input_path)
		return JSB_EXIT_OK;
	if (strcmp(opt->input_path, "-") == 0) {
		/* Waiting for a person to type JSON looks like a hang. */
		if (isatty(STDIN_FILENO)) {
			jsb_error("usage", "the input is stdin, which is a terminal: pipe JSON in "
			                   "or give --input FILE");
			return JSB_EXIT_USAGE;
		}
		job->input_fd = STDIN_FILENO;
		job->input_name = "<stdin>";
		return JSB_EXIT_OK;
	}
	struct stat st;
	int fd = open(opt->input_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0) {
		jsb_error("usage", "%s: cannot open: %s", opt->input_path, strerror(errno));
		return JSB_EXIT_USAGE;
	}
	if (S_ISDIR(st.st_mode)) {
		jsb_error("usage", "%s: is a directory", opt->input_path);
		close(fd);
		return JSB_EXIT_USAGE;
	}
	job->input_fd = fd;
	job->input_name = opt->input_path;
	return JSB_EXIT_OK;
}

static unsigned job_flags(const struct jsb_options *opt)
{
	unsigned f = 0;
	bool tty = isatty(STDOUT_FILENO);
	if (opt->compact || !tty)
		f |= JSB_JOB_COMPACT;
	if (opt->raw)
		f |= JSB_JOB_RAW;
	if (opt->stack_trace)
		f |= JSB_JOB_STACK_TRACE;
	if (opt->stats)
		f |= JSB_JOB_STATS;
	if (opt->no_jail)
		f |= JSB_JOB_NO_JAIL;
	if (opt->unbuffered)
		f |= JSB_JOB_LINE_FLUSH;
	if (opt->json_result)
		f |= JSB_JOB_JSON_RESULT;
	if (opt->prof)
		f |= JSB_JOB_PROF | (opt->prof == 2 ? JSB_JOB_PROF_JSON : 0);
	if (opt->progress && opt->records == JSB_RECORDS_STREAM && isatty(STDERR_FILENO))
		f |= JSB_JOB_PROGRESS;
	if (tty) {
		const char *nc = getenv("NO_COLOR");
		f |= JSB_JOB_LINE_FLUSH;
		if (!nc || !*nc)
			f |= JSB_JOB_COLOR;
	}
	return f;
}

/* Runs the job with the transpile cache: a cached translation goes in the
 * job; a new one the evaluator made is stored. */
static int run_cached(const struct jsb_options *opt, struct jsb_job *job)
{
	char *cached = NULL;
	struct jsb_es5 made = {0};
	struct jsb_cache cache = JSB_CACHE_INIT;
	if (!opt->no_cache) {
		if (jsb_cache_load(&cache, job->source, job->source_len,
		                   job->policy->transpile_timeout_ms, &cached, &job->es5_len))
			job->es5 = cached;
		else
			job->es5_out = &made;
		job->flags |= JSB_JOB_CACHE;
	}
	jsb_cache_close(&cache); /* the evaluator is forked: no descriptor of the cache */
	int rc = jsb_engine_run(job);
	if (made.text)
		jsb_cache_store(&cache, job->source, job->source_len,
		                job->policy->transpile_timeout_ms, made.text, made.len);
	jsb_cache_close(&cache);
	free(made.text);
	free(cached);
	job->es5 = NULL;
	return rc;
}

/* `jsbox transpile`: prints the ES5 the script runs as (the source itself
 * when it needs no translation), from the cache or made by a confined
 * evaluator that compiles the script without running it (and stored). */
static int transpile_cached(const struct jsb_options *opt, struct jsb_job *job)
{
	char *cached = NULL;
	struct jsb_es5 made = {0};
	uint64_t bound = job->policy->transpile_timeout_ms;
	size_t len = 0;
	int rc = JSB_EXIT_OK;
	struct jsb_cache cache = JSB_CACHE_INIT;
	job->flags |= JSB_JOB_TRANSPILE | JSB_JOB_CACHE;
	if (opt->no_cache ||
	    !jsb_cache_load(&cache, job->source, job->source_len, bound, &cached, &len)) {
		job->es5_out = &made;
		rc = jsb_engine_run(job);
	}
	if (rc == JSB_EXIT_OK && made.text && !opt->no_cache)
		jsb_cache_store(&cache, job->source, job->source_len, bound, made.text, made.len);
	jsb_cache_close(&cache);
	if (rc == JSB_EXIT_OK) {
		const char *text = cached ? cached : made.text ? made.text : job->source;
		size_t n = cached ? len : made.text ? made.len : job->source_len;
		fwrite(text, 1, n, stdout);
		if (n && text[n - 1] != '\n')
			putchar('\n');
	}
	free(made.text);
	free(cached);
	return rc;
}

/* --json-result for a run that failed before the engine started: nothing
 * ran, so no time and no memory. */
static void print_envelope(int code)
{
	struct jsb_jsonw w;
	struct jsb_envelope_json e = {.type = jsb_envelope_type(code), .message = jsb_error_last()};
	e.message_len = strlen(e.message);
	jsb_jsonw_init(&w, JSB_JSONW_COMPACT, jsb_jsonw_file_sink, stdout);
	jsb_envelope_write(&w, &e);
}

static int run_script(const struct jsb_options *opt, const struct jsb_policy *p)
{
	struct jsb_job job = {.input_fd = -1,
	                      .binds = opt->binds,
	                      .n_binds = opt->n_binds,
	                      .policy = p,
	                      .flags = job_flags(opt),
	                      .records = opt->records,
	                      .on_error = opt->on_error,
	                      .total_timeout_ms = opt->total_timeout_ms};
	char *owned = NULL, err[512];
	int rc = load_script(opt, p, &job, &owned);
	if (rc == JSB_EXIT_OK) {
		rc = jsb_validate_source(p, job.source, job.source_len, err, sizeof err);
		if (rc == JSB_EXIT_TIMEOUT)
			jsb_error("time limit exceeded", "%s", err);
		else if (rc != JSB_EXIT_OK)
			jsb_error("blocked by policy", "%s: %s", job.source_name, err);
	}
	if (opt->mode == JSB_MODE_CHECK)
		job.flags |= JSB_JOB_CHECK;
	if (rc == JSB_EXIT_OK && opt->mode == JSB_MODE_TRANSPILE)
		rc = transpile_cached(opt, &job);
	else if (rc == JSB_EXIT_OK)
		rc = open_input(opt, &job);
	if (rc == JSB_EXIT_OK && opt->mode != JSB_MODE_TRANSPILE)
		rc = run_cached(opt, &job);
	else if (opt->json_result)
		print_envelope(rc);
	if (job.input_fd > STDIN_FILENO)
		close(job.input_fd);
	free(owned);
	return rc;
}

static int list_profiles(void)
{
	for (size_t i = 0; jsb_policy_profiles[i]; i++) {
		struct jsb_policy p;
		char mem[32], time[32];
		jsb_policy_profile(&p, jsb_policy_profiles[i]);
		jsb_format_size(mem, sizeof mem, p.memory);
		jsb_format_duration(time, sizeof time, p.timeout_ms);
		printf("%-11s memory %s, time %s%s\n", p.name, mem, time,
		       i == 0 ? " (default)" : "");
	}
	return JSB_EXIT_OK;
}

static int show_policy(const struct jsb_policy *p)
{
	struct jsb_jsonw w;
	jsb_jsonw_init(&w, JSB_JSONW_LINES, jsb_jsonw_file_sink, stdout);
	jsb_policy_write_json(p, &w);
	return JSB_EXIT_OK; /* a write error is finish_stdout's to report */
}

/* Output written through stdio must have reached its destination. */
static int finish_stdout(int code)
{
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		jsb_error("write error", "stdout: %s", strerror(errno));
		return code ? code : JSB_EXIT_USAGE;
	}
	return code;
}

/* `jsbox serve`: the flags' defaults, then the server. */
static int serve(const struct jsb_options *opt, const struct jsb_policy *p)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	struct jsb_serve_opts o = {
	    .workers = opt->serve.workers_n ? (unsigned)opt->serve.workers_n
	               : cpus > 0           ? (unsigned)(cpus < 64 ? cpus : 64)
	                                    : 2,
	    .listen = opt->serve.listen,
	    .socket_mode = opt->serve.socket_mode,
	    .max_queue = opt->serve.max_queue ? opt->serve.max_queue : 1000,
	    .queue_timeout_ms = opt->serve.queue_timeout_ms,
	    .rate_limit = opt->serve.rate_limit,
	    .worker_max_jobs = opt->serve.worker_max_jobs,
	    .session_idle_ms = opt->serve.session_idle_ms ? opt->serve.session_idle_ms : 600000,
	    .max_sessions = opt->serve.max_sessions ? opt->serve.max_sessions : 64,
	    .max_request = opt->serve.max_request,
	    .http = opt->serve.http,
	    .auth_token_file = opt->serve.auth_token_file,
	    .max_batch = (unsigned)opt->serve.max_batch,
	    .log_json = opt->serve.log_json,
	    .quiet = opt->serve.quiet};
	struct jsb_job job = {.input_fd = -1,
	                      .policy = p,
	                      .flags = opt->no_jail ? JSB_JOB_NO_JAIL : 0,
	                      .source_name = "<job>"};
	return jsb_engine_serve(&job, &o);
}

int main(int argc, char **argv)
{
	struct jsb_options opt;
	struct jsb_policy policy = {0};
	if (!jsb_args_parse(&opt, argc, argv))
		return JSB_EXIT_USAGE;
	if (opt.mode == JSB_MODE_HELP) {
		jsb_args_usage(stdout);
		return finish_stdout(JSB_EXIT_OK);
	}
	if (opt.mode == JSB_MODE_VERSION) {
		printf("jsbox %s (%s)\n", JSB_VERSION, jsb_engine_version());
		return finish_stdout(JSB_EXIT_OK);
	}
	if (opt.mode == JSB_MODE_COMPLETIONS) {
		jsb_completions_write(stdout, opt.completions);
		return finish_stdout(JSB_EXIT_OK);
	}
	if (opt.mode == JSB_MODE_POLICY_LIST)
		return finish_stdout(list_profiles());
	int rc = resolve_policy(&opt, &policy);
	if (rc == JSB_EXIT_OK && opt.mode == JSB_MODE_POLICY_SHOW)
		rc = finish_stdout(show_policy(&policy));
	else if (rc == JSB_EXIT_OK && opt.mode == JSB_MODE_SERVE)
		rc = serve(&opt, &policy);
	else if (rc == JSB_EXIT_OK && opt.mode == JSB_MODE_REPL)
		rc = jsb_repl_run(&opt, &policy);
	else if (rc == JSB_EXIT_OK && opt.mode == JSB_MODE_TRANSPILE)
		rc = finish_stdout(run_script(&opt, &policy));
	else if (rc == JSB_EXIT_OK)
		rc = run_script(&opt, &policy);
	jsb_policy_free(&policy);
	return rc;
}
