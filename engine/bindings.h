/* The globals a script sees beyond ECMAScript: console, btoa/atob, and the
 * capabilities the policy allows.  Policy decides which tables are
 * registered; bindings never check policy themselves. */
#ifndef JSB_BINDINGS_H
#define JSB_BINDINGS_H

#include "engine/run.h"

/* Installs the globals for ev->job->policy: [ ... ] -> [ ... ]. */
void jsb_bindings_install(struct jsb_eval *ev);

#endif
