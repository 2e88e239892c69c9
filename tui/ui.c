/*
 * Drawing and input for the screens.
 *
 * Text: every string is decoded as UTF-8 and drawn by display width
 * (wcwidth); control characters (ESC above all), invalid bytes and
 * characters of no width are drawn as '?', so that names from evidence
 * can never move the cursor or change the terminal.  Long text is wrapped
 * or scrolled, never cut silently.
 *
 * No colours are needed: highlight is reverse video, headings bold,
 * warnings bold (and red where the terminal has colours).
 */
#include <ctype.h>
#include <glob.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>
#include "shodo/buf.h"
#include "tui.h"
#include "shodo/util.h"

/* next display character of s: its wide char (or '?'), bytes used, columns */
static size_t next_char(const char *s, size_t len, wchar_t *wc, int *cols)
{
	mbstate_t ms;
	memset(&ms, 0, sizeof(ms));
	size_t r = mbrtowc(wc, s, len, &ms);
	if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
		*wc = L'?';
		*cols = 1;
		return r == 0 ? 1 : 1;
	}
	if (*wc == L'\t') {
		*wc = L' ';
		*cols = 1;
		return r;
	}
	int w = wcwidth(*wc);
	if (iswcntrl((wint_t)*wc) || w < 0 || (w == 0 && *wc != 0)) {
		*wc = L'?';
		w = 1;
	}
	*cols = w;
	return r;
}

int ui_text_skip(int y, int x, int w, const char *s, int skip)
{
	if (!s || w <= 0)
		return 0;
	wchar_t buf[1024];
	int n = 0, used = 0, skipped = 0;
	size_t len = strlen(s), i = 0;
	while (i < len && n < (int)(sizeof(buf) / sizeof(buf[0])) - 1) {
		wchar_t wc;
		int cols;
		size_t r = next_char(s + i, len - i, &wc, &cols);
		i += r;
		if (skipped < skip) {
			skipped += cols;
			continue;
		}
		if (used + cols > w)
			break;
		buf[n++] = wc;
		used += cols;
	}
	buf[n] = 0;
	if (n)
		mvaddnwstr(y, x, buf, n);
	return used;
}

int ui_text(int y, int x, int w, const char *s)
{
	return ui_text_skip(y, x, w, s, 0);
}

int ui_textf(int y, int x, int w, const char *fmt, ...)
{
	char b[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(b, sizeof(b), fmt, ap);
	va_end(ap);
	return ui_text(y, x, w, b);
}

int ui_width(const char *s)
{
	int used = 0;
	size_t len = strlen(s), i = 0;
	while (i < len) {
		wchar_t wc;
		int cols;
		i += next_char(s + i, len - i, &wc, &cols);
		used += cols;
	}
	return used;
}

typedef struct wrow {
	int y, x, w, rows, used;
} wrow;

static void wrow_line(const char *p, size_t len, void *ud)
{
	wrow *r = ud;
	if (r->used < r->rows) {
		char b[2048];
		snprintf(b, sizeof(b), "%.*s", (int)len, p);
		ui_text(r->y + r->used, r->x, r->w, b);
	}
	r->used++;
}

int ui_text_wrap(int y, int x, int w, int maxrows, const char *s)
{
	wrow r = {y, x, w, maxrows, 0};
	if (maxrows <= 0 || w <= 0)
		return 0;
	ui_wrap(s, w, wrow_line, &r);
	return r.used < maxrows ? r.used : maxrows;
}

void ui_clear(int y, int x, int w)
{
	if (w > 0)
		mvhline(y, x, ' ', w);
}

int ui_wrap(const char *s, int w, void (*fn)(const char *p, size_t len, void *ud), void *ud)
{
	int lines = 0;
	if (w < 4)
		w = 4;
	const char *p = s;
	for (;;) {
		const char *eol = strchr(p, '\n');
		size_t linelen = eol ? (size_t)(eol - p) : strlen(p);
		if (!eol && !linelen && lines)
			break;
		/* pieces of this line */
		size_t i = 0;
		do {
			size_t start = i, last_space = 0, j = i;
			int cols = 0;
			while (j < linelen) {
				wchar_t wc;
				int c;
				size_t r = next_char(p + j, linelen - j, &wc, &c);
				if (cols + c > w)
					break;
				cols += c;
				j += r;
				if (p[j - r] == ' ')
					last_space = j;
			}
			size_t end = j;
			if (j < linelen && last_space > start)
				end = last_space;
			if (end == start && j < linelen)
				end = j > start ? j : start + 1;
			fn(p + start, end - start, ud);
			lines++;
			i = end;
			/* a continuation starts after the spaces it broke at */
			while (i < linelen && p[i] == ' ' && i > start)
				i++;
		} while (i < linelen);
		if (!eol)
			break;
		p = eol + 1;
		if (!*p)
			break;
	}
	return lines;
}

void ui_hline(int y, int x, int w)
{
	if (w > 0)
		mvhline(y, x, ACS_HLINE, w);
}

void ui_box(int y, int x, int h, int w, const char *title)
{
	if (h < 2 || w < 2)
		return;
	for (int r = y + 1; r < y + h - 1; r++)
		ui_clear(r, x + 1, w - 2);
	mvhline(y, x + 1, ACS_HLINE, w - 2);
	mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
	mvvline(y + 1, x, ACS_VLINE, h - 2);
	mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
	mvaddch(y, x, ACS_ULCORNER);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
	if (title && *title) {
		attron(A_BOLD);
		mvaddstr(y, x + 2, " ");
		int u = ui_text(y, x + 3, w - 6, title);
		mvaddstr(y, x + 3 + u, " ");
		attroff(A_BOLD);
	}
}

void ui_attr_sel(int on)
{
	if (on)
		attron(A_REVERSE);
	else
		attroff(A_REVERSE);
}

void ui_attr_head(int on)
{
	if (on)
		attron(A_BOLD);
	else
		attroff(A_BOLD);
}

void ui_attr_warn(tui_app *a, int on)
{
	int attr = A_BOLD | (a && a->colors ? COLOR_PAIR(1) : 0);
	if (on)
		attron(attr);
	else
		attroff(attr);
}

const char *ui_size(uint64_t n, char out[32])
{
	if (!n) {
		snprintf(out, 32, "?");
		return out;
	}
	return shodo_fmt_size(n, out);
}

void ui_eta(double s, char *out, size_t n)
{
	if (s < 0 || s > 360000)
		snprintf(out, n, "--:--");
	else if (s >= 3600)
		snprintf(out, n, "%d:%02d:%02d", (int)s / 3600, ((int)s / 60) % 60, (int)s % 60);
	else
		snprintf(out, n, "%d:%02d", (int)s / 60, (int)s % 60);
}

/* drops "libfoo_bar_baz: " prefixes a library might leave in a message */
static void strip_lib_names(char *s)
{
	char *p = s;
	while ((p = strstr(p, "lib"))) {
		char *q = p + 3;
		int under = 0;
		while (*q && (islower((unsigned char)*q) || isdigit((unsigned char)*q) || *q == '_')) {
			under += *q == '_';
			q++;
		}
		if (under && *q == ':' && (p == s || p[-1] == ' ' || p[-1] == '(')) {
			q++;
			while (*q == ' ')
				q++;
			memmove(p, q, strlen(q) + 1);
		} else {
			p = q;
		}
	}
}

void ui_sentence_text(const char *msg, char *out, size_t n)
{
	snprintf(out, n, "%s", msg && *msg ? msg : "failed");
	strip_lib_names(out);
	out[0] = (char)toupper((unsigned char)out[0]);
	size_t l = strlen(out);
	while (l && (out[l - 1] == ' ' || out[l - 1] == '\n'))
		out[--l] = '\0';
	if (l && l + 1 < n && !strchr(".!?", out[l - 1])) {
		out[l] = '.';
		out[l + 1] = '\0';
	}
}

/* advice for the common failures that carry no hint of their own */
static const char *advice(const char *msg)
{
	static const struct {
		const char *has, *say;
	} tab[] = {
		{"No space left", "free some space or choose another destination; the image can be resumed"},
		{"Permission denied", "run shodo as root (sudo shodo) or choose a folder you may write to"},
		{"Read-only file system", "choose a writable destination, or make the destination disk writable first"},
		{"mounted read-write", "unmount the source first; an evidence disk must not be mounted read-write"},
		{"Input/output error", "the disk reports read errors; the image records them and goes on"},
		{"No such file", "check the path; the device may have been unplugged"},
		{"not a case folder", "choose the folder that holds case.json"},
		{"is locked", "wait for the other job on this evidence item to finish"},
		{NULL, NULL},
	};
	for (int i = 0; tab[i].has; i++)
		if (strstr(msg, tab[i].has))
			return tab[i].say;
	return NULL;
}

void ui_sentence(const shodo_err *err, char *out, size_t n)
{
	char a[1200], b[400] = "";
	ui_sentence_text(err->msg, a, sizeof(a));
	const char *hint = err->hint[0] ? err->hint : advice(err->msg);
	if (hint) {
		char h[400];
		/* the CLI's hints name options; on the screen the same is a key */
		snprintf(h, sizeof(h), "%s", hint);
		char *r = strstr(h, "run the same command with --resume to continue it");
		if (r)
			snprintf(r, sizeof(h) - (size_t)(r - h), "choose Resume on the Jobs screen to continue it");
		r = strstr(h, "add --resume to continue it");
		if (r)
			snprintf(r, sizeof(h) - (size_t)(r - h), "it can be resumed");
		ui_sentence_text(h, b, sizeof(b));
		snprintf(out, n, "%s What to do: %s", a, b);
	} else {
		snprintf(out, n, "%s", a);
	}
}

/* ---- lists ---- */

int ui_list_key(ui_list *l, int ch, int n, int rows)
{
	int page = rows > 1 ? rows - 1 : 1;
	switch (ch) {
	case KEY_UP:
	case 'k':
		if (l->sel > 0)
			l->sel--;
		break;
	case KEY_DOWN:
	case 'j':
		if (l->sel + 1 < n)
			l->sel++;
		break;
	case KEY_PPAGE:
		l->sel = l->sel > page ? l->sel - page : 0;
		break;
	case KEY_NPAGE:
		l->sel = l->sel + page < n ? l->sel + page : (n ? n - 1 : 0);
		break;
	case KEY_HOME:
		l->sel = 0;
		break;
	case KEY_END:
		l->sel = n ? n - 1 : 0;
		break;
	default:
		return 0;
	}
	ui_list_fit(l, n, rows);
	return 1;
}

void ui_list_fit(ui_list *l, int n, int rows)
{
	if (l->sel >= n)
		l->sel = n ? n - 1 : 0;
	if (l->sel < 0)
		l->sel = 0;
	if (rows < 1)
		rows = 1;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + rows)
		l->top = l->sel - rows + 1;
	if (l->top > n - rows)
		l->top = n - rows > 0 ? n - rows : 0;
	if (l->top < 0)
		l->top = 0;
}

/* ---- dialogs ---- */

typedef struct wrapbuf {
	char **lines;
	int n;
	size_t cap;
} wrapbuf;

static void wrap_add(const char *p, size_t len, void *ud)
{
	wrapbuf *w = ud;
	if (shodo_grow(&w->lines, &w->cap, (size_t)w->n + 1) < 0)
		return;
	w->lines[w->n] = strndup(p, len);
	if (w->lines[w->n])
		w->n++;
}

static void wrap_free(wrapbuf *w)
{
	for (int i = 0; i < w->n; i++)
		free(w->lines[i]);
	free(w->lines);
	memset(w, 0, sizeof(*w));
}

/* Where a help line's continuation rows start: a line of a key list
 * ("  Enter       use it: ...") continues under its text, not under the
 * key; any other indented line under its own indentation. */
static int hang_indent(const char *line, size_t len, int w)
{
	size_t i = 0;
	while (i < len && line[i] == ' ')
		i++;
	if (i == 0 || i == len)
		return 0;
	size_t lead = i;
	for (; i + 1 < len; i++)
		if (line[i] == ' ' && line[i + 1] == ' ')
			break;
	size_t k = i;
	while (k < len && line[k] == ' ')
		k++;
	char pre[256];
	size_t pl = k < sizeof(pre) ? k : sizeof(pre) - 1;
	memcpy(pre, line, pl);
	pre[pl] = '\0';
	int ind = k < len ? ui_width(pre) : (int)lead;
	return ind <= w / 2 ? ind : (int)lead <= w / 2 ? (int)lead : 0;
}

/* Wraps text as ui_wrap does, continuation rows of an indented line
 * indented under it (help texts are key lists). */
static void wrap_hanging(const char *text, int w, wrapbuf *out)
{
	const char *p = text;
	for (;;) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		char *line = strndup(p, len);
		if (!line)
			return;
		wrapbuf first = {0};
		ui_wrap(line, w, wrap_add, &first);
		int ind = hang_indent(line, len, w);
		if (first.n <= 1 || ind == 0) {
			for (int i = 0; i < first.n; i++)
				wrap_add(first.lines[i], strlen(first.lines[i]), out);
		} else {
			wrap_add(first.lines[0], strlen(first.lines[0]), out);
			const char *rest = line + strlen(first.lines[0]);
			while (*rest == ' ')
				rest++;
			wrapbuf more = {0};
			ui_wrap(rest, w - ind, wrap_add, &more);
			for (int i = 0; i < more.n; i++) {
				char b[1024];
				snprintf(b, sizeof(b), "%*s%s", ind, "", more.lines[i]);
				wrap_add(b, strlen(b), out);
			}
			wrap_free(&more);
		}
		wrap_free(&first);
		free(line);
		if (!eol || !eol[1])
			break;
		p = eol + 1;
	}
}

/* draws a dialog box centred; returns its geometry */
static void dialog_frame(tui_app *a, const char *title, int want_h, int want_w, int *y, int *x, int *h, int *w)
{
	*w = want_w < a->W - 2 ? want_w : a->W - 2;
	*h = want_h < a->H - 2 ? want_h : a->H - 2;
	*y = (a->H - *h) / 2;
	*x = (a->W - *w) / 2;
	ui_box(*y, *x, *h, *w, title);
}

int ui_confirm(tui_app *a, const char *title, const char *body, const char *yes, const char *no)
{
	int choice = 0;   /* 0 = no (the safe default), 1 = yes */
	for (;;) {
		app_turn(a);
		if (a->quit)
			return 0;
		app_draw(a);
		if (!a->too_small) {
			wrapbuf wb = {0};
			int bw = a->W - 6 < 72 ? a->W - 6 : 72;
			ui_wrap(body, bw - 4, wrap_add, &wb);
			int y, x, h, w;
			dialog_frame(a, title, wb.n + 5, bw, &y, &x, &h, &w);
			for (int i = 0; i < wb.n && i < h - 4; i++)
				ui_text(y + 1 + i, x + 2, w - 4, wb.lines[i]);
			wrap_free(&wb);
			char ybuf[64], nbuf[64];
			snprintf(ybuf, sizeof(ybuf), "[ %s ]", yes);
			snprintf(nbuf, sizeof(nbuf), "[ %s ]", no);
			int by = y + h - 2, bx = x + 2;
			ui_attr_sel(choice == 1);
			bx += ui_text(by, bx, w - 4, ybuf);
			ui_attr_sel(0);
			bx += 2;
			ui_attr_sel(choice == 0);
			ui_text(by, bx, w - 4 - (bx - x), nbuf);
			ui_attr_sel(0);
			refresh();
		}
		int ch = getch();
		if (ch == ERR)
			continue;
		if (ch == 'y' || ch == 'Y')
			return 1;
		if (ch == 'n' || ch == 'N' || ch == 27 || ch == 'q')
			return 0;
		if (ch == KEY_LEFT || ch == KEY_RIGHT || ch == '\t' || ch == 'h' || ch == 'l')
			choice = !choice;
		if (ch == '\n' || ch == '\r' || ch == KEY_ENTER)
			return choice;
	}
}

void ui_message(tui_app *a, const char *title, const char *body)
{
	for (;;) {
		app_turn(a);
		if (a->quit)
			return;
		app_draw(a);
		if (!a->too_small) {
			wrapbuf wb = {0};
			int bw = a->W - 6 < 72 ? a->W - 6 : 72;
			ui_wrap(body, bw - 4, wrap_add, &wb);
			int y, x, h, w;
			dialog_frame(a, title, wb.n + 4, bw, &y, &x, &h, &w);
			for (int i = 0; i < wb.n && i < h - 3; i++)
				ui_text(y + 1 + i, x + 2, w - 4, wb.lines[i]);
			wrap_free(&wb);
			ui_attr_sel(1);
			ui_text(y + h - 2, x + 2, w - 4, "[ OK ]");
			ui_attr_sel(0);
			refresh();
		}
		int ch = getch();
		if (ch == '\n' || ch == '\r' || ch == KEY_ENTER || ch == 27 || ch == 'q' || ch == ' ')
			return;
	}
}

/* Tab completion of a path: the longest common prefix of the matches */
static void complete_path(char *buf, size_t n)
{
	char pat[1100];
	glob_t g;
	snprintf(pat, sizeof(pat), "%s*", buf);
	if (glob(pat, GLOB_MARK, NULL, &g) != 0)
		return;
	if (g.gl_pathc >= 1) {
		size_t common = strlen(g.gl_pathv[0]);
		for (size_t i = 1; i < g.gl_pathc; i++) {
			size_t k = 0;
			while (k < common && g.gl_pathv[i][k] == g.gl_pathv[0][k])
				k++;
			common = k;
		}
		if (common >= strlen(buf) && common < n) {
			memcpy(buf, g.gl_pathv[0], common);
			buf[common] = '\0';
		}
	}
	globfree(&g);
}

/* removes the last UTF-8 character of buf */
static void del_last(char *buf)
{
	size_t l = strlen(buf);
	while (l > 0) {
		l--;
		if (((unsigned char)buf[l] & 0xc0) != 0x80)
			break;
	}
	buf[l] = '\0';
}

/* adds a typed byte (ncurses returns UTF-8 bytes one at a time) */
static void add_byte(char *buf, size_t n, int ch)
{
	size_t l = strlen(buf);
	if (l + 1 < n && ch >= 32 && ch < 256 && ch != 127) {
		buf[l] = (char)ch;
		buf[l + 1] = '\0';
	}
}

int ui_input(tui_app *a, const char *title, const char *label, char *buf, size_t n,
             const char *(*check)(const char *text, void *ud), void *ud, int paths)
{
	char *work = malloc(n);
	if (!work)
		return 0;
	snprintf(work, n, "%s", buf);
	int rc = 0;
	for (;;) {
		app_turn(a);
		if (a->quit)
			break;
		app_draw(a);
		const char *why = check ? check(work, ud) : NULL;
		if (!a->too_small) {
			int y, x, h, w;
			int bw = a->W - 4 < 100 ? a->W - 4 : 100;
			wrapbuf lb = {0}, wb = {0};
			ui_wrap(label, bw - 4, wrap_add, &lb);
			if (why)
				ui_wrap(why, bw - 4, wrap_add, &wb);
			int lr = lb.n < a->H - 10 ? lb.n : a->H - 10, wr = wb.n < 3 ? wb.n : 3;
			if (lr < 1)
				lr = 1;
			dialog_frame(a, title, lr + 6 + (wr > 1 ? wr - 1 : 0), bw, &y, &x, &h, &w);
			for (int i = 0; i < lr && i < lb.n; i++)
				ui_text(y + 1 + i, x + 2, w - 4, lb.lines[i]);
			int fy = y + 1 + lr;
			int fw = w - 4;
			int tw = ui_width(work);
			int skip = tw - (fw - 2) > 0 ? tw - (fw - 2) : 0;
			ui_attr_sel(1);
			ui_clear(fy, x + 2, fw);
			ui_text_skip(fy, x + 2, fw, work, skip);
			ui_attr_sel(0);
			if (why) {
				ui_attr_warn(a, 1);
				for (int i = 0; i < wr; i++)
					ui_text(fy + 1 + i, x + 2, w - 4, wb.lines[i]);
				ui_attr_warn(a, 0);
			}
			wrap_free(&lb);
			wrap_free(&wb);
			ui_text(y + h - 2, x + 2, w - 4,
			        paths ? "Enter accept   Esc cancel   Tab complete the name   Ctrl-U clear"
			              : "Enter accept   Esc cancel   Ctrl-U clear");
			move(fy, x + 2 + (tw - skip < fw ? tw - skip : fw - 1));
			curs_set(1);
			refresh();
		}
		int ch = getch();
		curs_set(0);
		if (ch == ERR)
			continue;
		if (ch == 27) {
			rc = 0;
			break;
		}
		if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
			if (check && check(work, ud)) {
				beep();
				continue;
			}
			snprintf(buf, n, "%s", work);
			rc = 1;
			break;
		}
		if (ch == KEY_BACKSPACE || ch == 127 || ch == 8)
			del_last(work);
		else if (ch == 21)   /* Ctrl-U */
			work[0] = '\0';
		else if (ch == '\t' && paths)
			complete_path(work, n);
		else if (ch == KEY_F(1))
			ui_show_text(a, "Help", paths ? "Type a path.  Tab completes file and folder names; Enter accepts; "
			                                 "Esc goes back without changing anything."
			                               : "Type the value; Enter accepts; Esc goes back without changing anything.");
		else
			add_byte(work, n, ch);
	}
	free(work);
	return rc;
}

int ui_confirm_typed(tui_app *a, const char *title, const char *body, const char *word)
{
	char typed[128] = "";
	char label[600];
	snprintf(label, sizeof(label), "%s  Type %s to confirm:", body, word);
	if (!ui_input(a, title, label, typed, sizeof(typed), NULL, NULL, 0))
		return 0;
	return !strcmp(typed, word);
}

void ui_show_text(tui_app *a, const char *title, const char *text)
{
	int top = 0;
	for (;;) {
		app_turn(a);
		if (a->quit)
			return;
		app_draw(a);
		wrapbuf wb = {0};
		int rows = 0;
		if (!a->too_small) {
			int y, x, h, w;
			dialog_frame(a, title, a->H - 2, a->W - 2 < 100 ? a->W - 2 : 100, &y, &x, &h, &w);
			wrap_hanging(text, w - 4, &wb);
			rows = h - 3;
			if (top > wb.n - rows)
				top = wb.n - rows > 0 ? wb.n - rows : 0;
			for (int i = 0; i < rows && top + i < wb.n; i++)
				ui_text(y + 1 + i, x + 2, w - 4, wb.lines[top + i]);
			ui_textf(y + h - 2, x + 2, w - 4, "%s Esc/q close",
			         wb.n > rows ? "Up/Down/PgUp/PgDn scroll  " : "");
			refresh();
		}
		int n = wb.n;
		wrap_free(&wb);
		int ch = getch();
		if (ch == ERR)
			continue;
		if (ch == 27 || ch == 'q' || ch == '\n' || ch == '\r' || ch == KEY_ENTER || ch == KEY_F(1) || ch == '?')
			return;
		if ((ch == KEY_DOWN || ch == 'j') && top + rows < n)
			top++;
		else if ((ch == KEY_UP || ch == 'k') && top > 0)
			top--;
		else if (ch == KEY_NPAGE || ch == ' ')
			top += rows > 1 ? rows - 1 : 1;
		else if (ch == KEY_PPAGE)
			top = top > rows ? top - rows + 1 : 0;
		else if (ch == KEY_HOME)
			top = 0;
		else if (ch == KEY_END)
			top = n;
	}
}

/* ---- forms ---- */

static int visible(const ui_form *fm, int i)
{
	return !fm->f[i].hidden;
}

static void form_move(ui_form *fm, int dir)
{
	int i = fm->focus;
	do {
		i += dir;
	} while (i >= 0 && i < fm->n && !visible(fm, i));
	if (i >= 0 && i < fm->n)
		fm->focus = i;
}

int ui_form_invalid(ui_form *fm, const char **why)
{
	for (int i = 0; i < fm->n; i++) {
		ui_field *f = &fm->f[i];
		if (f->hidden || !f->check || f->kind == FF_CHOICE)
			continue;
		const char *w = f->check(f->buf, f->ud);
		if (w) {
			if (why)
				*why = w;
			return i;
		}
	}
	return -1;
}

void ui_form_draw(tui_app *a, ui_form *fm, int y, int h, int w)
{
	int lw = 0;
	for (int i = 0; i < fm->n; i++)
		if (visible(fm, i) && ui_width(fm->f[i].label) > lw)
			lw = ui_width(fm->f[i].label);
	if (lw > w / 3)
		lw = w / 3;
	int fx = 2 + lw + 2, fw = w - fx - 2;
	/* rows: one per field, then a blank row, up to three for the focused
	 * field's hint (wrapped, never cut) and one for its problem */
	int rows = h - 5;
	int vis[64], nv = 0, fpos = 0;
	for (int i = 0; i < fm->n && nv < 64; i++)
		if (visible(fm, i)) {
			if (i == fm->focus)
				fpos = nv;
			vis[nv++] = i;
		}
	if (fpos < fm->top)
		fm->top = fpos;
	if (fpos >= fm->top + rows)
		fm->top = fpos - rows + 1;
	int cy = -1, cx = 0;
	for (int r = 0; r < rows && fm->top + r < nv; r++) {
		ui_field *f = &fm->f[vis[fm->top + r]];
		int focused = vis[fm->top + r] == fm->focus;
		if (focused)
			ui_attr_head(1);
		ui_textf(y + r, 0, 2, "%s", focused ? ">" : " ");
		ui_text(y + r, 2, lw, f->label);
		if (focused)
			ui_attr_head(0);
		const char *problem = f->check && f->kind != FF_CHOICE ? f->check(f->buf, f->ud) : NULL;
		if (f->kind == FF_CHOICE) {
			int x = fx;
			for (int c = 0; f->choices[c] && x < fx + fw; c++) {
				int on = c == *f->choice;
				char b[96];
				snprintf(b, sizeof(b), on ? "(*) %s" : "( ) %s", f->choices[c]);
				if (on && focused)
					ui_attr_sel(1);
				x += ui_text(y + r, x, fx + fw - x, b);
				ui_attr_sel(0);
				x += 2;
			}
		} else {
			if (focused)
				ui_attr_sel(1);
			else
				attron(A_UNDERLINE);
			ui_clear(y + r, fx, fw);
			int tw = ui_width(f->buf);
			int skip = focused && tw > fw - 1 ? tw - (fw - 1) : 0;
			ui_text_skip(y + r, fx, fw, f->buf, skip);
			ui_attr_sel(0);
			attroff(A_UNDERLINE);
			if (problem && !focused) {
				ui_attr_warn(a, 1);
				mvaddch(y + r, 0, '!');
				ui_attr_warn(a, 0);
			}
			if (focused) {
				cy = y + r;
				cx = fx + (tw - skip < fw ? tw - skip : fw - 1);
			}
		}
	}
	ui_field *ff = &fm->f[fm->focus];
	const char *problem = ff->check && ff->kind != FF_CHOICE ? ff->check(ff->buf, ff->ud) : NULL;
	if (ff->hint)
		ui_text_wrap(y + h - 4, 2, w - 4, 3, ff->hint);
	if (problem) {
		ui_attr_warn(a, 1);
		ui_text(y + h - 1, 2, w - 4, problem);
		ui_attr_warn(a, 0);
	}
	if (cy >= 0) {
		move(cy, cx);
		curs_set(1);
	} else {
		curs_set(0);
	}
}

int ui_form_key(ui_form *fm, int ch)
{
	ui_field *f = &fm->f[fm->focus];
	if (ch == '\t' && f->kind == FF_PATH && f->buf[0]) {
		char before[1024];
		snprintf(before, sizeof(before), "%s", f->buf);
		complete_path(f->buf, f->size);
		if (strcmp(before, f->buf))
			return 1;
	}
	switch (ch) {
	case KEY_UP:
	case KEY_BTAB:
		form_move(fm, -1);
		return 1;
	case KEY_DOWN:
	case '\t':
		form_move(fm, +1);
		return 1;
	case '\n':
	case '\r':
	case KEY_ENTER: {
		int last = fm->focus;
		for (int i = fm->focus + 1; i < fm->n; i++)
			if (visible(fm, i))
				last = -1;
		if (last >= 0)
			return 2;
		form_move(fm, +1);
		return 1;
	}
	default:
		break;
	}
	if (f->kind == FF_CHOICE) {
		int nc = 0;
		while (f->choices[nc])
			nc++;
		if (ch == KEY_LEFT || ch == KEY_RIGHT || ch == ' ') {
			int d = ch == KEY_LEFT ? -1 : 1;
			*f->choice = (*f->choice + d + nc) % nc;
			return 1;
		}
		/* the first letter of a choice picks it */
		for (int c = 0; c < nc && ch < 256 && ch > 32; c++)
			if (tolower((unsigned char)f->choices[c][0]) == tolower(ch)) {
				*f->choice = c;
				return 1;
			}
		return 0;
	}
	if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
		del_last(f->buf);
		return 1;
	}
	if (ch == 21) {
		f->buf[0] = '\0';
		return 1;
	}
	if (ch >= 32 && ch < 256 && ch != 127) {
		add_byte(f->buf, f->size, ch);
		return 1;
	}
	return 0;
}
