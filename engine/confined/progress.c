/* --progress for stream runs.  The line is jsbox's own bytes on the stderr
 * channel; engine/confined/out.c erases it before anything else goes to the
 * terminal, so a message or a result never lands in the middle of it. */
#include <stdio.h>
#include <sys/stat.h>

#include "common/parse.h"
#include "engine/confined/eval.h"
#include "engine/confined/progress.h"
#include "engine/lib/fstat.h"

#define EVERY_NS 100000000ull /* ten times a second at most */

void jsb_progress_init(struct jsb_progress *pg, const struct jsb_eval *ev, int file_fd)
{
	struct stat sb;
	*pg = (struct jsb_progress){.on = (ev->job->flags & JSB_JOB_PROGRESS) != 0};
	pg->start_ns = jsb_now_ns();
	pg->next_ns = pg->start_ns + EVERY_NS;
	if (file_fd >= 0 && jsb_fstat(file_fd, &sb) == 0 && sb.st_size > 0)
		pg->size = (uint64_t)sb.st_size;
}

/* "1.5 MiB" */
static void bytes(char *buf, size_t size, double n)
{
	static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	int u = 0;
	while (n >= 1024 && u < 4) {
		n /= 1024;
		u++;
	}
	snprintf(buf, size, u ? "%.1f %s" : "%.0f %s", n, units[u]);
}

void jsb_progress_tick(struct jsb_progress *pg, struct jsb_eval *ev, uint64_t done)
{
	uint64_t now = jsb_now_ns();
	if (!pg->on || now < pg->next_ns)
		return;
	pg->next_ns = now + EVERY_NS;
	double secs = (double)(now - pg->start_ns) / 1e9;
	char line[160], amount[32], rate[32];
	bytes(amount, sizeof amount, (double)done);
	bytes(rate, sizeof rate, secs > 0 ? (double)done / secs : 0);
	int n = snprintf(line, sizeof line, "jsbox: %llu records, %s, %s/s",
	                 (unsigned long long)ev->records_in, amount, rate);
	if (pg->size && done && done <= pg->size && n > 0 && (size_t)n < sizeof line) {
		double left = secs * (double)(pg->size - done) / (double)done;
		n += snprintf(line + n, sizeof line - (size_t)n, ", %.0f%%, %lu:%02lu left",
		              100.0 * (double)done / (double)pg->size, (unsigned long)(left / 60),
		              (unsigned long)left % 60);
	}
	if (n > 0)
		jsb_out_progress(&ev->out, line,
		                 (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

void jsb_progress_end(struct jsb_progress *pg, struct jsb_eval *ev)
{
	if (pg->on)
		jsb_out_progress(&ev->out, "", 0);
}
