/* Text conversion at the engine's edges.  Duktape stores strings as CESU-8
 * (a character outside the BMP is two 3-byte surrogates); the world outside
 * speaks UTF-8.  Everything entering the heap goes through jsb_text_to_cesu,
 * everything leaving it through jsb_text_to_utf8.  Pure functions, no Duktape. */
#ifndef JSB_TEXT_H
#define JSB_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* What to do with a lone surrogate on the way out. */
enum jsb_lone {
	JSB_LONE_REPLACE, /* U+FFFD: plain text (raw strings, console) */
	JSB_LONE_ESCAPE   /* \udXXX: inside JSON string literals */
};

/* Length of the valid UTF-8 sequence at s (1-4) and its code point; 0 if
 * invalid (left must be at least 1).  Surrogates (ED A0..BF) count as
 * valid 3-byte sequences: they are what Duktape itself produces. */
size_t jsb_text_char(const char *s, size_t left, unsigned *cp);

/* Bytes jsb_text_to_cesu needs for src (3 * len + 1; SIZE_MAX on overflow). */
size_t jsb_text_cesu_bound(size_t len);

/* UTF-8 -> CESU-8: 4-byte sequences become surrogate pairs, invalid bytes
 * become U+FFFD.  dst holds jsb_text_cesu_bound(len) bytes.  Returns length. */
size_t jsb_text_to_cesu(char *dst, const char *src, size_t len);

/* True when src needs no conversion on the way in (valid UTF-8 with no
 * 4-byte sequences), so callers can push it as it is. */
bool jsb_text_is_cesu_clean(const char *src, size_t len);

/* Bytes jsb_text_to_utf8 needs for src (2 * len + 1; SIZE_MAX on overflow). */
size_t jsb_text_utf8_bound(size_t len);

/* CESU-8 -> UTF-8: surrogate pairs join into 4-byte sequences, lone
 * surrogates follow `lone`.  dst holds jsb_text_utf8_bound(len).  */
size_t jsb_text_to_utf8(char *dst, const char *src, size_t len, enum jsb_lone lone);

/* src converted as jsb_text_to_utf8 does into dst of size bytes and
 * NUL-terminated, cut before the first character that does not fit (never
 * inside one).  Returns the length written. */
size_t jsb_text_to_utf8_cut(char *dst, size_t size, const char *src, size_t len,
                            enum jsb_lone lone);

/* The length of the first len bytes of a UTF-8 or CESU-8 text that were cut
 * from a longer one, without a character the cut split: a sequence missing
 * its last bytes, or a high surrogate missing its low half. */
size_t jsb_text_whole(const char *src, size_t len);

/* True when src has no surrogates at all (the common case: nothing to do). */
bool jsb_text_is_utf8_clean(const char *src, size_t len);

/* 1-based line and column (in characters) of byte offset off in src. */
void jsb_text_position(const char *src, size_t len, size_t off, unsigned long *line,
                       unsigned long *col);

#endif
