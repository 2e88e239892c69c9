/*
 * report/export.c — `shodo export DIR --to FORMAT`: the timeline rows of
 * every triaged evidence item, merged and sorted by time.
 *
 *   timesketch  JSON Lines as Timesketch imports them: message, datetime,
 *               timestamp (microseconds), timestamp_desc, plus host,
 *               evidence, kind, what, detail, source, record
 *   csv         one CSV (RFC 4180, UTF-8, header) with evidence and host
 *   postgres    table shodo_timeline in a PostgreSQL database through libpq
 *               (when built with it), rows replaced per evidence item
 *
 * The rows are merged in a private temporary SQLite database so that a
 * fleet's timelines are sorted without holding them in memory.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <jansson.h>
#include "report_int.h"
#include "shodo/hash.h"
#include "shodo/report.h"
#include "shodo/util.h"
#ifdef SHODO_HAVE_LIBPQ
#include <libpq-fe.h>
#endif

int shodo_export_postgres_available(void)
{
#ifdef SHODO_HAVE_LIBPQ
	return 1;
#else
	return 0;
#endif
}

/* "2024-03-02T03:10:00.1234567Z" -> datetime "2024-03-02T03:10:00.123456+00:00"
 * and microseconds since 1970; -1 when the time cannot be parsed */
static int ts_time(const char *iso, char *dt, size_t dtsz, long long *usec)
{
	time_t t;
	if (!iso || shodo_parse_iso(iso, &t) < 0)
		return -1;
	long frac = 0;
	const char *dot = strchr(iso, '.');
	if (dot && dot - iso == 19) {
		int k = 0;
		for (const char *p = dot + 1; *p >= '0' && *p <= '9'; p++)
			if (k < 6) {
				frac = frac * 10 + (*p - '0');
				k++;
			}
		for (; k < 6; k++)
			frac *= 10;
	}
	struct tm tm;
	char b[32];
	gmtime_r(&t, &tm);
	strftime(b, sizeof(b), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(dt, dtsz, "%s.%06ld+00:00", b, frac);
	*usec = (long long)t * 1000000LL + frac;
	return 0;
}

static void ts_desc(const char *kind, const char *detail, char *out, size_t outsz)
{
	if (!strcmp(kind, "file") && detail) {
		if (detail[0] == 'M')
			snprintf(out, outsz, "File modified");
		else if (detail[1] == 'C')
			snprintf(out, outsz, "MFT entry changed");
		else
			snprintf(out, outsz, "File created");
		return;
	}
	snprintf(out, outsz, "%s", kind);
	for (char *p = out; *p; p++)
		if (*p == '_')
			*p = ' ';
	if (out[0] >= 'a' && out[0] <= 'z')
		out[0] = (char)(out[0] - 'a' + 'A');
}

static shodo_status merge(const shodo_export_opts *o, sqlite3 **out, json_t *per, shodo_err *err)
{
	const char *dir = shodo_case_dir(o->kase);
	char **ids = NULL;
	size_t n = 0;
	sqlite3 *w = NULL;
	int bad = 0, used = 0;
	*out = NULL;
	if (fleet_list(dir, &ids, &n) < 0)
		return shodo_err_set(err, SHODO_FATAL, errno, "cannot read case folder '%s'", dir);
	/* "" = a private temporary database on disk */
	if (sqlite3_open_v2("", &w, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI, NULL) != SQLITE_OK ||
	    sqlite3_exec(w,
	                 "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
	                 "CREATE TABLE tl(evidence TEXT, host TEXT, time TEXT, kind TEXT, what TEXT, detail TEXT,"
	                 " source TEXT, record INTEGER)",
	                 NULL, NULL, NULL) != SQLITE_OK) {
		shodo_status rc = shodo_err_set(err, SHODO_FATAL, 0, "export: %s", w ? sqlite3_errmsg(w) : "out of memory");
		sqlite3_close(w);
		fleet_list_free(ids, n);
		return rc;
	}
	sqlite3_busy_timeout(w, 10000);
	for (size_t i = 0; i < n; i++) {
		char why[512], host[256];
		if (o->evidence && strcmp(o->evidence, ids[i]))
			continue;
		used++;
		if (shodo_cancelled(o->cancel))
			break;
		if (fleet_attach(w, dir, ids[i], why, sizeof(why)) < 0) {
			shodo_emit(o->sink, SHODO_EV_WARN, "export", "cannot read '%s/triage/triage.db': %s", ids[i], why);
			bad++;
			continue;
		}
		host[0] = '\0';
		if (fleet_has(w, "host"))
			rep_q(w, "SELECT value FROM e.host WHERE key IN ('computer_name','tcpip_hostname') AND value <> ''"
			         " ORDER BY key = 'computer_name' DESC LIMIT 1",
			      host, sizeof(host));
		long long rows = 0;
		if (fleet_has(w, "timeline")) {
			sqlite3_stmt *s = NULL;
			if (sqlite3_prepare_v2(w,
			                       "INSERT INTO tl SELECT ?1, ?2, time, kind, what, detail, source, record FROM e.timeline"
			                       " WHERE time IS NOT NULL AND time <> ''",
			                       -1, &s, NULL) == SQLITE_OK) {
				sqlite3_bind_text(s, 1, ids[i], -1, SQLITE_TRANSIENT);
				shodo_bind_text(s, 2, host);
				if (sqlite3_step(s) == SQLITE_DONE)
					rows = sqlite3_changes(w);
				sqlite3_finalize(s);
			}
		}
		sqlite3_exec(w, "DETACH DATABASE e", NULL, NULL, NULL);
		json_array_append_new(per, json_pack("{s:s, s:s, s:I}", "evidence", ids[i], "host", host,
		                                     "rows", (json_int_t)rows));
	}
	fleet_list_free(ids, n);
	if (!used) {
		sqlite3_close(w);
		if (o->evidence)
			return shodo_err_set(err, SHODO_FAILED, 0, "evidence %s has no triage in '%s'", o->evidence, dir);
		shodo_status rc = shodo_err_set(err, SHODO_FAILED, 0, "no triaged evidence in '%s'", dir);
		shodo_err_hint(err, "run 'shodo triage SOURCE --case %s --evidence ID' first", dir);
		return rc;
	}
	*out = w;
	return bad ? SHODO_WARN : SHODO_OK;
}

#define SORTED "SELECT evidence, host, time, kind, what, detail, source, record FROM tl" \
	" ORDER BY substr(time,1,19), time, evidence, rowid"

static long long write_timesketch(sqlite3 *w, FILE *fp)
{
	sqlite3_stmt *s = NULL;
	long long n = 0;
	if (sqlite3_prepare_v2(w, SORTED, -1, &s, NULL) != SQLITE_OK)
		return -1;
	while (sqlite3_step(s) == SQLITE_ROW) {
		char dt[64], desc[128], msg[8192];
		long long us;
		if (ts_time(rep_col(s, 2), dt, sizeof(dt), &us) < 0)
			continue;
		ts_desc(rep_col(s, 3), rep_col(s, 5), desc, sizeof(desc));
		snprintf(msg, sizeof(msg), "[%s] %s%s%s%s%s", *rep_col(s, 1) ? rep_col(s, 1) : rep_col(s, 0), rep_col(s, 3),
		         *rep_col(s, 4) ? ": " : "", rep_col(s, 4), *rep_col(s, 5) ? " - " : "", rep_col(s, 5));
		json_t *j = json_object();
		json_object_set_new(j, "message", json_string(msg));
		json_object_set_new(j, "datetime", json_string(dt));
		json_object_set_new(j, "timestamp", json_integer(us));
		json_object_set_new(j, "timestamp_desc", json_string(desc));
		json_object_set_new(j, "data_type", json_string("shodo:timeline"));
		json_object_set_new(j, "evidence", json_string(rep_col(s, 0)));
		json_object_set_new(j, "host", json_string(rep_col(s, 1)));
		json_object_set_new(j, "kind", json_string(rep_col(s, 3)));
		json_object_set_new(j, "what", json_string(rep_col(s, 4)));
		json_object_set_new(j, "detail", json_string(rep_col(s, 5)));
		json_object_set_new(j, "source", json_string(rep_col(s, 6)));
		if (sqlite3_column_type(s, 7) != SQLITE_NULL)
			json_object_set_new(j, "record", json_integer(sqlite3_column_int64(s, 7)));
		/* json_string refuses invalid UTF-8: such a field becomes null
		 * rather than a broken line */
		char *line = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(j);
		if (line) {
			fputs(line, fp);
			fputc('\n', fp);
			free(line);
			n++;
		}
	}
	sqlite3_finalize(s);
	return n;
}

static long long write_csv(sqlite3 *w, FILE *fp)
{
	sqlite3_stmt *s = NULL;
	long long n = 0;
	if (sqlite3_prepare_v2(w, SORTED, -1, &s, NULL) != SQLITE_OK)
		return -1;
	fputs("evidence,host,time,kind,what,detail,source,record\r\n", fp);
	while (sqlite3_step(s) == SQLITE_ROW) {
		for (int i = 0; i < 8; i++) {
			if (i)
				fputc(',', fp);
			shodo_csv_field(fp, rep_col(s, i));
		}
		fputs("\r\n", fp);
		n++;
	}
	sqlite3_finalize(s);
	return n;
}

#ifdef SHODO_HAVE_LIBPQ
static shodo_status pg_fail(PGconn *c, PGresult *r, const char *what, shodo_err *err)
{
	shodo_status rc = shodo_err_set(err, SHODO_FATAL, 0, "postgres %s: %s", what,
	                                r ? PQresultErrorMessage(r) : PQerrorMessage(c));
	/* libpq messages span lines and end with a newline */
	for (char *p = err->msg; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = p[1] ? ' ' : '\0';
	size_t l = strlen(err->msg);
	while (l && (err->msg[l - 1] == '\n' || err->msg[l - 1] == ' '))
		err->msg[--l] = '\0';
	if (r)
		PQclear(r);
	return rc;
}

static shodo_status pg_cmd(PGconn *c, const char *sql, int np, const char *const *p, shodo_err *err)
{
	PGresult *r = PQexecParams(c, sql, np, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		return pg_fail(c, r, "command", err);
	PQclear(r);
	return SHODO_OK;
}

/* the library prints nothing: server notices are dropped */
static void pg_quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

static shodo_status write_postgres(sqlite3 *w, const char *uri, long long *rows, shodo_err *err)
{
	PGconn *c = PQconnectdb(uri);
	shodo_status rc;
	*rows = 0;
	if (PQstatus(c) != CONNECTION_OK) {
		rc = pg_fail(c, NULL, "connection", err);
		PQfinish(c);
		return rc;
	}
	PQsetNoticeProcessor(c, pg_quiet, NULL);
	if ((rc = pg_cmd(c, "BEGIN", 0, NULL, err)) != SHODO_OK ||
	    (rc = pg_cmd(c,
	                 "CREATE TABLE IF NOT EXISTS shodo_timeline(evidence text NOT NULL, host text,"
	                 " time timestamptz NOT NULL, time_text text, kind text, what text, detail text, source text,"
	                 " record bigint)",
	                 0, NULL, err)) != SHODO_OK ||
	    (rc = pg_cmd(c, "CREATE INDEX IF NOT EXISTS shodo_timeline_time ON shodo_timeline(time)", 0, NULL, err)) !=
	        SHODO_OK)
		goto out;
	/* a re-export replaces the rows of the evidence items it carries */
	{
		sqlite3_stmt *s = NULL;
		if (sqlite3_prepare_v2(w, "SELECT DISTINCT evidence FROM tl", -1, &s, NULL) == SQLITE_OK) {
			while (rc == SHODO_OK && sqlite3_step(s) == SQLITE_ROW) {
				const char *p[1] = {rep_col(s, 0)};
				rc = pg_cmd(c, "DELETE FROM shodo_timeline WHERE evidence = $1", 1, p, err);
			}
			sqlite3_finalize(s);
		}
		if (rc != SHODO_OK)
			goto out;
	}
	{
		PGresult *r = PQexec(c, "COPY shodo_timeline(evidence, host, time, time_text, kind, what, detail, source,"
		                        " record) FROM STDIN WITH (FORMAT csv)");
		if (PQresultStatus(r) != PGRES_COPY_IN) {
			rc = pg_fail(c, r, "copy", err);
			goto out;
		}
		PQclear(r);
		sqlite3_stmt *s = NULL;
		char *buf = NULL;
		size_t bl = 0;
		if (sqlite3_prepare_v2(w, SORTED, -1, &s, NULL) == SQLITE_OK) {
			while (sqlite3_step(s) == SQLITE_ROW) {
				FILE *fp = open_memstream(&buf, &bl);
				if (!fp)
					break;
				char dt[64];
				long long us;
				if (ts_time(rep_col(s, 2), dt, sizeof(dt), &us) < 0) {
					fclose(fp);
					free(buf);
					buf = NULL;
					continue;
				}
				const char *v[9] = {rep_col(s, 0), rep_col(s, 1), dt, rep_col(s, 2), rep_col(s, 3), rep_col(s, 4), rep_col(s, 5), rep_col(s, 6),
				                    rep_col(s, 7)};
				for (int i = 0; i < 9; i++) {
					if (i)
						fputc(',', fp);
					/* CSV quoting; an empty unquoted field is NULL */
					if (*v[i]) {
						fputc('"', fp);
						for (const char *q = v[i]; *q; q++) {
							if (*q == '"')
								fputc('"', fp);
							fputc(*q, fp);
						}
						fputc('"', fp);
					}
				}
				fputc('\n', fp);
				fclose(fp);
				if (PQputCopyData(c, buf, (int)bl) != 1) {
					free(buf);
					buf = NULL;
					break;
				}
				free(buf);
				buf = NULL;
				(*rows)++;
			}
			sqlite3_finalize(s);
		}
		if (PQputCopyEnd(c, NULL) != 1) {
			rc = pg_fail(c, NULL, "copy", err);
			goto out;
		}
		r = PQgetResult(c);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			rc = pg_fail(c, r, "copy", err);
			goto out;
		}
		PQclear(r);
		while ((r = PQgetResult(c)))
			PQclear(r);
	}
	rc = pg_cmd(c, "COMMIT", 0, NULL, err);
out:
	if (rc != SHODO_OK) {
		PGresult *r = PQexec(c, "ROLLBACK");
		PQclear(r);
	}
	PQfinish(c);
	return rc;
}
#endif

/* the part of a URI that may be shown: no password */
static void redact_uri(const char *uri, char *out, size_t outsz)
{
	const char *at = strchr(uri, '@');
	const char *scheme = strstr(uri, "://");
	if (at && scheme && scheme < at)
		snprintf(out, outsz, "%.*s://***@%s", (int)(scheme - uri), uri, at + 1);
	else
		snprintf(out, outsz, "%s", uri);
	char *q = strstr(out, "password=");
	if (q)
		snprintf(q, outsz - (size_t)(q - out), "password=***");
}

shodo_status shodo_export_run(const shodo_export_opts *o, json_t **result, shodo_err *err)
{
	sqlite3 *w = NULL;
	json_t *per = json_array();
	shodo_status rc, grade;
	long long rows = 0;
	char path[4200], shown[4200];
	int in_case = 0;
	if (result)
		*result = NULL;
#ifndef SHODO_HAVE_LIBPQ
	if (o->format == SHODO_EXPORT_POSTGRES) {
		json_decref(per);
		rc = shodo_err_set(err, SHODO_FATAL, 0, "export to postgres: not supported in this build (no libpq)");
		shodo_err_hint(err, "install libpq-dev and rebuild, or use --to csv and load it with COPY");
		return rc;
	}
#endif
	if (o->format == SHODO_EXPORT_POSTGRES && (!o->target || !*o->target)) {
		json_decref(per);
		return shodo_err_set(err, SHODO_USAGE, 0, "export: postgres needs a connection URI");
	}
	grade = merge(o, &w, per, err);
	if (grade >= SHODO_FAILED) {
		json_decref(per);
		return grade;
	}
	if (grade == SHODO_WARN)
		shodo_err_clear(err);
	if (o->format == SHODO_EXPORT_POSTGRES) {
#ifdef SHODO_HAVE_LIBPQ
		rc = write_postgres(w, o->target, &rows, err);
#else
		rc = SHODO_FATAL;
#endif
		redact_uri(o->target, shown, sizeof(shown));
	} else {
		const char *ext = o->format == SHODO_EXPORT_CSV ? "csv" : "jsonl";
		FILE *fp;
		if (o->out) {
			fp = o->out;
			snprintf(path, sizeof(path), "-");
		} else {
			if (o->target)
				snprintf(path, sizeof(path), "%s", o->target);
			else {
				snprintf(path, sizeof(path), "%s/exports", shodo_case_dir(o->kase));
				if (shodo_mkdirs(path, 0700) < 0) {
					rc = shodo_err_set(err, SHODO_FATAL, errno, "cannot create '%s'", path);
					goto out;
				}
				snprintf(path, sizeof(path), "%s/exports/timeline-%s.%s", shodo_case_dir(o->kase),
				         o->format == SHODO_EXPORT_CSV ? "merged" : "timesketch", ext);
				in_case = 1;
			}
			fp = fopen(path, "we");
			if (!fp) {
				rc = shodo_err_set(err, SHODO_FATAL, errno, "cannot write '%s'", path);
				goto out;
			}
		}
		rows = o->format == SHODO_EXPORT_CSV ? write_csv(w, fp) : write_timesketch(w, fp);
		int bad = ferror(fp);
		if (fp == o->out)
			bad |= fflush(fp) != 0;
		else
			bad |= fclose(fp) != 0;
		if (rows < 0 || bad) {
			rc = shodo_err_set(err, SHODO_FATAL, errno, "cannot write '%s'", path);
			goto out;
		}
		snprintf(shown, sizeof(shown), "%s", path);
		rc = SHODO_OK;
		if (in_case) {
			shodo_digests d;
			char rel[600], detail[256];
			memset(&d, 0, sizeof(d));
			shodo_hash_file(path, SHODO_HASH_SHA256, &d, NULL);
			snprintf(rel, sizeof(rel), "exports/timeline-%s.%s",
			         o->format == SHODO_EXPORT_CSV ? "merged" : "timesketch", ext);
			snprintf(detail, sizeof(detail), "%lld timeline rows exported as %s", rows,
			         o->format == SHODO_EXPORT_CSV ? "csv" : "timesketch jsonl");
			rc = shodo_case_custody(o->kase, "export", o->evidence, rel, d.sha256[0] ? d.sha256 : NULL, detail, err);
			if (rc == SHODO_OK)
				rc = shodo_case_refresh_sums(o->kase, o->sign_key, err);
		}
	}
	if (rc != SHODO_OK)
		goto out;
	if (o->format == SHODO_EXPORT_POSTGRES) {
		char detail[600];
		snprintf(detail, sizeof(detail), "%lld timeline rows exported to %s", rows, shown);
		shodo_case_custody(o->kase, "export", o->evidence, "postgres", NULL, detail, NULL);
	}
	if (result) {
		json_t *r = json_object();
		json_object_set_new(r, "format", json_string(o->format == SHODO_EXPORT_CSV          ? "csv"
		                                             : o->format == SHODO_EXPORT_POSTGRES ? "postgres"
		                                                                                  : "timesketch"));
		json_object_set_new(r, "output", json_string(shown));
		json_object_set_new(r, "rows", json_integer(rows));
		json_object_set_new(r, "evidence", per);
		per = NULL;
		*result = r;
	}
	shodo_emit(o->sink, SHODO_EV_INFO, "export", "%lld timeline rows written to %s", rows, shown);
	rc = grade;
	if (grade == SHODO_WARN)
		shodo_err_set(err, SHODO_WARN, 0, "export: some evidence databases could not be read");
out:
	json_decref(per);
	sqlite3_close(w);
	return rc;
}
