/* Fuzz target: the frame protocol as the supervisor reads it, from an
 * evaluator that may be compromised.  The input is split in two: bytes as
 * they come from the pipe (fed in pieces of fuzzed sizes), and the shared
 * page's output buffer as a dead evaluator may have left it.  Pieces
 * handed on stay inside what was fed and add up to each header's length. */
#include <string.h>

#include "engine/confined/limits.h"
#include "engine/confined/out.h"
#include "engine/lib/wire.h"
#include "tests/fuzz/fuzz.h"

struct seen {
	const char *from, *to; /* the bytes being fed */
	int channel;
	uint64_t got, want; /* payload bytes of the frame being read */
	struct jsb_frames *f;
};

static void deliver(void *ctx, int channel, const char *data, size_t len, bool last)
{
	struct seen *s = ctx;
	FUZZ_CHECK(channel >= 0 && channel <= 255);
	FUZZ_CHECK(len == 0 || (data >= s->from && data + len <= s->to));
	if (s->got == 0 && s->want == 0) { /* a frame's first piece */
		s->channel = channel;
		s->want = s->f->left + len;
	}
	FUZZ_CHECK(channel == s->channel);
	s->got += len;
	FUZZ_CHECK(s->got <= s->want);
	FUZZ_CHECK(last == (s->got == s->want));
	if (last)
		s->got = s->want = 0;
}

/* Feeds buf in pieces whose sizes the first bytes choose. */
static void feed(struct jsb_frames *f, struct seen *s, const char *buf, size_t len,
                 const uint8_t *steps, size_t nsteps)
{
	size_t k = 0;
	while (len) {
		size_t n = nsteps ? (size_t)steps[k++ % nsteps] + 1 : len;
		if (n > len)
			n = len;
		s->from = buf;
		s->to = buf + n;
		jsb_frames_feed(f, buf, n, deliver, s);
		buf += n;
		len -= n;
	}
}

/* The page's buffer from the fuzzer's bytes: fields first, then data. */
static void fill_page(struct jsb_outbuf *b, const uint8_t *data, size_t size)
{
	uint64_t w[3] = {0, 0, 0};
	size_t head = size < sizeof w ? size : sizeof w;
	memcpy(w, data, head);
	b->flushing = (int)(w[0] & 1);
	b->channel = (int)(w[0] >> 1 & 0xff);
	b->frame_at = (size_t)w[1] % (sizeof b->data + 64);
	b->len = (size_t)w[2] % (sizeof b->data + 64);
	memset(b->data, 0, sizeof b->data);
	size_t n = size - head < sizeof b->data ? size - head : sizeof b->data;
	memcpy(b->data, data + head, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct jsb_outbuf page; /* 64 KiB: not on the stack */
	if (size < 2)
		return 0;
	size_t nsteps = data[0] % 8, split = data[1];
	data += 2, size -= 2;
	if (nsteps > size)
		nsteps = size;
	const uint8_t *steps = data;
	data += nsteps, size -= nsteps;
	split = size ? split * size / 256 : 0;

	struct jsb_frames f = {0};
	struct seen s = {.f = &f};
	feed(&f, &s, (const char *)data, split, steps, nsteps);

	fill_page(&page, data + split, size - split);
	size_t len = jsb_wire_pending(&page);
	FUZZ_CHECK(len <= sizeof page.data);
	feed(&f, &s, page.data, len, steps, nsteps);
	return 0;
}
