/* Argument parsing: every flag form, two-value flags, bundling, errors. */
#include <stdint.h>

#include "check.h"
#include "cli/args.h"

static bool parse(struct jsb_options *opt, char **argv)
{
	int argc = 0;
	while (argv[argc])
		argc++;
	return jsb_args_parse(opt, argc, argv);
}

#define PARSE(opt, ...) parse(opt, (char *[]){"jsbox", __VA_ARGS__, NULL})

int main(void)
{
	struct jsb_options o;
	CHECK("eval",
	      PARSE(&o, "-e", "1+1") && o.mode == JSB_MODE_EVAL && strcmp(o.code, "1+1") == 0);
	CHECK("eval long inline", PARSE(&o, "--eval=2") && strcmp(o.code, "2") == 0);
	CHECK("eval attached", PARSE(&o, "-e3") && strcmp(o.code, "3") == 0);
	CHECK("run file", PARSE(&o, "run", "f.js") && o.mode == JSB_MODE_RUN &&
	                      strcmp(o.script_path, "f.js") == 0);
	CHECK("options after run", PARSE(&o, "run", "f.js", "--input", "d.json", "-c") &&
	                               strcmp(o.input_path, "d.json") == 0 && o.compact);
	CHECK("bundled -cr", PARSE(&o, "-cr", "-e", "1") && o.compact && o.raw);
	CHECK("bundled with value", PARSE(&o, "-ce", "7") && o.compact && strcmp(o.code, "7") == 0);
	CHECK("arg two values", PARSE(&o, "--arg", "n", "v", "-e", "n") && o.n_binds == 1 &&
	                            strcmp(o.binds[0].name, "n") == 0 &&
	                            strcmp(o.binds[0].value, "v") == 0 && !o.binds[0].json);
	CHECK("argjson", PARSE(&o, "--argjson", "j", "[1]", "-e", "j") && o.binds[0].json);
	CHECK("arg value starting with dash",
	      PARSE(&o, "--arg", "n", "-x", "-e", "n") && strcmp(o.binds[0].value, "-x") == 0);
	CHECK("limits", PARSE(&o, "--memory-limit", "32M", "--timeout", "2s", "--max-output", "1k",
	                      "-e", "1") &&
	                    o.memory == (32u << 20) && o.timeout_ms == 2000 &&
	                    o.max_output == 1024);
	CHECK("profile",
	      PARSE(&o, "--profile", "moderate", "-e", "1") && strcmp(o.profile, "moderate") == 0);
	CHECK("no profile given", PARSE(&o, "-e", "1") && o.profile == NULL);
	CHECK("help", PARSE(&o, "--help") && o.mode == JSB_MODE_HELP);
	CHECK("help wins over -e", PARSE(&o, "-e", "1", "-h") && o.mode == JSB_MODE_HELP);
	CHECK("version", PARSE(&o, "-V") && o.mode == JSB_MODE_VERSION);
	CHECK("policy show", PARSE(&o, "policy", "show") && o.mode == JSB_MODE_POLICY_SHOW);
	CHECK("policy list", PARSE(&o, "policy", "list") && o.mode == JSB_MODE_POLICY_LIST);
	CHECK("repl command", PARSE(&o, "repl") && o.mode == JSB_MODE_REPL);
	CHECK("double dash ends options",
	      PARSE(&o, "run", "--", "-weird.js") && strcmp(o.script_path, "-weird.js") == 0);
	CHECK("run dash file after --",
	      PARSE(&o, "--", "run", "-weird.js") && strcmp(o.script_path, "-weird.js") == 0);
	CHECK("stats and stack", PARSE(&o, "--stats", "--stack-trace", "--no-jail", "-e", "1") &&
	                             o.stats && o.stack_trace && o.no_jail);
	CHECK("allow-read repeatable",
	      PARSE(&o, "--allow-read", "/a", "--allow-read", "/b", "-e", "1") &&
	          o.n_read_dirs == 2);
	fprintf(stderr, "(the usage errors below are expected)\n");
	CHECK("unknown long", !PARSE(&o, "--nope"));
	CHECK("unknown short", !PARSE(&o, "-Z"));
	CHECK("missing value", !PARSE(&o, "-e"));
	CHECK("missing second value", !PARSE(&o, "--arg", "x"));
	CHECK("value on boolean", !PARSE(&o, "--compact=1", "-e", "1"));
	CHECK("bad identifier", !PARSE(&o, "--arg", "a b", "v", "-e", "1"));
	CHECK("reserved word", !PARSE(&o, "--arg", "while", "v", "-e", "1"));
	CHECK("bad size", !PARSE(&o, "--memory-limit", "lots", "-e", "1"));
	CHECK("zero size", !PARSE(&o, "--memory-limit", "0", "-e", "1"));
	CHECK("negative duration", !PARSE(&o, "--timeout", "-1s", "-e", "1"));
	CHECK("run needs file", !PARSE(&o, "run"));
	CHECK("run one file", !PARSE(&o, "run", "a.js", "b.js"));
	CHECK("eval and run", !PARSE(&o, "-e", "1", "run", "a.js"));
	CHECK("eval twice", !PARSE(&o, "-e", "1", "-e", "2"));
	CHECK("policy bad word", !PARSE(&o, "policy", "frob"));
	CHECK("unknown command", !PARSE(&o, "frob"));
	CHECK("both from stdin", !PARSE(&o, "run", "-", "--input", "-"));
	CHECK_DONE();
}
