/* Shared vocabulary of jsbox: exit codes and the one error sink.
 * Every module reports through jsb_error(); nothing else prints to stderr. */
#ifndef JSB_JSBOX_H
#define JSB_JSBOX_H

#include <stdarg.h>
#include <stddef.h>

/* Exit codes: the same table as DESIGN.md, the man page and --help. */
enum jsb_exit {
	JSB_EXIT_OK = 0,
	JSB_EXIT_SCRIPT = 1,     /* the script threw (syntax error or uncaught exception) */
	JSB_EXIT_USAGE = 2,      /* bad flag, unreadable file, invalid input JSON or policy */
	JSB_EXIT_TIMEOUT = 3,    /* time limit exceeded */
	JSB_EXIT_MEMORY = 4,     /* memory limit exceeded */
	JSB_EXIT_POLICY = 5,     /* blocked by policy */
	JSB_EXIT_OUTPUT = 6,     /* output limit exceeded */
	JSB_EXIT_INTERNAL = 70,  /* the evaluator crashed */
	JSB_EXIT_INTERRUPT = 130 /* interrupted (SIGINT) */
};

#define JSB_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* Prints "jsbox: <kind>: <detail>\n" to stderr in one write; errno is not touched. */
void jsb_error(const char *kind, const char *fmt, ...) JSB_PRINTF(2, 3);
void jsb_verror(const char *kind, const char *fmt, va_list ap) JSB_PRINTF(2, 0);

/* The detail of the last line jsb_error printed ("" if none), for callers
 * that must repeat it elsewhere (the --json-result envelope). */
const char *jsb_error_last(void);

/* Formats the same line into buf (for the evaluator, which sends it over its pipe). */
size_t jsb_format_error(char *buf, size_t size, const char *kind, const char *fmt, va_list ap)
    JSB_PRINTF(4, 0);

#endif
