#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store.h"
#include "store_tally.h"

/* One statement per table.  Kept in one place on purpose: this is the
 * contract every triage module and every analyst's SQL relies on. */
static const char *const schema[] = {
	/* what the collector saw, one row per file system entry of interest
	 * and every file of the volume when the profile lists the tree */
	"CREATE TABLE IF NOT EXISTS files(volume TEXT, path TEXT, name TEXT, ext TEXT, inode INTEGER,"
	" size INTEGER, allocated INTEGER, is_dir INTEGER, mtime TEXT, atime TEXT, ctime TEXT, crtime TEXT,"
	" fn_mtime TEXT, fn_crtime TEXT, category TEXT, extracted TEXT)",
	/* allocated files per extension and volume, counted from the names in
	 * both profiles (triage/collect/extcount.c); a row with ext NULL marks a
	 * volume whose names were counted (files = names that could not be) */
	"CREATE TABLE IF NOT EXISTS ext_counts(volume TEXT, ext TEXT, files INTEGER)",
	"CREATE TABLE IF NOT EXISTS host(volume TEXT, key TEXT, value TEXT, source TEXT)",
	/* time zone rules from SOFTWARE ...\Time Zones: per zone the base TZI
	 * (year 0) and its Dynamic DST years; tzi is REG_TZI_FORMAT in hex */
	"CREATE TABLE IF NOT EXISTS tz_rules(volume TEXT, zone TEXT, year INTEGER, tzi TEXT, source TEXT)",
	"CREATE TABLE IF NOT EXISTS events(time TEXT, category TEXT, event_id INTEGER, provider TEXT,"
	" channel TEXT, computer TEXT, user TEXT, target TEXT, detail TEXT, source TEXT, record INTEGER,"
	" recovered INTEGER)",
	"CREATE TABLE IF NOT EXISTS evtx_stats(source TEXT, records INTEGER, recovered INTEGER, parsed INTEGER,"
	" errors INTEGER, first_time TEXT, last_time TEXT, recovered_stored INTEGER, dirty INTEGER)",
	"CREATE TABLE IF NOT EXISTS event_counts(source TEXT, provider TEXT, event_id INTEGER, count INTEGER)",
	/* terminal_session: the Remote Desktop session (LocalSessionManager's
	 * SessionID, 4778/4779's SessionName); session: the sessions row the
	 * event belongs to (triage/scope/sessions.c) */
	"CREATE TABLE IF NOT EXISTS logons(time TEXT, event_id INTEGER, result TEXT, logon_type INTEGER,"
	" target_user TEXT, target_domain TEXT, source_ip TEXT, workstation TEXT, logon_id TEXT,"
	" process TEXT, auth_package TEXT, status TEXT, computer TEXT, source TEXT, record INTEGER,"
	" recovered INTEGER, terminal_session TEXT, session INTEGER)",
	/* logon sessions made from the logon events (triage/scope/sessions.c):
	 * one row per Remote Desktop connection (kind rdp) and per network logon
	 * (kind network: a 4624 type 3 with its 4672 and 4634); state logoff,
	 * disconnect, reconnected (a later connection took the session over) or
	 * open; start NULL when the logon lies before the logs; part_of: the RDP
	 * connection a network logon authenticated (NLA) */
	"CREATE TABLE IF NOT EXISTS sessions(id INTEGER PRIMARY KEY, kind TEXT, account TEXT, domain TEXT,"
	" source_ip TEXT, workstation TEXT, start TEXT, end TEXT, state TEXT, reconnect INTEGER, admin INTEGER,"
	" logon_ids TEXT, terminal_session TEXT, events TEXT, event_count INTEGER, part_of INTEGER, computer TEXT,"
	" source TEXT, record INTEGER)",
	"CREATE TABLE IF NOT EXISTS accounts(volume TEXT, origin TEXT, name TEXT, rid INTEGER, full_name TEXT,"
	" enabled INTEGER, admin INTEGER, groups TEXT, created TEXT, last_logon TEXT, last_password_set TEXT,"
	" last_failed_logon TEXT, logon_count INTEGER, bad_password_count INTEGER,"
	" password_never_expires INTEGER, password_not_required INTEGER, comment TEXT, source TEXT)",
	"CREATE TABLE IF NOT EXISTS policy(volume TEXT, origin TEXT, key TEXT, value TEXT, source TEXT)",
	"CREATE TABLE IF NOT EXISTS prefetch(executable TEXT, prefetch_hash TEXT, format_version INTEGER,"
	" run_count INTEGER, last_run TEXT, last_runs TEXT, volumes TEXT, loaded_from TEXT, flag TEXT, source TEXT,"
	" path TEXT)",
	/* the services of the SYSTEM hive's current control set (drivers too):
	 * start and type as numbers and words, last_written = the key's last
	 * write (a service's creation when nothing changed it since); per_user
	 * "template" or "instance" (the <name>_<hex> copies Windows makes at
	 * each logon); flag: why it looks wrong (user-writable folder,
	 * suspicious command) */
	"CREATE TABLE IF NOT EXISTS services(volume TEXT, control_set TEXT, name TEXT, display_name TEXT,"
	" image_path TEXT, service_dll TEXT, start INTEGER, start_name TEXT, type INTEGER, type_name TEXT,"
	" account TEXT, last_written TEXT, per_user TEXT, flag TEXT, source TEXT)",
	"CREATE TABLE IF NOT EXISTS persistence(time TEXT, kind TEXT, name TEXT, command TEXT, account TEXT,"
	" detail TEXT, source TEXT, record INTEGER)",
	"CREATE TABLE IF NOT EXISTS ransom_notes(path TEXT, volume TEXT, size INTEGER, sha256 TEXT, score INTEGER,"
	" family TEXT, language TEXT, copies INTEGER, emails TEXT, onions TEXT, btc TEXT, tox TEXT, urls TEXT,"
	" mtime TEXT, crtime TEXT, source TEXT, xmr TEXT, session TEXT, encoding TEXT, reasons TEXT)",
	/* executables in user-writable places: hashes and the names of their
	 * version resource; flag when a known attack or admin tool */
	"CREATE TABLE IF NOT EXISTS executables(path TEXT, volume TEXT, size INTEGER, sha256 TEXT,"
	" original_name TEXT, internal_name TEXT, product TEXT, description TEXT, company TEXT, flag TEXT,"
	" matched_by TEXT, mtime TEXT, crtime TEXT, source TEXT)",
	/* family: the family of a ransom note that names the extension */
	"CREATE TABLE IF NOT EXISTS encrypted_extensions(extension TEXT, count INTEGER, first_mtime TEXT,"
	" last_mtime TEXT, example TEXT, source TEXT, record INTEGER, family TEXT)",
	"CREATE TABLE IF NOT EXISTS failed_logons(target_user TEXT, source_ip TEXT, workstation TEXT,"
	" count INTEGER, first_time TEXT, last_time TEXT, logon_types TEXT, statuses TEXT, source TEXT, record INTEGER)",
	"CREATE TABLE IF NOT EXISTS timeline(time TEXT, kind TEXT, what TEXT, detail TEXT, source TEXT,"
	" record INTEGER)",
	"CREATE TABLE IF NOT EXISTS posture(severity TEXT, area TEXT, finding TEXT, value TEXT, evidence TEXT,"
	" remedy TEXT, source TEXT)",
	"CREATE TABLE IF NOT EXISTS reuse_review(path TEXT, volume TEXT, kind TEXT, size INTEGER, mtime TEXT,"
	" crtime TEXT, md5 TEXT, sha1 TEXT, sha256 TEXT, in_window INTEGER, user_writable INTEGER)",
	/* what the scoping stage decided: since, until, window_how, newest_event, profile */
	"CREATE TABLE IF NOT EXISTS scope_info(key TEXT, value TEXT)",
	/* keyed digests (HMAC-SHA256 with the case key) of local account NT
	 * hashes, for comparing passwords across hosts; never the hash itself */
	"CREATE TABLE IF NOT EXISTS credential_digests(volume TEXT, account TEXT, rid INTEGER, digest TEXT,"
	" key_id TEXT, source TEXT)",
	"CREATE TABLE IF NOT EXISTS artifacts(source TEXT, category TEXT, parser TEXT, status TEXT, message TEXT)",
	"CREATE INDEX IF NOT EXISTS sessions_ip ON sessions(kind, source_ip)",
	"CREATE INDEX IF NOT EXISTS timeline_time ON timeline(time)",
	"CREATE INDEX IF NOT EXISTS accounts_name ON accounts(name)",
	NULL,
};

const char *const shodo_store_csv_tables[] = {
	"events", "logons", "failed_logons", "prefetch", "accounts", "policy", "host", "ransom_notes",
	"encrypted_extensions", "timeline", "persistence", "posture", "reuse_review", "executables", "sessions",
	"services", NULL,
};

/* The indexes of the tables the parsers fill in bulk (a large Security log
 * is hundreds of thousands of rows): dropped while the parsers write and
 * built once afterwards (shodo_store_bulk_begin/end), because keeping them
 * row by row cost a third of the time of a large event log.  Building them
 * is still a large part of storing a log (a table scan and a sort each), so
 * only those the queries' plans use are built: scope's incident window and
 * newest event (events_time, logons_time), the timeline's "not already
 * there" lookups (events_source; without it, scoping a large log took
 * minutes), scope's "logon from a guessing source" (logons_success_ip:
 * successful logons only, a small part of a log that holds a brute force)
 * and shodo parse's per-file event counts.  shodo parse builds
 * logons_source itself when it returns rows. */
static const char *const bulk_indexes[] = {
	"CREATE INDEX IF NOT EXISTS events_time ON events(time)",
	"CREATE INDEX IF NOT EXISTS logons_time ON logons(time)",
	"CREATE INDEX IF NOT EXISTS logons_success_ip ON logons(source_ip) WHERE result = 'success'",
	"CREATE INDEX IF NOT EXISTS events_source ON events(source, record)",
	"CREATE INDEX IF NOT EXISTS event_counts_source ON event_counts(source)",
	NULL,
};

/* indexes earlier versions built after the bulk load that no query's plan
 * used (or that a cheaper one replaced): dropped from a store written by
 * them before rows are added, so that they do not cost row by row */
static const char *const retired_indexes[] = {"logons_user", "logons_ip", "logons_source", NULL};

#define NCACHE 64

struct shodo_store {
	sqlite3 *db;
	struct {
		const char *sql;   /* pointer identity: callers pass literals */
		sqlite3_stmt *st;
	} cache[NCACHE];
	int ncache;
	struct store_tally *tally;  /* shodo parse's summary, when asked for */
};

shodo_status shodo_store_exec(shodo_store *st, const char *sql, shodo_err *err)
{
	char *msg = NULL;
	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		shodo_status rc = shodo_err_set(err, SHODO_FATAL, 0, "triage database: %s", msg ? msg : "error");
		sqlite3_free(msg);
		return rc;
	}
	return SHODO_OK;
}

/* SQLite's allocation statistics take a global mutex on every allocation;
 * nothing here reads them.  Only possible before SQLite starts. */
static void sqlite_setup(void) { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }

shodo_status shodo_store_open(const char *path, shodo_store **out, shodo_err *err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, sqlite_setup);
	*out = NULL;
	shodo_store *st = calloc(1, sizeof(*st));
	if (!st)
		return shodo_err_set(err, SHODO_FATAL, ENOMEM, "cannot open '%s'", path);
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
	                    NULL) != SQLITE_OK) {
		shodo_status rc = shodo_err_set(err, SHODO_FATAL, 0, "cannot open '%s': %s", path,
		                                st->db ? sqlite3_errmsg(st->db) : "out of memory");
		shodo_store_close(st);
		return rc;
	}
	shodo_store_exec(st, "PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF; PRAGMA cache_size=-32768; PRAGMA temp_store=MEMORY;", NULL);
	for (int i = 0; schema[i]; i++) {
		shodo_status rc = shodo_store_exec(st, schema[i], err);
		if (rc != SHODO_OK) {
			shodo_store_close(st);
			return rc;
		}
	}
	shodo_status rc = shodo_store_bulk_end(st, err);
	if (rc != SHODO_OK) {
		shodo_store_close(st);
		return rc;
	}
	*out = st;
	return SHODO_OK;
}

shodo_status shodo_store_bulk_begin(shodo_store *st, shodo_err *err)
{
	for (int i = 0; bulk_indexes[i]; i++) {
		char sql[128];
		const char *name = bulk_indexes[i] + strlen("CREATE INDEX IF NOT EXISTS ");
		snprintf(sql, sizeof(sql), "DROP INDEX IF EXISTS %.*s", (int)strcspn(name, " "), name);
		shodo_status rc = shodo_store_exec(st, sql, err);
		if (rc != SHODO_OK)
			return rc;
	}
	for (int i = 0; retired_indexes[i]; i++) {
		char sql[128];
		snprintf(sql, sizeof(sql), "DROP INDEX IF EXISTS %s", retired_indexes[i]);
		shodo_status rc = shodo_store_exec(st, sql, err);
		if (rc != SHODO_OK)
			return rc;
	}
	return SHODO_OK;
}

shodo_status shodo_store_bulk_end(shodo_store *st, shodo_err *err)
{
	for (int i = 0; bulk_indexes[i]; i++) {
		shodo_status rc = shodo_store_exec(st, bulk_indexes[i], err);
		if (rc != SHODO_OK)
			return rc;
	}
	return SHODO_OK;
}

void shodo_store_close(shodo_store *st)
{
	if (!st)
		return;
	for (int i = 0; i < st->ncache; i++)
		sqlite3_finalize(st->cache[i].st);
	sqlite3_close(st->db);
	store_tally_free(st->tally);
	free(st);
}

sqlite3 *shodo_store_db(shodo_store *st) { return st->db; }

shodo_status shodo_store_begin(shodo_store *st, shodo_err *err)
{
	store_tally_mark(st->tally);
	return shodo_store_exec(st, "BEGIN", err);
}

static void tally_rollback(void *ud)
{
	store_tally_rollback(((shodo_store *)ud)->tally);
}

shodo_status shodo_store_tally_start(shodo_store *st, shodo_err *err)
{
	if (!st->tally && !(st->tally = store_tally_new()))
		return shodo_err_set(err, SHODO_FATAL, ENOMEM, "triage database");
	sqlite3_rollback_hook(st->db, tally_rollback, st);
	return SHODO_OK;
}

int shodo_store_tally_ok(shodo_store *st)
{
	return store_tally_usable(st->tally);
}

int shodo_store_tally_lines(shodo_store *st, const char *source, int events, void (*line)(void *ud, char *text),
                            void *ud)
{
	return store_tally_lines(st->tally, source, events, line, ud);
}

shodo_status shodo_store_commit(shodo_store *st, shodo_err *err)
{
	shodo_status rc = shodo_store_exec(st, "COMMIT", err);
	if (rc == SHODO_OK)
		store_tally_mark(st->tally); /* a later rollback cannot take these rows back */
	return rc;
}

sqlite3_stmt *shodo_store_stmt(shodo_store *st, const char *sql, shodo_err *err)
{
	/* by address first: the hot callers pass the same literal every time */
	int hit = -1;
	for (int i = 0; i < st->ncache && hit < 0; i++)
		if (st->cache[i].sql == sql)
			hit = i;
	for (int i = 0; i < st->ncache && hit < 0; i++)
		if (!strcmp(st->cache[i].sql, sql))
			hit = i;
	if (hit >= 0) {
		sqlite3_reset(st->cache[hit].st);
		sqlite3_clear_bindings(st->cache[hit].st);
		return st->cache[hit].st;
	}
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
		shodo_err_set(err, SHODO_FATAL, 0, "triage database: %s", sqlite3_errmsg(st->db));
		return NULL;
	}
	if (st->ncache < NCACHE) {
		st->cache[st->ncache].sql = sql;
		st->cache[st->ncache].st = s;
		st->ncache++;
	} else {
		/* cache full: callers with many distinct statements lose caching only */
		sqlite3_finalize(st->cache[0].st);
		st->cache[0].sql = sql;
		st->cache[0].st = s;
	}
	return s;
}

shodo_status shodo_store_step_done(shodo_store *st, sqlite3_stmt *s, shodo_err *err)
{
	int r = sqlite3_step(s);
	sqlite3_reset(s);
	if (r != SQLITE_DONE && r != SQLITE_ROW)
		return shodo_err_set(err, SHODO_FATAL, 0, "triage database: %s", sqlite3_errmsg(st->db));
	return SHODO_OK;
}

void shodo_bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v && *v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

void shodo_bind_text_static(sqlite3_stmt *s, int i, const char *v)
{
	if (v && *v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

shodo_status shodo_store_add_persistence(shodo_store *st, const char *time, const char *kind, const char *name,
                                         const char *command, const char *account, const char *detail,
                                         const char *source, long long record, shodo_err *err)
{
	static const char sql[] = "INSERT INTO persistence(time,kind,name,command,account,detail,source,record)"
	                          " VALUES(?,?,?,?,?,?,?,?)";
	sqlite3_stmt *s = shodo_store_stmt(st, sql, err);
	if (!s)
		return SHODO_FATAL;
	shodo_bind_text_static(s, 1, time);
	shodo_bind_text_static(s, 2, kind);
	shodo_bind_text_static(s, 3, name);
	shodo_bind_text_static(s, 4, command);
	shodo_bind_text_static(s, 5, account);
	shodo_bind_text_static(s, 6, detail);
	shodo_bind_text_static(s, 7, source);
	if (record >= 0)
		sqlite3_bind_int64(s, 8, (sqlite3_int64)record);
	else
		sqlite3_bind_null(s, 8);
	return shodo_store_step_done(st, s, err);
}

shodo_status shodo_store_add_logon(shodo_store *st, const shodo_logon_row *r, shodo_err *err)
{
	static const char sql[] =
	    "INSERT INTO logons(time,event_id,result,logon_type,target_user,target_domain,source_ip,"
	    "workstation,logon_id,process,auth_package,status,computer,source,record,recovered,terminal_session)"
	    " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
	sqlite3_stmt *s = shodo_store_stmt(st, sql, err);
	if (!s)
		return SHODO_FATAL;
	shodo_bind_text_static(s, 1, r->time);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)r->event_id);
	shodo_bind_text_static(s, 3, r->result);
	if (r->logon_type >= 0)
		sqlite3_bind_int(s, 4, r->logon_type);
	shodo_bind_text_static(s, 5, r->target_user);
	shodo_bind_text_static(s, 6, r->target_domain);
	shodo_bind_text_static(s, 7, r->source_ip);
	shodo_bind_text_static(s, 8, r->workstation);
	shodo_bind_text_static(s, 9, r->logon_id);
	shodo_bind_text_static(s, 10, r->process);
	shodo_bind_text_static(s, 11, r->auth_package);
	shodo_bind_text_static(s, 12, r->status);
	shodo_bind_text_static(s, 13, r->computer);
	shodo_bind_text_static(s, 14, r->source);
	sqlite3_bind_int64(s, 15, (sqlite3_int64)r->record);
	sqlite3_bind_int(s, 16, r->recovered);
	shodo_bind_text(s, 17, r->terminal_session);
	shodo_status rc = shodo_store_step_done(st, s, err);
	if (rc == SHODO_OK && st->tally)
		store_tally_logon(st->tally, r->source, r->result, r->logon_type, r->source_ip, r->record);
	return rc;
}

shodo_status shodo_store_add_event(shodo_store *st, const shodo_event_row *r, shodo_err *err)
{
	static const char sql[] = "INSERT INTO events(time,category,event_id,provider,channel,computer,user,target,"
	                          "detail,source,record,recovered) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)";
	sqlite3_stmt *s = shodo_store_stmt(st, sql, err);
	if (!s)
		return SHODO_FATAL;
	shodo_bind_text_static(s, 1, r->time);
	shodo_bind_text_static(s, 2, r->category);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)r->event_id);
	shodo_bind_text_static(s, 4, r->provider);
	shodo_bind_text_static(s, 5, r->channel);
	shodo_bind_text_static(s, 6, r->computer);
	shodo_bind_text_static(s, 7, r->user);
	shodo_bind_text_static(s, 8, r->target);
	shodo_bind_text_static(s, 9, r->detail);
	shodo_bind_text_static(s, 10, r->source);
	sqlite3_bind_int64(s, 11, (sqlite3_int64)r->record);
	sqlite3_bind_int(s, 12, r->recovered);
	shodo_status rc = shodo_store_step_done(st, s, err);
	if (rc == SHODO_OK && st->tally)
		store_tally_event(st->tally, r->source, r->category, r->time);
	return rc;
}

void shodo_account_row_init(shodo_account_row *r)
{
	memset(r, 0, sizeof(*r));
	r->rid = r->logon_count = r->bad_password_count = -1;
	r->enabled = r->admin = r->password_never_expires = r->password_not_required = -1;
}

static void bind_opt_int(sqlite3_stmt *s, int i, long long v)
{
	if (v >= 0)
		sqlite3_bind_int64(s, i, (sqlite3_int64)v);
	else
		sqlite3_bind_null(s, i);
}

shodo_status shodo_store_add_account(shodo_store *st, const shodo_account_row *r, shodo_err *err)
{
	static const char sql[] =
	    "INSERT INTO accounts(volume,origin,name,rid,full_name,enabled,admin,groups,created,last_logon,"
	    "last_password_set,last_failed_logon,logon_count,bad_password_count,password_never_expires,"
	    "password_not_required,comment,source) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
	sqlite3_stmt *s = shodo_store_stmt(st, sql, err);
	if (!s)
		return SHODO_FATAL;
	shodo_bind_text(s, 1, r->volume);
	shodo_bind_text(s, 2, r->origin);
	shodo_bind_text(s, 3, r->name);
	bind_opt_int(s, 4, r->rid);
	shodo_bind_text(s, 5, r->full_name);
	bind_opt_int(s, 6, r->enabled);
	bind_opt_int(s, 7, r->admin);
	shodo_bind_text(s, 8, r->groups);
	shodo_bind_text(s, 9, r->created);
	shodo_bind_text(s, 10, r->last_logon);
	shodo_bind_text(s, 11, r->last_password_set);
	shodo_bind_text(s, 12, r->last_failed_logon);
	bind_opt_int(s, 13, r->logon_count);
	bind_opt_int(s, 14, r->bad_password_count);
	bind_opt_int(s, 15, r->password_never_expires);
	bind_opt_int(s, 16, r->password_not_required);
	shodo_bind_text(s, 17, r->comment);
	shodo_bind_text(s, 18, r->source);
	return shodo_store_step_done(st, s, err);
}

/* A plain number ("-1", "3.5") is data to a spreadsheet, not a formula. */
static int csv_plain_number(const char *v)
{
	const char *p = v + (*v == '-' || *v == '+');
	int digits = 0, dot = 0;
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (*p == '.' && !dot)
			dot = 1;
		else
			return 0;
	}
	return digits > 0;
}

/* One CSV cell (RFC 4180).  Values from evidence are data, never formulas
 * or terminal controls:
 *  - a cell that starts with = + - @ tab or CR (OWASP's list) is written
 *    quoted with a leading ' , which Excel, LibreOffice and Google Sheets
 *    show as text; plain numbers are left alone;
 *  - control characters but tab, CR and LF (which quoting keeps), DEL and
 *    the C1 controls are written as \xNN.
 * triage.db keeps every value exactly as read. */
void shodo_csv_field(FILE *fp, const char *v)
{
	if (!v)
		return;
	int formula = v[0] && strchr("=+-@\t\r", v[0]) && !csv_plain_number(v);
	int ctl = 0;
	for (const unsigned char *p = (const unsigned char *)v; *p && !ctl; p++)
		ctl = (*p < 0x20 && *p != '\t' && *p != '\r' && *p != '\n') || *p == 0x7f ||
		      (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f);
	if (!formula && !ctl && !strpbrk(v, ",\"\r\n")) {
		fputs(v, fp);
		return;
	}
	fputc('"', fp);
	if (formula)
		fputc('\'', fp);
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		if (*p == '"') {
			fputs("\"\"", fp);
		} else if ((*p < 0x20 && *p != '\t' && *p != '\r' && *p != '\n') || *p == 0x7f) {
			fprintf(fp, "\\x%02x", *p);
		} else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			fprintf(fp, "\\xc2\\x%02x", p[1]);
			p++;
		} else {
			putc_unlocked(*p, fp); /* the file is the caller's alone */
		}
	}
	fputc('"', fp);
}

shodo_status shodo_store_write_csv(shodo_store *st, const char *dir, const char *const *tables, shodo_err *err)
{
	if (!tables)
		tables = shodo_store_csv_tables;
	for (int t = 0; tables[t]; t++) {
		char path[4096], sql[256];
		snprintf(path, sizeof(path), "%s/%s.csv", dir, tables[t]);
		snprintf(sql, sizeof(sql), "SELECT * FROM \"%s\" ORDER BY rowid", tables[t]);
		sqlite3_stmt *s = NULL;
		if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
			return shodo_err_set(err, SHODO_FATAL, 0, "cannot export table %s: %s", tables[t],
			                     sqlite3_errmsg(st->db));
		FILE *fp = fopen(path, "we");
		if (!fp) {
			sqlite3_finalize(s);
			return shodo_err_set(err, SHODO_FATAL, errno, "cannot write '%s'", path);
		}
		int nc = sqlite3_column_count(s);
		for (int c = 0; c < nc; c++) {
			if (c)
				fputc(',', fp);
			shodo_csv_field(fp, sqlite3_column_name(s, c));
		}
		fputs("\r\n", fp);
		while (sqlite3_step(s) == SQLITE_ROW) {
			for (int c = 0; c < nc; c++) {
				if (c)
					putc_unlocked(',', fp);
				shodo_csv_field(fp, (const char *)sqlite3_column_text(s, c));
			}
			fputs("\r\n", fp);
		}
		sqlite3_finalize(s);
		if (fclose(fp) != 0)
			return shodo_err_set(err, SHODO_FATAL, errno, "cannot write '%s'", path);
	}
	return SHODO_OK;
}
