/* deny_patterns' matcher.  A pattern is parsed into a tree, compiled to a
 * Thompson NFA (set, split, jump, assertion, match instructions) and run
 * over the text as a DFA built while it runs: a DFA state is the set of
 * NFA instructions waiting for the next byte (plus what the previous byte
 * was, for ^ and the word assertions), and each transition is computed
 * once, from an epsilon closure, then looked up.  Computing one costs
 * O(instructions), so a search never costs more than that per byte; the
 * states are capped and flushed when full (as RE2 does), so memory stays
 * bounded too.  Supported: POSIX ERE (| * + ? {n,m} () [] [:class:] . ^ $,
 * ^ and $ at the start and end of the text only)
 * and GNU's \w \W \s \S \b \B \< \> \` \'; back-references are not regular
 * and are refused. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "policy/pattern.h"

#define MAX_SOURCE  4096 /* bytes of pattern: bounds the parser's recursion */
#define MAX_REPEAT  1000
#define MAX_STATES  1024 /* DFA states kept before a flush (1 KiB each) */
#define CHECK_EVERY 64   /* computed transitions between looks at the clock */

enum { UNKNOWN = -1, MATCHED = -2 };

/* What the byte before the current position was. */
enum prev { AT_START, AFTER_WORD, AFTER_OTHER };

enum op { OP_SET, OP_SPLIT, OP_JMP, OP_ASSERT, OP_MATCH };
enum assertion { A_BOL, A_EOL, A_WORDB, A_NWORDB, A_WSTART, A_WEND };

struct insn {
	unsigned char op, kind;
	int x, y; /* branch targets; for OP_SET x is the set's index */
};

enum node_kind { N_EMPTY, N_SET, N_ASSERT, N_CAT, N_ALT, N_REP };

struct node {
	enum node_kind kind;
	int a, b;     /* children; for N_SET a is the set's index */
	int min, max; /* N_REP; max -1 is unbounded; N_ASSERT: min is the kind */
};

struct dstate {
	int next[256];
	int end; /* UNKNOWN, MATCHED or 0: does the text matched so far match at its end? */
	enum prev prev;
	int n, *pcs; /* the waiting instructions, ascending */
	unsigned hash;
	int chain;
};

struct jsb_pattern {
	struct insn *insns;
	int n_insns;
	unsigned char (*sets)[32];
	int n_sets;
	/* search state */
	unsigned *mark, gen;
	int *stack, *list;
	struct dstate *states;
	int n_states, buckets[2048];
};

struct parser {
	const char *p;
	struct node *nodes;
	int n_nodes, cap_nodes;
	unsigned char (*sets)[32];
	int n_sets;
	char *err;
	size_t errsize;
	bool failed;
};

static int fail(struct parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct parser *ps, const char *fmt, ...)
{
	if (!ps->failed) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(ps->err, ps->errsize, fmt, ap);
		va_end(ap);
	}
	ps->failed = true;
	return 0;
}

static int new_node(struct parser *ps, enum node_kind kind, int a, int b)
{
	if (ps->failed)
		return 0;
	if (ps->n_nodes == ps->cap_nodes)
		return fail(ps, "too large");
	ps->nodes[ps->n_nodes] = (struct node){.kind = kind, .a = a, .b = b};
	return ps->n_nodes++;
}

/* A node matching one byte of a set the caller fills in. */
static unsigned char *new_set(struct parser *ps, int *node)
{
	static unsigned char scratch[32];
	*node = new_node(ps, N_SET, ps->n_sets, 0);
	if (ps->failed)
		return scratch;
	memset(ps->sets[ps->n_sets], 0, 32);
	return ps->sets[ps->n_sets++];
}

static void set_add(unsigned char *set, unsigned c)
{
	set[c >> 3] |= (unsigned char)(1u << (c & 7));
}

static bool set_has(const unsigned char *set, unsigned c)
{
	return set[c >> 3] & (1u << (c & 7));
}

static bool is_word(unsigned c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* A POSIX character class by name, added to set (the C locale's ASCII). */
static bool add_class(unsigned char *set, const char *name, size_t len)
{
	static const char *const names[] = {"alpha", "digit", "alnum", "upper", "lower", "space",
	                                    "blank", "punct", "print", "graph", "cntrl", "xdigit"};
	size_t k = 0;
	while (k < sizeof names / sizeof *names &&
	       !(strlen(names[k]) == len && memcmp(names[k], name, len) == 0))
		k++;
	if (k == sizeof names / sizeof *names)
		return false;
	for (unsigned c = 0; c < 128; c++) {
		bool up = c >= 'A' && c <= 'Z', low = c >= 'a' && c <= 'z',
		     dig = c >= '0' && c <= '9';
		bool sp = c == ' ' || (c >= '\t' && c <= '\r'), graph = c > ' ' && c < 127;
		bool in[] = {up || low,
		             dig,
		             up || low || dig,
		             up,
		             low,
		             sp,
		             c == ' ' || c == '\t',
		             graph && !(up || low || dig),
		             graph || c == ' ',
		             graph,
		             c < ' ' || c == 127,
		             dig || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')};
		if (in[k])
			set_add(set, c);
	}
	return true;
}

/* One element of a bracket expression: a byte, [.c.] or [=c=]; -1 when
 * the element was a [:class:] (added to set) or invalid. */
static int bracket_char(struct parser *ps, unsigned char *set)
{
	const char *p = ps->p;
	if (p[0] == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
		char kind = p[1];
		const char *end = p + 2;
		while (*end && !(end[0] == kind && end[1] == ']'))
			end++;
		if (!*end)
			return fail(ps, "unmatched [%c", kind), -1;
		ps->p = end + 2;
		if (kind == ':') {
			if (!add_class(set, p + 2, (size_t)(end - p - 2)))
				return fail(ps, "unknown character class '%.*s'",
				            (int)(end - p - 2), p + 2),
				       -1;
			return -1;
		}
		if (end - p - 2 != 1)
			return fail(ps, "only single characters in [%c %c]", kind, kind), -1;
		return (unsigned char)p[2];
	}
	ps->p++;
	return (unsigned char)p[0];
}

static int bracket(struct parser *ps)
{
	int node;
	unsigned char *set = new_set(ps, &node);
	bool neg = *ps->p == '^';
	if (neg)
		ps->p++;
	for (bool first = true; !ps->failed; first = false) {
		if (!*ps->p)
			return fail(ps, "unmatched [");
		if (*ps->p == ']' && !first) {
			ps->p++;
			break;
		}
		int lo = bracket_char(ps, set);
		if (lo < 0)
			continue;
		int hi = lo;
		if (ps->p[0] == '-' && ps->p[1] && ps->p[1] != ']') {
			ps->p++;
			hi = bracket_char(ps, set);
			if (hi < lo)
				return fail(ps, "invalid range");
		}
		for (int c = lo; c <= hi; c++)
			set_add(set, (unsigned)c);
	}
	if (neg)
		for (int i = 0; i < 32; i++)
			set[i] = (unsigned char)~set[i];
	set[0] &= (unsigned char)~1u; /* NUL ends a piece of text: never matched */
	return node;
}

static int assertion(struct parser *ps, enum assertion kind)
{
	int n = new_node(ps, N_ASSERT, 0, 0);
	if (!ps->failed)
		ps->nodes[n].min = (int)kind;
	return n;
}

/* \w \W \s \S as sets. */
static int class_escape(struct parser *ps, char c)
{
	int node;
	unsigned char *set = new_set(ps, &node);
	for (unsigned b = 1; b < 256; b++) {
		bool in = c == 'w' || c == 'W' ? is_word(b) : b == ' ' || (b >= '\t' && b <= '\r');
		if (in == (c == 'w' || c == 's'))
			set_add(set, b);
	}
	return node;
}

static int escape(struct parser *ps)
{
	char c = *ps->p++;
	int node;
	switch (c) {
	case '\0': ps->p--; return fail(ps, "trailing backslash");
	case 'w':
	case 'W':
	case 's':
	case 'S': return class_escape(ps, c);
	case 'b': return assertion(ps, A_WORDB);
	case 'B': return assertion(ps, A_NWORDB);
	case '<': return assertion(ps, A_WSTART);
	case '>': return assertion(ps, A_WEND);
	case '`': return assertion(ps, A_BOL);
	case '\'': return assertion(ps, A_EOL);
	default:
		if (c >= '1' && c <= '9')
			return fail(ps, "back-references (\\%c) are not supported", c);
		set_add(new_set(ps, &node), (unsigned char)c);
		return node;
	}
}

static int alternation(struct parser *ps);

static int atom(struct parser *ps)
{
	char c = *ps->p++;
	int node;
	switch (c) {
	case '(':
		if (*ps->p == ')') {
			ps->p++;
			return new_node(ps, N_EMPTY, 0, 0);
		}
		node = alternation(ps);
		if (*ps->p != ')')
			return fail(ps, "unmatched (");
		ps->p++;
		return node;
	case '*':
	case '+':
	case '?': return fail(ps, "'%c' with nothing to repeat", c);
	case '[': return bracket(ps);
	case '\\': return escape(ps);
	case '^': return assertion(ps, A_BOL);
	case '$': return assertion(ps, A_EOL);
	case '.': {
		unsigned char *set = new_set(ps, &node);
		memset(set, 0xff, 32);
		set[0] &= (unsigned char)~1u;
		return node;
	}
	default: set_add(new_set(ps, &node), (unsigned char)c); return node;
	}
}

static int count(struct parser *ps)
{
	int n = 0;
	if (*ps->p < '0' || *ps->p > '9')
		return -1;
	while (*ps->p >= '0' && *ps->p <= '9') {
		n = n * 10 + (*ps->p++ - '0');
		if (n > MAX_REPEAT)
			return fail(ps, "a repeat count over %d", MAX_REPEAT), -1;
	}
	return n;
}

/* {n}, {n,}, {n,m} after the '{'. */
static bool interval(struct parser *ps, int *min, int *max)
{
	*min = count(ps);
	*max = *min;
	if (*ps->p == ',') {
		ps->p++;
		*max = *ps->p == '}' ? -1 : count(ps);
		if (*max == -1 && *ps->p != '}')
			return false;
	}
	if (*min < 0 || *ps->p != '}' || (*max >= 0 && *max < *min))
		return false;
	ps->p++;
	return true;
}

static int piece(struct parser *ps)
{
	int node = atom(ps);
	for (;;) {
		int min, max;
		char c = *ps->p;
		if (c == '*' || c == '+' || c == '?') {
			ps->p++;
			min = c == '+';
			max = c == '?' ? 1 : -1;
		} else if (c == '{') {
			ps->p++;
			if (!interval(ps, &min, &max))
				return fail(ps, "invalid repeat count {...}");
		} else {
			return node;
		}
		node = new_node(ps, N_REP, node, 0);
		if (ps->failed)
			return 0;
		ps->nodes[node].min = min;
		ps->nodes[node].max = max;
	}
}

static int concatenation(struct parser *ps)
{
	int node = -1;
	while (!ps->failed && *ps->p && *ps->p != '|' && *ps->p != ')') {
		int next = piece(ps);
		node = node < 0 ? next : new_node(ps, N_CAT, node, next);
	}
	return node < 0 ? new_node(ps, N_EMPTY, 0, 0) : node;
}

static int alternation(struct parser *ps)
{
	int node = concatenation(ps);
	while (!ps->failed && *ps->p == '|') {
		ps->p++;
		node = new_node(ps, N_ALT, node, concatenation(ps));
	}
	return node;
}

/* ---- code generation ---- */

struct gen {
	const struct node *nodes;
	struct insn *insns;
	int n;
	bool full;
};

static int emit(struct gen *g, enum op op, int x, int y)
{
	if (g->n == JSB_PATTERN_MAX_INSNS) {
		g->full = true;
		return 0;
	}
	g->insns[g->n] = (struct insn){.op = (unsigned char)op, .x = x, .y = y};
	return g->n++;
}

static void generate(struct gen *g, int at)
{
	const struct node *nd = &g->nodes[at];
	int split, jump;
	if (g->full)
		return;
	switch (nd->kind) {
	case N_EMPTY: break;
	case N_SET: emit(g, OP_SET, nd->a, 0); break;
	case N_ASSERT: g->insns[emit(g, OP_ASSERT, 0, 0)].kind = (unsigned char)nd->min; break;
	case N_CAT:
		generate(g, nd->a);
		generate(g, nd->b);
		break;
	case N_ALT:
		split = emit(g, OP_SPLIT, g->n + 1, 0);
		generate(g, nd->a);
		jump = emit(g, OP_JMP, 0, 0);
		g->insns[split].y = g->n;
		generate(g, nd->b);
		g->insns[jump].x = g->n;
		break;
	case N_REP:
		for (int i = 0; i < nd->min && !g->full; i++)
			generate(g, nd->a);
		if (nd->max < 0) {
			split = emit(g, OP_SPLIT, g->n + 1, 0);
			generate(g, nd->a);
			emit(g, OP_JMP, split, 0);
			g->insns[split].y = g->n;
		}
		for (int i = nd->min; i < nd->max && !g->full; i++) {
			split = emit(g, OP_SPLIT, g->n + 1, 0);
			generate(g, nd->a);
			g->insns[split].y = g->n;
		}
		break;
	}
}

void jsb_pattern_free(struct jsb_pattern *re)
{
	if (!re)
		return;
	for (int i = 0; i < re->n_states; i++)
		free(re->states[i].pcs);
	free(re->states);
	free(re->mark);
	free(re->stack);
	free(re->list);
	free(re->insns);
	free(re->sets);
	free(re);
}

static struct jsb_pattern *assemble(struct parser *ps, int root, char *err, size_t errsize)
{
	struct jsb_pattern *re = calloc(1, sizeof *re);
	struct gen g = {.nodes = ps->nodes};
	g.insns = malloc(JSB_PATTERN_MAX_INSNS * sizeof *g.insns);
	if (re && g.insns) {
		generate(&g, root);
		emit(&g, OP_MATCH, 0, 0);
	}
	if (re) {
		re->insns = g.insns;
		re->n_insns = g.n;
		re->sets = ps->sets;
		re->n_sets = ps->n_sets;
		ps->sets = NULL;
		re->mark = calloc((size_t)g.n + 1, sizeof *re->mark);
		re->stack = malloc(((size_t)g.n * 2 + 2) * sizeof *re->stack);
		re->list = malloc(((size_t)g.n + 2) * sizeof *re->list);
		re->states = malloc(MAX_STATES * sizeof *re->states);
	}
	if (!re || !g.insns || g.full || !re->mark || !re->stack || !re->list || !re->states) {
		snprintf(err, errsize,
		         g.full ? "too large (over %d instructions)" : "out of memory",
		         JSB_PATTERN_MAX_INSNS);
		jsb_pattern_free(re);
		return NULL;
	}
	memset(re->buckets, -1, sizeof re->buckets);
	return re;
}

struct jsb_pattern *jsb_pattern_compile(const char *src, char *err, size_t errsize)
{
	size_t len = strlen(src);
	if (len > MAX_SOURCE) {
		snprintf(err, errsize, "longer than %d bytes", MAX_SOURCE);
		return NULL;
	}
	struct parser ps = {.p = src, .err = err, .errsize = errsize};
	ps.cap_nodes = (int)len * 3 + 4;
	ps.nodes = malloc((size_t)ps.cap_nodes * sizeof *ps.nodes);
	ps.sets = malloc((len + 1) * sizeof *ps.sets);
	if (!ps.nodes || !ps.sets)
		fail(&ps, "out of memory");
	int root = ps.failed ? 0 : alternation(&ps);
	if (!ps.failed && *ps.p == ')')
		fail(&ps, "unmatched )");
	struct jsb_pattern *re = ps.failed ? NULL : assemble(&ps, root, err, errsize);
	free(ps.nodes);
	free(ps.sets);
	return re;
}

/* ---- search ---- */

static bool prev_word(enum prev prev)
{
	return prev == AFTER_WORD;
}

/* next is the byte at the position, or -1 at the end of the piece. */
static bool holds(enum assertion kind, enum prev prev, int next)
{
	bool before = prev_word(prev), after = next >= 0 && is_word((unsigned)next);
	switch (kind) {
	case A_BOL: return prev == AT_START;
	case A_EOL: return next < 0;
	case A_WORDB: return before != after;
	case A_NWORDB: return before == after;
	case A_WSTART: return !before && after;
	case A_WEND: return before && !after;
	}
	return false;
}

/* The epsilon closure of pcs and the start (the search is unanchored):
 * the OP_SET instructions reached go to re->list; true when OP_MATCH is. */
static bool closure(struct jsb_pattern *re, const int *pcs, int n, enum prev prev, int next,
                    int *out)
{
	int top = 0, k = 0;
	bool matched = false;
	if (++re->gen == 0) {
		memset(re->mark, 0, (size_t)re->n_insns * sizeof *re->mark);
		re->gen = 1;
	}
	re->stack[top++] = 0;
	for (int i = n - 1; i >= 0; i--)
		re->stack[top++] = pcs[i];
	while (top) {
		int pc = re->stack[--top];
		if (re->mark[pc] == re->gen)
			continue;
		re->mark[pc] = re->gen;
		const struct insn *in = &re->insns[pc];
		switch (in->op) {
		case OP_SET: re->list[k++] = pc; break;
		case OP_MATCH: matched = true; break;
		case OP_JMP: re->stack[top++] = in->x; break;
		case OP_SPLIT:
			re->stack[top++] = in->y;
			re->stack[top++] = in->x;
			break;
		case OP_ASSERT:
			if (holds((enum assertion)in->kind, prev, next))
				re->stack[top++] = pc + 1;
			break;
		}
	}
	*out = k;
	return matched;
}

static unsigned hash_of(enum prev prev, const int *pcs, int n)
{
	unsigned h = 2166136261u ^ (unsigned)prev;
	for (int i = 0; i < n; i++)
		h = (h ^ (unsigned)pcs[i]) * 16777619u;
	return h;
}

static void flush(struct jsb_pattern *re)
{
	for (int i = 0; i < re->n_states; i++)
		free(re->states[i].pcs);
	re->n_states = 0;
	memset(re->buckets, -1, sizeof re->buckets);
}

/* The state (prev, pcs), made when new; -1 on out of memory.  *flushed
 * says the cache was emptied first (earlier indexes are gone). */
static int state(struct jsb_pattern *re, enum prev prev, const int *pcs, int n, bool *flushed)
{
	unsigned h = hash_of(prev, pcs, n);
	size_t b = h % (sizeof re->buckets / sizeof *re->buckets);
	for (int i = re->buckets[b]; i >= 0; i = re->states[i].chain) {
		const struct dstate *s = &re->states[i];
		if (s->hash == h && s->prev == prev && s->n == n &&
		    memcmp(s->pcs, pcs, (size_t)n * sizeof *pcs) == 0)
			return i;
	}
	if (re->n_states == MAX_STATES) {
		flush(re);
		*flushed = true;
	}
	struct dstate *s = &re->states[re->n_states];
	s->pcs = malloc(((size_t)n + 1) * sizeof *pcs);
	if (!s->pcs)
		return -1;
	memcpy(s->pcs, pcs, (size_t)n * sizeof *pcs);
	memset(s->next, 0xff, sizeof s->next); /* UNKNOWN */
	s->end = UNKNOWN;
	s->prev = prev;
	s->n = n;
	s->hash = h;
	s->chain = re->buckets[(h % (sizeof re->buckets / sizeof *re->buckets))];
	re->buckets[h % (sizeof re->buckets / sizeof *re->buckets)] = re->n_states;
	return re->n_states++;
}

/* The transition of state at on byte c: MATCHED, a state, or -1 (out of
 * memory).  O(instructions). */
static int step(struct jsb_pattern *re, int at, unsigned char c)
{
	int k, n = 0;
	struct dstate *s = &re->states[at];
	if (closure(re, s->pcs, s->n, s->prev, c, &k))
		return s->next[c] = MATCHED;
	int *next = re->stack; /* free again after the closure */
	if (++re->gen == 0) {
		memset(re->mark, 0, (size_t)re->n_insns * sizeof *re->mark);
		re->gen = 1;
	}
	for (int i = 0; i < k; i++)
		if (set_has(re->sets[re->insns[re->list[i]].x], c))
			re->mark[re->list[i] + 1] = re->gen;
	for (int pc = 0; pc < re->n_insns; pc++)
		if (re->mark[pc] == re->gen)
			next[n++] = pc;
	bool flushed = false;
	int to = state(re, is_word(c) ? AFTER_WORD : AFTER_OTHER, next, n, &flushed);
	if (!flushed && to >= 0)
		re->states[at].next[c] = to;
	return to;
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static enum jsb_search search_piece(struct jsb_pattern *re, const unsigned char *p, size_t n,
                                    uint64_t deadline_ns, unsigned *work)
{
	bool flushed = false;
	int at = state(re, AT_START, re->list, 0, &flushed);
	for (size_t i = 0; at >= 0 && i < n; i++) {
		int to = re->states[at].next[p[i]];
		if (to == UNKNOWN) {
			to = step(re, at, p[i]);
			if (deadline_ns && ++*work % CHECK_EVERY == 0 && now_ns() > deadline_ns)
				return JSB_SEARCH_LATE;
		}
		if (to == MATCHED)
			return JSB_SEARCH_YES;
		at = to;
	}
	if (at < 0)
		return JSB_SEARCH_YES; /* out of memory: fail closed */
	struct dstate *s = &re->states[at];
	int k;
	if (s->end == UNKNOWN)
		s->end = closure(re, s->pcs, s->n, s->prev, -1, &k) ? MATCHED : 0;
	return s->end == MATCHED ? JSB_SEARCH_YES : JSB_SEARCH_NO;
}

enum jsb_search jsb_pattern_search(struct jsb_pattern *re, const char *text, size_t len,
                                   uint64_t deadline_ns)
{
	unsigned work = 0;
	const char *p = text, *end = text + len;
	for (;;) {
		const char *nul = memchr(p, '\0', (size_t)(end - p));
		size_t n = nul ? (size_t)(nul - p) : (size_t)(end - p);
		enum jsb_search r =
		    search_piece(re, (const unsigned char *)p, n, deadline_ns, &work);
		if (r != JSB_SEARCH_NO || !nul)
			return r;
		p = nul + 1;
	}
}
