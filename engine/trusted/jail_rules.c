/* The evaluator's syscall allowlist: everything it does once confined
 * (strace of scripts of every profile, --stats, timers, readFile, big
 * heaps) and nothing else.  Compiled to BPF at build time; never linked
 * into jsbox itself. */
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>

#include "engine/trusted/jail_rules.h"

#define RULE(ctx, call, ...)                                                                       \
	(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(call),                                     \
	                  sizeof((struct scmp_arg_cmp[]){__VA_ARGS__}) /                           \
	                      sizeof(struct scmp_arg_cmp),                                         \
	                  __VA_ARGS__) == 0)
#define RULE0(ctx, call) (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(call), 0) == 0)

/* What the evaluator reads: its --input descriptor only; with readFile()
 * also the descriptors the supervisor passes, whose numbers are not known
 * in advance (every descriptor it can hold is one it was given). */
static bool allow_reads(scmp_filter_ctx f, enum jsb_jail_reads reads)
{
	/* Waiting for the input under the deadline (engine/confined/input.c):
	 * ppoll's descriptors are behind a pointer the filter cannot read, but
	 * waiting on what it holds gives the evaluator nothing new. */
	if (reads == JSB_READS_ANY)
		return RULE0(f, read) && RULE0(f, ppoll) &&
		       RULE(f, sendto, SCMP_A0(SCMP_CMP_EQ, JSB_JAIL_FD_FILES)) &&
		       RULE(f, recvmsg, SCMP_A0(SCMP_CMP_EQ, JSB_JAIL_FD_FILES));
	if (reads == JSB_READS_INPUT)
		return RULE(f, read, SCMP_A0(SCMP_CMP_EQ, JSB_JAIL_FD_INPUT)) && RULE0(f, ppoll);
	return true;
}

bool jsb_jail_rules(scmp_filter_ctx f, enum jsb_jail_reads reads)
{
	bool ok =
	    /* Output frames go to the supervisor's pipe and nowhere else. */
	    RULE(f, write, SCMP_A0(SCMP_CMP_EQ, JSB_JAIL_FD_OUT)) &&
	    RULE(f, writev, SCMP_A0(SCMP_CMP_EQ, JSB_JAIL_FD_OUT)) && allow_reads(f, reads) &&
	    /* Closing its own descriptors (readFile closes each) harms nobody;
	     * fstat only on a descriptor (jsb_fstat: glibc's fstat() is
	     * newfstatat, which can look up a path whatever its flags). */
	    RULE0(f, close) && RULE0(f, fstat) &&
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
