/* The JSON checker that passes a worker's text on unchanged: what it
 * accepts, what it refuses, and the members it finds. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "engine/lib/jspan.h"

static int valid(const char *s)
{
	return jsb_jspan_valid(s, strlen(s));
}

static int member_is(const char *obj, const char *key, const char *want)
{
	struct jsb_jspan m[8];
	size_t n;
	if (!jsb_jspan_members(obj, strlen(obj), m, 8, &n))
		return 0;
	const struct jsb_jspan *sp = jsb_jspan_find(m, n, key);
	return sp && sp->value_len == strlen(want) && memcmp(sp->value, want, sp->value_len) == 0;
}

int main(void)
{
	CHECK("scalars",
	      valid("1") && valid("-0.5e+3") && valid("true") && valid("null") && valid("\"a\""));
	CHECK("containers",
	      valid("{}") && valid("[]") && valid("{\"a\":[1,{\"b\":null}],\"c\":\"\"}"));
	CHECK("spaces and tabs", valid(" { \"a\" :\t1 , \"b\": [ ] } "));
	CHECK("lone surrogate escape", valid("\"\\ud800x\""));
	CHECK("utf-8", valid("\"\xc3\xa9\xf0\x9f\x98\x80\""));
	CHECK("no newline between tokens", !valid("{\"a\":\n1}"));
	CHECK("no raw control character", !valid("\"a\nb\""));
	CHECK("no trailing comma", !valid("[1,]") && !valid("{\"a\":1,}"));
	CHECK("no missing comma", !valid("[1 2]") && !valid("{\"a\":1 \"b\":2}"));
	CHECK("no leading zero", !valid("01") && !valid("1.") && !valid("-"));
	CHECK("no bad escape", !valid("\"\\x\"") && !valid("\"\\u12\""));
	CHECK("no unbalanced", !valid("[") && !valid("{\"a\":1") && !valid("]") && !valid("[}"));
	CHECK("no two values", !valid("1 2") && !valid("{}{}"));
	CHECK("no invalid utf-8",
	      !valid("\"\xff\"") && !valid("\"\xed\xa0\x80\"") && !valid("\"\xc0\xaf\""));
	CHECK("no empty", !valid("") && !valid(" "));
	CHECK("no key that is not a string", !valid("{1:2}"));
	CHECK("utf8: valid", jsb_jspan_utf8("a\xc3\xa9\xf0\x9f\x98\x80", 7));
	CHECK("utf8: invalid", !jsb_jspan_utf8("\xff", 1) && !jsb_jspan_utf8("\xed\xa0\x80", 3) &&
	                           !jsb_jspan_utf8("\xe2\x82", 2));
	char *deep = malloc(200002);
	memset(deep, '[', 100000);
	memset(deep + 100000, ']', 100000);
	deep[200000] = '\0';
	CHECK("deep nesting without recursion", valid(deep));
	deep[199999] = '\0';
	CHECK("deep nesting unbalanced", !valid(deep));
	free(deep);
	const char *env =
	    "{\"success\":false,\"error\":{\"type\":\"E\",\"message\":\"a}b\",\"line\":1},"
	    "\"console\":[\"x\",\"]\"],\"time_ms\":1.5}";
	CHECK("members: object",
	      member_is(env, "error", "{\"type\":\"E\",\"message\":\"a}b\",\"line\":1}"));
	CHECK("members: array", member_is(env, "console", "[\"x\",\"]\"]"));
	CHECK("members: number", member_is(env, "time_ms", "1.5"));
	CHECK("members: boolean", member_is(env, "success", "false"));
	CHECK("members: missing", !member_is(env, "output", "1"));
	CHECK("members: not an object", !member_is("[1]", "a", "1"));
	CHECK_DONE();
}
