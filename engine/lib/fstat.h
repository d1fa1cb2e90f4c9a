/* fstat() as the jail allows it, for code on either side of it: glibc's
 * fstat() is newfstatat(fd, "", AT_EMPTY_PATH), which the jail's filter
 * refuses because the same call can look up a path; the fstat system call
 * itself takes only a descriptor. */
#ifndef JSB_FSTAT_H
#define JSB_FSTAT_H

#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static inline int jsb_fstat(int fd, struct stat *st)
{
	return (int)syscall(SYS_fstat, fd, st);
}

#endif
