/* Math.random's generator (engine/confined/random.c). */
#ifndef JSB_RANDOM_H
#define JSB_RANDOM_H

/* A number in [0, 1); the hook Duktape calls (duk_config.h). */
double jsb_random_double(void *udata);

/* The next number comes from a new seed. */
void jsb_random_forget(void);

#endif
