/*
 * The session log: every action taken on these screens and every job's
 * messages, with UTC times, whole lines wrapped at the window's width.  It
 * follows new lines at the bottom until scrolled up; End follows again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shodo/buf.h"
#include "tui.h"

typedef struct log_st {
	int top;                 /* first wrapped line shown (as last drawn) */
	int follow;              /* keep the end in view */
} log_st;

static const char help[] =
	"The session log: what was done on these screens and what every job reported, in order, with UTC times. "
	"Lines are wrapped, never cut. The case folders keep their own logs (triage.log, the acquisition log, "
	"custody.jsonl); this one is the screen's.\n"
	"\n"
	"  Up/Down PgUp/PgDn   scroll (the view stops following new lines)\n"
	"  End                 follow new lines again\n"
	"  Home                the first line\n"
	"  Esc                 back";

typedef struct wl {
	char **l;
	int *k;
	int n;
	size_t cap, capk;
	int kind;
} wl;

static void add(const char *p, size_t len, void *ud)
{
	wl *w = ud;
	if (shodo_grow(&w->l, &w->cap, (size_t)w->n + 1) < 0 || shodo_grow(&w->k, &w->capk, (size_t)w->n + 1) < 0)
		return;
	if ((w->l[w->n] = strndup(p, len))) {
		w->k[w->n] = w->kind;
		w->n++;
	}
}

static void draw(tui_app *a, tui_screen *s, int y, int h, int w)
{
	log_st *st = s->st;
	wl lines = {0};
	pthread_mutex_lock(&a->log_mu);
	if (a->log_dropped) {
		char b[120];
		snprintf(b, sizeof(b), "(%d earlier lines are no longer kept here)", a->log_dropped);
		lines.kind = 0;
		ui_wrap(b, w - 2, add, &lines);
	}
	for (int i = 0; i < a->nlog; i++) {
		lines.kind = a->log[i].kind;
		ui_wrap(a->log[i].text, w - 2, add, &lines);
	}
	pthread_mutex_unlock(&a->log_mu);
	int maxtop = lines.n - h > 0 ? lines.n - h : 0;
	if (st->follow || st->top > maxtop)
		st->top = maxtop;
	if (st->top < 0)
		st->top = 0;
	int top = st->top;
	for (int i = 0; i < h && top + i < lines.n; i++) {
		if (lines.k[top + i])
			ui_attr_warn(a, 1);
		ui_text(y + i, 1, w - 2, lines.l[top + i]);
		if (lines.k[top + i])
			ui_attr_warn(a, 0);
	}
	if (lines.n > h)
		ui_textf(y + h - 1, w - 30, 29, " lines %d-%d of %d%s ", top + 1, top + h, lines.n, st->follow ? "" : " (End follows)");
	for (int i = 0; i < lines.n; i++)
		free(lines.l[i]);
	free(lines.l);
	free(lines.k);
}

static int key(tui_app *a, tui_screen *s, int ch)
{
	log_st *st = s->st;
	int page = a->H - 5 > 1 ? a->H - 5 : 1;
	switch (ch) {
	case KEY_UP:
	case 'k':
		st->follow = 0;
		st->top = st->top > 0 ? st->top - 1 : 0;
		return 1;
	case KEY_DOWN:
	case 'j':
		st->top++;
		return 1;
	case KEY_PPAGE:
		st->follow = 0;
		st->top = st->top > page ? st->top - page : 0;
		return 1;
	case KEY_NPAGE:
		st->top += page;
		return 1;
	case KEY_HOME:
		st->follow = 0;
		st->top = 0;
		return 1;
	case KEY_END:
		st->follow = 1;
		return 1;
	default:
		return 0;
	}
}

tui_screen *scr_log_new(tui_app *a)
{
	tui_screen *s = tui_screen_new("Session log", "Up/Down PgUp/PgDn scroll  End follow  Home first  Esc back", help,
	                               sizeof(log_st));
	if (!s)
		return NULL;
	log_st *st = s->st;
	st->follow = 1;
	s->draw = draw;
	s->key = key;
	(void)a;
	return s;
}
