/*
 * Destination: where the case folder goes.  The writable file systems with
 * their free space, volumes labelled SHODO_CASES (mounted on request), any
 * folder typed by hand; never the boot medium (except its SHODO_CASES
 * volume) and never the disk being read.  A write-protected disk is made
 * writable only with the deliberate step w (typed confirmation, logged).
 * The room an image needs is shown against each one: the worst case and
 * the size expected from a sample of the source.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include "tui.h"
#include "shodo/case.h"
#include "shodo/util.h"

typedef struct dest_st {
	tui_draft d;
	shodo_dest *v;
	int n;
	ui_list l;
	char error[512];
} dest_st;

static const char help[] =
	"Destination: where the case folder is written.\n"
	"\n"
	"Listed are the file systems shodo may write a case folder to, with their free space: those mounted "
	"read-write, and those not mounted yet (Enter mounts them). On the shodo stick every disk is write-protected "
	"by the kernel except volumes labelled SHODO_CASES (the stick's own case partition and prepared destination "
	"drives). To use another disk as the destination, select it and press w: you are asked to type its name, the "
	"kernel then lets shodo write to it, and the decision is logged.\n"
	"\n"
	"The disk being read and the disk shodo runs from are never offered.\n"
	"\n"
	"The top line says how much room the image needs: at most (nothing compresses) and the size expected from "
	"a sample of the source. A destination with less free space than the worst case is marked; one with less "
	"than the expected size will most likely run out (an image that runs out of room stops cleanly and can be "
	"resumed on another destination after moving the files).\n"
	"\n"
	"  Enter       use the selected destination (mounts it when needed)\n"
	"  w           make the selected disk writable, on purpose\n"
	"  r           look again\n"
	"  Esc         back to the devices\n";

static int needs_image(const tui_draft *d)
{
	return d->action != ACT_TRIAGE;
}

static void rescan(tui_app *a, dest_st *st)
{
	shodo_dest *v = NULL;
	int n = 0;
	shodo_err err;
	shodo_err_clear(&err);
	st->error[0] = '\0';
	if (shodo_dest_list(&v, &n, &err) != SHODO_OK) {
		ui_sentence(&err, st->error, sizeof(st->error));
		n = 0;
	}
	/* never the source's disk */
	int k = 0;
	for (int i = 0; i < n; i++)
		if (!st->d.source_disk[0] || strcmp(v[i].disk, st->d.source_disk))
			v[k++] = v[i];
	free(st->v);
	st->v = v;
	st->n = k;
	(void)a;
}

/* "fits", or why not */
static const char *fit(const tui_estimate *e, uint64_t avail, int mounted, char *out, size_t n)
{
	char a[32], b[32];
	if (!mounted)
		return "";
	if (e->state != 2) {
		snprintf(out, n, "free %s", ui_size(avail, a));
		return out;
	}
	if (avail >= e->size.worst_case)
		snprintf(out, n, "free %s, fits", ui_size(avail, a));
	else if (avail >= e->size.expected)
		snprintf(out, n, "free %s, MAY NOT FIT (worst case %s)", ui_size(avail, a), ui_size(e->size.worst_case, b));
	else
		snprintf(out, n, "free %s, WILL NOT FIT (expected %s)", ui_size(avail, a), ui_size(e->size.expected, b));
	return out;
}

static void estimate(tui_app *a, const tui_draft *d, tui_estimate *e)
{
	memset(e, 0, sizeof(*e));
	if (needs_image(d))
		bg_estimate(a, d->source, d->format, d->compression, d->segment[0] ? shodo_parse_size(d->segment) : 0, e);
	else
		e->state = 4;
}

static void draw(tui_app *a, tui_screen *s, int y, int h, int w)
{
	dest_st *st = s->st;
	tui_estimate e;
	estimate(a, &st->d, &e);
	char b1[32], b2[32];
	ui_textf(y, 1, w - 2, "Source: %s (%s)", st->d.source, st->d.source_desc);
	if (e.state == 4)
		ui_text(y + 1, 1, w - 2, "Triage only: the case folder needs little room (the copied artifacts, a few GB at most).");
	else if (e.state == 2)
		ui_textf(y + 1, 1, w - 2, "The image needs about %s (at most %s, %s%s).", ui_size(e.size.expected, b1),
		         ui_size(e.size.worst_case, b2), st->d.format == SHODO_IMAGE_RAW ? "raw" : "E01",
		         st->d.format == SHODO_IMAGE_RAW ? "" : st->d.compression == SHODO_COMPRESS_NONE ? ", no compression"
		                                                                                        : ", compressed");
	else if (e.state == 3)
		ui_textf(y + 1, 1, w - 2, "The image size could not be estimated: %s", e.error);
	else
		ui_text(y + 1, 1, w - 2, "Estimating the room the image needs ...");
	ui_hline(y + 2, 0, w);
	int rows = h - 4;
	int n = st->n + 1;
	ui_list_fit(&st->l, n, rows);
	for (int r = 0; r < rows && st->l.top + r < n; r++) {
		int i = st->l.top + r;
		char line[700], f[200] = "";
		if (i < st->n) {
			shodo_dest *v = &st->v[i];
			char lab[160] = "";
			if (v->label[0])
				snprintf(lab, sizeof(lab), " '%s'", v->label);
			const char *state = v->mounted_rw ? "" : v->read_only ? "write-protected (w makes it writable)"
			                                                      : "not mounted (Enter mounts it)";
			char room[200] = "";
			if (v->mounted_rw && e.state == 4)
				snprintf(room, sizeof(room), "free %s", ui_size(v->avail, b2));
			else if (v->mounted_rw)
				fit(&e, v->avail, 1, room, sizeof(room));
			snprintf(line, sizeof(line), "%-14s %-6s %10s%s  %s%s%s", v->partition, v->fstype, ui_size(v->size, b1), lab,
			         state, room, v->mounted_rw ? "  on " : "");
			if (v->mounted_rw)
				snprintf(line + strlen(line), sizeof(line) - strlen(line), "%s", v->mountpoint);
			(void)f;
		} else {
			snprintf(line, sizeof(line), "Another folder ... (type the path of a case folder)");
		}
		int sel = i == st->l.sel;
		ui_attr_sel(sel);
		ui_clear(y + 3 + r, 0, w);
		ui_text(y + 3 + r, 0, 2, sel ? ">" : " ");
		if (i < st->n && st->v[i].cases_label && !sel)
			ui_attr_head(1);
		ui_text(y + 3 + r, 2, w - 2, line);
		ui_attr_head(0);
		ui_attr_sel(0);
	}
	if (!st->n)
		ui_text_wrap(y + 4, 2, w - 4, 3, st->error[0] ? st->error
		                                      : "No writable file system found on another disk: choose 'Another folder' "
		                                        "or plug in a destination drive and press r.");
	if (st->d.dest_note[0])
		ui_textf(y + h - 1, 1, w - 2, "Done here: %s", st->d.dest_note);
}

/* the device number of the source disk, to keep the case off it */
static int on_source(const tui_draft *d, const char *path)
{
	struct stat st;
	if (!d->source_disk[0] || stat(d->source_disk, &st) != 0)
		return 0;
	return shodo_path_on_device(path, st.st_rdev);
}

typedef struct folder_ctx {
	const tui_draft *d;
	char why[600];
} folder_ctx;

static const char *check_folder(const char *p, void *ud)
{
	folder_ctx *c = ud;
	struct stat st;
	if (!*p)
		return "type the path of the case folder (it is created when it does not exist)";
	if (p[0] != '/')
		return "give the whole path, starting with /";
	if (stat(p, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			return "this is a file, not a folder";
		if (access(p, W_OK) != 0)
			return "shodo may not write into this folder (read-only or not yours)";
	} else {
		char parent[1024];
		snprintf(parent, sizeof(parent), "%s", p);
		char *sl = strrchr(parent, '/');
		if (sl && sl != parent)
			*sl = '\0';
		else
			snprintf(parent, sizeof(parent), "/");
		if (stat(parent, &st) != 0 || !S_ISDIR(st.st_mode)) {
			snprintf(c->why, sizeof(c->why), "the folder '%s' does not exist", parent);
			return c->why;
		}
		if (access(parent, W_OK) != 0) {
			snprintf(c->why, sizeof(c->why), "shodo may not create a folder in '%s'", parent);
			return c->why;
		}
	}
	/* /proc, /sys and the like take no files, whatever access() says to root */
	char where[1024];
	snprintf(where, sizeof(where), "%s", p);
	struct statvfs vf;
	while (statvfs(where, &vf) != 0) {
		char *sl = strrchr(where, '/');
		if (!sl || sl == where) {
			snprintf(where, sizeof(where), "/");
			if (statvfs(where, &vf) != 0)
				return NULL;
			break;
		}
		*sl = '\0';
	}
	if (vf.f_blocks == 0)
		return "this is not a file system for files (like /proc or /sys): choose a folder on a disk";
	if (vf.f_flag & ST_RDONLY)
		return "this file system is read-only: choose a writable destination";
	if (on_source(c->d, p))
		return "this folder is on the disk being read: a case folder never goes onto a source";
	return NULL;
}

static void go_on(tui_app *a, dest_st *st, uint64_t avail, int known)
{
	tui_estimate e;
	estimate(a, &st->d, &e);
	if (known && e.state == 2 && avail < e.size.expected) {
		char b[600], x[32], y[32];
		snprintf(b, sizeof(b), "The image will not fit on this destination: %s free, the image needs about %s. "
		                       "Choose a larger destination (or triage only).", ui_size(avail, x),
		         ui_size(e.size.expected, y));
		ui_message(a, "Not enough room", b);
		return;
	}
	if (known && e.state == 2 && avail < e.size.worst_case) {
		char b[600], x[32], y[32], z[32];
		snprintf(b, sizeof(b), "The image may not fit on this destination: %s free, the image needs about %s and at "
		                       "most %s. An image that runs out of room stops and can be resumed elsewhere. Use "
		                       "this destination anyway?",
		         ui_size(avail, x), ui_size(e.size.expected, y), ui_size(e.size.worst_case, z));
		if (!ui_confirm(a, "Not enough room?", b, "Use it anyway", "Choose another"))
			return;
		app_log(a, UI_WARN, "destination '%s' chosen although the image may not fit (%s free)", st->d.dest, x);
	}
	app_log(a, UI_INFO, "destination chosen: '%s'", st->d.dest);
	app_push(a, scr_case_new(a, &st->d));
}

static void choose(tui_app *a, dest_st *st)
{
	if (st->l.sel >= st->n) {
		folder_ctx c = {&st->d, ""};
		char p[512];
		snprintf(p, sizeof(p), "%s", st->d.dest_is_case ? st->d.case_dir : "");
		if (!ui_input(a, "Case folder", "The case folder: an existing case, or a new folder to create:", p, sizeof(p),
		              check_folder, &c, 1))
			return;
		size_t l = strlen(p);
		while (l > 1 && p[l - 1] == '/')
			p[--l] = '\0';
		snprintf(st->d.dest, sizeof(st->d.dest), "%s", p);
		snprintf(st->d.case_dir, sizeof(st->d.case_dir), "%s", p);
		st->d.dest_is_case = 1;
		uint64_t avail = 0;
		go_on(a, st, avail, shodo_dest_space(p, &avail, NULL) == 0);
		return;
	}
	shodo_dest *v = &st->v[st->l.sel];
	if (!v->mounted_rw) {
		if (v->read_only) {
			char b[400];
			snprintf(b, sizeof(b), "%s is write-protected by the kernel. If it is your destination drive, press w to "
			                       "make it writable on purpose.", v->disk);
			ui_message(a, "Write-protected", b);
			return;
		}
		char b[600];
		snprintf(b, sizeof(b), "Mount %s (%s%s%s%s) so that the case folder can be written to it?", v->partition,
		         v->fstype, v->label[0] ? ", label '" : "", v->label, v->label[0] ? "'" : "");
		if (!ui_confirm(a, "Mount the destination", b, "Mount it", "Cancel"))
			return;
		char mp[512];
		shodo_err err;
		shodo_err_clear(&err);
		if (shodo_dest_mount(v, NULL, mp, sizeof(mp), &err) != SHODO_OK) {
			char s[1400];
			ui_sentence(&err, s, sizeof(s));
			ui_message(a, "Cannot mount", s);
			return;
		}
		app_log(a, UI_INFO, "destination %s (%s) mounted at '%s'", v->partition, v->label, mp);
		snprintf(st->d.dest_note, sizeof(st->d.dest_note), "mounted %s at %s", v->partition, mp);
		snprintf(v->mountpoint, sizeof(v->mountpoint), "%s", mp);
		v->mounted_rw = 1;
		shodo_dest_space(mp, &v->avail, &v->total);
	}
	snprintf(st->d.dest, sizeof(st->d.dest), "%s", v->mountpoint);
	st->d.dest_is_case = 0;
	st->d.case_dir[0] = '\0';
	go_on(a, st, v->avail, 1);
}

static void unlock(tui_app *a, dest_st *st)
{
	if (st->l.sel >= st->n) {
		app_msg(a, UI_INFO, "select a disk in the list first");
		return;
	}
	shodo_dest *v = &st->v[st->l.sel];
	if (!v->read_only) {
		app_msg(a, UI_INFO, "%s is already writable", v->disk);
		return;
	}
	char b[700];
	snprintf(b, sizeof(b), "Make %s (%s, serial %s) WRITABLE? Only a destination drive may be made writable: never "
	                       "a disk that is evidence. The decision is logged.",
	         v->disk, v->model[0] ? v->model : "no model", v->serial[0] ? v->serial : "unknown");
	if (!ui_confirm_typed(a, "Make a disk writable", b, v->disk)) {
		app_msg(a, UI_INFO, "not changed: %s stays write-protected", v->disk);
		return;
	}
	shodo_err err;
	shodo_err_clear(&err);
	if (shodo_dest_unlock(v->disk, "the shodo front end", a->ro_log, &err) != SHODO_OK) {
		char s[1400];
		ui_sentence(&err, s, sizeof(s));
		ui_message(a, "Not made writable", s);
		return;
	}
	app_log(a, UI_WARN, "%s (model '%s', serial '%s') made writable on purpose as a destination", v->disk, v->model,
	        v->serial);
	snprintf(st->d.dest_note, sizeof(st->d.dest_note), "made %s writable", v->disk);
	app_msg(a, UI_INFO, "%s is writable now: press Enter to mount and use it", v->disk);
	char keep[80];
	snprintf(keep, sizeof(keep), "%s", v->partition);
	rescan(a, st);
	for (int i = 0; i < st->n; i++)
		if (!strcmp(st->v[i].partition, keep))
			st->l.sel = i;
}

static int key(tui_app *a, tui_screen *s, int ch)
{
	dest_st *st = s->st;
	if (ui_list_key(&st->l, ch, st->n + 1, a->H - 7))
		return 1;
	switch (ch) {
	case '\n':
	case '\r':
	case KEY_ENTER:
		choose(a, st);
		return 1;
	case 'w':
		unlock(a, st);
		return 1;
	case 'r':
		rescan(a, st);
		return 1;
	default:
		return 0;
	}
}

static void destroy(tui_screen *s)
{
	dest_st *st = s->st;
	free(st->v);
}

tui_screen *scr_dest_new(tui_app *a, tui_draft *d)
{
	tui_screen *s = tui_screen_new("Destination", "Enter use  w make disk writable  r rescan  Esc back", help,
	                               sizeof(dest_st));
	if (!s)
		return NULL;
	dest_st *st = s->st;
	st->d = *d;
	s->draw = draw;
	s->key = key;
	s->destroy = destroy;
	rescan(a, st);
	/* preselect the destination used last, else the first SHODO_CASES volume, else another folder */
	st->l.sel = st->n;
	for (int i = st->n - 1; i >= 0; i--)
		if (st->v[i].cases_label)
			st->l.sel = i;
	if (d->dest[0] && !d->dest_is_case)
		for (int i = 0; i < st->n; i++)
			if (!strcmp(st->v[i].mountpoint, d->dest))
				st->l.sel = i;
	if (d->dest_is_case)
		st->l.sel = st->n;
	return s;
}
