/* A piped stdin as `input`, read lazily: a script that never names `input`
 * never reads stdin, so `jsbox -e '2+3*4'` in a `while read` loop leaves the
 * loop's lines alone and an open stdin nobody writes to cannot block it.
 * Every read of the input waits under the run's deadline, so a producer
 * that never finishes is a timeout that says what jsbox was waiting for. */
#include <errno.h>
#include <poll.h>
#include <time.h>

#include "engine/confined/input.h"
#include "engine/confined/run.h"

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
	struct jsb_eval *ev = jsb_run_current(ctx);
	int rc = ev->input_failed ? ev->input_failed : jsb_run_input_value(ev);
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
