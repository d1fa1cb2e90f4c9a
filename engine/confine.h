/* The OS jail the evaluator puts itself in before it runs any script:
 * descriptors, rlimits, no_new_privs, seccomp.  Applied in the child only. */
#ifndef JSB_CONFINE_H
#define JSB_CONFINE_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/engine.h"

/* Closes every descriptor but those in keep[], sets the rlimits and, unless
 * the job says --no-jail, the syscall filter.  False (with err set) when the
 * jail cannot be built; the evaluator must then not run the script. */
bool jsb_confine_apply(const struct jsb_job *job, const int *keep, size_t nkeep, char *err,
                       size_t errsize);

#endif
