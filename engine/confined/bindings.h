/* The globals a script sees beyond ECMAScript: console, btoa/atob, and the
 * capabilities the policy allows.  Policy decides which tables are
 * registered; bindings never check policy themselves. */
#ifndef JSB_BINDINGS_H
#define JSB_BINDINGS_H

#include "engine/confined/eval.h"

/* Installs the globals for ev->job->policy: [ ... ] -> [ ... ]. */
void jsb_bindings_install(struct jsb_eval *ev);

/* Throws a SecurityError "<what> is denied by <policy>", counting it for
 * --stats and reporting it once on stderr with the script's place. */
duk_ret_t jsb_bindings_deny(duk_context *ctx, unsigned cap, const char *what);

#endif
