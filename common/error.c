/* The one error sink: a single line "jsbox: <kind>: <detail>" on stderr.
 * Formats into a stack buffer and writes once, so lines never interleave. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/jsbox.h"

size_t jsb_format_error(char *buf, size_t size, const char *kind, const char *fmt, va_list ap)
{
	int head = snprintf(buf, size, "jsbox: %s: ", kind);
	if (head < 0 || (size_t)head >= size)
		head = 0;
	int body = vsnprintf(buf + head, size - (size_t)head, fmt, ap);
	size_t len = (size_t)head + (body < 0 ? 0 : (size_t)body);
	if (len > size - 2)
		len = size - 2;
	buf[len++] = '\n';
	buf[len] = '\0';
	return len;
}

static char last[2048];

const char *jsb_error_last(void)
{
	return last;
}

void jsb_verror(const char *kind, const char *fmt, va_list ap)
{
	char line[2048];
	int saved = errno;
	size_t len = jsb_format_error(line, sizeof line, kind, fmt, ap);
	snprintf(last, sizeof last, "%.*s", (int)(len > 8 ? len - 8 : 0), line + 7);
	fflush(stdout);
	ssize_t n = write(STDERR_FILENO, line, len);
	(void)n;
	errno = saved;
}

void jsb_error(const char *kind, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	jsb_verror(kind, fmt, ap);
	va_end(ap);
}
