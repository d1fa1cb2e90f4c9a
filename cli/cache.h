/* The transpile cache: the ES5 translation of modern sources, kept under
 * $XDG_CACHE_HOME/jsbox (or ~/.cache/jsbox) by the trusted parent.  The
 * evaluator never touches it; it only receives and returns translations. */
#ifndef JSB_CACHE_H
#define JSB_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One run's use of the cache: the checked directory, once opened, and
 * whether the cache was refused (then it is neither read nor written). */
struct jsb_cache {
	int dir; /* -1 until opened */
	bool off;
};

#define JSB_CACHE_INIT                                                                             \
	{                                                                                          \
		.dir = -1, .off = false                                                            \
	}

/* The cached translation of source (malloc'd into *es5), or false; only a
 * translation made under a time bound of at most bound_ms counts. */
bool jsb_cache_load(struct jsb_cache *c, const char *source, size_t len, uint64_t bound_ms,
                    char **es5, size_t *es5_len);

/* Stores a translation made within bound_ms; failures are silent (the
 * cache is an optimisation). */
void jsb_cache_store(struct jsb_cache *c, const char *source, size_t len, uint64_t bound_ms,
                     const char *es5, size_t es5_len);

void jsb_cache_close(struct jsb_cache *c);

#endif
