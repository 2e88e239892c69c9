/*
 * Confirmation: "you are about to ..." with the source (model, serial,
 * size), the destination, the case and evidence ID, what will run with
 * which options, and whether the image fits.  Nothing starts without this
 * screen's Start.  An interrupted image of the same evidence is resumed
 * (and said so); a finished one is never overwritten.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "tui.h"
#include "shodo/hash.h"
#include "shodo/util.h"

typedef struct conf_st {
	tui_draft d;
	tui_job_kind kind;
	int blocked;
	char plan_note[600];
	int choice;              /* 0 start, 1 back */
	int top;
	double planned;          /* when the case folder was last read */
} conf_st;

static const char help[] =
	"Confirmation: read it before starting.\n"
	"\n"
	"This screen names the disk or file that will be read (model, serial number, size), where the case folder "
	"is, the case and evidence ID, and what will run with which options. Nothing has been written anywhere yet; "
	"nothing starts until you choose Start.\n"
	"\n"
	"When the case already holds an interrupted image of this evidence ID, it is resumed with the options it was "
	"started with. A complete image or triage is never overwritten: go back and choose another evidence ID.\n"
	"\n"
	"  Enter / s   start (when Start is selected)\n"
	"  Left/Right  choose Start or Go back\n"
	"  Esc         go back and change something\n";

static void plan(conf_st *st)
{
	tui_draft *d = &st->d;
	int tri = jobs_triage_finished(d->case_dir, d->evidence_id);
	int img = jobs_image_complete(d->case_dir, d->evidence_id);
	tui_draft was = *d;
	int intr = jobs_image_interrupted(d->case_dir, d->evidence_id, &was);
	st->blocked = 0;
	st->plan_note[0] = '\0';
	d->resume = 0;
	st->kind = d->action == ACT_TRIAGE ? TJ_TRIAGE : d->action == ACT_IMAGE ? TJ_IMAGE : TJ_TRIAGE_IMAGE;
	char who[300];
	if (shodo_case_evidence_writer(d->case_dir, d->evidence_id, who, sizeof(who))) {
		st->blocked = 1;
		snprintf(st->plan_note, sizeof(st->plan_note), "Evidence %s is being written right now by %s. Wait for it "
		         "to finish, or go back (Esc) and choose another evidence ID.", d->evidence_id, who);
		return;
	}
	if (d->source_e01 && st->kind != TJ_TRIAGE) {
		st->blocked = 1;
		snprintf(st->plan_note, sizeof(st->plan_note), "%s is an E01 image already: it is not imaged again. Go back "
		         "(Esc) and choose triage only; 'shodo verify' checks the image itself.", d->source);
		return;
	}
	if (st->kind != TJ_TRIAGE && img) {
		st->blocked = 1;
		snprintf(st->plan_note, sizeof(st->plan_note), "This case already holds a complete image of %s. It is never "
		         "overwritten: go back (Esc) and choose another evidence ID.", d->evidence_id);
		return;
	}
	if (st->kind == TJ_TRIAGE && tri) {
		st->blocked = 1;
		snprintf(st->plan_note, sizeof(st->plan_note), "This case already holds a triage of %s. It is never "
		         "overwritten: go back (Esc) and choose another evidence ID (e.g. %s-2).", d->evidence_id,
		         d->evidence_id);
		return;
	}
	if (st->kind == TJ_TRIAGE_IMAGE && tri) {
		st->kind = TJ_IMAGE;
		snprintf(st->plan_note, sizeof(st->plan_note), "The triage of %s was done earlier: only the image runs now.",
		         d->evidence_id);
	}
	if (st->kind != TJ_TRIAGE && intr) {
		d->resume = 1;
		d->format = was.format;
		d->compression = was.compression;
		size_t l = strlen(st->plan_note);
		snprintf(st->plan_note + l, sizeof(st->plan_note) - l, "%sAn interrupted image of %s is in the case: it is "
		         "RESUMED with the format and compression it was started with.", l ? " " : "", d->evidence_id);
	}
}

static void hashes_text(int h, char *out, size_t n)
{
	h = h ? h : SHODO_HASH_ALL;
	snprintf(out, n, "%s%s%s%s%s", h & SHODO_HASH_MD5 ? "MD5" : "", (h & SHODO_HASH_MD5) && (h & 6) ? ", " : "",
	         h & SHODO_HASH_SHA1 ? "SHA-1" : "", (h & SHODO_HASH_SHA1) && (h & SHODO_HASH_SHA256) ? ", " : "",
	         h & SHODO_HASH_SHA256 ? "SHA-256" : "");
}

static void draw(tui_app *a, tui_screen *s, int y, int h, int w)
{
	conf_st *st = s->st;
	tui_draft *d = &st->d;
	char b[1600], x1[32], x2[32], x3[32];
	int r = y, L = 15, vw = w - L - 2;
#define ROW(label, ...)                                          \
	do {                                                         \
		if (r < y + h - 2) {                                     \
			ui_attr_head(1);                                     \
			ui_text(r, 1, L, label);                             \
			ui_attr_head(0);                                     \
			snprintf(b, sizeof(b), __VA_ARGS__);                 \
			r += ui_text_wrap(r, L + 1, vw, y + h - 2 - r, b);   \
		}                                                        \
	} while (0)
	static const char *const what[] = {"TRIAGE", "IMAGE", "TRIAGE, THEN IMAGE", "VERIFY"};
	ui_attr_head(1);
	ui_textf(r++, 1, w - 2, "You are about to %s%s:", what[st->kind], d->resume ? " (RESUME)" : "");
	ui_attr_head(0);
	r++;
	ROW("Source", "%s", d->source);
	if (d->source_disk[0])
		ROW("", "%s, serial %s, %s", d->source_model[0] ? d->source_model : "no model",
		    d->source_serial[0] ? d->source_serial : "unknown", ui_size(d->source_size, x1));
	else
		ROW("", "%s", d->source_desc);
	if (d->host[0] || d->os[0])
		ROW("", "Windows: %s%s%s", d->host[0] ? d->host : "(no name)", d->os[0] ? ", " : "", d->os);
	uint64_t avail = 0;
	int known = shodo_dest_space(d->case_dir, &avail, NULL) == 0;
	ROW("Case folder", "%s%s%s%s", d->case_dir, known ? " (" : "", known ? ui_size(avail, x1) : "",
	    known ? " free)" : "");
	if (d->dest_note[0])
		ROW("", "(%s)", d->dest_note);
	ROW("Case number", "%s", d->case_number[0] ? d->case_number : "(none)");
	ROW("Examiner", "%s", d->examiner[0] ? d->examiner : "(none)");
	ROW("Evidence ID", "%s", d->evidence_id);
	if (d->description[0])
		ROW("Description", "%s", d->description);
	if (d->notes[0])
		ROW("Notes", "%s", d->notes);
	int step = 1;
	if (st->kind == TJ_TRIAGE || st->kind == TJ_TRIAGE_IMAGE)
		ROW(step == 1 ? "What runs" : "", "%d. triage, %s profile, incident window %s%s%s, into %s/triage/", step++,
		    d->profile == SHODO_PROFILE_FULL ? "full" : "quick", d->since[0] || d->until[0] ? d->since : "automatic",
		    d->since[0] || d->until[0] ? " .. " : "", d->until, d->evidence_id);
	if (st->kind == TJ_IMAGE || st->kind == TJ_TRIAGE_IMAGE) {
		char hs[64];
		hashes_text(d->hashes, hs, sizeof(hs));
		ROW(step == 1 ? "What runs" : "", "%d. %simage: %s%s%s, %s segments, %s, %s, into %s/image/", step,
		    d->resume ? "resume the " : "", d->format == SHODO_IMAGE_RAW ? "raw" : "E01",
		    d->format == SHODO_IMAGE_RAW ? "" : ", compression ",
		    d->format == SHODO_IMAGE_RAW ? "" : d->compression == SHODO_COMPRESS_BEST ? "best"
		                                        : d->compression == SHODO_COMPRESS_NONE ? "none" : "fast",
		    d->segment[0] ? d->segment : d->format == SHODO_IMAGE_RAW ? "no" : "2G", hs,
		    d->verify ? "verified after writing" : "NOT verified", d->evidence_id);
		tui_estimate e;
		bg_estimate(a, d->source, d->format, d->compression, d->segment[0] ? shodo_parse_size(d->segment) : 0, &e);
		if (e.state == 2) {
			int warn = known && avail < e.size.worst_case;
			if (known && avail < e.size.expected && !d->resume && !st->blocked) {
				st->blocked = 1;
				snprintf(st->plan_note, sizeof(st->plan_note), "The image will not fit: go back (Esc) and choose "
				         "a destination with more room, or triage only.");
			}
			if (warn)
				ui_attr_warn(a, 1);
			ROW("Room", "the image needs about %s, at most %s; %s free%s", ui_size(e.size.expected, x1),
			    ui_size(e.size.worst_case, x2), known ? ui_size(avail, x3) : "?",
			    !known ? "" : avail >= e.size.worst_case ? ": it fits" : avail >= e.size.expected ? ": IT MAY NOT FIT"
			                                                                             : ": IT WILL NOT FIT");
			ui_attr_warn(a, 0);
		} else {
			ROW("Room", "%s", e.state == 3 ? e.error : "estimating ...");
		}
	}
	if (st->plan_note[0]) {
		if (st->blocked)
			ui_attr_warn(a, 1);
		else
			ui_attr_head(1);
		ROW("Note", "%s", st->plan_note);
		ui_attr_warn(a, 0);
		ui_attr_head(0);
	}
	ROW("", "The source is only read; nothing is written to it.");
#undef ROW
	int by = y + h - 1;
	int x = 2;
	if (!st->blocked) {
		ui_attr_sel(st->choice == 0);
		x += ui_text(by, x, w - x, "[ Start ]");
		ui_attr_sel(0);
		x += 2;
	}
	ui_attr_sel(st->choice == 1 || st->blocked);
	ui_text(by, x, w - x, "[ Go back ]");
	ui_attr_sel(0);
}

static void start(tui_app *a, conf_st *st)
{
	tui_job *j = jobs_start(a, st->kind, &st->d);
	if (!j)
		return;
	a->last = st->d;
	a->last.resume = 0;
	a->have_last = 1;
	app_msg(a, UI_INFO, "started: %s", j->label);
	app_pop_to_home(a);
	app_push(a, scr_jobs_new(a));
}

static int key(tui_app *a, tui_screen *s, int ch)
{
	conf_st *st = s->st;
	switch (ch) {
	case KEY_LEFT:
	case KEY_RIGHT:
	case '\t':
		if (!st->blocked)
			st->choice = !st->choice;
		return 1;
	case 's':
		if (!st->blocked)
			start(a, st);
		return 1;
	case '\n':
	case '\r':
	case KEY_ENTER:
		if (st->blocked || st->choice == 1)
			app_pop(a);
		else
			start(a, st);
		return 1;
	default:
		return 0;
	}
}

static void tick(tui_app *a, tui_screen *s)
{
	conf_st *st = s->st;
	(void)a;
	/* another job may change the case meanwhile: look again every two seconds */
	if (shodo_monotonic() - st->planned > 2.0) {
		plan(st);
		st->planned = shodo_monotonic();
	}
}

tui_screen *scr_confirm_new(tui_app *a, tui_draft *d)
{
	tui_screen *s = tui_screen_new("Confirm", "Enter start  Left/Right choose  Esc back", help,
	                               sizeof(conf_st));
	if (!s)
		return NULL;
	conf_st *st = s->st;
	st->d = *d;
	s->draw = draw;
	s->key = key;
	s->tick = tick;
	plan(st);
	st->planned = shodo_monotonic();
	(void)a;
	return s;
}
