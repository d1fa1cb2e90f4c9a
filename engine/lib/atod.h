/* Decimal text to a double, correctly rounded (round half to even) as
 * strtod rounds it, whatever the process's locale: the direct JSON decoder
 * and Duktape's own number parser (JSON.parse, Number(), parseFloat, source
 * literals; wired by tools/duk_configure.py) both read decimals through it. */
#ifndef JSB_ATOD_H
#define JSB_ATOD_H

#include <stddef.h>

/* The value of s[0..len): [-+]digits[.digits][(e|E)[-+]digits], where
 * either side of the point may be empty and an exponent marker without
 * digits is ignored (the caller has checked its grammar). */
double jsb_atod(const char *s, size_t len);

#endif
