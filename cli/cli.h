/*
 * cli/cli.h — the thin front end.  One file per subcommand (cmd_<name>.c)
 * with int cmd_<name>(int argc, char **argv) returning the exit status.
 *
 * Adding a subcommand: write cli/cmd_foo.c, declare cmd_foo here, add one
 * line to the commands[] table in cli/main.c, document it in docs/shodo.1.
 *
 * Exit codes (SPEC): 0 ok; 1 ran but found a problem; 2 usage; 3 could not
 * be done.  Errors: one line "shodo: <what failed>: <why>" on stderr.
 */
#ifndef SHODO_CLI_H
#define SHODO_CLI_H

#include <stdio.h>
#include "shodo/case.h"
#include "shodo/status.h"
#include "shodo/event.h"
#include "shodo/job.h"

int cmd_devices(int argc, char **argv);
int cmd_image(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_triage(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_tui(int argc, char **argv);
int cmd_parse(int argc, char **argv);

/* Writes s with control characters escaped (\xNN): text from evidence
 * never drives the terminal. */
void cli_safe_fputs(const char *s, FILE *fp);
/* prefix, then err's message and hint lines, escaped, on stderr */
void cli_err_line(const char *prefix, const shodo_err *err);
/* Prints "shodo: msg" (+ "hint: ..." line) to stderr, returns the exit code. */
int cli_fail(const shodo_err *err);
/* Usage error: "shodo: <cmd>: msg" + "try 'shodo <cmd> --help'", returns 2. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The console renderer: a rate-limited progress line on stderr when stderr
 * is a terminal (percent, MB/s, time left), warnings and errors always,
 * info lines with --verbose.  quiet suppresses everything but errors. */
typedef struct cli_console {
	int tty;
	int verbose;
	int quiet;
	double last;        /* last progress draw */
	int drawn;          /* a progress line is on screen */
	double phase_t0;
	char phase[32];
} cli_console;

void cli_console_init(cli_console *c, int verbose, int quiet);
void cli_console_fn(const shodo_event *ev, void *ud);
/* Clears the progress line if one is shown. */
void cli_console_finish(cli_console *c);

/* SIGINT/SIGTERM set this token; commands pass it to the engines. */
extern shodo_cancel cli_cancel;
void cli_install_signals(void);

/* Runs fn as a job on its own thread and waits for it, forwarding Ctrl-C
 * (cli_cancel) to the job's cancellation token.  Fills err; when no thread
 * can be started returns FATAL with a message. */
shodo_status cli_run_job(const char *label, shodo_job_fn fn, void *arg, const shodo_sink *sink, shodo_err *err);

/* What a command that runs an engine holds: the console, the sink drawing
 * on it, the error the engine fills and the case folder it opened.
 *
 *   cli_cmd c;
 *   cli_cmd_console(&c, NULL, verbose, quiet);
 *   if ((rc = cli_cmd_open(&c, dir, NULL, 0)) != 0) return rc;
 *   st = shodo_<engine>(&(opts){.kase = c.kase, .sink = &c.sink, .cancel = &cli_cancel}, &res, &c.err);
 *   cli_cmd_close(&c);
 *   ... print res ...
 *   return cli_exit(st, &c.err, "shodo: ");
 */
typedef struct cli_cmd {
	cli_console con;
	shodo_sink sink;
	shodo_err err;
	shodo_case *kase;   /* NULL unless cli_cmd_open opened one */
} cli_cmd;
/* Starts the console (verbose, quiet) and its sink, named job (may be NULL),
 * and clears the error. */
void cli_cmd_console(cli_cmd *c, const char *job, int verbose, int quiet);
/* Opens the case folder dir when given (created, with meta, when create),
 * then lets Ctrl-C cancel (cli_cancel).  0, or the exit status after saying
 * why the folder cannot be opened. */
int cli_cmd_open(cli_cmd *c, const char *dir, const shodo_case_meta *meta, int create);
/* Clears the progress line and closes the case folder. */
void cli_cmd_close(cli_cmd *c);
/* The exit status of an engine's result: 0 for OK; 1 for WARN and FAILED,
 * after the line prefix + err (none when prefix is NULL); else cli_fail. */
int cli_exit(shodo_status st, const shodo_err *err, const char *prefix);

/* Selects the language of the reports ("en", "ja"): binds the gettext
 * domain "shodo" (beside the program in a build tree, else the installed
 * catalogs) and selects its catalog.  -1 for a language shodo lacks. */
int cli_lang(const char *lang);

/* Prints the case folder's custody head (shodo_case_custody_head) as the
 * last line of a command that wrote to it: noted outside the folder, it
 * anchors the custody chain.  Nothing when the folder has no custody. */
void cli_print_custody_head(const char *case_dir);

/* Prints a JSON document (jansson json_t*) to stdout and decrefs it. */
struct json_t;
void cli_print_json(struct json_t *doc);

#endif
