/* Confinement of the evaluator process: only the descriptors it needs, no
 * core files, no files written, bounded CPU seconds and descriptors.
 * Runs after fork and before the heap exists; must not allocate much. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "engine/confine.h"

static int compare_fd(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Closes every descriptor but the kept ones: close_range() over the gaps,
 * one close() at a time only where the kernel lacks it. */
static void close_others(const int *keep, size_t nkeep)
{
	int sorted[8];
	size_t n = nkeep < 8 ? nkeep : 8;
	memcpy(sorted, keep, n * sizeof *keep);
	qsort(sorted, n, sizeof *sorted, compare_fd);
	unsigned first = 0;
	for (size_t i = 0; i <= n; i++) {
		unsigned last = i < n ? (unsigned)sorted[i] : ~0u;
		if (last > first && close_range(first, last - 1, 0) != 0)
			for (unsigned fd = first; fd < last && fd < 65536; fd++)
				close((int)fd);
		first = last + 1;
	}
}

static bool set_limit(int resource, rlim_t value, const char *name, char *err, size_t errsize)
{
	struct rlimit rl = {value, value};
	if (setrlimit(resource, &rl) == 0)
		return true;
	snprintf(err, errsize, "cannot set %s: %s", name, strerror(errno));
	return false;
}

bool jsb_confine_apply(const struct jsb_job *job, const int *keep, size_t nkeep, char *err,
                       size_t errsize)
{
	close_others(keep, nkeep);
	/* CPU seconds: a backstop behind the supervisor's wall-clock kill. */
	rlim_t cpu = (rlim_t)(job->policy->timeout_ms / 1000 + 2);
	int max_fd = 0;
	for (size_t i = 0; i < nkeep; i++)
		if (keep[i] > max_fd)
			max_fd = keep[i];
	if (!set_limit(RLIMIT_CORE, 0, "RLIMIT_CORE", err, errsize) ||
	    !set_limit(RLIMIT_CPU, cpu, "RLIMIT_CPU", err, errsize) ||
	    !set_limit(RLIMIT_FSIZE, 0, "RLIMIT_FSIZE", err, errsize) ||
	    !set_limit(RLIMIT_NOFILE, (rlim_t)max_fd + 1, "RLIMIT_NOFILE", err, errsize))
		return false;
	if (prctl(PR_SET_DUMPABLE, 0) != 0) {
		snprintf(err, errsize, "cannot clear dumpable: %s", strerror(errno));
		return false;
	}
	return true;
}
