/* One evaluator supervised in the foreground of a command (a run, a
 * stream, the REPL): its stdout and stderr frames go to the process's own
 * through the sink, Ctrl-C is passed on, and the supervision core decides
 * when it must end.  The only global is the SIGINT flag. */
#ifndef JSB_FOREGROUND_H
#define JSB_FOREGROUND_H

#include "engine/trusted/sink.h"
#include "engine/trusted/supervise.h"

/* After Ctrl-C: SIGINT is repeated this often, and the evaluator killed
 * when it has not stopped within JSB_INTERRUPT_GRACE_NS (a second Ctrl-C
 * kills at once). */
#define JSB_INTERRUPT_REPEAT_NS (50 * 1000000ull)
#define JSB_INTERRUPT_GRACE_NS  (500 * 1000000ull)

struct jsb_fg {
	struct jsb_super sup;
	struct jsb_sink sink;
	/* Backlog for a slow reader: past soft the evaluator is no longer read
	 * (it then waits, its deadline running); a stream's record in progress
	 * is read up to hard, so that waiting falls between records. */
	uint64_t soft, hard;
	bool stream;
	/* Frames other than stdout and stderr (stats, translations). */
	jsb_frame_fn on_other;
	void *ctx;
};

/* Starts the evaluator (jsb_super_start) and sets the backlog bounds from
 * the job's output limit; false, with the reason printed, on failure. */
bool jsb_fg_start(struct jsb_fg *f, const struct jsb_job *job, int input_fd, bool requests,
                  uint64_t bound, jsb_child_fn fn, void *arg);

/* Catches SIGINT for the evaluator's time (restored by jsb_fg_release). */
void jsb_fg_catch(void);
void jsb_fg_release(void);

/* Relays until the evaluator reports its status, exits, or must be killed;
 * wait_exit as jsb_super_check. */
enum jsb_ending jsb_fg_wait(struct jsb_fg *f, bool wait_exit);

#endif
