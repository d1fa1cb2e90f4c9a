/* The one JSON writer for what jsbox itself prints as JSON (the
 * --json-result envelope, --stats, --on-error emit, --prof json, policy
 * show).  Streams through a small buffer to a sink, so no output is ever cut
 * to a buffer's size, and allocates nothing (the evaluator writes with it
 * after its heap ran out).  Used on both sides of the jail: no policy, no
 * process state. */
#ifndef JSB_JSONW_H
#define JSB_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/lib/text.h"

/* Takes len bytes of JSON text; false when they could not be written (the
 * writer then drops the rest). */
typedef bool (*jsb_jsonw_sink)(void *ctx, const char *data, size_t len);

enum jsb_jsonw_style {
	JSB_JSONW_COMPACT, /* {"a":1,"b":[1,2]} */
	JSB_JSONW_LINES    /* top-level members one per line; ", " and ": " inside */
};

#define JSB_JSONW_MAX_DEPTH 32

struct jsb_jsonw {
	jsb_jsonw_sink sink;
	void *ctx;
	enum jsb_jsonw_style style;
	unsigned depth;
	uint32_t members; /* bit d: the container at depth d has a member */
	uint32_t arrays;  /* bit d: the container at depth d is an array */
	bool after_key;   /* a key was written: its value needs no separator */
	bool failed;      /* the sink refused, or the nesting went too deep */
	uint64_t written; /* bytes handed to the sink */
	size_t len;
	char buf[1024];
};

void jsb_jsonw_init(struct jsb_jsonw *w, enum jsb_jsonw_style style, jsb_jsonw_sink sink,
                    void *ctx);

/* Containers: open one, then close the innermost with jsb_jsonw_end. */
void jsb_jsonw_object(struct jsb_jsonw *w);
void jsb_jsonw_array(struct jsb_jsonw *w);
void jsb_jsonw_end(struct jsb_jsonw *w);

/* An object member's key; its value follows. */
void jsb_jsonw_key(struct jsb_jsonw *w, const char *key);

/* A string value from UTF-8 text that may hold CESU-8 surrogates (Duktape's
 * strings): pairs become one 4-byte character, lone surrogates follow lone
 * (U+FFFD or a \udXXX escape), invalid bytes become U+FFFD, quotes,
 * backslashes and control characters are escaped. */
void jsb_jsonw_text(struct jsb_jsonw *w, const char *s, size_t len, enum jsb_lone lone);

/* The same in pieces: open, any number of parts, close.  A part must not
 * split a character (nor a surrogate pair). */
void jsb_jsonw_open_string(struct jsb_jsonw *w);
void jsb_jsonw_string_part(struct jsb_jsonw *w, const char *s, size_t len, enum jsb_lone lone);
void jsb_jsonw_close_string(struct jsb_jsonw *w);

/* The same for a NUL-terminated string, lone surrogates replaced. */
void jsb_jsonw_str(struct jsb_jsonw *w, const char *s);

void jsb_jsonw_uint(struct jsb_jsonw *w, uint64_t n);
void jsb_jsonw_int(struct jsb_jsonw *w, long long n);
void jsb_jsonw_bool(struct jsb_jsonw *w, bool b);
void jsb_jsonw_null(struct jsb_jsonw *w);

/* Milliseconds with three decimals ("1.250"); null when not finite. */
void jsb_jsonw_ms(struct jsb_jsonw *w, double ms);

/* A value that is JSON text already (what Duktape's JSON.stringify made,
 * CESU-8): surrogate pairs joined, lone ones escaped as \udXXX, nothing
 * else touched.  Inside an array it may be several comma-separated values. */
void jsb_jsonw_json(struct jsb_jsonw *w, const char *json, size_t len);

/* Bytes jsb_jsonw_json writes for json. */
uint64_t jsb_jsonw_json_size(const char *json, size_t len);

/* Ends the top-level value: a newline, everything handed to the sink.
 * False if anything was lost. */
bool jsb_jsonw_finish(struct jsb_jsonw *w);

/* A sink for a file descriptor (ctx points to the int), retrying short
 * writes and EINTR. */
bool jsb_jsonw_fd_sink(void *ctx, const char *data, size_t len);

/* A sink for a stdio stream (ctx is the FILE *); its errors stay for the
 * caller's ferror(). */
bool jsb_jsonw_file_sink(void *ctx, const char *data, size_t len);

#endif
