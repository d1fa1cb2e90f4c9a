/* The transpile cache.  An entry is named by a hash of jsbox's version, the
 * transpiler's build and the source, and holds them (a header line, then the
 * source), so a hash collision or another build's entry is a miss,
 * never someone else's code.  It also holds the translation's time bound
 * (transpile_timeout) it was made under: a run only takes an entry made
 * within its own bound, so a cached run never succeeds where a first run
 * would have run out of time.  Entries are written to a temporary file and
 * renamed, so a reader never sees half an entry.
 *
 * A cached translation runs as the script, so the cache is trusted only as
 * far as its owner: the directory and each entry must belong to the running
 * user and be writable by no one else, and no link is followed (every open
 * is beneath a descriptor of the checked directory, with O_NOFOLLOW).
 * Anything else (a foreign or shared directory, a link, a FIFO, a foreign
 * entry) turns the cache off for the run, with one warning. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cache.h"
#include "common/jsbox.h"
#include "engine/engine.h"
#include "jsb_config.h"

/* Larger entries are not read: no translation of a source under the
 * permissive 16 MiB code limit comes near it. */
#define ENTRY_MAX ((off_t)1 << 30)

/* The first line of an entry. */
static const char *magic(void)
{
	static char line[96];
	if (!line[0])
		snprintf(line, sizeof line, "jsbox-es5 %s %s\n", JSB_VERSION,
		         jsb_engine_transpiler_id());
	return line;
}

static uint64_t fnv1a(uint64_t h, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 1099511628211u;
	return h;
}

/* Turns the cache off for the rest of the run, saying why once. */
static void refuse(struct jsb_cache *c, const char *what, const char *why)
{
	if (c->off)
		return;
	c->off = true;
	jsb_error("warning", "cache %s %s: running without the cache", what, why);
}

/* Why st may not be trusted as the running user's private file or
 * directory, or NULL when it may. */
static const char *untrusted(const struct stat *st, mode_t type)
{
	if ((st->st_mode & S_IFMT) != type)
		return type == S_IFDIR ? "is not a directory" : "is not a regular file";
	if (st->st_uid != geteuid())
		return "is owned by another user";
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return "is writable by group or others";
	return NULL;
}

/* Why name beneath dir could not be opened (error e): with O_NOFOLLOW a
 * link fails as ELOOP, or ENOTDIR where a directory was asked for. */
static const char *not_opened(int dir, const char *name, int e)
{
	struct stat st;
	if ((e == ELOOP || e == ENOTDIR) && fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return S_ISLNK(st.st_mode) ? "is a symbolic link" : "is not a directory";
	return strerror(e);
}

/* The directory holding the cache ($XDG_CACHE_HOME or ~/.cache), or false. */
static bool parent_path(char *buf, size_t size)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	int n;
	if (xdg && xdg[0] == '/')
		n = snprintf(buf, size, "%s", xdg);
	else if (home && home[0] == '/')
		n = snprintf(buf, size, "%s/.cache", home);
	else
		return false;
	return n > 0 && (size_t)n < size;
}

/* Opens (creating it when asked) the jsbox directory beneath the parent and
 * checks it; c->dir stays -1 when there is none or it is refused. */
static void open_dir(struct jsb_cache *c, bool create)
{
	char parent[4096];
	struct stat st;
	if (c->off || c->dir >= 0 || !parent_path(parent, sizeof parent))
		return;
	if (create)
		mkdir(parent, 0700);
	int pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0)
		return;
	if (create)
		mkdirat(pfd, "jsbox", 0700);
	int fd = openat(pfd, "jsbox", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int e = errno;
	if (fd < 0 && e != ENOENT) /* absent is the ordinary first run */
		refuse(c, "directory", not_opened(pfd, "jsbox", e));
	close(pfd);
	if (fd < 0)
		return;
	const char *why = fstat(fd, &st) == 0 ? untrusted(&st, S_IFDIR) : strerror(errno);
	if (why) {
		close(fd);
		refuse(c, "directory", why);
		return;
	}
	c->dir = fd;
}

static void entry_name(const char *source, size_t len, char *name, size_t size)
{
	uint64_t h = fnv1a(fnv1a(14695981039346656037u, magic(), strlen(magic())), source, len);
	snprintf(name, size, "%016llx.js", (unsigned long long)h);
}

static bool read_all(int fd, char *buf, size_t n)
{
	while (n) {
		ssize_t r = read(fd, buf, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		buf += r;
		n -= (size_t)r;
	}
	return true;
}

/* The entry's bytes, or NULL on a miss (absent) or a refused entry.
 * O_NONBLOCK: opening a FIFO must not wait for a writer. */
static char *read_entry(struct jsb_cache *c, const char *name, size_t *len)
{
	struct stat st;
	int fd = openat(c->dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT)
			refuse(c, "entry", not_opened(c->dir, name, errno));
		return NULL;
	}
	const char *why = fstat(fd, &st) == 0 ? untrusted(&st, S_IFREG) : strerror(errno);
	if (!why && st.st_size >= ENTRY_MAX)
		why = "is too large";
	char *buf = why ? NULL : malloc((size_t)st.st_size + 1);
	if (buf && !read_all(fd, buf, (size_t)st.st_size)) {
		free(buf);
		buf = NULL;
	}
	close(fd);
	if (why)
		refuse(c, "entry", why);
	*len = buf ? (size_t)st.st_size : 0;
	return buf;
}

/* Whether the entry's second header line, "LEN BOUND\n" after the magic
 * line, is the source's length and a bound within ours; sets *skip to
 * where the source starts. */
static bool header_fits(const char *buf, size_t n, size_t len, uint64_t bound_ms, size_t *skip)
{
	size_t m = strlen(magic());
	if (n < m || memcmp(buf, magic(), m) != 0)
		return false;
	const char *nl = memchr(buf + m, '\n', n - m);
	unsigned long long l, b;
	char tail;
	if (!nl || nl - (buf + m) > 48)
		return false;
	char head[64];
	memcpy(head, buf + m, (size_t)(nl - (buf + m)));
	head[nl - (buf + m)] = '\0';
	if (sscanf(head, "%llu %llu%c", &l, &b, &tail) != 2 || l != len || b > bound_ms)
		return false;
	*skip = (size_t)(nl + 1 - buf);
	return true;
}

bool jsb_cache_load(struct jsb_cache *c, const char *source, size_t len, uint64_t bound_ms,
                    char **es5, size_t *es5_len)
{
	char name[32];
	size_t n, skip;
	open_dir(c, false);
	if (c->dir < 0)
		return false;
	entry_name(source, len, name, sizeof name);
	char *buf = read_entry(c, name, &n);
	if (!buf)
		return false;
	bool ok = header_fits(buf, n, len, bound_ms, &skip) && n - skip >= len &&
	          memcmp(buf + skip, source, len) == 0;
	if (!ok) {
		free(buf);
		return false;
	}
	skip += len;
	memmove(buf, buf + skip, n - skip);
	*es5 = buf;
	*es5_len = n - skip;
	return true;
}

static bool write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

void jsb_cache_store(struct jsb_cache *c, const char *source, size_t len, uint64_t bound_ms,
                     const char *es5, size_t es5_len)
{
	char name[32], tmp[64], head[64];
	open_dir(c, true);
	if (c->dir < 0)
		return;
	entry_name(source, len, name, sizeof name);
	snprintf(tmp, sizeof tmp, "%s.%ld.tmp", name, (long)getpid());
	int fd = openat(c->dir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	int hl = snprintf(head, sizeof head, "%zu %llu\n", len, (unsigned long long)bound_ms);
	bool ok = write_all(fd, magic(), strlen(magic())) && write_all(fd, head, (size_t)hl) &&
	          write_all(fd, source, len) && write_all(fd, es5, es5_len);
	ok = close(fd) == 0 && ok;
	if (!ok || renameat(c->dir, tmp, c->dir, name) != 0)
		unlinkat(c->dir, tmp, 0);
}

void jsb_cache_close(struct jsb_cache *c)
{
	if (c->dir >= 0)
		close(c->dir);
	c->dir = -1;
}
