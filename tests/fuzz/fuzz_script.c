/* Fuzz target: whole runs of scripts.  Each input is a script, run in
 * process as the evaluator runs it (engine/confined/run.c) under the
 * strict profile: its memory cap, its deadline through the exec-timeout
 * hook, and Duktape's fatal handler.  Not jailed: the jail's tests cover
 * it.  A leading "//!" line picks flags: s --stack-trace, j --json-result,
 * c -c, r -r, and t: through the transpiler.  Without t the source runs
 * as a cached translation does (ES5 only, 20 ms a run rather than the
 * transpiler's few hundred).  An exit code outside the documented ones, or jsbox's
 * internal error (70), is a crash. */
#include <fcntl.h>
#include <setjmp.h>
#include <string.h>
#include <unistd.h>

#include "engine/confined/envelope.h"
#include "engine/confined/run.h"
#include "tests/fuzz/fuzz.h"

/* The fatal handler ends the process with _exit; the target is linked
 * with --wrap=_exit so that a run it ends comes back here instead. */
void __real__exit(int code) __attribute__((noreturn));
void __wrap__exit(int code) __attribute__((noreturn));

static jmp_buf *running;

void __wrap__exit(int code)
{
	FUZZ_CHECK(code != JSB_EXIT_INTERNAL);
	if (running)
		longjmp(*running, 1 + code);
	__real__exit(code);
}

#define TRANSPILE (1u << 31) /* the harness's own flag */

static unsigned flags_of(const uint8_t *data, size_t size)
{
	unsigned flags = 0;
	if (size < 3 || memcmp(data, "//!", 3) != 0)
		return 0;
	for (size_t i = 3; i < size && data[i] != '\n'; i++)
		switch (data[i]) {
		case 's': flags |= JSB_JOB_STACK_TRACE; break;
		case 'j': flags |= JSB_JOB_JSON_RESULT; break;
		case 'c': flags |= JSB_JOB_COMPACT; break;
		case 'r': flags |= JSB_JOB_RAW; break;
		case 't': flags |= TRANSPILE; break;
		}
	return flags;
}

/* A heap the fatal handler left is not torn down (that would run script
 * code in a heap in an unknown state): it is kept reachable instead. */
static duk_context *abandoned[64];
static size_t n_abandoned;

static int run(struct jsb_eval *ev, const struct jsb_job *job, int fd, struct jsb_shared *sh)
{
	int code = jsb_run_open(ev, job, fd, -1, sh);
	if (code == JSB_EXIT_OK)
		code = jsb_run_bind(ev);
	if (code == JSB_EXIT_OK)
		code = jsb_run_source(ev);
	jsb_run_close(ev, code);
	return code;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int null_fd = -1;
	static struct jsb_eval ev;
	static struct jsb_shared shared;
	static struct jsb_policy policy;
	if (null_fd < 0) {
		null_fd = open("/dev/null", O_WRONLY);
		FUZZ_CHECK(null_fd >= 0 && jsb_policy_profile(&policy, "strict"));
		/* Strict's own deadline (500 ms) would make every looping input
		 * cost half a second: the hook is the same at 50. */
		policy.timeout_ms = 50;
	}
	struct jsb_job job = {.source = (const char *)data,
	                      .source_len = size,
	                      .source_name = "<fuzz>",
	                      .input_fd = -1,
	                      .input_name = "<input>",
	                      .policy = &policy,
	                      .flags = flags_of(data, size) & ~TRANSPILE};
	if (!(flags_of(data, size) & TRANSPILE)) {
		job.es5 = job.source;
		job.es5_len = job.source_len;
	}
	memset(&ev, 0, sizeof ev);
	memset(&shared, 0, sizeof shared);
	jmp_buf here;
	int code;
	if (setjmp(here) == 0) {
		running = &here;
		code = run(&ev, &job, null_fd, &shared);
		running = NULL;
	} else {
		running = NULL;
		FUZZ_CHECK(n_abandoned < sizeof abandoned / sizeof abandoned[0]);
		abandoned[n_abandoned++] = ev.ctx;
		return 0;
	}
	FUZZ_CHECK(code == JSB_EXIT_OK || code == JSB_EXIT_SCRIPT || code == JSB_EXIT_USAGE ||
	           code == JSB_EXIT_TIMEOUT || code == JSB_EXIT_MEMORY || code == JSB_EXIT_POLICY ||
	           code == JSB_EXIT_OUTPUT);
	free(ev.line_marks);
	jsb_eval_forget(&ev);
	jsb_heap_free(&ev.heap, ev.console);
	if (ev.ctx) {
		/* Finalizers run at teardown: stopped at their first check. */
		jsb_limits_stop(&ev.limits, JSB_STOP_TIME);
		duk_destroy_heap(ev.ctx);
	}
	FUZZ_CHECK(ev.heap.used == 0);
	return 0;
}
