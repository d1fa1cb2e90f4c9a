/* Fuzz target: the stream scanner (engine/confined/stream.c) reading
 * --ndjson input from a file or a pipe under a memory limit.  The records
 * it returns lie inside the input, in order and without overlap, and
 * cover every byte that is not whitespace between values. */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "engine/confined/stream.h"
#include "tests/fuzz/fuzz.h"

/* The scanner's first buffer is 64 KiB: repeating the input carries
 * values across its edge and its growth. */
#define MAX_STREAM (200 * 1024)

static int input_fd(const char *text, size_t len, bool pipe_it)
{
	int fds[2];
	if (pipe_it) {
		FUZZ_CHECK(pipe(fds) == 0);
		fcntl(fds[1], F_SETPIPE_SZ, MAX_STREAM + 4096);
		for (size_t at = 0; at < len;) {
			ssize_t n = write(fds[1], text + at, len - at);
			FUZZ_CHECK(n > 0);
			at += (size_t)n;
		}
		close(fds[1]);
		return fds[0];
	}
	int fd = memfd_create("stream", 0);
	FUZZ_CHECK(fd >= 0 && write(fd, text, len) == (ssize_t)len);
	FUZZ_CHECK(lseek(fd, 0, SEEK_SET) == 0);
	return fd;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

static void scan(const char *text, size_t len, int fd, uint64_t limit)
{
	struct jsb_limits lim = {0};
	struct jsb_heap heap = {.limit = limit, .limits = &lim};
	struct jsb_stream s;
	jsb_stream_init(&s, fd, &heap);
	size_t at = 0; /* where the last record ended, in text */
	unsigned long last_line = 1;
	bool bom = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0;
	if (bom)
		at = 3;
	for (;;) {
		const char *rec;
		size_t n;
		unsigned long line;
		enum jsb_stream_status st = jsb_stream_next(&s, &rec, &n, &line);
		if (st != JSB_STREAM_RECORD && st != JSB_STREAM_TRUNCATED)
			break;
		FUZZ_CHECK(n > 0 && n <= len);
		/* The record is the input's next non-blank bytes. */
		while (at < len && is_space(text[at]))
			at++;
		FUZZ_CHECK(at + n <= len && memcmp(text + at, rec, n) == 0);
		at += n;
		FUZZ_CHECK(line >= last_line);
		last_line = line;
		if (st == JSB_STREAM_TRUNCATED)
			break;
	}
	jsb_stream_free(&s);
	FUZZ_CHECK(heap.used == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char big[MAX_STREAM];
	if (size < 1)
		return 0;
	/* First byte: bit 0 pipe or file; bits 1-3 repeat the rest 1-4 times
	 * up to MAX_STREAM; bits 4-7 the memory limit (0: unlimited). */
	uint8_t mode = data[0];
	data++, size--;
	size_t len = size;
	memcpy(big, data, size);
	if (mode & 0x0e && size) {
		size_t times = MAX_STREAM / size;
		size_t want = (size_t)(mode >> 1 & 7) * 32 * 1024 / size + 1;
		if (times > want)
			times = want;
		for (size_t k = 1; k < times; k++, len += size)
			memcpy(big + len, data, size);
	}
	uint64_t limit = mode >> 4 ? (uint64_t)(mode >> 4) * 16 * 1024 : UINT64_MAX;
	int fd = input_fd(big, len, mode & 1);
	scan(big, len, fd, limit);
	close(fd);
	return 0;
}
