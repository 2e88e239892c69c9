/*
 * report/fleet.c — `shodo report DIR`: the fleet view across the evidence
 * items of a case folder.
 *
 * Each DIR/<ID>/triage/triage.db is attached read-only to a private work
 * database in turn and the rows that matter across hosts are copied into
 * it with the evidence ID; the fleet answers are then SQL over that:
 * hosts with ransom notes and their families, the earliest and latest
 * encryption across hosts, RDP/network logon sources and accounts seen on
 * several hosts, posture findings, and groups of local accounts that share
 * one password (equal keyed digests in credential_digests, written by the
 * posture stage; no password or hash is ever read here).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "graph.h"
#include "handover.h"
#include "page.h"
#include "shodo/buf.h"
#include "render.h"
#include "report_int.h"
#include "shodo/hash.h"
#include "shodo/report.h"
#include "shodo/util.h"

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int fleet_list(const char *dir, char ***ids_out, size_t *n_out)
{
	DIR *d = opendir(dir);
	char **ids = NULL;
	size_t n = 0, cap = 0;
	*ids_out = NULL;
	*n_out = 0;
	if (!d)
		return -1;
	struct dirent *de;
	while ((de = readdir(d))) {
		char p[4200];
		struct stat st;
		if (!shodo_case_id_valid(de->d_name))
			continue;
		snprintf(p, sizeof(p), "%s/%s/triage/triage.db", dir, de->d_name);
		if (stat(p, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (shodo_grow(&ids, &cap, n + 1) < 0)
			break;
		ids[n] = strdup(de->d_name);
		if (ids[n])
			n++;
	}
	closedir(d);
	if (n)
		qsort(ids, n, sizeof(*ids), cmp_str);
	*ids_out = ids;
	*n_out = n;
	return 0;
}

void fleet_list_free(char **ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}

int fleet_attach(sqlite3 *work, const char *dir, const char *id, char *errbuf, size_t errsz)
{
	char uri[4400];
	sqlite3_stmt *s = NULL;
	/* a URI keeps the database read-only whatever its name holds; the
	 * path is passed as a parameter, never spliced into SQL */
	char *esc = sqlite3_mprintf("%s/%s/triage/triage.db", dir, id);
	if (!esc)
		return -1;
	snprintf(uri, sizeof(uri), "file:");
	size_t o = strlen(uri);
	for (const char *p = esc; *p && o + 4 < sizeof(uri); p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '%' || c == '?' || c == '#' || c <= 0x20 || c >= 0x7f)
			o += (size_t)snprintf(uri + o, sizeof(uri) - o, "%%%02X", c);
		else
			uri[o++] = (char)c;
	}
	uri[o] = '\0';
	sqlite3_free(esc);
	snprintf(uri + o, sizeof(uri) - o, "?mode=ro");
	if (sqlite3_prepare_v2(work, "ATTACH DATABASE ? AS e", -1, &s, NULL) != SQLITE_OK) {
		snprintf(errbuf, errsz, "%s", sqlite3_errmsg(work));
		return -1;
	}
	sqlite3_bind_text(s, 1, uri, -1, SQLITE_TRANSIENT);
	int r = sqlite3_step(s);
	sqlite3_finalize(s);
	if (r != SQLITE_DONE) {
		snprintf(errbuf, errsz, "%s", sqlite3_errmsg(work));
		return -1;
	}
	/* a file that is not a database fails here, not at ATTACH */
	if (sqlite3_exec(work, "SELECT count(*) FROM e.sqlite_master", NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(errbuf, errsz, "%s", sqlite3_errmsg(work));
		sqlite3_exec(work, "DETACH DATABASE e", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

int fleet_has(sqlite3 *work, const char *table)
{
	sqlite3_stmt *s = NULL;
	int r = 0;
	if (sqlite3_prepare_v2(work, "SELECT 1 FROM e.sqlite_master WHERE type = 'table' AND name = ?", -1, &s, NULL) ==
	    SQLITE_OK) {
		sqlite3_bind_text(s, 1, table, -1, SQLITE_STATIC);
		r = sqlite3_step(s) == SQLITE_ROW;
		sqlite3_finalize(s);
	}
	return r;
}

/* ---- gathering ---- */

static const char *const work_schema =
    "CREATE TABLE hosts(evidence TEXT, host TEXT, os TEXT, build TEXT, tz TEXT, bias INTEGER, since TEXT,"
    " until TEXT, notes INTEGER, copies INTEGER, families TEXT, enc_files INTEGER, enc_first TEXT,"
    " enc_last TEXT, extensions TEXT, enc_state TEXT, failed INTEGER, rdp_sources INTEGER, timeline INTEGER, status TEXT,"
    /* identity: one machine seen through several evidence items is one host */
    " sid TEXT, vserial TEXT, machine TEXT, primary_ INTEGER DEFAULT 1, items TEXT, grp INTEGER, srcs TEXT,"
    " image TEXT, notes_first TEXT, notes_last TEXT, anchors TEXT);"
    "CREATE TABLE fhours(evidence TEXT, hour TEXT, count INTEGER);"
    "CREATE TABLE notes(evidence TEXT, path TEXT, family TEXT, copies INTEGER, emails TEXT, onions TEXT,"
    " tox TEXT, btc TEXT, xmr TEXT, sha256 TEXT, source TEXT);"
    "CREATE TABLE enc(evidence TEXT, extension TEXT, count INTEGER, first TEXT, last TEXT, example TEXT);"
    "CREATE TABLE logons(evidence TEXT, type INTEGER, source_ip TEXT, workstation TEXT, users TEXT,"
    " count INTEGER, first TEXT, last TEXT);"
    "CREATE TABLE failed(evidence TEXT, target_user TEXT, source_ip TEXT, workstation TEXT, count INTEGER,"
    " first TEXT, last TEXT);"
    "CREATE TABLE accounts(evidence TEXT, name TEXT, rid INTEGER, admin INTEGER, enabled INTEGER, origin TEXT);"
    "CREATE TABLE posture(evidence TEXT, severity TEXT, area TEXT, finding TEXT, value TEXT);"
    "CREATE TABLE creds(evidence TEXT, volume TEXT, account TEXT, rid INTEGER, digest TEXT, key_id TEXT);"
    "CREATE TABLE persist(evidence TEXT, kind TEXT, name TEXT, command TEXT, first TEXT, last TEXT);"
    "CREATE TABLE tools(evidence TEXT, executable TEXT, flag TEXT, runs INTEGER, last TEXT);"
    /* flagged executables on disk, flagged services of the SYSTEM hive */
    "CREATE TABLE ondisk(evidence TEXT, tool TEXT, name TEXT, path TEXT, sha256 TEXT, matched_by TEXT, ran TEXT);"
    "CREATE TABLE svc(evidence TEXT, name TEXT, image TEXT, dll TEXT, flag TEXT, written TEXT);"
    /* the "on which hosts" subqueries look rows up by these */
    "CREATE INDEX hosts_ev ON hosts(evidence);"
    "CREATE INDEX logons_src ON logons(type, source_ip);"
    "CREATE INDEX logons_ev ON logons(evidence);"
    "CREATE INDEX failed_src ON failed(source_ip);"
    "CREATE INDEX persist_name ON persist(kind, name COLLATE NOCASE);"
    "CREATE INDEX tools_exe ON tools(executable);"
    "CREATE INDEX ondisk_tool ON ondisk(tool);"
    "CREATE INDEX ondisk_ev ON ondisk(evidence);"
    "CREATE INDEX svc_name ON svc(name COLLATE NOCASE);"
    "CREATE INDEX svc_ev ON svc(evidence);"
    "CREATE INDEX creds_digest ON creds(digest);"
    "CREATE INDEX posture_finding ON posture(finding);";

static int bind_exec(sqlite3 *db, const char *sql, const char *id)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	for (int i = 1; i <= sqlite3_bind_parameter_count(s); i++)
		sqlite3_bind_text(s, i, id, -1, SQLITE_TRANSIENT);
	int r = sqlite3_step(s);
	sqlite3_finalize(s);
	return r == SQLITE_DONE ? 0 : -1;
}

#define REMOTE "source_ip IS NOT NULL AND source_ip NOT IN ('', '-', '::1', '127.0.0.1', 'LOCAL')"

static int fleet_has_col(sqlite3 *w, const char *table, const char *column)
{
	sqlite3_stmt *s = NULL;
	int r = 0;
	if (sqlite3_prepare_v2(w, "SELECT 1 FROM pragma_table_info(?1, 'e') WHERE name = ?2", -1, &s, NULL) == SQLITE_OK) {
		sqlite3_bind_text(s, 1, table, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, column, -1, SQLITE_STATIC);
		r = sqlite3_step(s) == SQLITE_ROW;
		sqlite3_finalize(s);
	}
	return r;
}

static void gather(sqlite3 *w, const char *id)
{
	static const struct {
		const char *need, *sql;
	} q[] = {
		{"encrypted_extensions", "INSERT INTO enc SELECT ?1, extension, count, first_mtime, last_mtime, example"
		                         " FROM e.encrypted_extensions"},
		{"logons", "INSERT INTO logons SELECT ?1, logon_type, source_ip, max(workstation),"
		           " group_concat(DISTINCT target_user), count(*), min(time), max(time) FROM e.logons"
		           " WHERE result = 'success' AND logon_type IN (3, 10) AND " REMOTE
		           " GROUP BY logon_type, source_ip"},
		{"failed_logons", "INSERT INTO failed SELECT ?1, target_user, source_ip, workstation, count, first_time,"
		                  " last_time FROM e.failed_logons"},
		{"logons", "INSERT INTO fhours SELECT ?1, substr(time,1,13), count(*) FROM e.logons"
		           " WHERE result = 'failure' AND length(time) >= 13 GROUP BY 2"},
		{"accounts", "INSERT INTO accounts SELECT ?1, name, rid, admin, enabled, origin FROM e.accounts"},
		{"posture", "INSERT INTO posture SELECT ?1, severity, area, finding, value FROM e.posture"},
		{"persistence", "INSERT INTO persist SELECT ?1, kind, min(name), max(command), min(time), max(time)"
		                " FROM e.persistence WHERE kind IN ('service', 'task') GROUP BY kind, lower(name)"},
		{"prefetch", "INSERT INTO tools SELECT ?1, upper(executable), max(flag), sum(run_count), max(last_run)"
		             " FROM e.prefetch WHERE flag IS NOT NULL AND flag <> '' GROUP BY upper(executable)"},
		{"executables", "INSERT INTO ondisk SELECT ?1, flag, replace(path, rtrim(path, replace(path, '/', '')), ''),"
		                " path, sha256, matched_by, NULL FROM e.executables WHERE flag IS NOT NULL AND flag <> ''"},
		{"services", "INSERT INTO svc SELECT ?1, name, image_path, service_dll, flag, last_written FROM e.services"
		             " WHERE flag IS NOT NULL AND flag <> '' AND coalesce(per_user, '') <> 'instance'"},
	};
	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++)
		if (fleet_has(w, q[i].need))
			bind_exec(w, q[i].sql, id);
	/* a tool on disk that prefetch shows run */
	if (fleet_has(w, "executables") && fleet_has(w, "prefetch"))
		bind_exec(w,
		          "UPDATE ondisk SET ran = (SELECT max(p.last_run) FROM e.prefetch p WHERE upper(p.executable) ="
		          " upper(ondisk.name)) WHERE evidence = ?1",
		          id);
	if (fleet_has(w, "ransom_notes"))
		bind_exec(w,
		          fleet_has_col(w, "ransom_notes", "xmr")
		              ? "INSERT INTO notes SELECT ?1, path, family, copies, emails, onions, tox, btc, xmr, sha256,"
		                " source FROM e.ransom_notes"
		              : "INSERT INTO notes SELECT ?1, path, family, copies, emails, onions, tox, btc, NULL, sha256,"
		                " source FROM e.ransom_notes",
		          id);
	/* digests are keyed per case (posture); the key id, when stored, keeps
	 * digests made with different keys apart */
	if (fleet_has(w, "credential_digests"))
		bind_exec(w,
		          fleet_has_col(w, "credential_digests", "key_id")
		              ? "INSERT INTO creds SELECT ?1, volume, account, rid, digest, key_id FROM e.credential_digests"
		                " WHERE digest IS NOT NULL AND digest <> ''"
		              : "INSERT INTO creds SELECT ?1, volume, account, rid, digest, NULL FROM e.credential_digests"
		                " WHERE digest IS NOT NULL AND digest <> ''",
		          id);

	rep_hostinfo h;
	sqlite3_stmt *s = NULL;
	char since[64] = "", until[64] = "";
	memset(&h, 0, sizeof(h));
	if (fleet_has(w, "host")) {
		/* rep_host works on "main": run its queries against e.* */
		char v[256];
		rep_q(w, "SELECT value FROM e.host WHERE key IN ('computer_name','tcpip_hostname') AND value <> ''"
		         " ORDER BY key = 'computer_name' DESC LIMIT 1",
		      h.name, sizeof(h.name));
		/* the name scope concluded (os_name), else SOFTWARE's product */
		rep_q(w, "SELECT value FROM e.host WHERE key IN ('os_name', 'os_product') AND value <> ''"
		         " ORDER BY key = 'os_name' DESC LIMIT 1",
		      h.os, sizeof(h.os));
		rep_q(w, "SELECT value FROM e.host WHERE key = 'os_build' AND value <> '' LIMIT 1", h.build, sizeof(h.build));
		rep_q(w, "SELECT value FROM e.host WHERE key IN ('timezone_key_name','timezone_standard_name') AND value <> ''"
		         " ORDER BY key = 'timezone_key_name' DESC LIMIT 1",
		      h.tz, sizeof(h.tz));
		rep_q(w, "SELECT value FROM e.host WHERE key = 'timezone_bias_minutes' AND value <> '' LIMIT 1", v, sizeof(v));
		if (v[0]) {
			h.bias = atoi(v);
			h.has_bias = 1;
		}
	}
	if (fleet_has(w, "scope_info")) {
		rep_q(w, "SELECT value FROM e.scope_info WHERE key = 'since'", since, sizeof(since));
		rep_q(w, "SELECT value FROM e.scope_info WHERE key = 'until'", until, sizeof(until));
	}
	long long tl = fleet_has(w, "timeline") ? rep_qi(w, "SELECT count(*) FROM e.timeline") : 0;
	/* the host's own verdict: found, none (measured) or not_measured */
	char enc_state[32] = "not_measured";
	if (fleet_has(w, "scope_info"))
		rep_q(w, "SELECT value FROM e.scope_info WHERE key = 'encryption'", enc_state, sizeof(enc_state));
	if (!enc_state[0] || !strcmp(enc_state, "not_measured"))
		snprintf(enc_state, sizeof(enc_state), "%s",
		         fleet_has(w, "encrypted_extensions") && rep_qi(w, "SELECT count(*) FROM e.encrypted_extensions")
		             ? "found" : "not_measured");
	/* a triage that lists every file (full profile) measured it, even when
	 * it did not record its verdict */
	if (!strcmp(enc_state, "not_measured") && fleet_has(w, "scope_info") &&
	    rep_qi(w, "SELECT count(*) FROM e.scope_info WHERE key = 'profile' AND value = 'full'") &&
	    !rep_qi(w, "SELECT count(*) FROM e.scope_info WHERE key = 'encryption'"))
		snprintf(enc_state, sizeof(enc_state), "none");
	if (sqlite3_prepare_v2(w,
	                       "INSERT INTO hosts(evidence, host, os, build, tz, bias, since, until, timeline, status,"
	                       " notes, copies, families, enc_files, enc_first, enc_last, extensions, failed, rdp_sources, enc_state)"
	                       " SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'read',"
	                       " (SELECT count(*) FROM notes WHERE evidence = ?1),"
	                       " (SELECT coalesce(sum(copies),0) FROM notes WHERE evidence = ?1),"
	                       " (SELECT group_concat(f, ', ') FROM (SELECT DISTINCT family AS f FROM notes"
	                       "   WHERE evidence = ?1 AND family IS NOT NULL ORDER BY family)),"
	                       " (SELECT coalesce(sum(count),0) FROM enc WHERE evidence = ?1),"
	                       " (SELECT min(first) FROM enc WHERE evidence = ?1),"
	                       " (SELECT max(last) FROM enc WHERE evidence = ?1),"
	                       " (SELECT group_concat(extension, ' ') FROM enc WHERE evidence = ?1),"
	                       " (SELECT coalesce(sum(count),0) FROM failed WHERE evidence = ?1),"
	                       " (SELECT count(DISTINCT source_ip) FROM logons WHERE evidence = ?1 AND type = 10), ?10",
	                       -1, &s, NULL) == SQLITE_OK) {
		sqlite3_bind_text(s, 1, id, -1, SQLITE_TRANSIENT);
		shodo_bind_text(s, 2, h.name);
		shodo_bind_text(s, 3, h.os);
		shodo_bind_text(s, 4, h.build);
		shodo_bind_text(s, 5, h.tz);
		if (h.has_bias)
			sqlite3_bind_int(s, 6, h.bias);
		shodo_bind_text(s, 7, since);
		shodo_bind_text(s, 8, until);
		sqlite3_bind_int64(s, 9, tl);
		shodo_bind_text(s, 10, enc_state);
		sqlite3_step(s);
		sqlite3_finalize(s);
	}
	/* who the machine is: its SID (SAM, SECURITY) and the system volume's
	 * serial number when triage recorded them */
	char sid[128] = "", vserial[64] = "";
	if (fleet_has(w, "host")) {
		rep_q(w, "SELECT value FROM e.host WHERE key = 'machine_sid' AND value <> '' LIMIT 1", sid, sizeof(sid));
		/* (triage's collection records it for each volume holding Windows:
		 * the one whose hives named the computer first) */
		rep_q(w, "SELECT value FROM e.host h WHERE key = 'volume_serial' AND value <> '' ORDER BY"
		         " volume IS (SELECT x.volume FROM e.host x WHERE x.key = 'computer_name' AND x.value <> '' LIMIT 1)"
		         " DESC, volume LIMIT 1",
		      vserial, sizeof(vserial));
	}
	/* the anchors each host's incident window was chosen from (scope) */
	if (fleet_has(w, "scope_info"))
		bind_exec(w,
		          "UPDATE hosts SET anchors = (SELECT value FROM e.scope_info WHERE key = 'window_anchors')"
		          " WHERE evidence = ?1",
		          id);
	if (fleet_has(w, "ransom_notes"))
		bind_exec(w,
		          "UPDATE hosts SET notes_first = (SELECT min(coalesce(crtime, mtime)) FROM e.ransom_notes),"
		          " notes_last = (SELECT max(coalesce(mtime, crtime)) FROM e.ransom_notes) WHERE evidence = ?1",
		          id);
	if (sqlite3_prepare_v2(w, "UPDATE hosts SET sid = ?2, vserial = ?3 WHERE evidence = ?1", -1, &s, NULL) == SQLITE_OK) {
		sqlite3_bind_text(s, 1, id, -1, SQLITE_TRANSIENT);
		shodo_bind_text(s, 2, sid);
		shodo_bind_text(s, 3, vserial);
		sqlite3_step(s);
		sqlite3_finalize(s);
	}
}

/* One machine triaged twice (from its E01 and from the device, or by two
 * responders) is one host: same machine SID and computer name (PCs cloned
 * without sysprep share a SID, never a name), or same computer name and
 * volume serial (also joining an item whose SID was not read to one whose
 * SID was).  The fleet counts each machine once, from the item with
 * the most timeline rows; the other items are listed beside it and keep
 * their own reports. */
static void fleet_dedupe(sqlite3 *w)
{
	static const char *const tables[] = {"notes", "enc", "logons", "failed", "accounts", "posture", "creds",
	                                     "persist", "tools", "fhours", "ondisk", "svc"};
	sqlite3_exec(w,
	             "UPDATE hosts SET machine = CASE"
	             " WHEN coalesce(sid, '') <> '' THEN 'sid:' || upper(sid) || '|' || lower(coalesce(host, ''))"
	             " WHEN coalesce(host, '') <> '' AND coalesce(vserial, '') <> '' THEN"
	             "  'vol:' || lower(host) || '|' || upper(vserial)"
	             " ELSE 'ev:' || evidence END;"
	             /* either rule is enough: an item whose SID could not be read
	              * (SAM encrypted, not collected) joins the item of the same
	              * name and volume serial whose SID was read */
	             "UPDATE hosts SET machine = coalesce((SELECT min(h2.machine) FROM hosts h2 WHERE h2.machine LIKE 'sid:%'"
	             " AND lower(h2.host) = lower(hosts.host) AND upper(h2.vserial) = upper(hosts.vserial)), machine)"
	             " WHERE machine LIKE 'vol:%';"
	             "CREATE INDEX hosts_machine ON hosts(machine);"
	             "UPDATE hosts SET primary_ = (evidence = (SELECT h2.evidence FROM hosts h2 WHERE h2.machine ="
	             " hosts.machine ORDER BY h2.timeline DESC, h2.evidence LIMIT 1)),"
	             " items = (SELECT group_concat(e, ' ') FROM (SELECT h2.evidence AS e FROM hosts h2 WHERE h2.machine ="
	             " hosts.machine ORDER BY h2.evidence))",
	             NULL, NULL, NULL);
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		char q[256];
		snprintf(q, sizeof(q), "DELETE FROM %s WHERE evidence IN (SELECT evidence FROM hosts WHERE primary_ = 0)",
		         tables[i]);
		sqlite3_exec(w, q, NULL, NULL, NULL);
	}
	sqlite3_exec(w,
	             "UPDATE hosts SET srcs = (SELECT group_concat(ip, ' ') FROM (SELECT DISTINCT source_ip AS ip FROM logons l"
	             " WHERE l.evidence = hosts.evidence ORDER BY 1))",
	             NULL, NULL, NULL);
}

/* ---- summary.txt ---- */

/* rows of a query printed with fmt-like layout by the caller; returns count */
static sqlite3_stmt *prep(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return NULL;
	return s;
}

static const char SQL_SHARED_SOURCES[] =
    "SELECT type, source_ip, count(DISTINCT evidence) AS hosts, sum(count),"
    " group_concat(DISTINCT users), min(first), max(last),"
    " (SELECT group_concat(hn, ', ') FROM (SELECT DISTINCT coalesce(h.host, h.evidence) AS hn FROM hosts h WHERE h.evidence IN"
    "   (SELECT l2.evidence FROM logons l2 WHERE l2.type = l.type AND l2.source_ip = l.source_ip) ORDER BY hn))"
    " FROM logons l GROUP BY type, source_ip ORDER BY type = 10 DESC, hosts DESC, sum(count) DESC";

static const char SQL_SHARED_ACCOUNTS[] =
    "SELECT name, count(DISTINCT evidence) AS hosts, sum(admin),"
    " group_concat(DISTINCT rid) FROM accounts GROUP BY lower(name) HAVING hosts > 1"
    " ORDER BY sum(admin) DESC, hosts DESC, name";

static const char SQL_PASSWORD_GROUPS[] =
    "SELECT group_concat(DISTINCT account), group_concat(DISTINCT rid), count(DISTINCT evidence) AS hosts,"
    " (SELECT group_concat(hn, ', ') FROM (SELECT DISTINCT coalesce(h.host, h.evidence) AS hn FROM hosts h WHERE h.evidence IN"
    "   (SELECT c2.evidence FROM creds c2 WHERE c2.digest = c.digest AND coalesce(c2.key_id,'') ="
    "    coalesce(c.key_id,'')) ORDER BY hn)), count(*)"
    " FROM creds c GROUP BY coalesce(key_id,''), digest HAVING hosts > 1 ORDER BY hosts DESC";

static const char SQL_SHARED_PERSIST[] =
    "SELECT kind, min(name), count(DISTINCT evidence) AS hosts, min(first), max(last), max(command),"
    " (SELECT group_concat(hn, ', ') FROM (SELECT DISTINCT coalesce(h.host, h.evidence) AS hn FROM hosts h WHERE h.evidence IN"
    "   (SELECT p2.evidence FROM persist p2 WHERE p2.kind = p.kind AND p2.name = p.name COLLATE NOCASE) ORDER BY hn))"
    " FROM persist p GROUP BY kind, lower(name) ORDER BY hosts DESC, min(first)";

static const char SQL_SHARED_TOOLS[] =
    "SELECT executable, max(flag), count(DISTINCT evidence) AS hosts, sum(runs), max(last),"
    " (SELECT group_concat(hn, ', ') FROM (SELECT DISTINCT coalesce(h.host, h.evidence) AS hn FROM hosts h WHERE h.evidence IN"
    "   (SELECT t2.evidence FROM tools t2 WHERE t2.executable = t.executable) ORDER BY hn))"
    " FROM tools t GROUP BY executable ORDER BY hosts DESC, max(last) DESC";

static const char SQL_TOOLS_ON_DISK[] =
    "SELECT tool, group_concat(DISTINCT name) AS names, count(DISTINCT evidence) AS hosts,"
    " count(DISTINCT CASE WHEN ran IS NOT NULL THEN evidence END) AS hosts_run,"
    " (SELECT group_concat(hn, ', ') FROM (SELECT DISTINCT coalesce(h.host, h.evidence) AS hn FROM hosts h WHERE h.evidence IN"
    "   (SELECT o2.evidence FROM ondisk o2 WHERE o2.tool = o.tool) ORDER BY hn)) AS host_names"
    " FROM ondisk o GROUP BY tool ORDER BY hosts DESC, tool";

static const char SQL_SERVICES_FLAGGED[] =
    "SELECT min(name) AS name, max(image) AS image, max(flag) AS flag, count(DISTINCT evidence) AS hosts,"
    " min(written) AS first_written,"
    " (SELECT group_concat(hn, ', ') FROM (SELECT DISTINCT coalesce(h.host, h.evidence) AS hn FROM hosts h WHERE h.evidence IN"
    "   (SELECT s2.evidence FROM svc s2 WHERE s2.name = s.name COLLATE NOCASE) ORDER BY hn)) AS host_names"
    " FROM svc s GROUP BY lower(name) ORDER BY hosts DESC, min(written), lower(name)";

static void fleet_summary(sqlite3 *w, FILE *fp, const char *dir, size_t n, const char *unread)
{
	char a[256], b[256], c[256], d[64], e[64];
	sqlite3_stmt *s;
	long long with_notes = rep_qi(w, "SELECT count(*) FROM hosts WHERE notes > 0 AND primary_ = 1");
	long long with_enc = rep_qi(w, "SELECT count(*) FROM hosts WHERE enc_files > 0 AND primary_ = 1");
	size_t items = n;
	n = (size_t)rep_qi(w, "SELECT count(*) FROM hosts WHERE primary_ = 1");
	fprintf(fp, _("shodo %s fleet summary: %zu evidence items (%zu hosts) triaged in %s\n"), SHODO_VERSION, items, n,
	        render_txt(dir, 80, a, sizeof(a)));
	if (items > n)
		fprintf(fp, _("SAME MACHINE SEEN TWICE: %zu evidence items are other views of a host (counted once)\n"), items - n);
	if (unread && *unread)
		fprintf(fp, _("NOT READ: %s\n"), render_txt(unread, 100, a, sizeof(a)));
	fputc('\n', fp);

	char fam[512];
	rep_q(w, "SELECT group_concat(f, ', ') FROM (SELECT DISTINCT family AS f FROM notes WHERE family IS NOT NULL"
	         " ORDER BY family)",
	      fam, sizeof(fam));
	fprintf(fp, _("RANSOM NOTES: on %lld of %zu hosts, %lld copies, family %s\n"), with_notes, n,
	        rep_qi(w, "SELECT coalesce(sum(copies),0) FROM notes"), fam[0] ? render_txt(fam, 80, a, sizeof(a)) : "unknown");
	if ((s = prep(w, "SELECT coalesce(host, evidence), evidence, copies, families FROM hosts WHERE notes > 0"
	                 " AND primary_ = 1 ORDER BY copies DESC LIMIT 5"))) {
		while (sqlite3_step(s) == SQLITE_ROW)
			fprintf(fp, _("  %s (%s): %lld copies, %s\n"), render_txt(rep_col(s, 0), 40, a, sizeof(a)),
			        render_txt(rep_col(s, 1), 40, b, sizeof(b)), sqlite3_column_int64(s, 2),
			        *rep_col(s, 3) ? render_txt(rep_col(s, 3), 60, c, sizeof(c)) : "family unknown");
		sqlite3_finalize(s);
	}
	if (with_notes > 5)
		fprintf(fp, _("  (+%lld more hosts: report.html)\n"), with_notes - 5);
	if (with_enc) {
		char first[64], last[64], fh[256], lh[256];
		rep_q(w, "SELECT min(enc_first) FROM hosts WHERE enc_files > 0 AND primary_ = 1", first, sizeof(first));
		rep_q(w, "SELECT max(enc_last) FROM hosts WHERE enc_files > 0 AND primary_ = 1", last, sizeof(last));
		rep_q(w, "SELECT coalesce(host, evidence) FROM hosts WHERE enc_files > 0 AND primary_ = 1 ORDER BY enc_first LIMIT 1", fh,
		      sizeof(fh));
		rep_q(w, "SELECT coalesce(host, evidence) FROM hosts WHERE enc_files > 0 AND primary_ = 1 ORDER BY enc_last DESC LIMIT 1", lh,
		      sizeof(lh));
		fprintf(fp, _("ENCRYPTION: on %lld hosts, %lld files, first %s (%s), last %s (%s)\n"), with_enc,
		        rep_qi(w, "SELECT sum(enc_files) FROM hosts WHERE primary_ = 1"), render_utcz(first, d, sizeof(d)), render_txt(fh, 40, a, sizeof(a)),
		        render_utcz(last, e, sizeof(e)), render_txt(lh, 40, b, sizeof(b)));
	}
	/* hosts where nothing was found are told apart from hosts not measured */
	long long enc_none = rep_qi(w, "SELECT count(*) FROM hosts WHERE enc_files = 0 AND enc_state = 'none' AND primary_ = 1");
	long long enc_unmeasured = rep_qi(w, "SELECT count(*) FROM hosts WHERE enc_files = 0 AND enc_state <> 'none' AND primary_ = 1");
	if (!with_enc)
		fprintf(fp, _("ENCRYPTION: none found on %lld hosts, NOT MEASURED on %lld\n"), enc_none, enc_unmeasured);
	else if (enc_none || enc_unmeasured)
		fprintf(fp, _("  none found on %lld hosts, NOT MEASURED on %lld\n"), enc_none, enc_unmeasured);
	if (enc_unmeasured) {
		char l[512];
		rep_q(w, "SELECT group_concat(coalesce(host, evidence), ', ') FROM (SELECT host, evidence FROM hosts"
		         " WHERE enc_files = 0 AND enc_state <> 'none' ORDER BY evidence LIMIT 8)",
		      l, sizeof(l));
		fprintf(fp, _("  not measured: %s%s\n"), render_txt(l, 90, a, sizeof(a)), enc_unmeasured > 8 ? ", ..." : "");
	}

	long long nsrc = rep_qi(w, "SELECT count(*) FROM (SELECT 1 FROM logons GROUP BY type, source_ip)");
	fprintf(fp, _("LOGON SOURCES (RDP type 10, network type 3): %lld\n"), nsrc);
	if ((s = prep(w, SQL_SHARED_SOURCES))) {
		int k = 0;
		while (sqlite3_step(s) == SQLITE_ROW && k < 6) {
			fprintf(fp, _("  type %d %s: %lld hosts (%s), %lld logons as %s, %s .. %s\n"), sqlite3_column_int(s, 0),
			        render_txt(rep_col(s, 1), 40, a, sizeof(a)), sqlite3_column_int64(s, 2),
			        render_txt(rep_col(s, 7), 50, b, sizeof(b)), sqlite3_column_int64(s, 3),
			        render_txt(rep_col(s, 4), 40, c, sizeof(c)), render_utcz(rep_col(s, 5), d, sizeof(d)), render_utcz(rep_col(s, 6), e, sizeof(e)));
			k++;
		}
		sqlite3_finalize(s);
	}
	if (nsrc > 6)
		fprintf(fp, _("  (+%lld more: report.html)\n"), nsrc - 6);

	long long nfail = rep_qi(w, "SELECT coalesce(sum(count),0) FROM failed");
	fprintf(fp, _("FAILED LOGONS: %lld on %lld hosts\n"), nfail, rep_qi(w, "SELECT count(DISTINCT evidence) FROM failed"));
	if ((s = prep(w, "SELECT max(target_user), source_ip, count(DISTINCT evidence), sum(count), min(first), max(last)"
	                 " FROM failed GROUP BY lower(coalesce(target_user,'')), coalesce(source_ip,'')"
	                 " ORDER BY sum(count) DESC LIMIT 4"))) {
		while (sqlite3_step(s) == SQLITE_ROW)
			fprintf(fp, _("  %s from %s: %lld on %lld hosts, %s .. %s\n"), render_txt(rep_col(s, 0), 30, a, sizeof(a)),
			        *rep_col(s, 1) ? render_txt(rep_col(s, 1), 40, b, sizeof(b)) : "?", sqlite3_column_int64(s, 3),
			        sqlite3_column_int64(s, 2), render_utcz(rep_col(s, 4), d, sizeof(d)), render_utcz(rep_col(s, 5), e, sizeof(e)));
		sqlite3_finalize(s);
	}

	long long nacc = rep_qi(w, "SELECT count(*) FROM (SELECT 1 FROM accounts GROUP BY lower(name)"
	                           " HAVING count(DISTINCT evidence) > 1)");
	fprintf(fp, _("ACCOUNTS ON SEVERAL HOSTS: %lld\n"), nacc);
	if ((s = prep(w, SQL_SHARED_ACCOUNTS))) {
		int k = 0;
		while (sqlite3_step(s) == SQLITE_ROW && k++ < 4)
			fprintf(fp, _("  %s: %lld hosts, administrator on %lld\n"), render_txt(rep_col(s, 0), 40, a, sizeof(a)),
			        sqlite3_column_int64(s, 1), sqlite3_column_int64(s, 2));
		sqlite3_finalize(s);
	}

	long long npers = rep_qi(w, "SELECT count(*) FROM (SELECT 1 FROM persist GROUP BY kind, lower(name))");
	fprintf(fp, _("SERVICES AND TASKS INSTALLED: %lld distinct, %lld on several hosts\n"), npers,
	        rep_qi(w, "SELECT count(*) FROM (SELECT 1 FROM persist GROUP BY kind, lower(name)"
	                  " HAVING count(DISTINCT evidence) > 1)"));
	if ((s = prep(w, SQL_SHARED_PERSIST))) {
		int k = 0;
		while (sqlite3_step(s) == SQLITE_ROW && k++ < 3)
			fprintf(fp, _("  %s %s: %lld hosts, first %s, %s\n"), rep_col(s, 0), render_txt(rep_col(s, 1), 30, a, sizeof(a)),
			        sqlite3_column_int64(s, 2), render_utcz(rep_col(s, 3), d, sizeof(d)), render_txt(rep_col(s, 5), 50, b, sizeof(b)));
		sqlite3_finalize(s);
	}
	long long ntools = rep_qi(w, "SELECT count(DISTINCT executable) FROM tools");
	if (ntools) {
		fprintf(fp, _("TOOLS RUN (flagged, prefetch): %lld on %lld hosts\n"), ntools,
		        rep_qi(w, "SELECT count(DISTINCT evidence) FROM tools"));
		if ((s = prep(w, SQL_SHARED_TOOLS))) {
			int k = 0;
			while (sqlite3_step(s) == SQLITE_ROW && k++ < 3)
				fprintf(fp, _("  %s (%s): %lld hosts, last %s\n"), render_txt(rep_col(s, 0), 30, a, sizeof(a)),
				        render_txt(rep_col(s, 1), 30, b, sizeof(b)), sqlite3_column_int64(s, 2), render_utcz(rep_col(s, 4), d, sizeof(d)));
			sqlite3_finalize(s);
		}
	} else {
		fprintf(fp, _("TOOLS RUN (flagged, prefetch): none\n"));
	}
	long long nod = rep_qi(w, "SELECT count(DISTINCT tool) FROM ondisk");
	if (nod) {
		fprintf(fp, _("TOOLS ON DISK (flagged, user-writable places): %lld on %lld hosts\n"), nod,
		        rep_qi(w, "SELECT count(DISTINCT evidence) FROM ondisk"));
		if ((s = prep(w, SQL_TOOLS_ON_DISK))) {
			int k = 0;
			while (sqlite3_step(s) == SQLITE_ROW && k++ < 5)
				fprintf(fp, _("  %s (%s): %lld hosts (%s), seen run on %lld\n"), render_txt(rep_col(s, 0), 40, a, sizeof(a)),
				        render_txt(rep_col(s, 1), 40, b, sizeof(b)), sqlite3_column_int64(s, 2),
				        render_txt(rep_col(s, 4), 60, c, sizeof(c)), sqlite3_column_int64(s, 3));
			sqlite3_finalize(s);
		}
		if (nod > 5)
			fprintf(fp, _("  (+%lld more: report.html)\n"), nod - 5);
	} else {
		fprintf(fp, _("TOOLS ON DISK (flagged, user-writable places): none\n"));
	}
	long long nsvc = rep_qi(w, "SELECT count(*) FROM (SELECT 1 FROM svc GROUP BY lower(name))");
	if (nsvc) {
		fprintf(fp, _("SERVICES FLAGGED (SYSTEM hive): %lld on %lld hosts\n"), nsvc,
		        rep_qi(w, "SELECT count(DISTINCT evidence) FROM svc"));
		if ((s = prep(w, SQL_SERVICES_FLAGGED))) {
			int k = 0;
			while (sqlite3_step(s) == SQLITE_ROW && k++ < 5)
				fprintf(fp, _("  %s: %lld hosts (%s), %s (%s)\n"), render_txt(rep_col(s, 0), 30, a, sizeof(a)),
				        sqlite3_column_int64(s, 3), render_txt(rep_col(s, 5), 60, c, sizeof(c)),
				        render_txt(rep_col(s, 1), 60, b, sizeof(b)), render_txt(rep_col(s, 2), 60, e, sizeof(e)));
			sqlite3_finalize(s);
		}
		if (nsvc > 5)
			fprintf(fp, _("  (+%lld more: report.html)\n"), nsvc - 5);
	}

	long long ncred = rep_qi(w, "SELECT count(*) FROM creds");
	if (ncred) {
		long long groups = rep_qi(w, "SELECT count(*) FROM (SELECT 1 FROM creds GROUP BY coalesce(key_id,''), digest"
		                             " HAVING count(DISTINCT evidence) > 1)");
		fprintf(fp, _("SHARED LOCAL PASSWORDS: %lld groups\n"), groups);
		if ((s = prep(w, SQL_PASSWORD_GROUPS))) {
			int k = 0;
			while (sqlite3_step(s) == SQLITE_ROW && k++ < 4)
				fprintf(fp, _("  %s (RID %s): same password on %lld hosts (%s)\n"), render_txt(rep_col(s, 0), 40, a, sizeof(a)),
				        render_txt(rep_col(s, 1), 20, c, sizeof(c)), sqlite3_column_int64(s, 2),
				        render_txt(rep_col(s, 3), 60, b, sizeof(b)));
			sqlite3_finalize(s);
		}
	} else {
		fprintf(fp, _("SHARED LOCAL PASSWORDS: not measured (no credential digests)\n"));
	}
	if (rep_qi(w, "SELECT count(*) FROM posture")) {
		char v[512];
		rep_q(w, "SELECT group_concat(n || ' ' || severity, ', ') FROM (SELECT severity, count(*) AS n FROM posture"
		         " GROUP BY severity ORDER BY CASE lower(severity) WHEN 'critical' THEN 0 WHEN 'high' THEN 1"
		         " WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END)",
		      v, sizeof(v));
		fprintf(fp, _("POSTURE: %s\n"), render_txt(v, 100, a, sizeof(a)));
	}
	fputc('\n', fp);
	fprintf(fp, _("Per host (evidence items, host, notes, encrypted files, failed logons, RDP sources):\n"));
	if ((s = prep(w, "SELECT evidence, host, copies, CASE WHEN enc_files > 0 THEN CAST(enc_files AS TEXT)"
	                 " WHEN enc_state = 'none' THEN 'none' ELSE 'unmeasured' END, failed, rdp_sources, items FROM hosts"
	                 " WHERE primary_ = 1 ORDER BY evidence"))) {
		int k = 0;
		while (sqlite3_step(s) == SQLITE_ROW && k++ < 12)
			fprintf(fp, "  %-16s %-20s notes %-6lld encrypted %-10s failed %-7lld rdp %lld\n",
			        render_txt(rep_col(s, 6), 40, a, sizeof(a)), render_txt(*rep_col(s, 1) ? rep_col(s, 1) : "?", 20, b, sizeof(b)),
			        sqlite3_column_int64(s, 2), rep_col(s, 3), sqlite3_column_int64(s, 4),
			        sqlite3_column_int64(s, 5));
		sqlite3_finalize(s);
		if (n > 12)
			fprintf(fp, _("  (+%zu more: report.html)\n"), n - 12);
	}
	/* each host's incident window and the anchors it was chosen from: the
	 * kind and date of each (every anchor in full: the host's summary.txt) */
	if ((s = prep(w, "SELECT coalesce(nullif(host, ''), evidence), since, until, anchors FROM hosts"
	                 " WHERE primary_ = 1 AND since IS NOT NULL ORDER BY since, evidence"))) {
		int k = 0;
		while (sqlite3_step(s) == SQLITE_ROW) {
			if (k++ == 0)
				fprintf(fp, _("Incident windows (per host, and the anchors they were chosen from):\n"));
			if (k > 12)
				continue;
			char brief[1024], line[1024], e1[64], e2[64];
			size_t bl = 0;
			brief[0] = '\0';
			/* anchors: "2024-03-01T01:00:00Z brute force: detail" one a line */
			for (const char *p = rep_col(s, 3); *p >= '0' && *p <= '9';) {
				const char *nl = strchr(p, '\n');
				size_t len = nl ? (size_t)(nl - p) : strlen(p);
				if (len > 21 && bl < sizeof(brief))
					bl += (size_t)snprintf(brief + bl, sizeof(brief) - bl, "%s%.*s %.10s", bl ? ", " : "",
					                       (int)strcspn(p + 21, ":\n"), p + 21, p);
				if (!nl)
					break;
				p = nl + 1;
			}
			fprintf(fp, "  %-20s %s .. %s%s%s\n", render_txt(rep_col(s, 0), 20, a, sizeof(a)),
			        render_utcz(rep_col(s, 1), e1, sizeof(e1)), render_utcz(rep_col(s, 2), e2, sizeof(e2)),
			        brief[0] ? ": " : _(": no anchor (the 30 days before the newest event)"),
			        render_txt(brief, 150, line, sizeof(line)));
		}
		sqlite3_finalize(s);
		if (k > 12)
			fprintf(fp, _("  (+%d more: report.html)\n"), k - 12);
	}
	fprintf(fp, _("Details: report.html; per host: <ID>/triage/summary.txt, report.html\n"));
}

/* ---- report.html: a tool, not a printout ---- */

/* "host names" cell: each host linked to one of its CSVs */
#define HOSTS_LINKED(csv, cond)                                                                              \
	"(SELECT group_concat(hn || char(9) || ev || '/triage/" csv "', char(10)) FROM (SELECT DISTINCT"          \
	" coalesce(nullif(h.host, ''), h.evidence) AS hn, h.evidence AS ev FROM hosts h WHERE h.evidence IN (" cond \
	") ORDER BY hn))"

/* image hashes and verification of each item, from its acquisition.json */
static void fleet_images(sqlite3 *w, const char *dir)
{
	sqlite3_stmt *s = NULL, *u = NULL;
	if (sqlite3_prepare_v2(w, "SELECT evidence FROM hosts", -1, &s, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(w, "UPDATE hosts SET image = ?2 WHERE evidence = ?1", -1, &u, NULL) != SQLITE_OK) {
		sqlite3_finalize(s);
		return;
	}
	while (sqlite3_step(s) == SQLITE_ROW) {
		char p[4200], b[1024];
		const char *id = (const char *)sqlite3_column_text(s, 0);
		snprintf(p, sizeof(p), "%s/%s/image/acquisition.json", dir, id);
		json_t *j = json_load_file(p, 0, NULL);
		if (!j)
			continue;
		json_t *h = json_object_get(j, "hashes"), *v = json_object_get(j, "verification");
		const char *res = json_string_value(json_object_get(v, "result"));
		snprintf(b, sizeof(b), "MD5 %s\nSHA-256 %s\n%s", json_string_value(json_object_get(h, "md5")) ?: "-",
		         json_string_value(json_object_get(h, "sha256")) ?: "-",
		         res ? res : "not verified after acquisition");
		sqlite3_reset(u);
		sqlite3_bind_text(u, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(u, 2, b, -1, SQLITE_TRANSIENT);
		sqlite3_step(u);
		json_decref(j);
	}
	sqlite3_finalize(s);
	sqlite3_finalize(u);
}

static json_t *rows_compact(sqlite3 *w, const char *sql)
{
	json_t *a = json_array();
	sqlite3_stmt *s = prep(w, sql);
	while (s && sqlite3_step(s) == SQLITE_ROW) {
		json_t *r = json_array();
		for (int i = 0; i < sqlite3_column_count(s); i++)
			json_array_append_new(r, sqlite3_column_type(s, i) == SQLITE_NULL ? json_null() : page_str(rep_col(s, i)));
		json_array_append_new(a, r);
	}
	sqlite3_finalize(s);
	return a;
}

static json_t *pairs(sqlite3 *w, const char *sql)
{
	json_t *a = json_array();
	sqlite3_stmt *s = prep(w, sql);
	while (s && sqlite3_step(s) == SQLITE_ROW)
		json_array_append_new(a, json_pack("[o, I]", page_str(rep_col(s, 0)), (json_int_t)sqlite3_column_int64(s, 1)));
	sqlite3_finalize(s);
	return a;
}

static void card(FILE *fp, long long v, const char *label)
{
	fprintf(fp, "<div class=\"card\"><b>%lld</b>", v);
	render_html(fp, label);
	fputs("</div>", fp);
}

static void fleet_html(sqlite3 *w, FILE *fp, const char *summary, const char *dir, size_t items)
{
	rep_hostinfo noh;
	json_t *data = json_object(), *tables = json_object(), *charts = json_object(), *sources = json_array();
	char caption[256];
	memset(&noh, 0, sizeof(noh));
	fleet_images(w, dir);
	char *svg = graph_lateral_svg(w, sources, caption, sizeof(caption));

	page_start(fp, _("shodo fleet report"), rep_lang());
	fputs("<h1>", fp);
	render_html(fp, _("shodo fleet report"));
	fputs("</h1>\n<p class=\"muted\">", fp);
	render_html(fp, _("Times are UTC. Every host links to its own report (local times, the source of every row); "
	                  "every row links to the CSV and the copied artifact it came from."));
	fputs("</p>\n<nav>", fp);
	static const struct {
		const char *id, *label;
	} nav[] = {{"spread", N_("spread")},          {"lateral", N_("lateral movement")}, {"failedchart", N_("failed logons")},
	           {"hosts", N_("hosts")},            {"notes", N_("ransom notes")},       {"sources", N_("logon sources")},
	           {"failed", N_("failed logons by account")}, {"accounts", N_("accounts")}, {"persist", N_("services")},
	           {"tools", N_("tools")},            {"ondisk", N_("tools on disk")}, {"services", N_("services flagged")},
	           {"passwords", N_("shared passwords")}, {"posture", N_("posture")},
	           {"summary", N_("summary")}};
	for (size_t i = 0; i < sizeof(nav) / sizeof(nav[0]); i++) {
		fprintf(fp, "<a href=\"#%s\">", nav[i].id);
		render_html(fp, _(nav[i].label));
		fputs("</a>", fp);
	}
	fputs("</nav>\n<div class=\"cards\">", fp);
	card(fp, rep_qi(w, "SELECT count(*) FROM hosts WHERE primary_ = 1"), _("hosts"));
	card(fp, (long long)items, _("evidence items"));
	card(fp, rep_qi(w, "SELECT count(*) FROM hosts WHERE primary_ = 1 AND notes > 0"), _("hosts with ransom notes"));
	card(fp, rep_qi(w, "SELECT count(*) FROM hosts WHERE primary_ = 1 AND enc_files > 0"), _("hosts with encrypted files"));
	card(fp, rep_qi(w, "SELECT count(*) FROM hosts WHERE primary_ = 1 AND enc_files = 0 AND enc_state <> 'none'"),
	     _("hosts where encryption was not measured"));
	card(fp, rep_qi(w, "SELECT count(DISTINCT source_ip) FROM logons"), _("remote logon sources"));
	card(fp, rep_qi(w, "SELECT count(*) FROM (SELECT 1 FROM failed WHERE source_ip IS NOT NULL GROUP BY source_ip"
	                   " HAVING sum(count) >= 10)"),
	     _("sources with 10 or more failed logons"));
	fputs("</div>\n", fp);

	page_h2(fp, "spread", _("The spread: encryption window per host"));
	fputs("<p class=\"muted\">", fp);
	render_html(fp, _("From the first to the last encrypted file or ransom note on each host, sorted by start: the "
	                  "first bar is patient zero. Click a bar to find the host below."));
	fputs("</p>\n<div class=\"scrollbox\"><div class=\"chartbox\" id=\"spread-box\"><canvas id=\"c-spread\"></canvas>"
	      "</div></div>\n",
	      fp);
	json_object_set_new(
	    charts, "spread",
	    rows_compact(w, "SELECT coalesce(nullif(host, ''), evidence), s, e FROM (SELECT host, evidence,"
	                    " CASE WHEN enc_first IS NULL THEN notes_first WHEN notes_first IS NULL OR enc_first < notes_first"
	                    " THEN enc_first ELSE notes_first END AS s,"
	                    " CASE WHEN enc_last IS NULL THEN notes_last WHEN notes_last IS NULL OR enc_last > notes_last"
	                    " THEN enc_last ELSE notes_last END AS e FROM hosts WHERE primary_ = 1)"
	                    " WHERE s IS NOT NULL ORDER BY s, 1"));

	page_h2(fp, "lateral", _("Lateral movement: logon sources to hosts (RDP type 10, network type 3)"));
	fputs("<p class=\"muted\">", fp);
	render_html(fp, _("Hosts reached by the same sources are one node; edges give the logon type, the number of "
	                  "logons and the first time; red octagons are sources with 10 or more failed logons (brute "
	                  "force). Click a node to list its hosts."));
	fputs(" ", fp);
	render_html(fp, caption);
	fputs("</p>\n<div id=\"graph\">", fp);
	if (svg)
		fputs(svg, fp);   /* Graphviz's SVG: labels escaped by it, see graph.c */
	else {
		fputs("<p class=\"muted\">", fp);
		render_html(fp, _("no remote logon (type 3 or 10) on any host"));
		fputs("</p>", fp);
	}
	free(svg);
	fputs("</div>\n", fp);
	json_object_set_new(data, "sources", sources);

	page_h2(fp, "failedchart", _("Failed logons across the fleet"));
	fputs("<div class=\"chartbox\"><canvas id=\"c-failed\"></canvas></div>\n<div class=\"row2\"><div><h3>", fp);
	render_html(fp, _("Top accounts"));
	fputs("</h3><div class=\"chartbox\"><canvas id=\"c-top-accounts\"></canvas></div></div><div><h3>", fp);
	render_html(fp, _("Top sources"));
	fputs("</h3><div class=\"chartbox\"><canvas id=\"c-top-sources\"></canvas></div></div></div>\n", fp);
	json_object_set_new(charts, "failed_hours",
	                    pairs(w, "SELECT hour, sum(count) FROM fhours GROUP BY hour ORDER BY hour"));
	json_object_set_new(charts, "top_accounts",
	                    pairs(w, "SELECT max(coalesce(target_user, '?')), sum(count) FROM failed"
	                             " GROUP BY lower(coalesce(target_user, '')) ORDER BY 2 DESC LIMIT 10"));
	json_object_set_new(charts, "top_sources",
	                    pairs(w, "SELECT coalesce(source_ip, '?'), sum(count) FROM failed GROUP BY source_ip"
	                             " ORDER BY 2 DESC LIMIT 10"));

	page_h2(fp, "hosts", _("Hosts"));
	page_table_slot(fp, "hosts");
	{
		const char *hd[] = {_("host"), _("evidence items"), _("OS"), _("build"), _("time zone"),
		                    _("machine SID, system volume serial"), _("ransom note copies"),
		                    _("families"), _("encrypted files"), _("extensions"), _("encryption start"),
		                    _("encryption end"), _("failed logons"), _("RDP sources"), _("tools on disk"),
		                    _("services flagged (SYSTEM hive)"), _("timeline rows"),
		                    _("image hashes and verification"), _("CSV"), _("incident window and its anchors"),
		                    _("logon sources"), _("group")};
		json_object_set_new(
		    tables, "hosts",
		    page_table(w, &noh,
		               "SELECT coalesce(nullif(host, ''), evidence) || char(9) || evidence || '/triage/report.html',"
		               " (SELECT group_concat(h2.evidence || char(9) || h2.evidence || '/triage/report.html', char(10))"
		               "  FROM hosts h2 WHERE h2.machine = h.machine),"
		               " os, build, tz, nullif(trim(coalesce('SID ' || nullif(sid, ''), '') || char(10) ||"
		               " coalesce('volume ' || nullif(vserial, ''), ''), char(10)), ''), copies, families,"
		               " CASE WHEN enc_files > 0 OR enc_state = 'none' THEN enc_files END, extensions, enc_first,"
		               " enc_last, failed, rdp_sources,"
		               " (SELECT group_concat(t, char(10)) FROM (SELECT o.tool || ': ' || group_concat(DISTINCT o.name) AS t"
		               "  FROM ondisk o WHERE o.evidence = h.evidence GROUP BY o.tool ORDER BY o.tool)),"
		               " (SELECT group_concat(v.name, char(10)) FROM (SELECT name FROM svc WHERE svc.evidence = h.evidence"
		               "  ORDER BY lower(name)) v), timeline,"
		               " (SELECT group_concat(h2.evidence || ': ' || h2.image, char(10)) FROM hosts h2"
		               "  WHERE h2.machine = h.machine AND h2.image IS NOT NULL),"
		               " 'ransom_notes.csv' || char(9) || evidence || '/triage/ransom_notes.csv' || char(10) ||"
		               " 'logons.csv' || char(9) || evidence || '/triage/logons.csv' || char(10) ||"
		               " 'timeline.csv' || char(9) || evidence || '/triage/timeline.csv',"
		               /* (the page's filters take the last two columns) */
		               " CASE WHEN since IS NOT NULL THEN since || ' .. ' || until || char(10) ||"
		               " coalesce(anchors, '') END, srcs, 'g' || grp"
		               " FROM hosts h WHERE primary_ = 1 ORDER BY enc_first IS NULL, enc_first, evidence",
		               hd, "aLssssnsmsttnnssncLshh"));
	}
	page_h2(fp, "notes", _("Ransom notes"));
	page_table_slot(fp, "notes");
	{
		const char *hd[] = {_("host"), _("path"), _("family"), _("copies"), _("emails"), _("onion"), _("tox"),
		                    _("bitcoin"), _("monero"), _("sha256"), _("copied file"), _("CSV")};
		json_object_set_new(
		    tables, "notes",
		    page_table(w, &noh,
		               "SELECT coalesce(nullif(h.host, ''), n.evidence) || char(9) || n.evidence || '/triage/report.html',"
		               " path, family, n.copies, emails, onions, tox, btc, xmr, sha256,"
		               " CASE WHEN source LIKE n.evidence || '/%' THEN 'file' || char(9) || source END,"
		               " 'ransom_notes.csv' || char(9) || n.evidence || '/triage/ransom_notes.csv'"
		               " FROM notes n JOIN hosts h ON h.evidence = n.evidence ORDER BY sha256, n.evidence",
		               hd, "assnccccccaa"));
	}
	page_h2(fp, "sources", _("RDP (type 10) and network (type 3) logon sources across hosts"));
	page_table_slot(fp, "sources");
	{
		const char *hd[] = {_("type"), _("source IP"), _("workstation"), _("hosts"), _("logons"), _("accounts"),
		                    _("first"), _("last"), _("failed logons from it"), _("hosts (logons.csv)")};
		json_object_set_new(
		    tables, "sources",
		    page_table(w, &noh,
		               "SELECT type, source_ip, max(workstation), count(DISTINCT evidence) AS hn, sum(count),"
		               " group_concat(DISTINCT users), min(first), max(last),"
		               " (SELECT coalesce(sum(f.count), 0) FROM failed f WHERE f.source_ip = l.source_ip), " HOSTS_LINKED(
		                   "logons.csv", "SELECT l2.evidence FROM logons l2 WHERE l2.type = l.type AND l2.source_ip = l.source_ip")
		               " FROM logons l GROUP BY type, source_ip ORDER BY type = 10 DESC, hn DESC, sum(count) DESC",
		               hd, "nssnnsttnL"));
	}
	page_h2(fp, "failed", _("Failed logons by account and source, across hosts"));
	page_table_slot(fp, "failed");
	{
		const char *hd[] = {_("account"), _("source IP"), _("hosts"), _("count"), _("first"), _("last"),
		                    _("hosts (failed_logons.csv)")};
		json_object_set_new(
		    tables, "failed",
		    page_table(w, &noh,
		               "SELECT max(target_user), source_ip, count(DISTINCT evidence), sum(count), min(first), max(last), " HOSTS_LINKED(
		                   "failed_logons.csv",
		                   "SELECT f2.evidence FROM failed f2 WHERE lower(coalesce(f2.target_user, '')) ="
		                   " lower(coalesce(f.target_user, '')) AND coalesce(f2.source_ip, '') = coalesce(f.source_ip, '')")
		               " FROM failed f GROUP BY lower(coalesce(target_user, '')), coalesce(source_ip, '')"
		               " ORDER BY sum(count) DESC",
		               hd, "ssnnttL"));
	}
	page_h2(fp, "accounts", _("Accounts seen on several hosts"));
	page_table_slot(fp, "accounts");
	{
		const char *hd[] = {_("account"), _("hosts"), _("administrator on"), _("RIDs"), _("hosts (accounts.csv)")};
		json_object_set_new(
		    tables, "accounts",
		    page_table(w, &noh,
		               "SELECT name, count(DISTINCT evidence) AS hn, sum(admin), group_concat(DISTINCT rid), " HOSTS_LINKED(
		                   "accounts.csv", "SELECT a2.evidence FROM accounts a2 WHERE lower(a2.name) = lower(a.name)")
		               " FROM accounts a GROUP BY lower(name) HAVING hn > 1 ORDER BY sum(admin) DESC, hn DESC, name",
		               hd, "snnsL"));
	}
	page_h2(fp, "persist", _("Services and scheduled tasks installed, across hosts"));
	page_table_slot(fp, "persist");
	{
		const char *hd[] = {_("kind"), _("name"), _("hosts"), _("first"), _("last"), _("command"),
		                    _("hosts (persistence.csv)")};
		json_object_set_new(
		    tables, "persist",
		    page_table(w, &noh,
		               "SELECT kind, min(name), count(DISTINCT evidence) AS hn, min(first), max(last), max(command), " HOSTS_LINKED(
		                   "persistence.csv",
		                   "SELECT p2.evidence FROM persist p2 WHERE p2.kind = p.kind AND p2.name = p.name COLLATE NOCASE")
		               " FROM persist p GROUP BY kind, lower(name) ORDER BY hn DESC, min(first)",
		               hd, "ssnttcL"));
	}
	page_h2(fp, "tools", _("Flagged tools run (prefetch), across hosts"));
	page_table_slot(fp, "tools");
	{
		const char *hd[] = {_("executable"), _("flag"), _("hosts"), _("runs"), _("last run"), _("hosts (prefetch.csv)")};
		json_object_set_new(
		    tables, "tools",
		    page_table(w, &noh,
		               "SELECT executable, max(flag), count(DISTINCT evidence) AS hn, sum(runs), max(last), " HOSTS_LINKED(
		                   "prefetch.csv", "SELECT t2.evidence FROM tools t2 WHERE t2.executable = t.executable")
		               " FROM tools t GROUP BY executable ORDER BY hn DESC, max(last) DESC",
		               hd, "ssnntL"));
	}
	page_h2(fp, "ondisk", _("Tools on disk (flagged executables in user-writable places), across hosts"));
	page_table_slot(fp, "ondisk");
	{
		const char *hd[] = {_("tool"), _("file names"), _("hosts"), _("seen run on (prefetch)"), _("last run"),
		                    _("sha256"), _("hosts (executables.csv)")};
		json_object_set_new(
		    tables, "ondisk",
		    page_table(w, &noh,
		               "SELECT tool, group_concat(DISTINCT name), count(DISTINCT evidence) AS hn,"
		               " count(DISTINCT CASE WHEN ran IS NOT NULL THEN evidence END), max(ran),"
		               " (SELECT group_concat(x, char(10)) FROM (SELECT DISTINCT o2.sha256 AS x FROM ondisk o2"
		               "  WHERE o2.tool = o.tool AND o2.sha256 IS NOT NULL ORDER BY 1)), " HOSTS_LINKED(
		                   "executables.csv", "SELECT o2.evidence FROM ondisk o2 WHERE o2.tool = o.tool")
		               " FROM ondisk o GROUP BY tool ORDER BY hn DESC, tool",
		               hd, "ssnntcL"));
	}
	page_h2(fp, "services", _("Services flagged in the SYSTEM hive, across hosts"));
	page_table_slot(fp, "services");
	{
		const char *hd[] = {_("service"), _("image"), _("service DLL"), _("flag"), _("hosts"), _("first key write"),
		                    _("last key write"), _("hosts (services.csv)")};
		json_object_set_new(
		    tables, "services",
		    page_table(w, &noh,
		               "SELECT min(name), max(image), max(dll), max(flag), count(DISTINCT evidence) AS hn, min(written),"
		               " max(written), " HOSTS_LINKED(
		                   "services.csv", "SELECT s2.evidence FROM svc s2 WHERE s2.name = s.name COLLATE NOCASE")
		               " FROM svc s GROUP BY lower(name) ORDER BY hn DESC, min(written), lower(name)",
		               hd, "scccnttL"));
	}
	page_h2(fp, "passwords", _("Local accounts sharing one password (equal keyed digests)"));
	page_table_slot(fp, "passwords");
	{
		const char *hd[] = {_("accounts"), _("RIDs"), _("hosts"), _("host names"), _("accounts in group")};
		json_object_set_new(tables, "passwords", page_table(w, &noh, SQL_PASSWORD_GROUPS, hd, "ssnsn"));
	}
	page_h2(fp, "posture", _("Posture findings"));
	page_table_slot(fp, "posture");
	{
		const char *hd[] = {_("severity"), _("area"), _("finding"), _("hosts"), _("hosts (posture.csv)")};
		json_object_set_new(
		    tables, "posture",
		    page_table(w, &noh,
		               "SELECT severity, area, finding, count(DISTINCT evidence), " HOSTS_LINKED(
		                   "posture.csv", "SELECT p2.evidence FROM posture p2 WHERE p2.finding = p.finding")
		               " FROM posture p GROUP BY severity, area, finding"
		               " ORDER BY CASE lower(severity) WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2"
		               " WHEN 'low' THEN 3 ELSE 4 END, count(DISTINCT evidence) DESC",
		               hd, "sssnL"));
	}
	page_h2(fp, "summary", _("Summary"));
	fputs("<details open><summary>summary.txt</summary><pre>", fp);
	render_html(fp, summary);
	fputs("</pre></details>\n", fp);
	fprintf(fp, "<p class=\"muted\">shodo %s</p>\n", SHODO_VERSION);
	json_object_set_new(data, "kind", json_string("fleet"));
	json_object_set_new(data, "tables", tables);
	json_object_set_new(data, "charts", charts);
	json_object_set_new(data, "i18n", rep_page_words());
	page_end(fp, data);
}

/* ---- JSON ---- */

static json_t *rows_json(sqlite3 *w, const char *sql)
{
	json_t *arr = json_array();
	sqlite3_stmt *s = prep(w, sql);
	if (!s)
		return arr;
	int nc = sqlite3_column_count(s);
	while (sqlite3_step(s) == SQLITE_ROW) {
		json_t *o = json_object();
		for (int i = 0; i < nc; i++) {
			const char *name = sqlite3_column_name(s, i);
			switch (sqlite3_column_type(s, i)) {
			case SQLITE_INTEGER: json_object_set_new(o, name, json_integer(sqlite3_column_int64(s, i))); break;
			case SQLITE_NULL: json_object_set_new(o, name, json_null()); break;
			default: json_object_set_new(o, name, json_string(rep_col(s, i)));
			}
		}
		json_array_append_new(arr, o);
	}
	sqlite3_finalize(s);
	return arr;
}

static shodo_status write_out(shodo_case *kase, const char *name, const char *data, shodo_err *err)
{
	char p[4200];
	shodo_digests d;
	snprintf(p, sizeof(p), "%s/%s", shodo_case_dir(kase), name);
	if (shodo_write_file_atomic(p, data, strlen(data), 0600) < 0)
		return shodo_err_set(err, SHODO_FATAL, errno, "cannot write '%s'", p);
	memset(&d, 0, sizeof(d));
	shodo_hash_file(p, SHODO_HASH_SHA256, &d, NULL);
	return shodo_case_custody(kase, "report", NULL, name, d.sha256[0] ? d.sha256 : NULL,
	                          "fleet view rebuilt from the evidence items' triage.db", err);
}

shodo_status shodo_fleet_report(const shodo_report_opts *o, json_t **result, shodo_err *err)
{
	shodo_case *kase = o->kase;
	const char *sign_key = o->sign_key;
	const shodo_sink *sink = o->sink;
	int cancelled = 0;
	const char *dir = shodo_case_dir(kase);
	char **ids = NULL, *summary = NULL, *html = NULL, *unread = NULL, *handover = NULL;
	int pdf_done = 0;
	size_t n = 0, sl = 0, hl = 0, ul = 0;
	sqlite3 *w = NULL;
	shodo_status rc = SHODO_OK;
	int bad = 0;
	if (result)
		*result = NULL;
	if (fleet_list(dir, &ids, &n) < 0)
		return shodo_err_set(err, SHODO_FATAL, errno, "cannot read case folder '%s'", dir);
	if (!n) {
		rc = shodo_err_set(err, SHODO_FAILED, 0, "no triaged evidence in '%s'", dir);
		shodo_err_hint(err, "run 'shodo triage SOURCE --case %s --evidence ID' first", dir);
		goto out;
	}
	if (sqlite3_open_v2(":memory:", &w, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI, NULL) !=
	        SQLITE_OK ||
	    sqlite3_exec(w, work_schema, NULL, NULL, NULL) != SQLITE_OK) {
		rc = shodo_err_set(err, SHODO_FATAL, 0, "fleet report: %s", w ? sqlite3_errmsg(w) : "out of memory");
		goto out;
	}
	/* a triage still writing its database holds its lock for a moment */
	sqlite3_busy_timeout(w, 10000);
	FILE *uf = open_memstream(&unread, &ul);
	for (size_t i = 0; i < n && !(cancelled = shodo_cancelled(o->cancel)); i++) {
		char why[512];
		if (fleet_attach(w, dir, ids[i], why, sizeof(why)) < 0) {
			shodo_emit(sink, SHODO_EV_WARN, "report", "cannot read '%s/triage/triage.db': %s", ids[i], why);
			if (uf)
				fprintf(uf, "%s%s (%s)", bad ? "; " : "", ids[i], why);
			bad++;
			continue;
		}
		sqlite3_exec(w, "BEGIN", NULL, NULL, NULL);
		gather(w, ids[i]);
		sqlite3_exec(w, "COMMIT", NULL, NULL, NULL);
		sqlite3_exec(w, "DETACH DATABASE e", NULL, NULL, NULL);
		shodo_emit(sink, SHODO_EV_PROGRESS, "report", "%zu/%zu", i + 1, n);
	}
	fleet_dedupe(w);
	if (uf)
		fclose(uf);
	if (cancelled) {
		rc = shodo_err_set(err, SHODO_CANCELLED, 0, "fleet report cancelled");
		goto out;
	}
	FILE *fp = open_memstream(&summary, &sl);
	if (!fp) {
		rc = shodo_err_set(err, SHODO_FATAL, ENOMEM, "fleet report");
		goto out;
	}
	fleet_summary(w, fp, dir, n - (size_t)bad, unread);
	fclose(fp);
	fp = open_memstream(&html, &hl);
	if (!fp) {
		rc = shodo_err_set(err, SHODO_FATAL, ENOMEM, "fleet report");
		goto out;
	}
	fleet_html(w, fp, summary, dir, n - (size_t)bad);
	fclose(fp);
	if ((rc = write_out(kase, "summary.txt", summary, err)) != SHODO_OK ||
	    (rc = write_out(kase, "report.html", html, err)) != SHODO_OK)
		goto out;
	/* the handover sheet names the custody head and SHA256SUMS as they are
	 * before it: the sums first */
	if ((rc = shodo_case_refresh_sums(kase, sign_key, err)) != SHODO_OK)
		goto out;
	handover = handover_html(dir, w, shodo_case_examiner(kase));
	if (!handover) {
		rc = shodo_err_set(err, SHODO_FATAL, ENOMEM, "handover sheet");
		goto out;
	}
	if ((rc = write_out(kase, "handover.html", handover, err)) != SHODO_OK)
		goto out;
	{
		char why[512], p[4200];
		snprintf(p, sizeof(p), "%s/handover.pdf", dir);
		if (o->no_pdf) {
			unlink(p);
		} else if (handover_pdf(dir, "handover.html", "handover.pdf", why, sizeof(why)) == 0) {
			shodo_digests d;
			memset(&d, 0, sizeof(d));
			shodo_hash_file(p, SHODO_HASH_SHA256, &d, NULL);
			if ((rc = shodo_case_custody(kase, "report", NULL, "handover.pdf", d.sha256[0] ? d.sha256 : NULL,
			                             "handover.html printed by headless Chromium", err)) != SHODO_OK)
				goto out;
			pdf_done = 1;
		} else {
			unlink(p);   /* never an old sheet beside a new one */
			shodo_emit(sink, SHODO_EV_WARN, "report", "handover.pdf not written: %s", why);
		}
	}
	if ((rc = shodo_case_refresh_sums(kase, sign_key, err)) != SHODO_OK)
		goto out;
	if (result) {
		json_t *r = json_object();
		json_object_set_new(r, "case", json_string(dir));
		json_object_set_new(r, "evidence_items", json_integer((json_int_t)n));
		json_object_set_new(r, "unreadable", json_integer(bad));
		json_object_set_new(r, "summary", json_string(summary));
		json_object_set_new(r, "hosts", rows_json(w, "SELECT * FROM hosts ORDER BY evidence"));
		json_object_set_new(r, "ransom_notes", rows_json(w, "SELECT * FROM notes ORDER BY evidence"));
		json_object_set_new(r, "logon_sources", rows_json(w, SQL_SHARED_SOURCES));
		json_object_set_new(r, "shared_accounts", rows_json(w, SQL_SHARED_ACCOUNTS));
		json_object_set_new(r, "shared_password_groups", rows_json(w, SQL_PASSWORD_GROUPS));
		json_object_set_new(r, "persistence", rows_json(w, SQL_SHARED_PERSIST));
		json_object_set_new(r, "tools", rows_json(w, SQL_SHARED_TOOLS));
		json_object_set_new(r, "tools_on_disk", rows_json(w, SQL_TOOLS_ON_DISK));
		json_object_set_new(r, "services_flagged", rows_json(w, SQL_SERVICES_FLAGGED));
		json_object_set_new(r, "files", json_pack("[sss]", "summary.txt", "report.html", "handover.html"));
		if (pdf_done)
			json_array_append_new(json_object_get(r, "files"), json_string("handover.pdf"));
		*result = r;
	}
	if (bad) {
		rc = shodo_err_set(err, SHODO_WARN, 0, "%d of %zu evidence databases could not be read: %s", bad, n,
		                   unread ? unread : "");
	}
out:
	free(summary);
	free(html);
	free(handover);
	free(unread);
	if (w)
		sqlite3_close(w);
	fleet_list_free(ids, n);
	return rc;
}
