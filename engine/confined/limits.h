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
	JSB_STOP_INTERRUPT
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
