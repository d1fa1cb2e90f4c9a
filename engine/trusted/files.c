/* The file reader: the supervisor resolves each requested path with
 * realpath, checks it lies under an --allow-read directory, opens it
 * beneath that directory (openat2 RESOLVE_BENEATH where the kernel has it)
 * and passes the descriptor back with SCM_RIGHTS.  The evaluator reads the
 * descriptor within its memory budget.  A reply is a code byte ('o' ok
 * with a descriptor, 'd' denied, 'e' error) and a message. */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "engine/confined/bindings.h"
#include "engine/confined/bridge.h"
#include "engine/trusted/confine.h"
#include "engine/trusted/files.h"

#define MAX_PATH 4096

static void reply(int sock, char code, const char *msg, int fd)
{
	char buf[512];
	size_t len = strlen(msg) < sizeof buf - 1 ? strlen(msg) : sizeof buf - 1;
	buf[0] = code;
	memcpy(buf + 1, msg, len);
	struct iovec iov = {buf, len + 1};
	union {
		struct cmsghdr h;
		char space[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
	if (fd >= 0) {
		memset(&ctl, 0, sizeof ctl);
		m.msg_control = ctl.space;
		m.msg_controllen = sizeof ctl.space;
		struct cmsghdr *c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof fd);
	}
	ssize_t n = sendmsg(sock, &m, MSG_NOSIGNAL | MSG_DONTWAIT);
	(void)n;
}

/* The allowed directory real lies under, or NULL. */
static const char *allowed_dir(const struct jsb_policy *p, const char *real)
{
	for (size_t i = 0; i < p->n_read_dirs; i++) {
		size_t len = strlen(p->read_dirs[i]);
		if (strncmp(real, p->read_dirs[i], len) == 0 &&
		    (real[len] == '/' || real[len] == '\0'))
			return p->read_dirs[i];
		if (strcmp(p->read_dirs[i], "/") == 0)
			return p->read_dirs[i];
	}
	return NULL;
}

/* Opens real beneath dir without following symlinks, so a path swapped
 * after the check cannot lead outside.  O_NONBLOCK: opening a FIFO (or a
 * device) must not stall the supervisor, which enforces the deadline; only
 * regular files are passed on, where the flag changes nothing. */
static int open_beneath(const char *dir, const char *real)
{
	int dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -1;
	const char *rel = real + strlen(dir);
	while (*rel == '/')
		rel++;
	struct open_how how = {.flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK,
	                       .resolve =
	                           RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS};
	int fd = (int)syscall(SYS_openat2, dfd, *rel ? rel : ".", &how, sizeof how);
	if (fd < 0 && errno == ENOSYS)
		fd = openat(dfd, *rel ? rel : ".",
		            O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK);
	int saved = errno;
	close(dfd);
	errno = saved;
	return fd;
}

void jsb_files_serve(int sock, const struct jsb_policy *policy)
{
	char path[MAX_PATH + 1];
	ssize_t n = recv(sock, path, MAX_PATH, MSG_DONTWAIT);
	if (n <= 0)
		return;
	path[n] = '\0';
	if (memchr(path, '\0', (size_t)n)) {
		reply(sock, 'e', "the path contains a NUL character", -1);
		return;
	}
	char *real = realpath(path, NULL);
	if (!real) {
		reply(sock, 'e', strerror(errno), -1);
		return;
	}
	const char *dir = allowed_dir(policy, real);
	if (!dir) {
		reply(sock, 'd', "it is not under an --allow-read directory", -1);
		free(real);
		return;
	}
	struct stat st;
	int fd = open_beneath(dir, real);
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		reply(sock, 'e', fd < 0 ? strerror(errno) : "not a regular file", -1);
		if (fd >= 0)
			close(fd);
		free(real);
		return;
	}
	reply(sock, 'o', "", fd);
	close(fd);
	free(real);
}

/* Sends the request and takes the reply: code, message, descriptor. */
static char ask(int sock, const char *path, size_t len, char *msg, size_t msgsize, int *fd)
{
	char buf[512];
	union {
		struct cmsghdr h;
		char space[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct iovec iov = {buf, sizeof buf - 1};
	struct msghdr m = {.msg_iov = &iov,
	                   .msg_iovlen = 1,
	                   .msg_control = ctl.space,
	                   .msg_controllen = sizeof ctl.space};
	*fd = -1;
	if (send(sock, path, len, MSG_NOSIGNAL) != (ssize_t)len)
		return 'e';
	ssize_t n = recvmsg(sock, &m, MSG_CMSG_CLOEXEC);
	if (n < 1)
		return 'e';
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
		memcpy(fd, CMSG_DATA(c), sizeof *fd);
	size_t mlen = (size_t)n - 1 < msgsize - 1 ? (size_t)n - 1 : msgsize - 1;
	memcpy(msg, buf + 1, mlen);
	msg[mlen] = '\0';
	return buf[0];
}

/* Reads all of fd into the budget and pushes it as a string. */
static duk_ret_t push_file(duk_context *ctx, struct jsb_eval *ev, int fd, const char *path)
{
	struct stat st;
	if (jsb_confine_fstat(fd, &st) != 0 ||
	    (uint64_t)st.st_size >= ev->heap.limit - ev->heap.used) {
		close(fd);
		return duk_error(ctx, DUK_ERR_RANGE_ERROR,
		                 "readFile: %s does not fit the memory limit", path);
	}
	size_t size = (size_t)st.st_size, got = 0;
	char *buf = jsb_heap_alloc(&ev->heap, size + 1);
	while (buf && got < size) {
		ssize_t r = read(fd, buf + got, size - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (!buf)
		return duk_error(ctx, DUK_ERR_RANGE_ERROR,
		                 "readFile: %s does not fit the memory limit", path);
	bool ok = jsb_bridge_push_text(ctx, &ev->heap, buf, got);
	jsb_heap_free(&ev->heap, buf);
	if (!ok)
		return duk_error(ctx, DUK_ERR_RANGE_ERROR,
		                 "readFile: %s does not fit the memory limit", path);
	return 1;
}

static duk_ret_t read_file(duk_context *ctx)
{
	struct jsb_eval *ev = jsb_run_current(ctx);
	duk_size_t len;
	const char *path = duk_to_lstring(ctx, 0, &len);
	char msg[512], what[MAX_PATH + 64];
	int fd;
	if (len == 0 || len > MAX_PATH)
		return duk_error(ctx, DUK_ERR_TYPE_ERROR, "readFile: expected a path");
	switch (ask(ev->files_fd, path, len, msg, sizeof msg, &fd)) {
	case 'o':
		if (fd >= 0)
			return push_file(ctx, ev, fd, path);
		return duk_error(ctx, DUK_ERR_ERROR, "readFile: %s: no descriptor received", path);
	case 'd':
		snprintf(what, sizeof what, "reading %s (%s)", path, msg);
		return jsb_bindings_deny(ctx, JSB_CAP_READ, what);
	default: return duk_error(ctx, DUK_ERR_ERROR, "readFile: %s: %s", path, msg);
	}
}

void jsb_files_install(struct jsb_eval *ev)
{
	duk_push_c_function(ev->ctx, read_file, 1);
	duk_put_prop_string(ev->ctx, -2, "readFile");
}
