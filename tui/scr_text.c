/*
 * A text to read: summary.txt, the logs, a row with every column.  Long
 * lines are wrapped at the window's width (never cut); Up/Down/PgUp/PgDn
 * scroll, / finds a text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "shodo/buf.h"
#include "tui.h"

typedef struct text_st {
	char *text;
	char **lines;
	int n, width;
	size_t cap;
	int top;
	char find[128];
	char title[240];
} text_st;

static const char help[] =
	"A text to read. Long lines are wrapped at the window's width.\n"
	"\n"
	"  Up/Down PgUp/PgDn Home/End   scroll\n"
	"  /                            find a text (n finds the next one)\n"
	"  Esc                          back";

static void add(const char *p, size_t len, void *ud)
{
	text_st *t = ud;
	if (shodo_grow(&t->lines, &t->cap, (size_t)t->n + 1) < 0)
		return;
	if ((t->lines[t->n] = strndup(p, len)))
		t->n++;
}

static void rewrap(text_st *t, int w)
{
	if (t->width == w)
		return;
	for (int i = 0; i < t->n; i++)
		free(t->lines[i]);
	t->n = 0;
	t->width = w;
	ui_wrap(t->text, w, add, t);
}

static void draw(tui_app *a, tui_screen *s, int y, int h, int w)
{
	text_st *t = s->st;
	(void)a;
	rewrap(t, w - 2);
	if (t->top > t->n - h)
		t->top = t->n - h > 0 ? t->n - h : 0;
	for (int i = 0; i < h && t->top + i < t->n; i++)
		ui_text(y + i, 1, w - 2, t->lines[t->top + i]);
	if (t->n > h)
		ui_textf(y + h - 1, w - 22, 21, " lines %d-%d of %d ", t->top + 1, t->top + h < t->n ? t->top + h : t->n, t->n);
}

static void find_next(tui_app *a, text_st *t, int from)
{
	for (int i = from; i < t->n; i++)
		if (strcasestr(t->lines[i], t->find)) {
			t->top = i;
			return;
		}
	app_msg(a, UI_INFO, "'%s' not found further down", t->find);
}

static int key(tui_app *a, tui_screen *s, int ch)
{
	text_st *t = s->st;
	int page = a->H - 5 > 1 ? a->H - 5 : 1;
	switch (ch) {
	case KEY_DOWN:
	case 'j':
		if (t->top + 1 < t->n)
			t->top++;
		return 1;
	case KEY_UP:
	case 'k':
		if (t->top > 0)
			t->top--;
		return 1;
	case KEY_NPAGE:
	case ' ':
		t->top += page;
		return 1;
	case KEY_PPAGE:
		t->top = t->top > page ? t->top - page : 0;
		return 1;
	case KEY_HOME:
		t->top = 0;
		return 1;
	case KEY_END:
		t->top = t->n;
		return 1;
	case '/':
		if (ui_input(a, "Find", "Find the text:", t->find, sizeof(t->find), NULL, NULL, 0) && t->find[0])
			find_next(a, t, t->top);
		return 1;
	case 'n':
		if (t->find[0])
			find_next(a, t, t->top + 1);
		return 1;
	default:
		return 0;
	}
}

static void destroy(tui_screen *s)
{
	text_st *t = s->st;
	for (int i = 0; i < t->n; i++)
		free(t->lines[i]);
	free(t->lines);
	free(t->text);
}

tui_screen *scr_text_new(tui_app *a, const char *title, const char *text, const char *hlp)
{
	tui_screen *s = tui_screen_new("", "Up/Down PgUp/PgDn scroll  / find  Esc back", hlp ? hlp : help, sizeof(text_st));
	if (!s)
		return NULL;
	text_st *t = s->st;
	snprintf(t->title, sizeof(t->title), "%s", title);
	s->title = t->title;
	t->text = strdup(text ? text : "");
	t->width = -1;
	s->draw = draw;
	s->key = key;
	s->destroy = destroy;
	(void)a;
	return s;
}
