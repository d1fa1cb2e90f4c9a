/* The one supervision core: starts a confined evaluator, relays its
 * frames, serves its file requests, enforces the one deadline policy,
 * kills, reaps within a bound, salvages what a dead evaluator buffered and
 * says how it ended.  Used by runs, streams and sessions alike; holds no
 * global state, so a server can supervise many evaluators in one loop
 * (jsb_super_fds / jsb_super_handle / jsb_super_until). */
#ifndef JSB_SUPERVISE_H
#define JSB_SUPERVISE_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "engine/engine.h"
#include "engine/lib/wire.h"

/* Past the deadline the evaluator gets this long to stop by itself (the
 * exec-timeout hook) before it is killed (stuck in C code); more of it
 * when it has seen the limit and is unwinding toward its own message, so
 * a kill mid-write does not print the ending twice. */
#define JSB_GRACE_NS          (10 * 1000000ull)
#define JSB_STOPPING_GRACE_NS (40 * 1000000ull)
/* An evaluator that has closed its pipe or reported its status only has
 * to exit; this long at most. */
#define JSB_EXIT_GRACE_NS (200 * 1000000ull)

/* What runs in the forked child: confined already, never returns. */
typedef void (*jsb_child_fn)(void *arg, int out_fd, int req_fd, int files_fd,
                             struct jsb_shared *sh);

enum jsb_ending {
	JSB_END_NONE,      /* still running */
	JSB_END_STATUS,    /* it reported its status (a complete status frame) */
	JSB_END_EXIT,      /* it closed its pipe and exited, without a status */
	JSB_END_TIMEOUT,   /* killed at the deadline (plus grace) */
	JSB_END_INTERRUPT, /* killed after SIGINT it did not act on */
	JSB_END_WRITE,     /* killed: nobody can see what it writes */
	JSB_END_HUNG       /* killed: it closed its pipe but did not exit */
};

struct jsb_super {
	pid_t pid;     /* 0 once reaped */
	int pidfd;     /* readable when it exits; -1 where the kernel has none */
	int frames_fd; /* evaluator -> parent; -1 at end of file */
	int req_fd;    /* parent -> evaluator (sessions), or -1 */
	int files_fd;  /* readFile() requests, or -1 */
	const struct jsb_policy *policy;
	struct jsb_shared *sh;
	struct jsb_frames frames;
	/* Every frame but the status, as it comes. */
	jsb_frame_fn on_frame;
	void *ctx;
	/* The status frame: exit code and (sessions) reply kind. */
	unsigned char status[2];
	size_t status_len;
	bool replied;
	/* The deadline: the evaluator publishes its own in sh, which can never
	 * pass bound; time the parent spent not reading (its consumer was full)
	 * moves bound, since the evaluator may have been blocked writing. */
	uint64_t bound;
	uint64_t paused_at; /* when reading stopped, 0 while reading */
	bool paused_late;   /* the deadline came while reading was stopped */
	int wstatus;
	struct rusage ru;
	uint64_t done_at; /* when it reported or closed its pipe, 0 before */
};

/* Starts an evaluator for job: fork, pipes, the shared page, the readFile
 * socket when the policy lets it read; the child confines itself (keeping
 * input_fd) and runs fn.  requests: give it a request pipe (sessions).
 * It is armed with bound (jsb_super_arm) before it exists.
 * False, with the reason printed, when it cannot start. */
bool jsb_super_start(struct jsb_super *s, const struct jsb_job *job, int input_fd, bool requests,
                     uint64_t bound, jsb_child_fn fn, void *arg);

/* A new run or request: the evaluator must be done by bound (absolute,
 * monotonic ns) unless it publishes a nearer deadline.  It clears what the
 * evaluator published, so it comes before the evaluator is given the work
 * (before the request is sent): armed later, it would erase a deadline the
 * evaluator had already published and leave only bound. */
void jsb_super_arm(struct jsb_super *s, uint64_t bound);

/* When the evaluator must be gone (or have answered), as the one policy
 * says: its published deadline, never past bound, plus the grace. */
uint64_t jsb_super_until(const struct jsb_super *s);

/* The descriptors to poll (at most 3); reading: whether the consumer has
 * room (when not, the pipe is left full and the evaluator waits). */
int jsb_super_fds(struct jsb_super *s, struct pollfd *p, bool reading, uint64_t now);

/* Acts on what poll() said of those descriptors: relays frames, serves a
 * file request, reaps an exit. */
void jsb_super_handle(struct jsb_super *s, const struct pollfd *p, int n);

/* How things stand at now: JSB_END_NONE while it may go on; otherwise why
 * it is over (killing it first when that is the reason).  stats: after a
 * status, wait (bounded) for its exit, for its resource usage. */
enum jsb_ending jsb_super_check(struct jsb_super *s, uint64_t now, bool wait_exit);

/* Kills the evaluator and reaps it; then passes on what it had written or
 * only buffered (stuck in native code, or crashed): nothing it printed
 * is lost.  Frames cut short in the pipe cannot be resumed. */
void jsb_super_kill(struct jsb_super *s);

/* Sends a request (type byte, payload a then b) to a session's evaluator;
 * false when it is gone.  Requests are small and the evaluator reads them
 * at once, so this write is the one place that may wait. */
bool jsb_super_send(struct jsb_super *s, char type, const char *a, size_t alen, const char *b,
                    size_t blen);

/* Closes the descriptors and the shared page.  An evaluator still running
 * is killed; reap: wait for it to be gone (a run that has reported leaves
 * it to exit alone: its teardown would only delay the caller, and it dies
 * with the parent at the latest). */
void jsb_super_close(struct jsb_super *s, bool reap);

/* How an ending maps to an exit code, and its one-line message: kind and
 * detail, or kind NULL when the evaluator said it all.  The timeout's
 * detail is the caller's (it knows which limit it was). */
struct jsb_verdict {
	int code;
	const char *kind;
	char detail[160];
};
void jsb_super_verdict(const struct jsb_super *s, const struct jsb_job *job, enum jsb_ending end,
                       struct jsb_verdict *v);

#endif
