/* Framed, buffered writer from the evaluator to the supervisor.  Flushes
 * when the buffer fills, at stderr writes, at newlines when line-buffered,
 * and at exit; a vanished supervisor ends the evaluator. */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "engine/out.h"

void jsb_out_init(struct jsb_out *out, int fd, uint64_t budget, struct jsb_limits *lim,
                  bool line_flush)
{
	out->fd = fd;
	out->limit = out->budget = budget;
	out->used = 0;
	out->limits = lim;
	out->line_flush = line_flush;
	out->channel = 0;
	out->len = 0;
}

static void write_all(int fd, const struct iovec *iov, int n)
{
	struct iovec v[2];
	memcpy(v, iov, (size_t)n * sizeof *iov);
	int i = 0;
	while (i < n) {
		ssize_t w = writev(fd, v + i, n - i);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			_exit(JSB_EXIT_INTERNAL); /* the supervisor is gone */
		}
		while (i < n && (size_t)w >= v[i].iov_len)
			w -= (ssize_t)v[i++].iov_len;
		if (i < n) {
			v[i].iov_base = (char *)v[i].iov_base + w;
			v[i].iov_len -= (size_t)w;
		}
	}
}

static void close_frame(struct jsb_out *out)
{
	if (!out->channel)
		return;
	uint32_t n = (uint32_t)(out->len - out->frame_at - JSB_FRAME_HEADER);
	unsigned char *h = (unsigned char *)out->buf + out->frame_at;
	h[0] = (unsigned char)out->channel;
	for (int k = 0; k < 4; k++)
		h[1 + k] = (unsigned char)(n >> (8 * k));
	out->channel = 0;
}

void jsb_out_flush(struct jsb_out *out)
{
	close_frame(out);
	if (out->len) {
		struct iovec v = {out->buf, out->len};
		write_all(out->fd, &v, 1);
		out->len = 0;
	}
}

/* Payloads too big for the buffer go out directly behind their own header. */
static void put_direct(struct jsb_out *out, enum jsb_channel ch, const char *data, size_t len)
{
	jsb_out_flush(out);
	while (len) {
		uint32_t n = len > 0x40000000u ? 0x40000000u : (uint32_t)len;
		unsigned char h[JSB_FRAME_HEADER] = {
		    (unsigned char)ch, (unsigned char)n, (unsigned char)(n >> 8),
		    (unsigned char)(n >> 16), (unsigned char)(n >> 24)};
		struct iovec v[2] = {{h, sizeof h}, {(void *)(uintptr_t)data, n}};
		write_all(out->fd, v, 2);
		data += n;
		len -= n;
	}
}

static void put(struct jsb_out *out, enum jsb_channel ch, const char *data, size_t len)
{
	if (len > sizeof out->buf / 2) {
		put_direct(out, ch, data, len);
		return;
	}
	if (len + JSB_FRAME_HEADER > sizeof out->buf - out->len)
		jsb_out_flush(out);
	if (out->channel != (int)ch) {
		close_frame(out);
		out->frame_at = out->len;
		out->len += JSB_FRAME_HEADER;
		out->channel = (int)ch;
	}
	memcpy(out->buf + out->len, data, len);
	out->len += len;
	if (ch != JSB_CH_STDOUT || (out->line_flush && memchr(data, '\n', len)))
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

void jsb_frames_feed(struct jsb_frames *f, const char *buf, size_t len, jsb_frame_fn fn, void *ctx)
{
	while (len) {
		if (f->left == 0) {
			size_t n = JSB_FRAME_HEADER - f->head_len;
			if (n > len)
				n = len;
			memcpy(f->head + f->head_len, buf, n);
			f->head_len += n;
			buf += n;
			len -= n;
			if (f->head_len < JSB_FRAME_HEADER)
				return;
			f->channel = f->head[0];
			f->left = (size_t)f->head[1] | (size_t)f->head[2] << 8 |
			          (size_t)f->head[3] << 16 | (size_t)f->head[4] << 24;
			f->head_len = 0;
			if (f->left == 0)
				fn(ctx, f->channel, buf, 0, true);
			continue;
		}
		size_t n = len < f->left ? len : f->left;
		f->left -= n;
		fn(ctx, f->channel, buf, n, f->left == 0);
		buf += n;
		len -= n;
	}
}
