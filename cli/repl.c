/* The interactive REPL in the trusted parent: line editing and history
 * (libedit), multi-line input, tab completion and dot-commands.  Every
 * evaluation goes to the session's confined evaluator; files named by
 * dot-commands and the history file are read and written here only. */
#include <errno.h>
#include <histedit.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/repl.h"
#include "common/jsbox.h"
#include "common/parse.h"
#include "engine/engine.h"
#include "policy/validate.h"

#define HISTORY_SIZE 1000
#define PROMPT       "> "
#define MORE_PROMPT  "... "

struct repl {
	EditLine *el;
	History *hist;
	HistEvent hev;
	char history_path[4096]; /* empty: no history file */
	struct jsb_session *session;
	const struct jsb_policy *policy;
	const char *prompt;
	char *pending; /* input so far of an unfinished statement */
	size_t pending_len;
	char *log; /* every evaluated input, for .save */
	size_t log_len;
	struct jsb_session_result last;
	bool have_last;
	bool interrupted; /* Ctrl-C ended the line being edited */
	bool line_had_text;
};

static volatile sig_atomic_t got_sigint;

static void on_sigint(int sig)
{
	(void)sig;
	got_sigint = 1;
}

static bool append(char **buf, size_t *len, const char *s, size_t n)
{
	char *more = realloc(*buf, *len + n + 1);
	if (!more)
		return false;
	memcpy(more + *len, s, n);
	*len += n;
	more[*len] = '\0';
	*buf = more;
	return true;
}

/* ---- history ------------------------------------------------------------ */

/* JSBOX_HISTORY (empty: none), else $XDG_STATE_HOME/jsbox/history, else
 * ~/.local/state/jsbox/history; the directory is created. */
static void history_path(struct repl *r)
{
	const char *env = getenv("JSBOX_HISTORY"), *base = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	char dir[3800];
	r->history_path[0] = '\0';
	if (env) {
		snprintf(r->history_path, sizeof r->history_path, "%s", env);
		return;
	}
	if (base && *base)
		snprintf(dir, sizeof dir, "%s/jsbox", base);
	else if (home && *home)
		snprintf(dir, sizeof dir, "%s/.local/state/jsbox", home);
	else
		return;
	/* mkdir -p: each component, ignoring those that exist. */
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(dir, 0700);
		*p = '/';
	}
	mkdir(dir, 0700);
	snprintf(r->history_path, sizeof r->history_path, "%s/history", dir);
}

static void history_add(struct repl *r, const char *line)
{
	if (!*line)
		return;
	history(r->hist, &r->hev, H_ENTER, line);
	if (r->history_path[0])
		history(r->hist, &r->hev, H_SAVE, r->history_path);
}

/* ---- line editing --------------------------------------------------------- */

static char *prompt(EditLine *el)
{
	struct repl *r;
	el_get(el, EL_CLIENTDATA, &r);
	return (char *)(uintptr_t)r->prompt;
}

/* Reads a character; Ctrl-C (SIGINT interrupting the read) ends the line
 * being edited with a note of whether it held text. */
static int getch(EditLine *el, wchar_t *c)
{
	struct repl *r;
	el_get(el, EL_CLIENTDATA, &r);
	for (;;) {
		unsigned char b;
		/* The flag may have been set between reads, not only during one. */
		if (got_sigint) {
			const LineInfo *li = el_line(el);
			got_sigint = 0;
			r->interrupted = true;
			r->line_had_text = li->lastchar > li->buffer;
			return -1;
		}
		ssize_t n = read(STDIN_FILENO, &b, 1);
		if (n == 1) {
			*c = (wchar_t)b;
			return 1;
		}
		if (n == 0)
			return 0;
		if (errno != EINTR)
			return -1;
	}
}

static const char *const commands[] = {".help",   ".exit",  ".clear", ".load",   ".save",
                                       ".policy", ".stats", ".input", ".editor", NULL};

static int compare(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Inserts what all candidates share beyond the typed prefix; with several
 * and nothing shared, lists them. */
static unsigned char offer(EditLine *el, const char *typed, size_t typed_len, char **cands,
                           size_t n)
{
	if (n == 0)
		return CC_ERROR;
	qsort(cands, n, sizeof *cands, compare);
	size_t common = strlen(cands[0]);
	for (size_t i = 1; i < n; i++) {
		size_t k = 0;
		while (k < common && cands[i][k] == cands[0][k])
			k++;
		common = k;
	}
	if (common > typed_len) {
		char ins[512];
		size_t m =
		    common - typed_len < sizeof ins - 1 ? common - typed_len : sizeof ins - 1;
		memcpy(ins, cands[0] + typed_len, m);
		ins[m] = '\0';
		el_insertstr(el, ins);
		return CC_REFRESH;
	}
	if (n == 1)
		return CC_REFRESH;
	(void)typed;
	fputc('\n', stdout);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || strcmp(cands[i], cands[i - 1]) != 0)
			printf("%s%s", cands[i], (i + 1) % 6 == 0 ? "\n" : "  ");
	fputc('\n', stdout);
	fflush(stdout);
	return CC_REDISPLAY;
}

static bool is_path_char(char c)
{
	return c == '_' || c == '$' || c == '.' || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (unsigned char)c >= 0x80;
}

static bool printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

/* Tab: dot-commands at the start of a line, else globals and properties
 * after a dot (the evaluator walks data properties only). */
static unsigned char complete(EditLine *el, int ch)
{
	(void)ch;
	struct repl *r;
	el_get(el, EL_CLIENTDATA, &r);
	const LineInfo *li = el_line(el);
	const char *start = li->cursor;
	while (start > li->buffer && is_path_char(start[-1]))
		start--;
	size_t len = (size_t)(li->cursor - start);
	char *cands[600];
	size_t n = 0;
	if (start == li->buffer && len && *start == '.' && !r->pending_len) {
		for (size_t i = 0; commands[i]; i++)
			if (strncmp(commands[i], start, len) == 0)
				cands[n++] = (char *)(uintptr_t)commands[i];
		return offer(el, start, len, cands, n);
	}
	if (start > li->buffer && (start[-1] == '\'' || start[-1] == '"'))
		return CC_ERROR;
	static char names[64 * 1024];
	jsb_session_complete(r->session, start, len, names, sizeof names);
	const char *dot = len ? memrchr(start, '.', len) : NULL;
	size_t word = dot ? len - (size_t)(dot + 1 - start) : len;
	for (char *p = names, *nl; n < sizeof cands / sizeof *cands && (nl = strchr(p, '\n'));
	     p = nl + 1) {
		*nl = '\0';
		if (printable(p)) /* names come from script data: no escape sequences */
			cands[n++] = p;
	}
	return offer(el, start + len - word, word, cands, n);
}

static bool editor_init(struct repl *r)
{
	r->hist = history_init();
	r->el = el_init("jsbox", stdin, stdout, stderr);
	if (!r->hist || !r->el)
		return false;
	history(r->hist, &r->hev, H_SETSIZE, HISTORY_SIZE);
	history(r->hist, &r->hev, H_SETUNIQUE, 1);
	if (r->history_path[0])
		history(r->hist, &r->hev, H_LOAD, r->history_path);
	el_set(r->el, EL_CLIENTDATA, r);
	el_set(r->el, EL_EDITOR, "emacs");
	el_set(r->el, EL_PROMPT, prompt);
	el_set(r->el, EL_HIST, history, r->hist);
	el_set(r->el, EL_GETCFN, getch);
	/* Wide strings: the narrow el_set copies these and never frees them. */
	el_wset(r->el, EL_ADDFN, L"jsbox-complete", L"complete a name", complete);
	el_set(r->el, EL_BIND, "^I", "jsbox-complete", NULL);
	el_source(r->el, NULL);
	return true;
}

/* One line without its newline, or NULL at end of input or on Ctrl-C
 * (then r->interrupted). */
static const char *read_line(struct repl *r, const char *p)
{
	int count;
	r->prompt = p;
	r->interrupted = false;
	got_sigint = 0;
	const char *line = el_gets(r->el, &count);
	if (!line || count <= 0)
		return NULL;
	static char buf[1 << 16];
	size_t len = (size_t)count < sizeof buf ? (size_t)count : sizeof buf - 1;
	memcpy(buf, line, len);
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		len--;
	buf[len] = '\0';
	return buf;
}

/* ---- evaluation ------------------------------------------------------------ */

static void note_result(struct repl *r, const struct jsb_session_result *res)
{
	char used[32], limit[32];
	if (res->heap_kept) {
		jsb_format_size(used, sizeof used, res->heap_used);
		jsb_format_size(limit, sizeof limit, res->heap_limit);
		fprintf(stderr, "jsbox: note: the heap was collected and kept (%s of %s in use)\n",
		        used, limit);
	} else if (res->restarted && res->code == JSB_EXIT_MEMORY) {
		fprintf(stderr, "jsbox: note: the heap was recreated: variables are gone\n");
	}
	r->last = *res;
	r->have_last = true;
}

/* Evaluates source (validated against the policy first); false when it
 * is unfinished and more input is wanted. */
static bool evaluate(struct repl *r, const char *src, size_t len)
{
	char err[512];
	struct jsb_session_result res;
	int rc = jsb_validate_source(r->policy, src, len, err, sizeof err);
	if (rc == JSB_EXIT_TIMEOUT)
		jsb_error("time limit exceeded", "%s", err);
	else if (rc != JSB_EXIT_OK)
		jsb_error("blocked by policy", "<repl>: %s", err);
	if (rc != JSB_EXIT_OK)
		return true;
	jsb_session_eval(r->session, src, len, &res);
	if (res.incomplete)
		return false;
	append(&r->log, &r->log_len, src, len);
	append(&r->log, &r->log_len, "\n", 1);
	note_result(r, &res);
	return true;
}

/* Reads a whole file (at most limit bytes); NULL with the reason printed. */
static char *slurp(const char *path, uint64_t limit, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		jsb_error("usage", "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	char *buf = NULL;
	size_t n = 0;
	char chunk[65536];
	size_t got;
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (n + got > limit) {
			jsb_error("usage", "%s: larger than the policy allows", path);
			fclose(f);
			free(buf);
			return NULL;
		}
		if (!append(&buf, &n, chunk, got)) {
			fclose(f);
			free(buf);
			return NULL;
		}
	}
	bool bad = ferror(f);
	fclose(f);
	if (bad) {
		jsb_error("usage", "%s: cannot read", path);
		free(buf);
		return NULL;
	}
	*len = n;
	return buf ? buf : calloc(1, 1);
}

static void bind_input_file(struct repl *r, const char *path)
{
	size_t len;
	char *json = slurp(path, r->policy->memory, &len);
	if (!json)
		return;
	struct jsb_session_result res;
	jsb_session_input(r->session, json, len, path, &res);
	if (res.code == JSB_EXIT_OK)
		printf("input = the JSON of %s\n", path);
	free(json);
}

/* ---- dot-commands ---------------------------------------------------------- */

static void cmd_help(void)
{
	puts(".clear    a fresh evaluator and heap (variables are gone; input stays)\n"
	     ".editor   paste mode: Ctrl-D evaluates, Ctrl-C cancels\n"
	     ".exit     leave (so does Ctrl-D)\n"
	     ".help     this list\n"
	     ".input F  bind the JSON in file F to `input`\n"
	     ".load F   evaluate the file F\n"
	     ".policy   the effective policy, as JSON\n"
	     ".save F   write this session's input to the file F\n"
	     ".stats    memory and time of the last evaluation\n"
	     "Tab completes names; _ is the last result, _error the last error.");
}

static void cmd_stats(const struct repl *r)
{
	char used[32], peak[32], limit[32];
	if (!r->have_last) {
		puts("nothing evaluated yet");
		return;
	}
	jsb_format_size(used, sizeof used, r->last.heap_used);
	jsb_format_size(peak, sizeof peak, r->last.heap_peak);
	jsb_format_size(limit, sizeof limit, r->last.heap_limit);
	printf("last evaluation: %.3f ms wall, %.3f ms cpu; heap %s in use, peak %s, limit %s; "
	       "exit %d\n",
	       r->last.wall_ms, r->last.cpu_ms, used, peak, limit, r->last.code);
}

static void cmd_save(const struct repl *r, const char *path)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(r->log, 1, r->log_len, f) != r->log_len || fclose(f) != 0) {
		jsb_error("usage", "%s: cannot write: %s", path, strerror(errno));
		return;
	}
	printf("session saved to %s\n", path);
}

static void cmd_load(struct repl *r, const char *path)
{
	size_t len;
	char *src = slurp(path, r->policy->code_size, &len);
	if (!src)
		return;
	if (!evaluate(r, src, len))
		jsb_error("<repl>", "%s: SyntaxError: the file ends in the middle of a statement",
		          path);
	free(src);
}

static void cmd_editor(struct repl *r)
{
	char *buf = NULL;
	size_t len = 0;
	const char *line;
	puts("// editor mode: Ctrl-D evaluates, Ctrl-C cancels");
	while ((line = read_line(r, "")) != NULL) {
		append(&buf, &len, line, strlen(line));
		append(&buf, &len, "\n", 1);
	}
	fputc('\n', stdout);
	if (r->interrupted) {
		puts("// cancelled");
	} else if (buf && !evaluate(r, buf, len)) {
		jsb_error("<repl>", "SyntaxError: the input ends in the middle of a statement");
	}
	free(buf);
}

static void cmd_policy(const struct repl *r)
{
	struct jsb_jsonw w;
	jsb_jsonw_init(&w, JSB_JSONW_LINES, jsb_jsonw_file_sink, stdout);
	jsb_policy_write_json(r->policy, &w);
}

/* Runs a dot-command; false for .exit. */
static bool command(struct repl *r, const char *line)
{
	char name[32];
	size_t n = strcspn(line, " \t");
	const char *arg = line + n;
	while (*arg == ' ' || *arg == '\t')
		arg++;
	snprintf(name, sizeof name, "%.*s", (int)n, line);
	bool needs_file =
	    !strcmp(name, ".load") || !strcmp(name, ".save") || !strcmp(name, ".input");
	if (needs_file && !*arg) {
		jsb_error("usage", "%s needs a FILE", name);
		return true;
	}
	if (!strcmp(name, ".exit"))
		return false;
	else if (!strcmp(name, ".help"))
		cmd_help();
	else if (!strcmp(name, ".clear")) {
		if (jsb_session_restart(r->session))
			puts("cleared: a fresh evaluator and heap");
	} else if (!strcmp(name, ".load"))
		cmd_load(r, arg);
	else if (!strcmp(name, ".save"))
		cmd_save(r, arg);
	else if (!strcmp(name, ".input"))
		bind_input_file(r, arg);
	else if (!strcmp(name, ".policy"))
		cmd_policy(r);
	else if (!strcmp(name, ".stats"))
		cmd_stats(r);
	else if (!strcmp(name, ".editor"))
		cmd_editor(r);
	else
		jsb_error("usage", "unknown REPL command '%s' (see .help)", name);
	fflush(stdout);
	return true;
}

/* ---- the loop ------------------------------------------------------------- */

static void drop_pending(struct repl *r)
{
	free(r->pending);
	r->pending = NULL;
	r->pending_len = 0;
}

/* Ctrl-C at the prompt: drops an unfinished statement, else says how to leave. */
static void interrupted(struct repl *r)
{
	fputc('\n', stdout);
	if (r->pending_len)
		drop_pending(r);
	else if (!r->line_had_text)
		puts("(to exit, press Ctrl-D or type .exit)");
	fflush(stdout);
}

/* One line typed at the prompt; false when the REPL should end. */
static bool handle(struct repl *r, const char *line)
{
	history_add(r, line);
	if (!r->pending_len && line[0] == '.' && line[1] >= 'a' && line[1] <= 'z')
		return command(r, line);
	if (!r->pending_len && !line[strspn(line, " \t")])
		return true;
	append(&r->pending, &r->pending_len, line, strlen(line));
	append(&r->pending, &r->pending_len, "\n", 1);
	if (evaluate(r, r->pending, r->pending_len))
		drop_pending(r);
	fflush(stdout);
	return true;
}

static void loop(struct repl *r)
{
	for (;;) {
		const char *line = read_line(r, r->pending_len ? MORE_PROMPT : PROMPT);
		if (!line && r->interrupted) {
			interrupted(r);
			continue;
		}
		if (!line) {
			if (isatty(STDIN_FILENO))
				fputc('\n', stdout);
			return;
		}
		if (!handle(r, line))
			return;
	}
}

static struct jsb_job session_job(const struct jsb_options *opt, const struct jsb_policy *policy)
{
	const char *nc = getenv("NO_COLOR");
	unsigned flags = JSB_JOB_LINE_FLUSH;
	if (isatty(STDOUT_FILENO) && (!nc || !*nc))
		flags |= JSB_JOB_COLOR;
	if (opt->stack_trace)
		flags |= JSB_JOB_STACK_TRACE;
	if (opt->no_jail)
		flags |= JSB_JOB_NO_JAIL;
	return (struct jsb_job){.source_name = "<repl>",
	                        .input_fd = -1,
	                        .binds = opt->binds,
	                        .n_binds = opt->n_binds,
	                        .policy = policy,
	                        .flags = flags};
}

int jsb_repl_run(const struct jsb_options *opt, const struct jsb_policy *policy)
{
	static struct repl r;
	struct jsb_job job = session_job(opt, policy);
	r.policy = policy;
	int code;
	r.session = jsb_session_open(&job, &code);
	if (!r.session)
		return code;
	if (opt->input_path)
		bind_input_file(&r,
		                strcmp(opt->input_path, "-") == 0 ? "/dev/stdin" : opt->input_path);
	history_path(&r);
	if (!editor_init(&r)) {
		jsb_error("internal error", "cannot initialise line editing: %s", strerror(errno));
		jsb_session_close(r.session);
		return JSB_EXIT_INTERNAL;
	}
	/* No SA_RESTART: Ctrl-C must interrupt the terminal read. */
	struct sigaction sa = {.sa_handler = on_sigint}, old;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old);
	if (isatty(STDIN_FILENO))
		printf("jsbox %s, profile %s. Type .help for help, Ctrl-D to exit.\n",
		       jsb_engine_version(), policy->name);
	loop(&r);
	sigaction(SIGINT, &old, NULL);
	el_end(r.el);
	history_end(r.hist);
	jsb_session_close(r.session);
	drop_pending(&r);
	free(r.log);
	return JSB_EXIT_OK;
}
