/* The JSON writer: separators and styles, string escaping (controls,
 * quotes, CESU-8 surrogates, invalid UTF-8), output longer than its
 * buffer, and a sink that fails. */
#include <stdlib.h>

#include "check.h"
#include "engine/lib/jsonw.h"

struct text {
	char data[8192];
	size_t len;
	size_t room; /* a sink that refuses past this many bytes */
};

static bool collect(void *ctx, const char *data, size_t len)
{
	struct text *t = ctx;
	if (len > t->room - t->len)
		return false;
	memcpy(t->data + t->len, data, len);
	t->len += len;
	return true;
}

static void start(struct jsb_jsonw *w, struct text *t, enum jsb_jsonw_style style)
{
	t->len = 0;
	t->room = sizeof t->data;
	jsb_jsonw_init(w, style, collect, t);
}

static int is(const struct text *t, const char *want)
{
	return t->len == strlen(want) && memcmp(t->data, want, t->len) == 0;
}

static void string_of(struct text *t, const char *s, size_t len, enum jsb_lone lone)
{
	struct jsb_jsonw w;
	start(&w, t, JSB_JSONW_COMPACT);
	jsb_jsonw_text(&w, s, len, lone);
	jsb_jsonw_finish(&w);
}

static void nested(struct text *t, enum jsb_jsonw_style style)
{
	struct jsb_jsonw w;
	start(&w, t, style);
	jsb_jsonw_object(&w);
	jsb_jsonw_key(&w, "a");
	jsb_jsonw_uint(&w, 1);
	jsb_jsonw_key(&w, "b");
	jsb_jsonw_array(&w);
	jsb_jsonw_int(&w, -2);
	jsb_jsonw_bool(&w, true);
	jsb_jsonw_null(&w);
	jsb_jsonw_end(&w);
	jsb_jsonw_key(&w, "c");
	jsb_jsonw_object(&w);
	jsb_jsonw_key(&w, "t");
	jsb_jsonw_ms(&w, 1.25);
	jsb_jsonw_end(&w);
	jsb_jsonw_key(&w, "e");
	jsb_jsonw_array(&w);
	jsb_jsonw_end(&w);
	jsb_jsonw_end(&w);
	jsb_jsonw_finish(&w);
}

int main(void)
{
	static struct text t;
	struct jsb_jsonw w;
	nested(&t, JSB_JSONW_COMPACT);
	CHECK("compact", is(&t, "{\"a\":1,\"b\":[-2,true,null],\"c\":{\"t\":1.250},\"e\":[]}\n"));
	nested(&t, JSB_JSONW_LINES);
	CHECK("lines",
	      is(&t, "{\n  \"a\": 1,\n  \"b\": [-2, true, null],\n  \"c\": {\"t\": 1.250},\n"
	             "  \"e\": []\n}\n"));
	string_of(&t, "q\"b\\\n\x01\x1f", 7, JSB_LONE_REPLACE);
	CHECK("escapes", is(&t, "\"q\\\"b\\\\\\u000a\\u0001\\u001f\"\n"));
	string_of(&t, "\xED\xA0\xBD\xED\xB8\x80", 6, JSB_LONE_REPLACE);
	CHECK("surrogate pair joined", is(&t, "\"\xF0\x9F\x98\x80\"\n"));
	string_of(&t, "a\xED\xA0\x80z", 5, JSB_LONE_REPLACE);
	CHECK("lone surrogate replaced", is(&t, "\"a\xEF\xBF\xBDz\"\n"));
	string_of(&t, "a\xED\xB0\x80z", 5, JSB_LONE_ESCAPE);
	CHECK("lone surrogate escaped", is(&t, "\"a\\udc00z\"\n"));
	string_of(&t, "\xFF\xC3\xA9\xE2\x82", 5, JSB_LONE_REPLACE);
	CHECK("invalid bytes replaced",
	      is(&t, "\"\xEF\xBF\xBD\xC3\xA9\xEF\xBF\xBD\xEF\xBF\xBD\"\n"));
	start(&w, &t, JSB_JSONW_COMPACT);
	jsb_jsonw_array(&w);
	static const char json[] = "\"\xED\xA0\x80\",\"\xED\xA0\xBD\xED\xB8\x80\"";
	jsb_jsonw_json(&w, json, sizeof json - 1);
	jsb_jsonw_finish(&w);
	CHECK("json text: lone escaped, pair joined",
	      is(&t, "[\"\\ud800\",\"\xF0\x9F\x98\x80\"]\n"));
	CHECK("json size", jsb_jsonw_json_size("\"\xED\xA0\x80\"", 5) == 8);

	char *big = malloc(5000);
	memset(big, 'x', 5000);
	string_of(&t, big, 5000, JSB_LONE_REPLACE);
	CHECK("longer than the buffer, whole", t.len == 5003 && t.data[0] == '"' &&
	                                           t.data[5001] == '"' &&
	                                           memchr(t.data + 1, '"', 5000) == NULL);
	start(&w, &t, JSB_JSONW_COMPACT);
	t.room = 100;
	jsb_jsonw_text(&w, big, 5000, JSB_LONE_REPLACE);
	CHECK("a refusing sink is reported", !jsb_jsonw_finish(&w));
	free(big);
	CHECK_DONE();
}
