/* The evaluator's deadline, stop flag and C stack guard.
 * Owns "should the script stop now?"; does not decide what the user sees. */
#ifndef JSB_LIMITS_H
#define JSB_LIMITS_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "engine/lib/wire.h"

/* Why a run was stopped; the first reason wins and never clears. */
enum jsb_stop {
	JSB_STOP_NONE = 0,
	JSB_STOP_TIME,
	JSB_STOP_MEMORY,
	JSB_STOP_OUTPUT,
	JSB_STOP_POLICY,
	JSB_STOP_INTERRUPT,
	JSB_STOP_INPUT /* the input could not be read: already reported */
};

struct jsb_limits {
	uint64_t timeout_ms;
	uint64_t deadline_ns; /* monotonic clock */
	enum jsb_stop stop;
	struct jsb_shared *shared;
};

uint64_t jsb_now_ns(void);

/* now + ms in nanoseconds, saturating at UINT64_MAX. */
uint64_t jsb_after_ms(uint64_t now, uint64_t ms);

/* Arms the deadline timeout_ms from now (and publishes it). */
void jsb_limits_arm(struct jsb_limits *lim, uint64_t timeout_ms);

/* The script's deadline while something else has one of its own: the
 * deadline to go back to and when the other began. */
struct jsb_limits_held {
	uint64_t timeout_ms, deadline_ns, since_ns;
};

/* Arms a deadline of bound_ms from now for work that is not the script's
 * (translating it), holding the script's in *held. */
void jsb_limits_hold(struct jsb_limits *lim, uint64_t bound_ms, struct jsb_limits_held *held);

/* Re-arms the held deadline, moved on by the time spent since the hold
 * (which it returns, in ns), so the script keeps all the time it had. */
uint64_t jsb_limits_resume(struct jsb_limits *lim, const struct jsb_limits_held *held);

/* Records why the run must stop; the exec-timeout hook then answers
 * "stop" until the protected call has unwound. */
void jsb_limits_stop(struct jsb_limits *lim, enum jsb_stop why);

/* Clears the stop reason and the SIGINT flag: an interactive session
 * starts each evaluation afresh. */
void jsb_limits_reset(struct jsb_limits *lim);

/* True when the run has been stopped (checking the clock first). */
bool jsb_limits_expired(struct jsb_limits *lim);

/* Installs the SIGINT handler (sets a flag the hook reads) and records the
 * C stack bound for jsb_limits_stack_low. */
void jsb_limits_install(struct jsb_limits *lim);

/* Duktape hooks, named in the generated duk_config.h. */
int jsb_limits_timeout(void *udata);
int jsb_limits_stack_low(void);

#endif
