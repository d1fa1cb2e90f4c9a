/* A worker's heap region: bump allocation, saved once, put back per job.
 *
 * Every block has a header just before it: its usable size and where it
 * lives.  A freed block of the region is reused: the last one by lowering
 * the top, one of up to 4 KiB from a list per size; any other
 * is left until the put back, which makes the whole region as it was
 * saved, lists and all.  The memory limit counts live bytes (engine/confined/heap.c),
 * so what a freed block leaves in the region is not charged to the job;
 * past the region's end, blocks come from malloc, listed so the put back
 * can free them. */
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "engine/confined/arena.h"

enum { IN_REGION, IN_SPILL };

struct hdr {
	size_t size; /* usable bytes after the header */
	size_t where;
};

struct jsb_spill {
	struct jsb_spill *prev, *next;
	struct hdr h; /* last, so the block follows it as in the region */
};

/* Pages past the saved image left dirty by a job are given back when more
 * than this many bytes of them were used; so is what malloc keeps of the
 * blocks freed at the put back, when more than this many were asked of it. */
#define GIVE_BACK (1u << 20)

static struct hdr *header(void *p)
{
	return (struct hdr *)p - 1;
}

static size_t round16(size_t n)
{
	return (n + 15) & ~(size_t)15;
}

bool jsb_arena_open(struct jsb_arena *a, size_t size)
{
	memset(a, 0, sizeof *a);
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return false;
	a->base = p;
	a->size = size;
	return true;
}

static void *spill(struct jsb_arena *a, size_t n)
{
	if (n > SIZE_MAX - sizeof(struct jsb_spill))
		return NULL;
	struct jsb_spill *s = malloc(sizeof *s + n);
	if (!s)
		return NULL;
	a->spilled += n;
	s->h = (struct hdr){n, IN_SPILL};
	s->prev = NULL;
	s->next = a->spill;
	if (a->spill)
		a->spill->prev = s;
	a->spill = s;
	return s + 1;
}

static void unlink_spill(struct jsb_arena *a, struct jsb_spill *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		a->spill = s->next;
	if (s->next)
		s->next->prev = s->prev;
}

/* The free list for blocks of n bytes, or NULL for sizes it does not keep. */
static void **free_list(struct jsb_arena *a, size_t n)
{
	return n && n <= 16 * JSB_ARENA_CLASSES ? &a->free[n / 16 - 1] : NULL;
}

void *jsb_arena_alloc(struct jsb_arena *a, size_t size)
{
	if (size > SIZE_MAX - 15)
		return NULL;
	size_t n = round16(size);
	void **list = free_list(a, n);
	if (list && *list) {
		void *p = *list;
		*list = *(void **)p;
		return p;
	}
	if (n <= a->size - a->top && a->size - a->top - n >= sizeof(struct hdr)) {
		struct hdr *h = (struct hdr *)(a->base + a->top);
		*h = (struct hdr){n, IN_REGION};
		a->top += sizeof *h + n;
		if (a->top > a->high)
			a->high = a->top;
		return h + 1;
	}
	return spill(a, n);
}

size_t jsb_arena_usable(const void *p)
{
	return ((const struct hdr *)p - 1)->size;
}

static bool is_last(const struct jsb_arena *a, const void *p)
{
	return (const char *)p + jsb_arena_usable(p) == a->base + a->top;
}

void jsb_arena_free(struct jsb_arena *a, void *p)
{
	struct hdr *h = header(p);
	if (h->where == IN_SPILL) {
		struct jsb_spill *s = (struct jsb_spill *)p - 1;
		unlink_spill(a, s);
		free(s);
	} else if (is_last(a, p)) {
		a->top = (size_t)((char *)h - a->base);
	} else {
		void **list = free_list(a, h->size);
		if (list) {
			*(void **)p = *list;
			*list = p;
		}
	}
}

void *jsb_arena_realloc(struct jsb_arena *a, void *p, size_t size)
{
	if (size > SIZE_MAX - 15)
		return NULL;
	size_t n = round16(size);
	struct hdr *h = header(p);
	if (h->where == IN_SPILL) {
		struct jsb_spill *s = (struct jsb_spill *)p - 1;
		if (n > SIZE_MAX - sizeof *s)
			return NULL;
		unlink_spill(a, s);
		struct jsb_spill *t = realloc(s, sizeof *s + n);
		if (t) {
			a->spilled += n > t->h.size ? n - t->h.size : 0;
			t->h.size = n;
			s = t;
		}
		s->prev = NULL; /* back on the list, moved or not */
		s->next = a->spill;
		if (a->spill)
			a->spill->prev = s;
		a->spill = s;
		return t ? t + 1 : NULL;
	}
	if (is_last(a, p)) {
		size_t start = (size_t)((char *)p - a->base);
		if (n <= a->size - start) {
			h->size = n;
			a->top = start + n;
			if (a->top > a->high)
				a->high = a->top;
			return p;
		}
	} else if (n <= h->size) {
		return p; /* shrunk in place; the tail waits for the put back */
	}
	void *q = jsb_arena_alloc(a, size);
	if (!q)
		return NULL;
	memcpy(q, p, h->size < n ? h->size : n);
	jsb_arena_free(a, p);
	return q;
}

bool jsb_arena_save(struct jsb_arena *a)
{
	if (a->spill || !a->top)
		return false;
	char *image = malloc(a->top);
	if (!image)
		return false;
	memcpy(image, a->base, a->top);
	free(a->image);
	a->image = image;
	a->image_len = a->top;
	memcpy(a->image_free, a->free, sizeof a->free);
	a->high = a->top;
	return true;
}

void jsb_arena_restore(struct jsb_arena *a)
{
	while (a->spill) {
		struct jsb_spill *s = a->spill;
		a->spill = s->next;
		free(s);
	}
	if (a->spilled > GIVE_BACK)
		malloc_trim(0); /* free() keeps what a big job had */
	a->spilled = 0;
	if (a->high > a->image_len && a->high - a->image_len > GIVE_BACK) {
		size_t page = (size_t)sysconf(_SC_PAGESIZE);
		size_t from = (a->image_len + page - 1) / page * page;
		madvise(a->base + from, a->high - from, MADV_DONTNEED);
	}
	memcpy(a->base, a->image, a->image_len);
	memcpy(a->free, a->image_free, sizeof a->free);
	a->top = a->high = a->image_len;
}
