/*
 * The ncurses front end: pick a device or image file, start acquisition and
 * triage jobs (several at once), watch their progress, cancel them.
 *
 * It is a front end like the CLI: it uses only the public headers, runs each
 * engine call as a shodo_job on its own thread, and renders the events the
 * job's sink receives.  Engine events arrive on job threads; the sink only
 * copies them into the job's state under a mutex, and the main loop draws.
 */
#include <curses.h>
#include <errno.h>
#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "tui.h"
#include "shodo/devices.h"
#include "shodo/job.h"
#include "shodo/logfile.h"
#include "shodo/util.h"

#define MAX_JOBS 16
#define LOG_LINES 200

typedef struct tui_job {
	char label[96];
	tui_job_spec spec;
	shodo_job *job;
	shodo_sink sink;
	pthread_mutex_t mu;
	char phase[32];
	uint64_t done, total;
	char unit[8];
	double t, phase_t0;
	int finished;
	shodo_status status;
	shodo_err err;
	char log[LOG_LINES][160];
	int nlog, warnings;
} tui_job;

typedef struct tui {
	shodo_device *devs;
	int ndevs;
	char extra[8][256];   /* image files added by the user */
	int nextra;
	int sel;              /* selected row in the source list */
	int jsel;             /* selected job */
	int focus;            /* 0 sources, 1 jobs */
	tui_job *jobs[MAX_JOBS];
	int njobs;
	char case_dir[256], examiner[128], case_number[64];
	char status_line[256];
	int show_log;
} tui;

/* ---- job sink: called on job threads ---- */

static void job_log(tui_job *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void job_log(tui_job *j, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *dst = j->log[j->nlog % LOG_LINES];
	vsnprintf(dst, sizeof(j->log[0]), fmt, ap);
	va_end(ap);
	j->nlog++;
}

static void job_sink_fn(const shodo_event *ev, void *ud)
{
	tui_job *j = ud;
	pthread_mutex_lock(&j->mu);
	j->t = ev->t;
	switch (ev->kind) {
	case SHODO_EV_PROGRESS:
		if (strncmp(j->phase, ev->phase ? ev->phase : "", sizeof(j->phase) - 1)) {
			snprintf(j->phase, sizeof(j->phase), "%s", ev->phase ? ev->phase : "");
			j->phase_t0 = ev->t;
		}
		j->done = ev->done;
		j->total = ev->total;
		snprintf(j->unit, sizeof(j->unit), "%s", ev->unit ? ev->unit : "");
		break;
	case SHODO_EV_PHASE:
	case SHODO_EV_INFO:
		job_log(j, "%s", ev->msg);
		break;
	case SHODO_EV_WARN:
		j->warnings++;
		job_log(j, "warning: %s", ev->msg);
		break;
	case SHODO_EV_ERROR:
		j->warnings++;
		job_log(j, "error: %s", ev->msg);
		break;
	case SHODO_EV_DEBUG:
		break;
	}
	pthread_mutex_unlock(&j->mu);
}

static shodo_status job_main(void *arg, const shodo_sink *sink, shodo_cancel *cancel, shodo_err *err)
{
	tui_job *j = arg;
	shodo_status st = tui_run_spec(&j->spec, sink, cancel, err);
	pthread_mutex_lock(&j->mu);
	j->finished = 1;
	pthread_mutex_unlock(&j->mu);
	return st;
}

static int start_job(tui *t, const tui_job_spec *spec)
{
	if (t->njobs >= MAX_JOBS) {
		snprintf(t->status_line, sizeof(t->status_line), "too many jobs: wait for one to finish");
		return -1;
	}
	tui_job *j = calloc(1, sizeof(*j));
	if (!j)
		return -1;
	j->spec = *spec;
	pthread_mutex_init(&j->mu, NULL);
	snprintf(j->label, sizeof(j->label), "%s %s", spec->evidence_id,
	         spec->kind == TUI_JOB_IMAGE ? "image" : "triage");
	j->sink.fn = job_sink_fn;
	j->sink.ud = j;
	j->sink.job = j->label;
	j->job = shodo_job_start(j->label, job_main, j, &j->sink);
	if (!j->job) {
		free(j);
		snprintf(t->status_line, sizeof(t->status_line), "cannot start a thread for the job");
		return -1;
	}
	t->jobs[t->njobs++] = j;
	t->jsel = t->njobs - 1;
	snprintf(t->status_line, sizeof(t->status_line), "started: %s", j->label);
	return 0;
}

/* collect finished jobs' status without freeing their display state */
static void reap_jobs(tui *t)
{
	for (int i = 0; i < t->njobs; i++) {
		tui_job *j = t->jobs[i];
		pthread_mutex_lock(&j->mu);
		int fin = j->finished;
		pthread_mutex_unlock(&j->mu);
		if (fin && j->job) {
			j->status = shodo_job_wait(j->job, &j->err);
			j->job = NULL;
			pthread_mutex_lock(&j->mu);
			if (j->err.msg[0])
				job_log(j, "%s: %s", shodo_status_name(j->status), j->err.msg);
			else
				job_log(j, "finished: %s", shodo_status_name(j->status));
			pthread_mutex_unlock(&j->mu);
		}
	}
}

/* ---- drawing ---- */

static int nsources(const tui *t)
{
	return t->ndevs + t->nextra;
}

static void source_path(const tui *t, int i, char *out, size_t n)
{
	if (i < t->ndevs)
		snprintf(out, n, "%s", t->devs[i].path);
	else
		snprintf(out, n, "%s", t->extra[i - t->ndevs]);
}

static void draw_box_title(int y, int x, int h, int w, const char *title, int focused)
{
	if (focused)
		attron(A_BOLD);
	mvhline(y, x + 1, ACS_HLINE, w - 2);
	mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
	mvvline(y + 1, x, ACS_VLINE, h - 2);
	mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
	mvaddch(y, x, ACS_ULCORNER);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
	mvprintw(y, x + 2, " %s ", title);
	if (focused)
		attroff(A_BOLD);
}

static void draw_sources(tui *t, int y, int h, int w)
{
	draw_box_title(y, 0, h, w, "Sources (devices and image files)", t->focus == 0);
	for (int i = 0; i < nsources(t) && i < h - 2; i++) {
		char line[512], sz[32];
		if (i < t->ndevs) {
			const shodo_device *d = &t->devs[i];
			char mounts[128] = "";
			for (int m = 0; m < d->nmounts; m++) {
				size_t l = strlen(mounts);
				snprintf(mounts + l, sizeof(mounts) - l, "%s%s(%s)", m ? " " : "", d->mounts[m].mountpoint,
				         d->mounts[m].read_write ? "rw" : "ro");
			}
			snprintf(line, sizeof(line), "%-14s %10s %-6s %-20.20s %-16.16s %s%s%s", d->path,
			         shodo_fmt_size(d->size, sz), d->transport, d->model[0] ? d->model : "-",
			         d->serial[0] ? d->serial : "-", d->boot_medium ? "[BOOT MEDIUM] " : "",
			         d->read_only ? "[ro] " : "", mounts);
		} else {
			struct stat st;
			uint64_t size = stat(t->extra[i - t->ndevs], &st) == 0 ? (uint64_t)st.st_size : 0;
			snprintf(line, sizeof(line), "%-40.40s %10s file", t->extra[i - t->ndevs], shodo_fmt_size(size, sz));
		}
		if (i == t->sel)
			attron(t->focus == 0 ? A_REVERSE : A_UNDERLINE);
		if (i < t->ndevs && t->devs[i].boot_medium)
			attron(A_DIM);
		mvprintw(y + 1 + i, 2, "%-*.*s", w - 4, w - 4, line);
		attroff(A_REVERSE | A_UNDERLINE | A_DIM);
	}
	if (!nsources(t))
		mvprintw(y + 1, 2, "no block devices found; press 'a' to add an image file");
}

static void fmt_eta(double s, char *out, size_t n)
{
	if (s < 0 || s > 360000)
		snprintf(out, n, "--:--");
	else
		snprintf(out, n, "%d:%02d:%02d", (int)s / 3600, ((int)s / 60) % 60, (int)s % 60);
}

static void draw_jobs(tui *t, int y, int h, int w)
{
	draw_box_title(y, 0, h, w, "Jobs", t->focus == 1);
	for (int i = 0; i < t->njobs && i < h - 2; i++) {
		tui_job *j = t->jobs[i];
		char line[512], eta[32] = "";
		pthread_mutex_lock(&j->mu);
		double el = j->t - j->phase_t0;
		int bytes = !strcmp(j->unit, "bytes");
		double rate = el > 0 ? (double)j->done / el : 0;
		if (j->job == NULL && j->finished)
			snprintf(line, sizeof(line), "%-28.28s %-10s %s%s", j->label, shodo_status_name(j->status),
			         j->err.msg[0] ? j->err.msg : "done", j->warnings ? " (see log)" : "");
		else if (bytes && j->total) {
			fmt_eta(rate > 0 ? (double)(j->total - j->done) / rate : -1, eta, sizeof(eta));
			double pct = 100.0 * (double)j->done / (double)j->total;
			int bar = 20, fill = (int)(pct / 100.0 * bar);
			char b[32];
			for (int k = 0; k < bar; k++)
				b[k] = k < fill ? '#' : '.';
			b[bar] = '\0';
			snprintf(line, sizeof(line), "%-28.28s %-10s [%s] %5.1f%% %6.0f MB/s %s left", j->label, j->phase,
			         b, pct, rate / 1e6, eta);
		} else {
			snprintf(line, sizeof(line), "%-28.28s %-10s %llu%s%llu %s", j->label, j->phase[0] ? j->phase : "start",
			         (unsigned long long)j->done, j->total ? "/" : "", (unsigned long long)j->total, j->unit);
		}
		pthread_mutex_unlock(&j->mu);
		if (i == t->jsel)
			attron(t->focus == 1 ? A_REVERSE : A_UNDERLINE);
		mvprintw(y + 1 + i, 2, "%-*.*s", w - 4, w - 4, line);
		attroff(A_REVERSE | A_UNDERLINE);
	}
	if (!t->njobs)
		mvprintw(y + 1, 2, "no jobs yet: select a source and press 'i' (image) or 't' (triage)");
}

static void draw_log(tui *t, int y, int h, int w)
{
	draw_box_title(y, 0, h, w, "Log of the selected job", 0);
	if (t->jsel < 0 || t->jsel >= t->njobs)
		return;
	tui_job *j = t->jobs[t->jsel];
	pthread_mutex_lock(&j->mu);
	int n = j->nlog < LOG_LINES ? j->nlog : LOG_LINES;
	int rows = h - 2, first = n > rows ? n - rows : 0;
	for (int i = first; i < n; i++) {
		int idx = (j->nlog - n + i) % LOG_LINES;
		mvprintw(y + 1 + i - first, 2, "%-*.*s", w - 4, w - 4, j->log[idx]);
	}
	pthread_mutex_unlock(&j->mu);
}

static void draw(tui *t)
{
	int H, W;
	getmaxyx(stdscr, H, W);
	erase();
	attron(A_BOLD);
	mvprintw(0, 0, " shodo %s - first response", SHODO_TUI_VERSION);
	attroff(A_BOLD);
	mvprintw(0, W > 60 ? W - 52 : 30, "case: %-.40s", t->case_dir[0] ? t->case_dir : "(press c)");
	int src_h = nsources(t) + 2 < 4 ? 4 : nsources(t) + 2;
	if (src_h > H / 3)
		src_h = H / 3;
	int job_h = t->njobs + 2 < 4 ? 4 : t->njobs + 2;
	if (job_h > H / 3)
		job_h = H / 3;
	draw_sources(t, 1, src_h, W);
	draw_jobs(t, 1 + src_h, job_h, W);
	int log_h = H - 3 - src_h - job_h;
	if (log_h >= 3)
		draw_log(t, 1 + src_h + job_h, log_h, W);
	mvprintw(H - 2, 0, "%-*.*s", W, W, t->status_line);
	attron(A_REVERSE);
	mvprintw(H - 1, 0, "%-*.*s", W, W,
	         " i image  t triage  a add file  c case  tab switch  x cancel job  r refresh  q quit");
	attroff(A_REVERSE);
	refresh();
}

/* ---- input ---- */

/* A one-line editor at the bottom; returns 0 on enter, -1 on escape. */
static int prompt(const char *question, char *buf, size_t n)
{
	int H, W;
	getmaxyx(stdscr, H, W);
	size_t len = strlen(buf);
	timeout(-1);
	curs_set(1);
	for (;;) {
		mvprintw(H - 2, 0, "%-*s", W, "");
		mvprintw(H - 2, 0, "%s: %s", question, buf);
		refresh();
		int ch = getch();
		if (ch == '\n' || ch == KEY_ENTER || ch == '\r')
			break;
		if (ch == 27) {
			curs_set(0);
			timeout(200);
			return -1;
		}
		if ((ch == KEY_BACKSPACE || ch == 127 || ch == 8) && len > 0)
			buf[--len] = '\0';
		else if (ch >= 32 && ch < 256 && ch != 127 && len + 1 < n) {
			buf[len++] = (char)ch;
			buf[len] = '\0';
		}
	}
	curs_set(0);
	timeout(200);
	return 0;
}

static void refresh_devices(tui *t)
{
	shodo_err err;
	free(t->devs);
	t->devs = NULL;
	t->ndevs = 0;
	if (shodo_devices_list(&t->devs, &t->ndevs, &err) != SHODO_OK)
		snprintf(t->status_line, sizeof(t->status_line), "%s", err.msg);
	if (t->sel >= nsources(t))
		t->sel = nsources(t) ? nsources(t) - 1 : 0;
}

static void default_evidence_id(const tui *t, char *out, size_t n)
{
	char raw[128];
	if (t->sel < t->ndevs) {
		const shodo_device *d = &t->devs[t->sel];
		snprintf(raw, sizeof(raw), "%s", d->serial[0] ? d->serial : d->name);
	} else {
		const char *b = strrchr(t->extra[t->sel - t->ndevs], '/');
		snprintf(raw, sizeof(raw), "%s", b ? b + 1 : t->extra[t->sel - t->ndevs]);
		char *dot = strchr(raw, '.');
		if (dot)
			*dot = '\0';
	}
	size_t o = 0;
	for (size_t i = 0; raw[i] && o + 1 < n && o < 64; i++) {
		char c = raw[i];
		int okc = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
		          c == '-' || (c == '.' && o > 0);
		out[o++] = okc ? c : '_';
	}
	out[o] = '\0';
	if (!o || out[0] == '-' || out[0] == '.')
		snprintf(out, n, "evidence1");
}

static int ask_case(tui *t)
{
	if (prompt("case folder", t->case_dir, sizeof(t->case_dir)) < 0 || !t->case_dir[0])
		return -1;
	if (!t->examiner[0] && prompt("examiner", t->examiner, sizeof(t->examiner)) < 0)
		return -1;
	if (!t->case_number[0] && prompt("case number", t->case_number, sizeof(t->case_number)) < 0)
		return -1;
	return 0;
}

static void new_job(tui *t, tui_job_kind kind)
{
	if (!nsources(t)) {
		snprintf(t->status_line, sizeof(t->status_line), "no source selected");
		return;
	}
	if (t->sel < t->ndevs && t->devs[t->sel].boot_medium) {
		char yn[8] = "";
		if (prompt("this is the boot medium (it holds the running system); really use it? (yes/no)", yn,
		           sizeof(yn)) < 0 || strcmp(yn, "yes") != 0) {
			snprintf(t->status_line, sizeof(t->status_line), "cancelled");
			return;
		}
	}
	if (!t->case_dir[0] && ask_case(t) < 0) {
		snprintf(t->status_line, sizeof(t->status_line), "cancelled");
		return;
	}
	tui_job_spec spec;
	memset(&spec, 0, sizeof(spec));
	spec.kind = kind;
	source_path(t, t->sel, spec.source, sizeof(spec.source));
	snprintf(spec.case_dir, sizeof(spec.case_dir), "%s", t->case_dir);
	snprintf(spec.examiner, sizeof(spec.examiner), "%s", t->examiner);
	snprintf(spec.case_number, sizeof(spec.case_number), "%s", t->case_number);
	default_evidence_id(t, spec.evidence_id, sizeof(spec.evidence_id));
	if (prompt("evidence ID", spec.evidence_id, sizeof(spec.evidence_id)) < 0) {
		snprintf(t->status_line, sizeof(t->status_line), "cancelled");
		return;
	}
	start_job(t, &spec);
}

static int running_jobs(tui *t)
{
	int n = 0;
	for (int i = 0; i < t->njobs; i++)
		if (t->jobs[i]->job)
			n++;
	return n;
}

int tui_main(const char *const *files, int nfiles)
{
	tui t;
	memset(&t, 0, sizeof(t));
	t.jsel = -1;
	for (int i = 0; i < nfiles && i < 8; i++)
		snprintf(t.extra[t.nextra++], sizeof(t.extra[0]), "%s", files[i]);
	refresh_devices(&t);
	snprintf(t.status_line, sizeof(t.status_line), "select a source; nothing is written to it");

	initscr();
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	timeout(200);
	for (;;) {
		reap_jobs(&t);
		draw(&t);
		int ch = getch();
		if (ch == ERR)
			continue;
		switch (ch) {
		case 'q':
		case 'Q': {
			if (running_jobs(&t)) {
				char yn[8] = "";
				if (prompt("jobs are running: cancel them and quit? (yes/no)", yn, sizeof(yn)) < 0 ||
				    strcmp(yn, "yes") != 0)
					break;
				for (int i = 0; i < t.njobs; i++)
					if (t.jobs[i]->job)
						shodo_job_cancel(t.jobs[i]->job);
				snprintf(t.status_line, sizeof(t.status_line), "cancelling jobs...");
				draw(&t);
				for (int i = 0; i < t.njobs; i++)
					if (t.jobs[i]->job) {
						t.jobs[i]->status = shodo_job_wait(t.jobs[i]->job, &t.jobs[i]->err);
						t.jobs[i]->job = NULL;
					}
			}
			endwin();
			int worst = 0;
			for (int i = 0; i < t.njobs; i++) {
				tui_job *j = t.jobs[i];
				printf("%s: %s%s%s\n", j->label, shodo_status_name(j->status), j->err.msg[0] ? ": " : "",
				       j->err.msg);
				int e = shodo_status_exit(j->status);
				worst = e > worst ? e : worst;
				pthread_mutex_destroy(&j->mu);
				free(j);
			}
			free(t.devs);
			return worst;
		}
		case '\t':
			t.focus = !t.focus;
			break;
		case KEY_UP:
		case 'k':
			if (t.focus == 0 && t.sel > 0)
				t.sel--;
			else if (t.focus == 1 && t.jsel > 0)
				t.jsel--;
			break;
		case KEY_DOWN:
		case 'j':
			if (t.focus == 0 && t.sel + 1 < nsources(&t))
				t.sel++;
			else if (t.focus == 1 && t.jsel + 1 < t.njobs)
				t.jsel++;
			break;
		case 'r':
			refresh_devices(&t);
			break;
		case 'a': {
			char p[256] = "";
			if (prompt("image file (E01, raw, .001)", p, sizeof(p)) == 0 && p[0]) {
				if (access(p, R_OK) != 0)
					snprintf(t.status_line, sizeof(t.status_line), "cannot read '%s': %s", p, strerror(errno));
				else if (t.nextra < 8) {
					snprintf(t.extra[t.nextra++], sizeof(t.extra[0]), "%s", p);
					t.sel = nsources(&t) - 1;
				}
			}
			break;
		}
		case 'c':
			ask_case(&t);
			break;
		case 'i':
			new_job(&t, TUI_JOB_IMAGE);
			break;
		case 't':
			new_job(&t, TUI_JOB_TRIAGE);
			break;
		case 'x':
			if (t.jsel >= 0 && t.jsel < t.njobs && t.jobs[t.jsel]->job) {
				shodo_job_cancel(t.jobs[t.jsel]->job);
				snprintf(t.status_line, sizeof(t.status_line), "cancel requested: %s", t.jobs[t.jsel]->label);
			}
			break;
		default:
			break;
		}
	}
}
