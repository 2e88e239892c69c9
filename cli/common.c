#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libintl.h>
#include <locale.h>
#include <stdlib.h>
#include <jansson.h>
#include "cli.h"
#include "shodo/report.h"
#include "shodo/case.h"

shodo_cancel cli_cancel;

/* Text from evidence (file and account names, paths in messages) must not
 * drive the terminal: C0 controls but tab, DEL and the C1 controls (UTF-8
 * C2 80..C2 9F) are written as \xNN. */
void cli_safe_fputs(const char *s, FILE *fp)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f) {
			fprintf(fp, "\\x%02x", *p);
		} else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			fprintf(fp, "\\xc2\\x%02x", p[1]);
			p++;
		} else {
			fputc(*p, fp);
		}
	}
}

void cli_err_line(const char *prefix, const shodo_err *err)
{
	fputs(prefix, stderr);
	cli_safe_fputs(err->msg[0] ? err->msg : "failed", stderr);
	fputc('\n', stderr);
	if (err->hint[0]) {
		fputs("hint: ", stderr);
		cli_safe_fputs(err->hint, stderr);
		fputc('\n', stderr);
	}
}

int cli_fail(const shodo_err *err)
{
	cli_err_line("shodo: ", err);
	return shodo_status_exit(err->status);
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "shodo: %s: ", cmd);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\ntry 'shodo %s --help'\n", cmd);
	va_end(ap);
	return 2;
}

static void on_signal(int sig)
{
	(void)sig;
	shodo_cancel_request(&cli_cancel);
}

void cli_install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

void cli_print_json(json_t *doc)
{
	if (!doc)
		return;
	json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	fflush(stdout);
	json_decref(doc);
}

void cli_console_init(cli_console *c, int verbose, int quiet)
{
	memset(c, 0, sizeof(*c));
	c->tty = isatty(2) && !getenv("SHODO_NO_PROGRESS");
	c->verbose = verbose;
	c->quiet = quiet;
}

static void clear_line(cli_console *c)
{
	if (c->drawn) {
		fputs("\r\033[K", stderr);
		c->drawn = 0;
	}
}

void cli_console_finish(cli_console *c)
{
	clear_line(c);
	fflush(stderr);
}

static void fmt_eta(double s, char *out, size_t n)
{
	if (s < 0 || s > 360000)
		snprintf(out, n, "--:--");
	else if (s >= 3600)
		snprintf(out, n, "%d:%02d:%02d", (int)s / 3600, ((int)s / 60) % 60, (int)s % 60);
	else
		snprintf(out, n, "%02d:%02d", (int)s / 60, (int)s % 60);
}

void cli_console_fn(const shodo_event *ev, void *ud)
{
	cli_console *c = ud;
	switch (ev->kind) {
	case SHODO_EV_PROGRESS: {
		if (!c->tty || c->quiet)
			return;
		if (strncmp(c->phase, ev->phase ? ev->phase : "", sizeof(c->phase) - 1)) {
			snprintf(c->phase, sizeof(c->phase), "%s", ev->phase ? ev->phase : "");
			c->phase_t0 = ev->t;
		}
		int final = ev->total && ev->done >= ev->total;
		if (!final && ev->t - c->last < 0.2)
			return;
		c->last = ev->t;
		double el = ev->t - c->phase_t0;
		int bytes = ev->unit && !strcmp(ev->unit, "bytes");
		char line[160], eta[32];
		double rate = el > 0 ? (double)ev->done / el : 0;
		double left = (rate > 0 && ev->total) ? (double)(ev->total - ev->done) / rate : -1;
		fmt_eta(left, eta, sizeof(eta));
		if (bytes)
			snprintf(line, sizeof(line), "%s: %5.1f%%  %.0f MB/s  %s left", c->phase,
			         ev->total ? 100.0 * (double)ev->done / (double)ev->total : 0.0, rate / 1e6, eta);
		else
			snprintf(line, sizeof(line), "%s: %llu%s%llu %s", c->phase, (unsigned long long)ev->done,
			         ev->total ? " of " : "", (unsigned long long)ev->total, ev->unit ? ev->unit : "");
		if (!ev->total && bytes)
			snprintf(line, sizeof(line), "%s: %.0f MB  %.0f MB/s", c->phase, (double)ev->done / 1e6, rate / 1e6);
		fprintf(stderr, "\r\033[K%s", line);
		fflush(stderr);
		c->drawn = 1;
		return;
	}
	case SHODO_EV_WARN:
		clear_line(c);
		fputs("shodo: warning: ", stderr);
		cli_safe_fputs(ev->msg, stderr);
		fputc('\n', stderr);
		return;
	case SHODO_EV_ERROR:
		clear_line(c);
		fputs("shodo: error: ", stderr);
		cli_safe_fputs(ev->msg, stderr);
		fputc('\n', stderr);
		return;
	case SHODO_EV_INFO:
	case SHODO_EV_PHASE:
		if (c->verbose && !c->quiet) {
			clear_line(c);
			fputs(ev->kind == SHODO_EV_PHASE ? "== " : "", stderr);
			cli_safe_fputs(ev->msg, stderr);
			fputc('\n', stderr);
		}
		return;
	case SHODO_EV_DEBUG:
		return;
	}
}

shodo_status cli_run_job(const char *label, shodo_job_fn fn, void *arg, const shodo_sink *sink, shodo_err *err)
{
	shodo_job *j = shodo_job_start(label, fn, arg, sink);
	if (!j)
		return shodo_err_set(err, SHODO_FATAL, 0, "%s: cannot start a thread", label);
	while (!shodo_job_done(j)) {
		if (shodo_cancelled(&cli_cancel))
			shodo_job_cancel(j);
		struct timespec ts = {0, 50 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	return shodo_job_wait(j, err);
}

void cli_cmd_console(cli_cmd *c, const char *job, int verbose, int quiet)
{
	memset(c, 0, sizeof(*c));
	cli_console_init(&c->con, verbose, quiet);
	c->sink.fn = cli_console_fn;
	c->sink.ud = &c->con;
	c->sink.job = job;
	shodo_err_clear(&c->err);
}

int cli_cmd_open(cli_cmd *c, const char *dir, const shodo_case_meta *meta, int create)
{
	if (dir && shodo_case_open(dir, meta, create, &c->kase, &c->err) != SHODO_OK) {
		cli_console_finish(&c->con);
		return cli_fail(&c->err);
	}
	cli_install_signals();
	return 0;
}

void cli_cmd_close(cli_cmd *c)
{
	cli_console_finish(&c->con);
	if (c->kase)
		shodo_case_close(c->kase);
	c->kase = NULL;
}

int cli_exit(shodo_status st, const shodo_err *err, const char *prefix)
{
	if (st == SHODO_OK)
		return 0;
	if (st == SHODO_WARN || st == SHODO_FAILED) {
		if (prefix)
			cli_err_line(prefix, err);
		return 1;
	}
	return cli_fail(err);
}

int cli_lang(const char *lang)
{
	if (shodo_report_set_lang(lang) != SHODO_OK)
		return -1;
	if (!strcmp(lang, "en"))
		return 0;
	/* a build tree has its catalogs in build/locale, beside the program */
	char exe[4096], dir[4200];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	snprintf(dir, sizeof(dir), "%s", SHODO_LOCALEDIR);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			/* a build tree (build/locale), or an installation under another
			 * prefix than the one compiled in (PREFIX/bin -> PREFIX/share/locale) */
			static const char *const rel[] = {"locale", "../share/locale"};
			*slash = '\0';
			for (int i = 0; i < 2; i++) {
				char mo[4400];
				snprintf(mo, sizeof(mo), "%s/%s/%s/LC_MESSAGES/shodo.mo", exe, rel[i], lang);
				if (access(mo, R_OK) == 0) {
					snprintf(dir, sizeof(dir), "%s/%s", exe, rel[i]);
					break;
				}
			}
		}
	}
	bindtextdomain("shodo", dir);
	bind_textdomain_codeset("shodo", "UTF-8");
	/* gettext takes LANGUAGE only when the messages locale is not "C" */
	setenv("LANGUAGE", lang, 1);
	const char *cur = setlocale(LC_MESSAGES, NULL);
	if (!cur || !strcmp(cur, "C") || !strcmp(cur, "POSIX"))
		setlocale(LC_MESSAGES, "C.UTF-8");
	return 0;
}

void cli_print_custody_head(const char *case_dir)
{
	char head[65];
	int n = 0;
	shodo_err e;
	if (!case_dir || shodo_case_custody_head(case_dir, head, &n, &e) != SHODO_OK || !n)
		return;
	fprintf(stderr, "shodo: custody head: %s (%d entries); note it: 'shodo verify %s --anchor %s' proves "
	        "the chain up to here\n", head, n, case_dir, head);
}
