/* A server worker's heap memory: one region it allocates from by bumping a
 * pointer, whose state after a heap's creation is saved once and put back
 * after each job, so a job starts on a pristine heap without building one.
 * What does not fit the region comes from malloc and is freed at the put
 * back.  Used only through struct jsb_heap (engine/confined/heap.c). */
#ifndef JSB_ARENA_H
#define JSB_ARENA_H

#include <stdbool.h>
#include <stddef.h>

struct jsb_spill;

/* Freed blocks of the region kept for reuse, by size: 16, 32, ... bytes. */
#define JSB_ARENA_CLASSES 256

struct jsb_arena {
	char *base;       /* the region, reserved once; never moves */
	size_t size;      /* its length */
	size_t top;       /* bytes handed out from base */
	size_t high;      /* highest top since the last put back */
	char *image;      /* base[0 .. image_len) as saved */
	size_t image_len; /* 0: nothing saved */
	void *free[JSB_ARENA_CLASSES], *image_free[JSB_ARENA_CLASSES];
	struct jsb_spill *spill; /* blocks from malloc, newest first */
	size_t spilled;          /* bytes asked of malloc since the put back */
};

/* Reserves a region of size bytes (untouched pages cost no memory). */
bool jsb_arena_open(struct jsb_arena *a, size_t size);

/* Blocks of at least size bytes, 16-byte aligned; NULL when malloc fails.
 * jsb_arena_usable() is what a block counts against the memory limit. */
void *jsb_arena_alloc(struct jsb_arena *a, size_t size);
void *jsb_arena_realloc(struct jsb_arena *a, void *p, size_t size);
void jsb_arena_free(struct jsb_arena *a, void *p);
size_t jsb_arena_usable(const void *p);

/* Saves the region as it is; false when memory for the copy is refused or
 * a block lives outside the region (it could not be put back). */
bool jsb_arena_save(struct jsb_arena *a);
/* Frees what came from malloc and puts the saved region back; pages used
 * past it are returned to the system. */
void jsb_arena_restore(struct jsb_arena *a);

#endif
