/* Custom policy files (JSON, parsed with cJSON) applied over a profile.
 * Every key is checked; unknown keys and bad values are errors with
 * file:line:col, never ignored. */
#include <stdio.h>

#include "policy/policy.h"

bool jsb_policy_load(struct jsb_policy *p, const char *path, char *err, size_t errsize)
{
	(void)p;
	snprintf(err, errsize, "%s: policy files are not supported yet", path);
	return false;
}
