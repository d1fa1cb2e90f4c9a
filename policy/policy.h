/* The effective security policy of a run: one struct, resolved from a
 * built-in profile, an optional policy file and flag overrides.
 * Policy decides; the engine only registers what the policy allows. */
#ifndef JSB_POLICY_H
#define JSB_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/lib/jsonw.h"

/* Capabilities a policy can allow or deny, by name in policy files. */
enum jsb_cap {
	JSB_CAP_EVAL = 1u << 0,    /* eval, Function constructor, every path to them */
	JSB_CAP_TIMERS = 1u << 1,  /* setTimeout/setInterval and their clear* */
	JSB_CAP_DUKTAPE = 1u << 2, /* Duktape internals (act, fin, gc, Thread, ...) */
	JSB_CAP_READ = 1u << 3     /* readFile() under --allow-read directories */
};

#define JSB_MAX_READ_DIRS 16
#define JSB_MAX_PATTERNS  32

struct jsb_policy {
	char name[64];    /* "strict", or "ci.json (extends strict)" */
	char label[96];   /* in messages: "the strict profile", "policy ci.json" */
	char profile[16]; /* the built-in profile it stands on */
	uint64_t memory;  /* bytes */
	uint64_t timeout_ms;
	/* Translating a modern source to ES5 is jsbox's preparation, bounded
	 * on its own so it never eats the script's timeout_ms. */
	uint64_t transpile_timeout_ms;
	uint64_t code_size;  /* bytes of source */
	uint64_t max_lines;  /* lines of source */
	uint64_t max_output; /* bytes of script output */
	uint64_t max_timers; /* pending timers at once */
	unsigned caps;       /* enum jsb_cap bits allowed */
	size_t n_read_dirs;
	char *read_dirs[JSB_MAX_READ_DIRS]; /* resolved with realpath; owned */
	size_t n_patterns;
	char *patterns[JSB_MAX_PATTERNS]; /* deny_patterns (POSIX extended regex); owned */
};

/* Names of built-in profiles, NULL-terminated. */
extern const char *const jsb_policy_profiles[];

/* Fills p with the named built-in profile; false if there is none. */
bool jsb_policy_profile(struct jsb_policy *p, const char *name);

/* Name of a capability bit, and the bit of a name (0 when unknown). */
const char *jsb_policy_cap_name(unsigned cap);
unsigned jsb_policy_cap_bit(const char *name);

/* Applies a policy file to p, which holds the --profile (or strict): the
 * file's `extends` replaces that profile (a different explicit --profile is
 * a conflict), then the file's settings go on top.  On error writes
 * "file:line:col: detail" to err and returns false. */
bool jsb_policy_load(struct jsb_policy *p, const char *path, bool profile_given, char *err,
                     size_t errsize);

/* The same for policy JSON held in text (a server's inline policy); name
 * stands for the file name in errors. */
bool jsb_policy_load_text(struct jsb_policy *p, const char *name, const char *text,
                          bool profile_given, char *err, size_t errsize);

/* Adds a directory readFile() may read under, resolved with realpath so
 * `..` and symlinks cannot escape; false (err set) if it is not one. */
bool jsb_policy_add_read_dir(struct jsb_policy *p, const char *dir, char *err, size_t errsize);

/* Frees what jsb_policy_load and jsb_policy_add_read_dir allocated. */
void jsb_policy_free(struct jsb_policy *p);

/* Writes the policy as JSON (`jsbox policy show`, the REPL's .policy) with
 * w, a JSB_JSONW_LINES writer; false if the sink lost any of it. */
bool jsb_policy_write_json(const struct jsb_policy *p, struct jsb_jsonw *w);

#endif
