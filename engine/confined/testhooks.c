/* Test-only native hooks: __jsboxTest.attempt(name) tries one operation the
 * jail must stop.  Compiled only into the test binary tests/jsbox-hooks
 * (JSB_TEST_HOOKS); the installed jsbox never contains it. */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "engine/confined/testhooks.h"

static long attempt(const char *what)
{
	static char page[8192] __attribute__((aligned(4096)));
	char *argv[] = {"/bin/true", NULL};
	struct rlimit big = {RLIM_INFINITY, RLIM_INFINITY};
	struct {
		void *handler; /* SIG_IGN is 1 */
		unsigned long flags;
		void *restorer;
		unsigned long mask;
	} ignore = {(void *)1, 0, NULL, 0}; /* kernel struct sigaction, SIG_IGN */
	if (strcmp(what, "open") == 0)
		return syscall(SYS_openat, AT_FDCWD, "/etc/hostname", O_RDONLY);
	if (strcmp(what, "socket") == 0)
		return syscall(SYS_socket, AF_INET, SOCK_STREAM, 0);
	if (strcmp(what, "connect") == 0)
		return syscall(SYS_connect, 0, NULL, 0);
	if (strcmp(what, "exec") == 0)
		return syscall(SYS_execve, "/bin/true", argv, NULL);
	if (strcmp(what, "fork") == 0)
		return syscall(SYS_clone, SIGCHLD, 0, NULL, NULL, 0);
	if (strcmp(what, "ptrace") == 0)
		return syscall(SYS_ptrace, PTRACE_TRACEME, 0, NULL, NULL);
	if (strcmp(what, "write-stderr") == 0)
		return syscall(SYS_write, 2, "leak\n", 5);
	if (strcmp(what, "write-other") == 0)
		return syscall(SYS_write, 7, "leak\n", 5);
	if (strcmp(what, "mprotect-exec") == 0)
		return syscall(SYS_mprotect, page, 4096, PROT_READ | PROT_EXEC);
	if (strcmp(what, "mmap-exec") == 0)
		return syscall(SYS_mmap, NULL, 4096, PROT_READ | PROT_EXEC,
		               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (strcmp(what, "ioctl") == 0)
		return syscall(SYS_ioctl, 0, TIOCSTI, "x");
	if (strcmp(what, "kill") == 0)
		return syscall(SYS_kill, 1, 0);
	if (strcmp(what, "setrlimit") == 0)
		return syscall(SYS_prlimit64, 0, RLIMIT_AS, &big, NULL);
	if (strcmp(what, "unlink") == 0)
		return syscall(SYS_unlink, "/tmp/jsbox-jail-probe");
	if (strcmp(what, "stat-path") == 0)
		return syscall(SYS_newfstatat, AT_FDCWD, "/etc/hostname", page, 0);
	if (strcmp(what, "stat-path-empty-flag") == 0) /* what glibc's fstat() passes */
		return syscall(SYS_newfstatat, AT_FDCWD, "/etc/hostname", page, AT_EMPTY_PATH);
	if (strcmp(what, "sigaction") == 0) /* would hide what the filter traps */
		return syscall(SYS_rt_sigaction, SIGSYS, &ignore, NULL, 8);
	if (strcmp(what, "read-other") == 0)
		return syscall(SYS_read, 7, page, 1);
	if (strcmp(what, "close-and-sleep") == 0) { /* misbehaving native code */
		for (int fd = 0; fd < 64; fd++)
			close(fd);
		struct timespec ts = {30, 0};
		return clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
	}
#ifdef __x86_64__
	if (strcmp(what, "i386-getpid") == 0) { /* the 32-bit entry point */
		long r;
		__asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory");
		return r;
	}
#endif
	return -2;
}

/* attempt(name): returns the call's result only if the jail let it run. */
static duk_ret_t hook_attempt(duk_context *ctx)
{
	long r = attempt(duk_require_string(ctx, 0));
	if (r == -2)
		return duk_error(ctx, DUK_ERR_TYPE_ERROR, "unknown operation");
	duk_push_number(ctx, (double)r);
	return 1;
}

void jsb_testhooks_install(duk_context *ctx)
{
	/* [ ... global ] */
	duk_push_object(ctx);
	duk_push_c_function(ctx, hook_attempt, 1);
	duk_put_prop_string(ctx, -2, "attempt");
	duk_put_prop_string(ctx, -2, "__jsboxTest");
}

void jsb_testhooks_lag(const char *name)
{
	const char *lag = getenv(name);
	if (!lag)
		return;
	long ms = atol(lag);
	struct timespec ts = {ms / 1000, ms % 1000 * 1000000L};
	clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL); /* the jail's only clock */
}
