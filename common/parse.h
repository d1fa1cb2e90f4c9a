/* Strict parsing of user-given numbers: sizes (k/M/G) and durations (ms/s/m).
 * Rejects negatives, overflow, junk and unknown suffixes; never guesses. */
#ifndef JSB_PARSE_H
#define JSB_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "512", "64k", "16M", "1G", "16MiB", "2KB": binary multiples. */
bool jsb_parse_size(const char *text, uint64_t *bytes);

/* "500ms", "2s", "1.5s", "1m", "250" (milliseconds). */
bool jsb_parse_duration(const char *text, uint64_t *ms);

/* The largest limits jsbox takes: far beyond any machine or run, and small
 * enough that no arithmetic on them (nanoseconds, rlimits, margins) can
 * wrap.  Larger values are usage errors. */
#define JSB_SIZE_MAX        (1ull << 50)                /* 1 PiB */
#define JSB_DURATION_MAX_MS (365ull * 24 * 3600 * 1000) /* 365 days */

/* True when value is within the ceiling above; max names it for messages. */
bool jsb_limit_in_range(uint64_t value, bool duration, const char **max);

/* "16 MiB", "500 ms", "1.5 s": how limits are shown to users. */
void jsb_format_size(char *buf, size_t size, uint64_t bytes);
void jsb_format_duration(char *buf, size_t size, uint64_t ms);

#endif
