/*
 * Case and evidence: case number, examiner, evidence ID (suggested from the
 * Windows host name, else the serial number, else the file name),
 * description and notes (both go into the E01 header and the logs), and
 * the case folder.  What was typed for one disk is offered again for the
 * next disk of the same case.  An evidence ID that cannot be used is
 * explained while it is typed.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "tui.h"
#include "shodo/case.h"

typedef struct case_st {
	tui_draft d;
	ui_form fm;
	ui_field f[6];
	char auto_dir[512];      /* the case folder as last derived; edited by hand when it differs */
	char why[600];
	char hint_id[600];
	char noted[600];         /* case folder and ID the hint was made for */
} case_st;

static const char help[] =
	"Case and evidence: what is written into the case folder, the E01 header and the chain of custody.\n"
	"\n"
	"  Case number   the same for every disk of this case (for example HOSP-2021-001)\n"
	"  Examiner      who acquires: recorded with every action in custody.jsonl\n"
	"  Evidence ID   names this disk's folder in the case: 1 to 64 letters, digits, '.', '_' or '-', not starting "
	"with '.' or '-'. shodo suggests the Windows computer name, else the disk's serial number\n"
	"  Description   what the disk is (goes into the E01 header)\n"
	"  Notes         anything else worth recording (E01 header, acquisition log)\n"
	"  Case folder   where the case lives: new or existing. On a destination drive it is named after the case "
	"number\n"
	"\n"
	"Up/Down or Tab move between fields; Enter on the last field goes on to the options. What you type here is "
	"offered again for the next disk of the same case.";

static void sanitize_id(const char *raw, char *out, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; raw[i] && o + 1 < n && o < 64; i++) {
		char c = raw[i];
		int okc = isalnum((unsigned char)c) || c == '_' || c == '-' || c == '.';
		if (!okc && (o == 0 || out[o - 1] == '_'))
			continue;
		out[o++] = okc ? c : '_';
	}
	while (o && (out[o - 1] == '_' || out[o - 1] == '.'))
		o--;
	out[o] = '\0';
	while (out[0] == '.' || out[0] == '-')
		memmove(out, out + 1, strlen(out));
}

static void suggest_id(const tui_draft *d, char *out, size_t n)
{
	char raw[256] = "";
	if (d->host[0])
		snprintf(raw, sizeof(raw), "%s", d->host);
	else if (d->source_serial[0])
		snprintf(raw, sizeof(raw), "%s", d->source_serial);
	else {
		const char *b = strrchr(d->source, '/');
		snprintf(raw, sizeof(raw), "%s", b ? b + 1 : d->source);
		char *dot = strchr(raw, '.');
		if (dot && dot != raw)
			*dot = '\0';
	}
	sanitize_id(raw, out, n);
	if (!out[0])
		snprintf(out, n, "EVIDENCE-1");
}

static const char *check_id(const char *id, void *ud)
{
	case_st *st = ud;
	if (!*id)
		return "the evidence ID is empty: type a name for this disk (e.g. its computer name)";
	size_t len = strlen(id);
	if (len > 64) {
		snprintf(st->why, sizeof(st->why), "the evidence ID is %zu characters long; 64 at most", len);
		return st->why;
	}
	if (id[0] == '.' || id[0] == '-')
		return "the evidence ID must not start with '.' or '-'";
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)id[i];
		if (!(isalnum(c) && c < 128) && c != '.' && c != '_' && c != '-') {
			if (c == ' ')
				snprintf(st->why, sizeof(st->why), "no spaces in an evidence ID (character %zu): use '_' or '-'", i + 1);
			else if (c == '/' || c == '\\')
				snprintf(st->why, sizeof(st->why), "no '%c' in an evidence ID (character %zu): it names a folder",
				         c, i + 1);
			else
				snprintf(st->why, sizeof(st->why), "'%c' cannot be in an evidence ID (character %zu): use letters, "
				         "digits, '.', '_' or '-'", c >= 32 && c < 127 ? c : '?', i + 1);
			return st->why;
		}
	}
	if (!shodo_case_id_valid(id))
		return "this evidence ID cannot be used";
	return NULL;
}

static const char *check_dir(const char *p, void *ud)
{
	case_st *st = ud;
	struct stat sb;
	if (!*p)
		return "the case folder is empty";
	if (p[0] != '/')
		return "give the whole path of the case folder, starting with /";
	if (stat(p, &sb) == 0 && !S_ISDIR(sb.st_mode))
		return "this is a file, not a folder";
	if (st->d.source_disk[0] && stat(st->d.source_disk, &sb) == 0 && shodo_path_on_device(p, sb.st_rdev))
		return "this folder is on the disk being read: a case folder never goes onto a source";
	return NULL;
}

/* the case folder derived from the destination and the case number */
static void derive_dir(case_st *st)
{
	if (st->d.dest_is_case)
		return;
	char name[128];
	sanitize_id(st->d.case_number, name, sizeof(name));
	char dir[512];
	snprintf(dir, sizeof(dir), "%s/%s", st->d.dest, name[0] ? name : "case");
	/* follow the case number until the folder is edited by hand */
	if (!st->d.case_dir[0] || !strcmp(st->d.case_dir, st->auto_dir)) {
		snprintf(st->d.case_dir, sizeof(st->d.case_dir), "%s", dir);
		snprintf(st->auto_dir, sizeof(st->auto_dir), "%s", dir);
	}
}

/* what this case already holds for the ID being typed */
static void id_note(case_st *st)
{
	const char *id = st->d.evidence_id;
	char key[600];
	snprintf(key, sizeof(key), "%s/%s", st->d.case_dir, id);
	if (!strcmp(key, st->noted))
		return;   /* the case folder is read once per ID typed, not at every redraw */
	snprintf(st->noted, sizeof(st->noted), "%s", key);
	st->hint_id[0] = '\0';
	if (!shodo_case_id_valid(id))
		return;
	int tri = jobs_triage_finished(st->d.case_dir, id);
	int img = jobs_image_complete(st->d.case_dir, id);
	int intr = jobs_image_interrupted(st->d.case_dir, id, NULL);
	if (tri || img || intr)
		snprintf(st->hint_id, sizeof(st->hint_id), "This case already holds for %s:%s%s%s", id,
		         tri ? " a triage" : "", img ? (tri ? ", a complete image" : " a complete image") : "",
		         intr ? (tri ? ", an interrupted image (it can be resumed)" : " an interrupted image (it can be resumed)")
		              : "");
	else
		snprintf(st->hint_id, sizeof(st->hint_id), "Letters, digits, '.', '_' or '-'; suggested from %s.",
		         st->d.host[0] ? "the Windows computer name" : st->d.source_serial[0] ? "the serial number"
		                                                                        : "the file name");
}

static void draw(tui_app *a, tui_screen *s, int y, int h, int w)
{
	case_st *st = s->st;
	derive_dir(st);
	id_note(st);
	st->f[2].hint = st->hint_id;
	ui_textf(y, 1, w - 2, "Source: %s (%s)%s%s", st->d.source, st->d.source_desc, st->d.host[0] ? ", host " : "",
	         st->d.host);
	ui_hline(y + 1, 0, w);
	ui_form_draw(a, &st->fm, y + 2, h - 2, w);
}

static int key(tui_app *a, tui_screen *s, int ch)
{
	case_st *st = s->st;
	if (ch == 27)
		return 0;
	int r = ui_form_key(&st->fm, ch);
	if (r == 2 || ch == KEY_F(5)) {
		const char *why = NULL;
		int bad = ui_form_invalid(&st->fm, &why);
		if (bad >= 0) {
			st->fm.focus = bad;
			app_msg(a, UI_WARN, "%s", why);
			return 1;
		}
		/* an existing case: its case number and examiner are kept in case.json */
		json_t *c = shodo_browse_case(st->d.case_dir, NULL);
		if (c) {
			const char *cn = json_string_value(json_object_get(c, "case_number"));
			if (cn && st->d.case_number[0] && strcmp(cn, st->d.case_number)) {
				char b[700];
				snprintf(b, sizeof(b), "The case folder %s belongs to case number '%s', not '%s'. Use it anyway? "
				         "(The difference is recorded in custody.)", st->d.case_dir, cn, st->d.case_number);
				if (!ui_confirm(a, "Another case?", b, "Use this folder", "Go back")) {
					json_decref(c);
					return 1;
				}
			}
			json_decref(c);
		}
		app_msg(a, UI_INFO, "%s", "");
		app_push(a, scr_options_new(a, &st->d));
		return 1;
	}
	return r != 0;
}

tui_screen *scr_case_new(tui_app *a, tui_draft *d)
{
	tui_screen *s = tui_screen_new("Case and evidence", "Up/Down move  Enter next  F5 go on  Esc back", help,
	                               sizeof(case_st));
	if (!s)
		return NULL;
	case_st *st = s->st;
	st->d = *d;
	s->draw = draw;
	s->key = key;
	s->text_input = 1;
	if (st->d.dest_is_case && !st->d.case_number[0]) {
		json_t *c = shodo_browse_case(st->d.case_dir, NULL);
		const char *cn = c ? json_string_value(json_object_get(c, "case_number")) : NULL;
		const char *ex = c ? json_string_value(json_object_get(c, "examiner")) : NULL;
		if (cn)
			snprintf(st->d.case_number, sizeof(st->d.case_number), "%s", cn);
		if (ex && !st->d.examiner[0])
			snprintf(st->d.examiner, sizeof(st->d.examiner), "%s", ex);
		json_decref(c);
	}
	if (!st->d.evidence_id[0])
		suggest_id(&st->d, st->d.evidence_id, sizeof(st->d.evidence_id));
	if (!st->d.dest_is_case && a->have_last && !strcmp(a->last.dest, st->d.dest))
		snprintf(st->auto_dir, sizeof(st->auto_dir), "%s", st->d.case_dir);
	else if (!st->d.dest_is_case)
		st->d.case_dir[0] = '\0';
	ui_field f[6] = {
		{"Case number", FF_TEXT, st->d.case_number, sizeof(st->d.case_number), NULL, NULL,
		 "The same for every disk of this case, e.g. HOSP-2021-001.", NULL, NULL, 0},
		{"Examiner", FF_TEXT, st->d.examiner, sizeof(st->d.examiner), NULL, NULL,
		 "Your name: recorded with every action in the chain of custody.", NULL, NULL, 0},
		{"Evidence ID", FF_TEXT, st->d.evidence_id, sizeof(st->d.evidence_id), NULL, NULL, NULL, check_id, st, 0},
		{"Description", FF_TEXT, st->d.description, sizeof(st->d.description), NULL, NULL,
		 "What this disk is, e.g. 'ward PC 7, system disk' (E01 header). May stay empty.", NULL, NULL, 0},
		{"Notes", FF_TEXT, st->d.notes, sizeof(st->d.notes), NULL, NULL,
		 "Anything else to record, e.g. 'seized 03:10, powered off' (E01 header). May stay empty.", NULL, NULL, 0},
		{"Case folder", FF_PATH, st->d.case_dir, sizeof(st->d.case_dir), NULL, NULL,
		 "Created when new; an existing case folder gets this disk as one more evidence item. Tab completes.",
		 check_dir, st, 0},
	};
	memcpy(st->f, f, sizeof(f));
	st->fm.f = st->f;
	st->fm.n = 6;
	st->fm.focus = st->d.case_number[0] ? 2 : 0;
	derive_dir(st);
	return s;
}
