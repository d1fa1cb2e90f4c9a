/* --prof: a sampling profiler on the exec-timeout hook.  Owns the samples
 * and the report; does not decide when the hook runs. */
#ifndef JSB_PROF_H
#define JSB_PROF_H

struct jsb_eval;
struct jsb_prof;

/* Starts sampling ev's heap (the hook calls jsb_prof_tick); false when the
 * tables cannot be allocated. */
_Bool jsb_prof_start(struct jsb_eval *ev);

/* From the hook: takes a sample when an interval has passed since the last. */
void jsb_prof_tick(struct jsb_prof *p);

/* Writes the report on the stderr channel (text, or one JSON line). */
void jsb_prof_report(struct jsb_eval *ev);

#endif
