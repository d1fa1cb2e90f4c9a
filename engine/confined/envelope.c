/* The --json-result envelope and --on-error emit lines, written on the
 * stdout channel.  An envelope still owed when the evaluator dies is marked
 * in the shared page, so the supervisor can write it instead. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsbox.h"
#include "engine/confined/bridge.h"
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

/* The envelope and emit lines go to the stdout channel as jsbox's own
 * bytes: only the result in them counts against the output budget. */
static bool to_stdout(void *ctx, const char *data, size_t len)
{
	jsb_out_raw(ctx, JSB_CH_STDOUT, data, len);
	return true;
}

void jsb_envelope_forget(struct jsb_eval *ev)
{
	jsb_heap_free(&ev->heap, ev->thrown_name);
	jsb_heap_free(&ev->heap, ev->thrown_message);
	ev->thrown_name = ev->thrown_message = NULL;
}

void jsb_envelope_begin(struct jsb_eval *ev)
{
	if (!enveloped(ev))
		return;
	ev->console_len = 0;
	jsb_out_raw(&ev->out, JSB_CH_CONSOLE, "", 0);
	ev->fail_type = NULL;
	ev->fail_message[0] = '\0';
	ev->fail_line = 0;
	jsb_envelope_forget(ev);
	owe(ev, 1);
}

void jsb_envelope_note(struct jsb_eval *ev, int code, const char *kind, const char *detail)
{
	ev->fail_type = jsb_envelope_type(code);
	int n = snprintf(ev->fail_message, sizeof ev->fail_message, "%s: %s", kind, detail);
	if (n >= (int)sizeof ev->fail_message) /* cut between characters */
		ev->fail_message[jsb_text_whole(ev->fail_message, sizeof ev->fail_message - 1)] =
		    '\0';
	ev->fail_line = 0;
	jsb_envelope_forget(ev);
}

/* A heap copy of the string at idx and its length, NUL-terminated (NULL
 * when the heap refuses: the note jsbox made stands then). */
static char *copy_string(struct jsb_eval *ev, duk_idx_t idx, size_t *len)
{
	duk_size_t n;
	const char *s = duk_safe_to_lstring(ev->ctx, idx, &n);
	char *copy = n < SIZE_MAX ? jsb_heap_alloc(&ev->heap, n + 1) : NULL;
	if (copy) {
		memcpy(copy, s, n);
		copy[n] = '\0';
		*len = n;
	}
	return copy;
}

void jsb_envelope_note_error(struct jsb_eval *ev, duk_idx_t idx)
{
	duk_context *ctx = ev->ctx;
	size_t name_len;
	idx = duk_normalize_index(ctx, idx);
	if (!duk_is_error(ctx, idx))
		return;
	jsb_envelope_forget(ev);
	duk_get_prop_string(ctx, idx, "name");
	ev->thrown_name = copy_string(ev, -1, &name_len);
	duk_get_prop_string(ctx, idx, "message");
	ev->thrown_message = copy_string(ev, -1, &ev->thrown_message_len);
	duk_pop_2(ctx);
	if (!ev->thrown_name || !ev->thrown_message) {
		jsb_envelope_forget(ev);
		return;
	}
	/* Duktape's " (line N)" suffix: the line has its own field. */
	char *suffix = strstr(ev->thrown_message, " (line ");
	if (suffix && strchr(suffix, ')') && strchr(suffix, ')')[1] == '\0') {
		*suffix = '\0';
		ev->thrown_message_len = (size_t)(suffix - ev->thrown_message);
	}
	char place[512];
	jsb_run_place(ev, idx, place, sizeof place);
	/* "file:line" or "file:line:column": the number after the file name. */
	size_t flen = strlen(ev->job->source_name);
	ev->fail_line =
	    flen + 1 < sizeof place && place[flen] == ':' ? strtol(place + flen + 1, NULL, 10) : 0;
}

bool jsb_run_capture(struct jsb_eval *ev, const char *text, size_t len)
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
	jsb_jsonw_init(&w, JSB_JSONW_COMPACT, to_stdout, &ev->out);
	jsb_envelope_write(&w, e);
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
		jsb_envelope_note(ev, code, jsb_envelope_type(code), "failed");
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

void jsb_envelope_emit_error(struct jsb_eval *ev, const char *kind, const char *detail)
{
	struct jsb_jsonw w;
	if (enveloped(ev))
		return;
	jsb_jsonw_init(&w, JSB_JSONW_COMPACT, to_stdout, &ev->out);
	jsb_jsonw_object(&w);
	jsb_jsonw_key(&w, "error");
	jsb_jsonw_open_string(&w);
	jsb_jsonw_string_part(&w, kind, strlen(kind), JSB_LONE_REPLACE);
	jsb_jsonw_string_part(&w, ": ", 2, JSB_LONE_REPLACE);
	jsb_jsonw_string_part(&w, detail, strlen(detail), JSB_LONE_REPLACE);
	jsb_jsonw_close_string(&w);
	jsb_jsonw_key(&w, "record");
	jsb_jsonw_uint(&w, ev->record);
	jsb_jsonw_finish(&w);
}
