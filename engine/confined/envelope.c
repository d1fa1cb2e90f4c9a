/* The --json-result envelope, written on the stdout channel (the failure's
 * note is the core's, engine/confined/eval.c).  An envelope still owed when the evaluator dies is
 * marked in the shared page, so the supervisor can write it instead. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsbox.h"
#include "engine/confined/envelope.h"
#include "engine/lib/envelope_json.h"
#include "engine/lib/jsonw.h"

static bool enveloped(const struct jsb_eval *ev)
{
	return (ev->job->flags & JSB_JOB_JSON_RESULT) != 0;
}

static void owe(struct jsb_eval *ev, int owed)
{
	if (ev->limits.shared)
		ev->limits.shared->envelope_pending = owed;
}

void jsb_envelope_begin(struct jsb_eval *ev)
{
	if (!enveloped(ev))
		return;
	ev->console_len = 0;
	jsb_out_raw(&ev->out, JSB_CH_CONSOLE, "", 0);
	jsb_eval_forget(ev);
	owe(ev, 1);
}

bool jsb_envelope_capture(struct jsb_eval *ev, const char *text, size_t len)
{
	duk_context *ctx = ev->ctx;
	if (len > ev->out.budget - ev->out.used) {
		jsb_limits_stop(&ev->limits, JSB_STOP_OUTPUT);
		return false;
	}
	ev->out.used += len;
	if (len && text[len - 1] == '\n')
		len--;
	duk_push_lstring(ctx, text, len);
	duk_size_t qlen;
	const char *q = duk_json_encode(ctx, -1);
	qlen = strlen(q);
	size_t need = ev->console_len + qlen + 1;
	if (need > ev->console_cap) {
		size_t cap = need * 2;
		char *more = jsb_heap_realloc(&ev->heap, ev->console, cap);
		if (!more) {
			duk_pop(ctx);
			return false;
		}
		ev->console = more;
		ev->console_cap = cap;
	}
	if (ev->console_len)
		ev->console[ev->console_len++] = ',';
	memcpy(ev->console + ev->console_len, q, qlen);
	ev->console_len += qlen;
	jsb_out_raw(&ev->out, JSB_CH_CONSOLE, q, qlen);
	duk_pop(ctx);
	return true;
}

/* The envelope of the run or record that ends, with the fields both
 * endings share.  time_ms leaves the translation (transpile_ms) out. */
static void send(struct jsb_eval *ev, struct jsb_envelope_json *e)
{
	struct jsb_jsonw w;
	e->console = ev->console;
	e->console_len = ev->console_len;
	e->time_ms = (double)(jsb_now_ns() - ev->record_start_ns) / 1e6;
	e->transpile_ms = (double)ev->transpile_ns / 1e6;
	e->memory_peak = ev->heap.peak;
	e->record = ev->record;
	jsb_jsonw_init(&w, JSB_JSONW_COMPACT, jsb_out_stdout_sink, &ev->out);
	jsb_envelope_write(&w, e);
	if (!ev->out.hold)
		jsb_out_flush(&ev->out);
	owe(ev, 0);
}

bool jsb_envelope_success(struct jsb_eval *ev, duk_idx_t idx)
{
	struct jsb_envelope_json e = {.success = true};
	duk_size_t len = 0;
	if (duk_is_string(ev->ctx, idx))
		e.output = duk_get_lstring(ev->ctx, idx, &len);
	e.output_len = len;
	/* The result counts against the output budget, and an envelope is
	 * whole or not written: one that does not fit is an output failure. */
	uint64_t size = e.output ? jsb_jsonw_json_size(e.output, len) : 0;
	if (size > ev->out.budget - ev->out.used) {
		jsb_limits_stop(&ev->limits, JSB_STOP_OUTPUT);
		return false;
	}
	ev->out.used += size;
	ev->records_out++;
	send(ev, &e);
	return true;
}

void jsb_envelope_failure(struct jsb_eval *ev, int code)
{
	if (!enveloped(ev) || (ev->limits.shared && !ev->limits.shared->envelope_pending))
		return;
	if (!ev->fail_type && !ev->thrown_name)
		jsb_eval_note(ev, code, jsb_envelope_type(code), "failed");
	struct jsb_envelope_json e = {.line = ev->fail_line};
	e.type = ev->thrown_name ? ev->thrown_name : ev->fail_type;
	e.message = ev->thrown_message ? ev->thrown_message : ev->fail_message;
	e.message_len = ev->thrown_message ? ev->thrown_message_len : strlen(e.message);
	send(ev, &e);
}

void jsb_envelope_done(struct jsb_eval *ev)
{
	owe(ev, 0);
}
