/* Framed, buffered writer from the evaluator to the supervisor.  Flushes
 * when the buffer fills, at stderr writes, at newlines when line-buffered,
 * and at exit; a vanished supervisor ends the evaluator. */
#include <stdarg.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "engine/confined/out.h"

void jsb_out_init(struct jsb_out *out, int fd, uint64_t budget, struct jsb_limits *lim,
                  bool line_flush)
{
	out->fd = fd;
	out->limit = out->budget = budget;
	out->used = 0;
	out->limits = lim;
	out->line_flush = line_flush;
	out->hold = false;
	out->b = lim && lim->shared ? &lim->shared->pending : &out->own;
	out->b->flushing = 0;
	out->b->channel = 0;
	out->b->len = 0;
}

/* The supervisor may read the buffer at any instruction of the evaluator's
 * (its death): each change is complete in memory before the next starts. */
static void step(void)
{
	atomic_signal_fence(memory_order_seq_cst);
}

static void write_all(int fd, const struct iovec *iov, int n)
{
	struct iovec v[2];
	memcpy(v, iov, (size_t)n * sizeof *iov);
	if (!jsb_wire_writev(fd, v, n))
		_exit(JSB_EXIT_INTERNAL); /* the supervisor is gone */
}

void jsb_out_flush(struct jsb_out *out)
{
	struct jsb_outbuf *b = out->b;
	jsb_wire_close_frame(b);
	if (b->len) {
		b->flushing = 1;
		step();
		struct iovec v = {b->data, b->len};
		write_all(out->fd, &v, 1);
		b->len = 0;
		step();
		b->flushing = 0;
	}
}

/* Payloads too big for the buffer go out directly behind their own header. */
static void put_direct(struct jsb_out *out, enum jsb_channel ch, const char *data, size_t len)
{
	jsb_out_flush(out);
	out->b->flushing = 1;
	step();
	while (len) {
		uint32_t n = len > 0x40000000u ? 0x40000000u : (uint32_t)len;
		unsigned char h[JSB_FRAME_HEADER];
		jsb_wire_header(h, ch, n);
		struct iovec v[2] = {{h, sizeof h}, {(void *)(uintptr_t)data, n}};
		write_all(out->fd, v, 2);
		data += n;
		len -= n;
	}
	step();
	out->b->flushing = 0;
}

static void put(struct jsb_out *out, enum jsb_channel ch, const char *data, size_t len)
{
	struct jsb_outbuf *b = out->b;
	/* Text after a progress line would start in the middle of it. */
	if (out->progress_shown &&
	    (ch == JSB_CH_STDERR || (ch == JSB_CH_STDOUT && out->line_flush))) {
		out->progress_shown = false;
		put(out, JSB_CH_STDERR, "\r\033[K", 4);
	}
	if (len > sizeof b->data / 2) {
		put_direct(out, ch, data, len);
		return;
	}
	if (len + JSB_FRAME_HEADER > sizeof b->data - b->len)
		jsb_out_flush(out);
	if (b->channel != (int)ch) {
		jsb_wire_close_frame(b);
		b->frame_at = b->len;
		step();
		b->channel = (int)ch;
		step();
		b->len += JSB_FRAME_HEADER;
	}
	memcpy(b->data + b->len, data, len);
	step();
	b->len += len;
	if (!out->hold && (ch != JSB_CH_STDOUT || (out->line_flush && memchr(data, '\n', len))))
		jsb_out_flush(out);
}

void jsb_out_next_record(struct jsb_out *out)
{
	out->budget = out->limit > UINT64_MAX - out->used ? UINT64_MAX : out->used + out->limit;
}

bool jsb_out_script(struct jsb_out *out, enum jsb_channel ch, const char *data, size_t len)
{
	uint64_t room = out->budget - out->used;
	if (len > room) {
		put(out, ch, data, (size_t)room);
		out->used = out->budget;
		jsb_limits_stop(out->limits, JSB_STOP_OUTPUT);
		return false;
	}
	out->used += len;
	put(out, ch, data, len);
	return true;
}

void jsb_out_raw(struct jsb_out *out, enum jsb_channel ch, const char *data, size_t len)
{
	put(out, ch, data, len);
}

bool jsb_out_stdout_sink(void *out, const char *data, size_t len)
{
	put(out, JSB_CH_STDOUT, data, len);
	return true;
}

void jsb_out_error(struct jsb_out *out, const char *kind, const char *fmt, ...)
{
	char line[4096];
	va_list ap;
	va_start(ap, fmt);
	size_t len = jsb_format_error(line, sizeof line, kind, fmt, ap);
	va_end(ap);
	if (out) {
		jsb_out_raw(out, JSB_CH_STDERR, line, len);
		return;
	}
	ssize_t n = write(STDERR_FILENO, line, len);
	(void)n;
}

void jsb_out_progress(struct jsb_out *out, const char *text, size_t len)
{
	if (!len && !out->progress_shown)
		return;
	out->progress_shown = false;
	put(out, JSB_CH_STDERR, "\r\033[K", 4);
	put(out, JSB_CH_STDERR, text, len);
	out->progress_shown = len > 0;
	jsb_out_flush(out);
}
