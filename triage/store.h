/*
 * triage/store.h — the triage results store: one SQLite database
 * (DIR/<ID>/triage/triage.db) whose tables are also written out as CSV.
 *
 * The schema below is the contract between collection, the parsers, the
 * scoping logic and the report.  Every row that comes from an artifact
 * carries `source` (path of the artifact relative to the case folder) and,
 * where the artifact has records, `record` (record number), so an analyst
 * can go back to the evidence.  Times are ISO 8601 UTC text
 * ("2021-03-04T05:06:07Z" or with 7 fraction digits), which sorts correctly.
 *
 * Writers use the sqlite3 handle directly with prepared statements
 * (shodo_store_db); the store serialises nothing, so a store is used by one
 * thread at a time.
 */
#ifndef SHODO_TRIAGE_STORE_H
#define SHODO_TRIAGE_STORE_H

#include <stdio.h>
#include <sqlite3.h>
#include "shodo/status.h"

typedef struct shodo_store shodo_store;

shodo_status shodo_store_open(const char *path, shodo_store **out, shodo_err *err);
void shodo_store_close(shodo_store *st);
sqlite3 *shodo_store_db(shodo_store *st);
shodo_status shodo_store_begin(shodo_store *st, shodo_err *err);
shodo_status shodo_store_commit(shodo_store *st, shodo_err *err);
/* Runs SQL with no result rows; returns FATAL with the sqlite message. */
shodo_status shodo_store_exec(shodo_store *st, const char *sql, shodo_err *err);

/* Prepares (and caches by SQL text) a statement; NULL on error with err set.
 * The statement is reset and its bindings cleared before it is returned.
 * sql must have static storage (a literal or a static array): the cache
 * finds the hot statements by its address first. */
sqlite3_stmt *shodo_store_stmt(shodo_store *st, const char *sql, shodo_err *err);
/* Steps a prepared INSERT/UPDATE to completion. */
shodo_status shodo_store_step_done(shodo_store *st, sqlite3_stmt *s, shodo_err *err);
/* Binds text or NULL when v is NULL or "" */
void shodo_bind_text(sqlite3_stmt *s, int i, const char *v);
/* The same without a copy: v must stay valid until the statement is stepped. */
void shodo_bind_text_static(sqlite3_stmt *s, int i, const char *v);

/* Around a bulk load (the analyse stage): the indexes of the large tables
 * (events, logons) are dropped, then built once; a store that already held
 * rows keeps them until shodo_store_bulk_next sees the load could outgrow
 * them.  Queries in between are correct, only slower.  A store always
 * opens with its indexes. */
shodo_status shodo_store_bulk_begin(shodo_store *st, shodo_err *err);
/* Before each artifact (bytes: its size) of a bulk load into a store that
 * already held rows: the indexes are kept while the rows added stay fewer
 * than those they index, and dropped before that could change. */
shodo_status shodo_store_bulk_next(shodo_store *st, unsigned long long bytes, shodo_err *err);
shodo_status shodo_store_bulk_end(shodo_store *st, shodo_err *err);

/* One row of the persistence table: services, tasks, autostart entries.
 * record < 0 stores NULL (registry entries have no record number). */
shodo_status shodo_store_add_persistence(shodo_store *st, const char *time, const char *kind, const char *name,
                                         const char *command, const char *account, const char *detail,
                                         const char *source, long long record, shodo_err *err);

/* One row of the logons table.  logon_type < 0 stores NULL. */
typedef struct shodo_logon_row {
	const char *time, *result, *target_user, *target_domain, *source_ip, *workstation, *logon_id;
	const char *process, *auth_package, *status, *computer, *source;
	const char *terminal_session;  /* Remote Desktop session name or number */
	long long event_id, record;
	int logon_type, recovered;
} shodo_logon_row;
shodo_status shodo_store_add_logon(shodo_store *st, const shodo_logon_row *r, shodo_err *err);

/* One row of the events table (empty strings store NULL). */
typedef struct shodo_event_row {
	const char *time, *category, *provider, *channel, *computer, *user, *target, *detail, *source;
	long long event_id, record;
	int recovered;
} shodo_event_row;
shodo_status shodo_store_add_event(shodo_store *st, const shodo_event_row *r, shodo_err *err);

/* shodo parse's per-file summary of logons and events, tallied as the rows
 * are added by shodo_store_add_logon/add_event (triage/store_tally.c)
 * instead of queried afterwards.  Lines (the summary queries' columns
 * joined by two spaces) are handed to line(); -1 when the tallies cannot
 * answer (not started, out of memory, a rollback they could not follow):
 * query the rows then. */
shodo_status shodo_store_tally_start(shodo_store *st, shodo_err *err);
int shodo_store_tally_ok(shodo_store *st);
int shodo_store_tally_lines(shodo_store *st, const char *source, int events, void (*line)(void *ud, char *text),
                            void *ud);

/* One row of the accounts table (SAM, ntds.dit).  Numbers < 0 store NULL
 * (unknown), so a value that could not be read never looks like a zero. */
typedef struct shodo_account_row {
	const char *volume, *origin, *name, *full_name, *groups, *created, *last_logon, *last_password_set;
	const char *last_failed_logon, *comment, *source;
	long long rid, logon_count, bad_password_count;
	int enabled, admin, password_never_expires, password_not_required;
} shodo_account_row;
/* All numbers unknown (-1), all strings NULL. */
void shodo_account_row_init(shodo_account_row *r);
shodo_status shodo_store_add_account(shodo_store *st, const shodo_account_row *r, shodo_err *err);

/* Writes one RFC 4180 CSV field (NULL writes nothing). */
void shodo_csv_field(FILE *fp, const char *v);

/* The CSV tables (SPEC): events, logons, prefetch, accounts, ransom_notes,
 * timeline, persistence, plus failed_logons, encrypted_extensions, host,
 * policy, posture, reuse_review, sessions.  Writes <dir>/<table>.csv for each table in
 * the NULL-terminated list tables (NULL = every exported table) — UTF-8,
 * header row, RFC 4180 quoting, rows in the table's natural order. */
shodo_status shodo_store_write_csv(shodo_store *st, const char *dir, const char *const *tables,
                                   shodo_err *err);
extern const char *const shodo_store_csv_tables[];

/* The same CSVs written on a thread of their own, from a second, read-only
 * connection to the store's file, while the caller goes on reading (never
 * writing) through st.  NULL when that cannot be done (an open transaction,
 * no thread): the caller writes them with shodo_store_write_csv.  finish
 * waits until every file is whole and returns what the writing returned. */
typedef struct shodo_csv_job shodo_csv_job;
shodo_csv_job *shodo_store_csv_start(shodo_store *st, const char *dir, const char *const *tables);
shodo_status shodo_store_csv_finish(shodo_csv_job *job, shodo_err *err);

#endif
