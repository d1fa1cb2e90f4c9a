/* The OS jail the evaluator puts itself in before it runs any script:
 * descriptors, rlimits, no_new_privs, seccomp.  Applied in the child only. */
#ifndef JSB_CONFINE_H
#define JSB_CONFINE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "engine/confined/limits.h"
#include "engine/engine.h"

/* What the evaluator keeps: its output pipe, its input, the readFile()
 * socket (-1 when absent), and the page shared with the supervisor. */
struct jsb_jail {
	int out_fd;
	int input_fd;
	int files_fd;
	struct jsb_shared *shared;
	/* input_fd is a request pipe: the evaluator lives for many requests
	 * (the REPL, a server's worker), so CPU time adds up across them and
	 * RLIMIT_CPU cannot bound one; the parent's deadline does, and the
	 * evaluator dies with the parent (PR_SET_PDEATHSIG). */
	bool requests;
};

/* Closes every other descriptor and, unless the job says --no-jail, sets
 * the rlimits, no_new_privs and the syscall filter.  False (with err set)
 * when the jail cannot be built: the evaluator must then not run. */
bool jsb_confine_apply(const struct jsb_job *job, const struct jsb_jail *jail, char *err,
                       size_t errsize);

/* In a freshly forked evaluator: dies with the supervisor, then enters the
 * jail; if that fails, reports it on the frame pipe and exits (70).
 * Returns only inside the jail. */
void jsb_confine_enter(const struct jsb_job *job, const struct jsb_jail *jail);

/* "openat" for a syscall number of this architecture. */
const char *jsb_confine_syscall_name(int nr);

#endif
