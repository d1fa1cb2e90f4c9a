/* setTimeout/setInterval and the event loop that runs them after the
 * script, within the deadline.  Installed only when the policy allows
 * timers; never evaluates strings. */
#ifndef JSB_TIMERS_H
#define JSB_TIMERS_H

#include "engine/confined/eval.h"

/* Installs setTimeout, setInterval, clearTimeout, clearInterval:
 * [ ... global ] -> [ ... global ]. */
void jsb_timers_install(struct jsb_eval *ev);

/* Forgets every timer (a server's worker, between jobs; the heap that
 * held their callbacks is gone). */
void jsb_timers_free(struct jsb_eval *ev);

/* Runs due timers in order until none remain, the deadline passes or a
 * callback throws; returns the exit code (0 when all ran). */
int jsb_timers_drain(struct jsb_eval *ev);

#endif
