/* The interactive REPL: line editing and history in the trusted parent,
 * evaluation in the confined evaluator. */
#ifndef JSB_REPL_H
#define JSB_REPL_H

#include "cli/args.h"
#include "policy/policy.h"

/* Runs the REPL until the user exits; returns the exit code. */
int jsb_repl_run(const struct jsb_options *opt, const struct jsb_policy *policy);

#endif
