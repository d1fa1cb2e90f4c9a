/* Fuzz target: size and duration parsing (common/parse.c).  What a parser
 * accepts, formatted as users see it and read back, is the same value;
 * formatting into buffers of every small size stays inside them. */
#include <string.h>

#include "common/parse.h"
#include "tests/fuzz/fuzz.h"

/* "16 MiB" -> "16MiB", "5 bytes" -> "5": the flags' spelling of a shown value. */
static void flag_form(char *s)
{
	char *sp = strchr(s, ' ');
	FUZZ_CHECK(sp != NULL);
	if (strcmp(sp, " bytes") == 0)
		*sp = '\0';
	else
		memmove(sp, sp + 1, strlen(sp));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[256], shown[64], small[64];
	if (size >= sizeof text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	size_t room = size ? (size_t)data[0] % sizeof small : 0;
	uint64_t v, again;
	if (jsb_parse_size(text, &v)) {
		jsb_format_size(small, room, v);
		FUZZ_CHECK(room == 0 || strlen(small) < room);
		jsb_format_size(shown, sizeof shown, v);
		flag_form(shown);
		FUZZ_CHECK(jsb_parse_size(shown, &again) && again == v);
	}
	if (jsb_parse_duration(text, &v)) {
		jsb_format_duration(small, room, v);
		FUZZ_CHECK(room == 0 || strlen(small) < room);
		jsb_format_duration(shown, sizeof shown, v);
		flag_form(shown);
		FUZZ_CHECK(jsb_parse_duration(shown, &again) && again == v);
	}
	return 0;
}
