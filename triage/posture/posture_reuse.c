/*
 * triage/posture/posture_reuse.c — the reuse review list for a rebuild: every
 * executable, library, driver, script, shortcut and installer-type file the
 * collector saw (table `files`: in the full profile every file of the
 * volume, in the quick profile what it collected) with size, times, MD5,
 * SHA-1 and SHA-256, whether it changed inside the incident window and
 * whether it lies where users can write.  Hashes come from the bytes the
 * collector extracted (the artifact list); files that were only listed have
 * none (docs/posture.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "shodo/hash.h"
#include "shodo/util.h"
#include "posture_int.h"

static const struct {
	const char *ext, *kind;
} review_ext[] = {
	{"exe", "executable"}, {"com", "executable"}, {"scr", "executable"}, {"pif", "executable"},
	{"cpl", "executable"}, {"msc", "executable"}, {"gadget", "executable"},
	{"dll", "library"}, {"ocx", "library"}, {"drv", "library"}, {"ax", "library"}, {"efi", "library"},
	{"sys", "driver"},
	{"msi", "installer"}, {"msp", "installer"}, {"msu", "installer"}, {"mst", "installer"},
	{"appx", "installer"}, {"msix", "installer"}, {"cab", "installer"},
	{"bat", "script"}, {"cmd", "script"}, {"ps1", "script"}, {"psm1", "script"}, {"psd1", "script"},
	{"vbs", "script"}, {"vbe", "script"}, {"js", "script"}, {"jse", "script"}, {"wsf", "script"},
	{"wsh", "script"}, {"hta", "script"}, {"py", "script"}, {"pyw", "script"}, {"pl", "script"},
	{"rb", "script"}, {"sh", "script"}, {"au3", "script"}, {"ahk", "script"}, {"sct", "script"},
	{"inf", "script"}, {"reg", "script"}, {"xsl", "script"},
	{"jar", "executable"}, {"class", "executable"},
	{"lnk", "shortcut"}, {"url", "shortcut"}, {"scf", "shortcut"}, {"library-ms", "shortcut"},
	{"iso", "container"}, {"img", "container"}, {"vhd", "container"}, {"vhdx", "container"},
	{"docm", "macro document"}, {"xlsm", "macro document"}, {"pptm", "macro document"},
	{"dotm", "macro document"}, {"xlam", "macro document"},
};

const char *posture_review_kind(const char *name)
{
	const char *b = strrchr(name, '/');
	b = b ? b + 1 : name;
	const char *d = strrchr(b, '.');
	if (!d || d == b || !d[1])
		return NULL;
	/* a named stream ("file.exe:Zone.Identifier") is not the file */
	if (strchr(d, ':'))
		return NULL;
	for (size_t i = 0; i < sizeof(review_ext) / sizeof(review_ext[0]); i++)
		if (!strcasecmp(d + 1, review_ext[i].ext))
			return review_ext[i].kind;
	return NULL;
}

int posture_user_writable(const char *path)
{
	while (*path == '/' || *path == '\\')
		path++;
	static const char *const places[] = {
		"Users/", "ProgramData/", "Windows/Temp/", "PerfLogs/", "$Recycle.Bin/", "RECYCLER/", "Recycled/",
		"Documents and Settings/", "Temp/", "Windows/Tasks/", "Windows/tracing/", "Windows/debug/",
		"Windows/System32/spool/drivers/color/", "Windows/System32/Tasks/", "Windows/SysWOW64/Tasks/",
		"Intel/",
	};
	for (size_t i = 0; i < sizeof(places) / sizeof(places[0]); i++)
		if (!strncasecmp(path, places[i], strlen(places[i])))
			return 1;
	return 0;
}

typedef struct art_ref {
	const shodo_artifact *a;
	int used;
} art_ref;

static int norm_cmp(const char *a, const char *b)
{
	while (*a == '/')
		a++;
	while (*b == '/')
		b++;
	return strcmp(a, b);
}

static int cmp_art(const void *x, const void *y)
{
	const art_ref *p = x, *q = y;
	int c = norm_cmp(p->a->path, q->a->path);
	if (!c)
		c = strcmp(p->a->volume ? p->a->volume : "", q->a->volume ? q->a->volume : "");
	return c;
}

static art_ref *find_art(art_ref *v, size_t n, const char *volume, const char *path)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = norm_cmp(v[mid].a->path, path);
		if (!c)
			c = strcmp(v[mid].a->volume ? v[mid].a->volume : "", volume ? volume : "");
		if (c < 0)
			lo = mid + 1;
		else if (c > 0)
			hi = mid;
		else
			return &v[mid];
	}
	return NULL;
}

static int in_window(shodo_triage_ctx *ctx, const char *mtime, const char *crtime)
{
	if (!ctx->since && !ctx->until)
		return -1;
	const char *t[2] = {mtime, crtime};
	int known = 0;
	for (int i = 0; i < 2; i++) {
		time_t v;
		if (!t[i] || !*t[i] || shodo_parse_iso(t[i], &v) != 0)
			continue;
		known = 1;
		if ((!ctx->since || v >= ctx->since) && (!ctx->until || v <= ctx->until))
			return 1;
	}
	return known ? 0 : -1;
}

static shodo_status add_row(shodo_triage_ctx *ctx, const char *volume, const char *path, const char *kind,
                            long long size, const char *mtime, const char *crtime, const shodo_artifact *a,
                            int *hashed, shodo_err *err)
{
	shodo_digests d;
	memset(&d, 0, sizeof(d));
	if (a && a->file) {
		shodo_err he;
		shodo_err_clear(&he);
		if (shodo_hash_file(a->file, SHODO_HASH_ALL, &d, &he) != SHODO_OK) {
			shodo_emit(ctx->sink, SHODO_EV_WARN, "posture", "reuse review: %s", he.msg);
			d.set = 0;
		} else {
			(*hashed)++;
		}
	}
	sqlite3_stmt *s = shodo_store_stmt(ctx->store,
	                                   "INSERT INTO reuse_review(path, volume, kind, size, mtime, crtime, md5, sha1,"
	                                   " sha256, in_window, user_writable) VALUES(?,?,?,?,?,?,?,?,?,?,?)", err);
	if (!s)
		return SHODO_FATAL;
	shodo_bind_text(s, 1, path);
	shodo_bind_text(s, 2, volume);
	shodo_bind_text(s, 3, kind);
	if (size >= 0)
		sqlite3_bind_int64(s, 4, size);
	shodo_bind_text(s, 5, mtime);
	shodo_bind_text(s, 6, crtime);
	shodo_bind_text(s, 7, d.set & SHODO_HASH_MD5 ? d.md5 : NULL);
	shodo_bind_text(s, 8, d.set & SHODO_HASH_SHA1 ? d.sha1 : NULL);
	shodo_bind_text(s, 9, d.set & SHODO_HASH_SHA256 ? d.sha256 : NULL);
	int w = in_window(ctx, mtime, crtime);
	if (w >= 0)
		sqlite3_bind_int(s, 10, w);
	sqlite3_bind_int(s, 11, posture_user_writable(path));
	return shodo_store_step_done(ctx->store, s, err);
}

shodo_status posture_reuse_run(shodo_triage_ctx *ctx, const shodo_artifact *arts, size_t n, shodo_err *err)
{
	art_ref *v = calloc(n ? n : 1, sizeof(*v));
	if (!v)
		return shodo_err_set(err, SHODO_FATAL, 0, "reuse review: out of memory");
	size_t nv = 0;
	for (size_t i = 0; i < n; i++)
		if (arts[i].path && arts[i].file && posture_review_kind(arts[i].path))
			v[nv++].a = &arts[i];
	qsort(v, nv, sizeof(*v), cmp_art);

	shodo_status rc = SHODO_OK;
	long rows = 0;
	int hashed = 0;
	sqlite3 *db = shodo_store_db(ctx->store);
	sqlite3_stmt *s = NULL;
	/* the extension filter runs in SQL: the full profile lists every file */
	char sql[2048];
	size_t o = (size_t)snprintf(sql, sizeof(sql),
	                            "SELECT volume, path, size, mtime, crtime FROM files WHERE (is_dir IS NULL OR is_dir = 0)"
	                            " AND lower(ext) IN (");
	for (size_t i = 0; i < sizeof(review_ext) / sizeof(review_ext[0]); i++)
		o += (size_t)snprintf(sql + o, sizeof(sql) - o, "%s'%s'", i ? "," : "", review_ext[i].ext);
	snprintf(sql + o, sizeof(sql) - o, ") GROUP BY volume, path, inode ORDER BY volume, path");
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		free(v);
		return shodo_err_set(err, SHODO_FATAL, 0, "reuse review: %s", sqlite3_errmsg(db));
	}
	while (rc == SHODO_OK && sqlite3_step(s) == SQLITE_ROW) {
		if ((rows & 1023) == 0 && shodo_cancelled(ctx->cancel))
			break;
		const char *vol = (const char *)sqlite3_column_text(s, 0);
		const char *path = (const char *)sqlite3_column_text(s, 1);
		if (!path)
			continue;
		const char *kind = posture_review_kind(path);
		if (!kind)
			continue;
		long long size = sqlite3_column_type(s, 2) == SQLITE_NULL ? -1 : sqlite3_column_int64(s, 2);
		art_ref *ar = find_art(v, nv, vol, path);
		/* hash each extracted file once even when several rows name it */
		const shodo_artifact *a = ar && !ar->used ? ar->a : NULL;
		if (ar)
			ar->used = 1;
		rc = add_row(ctx, vol, path, kind, size, (const char *)sqlite3_column_text(s, 3),
		             (const char *)sqlite3_column_text(s, 4), a, &hashed, err);
		rows++;
	}
	sqlite3_finalize(s);
	/* extracted files the files table does not list */
	for (size_t i = 0; i < nv && rc == SHODO_OK; i++) {
		if (v[i].used)
			continue;
		const shodo_artifact *a = v[i].a;
		rc = add_row(ctx, a->volume, a->path, posture_review_kind(a->path), (long long)a->size, a->mtime, a->crtime,
		             a, &hashed, err);
		rows++;
	}
	free(v);
	if (rc == SHODO_OK)
		shodo_emit(ctx->sink, SHODO_EV_INFO, "posture", "reuse review: %ld files (%d hashed from extracted copies)",
		           rows, hashed);
	return rc;
}
