/* The --json-result envelope and --on-error emit lines, written on the
 * stdout channel.  An envelope still owed when the evaluator dies is marked
 * in the shared page, so the supervisor can write it instead. */
#include <stdio.h>
#include <string.h>

#include "common/jsbox.h"
#include "engine/confined/bridge.h"
#include "engine/confined/envelope.h"

static bool enveloped(const struct jsb_eval *ev)
{
	return (ev->job->flags & JSB_JOB_JSON_RESULT) != 0;
}

static void owe(struct jsb_eval *ev, int owed)
{
	if (ev->limits.shared)
		ev->limits.shared->envelope_pending = owed;
}

const char *jsb_envelope_type(int code)
{
	switch (code) {
	case JSB_EXIT_SCRIPT: return "Error";
	case JSB_EXIT_USAGE: return "UsageError";
	case JSB_EXIT_TIMEOUT: return "TimeoutError";
	case JSB_EXIT_MEMORY: return "MemoryError";
	case JSB_EXIT_POLICY: return "SecurityError";
	case JSB_EXIT_OUTPUT: return "OutputLimitError";
	case JSB_EXIT_INTERRUPT: return "InterruptedError";
	default: return "InternalError";
	}
}

size_t jsb_envelope_quote(char *dst, size_t size, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;
	if (size < 3)
		return 0;
	dst[n++] = '"';
	for (; *s && n + 8 < size; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			dst[n++] = '\\';
			dst[n++] = (char)c;
		} else if (c < 0x20) {
			memcpy(dst + n, "\\u00", 4);
			dst[n + 4] = hex[c >> 4];
			dst[n + 5] = hex[c & 15];
			n += 6;
		} else {
			dst[n++] = (char)c;
		}
	}
	/* Cut short: not inside a character (escapes end in ASCII). */
	if (*s)
		n = 1 + jsb_text_whole(dst + 1, n - 1);
	dst[n++] = '"';
	dst[n] = '\0';
	return n;
}

void jsb_envelope_begin(struct jsb_eval *ev)
{
	if (!enveloped(ev))
		return;
	ev->console_len = 0;
	jsb_out_raw(&ev->out, JSB_CH_CONSOLE, "", 0);
	ev->fail_type[0] = ev->fail_message[0] = '\0';
	ev->fail_line = 0;
	owe(ev, 1);
}

void jsb_envelope_note(struct jsb_eval *ev, int code, const char *kind, const char *detail)
{
	snprintf(ev->fail_type, sizeof ev->fail_type, "%s", jsb_envelope_type(code));
	int n = snprintf(ev->fail_message, sizeof ev->fail_message, "%s: %s", kind, detail);
	if (n >= (int)sizeof ev->fail_message)
		ev->fail_message[jsb_text_whole(ev->fail_message, sizeof ev->fail_message - 1)] =
		    '\0';
	ev->fail_line = 0;
}

void jsb_envelope_note_error(struct jsb_eval *ev, duk_idx_t idx)
{
	duk_context *ctx = ev->ctx;
	idx = duk_normalize_index(ctx, idx);
	if (!duk_is_error(ctx, idx))
		return;
	duk_size_t len;
	duk_get_prop_string(ctx, idx, "name");
	const char *s = duk_safe_to_lstring(ctx, -1, &len);
	jsb_text_to_utf8_cut(ev->fail_type, sizeof ev->fail_type, s, len, JSB_LONE_REPLACE);
	duk_get_prop_string(ctx, idx, "message");
	s = duk_safe_to_lstring(ctx, -1, &len);
	jsb_text_to_utf8_cut(ev->fail_message, sizeof ev->fail_message, s, len, JSB_LONE_REPLACE);
	/* Duktape's " (line N)" suffix: the line has its own field. */
	char *suffix = strstr(ev->fail_message, " (line ");
	if (suffix && strchr(suffix, ')') && strchr(suffix, ')')[1] == '\0')
		*suffix = '\0';
	duk_pop_2(ctx);
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

/* ,"console":[...],"time_ms":T,"transpile_ms":X,"memory_peak":M[,"record":N]}\n
 * and flush.  time_ms leaves the translation (transpile_ms) out. */
static void finish(struct jsb_eval *ev)
{
	char tail[256];
	jsb_out_raw(&ev->out, JSB_CH_STDOUT, ",\"console\":[", 12);
	if (ev->console_len) {
		size_t bound = jsb_text_utf8_bound(ev->console_len);
		char *utf8 = jsb_heap_alloc(&ev->heap, bound);
		if (utf8) {
			size_t n =
			    jsb_text_to_utf8(utf8, ev->console, ev->console_len, JSB_LONE_ESCAPE);
			jsb_out_raw(&ev->out, JSB_CH_STDOUT, utf8, n);
			jsb_heap_free(&ev->heap, utf8);
		}
	}
	int n = snprintf(tail, sizeof tail,
	                 "],\"time_ms\":%.3f,\"transpile_ms\":%.3f,\"memory_peak\":%llu",
	                 (double)(jsb_now_ns() - ev->record_start_ns) / 1e6,
	                 (double)ev->transpile_ns / 1e6, (unsigned long long)ev->heap.peak);
	if (ev->record)
		n += snprintf(tail + n, sizeof tail - (size_t)n, ",\"record\":%llu",
		              (unsigned long long)ev->record);
	n += snprintf(tail + n, sizeof tail - (size_t)n, "}\n");
	jsb_out_raw(&ev->out, JSB_CH_STDOUT, tail, (size_t)n);
	jsb_out_flush(&ev->out);
	owe(ev, 0);
}

bool jsb_envelope_success(struct jsb_eval *ev, duk_idx_t idx)
{
	duk_context *ctx = ev->ctx;
	static const char head[] = "{\"success\":true,\"output\":";
	jsb_out_raw(&ev->out, JSB_CH_STDOUT, head, sizeof head - 1);
	if (duk_is_string(ctx, idx)) {
		duk_size_t len;
		const char *s = duk_get_lstring(ctx, idx, &len);
		if (!jsb_bridge_write(&ev->out, JSB_CH_STDOUT, s, len, JSB_LONE_ESCAPE))
			return false;
	} else {
		jsb_out_raw(&ev->out, JSB_CH_STDOUT, "null", 4);
	}
	ev->records_out++;
	finish(ev);
	return true;
}

void jsb_envelope_failure(struct jsb_eval *ev, int code)
{
	char buf[4096], type[128], msg[3000];
	if (!enveloped(ev) || (ev->limits.shared && !ev->limits.shared->envelope_pending))
		return;
	if (!ev->fail_type[0])
		jsb_envelope_note(ev, code, jsb_envelope_type(code), "failed");
	jsb_envelope_quote(type, sizeof type, ev->fail_type);
	jsb_envelope_quote(msg, sizeof msg, ev->fail_message);
	char line[32] = "null";
	if (ev->fail_line > 0)
		snprintf(line, sizeof line, "%ld", ev->fail_line);
	int n = snprintf(buf, sizeof buf,
	                 "{\"success\":false,\"error\":{\"type\":%s,\"message\":%s,\"line\":%s}",
	                 type, msg, line);
	jsb_out_raw(&ev->out, JSB_CH_STDOUT, buf,
	            (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
	finish(ev);
}

void jsb_envelope_done(struct jsb_eval *ev)
{
	owe(ev, 0);
}

void jsb_envelope_emit_error(struct jsb_eval *ev, const char *kind, const char *detail)
{
	char text[2400], quoted[8192], line[8300];
	if (enveloped(ev))
		return;
	snprintf(text, sizeof text, "%s: %s", kind, detail);
	jsb_envelope_quote(quoted, sizeof quoted, text);
	int n = snprintf(line, sizeof line, "{\"error\":%s,\"record\":%llu}\n", quoted,
	                 (unsigned long long)ev->record);
	jsb_out_raw(&ev->out, JSB_CH_STDOUT, line,
	            (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}
