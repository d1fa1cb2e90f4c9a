/* A JSON checker that keeps text as it is: validates one value without
 * building it (no recursion, so nesting is bounded only by memory), and
 * finds an object's members as spans of the text. */
#include <stdlib.h>
#include <string.h>

#include "engine/lib/jspan.h"

struct scan {
	const char *s;
	size_t len, at;
};

static void skip_space(struct scan *c)
{
	while (c->at < c->len && (c->s[c->at] == ' ' || c->s[c->at] == '\t'))
		c->at++;
}

static bool hex4(struct scan *c)
{
	for (int i = 0; i < 4; i++, c->at++) {
		char h = c->at < c->len ? c->s[c->at] : 0;
		if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F')))
			return false;
	}
	return true;
}

/* One UTF-8 sequence at c->at (not ASCII): well formed, shortest form,
 * no surrogates. */
static bool utf8_char(struct scan *c)
{
	const unsigned char *p = (const unsigned char *)c->s + c->at;
	size_t left = c->len - c->at;
	unsigned char b = p[0];
	size_t n = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b <= 0xdf ? 2 : 0;
	if (n == 0 || left < n)
		return false;
	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return false;
	if ((b == 0xe0 && p[1] < 0xa0) || (b == 0xed && p[1] >= 0xa0) ||
	    (b == 0xf0 && p[1] < 0x90) || (b == 0xf4 && p[1] >= 0x90))
		return false;
	c->at += n;
	return true;
}

bool jsb_jspan_utf8(const char *s, size_t len)
{
	struct scan c = {s, len, 0};
	while (c.at < len) {
		if ((unsigned char)s[c.at] < 0x80)
			c.at++;
		else if (!utf8_char(&c))
			return false;
	}
	return true;
}

static bool string(struct scan *c)
{
	c->at++; /* the opening quote */
	while (c->at < c->len) {
		unsigned char ch = (unsigned char)c->s[c->at];
		if (ch == '"') {
			c->at++;
			return true;
		}
		if (ch < 0x20)
			return false;
		if (ch == '\\') {
			char e = c->at + 1 < c->len ? c->s[c->at + 1] : 0;
			c->at += 2;
			if (e == 'u') {
				if (!hex4(c))
					return false;
			} else if (!e || !strchr("\"\\/bfnrt", e)) {
				return false;
			}
		} else if (ch >= 0x80) {
			if (!utf8_char(c))
				return false;
		} else {
			c->at++;
		}
	}
	return false;
}

static bool digits(struct scan *c)
{
	size_t from = c->at;
	while (c->at < c->len && c->s[c->at] >= '0' && c->s[c->at] <= '9')
		c->at++;
	return c->at > from;
}

static bool number(struct scan *c)
{
	if (c->s[c->at] == '-')
		c->at++;
	if (c->at < c->len && c->s[c->at] == '0')
		c->at++;
	else if (!digits(c))
		return false;
	if (c->at < c->len && c->s[c->at] == '.') {
		c->at++;
		if (!digits(c))
			return false;
	}
	if (c->at < c->len && (c->s[c->at] == 'e' || c->s[c->at] == 'E')) {
		c->at++;
		if (c->at < c->len && (c->s[c->at] == '+' || c->s[c->at] == '-'))
			c->at++;
		if (!digits(c))
			return false;
	}
	return true;
}

static bool word(struct scan *c, const char *w)
{
	size_t n = strlen(w);
	if (c->len - c->at < n || memcmp(c->s + c->at, w, n) != 0)
		return false;
	c->at += n;
	return true;
}

/* A scalar, or the opening of a container (pushed on stack). */
static bool value_start(struct scan *c, char *stack, size_t *depth, bool *opened)
{
	*opened = false;
	if (c->at >= c->len)
		return false;
	char ch = c->s[c->at];
	if (ch == '{' || ch == '[') {
		stack[(*depth)++] = ch;
		c->at++;
		*opened = true;
		return true;
	}
	if (ch == '"')
		return string(c);
	if (ch == '-' || (ch >= '0' && ch <= '9'))
		return number(c);
	return word(c, "true") || word(c, "false") || word(c, "null");
}

bool jsb_jspan_valid(const char *s, size_t len)
{
	struct scan c = {s, len, 0};
	/* Each open container takes one byte of the text, so len bounds it. */
	char *stack = malloc(len + 1);
	size_t depth = 0;
	bool ok = false, opened;
	if (!stack)
		return false;
	skip_space(&c);
	if (!value_start(&c, stack, &depth, &opened))
		goto done;
	bool fresh = opened; /* just after '{' or '[' */
	while (depth) {
		char top = stack[depth - 1];
		skip_space(&c);
		if (c.at >= len)
			goto done;
		char ch = s[c.at];
		if ((top == '{' && ch == '}') || (top == '[' && ch == ']')) {
			c.at++;
			depth--;
			fresh = false;
			continue;
		}
		if (!fresh) {
			if (ch != ',')
				goto done;
			c.at++;
			skip_space(&c);
		}
		if (top == '{') {
			if (c.at >= len || s[c.at] != '"' || !string(&c))
				goto done;
			skip_space(&c);
			if (c.at >= len || s[c.at] != ':')
				goto done;
			c.at++;
			skip_space(&c);
		}
		if (!value_start(&c, stack, &depth, &opened))
			goto done;
		fresh = opened;
	}
	skip_space(&c);
	ok = c.at == len;
done:
	free(stack);
	return ok;
}

/* The end of the value starting at c->at (already known valid). */
static size_t value_end(const struct scan *v)
{
	struct scan c = *v;
	size_t depth = 0;
	do {
		char ch = c.s[c.at];
		if (ch == '"') {
			string(&c);
		} else if (ch == '{' || ch == '[') {
			depth++;
			c.at++;
		} else if (ch == '}' || ch == ']') {
			depth--;
			c.at++;
		} else if (depth) {
			c.at++;
		} else {
			/* a scalar at the top: up to the next delimiter */
			while (c.at < c.len && !strchr(",}] \t", c.s[c.at]))
				c.at++;
		}
	} while (depth && c.at < c.len);
	return c.at;
}

bool jsb_jspan_members(const char *s, size_t len, struct jsb_jspan *m, size_t max, size_t *count)
{
	*count = 0;
	if (!jsb_jspan_valid(s, len))
		return false;
	struct scan c = {s, len, 0};
	size_t n = 0;
	skip_space(&c);
	if (s[c.at] != '{')
		return false;
	c.at++;
	for (;;) {
		skip_space(&c);
		if (s[c.at] == '}')
			break;
		if (s[c.at] == ',') {
			c.at++;
			skip_space(&c);
		}
		size_t key = c.at;
		string(&c);
		struct jsb_jspan sp = {s + key + 1, c.at - key - 2, NULL, 0};
		skip_space(&c);
		c.at++; /* ':' */
		skip_space(&c);
		size_t end = value_end(&c);
		sp.value = s + c.at;
		sp.value_len = end - c.at;
		c.at = end;
		if (n < max)
			m[n++] = sp;
	}
	*count = n;
	return true;
}

const struct jsb_jspan *jsb_jspan_find(const struct jsb_jspan *m, size_t n, const char *key)
{
	size_t klen = strlen(key);
	for (size_t i = 0; i < n; i++)
		if (m[i].key_len == klen && memcmp(m[i].key, key, klen) == 0)
			return &m[i];
	return NULL;
}
