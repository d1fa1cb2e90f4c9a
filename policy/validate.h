/* Static checks on source text before anything runs: size, lines and the
 * policy's deny patterns.  Syntax is the engine's compile step. */
#ifndef JSB_VALIDATE_H
#define JSB_VALIDATE_H

#include <stddef.h>

#include "common/jsbox.h"
#include "policy/policy.h"

/* JSB_EXIT_OK, or why the source may not run: JSB_EXIT_POLICY (err says
 * which check), JSB_EXIT_TIMEOUT (the deny patterns ran past the policy's
 * time limit; err is the limit). */
int jsb_validate_source(const struct jsb_policy *p, const char *src, size_t len, char *err,
                        size_t errsize);

#endif
