/* Harness for bench/duk_options.py: evaluates a script file in a plain
 * Duktape heap built with one variant of jsbox's configuration and prints
 * the wall time of the evaluation in milliseconds.  Not part of jsbox. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "duktape.h"

/* The hooks jsbox's duk_config.h names: inert here. */
int jsb_limits_timeout(void *udata)
{
	(void)udata;
	return 0;
}

int jsb_limits_stack_low(void)
{
	return 0;
}

double jsb_random_double(void *udata)
{
	(void)udata;
	return (double)rand() / ((double)RAND_MAX + 1);
}

void jsb_heap_fatal(void *udata, const char *msg)
{
	(void)udata;
	fprintf(stderr, "fatal: %s\n", msg);
	exit(70);
}

int main(int argc, char **argv)
{
	static char src[1 << 20];
	FILE *f = argc > 1 ? fopen(argv[1], "rb") : NULL;
	if (!f)
		return 2;
	size_t n = fread(src, 1, sizeof src - 1, f);
	fclose(f);
	duk_context *ctx = duk_create_heap_default();
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	if (duk_peval_lstring(ctx, src, n) != 0) {
		fprintf(stderr, "%s\n", duk_safe_to_string(ctx, -1));
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.1f\n",
	       (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6);
	return 0;
}
