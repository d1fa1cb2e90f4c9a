/* The transpile cache: the ES5 translation of modern sources, kept under
 * $XDG_CACHE_HOME/jsbox (or ~/.cache/jsbox) by the trusted parent.  The
 * evaluator never touches it; it only receives and returns translations. */
#ifndef JSB_CACHE_H
#define JSB_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The cached translation of source (malloc'd into *es5), or false; only a
 * translation made under a time bound of at most bound_ms counts. */
bool jsb_cache_load(const char *source, size_t len, uint64_t bound_ms, char **es5, size_t *es5_len);

/* Stores a translation made within bound_ms; failures are silent (the
 * cache is an optimisation). */
void jsb_cache_store(const char *source, size_t len, uint64_t bound_ms, const char *es5,
                     size_t es5_len);

#endif
