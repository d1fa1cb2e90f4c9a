/* The interactive REPL (line editing, history, dot-commands) in the
 * trusted parent; every evaluation goes to the confined evaluator. */
#include "cli/repl.h"
#include "common/jsbox.h"

int jsb_repl_run(const struct jsb_options *opt, const struct jsb_policy *policy)
{
	(void)opt;
	(void)policy;
	jsb_error("usage", "the interactive REPL is not built yet; use -e CODE or run FILE");
	return JSB_EXIT_USAGE;
}
