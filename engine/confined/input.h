/* The job's input as a value: read under the run's deadline and parsed,
 * or for a piped stdin bound to be read on the script's first use of it.
 * Owns when and how the input is read and what a failure says. */
#ifndef JSB_INPUT_H
#define JSB_INPUT_H

#include <stdbool.h>

struct jsb_eval;

/* Waits until fd has something to read (or its end); false when the
 * deadline passed or the run was stopped meanwhile (the stop is recorded,
 * and that the run was waiting for input). */
bool jsb_input_wait(struct jsb_eval *ev, int fd);

/* [ ... ] -> [ ... value ]: the job's input read and parsed (empty lazy
 * stdin is null); on failure reports it and returns its exit code. */
int jsb_input_value(struct jsb_eval *ev);

/* [ ... ] -> [ ... ]: global `input` an accessor that reads and parses the
 * job's input when first read, then becomes a plain property holding the
 * value; assigning `input` first reads nothing. */
void jsb_input_lazy(struct jsb_eval *ev);

#endif
