/* --json-result: one JSON envelope per run (per record with --ndjson) that
 * says success or failure, the result, the console text, time and memory;
 * and --on-error emit's error lines.  Writes only; decides no exit code. */
#ifndef JSB_ENVELOPE_H
#define JSB_ENVELOPE_H

#include <stdbool.h>

#include "engine/confined/eval.h"

/* A run or record starts: no console text yet, an envelope owed. */
void jsb_envelope_begin(struct jsb_eval *ev);

/* Remembers a failure's type (from the exit code) and message. */
void jsb_envelope_note(struct jsb_eval *ev, int code, const char *kind, const char *detail);

/* Refines it from the thrown value at idx: its name, message and line. */
void jsb_envelope_note_error(struct jsb_eval *ev, duk_idx_t idx);

/* --json-result: keeps console text for the envelope instead of writing
 * it (counted against the output budget).  False when the budget ran out. */
bool jsb_run_capture(struct jsb_eval *ev, const char *text, size_t len);

/* The success envelope around the JSON text (or undefined) at idx.  False
 * when the output budget ran out. */
bool jsb_envelope_success(struct jsb_eval *ev, duk_idx_t idx);

/* The failure envelope, if one is still owed. */
void jsb_envelope_failure(struct jsb_eval *ev, int code);

/* The run ended: nothing is owed any more. */
void jsb_envelope_done(struct jsb_eval *ev);

/* --on-error emit: {"error": "...", "record": N} on stdout. */
void jsb_envelope_emit_error(struct jsb_eval *ev, const char *kind, const char *detail);

/* Frees the thrown error's name and message kept for the envelope (an
 * evaluation that goes on after its heap: a server's worker, the fuzzer). */
void jsb_envelope_forget(struct jsb_eval *ev);

#endif
