/* Numbers to text as ECMAScript's Number::toString (radix 10): the
 * shortest digits that read back as the same double, the closest of them
 * when several are that short.  Replaces Duktape's bignum conversion, the
 * costliest step of writing JSON with fractional numbers. */
#ifndef JSB_DTOA_H
#define JSB_DTOA_H

#include <stddef.h>

/* Longest result: "-1.2345678901234567e-308" is 24 bytes. */
#define JSB_DTOA_MAX 32

/* Writes finite v as ToString(v) would (no terminating NUL); returns the
 * length.  -0 gives "0". */
size_t jsb_dtoa(double v, char *buf);

/* Duktape's hook (patches/duktape/ wires duk_numconv_stringify's
 * plain radix-10 case to it): [ ... number ] -> [ ... string ] and 1 when
 * the number is finite, else the stack untouched and 0. */
int jsb_dtoa_push(void *thr);

#endif
