/* Stream mode (--ndjson, --slurp).  The splitter first: it splits a byte
 * stream into JSON values by bracket depth and string state, keeping only
 * the current value in memory.  A value is a container (ends when its
 * brackets balance), a string, or a bare token (ends at whitespace or where
 * the next value starts); validity is the parser's job.  Then the record
 * loop, which runs the compiled script once per value. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/parse.h"
#include "engine/confined/bridge.h"
#include "engine/confined/envelope.h"
#include "engine/confined/progress.h"
#include "engine/confined/run.h"
#include "engine/confined/stream.h"
#include "engine/lib/fstat.h"

#define FIRST_CAP (64 * 1024)

void jsb_stream_init(struct jsb_stream *s, int fd, struct jsb_heap *heap)
{
	struct stat st;
	*s = (struct jsb_stream){.fd = fd, .heap = heap, .line = 1};
	s->regular = jsb_fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

void jsb_stream_free(struct jsb_stream *s)
{
	jsb_heap_free(s->heap, s->buf);
	s->buf = NULL;
}

/* Makes room and reads more; false at end of input or on failure. */
static bool fill(struct jsb_stream *s)
{
	if (s->eof)
		return false;
	if (s->start > 0) {
		memmove(s->buf, s->buf + s->start, s->end - s->start);
		s->end -= s->start;
		s->start = 0;
	}
	if (s->end == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : FIRST_CAP;
		char *more = cap < s->cap ? NULL : jsb_heap_realloc(s->heap, s->buf, cap);
		if (!more) {
			s->error = ENOMEM;
			return false;
		}
		s->buf = more;
		s->cap = cap;
	}
	/* A pipe may block (the jail has no poll): at most once per buffer. */
	if (s->on_wait && !s->regular)
		s->on_wait(s->wait_arg);
	for (;;) {
		ssize_t r = read(s->fd, s->buf + s->end, s->cap - s->end);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			s->error = errno;
			return false;
		}
		if (r == 0)
			s->eof = true;
		s->end += (size_t)r;
		s->bytes += (uint64_t)r;
		return r > 0;
	}
}

static bool is_space(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/* A byte order mark is skipped only as the stream's first three bytes;
 * anywhere else it is part of a record's text (the decoder decides). */
static void skip_bom(struct jsb_stream *s)
{
	/* Reads on only while what came could still be one: a stream that
	 * starts "7\n" and then waits must give its first record at once. */
	while (s->end - s->start < 3 &&
	       (s->end == s->start ||
	        memcmp(s->buf + s->start, "\xEF\xBB\xBF", s->end - s->start) == 0) &&
	       fill(s))
		;
	s->begun = true;
	if (s->end - s->start >= 3 && memcmp(s->buf + s->start, "\xEF\xBB\xBF", 3) == 0)
		s->start += 3;
}

/* Skips whitespace (and a byte order mark at the very start), counting lines. */
static bool skip_space(struct jsb_stream *s)
{
	if (!s->begun)
		skip_bom(s);
	for (;;) {
		while (s->start < s->end && is_space(s->buf[s->start]))
			if (s->buf[s->start++] == '\n')
				s->line++;
		if (s->start < s->end)
			return true;
		if (!fill(s))
			return false;
	}
}

/* Where a value being scanned stands. */
struct scan {
	size_t at; /* offset from s->start */
	unsigned long depth, newlines;
	bool in_string, escaped;
};

/* Bytes the scanner must look at, inside and outside strings; every other
 * byte is skipped without a branch of its own. */
static const bool string_stop[256] = {['"'] = true, ['\\'] = true, ['\n'] = true};
static const bool value_stop[256] = {
    ['"'] = true, ['{'] = true, ['['] = true, ['}'] = true, [']'] = true, ['\n'] = true};

/* A bare token (number, literal) ends at whitespace or where the next
 * value starts. */
static bool scan_token(const char *b, size_t n, struct scan *sc)
{
	for (; sc->at < n; sc->at++) {
		char c = b[sc->at];
		if (is_space(c) || ((c == '{' || c == '[' || c == '"') && sc->at > 0))
			return true;
	}
	return false;
}

/* Scans available bytes; true when the value's end has been found (at). */
static bool scan(struct jsb_stream *s, struct scan *sc)
{
	const unsigned char *b = (const unsigned char *)s->buf + s->start;
	size_t n = s->end - s->start;
	if (b[0] != '{' && b[0] != '[' && b[0] != '"')
		return scan_token((const char *)b, n, sc);
	while (sc->at < n) {
		const bool *stop = sc->in_string && !sc->escaped ? string_stop : value_stop;
		size_t at = sc->at; /* a local: the loop then keeps it in a register */
		if (!sc->escaped)
			while (at < n && !stop[b[at]])
				at++;
		sc->at = at;
		if (at == n)
			break;
		unsigned char c = b[sc->at++];
		if (c == '\n')
			sc->newlines++;
		if (sc->in_string) {
			if (sc->escaped)
				sc->escaped = false;
			else if (c == '\\')
				sc->escaped = true;
			else if (c == '"')
				sc->in_string = false;
			if (!sc->in_string && sc->depth == 0)
				return true;
		} else if (c == '"') {
			sc->in_string = true;
		} else if (c == '{' || c == '[') {
			sc->depth++;
		} else if ((c == '}' || c == ']') && --sc->depth == 0) {
			return true;
		}
	}
	return false;
}

enum jsb_stream_status jsb_stream_next(struct jsb_stream *s, const char **text, size_t *len,
                                       unsigned long *line)
{
	struct scan sc = {0};
	if (!skip_space(s))
		return s->error ? (s->error == ENOMEM ? JSB_STREAM_MEMORY : JSB_STREAM_READ_ERROR)
		                : JSB_STREAM_END;
	bool complete;
	while (!(complete = scan(s, &sc)) && fill(s))
		;
	if (!complete && s->error)
		return s->error == ENOMEM ? JSB_STREAM_MEMORY : JSB_STREAM_READ_ERROR;
	bool token = s->buf[s->start] != '{' && s->buf[s->start] != '[' && s->buf[s->start] != '"';
	*text = s->buf + s->start;
	*len = sc.at;
	*line = s->line;
	s->start += sc.at;
	s->line += sc.newlines;
	s->records++;
	return complete || token ? JSB_STREAM_RECORD : JSB_STREAM_TRUNCATED;
}

/* While waiting for input only the total bound runs: a slow producer is
 * not the record's time. */
static void wait_for_input(struct jsb_eval *ev)
{
	ev->limits.deadline_ns = ev->total_deadline_ns;
	if (ev->limits.shared)
		ev->limits.shared->deadline_ns = ev->total_deadline_ns;
	jsb_envelope_begin(ev);
}

/* Each record gets the full --timeout, within the --total-timeout, and
 * the full output limit. */
static void start_record(struct jsb_eval *ev, uint64_t number, unsigned long line)
{
	ev->record = number;
	ev->record_line = line;
	if (ev->limits.shared) {
		ev->limits.shared->record_line = line;
		ev->limits.shared->record = number;
		/* An earlier record's failure was skipped: it is not how the
		 * run ends if this one is killed. */
		ev->limits.shared->reported = 0;
	}
	ev->records_in++;
	ev->record_start_ns = jsb_now_ns();
	if (ev->limits.shared)
		ev->limits.shared->started_ns = ev->record_start_ns;
	jsb_out_next_record(&ev->out);
	jsb_limits_arm(&ev->limits, ev->job->policy->timeout_ms);
	if (ev->total_deadline_ns && ev->limits.deadline_ns > ev->total_deadline_ns) {
		ev->limits.deadline_ns = ev->total_deadline_ns;
		if (ev->limits.shared)
			ev->limits.shared->deadline_ns = ev->total_deadline_ns;
	}
}

/* [ value ] -> [ undefined ]: `output` cleared, `input` the record.  The
 * script may have made either a throwing setter or read-only: that is its
 * error, reported as one (exit 1), never jsbox's. */
static duk_ret_t put_record(duk_context *ctx, void *udata)
{
	(void)udata;
	duk_push_undefined(ctx);
	duk_put_global_string(ctx, "output");
	duk_put_global_string(ctx, "input");
	return 0;
}

/* Parses a record's text: [ ... ] -> [ ... value ] on success.  Places in
 * errors are lines of the whole input, not of the record. */
static int parse_record(struct jsb_eval *ev, enum jsb_stream_status st, const char *text,
                        size_t len)
{
	char err[512];
	unsigned long line = 1, col = 1;
	int at = 0;
	if (st == JSB_STREAM_TRUNCATED)
		return jsb_eval_say(ev, JSB_EXIT_USAGE, "usage",
		                    "%s:%lu: invalid JSON: the input ends inside this value",
		                    ev->job->input_name, ev->record_line);
	enum jsb_parse_status ps =
	    jsb_bridge_parse(ev->ctx, &ev->heap, &ev->out, text, len, "", err, sizeof err);
	if (ps == JSB_PARSE_MEMORY)
		return jsb_eval_memory_exceeded(ev);
	if (ps == JSB_PARSE_OK)
		return JSB_EXIT_OK;
	if (sscanf(err, ":%lu:%lu: %n", &line, &col, &at) < 2 || at == 0)
		at = err[0] == ':' ? 2 : 0;
	return jsb_eval_say(ev, JSB_EXIT_USAGE, "usage", "%s:%lu:%lu: %s", ev->job->input_name,
	                    ev->record_line + line - 1, col, err + at);
}

static int run_record(struct jsb_eval *ev, duk_idx_t fn_idx, enum jsb_stream_status st,
                      const char *text, size_t len)
{
	int rc = parse_record(ev, st, text, len);
	if (rc == JSB_EXIT_OK) {
		rc = jsb_eval_protect(ev, put_record, 1);
		duk_pop(ev->ctx);
	}
	if (rc == JSB_EXIT_OK)
		rc = jsb_run_compiled(ev, fn_idx);
	if (rc != JSB_EXIT_OK && jsb_eval_record_level(ev, rc) &&
	    ev->job->on_error != JSB_ON_ERROR_STOP) {
		ev->records_skipped++;
		jsb_envelope_failure(ev, rc);
		duk_set_top(ev->ctx, fn_idx + 1);
		return JSB_EXIT_OK;
	}
	return rc;
}

/* Why the reader stopped early, as an exit code and one message. */
static int stream_failure(struct jsb_eval *ev, const struct jsb_stream *st,
                          enum jsb_stream_status s)
{
	char size[32];
	if (s == JSB_STREAM_MEMORY) {
		jsb_format_size(size, sizeof size, ev->heap.limit);
		return jsb_eval_say(ev, JSB_EXIT_MEMORY, "memory limit exceeded",
		                    "%s: one value does not fit %s", ev->job->input_name, size);
	}
	return jsb_eval_say(ev, JSB_EXIT_USAGE, "usage", "%s: cannot read: %s", ev->job->input_name,
	                    strerror(st->error));
}

/* Results written so far reach the reader before jsbox waits for input. */
static void flush_out(void *out)
{
	jsb_out_flush(out);
}

int jsb_stream_run(struct jsb_eval *ev)
{
	struct jsb_stream st;
	int rc = jsb_eval_protect(ev, jsb_run_compile, 0);
	if (rc != JSB_EXIT_OK)
		return rc;
	duk_idx_t fn_idx = duk_get_top_index(ev->ctx);
	struct jsb_progress pg;
	jsb_stream_init(&st, ev->job->input_fd, &ev->heap);
	st.on_wait = flush_out;
	st.wait_arg = &ev->out;
	jsb_progress_init(&pg, ev, st.regular ? st.fd : -1);
	while (rc == JSB_EXIT_OK) {
		const char *text;
		size_t len;
		unsigned long line;
		ev->record = 0;
		if (ev->limits.shared)
			ev->limits.shared->record = 0;
		wait_for_input(ev);
		enum jsb_stream_status s = jsb_stream_next(&st, &text, &len, &line);
		if (s == JSB_STREAM_END)
			break;
		if (s == JSB_STREAM_MEMORY || s == JSB_STREAM_READ_ERROR) {
			rc = stream_failure(ev, &st, s);
			break;
		}
		start_record(ev, st.records, line);
		rc = run_record(ev, fn_idx, s, text, len);
		jsb_progress_tick(&pg, ev, st.bytes - (st.end - st.start));
	}
	jsb_progress_end(&pg, ev);
	jsb_stream_free(&st);
	return rc;
}

int jsb_stream_slurp(struct jsb_eval *ev)
{
	struct jsb_stream st;
	const char *text;
	size_t len;
	unsigned long line;
	enum jsb_stream_status s;
	int rc = JSB_EXIT_OK;
	duk_push_array(ev->ctx);
	jsb_stream_init(&st, ev->job->input_fd, &ev->heap);
	while (rc == JSB_EXIT_OK &&
	       (s = jsb_stream_next(&st, &text, &len, &line)) != JSB_STREAM_END) {
		if (s == JSB_STREAM_MEMORY || s == JSB_STREAM_READ_ERROR) {
			rc = stream_failure(ev, &st, s);
			break;
		}
		ev->record = st.records;
		ev->record_line = line;
		rc = parse_record(ev, s, text, len);
		if (rc == JSB_EXIT_OK)
			duk_put_prop_index(ev->ctx, -2, (duk_uarridx_t)(st.records - 1));
	}
	ev->record = 0;
	jsb_stream_free(&st);
	if (rc != JSB_EXIT_OK) {
		duk_pop(ev->ctx);
		return rc;
	}
	duk_put_global_string(ev->ctx, "input");
	return JSB_EXIT_OK;
}
