/* UTF-8 <-> CESU-8 conversion at the heap boundary, and positions. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "engine/lib/text.h"

static int to_cesu_is(const char *in, size_t len, const char *want, size_t want_len)
{
	char *buf = malloc(jsb_text_cesu_bound(len));
	size_t n = jsb_text_to_cesu(buf, in, len);
	int ok = n == want_len && memcmp(buf, want, n) == 0;
	free(buf);
	return ok;
}

static int to_utf8_is(const char *in, size_t len, enum jsb_lone lone, const char *want,
                      size_t want_len)
{
	char *buf = malloc(jsb_text_utf8_bound(len));
	size_t n = jsb_text_to_utf8(buf, in, len, lone);
	int ok = n == want_len && memcmp(buf, want, n) == 0;
	free(buf);
	return ok;
}

int main(void)
{
	/* U+1F600 GRINNING FACE: F0 9F 98 80 <-> D83D DE00 as CESU-8. */
	const char emoji[] = "\xF0\x9F\x98\x80";
	const char pair[] = "\xED\xA0\xBD\xED\xB8\x80";
	CHECK("ascii is clean", jsb_text_is_cesu_clean("hello", 5));
	CHECK("bmp is clean", jsb_text_is_cesu_clean("\xC3\xA9\xE2\x82\xAC", 5));
	CHECK("emoji is not clean", !jsb_text_is_cesu_clean(emoji, 4));
	CHECK("invalid byte is not clean", !jsb_text_is_cesu_clean("\xFF", 1));
	CHECK("emoji to surrogate pair", to_cesu_is(emoji, 4, pair, 6));
	CHECK("invalid byte to U+FFFD", to_cesu_is("a\xFFz", 3, "a\xEF\xBF\xBDz", 5));
	CHECK("truncated sequence to U+FFFD",
	      to_cesu_is("\xE2\x82", 2, "\xEF\xBF\xBD\xEF\xBF\xBD", 6));
	CHECK("overlong to U+FFFD", to_cesu_is("\xC0\xAF", 2, "\xEF\xBF\xBD\xEF\xBF\xBD", 6));
	CHECK("NUL survives", to_cesu_is("a\0b", 3, "a\0b", 3));
	CHECK("surrogate pair to emoji", to_utf8_is(pair, 6, JSB_LONE_ESCAPE, emoji, 4));
	CHECK("lone high escaped", to_utf8_is("\xED\xA0\x80", 3, JSB_LONE_ESCAPE, "\\ud800", 6));
	CHECK("lone low replaced",
	      to_utf8_is("\xED\xB0\x80", 3, JSB_LONE_REPLACE, "\xEF\xBF\xBD", 3));
	CHECK("reversed pair is two lones",
	      to_utf8_is("\xED\xB8\x80\xED\xA0\xBD", 6, JSB_LONE_ESCAPE, "\\ude00\\ud83d", 12));
	CHECK("utf8 clean without ED", jsb_text_is_utf8_clean("abc\xE2\x82\xAC", 6));
	CHECK("utf8 not clean with pair", !jsb_text_is_utf8_clean(pair, 6));
	CHECK("round trip", to_utf8_is(pair, 6, JSB_LONE_REPLACE, emoji, 4));
	CHECK("bound overflow", jsb_text_cesu_bound(SIZE_MAX) == SIZE_MAX);
	unsigned long line, col;
	jsb_text_position("ab\ncd\xC3\xA9x", 8, 7, &line, &col);
	CHECK("position line", line == 2);
	CHECK("position column counts characters", col == 4);
	jsb_text_position("abc", 3, 99, &line, &col);
	CHECK("position clamps", line == 1 && col == 4);
	CHECK("whole keeps whole characters", jsb_text_whole("a\xC3\xA9\xE2\x82\xAC", 6) == 6);
	CHECK("whole drops a cut 2-byte", jsb_text_whole("a\xC3", 2) == 1);
	CHECK("whole drops a cut 3-byte", jsb_text_whole("a\xE2\x82", 3) == 1);
	CHECK("whole drops a cut 4-byte", jsb_text_whole("a\xF0\x9F\x98", 4) == 1);
	CHECK("whole drops a high surrogate without its low", jsb_text_whole(pair, 3) == 0);
	CHECK("whole drops a cut low surrogate", jsb_text_whole(pair, 5) == 0);
	CHECK("whole keeps a pair", jsb_text_whole(pair, 6) == 6);
	char cut[8];
	CHECK("cut fits", jsb_text_to_utf8_cut(cut, sizeof cut, "abc", 3, JSB_LONE_REPLACE) == 3 &&
	                      strcmp(cut, "abc") == 0);
	CHECK("cut between characters",
	      jsb_text_to_utf8_cut(cut, 5, "ab\xE2\x82\xAC", 5, JSB_LONE_REPLACE) == 2 &&
	          strcmp(cut, "ab") == 0);
	CHECK("cut never splits a pair", jsb_text_to_utf8_cut(cut, 8, "abc\xED\xA0\xBD\xED\xB8\x80",
	                                                      9, JSB_LONE_REPLACE) == 3 &&
	                                     strcmp(cut, "abc") == 0);
	CHECK_DONE();
}
