/* Readable rendering of values, for console and the REPL.  Builds CESU-8
 * text in a budgeted buffer; the caller converts it to UTF-8 on output.
 * Keeps a stack of the objects being rendered to show cycles. */
#include <stdio.h>
#include <string.h>

#include "engine/confined/inspect.h"

#define MAX_ITEMS       100
#define MAX_STRING      10000
#define LINE_WIDTH      72
#define MAX_DEPTH_STACK 64

enum color { C_NONE, C_NUMBER, C_STRING, C_NULL, C_UNDEF, C_SPECIAL, C_DATE, C_REGEXP };

static const char *const color_on[] = {"",         "\x1b[33m", "\x1b[32m", "\x1b[1m",
                                       "\x1b[90m", "\x1b[36m", "\x1b[35m", "\x1b[31m"};

struct state {
	duk_context *ctx;
	const struct jsb_inspect_opts *opts;
	void *seen[MAX_DEPTH_STACK];
	int nseen;
};

void jsb_strbuf_add(struct jsb_strbuf *b, const char *s, size_t len)
{
	if (b->failed || len == 0)
		return;
	if (len > b->cap - b->len) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap - b->len < len) {
			if (cap > SIZE_MAX / 2) {
				b->failed = true;
				return;
			}
			cap *= 2;
		}
		char *p = jsb_heap_realloc(b->heap, b->data, cap);
		if (!p) {
			b->failed = true;
			return;
		}
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, len);
	b->len += len;
}

void jsb_strbuf_free(struct jsb_strbuf *b)
{
	jsb_heap_free(b->heap, b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

static void add(struct jsb_strbuf *b, const char *s)
{
	jsb_strbuf_add(b, s, strlen(s));
}

static void colored(struct state *st, struct jsb_strbuf *b, enum color c, const char *s, size_t len)
{
	if (st->opts->color && c != C_NONE)
		add(b, color_on[c]);
	jsb_strbuf_add(b, s, len);
	if (st->opts->color && c != C_NONE)
		add(b, "\x1b[0m");
}

/* 'text' with node's escapes; long strings are cut with a note. */
static void quoted(struct state *st, struct jsb_strbuf *b, const char *s, size_t len)
{
	struct jsb_strbuf q = {.heap = b->heap};
	size_t shown = len > MAX_STRING ? MAX_STRING : len;
	add(&q, "'");
	for (size_t i = 0; i < shown; i++) {
		char esc[8];
		unsigned char c = (unsigned char)s[i];
		if (c == '\'' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			jsb_strbuf_add(&q, esc, 2);
		} else if (c == '\n') {
			add(&q, "\\n");
		} else if (c == '\t') {
			add(&q, "\\t");
		} else if (c < 0x20 || c == 0x7f) {
			snprintf(esc, sizeof esc, "\\x%02X", c);
			add(&q, esc);
		} else {
			jsb_strbuf_add(&q, (const char *)&s[i], 1);
		}
	}
	add(&q, "'");
	if (shown < len) {
		char more[64];
		snprintf(more, sizeof more, "... %zu more bytes", len - shown);
		add(&q, more);
	}
	if (q.failed)
		b->failed = true;
	colored(st, b, C_STRING, q.data, q.len);
	jsb_strbuf_free(&q);
}

static bool is_identifier(const char *s, size_t len)
{
	if (len == 0 || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (!(c == '_' || c == '$' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9')))
			return false;
	}
	return true;
}

static void render(struct state *st, duk_idx_t idx, struct jsb_strbuf *b, int depth, bool top);

/* Visible width of rendered text, skipping ANSI color sequences. */
static size_t width(const char *s, size_t len)
{
	size_t w = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\x1b') {
			while (i < len && s[i] != 'm')
				i++;
			continue;
		}
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			w++;
	}
	return w;
}

/* Joins rendered entries as "{ a, b }" or, when too wide, one per line. */
static void join(struct state *st, struct jsb_strbuf *b, const char *open, const char *close,
                 struct jsb_strbuf *items, size_t n, int depth)
{
	size_t total = strlen(open) + strlen(close);
	bool multiline = false;
	for (size_t i = 0; i < n; i++) {
		total += width(items[i].data, items[i].len) + 2;
		if (memchr(items[i].data, '\n', items[i].len))
			multiline = true;
	}
	if (total > LINE_WIDTH)
		multiline = true;
	add(b, open);
	for (size_t i = 0; i < n; i++) {
		add(b, i ? "," : "");
		if (multiline) {
			add(b, "\n");
			for (int k = 0; k <= depth; k++)
				add(b, "  ");
		} else {
			add(b, " ");
		}
		jsb_strbuf_add(b, items[i].data, items[i].len);
	}
	if (multiline) {
		add(b, "\n");
		for (int k = 0; k < depth; k++)
			add(b, "  ");
	} else {
		add(b, " ");
	}
	add(b, close);
	(void)st;
}

/* Renders own enumerable properties (and array elements) of the object at idx. */
static void render_object(struct state *st, duk_idx_t idx, struct jsb_strbuf *b, int depth,
                          const char *prefix, bool array)
{
	duk_context *ctx = st->ctx;
	struct jsb_strbuf items[MAX_ITEMS + 1];
	size_t n = 0, total = 0;

	duk_enum(ctx, idx, DUK_ENUM_OWN_PROPERTIES_ONLY);
	while (duk_next(ctx, -1, 0)) {
		/* [ ... enum key ] */
		total++;
		if (n == MAX_ITEMS) {
			duk_pop(ctx);
			continue;
		}
		struct jsb_strbuf *it = &items[n++];
		*it = (struct jsb_strbuf){.heap = b->heap};
		duk_size_t klen;
		const char *key = duk_get_lstring(ctx, -1, &klen);
		bool index =
		    array && duk_is_array(ctx, idx) && klen && key[0] >= '0' && key[0] <= '9';
		if (!index) {
			if (is_identifier(key, klen))
				jsb_strbuf_add(it, key, klen);
			else
				quoted(st, it, key, klen);
			add(it, ": ");
		}
		duk_get_prop_desc(ctx, idx, 0);
		/* [ ... enum desc ] */
		bool getter = duk_has_prop_string(ctx, -1, "get");
		bool setter = duk_has_prop_string(ctx, -1, "set");
		if (getter || setter) {
			const char *what = getter && setter ? "[Getter/Setter]"
			                   : getter         ? "[Getter]"
			                                    : "[Setter]";
			colored(st, it, C_SPECIAL, what, strlen(what));
		} else {
			duk_get_prop_string(ctx, -1, "value");
			render(st, -1, it, depth + 1, false);
			duk_pop(ctx);
		}
		duk_pop(ctx);
	}
	duk_pop(ctx);
	if (total > MAX_ITEMS) {
		char more[48];
		items[n] = (struct jsb_strbuf){.heap = b->heap};
		snprintf(more, sizeof more, "... %zu more item%s", total - MAX_ITEMS,
		         total - MAX_ITEMS == 1 ? "" : "s");
		add(&items[n++], more);
	}
	add(b, prefix);
	if (n == 0)
		add(b, array ? "[]" : "{}");
	else
		join(st, b, array ? "[" : "{", array ? "]" : "}", items, n, depth);
	for (size_t i = 0; i < n; i++) {
		if (items[i].failed)
			b->failed = true;
		jsb_strbuf_free(&items[i]);
	}
}

static void render_function(struct state *st, duk_idx_t idx, struct jsb_strbuf *b)
{
	char text[160];
	duk_get_prop_string(st->ctx, idx, "name");
	const char *name = duk_is_string(st->ctx, -1) ? duk_get_string(st->ctx, -1) : "";
	if (name[0])
		snprintf(text, sizeof text, "[Function: %.120s]", name);
	else
		snprintf(text, sizeof text, "[Function (anonymous)]");
	duk_pop(st->ctx);
	colored(st, b, C_SPECIAL, text, strlen(text));
}

/* Calls method `name` of the value at idx with no arguments and appends the
 * string it returns, colored. */
static void render_via(struct state *st, duk_idx_t idx, struct jsb_strbuf *b, const char *name,
                       enum color c)
{
	duk_context *ctx = st->ctx;
	duk_dup(ctx, idx);
	duk_push_string(ctx, name);
	if (duk_pcall_prop(ctx, -2, 0) == DUK_EXEC_SUCCESS && duk_is_string(ctx, -1)) {
		duk_size_t len;
		const char *s = duk_get_lstring(ctx, -1, &len);
		colored(st, b, c, s, len);
	} else {
		colored(st, b, c, "[Invalid]", 9);
	}
	duk_pop_2(ctx);
}

/* Symbol(description), from Duktape's form of a symbol: a 0x80 byte and
 * the key (Symbol.for), or 0x81, the description, 0xFF and a suffix. */
static void render_symbol(struct state *st, duk_idx_t idx, struct jsb_strbuf *b)
{
	duk_size_t len;
	const char *s = duk_get_lstring(st->ctx, idx, &len);
	const char *end = len > 1 ? memchr(s + 1, 0xff, len - 1) : NULL;
	size_t n = len > 1 ? (size_t)((end ? end : s + len) - s - 1) : 0;
	char text[160];
	snprintf(text, sizeof text, "Symbol(%.*s)", (int)(n < 120 ? n : 120), s + 1);
	colored(st, b, C_SPECIAL, text, strlen(text));
}

static bool seen(struct state *st, void *p)
{
	for (int i = 0; i < st->nseen; i++)
		if (st->seen[i] == p)
			return true;
	return false;
}

static void render_error(struct state *st, duk_idx_t idx, struct jsb_strbuf *b)
{
	duk_context *ctx = st->ctx;
	duk_get_prop_string(ctx, idx, "stack");
	if (!duk_is_string(ctx, -1)) {
		duk_pop(ctx);
		duk_dup(ctx, idx);
		duk_safe_to_string(ctx, -1);
	}
	duk_size_t len;
	const char *s = duk_get_lstring(ctx, -1, &len);
	jsb_strbuf_add(b, s, len);
	duk_pop(ctx);
}

/* Whether the value at idx is an instance of the global constructor name
 * (which the polyfills may not have installed). */
static bool instance_of(duk_context *ctx, duk_idx_t idx, const char *name)
{
	duk_get_global_string(ctx, name);
	bool yes = duk_is_function(ctx, -1) && duk_instanceof(ctx, idx, -1);
	duk_pop(ctx);
	return yes;
}

/* [ ... entries ] -> [ ... ]: a Map's or Set's entries (from Array.from)
 * as node shows them, "Map(2) { 'a' => 1, ... }". */
static void render_entries(struct state *st, struct jsb_strbuf *b, int depth, bool map)
{
	duk_context *ctx = st->ctx;
	struct jsb_strbuf items[MAX_ITEMS + 1];
	size_t total = duk_get_length(ctx, -1), n = total < MAX_ITEMS ? total : MAX_ITEMS;
	for (size_t i = 0; i < n; i++) {
		items[i] = (struct jsb_strbuf){.heap = b->heap};
		duk_get_prop_index(ctx, -1, (duk_uarridx_t)i);
		if (map) {
			/* [ ... entries [key, value] ] */
			duk_get_prop_index(ctx, -1, 0);
			render(st, -1, &items[i], depth + 1, false);
			add(&items[i], " => ");
			duk_get_prop_index(ctx, -2, 1);
			render(st, -1, &items[i], depth + 1, false);
			duk_pop_2(ctx);
		} else {
			render(st, -1, &items[i], depth + 1, false);
		}
		duk_pop(ctx);
	}
	if (total > n) {
		char more[48];
		items[n] = (struct jsb_strbuf){.heap = b->heap};
		snprintf(more, sizeof more, "... %zu more item%s", total - n,
		         total - n == 1 ? "" : "s");
		add(&items[n++], more);
	}
	char prefix[48];
	snprintf(prefix, sizeof prefix, "%s(%zu) ", map ? "Map" : "Set", total);
	add(b, prefix);
	if (n == 0)
		add(b, "{}");
	else
		join(st, b, "{", "}", items, n, depth);
	for (size_t i = 0; i < n; i++) {
		if (items[i].failed)
			b->failed = true;
		jsb_strbuf_free(&items[i]);
	}
	duk_pop(ctx);
}

/* A Map or Set: its entries, listed through Array.from.  False for other
 * values, or when listing them fails. */
static bool render_collection(struct state *st, duk_idx_t idx, struct jsb_strbuf *b, int depth)
{
	duk_context *ctx = st->ctx;
	bool map = instance_of(ctx, idx, "Map");
	if (!map && !instance_of(ctx, idx, "Set"))
		return false;
	if (depth > st->opts->depth || st->nseen == MAX_DEPTH_STACK) {
		colored(st, b, C_SPECIAL, map ? "[Map]" : "[Set]", 5);
		return true;
	}
	duk_get_global_string(ctx, "Array");
	duk_push_string(ctx, "from");
	duk_dup(ctx, idx);
	if (duk_pcall_prop(ctx, -3, 1) != DUK_EXEC_SUCCESS || !duk_is_array(ctx, -1)) {
		duk_pop_2(ctx);
		return false;
	}
	duk_remove(ctx, -2);
	st->seen[st->nseen++] = duk_get_heapptr(ctx, idx);
	render_entries(st, b, depth, map);
	st->nseen--;
	return true;
}

static void render_objectlike(struct state *st, duk_idx_t idx, struct jsb_strbuf *b, int depth)
{
	duk_context *ctx = st->ctx;
	void *p = duk_get_heapptr(ctx, idx);
	if (seen(st, p)) {
		colored(st, b, C_SPECIAL, "[Circular]", 10);
		return;
	}
	if (duk_is_function(ctx, idx)) {
		render_function(st, idx, b);
		return;
	}
	if (duk_is_error(ctx, idx)) {
		render_error(st, idx, b);
		return;
	}
	if (duk_is_buffer_data(ctx, idx) && !duk_is_array(ctx, idx)) {
		duk_size_t size = 0;
		duk_get_buffer_data(ctx, idx, &size);
		char prefix[64];
		duk_get_prop_string(ctx, idx, "constructor");
		duk_get_prop_string(ctx, -1, "name");
		snprintf(prefix, sizeof prefix, "%.32s(%lu) ",
		         duk_is_string(ctx, -1) ? duk_get_string(ctx, -1) : "Buffer",
		         (unsigned long)size);
		duk_pop_2(ctx);
		if (depth > st->opts->depth || st->nseen == MAX_DEPTH_STACK) {
			add(b, "[");
			add(b, prefix);
			b->len--; /* drop the space */
			add(b, "]");
			return;
		}
		st->seen[st->nseen++] = p;
		render_object(st, idx, b, depth, prefix, true);
		st->nseen--;
		return;
	}
	duk_get_global_string(ctx, "Date");
	bool date = duk_instanceof(ctx, idx, -1);
	duk_pop(ctx);
	if (date) {
		render_via(st, idx, b, "toISOString", C_DATE);
		return;
	}
	duk_get_global_string(ctx, "RegExp");
	bool regexp = duk_instanceof(ctx, idx, -1);
	duk_pop(ctx);
	if (regexp) {
		render_via(st, idx, b, "toString", C_REGEXP);
		return;
	}
	if (render_collection(st, idx, b, depth))
		return;
	bool array = duk_is_array(ctx, idx);
	if (depth > st->opts->depth || st->nseen == MAX_DEPTH_STACK) {
		colored(st, b, C_SPECIAL, array ? "[Array]" : "[Object]", array ? 7 : 8);
		return;
	}
	char prefix[80] = "";
	if (!array) {
		duk_get_prototype(ctx, idx);
		if (!duk_is_object(ctx, -1)) {
			snprintf(prefix, sizeof prefix, "[Object: null prototype] ");
		} else {
			duk_get_prop_string(ctx, -1, "constructor");
			if (duk_is_function(ctx, -1)) {
				duk_get_prop_string(ctx, -1, "name");
				const char *name =
				    duk_is_string(ctx, -1) ? duk_get_string(ctx, -1) : "";
				if (name[0] && strcmp(name, "Object") != 0)
					snprintf(prefix, sizeof prefix, "%.64s ", name);
				duk_pop(ctx);
			}
			duk_pop(ctx);
		}
		duk_pop(ctx);
	}
	st->seen[st->nseen++] = p;
	render_object(st, idx, b, depth, prefix, array);
	st->nseen--;
}

static void render(struct state *st, duk_idx_t idx, struct jsb_strbuf *b, int depth, bool top)
{
	duk_context *ctx = st->ctx;
	duk_size_t len;
	const char *s;
	idx = duk_normalize_index(ctx, idx);
	switch (duk_get_type(ctx, idx)) {
	case DUK_TYPE_UNDEFINED: colored(st, b, C_UNDEF, "undefined", 9); break;
	case DUK_TYPE_NULL: colored(st, b, C_NULL, "null", 4); break;
	case DUK_TYPE_BOOLEAN:
		s = duk_get_boolean(ctx, idx) ? "true" : "false";
		colored(st, b, C_NUMBER, s, strlen(s));
		break;
	case DUK_TYPE_NUMBER: {
		double d = duk_get_number(ctx, idx);
		if (d == 0 && 1 / d < 0) {
			colored(st, b, C_NUMBER, "-0", 2);
			break;
		}
		duk_dup(ctx, idx);
		s = duk_to_lstring(ctx, -1, &len);
		colored(st, b, C_NUMBER, s, len);
		duk_pop(ctx);
		break;
	}
	case DUK_TYPE_STRING:
		if (duk_is_symbol(ctx, idx)) {
			render_symbol(st, idx, b);
			break;
		}
		s = duk_get_lstring(ctx, idx, &len);
		if (top && st->opts->top_raw)
			jsb_strbuf_add(b, s, len);
		else
			quoted(st, b, s, len);
		break;
	case DUK_TYPE_OBJECT: render_objectlike(st, idx, b, depth); break;
	case DUK_TYPE_BUFFER:
	case DUK_TYPE_POINTER:
	case DUK_TYPE_LIGHTFUNC:
	default:
		duk_dup(ctx, idx);
		s = duk_safe_to_lstring(ctx, -1, &len);
		colored(st, b, C_SPECIAL, s, len);
		duk_pop(ctx);
		break;
	}
}

void jsb_inspect(duk_context *ctx, duk_idx_t idx, struct jsb_strbuf *b,
                 const struct jsb_inspect_opts *opts)
{
	struct state st = {.ctx = ctx, .opts = opts};
	render(&st, idx, b, 0, true);
}
