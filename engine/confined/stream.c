/* Splits a byte stream into JSON values by bracket depth and string state,
 * keeping only the current value in memory.  A value is a container
 * (ends when its brackets balance), a string, or a bare token (ends at
 * whitespace or where the next value starts).  Validity is the parser's job. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/confined/stream.h"
#include "engine/trusted/confine.h"

#define FIRST_CAP (64 * 1024)

void jsb_stream_init(struct jsb_stream *s, int fd, struct jsb_heap *heap)
{
	struct stat st;
	*s = (struct jsb_stream){.fd = fd, .heap = heap, .line = 1};
	s->regular = jsb_confine_fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
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
