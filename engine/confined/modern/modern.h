/* ES2015+ support for the evaluator: the transpiler, run in a second,
 * trusted Duktape heap of its own, and the runtime polyfills installed in
 * the script's heap.  Never touches files; the script's heap only gets
 * transpiled ES5 code and the polyfills. */
#ifndef JSB_MODERN_H
#define JSB_MODERN_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "duktape.h"

struct jsb_eval;

/* [ ... err ] -> [ ... function ]: compiles the job's source after
 * transpiling it to ES5, or throws a SyntaxError at the user's line and
 * column (naming the feature when the transpiler does not support it).
 * err is the ES5 compile error, rethrown when there is no transpiler. */
duk_ret_t jsb_modern_compile(duk_context *ctx, struct jsb_eval *ev);

/* [ ... err ] -> [ ... function ]: the same for one REPL line, source,
 * compiled as a program only (its declarations global, no top-level
 * return).  A source that ends early throws an error whose message ends
 * in "end of input)", as Duktape's own do. */
duk_ret_t jsb_modern_compile_line(duk_context *ctx, struct jsb_eval *ev, const char *source,
                                  size_t len);

/* A translation's lines and the script's: the transpiler ends every
 * translation with a line "//# jsboxLines=G:S,...": line G came from source
 * line S, and lines after G from the lines after S, up to the next mark.
 * Only the last line counts: the same comment elsewhere is the source's.
 * The compile reads it into ev->line_marks, which jsb_eval_source_line
 * (eval.h) consults. */

/* Where the "\n//# jsboxLines=" that begins the last line of a translation
 * is, or NULL when its last line is not one (the tag is
 * JSB_MODERN_MARKS_TAG_LEN bytes). */
#define JSB_MODERN_MARKS_TAG_LEN 16
static inline const char *jsb_modern_marks(const char *es5, size_t len)
{
	static const char tag[] = "\n//# jsboxLines=";
	_Static_assert(sizeof tag - 1 == JSB_MODERN_MARKS_TAG_LEN, "tag length");
	const char *last = memrchr(es5, '\n', len);
	if (!last || (size_t)(es5 + len - last) < sizeof tag - 1 ||
	    memcmp(last, tag, sizeof tag - 1) != 0)
		return NULL;
	return last;
}

/* Whether the source must be transpiled although Duktape may compile it:
 * Duktape takes const (function-scoped) and compiles `[a, b] = x` to a
 * run-time error.  Always false without the transpiler. */
bool jsb_modern_needed(const char *source, size_t len);

/* Installs the polyfills into the script's heap if the source may use
 * them (or was transpiled), each part of exotic.js (well-known symbols,
 * Proxy) whose words it names, and regeneratorRuntime if it names it (the
 * transpiled generators and async functions do); plain ES5 code not
 * naming them pays nothing. */
void jsb_modern_polyfill(duk_context *ctx, const char *source, size_t len, bool always);

/* Lets eval and the Function constructor of the script's heap compile
 * ES2015+ code: what the engine rejects is transpiled (and its polyfills
 * installed) as a script is.  Nothing without the transpiler. */
void jsb_modern_eval_transpiles(void);

/* Lets the RegExp constructor of the script's heap take the u and v flags:
 * the pattern is transpiled (under the script's deadline) as a literal with
 * them is.  Nothing without the transpiler. */
void jsb_modern_regexp_translates(void);

/* Runs pending promise jobs until none are left; call after the script
 * and after each timer.  Throws what a job threw. */
void jsb_modern_drain(duk_context *ctx);

#endif
