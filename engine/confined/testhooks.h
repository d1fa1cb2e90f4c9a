/* Test-only hooks (tests/jsbox-hooks): never part of the installed jsbox. */
#ifndef JSB_TESTHOOKS_H
#define JSB_TESTHOOKS_H

#include "duktape.h"

/* Installs __jsboxTest: [ ... global ] -> [ ... global ]. */
void jsb_testhooks_install(duk_context *ctx);

/* Sleeps the milliseconds in the environment variable name, if it is set:
 * an evaluator descheduled at that point, as on a loaded machine. */
void jsb_testhooks_lag(const char *name);

#endif
