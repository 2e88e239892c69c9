#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
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
 * row by row cost a third of the time of a large event log.  Building one
 * is a scan of its table and a sort, so only those a query's plan uses are
 * built (checked with EXPLAIN QUERY PLAN on every statement that a quick
 * and a full triage, the case report, export and shodo parse --json
 * prepare): scope's "logon from a guessing source" and the report's logons
 * by address (logons_success_ip: successful logons only, a small part of a
 * log that holds a brute force) and shodo parse's per-file event counts.
 * shodo parse builds logons_source itself when it returns rows. */
static const char *const bulk_indexes[] = {
	"CREATE INDEX IF NOT EXISTS logons_success_ip ON logons(source_ip) WHERE result = 'success'",
	"CREATE INDEX IF NOT EXISTS event_counts_source ON event_counts(source)",
	NULL,
};

/* indexes earlier versions built after the bulk load that no query's plan
 * uses any more (or that a cheaper one replaced): dropped from a store
 * written by them before rows are added, so that they do not cost row by
 * row.  events and logons by time and events by (source, record) served
 * scope's lookups until scope read each table in one pass (scope.c, and
 * the hash of tlrows.c); reading a table in time order through an index
 * is no faster than sorting it (the front end's logon list: 0.30 s with
 * the index, 0.33 s without, 429,032 logons).  Building the three took a
 * quarter of the CPU of storing a large Security log.  The last is now
 * shodo parse's own (reader_indexes). */
static const char *const retired_indexes[] = {"logons_user", "logons_ip", "events_time", "logons_time", NULL};

/* the indexes shodo parse builds itself when it reads a store back
 * (parse.c): kept, like the bulk indexes, while a batch added to the store
 * stays smaller than what they index (building them again over the whole
 * store for every batch of xargs shodo parse was most of a batch's fixed
 * cost), dropped before a load that could outgrow them; triage never
 * builds them */
static const char *const reader_indexes[] = {"logons_source", "events_source", NULL};

#define NCACHE 64

struct shodo_store {
	sqlite3 *db;
	struct {
		const char *sql;   /* the caller's pointer: static storage (store.h) */
		sqlite3_stmt *st;
	} cache[NCACHE];
	int ncache;
	struct store_tally *tally;  /* shodo parse's summary, when asked for */
	int bulk_kept;              /* bulk load into a store that held rows: indexes kept so far */
	long long bulk_before;      /* rows of the indexed tables at its start */
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
	/* one transaction for the schema (not one per statement: shodo parse
	 * opens a store per batch of files) */
	int in_tx = shodo_store_exec(st, "BEGIN", NULL) == SHODO_OK;
	for (int i = 0; schema[i]; i++) {
		shodo_status rc = shodo_store_exec(st, schema[i], err);
		if (rc != SHODO_OK) {
			shodo_store_close(st);
			return rc;
		}
	}
	shodo_status rc = shodo_store_bulk_end(st, err);
	if (rc == SHODO_OK && in_tx)
		rc = shodo_store_exec(st, "COMMIT", err);
	if (rc != SHODO_OK) {
		shodo_store_close(st);
		return rc;
	}
	*out = st;
	return SHODO_OK;
}

/* rows of the tables the bulk indexes cover (rows are only appended, and
 * removed only by a rollback: the largest rowid is their number) */
static long long bulk_rows(shodo_store *st)
{
	static const char sql[] = "SELECT (SELECT coalesce(max(rowid),0) FROM events) + (SELECT coalesce(max(rowid),0)"
	                          " FROM logons) + (SELECT coalesce(max(rowid),0) FROM event_counts)";
	sqlite3_stmt *s = shodo_store_stmt(st, sql, NULL);
	long long n = -1;
	if (s && sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	if (s)
		sqlite3_reset(s);
	return n;
}

static shodo_status bulk_drop(shodo_store *st, shodo_err *err)
{
	st->bulk_kept = 0;
	for (int i = 0; bulk_indexes[i]; i++) {
		char sql[128];
		const char *name = bulk_indexes[i] + strlen("CREATE INDEX IF NOT EXISTS ");
		snprintf(sql, sizeof(sql), "DROP INDEX IF EXISTS %.*s", (int)strcspn(name, " "), name);
		shodo_status rc = shodo_store_exec(st, sql, err);
		if (rc != SHODO_OK)
			return rc;
	}
	for (int i = 0; reader_indexes[i]; i++) {
		char sql[128];
		snprintf(sql, sizeof(sql), "DROP INDEX IF EXISTS %s", reader_indexes[i]);
		shodo_status rc = shodo_store_exec(st, sql, err);
		if (rc != SHODO_OK)
			return rc;
	}
	return SHODO_OK;
}

/* The fewest bytes of event log per row stored: a brute force of failed
 * logons stores two rows per record of about 620 bytes. */
#define BYTES_PER_ROW_MIN 256

/*
 * A store that already holds rows (shodo parse --db, a batch after
 * another) keeps its indexes while what is added stays smaller than what
 * they index: dropping them meant building them again over every row of
 * the store for each batch of a few small logs (the largest fixed cost of
 * a batch).  They are dropped, as for an empty store, before the artifact
 * whose size could make the rows added outnumber those of the store
 * (shodo_store_bulk_next): keeping indexes up to date row by row costs
 * about twice building them afterwards.
 */
shodo_status shodo_store_bulk_begin(shodo_store *st, shodo_err *err)
{
	long long rows = bulk_rows(st);
	shodo_status rc = SHODO_OK;
	st->bulk_kept = rows > 0;
	st->bulk_before = rows;
	if (!st->bulk_kept && (rc = bulk_drop(st, err)) != SHODO_OK)
		return rc;
	for (int i = 0; retired_indexes[i]; i++) {
		char sql[128];
		snprintf(sql, sizeof(sql), "DROP INDEX IF EXISTS %s", retired_indexes[i]);
		if ((rc = shodo_store_exec(st, sql, err)) != SHODO_OK)
			return rc;
	}
	return SHODO_OK;
}

shodo_status shodo_store_bulk_next(shodo_store *st, unsigned long long bytes, shodo_err *err)
{
	if (!st->bulk_kept)
		return SHODO_OK;
	long long rows = bulk_rows(st);
	unsigned long long could = bytes / BYTES_PER_ROW_MIN;
	if (rows >= 0 && rows - st->bulk_before >= 0 &&
	    (unsigned long long)(rows - st->bulk_before) + could <= (unsigned long long)st->bulk_before)
		return SHODO_OK;
	return bulk_drop(st, err);
}

shodo_status shodo_store_bulk_end(shodo_store *st, shodo_err *err)
{
	st->bulk_kept = 0;
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
	/* by address first: the hot callers pass the same literal every time;
	 * then by text, SQLite's own copy of it (a caller's pointer is only
	 * compared, never read: it may be gone) */
	int hit = -1;
	for (int i = 0; i < st->ncache && hit < 0; i++)
		if (st->cache[i].sql == sql)
			hit = i;
	for (int i = 0; i < st->ncache && hit < 0; i++)
		if (!strcmp(sqlite3_sql(st->cache[i].st), sql))
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

/* The bytes a CSV cell must look at: , " CR LF, the controls (but tab),
 * DEL, and 0xc2 (the first byte of a C1 control). */
static const unsigned char csv_special[256] = {
	[0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1, [0x07] = 1,
	[0x08] = 1, [0x0a] = 1, [0x0b] = 1, [0x0c] = 1, [0x0d] = 1, [0x0e] = 1, [0x0f] = 1, [0x10] = 1,
	[0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1, [0x15] = 1, [0x16] = 1, [0x17] = 1, [0x18] = 1,
	[0x19] = 1, [0x1a] = 1, [0x1b] = 1, [0x1c] = 1, [0x1d] = 1, [0x1e] = 1, [0x1f] = 1,
	[','] = 1, ['"'] = 1, [0x7f] = 1, [0xc2] = 1,
};

/* One CSV cell (RFC 4180) of the n bytes of v (NUL-terminated) into out,
 * which has room for 4 * n + 3 bytes; returns the length.  Values from
 * evidence are data, never formulas or terminal controls:
 *  - a cell that starts with = + - @ tab or CR (OWASP's list) is written
 *    quoted with a leading ' , which Excel, LibreOffice and Google Sheets
 *    show as text; plain numbers are left alone;
 *  - control characters but tab, CR and LF (which quoting keeps), DEL and
 *    the C1 controls are written as \xNN.
 * triage.db keeps every value exactly as read. */
static int csv_formula_start(unsigned char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

static size_t csv_cell(char *out, const char *v, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)v, *end = p + n;
	int formula = csv_formula_start((unsigned char)v[0]) && !csv_plain_number(v), quote = formula;
	for (const unsigned char *q = p; q < end && !quote; q++)
		if (csv_special[*q])
			quote = *q != 0xc2 || (q[1] >= 0x80 && q[1] <= 0x9f);
	if (!quote) {
		memcpy(out, v, n);
		return n;
	}
	char *o = out;
	*o++ = '"';
	if (formula)
		*o++ = '\'';
	for (; p < end; p++) {
		if (*p == '"') {
			*o++ = '"';
			*o++ = '"';
		} else if ((*p < 0x20 && *p != '\t' && *p != '\r' && *p != '\n') || *p == 0x7f) {
			*o++ = '\\';
			*o++ = 'x';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		} else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			memcpy(o, "\\xc2\\x", 6);
			o += 6;
			*o++ = hex[p[1] >> 4];
			*o++ = hex[p[1] & 15];
			p++;
		} else {
			*o++ = (char)*p;
		}
	}
	*o++ = '"';
	return (size_t)(o - out);
}

void shodo_csv_field(FILE *fp, const char *v)
{
	if (!v)
		return;
	size_t n = strlen(v);
	char small[4096], *out = n <= (sizeof(small) - 3) / 4 ? small : malloc(4 * n + 3);
	if (!out) {
		fputs("\"(out of memory)\"", fp);
		return;
	}
	fwrite(out, 1, csv_cell(out, v, n), fp);
	if (out != small)
		free(out);
}

/* A CSV file written a megabyte at a time: through stdio, the per-cell
 * calls (fputs, putc, strpbrk) took half the time of the 200 MB of a busy
 * host's CSVs. */
typedef struct csv_out {
	int fd;
	char *buf;
	size_t len, cap;
	int err;   /* errno of the first failed write */
} csv_out;

static void csv_flush(csv_out *o)
{
	const char *p = o->buf;
	size_t left = o->len;
	while (left && !o->err) {
		ssize_t w = write(o->fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			o->err = w < 0 ? errno : ENOSPC;
		else {
			p += w;
			left -= (size_t)w;
		}
	}
	o->len = 0;
}

/* room for need more bytes; NULL when out of memory */
static char *csv_room(csv_out *o, size_t need)
{
	if (o->cap - o->len >= need)
		return o->buf + o->len;
	csv_flush(o);
	if (o->cap < need) {
		char *nb = realloc(o->buf, need);
		if (!nb) {
			if (!o->err)
				o->err = ENOMEM;
			return NULL;
		}
		o->buf = nb;
		o->cap = need;
	}
	return o->buf;
}

static void csv_put(csv_out *o, const char *v)
{
	if (!v)
		return;
	size_t n = strlen(v);
	char *w = csv_room(o, 4 * n + 3);
	if (w)
		o->len += csv_cell(w, v, n);
}

static void csv_put_raw(csv_out *o, const char *s, size_t n)
{
	char *w = csv_room(o, n);
	if (w) {
		memcpy(w, s, n);
		o->len += n;
	}
}

/* one table into dir/<table>.csv from db, rows in rowid order; a table that
 * cannot be read to its end or written whole is an error, and its file is
 * removed rather than left looking complete */
static shodo_status csv_table(sqlite3 *db, const char *dir, const char *table, csv_out *o, shodo_err *err)
{
	char path[4096], sql[256];
	snprintf(path, sizeof(path), "%s/%s.csv", dir, table);
	snprintf(sql, sizeof(sql), "SELECT * FROM \"%s\" ORDER BY rowid", table);
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return shodo_err_set(err, SHODO_FATAL, 0, "cannot export table %s: %s", table, sqlite3_errmsg(db));
	o->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (o->fd < 0) {
		sqlite3_finalize(s);
		return shodo_err_set(err, SHODO_FATAL, errno, "cannot write '%s'", path);
	}
	o->len = 0;
	o->err = 0;
	int nc = sqlite3_column_count(s), r;
	for (int c = 0; c < nc; c++) {
		if (c)
			csv_put_raw(o, ",", 1);
		csv_put(o, sqlite3_column_name(s, c));
	}
	csv_put_raw(o, "\r\n", 2);
	while ((r = sqlite3_step(s)) == SQLITE_ROW && !o->err) {
		for (int c = 0; c < nc; c++) {
			if (c)
				csv_put_raw(o, ",", 1);
			csv_put(o, (const char *)sqlite3_column_text(s, c));
		}
		csv_put_raw(o, "\r\n", 2);
	}
	csv_flush(o);
	shodo_status rc = SHODO_OK;
	if (o->err)
		rc = shodo_err_set(err, SHODO_FATAL, o->err, "cannot write '%s'", path);
	else if (r != SQLITE_DONE)
		rc = shodo_err_set(err, SHODO_FATAL, 0, "cannot export table %s: %s", table, sqlite3_errmsg(db));
	sqlite3_finalize(s);
	if (close(o->fd) != 0 && rc == SHODO_OK)
		rc = shodo_err_set(err, SHODO_FATAL, errno, "cannot write '%s'", path);
	if (rc != SHODO_OK)
		unlink(path);
	return rc;
}

static shodo_status csv_tables(sqlite3 *db, const char *dir, const char *const *tables, shodo_err *err)
{
	csv_out o = {-1, NULL, 0, 0, 0};
	o.buf = malloc(1 << 20);
	if (!o.buf)
		return shodo_err_set(err, SHODO_FATAL, ENOMEM, "cannot export the tables");
	o.cap = 1 << 20;
	shodo_status rc = SHODO_OK;
	for (int t = 0; tables[t] && rc == SHODO_OK; t++)
		rc = csv_table(db, dir, tables[t], &o, err);
	free(o.buf);
	return rc;
}

shodo_status shodo_store_write_csv(shodo_store *st, const char *dir, const char *const *tables, shodo_err *err)
{
	return csv_tables(st->db, dir, tables ? tables : shodo_store_csv_tables, err);
}

/* ---- the CSVs beside the report ----
 *
 * The report stage writes the CSVs on a second thread, from a read-only
 * connection of its own, while the main connection builds summary.txt and
 * report.html: both read, nothing writes the store any more (posture, the
 * last writer, has committed), so the two connections share the file
 * under SQLite's shared locks and every table is read whole.  On the bench
 * host (1.2 M rows, 200 MB of CSV) this took the CSVs' 0.8 s off the
 * stage's wall time. */
struct shodo_csv_job {
	pthread_t th;
	sqlite3 *db;
	char *dir;
	const char *const *tables;
	shodo_status rc;
	shodo_err err;
};

static void *csv_job_run(void *arg)
{
	shodo_csv_job *j = arg;
	shodo_err_clear(&j->err);
	j->rc = csv_tables(j->db, j->dir, j->tables, &j->err);
	return NULL;
}

shodo_csv_job *shodo_store_csv_start(shodo_store *st, const char *dir, const char *const *tables)
{
	const char *path = sqlite3_db_filename(st->db, "main");
	/* an open transaction would hide its rows from another connection */
	if (!sqlite3_get_autocommit(st->db) || !path || !*path)
		return NULL;
	shodo_csv_job *j = calloc(1, sizeof(*j));
	if (!j || !(j->dir = strdup(dir))) {
		free(j);
		return NULL;
	}
	j->tables = tables ? tables : shodo_store_csv_tables;
	if (sqlite3_open_v2(path, &j->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_busy_timeout(j->db, 60000);
	/* signals (Ctrl-C) stay with the thread that handled them before */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int pr = pthread_create(&j->th, NULL, csv_job_run, j);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (pr == 0)
		return j;
fail:
	sqlite3_close(j->db);
	free(j->dir);
	free(j);
	return NULL;
}

shodo_status shodo_store_csv_finish(shodo_csv_job *j, shodo_err *err)
{
	if (!j)
		return SHODO_OK;
	pthread_join(j->th, NULL);
	shodo_status rc = j->rc;
	if (rc != SHODO_OK)
		*err = j->err;
	sqlite3_close(j->db);
	free(j->dir);
	free(j);
	return rc;
}
