/*
 * Devices: every disk with its size, model, serial, transport and
 * read-only state, its partitions with file system, label and size, and
 * the Windows host name and version found on them (a background peek of at
 * most two seconds per source); image files and E01 sets the user adds.
 * The boot medium and the destination's disk are marked and cannot be
 * chosen.  The selection follows the source (its path), never a row
 * number, so adding files or plugging in disks never moves it.
 */
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "tui.h"
#include "shodo/hash.h"
#include "shodo/source.h"
#include "shodo/util.h"

typedef struct src_item {
	char key[512];           /* the path: the identity of the row */
	int is_file;
	shodo_device dev;
	uint64_t size;
	char kind[64];           /* files: "raw image", "E01 set, 3 segments" */
	int blocked;             /* cannot be a source: 1 boot medium or live system, 2 destination,
	                          * 3 mounted read-write, 4 a damaged E01 set */
	char why[700];
	int mounted_rw;
} src_item;

typedef struct dev_st {
	src_item *items;
	int n;
	char sel[512];
	int top;                 /* first line shown */
	double last_refresh;
	char error[512];
} dev_st;

static const char help[] =
	"Devices: choose what to read.\n"
	"\n"
	"Every disk is listed with its size, model, serial number, bus and whether the kernel lets anything write "
	"to it (on the shodo stick every suspect disk is read-only). Below each disk its partitions: file system, "
	"label, size, and the Windows computer name and version where shodo could read them from the registry in a "
	"second or two.\n"
	"\n"
	"The disk shodo runs from (the boot medium) and the disk holding the case folder (the destination) are "
	"marked and cannot be chosen. A disk with a file system mounted read-write cannot be chosen either: unmount "
	"it first.\n"
	"\n"
	"  Up/Down     choose a disk or file (the selection stays on it when the list changes)\n"
	"  Enter       use it: next, the destination, the case and the options; nothing starts before you confirm\n"
	"  a           add an image file: raw (.dd, .raw, .img, .001) or E01 (give the .E01 of the set); it goes to the end of the list and the selection stays where it is\n"
	"  x           remove an added file from the list\n"
	"  r           look for disks again (also every few seconds)\n"
	"  o           open an existing case folder to review it\n";

static void file_kind(const char *path, char *out, size_t n, uint64_t *size)
{
	struct stat st;
	*size = stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
	const char *dot = strrchr(path, '.');
	if (dot && (!strcasecmp(dot, ".E01") || !strcasecmp(dot, ".Ex01"))) {
		char pat[600];
		glob_t g;
		snprintf(pat, sizeof(pat), "%.*s.[EeFf][0-9A-Za-z][0-9A-Za-z]", (int)(dot - path), path);
		int segs = glob(pat, 0, NULL, &g) == 0 ? (int)g.gl_pathc : 1;
		if (segs)
			globfree(&g);
		snprintf(out, n, "E01 set, %d segment%s", segs, segs == 1 ? "" : "s");
	} else if (dot && !strcmp(dot, ".001")) {
		snprintf(out, n, "split raw image");
	} else {
		snprintf(out, n, "raw image");
	}
}

static void rescan(tui_app *a, dev_st *d)
{
	shodo_device *devs = NULL;
	int nd = 0;
	shodo_err err;
	shodo_err_clear(&err);
	d->error[0] = '\0';
	if (shodo_devices_list(&devs, &nd, &err) != SHODO_OK) {
		ui_sentence(&err, d->error, sizeof(d->error));
		nd = 0;
	}
	src_item *items = calloc((size_t)(nd + a->nfiles) + 1, sizeof(*items));
	if (!items) {
		free(devs);
		return;
	}
	int n = 0;
	/* the destination in use or remembered: its disk cannot be a source */
	const char *dest = a->have_last ? a->last.case_dir : "";
	for (int i = 0; i < nd; i++) {
		src_item *it = &items[n++];
		it->dev = devs[i];
		snprintf(it->key, sizeof(it->key), "%s", devs[i].path);
		it->size = devs[i].size;
		for (int m = 0; m < devs[i].nmounts; m++)
			it->mounted_rw |= devs[i].mounts[m].read_write;
		struct stat st;
		if (!shodo_device_is_source_candidate(&devs[i])) {
			it->blocked = 1;
			snprintf(it->why, sizeof(it->why), "%s", devs[i].boot_medium ? "it holds the running system (the boot medium)"
			                                                              : "it belongs to the running live system");
		} else if (dest[0] && stat(devs[i].path, &st) == 0 && shodo_path_on_device(dest, st.st_rdev)) {
			it->blocked = 2;
			snprintf(it->why, sizeof(it->why), "it holds the case folder '%s' (the destination)", dest);
		} else if (it->mounted_rw) {
			it->blocked = 3;
			snprintf(it->why, sizeof(it->why), "a file system on it is mounted read-write; unmount it first");
		}
	}
	for (int i = 0; i < a->nfiles; i++) {
		src_item *it = &items[n++];
		it->is_file = 1;
		snprintf(it->key, sizeof(it->key), "%s", a->files[i]);
		file_kind(a->files[i], it->kind, sizeof(it->kind), &it->size);
		shodo_err_clear(&err);
		if (!strncmp(it->kind, "E01", 3) && shodo_ewf_check(a->files[i], &err) != SHODO_OK) {
			/* a missing or damaged segment: say so now, not when a job starts */
			it->blocked = 4;
			snprintf(it->why, sizeof(it->why), "%s%s%s", err.msg, err.hint[0] ? "; " : "", err.hint);
			snprintf(it->kind, sizeof(it->kind), "E01 set, DAMAGED");
		}
	}
	/* devices in the engine's order (source candidates first), then the files */
	free(d->items);
	d->items = items;
	d->n = n;
	free(devs);
	d->last_refresh = shodo_monotonic();
	/* keep the selection on the same source; else the first one that can be chosen */
	int found = 0;
	for (int i = 0; i < n; i++)
		found |= !strcmp(items[i].key, d->sel);
	if (!found && n) {
		int k = 0;
		for (int i = n - 1; i >= 0; i--)
			if (!items[i].blocked)
				k = i;
		snprintf(d->sel, sizeof(d->sel), "%s", items[k].key);
	}
}

static int sel_index(dev_st *d)
{
	for (int i = 0; i < d->n; i++)
		if (!strcmp(d->items[i].key, d->sel))
			return i;
	return d->n ? 0 : -1;
}

/* the peek's volume at a partition's offset */
static const shodo_peek_volume *vol_at(const tui_peek *p, uint64_t off)
{
	if (p->state != 2)
		return NULL;
	for (int i = 0; i < p->p.nvolumes; i++)
		if (p->p.volumes[i].offset == off)
			return &p->p.volumes[i];
	return NULL;
}

static const char *fsname(const char *blkid, const char *tsk)
{
	if (blkid && *blkid)
		return blkid;
	if (tsk && *tsk)
		return tsk;
	return "-";
}

/* lines of an item: the disk, then one per partition (or peek volume) */
typedef struct line {
	int item;
	char text[320];
	int head;
	int warn;
} line;

static int build_lines(tui_app *a, dev_st *d, line *out, int max, int w)
{
	int n = 0;
	char sz[32];
	for (int i = 0; i < d->n && n < max; i++) {
		src_item *it = &d->items[i];
		tui_peek pk;
		memset(&pk, 0, sizeof(pk));
		if (it->blocked != 1 && it->blocked != 4)   /* the boot medium and a damaged set are not looked into */
			bg_peek(a, it->key, &pk);
		else
			pk.state = 4;
		line *l = &out[n++];
		memset(l, 0, sizeof(*l));
		l->item = i;
		l->head = 1;
		if (it->is_file) {
			if (it->blocked)   /* the warning first: a long path must not push it off the row */
				snprintf(l->text, sizeof(l->text), "%s  [DAMAGED E01: not a source]  %s", it->key,
				         ui_size(it->size, sz));
			else
				snprintf(l->text, sizeof(l->text), "%s  %s  %s", it->key, ui_size(it->size, sz), it->kind);
			l->warn = it->blocked != 0;
		} else {
			const shodo_device *v = &it->dev;
			char flags[256] = "";
			if (it->blocked == 1)
				snprintf(flags, sizeof(flags), "  [%s: not a source]", v->boot_medium ? "BOOT MEDIUM" : "LIVE SYSTEM");
			else if (it->blocked == 2)
				snprintf(flags, sizeof(flags), "  [DESTINATION: not a source]");
			else if (it->blocked == 3)
				snprintf(flags, sizeof(flags), "  [MOUNTED read-write]");
			snprintf(l->text, sizeof(l->text), "%-12s %10s  %s%s%-5s %s%s%s  %s", v->path, ui_size(v->size, sz),
			         flags[0] ? flags + 2 : "", flags[0] ? "  " : "", v->transport,
			         v->model[0] ? v->model : "(no model)", v->serial[0] ? "  serial " : "", v->serial,
			         v->read_only ? "read-only" : "WRITABLE");
			l->warn = it->blocked != 0;
		}
		/* partitions */
		if (!it->is_file) {
			const shodo_device *v = &it->dev;
			for (int k = 0; k < v->nparts && n < max; k++) {
				const shodo_partition *p = &v->parts[k];
				const shodo_peek_volume *pv = vol_at(&pk, p->start);
				line *pl = &out[n++];
				memset(pl, 0, sizeof(*pl));
				pl->item = i;
				char lab[160] = "";
				if (p->label[0])
					snprintf(lab, sizeof(lab), " '%s'", p->label);
				snprintf(pl->text, sizeof(pl->text), "    %-10s %10s  %s%s%s%s%s%s%s", p->name, ui_size(p->size, sz),
				         fsname(p->fstype, pv ? pv->fstype : NULL), lab, pv && pv->host[0] ? "  host " : "",
				         pv ? pv->host : "", pv && pv->os[0] ? " (" : "", pv ? pv->os : "", pv && pv->os[0] ? ")" : "");
			}
			if (!v->nparts && v->fstype[0] && n < max) {
				line *pl = &out[n++];
				memset(pl, 0, sizeof(*pl));
				pl->item = i;
				snprintf(pl->text, sizeof(pl->text), "    (whole disk) %s%s%s%s", v->fstype, v->label[0] ? " '" : "",
				         v->label, v->label[0] ? "'" : "");
			}
		} else if (pk.state == 2) {
			for (int k = 0; k < pk.p.nvolumes && n < max; k++) {
				const shodo_peek_volume *pv = &pk.p.volumes[k];
				line *pl = &out[n++];
				memset(pl, 0, sizeof(*pl));
				pl->item = i;
				char lab[160] = "";
				if (pv->name[0])
					snprintf(lab, sizeof(lab), " '%s'", pv->name);
				const char *what = pv->fstype[0] ? pv->fstype
				                   : !strcmp(pv->status, "unreadable") ? "no file system shodo can read"
				                   : !strcmp(pv->status, "bitlocker") ? "BitLocker (encrypted)" : pv->status;
				snprintf(pl->text, sizeof(pl->text), "    %-10s %10s  %s%s%s%s%s%s%s",
				         !strncmp(pv->label, "fs@", 3) ? "(whole)" : pv->label, ui_size(pv->length, sz), what, lab, pv->host[0] ? "  host " : "", pv->host,
				         pv->os[0] ? " (" : "", pv->os, pv->os[0] ? ")" : "");
			}
		}
		if (pk.state == 0 || pk.state == 1) {
			if (n < max) {
				line *pl = &out[n++];
				memset(pl, 0, sizeof(*pl));
				pl->item = i;
				snprintf(pl->text, sizeof(pl->text), "    reading the volumes ...");
			}
		} else if (pk.state == 3 && n < max) {
			line *pl = &out[n++];
			memset(pl, 0, sizeof(*pl));
			pl->item = i;
			snprintf(pl->text, sizeof(pl->text), "    %s", pk.error);
		} else if (pk.state == 2 && pk.p.timed_out && !pk.p.host[0] && n < max) {
			line *pl = &out[n++];
			memset(pl, 0, sizeof(*pl));
			pl->item = i;
			snprintf(pl->text, sizeof(pl->text), "    (the registry could not be read in two seconds)");
		}
	}
	(void)w;
	return n;
}

static void draw(tui_app *a, tui_screen *s, int y, int h, int w)
{
	dev_st *d = s->st;
	int max = 512;
	line *lines = calloc((size_t)max, sizeof(*lines));
	if (!lines)
		return;
	int n = build_lines(a, d, lines, max, w);
	int si = sel_index(d);
	int detail_h = h >= 20 ? 5 : 4;
	int rows = h - detail_h - 1;
	/* keep the selected item's lines in view */
	int first = -1, last = -1;
	for (int i = 0; i < n; i++)
		if (lines[i].item == si) {
			if (first < 0)
				first = i;
			last = i;
		}
	if (first >= 0) {
		if (last - d->top >= rows)
			d->top = last - rows + 1;
		if (first < d->top)
			d->top = first;
	}
	if (d->top > n - rows)
		d->top = n - rows > 0 ? n - rows : 0;
	if (!n)
		ui_text(y, 2, w - 4, d->error[0] ? d->error : "No disks found. Press a to add an image file.");
	for (int r = 0; r < rows && d->top + r < n; r++) {
		line *l = &lines[d->top + r];
		int sel = l->item == si && l->head;
		if (sel)
			ui_attr_sel(1);
		else if (l->head)
			ui_attr_head(1);
		if (l->warn && !sel)
			ui_attr_warn(a, 1);
		ui_clear(y + r, 0, w);
		ui_text(y + r, 0, 2, sel ? ">" : " ");
		ui_text(y + r, 2, w - 2, l->text);
		ui_attr_warn(a, 0);
		ui_attr_head(0);
		ui_attr_sel(0);
	}
	/* details of the selected source */
	int dy = y + h - detail_h;
	ui_hline(dy - 1, 0, w);
	if (d->top + rows < n)
		ui_text(dy - 1, w - 16, 15, " more below ");
	if (si >= 0) {
		src_item *it = &d->items[si];
		tui_peek pk;
		memset(&pk, 0, sizeof(pk));
		if (it->blocked != 1 && it->blocked != 4)
			bg_peek(a, it->key, &pk);
		char sz[32];
		if (it->is_file) {
			ui_textf(dy, 1, w - 2, "Image file %s: %s, %s", it->key, ui_size(it->size, sz), it->kind);
			if (pk.state == 2) {
				int ok = 0;
				for (int k = 0; k < pk.p.nvolumes; k++)
					ok += !strcmp(pk.p.volumes[k].status, "ok");
				if (ok)
					ui_textf(dy + 1, 1, w - 2, "File systems shodo can read: %d of %d volume%s.", ok, pk.p.nvolumes,
					         pk.p.nvolumes == 1 ? "" : "s");
				else
					ui_text(dy + 1, 1, w - 2, "No file system shodo can read: a triage would find nothing; it can "
					                          "still be imaged.");
			}
		} else {
			const shodo_device *v = &it->dev;
			ui_textf(dy, 1, w - 2, "%s: %s, %s, %u/%u-byte sectors, %s%s, partition table %s", v->path,
			         v->model[0] ? v->model : "no model", ui_size(v->size, sz), v->logical_sector, v->physical_sector,
			         v->transport, v->removable ? " (removable)" : "", v->partition_table[0] ? v->partition_table : "none");
			ui_textf(dy + 1, 1, w - 2, "Serial %s; the kernel %s writes to it.", v->serial[0] ? v->serial : "unknown",
			         v->read_only ? "refuses" : "ALLOWS");
			if (v->nmounts)
				ui_textf(dy + 2, 1, w - 2, "Mounted: %s on %s (%s)%s", v->mounts[0].partition, v->mounts[0].mountpoint,
				         v->mounts[0].read_write ? "read-write" : "read-only", v->nmounts > 1 ? " and more" : "");
		}
		int ly = dy + (it->is_file ? 2 : 3);
		if (it->blocked) {
			ui_attr_warn(a, 1);
			char b[800];
			snprintf(b, sizeof(b), "Cannot be a source: %s.", it->why);
			ui_text_wrap(ly, 1, w - 2, y + h - ly, b);
			ui_attr_warn(a, 0);
		} else if (pk.state == 2 && (pk.p.host[0] || pk.p.os[0])) {
			ui_textf(ly, 1, w - 2, "Windows: %s%s%s", pk.p.host[0] ? pk.p.host : "(no name)", pk.p.os[0] ? ", " : "",
			         pk.p.os);
		} else if (pk.state == 2) {
			ui_text(ly, 1, w - 2, "No Windows installation found on it.");
		}
	}
	free(lines);
}

static const char *check_file(const char *p, void *ud)
{
	static char why[600];
	struct stat st;
	(void)ud;
	if (!*p)
		return "type the path of an image file";
	if (stat(p, &st) != 0) {
		snprintf(why, sizeof(why), "'%s' does not exist (%s)", p, strerror(errno));
		return why;
	}
	if (S_ISDIR(st.st_mode))
		return "this is a folder: give the image file inside it (for an E01 set, its .E01 file)";
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))
		return "not an image file";
	if (access(p, R_OK) != 0)
		return "shodo may not read this file (run it as root?)";
	return NULL;
}

static void add_file(tui_app *a, dev_st *d)
{
	char p[512] = "";
	if (!ui_input(a, "Add an image file", "Path of a raw image (.dd .raw .img .001) or of the .E01 of an E01 set:", p,
	              sizeof(p), check_file, NULL, 1))
		return;
	char real[4096];
	if (!realpath(p, real))
		snprintf(real, sizeof(real), "%s", p);
	for (int i = 0; i < a->nfiles; i++)
		if (!strcmp(a->files[i], real)) {
			snprintf(d->sel, sizeof(d->sel), "%s", real);
			app_msg(a, UI_INFO, "'%s' is already in the list", real);
			return;
		}
	/* can the engines read it? */
	shodo_source *src = NULL;
	shodo_err err;
	shodo_err_clear(&err);
	if (shodo_source_open(real, 0, &src, &err) != SHODO_OK) {
		char s[1400];
		ui_sentence(&err, s, sizeof(s));
		ui_message(a, "Cannot use this file", s);
		return;
	}
	shodo_source_close(src);
	if (a->nfiles >= TUI_MAX_FILES) {
		app_msg(a, UI_WARN, "the list holds %d files at most: remove one with x first", TUI_MAX_FILES);
		return;
	}
	snprintf(a->files[a->nfiles++], sizeof(a->files[0]), "%s", real);
	/* the selection stays where the user put it: adding is not choosing */
	if (!d->sel[0])
		snprintf(d->sel, sizeof(d->sel), "%s", real);
	app_log(a, UI_INFO, "image file added to the sources: '%s'", real);
	app_msg(a, UI_INFO, "added '%s' at the end of the list; the selection did not move", real);
	rescan(a, d);
}

static void remove_file(tui_app *a, dev_st *d)
{
	int si = sel_index(d);
	if (si < 0 || !d->items[si].is_file) {
		app_msg(a, UI_INFO, "only added image files can be removed from the list");
		return;
	}
	for (int i = 0; i < a->nfiles; i++)
		if (!strcmp(a->files[i], d->items[si].key)) {
			memmove(a->files[i], a->files[i + 1], (size_t)(a->nfiles - i - 1) * sizeof(a->files[0]));
			a->nfiles--;
			break;
		}
	app_log(a, UI_INFO, "image file removed from the sources: '%s'", d->items[si].key);
	/* the selection goes to the neighbour above */
	snprintf(d->sel, sizeof(d->sel), "%s", si > 0 ? d->items[si - 1].key : "");
	rescan(a, d);
}

static void choose(tui_app *a, dev_st *d)
{
	int si = sel_index(d);
	if (si < 0) {
		app_msg(a, UI_WARN, "nothing to choose: press a to add an image file");
		return;
	}
	src_item *it = &d->items[si];
	if (it->blocked) {
		char b[1400];
		snprintf(b, sizeof(b), "%s cannot be a source: %s.", it->key, it->why);
		ui_message(a, "Not a source", b);
		return;
	}
	tui_draft *dr = calloc(1, sizeof(*dr));
	if (!dr)
		return;
	if (a->have_last) {
		/* the same case as the last disk: keep its destination and case fields */
		*dr = a->last;
		dr->evidence_id[0] = dr->description[0] = dr->notes[0] = '\0';
		dr->resume = 0;
		/* an action forced by the last source (an E01 set, no file system) is not a choice to keep */
		if (dr->source_e01 || dr->source_no_fs)
			dr->action = ACT_TRIAGE_IMAGE;
	} else {
		dr->action = ACT_TRIAGE_IMAGE;
		dr->format = SHODO_IMAGE_E01;
		dr->compression = SHODO_COMPRESS_FAST;
		dr->hashes = SHODO_HASH_ALL;
		dr->verify = 1;
		dr->profile = SHODO_PROFILE_QUICK;
	}
	snprintf(dr->source, sizeof(dr->source), "%s", it->key);
	dr->source_size = it->size;
	dr->host[0] = dr->os[0] = dr->source_model[0] = dr->source_serial[0] = dr->source_disk[0] = '\0';
	tui_peek pk;
	dr->source_no_fs = 0;
	if (bg_peek(a, it->key, &pk) == 2) {
		snprintf(dr->host, sizeof(dr->host), "%s", pk.p.host);
		snprintf(dr->os, sizeof(dr->os), "%s", pk.p.os);
		int ok = 0;
		for (int k = 0; k < pk.p.nvolumes; k++)
			ok += !strcmp(pk.p.volumes[k].status, "ok") || !strcmp(pk.p.volumes[k].status, "bitlocker");
		if (!ok) {
			/* nothing to triage: offer the image (the responder can still choose otherwise) */
			dr->source_no_fs = 1;
			dr->action = ACT_IMAGE;
		}
	}
	char sz[32];
	dr->source_e01 = 0;
	if (it->is_file) {
		snprintf(dr->source_desc, sizeof(dr->source_desc), "%s, %s", it->kind, ui_size(it->size, sz));
		dr->source_e01 = !strncmp(it->kind, "E01", 3);
		if (dr->source_e01)
			dr->action = ACT_TRIAGE;   /* an image already; a damaged set is still tried */
	} else {
		snprintf(dr->source_model, sizeof(dr->source_model), "%s", it->dev.model);
		snprintf(dr->source_serial, sizeof(dr->source_serial), "%s", it->dev.serial);
		snprintf(dr->source_disk, sizeof(dr->source_disk), "%s", it->dev.path);
		snprintf(dr->source_desc, sizeof(dr->source_desc), "%s, serial %s, %s, %s",
		         it->dev.model[0] ? it->dev.model : "no model", it->dev.serial[0] ? it->dev.serial : "unknown",
		         ui_size(it->size, sz), it->dev.transport);
	}
	app_log(a, UI_INFO, "source chosen: '%s' (%s)", dr->source, dr->source_desc);
	app_push(a, scr_dest_new(a, dr));
	free(dr);
}

static int key(tui_app *a, tui_screen *s, int ch)
{
	dev_st *d = s->st;
	int si = sel_index(d);
	switch (ch) {
	case KEY_UP:
	case 'k':
		if (si > 0)
			snprintf(d->sel, sizeof(d->sel), "%s", d->items[si - 1].key);
		return 1;
	case KEY_DOWN:
	case 'j':
		if (si >= 0 && si + 1 < d->n)
			snprintf(d->sel, sizeof(d->sel), "%s", d->items[si + 1].key);
		return 1;
	case KEY_HOME:
		if (d->n)
			snprintf(d->sel, sizeof(d->sel), "%s", d->items[0].key);
		return 1;
	case KEY_END:
		if (d->n)
			snprintf(d->sel, sizeof(d->sel), "%s", d->items[d->n - 1].key);
		return 1;
	case '\n':
	case '\r':
	case KEY_ENTER:
		choose(a, d);
		return 1;
	case 'a':
		add_file(a, d);
		return 1;
	case 'x':
		remove_file(a, d);
		return 1;
	case 'r':
		rescan(a, d);
		app_msg(a, UI_INFO, "%d disk%s and file%s listed", d->n, d->n == 1 ? "" : "s", d->n == 1 ? "" : "s");
		return 1;
	case 'o': {
		char p[512] = "";
		if (a->have_last)
			snprintf(p, sizeof(p), "%s", a->last.case_dir);
		if (ui_input(a, "Review a case", "Case folder (the folder that holds case.json):", p, sizeof(p), NULL, NULL, 1))
			app_push(a, scr_review_new(a, p));
		return 1;
	}
	default:
		return 0;
	}
}

static void tick(tui_app *a, tui_screen *s)
{
	dev_st *d = s->st;
	if (shodo_monotonic() - d->last_refresh > 5.0)
		rescan(a, d);
}

static void destroy(tui_screen *s)
{
	dev_st *d = s->st;
	free(d->items);
}

tui_screen *scr_devices_new(tui_app *a)
{
	tui_screen *s = tui_screen_new("Devices", "Enter choose  a add file  o review  J jobs  L log  q quit", help, sizeof(dev_st));
	if (!s)
		return NULL;
	s->draw = draw;
	s->key = key;
	s->tick = tick;
	s->destroy = destroy;
	rescan(a, s->st);
	return s;
}
