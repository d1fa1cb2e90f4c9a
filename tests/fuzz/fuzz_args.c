/* Fuzz target: the command line parser (cli/args.c).  The input is argv
 * after "jsbox", arguments separated by NUL bytes.  Whatever it accepts
 * is consistent: counts within their arrays, pointers into argv. */
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "tests/fuzz/fuzz.h"

#define MAX_ARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1);
	FUZZ_CHECK(copy != NULL);
	memcpy(copy, data, size);
	copy[size] = '\0';
	char *argv[MAX_ARGS + 2] = {"jsbox"};
	int argc = 1;
	for (char *p = copy; p <= copy + size && argc <= MAX_ARGS; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;
	struct jsb_options opt;
	memset(&opt, 0xA5, sizeof opt); /* the parser must set what it reports */
	if (jsb_args_parse(&opt, argc, argv)) {
		FUZZ_CHECK(opt.n_binds <= JSB_MAX_BINDS);
		FUZZ_CHECK(opt.n_read_dirs <= sizeof opt.read_dirs / sizeof opt.read_dirs[0]);
		for (size_t i = 0; i < opt.n_binds; i++)
			FUZZ_CHECK(opt.binds[i].name && opt.binds[i].value);
		for (size_t i = 0; i < opt.n_read_dirs; i++)
			FUZZ_CHECK(opt.read_dirs[i] != NULL);
		FUZZ_CHECK(opt.mode != JSB_MODE_EVAL || opt.code != NULL);
		FUZZ_CHECK(opt.mode != JSB_MODE_RUN || opt.script_path != NULL);
	}
	free(copy);
	return 0;
}
