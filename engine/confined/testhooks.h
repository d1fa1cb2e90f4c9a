/* Test-only hooks (tests/jsbox-hooks): never part of the installed jsbox. */
#ifndef JSB_TESTHOOKS_H
#define JSB_TESTHOOKS_H

#include "duktape.h"

/* Installs __jsboxTest: [ ... global ] -> [ ... global ]. */
void jsb_testhooks_install(duk_context *ctx);

#endif
