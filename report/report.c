/*
 * report/report.c — DIR/<ID>/triage/summary.txt and report.html from the
 * store, after scope and posture.
 *
 * summary.txt fits on one screen and leads with what matters to a responder
 * on site: ransom notes and the encryption window, brute force and RDP
 * sources, new accounts and admins, services, log clearing, Defender, the
 * password/lockout policy, tools run, posture findings.  Evidence strings
 * are cleaned of control characters (a hostile file name must not drive the
 * terminal) and cut to fit.
 *
 * report.html is one self-contained page (inline style, no external
 * resource, a Content-Security-Policy that forbids loading any and lets
 * only the inlined libraries run, page.c), every evidence string escaped, times in UTC and in the host's zone,
 * every row with its source artifact and record number.
 *
 * Speed (a host with a 922 MB Security log: 305,816 timeline rows, a
 * 125 MB page): the tables' JSON is written as text straight from the
 * queries (page_table_json) and the page goes to disk in three parts
 * without being copied into one string; the timeline is sorted by
 * page_table_json_sorted, on a thread of its own (timeline_start); the
 * summary counts and names its event categories in one pass.  Building
 * the page went from 5.9 to about 1.3 CPU seconds, the same bytes
 * (tests/unit/test_render.c compares the text with jansson's).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/uio.h>
#include "page.h"
#include "render.h"
#include "report_int.h"
#include "shodo/util.h"

/* ---- queries ---- */

const char *rep_col(sqlite3_stmt *s, int i)
{
	const char *v = (const char *)sqlite3_column_text(s, i);
	return v ? v : "";
}

void rep_q(sqlite3 *db, const char *sql, char *out, size_t outsz)
{
	sqlite3_stmt *s = NULL;
	out[0] = '\0';
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return;
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		snprintf(out, outsz, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
}

long long rep_qi(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = NULL;
	long long v = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

int rep_has_table(sqlite3 *db, const char *table)
{
	sqlite3_stmt *s = NULL;
	int r = 0;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", -1, &s, NULL) !=
	    SQLITE_OK)
		return 0;
	sqlite3_bind_text(s, 1, table, -1, SQLITE_STATIC);
	r = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	return r;
}

void rep_host(sqlite3 *db, rep_hostinfo *h)
{
	memset(h, 0, sizeof(*h));
	rep_q(db, "SELECT value FROM host WHERE key IN ('computer_name','tcpip_hostname') AND value <> ''"
	          " ORDER BY key = 'computer_name' DESC LIMIT 1",
	      h->name, sizeof(h->name));
	/* the name scope concluded (Windows 11 whose ProductName says 10, or
	 * from the boot events when SOFTWARE is missing), else SOFTWARE's */
	rep_q(db, "SELECT value FROM host WHERE key IN ('os_name', 'os_product') AND value <> ''"
	          " ORDER BY key = 'os_name' DESC LIMIT 1",
	      h->os, sizeof(h->os));
	rep_q(db, "SELECT value FROM host WHERE key = 'os_how' AND value <> '' LIMIT 1", h->os_how, sizeof(h->os_how));
	rep_q(db, "SELECT value FROM host WHERE key IN ('os_display_version') AND value <> '' LIMIT 1", h->osver,
	      sizeof(h->osver));
	rep_q(db, "SELECT value FROM host WHERE key IN ('os_build') AND value <> '' LIMIT 1", h->build, sizeof(h->build));
	{
		char ubr[32];
		rep_q(db, "SELECT value FROM host WHERE key = 'os_ubr' AND value <> '' AND value <> '0' LIMIT 1", ubr, sizeof(ubr));
		if (h->build[0] && ubr[0] && strlen(h->build) + strlen(ubr) + 2 < sizeof(h->build))
			snprintf(h->build + strlen(h->build), sizeof(h->build) - strlen(h->build), ".%s", ubr);
	}
	rep_q(db, "SELECT value FROM host WHERE key IN ('timezone_key_name','timezone_standard_name') AND value <> ''"
	          " ORDER BY key = 'timezone_key_name' DESC LIMIT 1",
	      h->tz, sizeof(h->tz));
	rep_q(db, "SELECT value FROM host WHERE key = 'domain' AND value <> '' LIMIT 1", h->domain, sizeof(h->domain));
	rep_q(db, "SELECT value FROM host WHERE key = 'last_shutdown' AND value <> '' LIMIT 1", h->shutdown,
	      sizeof(h->shutdown));
	char b[64];
	rep_q(db, "SELECT value FROM host WHERE key = 'timezone_bias_minutes' AND value <> '' LIMIT 1", b, sizeof(b));
	if (b[0]) {
		char *end;
		long v = strtol(b, &end, 10);
		if (!*end && v > -24 * 60 && v < 24 * 60) {
			h->bias = (int)v;
			h->has_bias = 1;
		}
	}
	rep_tz_load(db, "", h);
}

/* The zone rules of a store (prefix "" or "e." for an attached one):
 * TimeZoneInformation from the SYSTEM hive, Dynamic DST years from SOFTWARE */
void rep_tz_load(sqlite3 *db, const char *schema, rep_hostinfo *h)
{
	render_tz *z = &h->tzr;
	char sql[512], v[256];
	memset(z, 0, sizeof(*z));
	h->tz_how[0] = '\0';
	if (!h->has_bias)
		return;
	z->known = 1;
	z->rule.bias = h->bias;
	static const char *const keys[] = {"timezone_standard_bias", "timezone_daylight_bias", "timezone_standard_start",
	                                   "timezone_daylight_start", "timezone_dynamic_dst_disabled"};
	int have_rule = 0;
	for (int i = 0; i < 5; i++) {
		snprintf(sql, sizeof(sql), "SELECT value FROM %shost WHERE key = '%s' AND value <> '' LIMIT 1", schema, keys[i]);
		rep_q(db, sql, v, sizeof(v));
		if (!v[0])
			continue;
		switch (i) {
		case 0: z->rule.std_bias = atoi(v); break;
		case 1: z->rule.dl_bias = atoi(v); break;
		case 2: have_rule += render_systemtime_hex(v, &z->rule.std_start); break;
		case 3: have_rule += render_systemtime_hex(v, &z->rule.dl_start); break;
		default: z->dynamic_disabled = atoi(v) == 1;
		}
	}
	snprintf(h->tz_how, sizeof(h->tz_how), "%s",
	         have_rule == 2 ? "the host's TimeZoneInformation" : "the host's bias (no daylight rule stored)");
	/* Dynamic DST of the host's zone, by year */
	snprintf(sql, sizeof(sql), "SELECT 1 FROM %ssqlite_master WHERE name = 'tz_rules'", schema);
	sqlite3_stmt *s = NULL;
	if (!h->tz[0] || !rep_qi(db, sql))
		return;
	snprintf(sql, sizeof(sql), "SELECT year, tzi FROM %stz_rules WHERE zone = ? AND year > 0 GROUP BY year ORDER BY year",
	         schema);
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(s, 1, h->tz, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(s) == SQLITE_ROW && z->nyears < RENDER_TZ_YEARS) {
		render_tzrule *r = &z->years[z->nyears];
		if (render_tzi_hex((const char *)sqlite3_column_text(s, 1), r)) {
			r->year = sqlite3_column_int(s, 0);
			z->nyears++;
		}
	}
	sqlite3_finalize(s);
	if (z->nyears && !z->dynamic_disabled)
		snprintf(h->tz_how, sizeof(h->tz_how), "the host's TimeZoneInformation and Dynamic DST (%d to %d)",
		         z->years[0].year, z->years[z->nyears - 1].year);
}

/* "UTC+01:00" */
static char *tz_offset(int bias, char out[16])
{
	int off = -bias, a = off < 0 ? -off : off;
	snprintf(out, 16, "UTC%c%02d:%02d", off < 0 ? '-' : '+', a / 60, a % 60);
	return out;
}

/* ---- summary.txt ---- */

#define W 60   /* width for one evidence string */

static const char *t(const char *s, char *buf, size_t n) { return render_txt(s, W, buf, n); }

static void sum_notes(sqlite3 *db, FILE *fp)
{
	long long notes = rep_qi(db, "SELECT count(DISTINCT coalesce(sha256, path)) FROM ransom_notes");
	long long copies = rep_qi(db, "SELECT coalesce(sum(copies),0) FROM ransom_notes");
	char fam[512], a[256], b[256], c[256];
	rep_q(db, "SELECT group_concat(f, ', ') FROM (SELECT DISTINCT family AS f FROM ransom_notes"
	          " WHERE family IS NOT NULL ORDER BY family)",
	      fam, sizeof(fam));
	if (!notes) {
		long long cand = rep_qi(db, "SELECT count(*) FROM files WHERE category = 'ransom_note'");
		if (cand)
			fprintf(fp, "RANSOM NOTES: none recognised among %lld candidate files\n", cand);
		else
			fprintf(fp, "RANSOM NOTES: none found\n");
		return;
	}
	fprintf(fp, "RANSOM NOTES: %lld distinct, %lld copies, family %s\n", notes, copies,
	        fam[0] ? t(fam, a, sizeof(a)) : "unknown");
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db,
	                       "SELECT path, copies, family, coalesce(crtime, mtime) FROM ransom_notes"
	                       " ORDER BY copies DESC, path LIMIT 3",
	                       -1, &s, NULL) == SQLITE_OK) {
		while (sqlite3_step(s) == SQLITE_ROW)
			fprintf(fp, "  %s: %d copies, family %s, written %s\n", t(rep_col(s, 0), a, sizeof(a)),
			        sqlite3_column_int(s, 1), *rep_col(s, 2) ? t(rep_col(s, 2), b, sizeof(b)) : "unknown",
			        render_utcz(rep_col(s, 3), c, sizeof(c)));
		sqlite3_finalize(s);
	}
	if (notes > 3)
		fprintf(fp, "  (+%lld more: ransom_notes.csv)\n", notes - 3);
	/* contacts across all notes, de-duplicated */
	static const struct {
		const char *label, *column;
	} cs[] = {{"onion", "onions"}, {"email", "emails"}, {"tox", "tox"}, {"btc", "btc"}, {"xmr", "xmr"}};
	for (size_t i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		char sql[256], v[4096], line[512];
		snprintf(sql, sizeof(sql), "SELECT group_concat(DISTINCT %s) FROM ransom_notes WHERE %s <> ''", cs[i].column,
		         cs[i].column);
		rep_q(db, sql, v, sizeof(v));
		if (!v[0])
			continue;
		/* group_concat joined the per-note lists with ',' */
		for (char *p = v; *p; p++)
			if (*p == ',')
				*p = ' ';
		fprintf(fp, "  %-6s %s\n", cs[i].label, render_txt(v, 110, line, sizeof(line)));
	}
}

/* "found", "none" or "not_measured" (scope_info), with how it was measured;
 * a store from before the distinction: found when rows, else not measured */
void rep_encryption_state(sqlite3 *db, char *state, size_t n, char *how, size_t hn)
{
	rep_q(db, "SELECT value FROM scope_info WHERE key = 'encryption'", state, n);
	if (how)
		rep_q(db, "SELECT value FROM scope_info WHERE key = 'encryption_how'", how, hn);
	if (!state[0])
		snprintf(state, n, "%s", rep_qi(db, "SELECT count(*) FROM encrypted_extensions") ? "found" : "not_measured");
}

static void sum_encryption(sqlite3 *db, FILE *fp)
{
	char a[256], b[64], c[64], d[256], state[32], how[256];
	rep_encryption_state(db, state, sizeof(state), how, sizeof(how));
	if (strcmp(state, "found")) {
		if (!strcmp(state, "none"))
			fprintf(fp, "ENCRYPTION: none found (%s)\n", render_txt(how, 90, a, sizeof(a)));
		else
			fprintf(fp, "ENCRYPTION: NOT MEASURED (%s)\n", how[0] ? render_txt(how, 90, a, sizeof(a)) : "no file listing");
		return;
	}
	char first[64], last[64], total[32];
	rep_q(db, "SELECT min(first_mtime) FROM encrypted_extensions", first, sizeof(first));
	rep_q(db, "SELECT max(last_mtime) FROM encrypted_extensions", last, sizeof(last));
	rep_q(db, "SELECT sum(count) FROM encrypted_extensions", total, sizeof(total));
	if (first[0])
		fprintf(fp, "ENCRYPTION: %s files, %s .. %s\n", total, render_utcz(first, b, sizeof(b)), render_utcz(last, c, sizeof(c)));
	else
		fprintf(fp, "ENCRYPTION: %s files (times not listed: --profile full lists them)\n", total);
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, "SELECT extension, count, example, coalesce(family, '') FROM encrypted_extensions"
	                           " ORDER BY count DESC LIMIT 3",
	                       -1, &s, NULL) == SQLITE_OK) {
		while (sqlite3_step(s) == SQLITE_ROW) {
			char fm[96], fam[160] = "";
			if (rep_col(s, 3)[0])
				snprintf(fam, sizeof(fam), " (family %s, from its ransom note)",
				         render_txt(rep_col(s, 3), 30, fm, sizeof(fm)));
			if (*rep_col(s, 2))
				fprintf(fp, "  %s: %lld files%s, e.g. %s\n", render_txt(rep_col(s, 0), 30, a, sizeof(a)),
				        sqlite3_column_int64(s, 1), fam, t(rep_col(s, 2), d, sizeof(d)));
			else
				fprintf(fp, "  %s: %lld files%s, times and names not listed (quick profile)\n",
				        render_txt(rep_col(s, 0), 30, a, sizeof(a)), sqlite3_column_int64(s, 1), fam);
		}
		sqlite3_finalize(s);
	}
}

/* The audit policy (SECURITY's PolAdtEv): was a failed logon written at
 * all?  "AUDIT POLICY: ..." and, when failures were not audited, a warning
 * that the absence of 4625 proves nothing. */
static int failures_unaudited(sqlite3 *db)
{
	char v[64];
	rep_q(db, "SELECT value FROM policy WHERE origin = 'audit' AND key = 'audit_logon' LIMIT 1", v, sizeof(v));
	return v[0] && !strstr(v, "failure");
}

static void sum_audit(sqlite3 *db, FILE *fp)
{
	char logon[64], acct[64], layout[160], enabled[8], a[200];
	rep_q(db, "SELECT value FROM policy WHERE origin = 'audit' AND key = 'audit_logon' LIMIT 1", logon, sizeof(logon));
	rep_q(db, "SELECT value FROM policy WHERE origin = 'audit' AND key = 'audit_account_logon' LIMIT 1", acct,
	      sizeof(acct));
	rep_q(db, "SELECT value FROM policy WHERE origin = 'audit' AND key = 'audit_layout' LIMIT 1", layout, sizeof(layout));
	rep_q(db, "SELECT value FROM policy WHERE origin = 'audit' AND key = 'audit_enabled' LIMIT 1", enabled,
	      sizeof(enabled));
	if (!logon[0]) {
		if (layout[0])
			fprintf(fp, "AUDIT POLICY: not read (%s): whether failed logons were audited is unknown\n",
			        render_txt(layout, 80, a, sizeof(a)));
		else
			fprintf(fp, "AUDIT POLICY: unknown (no SECURITY hive parsed): whether failed logons were audited is"
			        " unknown\n");
		return;
	}
	fprintf(fp, "AUDIT POLICY: %slogons audited: %s%s%s%s\n", !strcmp(enabled, "0") ? "auditing OFF; " : "", logon,
	        acct[0] ? "; account logons (credential validation): " : "", acct,
	        strstr(logon, "failure") ? "" : "  << the absence of 4625 (failed logons) proves nothing");
}

static void sum_failed(sqlite3 *db, FILE *fp)
{
	long long total = rep_qi(db, "SELECT coalesce(sum(count),0) FROM failed_logons");
	long long groups = rep_qi(db, "SELECT count(*) FROM failed_logons");
	char a[256], b[256], c[256], d[64], e[64];
	if (!total) {
		fprintf(fp, "FAILED LOGONS: none%s\n",
		        failures_unaudited(db) ? " (failed logons were not audited: their absence proves nothing)" : "");
		return;
	}
	fprintf(fp, "FAILED LOGONS: %lld in %lld account/source groups\n", total, groups);
	sqlite3_stmt *s = NULL;
	/* per source address first: one address guessing many accounts is
	 * one attack */
	long long nsrc = rep_qi(db, "SELECT count(DISTINCT source_ip) FROM failed_logons");
	if (groups > 1 && nsrc &&
	    sqlite3_prepare_v2(db,
	                       "SELECT source_ip, sum(count), count(DISTINCT lower(target_user)), min(first_time),"
	                       " max(last_time) FROM failed_logons WHERE source_ip IS NOT NULL GROUP BY source_ip"
	                       " HAVING count(*) > 1 ORDER BY sum(count) DESC LIMIT 2",
	                       -1, &s, NULL) == SQLITE_OK) {
		while (sqlite3_step(s) == SQLITE_ROW)
			fprintf(fp, "  from %s: %lld on %lld accounts, %s .. %s\n", render_txt(rep_col(s, 0), 40, a, sizeof(a)),
			        sqlite3_column_int64(s, 1), sqlite3_column_int64(s, 2), render_utcz(rep_col(s, 3), d, sizeof(d)),
			        render_utcz(rep_col(s, 4), e, sizeof(e)));
		sqlite3_finalize(s);
	}
	if (sqlite3_prepare_v2(db,
	                       "SELECT target_user, source_ip, workstation, count, first_time, last_time, logon_types"
	                       " FROM failed_logons ORDER BY count DESC LIMIT 3",
	                       -1, &s, NULL) == SQLITE_OK) {
		while (sqlite3_step(s) == SQLITE_ROW)
			fprintf(fp, "  %s from %s%s%s%s: %lld, %s .. %s, type %s\n",
			        *rep_col(s, 0) ? render_txt(rep_col(s, 0), 30, a, sizeof(a)) : "?",
			        *rep_col(s, 1) ? render_txt(rep_col(s, 1), 40, b, sizeof(b)) : "?", *rep_col(s, 2) ? " (" : "",
			        render_txt(rep_col(s, 2), 30, c, sizeof(c)), *rep_col(s, 2) ? ")" : "", sqlite3_column_int64(s, 3),
			        render_utcz(rep_col(s, 4), d, sizeof(d)), render_utcz(rep_col(s, 5), e, sizeof(e)), *rep_col(s, 6) ? rep_col(s, 6) : "?");
		sqlite3_finalize(s);
	}
	if (groups > 3)
		fprintf(fp, "  (+%lld more groups: failed_logons.csv)\n", groups - 3);
}

/* type 10 from the loopback address is RDP through a tunnel (plink, ngrok,
 * chisel): shown; type 3 from it is the machine itself: not */
#define REMOTE_IP10 "source_ip IS NOT NULL AND source_ip NOT IN ('', '-', 'LOCAL')"
#define REMOTE_IP "source_ip IS NOT NULL AND source_ip NOT IN ('', '-', '::1', '127.0.0.1', 'LOCAL')"

static void sum_logons(sqlite3 *db, FILE *fp, int type, const char *label)
{
	char sql[1024], a[256], b[256], c[256], d[64];
	const char *remote = type == 10 ? REMOTE_IP10 : REMOTE_IP;
	snprintf(sql, sizeof(sql),
	         "SELECT count(DISTINCT source_ip) FROM logons WHERE result = 'success' AND logon_type = %d AND %s", type,
	         remote);
	long long srcs = rep_qi(db, sql);
	if (!srcs) {
		fprintf(fp, "%s: none from remote addresses\n", label);
		return;
	}
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM logons WHERE result = 'success' AND logon_type = %d AND %s",
	         type, remote);
	fprintf(fp, "%s: %lld from %lld sources\n", label, rep_qi(db, sql), srcs);
	snprintf(sql, sizeof(sql),
	         "SELECT source_ip, max(workstation), count(*), group_concat(DISTINCT target_user), max(time)"
	         " FROM logons WHERE result = 'success' AND logon_type = %d AND %s"
	         " GROUP BY source_ip ORDER BY count(*) DESC LIMIT 3",
	         type, remote);
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
		while (sqlite3_step(s) == SQLITE_ROW)
			fprintf(fp, "  %s%s%s%s: %lld as %s, last %s%s\n", render_txt(rep_col(s, 0), 40, a, sizeof(a)),
			        *rep_col(s, 1) ? " (" : "", render_txt(rep_col(s, 1), 30, b, sizeof(b)), *rep_col(s, 1) ? ")" : "",
			        sqlite3_column_int64(s, 2), render_txt(rep_col(s, 3), 40, c, sizeof(c)), render_utcz(rep_col(s, 4), d, sizeof(d)),
			        !strcmp(rep_col(s, 0), "127.0.0.1") || !strcmp(rep_col(s, 0), "::1") ? " (loopback: tunnelled RDP?)" : "");
		sqlite3_finalize(s);
	}
	if (srcs > 3)
		fprintf(fp, "  (+%lld more sources: logons.csv)\n", srcs - 3);
}

/* Sessions (triage/scope/sessions.c): one RDP connection is one session
 * however many events it left; network logons once per logon ID (the
 * 4624/4672 pair), those that authenticated an RDP connection not apart */
static void sum_sessions(sqlite3 *db, FILE *fp, int rdp)
{
	char sql[1024], a[256], b[256], c[256], d[64], e[64];
	const char *where = rdp ? "kind = 'rdp'" : "kind = 'network' AND part_of IS NULL AND " REMOTE_IP;
	const char *label = rdp ? "RDP SESSIONS" : "NETWORK LOGONS (type 3)";
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM sessions WHERE %s", where);
	long long n = rep_qi(db, sql);
	snprintf(sql, sizeof(sql), "SELECT count(DISTINCT source_ip) FROM sessions WHERE %s AND source_ip IS NOT NULL",
	         where);
	long long srcs = rep_qi(db, sql);
	snprintf(sql, sizeof(sql), "SELECT coalesce(sum(event_count), 0) FROM sessions WHERE %s", where);
	long long evs = rep_qi(db, sql);
	if (!n) {
		fprintf(fp, "%s: none%s\n", label, rdp ? "" : " from remote addresses");
		return;
	}
	fprintf(fp, "%s: %lld%s from %lld source%s (%lld event%s)\n", label, n,
	        rdp ? "" : n == 1 ? " session" : " sessions", srcs, srcs == 1 ? "" : "s", evs, evs == 1 ? "" : "s");
	snprintf(sql, sizeof(sql),
	         "SELECT source_ip, max(workstation), count(*), group_concat(DISTINCT account), min(start),"
	         " CASE WHEN sum(state = 'open') THEN 'open' ELSE max(end) END FROM sessions WHERE %s"
	         " AND source_ip IS NOT NULL GROUP BY source_ip ORDER BY count(*) DESC, max(start) DESC LIMIT 3",
	         where);
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
		while (sqlite3_step(s) == SQLITE_ROW) {
			long long k = sqlite3_column_int64(s, 2);
			const char *last = rep_col(s, 5);
			fprintf(fp, "  %s%s%s%s: %lld session%s as %s, %s .. %s%s\n", render_txt(rep_col(s, 0), 40, a, sizeof(a)),
			        *rep_col(s, 1) ? " (" : "", render_txt(rep_col(s, 1), 30, b, sizeof(b)), *rep_col(s, 1) ? ")" : "", k,
			        k == 1 ? "" : "s", render_txt(rep_col(s, 3), 40, c, sizeof(c)),
			        *rep_col(s, 4) ? render_utcz(rep_col(s, 4), d, sizeof(d)) : "before the logs",
			        !strcmp(last, "open") ? "open" : render_utcz(last, e, sizeof(e)),
			        rdp && (!strcmp(rep_col(s, 0), "127.0.0.1") || !strcmp(rep_col(s, 0), "::1")) ? " (loopback: tunnelled RDP?)"
			                                                                             : "");
		}
		sqlite3_finalize(s);
	}
	if (srcs > 3)
		fprintf(fp, "  (+%lld more sources: sessions.csv)\n", srcs - 3);
	if (!rdp) {
		long long nla = rep_qi(db, "SELECT count(*) FROM sessions WHERE kind = 'network' AND part_of IS NOT NULL");
		if (nla)
			fprintf(fp, "  (+%lld network logons that authenticated RDP sessions, counted with them)\n", nla);
	}
}

/* one line: "label: n (a time; b time; c time; ...)", k items given */
static void sum_line(FILE *fp, const char *label, long long n, const char *const *x, const char *const *when, int k,
                     const char *none)
{
	char a[256], b[64];
	if (!n) {
		fprintf(fp, "%s: %s\n", label, none);
		return;
	}
	fprintf(fp, "%s: %lld", label, n);
	for (int i = 0; i < k; i++)
		fprintf(fp, "%s%s %s", i ? "; " : " (", render_txt(x[i], 50, a, sizeof(a)), render_utcz(when[i], b, sizeof(b)));
	fprintf(fp, "%s%s\n", k && n > k ? "; ..." : "", k ? ")" : "");
}

/* one line listing up to 3 items of a query */
static void sum_list(sqlite3 *db, FILE *fp, const char *label, long long n, const char *items_sql, const char *none)
{
	sqlite3_stmt *s = NULL;
	char *x[3] = {NULL, NULL, NULL}, *when[3] = {NULL, NULL, NULL};
	int k = 0;
	if (n && sqlite3_prepare_v2(db, items_sql, -1, &s, NULL) == SQLITE_OK) {
		while (k < 3 && sqlite3_step(s) == SQLITE_ROW) {
			x[k] = strdup(rep_col(s, 0));
			when[k] = strdup(rep_col(s, 1));
			k += x[k] && when[k];
		}
		sqlite3_finalize(s);
	}
	sum_line(fp, label, n, (const char *const *)x, (const char *const *)when, k, none);
	for (int i = 0; i < 3; i++) {
		free(x[i]);
		free(when[i]);
	}
}

/* The events the summary counts and names, in one pass over the table: a
 * pass per count, and walking the time index for the first three of a
 * category (log clearing, at the end of an attack, walked nearly all of
 * it), took half the summary's time on a host with a large log.  The
 * first three are in time order, equal times in rowid order: the order
 * that walk gave. */
enum { EV_CREATED, EV_ADMIN_ADDED, EV_CLEARED, EV_DEFENDER_OFF, EV_DETECTIONS, EV_SUSPICIOUS, EV_N };
typedef struct ev_summary {
	long long n[EV_N];
	char *x[EV_N][3], *when[EV_N][3];
	int k[EV_N];
} ev_summary;

static void event_summary(sqlite3 *db, ev_summary *c)
{
	sqlite3_stmt *s = NULL;
	memset(c, 0, sizeof(*c));
	if (sqlite3_prepare_v2(
	        db,
	        "SELECT g, n, x, time FROM (SELECT g, x, time, count(*) OVER (PARTITION BY g) AS n,"
	        " row_number() OVER (PARTITION BY g ORDER BY time, r) AS k FROM"
	        " (SELECT CASE WHEN category = 'account_created' THEN 0"
	        "  WHEN category = 'group_member_added' THEN CASE WHEN detail LIKE '%admin%' THEN 1 END"
	        "  WHEN category = 'log_cleared' THEN 2 WHEN category = 'defender_disabled' THEN 3"
	        "  WHEN category = 'defender_detection' THEN 4 WHEN category = 'process_suspicious' THEN 5 END AS g,"
	        "  CASE category WHEN 'account_created' THEN target"
	        "  WHEN 'group_member_added' THEN coalesce(nullif(target,''), detail)"
	        "  WHEN 'log_cleared' THEN coalesce(nullif(target,''), 'log') || coalesce(' by ' || nullif(user,''), '')"
	        "  WHEN 'defender_disabled' THEN coalesce(detail,'') ELSE coalesce(target,'') END AS x, time, rowid AS r"
	        "  FROM events WHERE category IN ('account_created', 'group_member_added', 'log_cleared',"
	        "  'defender_disabled', 'defender_detection', 'process_suspicious'))"
	        " WHERE g IS NOT NULL) WHERE k <= 3 ORDER BY g, k",
	        -1, &s, NULL) != SQLITE_OK)
		return;
	while (sqlite3_step(s) == SQLITE_ROW) {
		int g = sqlite3_column_int(s, 0);
		if (g < 0 || g >= EV_N)
			continue;
		c->n[g] = sqlite3_column_int64(s, 1);
		if (c->k[g] < 3 && g != EV_SUSPICIOUS) {
			int k = c->k[g];
			c->x[g][k] = strdup(rep_col(s, 2));
			c->when[g][k] = strdup(rep_col(s, 3));
			c->k[g] += c->x[g][k] && c->when[g][k];
		}
	}
	sqlite3_finalize(s);
}

static void ev_line(FILE *fp, const char *label, const ev_summary *c, int g)
{
	sum_line(fp, label, c->n[g], (const char *const *)c->x[g], (const char *const *)c->when[g], c->k[g], "none");
}

static void event_summary_free(ev_summary *c)
{
	for (int g = 0; g < EV_N; g++)
		for (int i = 0; i < 3; i++) {
			free(c->x[g][i]);
			free(c->when[g][i]);
		}
}

static void sum_policy(sqlite3 *db, FILE *fp)
{
	sqlite3_stmt *s = NULL;
	int any = 0;
	if (sqlite3_prepare_v2(db,
	                       "SELECT coalesce(origin,''),"
	                       " max(CASE WHEN lower(key)='lockoutbadcount' THEN value END),"
	                       " max(CASE WHEN lower(key)='minimumpasswordlength' THEN value END),"
	                       " max(CASE WHEN lower(key)='passwordhistorysize' THEN value END),"
	                       " max(CASE WHEN lower(key)='maximumpasswordage' THEN value END),"
	                       " max(CASE WHEN lower(key)='passwordcomplexity' THEN value END)"
	                       " FROM policy GROUP BY coalesce(origin,'') ORDER BY origin",
	                       -1, &s, NULL) == SQLITE_OK) {
		while (sqlite3_step(s) == SQLITE_ROW) {
			char o[64], v[5][48];
			render_txt(rep_col(s, 0), 20, o, sizeof(o));
			for (int i = 0; i < 5; i++)
				render_txt(rep_col(s, i + 1), 20, v[i], sizeof(v[i]));
			if (!v[0][0] && !v[1][0] && !v[3][0])
				continue;
			int weak = !strcmp(v[0], "0") || !strcmp(v[1], "0") || (v[1][0] && atoi(v[1]) < 8);
			fprintf(fp, "POLICY%s%s%s: lockout threshold %s%s, minimum password length %s, history %s,"
			        " maximum age %s%s\n",
			        o[0] ? " (" : "", o, o[0] ? ")" : "", v[0][0] ? v[0] : "?",
			        !strcmp(v[0], "0") ? " (no lockout)" : "", v[1][0] ? v[1] : "?", v[2][0] ? v[2] : "?",
			        v[3][0] ? v[3] : "?", weak ? "  << WEAK" : "");
			any = 1;
		}
		sqlite3_finalize(s);
	}
	if (!any)
		fprintf(fp, "POLICY: not found (no SAM or GptTmpl.inf parsed)\n");
}

static void sum_tools(sqlite3 *db, FILE *fp, long long sus)
{
	long long n = rep_qi(db, "SELECT count(*) FROM prefetch WHERE flag IS NOT NULL AND flag <> ''");
	long long all = rep_qi(db, "SELECT count(*) FROM prefetch");
	if (!n) {
		fprintf(fp, "TOOLS RUN: %s\n", all ? "no known attack or admin tool in prefetch" : "no prefetch parsed");
	} else {
		fprintf(fp, "TOOLS RUN: %lld flagged of %lld programs", n, all);
		sqlite3_stmt *s = NULL;
		char a[128], b[64];
		int k = 0;
		if (sqlite3_prepare_v2(db,
		                       "SELECT executable, run_count, last_run FROM prefetch WHERE flag IS NOT NULL AND flag <> ''"
		                       " ORDER BY last_run DESC LIMIT 5",
		                       -1, &s, NULL) == SQLITE_OK) {
			while (sqlite3_step(s) == SQLITE_ROW) {
				fprintf(fp, "%s%s x%lld %s", k++ ? "; " : "\n  ", render_txt(rep_col(s, 0), 30, a, sizeof(a)),
				        sqlite3_column_int64(s, 1), render_utcz(rep_col(s, 2), b, sizeof(b)));
			}
			sqlite3_finalize(s);
		}
		fputc('\n', fp);
	}
	/* tools on disk: flagged executables in user-writable places, whether
	 * or not prefetch shows them run */
	long long od = rep_qi(db, "SELECT count(*) FROM executables WHERE flag IS NOT NULL AND flag <> ''");
	if (od) {
		fprintf(fp, "TOOLS ON DISK: %lld flagged in user-writable places", od);
		sqlite3_stmt *s = NULL;
		char a[160], b[96], c[96];
		int k = 0;
		if (sqlite3_prepare_v2(db,
		                       "SELECT path, flag, matched_by, coalesce(original_name, ''),"
		                       " (SELECT count(*) FROM prefetch p WHERE upper(p.executable) = upper(replace(e.path,"
		                       "  rtrim(e.path, replace(e.path, '/', '')), '')))"
		                       " FROM executables e WHERE flag IS NOT NULL AND flag <> '' ORDER BY path LIMIT 5",
		                       -1, &s, NULL) == SQLITE_OK) {
			while (sqlite3_step(s) == SQLITE_ROW) {
				const char *by = rep_col(s, 2);
				fprintf(fp, "\n  %s: %s (by %s%s%s)%s", render_txt(rep_col(s, 1), 40, b, sizeof(b)),
				        render_txt(rep_col(s, 0), 90, a, sizeof(a)), by,
				        strcmp(by, "name") && strcmp(by, "hash") ? " " : "",
				        strcmp(by, "name") && strcmp(by, "hash") ? render_txt(rep_col(s, 3), 40, c, sizeof(c)) : "",
				        sqlite3_column_int64(s, 4) ? "" : "; not seen run (no prefetch)");
				k++;
			}
			sqlite3_finalize(s);
		}
		if (od > k)
			fprintf(fp, "\n  (+%lld more: executables.csv)", od - k);
		fputc('\n', fp);
	}
	if (sus) {
		char a[256], why[256];
		rep_q(db, "SELECT group_concat(DISTINCT target) FROM (SELECT target FROM events"
		          " WHERE category = 'process_suspicious' LIMIT 200)",
		      why, sizeof(why));
		fprintf(fp, "SUSPICIOUS COMMANDS: %lld (%s)\n", sus, render_txt(why, 90, a, sizeof(a)));
	}
}

static void sum_posture(sqlite3 *db, FILE *fp)
{
	if (!rep_qi(db, "SELECT count(*) FROM posture"))
		return;
	char v[512], a[512];
	rep_q(db, "SELECT group_concat(n || ' ' || severity, ', ') FROM (SELECT severity, count(*) AS n FROM posture"
	          " GROUP BY severity ORDER BY CASE lower(severity) WHEN 'critical' THEN 0 WHEN 'high' THEN 1"
	          " WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END)",
	      v, sizeof(v));
	fprintf(fp, "POSTURE: %s (posture.csv)\n", render_txt(v, 100, a, sizeof(a)));
}

static void write_summary(sqlite3 *db, FILE *fp, const char *evid, const rep_hostinfo *h)
{
	char a[256], b[256], c[256], since[64], until[64], how[256], profile[16], off[16];
	fprintf(fp, "shodo %s triage summary: evidence %s, host %s\n", SHODO_VERSION, render_txt(evid, 64, a, sizeof(a)),
	        h->name[0] ? render_txt(h->name, 40, b, sizeof(b)) : "unknown");
	fprintf(fp, "Host: %s", h->name[0] ? render_txt(h->name, 40, a, sizeof(a)) : "?");
	if (h->domain[0])
		fprintf(fp, " (domain %s)", render_txt(h->domain, 40, a, sizeof(a)));
	/* the release (22H2) once: names derived from a build carry it already */
	int ver_in_name = h->osver[0] && strstr(h->os, h->osver);
	fprintf(fp, ", %s%s%s%s%s", h->os[0] ? render_txt(h->os, 60, b, sizeof(b)) : "OS unknown",
	        h->osver[0] && !ver_in_name ? " " : "", ver_in_name ? "" : render_txt(h->osver, 10, c, sizeof(c)),
	        h->build[0] ? " build " : "", render_txt(h->build, 16, a, sizeof(a)));
	if (h->tz[0] || h->has_bias)
		fprintf(fp, ", time zone %s%s%s%s", render_txt(h->tz, 40, b, sizeof(b)), h->tz[0] ? " (" : "",
		        h->has_bias ? tz_offset(h->bias, off) : "offset unknown", h->tz[0] ? ")" : "");
	fputc('\n', fp);
	/* where the OS came from when not from SOFTWARE, or why it is unknown */
	if (h->os_how[0] && strcmp(h->os_how, "the SOFTWARE hive (CurrentVersion)")) {
		char line[700];
		fprintf(fp, "  (%s %s)\n", h->os[0] ? "OS from" : "OS unknown:", render_txt(h->os_how, 300, line, sizeof(line)));
	}
	{
		char v[1400], line[1400];
		rep_q(db, "SELECT group_concat(value, '; ') FROM host WHERE key = 'machine_sid_mismatch'", v, sizeof(v));
		if (v[0])
			fprintf(fp, "IDENTITY: %s  << CHECK\n", render_txt(v, 400, line, sizeof(line)));
	}
	rep_q(db, "SELECT value FROM scope_info WHERE key = 'since'", since, sizeof(since));
	rep_q(db, "SELECT value FROM scope_info WHERE key = 'until'", until, sizeof(until));
	rep_q(db, "SELECT value FROM scope_info WHERE key = 'window_how'", how, sizeof(how));
	rep_q(db, "SELECT value FROM scope_info WHERE key = 'profile'", profile, sizeof(profile));
	if (since[0])
		fprintf(fp, "Window: %s .. %s (%s)\n", render_utcz(since, a, sizeof(a)), render_utcz(until, b, sizeof(b)), how);
	else
		fprintf(fp, "Window: none (%s)\n", how[0] ? how : "scope not run");
	/* the anchors the window was chosen from: their kinds and dates here,
	 * each in full at the end (scope.c stores one a line) */
	{
		char v[4096], line[512], brief[1024];
		size_t bl = 0;
		int n = 0;
		rep_q(db, "SELECT value FROM scope_info WHERE key = 'window_anchors'", v, sizeof(v));
		for (char *p = v; isdigit((unsigned char)*p);) {
			char *nl = strchr(p, '\n');
			size_t len = nl ? (size_t)(nl - p) : strlen(p);
			if (len > 21 && bl < sizeof(brief)) {
				size_t kl = strcspn(p + 21, ":\n");
				bl += (size_t)snprintf(brief + bl, sizeof(brief) - bl, "%s%.*s %.10s", n ? ", " : "", (int)kl,
				                       p + 21, p);
			}
			n++;
			if (!nl)
				break;
			p = nl + 1;
		}
		if (n)
			fprintf(fp, "Anchors: %s\n", render_txt(brief, 150, line, sizeof(line)));
		else if (v[0])
			fprintf(fp, "Anchors: %s\n", render_txt(v, 110, line, sizeof(line)));
	}
	fputc('\n', fp);
	sum_notes(db, fp);
	sum_encryption(db, fp);
	sum_failed(db, fp);
	sum_audit(db, fp);
	if (rep_has_table(db, "sessions")) {
		sum_sessions(db, fp, 1);
		sum_sessions(db, fp, 0);
	} else {
		/* a store from before sessions were made */
		sum_logons(db, fp, 10, "RDP LOGONS (type 10)");
		sum_logons(db, fp, 3, "NETWORK LOGONS (type 3)");
	}
	ev_summary ev;
	event_summary(db, &ev);
	ev_line(fp, "NEW ACCOUNTS", &ev, EV_CREATED);
	ev_line(fp, "ADDED TO ADMIN GROUPS", &ev, EV_ADMIN_ADDED);
	sum_list(db, fp, "SERVICES INSTALLED", rep_qi(db, "SELECT count(*) FROM persistence WHERE kind = 'service'"),
	         "SELECT name || ': ' || coalesce(command,''), time FROM persistence WHERE kind = 'service' ORDER BY time DESC",
	         "none");
	{
		long long pu = rep_qi(db, "SELECT count(*) FROM persistence WHERE kind = 'service_per_user'");
		if (pu)
			fprintf(fp, "  (+%lld per-user service instances Windows made at logons, not counted)\n", pu);
	}
	if (rep_has_table(db, "services") && rep_qi(db, "SELECT count(*) FROM services")) {
		/* the SYSTEM hive's services: counted, the flagged ones named */
		long long n = rep_qi(db, "SELECT count(*) FROM services WHERE coalesce(per_user, '') <> 'instance'");
		long long inst = rep_qi(db, "SELECT count(*) FROM services WHERE per_user = 'instance'");
		long long fl = rep_qi(db, "SELECT count(*) FROM services WHERE coalesce(per_user, '') <> 'instance'"
		                          " AND flag IS NOT NULL");
		char sv[256], st[64];
		fprintf(fp, "SERVICES (SYSTEM hive): %lld", n);
		if (inst)
			fprintf(fp, " (+%lld per-user instances apart)", inst);
		fprintf(fp, ", %lld flagged\n", fl);
		sqlite3_stmt *s = NULL;
		if (fl && sqlite3_prepare_v2(db,
		                             "SELECT name || ' (' || flag || '): ' || coalesce(image_path, '') ||"
		                             " coalesce(' DLL ' || service_dll, ''), last_written FROM services"
		                             " WHERE coalesce(per_user, '') <> 'instance' AND flag IS NOT NULL"
		                             " ORDER BY flag LIKE 'runs from%' AND flag NOT LIKE '%;%', last_written DESC,"
		                             " lower(name) LIMIT 3",
		                             -1, &s, NULL) == SQLITE_OK) {
			while (sqlite3_step(s) == SQLITE_ROW)
				fprintf(fp, "  %s, key written %s\n", render_txt(rep_col(s, 0), 100, sv, sizeof(sv)),
				        render_utcz(rep_col(s, 1), st, sizeof(st)));
			sqlite3_finalize(s);
		}
		if (fl > 3)
			fprintf(fp, "  (+%lld more flagged: services.csv)\n", fl - 3);
	}
	sum_list(db, fp, "TASKS CREATED", rep_qi(db, "SELECT count(*) FROM persistence WHERE kind = 'task'"),
	         "SELECT name || ': ' || coalesce(command,''), time FROM persistence WHERE kind = 'task' ORDER BY time DESC",
	         "none");
	ev_line(fp, "LOGS CLEARED", &ev, EV_CLEARED);
	ev_line(fp, "DEFENDER OFF", &ev, EV_DEFENDER_OFF);
	ev_line(fp, "DEFENDER DETECTIONS", &ev, EV_DETECTIONS);
	sum_policy(db, fp);
	long long admins = rep_qi(db, "SELECT count(*) FROM accounts WHERE admin = 1");
	long long accts = rep_qi(db, "SELECT count(*) FROM accounts");
	if (accts) {
		char names[1024];
		rep_q(db, "SELECT group_concat(name, ', ') FROM (SELECT name FROM accounts WHERE admin = 1 ORDER BY name)",
		      names, sizeof(names));
		fprintf(fp, "ACCOUNTS: %lld, %lld administrators%s%s%s\n", accts, admins, admins ? " (" : "",
		        render_txt(names, 80, a, sizeof(a)), admins ? ")" : "");
	}
	sum_tools(db, fp, ev.n[EV_SUSPICIOUS]);
	event_summary_free(&ev);
	sum_posture(db, fp);
	fputc('\n', fp);
	static const struct {
		const char *sql, *head;
	} al[] = {{"SELECT value FROM scope_info WHERE key = 'window_misses'", "OUTSIDE THE WINDOW (--since/--until):"},
	          {"SELECT value FROM scope_info WHERE key = 'window_anchors'", "Window anchors:"}};
	for (size_t k = 0; k < sizeof(al) / sizeof(al[0]); k++) {
		char v[4096], line[512];
		rep_q(db, al[k].sql, v, sizeof(v));
		if (!isdigit((unsigned char)v[0]))
			continue;
		fprintf(fp, "%s\n", al[k].head);
		for (char *p = v, *nl; p && *p; p = nl ? nl + 1 : NULL) {
			nl = strchr(p, '\n');
			if (nl)
				*nl = '\0';
			fprintf(fp, "  %s\n", render_txt(p, 110, line, sizeof(line)));
		}
	}
	long long arts = rep_qi(db, "SELECT count(*) FROM artifacts");
	long long parsed = rep_qi(db, "SELECT count(*) FROM artifacts WHERE status IN ('ok','warning')");
	long long warn = rep_qi(db, "SELECT count(*) FROM artifacts WHERE status IN ('warning','partial','not_copied')");
	long long bad = rep_qi(db, "SELECT count(*) FROM artifacts WHERE status IN ('failed','error')");
	long long tl = rep_qi(db, "SELECT count(*) FROM timeline");
	fprintf(fp, "Artifacts: %lld collected, %lld parsed, %lld with warnings, %lld failed (triage.log);"
	        " timeline %lld entries\n",
	        arts, parsed, warn, bad, tl);
	fprintf(fp, "Details: report.html, *.csv, triage.db\n");
}

/* ---- report.html ---- */

typedef struct html_ctx {
	FILE *fp;
	sqlite3 *db;
	const rep_hostinfo *h;
} html_ctx;

static void h_time(html_ctx *x, const char *iso)
{
	char u[64], l[80];
	if (!iso || !*iso) {
		fputs("<td></td>", x->fp);
		return;
	}
	time_t t;
	int ok = shodo_parse_iso(iso, &t) == 0;
	render_utc(iso, u, sizeof(u));
	fputs("<td class=\"t\">", x->fp);
	render_html(x->fp, ok ? u : iso);
	fputs(ok ? "Z" : "", x->fp);
	if (x->h->has_bias && render_local(iso, &x->h->tzr, l, sizeof(l))[0]) {
		fputs("<small>", x->fp);
		render_html(x->fp, l);
		fputs("</small>", x->fp);
	}
	fputs("</td>", x->fp);
}

/* A table from a query.  spec holds one char per column: 't' time, 's'
 * string, 'n' number, 'c' code (monospace).  Returns rows written. */
long long rep_html_table(FILE *fp, sqlite3 *db, const rep_hostinfo *h, const char *sql, const char *const *heads,
                         const char *spec, long long limit, const char *more)
{
	html_ctx x = {fp, db, h};
	sqlite3_stmt *s = NULL;
	long long n = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		fputs("<p class=\"muted\">(not available: ", fp);
		render_html(fp, sqlite3_errmsg(db));
		fputs(")</p>\n", fp);
		return 0;
	}
	int nc = (int)strlen(spec);
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (n == 0) {
			fputs("<table><thead><tr>", fp);
			for (int i = 0; i < nc && heads[i]; i++) {
				fputs("<th>", fp);
				render_html(fp, heads[i]);
				fputs("</th>", fp);
			}
			fputs("</tr></thead><tbody>\n", fp);
		}
		if (limit && n >= limit) {
			n++;
			continue;
		}
		fputs("<tr>", fp);
		for (int i = 0; i < nc; i++) {
			const char *v = (const char *)sqlite3_column_text(s, i);
			if (spec[i] == 't') {
				h_time(&x, v);
			} else {
				fputs(spec[i] == 'c' ? "<td class=\"mono\">" : "<td>", fp);
				render_html(fp, v);
				fputs("</td>", fp);
			}
		}
		fputs("</tr>\n", fp);
		n++;
	}
	sqlite3_finalize(s);
	if (n) {
		fputs("</tbody></table>\n", fp);
		if (limit && n > limit) {
			fprintf(fp, "<p class=\"muted\">%lld of %lld rows shown; all in ", limit, n);
			render_html(fp, more);
			fputs(".</p>\n", fp);
		}
	} else {
		fputs("<p class=\"muted\">none</p>\n", fp);
	}
	return n;
}

/* a section: heading, the table's slot, a link to the CSV with every row */
static void section(FILE *fp, shodo_buf *tb, const char *id, const char *title, const char *csv)
{
	page_h2(fp, id, title);
	if (csv) {
		char href[256];
		fprintf(fp, "<p class=\"muted\">%s <a href=\"%s\">", _("Every row:"), page_href(NULL, csv, href, sizeof(href)));
		render_html(fp, csv);
		fputs("</a></p>\n", fp);
	}
	page_table_slot(fp, id);
	/* the table's text follows (page_table_json); the timeline is first */
	shodo_buf_add(tb, ",", 1);
	page_json_str(tb, id);
	shodo_buf_add(tb, ":", 1);
}

/* the image of this evidence item: hashes and verification (acquisition.json) */
static void image_block(FILE *fp, const char *triage_dir)
{
	char p[4200];
	json_t *j = NULL;
	page_h2(fp, "image", _("Image: hashes and verification"));
	if (triage_dir) {
		snprintf(p, sizeof(p), "%s/../image/acquisition.json", triage_dir);
		j = json_load_file(p, 0, NULL);
	}
	if (!j) {
		fputs("<p class=\"muted\">", fp);
		render_html(fp, _("no image of this evidence item in the case folder when this report was written "
		                  "(triaged from the device or from an image kept elsewhere)"));
		fputs("</p>\n", fp);
		return;
	}
	json_t *h = json_object_get(j, "hashes"), *v = json_object_get(j, "verification"), *src = json_object_get(j, "source");
	static const char *const algs[] = {"md5", "sha1", "sha256"};
	fputs("<table class=\"kv\">", fp);
	const struct {
		const char *label, *value;
	} kv[] = {
		{N_("source"), json_string_value(json_object_get(src, "path"))},
		{N_("model"), json_string_value(json_object_get(src, "model"))},
		{N_("serial"), json_string_value(json_object_get(src, "serial"))},
		{N_("started (UTC)"), json_string_value(json_object_get(j, "start"))},
		{N_("finished (UTC)"), json_string_value(json_object_get(j, "end"))},
		{N_("verification"), json_string_value(json_object_get(v, "result"))},
	};
	for (size_t i = 0; i < sizeof(kv) / sizeof(kv[0]); i++) {
		fputs("<tr><th>", fp);
		render_html(fp, _(kv[i].label));
		fputs("</th><td class=\"mono\">", fp);
		render_html(fp, kv[i].value ? kv[i].value : "-");
		fputs("</td></tr>", fp);
	}
	for (int i = 0; i < 3; i++) {
		const char *a = json_string_value(json_object_get(h, algs[i])), *b = json_string_value(json_object_get(v, algs[i]));
		fprintf(fp, "<tr><th>%s</th><td class=\"mono\">", algs[i]);
		render_html(fp, a ? a : "-");
		if (b) {
			fprintf(fp, "<br><span class=\"%s\">", a && !strcmp(a, b) ? "none" : "nm");
			render_html(fp, a && !strcmp(a, b) ? _("read back: equal") : _("read back: DIFFERENT"));
			fputs("</span>", fp);
		}
		fputs("</td></tr>", fp);
	}
	fputs("</table>\n", fp);
	json_decref(j);
}

/* The timeline's table, the page's largest part (100 MB of text on a host
 * with a large log), is made on a thread of its own with a read-only
 * connection while the main one makes the summary and the rest of the page
 * (the CSVs are written on a third): on the bench host it is about 40 % of
 * the page's CPU time, so the stage's longest path is no longer one thread
 * doing all of it.  Done here, in this thread, when there is no file to
 * open a second connection to. */
/*
 * A kind of row that floods the timeline (a brute force's failed logons, the
 * encrypted files) is shown on the page by its first and last TL_KIND_END
 * rows; the other kinds, whatever their size, are shown whole, and so is
 * the chart of rows per hour.  The page says which kinds were cut and how
 * many rows each has; timeline.csv holds every row.  On the bench host the
 * 305,816 rows made 100 MB of the page's 125 MB, which Chromium needed 9 s
 * and 410 MB of memory to open; a domain controller's multi-gigabyte
 * Security log would pass the 512 MB a JavaScript string can hold.
 */
#define TL_KIND_END 5000
#define TL_KINDS 64
typedef struct tl_kind {
	char *kind;
	long long rows, seen;
} tl_kind;

typedef struct tl_job {
	pthread_t th;
	sqlite3 *db;
	const rep_hostinfo *h;
	char *sql;
	const char *hd[6];
	shodo_buf text;
	int started;
	tl_kind kinds[TL_KINDS];
	int nkinds, cut;
} tl_job;

/* SQL shodo_tl_keep(kind): 1 for a row the page shows.  Called once per
 * row in rowid order (the timeline's statement scans the table by rowid),
 * it counts the rows of each kind seen so far. */
static void sql_tl_keep(sqlite3_context *c, int argc, sqlite3_value **v)
{
	(void)argc;
	tl_job *j = sqlite3_user_data(c);
	const char *k = (const char *)sqlite3_value_text(v[0]);
	for (int i = 0; i < j->nkinds; i++) {
		tl_kind *t = &j->kinds[i];
		if (strcmp(t->kind, k ? k : ""))
			continue;
		t->seen++;
		sqlite3_result_int(c, t->rows <= 2 * TL_KIND_END || t->seen <= TL_KIND_END ||
		                          t->seen > t->rows - TL_KIND_END);
		return;
	}
	sqlite3_result_int(c, 1);
}

static void timeline_kinds(tl_job *j, sqlite3 *db)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, "SELECT coalesce(kind, ''), count(*) FROM timeline GROUP BY 1 ORDER BY 2 DESC, 1", -1,
	                       &s, NULL) != SQLITE_OK)
		return;
	while (sqlite3_step(s) == SQLITE_ROW && j->nkinds < TL_KINDS) {
		char *k = strdup((const char *)sqlite3_column_text(s, 0));
		if (!k)
			break;
		tl_kind *t = &j->kinds[j->nkinds++];
		t->kind = k;
		t->rows = sqlite3_column_int64(s, 1);
		if (t->rows > 2 * TL_KIND_END)
			j->cut = 1;
	}
	sqlite3_finalize(s);
}

static void *timeline_run(void *arg)
{
	tl_job *j = arg;
	page_table_json_sorted(&j->text, j->db, j->h, j->sql, j->hd, "tsssan", 100);
	return NULL;
}

static void timeline_start(tl_job *j, sqlite3 *db, const char *evid, const rep_hostinfo *h)
{
	static const char *const heads[] = {N_("time"), N_("kind"), N_("what"), N_("detail"), N_("source"), N_("record")};
	memset(j, 0, sizeof(*j));
	j->h = h;
	for (int i = 0; i < 6; i++)
		j->hd[i] = _(heads[i]);
	timeline_kinds(j, db);
	/* ORDER BY substr(time, 1, 19), rowid: sorted by page_table_json_sorted */
#define SRC(c) "CASE WHEN " c " LIKE '%q/%%' THEN " c " || char(9) || '../../' || " c " ELSE " c " END"
	j->sql = sqlite3_mprintf("SELECT substr(time, 1, 19), time, kind, what, detail, " SRC("source") ", record"
	                         " FROM timeline%s ORDER BY rowid",
	                         evid, j->cut ? " WHERE shodo_tl_keep(kind)" : "");
#undef SRC
	const char *path = sqlite3_db_filename(db, "main");
	/* another connection sees only what is committed */
	if (!j->sql || !sqlite3_get_autocommit(db) || !path || !*path ||
	    sqlite3_open_v2(path, &j->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		sqlite3_close(j->db);
		j->db = NULL;
		sqlite3_create_function(db, "shodo_tl_keep", 1, SQLITE_UTF8, j, sql_tl_keep, NULL, NULL);
		return;
	}
	sqlite3_create_function(j->db, "shodo_tl_keep", 1, SQLITE_UTF8, j, sql_tl_keep, NULL, NULL);
	sqlite3_busy_timeout(j->db, 60000);
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	j->started = pthread_create(&j->th, NULL, timeline_run, j) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* the table's text in j->text; -1 when out of memory */
static int timeline_finish(tl_job *j, sqlite3 *db)
{
	if (j->started)
		pthread_join(j->th, NULL);
	else if (j->sql)
		page_table_json_sorted(&j->text, db, j->h, j->sql, j->hd, "tsssan", 100);
	sqlite3_close(j->db);
	sqlite3_free(j->sql);
	j->db = NULL;
	j->sql = NULL;
	for (int i = 0; i < j->nkinds; i++)
		free(j->kinds[i].kind);
	j->nkinds = 0;
	return j->text.failed || !j->text.p ? -1 : 0;
}

/* The page is what fp received, then the tables' JSON text (tb, the
 * timeline's, tb2), then what fp2 received: the text is not copied once
 * more into one buffer.  The buffers say when memory ran out. */
static int write_html(sqlite3 *db, FILE *fp, FILE *fp2, shodo_buf *tb, shodo_buf *tb2, const char *evid,
                      const rep_hostinfo *h, const char *summary, const char *triage_dir, const tl_job *tl)
{
	char title[512], off[16], *sql;
	json_t *data = json_object(), *charts = json_object();
	/* the tables' JSON, written as text (page_table_json): the timeline
	 * alone is 100 MB on a busy host.  tb: up to the timeline's table,
	 * which timeline_start's thread makes; tb2: the tables after it */
	shodo_buf_add(tb, "{", 1);
	snprintf(title, sizeof(title), "shodo triage: %s (%s)", evid, h->name[0] ? h->name : _("unknown host"));
	page_start(fp, title, rep_lang());
	fputs("<h1>", fp);
	render_html(fp, title);
	fputs("</h1>\n<p class=\"muted\">", fp);
	render_html(fp, _("Times are UTC; the second line is the host's local time"));
	if (h->has_bias) {
		fputs(" (", fp);
		render_html(fp, h->tz[0] ? h->tz : "time zone");
		fprintf(fp, ", %s, daylight saving from ", tz_offset(h->bias, off));
		render_html(fp, h->tz_how);
		fputs(")", fp);
	} else {
		fputs(" (", fp);
		render_html(fp, _("not known: no SYSTEM hive parsed"));
		fputs(")", fp);
	}
	fputs(". ", fp);
	render_html(fp, _("Every row names its source artifact (a link to the copy in the case folder) and record number."));
	fputs("</p>\n<nav>", fp);
	static const struct {
		const char *id, *label;
	} nav[] = {{"summary", N_("summary")},   {"image", N_("image")},         {"timeline", N_("timeline")},
	           {"notes", N_("ransom notes")}, {"enc", N_("encryption")},     {"failed", N_("failed logons")},
	           {"logons", N_("logons")},      {"sessions", N_("sessions")},  {"changes", N_("changes")},     {"persist", N_("persistence")},
	           {"programs", N_("programs")},  {"ondisk", N_("tools on disk")}, {"services", N_("services")},
	           {"accounts", N_("accounts")},   {"policy", N_("policy")},
	           {"posture", N_("posture")},    {"host", N_("host")},           {"artifacts", N_("artifacts")}};
	for (size_t i = 0; i < sizeof(nav) / sizeof(nav[0]); i++) {
		fprintf(fp, "<a href=\"#%s\">", nav[i].id);
		render_html(fp, _(nav[i].label));
		fputs("</a>", fp);
	}
	fputs("</nav>\n", fp);
	page_h2(fp, "summary", _("Summary"));
	fputs("<details open><summary>summary.txt</summary><pre>", fp);
	render_html(fp, summary);
	fputs("</pre></details>\n", fp);
	image_block(fp, triage_dir);

	/* a source column links to the copied artifact when it lies in this
	 * item's folder (the report is DIR/ID/triage/report.html) */
#define SRC(c) "CASE WHEN " c " LIKE '%q/%%' THEN " c " || char(9) || '../../' || " c " ELSE " c " END"
	char since[64], until[64];
	rep_q(db, "SELECT value FROM scope_info WHERE key = 'since'", since, sizeof(since));
	rep_q(db, "SELECT value FROM scope_info WHERE key = 'until'", until, sizeof(until));
	page_h2(fp, "timeline", _("Timeline"));
	fputs("<div class=\"chartbox\"><canvas id=\"c-timeline\"></canvas></div>\n<p>", fp);
	if (since[0] && until[0]) {
		fputs("<label><input type=\"checkbox\" id=\"tl-window\" checked> ", fp);
		render_html(fp, _("only from"));
		fputs("</label> <input id=\"tl-from\" size=\"19\"> ", fp);
		render_html(fp, _("to"));
		fputs(" <input id=\"tl-to\" size=\"19\"> (UTC; ", fp);
		render_html(fp, _("the incident window by default"));
		fputs(") ", fp);
		json_object_set_new(data, "window", json_pack("[s, s]", since, until));
	}
	render_html(fp, _("Filter by kind, account or source with the boxes under the headers."));
	{
		char href[256];
		fputs(" ", fp);
		render_html(fp, _("Every row:"));
		fprintf(fp, " <a href=\"%s\">timeline.csv</a></p>\n", page_href(NULL, "timeline.csv", href, sizeof(href)));
	}
	if (tl->cut) {
		fputs("<p class=\"muted\" id=\"tl-cut\">", fp);
		fprintf(fp, _("Kinds with more than %d rows show their first and last %d here (the chart counts every row):"),
		        2 * TL_KIND_END, TL_KIND_END);
		for (int i = 0, k = 0; i < tl->nkinds; i++) {
			if (tl->kinds[i].rows <= 2 * TL_KIND_END)
				continue;
			fputs(k++ ? ", " : " ", fp);
			render_html(fp, tl->kinds[i].kind);
			fprintf(fp, " (%lld)", tl->kinds[i].rows);
		}
		fputs(".</p>\n", fp);
	}
	page_table_slot(fp, "timeline");
	{
		page_json_str(tb, "timeline");
		shodo_buf_add(tb, ":", 1);
		tb = tb2;
		json_t *hours = json_array();
		sqlite3_stmt *s = NULL;
		if (sqlite3_prepare_v2(db, "SELECT substr(time, 1, 13), count(*) FROM timeline WHERE length(time) >= 13"
		                           " GROUP BY 1 ORDER BY 1",
		                       -1, &s, NULL) == SQLITE_OK) {
			while (sqlite3_step(s) == SQLITE_ROW)
				json_array_append_new(hours, json_pack("[s, I]", rep_col(s, 0), (json_int_t)sqlite3_column_int64(s, 1)));
			sqlite3_finalize(s);
		}
		json_object_set_new(charts, "timeline", hours);
	}
	{
		const char *hd[] = {_("path"), _("volume"), _("copies"), _("family"), _("language"), _("score"),
		                    _("contacts"), _("written"), _("modified"), _("sha256"), _("source")};
		sql = sqlite3_mprintf("SELECT path, volume, copies, family, language, score,"
		                      " trim(coalesce('email: ' || nullif(emails,'') || char(10), '') ||"
		                      " coalesce('onion: ' || nullif(onions,'') || char(10), '') ||"
		                      " coalesce('tox: ' || nullif(tox,'') || char(10), '') ||"
		                      " coalesce('bitcoin: ' || nullif(btc,'') || char(10), '') ||"
		                      " coalesce('monero: ' || nullif(xmr,'') || char(10), '') ||"
		                      " coalesce('session: ' || nullif(session,'') || char(10), '') ||"
		                      " coalesce('url: ' || nullif(urls,''), ''), char(10)),"
		                      " crtime, mtime, sha256, " SRC("source") " FROM ransom_notes ORDER BY copies DESC",
		                      evid);
		section(fp, tb, "notes", _("Ransom notes"), "ransom_notes.csv");
		page_table_json(tb, db, h, sql, hd, "ssnssncttca", 0);
		sqlite3_free(sql);
	}
	{
		long long n = rep_qi(db, "SELECT count(*) FROM encrypted_extensions");
		const char *hd[] = {_("extension"), _("files"), _("first modified (start)"), _("last modified (end)"),
		                    _("example"), _("MFT entry")};
		section(fp, tb, "enc", _("Encrypted files (appended extensions)"), "encrypted_extensions.csv");
		page_table_json(tb, db, h,
		                   "SELECT extension, count, first_mtime, last_mtime, example, record FROM encrypted_extensions"
		                   " ORDER BY count DESC",
		                   hd, "cnttcn", 0);
		(void)n;
		/* the host's verdict (scope): found, none (measured) or not measured */
		char state[32], how[256];
		rep_encryption_state(db, state, sizeof(state), how, sizeof(how));
		if (!strcmp(state, "none")) {
			fputs("<p class=\"ok\">", fp);
			render_html(fp, _("None found."));
			fputs("</p>\n<p class=\"muted\">", fp);
		} else if (!strcmp(state, "not_measured")) {
			fputs("<p class=\"alert\"><b>", fp);
			render_html(fp, _("Not measured"));
			fputs("</b>: ", fp);
		} else {
			fputs("<p class=\"muted\">", fp);
			render_html(fp, _("Measured"));
			fputs(": ", fp);
		}
		render_html(fp, how[0] ? how : _("no file listing"));
		fputs("</p>\n", fp);
	}
	{
		const char *hd[] = {_("account"), _("source IP"), _("workstation"), _("count"), _("first"), _("last"),
		                    _("logon types"), _("statuses"), _("source"), _("first record")};
		sql = sqlite3_mprintf("SELECT target_user, source_ip, workstation, count, first_time, last_time, logon_types,"
		                      " statuses, " SRC("source") ", record FROM failed_logons ORDER BY count DESC",
		                      evid);
		section(fp, tb, "failed", _("Failed logons by account and source"), "failed_logons.csv");
		page_table_json(tb, db, h, sql, hd, "sssnttccan", 0);
		sqlite3_free(sql);
		fputs("<p class=\"muted\">", fp);
		render_html(fp, _("Statuses (status/sub-status): 0xc000006a wrong password, 0xc0000064 no such account, "
		                  "0xc0000234 account locked out, 0xc0000072 account disabled, 0xc000006f outside logon hours, "
		                  "0xc0000071 password expired, 0xc0000133 clock skew, 0xc000015b logon type not granted."));
		fputs("</p>\n", fp);
	}
	{
		const char *hd[] = {_("type"), _("source IP"), _("workstation"), _("accounts"), _("count"), _("first"),
		                    _("last"), _("source"), _("first record")};
		sql = sqlite3_mprintf("SELECT logon_type, source_ip, max(workstation), group_concat(DISTINCT target_user),"
		                      " count(*), min(time), max(time), " SRC("min(source)") ", min(record) FROM logons"
		                      " WHERE result = 'success' GROUP BY logon_type, source_ip ORDER BY logon_type = 10 DESC,"
		                      " logon_type = 3 DESC, count(*) DESC",
		                      evid);
		section(fp, tb, "logons", _("Successful logons by type and source"), "logons.csv");
		page_table_json(tb, db, h, sql, hd, "nsssnttan", 0);
		sqlite3_free(sql);
	}
	if (rep_has_table(db, "sessions")) {
		const char *hd[] = {_("kind"), _("account"), _("source IP"), _("workstation"), _("start"), _("end"),
		                    _("state"), _("admin"), _("events"), _("part of"), _("source"), _("first record")};
		sql = sqlite3_mprintf("SELECT kind, coalesce(nullif(domain || '\\', '\\'), '') || account, source_ip,"
		                      " workstation, start, end, state, admin, events, part_of, " SRC("source") ", record"
		                      " FROM sessions ORDER BY kind = 'rdp' DESC, part_of IS NULL DESC, coalesce(start, end)",
		                      evid);
		section(fp, tb, "sessions", _("Sessions: Remote Desktop connections and network logons"), "sessions.csv");
		page_table_json(tb, db, h, sql, hd, "ssssttsncnan", 0);
		sqlite3_free(sql);
		fputs("<p class=\"muted\">", fp);
		render_html(fp, _("One row per connection, made from its events (every event names its row in logons.csv, "
		                  "column session): an empty start is a session begun before the logs; open, one still going "
		                  "when the logs end."));
		fputs("</p>\n", fp);
	}
	{
		const char *hd[] = {_("time"), _("what"), _("event"), _("by"), _("target"), _("detail"), _("source"),
		                    _("record")};
		sql = sqlite3_mprintf("SELECT time, category, event_id, user, target, detail, " SRC("source") ", record FROM"
		                      " events WHERE category IN ('account_created','account_enabled','password_reset',"
		                      "'account_deleted','group_member_added','log_cleared','defender_disabled',"
		                      "'defender_detection','process_suspicious','ps_scriptblock','logon_explicit')"
		                      /* one pass and a sort of the few rows: walking the time index
		                       * looked every event up (0.16 s on the bench host, now 0.05);
		                       * rowid orders equal times as that walk did */
		                      " ORDER BY +time, rowid",
		                      evid);
		section(fp, tb, "changes", _("Changes: accounts, groups, logs cleared, Defender, suspicious commands"), "events.csv");
		page_table_json(tb, db, h, sql, hd, "tsnsssan", 0);
		sqlite3_free(sql);
	}
	{
		const char *hd[] = {_("time"), _("kind"), _("name"), _("command"), _("account"), _("detail"), _("source"),
		                    _("record")};
		/* services installed (events), tasks and autoruns first; the SYSTEM
		 * hive's services after them, the flagged ones first */
		sql = sqlite3_mprintf(rep_has_table(db, "services")
		                          ? "SELECT time, kind, name, command, account, detail, " SRC("source") ", record FROM"
		                            " persistence ORDER BY kind = 'service_key', kind = 'service_key' AND name NOT IN"
		                            " (SELECT name FROM services WHERE flag IS NOT NULL), time"
		                          : "SELECT time, kind, name, command, account, detail, " SRC("source") ", record FROM"
		                            " persistence ORDER BY time",
		                      evid);
		section(fp, tb, "persist", _("Persistence: services, tasks, autoruns"), "persistence.csv");
		page_table_json(tb, db, h, sql, hd, "tsscssan", 0);
		sqlite3_free(sql);
	}
	{
		const char *hd[] = {_("executable"), _("flag"), _("runs"), _("last run"), _("run times"), _("source")};
		sql = sqlite3_mprintf("SELECT executable, flag, run_count, last_run, last_runs, " SRC("source") " FROM prefetch"
		                      " ORDER BY flag IS NULL, last_run DESC",
		                      evid);
		section(fp, tb, "programs", _("Programs run (prefetch)"), "prefetch.csv");
		page_table_json(tb, db, h, sql, hd, "ssntja", 0);
		sqlite3_free(sql);
	}
	{
		/* tools on disk: executables in user-writable places, the flagged
		 * ones (known attack and admin tools) first, with the last run
		 * prefetch shows for their name */
		const char *hd[] = {_("tool"), _("path"), _("matched by"), _("original name"), _("product"), _("company"),
		                    _("last run (prefetch)"), _("modified"), _("created"), _("size"), _("sha256"),
		                    _("copied file")};
		sql = sqlite3_mprintf("SELECT nullif(flag, ''), path, CASE WHEN nullif(flag, '') IS NOT NULL THEN matched_by END,"
		                      " original_name, product, company, (SELECT max(p.last_run) FROM prefetch p WHERE"
		                      " upper(p.executable) = upper(replace(e.path, rtrim(e.path, replace(e.path, '/', '')), ''))),"
		                      " mtime, crtime, size, sha256, " SRC("source") " FROM executables e"
		                      " ORDER BY nullif(flag, '') IS NULL, flag, path",
		                      evid);
		section(fp, tb, "ondisk", _("Tools on disk: executables in user-writable places"), "executables.csv");
		page_table_json(tb, db, h, sql, hd, "sssssstttnca", 0);
		sqlite3_free(sql);
	}
	if (rep_has_table(db, "services")) {
		/* the SYSTEM hive's services, the flagged ones first */
		const char *hd[] = {_("service"), _("display name"), _("image"), _("service DLL"), _("start"), _("type"),
		                    _("account"), _("key written"), _("flag"), _("per user"), _("control set"), _("source")};
		sql = sqlite3_mprintf("SELECT name, display_name, image_path, service_dll, start_name, type_name, account,"
		                      " last_written, nullif(flag, ''), per_user, control_set, " SRC("source") " FROM services"
		                      " ORDER BY nullif(flag, '') IS NULL, per_user = 'instance', lower(name)",
		                      evid);
		section(fp, tb, "services", _("Services installed (SYSTEM hive)"), "services.csv");
		page_table_json(tb, db, h, sql, hd, "ssccssstsssa", 0);
		sqlite3_free(sql);
	}
	{
		const char *hd[] = {_("name"), _("origin"), _("RID"), _("enabled"), _("admin"), _("created"), _("last logon"),
		                    _("password set"), _("logons"), _("bad passwords"), _("source")};
		section(fp, tb, "accounts", _("Accounts"), "accounts.csv");
		page_table_json(tb, db, h,
		                   "SELECT name, origin, rid, enabled, admin, created, last_logon, last_password_set, logon_count,"
		                   " bad_password_count, source FROM accounts ORDER BY admin DESC, name",
		                   hd, "snnnntttnnc", 0);
	}
	{
		const char *hd[] = {_("origin"), _("key"), _("value"), _("source")};
		section(fp, tb, "policy", _("Password and lockout policy"), "policy.csv");
		page_table_json(tb, db, h, "SELECT origin, key, value, source FROM policy ORDER BY origin, key", hd, "sscc", 0);
	}
	{
		const char *hd[] = {_("severity"), _("area"), _("finding"), _("value"), _("evidence"), _("remedy"), _("source")};
		section(fp, tb, "posture", _("Security posture"), "posture.csv");
		page_table_json(tb, db, h,
		                   "SELECT severity, area, finding, value, evidence, remedy, source FROM posture ORDER BY"
		                   " CASE lower(severity) WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2"
		                   " WHEN 'low' THEN 3 ELSE 4 END",
		                   hd, "ssssssc", 0);
	}
	{
		const char *hd[] = {_("key"), _("value"), _("source")};
		section(fp, tb, "host", _("Host"), "host.csv");
		page_table_json(tb, db, h, "SELECT key, value, source FROM host ORDER BY key", hd, "ssc", 0);
	}
	{
		const char *hd[] = {_("source"), _("category"), _("parser"), _("status"), _("message")};
		section(fp, tb, "artifacts", _("Artifacts"), NULL);
		page_table_json(tb, db, h,
		                   "SELECT source, category, parser, status, message FROM artifacts ORDER BY status = 'collected',"
		                   " category, source",
		                   hd, "cssss", 0);
	}
#undef SRC
	fprintf(fp, "<p class=\"muted\">shodo %s</p>\n", SHODO_VERSION);
	shodo_buf_add(tb, "}", 1);
	/* the keys in the order the page always had them */
	page_data d;
	page_data_begin(&d, fp);
	json_t *win = json_object_get(data, "window");
	if (win)
		page_data_add(&d, "window", json_incref(win));
	page_data_add(&d, "kind", json_string("host"));
	page_data_hole(&d, "tables", fp2);
	page_data_add(&d, "charts", charts);
	page_data_add(&d, "i18n", rep_page_words());
	page_data_end(&d);
	json_decref(data);
	return 0;
}

static shodo_status put_file(const char *dir, const char *name, const struct iovec *parts, int n, shodo_err *err)
{
	char p[4200];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	if (shodo_write_file_atomicv(p, parts, n, 0600) < 0)
		return shodo_err_set(err, SHODO_FAILED, errno, "cannot write '%s'", p);
	return SHODO_OK;
}

void rep_html_free(rep_html *html)
{
	free(html->head);
	free(html->tail);
	shodo_buf_release(&html->tables);
	shodo_buf_release(&html->timeline);
	shodo_buf_release(&html->rest);
	memset(html, 0, sizeof(*html));
}

shodo_status shodo_report_render(sqlite3 *db, const char *evid, const char *triage_dir, char **summary, rep_html *html)
{
	rep_hostinfo h;
	size_t sl = 0;
	*summary = NULL;
	memset(html, 0, sizeof(*html));
	tl_job tl;
	rep_host(db, &h);
	timeline_start(&tl, db, evid ? evid : "", &h);
	FILE *fp = open_memstream(summary, &sl);
	if (fp)
		write_summary(db, fp, evid ? evid : "", &h);
	if (!fp || fclose(fp) != 0) {
		timeline_finish(&tl, db);
		shodo_buf_release(&tl.text);
		return SHODO_FATAL;
	}
	fp = open_memstream(&html->head, &html->headlen);
	FILE *fp2 = open_memstream(&html->tail, &html->taillen);
	int w = fp && fp2 ? write_html(db, fp, fp2, &html->tables, &html->rest, evid ? evid : "", &h, *summary, triage_dir,
	                                         &tl)
	                  : -1;
	if (timeline_finish(&tl, db) < 0 || html->tables.failed || html->rest.failed)
		w = -1;
	html->timeline = tl.text;
	if ((fp && fclose(fp) != 0) || (fp2 && fclose(fp2) != 0) || w < 0)
		return SHODO_FATAL;
	return SHODO_OK;
}

shodo_status shodo_report_write(shodo_triage_ctx *ctx, shodo_err *err)
{
	sqlite3 *db = shodo_store_db(ctx->store);
	char *summary = NULL;
	rep_html html;
	shodo_status rc = shodo_report_render(db, ctx->opts ? ctx->opts->evidence_id : "", ctx->triage_dir, &summary, &html);
	if (rc != SHODO_OK) {
		free(summary);
		rep_html_free(&html);
		return shodo_err_set(err, SHODO_FAILED, ENOMEM, "cannot build the report");
	}
	struct iovec s1 = {summary, strlen(summary)};
	struct iovec h3[5] = {{html.head, html.headlen},
	                      {html.tables.p, html.tables.len},
	                      {html.timeline.p, html.timeline.len},
	                      {html.rest.p, html.rest.len},
	                      {html.tail, html.taillen}};
	rc = put_file(ctx->triage_dir, "summary.txt", &s1, 1, err);
	if (rc == SHODO_OK)
		rc = put_file(ctx->triage_dir, "report.html", h3, 5, err);
	free(summary);
	rep_html_free(&html);
	if (rc == SHODO_OK)
		shodo_emit(ctx->sink, SHODO_EV_INFO, "report", "wrote summary.txt and report.html in '%s'", ctx->triage_dir);
	return rc;
}
