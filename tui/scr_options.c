/*
 * Action and options: triage only (minutes), image only, or triage then
 * image; the options the subcommands have, each with its default shown.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tui.h"
#include "shodo/hash.h"
#include "shodo/util.h"

typedef struct opt_st {
	tui_draft d;
	ui_form fm;
	ui_field f[9];
	int action, format, compression, verify, profile;
	char hashes[64];
	char why[300];
} opt_st;

static const char *const actions[] = {"triage, then image", "triage only", "image only", NULL};
static const char *const formats[] = {"E01", "raw", NULL};
static const char *const compressions[] = {"fast", "best", "none", NULL};
static const char *const yesno[] = {"yes", "no", NULL};
static const char *const profiles[] = {"quick", "full", NULL};

static const char help[] =
	"Action and options.\n"
	"\n"
	"  Action        triage first (minutes: the scoping answers) and then the image (hours) is the usual order "
	"at a site where not every disk can be imaged; 'triage only' leaves the disk for later; 'image only' "
	"preserves it without reading the artifacts\n"
	"  Format        E01 (default: read by ewfverify, FTK, EnCase, X-Ways, Autopsy, The Sleuth Kit) or raw\n"
	"  Compression   E01 only: fast (default, about the speed of the disk), best (smaller, slower), none\n"
	"  Segment size  E01: 2G by default; raw: one file unless a size is given (e.g. 4G, 640M)\n"
	"  Hashes        md5,sha1,sha256 (default: all three; MD5 and SHA-1 go into the E01)\n"
	"  Verify        read the image back after writing and compare (default yes)\n"
	"  Profile       quick (default): event logs, registry, prefetch, notes, tasks, executables in user-writable "
	"places; full: also $MFT, $UsnJrnl and every file of the volume listed\n"
	"  Since/Until   the incident window, ISO 8601 (2021-05-03T01:00Z); empty: the 30 days before the newest "
	"event found\n"
	"\n"
	"Left/Right or Space change a choice; Enter on the last field goes to the confirmation.";

static const char *check_seg(const char *s, void *ud)
{
	(void)ud;
	if (!*s)
		return NULL;
	uint64_t v = shodo_parse_size(s);
	if (!v)
		return "not a size: use a number with K, M, G or T (e.g. 2G, 640M), or leave it empty";
	if (v < (1u << 20))
		return "a segment must be 1M or larger";
	return NULL;
}

static const char *check_hashes(const char *s, void *ud)
{
	(void)ud;
	if (!*s)
		return "name at least one hash: md5, sha1, sha256";
	if (!shodo_hash_parse_list(s))
		return "unknown hash name: use md5, sha1 and sha256, separated by commas";
	return NULL;
}

static const char *check_time(const char *s, void *ud)
{
	opt_st *st = ud;
	time_t t;
	if (!*s)
		return NULL;
	if (shodo_parse_iso(s, &t) < 0) {
		snprintf(st->why, sizeof(st->why), "'%s' is not an ISO 8601 time: e.g. 2021-05-03 or 2021-05-03T01:00Z", s);
		return st->why;
	}
	return NULL;
}

static void update_hidden(opt_st *st)
{
	int img = st->action != 1, tri = st->action != 2;
	st->f[1].hidden = !img;
	st->f[2].hidden = !img || st->format == 1;
	st->f[3].hidden = !img;
	st->f[4].hidden = !img;
	st->f[5].hidden = !img;
	st->f[6].hidden = !tri;
	st->f[7].hidden = !tri;
	st->f[8].hidden = !tri;
	st->f[3].hint = st->format == 1 ? "Raw: empty = one file; a size splits it into .001, .002 ..."
	                                : "E01: empty = 2G segments (.E01, .E02 ...).";
}

static void draw(tui_app *a, tui_screen *s, int y, int h, int w)
{
	opt_st *st = s->st;
	update_hidden(st);
	ui_textf(y, 1, w - 2, "Source: %s   Evidence: %s   Case: %s", st->d.source, st->d.evidence_id, st->d.case_dir);
	ui_hline(y + 1, 0, w);
	ui_form_draw(a, &st->fm, y + 2, h - 2, w);
}

static void to_draft(opt_st *st)
{
	static const tui_action am[] = {ACT_TRIAGE_IMAGE, ACT_TRIAGE, ACT_IMAGE};
	static const int cm[] = {SHODO_COMPRESS_FAST, SHODO_COMPRESS_BEST, SHODO_COMPRESS_NONE};
	st->d.action = am[st->action];
	st->d.format = st->format == 1 ? SHODO_IMAGE_RAW : SHODO_IMAGE_E01;
	st->d.compression = cm[st->compression];
	st->d.verify = st->verify == 0;
	st->d.profile = st->profile == 1 ? SHODO_PROFILE_FULL : SHODO_PROFILE_QUICK;
	st->d.hashes = shodo_hash_parse_list(st->hashes);
}

static int key(tui_app *a, tui_screen *s, int ch)
{
	opt_st *st = s->st;
	if (ch == 27)
		return 0;
	update_hidden(st);
	int r = ui_form_key(&st->fm, ch);
	update_hidden(st);
	if (r == 2 || ch == KEY_F(5)) {
		const char *why = NULL;
		int bad = ui_form_invalid(&st->fm, &why);
		if (bad >= 0) {
			st->fm.focus = bad;
			app_msg(a, UI_WARN, "%s", why);
			return 1;
		}
		to_draft(st);
		app_push(a, scr_confirm_new(a, &st->d));
		return 1;
	}
	return r != 0;
}

tui_screen *scr_options_new(tui_app *a, tui_draft *d)
{
	tui_screen *s = tui_screen_new("Action and options", "Left/Right change  Enter next  F5 go on  Esc back", help, sizeof(opt_st));
	if (!s)
		return NULL;
	opt_st *st = s->st;
	st->d = *d;
	(void)a;
	st->action = d->action == ACT_TRIAGE ? 1 : d->action == ACT_IMAGE ? 2 : 0;
	st->format = d->format == SHODO_IMAGE_RAW;
	st->compression = d->compression == SHODO_COMPRESS_BEST ? 1 : d->compression == SHODO_COMPRESS_NONE ? 2 : 0;
	st->verify = !d->verify;
	st->profile = d->profile == SHODO_PROFILE_FULL;
	int hs = d->hashes ? d->hashes : SHODO_HASH_ALL;
	snprintf(st->hashes, sizeof(st->hashes), "%s%s%s%s%s", hs & SHODO_HASH_MD5 ? "md5" : "",
	         (hs & SHODO_HASH_MD5) && (hs & 6) ? "," : "", hs & SHODO_HASH_SHA1 ? "sha1" : "",
	         (hs & SHODO_HASH_SHA1) && (hs & SHODO_HASH_SHA256) ? "," : "", hs & SHODO_HASH_SHA256 ? "sha256" : "");
	ui_field f[9] = {
		{"Action", FF_CHOICE, NULL, 0, actions, &st->action,
		 "Default: triage first (minutes), then the image. t/i pick a choice by its first letter.", NULL, NULL, 0},
		{"Format", FF_CHOICE, NULL, 0, formats, &st->format,
		 "Default: E01 (ewfverify, FTK, EnCase, X-Ways and Autopsy read it).", NULL, NULL, 0},
		{"Compression", FF_CHOICE, NULL, 0, compressions, &st->compression,
		 "Default: fast (about the speed of the disk); best is smaller and slower.", NULL, NULL, 0},
		{"Segment size", FF_TEXT, st->d.segment, sizeof(st->d.segment), NULL, NULL, NULL, check_seg, st, 0},
		{"Hashes", FF_TEXT, st->hashes, sizeof(st->hashes), NULL, NULL,
		 "Default: md5,sha1,sha256 (MD5 and SHA-1 are stored in the E01 too).", check_hashes, st, 0},
		{"Verify", FF_CHOICE, NULL, 0, yesno, &st->verify,
		 "Default: yes: the image is read back and its hashes compared after writing.", NULL, NULL, 0},
		{"Triage profile", FF_CHOICE, NULL, 0, profiles, &st->profile,
		 "Default: quick (minutes); full adds $MFT, $UsnJrnl and a list of every file.", NULL, NULL, 0},
		{"Since", FF_TEXT, st->d.since, sizeof(st->d.since), NULL, NULL,
		 "Start of the incident window (ISO 8601). Default (empty): 30 days before the newest event.", check_time, st,
		 0},
		{"Until", FF_TEXT, st->d.until, sizeof(st->d.until), NULL, NULL,
		 "End of the incident window (ISO 8601). Default (empty): the newest event found.", check_time, st, 0},
	};
	memcpy(st->f, f, sizeof(f));
	if (d->source_no_fs && !d->source_e01)
		st->f[0].hint = "No file system shodo can read was found on this source, so image only is chosen: a triage "
		                "would find nothing. t/i pick a choice by its first letter.";
	st->fm.f = st->f;
	st->fm.n = 9;
	s->draw = draw;
	s->key = key;
	s->text_input = 1;
	update_hidden(st);
	return s;
}
