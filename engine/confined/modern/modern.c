/* ES2015+ support: the embedded transpiler (own heap, outside the script's
 * memory budget but under its deadline) and the embedded polyfills (in the
 * script's heap, under all its limits).  Loads bytecode built at build
 * time; never reads files. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/confined/eval.h"
#include "engine/confined/modern/modern.h"
#include "jsb_config.h"

extern const unsigned char jsb_modern_polyfill_bc[];
extern const size_t jsb_modern_polyfill_bc_len;
extern const unsigned char jsb_modern_exotic_bc[];
extern const size_t jsb_modern_exotic_bc_len;

/* [ ... ] -> [ ... result ]: runs an embedded bytecode program. */
static void push_bytecode_result(duk_context *ctx, const unsigned char *code, size_t len)
{
	void *buf = duk_push_fixed_buffer(ctx, len);
	memcpy(buf, code, len);
	duk_load_function(ctx);
	duk_call(ctx, 0);
}

/* [ ... ] -> [ ... ]: runs an embedded bytecode program. */
static void run_bytecode(duk_context *ctx, const unsigned char *code, size_t len)
{
	push_bytecode_result(ctx, code, len);
	duk_pop(ctx);
}

/* Words whose presence means the script may call a polyfilled built-in:
 * each names one (or all that start with it) and is rare in ES5 code.
 * tests/modern/test_polyfill_words.py checks that every name polyfill.js
 * adds is installed by a script that names it.  The rule is the name's
 * text: a name built at run time (o["fl" + "at"]) is not seen. */
static const char *const polyfill_words[] = {
    /* collections, promises, iterators, symbols, weak references */
    "Map",
    "Set",
    "Promise",
    "Iterator",
    /* the iterator helpers only iterators have (generators get them all) */
    "toArray",
    ".take(",
    ".drop(",
    "Symbol",
    "WeakRef",
    "FinalizationRegistry",
    /* the transpiler's helpers: spread, for-of (array patterns: below) */
    "__jsbIter(",
    "__jsbIterLoop",
    /* the transpiler's helpers: classes, class fields, tagged templates,
     * function names */
    "__jsbSuper",
    "__jsbField",
    "__jsbTemplate",
    "__jsbName",
    "__jsbTdz",
    /* Object and Reflect */
    "entries",
    "values",
    "fromEntries",
    "Descriptors",
    "is(",
    "hasOwn(",
    "groupBy",
    "Reflect.construct",
    "__define",
    "__lookup",
    /* Array */
    "from",
    "of(",
    "find",
    "includes",
    "fill",
    "flat",
    "at(",
    "keys()",
    "copyWithin",
    "toReversed",
    "toSorted",
    "toSpliced",
    ".with(",
    /* Set methods */
    ".union(",
    ".intersection(",
    "ifference(",
    "isSubsetOf",
    "isSupersetOf",
    "isDisjointFrom",
    /* String */
    "pad",
    "trim",
    "codePoint",
    "raw",
    /* the HTML methods (Annex B) */
    "anchor",
    "link",
    "big(",
    "blink",
    "bold",
    "fixed(",
    "fontcolor",
    "fontsize",
    "italics",
    "small(",
    "strike",
    "sub(",
    "sup(",
    "replaceAll",
    "matchAll",
    /* Number, Math, the global object, errors */
    "EPSILON",
    "SAFE_",
    "Number.is",
    /* Math's ES2015 functions (cosh also names acosh, and so on); not
     * "Math.", which every Math.floor would pay for */
    "cosh",
    "sinh",
    "tanh",
    "expm1",
    "fround",
    "log1p",
    "globalThis",
    "cause:",
    "AggregateError",
    /* typed arrays, shared memory */
    "Int8",
    "Int16",
    "Int32",
    "Uint",
    "Float",
    "Shared",
    "Atomics",
};

/* The parts of exotic.js, each installed once (marked on the global object
 * under a hidden symbol, which script code cannot name) when the source
 * names one of its words. */
static const struct exotic_part {
	const char *name, *mark;
	const char *words[8];
} exotic_parts[] = {
    {"symbols",
     DUK_HIDDEN_SYMBOL("jsbExoticSymbols"),
     {"Symbol.match", "Symbol.replace", "Symbol.search", "Symbol.split", NULL}},
    {"tag", DUK_HIDDEN_SYMBOL("jsbExoticTag"), {"Symbol.toStringTag", NULL}},
    {"spread", DUK_HIDDEN_SYMBOL("jsbExoticSpread"), {"Symbol.isConcatSpreadable", NULL}},
    {"proxy", DUK_HIDDEN_SYMBOL("jsbExoticProxy"), {"Proxy", "Reflect.get", "Reflect.set", NULL}},
};

/* Whether the source names one of the NULL-terminated words. */
static bool names_any(const char *source, size_t len, const char *const *words)
{
	for (; *words; words++)
		if (memmem(source, len, *words, strlen(*words)))
			return true;
	return false;
}

/* Installs each part of exotic.js that the source names and that is not
 * there, loading the program once for all of them.  The program is a
 * function of (global, slot, part); slot is a hidden symbol, the key under
 * which the Proxy layer keeps each proxy's target and handler. */
static void install_exotic(duk_context *ctx, const char *source, size_t len)
{
	bool loaded = false;
	duk_push_global_object(ctx);
	for (size_t i = 0; i < sizeof exotic_parts / sizeof *exotic_parts; i++) {
		const struct exotic_part *p = &exotic_parts[i];
		if (!names_any(source, len, p->words) ||
		    duk_has_prop_string(ctx, loaded ? -2 : -1, p->mark))
			continue;
		if (!loaded)
			push_bytecode_result(ctx, jsb_modern_exotic_bc, jsb_modern_exotic_bc_len);
		loaded = true;
		/* [ ... global install ] */
		duk_dup(ctx, -1);
		duk_dup(ctx, -3);
		duk_push_string(ctx, DUK_HIDDEN_SYMBOL("jsbProxy"));
		duk_push_string(ctx, p->name);
		duk_call(ctx, 3);
		duk_pop(ctx);
		duk_push_true(ctx);
		duk_put_prop_string(ctx, -3, p->mark);
	}
	duk_pop_n(ctx, loaded ? 2 : 1);
}

/* Symbol.prototype.description: the text a symbol was made with, which
 * script code cannot tell apart for Symbol() and Symbol('') (both print
 * "Symbol()"). */
static duk_ret_t symbol_description(duk_context *ctx)
{
	duk_push_this(ctx);
	if (!duk_is_symbol(ctx, -1)) {
		/* A Symbol object is unboxed by the original valueOf, which throws
		 * a TypeError for anything else. */
		duk_push_current_function(ctx);
		duk_get_prop_string(ctx, -1, DUK_HIDDEN_SYMBOL("valueOf"));
		duk_dup(ctx, -3);
		duk_call_method(ctx, 0);
	}
	jsb_push_symbol_description(ctx, -1);
	return 1;
}

/* [ ... ] -> [ ... ]: defines the getter unless the engine has it. */
static void define_symbol_description(duk_context *ctx)
{
	duk_get_global_string(ctx, "Symbol");
	duk_get_prop_string(ctx, -1, "prototype");
	/* [ ... Symbol proto ] */
	if (duk_has_prop_string(ctx, -1, "description")) {
		duk_pop_2(ctx);
		return;
	}
	duk_push_string(ctx, "description");
	duk_push_c_function(ctx, symbol_description, 0);
	duk_get_prop_string(ctx, -3, "valueOf");
	duk_put_prop_string(ctx, -2, DUK_HIDDEN_SYMBOL("valueOf"));
	duk_push_string(ctx, "name");
	duk_push_string(ctx, "get description");
	duk_def_prop(ctx, -3, DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_FORCE);
	/* [ ... Symbol proto "description" getter ] */
	duk_def_prop(ctx, -3, DUK_DEFPROP_HAVE_GETTER | DUK_DEFPROP_SET_CONFIGURABLE);
	duk_pop_2(ctx);
}

/* Whether the script's global object has the property name. */
static bool has_global(duk_context *ctx, const char *name)
{
	duk_push_global_object(ctx);
	bool present = duk_has_prop_string(ctx, -1, name);
	duk_pop(ctx);
	return present;
}

#if JSB_TRANSPILER
extern const unsigned char jsb_modern_regenerator_runtime_bc[];
extern const size_t jsb_modern_regenerator_runtime_bc_len;

/* Whether the code is transpiled generators or async functions, which run
 * on regeneratorRuntime (and async functions on Promise). */
static bool uses_runtime(const char *source, size_t len)
{
	return memmem(source, len, "regeneratorRuntime", 18) != NULL;
}

/* Installs regeneratorRuntime into the script's heap, once. */
static void install_runtime(duk_context *ctx)
{
	if (!has_global(ctx, "regeneratorRuntime"))
		run_bytecode(ctx, jsb_modern_regenerator_runtime_bc,
		             jsb_modern_regenerator_runtime_bc_len);
}
#else
static bool uses_runtime(const char *source, size_t len)
{
	(void)source;
	(void)len;
	return false;
}

static void install_runtime(duk_context *ctx)
{
	(void)ctx;
}
#endif

/* [ ... obj ] -> [ ... obj ]: its own enumerable properties become
 * non-enumerable. */
static void hide_own(duk_context *ctx)
{
	duk_enum(ctx, -1, DUK_ENUM_OWN_PROPERTIES_ONLY);
	while (duk_next(ctx, -1, 0)) {
		/* [ ... obj enum key ] */
		duk_def_prop(ctx, -3, DUK_DEFPROP_CLEAR_ENUMERABLE);
	}
	duk_pop(ctx);
}

/* __jsbMethods(C), called by a translated class once its methods are in
 * place: methods, accessors and `constructor` are not enumerable in a
 * class, but the translation assigns them (so for-in over an instance
 * listed its methods). */
static duk_ret_t class_methods(duk_context *ctx)
{
	if (!duk_is_function(ctx, 0))
		return 0;
	duk_dup(ctx, 0);
	hide_own(ctx);
	duk_get_prop_string(ctx, -1, "prototype");
	if (duk_is_object(ctx, -1))
		hide_own(ctx);
	return 0;
}

/* Defines the global name as fn (configurable, not enumerable) unless it
 * is there. */
static void define_global(duk_context *ctx, const char *name, duk_c_function fn, duk_idx_t nargs)
{
	if (has_global(ctx, name))
		return;
	duk_push_global_object(ctx);
	duk_push_string(ctx, name);
	duk_push_c_function(ctx, fn, nargs);
	duk_def_prop(ctx, -3, DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_SET_CONFIGURABLE);
	duk_pop(ctx);
}

/* Installs the polyfills, once. */
static void install_polyfills(duk_context *ctx)
{
	if (has_global(ctx, "__jsbDrain"))
		return;
	run_bytecode(ctx, jsb_modern_polyfill_bc, jsb_modern_polyfill_bc_len);
	define_symbol_description(ctx);
}

/* __jsbIterRead(x, n) until the polyfills are in: an array pattern reads
 * an array without it, so only the first pattern over anything else
 * installs them (they define the real one) and calls that. */
static duk_ret_t iter_read_first(duk_context *ctx)
{
	install_polyfills(ctx);
	duk_get_global_string(ctx, "__jsbIterRead");
	duk_insert(ctx, 0);
	/* [ __jsbIterRead x n ] */
	duk_call(ctx, 2);
	return 1;
}

void jsb_modern_polyfill(duk_context *ctx, const char *source, size_t len, bool always)
{
	bool runtime = uses_runtime(source, len);
	/* Async functions run on Promise, and yield* iterates arrays and
	 * strings through the polyfilled iterators; other generator code
	 * needs no polyfill. */
	bool wanted = always || (runtime && (memmem(source, len, "regeneratorRuntime.async", 24) ||
	                                     memmem(source, len, ".delegateYield(", 15)));
	for (size_t i = 0; !wanted && i < sizeof polyfill_words / sizeof *polyfill_words; i++)
		wanted = memmem(source, len, polyfill_words[i], strlen(polyfill_words[i])) != NULL;
	if (wanted)
		install_polyfills(ctx);
	else if (memmem(source, len, "__jsbIterRead", 13))
		define_global(ctx, "__jsbIterRead", iter_read_first,
		              2); /* the polyfills replace it */
	install_exotic(ctx, source, len);
	if (runtime)
		install_runtime(ctx);
	if (memmem(source, len, "__jsbMethods", 12))
		define_global(ctx, "__jsbMethods", class_methods, 1);
}

void jsb_modern_drain(duk_context *ctx)
{
	if (!duk_get_global_string(ctx, "__jsbDrain")) {
		duk_pop(ctx);
		return;
	}
	duk_call(ctx, 0);
	duk_pop(ctx);
}

#if JSB_TRANSPILER
/* Reads the "//# jsboxLines=" line that ends a translation (see modern.h);
 * without one, or when memory is short, lines map to themselves.  Only the
 * last line: the source's own comments come before it. */
static void read_line_marks(struct jsb_eval *ev, const char *es5, size_t len)
{
	const char *p = jsb_modern_marks(es5, len);
	free(ev->line_marks);
	ev->line_marks = NULL;
	ev->n_line_marks = 0;
	if (!p)
		return;
	p += JSB_MODERN_MARKS_TAG_LEN;
	size_t n = 1;
	for (const char *q = p; q < es5 + len; q++)
		n += *q == ',';
	ev->line_marks = calloc(n, sizeof *ev->line_marks);
	char *end;
	for (size_t i = 0; ev->line_marks && i < n; i++, p = end + 1) {
		long line = strtol(p, &end, 10),
		     source = *end == ':' ? strtol(end + 1, &end, 10) : 0;
		if (line <= 0 || source <= 0)
			break;
		ev->line_marks[ev->n_line_marks++] = (struct jsb_line_mark){line, source};
	}
}

static bool ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '$';
}

/* Whether word occurs in the source as a whole word followed by a space. */
static bool has_keyword(const char *src, size_t len, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = src; (p = memmem(p, len - (size_t)(p - src), word, n)) != NULL; p++)
		if ((p == src || !ident_char(p[-1])) && (size_t)(p - src) + n < len &&
		    (p[n] == ' ' || p[n] == '\t' || p[n] == '\n'))
			return true;
	return false;
}

/* The index just past optional blanks from i. */
static size_t skip_blanks(const char *src, size_t len, size_t i)
{
	while (i < len && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r'))
		i++;
	return i;
}

static bool assigned_at(const char *src, size_t len, size_t i)
{
	i = skip_blanks(src, len, i);
	return i + 1 < len && src[i] == '=' && src[i + 1] != '=' && src[i + 1] != '>';
}

/* Whether the source assigns to a pattern: `[a, b] = ...`, `({a} = ...)`.
 * Duktape compiles that as ES5 and fails only when it runs.  `} =` is
 * never ES5; `[...] =` is a pattern unless it follows a value (`a[0] =`). */
static bool has_pattern_assignment(const char *src, size_t len)
{
	char prev = ';';
	for (size_t i = 0; i < len; i++) {
		char c = src[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c == '}' && assigned_at(src, len, i + 1))
			return true;
		if (c == '[' && strchr(";{}(,=", prev)) {
			int depth = 0;
			size_t j = i;
			for (; j < len; j++) {
				depth += src[j] == '[' ? 1 : src[j] == ']' ? -1 : 0;
				if (depth == 0)
					break;
			}
			if (j < len && assigned_at(src, len, j + 1))
				return true;
		}
		prev = c;
	}
	return false;
}

bool jsb_modern_needed(const char *source, size_t len)
{
	return has_keyword(source, len, "const") || has_keyword(source, len, "let") ||
	       has_pattern_assignment(source, len);
}

extern const unsigned char jsb_modern_transpiler_bc[];
extern const size_t jsb_modern_transpiler_bc_len;
extern const char jsb_modern_transpiler_bc_id[];
extern const unsigned char jsb_modern_regen_bc[];
extern const size_t jsb_modern_regen_bc_len;
extern const char jsb_modern_regen_bc_id[];
extern const unsigned char jsb_modern_regexpu_bc[];
extern const size_t jsb_modern_regexpu_bc_len;
extern const char jsb_modern_regexpu_bc_id[];
extern const unsigned char jsb_modern_unicode_bc[];
extern const size_t jsb_modern_unicode_bc_len;
extern const char jsb_modern_unicode_bc_id[];

/* The transforms a translation may have been through. */
const char *jsb_engine_transpiler_id(void)
{
	static char id[80];
	if (!id[0])
		snprintf(id, sizeof id, "%s-%s-%s-%s", jsb_modern_transpiler_bc_id,
		         jsb_modern_regen_bc_id, jsb_modern_regexpu_bc_id,
		         jsb_modern_unicode_bc_id);
	return id;
}

/* Whether the source may hold a regular expression literal with the u
 * or v flag ("/" then flags with a "u" or "v", then no identifier
 * character): only then does the transpiler heap load the rewriter of
 * such patterns. */
static bool may_have_unicode_regexp(const char *src, size_t len)
{
	for (const char *p = src; (p = memchr(p, '/', len - (size_t)(p - src))) != NULL; p++) {
		size_t i = (size_t)(p - src) + 1, unicode = 0;
		for (; i < len && strchr("dgimsuvy", src[i]) && src[i]; i++)
			unicode += src[i] == 'u' || src[i] == 'v';
		if (unicode && (i == len || !ident_char(src[i])))
			return true;
	}
	return false;
}

/* Whether the source holds "\\p{" or "\\P{", as a property escape in a
 * pattern must: only then is the Unicode property table loaded. */
static bool may_have_property_escape(const char *src, size_t len)
{
	for (const char *p = src; (p = memchr(p, '\\', len - (size_t)(p - src))) != NULL; p++) {
		size_t i = (size_t)(p - src);
		if (len - i >= 3 && (src[i + 1] == 'p' || src[i + 1] == 'P') && src[i + 2] == '{')
			return true;
	}
	return false;
}

static duk_ret_t transpile_safe(duk_context *tctx, void *udata)
{
	(void)udata;
	/* [ source ] */
	run_bytecode(tctx, jsb_modern_transpiler_bc, jsb_modern_transpiler_bc_len);
	duk_size_t len;
	const char *src = duk_get_lstring(tctx, -1, &len);
	if (may_have_unicode_regexp(src, len)) {
		run_bytecode(tctx, jsb_modern_regexpu_bc, jsb_modern_regexpu_bc_len);
		if (may_have_property_escape(src, len))
			run_bytecode(tctx, jsb_modern_unicode_bc, jsb_modern_unicode_bc_len);
	}
	duk_get_global_string(tctx, "__jsbTranspile");
	duk_dup(tctx, -2);
	duk_call(tctx, 1);
	/* [ source result ]: the generator transform only for a source whose
	 * syntax tree has a generator, an async function or an await. */
	if (duk_get_prop_string(tctx, -1, "regenerate")) {
		run_bytecode(tctx, jsb_modern_regen_bc, jsb_modern_regen_bc_len);
		duk_get_global_string(tctx, "__jsbRegenerateResult");
		duk_insert(tctx, -2);
		duk_call(tctx, 1);
	} else {
		duk_pop(tctx);
	}
	return 1;
}

/* [ ... ] -> [ ... error ]: the transpiler's error, in the script's heap,
 * at the user's place. */
static void push_transpile_error(duk_context *ctx, duk_context *tctx)
{
	duk_get_prop_string(tctx, -1, "error");
	duk_get_prop_string(tctx, -2, "line");
	duk_get_prop_string(tctx, -3, "column");
	duk_get_prop_string(tctx, -4, "atEnd");
	long line = (long)duk_get_number(tctx, -3), col = (long)duk_get_number(tctx, -2);
	/* Duktape's own suffix for input that ends early, which the REPL reads. */
	duk_push_error_object(ctx, DUK_ERR_SYNTAX_ERROR, "%s (line %ld, column %ld%s)",
	                      duk_safe_to_string(tctx, -4), line, col,
	                      duk_get_boolean(tctx, -1) ? ", end of input" : "");
	/* lineNumber is an inherited accessor: define own properties over it. */
	duk_push_string(ctx, "lineNumber");
	duk_push_number(ctx, (double)line);
	duk_def_prop(ctx, -3, DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_SET_CONFIGURABLE);
	duk_push_string(ctx, "fileName");
	duk_push_string(ctx, jsb_eval_current(ctx)->job->source_name);
	duk_def_prop(ctx, -3, DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_SET_CONFIGURABLE);
	duk_push_string(ctx, "columnNumber");
	duk_push_number(ctx, (double)col);
	duk_def_prop(ctx, -3, DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_SET_CONFIGURABLE);
}

/* [ ... code ] -> [ ... function ]: as a program, or as a function body
 * when it has a top-level return (the result rules allow one). */
static void compile_es5(duk_context *ctx, const char *name)
{
	duk_dup(ctx, -1);
	duk_push_string(ctx, name);
	/* [ ... code code name ] */
	if (duk_pcompile(ctx, DUK_COMPILE_EVAL) == 0) {
		duk_remove(ctx, -2);
		return;
	}
	duk_pop(ctx);
	duk_push_string(ctx, "function(){");
	duk_insert(ctx, -2);
	duk_push_string(ctx, "\n}");
	duk_concat(ctx, 3);
	duk_push_string(ctx, name);
	duk_compile(ctx, DUK_COMPILE_FUNCTION);
}

/* [ ... ] -> [ ... es5 ] and true, or [ ... error ] and false: the source
 * transpiled in a heap of its own (sent back for the cache when asked). */
static bool translate(duk_context *ctx, struct jsb_eval *ev, const char *source, size_t len,
                      bool cache)
{
	struct jsb_heap theap = {
	    .limit = UINT64_MAX, .limits = &ev->limits, .out = &ev->out, .unpublished = true};
	duk_context *tctx = jsb_heap_create(&theap);
	if (!tctx) {
		duk_push_error_object(ctx, DUK_ERR_RANGE_ERROR,
		                      "cannot create the transpiler heap");
		return false;
	}
	duk_push_lstring(tctx, source, len);
	bool ok = false;
	if (duk_safe_call(tctx, transpile_safe, NULL, 1, 1) != DUK_EXEC_SUCCESS) {
		duk_push_error_object(ctx, DUK_ERR_ERROR, "transpiler failed: %s",
		                      duk_safe_to_string(tctx, -1));
	} else if (!duk_get_prop_string(tctx, -1, "code")) {
		duk_pop(tctx);
		push_transpile_error(ctx, tctx);
	} else {
		duk_size_t es5_len;
		const char *es5 = duk_get_lstring(tctx, -1, &es5_len);
		if (cache)
			jsb_out_raw(&ev->out, JSB_CH_ES5, es5, es5_len);
		duk_push_lstring(ctx, es5, es5_len);
		ok = true;
	}
	duk_destroy_heap(tctx);
	if (theap.peak > ev->transpile_peak)
		ev->transpile_peak = theap.peak;
	ev->transpile_allocs += theap.allocs;
	return ok;
}

/* [ ... ] -> [ ... es5 ]: the source transpiled, or throws the
 * transpiler's error.  Under the script's deadline: eval code and REPL
 * lines are the script's own work. */
static void push_transpiled(duk_context *ctx, struct jsb_eval *ev, const char *source, size_t len,
                            bool cache)
{
	if (!translate(ctx, ev, source, len, cache))
		(void)duk_throw(ctx);
}

/* [ ... ] -> [ ... es5 ]: the job's source transpiled under the policy's
 * transpile_timeout instead of the script's deadline, which then resumes
 * with all the time it had: a first run and a cached run of a script get
 * the same time to run it. */
static void push_job_translation(duk_context *ctx, struct jsb_eval *ev, bool cache)
{
	struct jsb_limits_held held;
	const struct jsb_job *job = ev->job;
	jsb_limits_hold(&ev->limits, job->policy->transpile_timeout_ms, &held);
	bool ok = translate(ctx, ev, job->source, job->source_len, cache);
	ev->transpile_expired = ev->limits.stop == JSB_STOP_TIME;
	uint64_t spent = jsb_limits_resume(&ev->limits, &held);
	ev->transpile_ns += spent;
	/* The run's other clocks leave the translation out too. */
	ev->record_start_ns += spent;
	if (ev->limits.shared) {
		ev->limits.shared->started_ns = ev->record_start_ns;
		ev->limits.shared->transpile_ns = ev->transpile_ns;
	}
	if (ev->total_deadline_ns)
		ev->total_deadline_ns += spent;
	if (!ok)
		(void)duk_throw(ctx);
}

duk_ret_t jsb_modern_compile(duk_context *ctx, struct jsb_eval *ev)
{
	const struct jsb_job *job = ev->job;
	duk_pop(ctx);
	if (job->es5)
		duk_push_lstring(ctx, job->es5, job->es5_len);
	else
		push_job_translation(ctx, ev, (job->flags & JSB_JOB_CACHE) != 0);
	duk_size_t len;
	const char *es5 = duk_get_lstring(ctx, -1, &len);
	read_line_marks(ev, es5, len);
	jsb_modern_polyfill(ctx, es5, len, false);
	compile_es5(ctx, job->source_name);
	return 1;
}

/* jsb_code_transpile (engine/confined/duk_code.c): [ ... source ] -> [ ... es5 ]
 * for eval and the Function constructor of the script's heap; declines
 * elsewhere. */
static int code_transpile(duk_context *ctx)
{
	struct jsb_eval *ev = jsb_eval_current(ctx);
	if (!ev || ev->ctx != ctx)
		return 0;
	duk_size_t len, es5_len;
	const char *source = duk_get_lstring(ctx, -1, &len);
	push_transpiled(ctx, ev, source, len, false);
	duk_remove(ctx, -2);
	const char *es5 = duk_get_lstring(ctx, -1, &es5_len);
	jsb_modern_polyfill(ctx, es5, es5_len, false);
	return 1;
}

static int code_needed(const char *source, size_t len)
{
	return jsb_modern_needed(source, len);
}

/* [ ... ] -> [ ... literal ]: the RegExp constructor's pattern (its bytes)
 * as the text of a literal with the given flags: "/" and line terminators
 * escaped, so that the literal ends where the pattern does and nothing of
 * it is read as code.  A line terminator after a backslash has no escaped
 * form: a SyntaxError, as it is with the u flag. */
static void push_regexp_literal(duk_context *ctx, const char *p, size_t n, const char *flags)
{
	size_t flags_len = strlen(flags), k = 0;
	char *q = duk_push_fixed_buffer(ctx, 6 + 6 * n + flags_len);
	bool escaped = false;
	/* A pattern can never start with "*", which after "/" opens a comment. */
	if (n > 0 && p[0] == '*')
		(void)duk_syntax_error(ctx, "invalid regular expression: nothing to repeat");
	q[k++] = '/';
	if (n == 0) {
		memcpy(q + k, "(?:)", 4);
		k += 4;
	}
	for (size_t i = 0; i < n; i++) {
		const char *sep = NULL;
		if (p[i] == '\n')
			sep = "\\n";
		else if (p[i] == '\r')
			sep = "\\r";
		else if (n - i >= 3 && memcmp(p + i, "\xe2\x80\xa8", 3) == 0)
			sep = "\\u2028";
		else if (n - i >= 3 && memcmp(p + i, "\xe2\x80\xa9", 3) == 0)
			sep = "\\u2029";
		if (sep && escaped)
			(void)duk_syntax_error(
			    ctx, "invalid regular expression: escaped line terminator");
		if (sep) {
			memcpy(q + k, sep, strlen(sep));
			k += strlen(sep);
			i += sep[1] == 'u' ? 2 : 0;
			continue;
		}
		if (p[i] == '/' && !escaped)
			q[k++] = '\\';
		q[k++] = p[i];
		escaped = !escaped && p[i] == '\\';
	}
	q[k++] = '/';
	memcpy(q + k, flags, flags_len);
	k += flags_len;
	duk_push_lstring(ctx, q, k);
	duk_remove(ctx, -2);
}

/* Translations of constructed regexps kept in the script's heap (counted
 * in its memory, gone with it), by literal: at most this many, then the
 * cache starts again. */
#define REGEXP_CACHE_MAX 256
#define REGEXP_CACHE_KEY DUK_HIDDEN_SYMBOL("jsbRegExpCache")

/* [ ... literal ] -> [ ... literal cache ]: the cache, made when there is
 * none or it is full. */
static void push_regexp_cache(duk_context *ctx)
{
	duk_push_heap_stash(ctx);
	if (duk_get_prop_string(ctx, -1, REGEXP_CACHE_KEY)) {
		duk_get_prop_string(ctx, -1, "size"); /* no literal: they start with "/" */
		bool room = duk_get_uint(ctx, -1) < REGEXP_CACHE_MAX;
		duk_pop(ctx);
		if (room) {
			duk_remove(ctx, -2);
			return;
		}
	}
	duk_pop(ctx);
	duk_push_bare_object(ctx);
	duk_push_uint(ctx, 0);
	duk_put_prop_string(ctx, -2, "size");
	duk_dup_top(ctx);
	duk_put_prop_string(ctx, -3, REGEXP_CACHE_KEY);
	duk_remove(ctx, -2);
}

/* jsb_regexp_translate (engine/confined/duk_patches.h): [ ... pattern flags ]
 * -> [ ... pattern' flags' ]: the pattern as a literal with its flags,
 * transpiled as eval code is (under the script's deadline; once per
 * literal a heap), and the source and flags of the regexp that the
 * translation makes.  Declines in any heap but the script's (the
 * transpiler's own, whose parser tries patterns) and for flags no literal
 * has. */
static int regexp_translate(duk_context *ctx)
{
	duk_memory_functions funcs;
	duk_get_memory_functions(ctx, &funcs);
	const struct jsb_heap *heap = funcs.udata;
	duk_size_t n, flags_len;
	const char *flags = duk_get_lstring(ctx, -1, &flags_len);
	if (heap->unpublished || strspn(flags, "dgimsuvy") != flags_len)
		return 0;
	struct jsb_eval *ev = jsb_eval_current(ctx);
	const char *pattern = duk_get_lstring(ctx, -2, &n);
	push_regexp_literal(ctx, pattern, n, flags);
	push_regexp_cache(ctx);
	duk_dup(ctx, -2);
	/* [ ... pattern flags literal cache made ]: "source'\0flags'", when an
	 * earlier translation of the literal made it */
	if (!duk_get_prop(ctx, -2)) {
		duk_pop(ctx);
		const char *literal = duk_get_lstring(ctx, -2, &n);
		push_transpiled(ctx, ev, literal, n, false);
		/* the translation of one literal (its end is where the pattern's
		 * is), an expression statement */
		duk_push_string(ctx, "RegExp");
		duk_compile(ctx, DUK_COMPILE_EVAL);
		duk_call(ctx, 0);
		duk_get_prop_string(ctx, -1, "source");
		duk_get_prop_string(ctx, -2, "flags");
		if (!duk_is_string(ctx, -1) || !duk_is_string(ctx, -2))
			(void)duk_type_error(ctx, "transpiled regular expression");
		/* [ ... literal cache regexp source' flags' ] */
		duk_push_lstring(ctx, "", 1);
		duk_insert(ctx, -2);
		duk_concat(ctx, 3);
		duk_dup(ctx, -4);
		duk_dup(ctx, -2);
		duk_put_prop(ctx, -5);
		duk_get_prop_string(ctx, -3, "size");
		duk_push_uint(ctx, duk_get_uint(ctx, -1) + 1);
		duk_put_prop_string(ctx, -5, "size");
		duk_pop(ctx);
		duk_remove(ctx, -2);
	}
	duk_size_t len;
	const char *made = duk_require_lstring(ctx, -1, &len);
	size_t at = strlen(made);
	duk_push_lstring(ctx, made, at);
	duk_push_lstring(ctx, made + at + 1, len - at - 1);
	/* [ ... pattern flags literal cache made source' flags' ] */
	duk_replace(ctx, -6);
	duk_replace(ctx, -6);
	duk_pop_3(ctx);
	return 1;
}

void jsb_modern_eval_transpiles(void)
{
	jsb_code_needed = code_needed;
	jsb_code_transpile = code_transpile;
}

void jsb_modern_regexp_translates(void)
{
	jsb_regexp_translate = regexp_translate;
}

duk_ret_t jsb_modern_compile_line(duk_context *ctx, struct jsb_eval *ev, const char *source,
                                  size_t len)
{
	duk_pop(ctx);
	push_transpiled(ctx, ev, source, len, false);
	duk_size_t es5_len;
	const char *es5 = duk_get_lstring(ctx, -1, &es5_len);
	jsb_modern_polyfill(ctx, es5, es5_len, false);
	duk_push_string(ctx, ev->job->source_name);
	duk_compile(ctx, DUK_COMPILE_EVAL);
	return 1;
}
#else
const char *jsb_engine_transpiler_id(void)
{
	return "none";
}

void jsb_modern_eval_transpiles(void)
{
}

void jsb_modern_regexp_translates(void)
{
}

bool jsb_modern_needed(const char *source, size_t len)
{
	(void)source;
	(void)len;
	return false;
}

duk_ret_t jsb_modern_compile(duk_context *ctx, struct jsb_eval *ev)
{
	(void)ev;
	return duk_throw(ctx);
}

duk_ret_t jsb_modern_compile_line(duk_context *ctx, struct jsb_eval *ev, const char *source,
                                  size_t len)
{
	(void)ev;
	(void)source;
	(void)len;
	return duk_throw(ctx);
}
#endif
