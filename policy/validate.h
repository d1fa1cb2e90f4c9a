/* Static checks on source text before anything runs: size, lines and the
 * policy's deny patterns.  Syntax is the engine's compile step. */
#ifndef JSB_VALIDATE_H
#define JSB_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "policy/policy.h"

/* False when the source breaks the policy; err then holds the reason. */
bool jsb_validate_source(const struct jsb_policy *p, const char *src, size_t len, char *err,
                         size_t errsize);

#endif
