/* Non-blocking output for the parent (see sink.h).  A write never waits:
 * RWF_NOWAIT where the kernel takes it for pipes, else at most PIPE_BUF
 * bytes when poll says there is room, which a pipe takes whole. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "engine/trusted/sink.h"

#define CHUNK (64 * 1024)

struct jsb_chunk {
	struct jsb_chunk *next;
	int fd;
	size_t off, len, cap;
	char data[];
};

static void fail(struct jsb_sink *k, int fd, int e)
{
	if (!k->error) {
		k->error = e;
		k->failed = fd == 1 ? "stdout" : "stderr";
	}
}

/* One write that does not wait; bytes written, 0 when none could go. */
static size_t try_write(struct jsb_sink *k, int fd, const char *data, size_t len)
{
	struct iovec v = {(void *)(uintptr_t)data, len};
	ssize_t w = -1;
	if (k->nowait[fd] >= 0) {
		w = pwritev2(fd, &v, 1, -1, RWF_NOWAIT);
		if (w < 0 && (errno == EOPNOTSUPP || errno == EINVAL || errno == ESPIPE)) {
			k->nowait[fd] = -1; /* a terminal, a socket, an older kernel */
		} else {
			k->nowait[fd] = 1;
		}
	}
	if (k->nowait[fd] < 0) {
		struct stat st;
		struct pollfd p = {.fd = fd, .events = POLLOUT};
		bool regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
		if (!regular && poll(&p, 1, 0) <= 0)
			return 0;
		w = write(fd, data, regular || len < PIPE_BUF ? len : PIPE_BUF);
	}
	if (w >= 0)
		return (size_t)w;
	if (errno != EAGAIN && errno != EINTR)
		fail(k, fd, errno);
	return 0;
}

void jsb_sink_flush(struct jsb_sink *k)
{
	while (k->head && !k->error) {
		struct jsb_chunk *c = k->head;
		size_t w = try_write(k, c->fd, c->data + c->off, c->len - c->off);
		if (w == 0)
			return;
		c->off += w;
		k->backlog -= w;
		if (c->off < c->len)
			return; /* the reader is full: try again when poll says so */
		k->head = c->next;
		if (!k->head)
			k->tail = NULL;
		free(c);
	}
}

static bool queue(struct jsb_sink *k, int fd, const char *data, size_t len)
{
	struct jsb_chunk *t = k->tail;
	if (t && t->fd == fd && t->cap - t->len >= len) {
		memcpy(t->data + t->len, data, len);
		t->len += len;
		k->backlog += len;
		return true;
	}
	size_t cap = len > CHUNK ? len : CHUNK;
	struct jsb_chunk *c = malloc(sizeof *c + cap);
	if (!c) {
		fail(k, fd, ENOMEM);
		return false;
	}
	*c = (struct jsb_chunk){.fd = fd, .len = len, .cap = cap};
	memcpy(c->data, data, len);
	if (t)
		t->next = c;
	else
		k->head = c;
	k->tail = c;
	k->backlog += len;
	return true;
}

bool jsb_sink_put(struct jsb_sink *k, int fd, const char *data, size_t len)
{
	if (k->error || len == 0)
		return k->error == 0;
	k->total += len;
	if (!k->head) { /* the usual case: the reader keeps up */
		size_t w = try_write(k, fd, data, len);
		data += w;
		len -= w;
		if (len == 0 || k->error)
			return k->error == 0;
	}
	return queue(k, fd, data, len);
}

int jsb_sink_fds(const struct jsb_sink *k, struct pollfd *p)
{
	if (!k->head || k->error)
		return 0;
	*p = (struct pollfd){.fd = k->head->fd, .events = POLLOUT};
	return 1;
}

void jsb_sink_finish(struct jsb_sink *k)
{
	for (;;) {
		jsb_sink_flush(k);
		struct pollfd p;
		if (!jsb_sink_fds(k, &p))
			break;
		if (poll(&p, 1, -1) < 0 && errno != EINTR)
			fail(k, p.fd, errno);
		if (p.revents & (POLLERR | POLLNVAL))
			fail(k, p.fd, EPIPE);
	}
	while (k->head) {
		struct jsb_chunk *c = k->head;
		k->head = c->next;
		free(c);
	}
	k->tail = NULL;
	k->backlog = 0;
}
