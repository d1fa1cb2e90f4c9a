/* The file reader: the supervisor checks each requested path, as written,
 * against the --allow-read directories, opens it beneath the one it names
 * (openat2 RESOLVE_BENEATH where the kernel has it) and passes the
 * descriptor back with SCM_RIGHTS; a path outside gets one answer whether
 * it exists or not.  The evaluator reads the
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
#include "engine/lib/fstat.h"
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

static const char outside[] = "it is not under an --allow-read directory";

/* The path as asked, made absolute against the supervisor's working
 * directory (the kernel's, already free of links), with "//" and "."
 * components dropped.  ".." stays: it is the kernel's to resolve, beneath
 * the allowed directory.  False when it does not fit. */
static bool absolute(const char *path, char *out, size_t size)
{
	size_t n = 0;
	if (path[0] != '/') {
		if (!getcwd(out, size))
			return false;
		n = strlen(out);
	}
	for (const char *p = path; *p;) {
		const char *end = strchrnul(p, '/');
		size_t len = (size_t)(end - p);
		if (len && !(len == 1 && p[0] == '.')) {
			if (len + 2 > size - n)
				return false;
			if (n == 0 || out[n - 1] != '/')
				out[n++] = '/';
			memcpy(out + n, p, len);
			n += len;
		}
		p = *end ? end + 1 : end;
	}
	if (n == 0)
		out[n++] = '/';
	out[n] = '\0';
	return true;
}

/* The allowed directory path lies under as written, or NULL.  Nothing is
 * looked up, so the answer for a path outside every directory cannot
 * depend on what exists there. */
static const char *allowed_dir(const struct jsb_policy *p, const char *path)
{
	for (size_t i = 0; i < p->n_read_dirs; i++) {
		const char *dir = p->read_dirs[i];
		size_t len = strlen(dir);
		if (strcmp(dir, "/") == 0)
			return dir;
		if (strncmp(path, dir, len) == 0 && (path[len] == '/' || path[len] == '\0'))
			return dir;
	}
	return NULL;
}

/* Walks rel beneath dfd one component at a time without following links:
 * the fallback where the kernel has no openat2.  ".." could climb out, so
 * it is refused (EXDEV, as RESOLVE_BENEATH says it). */
static int walk_beneath(int dfd, const char *rel, int flags)
{
	char part[MAX_PATH + 1];
	int at = dup(dfd);
	while (at >= 0 && *rel) {
		const char *end = strchrnul(rel, '/');
		size_t len = (size_t)(end - rel);
		memcpy(part, rel, len);
		part[len] = '\0';
		rel = *end ? end + 1 : end;
		if (strcmp(part, "..") == 0) {
			close(at);
			errno = EXDEV;
			return -1;
		}
		int next = openat(at, part,
		                  *rel ? O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC
		                       : flags | O_NOFOLLOW);
		int saved = errno;
		close(at);
		errno = saved;
		at = next;
	}
	return at;
}

/* Opens rel beneath dir: openat2 with RESOLVE_BENEATH where the kernel has
 * it, so neither ".." nor a link can lead outside (EXDEV), and a path
 * swapped during the walk cannot either.  O_NONBLOCK: opening a FIFO (or a
 * device) must not stall the supervisor, which enforces the deadline; only
 * regular files are passed on, where the flag changes nothing. */
static int open_beneath(const char *dir, const char *rel)
{
	int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
	int dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -1;
	if (!*rel)
		rel = ".";
	struct open_how how = {.flags = (uint64_t)flags,
	                       .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS};
	int fd = (int)syscall(SYS_openat2, dfd, rel, &how, sizeof how);
	if (fd < 0 && errno == ENOSYS)
		fd = walk_beneath(dfd, rel, flags);
	int saved = errno;
	close(dfd);
	errno = saved;
	return fd;
}

void jsb_files_serve(int sock, const struct jsb_policy *policy)
{
	char path[MAX_PATH + 1], full[2 * MAX_PATH + 2];
	ssize_t n = recv(sock, path, MAX_PATH, MSG_DONTWAIT);
	if (n <= 0)
		return;
	path[n] = '\0';
	if (memchr(path, '\0', (size_t)n)) {
		reply(sock, 'e', "the path contains a NUL character", -1);
		return;
	}
	const char *dir = absolute(path, full, sizeof full) ? allowed_dir(policy, full) : NULL;
	if (!dir) {
		reply(sock, 'd', outside, -1);
		return;
	}
	struct stat st;
	int fd = open_beneath(dir, full + (strcmp(dir, "/") == 0 ? 1 : strlen(dir) + 1));
	if (fd < 0 && errno == EXDEV) {
		reply(sock, 'd', outside, -1);
		return;
	}
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		reply(sock, 'e', fd < 0 ? strerror(errno) : "not a regular file", -1);
		if (fd >= 0)
			close(fd);
		return;
	}
	reply(sock, 'o', "", fd);
	close(fd);
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
	if (jsb_fstat(fd, &st) != 0 || (uint64_t)st.st_size >= ev->heap.limit - ev->heap.used) {
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
	struct jsb_eval *ev = jsb_eval_current(ctx);
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
