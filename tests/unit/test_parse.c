/* Size and duration parsing: accepted forms, and every kind of junk refused. */
#include <stdint.h>

#include "check.h"
#include "common/parse.h"

static int size_is(const char *text, uint64_t want)
{
	uint64_t got = 0;
	return jsb_parse_size(text, &got) && got == want;
}

static int size_bad(const char *text)
{
	uint64_t got;
	return !jsb_parse_size(text, &got);
}

static int ms_is(const char *text, uint64_t want)
{
	uint64_t got = 0;
	return jsb_parse_duration(text, &got) && got == want;
}

static int ms_bad(const char *text)
{
	uint64_t got;
	return !jsb_parse_duration(text, &got);
}

int main(void)
{
	CHECK("size plain bytes", size_is("512", 512));
	CHECK("size k", size_is("64k", 65536));
	CHECK("size K", size_is("64K", 65536));
	CHECK("size M", size_is("16M", 16u << 20));
	CHECK("size MiB", size_is("16MiB", 16u << 20));
	CHECK("size G", size_is("1G", UINT64_C(1) << 30));
	CHECK("size fraction", size_is("1.5M", 3u << 19));
	CHECK("size rejects negative", size_bad("-1M"));
	CHECK("size rejects junk suffix", size_bad("16Q"));
	CHECK("size rejects trailing junk", size_bad("16M "));
	CHECK("size rejects empty", size_bad(""));
	CHECK("size rejects bare suffix", size_bad("M"));
	CHECK("size rejects overflow", size_bad("99999999999999999999"));
	CHECK("size rejects overflow by suffix", size_bad("17179869184G"));
	CHECK("size rejects fractional bytes", size_bad("1.5"));
	CHECK("size rejects hex", size_bad("0x10"));
	CHECK("duration ms", ms_is("500ms", 500));
	CHECK("duration bare is ms", ms_is("250", 250));
	CHECK("duration s", ms_is("2s", 2000));
	CHECK("duration fraction", ms_is("1.5s", 1500));
	CHECK("duration m", ms_is("1m", 60000));
	CHECK("duration rejects negative", ms_bad("-5s"));
	CHECK("duration rejects unknown suffix", ms_bad("5h"));
	CHECK("duration rejects junk", ms_bad("5s5"));
	CHECK("duration rejects overflow", ms_bad("18446744073709551615m"));
	CHECK("duration rejects dot only", ms_bad("1.s"));
	char buf[32];
	jsb_format_size(buf, sizeof buf, 16u << 20);
	CHECK("format 16 MiB", strcmp(buf, "16 MiB") == 0);
	jsb_format_size(buf, sizeof buf, 1000);
	CHECK("format bytes", strcmp(buf, "1000 bytes") == 0);
	jsb_format_duration(buf, sizeof buf, 500);
	CHECK("format 500 ms", strcmp(buf, "500 ms") == 0);
	jsb_format_duration(buf, sizeof buf, 5000);
	CHECK("format 5 s", strcmp(buf, "5 s") == 0);
	CHECK_DONE();
}
