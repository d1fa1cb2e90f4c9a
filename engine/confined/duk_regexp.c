/* jsbox's side of its RegExp patches to Duktape (patches/duktape/): the
 * walk over a pattern's capturing groups that the patched lexer and compiler
 * use, and the flag getters and compile() put on each heap's
 * RegExp.prototype.  Only Duktape's public API here; what needs its
 * internals stays in the patches, as glue. */
#include "duktape.h"
#include "engine/confined/duk_patches.h"
#include "engine/confined/heap.h"

int (*jsb_regexp_translate)(duk_context *ctx) = NULL;

void jsb_re_scan_init(struct jsb_re_scan *s, const unsigned char *p, size_t n)
{
	s->p = p;
	s->end = p + n;
	s->in_class = 0;
}

/* The next group (its name, or NULL and 0 when it has none); 0 at the end. */
int jsb_re_next_group(struct jsb_re_scan *s, const unsigned char **name, size_t *len)
{
	for (; s->p < s->end; s->p++) {
		const unsigned char *p = s->p;
		if (*p == '\\') {
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

/* The pattern's capturing groups, and whether any has a name (the lexer
 * needs the count before it parses: a backreference may come before its
 * group, and a number above the count is an octal escape). */
uint32_t jsb_re_count_groups(const unsigned char *p, size_t n, unsigned int *named)
{
	struct jsb_re_scan s;
	const unsigned char *name;
	size_t len;
	uint32_t groups = 0;
	jsb_re_scan_init(&s, p, n);
	*named = 0;
	while (jsb_re_next_group(&s, &name, &len)) {
		groups++;
		*named |= name != NULL;
	}
	return groups;
}

/* The getters of the flags Duktape lacks go on RegExp.prototype as the
 * other flags' are (the built-ins' init data is generated, so they are
 * added to each heap), with compile() (Annex B).  Called on a new heap, before any script, so
 * the global RegExp is the built-in. */
void jsb_regexp_extend(duk_context *ctx)
{
	static const char *const names[] = {"sticky", "dotAll", "hasIndices", "unicode",
	                                    "unicodeSets"};
	duk_int_t i;
	duk_get_global_literal(ctx, "RegExp");
	duk_get_prop_literal(ctx, -1, "prototype");
	duk_remove(ctx, -2);
	for (i = 0; i < (duk_int_t)(sizeof names / sizeof names[0]); i++) {
		duk_push_string(ctx, names[i]);
		duk_push_c_function(ctx, jsb_regexp_flag_getter, 0);
		duk_set_magic(ctx, -1, 3 + i); /* the flag's case in Duktape's getter */
		duk_def_prop(ctx, -3, DUK_DEFPROP_HAVE_GETTER | DUK_DEFPROP_SET_CONFIGURABLE);
	}
	jsb_define_method(ctx, "compile", jsb_regexp_compile_method, 2);
	duk_pop(ctx);
}
