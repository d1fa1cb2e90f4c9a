/* Fuzz target: policy files (policy/policy_file.c), read through a
 * memory file as jsbox reads a path.  A loaded policy stays within its
 * arrays and prints as JSON; a refused one says where, in err. */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "policy/policy.h"
#include "tests/fuzz/fuzz.h"

static bool discard(void *ctx, const char *data, size_t len)
{
	(void)ctx;
	(void)data;
	(void)len;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	if (fd < 0) {
		fd = memfd_create("policy.json", 0);
		FUZZ_CHECK(fd >= 0);
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	}
	FUZZ_CHECK(ftruncate(fd, 0) == 0);
	FUZZ_CHECK(pwrite(fd, data, size, 0) == (ssize_t)size);

	/* An explicit --profile conflicts with a file's different `extends`. */
	bool given = size && (data[size - 1] & 1);
	const char *base = given ? jsb_policy_profiles[data[0] % 3] : "strict";
	struct jsb_policy p;
	FUZZ_CHECK(jsb_policy_profile(&p, base));
	char err[512] = "";
	if (jsb_policy_load(&p, path, given, err, sizeof err)) {
		FUZZ_CHECK(p.n_read_dirs <= JSB_MAX_READ_DIRS);
		FUZZ_CHECK(p.n_patterns <= JSB_MAX_PATTERNS);
		FUZZ_CHECK(memchr(p.name, 0, sizeof p.name) && memchr(p.label, 0, sizeof p.label));
		struct jsb_jsonw w;
		jsb_jsonw_init(&w, JSB_JSONW_LINES, discard, NULL);
		FUZZ_CHECK(jsb_policy_write_json(&p, &w));
	} else {
		FUZZ_CHECK(err[0] != '\0' && memchr(err, 0, sizeof err));
	}
	jsb_policy_free(&p);
	return 0;
}
