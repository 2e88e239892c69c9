/*
 * Results of one evidence item (after a job, or in review): the image's
 * MD5/SHA-1/SHA-256, the verification in words, unreadable ranges and
 * where the files are; the triage's answers in a few words and the views
 * to drill into (summary, logons by source, RDP, failed logons, notes with
 * contacts, encrypted files, the timeline around the encryption start, ...).
 * Everything is read from the case folder (shodo_browse_*).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tui.h"
#include "shodo/util.h"

typedef struct item_st {
	char dir[512], id[72];
	int job_id;              /* the job that writes it, 0 when none */
	json_t *item;            /* from shodo_browse_case */
	char error[800];
	ui_list l;
	double loaded;
	int job_was_running;
} item_st;

static const struct entry {
	const char *label, *view, *text;
	int jump;                /* timeline: start at the encryption */
} entries[] = {
	{"Summary (summary.txt)", NULL, "summary", 0},
	{"Logons by source", "logons_by_source", NULL, 0},
	{"RDP logons and sessions", "rdp", NULL, 0},
	{"Failed logons by account and source", "failed_logons", NULL, 0},
	{"Ransom notes and their contacts", "notes", NULL, 0},
	{"Encrypted files by extension", "encrypted", NULL, 0},
	{"Timeline around the encryption start", "timeline", NULL, 1},
	{"Timeline (all)", "timeline", NULL, 0},
	{"All logons", "logons", NULL, 0},
	{"Accounts", "accounts", NULL, 0},
	{"Programs run (prefetch)", "programs", NULL, 0},
	{"Services, tasks and autostarts", "persistence", NULL, 0},
	{"Security posture", "posture", NULL, 0},
	{"Triage log", NULL, "triage-log", 0},
	{"Acquisition log", NULL, "image-log", 0},
	{"Unreadable ranges", NULL, "bad", 0},
};
#define NENTRIES (int)(sizeof(entries) / sizeof(entries[0]))

static const char help[] =
	"Results of one evidence item.\n"
	"\n"
	"IMAGE: the MD5, SHA-1 and SHA-256 of the source's bytes as they were read, whether the image was read back "
	"and matched them (verified), the ranges that could not be read (zero-filled in the image and recorded), and "
	"where the image files are.\n"
	"\n"
	"TRIAGE: the answers in a few words, and below them the views to open with Enter: the summary a responder "
	"reads first, logons grouped by source address (Enter on a row shows that source's logons), RDP sessions, "
	"failed logons, ransom notes with their contacts, the timeline around the start of the encryption, and more. "
	"In a view, / filters the rows.\n"
	"\n"
	"  Up/Down   choose a view      Enter  open it      r  read the case folder again      Esc  back\n";

static const char *js(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}

static long long ji(json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

static void load(item_st *st)
{
	shodo_err err;
	shodo_err_clear(&err);
	json_decref(st->item);
	st->item = NULL;
	st->error[0] = '\0';
	json_t *c = shodo_browse_case(st->dir, &err);
	if (!c) {
		ui_sentence(&err, st->error, sizeof(st->error));
		return;
	}
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(c, "items"), i, it)
		if (!strcmp(js(it, "id"), st->id))
			st->item = json_incref(it);
	json_decref(c);
	if (!st->item)
		snprintf(st->error, sizeof(st->error), "The case folder holds nothing for %s yet.", st->id);
	st->loaded = shodo_monotonic();
}

static tui_job *job_of(tui_app *a, item_st *st)
{
	for (int i = 0; i < a->njobs; i++)
		if (a->jobs[i]->id == st->job_id)
			return a->jobs[i];
	return NULL;
}

static void verification_words(json_t *img, char *out, size_t n)
{
	const char *v = js(img, "verification"), *d = js(img, "verification_detail");
	if (!strcmp(v, "match"))
		snprintf(out, n, "verified: the image matches the source");
	else if (!strcmp(v, "mismatch"))
		snprintf(out, n, "NOT VERIFIED: the image read back differs from the source%s%s", d[0] ? ": " : "", d);
	else if (!strcmp(v, "error"))
		snprintf(out, n, "NOT VERIFIED: the image could not be read back%s%s", d[0] ? ": " : "", d);
	else
		snprintf(out, n, "not verified (verification was switched off): run verify on the case to check it");
}

static void draw(tui_app *a, tui_screen *s, int y, int h, int w)
{
	item_st *st = s->st;
	int r = y;
	char b[1400], sz[32];
	tui_job *j = job_of(a, st);
	ui_attr_head(1);
	ui_textf(r++, 1, w - 2, "Evidence %s in %s", st->id, st->dir);
	ui_attr_head(0);
	if (j && j->state == TJ_RUNNING) {
		ui_textf(r++, 1, w - 2, "The job is still running (%s %s): what is shown grows as it goes.", j->step, j->phase);
	}
	if (!st->item) {
		ui_text(r++, 1, w - 2, st->error);
		return;
	}
	json_t *img = json_object_get(st->item, "image"), *tri = json_object_get(st->item, "triage");
	const char *ist = js(img, "state");
	if (!strcmp(ist, "complete")) {
		verification_words(img, b, sizeof(b));
		int bad = strncmp(b, "verified", 8) != 0;
		ui_attr_head(1);
		ui_text(r, 1, 8, "IMAGE");
		ui_attr_head(0);
		if (bad)
			ui_attr_warn(a, 1);
		ui_text(r++, 9, w - 10, b);
		ui_attr_warn(a, 0);
		ui_textf(r++, 3, w - 4, "MD5     %s", js(img, "md5")[0] ? js(img, "md5") : "(not computed)");
		ui_textf(r++, 3, w - 4, "SHA-1   %s", js(img, "sha1")[0] ? js(img, "sha1") : "(not computed)");
		ui_textf(r++, 3, w - 4, "SHA-256 %s", js(img, "sha256")[0] ? js(img, "sha256") : "(not computed)");
		long long ub = ji(img, "unreadable_bytes");
		size_t nr = json_array_size(json_object_get(img, "unreadable"));
		if (!ub) {
			ui_text(r++, 3, w - 4, "Unreadable: none; every sector was read.");
		} else {
			ui_attr_warn(a, 1);
			ui_textf(r++, 3, w - 4, "Unreadable: %zu range%s, %lld sectors (zero-filled, recorded): see 'Unreadable ranges'",
			         nr, nr == 1 ? "" : "s", ub / 512);
			ui_attr_warn(a, 0);
		}
		json_t *src = json_object_get(img, "source");
		snprintf(b, sizeof(b), "%s, %s%s%s%s%s; read %s .. %s", js(src, "path"),
		         ui_size((uint64_t)ji(src, "size"), sz), js(src, "model")[0] ? ", " : "", js(src, "model"),
		         js(src, "serial")[0] ? ", serial " : "", js(src, "serial"), js(img, "start"), js(img, "end"));
		ui_text(r, 3, 8, "Source");
		r += ui_text_wrap(r, 11, w - 12, 2, b);
		size_t nf = json_array_size(json_object_get(img, "files"));
		snprintf(b, sizeof(b), "%s/%s%s", st->dir, js(img, "first"),
		         nf > 1 ? " (beside it: the acquisition log, acquisition.json and any further segments)" : "");
		ui_text(r, 3, 8, "Files");
		r += ui_text_wrap(r, 11, w - 12, 2, b);
	} else if (!strcmp(ist, "interrupted")) {
		ui_attr_head(1);
		ui_text(r, 1, 8, "IMAGE");
		ui_attr_head(0);
		ui_attr_warn(a, 1);
		ui_text(r++, 9, w - 10, j && j->state == TJ_RUNNING
		                            ? "being written"
		                            : "INCOMPLETE: interrupted; it can be resumed (R on the Jobs screen, or image this "
		                              "evidence ID again)");
		ui_attr_warn(a, 0);
	} else {
		ui_attr_head(1);
		ui_text(r, 1, 8, "IMAGE");
		ui_attr_head(0);
		ui_text(r++, 9, w - 10, "none");
	}
	const char *tst = js(tri, "state");
	ui_attr_head(1);
	ui_text(r, 1, 8, "TRIAGE");
	ui_attr_head(0);
	if (!strcmp(tst, "none")) {
		shodo_status ts = j && j->ran_triage && !j->err.msg[0] ? SHODO_OK : j && j->ran_triage ? j->st_triage : SHODO_OK;
		if (ts == SHODO_FAILED || ts == SHODO_FATAL || ts == SHODO_USAGE) {
			/* the job's triage left nothing: say why, as the jobs screen does */
			char why[1400];
			ui_sentence(&j->err, why, sizeof(why));
			snprintf(b, sizeof(b), "FAILED: %s", why);
			ui_attr_warn(a, 1);
			r += ui_text_wrap(r, 9, w - 10, 3, b);
			ui_attr_warn(a, 0);
		} else if (ts == SHODO_CANCELLED) {
			ui_text(r++, 9, w - 10, "cancelled: nothing was kept; triage this evidence ID again to retry");
		} else {
			ui_text(r++, 9, w - 10, "none");
		}
	} else {
		snprintf(b, sizeof(b), "%s%s%s%s%s: %lld ransom note%s, %lld encrypted files, %lld RDP logons, %lld failed logons",
		         !strcmp(tst, "complete") ? "" : "PARTIAL ", js(tri, "host")[0] ? "host " : "", js(tri, "host"),
		         js(tri, "os")[0] ? ", " : "", js(tri, "os"), ji(tri, "notes"), ji(tri, "notes") == 1 ? "" : "s",
		         ji(tri, "encrypted_files"), ji(tri, "rdp_logons"), ji(tri, "failed_logons"));
		r += ui_text_wrap(r, 9, w - 10, 2, b);
		if (js(tri, "encryption_start")[0])
			ui_textf(r++, 9, w - 10, "encryption started %s UTC", js(tri, "encryption_start"));
	}
	ui_hline(r++, 0, w);
	int rows = y + h - r;
	ui_list_fit(&st->l, NENTRIES, rows);
	for (int i = 0; i < rows && st->l.top + i < NENTRIES; i++) {
		int k = st->l.top + i;
		int sel = k == st->l.sel;
		ui_attr_sel(sel);
		ui_clear(r + i, 0, w);
		ui_text(r + i, 0, 2, sel ? ">" : " ");
		ui_text(r + i, 2, w - 2, entries[k].label);
		ui_attr_sel(0);
	}
}

static void open_entry(tui_app *a, item_st *st)
{
	const struct entry *e = &entries[st->l.sel];
	json_t *img = st->item ? json_object_get(st->item, "image") : NULL;
	json_t *tri = st->item ? json_object_get(st->item, "triage") : NULL;
	if (e->view) {
		if (!tri || !strcmp(js(tri, "state"), "none")) {
			app_msg(a, UI_INFO, "%s has no triage results", st->id);
			return;
		}
		const char *jump = e->jump ? js(tri, "encryption_start") : NULL;
		if (e->jump && (!jump || !*jump)) {
			app_msg(a, UI_INFO, "no encryption was found on %s: showing the whole timeline", st->id);
			jump = NULL;
		}
		app_push(a, scr_table_new(a, st->dir, st->id, e->view, NULL, jump));
		return;
	}
	if (!strcmp(e->text, "bad")) {
		json_t *rs = img ? json_object_get(img, "unreadable") : NULL;
		size_t n = json_array_size(rs), i;
		json_t *rg;
		char *t = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&t, &len);
		if (!fp)
			return;
		if (!n)
			fprintf(fp, "No unreadable ranges: every sector of the source was read.\n");
		else
			fprintf(fp, "%zu range%s could not be read; they are zero-filled in the image and recorded in "
			            "acquisition.json and the acquisition log.\n\n  offset (bytes)     sector        length\n",
			        n, n == 1 ? "" : "s");
		json_array_foreach(rs, i, rg)
			fprintf(fp, "  %-18lld %-12lld  %lld bytes\n", ji(rg, "offset"), ji(rg, "offset") / 512, ji(rg, "length"));
		fclose(fp);
		app_push(a, scr_text_new(a, "Unreadable ranges", t, NULL));
		free(t);
		return;
	}
	shodo_err err;
	shodo_err_clear(&err);
	char *t = shodo_browse_text(st->dir, st->id, e->text, &err);
	if (!t) {
		char s[1400];
		ui_sentence(&err, s, sizeof(s));
		app_msg(a, UI_INFO, "%s", s);
		return;
	}
	app_push(a, scr_text_new(a, e->label, t, NULL));
	free(t);
}

static int key(tui_app *a, tui_screen *s, int ch)
{
	item_st *st = s->st;
	if (ui_list_key(&st->l, ch, NENTRIES, NENTRIES))
		return 1;
	switch (ch) {
	case '\n':
	case '\r':
	case KEY_ENTER:
		open_entry(a, st);
		return 1;
	case 'r':
		load(st);
		return 1;
	default:
		return 0;
	}
}

static void tick(tui_app *a, tui_screen *s)
{
	item_st *st = s->st;
	tui_job *j = job_of(a, st);
	int running = j && j->state == TJ_RUNNING;
	if ((running && shodo_monotonic() - st->loaded > 2.0) || (st->job_was_running && !running))
		load(st);
	st->job_was_running = running;
}

static void destroy(tui_screen *s)
{
	item_st *st = s->st;
	json_decref(st->item);
}

tui_screen *scr_item_new(tui_app *a, const char *case_dir, const char *id, tui_job *job)
{
	tui_screen *s = tui_screen_new("Results", "Enter open  r reload  Esc back", help, sizeof(item_st));
	if (!s)
		return NULL;
	item_st *st = s->st;
	snprintf(st->dir, sizeof(st->dir), "%s", case_dir);
	snprintf(st->id, sizeof(st->id), "%s", id);
	st->job_id = job ? job->id : 0;
	st->job_was_running = job && job->state == TJ_RUNNING;
	s->draw = draw;
	s->key = key;
	s->tick = tick;
	s->destroy = destroy;
	load(st);
	(void)a;
	return s;
}
