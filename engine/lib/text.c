/* UTF-8 <-> CESU-8 at the heap boundary, and byte offsets -> line:column.
 * Owns no state; must not know about Duktape. */
#include <stdint.h>
#include <string.h>

#include "engine/lib/text.h"

static const char replacement[3] = {(char)0xEF, (char)0xBF, (char)0xBD};

static size_t put3(char *dst, unsigned cp)
{
	dst[0] = (char)(0xE0 | (cp >> 12));
	dst[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
	dst[2] = (char)(0x80 | (cp & 0x3F));
	return 3;
}

static size_t seq_len(const unsigned char *s, size_t left, unsigned *cp)
{
	unsigned c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF && left >= 2 && (s[1] & 0xC0) == 0x80) {
		*cp = ((c & 0x1F) << 6) | (s[1] & 0x3F);
		return 2;
	}
	if (c >= 0xE0 && c <= 0xEF && left >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
		*cp = ((c & 0x0F) << 12) | ((unsigned)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
		return *cp >= 0x800 ? 3 : 0;
	}
	if (c >= 0xF0 && c <= 0xF4 && left >= 4 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 &&
	    (s[3] & 0xC0) == 0x80) {
		*cp = ((c & 0x07) << 18) | ((unsigned)(s[1] & 0x3F) << 12) |
		      ((unsigned)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
		return *cp >= 0x10000 && *cp <= 0x10FFFF ? 4 : 0;
	}
	return 0;
}

size_t jsb_text_char(const char *s, size_t left, unsigned *cp)
{
	return seq_len((const unsigned char *)s, left, cp);
}

size_t jsb_text_cesu_bound(size_t len)
{
	/* An invalid byte becomes the 3-byte U+FFFD; a 4-byte sequence 6 bytes. */
	return len > (SIZE_MAX - 1) / 3 ? SIZE_MAX : 3 * len + 1;
}

bool jsb_text_is_cesu_clean(const char *src, size_t len)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t i = 0;
	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		unsigned cp;
		size_t n = seq_len(s + i, len - i, &cp);
		if (n == 0 || n == 4)
			return false;
		i += n;
	}
	return true;
}

size_t jsb_text_to_cesu(char *dst, const char *src, size_t len)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t i = 0, o = 0;
	while (i < len) {
		unsigned cp;
		size_t n = seq_len(s + i, len - i, &cp);
		if (n == 0) {
			memcpy(dst + o, replacement, 3);
			o += 3;
			i++;
		} else if (n == 4) {
			cp -= 0x10000;
			o += put3(dst + o, 0xD800 | (cp >> 10));
			o += put3(dst + o, 0xDC00 | (cp & 0x3FF));
			i += 4;
		} else {
			memcpy(dst + o, s + i, n);
			o += n;
			i += n;
		}
	}
	return o;
}

static bool is_high(const unsigned char *s, size_t left)
{
	return left >= 3 && s[0] == 0xED && s[1] >= 0xA0 && s[1] <= 0xAF && (s[2] & 0xC0) == 0x80;
}

static bool is_low(const unsigned char *s, size_t left)
{
	return left >= 3 && s[0] == 0xED && s[1] >= 0xB0 && s[1] <= 0xBF && (s[2] & 0xC0) == 0x80;
}

size_t jsb_text_utf8_bound(size_t len)
{
	/* A lone surrogate (3 bytes) becomes a 6-byte escape. */
	return len > (SIZE_MAX - 1) / 2 ? SIZE_MAX : 2 * len + 1;
}

bool jsb_text_is_utf8_clean(const char *src, size_t len)
{
	return memchr(src, 0xED, len) == NULL;
}

static size_t put_lone(char *dst, unsigned cp, enum jsb_lone lone)
{
	static const char hex[] = "0123456789abcdef";
	if (lone == JSB_LONE_REPLACE) {
		memcpy(dst, replacement, 3);
		return 3;
	}
	dst[0] = '\\';
	dst[1] = 'u';
	for (int k = 0; k < 4; k++)
		dst[2 + k] = hex[(cp >> (12 - 4 * k)) & 0xF];
	return 6;
}

size_t jsb_text_to_utf8(char *dst, const char *src, size_t len, enum jsb_lone lone)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t i = 0, o = 0;
	while (i < len) {
		if (s[i] != 0xED) {
			dst[o++] = (char)s[i++];
			continue;
		}
		if (is_high(s + i, len - i) && is_low(s + i + 3, len - i - 3)) {
			unsigned hi = ((s[i + 1] & 0x0F) << 6) | (s[i + 2] & 0x3F);
			unsigned lo = ((s[i + 4] & 0x0F) << 6) | (s[i + 5] & 0x3F);
			unsigned cp = 0x10000 + (hi << 10) + lo;
			dst[o++] = (char)(0xF0 | (cp >> 18));
			dst[o++] = (char)(0x80 | ((cp >> 12) & 0x3F));
			dst[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
			dst[o++] = (char)(0x80 | (cp & 0x3F));
			i += 6;
		} else if (is_high(s + i, len - i) || is_low(s + i, len - i)) {
			unsigned cp = 0xD000 | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
			o += put_lone(dst + o, cp, lone);
			i += 3;
		} else {
			dst[o++] = (char)s[i++];
		}
	}
	return o;
}

size_t jsb_text_whole(const char *src, size_t len)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t lead = len;
	while (lead > 0 && len - lead < 3 && (s[lead - 1] & 0xC0) == 0x80)
		lead--;
	if (lead > 0 && s[lead - 1] >= 0xC0) {
		unsigned c = s[lead - 1];
		size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
		if (len - (lead - 1) < need)
			len = lead - 1;
	}
	if (len >= 3 && is_high(s + len - 3, 3))
		len -= 3;
	return len;
}

size_t jsb_text_to_utf8_cut(char *dst, size_t size, const char *src, size_t len, enum jsb_lone lone)
{
	if (size == 0)
		return 0;
	/* Replaced, nothing grows; escaped, a lone surrogate doubles. */
	size_t room = lone == JSB_LONE_REPLACE ? size - 1 : (size - 1) / 2;
	if (len > room)
		len = jsb_text_whole(src, room);
	size_t n = jsb_text_to_utf8(dst, src, len, lone);
	dst[n] = '\0';
	return n;
}

void jsb_text_position(const char *src, size_t len, size_t off, unsigned long *line,
                       unsigned long *col)
{
	unsigned long l = 1, c = 1;
	if (off > len)
		off = len;
	for (size_t i = 0; i < off; i++) {
		unsigned char b = (unsigned char)src[i];
		if (b == '\n') {
			l++;
			c = 1;
		} else if ((b & 0xC0) != 0x80) {
			c++; /* count characters, not continuation bytes */
		}
	}
	*line = l;
	*col = c;
}
