/* What jsbox's patched duktape.c (patches/duktape/) and jsbox's own C share:
 * the functions the patches call, defined in engine/confined/duk_*.c, and the
 * glue the patches export around Duktape's internals.  Included by
 * duk_config.h before Duktape's own types exist, so plain C types only. */
#ifndef JSB_DUK_PATCHES_H
#define JSB_DUK_PATCHES_H

#include <stddef.h>
#include <stdint.h>

struct duk_hthread;

/* A walk over a regexp pattern's capturing groups (engine/confined/duk_regexp.c):
 * "(" not escaped, not in a class, and not "(?" unless it is "(?<name>". */
struct jsb_re_scan {
	const unsigned char *p, *end;
	int in_class;
};
void jsb_re_scan_init(struct jsb_re_scan *s, const unsigned char *p, size_t n);
int jsb_re_next_group(struct jsb_re_scan *s, const unsigned char **name, size_t *len);
uint32_t jsb_re_count_groups(const unsigned char *p, size_t n, unsigned int *named);

/* RegExp.prototype's flag getters Duktape lacks (sticky, dotAll, hasIndices,
 * unicode, unicodeSets) and compile(), on each heap. */
void jsb_regexp_extend(struct duk_hthread *thr);
/* Glue in duktape.c: Duktape's getter of the flags (its magic says which)
 * and compile(), which replaces a regexp's internal bytecode and source. */
int jsb_regexp_flag_getter(struct duk_hthread *thr);
int jsb_regexp_compile_method(struct duk_hthread *thr);
/* The RegExp constructor, for a pattern with the u or v flag:
 * [ ... pattern flags ] -> [ ... pattern' flags' ] and 1, the pattern
 * rewritten for Duktape's compiler and the flags without u and v, or throws;
 * 0 and the stack as it was to decline.  Set by
 * engine/confined/modern/modern.c when the evaluator has a transpiler. */
extern int (*jsb_regexp_translate)(struct duk_hthread *thr);

/* ArrayBuffer.prototype's transfer(), transferToFixedLength() and detached
 * getter, on each heap (engine/confined/duk_buffer.c); the glue in duktape.c
 * that moves the contents and detaches. */
void jsb_arraybuffer_extend(struct duk_hthread *thr);
int jsb_arraybuffer_transfer(struct duk_hthread *thr);
int jsb_arraybuffer_detached_getter(struct duk_hthread *thr);

/* eval and the Function constructor (engine/confined/duk_code.c):
 * [ ... source filename ] -> [ ... source function ], through the
 * transpiler when Duktape rejects the source. */
void jsb_compile_code(struct duk_hthread *thr, unsigned int flags);
/* Set by engine/confined/modern/modern.c when the evaluator has a transpiler. */
extern int (*jsb_code_transpile)(struct duk_hthread *thr);
extern int (*jsb_code_needed)(const char *src, size_t len);
/* Glue in duktape.c: Duktape's own compile, with the same stack effect. */
void jsb_duk_compile(struct duk_hthread *thr, unsigned int flags);

/* { [key]: function () {} } (engine/confined/duk_names.c): the key at
 * index key made a property key in place, and the function at index fn
 * named after it: its text, "[description]" for a symbol, "" for Symbol(). */
void jsb_name_function_by_key(struct duk_hthread *thr, int key, int fn);
/* [ ... ] -> [ ... description ]: the text the symbol at idx was made
 * with; undefined for Symbol(), which prints as Symbol('') does. */
void jsb_push_symbol_description(struct duk_hthread *thr, int idx);

/* Symbol.unscopables, the well-known symbol, on each heap
 * (engine/confined/duk_scope.c); and whether the object of a with statement
 * hides a name it has: [ ... target name ] -> [ ... ], target[@@unscopables]
 * read and, if an object, its [name] as a boolean (may run script code). */
void jsb_unscopables_extend(struct duk_hthread *thr);
int jsb_unscopable(struct duk_hthread *thr);

/* One frame of the running call stack, for --prof (jsb_callstack). */
struct jsb_frame {
	const void *code;        /* the function's bytecode, shared by its closures */
	const char *name, *file; /* CESU-8, not NUL-terminated; NULL when absent */
	size_t name_len, file_len;
	unsigned long line;       /* line being executed */
	unsigned long first_line; /* line of the function's first instruction */
};
/* The running thread's ECMAScript frames, innermost first; at most max
 * (patches/duktape/0016: it reads Duktape's activations directly). */
size_t jsb_callstack(struct duk_hthread *ctx, struct jsb_frame *frames, size_t max);

#endif
