/* The --json-result envelope, written with the one JSON writer.  Knows the
 * shape only: what goes in it is the caller's. */
#include "engine/lib/envelope_json.h"
#include "common/jsbox.h"

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

static void write_error(struct jsb_jsonw *w, const struct jsb_envelope_json *e)
{
	jsb_jsonw_key(w, "error");
	jsb_jsonw_object(w);
	jsb_jsonw_key(w, "type");
	jsb_jsonw_str(w, e->type);
	jsb_jsonw_key(w, "message");
	jsb_jsonw_text(w, e->message, e->message_len, JSB_LONE_REPLACE);
	jsb_jsonw_key(w, "line");
	if (e->line > 0)
		jsb_jsonw_int(w, e->line);
	else
		jsb_jsonw_null(w);
	jsb_jsonw_end(w);
}

bool jsb_envelope_write(struct jsb_jsonw *w, const struct jsb_envelope_json *e)
{
	jsb_jsonw_object(w);
	jsb_jsonw_key(w, "success");
	jsb_jsonw_bool(w, e->success);
	if (e->success) {
		jsb_jsonw_key(w, "output");
		if (e->output)
			jsb_jsonw_json(w, e->output, e->output_len);
		else
			jsb_jsonw_null(w);
	} else {
		write_error(w, e);
	}
	jsb_jsonw_key(w, "console");
	jsb_jsonw_array(w);
	if (e->console_len)
		jsb_jsonw_json(w, e->console, e->console_len);
	jsb_jsonw_end(w);
	jsb_jsonw_key(w, "time_ms");
	jsb_jsonw_ms(w, e->time_ms);
	jsb_jsonw_key(w, "transpile_ms");
	jsb_jsonw_ms(w, e->transpile_ms);
	jsb_jsonw_key(w, "memory_peak");
	jsb_jsonw_uint(w, e->memory_peak);
	if (e->record) {
		jsb_jsonw_key(w, "record");
		jsb_jsonw_uint(w, e->record);
	}
	jsb_jsonw_end(w);
	return jsb_jsonw_finish(w);
}
