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
#include "engine/out.h"

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
	/* A stream's --timeout is per record: only --total-timeout bounds the run. */
	if (job->records == JSB_RECORDS_STREAM)
		cpu = job->total_timeout_ms ? (rlim_t)(job->total_timeout_ms / 1000 + 2)
		                            : RLIM_INFINITY;
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

/* glibc loads the zone file at the first tzset(), and without TZ stats
 * /etc/localtime again at every mktime() (Date's local-time conversions).
 * Loaded here, while files can be opened, with TZ naming it: glibc then
 * sees an unchanged TZ and keeps the zone it has, historical rules and all. */
static void pin_timezone(void)
{
	const char *tz = getenv("TZ");
	if (!tz)
		setenv("TZ", ":/etc/localtime", 1);
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

/* What the evaluator reads: its --input descriptor only; with readFile()
 * also the descriptors the supervisor passes, whose numbers are not known
 * here (every descriptor it can hold is one it was given). */
static bool allow_reads(scmp_filter_ctx f, const struct jsb_jail *jail)
{
	if (jail->files_fd >= 0) {
		const scmp_datum_t fs = (scmp_datum_t)jail->files_fd;
		return RULE0(f, read) && RULE(f, sendto, SCMP_A0(SCMP_CMP_EQ, fs)) &&
		       RULE(f, recvmsg, SCMP_A0(SCMP_CMP_EQ, fs));
	}
	if (jail->input_fd >= 0)
		return RULE(f, read, SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)jail->input_fd));
	return true;
}

/* The allowlist: everything the evaluator does after this point (strace
 * of scripts of every profile, --stats, timers, readFile, big heaps). */
static bool allow_calls(scmp_filter_ctx f, const struct jsb_jail *jail)
{
	const scmp_datum_t out = (scmp_datum_t)jail->out_fd;
	bool ok =
	    /* Output frames go to the supervisor's pipe and nowhere else. */
	    RULE(f, write, SCMP_A0(SCMP_CMP_EQ, out)) &&
	    RULE(f, writev, SCMP_A0(SCMP_CMP_EQ, out)) && allow_reads(f, jail) &&
	    /* Closing its own descriptors (readFile closes each) harms nobody. */
	    RULE0(f, close) && RULE0(f, fstat) &&
	    /* fstat() is newfstatat(fd, "", AT_EMPTY_PATH).  The flag does not
	     * stop an absolute path from being looked up: metadata only, no
	     * descriptor, nothing read. */
	    RULE(f, newfstatat, SCMP_A3(SCMP_CMP_MASKED_EQ, AT_EMPTY_PATH, AT_EMPTY_PATH)) &&
	    /* Memory, never executable: the heap is capped by the allocator. */
	    RULE0(f, brk) && RULE0(f, munmap) && RULE0(f, mremap) && RULE0(f, madvise) &&
	    RULE(f, mmap, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)) &&
	    RULE(f, mprotect, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)) &&
	    /* Clocks for the deadline and Date (the vDSO answers most reads);
	     * the timer loop sleeps on the monotonic clock. */
	    RULE0(f, clock_gettime) && RULE0(f, gettimeofday) &&
	    RULE(f, clock_nanosleep, SCMP_A0(SCMP_CMP_EQ, CLOCK_MONOTONIC)) &&
	    /* Reading (never setting) its own stack limit for the stack guard. */
	    RULE(f, prlimit64, SCMP_A0(SCMP_CMP_EQ, 0), SCMP_A2(SCMP_CMP_EQ, 0)) &&
	    /* --stats (its own usage); Math.random's and malloc's seeds. */
	    RULE(f, getrusage, SCMP_A0(SCMP_CMP_EQ, RUSAGE_SELF)) && RULE0(f, getrandom) &&
	    /* The SIGINT handler (set up when the heap is) and returning from it;
	     * SIGSYS's handler cannot be replaced. */
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
	return ok;
}

/* seccomp_load(); the test build acts as a kernel without seccomp when
 * JSBOX_TEST_NO_SECCOMP is set. */
static int load(scmp_filter_ctx f)
{
#ifdef JSB_TEST_HOOKS
	if (getenv("JSBOX_TEST_NO_SECCOMP"))
		return -EINVAL;
#endif
	return seccomp_load(f);
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
	/* Trap, not kill: SIGSYS carries the call's number, which the
	 * supervisor names.  The trapped call never runs, and the handler
	 * cannot be replaced (rt_sigaction is SIGINT only), so trapping gives a
	 * compromised evaluator nothing killing would not.  Another
	 * architecture's calls (i386 int 0x80) kill outright. */
	scmp_filter_ctx f = seccomp_init(SCMP_ACT_TRAP);
	if (!f) {
		snprintf(err, errsize, "cannot build the syscall filter");
		return false;
	}
	int rc = seccomp_attr_set(f, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	if (rc == 0) /* the kernel's own errno when it refuses, not ECANCELED */
		rc = seccomp_attr_set(f, SCMP_FLTATR_API_SYSRAWRC, 1);
	if (rc == 0)
		rc = allow_calls(f, jail) ? load(f) : -EINVAL;
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

void jsb_confine_enter(const struct jsb_job *job, const struct jsb_jail *jail)
{
	char err[256];
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	signal(SIGPIPE, SIG_DFL);
	if (jsb_confine_apply(job, jail, err, sizeof err))
		return;
	static struct jsb_out out;
	struct jsb_limits lim = {0};
	jsb_out_init(&out, jail->out_fd, 0, &lim, false);
	jsb_out_error(&out, "internal error", "cannot confine the evaluator: %s", err);
	jsb_out_flush(&out);
	_exit(JSB_EXIT_INTERNAL);
}
