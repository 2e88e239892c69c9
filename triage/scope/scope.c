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
 * Only the store is read here: no artifact.  The large tables are read once
 * each, in table order, and what every answer needs is taken from that one
 * pass: the logons in failed.c (failed-logon groups, the window's logon
 * anchors and newest time), the events in events_pass() (the timeline's
 * event rows, the window's event anchors and newest time, the events' keys
 * that tell which logons are already on the timeline); the timeline is
 * sorted in memory and written by one INSERT (tlrows.c), logons.session by
 * one UPDATE (sessions.c).  Measured on the bench host (quick triage,
 * 305,816 timeline rows from 261,257 events and 229,477 logons): the SQL
 * that ran one query per answer took 2.6 s, most of it in per-row index
 * lookups (a NOT EXISTS per logon, the anchors' walks of the time index with
 * a table lookup per row, five correlated subqueries per failed-logon group
 * over 211,004 failures) and in SQLite's sorter.  The answers are the same,
 * row for row and in order: tests/unit/test_scope.c compares them with the
 * SQL they replaced.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "scope.h"
#include "triage/parsers/putil.h"
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

/*
 * The incident's own anchors: each query gives the earliest time of one kind
 * of fact that belongs to an attack, and a label.  The default window (SPEC:
 * the 30 days before the newest event) is widened so that every anchor lies
 * inside: a brute force of 2016 followed by notes written today gives a
 * window from 2016.  Every anchor used is named in scope_info.window_anchors.
 * ?1 is the newest time trusted (a day past the examiner's clock).
 */
#define BRUTE_MIN 10   /* failed logons in one account/source group */
/* where an anchor's row comes from: its own query (?1 the cap), or the row
 * (?2 its rowid) the single passes over events and logons found first */
enum { A_SQL, A_LOG_CLEARED, A_ACCOUNT, A_ADMIN_GROUP, A_DEFENDER, A_SUSPICIOUS, A_EVENTS_END = A_SUSPICIOUS,
       A_GUESS, A_RDP };
static const struct anchor_def {
	const char *label;
	const char *sql;   /* one row: time, detail (may be NULL) */
	int from;
} anchors[] = {
	{"ransom note", "SELECT min(t), NULL FROM (SELECT coalesce(crtime, mtime) AS t FROM ransom_notes UNION ALL"
	                " SELECT coalesce(f.crtime, f.mtime) FROM files f JOIN ransom_notes n ON f.category = 'ransom_note'"
	                " AND f.extracted = n.source) WHERE t >= '2000' AND substr(t,1,19) <= ?1", A_SQL},
	{"encryption start", "SELECT min(first_mtime), NULL FROM encrypted_extensions WHERE first_mtime >= '2000'"
	                     " AND substr(first_mtime,1,19) <= ?1", A_SQL},
	/* events: category = 'log_cleared' AND time >= '2000' AND substr(time,1,19)
	 * <= ?1 ORDER BY time LIMIT 1 (events_pass) */
	{"log cleared", "SELECT time, coalesce(target, '') || coalesce(' by ' || nullif(user,''), '') FROM events"
	                " WHERE rowid = ?2", A_LOG_CLEARED},
	{"brute force", "SELECT first_time, coalesce(target_user,'?') || ' from ' || coalesce(source_ip, workstation, '?')"
	                " || ', ' || count || ' failures' FROM failed_logons WHERE count >= 10 AND first_time >= '2000'"
	                " AND substr(first_time,1,19) <= ?1 ORDER BY first_time LIMIT 1", A_SQL},
	/* logons: result = 'success' AND source_ip IN (SELECT source_ip FROM
	 * failed_logons WHERE count >= 10) within the bounds, the earliest
	 * (failed.c) */
	{"logon from a guessing source", "SELECT l.time, coalesce(l.target_user,'?') || ' type ' ||"
	                " coalesce(l.logon_type,'?') || ' from ' || l.source_ip FROM logons l WHERE l.rowid = ?2", A_GUESS},
	/* logons: result = 'success' AND logon_type = 10 AND source_ip IS NOT NULL
	 * AND shodo_public_ip(source_ip) within the bounds, the earliest */
	{"first RDP from a public address", "SELECT time, coalesce(target_user,'?') || ' from ' || source_ip FROM logons"
	                " WHERE rowid = ?2", A_RDP},
	/* events: category = 'account_created' */
	{"account created", "SELECT time, target FROM events WHERE rowid = ?2", A_ACCOUNT},
	/* events: category = 'group_member_added' AND detail LIKE '%admin%' */
	{"added to an admin group", "SELECT time, coalesce(nullif(target,''), detail) FROM events WHERE rowid = ?2",
	                A_ADMIN_GROUP},
	/* each distinct command tested once (a service installed at every boot
	 * is thousands of rows with one command) */
	{"suspicious service", "SELECT time, name || ': ' || coalesce(command,'') FROM persistence WHERE kind = 'service'"
	                " AND command IN (SELECT c FROM (SELECT DISTINCT command AS c FROM persistence"
	                " WHERE kind = 'service') WHERE shodo_flag_cmd(c) IS NOT NULL) AND time >= '2000'"
	                " AND substr(time,1,19) <= ?1 ORDER BY time LIMIT 1", A_SQL},
	/* the key's last write of a SYSTEM-hive service that runs a flagged
	 * command or from a folder users write (ProgramData alone is not
	 * enough here: vendors install there, years before any incident) */
	{"suspicious service (SYSTEM hive, key written)", "SELECT last_written, name || ': ' || coalesce(image_path, '') ||"
	                " coalesce(' DLL ' || service_dll, '') || ' (' || flag || ')' FROM services"
	                " WHERE coalesce(per_user, '') <> 'instance' AND shodo_service_anchor(image_path, service_dll)"
	                " AND last_written >= '2000' AND substr(last_written,1,19) <= ?1 ORDER BY last_written LIMIT 1",
	                A_SQL},
	/* events: category = 'defender_disabled' */
	{"Defender disabled", "SELECT time, detail FROM events WHERE rowid = ?2", A_DEFENDER},
	/* events: category = 'process_suspicious' */
	{"suspicious command", "SELECT time, target FROM events WHERE rowid = ?2", A_SUSPICIOUS},
	{"attack tool run", "SELECT last_run, executable FROM prefetch WHERE flag IS NOT NULL AND flag <> ''"
	                " AND last_run >= '2000' AND substr(last_run,1,19) <= ?1 ORDER BY last_run LIMIT 1", A_SQL},
};

/* SQL shodo_public_ip(ip): 1 for an address outside the private, loopback,
 * link-local and carrier-grade NAT ranges (IPv4; IPv6 outside fc00::/7,
 * fe80::/10 and ::1) */
static void sql_public_ip(sqlite3_context *c, int argc, sqlite3_value **v)
{
	(void)argc;
	const char *ip = (const char *)sqlite3_value_text(v[0]);
	unsigned a, b, x, y;
	int pub = 0;
	if (ip && sscanf(ip, "%u.%u.%u.%u", &a, &b, &x, &y) == 4 && a < 256 && b < 256) {
		pub = !(a == 10 || a == 127 || a == 0 || (a == 172 && b >= 16 && b < 32) || (a == 192 && b == 168) ||
		        (a == 169 && b == 254) || (a == 100 && b >= 64 && b < 128) || a >= 224);
	} else if (ip && strchr(ip, ':')) {
		pub = strcmp(ip, "::1") && strncasecmp(ip, "fe8", 3) && strncasecmp(ip, "fe9", 3) &&
		      strncasecmp(ip, "fea", 3) && strncasecmp(ip, "feb", 3) && strncasecmp(ip, "fc", 2) &&
		      strncasecmp(ip, "fd", 2) && strcmp(ip, "::");
	}
	sqlite3_result_int(c, pub);
}

/* SQL shodo_flag_cmd(cmd): why a command line is suspicious, or NULL */
static void sql_flag_cmd(sqlite3_context *c, int argc, sqlite3_value **v)
{
	(void)argc;
	const char *cmd = (const char *)sqlite3_value_text(v[0]);
	const char *why = putil_suspicious_cmdline(cmd);
	if (!why && cmd && putil_user_writable(cmd))
		why = "runs from a user-writable folder";
	if (why)
		sqlite3_result_text(c, why, -1, SQLITE_STATIC);
	else
		sqlite3_result_null(c);
}

/* SQL shodo_service_anchor(image, dll): 1 when a service's image or DLL
 * matches the suspicious-command table or lies in a user-writable folder
 * other than ProgramData */
static int writable_not_programdata(const char *p)
{
	static const char *const dirs[] = {"\\Users\\", "\\AppData\\", "\\Temp\\", "%TEMP%", "%APPDATA%",
	                                   "%LOCALAPPDATA%", "%PUBLIC%", "\\Public\\", "\\Windows\\Tasks\\",
	                                   "\\PerfLogs\\", "\\$Recycle.Bin\\", NULL};
	if (!p || !putil_user_writable(p))
		return 0;
	for (int i = 0; dirs[i]; i++)
		if (putil_strcasestr(p, dirs[i]))
			return 1;
	return 0;
}

static void sql_service_anchor(sqlite3_context *c, int argc, sqlite3_value **v)
{
	(void)argc;
	const char *img = (const char *)sqlite3_value_text(v[0]), *dll = (const char *)sqlite3_value_text(v[1]);
	sqlite3_result_int(c, putil_suspicious_cmdline(img) || putil_suspicious_cmdline(dll) ||
	                          writable_not_programdata(img) || writable_not_programdata(dll));
}

/* what the stages share: the clock, and what the single passes over the
 * events and the logons found */
typedef struct scope_state {
	time_t now;
	char cap[32];              /* the newest time trusted: a day past our clock */
	scope_logon_facts lf;      /* failed.c */
	char ev_newest[64];        /* max(time) of the events within cap */
	long long ev_anchor[A_EVENTS_END + 1]; /* the earliest row of each events anchor */
	long long boot_rowid;      /* the newest boot event with its build, 0 none */
	scope_tl *tl;              /* the timeline being gathered */
	scope_seen *seen;          /* the events' (source, record) */
} scope_state;

/* the greatest time so far: NULL, then text, then blobs (class -1 none) */
typedef struct tboot {
	char *p;
	int cls, n;
	int take;   /* the row just seen is the greatest */
} tboot;

static int boot_newer(tboot *b, sqlite3_stmt *s, int c)
{
	int t = sqlite3_column_type(s, c);
	int cls = t == SQLITE_NULL ? 0 : t == SQLITE_BLOB ? 2 : 1;
	const void *p = t == SQLITE_BLOB ? sqlite3_column_blob(s, c) : (const void *)sqlite3_column_text(s, c);
	int n = sqlite3_column_bytes(s, c);
	b->take = 0;
	if (b->cls >= 0) {
		int d = cls - b->cls;
		if (!d && cls) {
			int m = n < b->n ? n : b->n;
			d = m ? memcmp(p, b->p, (size_t)m) : 0;
			if (!d)
				d = n - b->n;
		}
		if (d <= 0)
			return 0;
	}
	char *np = realloc(b->p, (size_t)n + 1);
	if (!np)
		return -1;
	if (n)
		memcpy(np, p, (size_t)n);
	b->p = np;
	b->n = n;
	b->cls = cls;
	b->take = 1;
	return 0;
}

/*
 * One pass over the events, in table order: the timeline's rows of the
 * events, their (source, record), the newest time and the earliest row of
 * each events anchor, the newest boot event (hostid.c).  Each of these was a
 * query of its own: the anchors
 * walked the index on time with a table lookup per row until the first
 * match (0.6 s for a category with no rows on the bench host).  The earliest
 * row: the first of equal times in table order, as the index gave it.
 */
static shodo_status events_pass(shodo_triage_ctx *ctx, scope_state *st, shodo_err *err)
{
	sqlite3 *db = shodo_store_db(ctx->store);
	static const char q[] =
	    "SELECT time, category, coalesce(nullif(target,''), user, ''),"
	    " trim(coalesce(user,'') || CASE WHEN user <> '' AND detail <> '' THEN ': ' ELSE '' END ||"
	    " coalesce(detail,'')) || ' (event ' || event_id || ')', source, record, rowid,"
	    " CASE WHEN category IN ('log_cleared', 'account_created', 'group_member_added', 'defender_disabled',"
	    "  'process_suspicious') AND time >= '2000' AND substr(time,1,19) <= ?1 THEN CASE category"
	    "  WHEN 'log_cleared' THEN 1 WHEN 'account_created' THEN 2 WHEN 'group_member_added' THEN"
	    "  CASE WHEN detail LIKE '%admin%' THEN 3 END WHEN 'defender_disabled' THEN 4 ELSE 5 END END,"
	    " category = 'os_boot' AND detail LIKE '%build%'"
	    " FROM events";
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, q, -1, &s, NULL) != SQLITE_OK)
		return shodo_err_set(err, SHODO_FATAL, 0, "scope: %s", sqlite3_errmsg(db));
	sqlite3_bind_text(s, 1, st->cap, -1, SQLITE_TRANSIENT);
	char *atime[A_EVENTS_END + 1] = {NULL};
	char *newest = NULL;
	size_t newest_n = 0;
	int r = SQLITE_DONE, oom = 0;
	tboot boot = {.p = NULL, .cls = -1};
	while (!oom && (r = sqlite3_step(s)) == SQLITE_ROW) {
		if (scope_seen_add(st->seen, s, 4) < 0)
			oom = 1;
		/* the newest boot with its build (hostid.c): ORDER BY substr(time,1,19)
		 * DESC, time DESC LIMIT 1, the first of equals */
		if (sqlite3_column_int(s, 8) == 1 && boot_newer(&boot, s, 0) < 0)
			oom = 1;
		else if (sqlite3_column_int(s, 8) == 1 && boot.take)
			st->boot_rowid = sqlite3_column_int64(s, 6);
		int tt = sqlite3_column_type(s, 0);
		if (tt == SQLITE_NULL)
			continue;
		/* the timeline: WHERE time <> '' */
		if ((tt != SQLITE_TEXT || sqlite3_column_bytes(s, 0)) && scope_tl_add(st->tl, s, 0) < 0)
			oom = 1;
		if (tt == SQLITE_BLOB)
			continue;
		const char *t = (const char *)sqlite3_column_text(s, 0);
		size_t tn = (size_t)sqlite3_column_bytes(s, 0);
		/* max(time) WHERE substr(time,1,19) <= cap */
		if (scope_le_cap(t, (int)tn, st->cap)) {
			size_t m = tn < newest_n ? tn : newest_n;
			int c = newest ? memcmp(t, newest, m) : 1;
			if (c > 0 || (c == 0 && tn > newest_n)) {
				char *n = realloc(newest, tn + 1);
				if (!n) {
					oom = 1;
					continue;
				}
				memcpy(n, t, tn);
				n[tn] = '\0';
				newest = n;
				newest_n = tn;
			}
		}
		int a = sqlite3_column_int(s, 7);
		if (a < A_LOG_CLEARED || a > A_EVENTS_END)
			continue;
		if (atime[a]) {
			size_t an = strlen(atime[a]), m = tn < an ? tn : an;
			int c = memcmp(t, atime[a], m);
			if (c > 0 || (c == 0 && tn >= an))
				continue;
		}
		char *n = realloc(atime[a], tn + 1);
		if (!n) {
			oom = 1;
			continue;
		}
		memcpy(n, t, tn);
		n[tn] = '\0';
		atime[a] = n;
		st->ev_anchor[a] = sqlite3_column_int64(s, 6);
	}
	shodo_status rc = SHODO_OK;
	if (oom || scope_seen_failed(st->seen))
		rc = shodo_err_set(err, SHODO_FATAL, 0, "scope: out of memory");
	else if (r != SQLITE_DONE)
		rc = shodo_err_set(err, SHODO_FATAL, 0, "scope: %s", sqlite3_errmsg(db));
	sqlite3_finalize(s);
	if (newest)
		snprintf(st->ev_newest, sizeof(st->ev_newest), "%s", newest);
	free(newest);
	free(boot.p);
	for (int i = 0; i <= A_EVENTS_END; i++)
		free(atime[i]);
	return rc;
}

static shodo_status window(shodo_triage_ctx *ctx, scope_state *st, shodo_err *err)
{
	sqlite3 *db = shodo_store_db(ctx->store);
	char newest[64] = "", t[64];
	const char *cap = st->cap;
	time_t now = st->now, nt = 0;
	/* max(time) of events and logons, within cap: from the passes */
	const char *passed[] = {st->ev_newest, st->lf.newest};
	for (int i = 0; i < 2; i++)
		if (passed[i][0] && strcmp(passed[i], newest) > 0)
			snprintf(newest, sizeof(newest), "%s", passed[i]);
	static const char *const srcs[] = {
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
	for (int pass = 0; pass < 2 && (!pass || !newest[0]); pass++) {
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

	/* the anchors, earliest first in the list written out */
	time_t a_first = 0, a_last = 0;
	struct {
		time_t at;
		char text[400];
	} found[sizeof(anchors) / sizeof(anchors[0])];
	size_t nf = 0;
	const shodo_triage_opts *o = ctx->opts;
	time_t since = o ? o->since : ctx->since, until = o ? o->until : ctx->until;
	for (size_t i = 0; i < sizeof(anchors) / sizeof(anchors[0]); i++) {
		sqlite3_stmt *s = NULL;
		long long row = anchors[i].from == A_GUESS ? st->lf.guess_rowid
		              : anchors[i].from == A_RDP  ? st->lf.rdp_rowid
		              : anchors[i].from          ? st->ev_anchor[anchors[i].from] : 0;
		if ((anchors[i].from && !row) || sqlite3_prepare_v2(db, anchors[i].sql, -1, &s, NULL) != SQLITE_OK)
			continue;
		if (anchors[i].from)
			sqlite3_bind_int64(s, 2, row);
		else
			sqlite3_bind_text(s, 1, cap, -1, SQLITE_TRANSIENT);
		time_t at;
		if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) &&
		    shodo_parse_iso((const char *)sqlite3_column_text(s, 0), &at) == 0) {
			const char *d = (const char *)sqlite3_column_text(s, 1);
			char iso[32];
			shodo_time_iso(at, iso);
			/* one line each: evidence text loses its line breaks */
			snprintf(found[nf].text, sizeof(found[nf].text), "%s %s%s%s%s", iso, anchors[i].label,
			         d && *d ? ": " : "", d && *d ? d : "", "");
			for (char *p = found[nf].text; *p; p++)
				if (*p == '\n' || *p == '\r')
					*p = ' ';
			found[nf++].at = at;
			if (!a_first || at < a_first)
				a_first = at;
			if (at > a_last)
				a_last = at;
		}
		sqlite3_finalize(s);
	}
	/* earliest first */
	for (size_t i = 1; i < nf; i++)
		for (size_t j = i; j > 0 && found[j].at < found[j - 1].at; j--) {
			__typeof__(found[0]) tmp = found[j];
			found[j] = found[j - 1];
			found[j - 1] = tmp;
		}
	char list[4096] = "", outside[2048] = "";
	size_t ll = 0, ol = 0;
	for (size_t i = 0; i < nf; i++) {
		if (ll < sizeof(list))
			ll += (size_t)snprintf(list + ll, sizeof(list) - ll, "%s%s", ll ? "\n" : "", found[i].text);
		if (((since && found[i].at < since) || (until && found[i].at >= until)) && ol < sizeof(outside))
			ol += (size_t)snprintf(outside + ol, sizeof(outside) - ol, "%s%s", ol ? "\n" : "", found[i].text);
	}

	if (!since && !until) {
		if (!nt && !a_first) {
			info_put(ctx, "window", "none");
			info_put(ctx, "window_how", "no timestamped facts were found");
			ctx->since = ctx->until = 0;
			return SHODO_OK;
		}
		if (a_last > nt)
			nt = a_last;
		until = nt + 1; /* the newest event itself is inside */
		since = until - 30 * DAY;
		if (a_first && a_first - DAY < since) {
			/* a day before the first anchor: the preparation is seen too */
			since = a_first - DAY;
			how = "from a day before the first anchor of the incident to the newest event";
		} else if (a_first) {
			how = "the 30 days before the newest event, every anchor of the incident inside";
		}
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
	info_put(ctx, "window_anchors", ll ? list : "none found (no notes, encryption, cleared logs, brute force, new"
	                                             " accounts or admins, suspicious services or tools)");
	if (ol)
		info_put(ctx, "window_misses", outside);
	if (newest[0])
		info_put(ctx, "newest_event", newest);
	(void)err;
	return SHODO_OK;
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

/* SQL function appended(name, ext): shodo_scope_appended */
static void sql_appended(sqlite3_context *c, int argc, sqlite3_value **v)
{
	(void)argc;
	const char *name = (const char *)sqlite3_value_text(v[0]);
	const char *ext = (const char *)sqlite3_value_text(v[1]);
	sqlite3_result_int(c, name && ext && shodo_scope_appended(name, ext));
}

/*
 * Both profiles decide on the same evidence: the files carrying an appended
 * extension are in the files table in both (the quick profile lists exactly
 * those), and the number of allocated files per extension comes from
 * ext_counts, counted from the names in both.  Without ext_counts (an older
 * store, or no volume walked) the files table gives the totals when it lists
 * every file (full profile); otherwise encryption is "not measured".
 */
static shodo_status encrypted(shodo_triage_ctx *ctx, shodo_err *err)
{
	sqlite3 *db = shodo_store_db(ctx->store);
	shodo_status rc;
	if (sqlite3_create_function(db, "shodo_appended", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_appended,
	                            NULL, NULL) != SQLITE_OK)
		return shodo_err_set(err, SHODO_FATAL, 0, "scope: %s", sqlite3_errmsg(db));
	char n[32], profile[8] = "";
	q_text(db, "SELECT count(*) FROM ext_counts WHERE ext IS NULL", n, sizeof(n));
	long counted_volumes = atol(n);
	int full = ctx->opts ? ctx->opts->profile == SHODO_PROFILE_FULL : 0;
	if (!ctx->opts) {
		q_text(db, "SELECT value FROM scope_info WHERE key = 'profile'", profile, sizeof(profile));
		full = !strcmp(profile, "full");
	}
	q_text(db, "SELECT count(*) FROM files", n, sizeof(n));
	long listed = atol(n);
	static const char *const prep[] = {
		/* appended copies and their times, per extension */
		"CREATE TEMP TABLE ea AS SELECT lower(ext) AS ext, count(*) AS listed,"
		" sum(shodo_appended(name, ext)) AS appended,"
		" min(CASE WHEN shodo_appended(name, ext) THEN mtime END) AS first_app,"
		" max(CASE WHEN shodo_appended(name, ext) THEN mtime END) AS last_app,"
		" min(mtime) AS first_all, max(mtime) AS last_all FROM files"
		" WHERE coalesce(is_dir,0) = 0 AND coalesce(allocated,1) <> 0 AND ext IS NOT NULL AND ext <> ''"
		" AND coalesce(category,'') <> 'ransom_note' GROUP BY lower(ext)",
		"CREATE TEMP TABLE et AS SELECT lower(ext) AS ext, sum(files) AS total FROM ext_counts"
		" WHERE ext IS NOT NULL GROUP BY lower(ext)",
		NULL,
	};
	exec(ctx, "DROP TABLE IF EXISTS temp.ea", NULL);
	exec(ctx, "DROP TABLE IF EXISTS temp.et", NULL);
	for (int i = 0; prep[i]; i++)
		if ((rc = exec(ctx, prep[i], err)) != SHODO_OK)
			return rc;
	const char *how;
	int measured = 1;
	if (counted_volumes)
		how = "every allocated file name of the volumes counted by extension";
	else if (full && listed)
		how = "every file listed (full profile)";
	else {
		how = listed ? "no count of file names per extension (only collected files listed)"
		             : "no file system was listed";
		measured = 0;
	}
	/* totals: from the name counts when there are any, else from the listing */
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db,
	                       counted_volumes
	                           ? "SELECT et.ext, et.total, coalesce(ea.appended,0), ea.first_app, ea.last_app,"
	                             " ea.first_all, ea.last_all FROM et LEFT JOIN ea ON ea.ext = et.ext"
	                             " WHERE coalesce(ea.appended,0) > 0 OR et.total >= 50 ORDER BY et.ext"
	                           : "SELECT ext, listed, appended, first_app, last_app, first_all, last_all FROM ea"
	                             " ORDER BY ext",
	                       -1, &s, NULL) != SQLITE_OK)
		return shodo_err_set(err, SHODO_FATAL, 0, "scope: %s", sqlite3_errmsg(db));
	rc = SHODO_OK;
	while (rc == SHODO_OK && sqlite3_step(s) == SQLITE_ROW) {
		const char *e = (const char *)sqlite3_column_text(s, 0);
		long long total = sqlite3_column_int64(s, 1), app = sqlite3_column_int64(s, 2);
		if (!e || in_list(benign_suffix, e, strlen(e)))
			continue;
		/* a ransom note of the family the extension names (three .akira files
		 * beside an akira note) is evidence enough for a few files */
		char fam[64] = "";
		q_text_arg(db, "SELECT family FROM ransom_notes WHERE lower(family) = lower(?) LIMIT 1", e, fam,
		           sizeof(fam));
		int appended = (app >= SHODO_SCOPE_MIN_ENCRYPTED || (fam[0] && app >= 1)) && app * 2 >= total;
		/* a random extension replacing the real one; without a full listing
		 * every such file counts (the names say so in both profiles) */
		int replaced = !appended && total >= 50 && random_ext(e) && (counted_volumes || full);
		if (!appended && !replaced)
			continue;
		sqlite3_stmt *ins = shodo_store_stmt(ctx->store,
		                                     "INSERT INTO encrypted_extensions(extension, count, first_mtime,"
		                                     " last_mtime, example, source, record, family)"
		                                     " VALUES(?,?,?,?,NULL,NULL,NULL,?)",
		                                     err);
		if (!ins) {
			rc = SHODO_FATAL;
			break;
		}
		char dot[80];
		snprintf(dot, sizeof(dot), ".%s", e);
		shodo_bind_text(ins, 1, dot);
		sqlite3_bind_int64(ins, 2, appended ? app : total);
		shodo_bind_text(ins, 3, (const char *)sqlite3_column_text(s, appended ? 3 : 5));
		shodo_bind_text(ins, 4, (const char *)sqlite3_column_text(s, appended ? 4 : 6));
		shodo_bind_text(ins, 5, fam);
		rc = shodo_store_step_done(ctx->store, ins, err);
	}
	sqlite3_finalize(s);
	exec(ctx, "DROP TABLE IF EXISTS temp.ea", NULL);
	exec(ctx, "DROP TABLE IF EXISTS temp.et", NULL);
	if (rc != SHODO_OK)
		return rc;
	/* an example of each: the first appended copy listed, else the first file
	 * with the extension; its MFT entry is the record an analyst opens */
	rc = exec(ctx,
	          "UPDATE encrypted_extensions SET example = (SELECT coalesce(f.volume || ':', '') || f.path"
	          " FROM files f WHERE '.' || lower(f.ext) = encrypted_extensions.extension"
	          " ORDER BY shodo_appended(f.name, f.ext) DESC, f.rowid LIMIT 1),"
	          " record = (SELECT f.inode FROM files f WHERE '.' || lower(f.ext) = encrypted_extensions.extension"
	          " ORDER BY shodo_appended(f.name, f.ext) DESC, f.rowid LIMIT 1)",
	          err);
	if (rc == SHODO_OK)
		rc = exec(ctx, "UPDATE encrypted_extensions SET source = 'files' WHERE example IS NOT NULL", err);
	if (rc != SHODO_OK)
		return rc;
	q_text(db, "SELECT count(*) FROM encrypted_extensions", n, sizeof(n));
	info_put(ctx, "encryption", atol(n) ? "found" : measured ? "none" : "not_measured");
	info_put(ctx, "encryption_how", how);
	return SHODO_OK;
}

/* ---- per-user service instances ---- */

/* Windows makes a copy of each per-user service template at every logon,
 * named <template>_<hex> (CDPUserSvc_1a2b3c), and logs 7045 for it: not an
 * installed service.  The templates of Windows 10 and 11; the SYSTEM hive's
 * own templates (Type bit 0x40, table services) count too. */
static const char *const per_user_templates[] = {
	"AarSvc", "BcastDVRUserService", "BluetoothUserService", "CaptureService", "cbdhsvc", "CDPUserSvc",
	"CloudBackupRestoreSvc", "ConsentUxUserSvc", "CredentialEnrollmentManagerUserSvc", "DeviceAssociationBrokerSvc",
	"DevicePickerUserSvc", "DevicesFlowUserSvc", "LxssManagerUser", "MessagingService", "NPSMSvc", "OneSyncSvc",
	"P9RdrService", "PenService", "PimIndexMaintenanceSvc", "PrintWorkflowUserSvc", "UdkUserSvc", "UnistoreSvc",
	"UserDataSvc", "WpnUserService", "webthreatdefusersvc", NULL,
};

/* 1 when (name, command) is a per-user instance: <template>_<4 to 8 hex
 * digits>, run by System32's svchost.exe, not flagged (a look-alike name on
 * another program is not hidden) */
static int per_user_instance(sqlite3 *db, const char *name, const char *cmd)
{
	const char *us = name ? strrchr(name, '_') : NULL;
	if (!us || us == name || !cmd)
		return 0;
	size_t hl = strlen(us + 1);
	if (hl < 4 || hl > 8 || strspn(us + 1, "0123456789abcdefABCDEF") != hl)
		return 0;
	if (!putil_strcasestr(cmd, "\\system32\\svchost.exe") || putil_suspicious_cmdline(cmd) || putil_user_writable(cmd))
		return 0;
	char base[256];
	snprintf(base, sizeof(base), "%.*s", (int)(us - name), name);
	for (int i = 0; per_user_templates[i]; i++)
		if (!strcasecmp(base, per_user_templates[i]))
			return 1;
	char t[8];
	q_text_arg(db, "SELECT 1 FROM services WHERE per_user = 'template' AND lower(name) = lower(?)", base, t, sizeof(t));
	return t[0] == '1';
}

static shodo_status per_user_services(shodo_triage_ctx *ctx, shodo_err *err)
{
	sqlite3 *db = shodo_store_db(ctx->store);
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, "SELECT rowid, name, command, source, record FROM persistence WHERE kind = 'service'",
	                       -1, &s, NULL) != SQLITE_OK)
		return shodo_err_set(err, SHODO_FATAL, 0, "scope: %s", sqlite3_errmsg(db));
	shodo_status rc = SHODO_OK;
	while (rc == SHODO_OK && sqlite3_step(s) == SQLITE_ROW) {
		if (!per_user_instance(db, (const char *)sqlite3_column_text(s, 1), (const char *)sqlite3_column_text(s, 2)))
			continue;
		sqlite3_stmt *u = shodo_store_stmt(ctx->store, "UPDATE persistence SET kind = 'service_per_user' WHERE rowid = ?",
		                                   err);
		if (!u) {
			rc = SHODO_FATAL;
			break;
		}
		sqlite3_bind_int64(u, 1, sqlite3_column_int64(s, 0));
		if ((rc = shodo_store_step_done(ctx->store, u, err)) != SHODO_OK)
			break;
		if (sqlite3_column_type(s, 4) == SQLITE_NULL)
			continue;
		u = shodo_store_stmt(ctx->store,
		                     "UPDATE events SET category = 'service_per_user' WHERE category = 'service_installed'"
		                     " AND source = ? AND record = ?",
		                     err);
		if (!u) {
			rc = SHODO_FATAL;
			break;
		}
		shodo_bind_text(u, 1, (const char *)sqlite3_column_text(s, 3));
		sqlite3_bind_int64(u, 2, sqlite3_column_int64(s, 4));
		rc = shodo_store_step_done(ctx->store, u, err);
	}
	sqlite3_finalize(s);
	return rc;
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

/* the rows of one query into the timeline (?1, ?2: since and until) */
static shodo_status tl_query(shodo_triage_ctx *ctx, scope_tl *tl, const char *sql, const char *since,
                             const char *until, shodo_err *err)
{
	sqlite3 *db = shodo_store_db(ctx->store);
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return shodo_err_set(err, SHODO_FATAL, 0, "scope: %s", sqlite3_errmsg(db));
	if (since) {
		sqlite3_bind_text(s, 1, since, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 2, until, -1, SQLITE_TRANSIENT);
	}
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW)
		scope_tl_add(tl, s, 0);
	shodo_status rc = r == SQLITE_DONE ? SHODO_OK : shodo_err_set(err, SHODO_FATAL, 0, "scope: %s", sqlite3_errmsg(db));
	sqlite3_finalize(s);
	return rc;
}

/*
 * The timeline: every timestamped fact, sorted by time (then kind and what;
 * equal ones in the order gathered here), written at once (tlrows.c).  The
 * events' rows were gathered by events_pass.
 */
static shodo_status timeline(shodo_triage_ctx *ctx, scope_state *st, shodo_err *err)
{
	char since[32] = "0000", until[32] = "9999";
	if (ctx->since)
		shodo_time_iso(ctx->since, since);
	if (ctx->until)
		shodo_time_iso(ctx->until, until);
	since[19] = until[19] = '\0';
	shodo_status rc;
	scope_tl *tl = st->tl;
	if (scope_seen_register(st->seen) < 0)
		return shodo_err_set(err, SHODO_FATAL, 0, "scope: %s", sqlite3_errmsg(shodo_store_db(ctx->store)));
	static const char *const parts[] = {
		/* logons not already there as events */
		"SELECT time, 'logon_' || coalesce(result,''), coalesce(target_domain || '\\', '') ||"
		" coalesce(target_user,''), 'type ' || coalesce(logon_type,'?') ||"
		" coalesce(' from ' || nullif(source_ip,''), '') || coalesce(' (' || nullif(workstation,'') || ')', '') ||"
		" coalesce(' status ' || nullif(status,''), '') || ' (event ' || event_id || ')', source, record"
		" FROM logons l WHERE time <> '' AND NOT shodo_seen(l.source, l.record)",
		/* persistence (services, tasks, run keys) not already there */
		"SELECT time, CASE kind WHEN 'service_key' THEN 'service_key_written' ELSE kind || '_installed'"
		" END, name, trim(coalesce(command,'') ||"
		" coalesce(' as ' || nullif(account,''), '')), source, record FROM persistence p WHERE time <> ''"
		" AND NOT shodo_seen(p.source, p.record)",
		/* accounts */
		"SELECT created, 'account_created', name, 'RID ' || coalesce(rid,'?') ||"
		" CASE WHEN admin THEN ', administrator' ELSE '' END, source, rid FROM accounts WHERE created <> ''",
		"SELECT last_logon, 'account_last_logon', name, 'logon count ' ||"
		" coalesce(logon_count,'?'), source, rid FROM accounts WHERE last_logon <> ''",
		"SELECT last_password_set, 'account_password_set', name, 'RID ' || coalesce(rid,'?'),"
		" source, rid FROM accounts WHERE last_password_set <> ''",
		"SELECT last_failed_logon, 'account_failed_logon', name, 'bad password count ' ||"
		" coalesce(bad_password_count,'?'), source, rid FROM accounts WHERE last_failed_logon <> ''",
		/* host */
		"SELECT value, 'host_shutdown', 'last shutdown', '', source, NULL FROM host"
		" WHERE key = 'last_shutdown' AND value <> ''",
		/* ransom notes: first and last copy written, per content */
		"SELECT min(coalesce(f.crtime, f.mtime)), 'ransom_note_first', n.path,"
		" coalesce('family ' || n.family || ', ', '') || n.copies || ' copies', n.source, min(f.inode)"
		" FROM ransom_notes n JOIN files f ON f.category = 'ransom_note' AND f.extracted = n.source"
		" WHERE coalesce(f.crtime, f.mtime) <> '' GROUP BY n.rowid",
		"SELECT max(coalesce(f.crtime, f.mtime)), 'ransom_note_last', n.path,"
		" coalesce('family ' || n.family || ', ', '') || n.copies || ' copies', n.source, max(f.inode)"
		" FROM ransom_notes n JOIN files f ON f.category = 'ransom_note' AND f.extracted = n.source"
		" WHERE coalesce(f.crtime, f.mtime) <> '' GROUP BY n.rowid HAVING count(*) > 1",
		"SELECT coalesce(n.crtime, n.mtime), 'ransom_note', n.path, coalesce('family ' ||"
		" n.family || ', ', '') || n.copies || ' copies', n.source, NULL FROM ransom_notes n"
		" WHERE coalesce(n.crtime, n.mtime) <> '' AND NOT EXISTS (SELECT 1 FROM files f"
		" WHERE f.category = 'ransom_note' AND f.extracted = n.source)",
		/* encryption */
		"SELECT first_mtime, 'encryption_start', extension, count || ' files, e.g. ' ||"
		" coalesce(example,''), 'files', NULL FROM encrypted_extensions WHERE first_mtime <> ''",
		"SELECT last_mtime, 'encryption_end', extension, count || ' files', 'files', NULL"
		" FROM encrypted_extensions WHERE last_mtime <> ''",
		NULL,
	};
	for (int i = 0; parts[i]; i++)
		if ((rc = tl_query(ctx, tl, parts[i], NULL, NULL, err)) != SHODO_OK)
			goto out;
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
						const char *v[5] = {t, "program_run", exe, detail, src};
						scope_tl_add_text(tl, v);
						any = 1;
					}
					p += l ? l : (*p ? 1 : 0);
				}
				if (!any && last && *last) {
					const char *v[5] = {last, "program_run", exe, detail, src};
					scope_tl_add_text(tl, v);
				}
			}
			sqlite3_finalize(s);
		}
	}
	/* file system entries in the window ($MFT times: M = modified,
	 * C = entry changed, B = born); one row per distinct time */
	static const char *const ftimes[] = {
		"SELECT mtime, 'file', coalesce(volume || ':', '') || path,"
		" 'M' || CASE WHEN ctime = mtime THEN 'C' ELSE '.' END || CASE WHEN crtime = mtime THEN 'B' ELSE '.'"
		" END || coalesce(' ' || category, '') || coalesce(', ' || size || ' bytes', ''),"
		" coalesce(extracted, volume || ':' || path), inode FROM files"
		" WHERE substr(mtime,1,19) >= ?1 AND substr(mtime,1,19) <= ?2",
		"SELECT ctime, 'file', coalesce(volume || ':', '') || path,"
		" '.C' || CASE WHEN crtime = ctime THEN 'B' ELSE '.' END || coalesce(' ' || category, ''),"
		" coalesce(extracted, volume || ':' || path), inode FROM files"
		" WHERE ctime <> coalesce(mtime,'') AND substr(ctime,1,19) >= ?1 AND substr(ctime,1,19) <= ?2",
		"SELECT crtime, 'file', coalesce(volume || ':', '') || path,"
		" '..B' || coalesce(' ' || category, ''), coalesce(extracted, volume || ':' || path), inode FROM files"
		" WHERE crtime <> coalesce(mtime,'') AND crtime <> coalesce(ctime,'')"
		" AND substr(crtime,1,19) >= ?1 AND substr(crtime,1,19) <= ?2",
		NULL,
	};
	for (int i = 0; ftimes[i]; i++)
		if ((rc = tl_query(ctx, tl, ftimes[i], since, until, err)) != SHODO_OK)
			goto out;
	rc = scope_tl_write(tl, ctx, err);
out:
	scope_seen_unregister(shodo_store_db(ctx->store));
	return rc;
}

shodo_status shodo_scope_run(shodo_triage_ctx *ctx, shodo_err *err)
{
	shodo_status rc;
	if ((rc = exec(ctx, "CREATE TABLE IF NOT EXISTS scope_info(key TEXT, value TEXT)", err)) != SHODO_OK)
		return rc;
	/* a rerun over the same store starts again */
	static const char *const clear[] = {"DELETE FROM scope_info", "DELETE FROM failed_logons",
	                                    "DELETE FROM encrypted_extensions", "DELETE FROM timeline",
	                                    "DELETE FROM sessions", "UPDATE logons SET session = NULL"
	                                    " WHERE session IS NOT NULL", NULL};
	/* lookups the scoping joins need (kept: they serve analysts' SQL too);
	 * the events by (source, record) are no longer looked up here (a hash
	 * in tlrows.c) */
	static const char *const indexes[] = {
		"CREATE INDEX IF NOT EXISTS files_extracted ON files(extracted)",
		"CREATE INDEX IF NOT EXISTS files_category ON files(category)",
		NULL,
	};
	for (int i = 0; indexes[i]; i++)
		if ((rc = exec(ctx, indexes[i], err)) != SHODO_OK)
			return rc;
	/* the events and logons are read several times over: mapped, SQLite
	 * reads their pages without copying each through read() (on the bench
	 * host 0.1 to 0.2 s of system time less); back to reads afterwards */
	shodo_store_exec(ctx->store, "PRAGMA mmap_size=1073741824", NULL);
	if ((rc = shodo_store_begin(ctx->store, err)) != SHODO_OK) {
		shodo_store_exec(ctx->store, "PRAGMA mmap_size=0", NULL);
		return rc;
	}
	sqlite3 *db = shodo_store_db(ctx->store);
	sqlite3_create_function(db, "shodo_public_ip", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_public_ip, NULL,
	                        NULL);
	sqlite3_create_function(db, "shodo_flag_cmd", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_flag_cmd, NULL,
	                        NULL);
	sqlite3_create_function(db, "shodo_service_anchor", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
	                        sql_service_anchor, NULL, NULL);
	scope_state *st = NULL;
	for (int i = 0; clear[i]; i++)
		if ((rc = exec(ctx, clear[i], err)) != SHODO_OK)
			goto fail;
	st = calloc(1, sizeof(*st));
	if (st) {
		st->tl = scope_tl_new();
		st->seen = scope_seen_new(db);
	}
	if (!st || !st->tl || !st->seen) {
		rc = shodo_err_set(err, SHODO_FATAL, 0, "scope: out of memory");
		goto fail;
	}
	/* a suspect clock may be wrong; times more than a day ahead of ours are
	 * not trusted as "the newest event" */
	st->now = time(NULL);
	shodo_time_iso(st->now + DAY, st->cap);
	st->cap[19] = '\0';
	if ((rc = scope_failed_logons(ctx, st->cap, &st->lf, err)) != SHODO_OK ||
	    (rc = shodo_scope_sessions(ctx, err)) != SHODO_OK || (rc = per_user_services(ctx, err)) != SHODO_OK ||
	    (rc = events_pass(ctx, st, err)) != SHODO_OK || (rc = shodo_scope_host(ctx, st->boot_rowid, err)) != SHODO_OK || (rc = encrypted(ctx, err)) != SHODO_OK ||
	    (rc = note_copies(ctx, err)) != SHODO_OK || (rc = window(ctx, st, err)) != SHODO_OK ||
	    (rc = timeline(ctx, st, err)) != SHODO_OK || (rc = shodo_scope_tools(ctx, err)) != SHODO_OK)
		goto fail;
	if (ctx->opts)
		info_put(ctx, "profile", ctx->opts->profile == SHODO_PROFILE_FULL ? "full" : "quick");
	if ((rc = shodo_store_commit(ctx->store, err)) != SHODO_OK)
		goto fail;
	shodo_store_exec(ctx->store, "PRAGMA mmap_size=0", NULL);
	shodo_emit(ctx->sink, SHODO_EV_INFO, "scope", "timeline: %zu entries", scope_tl_written(st->tl));
	scope_tl_free(st->tl);
	scope_seen_free(st->seen);
	free(st);
	return SHODO_OK;
fail:
	shodo_store_exec(ctx->store, "ROLLBACK", NULL);
	shodo_store_exec(ctx->store, "PRAGMA mmap_size=0", NULL);
	if (st) {
		scope_tl_free(st->tl);
		scope_seen_free(st->seen);
		free(st);
	}
	return rc;
}
