/* The evaluator's jail, applied after fork and before the heap exists:
 * only the descriptors it needs, rlimits, no_new_privs, and a seccomp filter
 * that leaves it nothing but computing, allocating within its limit, and
 * talking to the supervisor over the descriptors it already holds.
 * Must not allocate much; the script never runs outside it. */
#include <errno.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "common/jsbox.h"
#include "engine/confined/out.h"
#include "engine/trusted/confine.h"
#include "engine/trusted/jail_filter.h"

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
	if (jail->requests)
		cpu = RLIM_INFINITY;
	/* Translating the script has a time bound of its own. */
	if (!job->es5 && cpu != RLIM_INFINITY)
		cpu += (rlim_t)(job->policy->transpile_timeout_ms / 1000);
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

/* Which of the compiled programs the jail needs. */
static enum jsb_jail_reads reads_of(const struct jsb_jail *jail)
{
	if (jail->files_fd >= 0)
		return JSB_READS_ANY;
	return jail->input_fd >= 0 ? JSB_READS_INPUT : JSB_READS_NONE;
}

/* The descriptor a stand-in of the compiled program means. */
static unsigned fd_for(const struct jsb_jail *jail, unsigned k)
{
	switch (k) {
	case JSB_JAIL_FD_OUT: return (unsigned)jail->out_fd;
	case JSB_JAIL_FD_INPUT: return (unsigned)jail->input_fd;
	case JSB_JAIL_FD_FILES: return (unsigned)jail->files_fd;
	default: return k;
	}
}

/* Loads the compiled program with the real descriptor numbers; -errno when
 * the kernel refuses.  The test build acts as a kernel without seccomp when
 * JSBOX_TEST_NO_SECCOMP is set. */
static int load(const struct jsb_jail *jail)
{
#ifdef JSB_TEST_HOOKS
	if (getenv("JSBOX_TEST_NO_SECCOMP"))
		return -EINVAL;
#endif
	const struct jsb_jail_program *p = &jsb_jail_programs[reads_of(jail)];
	static struct sock_filter code[BPF_MAXINSNS];
	if (p->len > BPF_MAXINSNS)
		return -E2BIG;
	for (size_t i = 0; i < p->len; i++) {
		code[i] = p->code[i];
		if (code[i].code == (BPF_JMP | BPF_JEQ | BPF_K))
			code[i].k = fd_for(jail, code[i].k);
	}
	struct sock_fprog prog = {.len = p->len, .filter = code};
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0 ? 0 : -errno;
}

/* no_new_privs, then the filter: anything not allowed traps (SIGSYS) and
 * the handler ends the evaluator with the call's number recorded.  Trap,
 * not kill: SIGSYS carries the call's number, which the supervisor names.
 * The trapped call never runs, and the handler cannot be replaced
 * (rt_sigaction is SIGINT only), so trapping gives a compromised evaluator
 * nothing killing would not.  Another architecture's calls (i386 int 0x80)
 * kill outright. */
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
	int rc = load(jail);
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
