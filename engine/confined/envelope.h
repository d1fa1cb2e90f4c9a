/* --json-result: one JSON envelope per run (per record with --ndjson) that
 * says success or failure, the result, the console text, time and memory.
 * Writes only; decides no exit code. */
#ifndef JSB_ENVELOPE_H
#define JSB_ENVELOPE_H

#include <stdbool.h>

#include "engine/confined/eval.h"

/* A run or record starts: no console text yet, an envelope owed. */
void jsb_envelope_begin(struct jsb_eval *ev);

/* --json-result: keeps console text for the envelope instead of writing
 * it (counted against the output budget).  False when the budget ran out. */
bool jsb_envelope_capture(struct jsb_eval *ev, const char *text, size_t len);

/* The success envelope around the JSON text (or undefined) at idx.  False
 * when the output budget ran out. */
bool jsb_envelope_success(struct jsb_eval *ev, duk_idx_t idx);

/* The failure envelope, if one is still owed. */
void jsb_envelope_failure(struct jsb_eval *ev, int code);

/* The run ended: nothing is owed any more. */
void jsb_envelope_done(struct jsb_eval *ev);

#endif
