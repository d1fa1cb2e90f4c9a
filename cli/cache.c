/* The transpile cache.  An entry is named by a hash of jsbox's version, the
 * transpiler's build and the source, and holds them (a header line, then the
 * source), so a hash collision or another build's entry is a miss,
 * never someone else's code.  It also holds the translation's time bound
 * (transpile_timeout) it was made under: a run only takes an entry made
 * within its own bound, so a cached run never succeeds where a first run
 * would have run out of time.  Entries are written to a temporary file and
 * renamed, so a reader never sees half an entry. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cache.h"
#include "engine/engine.h"
#include "jsb_config.h"

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

/* dir (created if absent) and the entry's path; false when there is no
 * usable cache directory. */
static bool entry_path(const char *source, size_t len, char *dir, size_t dsize, char *path,
                       size_t psize)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	int n;
	if (xdg && xdg[0] == '/')
		n = snprintf(dir, dsize, "%s/jsbox", xdg);
	else if (home && home[0] == '/')
		n = snprintf(dir, dsize, "%s/.cache/jsbox", home);
	else
		return false;
	if (n < 0 || (size_t)n >= dsize)
		return false;
	uint64_t h = fnv1a(fnv1a(14695981039346656037u, magic(), strlen(magic())), source, len);
	n = snprintf(path, psize, "%s/%016llx.js", dir, (unsigned long long)h);
	return n > 0 && (size_t)n < psize;
}

static char *read_file(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	if (fd < 0)
		return NULL;
	char *buf = NULL;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size < (off_t)1 << 30 &&
	    (buf = malloc((size_t)st.st_size + 1)) != NULL) {
		ssize_t r = read(fd, buf, (size_t)st.st_size);
		if (r != st.st_size) {
			free(buf);
			buf = NULL;
		} else {
			*len = (size_t)r;
		}
	}
	close(fd);
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

bool jsb_cache_load(const char *source, size_t len, uint64_t bound_ms, char **es5, size_t *es5_len)
{
	char dir[4096], path[4200];
	size_t n, skip;
	if (!entry_path(source, len, dir, sizeof dir, path, sizeof path))
		return false;
	char *buf = read_file(path, &n);
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

void jsb_cache_store(const char *source, size_t len, uint64_t bound_ms, const char *es5,
                     size_t es5_len)
{
	char dir[4096], path[4200], tmp[4300], head[64];
	if (!entry_path(source, len, dir, sizeof dir, path, sizeof path))
		return;
	/* ~/.cache may not exist yet; the jsbox directory is private. */
	char *slash = strrchr(dir, '/');
	*slash = '\0';
	mkdir(dir, 0700);
	*slash = '/';
	mkdir(dir, 0700);
	snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	int hl = snprintf(head, sizeof head, "%zu %llu\n", len, (unsigned long long)bound_ms);
	bool ok = write_all(fd, magic(), strlen(magic())) && write_all(fd, head, (size_t)hl) &&
	          write_all(fd, source, len) && write_all(fd, es5, es5_len);
	ok = close(fd) == 0 && ok;
	if (!ok || rename(tmp, path) != 0)
		unlink(tmp);
}
