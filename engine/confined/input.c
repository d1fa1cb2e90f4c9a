/* The job's input: read (under the deadline) and parsed into a value, or,
 * for a piped stdin, bound lazily: a script that never names `input`
 * never reads stdin, so `jsbox -e '2+3*4'` in a `while read` loop leaves the
 * loop's lines alone and an open stdin nobody writes to cannot block it.
 * Every read of the input waits under the run's deadline, so a producer
 * that never finishes is a timeout that says what jsbox was waiting for. */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "engine/confined/bridge.h"
#include "engine/confined/eval.h"
#include "engine/confined/input.h"
#include "engine/lib/fstat.h"

bool jsb_input_wait(struct jsb_eval *ev, int fd)
{
	if (ev->limits.shared)
		ev->limits.shared->waiting_input = 1;
	for (;;) {
		if (jsb_limits_expired(&ev->limits))
			break;
		uint64_t now = jsb_now_ns(), left = ev->limits.deadline_ns - now;
		struct timespec ts = {(time_t)(left / 1000000000u), (long)(left % 1000000000u)};
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int ready = ppoll(&p, 1, ev->limits.deadline_ns ? &ts : NULL, NULL);
		if (ready > 0) {
			if (ev->limits.shared)
				ev->limits.shared->waiting_input = 0;
			return true;
		}
		if (ready < 0 && errno != EINTR)
			return true; /* the read that follows reports the error */
	}
	ev->waiting_input = true;
	return false;
}

/* Reads all of fd into a budgeted buffer.  A regular file larger than the
 * budget fails before anything is read. */
static int read_input(struct jsb_eval *ev, int fd, char **text, size_t *len)
{
	struct stat st;
	size_t cap = 64 * 1024, n = 0;
	if (jsb_fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		if ((uint64_t)st.st_size >= ev->heap.limit)
			return JSB_EXIT_MEMORY;
		cap = (size_t)st.st_size + 1;
	}
	char *buf = jsb_heap_alloc(&ev->heap, cap);
	if (!buf)
		return JSB_EXIT_MEMORY;
	for (;;) {
		if (n == cap) {
			char *more =
			    cap > SIZE_MAX / 2 ? NULL : jsb_heap_realloc(&ev->heap, buf, cap * 2);
			if (!more) {
				jsb_heap_free(&ev->heap, buf);
				return JSB_EXIT_MEMORY;
			}
			buf = more;
			cap *= 2;
		}
		if (!jsb_input_wait(ev, fd)) {
			jsb_heap_free(&ev->heap, buf);
			return JSB_EXIT_TIMEOUT;
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			jsb_heap_free(&ev->heap, buf);
			return JSB_EXIT_USAGE;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	*text = buf;
	*len = n;
	return JSB_EXIT_OK;
}

/* Only whitespace: a piped stdin nothing was written to. */
static bool blank(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!strchr(" \t\r\n", text[i]) || !text[i])
			return false;
	return true;
}

int jsb_input_value(struct jsb_eval *ev)
{
	const struct jsb_job *job = ev->job;
	char err[512], *read = NULL;
	const char *text = job->input_text;
	size_t len = job->input_len;
	int rc = text ? JSB_EXIT_OK : read_input(ev, job->input_fd, &read, &len);
	if (!text)
		text = read;
	if (rc == JSB_EXIT_MEMORY)
		return jsb_eval_memory_exceeded(ev);
	if (rc == JSB_EXIT_TIMEOUT)
		return jsb_eval_time_exceeded(ev);
	if (rc != JSB_EXIT_OK)
		return jsb_eval_say(ev, rc, "usage", "%s: cannot read: %s", job->input_name,
		                    strerror(errno));
	enum jsb_parse_status st = JSB_PARSE_OK;
	if ((job->flags & JSB_JOB_LAZY_INPUT) && blank(text, len))
		duk_push_null(ev->ctx);
	else
		st = jsb_bridge_parse(ev->ctx, &ev->heap, &ev->out, text, len, job->input_name, err,
		                      sizeof err);
	jsb_heap_free(&ev->heap, read);
	if (st == JSB_PARSE_MEMORY)
		return jsb_eval_memory_exceeded(ev);
	if (st == JSB_PARSE_INVALID)
		return jsb_eval_say(ev, JSB_EXIT_USAGE, "usage", "%s", err);
	return JSB_EXIT_OK;
}

/* [ value ] -> [ value ]: `input` a plain writable global holding value. */
static void settle(duk_context *ctx)
{
	duk_push_global_object(ctx);
	duk_push_string(ctx, "input");
	duk_dup(ctx, -3);
	duk_def_prop(ctx, -3,
	             DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_SET_WRITABLE |
	                 DUK_DEFPROP_SET_ENUMERABLE | DUK_DEFPROP_SET_CONFIGURABLE);
	duk_pop(ctx);
}

/* The first read of `input`.  A failure has been reported when it
 * happened; the stop makes the run end with it even if the script catches
 * the error thrown here. */
static duk_ret_t input_get(duk_context *ctx)
{
	struct jsb_eval *ev = jsb_eval_current(ctx);
	int rc = ev->input_failed ? ev->input_failed : jsb_input_value(ev);
	if (rc != JSB_EXIT_OK) {
		ev->input_failed = rc;
		jsb_limits_stop(&ev->limits, JSB_STOP_INPUT);
		return duk_error(ctx, DUK_ERR_ERROR, "the input could not be read");
	}
	settle(ctx);
	return 1;
}

/* `input = value` before any read: the value, and stdin stays unread. */
static duk_ret_t input_set(duk_context *ctx)
{
	duk_set_top(ctx, 1);
	settle(ctx);
	return 0;
}

void jsb_input_lazy(struct jsb_eval *ev)
{
	duk_context *ctx = ev->ctx;
	duk_push_global_object(ctx);
	duk_push_string(ctx, "input");
	duk_push_c_function(ctx, input_get, 0);
	duk_push_c_function(ctx, input_set, 1);
	duk_def_prop(ctx, -4,
	             DUK_DEFPROP_HAVE_GETTER | DUK_DEFPROP_HAVE_SETTER |
	                 DUK_DEFPROP_SET_ENUMERABLE | DUK_DEFPROP_SET_CONFIGURABLE);
	duk_pop(ctx);
}
