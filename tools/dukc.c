/* Build-time compiler: JavaScript files -> Duktape bytecode -> a C array.
 * Links the same configured Duktape as jsbox, so the bytecode matches the
 * engine that loads it.  Runs nothing it compiles; never part of jsbox. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "duktape.h"
#include "engine/confined/heap.h"

/* Appends a whole file to the string on top of the stack. */
static int append_file(duk_context *ctx, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
		duk_push_lstring(ctx, buf, n);
		duk_concat(ctx, 2);
	}
	int bad = ferror(f);
	fclose(f);
	return bad ? -1 : 0;
}

/* The array, its length, and NAME_id: a hash of the bytecode, which
 * names this build of the program (the transpile cache keys on it). */
static int write_array(FILE *out, const char *name, const unsigned char *p, size_t len)
{
	uint64_t h = 14695981039346656037u;
	fprintf(out, "#include <stddef.h>\n\nconst unsigned char %s[] = {", name);
	for (size_t i = 0; i < len; i++) {
		fprintf(out, "%s%u,", i % 24 ? "" : "\n", p[i]);
		h = (h ^ p[i]) * 1099511628211u;
	}
	fprintf(out, "\n};\nconst size_t %s_len = %zu;\n", name, len);
	fprintf(out, "const char %s_id[] = \"%016llx\";\n", name, (unsigned long long)h);
	return ferror(out) ? -1 : 0;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: dukc OUT.c NAME FILE.js...\n");
		return 2;
	}
	struct jsb_limits lim = {0};
	struct jsb_heap heap = {.limit = UINT64_MAX, .limits = &lim};
	duk_context *ctx = jsb_heap_create(&heap);
	duk_push_string(ctx, "");
	for (int i = 3; i < argc; i++) {
		if (append_file(ctx, argv[i]) != 0) {
			fprintf(stderr, "dukc: cannot read %s\n", argv[i]);
			return 1;
		}
		duk_push_string(ctx, "\n");
		duk_concat(ctx, 2);
	}
	duk_push_string(ctx, argv[2]);
	if (duk_pcompile(ctx, 0) != 0) {
		fprintf(stderr, "dukc: %s\n", duk_safe_to_string(ctx, -1));
		return 1;
	}
	duk_dump_function(ctx);
	duk_size_t len;
	const unsigned char *code = duk_get_buffer(ctx, -1, &len);
	FILE *out = fopen(argv[1], "w");
	int bad = !out || write_array(out, argv[2], code, len) != 0;
	bad = (out && fclose(out) != 0) || bad;
	duk_destroy_heap(ctx);
	if (bad)
		fprintf(stderr, "dukc: cannot write %s\n", argv[1]);
	return bad;
}
