/*
 * Collection: walk every volume once, record what is there in the store's
 * `files` table, copy the targets into DIR/<ID>/triage/files/<volume>/,
 * write manifest.jsonl and hand the artifact list to the parsers.
 *
 * The walk lists every directory by name (tsk_fs_dir_get_name) and loads an
 * entry's metadata only when it is needed: always with --profile full (the
 * files table then holds every entry with its times), and in the quick
 * profile only for files that are collected, may be ransom notes, or look
 * like encrypted copies of user files (report.docx.lockbit: a files row with
 * its times, for the encryption window).  The quick profile skips NTFS's
 * metadata folder $Extend.
 *
 * Ransom-note candidates (targets.c: col_note_candidate: small text-like
 * files in the places users and ransomware write, everywhere in the full
 * profile) are read whole as they are met and judged by content
 * (notejudge.c: hashed first, each distinct content scored once).  Every
 * content the detector calls a note is extracted once; every copy gets a
 * files row with category ransom_note pointing at that copy, so that the
 * analysis can count them.  Nothing is dropped by a cap: a README.txt on the
 * Public Desktop is found among any number of other README.txt files.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "shodo/buf.h"
#include "shodo/dest.h"
#include "collect.h"
#include "triage/scope/scope.h"
#include "shodo/case.h"
#include "shodo/hash.h"
#include "shodo/util.h"

#define MAXDEPTH 256
#define PATHMAX 8192

typedef struct walker {
	shodo_triage_ctx *ctx;   /* the child's: its sink sends to the parent, no store */
	col_chan *ch;            /* every row, manifest line and artifact goes here */
	shodo_collection *c;
	col_volume *v;
	TSK_FS_INFO *fs;
	int ntfs;
	int roots;               /* 1: Windows at the volume root, 2: Windows.old,
	                            4: WINNT (Server 2003 upgraded from 2000) */
	char wrel[PATHMAX];      /* win_rel's "windows/..." for a WINNT path */
	char ldir[PATHMAX];      /* scratch (the walk recurses: keep frames small) */
	uint64_t total;          /* entries expected (MFT entries, inodes), 0 unknown */
	shodo_triage_profile prof;
	col_namemap *names;
	col_extcount *exts;      /* allocated files per extension (encryption totals) */
	const char *files_dir;   /* absolute: where files/<label>/ lives (case or temporary) */
	char rel_base[512];      /* relative to the case folder: "<ID>/triage/files" */
	char path[PATHMAX], lpath[PATHMAX], key[2 * PATHMAX];
	size_t plen, klen;
	TSK_INUM_T anc[MAXDEPTH];
	col_notes *notes;        /* verdicts by content */
	unsigned char *nbuf;     /* COL_NOTE_MAX_SIZE: a candidate's bytes */
	uint64_t note_files;     /* candidates read */
	uint64_t seen, collected, bytes, errors;
	json_t *jerrors;
	struct {
		const char *cat;
		uint64_t n, bytes;
	} bycat[24];
} walker;

/* ---- small helpers ---- */

static char *keep(shodo_collection *c, const char *s)
{
	if (!s)
		return NULL;
	if (shodo_grow(&c->strs, &c->capstrs, c->nstrs + 1) < 0)
		return NULL;
	char *d = strdup(s);
	if (d)
		c->strs[c->nstrs++] = d;
	return d;
}

static void lower_copy(char *dst, const char *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = (src[i] >= 'A' && src[i] <= 'Z') ? (char)(src[i] + 32) : src[i];
	dst[n] = '\0';
}

/* extension after the last dot, lower case (NULL when none).  Trailing dots
 * and spaces do not count: Windows drops them ("run.ps1." runs as a script). */
static const char *ext_of(const char *lname, char *buf, size_t bufsz)
{
	size_t n = strlen(lname);
	while (n > 0 && (lname[n - 1] == '.' || lname[n - 1] == ' '))
		n--;
	const char *d = NULL;
	for (size_t i = n; i > 0; i--) {
		if (lname[i - 1] == '.') {
			d = lname + i - 1;
			break;
		}
	}
	if (!d || d == lname || (size_t)(d + 1 - lname) >= n)
		return NULL;
	size_t el = n - (size_t)(d + 1 - lname);
	if (el >= bufsz)
		return NULL;
	memcpy(buf, d + 1, el);
	buf[el] = '\0';
	return buf;
}

static void put2(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

/* shodo_time_iso_ns without gmtime/strftime/snprintf: the full profile
 * formats eight times for each of millions of entries */
void col_iso(time_t t, uint32_t ns, char out[48])
{
	if (t <= 0) {
		out[0] = '\0';
		return;
	}
	if (t >= 253402300800LL) {   /* year 10000 and later: the slow way */
		shodo_time_iso_ns(t, (long)ns, out);
		return;
	}
	int64_t days = t / 86400, sod = t % 86400;
	/* civil_from_days (H. Hinnant), days since 1970-01-01 >= 0 */
	int64_t z = days + 719468, era = z / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = (int64_t)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	unsigned d = doy - (153 * mp + 2) / 5 + 1;
	unsigned m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	put2(out, (unsigned)(y / 100));
	put2(out + 2, (unsigned)(y % 100));
	out[4] = '-';
	put2(out + 5, m);
	out[7] = '-';
	put2(out + 8, d);
	out[10] = 'T';
	put2(out + 11, (unsigned)(sod / 3600));
	out[13] = ':';
	put2(out + 14, (unsigned)(sod / 60 % 60));
	out[16] = ':';
	put2(out + 17, (unsigned)(sod % 60));
	if (ns == 0) {
		out[19] = 'Z';
		out[20] = '\0';
		return;
	}
	unsigned f = (ns / 100) % 10000000u;
	out[19] = '.';
	for (int i = 26; i >= 20; i--) {
		out[i] = (char)('0' + f % 10);
		f /= 10;
	}
	out[27] = 'Z';
	out[28] = '\0';
}

static void iso(time_t t, uint32_t ns, char out[48])
{
	col_iso(t, ns, out);
}

typedef struct times {
	char mtime[48], atime[48], ctime[48], crtime[48];
	char fn_mtime[48], fn_atime[48], fn_ctime[48], fn_crtime[48];
} times;

static void get_times(const TSK_FS_META *m, int ntfs, times *t)
{
	memset(t, 0, sizeof(*t));
	if (!m)
		return;
	iso(m->mtime, m->mtime_nano, t->mtime);
	iso(m->atime, m->atime_nano, t->atime);
	iso(m->ctime, m->ctime_nano, t->ctime);
	iso(m->crtime, m->crtime_nano, t->crtime);
	if (ntfs) {
		iso(m->time2.ntfs.fn_mtime, (uint32_t)m->time2.ntfs.fn_mtime_nano, t->fn_mtime);
		iso(m->time2.ntfs.fn_atime, (uint32_t)m->time2.ntfs.fn_atime_nano, t->fn_atime);
		iso(m->time2.ntfs.fn_ctime, (uint32_t)m->time2.ntfs.fn_ctime_nano, t->fn_ctime);
		iso(m->time2.ntfs.fn_crtime, (uint32_t)m->time2.ntfs.fn_crtime_nano, t->fn_crtime);
	}
}

static void warn(walker *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(walker *w, const char *fmt, ...)
{
	char m[1200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	w->errors++;
	shodo_emit(w->ctx->sink, SHODO_EV_WARN, "collect", "%s: %s", w->v->label, m);
	if (json_array_size(w->jerrors) < 200)
		json_array_append_new(w->jerrors, json_string(m));
}

/* one row of the files table (sent; the parent inserts it) */
static void files_row(walker *w, const char *path, const char *lname, TSK_INUM_T inum, const TSK_FS_META *m,
                      uint64_t size, int alloc, int is_dir, const times *t, const char *cat, const char *extracted)
{
	col_chan *ch = w->ch;
	char eb[64];
	col_chan_tick(ch);
	col_msg_begin(ch, 'F');
	col_msg_str(ch, path);
	col_msg_str(ch, is_dir ? NULL : ext_of(lname, eb, sizeof(eb)));
	col_msg_i64(ch, (int64_t)inum);
	if (m || size)
		col_msg_i64(ch, (int64_t)size);
	else
		col_msg_str(ch, NULL);
	col_msg_i64(ch, alloc);
	col_msg_i64(ch, is_dir);
	const char *tv[6] = {NULL, NULL, NULL, NULL, NULL, NULL};
	if (t) {
		tv[0] = t->mtime;
		tv[1] = t->atime;
		tv[2] = t->ctime;
		tv[3] = t->crtime;
		tv[4] = t->fn_mtime;
		tv[5] = t->fn_crtime;
	}
	for (int i = 0; i < 6; i++)
		col_msg_str(ch, tv[i] && tv[i][0] ? tv[i] : NULL);
	col_msg_str(ch, cat);
	col_msg_str(ch, extracted);
	col_msg_end(ch);
}

static void add_artifact(walker *w, const shodo_artifact *a)
{
	col_chan *ch = w->ch;
	col_msg_begin(ch, 'X');
	col_msg_str(ch, a->path);
	col_msg_str(ch, a->file);
	col_msg_str(ch, a->source);
	col_msg_str(ch, a->category);
	col_msg_i64(ch, (int64_t)a->size);
	col_msg_i64(ch, (int64_t)a->inode);
	col_msg_str(ch, a->mtime);
	col_msg_str(ch, a->crtime);
	col_msg_end(ch);
}

/* appends "<len>:<name>" to an encoded key */
static int key_push(char *key, size_t *klen, size_t cap, const char *name)
{
	int n = snprintf(key + *klen, cap - *klen, "%zu:%s", strlen(name), name);
	if (n < 0 || (size_t)n >= cap - *klen) {
		key[*klen] = '\0';
		return -1;
	}
	*klen += (size_t)n;
	return 0;
}

/*
 * Copies one stream and records it everywhere: manifest line, files row,
 * artifacts row, artifact list.  path is the original path (with ":stream"
 * for a named stream), key the encoded path for the name map.  Returns the
 * relative extracted path (kept) or NULL.
 */
static const char *collect_one(walker *w, TSK_FS_FILE *f, const TSK_FS_ATTR *attr, const char *path,
                               const char *lname, const char *key, const char *cat, int write_files_row)
{
	char safe[PATHMAX], rel[PATHMAX + 600], dest_dir[4096], abs[PATHMAX + 4200];
	col_extract_result r;
	times t;
	get_times(f->meta, w->ntfs, &t);
	if (col_namemap_path(w->names, key, safe, sizeof(safe)) < 0) {
		warn(w, "cannot map '%s' to a file name in the case folder (path too long)", path);
		return NULL;
	}
	if (shodo_snprintf(dest_dir, sizeof(dest_dir), "%s/%s", w->files_dir, w->v->label) < 0 ||
	    shodo_snprintf(abs, sizeof(abs), "%s/%s", dest_dir, safe) < 0 ||
	    shodo_snprintf(rel, sizeof(rel), "%s/%s/%s", w->rel_base, w->v->label, safe) < 0) {
		warn(w, "cannot extract '%s': path too long", path);
		return NULL;
	}
	memset(&r, 0, sizeof(r));
	int noext = w->ctx->opts->no_extract;
	/* too big for a FAT case folder: 1, a temporary copy to parse;
	 * 2, hashed only (no room for that copy) */
	int aside = 0;
	char note[400] = "";
	if (!noext && w->c->fat && attr->size > 0 && (uint64_t)attr->size > SHODO_FAT_FILE_MAX) {
		uint64_t avail = 0;
		aside = shodo_dest_space(w->c->tmpdir, &avail, NULL) == 0 && avail > (uint64_t)attr->size &&
		        avail - (uint64_t)attr->size > (64u << 20) ? 1 : 2;
		if (shodo_snprintf(dest_dir, sizeof(dest_dir), "%s/%s", w->c->tmpdir, w->v->label) < 0 ||
		    shodo_snprintf(abs, sizeof(abs), "%s/%s", dest_dir, safe) < 0) {
			warn(w, "cannot extract '%s': path too long", path);
			return NULL;
		}
		if (aside == 1)
			snprintf(note, sizeof(note), "the case folder's FAT file system holds no file of 4 GiB or more: "
			         "hashed, and parsed from a temporary copy");
		else
			snprintf(note, sizeof(note), "the case folder's FAT file system holds no file of 4 GiB or more: "
			         "hashed only, not parsed (%llu bytes free for a temporary copy in '%s')",
			         (unsigned long long)avail, w->c->tmpdir);
		noext = 1;
	}
	if (aside != 2) {
		/* the parent removes this copy if the walk dies while it is written */
		col_msg_begin(w->ch, 'B');
		col_msg_str(w->ch, abs);
		col_msg_end(w->ch);
		col_chan_flush(w->ch);   /* the parent must know before the file exists */
		if (shodo_mkdirs(dest_dir, 0700) < 0) {
			r.dest_errno = errno;
			snprintf(r.error, sizeof(r.error), "cannot create '%s': %s", dest_dir, strerror(errno));
		}
	}
	int xr = r.dest_errno ? -1 : col_extract_attr(attr, aside == 2 ? NULL : dest_dir, safe, w->ctx->cancel, &r);
	if (xr < 0 && aside == 1 && r.dest_errno && !shodo_cancelled(w->ctx->cancel)) {
		/* the temporary copy failed ($TMPDIR filled meanwhile): that is
		 * no reason to stop; hashed only */
		char why[sizeof(r.error)];
		snprintf(why, sizeof(why), "%s", r.error);
		aside = 2;
		snprintf(note, sizeof(note), "the case folder's FAT file system holds no file of 4 GiB or more: "
		         "hashed only, not parsed (the temporary copy failed: %s)", why);
		xr = col_extract_attr(attr, NULL, safe, w->ctx->cancel, &r);
	}
	if (xr < 0) {
		if (shodo_cancelled(w->ctx->cancel))
			return NULL;
		warn(w, "cannot extract '%s': %s", path, r.error[0] ? r.error : strerror(errno));
		/* a full, read-only or failing destination ends the run: every
		 * further copy would fail the same way */
		if (r.dest_errno == ENOSPC || r.dest_errno == EDQUOT || r.dest_errno == EROFS ||
		    r.dest_errno == EIO || r.dest_errno == EFBIG) {
			w->c->dest_errno = r.dest_errno;
			snprintf(w->c->dest_error, sizeof(w->c->dest_error), "%s", r.error);
			col_msg_begin(w->ch, 'D');
			col_msg_i64(w->ch, r.dest_errno);
			col_msg_str(w->ch, r.error);
			col_msg_end(w->ch);
		}
		return NULL;
	}
	if (r.error[0])
		warn(w, "'%s' could not be read whole: %s", path, r.error);
	if (note[0])
		warn(w, "'%s' (%llu bytes) not copied: %s", path, (unsigned long long)r.size, note);

	/* manifest line */
	json_t *j = json_object();
	json_object_set_new(j, "volume", json_string(w->v->label));
	json_object_set_new(j, "volume_offset", json_integer((json_int_t)w->v->offset));
	json_object_set_new(j, "path", json_string(path));
	json_object_set_new(j, "extracted", noext ? json_null() : json_string(rel));
	json_object_set_new(j, "inode", json_integer((json_int_t)f->meta->addr));
	json_object_set_new(j, "size", json_integer((json_int_t)r.size));
	json_object_set_new(j, "mtime", t.mtime[0] ? json_string(t.mtime) : json_null());
	json_object_set_new(j, "atime", t.atime[0] ? json_string(t.atime) : json_null());
	json_object_set_new(j, "ctime", t.ctime[0] ? json_string(t.ctime) : json_null());
	json_object_set_new(j, "crtime", t.crtime[0] ? json_string(t.crtime) : json_null());
	if (w->ntfs) {
		json_object_set_new(j, "fn_mtime", t.fn_mtime[0] ? json_string(t.fn_mtime) : json_null());
		json_object_set_new(j, "fn_atime", t.fn_atime[0] ? json_string(t.fn_atime) : json_null());
		json_object_set_new(j, "fn_ctime", t.fn_ctime[0] ? json_string(t.fn_ctime) : json_null());
		json_object_set_new(j, "fn_crtime", t.fn_crtime[0] ? json_string(t.fn_crtime) : json_null());
	}
	json_object_set_new(j, "md5", json_string(r.md5));
	json_object_set_new(j, "sha256", json_string(r.sha256));
	json_object_set_new(j, "category", json_string(cat));
	if (r.error[0])
		json_object_set_new(j, "error", json_string(r.error));
	if (note[0])
		json_object_set_new(j, "not_copied", json_string(note));
	char *line = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (line) {
		col_msg_begin(w->ch, 'M');
		col_msg_str(w->ch, line);
		col_msg_end(w->ch);
		free(line);
	}

	char src[PATHMAX + 128];
	if (noext)
		snprintf(src, sizeof(src), "%s:%s", w->v->label, path);
	else
		snprintf(src, sizeof(src), "%s", rel);
	if (write_files_row)
		files_row(w, path, lname, f->meta->addr, f->meta, r.size, 1, 0, &t, cat, noext ? NULL : rel);

	col_msg_begin(w->ch, 'A');
	col_msg_str(w->ch, src);
	col_msg_str(w->ch, cat);
	char msg[sizeof(note) + sizeof(r.error) + 4];
	snprintf(msg, sizeof(msg), "%s%s%s", note, note[0] && r.error[0] ? "; " : "", r.error);
	col_msg_str(w->ch, aside == 2 ? "not_copied" : r.error[0] ? "partial" : "collected");
	col_msg_str(w->ch, msg[0] ? msg : NULL);
	col_msg_end(w->ch);
	if (!noext) {
		col_msg_begin(w->ch, 'K');
		col_msg_str(w->ch, rel);
		col_msg_str(w->ch, r.sha256);
		col_msg_end(w->ch);
	}

	shodo_artifact a;
	memset(&a, 0, sizeof(a));
	a.path = path;
	a.file = abs;
	a.source = src;
	a.category = cat;
	a.size = r.size;
	a.inode = f->meta->addr;
	a.mtime = t.mtime[0] ? t.mtime : NULL;
	a.crtime = t.crtime[0] ? t.crtime : NULL;
	if (aside != 2)
		add_artifact(w, &a);   /* to be parsed */
	for (size_t i = 0; i < sizeof(w->bycat) / sizeof(w->bycat[0]); i++) {
		if (!w->bycat[i].cat || !strcmp(w->bycat[i].cat, cat)) {
			w->bycat[i].cat = cat;
			w->bycat[i].n++;
			w->bycat[i].bytes += r.size;
			break;
		}
	}
	w->collected++;
	w->bytes += r.size;
	shodo_emit(w->ctx->sink, SHODO_EV_DEBUG, "collect", "%s: %s (%s)", w->v->label, path, cat);
	return noext ? NULL : keep(w->c, rel);
}

static const TSK_FS_ATTR *named_stream(TSK_FS_FILE *f, const char *name)
{
	int n = tsk_fs_file_attr_getsize(f);
	for (int i = 0; i < n; i++) {
		const TSK_FS_ATTR *a = tsk_fs_file_attr_get_idx(f, i);
		if (a && a->type == TSK_FS_ATTR_TYPE_NTFS_DATA && a->name && !strcmp(a->name, name))
			return a;
	}
	tsk_error_reset();
	return NULL;
}

/* Collects the named stream a of f as "<path>:<stream>"; the name map sees
 * "<name>:<stream>" as the last component. */
static void collect_stream(walker *w, TSK_FS_FILE *f, const char *name, const TSK_FS_ATTR *a, const char *stream,
                           const char *lname, const char *cat)
{
	char spath[PATHMAX + 300], skey[2 * PATHMAX + 300], sname[800];
	snprintf(spath, sizeof(spath), "%s:%s", w->path, stream);
	size_t nl = strlen(name);
	size_t base = w->klen - nl - (size_t)snprintf(NULL, 0, "%zu:", nl);
	snprintf(sname, sizeof(sname), "%s:%s", name, stream);
	memcpy(skey, w->key, base);
	size_t sk = base;
	skey[sk] = '\0';
	if (key_push(skey, &sk, sizeof(skey), sname) < 0) {
		warn(w, "'%s': path too long, skipped", spath);
		return;
	}
	collect_one(w, f, a, spath, lname, skey, cat, 1);
}

/* the path relative to the Windows root it is under, or NULL */
static const char *win_rel(walker *w)
{
	if ((w->roots & 2) && !strncmp(w->lpath, "windows.old/", 12))
		return w->lpath + 12;
	/* the targets table names the system folder "windows" */
	if ((w->roots & 4) && !strncmp(w->lpath, "winnt", 5) && (w->lpath[5] == '/' || !w->lpath[5])) {
		snprintf(w->wrel, sizeof(w->wrel), "windows%s", w->lpath + 5);
		return w->wrel;
	}
	if (w->roots & 5)
		return w->lpath;
	return NULL;
}

static void walk_dir(walker *w, TSK_INUM_T inum, int depth);

/*
 * Reads a ransom-note candidate and judges its content (notejudge.c).  A note
 * is extracted once per distinct content and every copy gets a files row with
 * category ransom_note.  Returns 1 when the file was a note (recorded), 0 when
 * it is not (the caller records it as anything else).
 */
static int note_candidate(walker *w, TSK_FS_FILE *f, const TSK_FS_NAME *nm, const char *lname, uint64_t size,
                          const times *t)
{
	if (!w->notes && !(w->notes = col_notes_new()))
		return 0;
	if (!w->nbuf && !(w->nbuf = malloc(COL_NOTE_MAX_SIZE)))
		return 0;
	const TSK_FS_ATTR *a = tsk_fs_file_attr_get(f);
	if (!a) {
		tsk_error_reset();
		return 0;
	}
	/* binary files without an extension are many: the first block tells */
	ssize_t got = col_read_head(a, w->nbuf, size < 4096 ? (size_t)size : 4096);
	if (got <= 0 || !col_text_like(w->nbuf, (size_t)got))
		return 0;
	if (size > 4096)
		got = col_read_head(a, w->nbuf, (size_t)size);
	if (got <= 0)
		return 0;
	w->note_files++;
	col_note_entry *e = col_notes_judge(w->notes, nm->name, w->nbuf, (size_t)got);
	if (!e || !e->is_note)
		return 0;
	if (!e->extract_tried) {
		e->extract_tried = 1;
		const char *rel = collect_one(w, f, a, w->path, lname, w->key, CAT_RANSOM_NOTE, 0);
		if (rel)
			e->extracted = strdup(rel);
	}
	files_row(w, w->path, lname, nm->meta_addr, f->meta, size, 1, 0, t, CAT_RANSOM_NOTE, e->extracted);
	return 1;
}

static void entry(walker *w, const TSK_FS_NAME *nm, const char *lname, int depth)
{
	int alloc = (nm->flags & TSK_FS_NAME_FLAG_ALLOC) != 0;
	int is_dir = nm->type == TSK_FS_NAME_TYPE_DIR;
	int full = w->prof == SHODO_PROFILE_FULL;
	const char *wl = win_rel(w);
	TSK_FS_FILE *f = NULL;
	times t;
	memset(&t, 0, sizeof(t));

	w->seen++;
	col_chan_tick(w->ch);
	if ((w->seen & 4095) == 0)
		shodo_progress(w->ctx->sink, "collect", "files", w->seen,
		               w->seen < w->total ? w->total : 0);

	if (full) {
		f = tsk_fs_file_open_meta(w->fs, NULL, nm->meta_addr);
		if (!f)
			tsk_error_reset();
		else if (f->meta && f->meta->type == TSK_FS_META_TYPE_DIR)
			is_dir = 1;
		if (f)
			get_times(f->meta, w->ntfs, &t);
	}

	if (is_dir) {
		if (full)
			files_row(w, w->path, lname, nm->meta_addr, f ? f->meta : NULL,
			          f && f->meta ? (uint64_t)f->meta->size : 0, alloc, 1, f ? &t : NULL, NULL, NULL);
		if (f)
			tsk_fs_file_close(f);
		if (!alloc)
			return;
		/* every directory is listed (names only, as fls does): ransom notes can be
		 * anywhere, and a data volume without Windows has them too */
		int descend = 1;
		/* NTFS's $Extend is metadata (its $UsnJrnl is a full-profile target);
		 * other '$' folders at the root ($Recycle.Bin, $WINDOWS.~BT) are walked */
		if (!full && depth == 0 && w->ntfs && !strcmp(lname, "$extend"))
			descend = 0;
		if (!descend)
			return;
		if (depth + 1 >= MAXDEPTH) {
			warn(w, "'%s': directory tree deeper than %d levels, not followed", w->path, MAXDEPTH);
			return;
		}
		for (int i = 0; i <= depth; i++) {
			if (w->anc[i] == nm->meta_addr) {
				warn(w, "'%s': directory loop (entry %llu), not followed", w->path,
				     (unsigned long long)nm->meta_addr);
				return;
			}
		}
		w->anc[depth + 1] = nm->meta_addr;
		walk_dir(w, nm->meta_addr, depth + 1);
		return;
	}

	/* a file: what is it? */
	const col_target *tg = NULL;
	const char *cat = NULL;
	int hive_probe = 0, is_note = 0;
	if (wl)
		tg = col_target_match(wl, 0, w->prof);
	if (!tg && w->ntfs)
		tg = col_target_match(w->lpath, 1, w->prof);
	if (tg)
		cat = tg->category;
	char extbuf[64];
	const char *ext = ext_of(lname, extbuf, sizeof(extbuf));
	if (alloc)
		col_extcount_add(w->exts, ext);
	if (!cat && wl)
		cat = col_exec_category(wl, ext);
	if (!cat && wl) {
		size_t dl = (size_t)(strrchr(wl, '/') ? strrchr(wl, '/') - wl : 0);
		memcpy(w->ldir, wl, dl);
		w->ldir[dl] = '\0';
		hive_probe = col_hive_dir(w->ldir);
	}
	if (alloc && (!cat || (!tg && !strcmp(cat, CAT_SCRIPT))))
		is_note = col_note_candidate(w->lpath, lname, ext, w->prof);

	/* an encrypted copy of a user file (report.docx.lockbit): the quick profile
	 * records it with its times so that the scoping finds the encryption window */
	int enc = !full && alloc && !cat && !hive_probe && !is_note && ext && shodo_scope_appended(lname, ext);

	if (!alloc || (!cat && !hive_probe && !is_note && !enc)) {
		if (full)
			files_row(w, w->path, lname, nm->meta_addr, f ? f->meta : NULL,
			          f && f->meta ? (uint64_t)f->meta->size : 0, alloc, 0, f ? &t : NULL, NULL, NULL);
		if (f)
			tsk_fs_file_close(f);
		return;
	}
	if (!f) {
		f = tsk_fs_file_open_meta(w->fs, NULL, nm->meta_addr);
		if (!f || !f->meta) {
			char m[400];
			warn(w, "cannot read the metadata of '%s': %s", w->path, tsk_msg(m, sizeof(m)));
			if (f)
				tsk_fs_file_close(f);
			return;
		}
		get_times(f->meta, w->ntfs, &t);
	}
	if (!f->meta || f->meta->type != TSK_FS_META_TYPE_REG) {
		if (full)
			files_row(w, w->path, lname, nm->meta_addr, f->meta, f->meta ? (uint64_t)f->meta->size : 0,
			          alloc, 0, &t, NULL, NULL);
		tsk_fs_file_close(f);
		return;
	}
	uint64_t size = f->meta->size > 0 ? (uint64_t)f->meta->size : 0;
	/* an inode that claims more than its volume holds is not read at all:
	 * loading its data runs alone can keep libtsk busy without a tick of
	 * progress (a fuzzed ext2 inode of 2^59 bytes: 12 s of CPU) */
	uint64_t room = col_fs_room(w->fs);
	if (room && size > room) {
		if (cat || hive_probe || is_note) {
			char why[300];
			col_too_big(why, sizeof(why), size, room);
			warn(w, "cannot extract '%s': %s", w->path, why);
		}
		if (full || enc || cat)
			files_row(w, w->path, lname, nm->meta_addr, f->meta, size, alloc, 0, &t, cat, NULL);
		tsk_fs_file_close(f);
		return;
	}

	if (!cat && hive_probe && size >= 4096) {
		const TSK_FS_ATTR *a = tsk_fs_file_attr_get(f);
		char head[4];
		if (a && col_read_head(a, head, 4) == 4 && !memcmp(head, "regf", 4))
			cat = CAT_REGISTRY;
		tsk_error_reset();
	}
	/* a small text file where notes are written is read and judged by its
	 * content; an .hta that is no note is still collected as a script */
	if (is_note && size > 0 && size <= COL_NOTE_MAX_SIZE && note_candidate(w, f, nm, lname, size, &t)) {
		tsk_fs_file_close(f);
		return;
	}
	if (!cat) {
		if (full || enc)
			files_row(w, w->path, lname, nm->meta_addr, f->meta, size, alloc, 0, &t, NULL, NULL);
		tsk_fs_file_close(f);
		return;
	}

	if (!full && (!strcmp(cat, CAT_EXECUTABLE) || !strcmp(cat, CAT_SCRIPT)) && size > COL_QUICK_EXEC_MAX) {
		shodo_emit(w->ctx->sink, SHODO_EV_INFO, "collect",
		           "%s: '%s' not copied: %llu bytes, over the quick profile's limit for executables",
		           w->v->label, w->path, (unsigned long long)size);
		files_row(w, w->path, lname, nm->meta_addr, f->meta, size, alloc, 0, &t, cat, NULL);
		tsk_fs_file_close(f);
		return;
	}

	if (tg && (tg->flags & TGT_STREAM)) {
		const TSK_FS_ATTR *a = named_stream(f, tg->stream);
		if (a)
			collect_stream(w, f, nm->name, a, tg->stream, lname, cat);
		if (full)
			files_row(w, w->path, lname, nm->meta_addr, f->meta, size, alloc, 0, &t, NULL, NULL);
		tsk_fs_file_close(f);
		return;
	}
	const TSK_FS_ATTR *a = tsk_fs_file_attr_get(f);
	if (!a) {
		char m[400];
		warn(w, "'%s': no data stream: %s", w->path, tsk_msg(m, sizeof(m)));
		files_row(w, w->path, lname, nm->meta_addr, f->meta, size, alloc, 0, &t, cat, NULL);
	} else if (!collect_one(w, f, a, w->path, lname, w->key, cat, 1) && w->ctx->opts->no_extract == 0) {
		/* collect_one warned; keep the entry in the files table */
		files_row(w, w->path, lname, nm->meta_addr, f->meta, size, alloc, 0, &t, cat, NULL);
	}
	/* where an executable or script came from: its Mark of the Web */
	if (w->ntfs && !w->c->dest_errno && (!strcmp(cat, CAT_EXECUTABLE) || !strcmp(cat, CAT_SCRIPT))) {
		const TSK_FS_ATTR *z = named_stream(f, "Zone.Identifier");
		if (z)
			collect_stream(w, f, nm->name, z, "Zone.Identifier", lname, CAT_ZONE_ID);
	}
	tsk_fs_file_close(f);
}

/*
 * Event logs and hives first.  Each artifact is parsed as soon as its copy is
 * listed (analyse.c), while the walk goes on; the largest parse by far is the
 * Security log's.  NTFS lists a folder by name, so in the plain order the
 * logs (Windows/System32/winevt/Logs) are met after the whole of Users, at
 * the end of the walk, and their parse ran alone after it.  So in the
 * folders on the way to these places the entries on the way are walked
 * first, then the others in their order: the same entries, each once, with
 * the logs' parse running beside the listing of the user folders.  Measured
 * on the bench host (bench/triage.sh, 204,218 entries, Security 922 MB):
 * see triage/README.md.
 */
static const char *const first_paths[] = {
	"windows/system32/config",
	"windows/system32/winevt/logs",
	"windows.old/windows/system32/config",
	"windows.old/windows/system32/winevt/logs",
	"winnt/system32/config",
};

/* 1: the lower-cased path p (n bytes) is one of first_paths or a folder on
 * the way to one; with strict, only a folder on the way */
static int on_first_path(const char *p, size_t n, int strict)
{
	for (size_t i = 0; i < sizeof(first_paths) / sizeof(first_paths[0]); i++) {
		const char *f = first_paths[i];
		if (n == 0 || (!strncmp(f, p, n) && (f[n] == '/' || (!strict && f[n] == '\0'))))
			return 1;
	}
	return 0;
}

static void walk_dir(walker *w, TSK_INUM_T inum, int depth)
{
	if (shodo_cancelled(w->ctx->cancel) || w->c->dest_errno)
		return;
	tsk_error_reset();
	TSK_FS_DIR *d = tsk_fs_dir_open_meta(w->fs, inum);
	if (!d) {
		char m[400];
		warn(w, "cannot list '%s': %s", w->plen ? w->path : "/", tsk_msg(m, sizeof(m)));
		return;
	}
	tsk_error_reset();
	size_t n = tsk_fs_dir_getsize(d);
	size_t plen0 = w->plen, klen0 = w->klen;
	/* two passes in a folder on the way to first_paths: those on the way
	 * first (pass 0), then the rest (pass 1); one pass elsewhere */
	int two = on_first_path(w->lpath, plen0, 1);
	for (int pass = two ? 0 : 1; pass < 2; pass++)
	for (size_t i = 0; i < n && !shodo_cancelled(w->ctx->cancel) && !w->c->dest_errno; i++) {
		const TSK_FS_NAME *nm = tsk_fs_dir_get_name(d, i);
		if (!nm || !nm->name || !nm->name[0])
			continue;
		if (!strcmp(nm->name, ".") || !strcmp(nm->name, ".."))
			continue;
		if (nm->type == TSK_FS_NAME_TYPE_VIRT || nm->type == TSK_FS_NAME_TYPE_VIRT_DIR)
			continue;
		if (!(nm->flags & TSK_FS_NAME_FLAG_ALLOC) && w->prof != SHODO_PROFILE_FULL)
			continue;
		size_t nl = strlen(nm->name);
		if (plen0 + nl + 2 >= sizeof(w->path) ||
		    key_push(w->key, &w->klen, sizeof(w->key), nm->name) < 0) {
			if (pass == 1)
				warn(w, "'%s/%s': path too long, skipped", w->path, nm->name);
			w->klen = klen0;
			w->key[klen0] = '\0';
			continue;
		}
		size_t off = plen0;
		if (plen0)
			w->path[off++] = '/';
		memcpy(w->path + off, nm->name, nl + 1);
		lower_copy(w->lpath, w->path, off + nl);
		if (!two || on_first_path(w->lpath, off + nl, 0) == (pass == 0)) {
			w->plen = off + nl;
			entry(w, nm, w->lpath + off, depth);
		}
		w->plen = plen0;
		w->path[plen0] = '\0';
		w->lpath[plen0] = '\0';
		w->klen = klen0;
		w->key[klen0] = '\0';
	}
	tsk_fs_dir_close(d);
	tsk_error_reset();
}

static void notes_report(walker *w)
{
	if (!w->notes)
		return;
	uint64_t distinct, scored, binary;
	col_notes_stats(w->notes, &distinct, &scored, &binary);
	shodo_emit(w->ctx->sink, SHODO_EV_INFO, "collect",
	           "%s: %llu ransom-note candidates read, %llu distinct texts scored by content",
	           w->v->label, (unsigned long long)w->note_files, (unsigned long long)scored);
}

static int is_dir_path(TSK_FS_INFO *fs, const char *path)
{
	TSK_FS_FILE *f = tsk_fs_file_open(fs, NULL, path);
	int r = f && f->meta && f->meta->type == TSK_FS_META_TYPE_DIR;
	if (f)
		tsk_fs_file_close(f);
	tsk_error_reset();
	return r;
}

static void send_extcount(const char *ext, uint64_t n, void *ud)
{
	col_chan *ch = ud;
	col_msg_begin(ch, 'C');
	col_msg_str(ch, ext);
	col_msg_i64(ch, (int64_t)n);
	col_msg_end(ch);
}

/* the child's part: the whole walk of one volume, sending everything */
static void collect_volume(shodo_triage_ctx *ctx, shodo_collection *c, col_volume *v, col_chan *ch,
                           const char *files_dir, const char *rel_base, json_t *jv)
{
	walker *w = calloc(1, sizeof(*w));
	if (!w)
		return;
	w->ctx = ctx;
	w->ch = ch;
	w->c = c;
	w->v = v;
	w->fs = v->fs;
	w->ntfs = TSK_FS_TYPE_ISNTFS(v->fs->ftype) != 0;
	w->prof = ctx->opts->profile;
	w->files_dir = files_dir;
	snprintf(w->rel_base, sizeof(w->rel_base), "%s", rel_base);
	w->names = col_namemap_new();
	w->exts = col_extcount_new();
	/* NTFS: MFT entries in use or not, ext: inodes; an estimate that the
	 * progress line can show (FAT's count is of clusters: none) */
	if (w->ntfs || TSK_FS_TYPE_ISEXT(v->fs->ftype))
		w->total = (uint64_t)v->fs->inum_count;
	w->jerrors = json_array();
	if (is_dir_path(v->fs, "/Windows/System32/config"))
		w->roots |= 1;
	if (is_dir_path(v->fs, "/Windows.old/Windows/System32/config"))
		w->roots |= 2;
	if (is_dir_path(v->fs, "/WINNT/System32/config"))
		w->roots |= 4;
	json_t *roots = json_array();
	if (w->roots & 1)
		json_array_append_new(roots, json_string("/"));
	if (w->roots & 2)
		json_array_append_new(roots, json_string("/Windows.old"));
	if (w->roots & 4)
		json_array_append_new(roots, json_string("/WINNT"));
	json_object_set_new(jv, "windows", json_boolean(w->roots != 0));
	json_object_set_new(jv, "windows_roots", roots);
	/* NTFS's volume serial number (boot sector, 8 bytes little endian at
	 * 0x48; fsstat prints it): with the computer name it tells one machine
	 * seen through two sources (its E01 and its device) */
	if (w->ntfs) {
		unsigned char b[8];
		if (tsk_fs_read(v->fs, 0x48, (char *)b, sizeof(b)) == (ssize_t)sizeof(b)) {
			uint64_t sn = 0;
			char hex[17];
			for (int i = 7; i >= 0; i--)
				sn = sn << 8 | b[i];
			snprintf(hex, sizeof(hex), "%016" PRIX64, sn);
			json_object_set_new(jv, "volume_serial", json_string(hex));
		}
		tsk_error_reset();
	}
	shodo_emit(ctx->sink, SHODO_EV_INFO, "collect", "%s: %s, %s%s", v->label, v->fstype,
	           w->roots ? "Windows" : "no Windows installation",
	           w->roots & 2 ? " (and Windows.old)" : "");

	double t0 = shodo_monotonic();
	w->anc[0] = v->fs->root_inum;
	walk_dir(w, v->fs->root_inum, 0);
	notes_report(w);
	/* the names counted per extension, for the parent to store */
	if (!shodo_cancelled(ctx->cancel))
		col_extcount_each(w->exts, send_extcount, ch);
	double dt = shodo_monotonic() - t0;

	shodo_emit(ctx->sink, SHODO_EV_INFO, "collect", "%s: %llu entries listed, %llu files copied (%llu bytes) in %.2f s%s",
	           v->label, (unsigned long long)w->seen, (unsigned long long)w->collected,
	           (unsigned long long)w->bytes, dt, w->errors ? ", with problems (see warnings)" : "");
	if (w->collected) {
		char line[1024];
		size_t o = 0;
		json_t *jc = json_object();
		for (size_t i = 0; i < sizeof(w->bycat) / sizeof(w->bycat[0]) && w->bycat[i].cat; i++) {
			int k = snprintf(line + o, sizeof(line) - o, "%s%s %llu (%llu bytes)", i ? ", " : "",
			                 w->bycat[i].cat, (unsigned long long)w->bycat[i].n,
			                 (unsigned long long)w->bycat[i].bytes);
			if (k > 0 && (size_t)k < sizeof(line) - o)
				o += (size_t)k;
			json_object_set_new(jc, w->bycat[i].cat, json_integer((json_int_t)w->bycat[i].n));
		}
		shodo_emit(ctx->sink, SHODO_EV_INFO, "collect", "%s: copied by category: %s", v->label, line);
		json_object_set_new(jv, "categories", jc);
	}
	json_object_set_new(jv, "entries", json_integer((json_int_t)w->seen));
	json_object_set_new(jv, "collected", json_integer((json_int_t)w->collected));
	json_object_set_new(jv, "bytes", json_integer((json_int_t)w->bytes));
	json_object_set_new(jv, "problems", w->jerrors);
	/* the end: the volume's record and its counts */
	char *js = json_dumps(jv, JSON_COMPACT | JSON_PRESERVE_ORDER);
	col_msg_begin(ch, 'J');
	col_msg_str(ch, js);
	col_msg_i64(ch, (int64_t)w->seen);
	col_msg_i64(ch, (int64_t)w->collected);
	col_msg_i64(ch, (int64_t)w->bytes);
	col_msg_i64(ch, (int64_t)w->errors);
	col_msg_end(ch);
	free(js);
	col_notes_free(w->notes);
	free(w->nbuf);
	col_namemap_free(w->names);
	col_extcount_free(w->exts);
	free(w);
}

/* ---- the parent's part: one child per volume ---- */

typedef struct vol_job {
	shodo_triage_ctx *ctx;
	shodo_collection *c;
	col_source *src;
	col_volume *v;
	const char *files_dir, *rel_base;
	json_t *jv;
	FILE *manifest;
	char pending[PATHMAX + 4200];   /* a copy being written */
	int ended;                      /* 'J' received */
	int dest_stop;                  /* a manifest line could not be written */
	uint64_t listed;                /* manifest lines written for this volume */
	char **kept;                    /* their copies (absolute paths) */
	size_t nkept, capkept;
	struct rowbatch *rows;          /* rows not yet handed to the store's thread */
} vol_job;

/* One manifest line, written through at once: a line that does not fit
 * (full case folder) is cut off again, so that the manifest never ends in
 * half a line and never silently loses one in a stdio buffer.  Returns 0
 * or an errno. */
static int manifest_line(FILE *mf, const char *line)
{
	int fd = fileno(mf);
	off_t at = lseek(fd, 0, SEEK_END);
	if (at < 0)
		return errno ? errno : EIO;
	size_t n = strlen(line), done = 0;
	char nl = '\n';
	while (done <= n) {
		const char *p = done < n ? line + done : &nl;
		size_t len = done < n ? n - done : 1;
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			int en = w < 0 ? errno : ENOSPC;
			if (ftruncate(fd, at) < 0 && !en)
				en = errno;
			return en ? en : EIO;
		}
		done += (size_t)w;
	}
	return 0;
}

static void vol_child(col_chan *ch, void *arg)
{
	vol_job *j = arg;
	shodo_sink sink;
	col_chan_sink(ch, &sink);
	if (j->ctx->sink) {
		sink.job = j->ctx->sink->job;
		sink.t0 = j->ctx->sink->t0;
	}
	shodo_triage_ctx cctx = *j->ctx;
	cctx.sink = &sink;
	cctx.store = NULL;   /* the parent's SQLite connection is not the child's to use */
	col_extract_ticks(ch);
	col_volume *v = j->v;
	/* an image of its own: file offsets are shared across fork */
	TSK_IMG_INFO *img = col_source_reopen(j->src);
	tsk_error_reset();
	v->fs = img ? tsk_fs_open_img(img, (TSK_OFF_T)v->offset, v->ftype) : NULL;
	if (!v->fs) {
		char m[400];
		shodo_emit(&sink, SHODO_EV_WARN, "collect", "%s: cannot open the file system again: %s", v->label,
		           tsk_msg(m, sizeof(m)));
		return;
	}
	collect_volume(&cctx, j->c, v, ch, j->files_dir, j->rel_base, j->jv);
	col_extract_ticks(NULL);
}

static const char *static_cat(shodo_collection *c, const char *s)
{
	static const char *const cats[] = {
		CAT_EVTX, CAT_EVT, CAT_PREFETCH, CAT_REGISTRY, CAT_ACCOUNT_DB, CAT_RANSOM_NOTE, CAT_MFT, CAT_TASK,
		CAT_POLICY, CAT_SCRIPT, CAT_EXECUTABLE, CAT_USNJRNL, CAT_RDP_CACHE, CAT_PS_HISTORY, CAT_OTHER,
		CAT_ZONE_ID, CAT_NTDS_LOG, NULL,
	};
	for (int i = 0; cats[i]; i++)
		if (!strcmp(s, cats[i]))
			return cats[i];
	return keep(c, s);
}

/*
 * The collector's rows (files, ext_counts, artifacts, host) are written by
 * the thread that owns the store (analyse.c), in the order they arrived,
 * in batches: this thread only reads the pipe, writes the manifest and
 * keeps the artifact list.  A batch is handed over before each artifact's
 * parse (the parse completes the artifact's row) and at a volume's end.
 */
typedef struct rowbatch {
	char label[64];                 /* the volume's (its col_volume may move) */
	shodo_collection *c;            /* serial_rows: the store thread's */
	unsigned char *buf;             /* rows: type, field count, then each field as
	                                   u32 length (0xffffffff NULL) and bytes */
	size_t n, cap;
	size_t last;                    /* where the row being added starts */
	int broken;                     /* out of memory: no more rows */
} rowbatch;

#define ROWBATCH_MAX (1u << 20)

static void batch_put(rowbatch *b, const void *p, size_t n)
{
	if (b->broken)
		return;
	if (shodo_grow(&b->buf, &b->cap, b->n + n) < 0) {
		b->broken = 1;   /* no half row: the ones before it are kept */
		b->n = b->last;
		return;
	}
	memcpy(b->buf + b->n, p, n);
	b->n += n;
}

static rowbatch *batch_new(shodo_collection *c, const char *label)
{
	rowbatch *b = calloc(1, sizeof(*b));
	if (b) {
		snprintf(b->label, sizeof(b->label), "%s", label);
		b->c = c;
	}
	return b;
}

static void batch_msg(rowbatch *b, char type, int nf, const char *const *f, const size_t *len)
{
	unsigned char h[2] = {(unsigned char)type, (unsigned char)nf};
	b->last = b->n;
	batch_put(b, h, 2);
	for (int i = 0; i < nf; i++) {
		uint32_t l = f[i] ? (uint32_t)len[i] : 0xffffffffu;
		batch_put(b, &l, sizeof(l));
		if (f[i])
			batch_put(b, f[i], len[i]);
	}
}

static void store_rows(shodo_triage_ctx *ctx, void *arg);

static void flush_rows(vol_job *j)
{
	rowbatch *b = j->rows;
	j->rows = NULL;
	if (!b)
		return;
	if (!b->n) {
		free(b);
		return;
	}
	if (j->ctx->analysis)
		shodo_analysis_rows(j->ctx->analysis, store_rows, b, sizeof(*b) + b->cap);
	else
		store_rows(j->ctx, b);   /* the store is this thread's */
}

static void batch_row(vol_job *j, const col_msg *m)
{
	if (!j->rows && !(j->rows = batch_new(j->c, j->v->label)))
		return;
	batch_msg(j->rows, m->type, m->nf, m->f, m->len);
	if (j->rows->n >= ROWBATCH_MAX)
		flush_rows(j);
}

static void store_row(shodo_triage_ctx *ctx, rowbatch *b, const col_msg *m)
{
	const char *const *f = m->f;
	switch (m->type) {
	case 'F': {
		static const char sql[] =
			"INSERT INTO files(volume,path,name,ext,inode,size,allocated,is_dir,mtime,atime,ctime,crtime,"
			"fn_mtime,fn_crtime,category,extracted) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
		sqlite3_stmt *s = shodo_store_stmt(ctx->store, sql, NULL);
		if (!s)
			break;
		const char *path = f[0] ? f[0] : "";
		const char *name = strrchr(path, '/');
		shodo_bind_text(s, 1, b->label);
		shodo_bind_text(s, 2, path);
		shodo_bind_text(s, 3, name ? name + 1 : path);
		shodo_bind_text(s, 4, f[1]);
		sqlite3_bind_int64(s, 5, col_msg_int(m, 2));
		if (f[3])
			sqlite3_bind_int64(s, 6, col_msg_int(m, 3));
		sqlite3_bind_int(s, 7, (int)col_msg_int(m, 4));
		sqlite3_bind_int(s, 8, (int)col_msg_int(m, 5));
		for (int i = 0; i < 6; i++)
			shodo_bind_text(s, 9 + i, f[6 + i]);
		shodo_bind_text(s, 15, f[12]);
		shodo_bind_text(s, 16, f[13]);
		shodo_store_step_done(ctx->store, s, NULL);
		break;
	}
	case 'C': {
		sqlite3_stmt *s = shodo_store_stmt(ctx->store, "INSERT INTO ext_counts(volume, ext, files) VALUES(?, ?, ?)",
		                                   NULL);
		if (s) {
			shodo_bind_text(s, 1, b->label);
			shodo_bind_text(s, 2, f[0]);
			sqlite3_bind_int64(s, 3, col_msg_int(m, 1));
			shodo_store_step_done(ctx->store, s, NULL);
		}
		break;
	}
	case 'A': {
		sqlite3_stmt *s = shodo_store_stmt(ctx->store,
		                                   "INSERT INTO artifacts(source,category,parser,status,message) "
		                                   "VALUES(?,?,NULL,?,?)", NULL);
		if (s) {
			for (int i = 0; i < 4; i++)
				shodo_bind_text(s, 1 + i, f[i]);
			shodo_store_step_done(ctx->store, s, NULL);
		}
		break;
	}
	case 'S': {   /* the volume serial (windows_serial): f = serial, source */
		sqlite3_stmt *s = shodo_store_stmt(ctx->store, "INSERT INTO host(volume, key, value, source) VALUES(?, "
		                                   "'volume_serial', ?, ?)", NULL);
		if (!s)
			break;
		shodo_bind_text(s, 1, b->label);
		shodo_bind_text(s, 2, f[0]);
		shodo_bind_text(s, 3, f[1]);
		if (shodo_store_step_done(ctx->store, s, NULL) == SHODO_OK) {
			shodo_collection *c = b->c;
			if (shodo_grow(&c->serial_rows, &c->capserial, c->nserial + 1) == 0)
				c->serial_rows[c->nserial++] = sqlite3_last_insert_rowid(shodo_store_db(ctx->store));
		}
		break;
	}
	default:
		break;
	}
}

static void store_rows(shodo_triage_ctx *ctx, void *arg)
{
	rowbatch *b = arg;
	size_t o = 0;
	while (b->n - o >= 2) {
		col_msg m;
		memset(&m, 0, sizeof(m));
		m.type = (char)b->buf[o];
		int nf = b->buf[o + 1];
		o += 2;
		for (int i = 0; i < nf && i < COL_MSG_MAXF && b->n - o >= 4; i++) {
			uint32_t l;
			memcpy(&l, b->buf + o, sizeof(l));
			o += sizeof(l);
			m.f[i] = NULL;
			if (l != 0xffffffffu) {
				if (l > b->n - o)
					break;
				m.f[i] = (const char *)b->buf + o;
				m.len[i] = l;
				o += l;
			}
			m.nf = i + 1;
		}
		store_row(ctx, b, &m);
	}
	free(b->buf);
	free(b);
}

/* The volume serials (host rows written at each volume's end) come before
 * the rows the parsers write into host, as when every parse came after the
 * collection: the last collector job puts them back in that order (host.csv
 * and the report read host in row order). */
static void host_order(shodo_triage_ctx *ctx, void *arg)
{
	shodo_collection *c = arg;
	sqlite3 *db = shodo_store_db(ctx->store);
	sqlite3_stmt *s = NULL;
	int needed = 0;
	if (!c->nserial)
		return;
	/* a parser's row before a serial's */
	if (sqlite3_prepare_v2(db, "SELECT rowid FROM host ORDER BY rowid", -1, &s, NULL) != SQLITE_OK)
		return;
	size_t k = 0;
	while (sqlite3_step(s) == SQLITE_ROW && k < c->nserial) {
		if (sqlite3_column_int64(s, 0) == c->serial_rows[k])
			k++;
		else
			needed = 1;
	}
	sqlite3_finalize(s);
	if (!needed)
		return;
	if (shodo_store_exec(ctx->store, "CREATE TEMP TABLE col_serial(r INTEGER PRIMARY KEY); "
	                                 "CREATE TEMP TABLE col_host AS SELECT rowid AS r, volume, key, value, source "
	                                 "FROM host", NULL) != SHODO_OK)
		return;
	if (sqlite3_prepare_v2(db, "INSERT INTO temp.col_serial(r) VALUES(?)", -1, &s, NULL) == SQLITE_OK) {
		for (size_t i = 0; i < c->nserial; i++) {
			sqlite3_bind_int64(s, 1, c->serial_rows[i]);
			sqlite3_step(s);
			sqlite3_reset(s);
		}
		sqlite3_finalize(s);
	}
	shodo_store_exec(ctx->store, "DELETE FROM host; "
	                 "INSERT INTO host(volume, key, value, source) SELECT volume, key, value, source FROM "
	                 "temp.col_host ORDER BY r NOT IN (SELECT r FROM temp.col_serial), r; "
	                 "DROP TABLE temp.col_host; DROP TABLE temp.col_serial", NULL);
}

static int vol_msg(const col_msg *m, void *ud)
{
	vol_job *j = ud;
	shodo_triage_ctx *ctx = j->ctx;
	const char *const *f = m->f;
	switch (m->type) {
	case 'E':
		if (m->nf >= 3)
			shodo_emit(ctx->sink, (shodo_event_kind)col_msg_int(m, 0), f[1] ? f[1] : "collect", "%s",
			           f[2] ? f[2] : "");
		break;
	case 'P':
		if (m->nf >= 4)
			shodo_progress(ctx->sink, f[0] ? f[0] : "collect", f[1] ? f[1] : "files",
			               (uint64_t)col_msg_int(m, 2), (uint64_t)col_msg_int(m, 3));
		break;
	case 'F':
	case 'C':
		if (m->nf >= (m->type == 'F' ? 14 : 2))
			batch_row(j, m);
		break;
	case 'M':
		if (m->nf >= 1 && f[0]) {
			int en = manifest_line(j->manifest, f[0]);
			if (en) {
				/* a copy the manifest does not list cannot stay: stop the
				 * walk; the copy being recorded (pending) is removed below */
				j->c->dest_errno = en;
				snprintf(j->c->dest_error, sizeof(j->c->dest_error), "cannot write 'manifest.jsonl': %s",
				         strerror(en));
				j->dest_stop = 1;
				return -1;
			}
			j->listed++;
			char *k = j->pending[0] ? strdup(j->pending) : NULL;
			if (k && shodo_grow(&j->kept, &j->capkept, j->nkept + 1) == 0)
				j->kept[j->nkept++] = k;
			else
				free(k);
		}
		break;
	case 'A':
		if (m->nf >= 4)
			batch_row(j, m);
		break;
	case 'K':
		if (m->nf >= 2 && f[0] && f[1])
			shodo_case_known_hash(ctx->opts->kase, f[0], f[1]);
		break;
	case 'B':
		if (m->nf >= 1 && f[0])
			snprintf(j->pending, sizeof(j->pending), "%s", f[0]);
		break;
	case 'X': {
		if (m->nf < 8 || !f[0] || !f[1] || !f[2] || !f[3])
			break;
		shodo_collection *c = j->c;
		if (shodo_grow(&c->arts, &c->cap, c->n + 1) < 0)
			break;
		shodo_artifact *a = &c->arts[c->n++];
		memset(a, 0, sizeof(*a));
		a->volume = keep(c, j->v->label);
		a->volume_offset = j->v->offset;
		a->path = keep(c, f[0]);
		a->file = keep(c, f[1]);
		a->source = keep(c, f[2]);
		a->category = static_cat(c, f[3]);
		a->size = (uint64_t)col_msg_int(m, 4);
		a->inode = (uint64_t)col_msg_int(m, 5);
		a->mtime = f[6] ? keep(c, f[6]) : NULL;
		a->crtime = f[7] ? keep(c, f[7]) : NULL;
		j->pending[0] = '\0';
		/* its copy is complete and listed in the manifest: its rows
		 * first, then its parse, while the walk goes on */
		flush_rows(j);
		if (ctx->analysis)
			shodo_analysis_parse(ctx->analysis, a);
		break;
	}
	case 'D':
		if (m->nf >= 2) {
			j->c->dest_errno = (int)col_msg_int(m, 0);
			snprintf(j->c->dest_error, sizeof(j->c->dest_error), "%s", f[1] ? f[1] : "");
		}
		break;
	case 'J': {
		if (m->nf < 5)
			break;
		json_t *o = f[0] ? json_loads(f[0], 0, NULL) : NULL;
		if (o)
			json_object_update(j->jv, o);
		json_decref(o);
		j->c->seen += (uint64_t)col_msg_int(m, 1);
		j->c->files += (uint64_t)col_msg_int(m, 2);
		j->c->bytes += (uint64_t)col_msg_int(m, 3);
		j->c->errors += (uint64_t)col_msg_int(m, 4);
		j->ended = 1;
		break;
	}
	default:
		break;
	}
	return 0;
}

/* After the walk was stopped for a manifest line that could not be written,
 * the child may already have begun further copies whose messages were never
 * read: remove every copy of this volume that the manifest does not list. */
static const vol_job *unlisted_job;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int unlisted_cb(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (flag != FTW_F && flag != FTW_SL)
		return 0;
	const vol_job *j = unlisted_job;
	if (!j->kept || !bsearch(&p, j->kept, j->nkept, sizeof(*j->kept), cmp_str))
		unlink(p);
	return 0;
}

static void remove_unlisted(vol_job *j)
{
	char dir[4096];
	if (shodo_snprintf(dir, sizeof(dir), "%s/%s", j->files_dir, j->v->label) < 0)
		return;
	if (j->nkept)
		qsort(j->kept, j->nkept, sizeof(*j->kept), cmp_str);
	unlisted_job = j;
	nftw(dir, unlisted_cb, 16, FTW_PHYS);
	unlisted_job = NULL;
}

static void isolated_volume(shodo_triage_ctx *ctx, shodo_collection *c, col_source *src, col_volume *v,
                            FILE *manifest, const char *files_dir, const char *rel_base, json_t *jv)
{
	vol_job j;
	memset(&j, 0, sizeof(j));
	j.ctx = ctx;
	j.c = c;
	j.src = src;
	j.v = v;
	j.files_dir = files_dir;
	j.rel_base = rel_base;
	j.jv = jv;
	j.manifest = manifest;
	double timeout = ctx->opts->volume_timeout > 0 ? ctx->opts->volume_timeout : COL_VOLUME_TIMEOUT;
	col_child_result res;
	int started = col_run_isolated(vol_child, &j, timeout, ctx->cancel, vol_msg, &j, &res);
	/* the volume's rows, in one transaction as they came (whatever ended the walk) */
	flush_rows(&j);
	if (ctx->analysis)
		shodo_analysis_commit(ctx->analysis);
	if (j.dest_stop)
		remove_unlisted(&j);
	for (size_t i = 0; i < j.nkept; i++)
		free(j.kept[i]);
	free(j.kept);
	if (started == 0 && j.ended && res.exited && res.code == 0)
		return;
	if (res.cancelled)
		return;
	/* the walk died: what arrived whole is kept; a copy being written goes */
	if (j.pending[0]) {
		chmod(j.pending, 0600);
		unlink(j.pending);
	}
	if (j.dest_stop) {
		/* stopped for a full case folder, not a failed walk */
		c->files += j.listed;
		return;
	}
	char why[300];
	col_child_describe(&res, timeout, why, sizeof(why));
	v->status = "failed";
	snprintf(v->error, sizeof(v->error), "%s; what was collected before is kept", why);
	json_object_set_new(jv, "status", json_string(v->status));
	json_object_set_new(jv, "error", json_string(v->error));
	c->volumes_bad++;
	c->errors++;
	shodo_emit(ctx->sink, SHODO_EV_WARN, "collect", "%s (%s): %s", v->label, v->desc, v->error);
}

/* the serial of a volume holding Windows, as host identity (the fleet
 * view's "same name and volume serial is one machine") */
static void windows_serial(shodo_triage_ctx *ctx, shodo_collection *c, const col_volume *v, json_t *jv)
{
	const char *sn = json_string_value(json_object_get(jv, "volume_serial"));
	if (!sn || !json_is_true(json_object_get(jv, "windows")))
		return;
	char src[200];
	snprintf(src, sizeof(src), "%s: NTFS boot sector", v->label);
	vol_job j;
	memset(&j, 0, sizeof(j));
	j.ctx = ctx;
	j.rows = batch_new(c, v->label);
	if (!j.rows)
		return;
	const char *f[2] = {sn, src};
	size_t len[2] = {strlen(sn) + 1, strlen(src) + 1};
	batch_msg(j.rows, 'S', 2, f, len);
	flush_rows(&j);
}

int col_walk_image(const char *path, int full, const char *tmpdir)
{
	col_source src;
	col_source_open(&src, path);
	if (!src.img)
		return -1;
	col_volume v;
	memset(&v, 0, sizeof(v));
	snprintf(v.label, sizeof(v.label), "fs@0");
	v.status = "ok";
	tsk_error_reset();
	v.fs = tsk_fs_open_img(src.img, 0, TSK_FS_TYPE_DETECT);
	if (!v.fs) {
		tsk_error_reset();
		col_source_close(&src);
		return -1;
	}
	snprintf(v.fstype, sizeof(v.fstype), "%s", tsk_fs_type_toname(v.fs->ftype));
	int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	col_chan *ch = fd >= 0 ? col_chan_open(fd) : NULL;
	shodo_triage_opts o;
	memset(&o, 0, sizeof(o));
	o.profile = full ? SHODO_PROFILE_FULL : SHODO_PROFILE_QUICK;
	o.no_extract = 1;
	shodo_triage_ctx ctx;
	memset(&ctx, 0, sizeof(ctx));
	ctx.opts = &o;
	shodo_collection c;
	memset(&c, 0, sizeof(c));
	json_t *jv = json_object();
	if (ch) {
		col_extract_ticks(ch);
		collect_volume(&ctx, &c, &v, ch, tmpdir, "fuzz/triage/files", jv);
		col_extract_ticks(NULL);
		col_chan_close(ch);
	} else if (fd >= 0) {
		close(fd);
	}
	json_decref(jv);
	for (size_t i = 0; i < c.nstrs; i++)
		free(c.strs[i]);
	free(c.strs);
	col_volume_close(&v);
	col_source_close(&src);
	return 0;
}

/* a folder of temporary copies under $TMPDIR, removed by
 * shodo_collection_free */
static shodo_status make_tmpdir(shodo_collection *c, shodo_err *err)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(c->tmpdir, sizeof(c->tmpdir), "%s/shodo-triage.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(c->tmpdir)) {
		c->tmpdir[0] = '\0';
		return shodo_err_set(err, SHODO_FATAL, errno, "cannot create a temporary folder in '%s'",
		                     tmp && *tmp ? tmp : "/tmp");
	}
	return SHODO_OK;
}

static int rm_cb(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p) < 0 ? 0 : 0;
}

void shodo_collection_free(shodo_collection *c)
{
	if (c->tmpdir[0])
		nftw(c->tmpdir, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
	for (size_t i = 0; i < c->nstrs; i++)
		free(c->strs[i]);
	free(c->strs);
	free(c->arts);
	free(c->serial_rows);
	json_decref(c->sources);
	json_decref(c->volumes);
	memset(c, 0, sizeof(*c));
}

shodo_status shodo_collect_run(shodo_triage_ctx *ctx, shodo_collection *c, shodo_err *err)
{
	const shodo_triage_opts *o = ctx->opts;
	char mpath[4096], files_dir[4096], rel_base[512];
	shodo_status rc = SHODO_OK;
	FILE *manifest = NULL;
	col_source *srcs = calloc((size_t)o->nsources, sizeof(*srcs));
	col_volume *vols = NULL;
	size_t nvols = 0, vcap = 0;

	memset(c, 0, sizeof(*c));
	c->sources = json_array();
	c->volumes = json_array();
	if (!srcs)
		return shodo_err_set(err, SHODO_FATAL, ENOMEM, "triage");
	snprintf(rel_base, sizeof(rel_base), "%s/triage/files", o->evidence_id);
	if (o->no_extract) {
		if ((rc = make_tmpdir(c, err)) != SHODO_OK)
			goto out;
		snprintf(files_dir, sizeof(files_dir), "%s", c->tmpdir);
	} else {
		snprintf(files_dir, sizeof(files_dir), "%s/files", ctx->triage_dir);
		if (shodo_mkdirs(files_dir, 0700) < 0) {
			rc = shodo_err_set(err, SHODO_FATAL, errno, "cannot create '%s'", files_dir);
			goto out;
		}
		/* FAT holds no file of 4 GiB or more: a bigger artifact (a
		 * server's Security log, the $MFT) is hashed and parsed from a
		 * temporary copy instead of ending the run with EFBIG */
		if (shodo_dest_max_file(files_dir)) {
			if ((rc = make_tmpdir(c, err)) != SHODO_OK)
				goto out;
			c->fat = 1;
			shodo_emit(ctx->sink, SHODO_EV_WARN, "collect",
			           "the case folder is on FAT, which holds no file of 4 GiB or more: such a file is "
			           "not copied; it is hashed, and parsed from a temporary copy in '%s' when there is "
			           "room for it",
			           c->tmpdir);
		}
	}
	snprintf(mpath, sizeof(mpath), "%s/manifest.jsonl", ctx->triage_dir);
	int mfd = open(mpath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (mfd < 0 || !(manifest = fdopen(mfd, "w"))) {
		rc = shodo_err_set(err, SHODO_FATAL, errno, "cannot create '%s'", mpath);
		if (mfd >= 0)
			close(mfd);
		goto out;
	}

	shodo_emit(ctx->sink, SHODO_EV_PHASE, "collect", "collecting (%s profile)",
	           o->profile == SHODO_PROFILE_FULL ? "full" : "quick");
	int usable = 0;
	for (int i = 0; i < o->nsources; i++) {
		col_source *s = &srcs[i];
		col_source_open(s, o->sources[i]);
		json_t *js = json_pack("{s:s}", "path", o->sources[i]);
		if (!s->img) {
			shodo_emit(ctx->sink, SHODO_EV_ERROR, "collect", "%s", s->error);
			json_object_set_new(js, "error", json_string(s->error));
			json_array_append_new(c->sources, js);
			c->volumes_bad++;
			continue;
		}
		json_object_set_new(js, "type", json_string(s->type));
		json_object_set_new(js, "size", json_integer((json_int_t)s->size));
		if (s->warning[0]) {
			shodo_emit(ctx->sink, SHODO_EV_WARN, "collect", "%s", s->warning);
			json_object_set_new(js, "warning", json_string(s->warning));
			c->volumes_bad++;
		}
		json_array_append_new(c->sources, js);
		shodo_emit(ctx->sink, SHODO_EV_INFO, "collect", "source '%s': %s, %llu bytes", s->path, s->type,
		           (unsigned long long)s->size);
		size_t before = nvols;
		col_probe pr = {ctx->sink, ctx->cancel,
		                o->volume_timeout > 0 ? o->volume_timeout : COL_VOLUME_TIMEOUT};
		col_volumes_find(s, i, &vols, &nvols, &vcap, &pr);
		for (size_t k = before; k < nvols; k++) {
			col_volume *v = &vols[k];
			json_t *jv = json_pack("{s:s, s:s, s:I, s:I, s:s, s:s}", "label", v->label, "source",
			                       o->sources[i], "offset", (json_int_t)v->offset, "length",
			                       (json_int_t)v->length, "description", v->desc, "status", v->status);
			if (v->fstype[0])
				json_object_set_new(jv, "file_system", json_string(v->fstype));
			if (v->error[0])
				json_object_set_new(jv, "error", json_string(v->error));
			if (strcmp(v->status, "ok")) {
				c->volumes_bad++;
				shodo_emit(ctx->sink, SHODO_EV_WARN, "collect", "%s (%s): %s", v->label, v->desc, v->error);
			} else {
				usable++;
				isolated_volume(ctx, c, s, v, manifest, files_dir, rel_base, jv);
				windows_serial(ctx, c, v, jv);
			}
			json_array_append_new(c->volumes, jv);
			if (shodo_cancelled(ctx->cancel) || c->dest_errno)
				break;
		}
		col_source_close(s);
		if (shodo_cancelled(ctx->cancel) || c->dest_errno)
			break;
	}
	/* the collector's last rows: the host table in the order of a
	 * collection that came before every parse */
	if (ctx->analysis) {
		shodo_analysis_rows(ctx->analysis, host_order, c, 0);
		shodo_analysis_commit(ctx->analysis);
	} else {
		host_order(ctx, c);
	}
	if (fclose(manifest) != 0) {
		manifest = NULL;
		rc = shodo_err_set(err, SHODO_FATAL, errno, "cannot write '%s'", mpath);
		goto out;
	}
	manifest = NULL;
	shodo_case_seal_file(mpath);
	if (shodo_cancelled(ctx->cancel)) {
		rc = shodo_err_set(err, SHODO_CANCELLED, 0, "triage cancelled");
		goto out;
	}
	if (c->dest_errno) {
		rc = shodo_err_set(err, SHODO_FATAL, 0, "cannot write into the case folder, stopped after %llu files: %s",
		                   (unsigned long long)c->files, c->dest_error);
		shodo_err_hint(err, "free space in (or choose) another case folder and triage again with the same evidence ID (the "
		                    "unfinished attempt is replaced); "
		                    "manifest.jsonl lists what was copied");
		goto out;
	}
	/* a disk disconnected while it was read: its volumes failed, or its
	 * files did, and neither says why */
	for (int i = 0; i < o->nsources; i++) {
		if (!col_source_present(&srcs[i])) {
			rc = shodo_err_set(err, SHODO_FATAL, 0, "the source '%s' was disconnected while it was triaged (it no "
			                   "longer has its %llu bytes): what was collected from it is incomplete",
			                   srcs[i].path, (unsigned long long)srcs[i].size);
			shodo_err_hint(err, "reconnect it and triage again with the same evidence ID (the unfinished attempt is "
			                    "replaced)");
			goto out;
		}
	}
	if (!usable) {
		rc = shodo_err_set(err, SHODO_FATAL, 0, "no readable volume in %s",
		                   o->nsources == 1 ? "the source" : "the sources");
		shodo_err_hint(err, "check the source with 'mmls' and 'fsstat'; BitLocker volumes must be unlocked first");
		goto out;
	}
	shodo_emit(ctx->sink, SHODO_EV_INFO, "collect", "collected %llu files (%llu bytes) from %d volume%s",
	           (unsigned long long)c->files, (unsigned long long)c->bytes, usable, usable == 1 ? "" : "s");
	if (c->errors || c->volumes_bad)
		rc = SHODO_WARN;
out:
	if (manifest)
		fclose(manifest);
	for (size_t k = 0; k < nvols; k++)
		col_volume_close(&vols[k]);
	free(vols);
	for (int i = 0; i < o->nsources; i++)
		col_source_close(&srcs[i]);
	free(srcs);
	return rc;
}
