/* The --json-result envelope's one shape, whichever side writes it: the
 * evaluator after a run or record, the supervisor for an evaluator that
 * died owing one, main for a run that never started.  Fields, in order:
 * success, output or error {type, message, line}, console, time_ms,
 * transpile_ms, memory_peak and, for a stream's record, record. */
#ifndef JSB_ENVELOPE_JSON_H
#define JSB_ENVELOPE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/lib/jsonw.h"

struct jsb_envelope_json {
	bool success;
	/* success: the result as JSON text (CESU-8); NULL for null */
	const char *output;
	size_t output_len;
	/* failure: the error's name, its message (lone surrogates replaced)
	 * and its script line (0: null) */
	const char *type, *message;
	size_t message_len;
	long line;
	/* what console.* wrote: JSON string literals (CESU-8), comma-separated */
	const char *console;
	size_t console_len;
	double time_ms, transpile_ms;
	uint64_t memory_peak;
	uint64_t record; /* --ndjson: the record (1-based); 0 leaves the field out */
};

/* The error type an exit code stands for ("TimeoutError"). */
const char *jsb_envelope_type(int code);

/* Writes e and its newline; false if the sink lost any of it. */
bool jsb_envelope_write(struct jsb_jsonw *w, const struct jsb_envelope_json *e);

#endif
