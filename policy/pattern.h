/* deny_patterns' matcher: POSIX extended regular expressions over bytes
 * (the C locale), without back-references, compiled to a Thompson NFA and
 * run as a lazily built DFA.  A search costs at most one step of every
 * NFA instruction per byte of text (length x JSB_PATTERN_MAX_INSNS), and
 * usually one table lookup per byte; nothing backtracks. */
#ifndef JSB_PATTERN_H
#define JSB_PATTERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest program a pattern may compile to (counted repetitions are
 * copies: "x{1000}" is 1000 instructions). */
#define JSB_PATTERN_MAX_INSNS 4096

struct jsb_pattern;

/* Compiles src; NULL with the reason in err when it is invalid or too
 * large (or on out of memory). */
struct jsb_pattern *jsb_pattern_compile(const char *src, char *err, size_t errsize);

void jsb_pattern_free(struct jsb_pattern *re);

enum jsb_search { JSB_SEARCH_NO, JSB_SEARCH_YES, JSB_SEARCH_LATE };

/* Whether re matches anywhere in text (NUL bytes separate pieces that are
 * matched on their own, as C strings would be).  JSB_SEARCH_LATE when the
 * monotonic clock passes deadline_ns (0: no deadline) before an answer;
 * out of memory answers YES (fail closed). */
enum jsb_search jsb_pattern_search(struct jsb_pattern *re, const char *text, size_t len,
                                   uint64_t deadline_ns);

#endif
