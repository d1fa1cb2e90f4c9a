#!/usr/bin/env python3
"""Assemble Duktape's amalgamated source in the build tree with jsbox's configuration.

Reads duktape.c, duktape.h and duk_config.h from the Duktape source directory
and writes them to the output directory, with jsbox's feature options set in
duk_config.h.  The stock duk_config.h #undef's the options jsbox needs and
duktape.h includes duk_config.h from its own directory, so the three files must
sit together in the build tree.  Nothing of Duktape is kept in the repository.
"""
import re
import sys
from pathlib import Path

# Options turned on or given a value.  A value of None means a plain #define.
DEFINES = {
    # The deadline: the executor calls the hook every DUK_HTHREAD_INTCTR_DEFAULT
    # bytecodes; jsb_limits_timeout() reads a monotonic clock and the stop flag.
    "DUK_USE_INTERRUPT_COUNTER": None,
    "DUK_USE_EXEC_TIMEOUT_CHECK(udata)": "jsb_limits_timeout(udata)",
    # The default fatal handler is never used (jsbox passes its own to
    # duk_create_heap), but one wired to jsbox's keeps every path covered.
    "DUK_USE_FATAL_HANDLER(udata,msg)": "jsb_heap_fatal((udata), (msg))",
    # C stack guard for the paths Duktape's recursion limits do not cover.
    "DUK_USE_NATIVE_STACK_CHECK()": "jsb_limits_stack_low()",
    # Speed: integer fast path and JSON.stringify fast path (measured in bench/).
    "DUK_USE_FASTINT": None,
    "DUK_USE_JSON_STRINGIFY_FASTPATH": None,
}

# Options turned off.
UNDEFINES = [
    # No debugger transport in a sandbox.
    "DUK_USE_DEBUGGER_SUPPORT",
]

# Prototypes the hooks above need; duk_config.h is included before anything else.
PROTOTYPES = """
/* jsbox hooks named by the options above and by configure_source()
 * (engine/confined/limits.c, engine/confined/heap.c, engine/lib/dtoa.c), and one defined at the
 * end of duktape.c (jsb_regexp_extend). */
extern int jsb_limits_timeout(void *udata);
extern int jsb_limits_stack_low(void);
extern void jsb_heap_fatal(void *udata, const char *msg);
extern int jsb_dtoa_push(void *thr);
#include <stddef.h>
extern size_t jsb_dtoa(double v, char *buf);
struct duk_hthread;
extern void jsb_regexp_extend(struct duk_hthread *thr);
extern int (*jsb_code_transpile)(struct duk_hthread *thr);
extern int (*jsb_code_needed)(const char *src, size_t len);
/* One frame of the running call stack, for --prof (jsb_callstack). */
struct jsb_frame {
	const void *code;          /* the function's bytecode, shared by its closures */
	const char *name, *file;   /* CESU-8, not NUL-terminated; NULL when absent */
	size_t name_len, file_len;
	unsigned long line;        /* line being executed */
	unsigned long first_line;  /* line of the function's first instruction */
};
struct duk_hthread;
extern size_t jsb_callstack(struct duk_hthread *ctx, struct jsb_frame *frames, size_t max);
"""


def configure(text):
    for name, value in DEFINES.items():
        base = name.split("(")[0]
        pattern = re.compile(r"^#(define|undef) " + re.escape(base) + r"\b.*$", re.M)
        line = "#define %s %s" % (name, value) if value else "#define " + name
        text, count = pattern.subn(line.replace("\\", "\\\\"), text)
        if count == 0:
            sys.exit("duk_configure: %s not found in duk_config.h" % base)
    for name in UNDEFINES:
        text = re.sub(r"^#define " + re.escape(name) + r"\b.*$", "#undef " + name, text, flags=re.M)
    guard = "#define DUK_CONFIG_H_INCLUDED"
    if guard not in text:
        sys.exit("duk_configure: %s not found in duk_config.h" % guard)
    return text.replace(guard, guard + "\n" + PROTOTYPES, 1)


# The edits to duktape.c itself.  First: the exec-timeout hook runs every
# DUK_HTHREAD_INTCTR_DEFAULT bytecodes, and Duktape's 256k bytecodes take
# several milliseconds, which is how far a plain loop could run past the
# deadline.  16k bytecodes is well under a millisecond; the hook is a
# clock_gettime from the vDSO, so the extra checks cost little (bench/).
INTCTR_DEFINE = "#define DUK_HTHREAD_INTCTR_DEFAULT (256L * 1024L)"
INTCTR = "#define DUK_HTHREAD_INTCTR_DEFAULT (16L * 1024L)"


# Numbers to text: Duktape's shortest-digits conversion is a bignum
# Dragon4, about a sixth of the time of a pipeline writing fractional
# numbers.  Its plain ToString case (radix 10, shortest, no flags) goes to
# engine/lib/dtoa.c, which gives the same digits (tests/unit/test_dtoa.c).
NUMCONV = ("DUK_INTERNAL void duk_numconv_stringify(duk_hthread *thr, duk_small_int_t radix, "
           "duk_small_int_t digits, duk_small_uint_t flags) {\n")
NUMCONV_HOOK = NUMCONV + ("\tif (radix == 10 && digits == 0 && flags == 0 && "
                          "jsb_dtoa_push((void *) thr)) return;\n")


# An error thrown where nothing catches it (an allocation that fails while
# duk_create_heap builds the built-ins, under a tiny --memory-limit) goes
# to the fatal handler, but first Duktape formats it, which allocates,
# fails and throws again: a recursion that ends in SIGSEGV.  The fatal
# handler says what happened (it knows when the budget ran out); the
# message is not needed.
UNCAUGHT = ("\tsummary = duk_push_string_tval_readable_error(thr, &thr->heap->lj.value1);\n"
            "\tDUK_ASSERT(summary != NULL);\n"
            "\tDUK_SNPRINTF(buf, sizeof(buf), \"uncaught: %s\", summary);\n")
UNCAUGHT_PLAIN = ("\tsummary = \"error\";\n"
                  "\tDUK_UNREF(duk_push_string_tval_readable_error);\n"
                  "\tDUK_SNPRINTF(buf, sizeof(buf), \"uncaught: %s\", summary);\n")


# JSON.stringify writes a number's digits straight into its output, not
# through an interned string of them made and freed for each number.
# (The number stays on the stack, where the callers pop what is there.)
JSON_DOUBLE = ("\t\t\tduk_numconv_stringify(thr, 10 /*radix*/, 0 /*digits*/, n2s_flags);\n"
               "\t\t}\n")
JSON_DOUBLE_DIRECT = ("\t\t\tchar jsb_digits[32];\n"
                      "\t\t\tDUK_UNREF(n2s_flags);\n"
                      "\t\t\tjsb_digits[jsb_dtoa(d, jsb_digits)] = 0;\n"
                      "\t\t\tDUK__EMIT_CSTR(js_ctx, jsb_digits);\n"
                      "\t\t\treturn;\n"
                      "\t\t}\n")


# toUpperCase()/toLowerCase() of an ASCII string (most keys, codes and
# names in JSON data) by a byte loop: Duktape decodes, maps through its
# Unicode tables and re-encodes every character.  No character outside
# ASCII maps into it or out of it except through non-ASCII input.
CASECONV = ("\th_input = duk_require_hstring(thr, -1); /* Accept symbols. */\n"
            "\tDUK_ASSERT(h_input != NULL);\n")
CASECONV_ASCII = CASECONV + """\tif (!DUK_HSTRING_HAS_SYMBOL(h_input) && duk_hstring_get_charlen(h_input) == DUK_HSTRING_GET_BYTELEN(h_input)) {
		duk_size_t jsb_n = DUK_HSTRING_GET_BYTELEN(h_input), jsb_i;
		const duk_uint8_t *jsb_s = (const duk_uint8_t *) DUK_HSTRING_GET_DATA(h_input);
		duk_uint8_t *jsb_q = (duk_uint8_t *) duk_push_fixed_buffer_nozero(thr, jsb_n);
		for (jsb_i = 0; jsb_i < jsb_n; jsb_i++) {
			duk_uint8_t jsb_c = jsb_s[jsb_i];
			if (uppercase ? (jsb_c >= 'a' && jsb_c <= 'z') : (jsb_c >= 'A' && jsb_c <= 'Z'))
				jsb_c ^= 0x20;
			jsb_q[jsb_i] = jsb_c;
		}
		(void) duk_buffer_to_string(thr, -1);
		duk_remove_m2(thr);
		return;
	}
"""


# RegExp flags `y` (sticky: match only at lastIndex, ES2015) and `s`
# (dotAll: `.` matches line terminators too, ES2018), with their
# `sticky`/`dotAll` getters and their letters in `flags`.  Duktape 2.7
# rejects both letters.  String.prototype.split matches through a forced
# global clone and finds its separators by searching ahead: it ignores
# stickiness, as the ES2015 split does (its splitter steps itself).
RE_FLAGS = "#define DUK_RE_FLAG_MULTILINE   (1U << 2)\n"
RE_FLAGS_MORE = RE_FLAGS + "#define DUK_RE_FLAG_STICKY      (1U << 3)\n#define DUK_RE_FLAG_DOTALL      (1U << 4)\n"
RE_PARSE = ("\t\t\tflags |= DUK_RE_FLAG_MULTILINE;\n"
            "\t\t\tbreak;\n"
            "\t\t}\n")
RE_PARSE_MORE = RE_PARSE + """\t\tcase (duk_uint8_t) 'y': {
			if (flags & DUK_RE_FLAG_STICKY) {
				goto flags_error;
			}
			flags |= DUK_RE_FLAG_STICKY;
			break;
		}
		case (duk_uint8_t) 's': {
			if (flags & DUK_RE_FLAG_DOTALL) {
				goto flags_error;
			}
			flags |= DUK_RE_FLAG_DOTALL;
			break;
		}
"""
RE_GLOBAL = ("\tglobal = (duk_small_int_t) (force_global | (duk_small_int_t) "
             "(re_ctx.re_flags & DUK_RE_FLAG_GLOBAL));\n")
RE_GLOBAL_STICKY = RE_GLOBAL + ("\tjsb_sticky = !force_global && (re_ctx.re_flags & DUK_RE_FLAG_STICKY);\n"
                                "\tif (jsb_sticky) {\n\t\tglobal = 1; /* reads and updates lastIndex */\n\t}\n")
RE_MATCH_DECL = ("DUK_LOCAL void duk__regexp_match_helper(duk_hthread *thr, duk_small_int_t force_global) {\n")
RE_MATCH_DECL_STICKY = RE_MATCH_DECL + "\tduk_small_int_t jsb_sticky;\n"
RE_ADVANCE = ("\t\t/* advance by one character (code point) and one char_offset */\n"
              "\t\tchar_offset++;\n")
RE_ADVANCE_STICKY = "\t\tif (jsb_sticky) {\n\t\t\tbreak;\n\t\t}\n\n" + RE_ADVANCE
RE_PERIOD = "\t\t\tif (c < 0 || duk_unicode_is_line_terminator(c)) {\n\t\t\t\t/* E5 Sections 15.10.2.8, 7.3 */\n"
RE_PERIOD_DOTALL = ("\t\t\tif (c < 0 || (!(re_ctx->re_flags & DUK_RE_FLAG_DOTALL) && "
                    "duk_unicode_is_line_terminator(c))) {\n\t\t\t\t/* E5 Sections 15.10.2.8, 7.3 */\n")
RE_GETTERS = "#if 0\n\t/* Don't provide until implemented to avoid interfering with feature\n"
RE_GETTERS_ON = ("\tcase 3: { /* sticky */\n\t\tduk_push_boolean(thr, (re_flags & DUK_RE_FLAG_STICKY));\n\t\tbreak;\n\t}\n"
                 "\tcase 4: { /* dotAll */\n\t\tduk_push_boolean(thr, (re_flags & DUK_RE_FLAG_DOTALL));\n\t\tbreak;\n\t}\n"
                 + RE_GETTERS)
RE_FLAGS_TEXT = "\t/* .unicode: to be added */\n\t/* .sticky: to be added */\n"
RE_FLAGS_TEXT_MORE = ("\tif (duk_get_prop_string(thr, 0, \"dotAll\") && duk_to_boolean(thr, -1)) {\n"
                      "\t\t*p++ = DUK_ASC_LC_S;\n\t}\n"
                      "\tif (duk_get_prop_string(thr, 0, \"sticky\") && duk_to_boolean(thr, -1)) {\n"
                      "\t\t*p++ = DUK_ASC_LC_Y;\n\t}\n")
# RegExp syntax of ES2015 Annex B that Duktape rejects outside character
# classes: `\c` not followed by a letter is a backslash (and the `c` after
# it a character), `\x` and `\u` without their hex digits are the letter,
# `\0` before a digit and a decimal escape above the pattern's count of
# groups are legacy octal escapes (`\8` and `\9` the digit).  The count is
# taken before the pattern is parsed, since a backreference may come
# before its group.
RE_LEXER_FIELD = ("\tduk_small_uint_t flags; /* lexer flags, use compiler flag defines for now */\n};\n")
RE_LEXER_FIELD_GROUPS = ("\tduk_small_uint_t flags; /* lexer flags, use compiler flag defines for now */\n"
                         "\tduk_uint32_t jsb_re_groups; /* capture groups of the pattern (RegExp lexing) */\n"
                         "\tduk_bool_t jsb_re_named; /* whether any of them has a name */\n};\n")
RE_CONTROL = ("\t\t\t\tout_token->num = (duk_uint32_t) (x % 32);\n"
              "\t\t\t\tadvtok = DUK__ADVTOK(3, DUK_RETOK_ATOM_CHAR);\n"
              "\t\t\t} else {\n\t\t\t\tgoto fail_escape;\n\t\t\t}\n"
              "\t\t} else if (y == DUK_ASC_LC_X || y == DUK_ASC_LC_U) {\n")
RE_CONTROL_ANNEX_B = ("\t\t\t\tout_token->num = (duk_uint32_t) (x % 32);\n"
                      "\t\t\t\tadvtok = DUK__ADVTOK(3, DUK_RETOK_ATOM_CHAR);\n"
                      "\t\t\t} else {\n\t\t\t\tout_token->num = DUK_ASC_BACKSLASH;\n"
                      "\t\t\t\tadvtok = DUK__ADVTOK(1, DUK_RETOK_ATOM_CHAR);\n\t\t\t}\n"
                      "\t\t} else if ((y == DUK_ASC_LC_X || y == DUK_ASC_LC_U) && !jsb_re_hex_follows(lex_ctx, y)) {\n"
                      "\t\t\tout_token->num = (duk_uint32_t) y;\n"
                      "\t\t} else if (y == DUK_ASC_LC_X || y == DUK_ASC_LC_U) {\n")
RE_DECIMAL = ("\t\t} else if (DUK__ISDIGIT(y)) {\n\t\t\t/* E5 Section 15.10.2.11 */\n"
              "\t\t\tif (y == DUK_ASC_0) {\n")
RE_DECIMAL_ANNEX_B = ("\t\t} else if (DUK__ISDIGIT(y) && jsb_re_octal_escape(lex_ctx)) {\n"
                      "\t\t\tduk_small_uint_t jsb_adv;\n"
                      "\t\t\tout_token->num = (duk_uint32_t) duk__lexer_parse_legacy_octal(lex_ctx, &jsb_adv, 0);\n"
                      "\t\t\tadvtok = DUK__ADVTOK(jsb_adv, DUK_RETOK_ATOM_CHAR);\n"
                      + RE_DECIMAL)
RE_TOKEN = "DUK_INTERNAL void duk_lexer_parse_re_token(duk_lexer_ctx *lex_ctx, duk_re_token *out_token) {\n"
RE_TOKEN_HELPERS = """/* A walk over a pattern's capturing groups: "(" not escaped, not in a
 * class, and not "(?" unless it is "(?<name>". */
struct jsb_re_scan {
	const duk_uint8_t *p, *end;
	duk_bool_t in_class;
};

/* The next group (its name, or NULL and 0 when it has none); 0 at the end. */
DUK_LOCAL duk_bool_t jsb_re_next_group(struct jsb_re_scan *s, const duk_uint8_t **name, duk_size_t *len) {
	for (; s->p < s->end; s->p++) {
		const duk_uint8_t *p = s->p;
		if (*p == '\\\\') {
			s->p++;
		} else if (s->in_class) {
			s->in_class = *p != ']';
		} else if (*p == '[') {
			s->in_class = 1;
		} else if (*p == '(') {
			*name = NULL;
			*len = 0;
			if (s->end - p > 1 && p[1] == '?') {
				if (s->end - p < 4 || p[2] != '<' || p[3] == '=' || p[3] == '!') {
					continue;
				}
				*name = p + 3;
				while (*name + *len < s->end && (*name)[*len] != '>') {
					(*len)++;
				}
			}
			s->p++;
			return 1;
		}
	}
	return 0;
}

DUK_LOCAL void jsb_re_scan_init(struct jsb_re_scan *s, const duk_uint8_t *p, duk_size_t n) {
	s->p = p;
	s->end = p + n;
	s->in_class = 0;
}

/* Past a group name and its ">" (the lexer is at the name), which must be
 * an identifier; its byte range in the pattern. */
DUK_LOCAL void jsb_re_group_name(duk_lexer_ctx *lex_ctx, duk_size_t *start, duk_size_t *end) {
	*start = lex_ctx->window[0].offset;
	if (!duk_unicode_is_identifier_start(DUK__L0())) {
		goto fail;
	}
	while (DUK__L0() >= 0 && DUK__L0() != DUK_ASC_RANGLE) {
		if (!duk_unicode_is_identifier_part(DUK__L0())) {
			goto fail;
		}
		DUK__ADVANCECHARS(lex_ctx, 1);
	}
	if (DUK__L0() != DUK_ASC_RANGLE) {
		goto fail;
	}
	*end = lex_ctx->window[0].offset;
	DUK__ADVANCECHARS(lex_ctx, 1);
	return;
fail:
	DUK_ERROR_SYNTAX(lex_ctx->thr, "invalid regexp group name");
}

/* \\k<name> (the lexer is at the backslash): the number of the group. */
DUK_LOCAL duk_uint32_t jsb_re_named_reference(duk_lexer_ctx *lex_ctx) {
	struct jsb_re_scan s;
	const duk_uint8_t *name;
	duk_size_t len, start, end;
	duk_uint32_t k = 0;
	if (DUK__L2() != DUK_ASC_LANGLE) {
		DUK_ERROR_SYNTAX(lex_ctx->thr, "invalid regexp group name");
	}
	DUK__ADVANCECHARS(lex_ctx, 3);
	jsb_re_group_name(lex_ctx, &start, &end);
	jsb_re_scan_init(&s, lex_ctx->input, lex_ctx->input_length);
	while (jsb_re_next_group(&s, &name, &len)) {
		k++;
		if (name && len == end - start && duk_memcmp(name, lex_ctx->input + start, len) == 0) {
			return k;
		}
	}
	DUK_ERROR_SYNTAX(lex_ctx->thr, "invalid regexp group name");
	DUK_WO_NORETURN(return 0;);
}

/* \\x with two hex digits after it, \\u with four. */
DUK_LOCAL duk_bool_t jsb_re_hex_follows(duk_lexer_ctx *lex_ctx, duk_codepoint_t y) {
	duk_small_int_t i, n = (y == DUK_ASC_LC_X) ? 2 : 4;
	for (i = 0; i < n; i++) {
		if (duk__hexval_validate(DUK__LOOKUP(lex_ctx, 2 + i)) < 0) {
			return 0;
		}
	}
	return 1;
}

/* A decimal escape that is a legacy octal one (Annex B): \\0 before a
 * digit, or a number above the count of groups. */
DUK_LOCAL duk_bool_t jsb_re_octal_escape(duk_lexer_ctx *lex_ctx) {
	duk_uint32_t val = 0;
	duk_small_int_t i;
	if (DUK__L1() == DUK_ASC_0) {
		return DUK__ISDIGIT(DUK__L2());
	}
	for (i = 1; i < DUK_LEXER_WINDOW_SIZE && DUK__ISDIGIT(DUK__LOOKUP(lex_ctx, i)); i++) {
		val = val * 10 + (duk_uint32_t) (DUK__LOOKUP(lex_ctx, i) - DUK_ASC_0);
	}
	return val > lex_ctx->jsb_re_groups;
}

""" + RE_TOKEN
RE_COMPILE = "DUK_INTERNAL void duk_regexp_compile(duk_hthread *thr) {\n"
RE_COMPILE_COUNT = """/* The pattern's capturing groups, and whether any has a name. */
DUK_LOCAL duk_uint32_t jsb_re_count_groups(const duk_uint8_t *p, duk_size_t n, duk_bool_t *named) {
	struct jsb_re_scan s;
	const duk_uint8_t *name;
	duk_size_t len;
	duk_uint32_t groups = 0;
	jsb_re_scan_init(&s, p, n);
	*named = 0;
	while (jsb_re_next_group(&s, &name, &len)) {
		groups++;
		*named |= name != NULL;
	}
	return groups;
}

/* After the bytecode, the names: for each named group its number, the
 * name's length and its bytes, each as a u32.  A name given twice is an
 * error. */
DUK_LOCAL void jsb_re_append_names(duk_re_compiler_ctx *re_ctx, const duk_uint8_t *p, duk_size_t n) {
	struct jsb_re_scan s, t;
	const duk_uint8_t *name, *other;
	duk_size_t len, other_len, i;
	duk_uint32_t k = 0, j;
	jsb_re_scan_init(&s, p, n);
	while (jsb_re_next_group(&s, &name, &len)) {
		k++;
		if (!name) {
			continue;
		}
		jsb_re_scan_init(&t, p, n);
		for (j = 1; j < k && jsb_re_next_group(&t, &other, &other_len); j++) {
			if (other && other_len == len && duk_memcmp(other, name, len) == 0) {
				DUK_ERROR_SYNTAX(re_ctx->thr, "duplicate regexp group name");
			}
		}
		duk__append_u32(re_ctx, k);
		duk__append_u32(re_ctx, (duk_uint32_t) len);
		for (i = 0; i < len; i++) {
			duk__append_u32(re_ctx, name[i]);
		}
	}
}

""" + RE_COMPILE
RE_LEX_INIT = "\tre_ctx.lex.token_limit = DUK_RE_COMPILE_TOKEN_LIMIT;\n"
RE_LEX_INIT_GROUPS = RE_LEX_INIT + ("\tre_ctx.lex.jsb_re_groups = jsb_re_count_groups(DUK_HSTRING_GET_DATA(h_pattern), "
                                    "DUK_HSTRING_GET_BYTELEN(h_pattern), &re_ctx.lex.jsb_re_named);\n")
# The same in character classes, where Annex B also takes a digit or `_`
# after `\c` as a control letter.
RE_CLASS = ("\t\t\t\tif ((x >= DUK_ASC_LC_A && x <= DUK_ASC_LC_Z) || (x >= DUK_ASC_UC_A && x <= DUK_ASC_UC_Z)) {\n"
            "\t\t\t\t\tch = (x % 32);\n\t\t\t\t} else {\n\t\t\t\t\tgoto fail_escape;\n\t\t\t\t}\n"
            "\t\t\t} else if (x == DUK_ASC_LC_X || x == DUK_ASC_LC_U) {\n")
RE_CLASS_ANNEX_B = ("\t\t\t\tif ((x >= DUK_ASC_LC_A && x <= DUK_ASC_LC_Z) || (x >= DUK_ASC_UC_A && x <= DUK_ASC_UC_Z) ||\n"
                    "\t\t\t\t    DUK__ISDIGIT(x) || x == DUK_ASC_UNDERSCORE) {\n"
                    "\t\t\t\t\tch = (x % 32);\n\t\t\t\t} else {\n\t\t\t\t\tch = DUK_ASC_BACKSLASH;\n\t\t\t\t\tadv = 1;\n\t\t\t\t}\n"
                    "\t\t\t} else if ((x == DUK_ASC_LC_X || x == DUK_ASC_LC_U) && !jsb_re_hex_follows(lex_ctx, x)) {\n"
                    "\t\t\t\tch = x;\n"
                    "\t\t\t} else if (x == DUK_ASC_LC_X || x == DUK_ASC_LC_U) {\n")

# Named groups (ES2018): "(?<name>" starts a capturing group and
# "\k<name>" refers back to one (when the pattern names any; otherwise
# "\k" is the letter, Annex B).  The names follow the bytecode, their
# offset a third header field under a flag bit, and each match gets
# `groups` (undefined without names, as in ES2018), which replace()
# reads for "$<name>" and passes to a replacer function.
RE_FLAGS_NAMED = "#define DUK_RE_FLAG_DOTALL      (1U << 4)\n"
RE_FLAGS_NAMED_MORE = RE_FLAGS_NAMED + "#define DUK_RE_FLAG_NAMED       (1U << 5)\n"
RE_LPAREN = ("\t\t\t\tadvtok = DUK__ADVTOK(3, DUK_RETOK_ATOM_START_NONCAPTURE_GROUP);\n"
             "\t\t\t} else {\n\t\t\t\tgoto fail_group;\n\t\t\t}\n")
RE_LPAREN_NAMED = ("\t\t\t\tadvtok = DUK__ADVTOK(3, DUK_RETOK_ATOM_START_NONCAPTURE_GROUP);\n"
                   "\t\t\t} else if (DUK__L2() == DUK_ASC_LANGLE && DUK__L3() != DUK_ASC_EQUALS &&\n"
                   "\t\t\t           DUK__L3() != DUK_ASC_EXCLAMATION) {\n"
                   "\t\t\t\tduk_size_t jsb_start, jsb_end;\n"
                   "\t\t\t\tDUK__ADVANCECHARS(lex_ctx, 3);\n"
                   "\t\t\t\tjsb_re_group_name(lex_ctx, &jsb_start, &jsb_end);\n"
                   "\t\t\t\tadvtok = DUK__ADVTOK(0, DUK_RETOK_ATOM_START_CAPTURE_GROUP);\n"
                   "\t\t\t} else {\n\t\t\t\tgoto fail_group;\n\t\t\t}\n")
RE_NAMED_REF = "\t\t} else if (DUK__ISDIGIT(y) && jsb_re_octal_escape(lex_ctx)) {\n"
RE_NAMED_REF_K = ("\t\t} else if (y == DUK_ASC_LC_K && lex_ctx->jsb_re_named) {\n"
                  "\t\t\tout_token->num = jsb_re_named_reference(lex_ctx);\n"
                  "\t\t\tadvtok = DUK__ADVTOK(0, DUK_RETOK_ATOM_BACKREFERENCE);\n" + RE_NAMED_REF)
RE_HEADER = ("\tduk__insert_u32(&re_ctx, 0, (re_ctx.captures + 1) * 2);\n"
             "\tduk__insert_u32(&re_ctx, 0, re_ctx.re_flags);\n")
RE_HEADER_NAMES = ("\tif (re_ctx.lex.jsb_re_named) {\n"
                   "\t\tduk_uint32_t jsb_names = (duk_uint32_t) DUK_BW_GET_SIZE(thr, &re_ctx.bw);\n"
                   "\t\tjsb_re_append_names(&re_ctx, DUK_HSTRING_GET_DATA(h_pattern), "
                   "DUK_HSTRING_GET_BYTELEN(h_pattern));\n"
                   "\t\tduk__insert_u32(&re_ctx, 0, jsb_names);\n"
                   "\t\tre_ctx.re_flags |= DUK_RE_FLAG_NAMED;\n\t}\n" + RE_HEADER)
RE_EXEC_HEADER = "\tre_ctx.nsaved = duk__bc_get_u32(&re_ctx, &pc);\n\tre_ctx.bytecode = pc;\n"
RE_EXEC_HEADER_NAMES = ("\tre_ctx.nsaved = duk__bc_get_u32(&re_ctx, &pc);\n"
                        "\tjsb_names = NULL;\n"
                        "\tif (re_ctx.re_flags & DUK_RE_FLAG_NAMED) {\n"
                        "\t\tduk_uint32_t jsb_off = duk__bc_get_u32(&re_ctx, &pc);\n"
                        "\t\tjsb_names = pc + jsb_off;\n\t}\n"
                        "\tre_ctx.bytecode = pc;\n")
RE_MATCH_DECL_NAMES = "\tduk_small_int_t jsb_sticky;\n"
RE_MATCH_DECL_NAMES_MORE = RE_MATCH_DECL_NAMES + "\tconst duk_uint8_t *jsb_names;\n"
RE_RESULT = "\t\tif (global) {\n\t\t\t/* global regexp: lastIndex updated on match */\n"
RE_RESULT_GROUPS = """		if (jsb_names) {
			const duk_uint8_t *jsb_p = jsb_names;
			duk_push_bare_object(thr);
			while (jsb_p < re_ctx.bytecode_end) {
				duk_uint32_t jsb_k = duk__bc_get_u32(&re_ctx, &jsb_p);
				duk_uint32_t jsb_n = duk__bc_get_u32(&re_ctx, &jsb_p), jsb_i;
				duk_uint8_t *jsb_s = (duk_uint8_t *) duk_push_fixed_buffer_nozero(thr, jsb_n);
				for (jsb_i = 0; jsb_i < jsb_n; jsb_i++) {
					jsb_s[jsb_i] = (duk_uint8_t) duk__bc_get_u32(&re_ctx, &jsb_p);
				}
				(void) duk_buffer_to_string(thr, -1);
				duk_get_prop_index(thr, -3, (duk_uarridx_t) jsb_k);
				duk_put_prop(thr, -3);
			}
		} else {
			duk_push_undefined(thr);
		}
		duk_push_literal(thr, "groups");
		duk_insert(thr, -2);
		duk_def_prop(thr, -3, DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_SET_WEC);

""" + RE_RESULT
RE_REPLACE = "\t\t\t\tcase DUK_ASC_GRAVE: {\n"
RE_REPLACE_NAMED = """				case DUK_ASC_LANGLE: {
					const duk_uint8_t *jsb_gt;
					if (!is_regexp) {
						goto repl_write;
					}
					jsb_gt = (const duk_uint8_t *) memchr(r + 1, DUK_ASC_RANGLE, (size_t) (r_end - r - 1));
					duk_get_prop_literal(thr, 4, "groups");
					if (duk_is_undefined(thr, -1) || jsb_gt == NULL) {
						duk_pop(thr);
						goto repl_write;
					}
					duk_push_lstring(thr, (const char *) r + 1, (duk_size_t) (jsb_gt - r - 1));
					duk_get_prop(thr, -2);
					if (!duk_is_undefined(thr, -1)) {
						DUK_BW_WRITE_ENSURE_HSTRING(thr, bw, duk_to_hstring(thr, -1));
					}
					duk_pop_2(thr);
					r = jsb_gt + 1;
					continue;
				}
""" + RE_REPLACE
RE_REPLACER = "\t\t\tduk_push_uint(thr, (duk_uint_t) match_start_coff);\n\t\t\tduk_dup_2(thr);\n"
RE_REPLACER_GROUPS = RE_REPLACER + """#if defined(DUK_USE_REGEXP_SUPPORT)
			if (is_regexp) {
				duk_get_prop_literal(thr, 4, "groups");
				if (duk_is_undefined(thr, -1)) {
					duk_pop(thr);
				}
			}
#endif
"""
RE_REPLACER_STACK = "\t\t\t\tduk_require_stack(thr, match_caps + 2);\n"
RE_REPLACER_STACK_MORE = "\t\t\t\tduk_require_stack(thr, match_caps + 3);\n"

# `__proto__: value` in an object literal (Annex B) sets the new object's
# prototype (when the value is an object or null) rather than defining a
# property; computed, shorthand and method forms define one, and a second
# `__proto__:` is a SyntaxError.  The set goes through
# Object.prototype.__proto__, which the literal's object still inherits.
OBJLIT_VARS = "\tduk_bool_t is_set, is_get; /* temps */\n#if !defined(DUK_USE_PREFER_SIZE)\n\tduk_int_t pc_newobj;\n"
OBJLIT_VARS_PROTO = ("\tduk_bool_t is_set, is_get; /* temps */\n\tduk_bool_t jsb_proto, jsb_proto_seen = 0;\n"
                     "#if !defined(DUK_USE_PREFER_SIZE)\n\tduk_int_t pc_newobj;\n")
OBJLIT_LOOP = "\t\t/* Advance to get one step of lookup. */\n\t\tduk__advance(comp_ctx);\n"
OBJLIT_LOOP_PROTO = "\t\tjsb_proto = 0;\n" + OBJLIT_LOOP
OBJLIT_PAIR = ("\t\t\t{\n\t\t\t\tif (duk__objlit_load_key(comp_ctx, res, &comp_ctx->prev_token, reg_temp) != 0) {\n"
               "\t\t\t\t\tgoto syntax_error;\n\t\t\t\t}\n\t\t\t}\n\n"
               "\t\t\tduk__advance_expect(comp_ctx, DUK_TOK_COLON);\n\n"
               "\t\t\tDUK__SETTEMP(comp_ctx, reg_temp + 1);\n"
               "\t\t\tduk__expr_toforcedreg(comp_ctx, res, DUK__BP_COMMA /*rbp_flags*/, reg_temp + 1 /*forced_reg*/);\n\n"
               "\t\t\tst.num_pairs++;\n")
OBJLIT_PAIR_PROTO = ("\t\t\t{\n\t\t\t\tjsb_proto = (comp_ctx->prev_token.t_nores == DUK_TOK_IDENTIFIER ||\n"
                     "\t\t\t\t             comp_ctx->prev_token.t_nores == DUK_TOK_STRING) &&\n"
                     "\t\t\t\t            comp_ctx->prev_token.str1 == DUK_HTHREAD_STRING___PROTO__(thr);\n"
                     "\t\t\t\tif (jsb_proto && jsb_proto_seen) {\n"
                     "\t\t\t\t\tDUK_ERROR_SYNTAX(thr, \"duplicate __proto__ in object literal\");\n\t\t\t\t}\n"
                     "\t\t\t\tjsb_proto_seen |= jsb_proto;\n"
                     "\t\t\t\tif (duk__objlit_load_key(comp_ctx, res, &comp_ctx->prev_token, reg_temp) != 0) {\n"
                     "\t\t\t\t\tgoto syntax_error;\n\t\t\t\t}\n\t\t\t}\n\n"
                     "\t\t\tduk__advance_expect(comp_ctx, DUK_TOK_COLON);\n\n"
                     "\t\t\tDUK__SETTEMP(comp_ctx, reg_temp + 1);\n"
                     "\t\t\tduk__expr_toforcedreg(comp_ctx, res, DUK__BP_COMMA /*rbp_flags*/, reg_temp + 1 /*forced_reg*/);\n\n"
                     "\t\t\tif (jsb_proto) {\n"
                     "\t\t\t\tduk__objlit_flush_keys(comp_ctx, &st);\n"
                     "\t\t\t\tduk__emit_a_b_c(comp_ctx,\n"
                     "\t\t\t\t                DUK_OP_PUTPROP | DUK__EMIT_FLAG_A_IS_SOURCE | DUK__EMIT_FLAG_BC_REGCONST,\n"
                     "\t\t\t\t                st.reg_obj,\n\t\t\t\t                reg_temp,\n"
                     "\t\t\t\t                reg_temp + 1);\n"
                     "\t\t\t} else {\n\t\t\t\tst.num_pairs++;\n\t\t\t}\n")

# eval and the Function constructor compile ES5 only: what Duktape
# rejects with a SyntaxError, and what it would take with other meanings
# (jsb_code_needed: const, let), goes to jsbox's transpiler through a hook
# (jsb_code_transpile; both set by engine/confined/modern/modern.c when the
# evaluator has a transpiler), and its translation is compiled instead, with the
# same flags, so a direct eval still sees the caller's variables.  The
# Function constructor's function expression is transpiled in
# parentheses, which come off again.  The hook may decline (returning 0),
# and then the engine's own error stands.
CODE_COMPILE_HOOK = "DUK_INTERNAL duk_ret_t duk_bi_function_constructor(duk_hthread *thr) {\n"
CODE_COMPILE_HOOK_DEF = """DUK_EXTERNAL int (*jsb_code_transpile)(duk_hthread *thr) = NULL;
DUK_EXTERNAL int (*jsb_code_needed)(const char *src, duk_size_t len) = NULL;

DUK_LOCAL duk_ret_t jsb__compile_raw(duk_hthread *thr, void *udata) {
	duk_hstring *src = duk_known_hstring(thr, -2);
	duk_js_compile(thr, DUK_HSTRING_GET_DATA(src), DUK_HSTRING_GET_BYTELEN(src), *(duk_small_uint_t *) udata);
	return 1;
}

/* [ ... filename ] -> [ ... function ]: duk_js_compile of h, or of its
 * translation when Duktape rejects it. */
DUK_LOCAL void jsb_compile_code(duk_hthread *thr, duk_hstring *h, duk_small_uint_t flags) {
	duk_hstring *es5;
	if (jsb_code_transpile == NULL) {
		duk_js_compile(thr, DUK_HSTRING_GET_DATA(h), DUK_HSTRING_GET_BYTELEN(h), flags);
		return;
	}
	if (!jsb_code_needed((const char *) DUK_HSTRING_GET_DATA(h), DUK_HSTRING_GET_BYTELEN(h))) {
		duk_push_hstring(thr, h);
		duk_dup(thr, -2);
		if (duk_safe_call(thr, jsb__compile_raw, (void *) &flags, 2, 1) == DUK_EXEC_SUCCESS) {
			duk_remove(thr, -2);
			return;
		}
		if (duk_get_error_code(thr, -1) != DUK_ERR_SYNTAX_ERROR) {
			(void) duk_throw(thr);
		}
	} else {
		duk_push_undefined(thr); /* Duktape would take it, with other meanings */
	}
	/* [ ... filename err ] */
	if (flags & DUK_COMPILE_FUNCEXPR) {
		duk_push_literal(thr, "(");
		duk_push_hstring(thr, h);
		duk_push_literal(thr, ")");
		duk_concat(thr, 3);
	} else {
		duk_push_hstring(thr, h);
	}
	if (!jsb_code_transpile(thr)) {
		duk_pop(thr);
		if (!duk_is_undefined(thr, -1)) {
			(void) duk_throw(thr);
		}
		duk_pop(thr);
		duk_js_compile(thr, DUK_HSTRING_GET_DATA(h), DUK_HSTRING_GET_BYTELEN(h), flags);
		return;
	}
	/* [ ... filename err es5 ] */
	duk_remove(thr, -2);
	if (flags & DUK_COMPILE_FUNCEXPR) {
		duk_size_t n;
		const char *p = duk_get_lstring(thr, -1, &n), *open = memchr(p, '(', n), *close;
		const char *marks = strstr(p, "\\n//# jsboxLines=");
		for (close = marks ? marks : p + n; close > p && close[-1] != ')'; close--)
			;
		if (open == NULL || close <= open + 1) {
			DUK_ERROR_SYNTAX(thr, "transpiled function expression");
		}
		duk_push_lstring(thr, open + 1, (duk_size_t) (close - 1 - (open + 1)));
		duk_replace(thr, -2);
	}
	es5 = duk_known_hstring(thr, -1);
	duk_dup(thr, -2);
	duk_js_compile(thr, DUK_HSTRING_GET_DATA(es5), DUK_HSTRING_GET_BYTELEN(es5), flags);
	/* [ ... filename es5 function ] */
	duk_remove(thr, -2);
	duk_remove(thr, -2);
}

""" + CODE_COMPILE_HOOK
EVAL_COMPILE = ("\tduk_js_compile(thr, (const duk_uint8_t *) DUK_HSTRING_GET_DATA(h), (duk_size_t) "
                "DUK_HSTRING_GET_BYTELEN(h), comp_flags);\n")
EVAL_COMPILE_HOOK = "\tjsb_compile_code(thr, h, comp_flags);\n"
FUNC_COMPILE = ("\tduk_js_compile(thr,\n\t               (const duk_uint8_t *) DUK_HSTRING_GET_DATA(h_sourcecode),\n"
                "\t               (duk_size_t) DUK_HSTRING_GET_BYTELEN(h_sourcecode),\n\t               comp_flags);\n")
FUNC_COMPILE_HOOK = "\tjsb_compile_code(thr, h_sourcecode, comp_flags);\n"

# Lookbehind (ES2018): "(?<=X)" and "(?<!X)" hold where X matches text
# that ends where the assertion stands.  X is compiled as a lookahead's
# body is, then an opcode that holds only at that end; the executor tries
# X from the one start its fixed length allows (the compiler knows the
# length of most patterns) or, for a variable length, from each start
# back to the beginning of the input.  Captures inside are kept as in a
# lookahead.
LB_TOKENS = "#define DUK_RETOK_ATOM_END_GROUP                22\n"
LB_TOKENS_MORE = LB_TOKENS + ("#define JSB_RETOK_POS_LOOKBEHIND 23\n#define JSB_RETOK_NEG_LOOKBEHIND 24\n")
LB_OPS = "#define DUK_REOP_ASSERT_NOT_WORD_BOUNDARY 19\n"
LB_OPS_MORE = LB_OPS + ("#define JSB_REOP_LOOKBEHIND_POS 20\n#define JSB_REOP_LOOKBEHIND_NEG 21\n"
                        "#define JSB_REOP_AT_LOOKBEHIND_END 22\n")
LB_MATCHER = "\tduk_uint32_t steps_count;\n\tduk_uint32_t steps_limit;\n};\n"
LB_MATCHER_MORE = ("\tduk_uint32_t steps_count;\n\tduk_uint32_t steps_limit;\n"
                   "\tconst duk_uint8_t *jsb_lookbehind_end; /* where the innermost lookbehind stands */\n};\n")
LB_LEX = ("\t\t\t} else if (DUK__L2() == DUK_ASC_LANGLE && DUK__L3() != DUK_ASC_EQUALS &&\n"
          "\t\t\t           DUK__L3() != DUK_ASC_EXCLAMATION) {\n")
LB_LEX_MORE = ("\t\t\t} else if (DUK__L2() == DUK_ASC_LANGLE && DUK__L3() == DUK_ASC_EQUALS) {\n"
               "\t\t\t\tadvtok = DUK__ADVTOK(4, JSB_RETOK_POS_LOOKBEHIND);\n"
               "\t\t\t} else if (DUK__L2() == DUK_ASC_LANGLE && DUK__L3() == DUK_ASC_EXCLAMATION) {\n"
               "\t\t\t\tadvtok = DUK__ADVTOK(4, JSB_RETOK_NEG_LOOKBEHIND);\n" + LB_LEX)
LB_COMPILE = "\t\tcase DUK_RETOK_ATOM_PERIOD: {\n\t\t\tnew_atom_char_length = 1;\n"
LB_COMPILE_MORE = """		case JSB_RETOK_POS_LOOKBEHIND:
		case JSB_RETOK_NEG_LOOKBEHIND: {
			duk_uint32_t offset;
			duk_uint32_t opcode =
			    (re_ctx->curr_token.t == JSB_RETOK_POS_LOOKBEHIND) ? JSB_REOP_LOOKBEHIND_POS : JSB_REOP_LOOKBEHIND_NEG;

			offset = (duk_uint32_t) DUK__RE_BUFLEN(re_ctx);
			duk__parse_disjunction(re_ctx, 0, &tmp_disj);
			duk__append_reop(re_ctx, JSB_REOP_AT_LOOKBEHIND_END);
			duk__append_reop(re_ctx, DUK_REOP_MATCH);

			/* [ opcode skip length+1 (0: variable) body ] */
			(void) duk__insert_u32(re_ctx, offset, (duk_uint32_t) (tmp_disj.charlen + 1));
			(void) duk__insert_u32(re_ctx, offset, opcode);
			(void) duk__insert_jump_offset(re_ctx,
			                               offset + 1, /* +1 for opcode */
			                               (duk_int32_t) (DUK__RE_BUFLEN(re_ctx) - (offset + 1)));
			res_charlen = -1;
			break;
		}
""" + LB_COMPILE
LB_EXEC = "\t\tcase DUK_REOP_BACKREFERENCE: {\n\t\t\t/*\n\t\t\t *  Byte matching for back-references would be OK in case-\n"
LB_EXEC_MORE = """		case JSB_REOP_AT_LOOKBEHIND_END: {
			if (sp != re_ctx->jsb_lookbehind_end) {
				goto fail;
			}
			break;
		}
		case JSB_REOP_LOOKBEHIND_POS:
		case JSB_REOP_LOOKBEHIND_NEG: {
			duk_int32_t skip;
			duk_uint32_t length;
			duk_uint8_t **full_save;
			const duk_uint8_t *cont, *start, *sub_sp, *outer_end = re_ctx->jsb_lookbehind_end;
			duk_bool_t found = 0;

			duk_require_stack(re_ctx->thr, 1);
			full_save =
			    (duk_uint8_t **) duk_push_fixed_buffer_nozero(re_ctx->thr, sizeof(duk_uint8_t *) * re_ctx->nsaved);
			duk_memcpy(full_save, re_ctx->saved, sizeof(duk_uint8_t *) * re_ctx->nsaved);

			skip = duk__bc_get_i32(re_ctx, &pc);
			cont = pc + skip;
			length = duk__bc_get_u32(re_ctx, &pc);
			re_ctx->jsb_lookbehind_end = sp;
			for (start = sp;;) {
				if (length == 0 || length == 1) {
					if (duk__match_regexp(re_ctx, pc, start) != NULL) {
						found = 1;
						break;
					}
					if (length == 1) {
						break;
					}
				} else {
					length--;
				}
				if (start == re_ctx->input) {
					break;
				}
				do {
					start--;
				} while (start > re_ctx->input && (*start & 0xc0) == 0x80);
			}
			re_ctx->jsb_lookbehind_end = outer_end;
			if (found != (op == JSB_REOP_LOOKBEHIND_POS)) {
				goto lookbehind_fail;
			}
			sub_sp = duk__match_regexp(re_ctx, cont, sp);
			if (sub_sp) {
				duk_pop_unsafe(re_ctx->thr);
				sp = sub_sp;
				goto match;
			}
		lookbehind_fail:
			duk_memcpy((void *) re_ctx->saved, (const void *) full_save, sizeof(duk_uint8_t *) * re_ctx->nsaved);
			duk_pop_unsafe(re_ctx->thr);
			goto fail;
		}
""" + LB_EXEC


# Array.prototype.splice() with no arguments removes nothing (ES2015);
# Duktape read a missing start like a missing delete count and emptied
# the array.  splice(start) still removes to the end.
SPLICE = "\t\tnargs = 2;\n\t\thave_delcount = 0;\n"
SPLICE_NO_ARGS = "\t\thave_delcount = (nargs == 0); /* no start: delete count 0 */\n\t\tnargs = 2;\n"

# The getters go on RegExp.prototype when jsbox makes a heap
# (jsb_regexp_extend, called by engine/confined/heap.c), as the other flags' are,
# with RegExp.prototype.compile (Annex B), which recompiles a regexp in
# place: its bytecode and source are internal properties that only
# Duktape's own code can replace.
RE_DEFINE = """
DUK_LOCAL duk_ret_t jsb_regexp_compile_method(duk_hthread *thr) {
	duk_hobject *h_pattern = duk_get_hobject(thr, 0);
	duk_push_this(thr);
	if (DUK_HOBJECT_GET_CLASS_NUMBER(duk_require_hobject(thr, 2)) != DUK_HOBJECT_CLASS_REGEXP) {
		DUK_DCERROR_TYPE_INVALID_ARGS(thr);
	}
	if (h_pattern != NULL && DUK_HOBJECT_GET_CLASS_NUMBER(h_pattern) == DUK_HOBJECT_CLASS_REGEXP) {
		if (!duk_is_undefined(thr, 1)) {
			DUK_DCERROR_TYPE_INVALID_ARGS(thr);
		}
		duk_get_prop_stridx_short(thr, 0, DUK_STRIDX_SOURCE);
		duk_get_prop_stridx(thr, 0, DUK_STRIDX_FLAGS);
	} else {
		duk_dup_0(thr);
		duk_dup_1(thr);
		if (duk_is_undefined(thr, -2)) {
			duk_push_hstring_empty(thr);
			duk_replace(thr, -3);
		}
		if (duk_is_undefined(thr, -1)) {
			duk_push_hstring_empty(thr);
			duk_replace(thr, -2);
		}
	}
	duk_to_string(thr, -2);
	duk_to_string(thr, -1);
	duk_regexp_compile(thr);
	/* [ pattern flags this escaped_source bytecode ]: lastIndex first, so
	 * that a frozen regexp (whose lastIndex is read-only) stays as it is. */
	duk_push_int(thr, 0);
	duk_put_prop_stridx_short(thr, 2, DUK_STRIDX_LAST_INDEX);
	duk_xdef_prop_stridx_short(thr, 2, DUK_STRIDX_INT_BYTECODE, DUK_PROPDESC_FLAGS_NONE);
	duk_xdef_prop_stridx_short(thr, 2, DUK_STRIDX_INT_SOURCE, DUK_PROPDESC_FLAGS_NONE);
	duk_dup(thr, 2);
	return 1;
}

/* [ ... obj ] -> [ ... obj ]: obj[name] = a native method, as a
 * built-in's are (named, not enumerable); also engine/lib/normalize.c's. */
DUK_EXTERNAL void jsb_define_method(duk_hthread *thr, const char *name, duk_c_function fn, duk_idx_t nargs) {
	duk_push_string(thr, name);
	duk_push_c_function(thr, fn, nargs);
	duk_push_literal(thr, "name");
	duk_push_string(thr, name);
	duk_def_prop(thr, -3, DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_FORCE);
	duk_def_prop(thr, -3, DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_SET_WRITABLE | DUK_DEFPROP_SET_CONFIGURABLE);
}

DUK_EXTERNAL void jsb_regexp_extend(duk_hthread *thr) {
	static const char *const names[] = { "sticky", "dotAll" };
	duk_small_int_t i;
	duk_push_hobject(thr, thr->builtins[DUK_BIDX_REGEXP_PROTOTYPE]);
	for (i = 0; i < 2; i++) {
		duk_push_string(thr, names[i]);
		duk_push_c_function(thr, duk_bi_regexp_prototype_shared_getter, 0);
		duk_set_magic(thr, -1, 3 + i);
		duk_def_prop(thr, -3, DUK_DEFPROP_HAVE_GETTER | DUK_DEFPROP_SET_CONFIGURABLE);
	}
	jsb_define_method(thr, "compile", jsb_regexp_compile_method, 2);
	duk_pop(thr);
}
"""


# --prof's sampler (engine/confined/prof.c) reads the running call stack
# from the exec-timeout hook.  The public duk_inspect_callstack_entry()
# allocates an object per frame and reads `name` with a full property
# lookup, which could run a getter a script put there; this reads the
# activations and own data properties directly and allocates nothing.
CALLSTACK_DEFINE = r"""
DUK_LOCAL void jsb__frame_string(duk_hthread *thr, duk_hobject *f, duk_small_uint_t stridx, const char **s, size_t *len) {
	duk_tval *tv = duk_hobject_find_entry_tval_ptr_stridx(thr->heap, f, stridx);
	if (tv != NULL && DUK_TVAL_IS_STRING(tv)) {
		duk_hstring *h = DUK_TVAL_GET_STRING(tv);
		*s = (const char *) DUK_HSTRING_GET_DATA(h);
		*len = (size_t) DUK_HSTRING_GET_BYTELEN(h);
	} else {
		*s = NULL;
		*len = 0;
	}
}

DUK_LOCAL unsigned long jsb__frame_line(duk_hthread *thr, duk_hobject *f, duk_uint_fast32_t pc) {
	duk_tval *tv = duk_hobject_find_entry_tval_ptr_stridx(thr->heap, f, DUK_STRIDX_INT_PC2LINE);
	if (tv == NULL || !DUK_TVAL_IS_BUFFER(tv))
		return 0;
	return (unsigned long) duk__hobject_pc2line_query_raw(thr, (duk_hbuffer_fixed *) DUK_TVAL_GET_BUFFER(tv), pc);
}

/* The running thread's ECMAScript frames, innermost first (native frames
 * are left out); at most max.  Strings point into the heap: valid until
 * the script runs again. */
DUK_EXTERNAL size_t jsb_callstack(duk_hthread *ctx, struct jsb_frame *frames, size_t max) {
	duk_hthread *thr = ctx->heap->curr_thread;
	duk_activation *act;
	size_t n = 0;
	if (thr == NULL)
		return 0;
	for (act = thr->callstack_curr; act != NULL && n < max; act = act->parent) {
		duk_hobject *f = act->func;
		struct jsb_frame *fr;
		if (f == NULL || !DUK_HOBJECT_IS_COMPFUNC(f))
			continue;
		fr = &frames[n++];
		fr->code = (const void *) DUK_HCOMPFUNC_GET_DATA(thr->heap, (duk_hcompfunc *) f);
		jsb__frame_string(thr, f, DUK_STRIDX_NAME, &fr->name, &fr->name_len);
		jsb__frame_string(thr, f, DUK_STRIDX_FILE_NAME, &fr->file, &fr->file_len);
		fr->line = jsb__frame_line(thr, f, duk_hthread_get_act_prev_pc(thr, act));
		fr->first_line = jsb__frame_line(thr, f, 0);
	}
	return n;
}
"""


def configure_source(text):
    for old, new in ((INTCTR_DEFINE, INTCTR), (NUMCONV, NUMCONV_HOOK), (UNCAUGHT, UNCAUGHT_PLAIN),
                     (JSON_DOUBLE, JSON_DOUBLE_DIRECT), (CASECONV, CASECONV_ASCII),
                     (RE_FLAGS, RE_FLAGS_MORE), (RE_PARSE, RE_PARSE_MORE), (RE_GLOBAL, RE_GLOBAL_STICKY),
                     (RE_MATCH_DECL, RE_MATCH_DECL_STICKY), (RE_ADVANCE, RE_ADVANCE_STICKY),
                     (RE_PERIOD, RE_PERIOD_DOTALL), (RE_GETTERS, RE_GETTERS_ON),
                     (RE_FLAGS_TEXT, RE_FLAGS_TEXT_MORE), (RE_LEXER_FIELD, RE_LEXER_FIELD_GROUPS),
                     (RE_CONTROL, RE_CONTROL_ANNEX_B), (RE_DECIMAL, RE_DECIMAL_ANNEX_B),
                     (RE_TOKEN, RE_TOKEN_HELPERS), (RE_COMPILE, RE_COMPILE_COUNT), (RE_LEX_INIT, RE_LEX_INIT_GROUPS),
                     (RE_CLASS, RE_CLASS_ANNEX_B), (RE_FLAGS_NAMED, RE_FLAGS_NAMED_MORE),
                     (RE_LPAREN, RE_LPAREN_NAMED), (RE_NAMED_REF, RE_NAMED_REF_K), (RE_HEADER, RE_HEADER_NAMES),
                     (RE_EXEC_HEADER, RE_EXEC_HEADER_NAMES), (RE_MATCH_DECL_NAMES, RE_MATCH_DECL_NAMES_MORE),
                     (RE_RESULT, RE_RESULT_GROUPS), (RE_REPLACE, RE_REPLACE_NAMED), (RE_REPLACER, RE_REPLACER_GROUPS),
                     (RE_REPLACER_STACK, RE_REPLACER_STACK_MORE), (OBJLIT_VARS, OBJLIT_VARS_PROTO),
                     (OBJLIT_LOOP, OBJLIT_LOOP_PROTO), (OBJLIT_PAIR, OBJLIT_PAIR_PROTO),
                     (CODE_COMPILE_HOOK, CODE_COMPILE_HOOK_DEF), (EVAL_COMPILE, EVAL_COMPILE_HOOK),
                     (FUNC_COMPILE, FUNC_COMPILE_HOOK), (LB_TOKENS, LB_TOKENS_MORE), (LB_OPS, LB_OPS_MORE),
                     (LB_MATCHER, LB_MATCHER_MORE), (LB_LEX, LB_LEX_MORE), (LB_COMPILE, LB_COMPILE_MORE),
                     (LB_EXEC, LB_EXEC_MORE), (SPLICE, SPLICE_NO_ARGS)):
        if text.count(old) != 1:
            sys.exit("duk_configure: %r not found once in duktape.c" % old)
        text = text.replace(old, new, 1)
    return text + RE_DEFINE + CALLSTACK_DEFINE


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: duk_configure.py DUKTAPE_SRC_DIR OUT_DIR")
    src, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    (out / "duktape.c").write_text(configure_source((src / "duktape.c").read_text()))
    (out / "duktape.h").write_bytes((src / "duktape.h").read_bytes())
    config = configure((src / "duk_config.h").read_text())
    (out / "duk_config.h").write_text(config)


if __name__ == "__main__":
    main()
