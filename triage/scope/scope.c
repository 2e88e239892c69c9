/*
 * triage/scope/scope.c — the scoping answers, computed from what the collector
 * and the parsers stored:
 *
 *   incident window   --since/--until, or (SPEC) the 30 days before the
 *                     newest event found (event logs, and the end of
 *                     encryption and the newest ransom note, which end an
 *                     incident); written back to ctx->since/until and to
 *                     scope_info
 *   failed_logons     failed logons grouped by target account, source IP and
 *                     workstation: count, first/last, logon types, statuses
 *   encrypted_extensions
 *                     extensions appended to user files (report.docx.lockbit)
 *                     that dominate, with counts and the first/last
 *                     modification time: the start and end of encryption
 *   ransom_notes      copies of each note content counted from the files table
 *   timeline          every timestamped fact, sorted by time, UTC
 *
 * Only SQL over the store: no artifact is read here.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "scope.h"
#include "shodo/util.h"

#define DAY 86400

/* ---- small SQL helpers ---- */

static shodo_status exec(shodo_triage_ctx *ctx, const char *sql, shodo_err *err)
{
	shodo_status rc = shodo_store_exec(ctx->store, sql, err);
	if (rc != SHODO_OK)
		shodo_err_prefix(err, "scope");
	return rc;
}

/* first column of the first row as text into out ("" when none); arg, when
 * given, is bound to every parameter */
static void q_text_arg(sqlite3 *db, const char *sql, const char *arg, char *out, size_t outsz)
{
	sqlite3_stmt *s = NULL;
	out[0] = '\0';
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return;
	for (int i = 1; arg && i <= sqlite3_bind_parameter_count(s); i++)
		sqlite3_bind_text(s, i, arg, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		snprintf(out, outsz, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
}

static void q_text(sqlite3 *db, const char *sql, char *out, size_t outsz)
{
	q_text_arg(db, sql, NULL, out, outsz);
}

static void info_put(shodo_triage_ctx *ctx, const char *key, const char *value)
{
	sqlite3_stmt *s = shodo_store_stmt(ctx->store, "INSERT INTO scope_info(key, value) VALUES(?, ?)", NULL);
	if (!s)
		return;
	shodo_bind_text(s, 1, key);
	shodo_bind_text(s, 2, value);
	shodo_store_step_done(ctx->store, s, NULL);
}

/* ---- incident window ---- */

static shodo_status window(shodo_triage_ctx *ctx, shodo_err *err)
{
	sqlite3 *db = shodo_store_db(ctx->store);
	char newest[64] = "", t[64], cap[32];
	time_t now = time(NULL), nt = 0;
	/* a suspect clock may be wrong; times more than a day ahead of ours are
	 * not trusted as "the newest event" */
	shodo_time_iso(now + DAY, cap);
	cap[19] = '\0';
	static const char *const srcs[] = {
		"SELECT max(time) FROM events WHERE substr(time,1,19) <= ?",
		"SELECT max(time) FROM logons WHERE substr(time,1,19) <= ?",
		/* encryption and the notes end an incident: they belong in it */
		"SELECT max(last_mtime) FROM encrypted_extensions WHERE substr(last_mtime,1,19) <= ?",
		"SELECT max(coalesce(crtime, mtime)) FROM ransom_notes WHERE substr(coalesce(crtime, mtime),1,19) <= ?",
		NULL,
	};
	static const char *const fallback[] = {
		"SELECT max(time) FROM persistence WHERE substr(time,1,19) <= ?",
		"SELECT max(last_run) FROM prefetch WHERE substr(last_run,1,19) <= ?",
		"SELECT max(mtime) FROM files WHERE category = 'ransom_note' AND substr(mtime,1,19) <= ?",
		"SELECT max(mtime) FROM files WHERE substr(mtime,1,19) <= ?",
		NULL,
	};
	const char *how = "the 30 days before the newest event";
	for (int pass = 0; pass < 2 && !newest[0]; pass++) {
		const char *const *l = pass ? fallback : srcs;
		for (int i = 0; l[i]; i++) {
			q_text_arg(db, l[i], cap, t, sizeof(t));
			if (t[0] && strcmp(t, newest) > 0)
				snprintf(newest, sizeof(newest), "%s", t);
		}
		if (pass && newest[0])
			how = "the 30 days before the newest time found (no event logs)";
	}
	if (newest[0] && shodo_parse_iso(newest, &nt) < 0)
		nt = 0;
	const shodo_triage_opts *o = ctx->opts;
	time_t since = o ? o->since : ctx->since, until = o ? o->until : ctx->until;
	if (!since && !until) {
		if (!nt) {
			info_put(ctx, "window", "none");
			info_put(ctx, "window_how", "no timestamped facts were found");
			ctx->since = ctx->until = 0;
			return SHODO_OK;
		}
		until = nt + 1; /* the newest event itself is inside */
		since = until - 30 * DAY;
	} else if (!until) {
		until = nt > since ? nt + 1 : now;
		how = "from --since to the newest event";
	} else if (!since) {
		since = until - 30 * DAY;
		how = "the 30 days before --until";
	} else {
		how = "--since and --until";
	}
	ctx->since = since;
	ctx->until = until;
	shodo_time_iso(since, t);
	info_put(ctx, "since", t);
	shodo_time_iso(until, t);
	info_put(ctx, "until", t);
	info_put(ctx, "window_how", how);
	if (newest[0])
		info_put(ctx, "newest_event", newest);
	(void)err;
	return SHODO_OK;
}

/* ---- failed logons (brute force) ---- */

static shodo_status failed_logons(shodo_triage_ctx *ctx, shodo_err *err)
{
	/* grouped by account and source address; the workstation name only
	 * separates groups when there is no address (password-guessing tools
	 * send a random workstation name with every attempt) */
	static const char *const steps[] = {
		"CREATE TEMP TABLE fl AS SELECT lower(coalesce(target_user,'')) || char(31) ||"
		" coalesce(nullif(source_ip,'-'),'') || char(31) || CASE WHEN coalesce(nullif(source_ip,'-'),'') = ''"
		" THEN lower(coalesce(workstation,'')) ELSE '' END AS k, target_user, nullif(source_ip,'-') AS source_ip,"
		" nullif(workstation,'-') AS workstation, time, logon_type, status, source, record FROM logons"
		" WHERE result = 'failure' OR event_id = 4625",
		"CREATE INDEX temp.fl_k ON fl(k)",
		"INSERT INTO failed_logons(target_user, source_ip, workstation, count, first_time, last_time,"
		" logon_types, statuses, source, record)"
		" SELECT (SELECT f4.target_user FROM fl f4 WHERE f4.k = fl.k GROUP BY f4.target_user"
		"   ORDER BY count(*) DESC, f4.target_user LIMIT 1), max(source_ip),"
		"  CASE WHEN count(DISTINCT workstation) <= 1 THEN max(workstation)"
		"   ELSE min(workstation) || ' (+' || (count(DISTINCT workstation) - 1) || ' more)' END,"
		"  count(*), min(time), max(time),"
		"  (SELECT group_concat(t, ',') FROM (SELECT DISTINCT f2.logon_type AS t FROM fl f2 WHERE f2.k = fl.k"
		"    AND f2.logon_type IS NOT NULL ORDER BY f2.logon_type)),"
		"  (SELECT group_concat(x, ',') FROM (SELECT DISTINCT f3.status AS x FROM fl f3 WHERE f3.k = fl.k"
		"    AND f3.status IS NOT NULL AND f3.status <> '' ORDER BY f3.status)),"
		/* where the first attempt of the group is recorded */
		"  (SELECT f5.source FROM fl f5 WHERE f5.k = fl.k ORDER BY f5.time, f5.record LIMIT 1),"
		"  (SELECT f6.record FROM fl f6 WHERE f6.k = fl.k ORDER BY f6.time, f6.record LIMIT 1)"
		" FROM fl GROUP BY k ORDER BY count(*) DESC, min(time)",
		"DROP TABLE temp.fl",
		NULL,
	};
	shodo_status rc = SHODO_OK;
	for (int i = 0; steps[i] && rc == SHODO_OK; i++)
		rc = exec(ctx, steps[i], err);
	return rc;
}

/* ---- encrypted files ---- */

/* extensions of the files people keep: an extension appended after one of
 * these marks an encrypted copy */
static const char *const user_ext[] = {
	"doc", "docx", "docm", "dot", "dotx", "xls", "xlsx", "xlsm", "xlsb", "ppt", "pptx", "pptm", "pdf", "txt",
	"rtf", "odt", "ods", "odp", "csv", "jpg", "jpeg", "png", "gif", "bmp", "tif", "tiff", "heic", "raw", "psd",
	"ai", "svg", "eps", "dwg", "dxf", "mp3", "mp4", "m4a", "avi", "mov", "mkv", "wmv", "wav", "flac", "zip",
	"rar", "7z", "tar", "sql", "mdb", "accdb", "dbf", "db", "sqlite", "mdf", "ldf", "bak", "vmdk", "vhd",
	"vhdx", "vmx", "pst", "ost", "msg", "eml", "htm", "html", "xml", "json", "ini", "cfg", "conf", "log",
	"dat", "php", "py", "js", "java", "cs", "c", "cpp", "h", "key", "pem", "pfx", "crt", "iso", "one", "vsd",
	"vsdx", "pub", "xps", "dcm", "hl7", "exe", "dll", NULL,
};

/* extensions that legitimately follow another one */
static const char *const benign_suffix[] = {
	"lnk", "bak", "old", "tmp", "temp", "orig", "gz", "bz2", "xz", "zst", "zip", "7z", "rar", "cab", "sig",
	"asc", "gpg", "pgp", "md5", "sha1", "sha256", "part", "partial", "crdownload", "download", "pdf", "url",
	"mui", "manifest", "config", "local", "map", "backup", "swp", "log", "txt", "json", "xml", "meta", "ini",
	"dat", "db", "mun", "bk", "sav", "save", "copy", "new", "prev", "1", "2", "3", "html", "htm", NULL,
};

static int in_list(const char *const *l, const char *s, size_t n)
{
	for (int i = 0; l[i]; i++)
		if (strlen(l[i]) == n && !strncasecmp(l[i], s, n))
			return 1;
	return 0;
}

int shodo_scope_appended(const char *name, const char *ext)
{
	/* name = "stem.<something>.<ext>": some middle component is a user
	 * extension (report.docx.lockbit, a.xlsx.id[1-2].[x@y.z].eking) */
	size_t el = ext ? strlen(ext) : 0, nl = name ? strlen(name) : 0;
	if (!el || nl <= el + 1)
		return 0;
	const char *end = name + nl - el - 1; /* the dot before ext */
	const char *p = strchr(name, '.');
	if (!p || p >= end)
		return 0;
	while (p && p < end) {
		const char *q = p + 1;
		size_t l = strcspn(q, ".");
		if (q + l > end)
			l = (size_t)(end - q);
		if (l && in_list(user_ext, q, l))
			return 1;
		p = strchr(q, '.');
	}
	return 0;
}

static int random_ext(const char *e)
{
	/* random per-run extensions: >= 5 chars mixing letters and digits */
	size_t n = strlen(e);
	int alpha = 0, digit = 0;
	if (n < 5 || n > 16)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (isalpha((unsigned char)e[i]))
			alpha++;
		else if (isdigit((unsigned char)e[i]))
			digit++;
		else
			return 0;
	}
	return alpha && digit;
}

typedef struct ext_acc {
	char ext[128];
	long total, appended;
	char first[48], last[48], first_all[48], last_all[48], example[1024];
	long long inode;
} ext_acc;

static void min_max(char *first, char *last, const char *t)
{
	if (!t || !*t)
		return;
	if (!*first || strcmp(t, first) < 0)
		snprintf(first, 48, "%s", t);
	if (!*last || strcmp(t, last) > 0)
		snprintf(last, 48, "%s", t);
}

static shodo_status ext_flush(shodo_triage_ctx *ctx, ext_acc *a, shodo_err *err)
{
	if (!a->ext[0] || in_list(benign_suffix, a->ext, strlen(a->ext)))
		return SHODO_OK;
	/* a ransom note of the family the extension names (three .akira files
	 * beside an akira note) is evidence enough for a few files */
	char fam[64] = "";
	q_text_arg(shodo_store_db(ctx->store), "SELECT family FROM ransom_notes WHERE lower(family) = lower(?) LIMIT 1",
	           a->ext, fam, sizeof(fam));
	int appended = (a->appended >= SHODO_SCOPE_MIN_ENCRYPTED || (fam[0] && a->appended >= 1)) &&
	               a->appended * 2 >= a->total;
	int replaced = !appended && a->total >= 50 && random_ext(a->ext);
	if (!appended && !replaced)
		return SHODO_OK;
	sqlite3_stmt *s = shodo_store_stmt(ctx->store,
	                                   "INSERT INTO encrypted_extensions(extension, count, first_mtime, last_mtime,"
	                                   " example, source, record, family) VALUES(?,?,?,?,?,?,?,?)",
	                                   err);
	if (!s)
		return SHODO_FATAL;
	char e[130];
	snprintf(e, sizeof(e), ".%s", a->ext);
	shodo_bind_text(s, 1, e);
	sqlite3_bind_int64(s, 2, appended ? a->appended : a->total);
	shodo_bind_text(s, 3, appended ? a->first : a->first_all);
	shodo_bind_text(s, 4, appended ? a->last : a->last_all);
	shodo_bind_text(s, 5, a->example);
	/* the example's MFT entry: the record an analyst opens */
	shodo_bind_text(s, 6, a->example[0] ? "files" : NULL);
	if (a->example[0])
		sqlite3_bind_int64(s, 7, a->inode);
	shodo_bind_text(s, 8, fam);
	return shodo_store_step_done(ctx->store, s, err);
}

static shodo_status encrypted(shodo_triage_ctx *ctx, shodo_err *err)
{
	sqlite3 *db = shodo_store_db(ctx->store);
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db,
	                       "SELECT lower(ext), name, mtime, volume, path, inode FROM files"
	                       " WHERE coalesce(is_dir,0) = 0 AND ext IS NOT NULL AND ext <> ''"
	                       " AND coalesce(category,'') <> 'ransom_note' ORDER BY lower(ext)",
	                       -1, &s, NULL) != SQLITE_OK)
		return shodo_err_set(err, SHODO_FATAL, 0, "scope: %s", sqlite3_errmsg(db));
	ext_acc *a = calloc(1, sizeof(*a));
	shodo_status rc = SHODO_OK;
	if (!a) {
		sqlite3_finalize(s);
		return shodo_err_set(err, SHODO_FATAL, 0, "scope: out of memory");
	}
	long n = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *e = (const char *)sqlite3_column_text(s, 0);
		const char *name = (const char *)sqlite3_column_text(s, 1);
		const char *mt = (const char *)sqlite3_column_text(s, 2);
		if (!e)
			continue;
		if ((++n & 0xffff) == 0 && shodo_cancelled(ctx->cancel))
			break;
		if (strcmp(e, a->ext)) {
			if ((rc = ext_flush(ctx, a, err)) != SHODO_OK)
				break;
			memset(a, 0, sizeof(*a));
			snprintf(a->ext, sizeof(a->ext), "%s", e);
		}
		a->total++;
		min_max(a->first_all, a->last_all, mt);
		if (shodo_scope_appended(name, e)) {
			a->appended++;
			min_max(a->first, a->last, mt);
			if (!a->example[0]) {
				const char *v = (const char *)sqlite3_column_text(s, 3);
				const char *p = (const char *)sqlite3_column_text(s, 4);
				snprintf(a->example, sizeof(a->example), "%s%s%s", v ? v : "", v ? ":" : "", p ? p : name);
				a->inode = sqlite3_column_int64(s, 5);
			}
		} else if (!a->example[0] && a->appended == 0 && a->total == 1) {
			/* remembered for a replaced extension; overwritten by an appended one */
		}
	}
	if (rc == SHODO_OK)
		rc = ext_flush(ctx, a, err);
	free(a);
	sqlite3_finalize(s);
	if (rc != SHODO_OK)
		return rc;
	/* a replaced extension has no appended example: name one file */
	return exec(ctx,
	            "UPDATE encrypted_extensions SET example = (SELECT coalesce(f.volume || ':', '') || f.path"
	            " FROM files f WHERE '.' || lower(f.ext) = encrypted_extensions.extension ORDER BY f.rowid LIMIT 1),"
	            " source = 'files', record = (SELECT f.inode FROM files f"
	            " WHERE '.' || lower(f.ext) = encrypted_extensions.extension ORDER BY f.rowid LIMIT 1)"
	            " WHERE example IS NULL",
	            err);
}

/* ---- ransom-note copies ---- */

static shodo_status note_copies(shodo_triage_ctx *ctx, shodo_err *err)
{
	/* the collector extracts each distinct content once and points every
	 * copy's files row at that extracted file; with --no-extract copies are
	 * counted by name on the volume */
	return exec(ctx,
	            "UPDATE ransom_notes SET copies = max(1, coalesce("
	            " nullif((SELECT count(*) FROM files f WHERE f.category = 'ransom_note'"
	            "   AND f.extracted = ransom_notes.source), 0),"
	            " (SELECT count(*) FROM files f WHERE f.category = 'ransom_note'"
	            "   AND coalesce(f.volume,'') = coalesce(ransom_notes.volume,'')"
	            "   AND lower(f.name) = lower(replace(ransom_notes.path, rtrim(ransom_notes.path,"
	            "     replace(ransom_notes.path, '/', '')), ''))), 1))",
	            err);
}

/* ---- timeline ---- */

static shodo_status timeline(shodo_triage_ctx *ctx, shodo_err *err)
{
	char since[32] = "0000", until[32] = "9999";
	if (ctx->since)
		shodo_time_iso(ctx->since, since);
	if (ctx->until)
		shodo_time_iso(ctx->until, until);
	since[19] = until[19] = '\0';
	shodo_status rc = exec(ctx,
	                       "CREATE TEMP TABLE tl(time TEXT, kind TEXT, what TEXT, detail TEXT, source TEXT,"
	                       " record INTEGER)",
	                       err);
	if (rc != SHODO_OK)
		return rc;
	static const char *const parts[] = {
		/* every event the parsers kept */
		"INSERT INTO tl SELECT time, category, coalesce(nullif(target,''), user, ''),"
		" trim(coalesce(user,'') || CASE WHEN user <> '' AND detail <> '' THEN ': ' ELSE '' END ||"
		" coalesce(detail,'')) || ' (event ' || event_id || ')', source, record FROM events WHERE time <> ''",
		/* logons not already there as events */
		"INSERT INTO tl SELECT time, 'logon_' || coalesce(result,''), coalesce(target_domain || '\\', '') ||"
		" coalesce(target_user,''), 'type ' || coalesce(logon_type,'?') ||"
		" coalesce(' from ' || nullif(source_ip,''), '') || coalesce(' (' || nullif(workstation,'') || ')', '') ||"
		" coalesce(' status ' || nullif(status,''), '') || ' (event ' || event_id || ')', source, record"
		" FROM logons l WHERE time <> '' AND NOT EXISTS (SELECT 1 FROM events e WHERE e.source = l.source"
		" AND e.record = l.record)",
		/* persistence (services, tasks, run keys) not already there */
		"INSERT INTO tl SELECT time, kind || '_installed', name, trim(coalesce(command,'') ||"
		" coalesce(' as ' || nullif(account,''), '')), source, record FROM persistence p WHERE time <> ''"
		" AND NOT EXISTS (SELECT 1 FROM events e WHERE e.source = p.source AND e.record = p.record)",
		/* accounts */
		"INSERT INTO tl SELECT created, 'account_created', name, 'RID ' || coalesce(rid,'?') ||"
		" CASE WHEN admin THEN ', administrator' ELSE '' END, source, rid FROM accounts WHERE created <> ''",
		"INSERT INTO tl SELECT last_logon, 'account_last_logon', name, 'logon count ' ||"
		" coalesce(logon_count,'?'), source, rid FROM accounts WHERE last_logon <> ''",
		"INSERT INTO tl SELECT last_password_set, 'account_password_set', name, 'RID ' || coalesce(rid,'?'),"
		" source, rid FROM accounts WHERE last_password_set <> ''",
		"INSERT INTO tl SELECT last_failed_logon, 'account_failed_logon', name, 'bad password count ' ||"
		" coalesce(bad_password_count,'?'), source, rid FROM accounts WHERE last_failed_logon <> ''",
		/* host */
		"INSERT INTO tl SELECT value, 'host_shutdown', 'last shutdown', '', source, NULL FROM host"
		" WHERE key = 'last_shutdown' AND value <> ''",
		/* ransom notes: first and last copy written, per content */
		"INSERT INTO tl SELECT min(coalesce(f.crtime, f.mtime)), 'ransom_note_first', n.path,"
		" coalesce('family ' || n.family || ', ', '') || n.copies || ' copies', n.source, min(f.inode)"
		" FROM ransom_notes n JOIN files f ON f.category = 'ransom_note' AND f.extracted = n.source"
		" WHERE coalesce(f.crtime, f.mtime) <> '' GROUP BY n.rowid",
		"INSERT INTO tl SELECT max(coalesce(f.crtime, f.mtime)), 'ransom_note_last', n.path,"
		" coalesce('family ' || n.family || ', ', '') || n.copies || ' copies', n.source, max(f.inode)"
		" FROM ransom_notes n JOIN files f ON f.category = 'ransom_note' AND f.extracted = n.source"
		" WHERE coalesce(f.crtime, f.mtime) <> '' GROUP BY n.rowid HAVING count(*) > 1",
		"INSERT INTO tl SELECT coalesce(n.crtime, n.mtime), 'ransom_note', n.path, coalesce('family ' ||"
		" n.family || ', ', '') || n.copies || ' copies', n.source, NULL FROM ransom_notes n"
		" WHERE coalesce(n.crtime, n.mtime) <> '' AND NOT EXISTS (SELECT 1 FROM files f"
		" WHERE f.category = 'ransom_note' AND f.extracted = n.source)",
		/* encryption */
		"INSERT INTO tl SELECT first_mtime, 'encryption_start', extension, count || ' files, e.g. ' ||"
		" coalesce(example,''), 'files', NULL FROM encrypted_extensions WHERE first_mtime <> ''",
		"INSERT INTO tl SELECT last_mtime, 'encryption_end', extension, count || ' files', 'files', NULL"
		" FROM encrypted_extensions WHERE last_mtime <> ''",
		NULL,
	};
	for (int i = 0; parts[i]; i++)
		if ((rc = exec(ctx, parts[i], err)) != SHODO_OK)
			return rc;
	/* prefetch: every stored run time (JSON array or space/comma list) */
	{
		sqlite3 *db = shodo_store_db(ctx->store);
		sqlite3_stmt *s = NULL;
		if (sqlite3_prepare_v2(db, "SELECT executable, run_count, last_run, last_runs, flag, source FROM prefetch",
		                       -1, &s, NULL) == SQLITE_OK) {
			while (sqlite3_step(s) == SQLITE_ROW) {
				const char *exe = (const char *)sqlite3_column_text(s, 0);
				const char *last = (const char *)sqlite3_column_text(s, 2);
				const char *runs = (const char *)sqlite3_column_text(s, 3);
				const char *flag = (const char *)sqlite3_column_text(s, 4);
				const char *src = (const char *)sqlite3_column_text(s, 5);
				char detail[256];
				if (sqlite3_column_type(s, 1) == SQLITE_NULL)
					snprintf(detail, sizeof(detail), "run count unknown%s%s", flag ? "; " : "", flag ? flag : "");
				else
					snprintf(detail, sizeof(detail), "run count %lld%s%s", sqlite3_column_int64(s, 1),
					         flag ? "; " : "", flag ? flag : "");
				int any = 0;
				for (const char *p = runs; p && *p;) {
					p += strcspn(p, "0123456789");
					size_t l = strspn(p, "0123456789-:T.Z+");
					if (l >= 19) {
						char t[48];
						snprintf(t, sizeof(t), "%.*s", (int)(l < 47 ? l : 47), p);
						sqlite3_stmt *ins = shodo_store_stmt(ctx->store,
						                                     "INSERT INTO tl VALUES(?, 'program_run', ?, ?, ?, NULL)",
						                                     err);
						if (!ins)
							break;
						shodo_bind_text(ins, 1, t);
						shodo_bind_text(ins, 2, exe);
						shodo_bind_text(ins, 3, detail);
						shodo_bind_text(ins, 4, src);
						shodo_store_step_done(ctx->store, ins, NULL);
						any = 1;
					}
					p += l ? l : (*p ? 1 : 0);
				}
				if (!any && last && *last) {
					sqlite3_stmt *ins = shodo_store_stmt(ctx->store,
					                                     "INSERT INTO tl VALUES(?, 'program_run', ?, ?, ?, NULL)", err);
					if (ins) {
						shodo_bind_text(ins, 1, last);
						shodo_bind_text(ins, 2, exe);
						shodo_bind_text(ins, 3, detail);
						shodo_bind_text(ins, 4, src);
						shodo_store_step_done(ctx->store, ins, NULL);
					}
				}
			}
			sqlite3_finalize(s);
		}
	}
	/* file system entries in the window ($MFT times: M = modified,
	 * C = entry changed, B = born); one row per distinct time */
	static const char *const ftimes[] = {
		"INSERT INTO tl SELECT mtime, 'file', coalesce(volume || ':', '') || path,"
		" 'M' || CASE WHEN ctime = mtime THEN 'C' ELSE '.' END || CASE WHEN crtime = mtime THEN 'B' ELSE '.'"
		" END || coalesce(' ' || category, '') || coalesce(', ' || size || ' bytes', ''),"
		" coalesce(extracted, volume || ':' || path), inode FROM files"
		" WHERE substr(mtime,1,19) >= ?1 AND substr(mtime,1,19) <= ?2",
		"INSERT INTO tl SELECT ctime, 'file', coalesce(volume || ':', '') || path,"
		" '.C' || CASE WHEN crtime = ctime THEN 'B' ELSE '.' END || coalesce(' ' || category, ''),"
		" coalesce(extracted, volume || ':' || path), inode FROM files"
		" WHERE ctime <> coalesce(mtime,'') AND substr(ctime,1,19) >= ?1 AND substr(ctime,1,19) <= ?2",
		"INSERT INTO tl SELECT crtime, 'file', coalesce(volume || ':', '') || path,"
		" '..B' || coalesce(' ' || category, ''), coalesce(extracted, volume || ':' || path), inode FROM files"
		" WHERE crtime <> coalesce(mtime,'') AND crtime <> coalesce(ctime,'')"
		" AND substr(crtime,1,19) >= ?1 AND substr(crtime,1,19) <= ?2",
		NULL,
	};
	for (int i = 0; ftimes[i]; i++) {
		sqlite3_stmt *s = shodo_store_stmt(ctx->store, ftimes[i], err);
		if (!s)
			return SHODO_FATAL;
		sqlite3_bind_text(s, 1, since, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 2, until, -1, SQLITE_TRANSIENT);
		if ((rc = shodo_store_step_done(ctx->store, s, err)) != SHODO_OK)
			return rc;
	}
	rc = exec(ctx,
	          "INSERT INTO timeline(time, kind, what, detail, source, record)"
	          " SELECT time, kind, what, detail, source, record FROM tl WHERE time IS NOT NULL AND time <> ''"
	          " ORDER BY substr(time,1,19), time, kind, what",
	          err);
	exec(ctx, "DROP TABLE temp.tl", NULL);
	return rc;
}

shodo_status shodo_scope_run(shodo_triage_ctx *ctx, shodo_err *err)
{
	shodo_status rc;
	if ((rc = exec(ctx, "CREATE TABLE IF NOT EXISTS scope_info(key TEXT, value TEXT)", err)) != SHODO_OK)
		return rc;
	/* a rerun over the same store starts again */
	static const char *const clear[] = {"DELETE FROM scope_info", "DELETE FROM failed_logons",
	                                    "DELETE FROM encrypted_extensions", "DELETE FROM timeline", NULL};
	/* lookups the scoping joins need (kept: they serve analysts' SQL too) */
	static const char *const indexes[] = {
		"CREATE INDEX IF NOT EXISTS events_source ON events(source, record)",
		"CREATE INDEX IF NOT EXISTS files_extracted ON files(extracted)",
		"CREATE INDEX IF NOT EXISTS files_category ON files(category)",
		NULL,
	};
	for (int i = 0; indexes[i]; i++)
		if ((rc = exec(ctx, indexes[i], err)) != SHODO_OK)
			return rc;
	if ((rc = shodo_store_begin(ctx->store, err)) != SHODO_OK)
		return rc;
	for (int i = 0; clear[i]; i++)
		if ((rc = exec(ctx, clear[i], err)) != SHODO_OK)
			goto fail;
	if ((rc = failed_logons(ctx, err)) != SHODO_OK || (rc = encrypted(ctx, err)) != SHODO_OK ||
	    (rc = note_copies(ctx, err)) != SHODO_OK || (rc = window(ctx, err)) != SHODO_OK ||
	    (rc = timeline(ctx, err)) != SHODO_OK || (rc = shodo_scope_tools(ctx, err)) != SHODO_OK)
		goto fail;
	if (ctx->opts)
		info_put(ctx, "profile", ctx->opts->profile == SHODO_PROFILE_FULL ? "full" : "quick");
	if ((rc = shodo_store_commit(ctx->store, err)) != SHODO_OK)
		return rc;
	{
		char n[32];
		q_text(shodo_store_db(ctx->store), "SELECT count(*) FROM timeline", n, sizeof(n));
		shodo_emit(ctx->sink, SHODO_EV_INFO, "scope", "timeline: %s entries", n);
	}
	return SHODO_OK;
fail:
	shodo_store_exec(ctx->store, "ROLLBACK", NULL);
	return rc;
}
