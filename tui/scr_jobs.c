/*
 * Jobs: every job of this session with its step and phase, percent, MB/s,
 * time left and unreadable sectors so far, and the selected job's latest
 * messages (whole, wrapped).  Cancel asks first and says that an image
 * stays resumable; a cancelled or interrupted image offers Resume; a
 * finished job opens its results.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shodo/buf.h"
#include "tui.h"
#include "shodo/util.h"

typedef struct jobs_st {
	int sel;                 /* job id, not a row */
	int top;
} jobs_st;

static const char help[] =
	"Jobs: what runs and what ran in this session.\n"
	"\n"
	"Each job shows its step (triage, image, verify), the phase (collect, analyse, acquire, verify ...), how far "
	"it is, the speed, the time left and the unreadable sectors found so far (they are retried, zero-filled, "
	"recorded, and the image goes on). Several jobs can run at once, on different disks.\n"
	"\n"
	"  Up/Down     choose a job\n"
	"  Enter       its results: hashes and verification of the image, the triage findings\n"
	"  x           cancel it (asks first); a cancelled image stays resumable\n"
	"  R           resume a cancelled or interrupted image from where it stopped\n"
	"  l           the job's whole log\n"
	"  Esc         back\n";

static tui_job *find(tui_app *a, int id, int *idx)
{
	for (int i = 0; i < a->njobs; i++)
		if (a->jobs[i]->id == id) {
			if (idx)
				*idx = i;
			return a->jobs[i];
		}
	return NULL;
}

static void line_of(tui_app *a, tui_job *j, char *l1, char *l2, size_t n, int w)
{
	char eta[32], bar[64], sz[32], s[1400] = "";
	(void)a;
	pthread_mutex_lock(&j->mu);
	if (j->state != TJ_RUNNING) {
		if (j->err.msg[0])
			ui_sentence(&j->err, s, sizeof(s));
		snprintf(l1, n, "%s  %s", j->label, jobs_state_name(j));
		if (s[0])
			snprintf(l2, n, "    %s", s);
		else if (j->kind == TJ_VERIFY)
			snprintf(l2, n, "    %s", j->st_verify == SHODO_OK ? "every file matches SHA256SUMS; Enter shows the result"
			                                                    : "Enter shows what does not match");
		else
			snprintf(l2, n, "    %s%s", j->bad_bytes ? "unreadable sectors were zero-filled and recorded; " : "",
			         "Enter shows the results");
		if (j->state == TJ_CANCELLED && j->ran_image)
			snprintf(l2, n, "    stopped; the image is incomplete and resumable: R resumes it");
	} else {
		int bytes = !strcmp(j->unit, "bytes");
		double pct = j->total ? 100.0 * (double)j->done / (double)j->total : -1;
		snprintf(l1, n, "%s  running: %s%s%s", j->label, j->step, j->phase[0] ? ", " : "", j->phase);
		int bw = w > 100 ? 30 : 16;
		if (pct >= 0) {
			int fill = (int)(pct / 100.0 * bw);
			for (int k = 0; k < bw; k++)
				bar[k] = k < fill ? '#' : '.';
			bar[bw] = '\0';
			if (bytes) {
				double left = j->rate > 0 ? (double)(j->total - j->done) / j->rate : -1;
				ui_eta(left, eta, sizeof(eta));
				snprintf(l2, n, "    [%s] %5.1f%%  %6.1f MB/s  %s left  %llu bad sector%s", bar, pct, j->rate / 1e6,
				         eta, (unsigned long long)(j->bad_bytes / 512), j->bad_bytes / 512 == 1 ? "" : "s");
			} else {
				snprintf(l2, n, "    [%s] %5.1f%%  %llu of %llu %s", bar, pct, (unsigned long long)j->done,
				         (unsigned long long)j->total, j->unit);
			}
		} else if (j->done) {
			snprintf(l2, n, "    %s %s so far", bytes ? ui_size(j->done, sz) : "", bytes ? "" : j->unit);
			if (!bytes)
				snprintf(l2, n, "    %llu %s so far", (unsigned long long)j->done, j->unit);
		} else {
			snprintf(l2, n, "    starting ...");
		}
	}
	pthread_mutex_unlock(&j->mu);
}

typedef struct wl {
	char **l;
	int n;
	size_t cap;
} wl;

static void wl_add(const char *p, size_t len, void *ud)
{
	wl *w = ud;
	if (shodo_grow(&w->l, &w->cap, (size_t)w->n + 1) < 0)
		return;
	if ((w->l[w->n] = strndup(p, len)))
		w->n++;
}

static void draw(tui_app *a, tui_screen *s, int y, int h, int w)
{
	jobs_st *st = s->st;
	if (!a->njobs) {
		ui_text(y + 1, 2, w - 4, "No jobs yet. Choose a disk on the Devices screen (Esc) and confirm what to do.");
		return;
	}
	int idx = 0;
	if (!find(a, st->sel, &idx)) {
		st->sel = a->jobs[a->njobs - 1]->id;
		idx = a->njobs - 1;
	}
	/* each job: its line, then its state wrapped over up to three lines */
	typedef struct jrow {
		int job;
		char *text;
		int first;
	} jrow;
	int cap = a->njobs * 4 + 1, nr = 0;
	jrow *rows = calloc((size_t)cap, sizeof(*rows));
	if (!rows)
		return;
	for (int i = 0; i < a->njobs; i++) {
		char l1[800], l2[1600];
		line_of(a, a->jobs[i], l1, l2, sizeof(l1), w);
		rows[nr++] = (jrow){i, strdup(l1), 1};
		wl wr = {0};
		ui_wrap(l2 + 4, w - 8, wl_add, &wr);
		for (int k = 0; k < wr.n; k++) {
			if (k < 3 && nr < cap)
				rows[nr++] = (jrow){i, wr.l[k], 0};
			else
				free(wr.l[k]);
		}
		free(wr.l);
	}
	int list_h = h / 2 < nr ? h / 2 : nr;
	if (list_h < 2)
		list_h = 2;
	int fs = 0, ls = 0;
	for (int r = 0; r < nr; r++)
		if (rows[r].job == idx) {
			if (rows[r].first)
				fs = r;
			ls = r;
		}
	if (fs < st->top)
		st->top = fs;
	if (ls >= st->top + list_h)
		st->top = ls - list_h + 1;
	if (st->top > nr - list_h)
		st->top = nr - list_h > 0 ? nr - list_h : 0;
	for (int r = 0; r < list_h && st->top + r < nr; r++) {
		jrow *jr = &rows[st->top + r];
		tui_job *j = a->jobs[jr->job];
		int sel = jr->job == idx;
		if (jr->first) {
			ui_attr_sel(sel);
			ui_clear(y + r, 0, w);
			ui_text(y + r, 0, 2, sel ? ">" : " ");
			ui_text(y + r, 2, w - 2, jr->text);
			ui_attr_sel(0);
		} else {
			int warn = j->state == TJ_FAILED || j->state == TJ_CANCELLED || j->bad_bytes;
			if (warn)
				ui_attr_warn(a, 1);
			ui_text(y + r, 6, w - 7, jr->text);
			if (warn)
				ui_attr_warn(a, 0);
		}
	}
	for (int r = 0; r < nr; r++)
		free(rows[r].text);
	free(rows);
	/* the selected job's latest messages, wrapped */
	int ly = y + list_h;
	ui_hline(ly, 0, w);
	tui_job *j = a->jobs[idx];
	ui_textf(ly, 2, w - 4, " Messages of %s (l: the whole log) ", j->label);
	int mrows = h - list_h - 1;
	wl lines = {0};
	pthread_mutex_lock(&j->mu);
	int n = j->nlog < TUI_JOB_LOG ? j->nlog : TUI_JOB_LOG;
	/* only the last lines can show: wrap from the end */
	int from = n > mrows ? n - mrows : 0;
	for (int i = from; i < n; i++)
		ui_wrap(j->log[(j->nlog - n + i) % TUI_JOB_LOG], w - 2, wl_add, &lines);
	pthread_mutex_unlock(&j->mu);
	int first = lines.n > mrows ? lines.n - mrows : 0;
	for (int i = first; i < lines.n; i++)
		ui_text(ly + 1 + i - first, 1, w - 2, lines.l[i]);
	for (int i = 0; i < lines.n; i++)
		free(lines.l[i]);
	free(lines.l);
}

static void cancel(tui_app *a, tui_job *j)
{
	if (j->state != TJ_RUNNING) {
		app_msg(a, UI_INFO, "%s is not running", j->label);
		return;
	}
	char b[600];
	int img = j->kind != TJ_TRIAGE && j->kind != TJ_VERIFY;
	snprintf(b, sizeof(b), "Cancel %s?%s%s", j->label,
	         img ? " The acquisition stops; what was written stays in the case folder and the image can be resumed "
	               "later (R on this screen, or by imaging the same evidence ID again)." : "",
	         j->kind == TJ_TRIAGE || j->kind == TJ_TRIAGE_IMAGE
	             ? " A running triage stops; what it collected so far stays in the case folder." : "");
	if (!ui_confirm(a, "Cancel the job?", b, "Cancel the job", "Keep it running"))
		return;
	jobs_cancel(j);
	app_log(a, UI_WARN, "cancel requested by the user: %s", j->label);
	app_msg(a, UI_INFO, "cancelling %s ...", j->label);
}

static void resume(tui_app *a, tui_job *j)
{
	if (j->state == TJ_RUNNING) {
		app_msg(a, UI_INFO, "%s is still running", j->label);
		return;
	}
	if (j->kind == TJ_VERIFY || !jobs_image_interrupted(j->d.case_dir, j->d.evidence_id, NULL)) {
		app_msg(a, UI_INFO, "there is no interrupted image of %s to resume", j->d.evidence_id);
		return;
	}
	for (int i = 0; i < a->njobs; i++)
		if (a->jobs[i]->state == TJ_RUNNING && !strcmp(a->jobs[i]->d.case_dir, j->d.case_dir) &&
		    !strcmp(a->jobs[i]->d.evidence_id, j->d.evidence_id)) {
			app_msg(a, UI_WARN, "a job on %s is running already", j->d.evidence_id);
			return;
		}
	char b[600];
	snprintf(b, sizeof(b), "Resume the image of %s from %s into %s? It goes on where it stopped, with the options it "
	         "was started with; the source is read again from the start for the hashes.", j->d.evidence_id,
	         j->d.source, j->d.case_dir);
	if (!ui_confirm(a, "Resume", b, "Resume", "Not now"))
		return;
	tui_draft d = j->d;
	d.resume = 1;
	tui_job *n = jobs_start(a, TJ_IMAGE, &d);
	if (n) {
		jobs_st *st = app_top(a)->st;
		st->sel = n->id;
		app_msg(a, UI_INFO, "resumed: %s", n->label);
	}
}

static void results(tui_app *a, tui_job *j)
{
	if (j->kind == TJ_VERIFY) {
		if (j->state == TJ_RUNNING) {
			app_msg(a, UI_INFO, "the verification is still running");
			return;
		}
		char *t = NULL;
		json_t *doc = j->verify_doc;
		char s[1400] = "";
		if (j->err.msg[0])
			ui_sentence(&j->err, s, sizeof(s));
		if (asprintf(&t, "Case folder %s\n\nResult: %s\nFiles that match SHA256SUMS: %lld\nSignature: %s\n%s%s",
		             j->d.case_dir, j->st_verify == SHODO_OK ? "verified: every file matches SHA256SUMS and the custody "
		                                                       "chain is intact" : "NOT verified",
		             (long long)json_integer_value(json_object_get(doc, "files_ok")),
		             json_string_value(json_object_get(doc, "signature")) ? json_string_value(json_object_get(doc, "signature"))
		                                                                  : "none",
		             s[0] ? "\n" : "", s) >= 0) {
			app_push(a, scr_text_new(a, "Verification of the case", t, NULL));
			free(t);
		}
		return;
	}
	app_push(a, scr_item_new(a, j->d.case_dir, j->d.evidence_id, j));
}

static void whole_log(tui_app *a, tui_job *j)
{
	shodo_buf b = SHODO_BUF_INIT;
	pthread_mutex_lock(&j->mu);
	int n = j->nlog < TUI_JOB_LOG ? j->nlog : TUI_JOB_LOG;
	for (int i = 0; i < n; i++)
		shodo_buf_addf(&b, "%s\n", j->log[(j->nlog - n + i) % TUI_JOB_LOG]);
	pthread_mutex_unlock(&j->mu);
	char *t = shodo_buf_detach(&b);
	if (!t)
		return;
	char title[200];
	snprintf(title, sizeof(title), "Log of %s", j->label);
	app_push(a, scr_text_new(a, title, t, NULL));
	free(t);
}

static int key(tui_app *a, tui_screen *s, int ch)
{
	jobs_st *st = s->st;
	int idx = 0;
	tui_job *j = find(a, st->sel, &idx);
	if (!j && a->njobs) {
		idx = a->njobs - 1;
		j = a->jobs[idx];
		st->sel = j->id;
	}
	if (!j)
		return 0;
	switch (ch) {
	case KEY_UP:
	case 'k':
		if (idx > 0)
			st->sel = a->jobs[idx - 1]->id;
		return 1;
	case KEY_DOWN:
	case 'j':
		if (idx + 1 < a->njobs)
			st->sel = a->jobs[idx + 1]->id;
		return 1;
	case 'x':
		cancel(a, j);
		return 1;
	case 'R':
		resume(a, j);
		return 1;
	case 'l':
		whole_log(a, j);
		return 1;
	case '\n':
	case '\r':
	case KEY_ENTER:
		results(a, j);
		return 1;
	default:
		return 0;
	}
}

tui_screen *scr_jobs_new(tui_app *a)
{
	tui_screen *s = tui_screen_new("Jobs", "Enter results  x cancel  R resume  l log  Esc back", help, sizeof(jobs_st));
	if (!s)
		return NULL;
	s->draw = draw;
	s->key = key;
	jobs_st *st = s->st;
	st->sel = a->njobs ? a->jobs[a->njobs - 1]->id : 0;
	return s;
}
