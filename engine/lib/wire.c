/* Frame encoding and decoding shared by the parent and the evaluator.
 * Owns no state; the decoder accepts any bytes (a compromised evaluator's
 * included) without reading or writing out of bounds. */
#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/uio.h>

#include "engine/lib/wire.h"

void jsb_wire_header(unsigned char h[JSB_FRAME_HEADER], int channel, uint32_t n)
{
	h[0] = (unsigned char)channel;
	for (int k = 0; k < 4; k++)
		h[1 + k] = (unsigned char)(n >> (8 * k));
}

void jsb_wire_close_frame(struct jsb_outbuf *b)
{
	if (!b->channel)
		return;
	uint32_t n = (uint32_t)(b->len - b->frame_at - JSB_FRAME_HEADER);
	jsb_wire_header((unsigned char *)b->data + b->frame_at, b->channel, n);
	/* The parent may read the buffer at any instruction of the evaluator's
	 * (its death): each change is complete in memory before the next. */
	atomic_signal_fence(memory_order_seq_cst);
	b->channel = 0;
}

size_t jsb_wire_pending(struct jsb_outbuf *b)
{
	if (b->flushing || b->len > sizeof b->data)
		return 0;
	if (b->channel) {
		/* A frame opened but its header not yet counted holds nothing. */
		if (b->frame_at > b->len || b->len - b->frame_at < JSB_FRAME_HEADER)
			b->len = b->frame_at <= b->len ? b->frame_at : 0;
		else
			jsb_wire_close_frame(b);
	}
	return b->len;
}

bool jsb_frames_between(const struct jsb_frames *f)
{
	return f->left == 0 && f->head_len == 0;
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

/* A job payload: the fixed fields as little-endian u64s, then each string
 * as a u64 length, its bytes and a NUL. */
static size_t put_u64(char *buf, size_t at, uint64_t v)
{
	if (buf)
		for (int k = 0; k < 8; k++)
			buf[at + (size_t)k] = (char)(v >> (8 * k));
	return at + 8;
}

static size_t put_str(char *buf, size_t at, const char *s, size_t len)
{
	at = put_u64(buf, at, len);
	if (buf) {
		memcpy(buf + at, s, len);
		buf[at + len] = '\0';
	}
	return at + len + 1;
}

size_t jsb_wire_job_pack(const struct jsb_wire_job *j, char *buf)
{
	size_t at = 0;
	uint64_t fixed[] = {
	    j->flags,      j->caps,       j->memory,     j->timeout_ms, j->transpile_timeout_ms,
	    j->max_output, j->max_timers, j->input != 0, j->n_binds};
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		at = put_u64(buf, at, fixed[i]);
	at = put_str(buf, at, j->source, j->source_len);
	at = put_str(buf, at, j->input ? j->input : "", j->input ? j->input_len : 0);
	for (size_t i = 0; i < j->n_binds; i++) {
		at = put_str(buf, at, j->bind_names[i], strlen(j->bind_names[i]));
		at = put_str(buf, at, j->bind_values[i], strlen(j->bind_values[i]));
	}
	return at;
}

struct cursor {
	const char *buf;
	size_t len, at;
	bool ok;
};

static uint64_t get_u64(struct cursor *c)
{
	uint64_t v = 0;
	if (!c->ok || c->len - c->at < 8) {
		c->ok = false;
		return 0;
	}
	for (int k = 0; k < 8; k++)
		v |= (uint64_t)(unsigned char)c->buf[c->at + (size_t)k] << (8 * k);
	c->at += 8;
	return v;
}

static const char *get_str(struct cursor *c, size_t *len)
{
	uint64_t n = get_u64(c);
	if (!c->ok || n >= c->len - c->at || c->buf[c->at + n] != '\0') {
		c->ok = false;
		return NULL;
	}
	const char *s = c->buf + c->at;
	c->at += (size_t)n + 1;
	*len = (size_t)n;
	return s;
}

bool jsb_wire_job_unpack(struct jsb_wire_job *j, const char *buf, size_t len)
{
	struct cursor c = {buf, len, 0, true};
	*j = (struct jsb_wire_job){0};
	j->flags = (uint32_t)get_u64(&c);
	j->caps = (uint32_t)get_u64(&c);
	j->memory = get_u64(&c);
	j->timeout_ms = get_u64(&c);
	j->transpile_timeout_ms = get_u64(&c);
	j->max_output = get_u64(&c);
	j->max_timers = get_u64(&c);
	bool has_input = get_u64(&c) != 0;
	uint64_t n_binds = get_u64(&c);
	if (!c.ok || n_binds > JSB_WIRE_MAX_BINDS)
		return false;
	j->source = get_str(&c, &j->source_len);
	j->input = get_str(&c, &j->input_len);
	if (!has_input)
		j->input = NULL;
	j->n_binds = (size_t)n_binds;
	for (size_t i = 0; i < j->n_binds; i++) {
		size_t n;
		j->bind_names[i] = get_str(&c, &n);
		j->bind_values[i] = get_str(&c, &n);
	}
	return c.ok && c.at == len;
}

const char *jsb_wire_limit_name(int limit)
{
	/* In enum jsb_stop's order, from JSB_STOP_TIME. */
	static const char *const names[] = {"time",   "memory",    "output",
	                                    "policy", "interrupt", "input"};
	return limit >= 1 && (size_t)limit <= sizeof names / sizeof names[0] ? names[limit - 1]
	                                                                     : NULL;
}

bool jsb_wire_writev(int fd, struct iovec *v, int n)
{
	int i = 0;
	while (i < n) {
		ssize_t w = writev(fd, v + i, n - i);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return false;
		while (i < n && (size_t)w >= v[i].iov_len)
			w -= (ssize_t)v[i++].iov_len;
		if (i < n) {
			v[i].iov_base = (char *)v[i].iov_base + w;
			v[i].iov_len -= (size_t)w;
		}
	}
	return true;
}
