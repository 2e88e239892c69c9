/*
 * report/browse.c — a case folder as a front end shows it (review mode, the
 * results of a job): evidence items with the state of their image (from
 * acquisition.json, or the state file of an interrupted acquisition) and
 * triage (from triage.db, opened read-only), the texts, and the triage
 * tables as rows.  Views are SQL over the store's schema (triage/store.h);
 * the filter is a bound parameter, never spliced into SQL.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sqlite3.h>
#include "shodo/buf.h"
#include "shodo/browse.h"
#include "shodo/case.h"
#include "shodo/util.h"

typedef struct view {
	const char *name, *title;
	const char *const *cols;
	const char *sql;      /* SELECT of the columns, from the store */
	const char *order;
} view;

static const char *const c_by_source[] = {"source address", "workstation", "type", "account", "logons", "first",
                                          "last", NULL};
static const char *const c_logons[] = {"time", "result", "type", "account", "source address", "workstation",
                                       "event", NULL};
static const char *const c_failed[] = {"account", "source address", "workstation", "count", "first", "last",
                                       "types", NULL};
static const char *const c_notes[] = {"note", "copies", "family", "e-mail", "onion", "bitcoin", "tox", "urls",
                                      "written", NULL};
static const char *const c_encrypted[] = {"extension", "files", "first", "last", "example", NULL};
static const char *const c_timeline[] = {"time", "kind", "what", "detail", NULL};
static const char *const c_accounts[] = {"account", "rid", "enabled", "admin", "last logon", "logons",
                                         "bad passwords", "created", NULL};
static const char *const c_programs[] = {"program", "runs", "last run", "flag", NULL};
static const char *const c_persist[] = {"time", "kind", "name", "command", "account", NULL};
static const char *const c_posture[] = {"severity", "area", "finding", "value", "remedy", NULL};

static const view views[] = {
	{"logons_by_source", "Logons by source", c_by_source,
	 "SELECT ifnull(source_ip,''), ifnull(workstation,''), ifnull(logon_type,''),"
	 " ifnull(target_domain || '\\', '') || ifnull(target_user,''), count(*), min(time), max(time)"
	 " FROM logons WHERE result = 'success'"
	 " GROUP BY source_ip, workstation, logon_type, target_domain, target_user",
	 "5 DESC, 1, 2"},
	{"logons", "Logons", c_logons,
	 "SELECT time, result, ifnull(logon_type,''), ifnull(target_domain || '\\', '') || ifnull(target_user,''),"
	 " ifnull(source_ip,''), ifnull(workstation,''), event_id FROM logons",
	 "1"},
	{"rdp", "RDP logons and sessions", c_logons,
	 "SELECT time, result, ifnull(logon_type,''), ifnull(target_domain || '\\', '') || ifnull(target_user,''),"
	 " ifnull(source_ip,''), ifnull(workstation,''), event_id FROM logons"
	 " WHERE logon_type = 10 OR event_id IN (21, 22, 23, 24, 25, 1149)",
	 "1"},
	{"failed_logons", "Failed logons by account and source", c_failed,
	 "SELECT ifnull(target_user,''), ifnull(source_ip,''), ifnull(workstation,''), count, first_time, last_time,"
	 " ifnull(logon_types,'') FROM failed_logons",
	 "4 DESC"},
	{"notes", "Ransom notes and their contacts", c_notes,
	 "SELECT path, copies, ifnull(family,''), ifnull(emails,''), ifnull(onions,''), ifnull(btc,''),"
	 " ifnull(tox,''), ifnull(urls,''), ifnull(mtime,'') FROM ransom_notes",
	 "2 DESC, 1"},
	{"encrypted", "Encrypted files by extension", c_encrypted,
	 "SELECT extension, count, first_mtime, last_mtime, ifnull(example,'') FROM encrypted_extensions", "2 DESC"},
	{"timeline", "Timeline", c_timeline,
	 "SELECT time, kind, ifnull(what,''), ifnull(detail,'') FROM timeline", "1"},
	{"accounts", "Accounts", c_accounts,
	 "SELECT name, ifnull(rid,''), CASE enabled WHEN 1 THEN 'yes' WHEN 0 THEN 'no' ELSE '' END,"
	 " CASE admin WHEN 1 THEN 'yes' WHEN 0 THEN 'no' ELSE '' END, ifnull(last_logon,''), ifnull(logon_count,''),"
	 " ifnull(bad_password_count,''), ifnull(created,'') FROM accounts",
	 "2"},
	{"programs", "Programs run (prefetch)", c_programs,
	 "SELECT executable, ifnull(run_count,''), ifnull(last_run,''), ifnull(flag,'') FROM prefetch", "3 DESC"},
	{"persistence", "Services, tasks and autostarts", c_persist,
	 "SELECT ifnull(time,''), kind, ifnull(name,''), ifnull(command,''), ifnull(account,'') FROM persistence", "1"},
	{"posture", "Security posture", c_posture,
	 "SELECT severity, area, finding, ifnull(value,''), ifnull(remedy,'') FROM posture",
	 "CASE c0 WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END"},
};

const char *const shodo_browse_views[] = {"logons_by_source", "rdp", "failed_logons", "notes", "encrypted",
                                          "timeline", "logons", "accounts", "programs", "persistence",
                                          "posture", NULL};

static const char *jstr(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* a JSON string of t; bytes of invalid UTF-8 become '?' */
static json_t *text_json(const char *t)
{
	json_t *j = json_string(t ? t : "");
	if (j)
		return j;
	char *c = strdup(t);
	if (!c)
		return json_string("");
	for (char *p = c; *p; p++)
		if ((unsigned char)*p >= 0x80)
			*p = '?';
	j = json_string(c);
	free(c);
	return j ? j : json_string("");
}

static int file_exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* opens DIR/ID/triage/triage.db read-only (a URI, so that no name in the
 * path is taken for a parameter) */
static sqlite3 *open_db(const char *dir, const char *id, shodo_err *err)
{
	char path[4200], uri[8600];
	if (shodo_snprintf(path, sizeof(path), "%s/%s/triage/triage.db", dir, id) < 0 || !file_exists(path)) {
		shodo_err_set(err, SHODO_FAILED, ENOENT, "evidence '%s' has no triage results", id);
		return NULL;
	}
	size_t o = (size_t)snprintf(uri, sizeof(uri), "file:");
	for (const char *p = path; *p && o + 4 < sizeof(uri); p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '%' || c == '?' || c == '#' || c <= 0x20 || c >= 0x7f)
			o += (size_t)snprintf(uri + o, sizeof(uri) - o, "%%%02X", c);
		else
			uri[o++] = (char)c;
	}
	snprintf(uri + o, sizeof(uri) - o, "?mode=ro");
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) != SQLITE_OK) {
		shodo_err_set(err, SHODO_FAILED, 0, "cannot read the triage results of '%s': %s", id,
		              db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 2000);
	return db;
}

static long long qi(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = NULL;
	long long v = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static json_t *qs(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = NULL;
	json_t *v = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW &&
	    sqlite3_column_text(s, 0))
		v = json_string((const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return v ? v : json_string("");
}

static json_t *triage_info(const char *dir, const char *id)
{
	char p[4200];
	shodo_err err;
	shodo_snprintf(p, sizeof(p), "%s/%s/triage", dir, id);
	struct stat st;
	if (stat(p, &st) < 0)
		return json_pack("{s:s}", "state", "none");
	shodo_snprintf(p, sizeof(p), "%s/%s/triage/summary.txt", dir, id);
	int done = file_exists(p);
	sqlite3 *db = open_db(dir, id, &err);
	json_t *t = json_pack("{s:s}", "state", done ? "complete" : "partial");
	if (!db)
		return t;
	json_object_set_new(t, "host", qs(db, "SELECT value FROM host WHERE key = 'computer_name' LIMIT 1"));
	json_object_set_new(t, "os", qs(db, "SELECT value FROM host WHERE key = 'os_product' LIMIT 1"));
	json_object_set_new(t, "notes", json_integer(qi(db, "SELECT count(*) FROM ransom_notes")));
	json_object_set_new(t, "encrypted_files", json_integer(qi(db, "SELECT ifnull(sum(count),0) FROM encrypted_extensions")));
	json_object_set_new(t, "logons", json_integer(qi(db, "SELECT count(*) FROM logons")));
	json_object_set_new(t, "rdp_logons", json_integer(qi(db, "SELECT count(*) FROM logons WHERE logon_type = 10 AND "
	                                                        "result = 'success'")));
	json_object_set_new(t, "failed_logons", json_integer(qi(db, "SELECT ifnull(sum(count),0) FROM failed_logons")));
	json_object_set_new(t, "timeline", json_integer(qi(db, "SELECT count(*) FROM timeline")));
	json_object_set_new(t, "encryption_start", qs(db, "SELECT min(time) FROM timeline WHERE kind = 'encryption_start'"));
	sqlite3_close(db);
	return t;
}

static json_t *image_files(const char *dir, const char *id)
{
	char p[4200];
	json_t *files = json_array();
	shodo_snprintf(p, sizeof(p), "%s/%s/image", dir, id);
	DIR *d = opendir(p);
	if (!d)
		return files;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char rel[4200];
		shodo_snprintf(rel, sizeof(rel), "%s/image/%s", id, de->d_name);
		json_array_append_new(files, json_string(rel));
	}
	closedir(d);
	/* sorted, so that segments read in order */
	size_t n = json_array_size(files);
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(json_string_value(json_array_get(files, j - 1)),
		                                    json_string_value(json_array_get(files, j))) > 0; j--) {
			json_t *a = json_incref(json_array_get(files, j - 1));
			json_array_set(files, j - 1, json_array_get(files, j));
			json_array_set_new(files, j, a);
		}
	return files;
}

static json_t *image_info(const char *dir, const char *id)
{
	char p[4200];
	shodo_snprintf(p, sizeof(p), "%s/%s/image/acquisition.json", dir, id);
	json_t *acq = json_load_file(p, 0, NULL);
	if (acq) {
		json_t *h = json_object_get(acq, "hashes"), *img = json_object_get(acq, "image"),
		       *ver = json_object_get(acq, "verification");
		const char *fmt = jstr(img, "format");
		char first[4200];
		shodo_snprintf(first, sizeof(first), "%s/image/%s.%s", id, id, fmt && !strcmp(fmt, "raw") ? "raw" : "E01");
		json_t *segs = json_object_get(img, "segments");
		if (json_array_size(segs) && jstr(json_array_get(segs, 0), "name"))
			shodo_snprintf(first, sizeof(first), "%s/image/%s", id, jstr(json_array_get(segs, 0), "name"));
		const char *vr = json_is_object(ver) ? jstr(ver, "result") : NULL;
		json_t *src = json_object_get(acq, "source");
		json_t *o = json_pack("{s:s, s:s, s:s, s:O?, s:O?, s:s?, s:s?, s:s?, s:s?, s:s?, s:O?, s:O?, s:s, s:o}",
		                      "state", "complete", "first", first, "format", fmt ? fmt : "e01",
		                      "media_size", json_object_get(img, "media_size"), "source", src,
		                      "start", jstr(acq, "start"), "end", jstr(acq, "end"),
		                      "md5", jstr(h, "md5"), "sha1", jstr(h, "sha1"), "sha256", jstr(h, "sha256"),
		                      "unreadable", json_object_get(acq, "unreadable"),
		                      "unreadable_bytes", json_object_get(acq, "unreadable_bytes"),
		                      "verification", vr ? vr : "not verified", "files", image_files(dir, id));
		if (o && json_is_object(ver) && jstr(ver, "detail"))
			json_object_set_new(o, "verification_detail", json_string(jstr(ver, "detail")));
		json_decref(acq);
		return o ? o : json_pack("{s:s}", "state", "complete");
	}
	shodo_snprintf(p, sizeof(p), "%s/%s/image/%s.state.json", dir, id, id);
	json_t *st = json_load_file(p, 0, NULL);
	if (st) {
		json_t *o = json_pack("{s:s, s:O?, s:s?, s:s?, s:s?, s:o}", "state", "interrupted", "media_size",
		                      json_object_get(st, "media_size"), "format", jstr(st, "format"), "compression",
		                      jstr(st, "compression"), "source_path", jstr(st, "source"), "files",
		                      image_files(dir, id));
		if (o && json_integer_value(json_object_get(st, "segment_size")))
			json_object_set(o, "segment_size", json_object_get(st, "segment_size"));
		json_decref(st);
		return o ? o : json_pack("{s:s}", "state", "interrupted");
	}
	json_t *files = image_files(dir, id);
	if (json_array_size(files))
		return json_pack("{s:s, s:o}", "state", "interrupted", "files", files);
	json_decref(files);
	return json_pack("{s:s}", "state", "none");
}

static int cmp_item(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

json_t *shodo_browse_case(const char *dir, shodo_err *err)
{
	char p[4200];
	shodo_snprintf(p, sizeof(p), "%s/case.json", dir);
	json_error_t je;
	json_t *cj = json_load_file(p, 0, &je);
	if (!cj) {
		if (access(p, F_OK) != 0)
			shodo_err_set(err, SHODO_FATAL, 0, "'%s' is not a case folder: it has no case.json", dir);
		else
			shodo_err_set(err, SHODO_FATAL, 0, "cannot read '%s': %s", p, je.text);
		return NULL;
	}
	json_t *out = json_pack("{s:s, s:s?, s:s?, s:s?}", "dir", dir, "case_number", jstr(cj, "case_number"),
	                        "examiner", jstr(cj, "examiner"), "created", jstr(cj, "created"));
	shodo_snprintf(p, sizeof(p), "%s/SHA256SUMS.sig", dir);
	json_object_set_new(out, "signed", json_boolean(file_exists(p)));
	/* items: case.json's list and every folder that looks like one */
	char **ids = NULL;
	size_t n = 0, cap = 0;
	DIR *d = opendir(dir);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		struct stat st;
		char q[4200];
		if (!shodo_case_id_valid(de->d_name))
			continue;
		shodo_snprintf(q, sizeof(q), "%s/%s", dir, de->d_name);
		if (stat(q, &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		shodo_snprintf(q, sizeof(q), "%s/%s/image", dir, de->d_name);
		int img = stat(q, &st) == 0;
		shodo_snprintf(q, sizeof(q), "%s/%s/triage", dir, de->d_name);
		if (!img && stat(q, &st) != 0)
			continue;
		if (shodo_grow(&ids, &cap, n + 1) < 0)
			break;
		if ((ids[n] = strdup(de->d_name)))
			n++;
	}
	if (d)
		closedir(d);
	if (n > 1)
		qsort(ids, n, sizeof(*ids), cmp_item);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_array_append_new(items, json_pack("{s:s, s:o, s:o}", "id", ids[i], "image", image_info(dir, ids[i]),
		                                       "triage", triage_info(dir, ids[i])));
		free(ids[i]);
	}
	free(ids);
	json_object_set_new(out, "items", items);
	json_decref(cj);
	return out;
}

char *shodo_browse_text(const char *dir, const char *id, const char *which, shodo_err *err)
{
	char p[4200];
	if (id && !shodo_case_id_valid(id)) {
		shodo_err_set(err, SHODO_USAGE, 0, "invalid evidence ID '%s'", id);
		return NULL;
	}
	if (!id && !strcmp(which, "summary"))
		shodo_snprintf(p, sizeof(p), "%s/summary.txt", dir);
	else if (!id && !strcmp(which, "custody"))
		shodo_snprintf(p, sizeof(p), "%s/custody.jsonl", dir);
	else if (id && !strcmp(which, "summary"))
		shodo_snprintf(p, sizeof(p), "%s/%s/triage/summary.txt", dir, id);
	else if (id && !strcmp(which, "triage-log"))
		shodo_snprintf(p, sizeof(p), "%s/%s/triage/triage.log", dir, id);
	else if (id && !strcmp(which, "image-log")) {
		shodo_snprintf(p, sizeof(p), "%s/%s/image/%s.E01.txt", dir, id, id);
		if (!file_exists(p))
			shodo_snprintf(p, sizeof(p), "%s/%s/image/%s.raw.txt", dir, id, id);
	} else {
		shodo_err_set(err, SHODO_USAGE, 0, "no text called '%s'", which);
		return NULL;
	}
	size_t len = 0;
	char *s = shodo_read_file(p, &len);
	if (!s)
		shodo_err_set(err, SHODO_FAILED, errno, "cannot read '%s'", p);
	return s;
}

json_t *shodo_browse_table(const char *dir, const char *id, const char *vname, const char *filter, int limit,
                           shodo_err *err)
{
	const view *v = NULL;
	for (size_t i = 0; i < sizeof(views) / sizeof(views[0]); i++)
		if (!strcmp(views[i].name, vname))
			v = &views[i];
	if (!v) {
		shodo_err_set(err, SHODO_USAGE, 0, "no view called '%s'", vname);
		return NULL;
	}
	if (!shodo_case_id_valid(id)) {
		shodo_err_set(err, SHODO_USAGE, 0, "invalid evidence ID '%s'", id);
		return NULL;
	}
	sqlite3 *db = open_db(dir, id, err);
	if (!db)
		return NULL;
	int ncols = 0;
	while (v->cols[ncols])
		ncols++;
	/* every column of the view, joined, holds the filter (LIKE is ASCII case-insensitive) */
	char *sql = NULL;
	{
		char cat[1024] = "";
		for (int i = 0; i < ncols; i++) {
			size_t l = strlen(cat);
			snprintf(cat + l, sizeof(cat) - l, "%sifnull(c%d,'')", i ? " || char(31) || " : "", i);
		}
		char alias[512] = "";
		for (int i = 0; i < ncols; i++) {
			size_t l = strlen(alias);
			snprintf(alias + l, sizeof(alias) - l, "%sc%d", i ? ", " : "", i);
		}
		sql = sqlite3_mprintf("WITH v(%s) AS (%s) SELECT * FROM v WHERE ?1 = '' OR instr(lower(%s), lower(?1)) > 0 "
		                      "ORDER BY %s",
		                      alias, v->sql, cat, v->order);
	}
	sqlite3_stmt *s = NULL;
	json_t *out = NULL;
	if (!sql || sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		shodo_err_set(err, SHODO_FAILED, 0, "cannot read %s of '%s': %s", v->title, id, sqlite3_errmsg(db));
		goto out;
	}
	sqlite3_bind_text(s, 1, filter ? filter : "", -1, SQLITE_TRANSIENT);
	json_t *cols = json_array(), *rows = json_array();
	for (int i = 0; i < ncols; i++)
		json_array_append_new(cols, json_string(v->cols[i]));
	long long total = 0;
	int max = limit > 0 ? limit : 5000, rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		total++;
		if (total > max)
			continue;
		json_t *r = json_array();
		for (int i = 0; i < ncols; i++) {
			json_array_append_new(r, text_json((const char *)sqlite3_column_text(s, i)));
		}
		json_array_append_new(rows, r);
	}
	if (rc != SQLITE_DONE) {
		shodo_err_set(err, SHODO_FAILED, 0, "cannot read %s of '%s': %s", v->title, id, sqlite3_errmsg(db));
		json_decref(cols);
		json_decref(rows);
		goto out;
	}
	out = json_pack("{s:s, s:s, s:o, s:o, s:I, s:b}", "view", v->name, "title", v->title, "columns", cols, "rows",
	                rows, "total", (json_int_t)total, "truncated", total > max);
out:
	sqlite3_finalize(s);
	sqlite3_free(sql);
	sqlite3_close(db);
	return out;
}
