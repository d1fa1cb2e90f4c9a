/* Size and duration parsing with overflow-safe arithmetic (STYLE rule 5),
 * and the matching formatting used in messages and `policy show`. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "common/parse.h"

/* Reads digits[.digits]; returns the integer part, the fraction scaled by
 * 1000 (three digits), and where it stopped.  False on no digits or overflow. */
static bool read_number(const char *s, uint64_t *whole, uint64_t *milli, const char **end)
{
	uint64_t v = 0, f = 0;
	const char *p = s;
	if (*p < '0' || *p > '9')
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	if (*p == '.') {
		int digits = 0;
		p++;
		if (*p < '0' || *p > '9')
			return false;
		for (; *p >= '0' && *p <= '9'; p++, digits++)
			if (digits < 3)
				f = f * 10 + (uint64_t)(*p - '0');
		for (; digits < 3; digits++)
			f *= 10;
	}
	*whole = v;
	*milli = f;
	*end = p;
	return true;
}

/* whole.milli * unit, or false on overflow. */
static bool scale(uint64_t whole, uint64_t milli, uint64_t unit, uint64_t *out)
{
	if (whole > UINT64_MAX / unit)
		return false;
	uint64_t frac = milli * (unit / 1000) + milli * (unit % 1000) / 1000;
	if (whole * unit > UINT64_MAX - frac)
		return false;
	*out = whole * unit + frac;
	return true;
}

struct unit {
	const char *suffix;
	uint64_t scale;
};

/* A number with one of the given suffixes; unit 1 takes no fraction. */
static bool parse_units(const char *text, const struct unit *units, size_t n, uint64_t *out)
{
	uint64_t whole, milli;
	const char *end;
	if (!text || !read_number(text, &whole, &milli, &end))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(end, units[i].suffix) != 0)
			continue;
		if (units[i].scale == 1 && milli != 0)
			return false;
		return scale(whole, milli, units[i].scale, out);
	}
	return false;
}

bool jsb_parse_size(const char *text, uint64_t *bytes)
{
	static const struct unit units[] = {
	    {"", 1},        {"B", 1},        {"k", 1024},      {"K", 1024},     {"KB", 1024},
	    {"KiB", 1024},  {"kB", 1024},    {"M", 1 << 20},   {"MB", 1 << 20}, {"MiB", 1 << 20},
	    {"G", 1 << 30}, {"GB", 1 << 30}, {"GiB", 1 << 30},
	};
	return parse_units(text, units, sizeof units / sizeof units[0], bytes);
}

bool jsb_parse_duration(const char *text, uint64_t *ms)
{
	static const struct unit units[] = {{"", 1}, {"ms", 1}, {"s", 1000}, {"m", 60000}};
	return parse_units(text, units, sizeof units / sizeof units[0], ms);
}

void jsb_format_size(char *buf, size_t size, uint64_t bytes)
{
	static const char *names[] = {"bytes", "KiB", "MiB", "GiB"};
	int i = 0;
	uint64_t unit = 1;
	while (i < 3 && bytes >= unit * 1024 && bytes % (unit * 1024) == 0) {
		unit *= 1024;
		i++;
	}
	snprintf(buf, size, "%" PRIu64 " %s", bytes / unit, names[i]);
}

void jsb_format_duration(char *buf, size_t size, uint64_t ms)
{
	if (ms >= 1000 && ms % 1000 == 0)
		snprintf(buf, size, "%" PRIu64 " s", ms / 1000);
	else
		snprintf(buf, size, "%" PRIu64 " ms", ms);
}

bool jsb_limit_in_range(uint64_t value, bool duration, const char **max)
{
	*max = duration ? "365 days" : "1 PiB";
	return value <= (duration ? JSB_DURATION_MAX_MS : JSB_SIZE_MAX);
}
