/* The bridge on a real capped heap: JSON in with line:column errors, the
 * 2^53 warning, nesting and memory limits, UTF-8 <-> CESU-8 for text, and
 * JSON out.  The evaluator's frames go to a pipe the test reads back. */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "engine/confined/bridge.h"

struct fixture {
	struct jsb_limits limits;
	struct jsb_heap heap;
	struct jsb_out out;
	duk_context *ctx;
	int pipe[2];
};

static void setup(struct fixture *f, uint64_t limit)
{
	*f = (struct fixture){0};
	f->heap = (struct jsb_heap){.limit = limit, .limits = &f->limits, .out = &f->out};
	if (pipe2(f->pipe, O_NONBLOCK) != 0)
		abort();
	jsb_out_init(&f->out, f->pipe[1], 1 << 20, &f->limits, false);
	f->ctx = jsb_heap_create(&f->heap);
	if (!f->ctx)
		abort();
	jsb_bridge_init(f->ctx);
}

static void teardown(struct fixture *f)
{
	duk_destroy_heap(f->ctx);
	close(f->pipe[0]);
	close(f->pipe[1]);
}

/* The payloads of every frame written so far, concatenated. */
static size_t frames(struct fixture *f, char *buf, size_t size)
{
	unsigned char raw[65536];
	jsb_out_flush(&f->out);
	ssize_t n = read(f->pipe[0], raw, sizeof raw);
	size_t at = 0, len = 0;
	while (n > 0 && at + 5 <= (size_t)n) {
		size_t plen =
		    raw[at + 1] | raw[at + 2] << 8 | raw[at + 3] << 16 | (size_t)raw[at + 4] << 24;
		if (at + 5 + plen > (size_t)n || len + plen >= size)
			break;
		memcpy(buf + len, raw + at + 5, plen);
		len += plen;
		at += 5 + plen;
	}
	buf[len] = '\0';
	return len;
}

static enum jsb_parse_status parse(struct fixture *f, const char *text, char *err)
{
	return jsb_bridge_parse(f->ctx, &f->heap, &f->out, text, strlen(text), "in.json", err, 256);
}

/* Parses text and returns its compact JSON, or the error text. */
static const char *roundtrip(struct fixture *f, const char *text)
{
	static char result[1024];
	char err[256];
	if (parse(f, text, err) != JSB_PARSE_OK) {
		snprintf(result, sizeof result, "%s", err);
		return result;
	}
	jsb_bridge_encode(f->ctx, -1, 0);
	snprintf(result, sizeof result, "%s", duk_get_string(f->ctx, -1));
	duk_pop(f->ctx);
	return result;
}

static void check_parse(void)
{
	struct fixture f;
	char err[256], got[4096];
	setup(&f, 16 << 20);
	CHECK("object round trip", strcmp(roundtrip(&f, " {\"a\": [1, true, null, \"x\"]} "),
	                                  "{\"a\":[1,true,null,\"x\"]}") == 0);
	CHECK("escapes kept",
	      strcmp(roundtrip(&f, "[\"a\\u0000b\\n\\\"\"]"), "[\"a\\u0000b\\n\\\"\"]") == 0);
	CHECK("bom skipped", strcmp(roundtrip(&f, "\xEF\xBB\xBF[1]"), "[1]") == 0);
	CHECK("invalid place", strcmp(roundtrip(&f, "{\"a\":\n  1,,}"),
	                              "in.json:2:5: invalid JSON: unexpected ','") == 0);
	CHECK("empty input", parse(&f, " \n ", err) == JSB_PARSE_INVALID &&
	                         strcmp(err, "in.json: invalid JSON: empty input") == 0);
	CHECK("truncated", parse(&f, "[1, 2", err) == JSB_PARSE_INVALID &&
	                       strstr(err, "unexpected end of input") != NULL);
	CHECK("stack unchanged after errors", duk_get_top(f.ctx) == 0);

	char *deep = malloc(100001);
	memset(deep, '[', 100000);
	deep[100000] = '\0';
	CHECK("deep nesting refused", parse(&f, deep, err) == JSB_PARSE_INVALID &&
	                                  strstr(err, "nested deeper than") != NULL);
	free(deep);

	frames(&f, got, sizeof got);
	CHECK("exact 2^53 silent", parse(&f, "[9007199254740992]", err) == JSB_PARSE_OK &&
	                               frames(&f, got, sizeof got) == 0);
	duk_pop(f.ctx);
	CHECK("beyond 2^53 warns once",
	      parse(&f, "[9007199254740993, 9007199254740995]", err) == JSB_PARSE_OK &&
	          frames(&f, got, sizeof got) > 0 &&
	          strstr(got, "in.json:1:2: number 9007199254740993 is beyond 2^53") != NULL &&
	          strstr(strstr(got, "2^53") + 1, "2^53") == NULL);
	duk_pop(f.ctx);
	teardown(&f);
}

struct big_parse {
	struct fixture *f;
	const char *text;
	enum jsb_parse_status st;
	char err[256];
};

static duk_ret_t parse_big(duk_context *ctx, void *udata)
{
	struct big_parse *b = udata;
	(void)ctx;
	b->st = parse(b->f, b->text, b->err);
	return 0;
}

/* Input that fits the read budget but not the heap: refused cleanly, or
 * thrown as an allocation failure the protected call catches (as the
 * evaluator binds input), never a crash. */
static void check_memory(void)
{
	struct fixture f;
	setup(&f, 1 << 20);
	size_t n = 300000;
	char *big = malloc(n * 2 + 3);
	big[0] = '[';
	for (size_t i = 0; i < n; i++)
		memcpy(big + 1 + 2 * i, i ? ",1" : " 1", 2);
	strcpy(big + 1 + 2 * n, "]");
	struct big_parse b = {.f = &f, .text = big, .st = JSB_PARSE_OK};
	duk_int_t rc = duk_safe_call(f.ctx, parse_big, &b, 0, 1);
	CHECK("input over the heap cap",
	      (rc == DUK_EXEC_SUCCESS && b.st == JSB_PARSE_MEMORY &&
	       strstr(b.err, "does not fit the memory limit") != NULL) ||
	          (rc != DUK_EXEC_SUCCESS && f.limits.stop == JSB_STOP_MEMORY));
	free(big);
	teardown(&f);
}

static void check_text(void)
{
	struct fixture f;
	char got[256];
	setup(&f, 16 << 20);
	const char *emoji = "a\xF0\x9F\x98\x80";
	CHECK("push emoji", jsb_bridge_push_text(f.ctx, &f.heap, emoji, strlen(emoji)));
	CHECK("emoji is two code units", duk_get_length(f.ctx, -1) == 3 &&
	                                     duk_char_code_at(f.ctx, -1, 1) == 0xD83D &&
	                                     duk_char_code_at(f.ctx, -1, 2) == 0xDE00);
	duk_size_t len;
	const char *s = duk_get_lstring(f.ctx, -1, &len);
	frames(&f, got, sizeof got);
	CHECK("write back as UTF-8",
	      jsb_bridge_write(&f.out, JSB_CH_STDOUT, s, len, JSB_LONE_ESCAPE) &&
	          frames(&f, got, sizeof got) == 5 && strcmp(got, emoji) == 0);
	duk_pop(f.ctx);
	duk_push_string(f.ctx, "\xED\xA0\x80"); /* a lone high surrogate as CESU-8 */
	jsb_bridge_encode(f.ctx, -1, 0);
	s = duk_get_lstring(f.ctx, -1, &len);
	CHECK("lone surrogate escaped",
	      jsb_bridge_write(&f.out, JSB_CH_STDOUT, s, len, JSB_LONE_ESCAPE) &&
	          frames(&f, got, sizeof got) > 0 && strcmp(got, "\"\\ud800\"") == 0);
	duk_pop(f.ctx);
	teardown(&f);
}

static void check_encode(void)
{
	struct fixture f;
	setup(&f, 16 << 20);
	duk_eval_string(f.ctx, "({a: [1, 2], f: function () {}, n: NaN})");
	jsb_bridge_encode(f.ctx, -1, 2);
	CHECK("pretty", strcmp(duk_get_string(f.ctx, -1),
	                       "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"n\": null\n}") == 0);
	duk_pop(f.ctx);
	duk_eval_string(f.ctx, "JSON.stringify = function () { return 'hijacked'; }; [1]");
	jsb_bridge_encode(f.ctx, -1, 2);
	CHECK("pristine stringify", strcmp(duk_get_string(f.ctx, -1), "[\n  1\n]") == 0);
	duk_pop(f.ctx);
	duk_push_undefined(f.ctx);
	jsb_bridge_encode(f.ctx, -1, 0);
	CHECK("undefined stays undefined", duk_is_undefined(f.ctx, -1));
	duk_pop(f.ctx);
	teardown(&f);
}

int main(void)
{
	check_parse();
	check_memory();
	check_text();
	check_encode();
	CHECK_DONE();
}
