/*
 * A triage view as a table: columns sized to their content, Left/Right to
 * scroll sideways, / to filter (any column, ignoring case), Enter to drill
 * in (a source's logons, or the whole row wrapped: nothing is cut).  The
 * timeline can open at the encryption start.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tui.h"

typedef struct table_st {
	char dir[512], id[72], view[32];
	char filter[128];
	char jump[48];
	json_t *t;
	char error[800];
	ui_list l;
	int col0;                /* first column shown */
	int widths[16];
	int ncols;
	char title[200];
} table_st;

static const char help[] =
	"A view of the triage results, one row per line.\n"
	"\n"
	"  Up/Down PgUp/PgDn Home/End   move\n"
	"  Left/Right                   scroll the columns sideways\n"
	"  /                            filter: keep the rows where any column holds the text (case ignored); an "
	"empty filter shows every row again\n"
	"  Enter                        drill in: in 'Logons by source' the logons of that source; elsewhere the whole "
	"row, wrapped, with every column named\n"
	"  d                            the whole row, wrapped\n"
	"  e                            timeline: go to the start of the encryption\n"
	"  Esc                          back\n"
	"\n"
	"Times are UTC. Values come from the evidence: control characters are shown as '?'.";

static const char *cell(json_t *row, int c)
{
	const char *v = json_string_value(json_array_get(row, (size_t)c));
	return v ? v : "";
}

static void load(tui_app *a, table_st *st)
{
	shodo_err err;
	shodo_err_clear(&err);
	json_decref(st->t);
	st->error[0] = '\0';
	st->t = shodo_browse_table(st->dir, st->id, st->view, st->filter, 0, &err);
	if (!st->t) {
		ui_sentence(&err, st->error, sizeof(st->error));
		st->ncols = 0;
		return;
	}
	snprintf(st->title, sizeof(st->title), "%s", json_string_value(json_object_get(st->t, "title")));
	json_t *cols = json_object_get(st->t, "columns"), *rows = json_object_get(st->t, "rows");
	st->ncols = (int)json_array_size(cols);
	if (st->ncols > 16)
		st->ncols = 16;
	for (int c = 0; c < st->ncols; c++) {
		int w = ui_width(json_string_value(json_array_get(cols, (size_t)c)));
		size_t i;
		json_t *r;
		json_array_foreach(rows, i, r) {
			int cw = ui_width(cell(r, c));
			if (cw > w)
				w = cw;
			if (i > 2000)
				break;
		}
		st->widths[c] = w > 48 ? 48 : w < 3 ? 3 : w;
	}
	/* the timeline at the encryption start */
	if (st->jump[0]) {
		size_t i;
		json_t *r;
		st->l.sel = 0;
		json_array_foreach(rows, i, r)
			if (strcmp(cell(r, 0), st->jump) < 0)
				st->l.sel = (int)i + 1;
		int n = (int)json_array_size(rows);
		if (st->l.sel >= n)
			st->l.sel = n ? n - 1 : 0;
		st->l.top = st->l.sel > 3 ? st->l.sel - 3 : 0;
	}
	app_log(a, UI_INFO, "view %s of %s%s%s: %lld rows", st->view, st->id, st->filter[0] ? ", filter " : "",
	        st->filter, (long long)json_integer_value(json_object_get(st->t, "total")));
}

static void draw(tui_app *a, tui_screen *s, int y, int h, int w)
{
	table_st *st = s->st;
	(void)a;
	if (!st->t) {
		ui_text(y + 1, 2, w - 4, st->error);
		return;
	}
	json_t *rows = json_object_get(st->t, "rows"), *cols = json_object_get(st->t, "columns");
	int n = (int)json_array_size(rows);
	long long total = json_integer_value(json_object_get(st->t, "total"));
	ui_attr_head(1);
	ui_textf(y, 1, w - 2, "%s of %s: %d row%s%s%s%s%s", st->title, st->id, n, n == 1 ? "" : "s",
	         json_is_true(json_object_get(st->t, "truncated")) ? " shown" : "",
	         st->filter[0] ? "  filter: " : "", st->filter, st->col0 ? "  (scrolled: Left shows the first columns)" : "");
	ui_attr_head(0);
	if (json_is_true(json_object_get(st->t, "truncated")))
		ui_textf(y + 1, 1, w - 2, "(%lld rows in all: / narrows them down)", total);
	/* header */
	int hy = y + 2, x = 2;
	ui_attr_sel(0);
	attron(A_UNDERLINE);
	ui_clear(hy, 0, w);
	for (int c = st->col0; c < st->ncols && x < w; c++) {
		ui_text(hy, x, st->widths[c] < w - x ? st->widths[c] : w - x, json_string_value(json_array_get(cols, (size_t)c)));
		x += st->widths[c] + 2;
	}
	attroff(A_UNDERLINE);
	int rows_h = h - 3;
	ui_list_fit(&st->l, n, rows_h);
	for (int i = 0; i < rows_h && st->l.top + i < n; i++) {
		int k = st->l.top + i;
		json_t *r = json_array_get(rows, (size_t)k);
		int sel = k == st->l.sel;
		ui_attr_sel(sel);
		ui_clear(hy + 1 + i, 0, w);
		ui_text(hy + 1 + i, 0, 2, sel ? ">" : " ");
		x = 2;
		for (int c = st->col0; c < st->ncols && x < w; c++) {
			const char *v = cell(r, c);
			int cw = st->widths[c] < w - x ? st->widths[c] : w - x;
			ui_text(hy + 1 + i, x, cw, v);
			if (ui_width(v) > cw && cw > 1)
				ui_text(hy + 1 + i, x + cw - 1, 1, "~");
			x += st->widths[c] + 2;
		}
		ui_attr_sel(0);
	}
	if (!n)
		ui_text(hy + 2, 2, w - 4, st->filter[0] ? "No row holds this filter text (/ changes it)." : "No rows.");
}

static void detail(tui_app *a, table_st *st)
{
	json_t *rows = st->t ? json_object_get(st->t, "rows") : NULL, *cols = st->t ? json_object_get(st->t, "columns") : NULL;
	json_t *r = json_array_get(rows, (size_t)st->l.sel);
	if (!r)
		return;
	char *t = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&t, &len);
	if (!fp)
		return;
	for (int c = 0; c < (int)json_array_size(cols); c++)
		fprintf(fp, "%s: %s\n", json_string_value(json_array_get(cols, (size_t)c)), cell(r, c));
	fclose(fp);
	char title[240];
	snprintf(title, sizeof(title), "%s: row %d", st->title, st->l.sel + 1);
	app_push(a, scr_text_new(a, title, t, NULL));
	free(t);
}

static void drill(tui_app *a, table_st *st)
{
	json_t *rows = st->t ? json_object_get(st->t, "rows") : NULL;
	json_t *r = json_array_get(rows, (size_t)st->l.sel);
	if (!r)
		return;
	if (!strcmp(st->view, "logons_by_source") || !strcmp(st->view, "failed_logons")) {
		/* the logons of this source (address, else workstation) */
		int ac = !strcmp(st->view, "logons_by_source") ? 0 : 1;
		const char *key = cell(r, ac)[0] ? cell(r, ac) : cell(r, ac + 1);
		if (!key[0]) {
			detail(a, st);
			return;
		}
		app_push(a, scr_table_new(a, st->dir, st->id, "logons", key, NULL));
		return;
	}
	detail(a, st);
}

static const char *no_check(const char *t, void *ud)
{
	(void)ud;
	return strlen(t) > 100 ? "100 characters at most" : NULL;
}

static int key(tui_app *a, tui_screen *s, int ch)
{
	table_st *st = s->st;
	int n = st->t ? (int)json_array_size(json_object_get(st->t, "rows")) : 0;
	if (ui_list_key(&st->l, ch, n, a->H - 7))
		return 1;
	switch (ch) {
	case KEY_LEFT:
	case 'h':
		if (st->col0 > 0)
			st->col0--;
		return 1;
	case KEY_RIGHT:
	case 'l':
		if (st->col0 + 1 < st->ncols)
			st->col0++;
		return 1;
	case '/': {
		char f[128];
		snprintf(f, sizeof(f), "%s", st->filter);
		if (ui_input(a, "Filter", "Keep the rows where any column holds (empty: all rows):", f, sizeof(f), no_check, NULL,
		             0)) {
			snprintf(st->filter, sizeof(st->filter), "%s", f);
			st->l.sel = st->l.top = 0;
			st->jump[0] = '\0';
			load(a, st);
		}
		return 1;
	}
	case 'e': {
		if (strcmp(st->view, "timeline"))
			return 0;
		json_t *c = shodo_browse_case(st->dir, NULL);
		size_t i;
		json_t *it;
		json_array_foreach(json_object_get(c, "items"), i, it)
			if (!strcmp(json_string_value(json_object_get(it, "id")), st->id)) {
				const char *e = json_string_value(json_object_get(json_object_get(it, "triage"), "encryption_start"));
				snprintf(st->jump, sizeof(st->jump), "%s", e ? e : "");
			}
		json_decref(c);
		if (!st->jump[0])
			app_msg(a, UI_INFO, "no encryption start was found on %s", st->id);
		else
			load(a, st);
		return 1;
	}
	case 'd':
		detail(a, st);
		return 1;
	case '\n':
	case '\r':
	case KEY_ENTER:
		drill(a, st);
		return 1;
	default:
		return 0;
	}
}

static void destroy(tui_screen *s)
{
	table_st *st = s->st;
	json_decref(st->t);
}

tui_screen *scr_table_new(tui_app *a, const char *case_dir, const char *id, const char *view, const char *filter,
                          const char *jump_to)
{
	tui_screen *s = tui_screen_new("View", "Enter drill in  / filter  Left/Right columns  d row  Esc back", help,
	                               sizeof(table_st));
	if (!s)
		return NULL;
	table_st *st = s->st;
	snprintf(st->dir, sizeof(st->dir), "%s", case_dir);
	snprintf(st->id, sizeof(st->id), "%s", id);
	snprintf(st->view, sizeof(st->view), "%s", view);
	snprintf(st->filter, sizeof(st->filter), "%s", filter ? filter : "");
	snprintf(st->jump, sizeof(st->jump), "%s", jump_to ? jump_to : "");
	s->draw = draw;
	s->key = key;
	s->destroy = destroy;
	load(a, st);
	if (st->t && !strcmp(view, "timeline"))
		s->keys = "Enter row  / filter  e encryption start  Left/Right columns  Esc back";
	return s;
}
