/* The evaluator's jail, applied after fork and before the heap exists:
 * only the descriptors it needs, rlimits, no_new_privs, and a seccomp filter
 * that leaves it nothing but computing, allocating within its limit, and
 * talking to the supervisor over the descriptors it already holds.
 * Must not allocate much; the script never runs outside it. */
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "common/jsbox.h"
#include "engine/confine.h"

/* Address space beyond the heap limit: the binary, libraries, stack, and
 * malloc's own bookkeeping. */
#define AS_MARGIN (192ull << 20)

/* Where the SIGSYS handler leaves the number of a blocked call. */
static struct jsb_shared *jail_shared;

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

static bool set_limits(const struct jsb_job *job, const struct jsb_jail *jail, char *err,
                       size_t errsize)
{
	/* CPU seconds: a backstop behind the supervisor's wall-clock kill. */
	rlim_t cpu = (rlim_t)(job->policy->timeout_ms / 1000 + 2);
	int max_fd = jail->out_fd;
	if (jail->input_fd > max_fd)
		max_fd = jail->input_fd;
	if (jail->files_fd > max_fd)
		max_fd = jail->files_fd;
	if (!set_limit(RLIMIT_CORE, 0, "RLIMIT_CORE", err, errsize) ||
	    !set_limit(RLIMIT_CPU, cpu, "RLIMIT_CPU", err, errsize) ||
	    !set_limit(RLIMIT_FSIZE, 0, "RLIMIT_FSIZE", err, errsize) ||
	    !set_limit(RLIMIT_NPROC, 0, "RLIMIT_NPROC", err, errsize) ||
	    !set_limit(RLIMIT_NOFILE, (rlim_t)max_fd + 2, "RLIMIT_NOFILE", err, errsize))
		return false;
#if !defined(__SANITIZE_ADDRESS__)
	/* AddressSanitizer reserves terabytes of address space for its shadow
	 * memory, so the address-space cap exists only in builds without it;
	 * the capped allocator is the memory limit either way. */
	uint64_t as = job->policy->memory + AS_MARGIN;
	if (!set_limit(RLIMIT_AS, (rlim_t)as, "RLIMIT_AS", err, errsize))
		return false;
#endif
	return true;
}

/* glibc looks at the zone file (stat, open) whenever Date's local-time
 * conversions call mktime().  The evaluator cannot open files, so the zone
 * is pinned first: TZ is set to the POSIX rule at the end of the zone file
 * (TZif version 2 and later), which glibc applies without any file.  Dates
 * before the zone's last rule change then use the current rule. */
static void pin_timezone(void)
{
	char path[512], buf[65536];
	const char *tz = getenv("TZ");
	if (tz && *tz == ':')
		tz++;
	if (!tz || !*tz)
		snprintf(path, sizeof path, "/etc/localtime");
	else if (tz[0] == '/')
		snprintf(path, sizeof path, "%s", tz);
	else
		snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", tz);
	const char *rule = "UTC0";
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (n > 2 && n < (ssize_t)sizeof buf - 1 && memcmp(buf, "TZif", 4) == 0 &&
	    buf[n - 1] == '\n') {
		buf[n - 1] = '\0';
		char *start = memrchr(buf, '\n', (size_t)n - 1); /* the data before holds NULs */
		if (start && start[1])
			rule = start + 1;
	} else if (tz && *tz && !strchr(tz, '/') && fd < 0) {
		rule = tz; /* already a POSIX rule such as "EST5EDT" */
	}
	setenv("TZ", rule, 1);
	tzset();
}

/* A blocked call traps here instead of running: record which, then end.
 * Only async-signal-safe work; the supervisor names the call. */
static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	if (jail_shared)
		jail_shared->blocked_syscall = si->si_syscall + 1;
	_exit(JSB_EXIT_POLICY);
}

#define RULE(ctx, call, ...)                                                                       \
	(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(call),                                     \
	                  sizeof((struct scmp_arg_cmp[]){__VA_ARGS__}) /                           \
	                      sizeof(struct scmp_arg_cmp),                                         \
	                  __VA_ARGS__) == 0)
#define RULE0(ctx, call) (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(call), 0) == 0)

/* The allowlist: everything the evaluator does after this point. */
static bool allow_calls(scmp_filter_ctx f, const struct jsb_jail *jail)
{
	const scmp_datum_t out = (scmp_datum_t)jail->out_fd;
	bool ok =
	    /* Output frames go to the supervisor's pipe and nowhere else. */
	    RULE(f, write, SCMP_A0(SCMP_CMP_EQ, out)) &&
	    RULE(f, writev, SCMP_A0(SCMP_CMP_EQ, out)) &&
	    /* Input, and files the supervisor opened: only descriptors it holds. */
	    RULE0(f, read) && RULE0(f, close) && RULE0(f, fstat) &&
	    /* fstat() is newfstatat(fd, "", AT_EMPTY_PATH): never a path lookup. */
	    RULE(f, newfstatat, SCMP_A3(SCMP_CMP_MASKED_EQ, AT_EMPTY_PATH, AT_EMPTY_PATH)) &&
	    /* Memory, never executable: the heap is capped by the allocator. */
	    RULE0(f, brk) && RULE0(f, munmap) && RULE0(f, mremap) && RULE0(f, madvise) &&
	    RULE(f, mmap, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)) &&
	    RULE(f, mprotect, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)) &&
	    /* Clocks for the deadline and Date; sleeping until the next timer. */
	    RULE0(f, clock_gettime) && RULE0(f, gettimeofday) && RULE0(f, clock_nanosleep) &&
	    RULE0(f, nanosleep) &&
	    /* Reading (never setting) the stack limit for the native stack guard. */
	    RULE(f, prlimit64, SCMP_A2(SCMP_CMP_EQ, 0)) && RULE0(f, getrlimit) &&
	    /* --stats; Math.random's and malloc's seeds. */
	    RULE0(f, getrusage) && RULE0(f, getrandom) &&
	    /* The SIGINT handler (set up when the heap is) and returning from it. */
	    RULE(f, rt_sigaction, SCMP_A0(SCMP_CMP_EQ, SIGINT)) && RULE0(f, rt_sigprocmask) &&
	    RULE0(f, rt_sigreturn) &&
	    /* glibc may take a lock even in one thread. */
	    RULE0(f, futex) && RULE0(f, exit) && RULE0(f, exit_group);
#ifdef JSB_SANITIZED
	/* Sanitizer builds only: the runtime sets up an alternate signal stack
	 * in its sigaction() wrapper and reports errors on fd 2, which these
	 * builds keep open for it.  Release builds never allow these. */
	ok = ok && RULE0(f, sigaltstack) && RULE0(f, readlink) && RULE0(f, getpid) &&
	     RULE0(f, sched_yield) && RULE(f, write, SCMP_A0(SCMP_CMP_EQ, 2));
#endif
	if (ok && jail->files_fd >= 0) {
		/* readFile(): ask the supervisor, receive a descriptor. */
		const scmp_datum_t fs = (scmp_datum_t)jail->files_fd;
		ok = RULE(f, sendto, SCMP_A0(SCMP_CMP_EQ, fs)) &&
		     RULE(f, recvmsg, SCMP_A0(SCMP_CMP_EQ, fs));
	}
	return ok;
}

/* no_new_privs, then the filter: anything not allowed traps (SIGSYS) and
 * the handler ends the evaluator with the call's number recorded. */
static bool load_filter(const struct jsb_jail *jail, char *err, size_t errsize)
{
	struct sigaction sa = {.sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO};
	sigfillset(&sa.sa_mask);
	pin_timezone();
	jail_shared = jail->shared;
	if (sigaction(SIGSYS, &sa, NULL) != 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		snprintf(err, errsize, "cannot set no_new_privs: %s", strerror(errno));
		return false;
	}
	scmp_filter_ctx f = seccomp_init(SCMP_ACT_TRAP);
	if (!f) {
		snprintf(err, errsize, "cannot build the syscall filter");
		return false;
	}
	int rc = allow_calls(f, jail) ? seccomp_load(f) : -EINVAL;
	seccomp_release(f);
	if (rc != 0) {
		snprintf(err, errsize,
		         "the kernel refused the syscall filter (%s): seccomp is unavailable; "
		         "--no-jail runs without it (unsafe)",
		         strerror(-rc));
		return false;
	}
	return true;
}

bool jsb_confine_apply(const struct jsb_job *job, const struct jsb_jail *jail, char *err,
                       size_t errsize)
{
	int keep[4], n = 0;
	keep[n++] = jail->out_fd;
#ifdef JSB_SANITIZED
	keep[n++] = STDERR_FILENO; /* for the sanitizer's reports */
#endif
	if (jail->input_fd >= 0)
		keep[n++] = jail->input_fd;
	if (jail->files_fd >= 0)
		keep[n++] = jail->files_fd;
	close_others(keep, (size_t)n);
	if (job->flags & JSB_JOB_NO_JAIL)
		return true;
	if (!set_limits(job, jail, err, errsize))
		return false;
	if (prctl(PR_SET_DUMPABLE, 0) != 0) {
		snprintf(err, errsize, "cannot clear dumpable: %s", strerror(errno));
		return false;
	}
	return load_filter(jail, err, errsize);
}

const char *jsb_confine_syscall_name(int nr)
{
	static char name[32];
	char *s = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
	snprintf(name, sizeof name, "%s", s ? s : "unknown");
	if (!s)
		snprintf(name, sizeof name, "syscall %d", nr);
	free(s);
	return name;
}
