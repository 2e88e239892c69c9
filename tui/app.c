/*
 * The front end's main loop: a stack of screens (Enter forward, Esc back),
 * the title bar, the message line and the key bar, help on every screen
 * (? or F1), the session log (L), the jobs (J), quitting (q, F10, Ctrl-C:
 * asks while jobs run).
 *
 * The terminal is always given back: atexit, SIGTERM/SIGHUP (jobs are
 * cancelled first, so that images stay resumable), and crashes (SIGSEGV,
 * SIGBUS, SIGFPE, SIGILL, SIGABRT in any thread: the saved terminal modes
 * are restored with tcsetattr and the alternate screen is left with the
 * terminal's own sequences, both safe in a signal handler; then the signal
 * takes its default course).
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>
#include "shodo/buf.h"
#include "tui.h"
#include "shodo/util.h"
#include "shodo/version.h"

/* ---- terminal restoration ---- */

static struct termios saved_tio;
static int have_tio, curses_on;
static char reset_seq[256];
static size_t reset_len;
static volatile sig_atomic_t sig_quit, sig_term;

static void restore_terminal(void)
{
	if (curses_on) {
		curses_on = 0;
		endwin();
	}
}

static void crash_handler(int sig)
{
	/* async-signal-safe only: tcsetattr and write */
	if (reset_len) {
		ssize_t r = write(STDOUT_FILENO, reset_seq, reset_len);
		(void)r;
	}
	if (have_tio)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
	static const char m[] = "\nshodo: the front end stopped on a fatal error; images in progress can be resumed\n";
	ssize_t r = write(STDERR_FILENO, m, sizeof(m) - 1);
	(void)r;
	signal(sig, SIG_DFL);
	raise(sig);
}

static void quit_handler(int sig)
{
	if (sig == SIGINT)
		sig_quit = 1;
	else
		sig_term = 1;
}

static void add_cap(const char *name)
{
	const char *s = tigetstr((char *)name);
	if (s && s != (char *)-1 && reset_len + strlen(s) < sizeof(reset_seq)) {
		memcpy(reset_seq + reset_len, s, strlen(s));
		reset_len += strlen(s);
	}
}

static void setup_terminal(tui_app *a)
{
	if (tcgetattr(STDIN_FILENO, &saved_tio) == 0)
		have_tio = 1;
	initscr();
	curses_on = 1;
	atexit(restore_terminal);
	/* what endwin would send, for the crash handler */
	add_cap("sgr0");
	add_cap("cnorm");
	add_cap("rmcup");
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(40);
	curs_set(0);
	timeout(200);
	if (has_colors() && !getenv("NO_COLOR")) {
		start_color();
		use_default_colors();
		init_pair(1, COLOR_RED, -1);
		a->colors = 1;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = crash_handler;
	sa.sa_flags = SA_RESETHAND;
	int crash[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
	for (size_t i = 0; i < sizeof(crash) / sizeof(crash[0]); i++)
		sigaction(crash[i], &sa, NULL);
	sa.sa_handler = quit_handler;
	sa.sa_flags = 0;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* ---- screens ---- */

tui_screen *tui_screen_new(const char *title, const char *keys, const char *help, size_t state_size)
{
	tui_screen *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->title = title;
	s->keys = keys;
	s->help = help;
	if (state_size && !(s->st = calloc(1, state_size))) {
		free(s);
		return NULL;
	}
	return s;
}

static void screen_free(tui_screen *s)
{
	if (!s)
		return;
	if (s->destroy)
		s->destroy(s);
	free(s->st);
	free(s);
}

void app_push(tui_app *a, tui_screen *s)
{
	if (!s)
		return;
	if (a->depth >= TUI_MAX_SCREENS) {
		screen_free(s);
		app_msg(a, UI_WARN, "too many screens open: go back with Esc first");
		return;
	}
	a->stack[a->depth++] = s;
	curs_set(0);
}

void app_pop(tui_app *a)
{
	if (a->depth > 1) {
		screen_free(a->stack[--a->depth]);
		a->stack[a->depth] = NULL;
	}
	curs_set(0);
}

void app_pop_to_home(tui_app *a)
{
	while (a->depth > 1)
		app_pop(a);
}

tui_screen *app_top(tui_app *a)
{
	return a->depth ? a->stack[a->depth - 1] : NULL;
}

/* ---- messages and the session log ---- */

void app_msg(tui_app *a, int kind, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->msg, sizeof(a->msg), fmt, ap);
	va_end(ap);
	a->msg_kind = kind;
	app_log(a, kind, "%s", a->msg);
}

void app_log(tui_app *a, int kind, const char *fmt, ...)
{
	char b[4096], t[32];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(b, sizeof(b), fmt, ap);
	va_end(ap);
	shodo_now_iso(t);
	char *line = NULL;
	if (asprintf(&line, "%s %s", t + 11, b) < 0)
		return;
	pthread_mutex_lock(&a->log_mu);
	if (a->nlog >= TUI_LOG_MAX) {
		/* a long session: the oldest lines go (the case folders keep their own logs) */
		int drop = TUI_LOG_MAX / 10;
		for (int i = 0; i < drop; i++)
			free(a->log[i].text);
		memmove(a->log, a->log + drop, (size_t)(a->nlog - drop) * sizeof(a->log[0]));
		a->nlog -= drop;
		a->log_dropped += drop;
	}
	if (shodo_grow(&a->log, &a->caplog, (size_t)a->nlog + 1) < 0) {
		pthread_mutex_unlock(&a->log_mu);
		free(line);
		return;
	}
	a->log[a->nlog].text = line;
	a->log[a->nlog].kind = kind;
	a->nlog++;
	a->log_gen++;
	pthread_mutex_unlock(&a->log_mu);
}

/* ---- drawing ---- */

void app_draw(tui_app *a)
{
	getmaxyx(stdscr, a->H, a->W);
	erase();
	a->too_small = a->W < TUI_MIN_W || a->H < TUI_MIN_H;
	if (a->too_small) {
		int y = a->H / 2 - 1 > 0 ? a->H / 2 - 1 : 0;
		ui_attr_head(1);
		ui_text(y, 0, a->W, "Make the window larger.");
		ui_attr_head(0);
		ui_textf(y + 1, 0, a->W, "shodo needs %dx%d, this is %dx%d.", TUI_MIN_W, TUI_MIN_H, a->W, a->H);
		ui_text(y + 2, 0, a->W, "q quits.");
		refresh();
		return;
	}
	tui_screen *s = app_top(a);
	/* title bar */
	char jobs[96];
	jobs_summary(a, jobs, sizeof(jobs));
	ui_attr_sel(1);
	ui_clear(0, 0, a->W);
	ui_textf(0, 0, a->W, " shodo %s | %s", shodo_version(), s ? s->title : "");
	if (jobs[0]) {
		int jw = ui_width(jobs) + 1;
		ui_text(0, a->W - jw, jw, jobs);
	}
	ui_attr_sel(0);
	/* body */
	curs_set(0);
	int cy = -1, cx = -1;
	if (s && s->draw) {
		s->draw(a, s, 1, a->H - 3, a->W);
		getyx(stdscr, cy, cx);
	}
	/* message line */
	if (a->msg[0]) {
		if (a->msg_kind)
			ui_attr_warn(a, 1);
		ui_text(a->H - 2, 0, a->W, a->msg);
		if (a->msg_kind)
			ui_attr_warn(a, 0);
	}
	/* keys */
	ui_attr_sel(1);
	ui_clear(a->H - 1, 0, a->W);
	ui_textf(a->H - 1, 0, a->W, " F1 help  %s", s && s->keys ? s->keys : "");
	ui_attr_sel(0);
	if (s && s->text_input && cy >= 0)
		move(cy, cx);
	refresh();
}

void app_turn(tui_app *a)
{
	jobs_reap(a);
	if (sig_term) {
		/* SIGTERM/SIGHUP: stop cleanly, images stay resumable */
		sig_term = 0;
		jobs_cancel_all_and_wait(a);
		a->quit = 1;
	}
	tui_screen *s = app_top(a);
	if (s && s->tick)
		s->tick(a, s);
}

int app_request_quit(tui_app *a)
{
	int n = jobs_running(a);
	if (n) {
		char b[300];
		snprintf(b, sizeof(b), "%d job%s still running. Quit anyway? Running images are stopped and stay "
		                       "resumable (the next run offers Resume); a running triage is stopped.",
		         n, n == 1 ? " is" : "s are");
		if (!ui_confirm(a, "Quit shodo", b, "Stop the jobs and quit", "Keep working"))
			return 0;
		app_msg(a, UI_INFO, "stopping the jobs ...");
		app_draw(a);
		jobs_cancel_all_and_wait(a);
	}
	a->quit = 1;
	return 1;
}

static const char global_help[] =
	"Keys that work on every screen:\n"
	"  ? or F1      this help\n"
	"  Esc          back to the previous screen (nothing is lost)\n"
	"  J or F2      the jobs: progress, cancel, resume, results\n"
	"  L or F3      the session log: every action and every job's messages, whole lines\n"
	"  q or F10     back; on the first screen: quit (asks when jobs are running)\n"
	"  Ctrl-C       quit (asks when jobs are running)\n"
	"  Ctrl-L       redraw the screen\n"
	"\n"
	"shodo only reads evidence: sources are opened read-only and a case folder is never put on a source.";

static void show_help(tui_app *a, tui_screen *s)
{
	char *t = NULL;
	if (asprintf(&t, "%s\n\n%s", s && s->help ? s->help : "", global_help) < 0)
		return;
	char title[160];
	snprintf(title, sizeof(title), "Help: %s", s ? s->title : "shodo");
	ui_show_text(a, title, t);
	free(t);
}

static void handle_key(tui_app *a, int ch)
{
	tui_screen *s = app_top(a);
	if (ch == KEY_RESIZE || ch == 12) {   /* Ctrl-L */
		clearok(curscr, TRUE);
		return;
	}
	if (a->too_small) {
		if (ch == 'q' || ch == KEY_F(10))
			app_request_quit(a);
		return;
	}
	if (ch == KEY_F(1)) {
		show_help(a, s);
		return;
	}
	/* forms take printable keys first; F-keys and Esc still work */
	if (s && s->text_input && s->key && s->key(a, s, ch))
		return;
	if (ch == '?') {
		show_help(a, s);
		return;
	}
	if (s && !s->text_input && s->key && s->key(a, s, ch))
		return;
	switch (ch) {
	case 27:
	case 'q':
		if (a->depth > 1)
			app_pop(a);
		else if (ch == 'q')
			app_request_quit(a);
		break;
	case KEY_F(10):
		app_request_quit(a);
		break;
	case 'J':
	case KEY_F(2):
		if (s && strcmp(s->title, "Jobs"))
			app_push(a, scr_jobs_new(a));
		break;
	case 'L':
	case KEY_F(3):
		if (s && strcmp(s->title, "Session log"))
			app_push(a, scr_log_new(a));
		break;
	default:
		break;
	}
}

int tui_main(const char *const *files, int nfiles)
{
	tui_app A, *a = &A;
	memset(a, 0, sizeof(*a));
	pthread_mutex_init(&a->log_mu, NULL);
	a->ro_log = getenv("SHODO_RO_LOG");
	for (int i = 0; i < nfiles && a->nfiles < TUI_MAX_FILES; i++)
		snprintf(a->files[a->nfiles++], sizeof(a->files[0]), "%s", files[i]);
	setup_terminal(a);
	bg_start(a);
	app_log(a, UI_INFO, "shodo %s front end started", shodo_version());
	app_push(a, scr_devices_new(a));
	while (!a->quit) {
		app_turn(a);
		if (a->quit)
			break;
		app_draw(a);
		if (sig_quit) {
			sig_quit = 0;
			app_request_quit(a);
			continue;
		}
		int ch = getch();
		if (ch == 3) {   /* Ctrl-C when the terminal passes it as a key */
			app_request_quit(a);
			continue;
		}
		if (ch != ERR)
			handle_key(a, ch);
	}
	bg_stop(a);
	while (a->depth)
		screen_free(a->stack[--a->depth]);
	restore_terminal();
	/* what ran, for the shell the responder comes back to */
	int worst = 0;
	for (int i = 0; i < a->njobs; i++) {
		tui_job *j = a->jobs[i];
		char s[1400] = "";
		if (j->err.msg[0])
			ui_sentence(&j->err, s, sizeof(s));
		printf("%s: %s%s%s\n", j->label, jobs_state_name(j), s[0] ? ": " : "", s);
		shodo_status st = shodo_status_worst(j->st_triage, shodo_status_worst(j->st_image, j->st_verify));
		if (j->state == TJ_CANCELLED && st == SHODO_OK)
			st = SHODO_WARN;
		int e = shodo_status_exit(st == SHODO_CANCELLED ? SHODO_WARN : st);
		worst = e > worst ? e : worst;
	}
	jobs_free_all(a);
	for (int i = 0; i < a->nlog; i++)
		free(a->log[i].text);
	free(a->log);
	pthread_mutex_destroy(&a->log_mu);
	return worst;
}
