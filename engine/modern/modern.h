/* ES2015+ support for the evaluator: the transpiler, run in a second,
 * trusted Duktape heap of its own, and the runtime polyfills installed in
 * the script's heap.  Never touches files; the script's heap only gets
 * transpiled ES5 code and the polyfills. */
#ifndef JSB_MODERN_H
#define JSB_MODERN_H

#include <stdbool.h>

#include "duktape.h"

struct jsb_eval;

/* [ ... err ] -> [ ... function ]: compiles the job's source after
 * transpiling it to ES5, or throws a SyntaxError at the user's line and
 * column (naming the feature when the transpiler does not support it).
 * err is the ES5 compile error, rethrown when there is no transpiler. */
duk_ret_t jsb_modern_compile(duk_context *ctx, struct jsb_eval *ev);

/* Whether the source must be transpiled although Duktape may compile it:
 * Duktape takes const (function-scoped) and compiles `[a, b] = x` to a
 * run-time error.  Always false without the transpiler. */
bool jsb_modern_needed(const char *source, size_t len);

/* Installs the polyfills into the script's heap if the source may use
 * them (or was transpiled), and regeneratorRuntime if it names it (the
 * transpiled generators and async functions do); plain ES5 code not
 * naming them pays nothing. */
void jsb_modern_polyfill(duk_context *ctx, const char *source, size_t len, bool always);

/* Runs pending promise jobs until none are left; call after the script
 * and after each timer.  Throws what a job threw. */
void jsb_modern_drain(duk_context *ctx);

#endif
