/* Harness for bench/json_paths.py: JSON text to Duktape values and back,
 * each direction by every route jsbox could take, over the records of an
 * NDJSON file.  Prints one line per route: name, best seconds of RUNS.
 * Built by the script against the build tree's libjsbox and Duktape. */
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "duktape.h"
#include "engine/confined/heap.h"
#include "engine/lib/decode.h"

struct records {
	char *text;
	size_t *start, *len, count;
	int runs;
	struct jsb_heap *heap;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void load(struct records *r, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f || fseek(f, 0, SEEK_END) != 0)
		exit(2);
	long size = ftell(f);
	rewind(f);
	r->text = malloc((size_t)size + 1);
	if (!r->text || fread(r->text, 1, (size_t)size, f) != (size_t)size)
		exit(2);
	fclose(f);
	r->text[size] = 0;
	r->start = malloc(sizeof *r->start * ((size_t)size / 2 + 1));
	r->len = malloc(sizeof *r->len * ((size_t)size / 2 + 1));
	r->count = 0;
	for (char *p = r->text, *nl; *p; p = nl + 1) {
		if (!(nl = strchr(p, '\n')))
			nl = p + strlen(p);
		if (nl > p) {
			r->start[r->count] = (size_t)(p - r->text);
			r->len[r->count++] = (size_t)(nl - p);
		}
		if (!*nl)
			break;
	}
}

/* [ ... ] -> [ ... value ] for a cJSON tree. */
static void push_cjson(duk_context *ctx, const cJSON *j)
{
	if (cJSON_IsObject(j) || cJSON_IsArray(j)) {
		bool obj = cJSON_IsObject(j);
		if (obj)
			duk_push_object(ctx);
		else
			duk_push_array(ctx);
		duk_uarridx_t i = 0;
		for (const cJSON *c = j->child; c; c = c->next) {
			push_cjson(ctx, c);
			if (obj)
				duk_put_prop_string(ctx, -2, c->string);
			else
				duk_put_prop_index(ctx, -2, i++);
		}
	} else if (cJSON_IsString(j)) {
		duk_push_string(ctx, j->valuestring);
	} else if (cJSON_IsNumber(j)) {
		duk_push_number(ctx, j->valuedouble);
	} else if (cJSON_IsBool(j)) {
		duk_push_boolean(ctx, cJSON_IsTrue(j));
	} else {
		duk_push_null(ctx);
	}
}

/* A cJSON tree for the value at idx (plain data only). */
static cJSON *to_cjson(duk_context *ctx, duk_idx_t idx)
{
	if (duk_is_array(ctx, idx)) {
		cJSON *a = cJSON_CreateArray();
		duk_size_t n = duk_get_length(ctx, idx);
		for (duk_uarridx_t i = 0; i < n; i++) {
			duk_get_prop_index(ctx, idx, i);
			cJSON_AddItemToArray(a, to_cjson(ctx, duk_get_top_index(ctx)));
			duk_pop(ctx);
		}
		return a;
	}
	if (duk_is_object(ctx, idx)) {
		cJSON *o = cJSON_CreateObject();
		duk_enum(ctx, idx, DUK_ENUM_OWN_PROPERTIES_ONLY);
		while (duk_next(ctx, -1, 1)) {
			cJSON_AddItemToObject(o, duk_get_string(ctx, -2),
			                      to_cjson(ctx, duk_get_top_index(ctx)));
			duk_pop_2(ctx);
		}
		duk_pop(ctx);
		return o;
	}
	if (duk_is_string(ctx, idx))
		return cJSON_CreateString(duk_get_string(ctx, idx));
	if (duk_is_number(ctx, idx))
		return cJSON_CreateNumber(duk_get_number(ctx, idx));
	if (duk_is_boolean(ctx, idx))
		return cJSON_CreateBool(duk_get_boolean(ctx, idx));
	return cJSON_CreateNull();
}

enum route { DIRECT, DUK_PARSE, CJSON_PARSE, DUK_STRINGIFY, CJSON_PRINT };

/* One pass of a route over every record; values are kept in the array at
 * index 0 (decoders fill it, encoders read it).  Returns output bytes. */
static size_t pass(duk_context *ctx, struct records *r, enum route route)
{
	size_t bytes = 0;
	for (size_t i = 0; i < r->count; i++) {
		const char *t = r->text + r->start[i];
		size_t n = r->len[i];
		if (route == DIRECT) {
			if (!jsb_decode(ctx, r->heap, t, n))
				exit(3);
		} else if (route == DUK_PARSE) {
			duk_push_lstring(ctx, t, n);
			duk_json_decode(ctx, -1);
		} else if (route == CJSON_PARSE) {
			cJSON *j = cJSON_ParseWithLength(t, n);
			push_cjson(ctx, j);
			cJSON_Delete(j);
		} else {
			duk_get_prop_index(ctx, 0, (duk_uarridx_t)i);
			if (route == DUK_STRINGIFY) {
				bytes += strlen(duk_json_encode(ctx, -1));
			} else {
				cJSON *j = to_cjson(ctx, -1);
				char *s = cJSON_PrintUnformatted(j);
				bytes += strlen(s);
				cJSON_free(s);
				cJSON_Delete(j);
			}
			duk_pop(ctx);
			continue;
		}
		duk_put_prop_index(ctx, 0, (duk_uarridx_t)i);
	}
	return bytes;
}

static const char *const names[] = {"decode: jsbox direct", "decode: Duktape JSON.parse",
                                    "decode: cJSON + convert", "encode: Duktape JSON.stringify",
                                    "encode: convert + cJSON print"};

static duk_ret_t bench(duk_context *ctx, void *udata)
{
	struct records *r = udata;
	duk_push_array(ctx);
	for (int route = DIRECT; route <= CJSON_PRINT; route++) {
		double best = 1e9;
		size_t bytes = 0;
		for (int k = 0; k < r->runs; k++) {
			double t = now();
			bytes = pass(ctx, r, (enum route)route);
			t = now() - t;
			best = t < best ? t : best;
		}
		printf("%s\t%.4f\t%zu\n", names[route], best, bytes);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	struct records r;
	load(&r, argv[1]);
	struct jsb_limits lim = {0};
	struct jsb_heap heap = {.limit = UINT64_MAX, .limits = &lim};
	duk_context *ctx = jsb_heap_create(&heap);
	r.heap = &heap;
	r.runs = atoi(argv[2]) > 0 ? atoi(argv[2]) : 3;
	if (duk_safe_call(ctx, bench, &r, 0, 1) != 0) {
		fprintf(stderr, "json_paths: %s\n", duk_safe_to_string(ctx, -1));
		return 1;
	}
	duk_destroy_heap(ctx);
	return 0;
}
