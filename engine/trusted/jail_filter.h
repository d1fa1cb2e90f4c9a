/* The evaluator's syscall filter as a classic BPF program, compiled from
 * the allowlist in engine/trusted/jail_rules.c at build time (tools/jail_bpf.c), so
 * no run pays for libseccomp building it.  Descriptor numbers are not known
 * then: the program compares against stand-ins, replaced before loading. */
#ifndef JSB_JAIL_FILTER_H
#define JSB_JAIL_FILTER_H

#include <linux/filter.h>

/* What the evaluator may read: nothing, its --input descriptor, or (with
 * readFile()) any descriptor it holds, plus the readFile() socket. */
enum jsb_jail_reads { JSB_READS_NONE, JSB_READS_INPUT, JSB_READS_ANY, JSB_READS_COUNT };

/* Stand-ins for the output pipe, the input and the readFile() socket.  No
 * syscall number, flag or architecture constant in the program has these
 * values (tools/jail_bpf.c checks that they occur only as jeq operands). */
#define JSB_JAIL_FD_OUT   0x7eadf001u
#define JSB_JAIL_FD_INPUT 0x7eadf002u
#define JSB_JAIL_FD_FILES 0x7eadf003u

struct jsb_jail_program {
	const struct sock_filter *code;
	unsigned short len;
};

/* One program for each enum jsb_jail_reads. */
extern const struct jsb_jail_program jsb_jail_programs[JSB_READS_COUNT];

#endif
