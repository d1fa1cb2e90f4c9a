/* The jail's allowlist as libseccomp rules.  Used at build time only, by
 * tools/jail_bpf.c; the evaluator loads the compiled program. */
#ifndef JSB_JAIL_RULES_H
#define JSB_JAIL_RULES_H

#include <seccomp.h>
#include <stdbool.h>

#include "engine/trusted/jail_filter.h"

/* Adds every allowed call to f (built with a trapping default action),
 * comparing descriptors against the JSB_JAIL_FD_* stand-ins. */
bool jsb_jail_rules(scmp_filter_ctx f, enum jsb_jail_reads reads);

#endif
