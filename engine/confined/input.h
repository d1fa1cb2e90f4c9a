/* A piped stdin as `input`, read on the script's first use of it, and the
 * deadline-bound wait every read of the input makes.  Owns when the input
 * is read; run.c owns how it is parsed and what a failure says. */
#ifndef JSB_INPUT_H
#define JSB_INPUT_H

#include <stdbool.h>

struct jsb_eval;

/* Waits until fd has something to read (or its end); false when the
 * deadline passed or the run was stopped meanwhile (the stop is recorded,
 * and that the run was waiting for input). */
bool jsb_input_wait(struct jsb_eval *ev, int fd);

/* [ ... ] -> [ ... ]: global `input` an accessor that reads and parses the
 * job's input when first read, then becomes a plain property holding the
 * value; assigning `input` first reads nothing. */
void jsb_input_lazy(struct jsb_eval *ev);

#endif
