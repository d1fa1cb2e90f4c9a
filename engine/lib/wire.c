/* Frame encoding and decoding shared by the parent and the evaluator.
 * Owns no state; the decoder accepts any bytes (a compromised evaluator's
 * included) without reading or writing out of bounds. */
#include <stdatomic.h>
#include <string.h>

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

const char *jsb_wire_limit_name(int limit)
{
	/* In enum jsb_stop's order, from JSB_STOP_TIME. */
	static const char *const names[] = {"time",   "memory",    "output",
	                                    "policy", "interrupt", "input"};
	return limit >= 1 && (size_t)limit <= sizeof names / sizeof names[0] ? names[limit - 1]
	                                                                     : NULL;
}
