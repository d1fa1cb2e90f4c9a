/* Checking JSON text without building it, and an object's members as
 * spans of the text: how the parent takes what a worker wrote (which it
 * trusts no more than any evaluator output) and passes it on unchanged. */
#ifndef JSB_JSPAN_H
#define JSB_JSPAN_H

#include <stdbool.h>
#include <stddef.h>

/* One JSON value (RFC 8259; \u escapes of lone surrogates allowed, as
 * JSON.stringify writes them) with only spaces and tabs around tokens:
 * text that can go on one line of a line-framed protocol as it is. */
bool jsb_jspan_valid(const char *s, size_t len);

/* Whether s is well-formed UTF-8 (no surrogates, shortest forms). */
bool jsb_jspan_utf8(const char *s, size_t len);

struct jsb_jspan {
	const char *key; /* as written, without the quotes */
	size_t key_len;
	const char *value;
	size_t value_len;
};

/* The members of the object s (at most max into m, their number in
 * *count); false when s is not valid (above) or not an object. */
bool jsb_jspan_members(const char *s, size_t len, struct jsb_jspan *m, size_t max, size_t *count);

/* The member named key, or NULL. */
const struct jsb_jspan *jsb_jspan_find(const struct jsb_jspan *m, size_t n, const char *key);

#endif
