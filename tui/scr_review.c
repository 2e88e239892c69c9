/*
 * Review: an existing case folder (another stick's, or on an analyst's
 * workstation): its evidence items with the state of their image (and its
 * verification) and triage, the case summary and custody, and verify of the
 * whole case as a job (shodo verify DIR: every file against SHA256SUMS, the
 * custody chain, the signature).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tui.h"
#include "shodo/util.h"

typedef struct review_st {
	char dir[512];
	json_t *c;
	char error[800];
	ui_list l;
} review_st;

static const char help[] =
	"Review a case folder.\n"
	"\n"
	"The case's evidence items: for each its image (complete and verified, complete but not verified, "
	"interrupted) and its triage (host, ransom notes, RDP and failed logons). Enter opens an item: hashes, "
	"verification, and the triage views (logons by source, notes with contacts, the timeline, ... each with a "
	"filter).\n"
	"\n"
	"  Enter   open the evidence item\n"
	"  V       verify the whole case folder now (every file against SHA256SUMS, the custody chain, the "
	"signature): runs as a job\n"
	"  s       the case-wide summary (summary.txt, written by shodo report)\n"
	"  c       the chain of custody (custody.jsonl)\n"
	"  r       read the folder again\n"
	"  Esc     back";

static const char *js(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}

static void load(review_st *st)
{
	shodo_err err;
	shodo_err_clear(&err);
	json_decref(st->c);
	st->error[0] = '\0';
	st->c = shodo_browse_case(st->dir, &err);
	if (!st->c)
		ui_sentence(&err, st->error, sizeof(st->error));
}

static void draw(tui_app *a, tui_screen *s, int y, int h, int w)
{
	review_st *st = s->st;
	if (!st->c) {
		ui_attr_warn(a, 1);
		ui_text(y + 1, 2, w - 4, st->error);
		ui_attr_warn(a, 0);
		ui_text(y + 3, 2, w - 4, "Esc goes back; o on the Devices screen opens another folder.");
		return;
	}
	ui_attr_head(1);
	ui_textf(y, 1, w - 2, "Case %s: number %s, examiner %s, created %s%s", st->dir,
	         js(st->c, "case_number")[0] ? js(st->c, "case_number") : "(none)",
	         js(st->c, "examiner")[0] ? js(st->c, "examiner") : "(none)", js(st->c, "created"),
	         json_is_true(json_object_get(st->c, "signed")) ? ", signed" : "");
	ui_attr_head(0);
	json_t *items = json_object_get(st->c, "items");
	int n = (int)json_array_size(items);
	ui_textf(y + 1, 1, w - 2, "%d evidence item%s. Enter opens one; V verifies the whole case.", n, n == 1 ? "" : "s");
	attron(A_UNDERLINE);
	ui_clear(y + 2, 0, w);
	ui_textf(y + 2, 2, w - 2, "%-20s %-34s %s", "evidence", "image", "triage");
	attroff(A_UNDERLINE);
	int rows = h - 3;
	ui_list_fit(&st->l, n, rows);
	for (int i = 0; i < rows && st->l.top + i < n; i++) {
		int k = st->l.top + i;
		json_t *it = json_array_get(items, (size_t)k), *img = json_object_get(it, "image"),
		       *tri = json_object_get(it, "triage");
		char im[80], tr[300];
		const char *is = js(img, "state"), *v = js(img, "verification");
		if (!strcmp(is, "complete"))
			snprintf(im, sizeof(im), "%s, %s", js(img, "format")[0] ? js(img, "format") : "e01",
			         !strcmp(v, "match") ? "verified" : !strcmp(v, "not verified") ? "not verified" : "NOT VERIFIED");
		else if (!strcmp(is, "interrupted"))
			snprintf(im, sizeof(im), "INTERRUPTED (resumable)");
		else
			snprintf(im, sizeof(im), "-");
		const char *ts = js(tri, "state");
		if (!strcmp(ts, "none"))
			snprintf(tr, sizeof(tr), "-");
		else
			snprintf(tr, sizeof(tr), "%s%s%s, %lld notes, %lld RDP, %lld failed", strcmp(ts, "complete") ? "PARTIAL " : "",
			         js(tri, "host")[0] ? "host " : "", js(tri, "host")[0] ? js(tri, "host") : "no host name",
			         (long long)json_integer_value(json_object_get(tri, "notes")),
			         (long long)json_integer_value(json_object_get(tri, "rdp_logons")),
			         (long long)json_integer_value(json_object_get(tri, "failed_logons")));
		char line[600];
		snprintf(line, sizeof(line), "%-20s %-34s %s", js(it, "id"), im, tr);
		int sel = k == st->l.sel;
		ui_attr_sel(sel);
		ui_clear(y + 3 + i, 0, w);
		ui_text(y + 3 + i, 0, 2, sel ? ">" : " ");
		ui_text(y + 3 + i, 2, w - 2, line);
		ui_attr_sel(0);
	}
}

static void show_text(tui_app *a, review_st *st, const char *which, const char *title)
{
	shodo_err err;
	shodo_err_clear(&err);
	char *t = shodo_browse_text(st->dir, NULL, which, &err);
	if (!t) {
		char s[1400];
		ui_sentence(&err, s, sizeof(s));
		app_msg(a, UI_INFO, "%s%s", s, !strcmp(which, "summary") ? " (shodo report DIR writes the case summary)" : "");
		return;
	}
	app_push(a, scr_text_new(a, title, t, NULL));
	free(t);
}

static int key(tui_app *a, tui_screen *s, int ch)
{
	review_st *st = s->st;
	json_t *items = st->c ? json_object_get(st->c, "items") : NULL;
	int n = (int)json_array_size(items);
	if (ui_list_key(&st->l, ch, n, a->H - 7))
		return 1;
	switch (ch) {
	case '\n':
	case '\r':
	case KEY_ENTER: {
		json_t *it = json_array_get(items, (size_t)st->l.sel);
		if (it)
			app_push(a, scr_item_new(a, st->dir, js(it, "id"), NULL));
		return 1;
	}
	case 'V': {
		if (!st->c)
			return 1;
		char b[700];
		snprintf(b, sizeof(b), "Verify the case folder %s? Every file is read and compared with SHA256SUMS, and the "
		         "custody chain is checked. Nothing is changed.", st->dir);
		if (!ui_confirm(a, "Verify the case", b, "Verify", "Cancel"))
			return 1;
		tui_draft d;
		memset(&d, 0, sizeof(d));
		snprintf(d.case_dir, sizeof(d.case_dir), "%s", st->dir);
		if (jobs_start(a, TJ_VERIFY, &d))
			app_push(a, scr_jobs_new(a));
		return 1;
	}
	case 's':
		show_text(a, st, "summary", "Case summary");
		return 1;
	case 'c':
		show_text(a, st, "custody", "Chain of custody");
		return 1;
	case 'r':
		load(st);
		return 1;
	default:
		return 0;
	}
}

static void destroy(tui_screen *s)
{
	review_st *st = s->st;
	json_decref(st->c);
}

tui_screen *scr_review_new(tui_app *a, const char *case_dir)
{
	tui_screen *s = tui_screen_new("Review", "Enter open  V verify case  s summary  c custody  r reload  Esc back", help,
	                               sizeof(review_st));
	if (!s)
		return NULL;
	review_st *st = s->st;
	snprintf(st->dir, sizeof(st->dir), "%s", case_dir);
	size_t l = strlen(st->dir);
	while (l > 1 && st->dir[l - 1] == '/')
		st->dir[--l] = '\0';
	s->draw = draw;
	s->key = key;
	s->destroy = destroy;
	load(st);
	app_log(a, UI_INFO, "review of the case folder '%s'%s", st->dir, st->c ? "" : " (not readable)");
	return s;
}
