/*
 * triage/scope/scope.h — helpers of the scoping stage exposed for tests.
 */
#ifndef SHODO_TRIAGE_SCOPE_H
#define SHODO_TRIAGE_SCOPE_H

#include "triage/triage_int.h"

/* Files with one appended extension needed before it is called encryption. */
#define SHODO_SCOPE_MIN_ENCRYPTED 5

/* 1 when name carries ext appended after a user-file extension
 * ("report.docx.lockbit", "a.xlsx.id[..].[x@y.z].eking" with ext "eking"). */
int shodo_scope_appended(const char *name, const char *ext);

/* sessions.c: Remote Desktop connections and network logons from the logon
 * events, into table sessions (logons.session marks each event's row) */
shodo_status shodo_scope_sessions(shodo_triage_ctx *ctx, shodo_err *err);

/* hostid.c: the OS (SOFTWARE, else the newest boot event, else the prefetch
 * format) and SAM/SECURITY machine SIDs compared, into host (source 'scope');
 * boot_rowid: the events row of the newest boot event with its build (0
 * none), found by scope.c's pass over the events */
shodo_status shodo_scope_host(shodo_triage_ctx *ctx, long long boot_rowid, shodo_err *err);
/* "Windows 10 22H2", "Windows Server 2019", "Windows 7 or Windows Server
 * 2008 R2" from the version, build and SYSTEM's ProductType (NULL unknown) */
void shodo_scope_os_name(unsigned major, unsigned minor, unsigned build, const char *ptype, char *out, size_t n);

/* tlrows.c: the timeline's rows gathered in memory (in the order they are
 * added), sorted stably by time, kind, what and written to table timeline */
typedef struct scope_tl scope_tl;
scope_tl *scope_tl_new(void);
void scope_tl_free(scope_tl *tl);
/* adds the row at column first.. of s: time, kind, what, detail, source,
 * record; -1 out of memory (remembered: scope_tl_write fails) */
int scope_tl_add(scope_tl *tl, sqlite3_stmt *s, int first);
/* time, kind, what, detail, source as text ("" and NULL are NULL), no record */
int scope_tl_add_text(scope_tl *tl, const char *const v[5]);
shodo_status scope_tl_write(scope_tl *tl, shodo_triage_ctx *ctx, shodo_err *err);
size_t scope_tl_written(const scope_tl *tl);

/* tlrows.c: runs sql with the eponymous table shodo_pairs(a, b) holding the
 * n pairs (a, b) of pairs[] */
shodo_status scope_pairs_exec(shodo_store *store, const long long *pairs, size_t n, const char *sql, shodo_err *err);

/* tlrows.c: the events' (source, record), for SQL shodo_seen(source,
 * record) = EXISTS (SELECT 1 FROM events e WHERE e.source = source AND
 * e.record = record) */
typedef struct scope_seen scope_seen;
scope_seen *scope_seen_new(sqlite3 *db);
void scope_seen_free(scope_seen *x);
/* adds the source and record at columns c and c + 1 of s */
int scope_seen_add(scope_seen *x, sqlite3_stmt *s, int c);
int scope_seen_failed(const scope_seen *x);
int scope_seen_register(scope_seen *x);
void scope_seen_unregister(sqlite3 *db);

/* failed.c: table failed_logons, and the window's facts from the logons
 * (cap: the newest time trusted, 19 characters) */
typedef struct scope_logon_facts {
	char newest[64];         /* max(time) of the times within cap ("" none) */
	long long rdp_rowid;     /* the first RDP logon from a public address */
	long long guess_rowid;   /* the first success from a guessing address */
} scope_logon_facts;
shodo_status scope_failed_logons(shodo_triage_ctx *ctx, const char *cap, scope_logon_facts *out, shodo_err *err);
/* 1 when SQL substr(t, 1, 19) <= cap (t: n bytes of text) */
int scope_le_cap(const char *t, int n, const char *cap);

/* tools.c: flags renamed copies of flagged tools by hash */
shodo_status shodo_scope_tools(shodo_triage_ctx *ctx, shodo_err *err);

#endif
