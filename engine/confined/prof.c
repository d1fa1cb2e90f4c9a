/* --prof: at most one sample per interval, taken at the engine's interrupt
 * points (every 16k bytecodes): the innermost frame's function and line
 * count as self, every function and line on the stack once as total.  The
 * tables are fixed-size and allocated once; the hook pays one pointer test
 * when profiling is off.  Lines of a translated script are mapped back to
 * the source's when sampled. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/confined/eval.h"
#include "engine/confined/modern/modern.h"
#include "engine/confined/prof.h"
#include "engine/lib/jsonw.h"

#define INTERVAL_NS 1000000ull /* 1 ms */
#define MAX_DEPTH   256        /* frames looked at per sample */
#define NFUNCS      2048       /* distinct functions kept (power of two) */
#define NLINES      8192       /* distinct lines kept (power of two) */
#define NFILES      32
#define TOP         10 /* rows of the text report */

struct func {
	const void *code; /* NULL: free slot */
	char name[64];
	int file;
	unsigned long line;
	uint64_t self, total, stamp;
};

struct line {
	int file; /* -1: free slot */
	unsigned long line;
	uint64_t self, total, stamp;
};

struct jsb_prof {
	struct jsb_eval *ev;
	uint64_t next_ns, samples, dropped;
	char files[NFILES][128];
	int nfiles;
	struct func funcs[NFUNCS];
	struct line lines[NLINES];
	struct jsb_frame frames[MAX_DEPTH];
};

_Bool jsb_prof_start(struct jsb_eval *ev)
{
	struct jsb_prof *p = calloc(1, sizeof *p);
	if (!p)
		return 0;
	p->ev = ev;
	for (size_t i = 0; i < NLINES; i++)
		p->lines[i].file = -1;
	p->next_ns = jsb_now_ns() + INTERVAL_NS;
	ev->heap.prof_tick = jsb_prof_tick;
	ev->heap.prof = p;
	return 1;
}

/* Index of a frame's file name in the table; -1 when the table is full. */
static int file_of(struct jsb_prof *p, const struct jsb_frame *f)
{
	const char *name = f->file ? f->file : "?";
	size_t len = f->file ? f->file_len : 1;
	if (len >= sizeof p->files[0])
		len = sizeof p->files[0] - 1;
	for (int i = 0; i < p->nfiles; i++)
		if (strncmp(p->files[i], name, len) == 0 && p->files[i][len] == '\0')
			return i;
	if (p->nfiles == NFILES)
		return -1;
	memcpy(p->files[p->nfiles], name, len);
	p->files[p->nfiles][len] = '\0';
	return p->nfiles++;
}

static unsigned long source_line(struct jsb_prof *p, int file, unsigned long line)
{
	struct jsb_eval *ev = p->ev;
	if (line && ev->n_line_marks && strcmp(p->files[file], ev->job->source_name) == 0)
		return (unsigned long)jsb_eval_source_line(ev, (long)line);
	return line;
}

static struct func *func_of(struct jsb_prof *p, const struct jsb_frame *f, int file, bool outermost)
{
	size_t h = ((uintptr_t)f->code >> 4) & (NFUNCS - 1);
	for (size_t probe = 0; probe < NFUNCS; probe++, h = (h + 1) & (NFUNCS - 1)) {
		struct func *e = &p->funcs[h];
		if (e->code == f->code)
			return e;
		if (e->code)
			continue;
		e->code = f->code;
		size_t n = f->name_len < sizeof e->name - 1 ? f->name_len : sizeof e->name - 1;
		if (n)
			memcpy(e->name, f->name, n);
		e->name[n] = '\0';
		/* The script itself, compiled as eval code or a function body. */
		if (outermost && (strcmp(e->name, "eval") == 0 || strcmp(e->name, "global") == 0))
			snprintf(e->name, sizeof e->name, "(top level)");
		e->file = file;
		e->line = source_line(p, file, f->first_line);
		return e;
	}
	return NULL;
}

static struct line *line_of(struct jsb_prof *p, int file, unsigned long line)
{
	size_t h = ((size_t)line * 31 + (size_t)file) & (NLINES - 1);
	for (size_t probe = 0; probe < NLINES; probe++, h = (h + 1) & (NLINES - 1)) {
		struct line *e = &p->lines[h];
		if (e->file == file && e->line == line)
			return e;
		if (e->file >= 0)
			continue;
		e->file = file;
		e->line = line;
		return e;
	}
	return NULL;
}

static void count(uint64_t *self, uint64_t *total, uint64_t *stamp, uint64_t sample, bool top)
{
	if (top)
		(*self)++;
	if (*stamp != sample) {
		*stamp = sample;
		(*total)++;
	}
}

static void sample(struct jsb_prof *p)
{
	size_t n = jsb_callstack(p->ev->ctx, p->frames, MAX_DEPTH);
	if (n == 0)
		return;
	uint64_t id = ++p->samples;
	for (size_t i = 0; i < n; i++) {
		const struct jsb_frame *f = &p->frames[i];
		int file = file_of(p, f);
		struct func *fn = file >= 0 ? func_of(p, f, file, i == n - 1) : NULL;
		struct line *ln = fn ? line_of(p, file, source_line(p, file, f->line)) : NULL;
		if (!fn || !ln) {
			p->dropped += i == 0;
			continue;
		}
		count(&fn->self, &fn->total, &fn->stamp, id, i == 0);
		count(&ln->self, &ln->total, &ln->stamp, id, i == 0);
	}
}

void jsb_prof_tick(struct jsb_prof *p)
{
	uint64_t now = jsb_now_ns();
	if (now < p->next_ns)
		return;
	p->next_ns = now + INTERVAL_NS;
	sample(p);
}

static int by_func(const void *a, const void *b)
{
	const struct func *x = a, *y = b;
	if (x->self != y->self)
		return x->self < y->self ? 1 : -1;
	return x->total < y->total ? 1 : x->total > y->total ? -1 : 0;
}

static int by_line(const void *a, const void *b)
{
	const struct line *x = a, *y = b;
	if (x->self != y->self)
		return x->self < y->self ? 1 : -1;
	return x->total < y->total ? 1 : x->total > y->total ? -1 : 0;
}

/* Used entries first, most samples first. */
static size_t sort_tables(struct jsb_prof *p)
{
	size_t nf = 0, nl = 0;
	for (size_t i = 0; i < NFUNCS; i++)
		if (p->funcs[i].code && p->funcs[i].total)
			p->funcs[nf++] = p->funcs[i];
	for (size_t i = 0; i < NLINES; i++)
		if (p->lines[i].file >= 0 && p->lines[i].total)
			p->lines[nl++] = p->lines[i];
	qsort(p->funcs, nf, sizeof *p->funcs, by_func);
	qsort(p->lines, nl, sizeof *p->lines, by_line);
	return nf << 16 | nl;
}

static void put(struct jsb_eval *ev, const char *fmt, ...) JSB_PRINTF(2, 3);
static void put(struct jsb_eval *ev, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n > 0)
		jsb_out_raw(&ev->out, JSB_CH_STDERR, buf,
		            (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

static double pct(uint64_t n, uint64_t of)
{
	return of ? 100.0 * (double)n / (double)of : 0;
}

static void report_text(struct jsb_prof *p, size_t nf, size_t nl)
{
	struct jsb_eval *ev = p->ev;
	put(ev, "jsbox: profile: %llu samples, one per ms of running script at most\n",
	    (unsigned long long)p->samples);
	put(ev, "   self  total  function\n");
	for (size_t i = 0; i < nf && i < TOP; i++) {
		const struct func *f = &p->funcs[i];
		put(ev, " %5.1f%% %5.1f%%  %s (%s:%lu)\n", pct(f->self, p->samples),
		    pct(f->total, p->samples), f->name[0] ? f->name : "(anonymous)",
		    p->files[f->file], f->line);
	}
	put(ev, "   self  total  line\n");
	for (size_t i = 0; i < nl && i < TOP; i++) {
		const struct line *l = &p->lines[i];
		put(ev, " %5.1f%% %5.1f%%  %s:%lu\n", pct(l->self, p->samples),
		    pct(l->total, p->samples), p->files[l->file], l->line);
	}
}

static bool to_stderr(void *ctx, const char *data, size_t len)
{
	jsb_out_raw(ctx, JSB_CH_STDERR, data, len);
	return true;
}

static void report_json(struct jsb_prof *p, size_t nf, size_t nl)
{
	struct jsb_jsonw w;
	jsb_jsonw_init(&w, JSB_JSONW_COMPACT, to_stderr, &p->ev->out);
	jsb_jsonw_object(&w);
	jsb_jsonw_key(&w, "interval_ms");
	jsb_jsonw_uint(&w, 1);
	jsb_jsonw_key(&w, "samples");
	jsb_jsonw_uint(&w, p->samples);
	jsb_jsonw_key(&w, "functions");
	jsb_jsonw_array(&w);
	for (size_t i = 0; i < nf && i < 100; i++) {
		const struct func *f = &p->funcs[i];
		jsb_jsonw_object(&w);
		jsb_jsonw_key(&w, "name");
		jsb_jsonw_str(&w, f->name);
		jsb_jsonw_key(&w, "file");
		jsb_jsonw_str(&w, p->files[f->file]);
		jsb_jsonw_key(&w, "line");
		jsb_jsonw_uint(&w, f->line);
		jsb_jsonw_key(&w, "self");
		jsb_jsonw_uint(&w, f->self);
		jsb_jsonw_key(&w, "total");
		jsb_jsonw_uint(&w, f->total);
		jsb_jsonw_end(&w);
	}
	jsb_jsonw_end(&w);
	jsb_jsonw_key(&w, "lines");
	jsb_jsonw_array(&w);
	for (size_t i = 0; i < nl && i < 100; i++) {
		const struct line *l = &p->lines[i];
		jsb_jsonw_object(&w);
		jsb_jsonw_key(&w, "file");
		jsb_jsonw_str(&w, p->files[l->file]);
		jsb_jsonw_key(&w, "line");
		jsb_jsonw_uint(&w, l->line);
		jsb_jsonw_key(&w, "self");
		jsb_jsonw_uint(&w, l->self);
		jsb_jsonw_key(&w, "total");
		jsb_jsonw_uint(&w, l->total);
		jsb_jsonw_end(&w);
	}
	jsb_jsonw_end(&w);
	jsb_jsonw_end(&w);
	jsb_jsonw_finish(&w);
}

void jsb_prof_report(struct jsb_eval *ev)
{
	struct jsb_prof *p = ev->heap.prof;
	if (!p)
		return;
	ev->heap.prof = NULL; /* no sample while the report is written */
	size_t both = sort_tables(p);
	if (ev->job->flags & JSB_JOB_PROF_JSON)
		report_json(p, both >> 16, both & 0xffff);
	else
		report_text(p, both >> 16, both & 0xffff);
	free(p);
}
