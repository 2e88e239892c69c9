/* Unit tests for triage/scope/scope.c: an in-memory store filled with rows like
 * the collector and the parsers write, then the scoping answers checked. */
#include "unit.h"
#include "triage/scope/scope.h"
#include "shodo/util.h"
#include <sys/stat.h>

static shodo_store *st;

static void sql(const char *q)
{
	shodo_err e;
	if (shodo_store_exec(st, q, &e) != SHODO_OK) {
		fprintf(stderr, "sql failed: %s: %s\n", q, e.msg);
		exit(2);
	}
}

static long long q_int(const char *q)
{
	sqlite3_stmt *s = NULL;
	long long v = -1;
	if (sqlite3_prepare_v2(shodo_store_db(st), q, -1, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, "bad query %s: %s\n", q, sqlite3_errmsg(shodo_store_db(st)));
		return -2;
	}
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static char qbuf[4096];
static const char *q_str(const char *q)
{
	sqlite3_stmt *s = NULL;
	qbuf[0] = 0;
	if (sqlite3_prepare_v2(shodo_store_db(st), q, -1, &s, NULL) != SQLITE_OK)
		return "(bad query)";
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		snprintf(qbuf, sizeof(qbuf), "%s", (const char *)sqlite3_column_text(s, 0));
	else
		snprintf(qbuf, sizeof(qbuf), "(null)");
	sqlite3_finalize(s);
	return qbuf;
}

static shodo_status run(time_t since, time_t until, shodo_triage_ctx *ctx)
{
	shodo_err e;
	memset(ctx, 0, sizeof(*ctx));
	ctx->store = st;
	ctx->since = since;
	ctx->until = until;
	shodo_status rc = shodo_scope_run(ctx, &e);
	if (rc != SHODO_OK)
		fprintf(stderr, "scope: %s\n", e.msg);
	return rc;
}

static void fresh(void)
{
	shodo_err e;
	if (st)
		shodo_store_close(st);
	if (shodo_store_open(":memory:", &st, &e) != SHODO_OK) {
		fprintf(stderr, "store: %s\n", e.msg);
		exit(2);
	}
}

TEST(appended_extensions)
{
	CHECK(shodo_scope_appended("report.docx.lockbit", "lockbit"));
	CHECK(shodo_scope_appended("Q3 figures.xlsx.id[1E857D00-2275].[restore@mail.cc].eking", "eking"));
	CHECK(shodo_scope_appended("photo.JPG.a1b2c3d", "a1b2c3d"));
	CHECK(!shodo_scope_appended("report.docx", "docx"));
	CHECK(!shodo_scope_appended("kernel32.dll", "dll"));
	CHECK(!shodo_scope_appended("amd64_microsoft-windows-foo_31bf3856ad364e35_10.0.19041.1_none_x.manifest",
	                            "manifest"));
	CHECK(!shodo_scope_appended(".lockbit", "lockbit"));
	CHECK(!shodo_scope_appended("lockbit", "lockbit"));
}

TEST(failed_logons_grouped)
{
	fresh();
	sql("INSERT INTO logons(time,event_id,result,logon_type,target_user,source_ip,workstation,status,source,record)"
	    " VALUES"
	    "('2024-03-01T01:00:00Z',4625,'failure',3,'Administrator','10.1.1.5','CATERING01','0xc000006d/0xc000006a','s',1),"
	    "('2024-03-01T01:00:05Z',4625,'failure',3,'administrator','10.1.1.5','CATERING01','0xc000006d/0xc000006a','s',2),"
	    "('2024-03-01T01:02:00Z',4625,'failure',10,'ADMINISTRATOR','10.1.1.5','CATERING01','0xc000006d/0xc0000064','s',3),"
	    "('2024-03-01T00:59:00Z',4625,'failure',3,'Administrator','10.1.1.5','CATERING01','0xc000006d/0xc000006a','s',4),"
	    "('2024-03-01T02:00:00Z',4625,'failure',3,'backup','10.9.9.9',NULL,NULL,'s',5),"
	    "('2024-03-01T03:00:00Z',4624,'success',10,'Administrator','10.1.1.5','CATERING01',NULL,'s',6),"
	    /* a guessing tool: random workstation names from one address */
	    "('2024-03-01T04:00:00Z',4625,'failure',3,'guest','10.7.7.7','QWERTY1',NULL,'s',7),"
	    "('2024-03-01T04:00:01Z',4625,'failure',3,'guest','10.7.7.7','ASDFGH2',NULL,'s',8),"
	    "('2024-03-01T04:00:02Z',4625,'failure',3,'guest','10.7.7.7','ZXCVBN3',NULL,'s',9),"
	    /* no address: the workstation tells the sources apart */
	    "('2024-03-01T05:00:00Z',4625,'failure',2,'anna','-','PC1',NULL,'s',10),"
	    "('2024-03-01T05:00:01Z',4625,'failure',2,'anna',NULL,'PC2',NULL,'s',11)");
	shodo_triage_ctx ctx;
	CHECK_INT(run(0, 0, &ctx), SHODO_OK);
	CHECK_INT(q_int("SELECT count(*) FROM failed_logons"), 5);
	CHECK_INT(q_int("SELECT count FROM failed_logons WHERE source_ip='10.7.7.7'"), 3);
	CHECK_STR(q_str("SELECT workstation FROM failed_logons WHERE source_ip='10.7.7.7'"), "ASDFGH2 (+2 more)");
	CHECK_INT(q_int("SELECT count(*) FROM failed_logons WHERE target_user='anna' AND source_ip IS NULL"), 2);
	CHECK_INT(q_int("SELECT count FROM failed_logons WHERE lower(target_user)='administrator'"), 4);
	CHECK_INT(q_int("SELECT count(*) FROM failed_logons WHERE target_user='backup'"), 1);
	CHECK_STR(q_str("SELECT first_time FROM failed_logons WHERE source_ip='10.1.1.5'"), "2024-03-01T00:59:00Z");
	CHECK_STR(q_str("SELECT target_user FROM failed_logons WHERE source_ip='10.1.1.5'"), "Administrator");
	CHECK_STR(q_str("SELECT last_time FROM failed_logons WHERE source_ip='10.1.1.5'"), "2024-03-01T01:02:00Z");
	CHECK_STR(q_str("SELECT logon_types FROM failed_logons WHERE source_ip='10.1.1.5'"), "3,10");
	CHECK_STR(q_str("SELECT statuses FROM failed_logons WHERE source_ip='10.1.1.5'"),
	          "0xc000006d/0xc0000064,0xc000006d/0xc000006a");
	CHECK_STR(q_str("SELECT workstation FROM failed_logons WHERE source_ip='10.1.1.5'"), "CATERING01");
	/* the group points at its first attempt */
	CHECK_INT(q_int("SELECT record FROM failed_logons WHERE source_ip='10.1.1.5'"), 4);
	CHECK_STR(q_str("SELECT source FROM failed_logons WHERE source_ip='10.1.1.5'"), "s");
	/* the biggest group first */
	CHECK_STR(q_str("SELECT source_ip FROM failed_logons ORDER BY rowid LIMIT 1"), "10.1.1.5");
}

static void add_file(const char *path, const char *mtime, const char *cat, const char *extracted)
{
	const char *name = strrchr(path, '/');
	name = name ? name + 1 : path;
	const char *dot = strrchr(name, '.');
	sqlite3_stmt *s = NULL;
	sqlite3_prepare_v2(shodo_store_db(st),
	                   "INSERT INTO files(volume,path,name,ext,inode,size,allocated,is_dir,mtime,ctime,crtime,"
	                   "category,extracted) VALUES('p2',?,?,?,?,100,1,0,?,?,?,?,?)",
	                   -1, &s, NULL);
	static int inode = 100;
	sqlite3_bind_text(s, 1, path, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	if (dot && dot != name)
		sqlite3_bind_text(s, 3, dot + 1, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 4, inode++);
	sqlite3_bind_text(s, 5, mtime, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, mtime, -1, SQLITE_STATIC);
	/* a note is born when it is written; other files long before */
	sqlite3_bind_text(s, 7, cat ? mtime : "2023-01-01T00:00:00Z", -1, SQLITE_STATIC);
	if (cat)
		sqlite3_bind_text(s, 8, cat, -1, SQLITE_STATIC);
	if (extracted)
		sqlite3_bind_text(s, 9, extracted, -1, SQLITE_STATIC);
	sqlite3_step(s);
	sqlite3_finalize(s);
}

TEST(encryption_window_and_notes)
{
	fresh();
	char p[256], t[32];
	/* 40 encrypted user files over 20 minutes, 30 shortcuts to documents,
	 * 30 language resources, 3 files that only look doubled */
	for (int i = 0; i < 40; i++) {
		snprintf(p, sizeof(p), "Users/anna/Documents/file%02d.%s.lockbit", i, i % 2 ? "docx" : "pdf");
		snprintf(t, sizeof(t), "2024-03-02T03:%02d:00Z", 10 + i / 2);
		add_file(p, t, NULL, NULL);
	}
	for (int i = 0; i < 30; i++) {
		snprintf(p, sizeof(p), "Users/anna/AppData/Roaming/Microsoft/Windows/Recent/r%02d.docx.lnk", i);
		add_file(p, "2024-02-01T10:00:00Z", NULL, NULL);
		snprintf(p, sizeof(p), "Windows/System32/en-US/lib%02d.dll.mui", i);
		add_file(p, "2019-12-07T09:10:00Z", NULL, NULL);
	}
	add_file("Users/anna/notes.v1.2.final", "2024-03-02T01:00:00Z", NULL, NULL);
	add_file("Users/anna/Desktop/README.txt", "2024-03-02T03:09:00Z", "ransom_note", "EV1/triage/files/p2/n1");
	add_file("Users/anna/Documents/README.txt", "2024-03-02T03:11:00Z", "ransom_note", "EV1/triage/files/p2/n1");
	add_file("Users/bob/README.txt", "2024-03-02T03:20:00Z", "ransom_note", "EV1/triage/files/p2/n1");
	sql("INSERT INTO ransom_notes(path,volume,size,sha256,score,family,copies,source,crtime)"
	    " VALUES('Users/anna/Desktop/README.txt','p2',100,'aa',90,'lockbit',1,'EV1/triage/files/p2/n1',"
	    "'2024-03-02T03:09:00Z')");
	sql("INSERT INTO events(time,category,event_id,user,target,detail,source,record) VALUES"
	    "('2024-03-02T02:00:00Z','service_installed',7045,'LocalSystem','PSEXESVC','C:\\\\Windows\\\\PSEXESVC.exe',"
	    "'EV1/System.evtx',77)");
	sql("INSERT INTO prefetch(executable,run_count,last_run,last_runs,source) VALUES('PSEXEC.EXE',2,"
	    "'2024-03-02T01:50:00Z','[\"2024-03-02T01:50:00Z\", \"2024-03-01T23:00:00Z\"]','EV1/pf/PSEXEC.EXE-1.pf')");
	shodo_triage_ctx ctx;
	CHECK_INT(run(0, 0, &ctx), SHODO_OK);
	CHECK_INT(q_int("SELECT count(*) FROM encrypted_extensions"), 1);
	CHECK_STR(q_str("SELECT extension FROM encrypted_extensions"), ".lockbit");
	CHECK_INT(q_int("SELECT count FROM encrypted_extensions"), 40);
	CHECK_STR(q_str("SELECT first_mtime FROM encrypted_extensions"), "2024-03-02T03:10:00Z");
	CHECK_STR(q_str("SELECT last_mtime FROM encrypted_extensions"), "2024-03-02T03:29:00Z");
	CHECK_INT(q_int("SELECT record FROM encrypted_extensions"), 100);
	CHECK_INT(q_int("SELECT copies FROM ransom_notes"), 3);
	/* window: 30 days before the newest event (the last encrypted file) */
	CHECK_STR(q_str("SELECT value FROM scope_info WHERE key='until'"), "2024-03-02T03:29:01Z");
	CHECK_STR(q_str("SELECT value FROM scope_info WHERE key='since'"), "2024-02-01T03:29:01Z");
	time_t want;
	shodo_parse_iso("2024-03-02T03:29:01Z", &want);
	CHECK_INT(ctx.until, want);
	CHECK_INT(ctx.since, want - 30 * 86400);
	/* timeline: sorted, with every kind of fact */
	CHECK_INT(q_int("SELECT count(*) FROM timeline t1 JOIN timeline t2 ON t2.rowid = t1.rowid + 1"
	                " WHERE substr(t2.time,1,19) < substr(t1.time,1,19)"), 0);
	CHECK_INT(q_int("SELECT count(*) FROM timeline WHERE kind='program_run' AND what='PSEXEC.EXE'"), 2);
	CHECK_INT(q_int("SELECT count(*) FROM timeline WHERE kind='service_installed' AND record=77"), 1);
	CHECK_STR(q_str("SELECT time FROM timeline WHERE kind='encryption_start'"), "2024-03-02T03:10:00Z");
	CHECK_STR(q_str("SELECT time FROM timeline WHERE kind='ransom_note_first'"), "2024-03-02T03:09:00Z");
	/* file entries only inside the window: the .mui files of 2019 are not */
	CHECK_INT(q_int("SELECT count(*) FROM timeline WHERE kind='file' AND what LIKE '%.mui'"), 0);
	CHECK_INT(q_int("SELECT count(*) FROM timeline WHERE kind='file' AND what LIKE '%.lnk'"), 30);
	CHECK_INT(q_int("SELECT count(*) FROM timeline WHERE kind='file' AND what LIKE '%.lockbit'"), 40);

	/* explicit window: rerun over the same store replaces the answers */
	time_t s0, u0;
	shodo_parse_iso("2024-03-02T00:00:00Z", &s0);
	shodo_parse_iso("2024-03-03T00:00:00Z", &u0);
	CHECK_INT(run(s0, u0, &ctx), SHODO_OK);
	CHECK_INT(q_int("SELECT count(*) FROM encrypted_extensions"), 1);
	CHECK_INT(q_int("SELECT count(*) FROM timeline WHERE kind='file' AND what LIKE '%.lockbit'"), 40);
	CHECK_INT(q_int("SELECT count(*) FROM timeline WHERE kind='file' AND what LIKE '%.docx.lnk'"), 0);
	CHECK_INT(q_int("SELECT count(*) FROM timeline WHERE kind='file' AND what LIKE '%.lnk'"), 0);
	CHECK_STR(q_str("SELECT value FROM scope_info WHERE key='since'"), "2024-03-02T00:00:00Z");
	CHECK_STR(q_str("SELECT value FROM scope_info WHERE key='window_how'"), "--since and --until");
}

TEST(replaced_random_extension)
{
	fresh();
	char p[128];
	for (int i = 0; i < 60; i++) {
		snprintf(p, sizeof(p), "Data/scan%03d.x7k2q9", i);
		add_file(p, "2024-03-02T03:00:00Z", NULL, NULL);
	}
	for (int i = 0; i < 60; i++) {
		snprintf(p, sizeof(p), "Windows/servicing/Packages/p%03d.mum", i);
		add_file(p, "2020-01-01T00:00:00Z", NULL, NULL);
	}
	/* the names counted by the walk (both profiles) */
	sql("INSERT INTO ext_counts(volume, ext, files) VALUES('p2','x7k2q9',60),('p2','mum',60),('p2',NULL,0)");
	shodo_triage_ctx ctx;
	CHECK_INT(run(0, 0, &ctx), SHODO_OK);
	CHECK_INT(q_int("SELECT count(*) FROM encrypted_extensions"), 1);
	CHECK_STR(q_str("SELECT extension FROM encrypted_extensions"), ".x7k2q9");
	CHECK_STR(q_str("SELECT example FROM encrypted_extensions"), "p2:Data/scan000.x7k2q9");
	CHECK_STR(q_str("SELECT value FROM scope_info WHERE key='encryption'"), "found");
	/* no events: the window falls back to the newest time found */
	CHECK_STR(q_str("SELECT value FROM scope_info WHERE key='until'"), "2024-03-02T03:00:01Z");
}

TEST(empty_store)
{
	fresh();
	shodo_triage_ctx ctx;
	CHECK_INT(run(0, 0, &ctx), SHODO_OK);
	CHECK_INT(q_int("SELECT count(*) FROM timeline"), 0);
	CHECK_STR(q_str("SELECT value FROM scope_info WHERE key='window'"), "none");
	CHECK_STR(q_str("SELECT value FROM scope_info WHERE key='encryption'"), "not_measured");
	/* names counted, none appended: measured, nothing found */
	sql("INSERT INTO ext_counts(volume, ext, files) VALUES('p2','docx',10),('p2',NULL,0)");
	CHECK_INT(run(0, 0, &ctx), SHODO_OK);
	CHECK_STR(q_str("SELECT value FROM scope_info WHERE key='encryption'"), "none");
	CHECK_INT(ctx.since, 0);
}

TEST(window_from_anchors)
{
	fresh();
	char q[512], now_iso[32], t[32];
	time_t now = time(NULL);
	shodo_time_iso(now - 3600, now_iso);
	/* a brute force in 2016: 12 failures, then a success from that address */
	for (int i = 0; i < 12; i++) {
		snprintf(q, sizeof(q),
		         "INSERT INTO logons(time,event_id,result,logon_type,target_user,source_ip,source,record)"
		         " VALUES('2016-03-01T01:%02d:00Z',4625,'failure',3,'Administrator','203.0.113.9','s',%d)",
		         i, i + 1);
		sql(q);
	}
	sql("INSERT INTO logons(time,event_id,result,logon_type,target_user,source_ip,source,record)"
	    " VALUES('2016-03-01T02:00:00Z',4624,'success',10,'Administrator','203.0.113.9','s',20)");
	/* an ordinary typo in 2019: not an anchor */
	sql("INSERT INTO logons(time,event_id,result,logon_type,target_user,source_ip,source,record)"
	    " VALUES('2019-05-05T05:05:05Z',4625,'failure',2,'anna','-','s',30)");
	/* notes written an hour ago */
	add_file("Users/anna/Desktop/README.txt", now_iso, "ransom_note", "EV1/n1");
	snprintf(q, sizeof(q),
	         "INSERT INTO ransom_notes(path,volume,sha256,score,copies,source,crtime,mtime) VALUES"
	         "('Users/anna/Desktop/README.txt','p2','aa',90,1,'EV1/n1','%s','%s')",
	         now_iso, now_iso);
	sql(q);
	shodo_triage_ctx ctx;
	CHECK_INT(run(0, 0, &ctx), SHODO_OK);
	/* the window reaches back to a day before the brute force */
	CHECK_STR(q_str("SELECT value FROM scope_info WHERE key='since'"), "2016-02-29T01:00:00Z");
	time_t want;
	shodo_parse_iso("2016-02-29T01:00:00Z", &want);
	CHECK_INT(ctx.since, want);
	CHECK(ctx.until > now - 3600);
	CHECK(strstr(q_str("SELECT value FROM scope_info WHERE key='window_how'"), "first anchor") != NULL);
	const char *a = q_str("SELECT value FROM scope_info WHERE key='window_anchors'");
	/* earliest first, one a line */
	static const char first[] = "2016-03-01T01:00:00Z brute force: Administrator from 203.0.113.9, 12 failures\n";
	CHECK(!strncmp(a, first, strlen(first)));
	CHECK(strstr(a, "\n2016-03-01T02:00:00Z logon from a guessing source: Administrator type 10 from 203.0.113.9") != NULL);
	CHECK(strstr(a, "\n2016-03-01T02:00:00Z first RDP from a public address") != NULL);
	snprintf(t, sizeof(t), "%.19sZ ransom note", now_iso);
	CHECK(strstr(a, t) != NULL);
	CHECK(strstr(a, "2019") == NULL);
	/* the brute force is in the timeline of the window */
	CHECK_INT(q_int("SELECT count(*) FROM timeline WHERE kind='logon_failure' AND time LIKE '2016%'"), 12);

	/* an explicit window that leaves the brute force out says so */
	time_t s0 = now - 10 * 86400, u0 = now + 60;
	CHECK_INT(run(s0, u0, &ctx), SHODO_OK);
	CHECK(strstr(q_str("SELECT value FROM scope_info WHERE key='window_misses'"), "2016-03-01T01:00:00Z brute force") != NULL);
}

TEST(sessions_edge_cases)
{
	fresh();
	shodo_triage_ctx ctx;
	/* the same Security log collected twice (two copies, same records):
	 * one session, not two */
	for (int copy = 0; copy < 2; copy++) {
		char q[1024];
		snprintf(q, sizeof(q),
		         "INSERT INTO logons(time,event_id,result,logon_type,target_user,source_ip,logon_id,computer,source,"
		         "record) VALUES('2024-05-01T10:00:00.5Z',4624,'success',10,'eve','198.51.100.4','0x77','SRV1',"
		         "'copy%d/Security.evtx',40),('2024-05-01T12:00:00Z',4634,'logoff',10,'eve',NULL,'0x77','SRV1',"
		         "'copy%d/Security.evtx',41)",
		         copy, copy);
		sql(q);
	}
	/* Windows XP: 528 type 10 and its 538, logon IDs written "(0x0,0x3E7A1)" */
	sql("INSERT INTO logons(time,event_id,result,logon_type,target_user,source_ip,logon_id,computer,source,record)"
	    " VALUES('2009-01-02T03:04:05Z',528,'success',10,'Administrator','192.0.2.8','(0x0,0x3E7A1)','OLDBOX',"
	    "'SecEvent.Evt',7),('2009-01-02T04:00:00Z',538,'logoff',10,'Administrator',NULL,'(0x0,0x3E7A1)','OLDBOX',"
	    "'SecEvent.Evt',9)");
	/* a logoff of an RDP logon before the logs: a session without a start */
	sql("INSERT INTO logons(time,event_id,result,logon_type,target_user,source_ip,logon_id,computer,source,record)"
	    " VALUES('2024-05-01T09:00:00Z',4634,'logoff',10,'mallory',NULL,'0x99','SRV1','Security.evtx',3)");
	/* a service logon's 4672 (SYSTEM) and a type 5 logon: no session */
	sql("INSERT INTO logons(time,event_id,result,logon_type,target_user,source_ip,logon_id,computer,source,record)"
	    " VALUES('2024-05-01T09:30:00Z',4672,'admin',NULL,'SYSTEM',NULL,'0x3e7','SRV1','Security.evtx',4),"
	    "('2024-05-01T09:30:00Z',4624,'success',5,'SYSTEM',NULL,'0x3e7','SRV1','Security.evtx',5)");
	CHECK(run(0, 0, &ctx) == SHODO_OK);
	CHECK_INT(q_int("SELECT count(*) FROM sessions"), 3);
	CHECK_STR(q_str("SELECT start || '|' || end || '|' || state || '|' || event_count FROM sessions"
	                " WHERE account = 'eve'"),
	          "2024-05-01T10:00:00.5Z|2024-05-01T12:00:00Z|logoff|2");
	CHECK_STR(q_str("SELECT source_ip || '|' || end || '|' || state || '|' || logon_ids FROM sessions"
	                " WHERE account = 'Administrator'"),
	          "192.0.2.8|2009-01-02T04:00:00Z|logoff|0x3e7a1");
	CHECK_STR(q_str("SELECT coalesce(start, 'none') || '|' || end || '|' || state FROM sessions"
	                " WHERE account = 'mallory'"),
	          "none|2024-05-01T09:00:00Z|logoff");
	CHECK_INT(q_int("SELECT count(*) FROM logons WHERE target_user = 'SYSTEM' AND session IS NOT NULL"), 0);
	/* a rerun starts again */
	CHECK(run(0, 0, &ctx) == SHODO_OK);
	CHECK_INT(q_int("SELECT count(*) FROM sessions"), 3);
}

TEST(os_names)
{
	char b[128];
	shodo_scope_os_name(10, 0, 19045, "WinNT", b, sizeof(b));
	CHECK_STR(b, "Windows 10 22H2");
	shodo_scope_os_name(10, 0, 22631, NULL, b, sizeof(b));
	CHECK_STR(b, "Windows 11 23H2 or Windows Server 2022");
	shodo_scope_os_name(10, 0, 20348, NULL, b, sizeof(b));
	CHECK_STR(b, "Windows Server 2022");
	shodo_scope_os_name(10, 0, 17763, "LanmanNT", b, sizeof(b));
	CHECK_STR(b, "Windows Server 2019 (domain controller)");
	shodo_scope_os_name(6, 1, 7601, "WinNT", b, sizeof(b));
	CHECK_STR(b, "Windows 7");
	shodo_scope_os_name(5, 1, 2600, NULL, b, sizeof(b));
	CHECK_STR(b, "Windows XP");
	shodo_scope_os_name(5, 2, 3790, "ServerNT", b, sizeof(b));
	CHECK_STR(b, "Windows Server 2003");
	shodo_scope_os_name(7, 3, 1, NULL, b, sizeof(b));
	CHECK_STR(b, "Windows NT 7.3");
}


/* The failed logons and the timeline are computed in C from single passes
 * (triage/scope/failed.c, tlrows.c); the SQL they replaced is the reference
 * here, row by row and in order, on rows made to hit the corner cases: ties
 * in time, kind and what; NULL and empty values; names differing by case;
 * '-' addresses; logons and persistence rows also stored as events. */
static const char *const ref_failed =
    "CREATE TEMP TABLE rfl AS SELECT lower(coalesce(target_user,'')) || char(31) ||"
    " coalesce(nullif(source_ip,'-'),'') || char(31) || CASE WHEN coalesce(nullif(source_ip,'-'),'') = ''"
    " THEN lower(coalesce(workstation,'')) ELSE '' END AS k, target_user, nullif(source_ip,'-') AS source_ip,"
    " nullif(workstation,'-') AS workstation, time, logon_type, status, source, record FROM logons"
    " WHERE result = 'failure' OR event_id = 4625;"
    "CREATE INDEX temp.rfl_k ON rfl(k);"
    "CREATE TEMP TABLE ref_fl AS SELECT (SELECT f4.target_user FROM rfl f4 WHERE f4.k = rfl.k GROUP BY f4.target_user"
    "   ORDER BY count(*) DESC, f4.target_user LIMIT 1) AS target_user, max(source_ip) AS source_ip,"
    "  CASE WHEN count(DISTINCT workstation) <= 1 THEN max(workstation)"
    "   ELSE min(workstation) || ' (+' || (count(DISTINCT workstation) - 1) || ' more)' END AS workstation,"
    "  count(*) AS count, min(time) AS first_time, max(time) AS last_time,"
    "  (SELECT group_concat(t, ',') FROM (SELECT DISTINCT f2.logon_type AS t FROM rfl f2 WHERE f2.k = rfl.k"
    "    AND f2.logon_type IS NOT NULL ORDER BY f2.logon_type)) AS logon_types,"
    "  (SELECT group_concat(x, ',') FROM (SELECT DISTINCT f3.status AS x FROM rfl f3 WHERE f3.k = rfl.k"
    "    AND f3.status IS NOT NULL AND f3.status <> '' ORDER BY f3.status)) AS statuses,"
    "  (SELECT f5.source FROM rfl f5 WHERE f5.k = rfl.k ORDER BY f5.time, f5.record LIMIT 1) AS source,"
    "  (SELECT f6.record FROM rfl f6 WHERE f6.k = rfl.k ORDER BY f6.time, f6.record LIMIT 1) AS record"
    " FROM rfl GROUP BY k ORDER BY count(*) DESC, min(time);";

static const char *const ref_timeline =
    "CREATE TEMP TABLE rtl(time TEXT, kind TEXT, what TEXT, detail TEXT, source TEXT, record INTEGER);"
    "INSERT INTO rtl SELECT time, category, coalesce(nullif(target,''), user, ''),"
    " trim(coalesce(user,'') || CASE WHEN user <> '' AND detail <> '' THEN ': ' ELSE '' END ||"
    " coalesce(detail,'')) || ' (event ' || event_id || ')', source, record FROM events WHERE time <> '';"
    "INSERT INTO rtl SELECT time, 'logon_' || coalesce(result,''), coalesce(target_domain || '\\', '') ||"
    " coalesce(target_user,''), 'type ' || coalesce(logon_type,'?') ||"
    " coalesce(' from ' || nullif(source_ip,''), '') || coalesce(' (' || nullif(workstation,'') || ')', '') ||"
    " coalesce(' status ' || nullif(status,''), '') || ' (event ' || event_id || ')', source, record"
    " FROM logons l WHERE time <> '' AND NOT EXISTS (SELECT 1 FROM events e WHERE e.source = l.source"
    " AND e.record = l.record);"
    "INSERT INTO rtl SELECT time, CASE kind WHEN 'service_key' THEN 'service_key_written' ELSE kind || '_installed'"
    " END, name, trim(coalesce(command,'') || coalesce(' as ' || nullif(account,''), '')), source, record"
    " FROM persistence p WHERE time <> '' AND NOT EXISTS (SELECT 1 FROM events e WHERE e.source = p.source"
    " AND e.record = p.record);"
    "CREATE TEMP TABLE ref_tl AS SELECT * FROM rtl WHERE time IS NOT NULL AND time <> ''"
    " ORDER BY substr(time,1,19), time, kind, what;";

/* rows of table a and b that differ at the same rowid, and the counts */
static long long differ(const char *a, const char *b, const char *cols)
{
	char q[2048];
	snprintf(q, sizeof(q),
	         "SELECT (SELECT count(*) FROM %s) - (SELECT count(*) FROM %s) + (SELECT count(*) FROM"
	         " (SELECT rowid, %s FROM %s EXCEPT SELECT rowid, %s FROM %s))",
	         a, b, cols, a, cols, b);
	return q_int(q);
}

TEST(same_as_sql)
{
	fresh();
	/* one group: equal first attempts in two logs (the first row wins), two
	 * spellings as often (the smaller wins) */
	sql("INSERT INTO logons(time,event_id,result,logon_type,target_user,source_ip,source,record) VALUES"
	    "('2024-03-01T00:00:00Z',4625,'failure',3,'zed','10.9.9.9','B.evtx',5),"
	    "('2024-03-01T00:00:00Z',4625,'failure',3,'zed','10.9.9.9','A.evtx',5),"
	    "('2024-03-01T00:00:01Z',4625,'failure',3,'Zed','10.9.9.9','A.evtx',6),"
	    "('2024-03-01T00:00:02Z',4625,'failure',3,'Zed','10.9.9.9','A.evtx',7)");
	unsigned r = 7;
#define RND(n) ((r = r * 1103515245u + 12345u) >> 16) % (n)
	static const char *const users[] = {"Administrator", "administrator", "ADMINISTRATOR", "guest", "", NULL, "anna"};
	static const char *const ips[] = {"10.0.0.1", "-", "", NULL, "203.0.113.9", "10.0.0.2"};
	static const char *const wss[] = {"PC1", "pc1", "-", "", NULL, "QWERTY", "ZX"};
	static const char *const statuses[] = {"0xc000006d", "", NULL, "0xc000006a", "0xc0000064"};
	static const char *const cats[] = {"logon_failure", "log_cleared", "service_installed", "account_created",
	                                   "group_member_added", "process_suspicious"};
	sqlite3 *db = shodo_store_db(st);
	sqlite3_stmt *lo = NULL, *ev = NULL, *pe = NULL;
	sqlite3_prepare_v2(db,
	                   "INSERT INTO logons(time,event_id,result,logon_type,target_user,target_domain,source_ip,"
	                   "workstation,status,source,record) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
	                   -1, &lo, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO events(time,category,event_id,user,target,detail,source,record)"
	                       " VALUES(?,?,?,?,?,?,?,?)", -1, &ev, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO persistence(time,kind,name,command,account,source,record)"
	                       " VALUES(?,?,?,?,?,?,?)", -1, &pe, NULL);
	char t[64];
	for (int i = 0; i < 3000; i++) {
		/* few distinct times: many ties */
		unsigned m = RND(40);
		if (RND(50) == 0)
			snprintf(t, sizeof(t), "%s", RND(2) ? "" : "2024-03-01 00:00");
		else
			snprintf(t, sizeof(t), "2024-03-01T0%u:%02u:00%s", m / 10 % 10, m, RND(3) ? ".5Z" : "Z");
		const char *src = RND(4) ? "Security.evtx" : "Old/Security.evtx";
		int fail = RND(4) != 0;
		sqlite3_reset(lo);
		sqlite3_clear_bindings(lo);
		if (RND(60))
			sqlite3_bind_text(lo, 1, t, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(lo, 2, fail ? 4625 : 4624);
		if (RND(30))
			sqlite3_bind_text(lo, 3, fail ? "failure" : "success", -1, SQLITE_STATIC);
		if (RND(5))
			sqlite3_bind_int(lo, 4, (int[]){3, 10, 2, 7}[RND(4)]);
		const char *u = users[RND(7)], *ip = ips[RND(6)], *ws = wss[RND(7)], *stt = statuses[RND(5)];
		if (u)
			sqlite3_bind_text(lo, 5, u, -1, SQLITE_STATIC);
		if (RND(2))
			sqlite3_bind_text(lo, 6, "CORP", -1, SQLITE_STATIC);
		if (ip)
			sqlite3_bind_text(lo, 7, ip, -1, SQLITE_STATIC);
		if (ws)
			sqlite3_bind_text(lo, 8, ws, -1, SQLITE_STATIC);
		if (stt)
			sqlite3_bind_text(lo, 9, stt, -1, SQLITE_STATIC);
		sqlite3_bind_text(lo, 10, src, -1, SQLITE_STATIC);
		if (RND(40))
			sqlite3_bind_int(lo, 11, RND(300));
		sqlite3_step(lo);
		/* most logons are events too */
		if (RND(3)) {
			sqlite3_reset(ev);
			sqlite3_clear_bindings(ev);
			sqlite3_bind_text(ev, 1, t, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(ev, 2, cats[RND(6)], -1, SQLITE_STATIC);
			sqlite3_bind_int(ev, 3, 4625);
			if (u)
				sqlite3_bind_text(ev, 4, u, -1, SQLITE_STATIC);
			if (RND(2))
				sqlite3_bind_text(ev, 5, RND(2) ? "" : "T", -1, SQLITE_STATIC);
			if (RND(2))
				sqlite3_bind_text(ev, 6, RND(2) ? "admins" : "d", -1, SQLITE_STATIC);
			sqlite3_bind_text(ev, 7, src, -1, SQLITE_STATIC);
			sqlite3_bind_int(ev, 8, RND(300));
			sqlite3_step(ev);
		}
		if (RND(10) == 0) {
			sqlite3_reset(pe);
			sqlite3_clear_bindings(pe);
			sqlite3_bind_text(pe, 1, t, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(pe, 2, RND(2) ? "service" : "service_key", -1, SQLITE_STATIC);
			if (RND(4))
				sqlite3_bind_text(pe, 3, RND(2) ? "svc" : "Svc", -1, SQLITE_STATIC);
			sqlite3_bind_text(pe, 4, "C:\\x.exe", -1, SQLITE_STATIC);
			sqlite3_bind_text(pe, 6, src, -1, SQLITE_STATIC);
			sqlite3_bind_int(pe, 7, RND(2000));
			sqlite3_step(pe);
		}
	}
	sqlite3_finalize(lo);
	sqlite3_finalize(ev);
	sqlite3_finalize(pe);
#undef RND
	sql(ref_failed);
	sql(ref_timeline);
	shodo_triage_ctx ctx;
	CHECK_INT(run(0, 0, &ctx), SHODO_OK);
	CHECK(q_int("SELECT count(*) FROM failed_logons") > 10);
	CHECK_STR(q_str("SELECT source || ' ' || target_user FROM failed_logons WHERE source_ip = '10.9.9.9'"),
	          "B.evtx Zed");
	CHECK_INT(differ("temp.ref_fl", "failed_logons",
	                 "target_user, source_ip, workstation, count, first_time, last_time, logon_types, statuses,"
	                 " source, record"),
	          0);
	/* the timeline of these tables is the reference's, row for row */
	CHECK(q_int("SELECT count(*) FROM timeline") > 2000);
	CHECK_INT(differ("temp.ref_tl", "timeline", "time, kind, what, detail, source, record"), 0);
}

/* the OS from the newest boot event with its build (found in scope.c's pass
 * over the events): equal times give the first row, as ORDER BY ... DESC
 * LIMIT 1 did */
TEST(os_from_newest_boot)
{
	fresh();
	sql("INSERT INTO events(time,category,event_id,provider,detail,source,record) VALUES"
	    "('2024-03-01T07:00:00Z','os_boot',12,'K','10.0 build 17763.1',  'a.evtx',1),"
	    "('2024-03-02T07:00:00Z','os_boot',12,'K','10.0 build 19045.2',  'b.evtx',2),"
	    "('2024-03-02T07:00:00Z','os_boot',12,'K','10.0 build 22631.3',  'c.evtx',3),"
	    "('2024-03-03T07:00:00Z','os_boot',6009,'E','6.01. 7601 Service Pack 1','d.evtx',4),"
	    "('2024-03-03T07:00:00Z','logon_success',4624,'S','10.0 build 26100.1','e.evtx',5)");
	shodo_triage_ctx ctx;
	CHECK_INT(run(0, 0, &ctx), SHODO_OK);
	CHECK_STR(q_str("SELECT value FROM host WHERE key = 'os_build' AND source = 'scope'"), "19045");
	CHECK(strstr(q_str("SELECT value FROM host WHERE key = 'os_how' AND source = 'scope'"), "in 'b.evtx'") != NULL);
}

/* The CSVs: cells from evidence quoted, neutralised (formulas) and escaped
 * (controls) as RFC 4180 and OWASP ask, whole tables in rowid order; the
 * same bytes from the report stage's thread with its own connection. */
TEST(csv_cells)
{
	static const struct {
		const char *v, *cell;
	} c[] = {{"plain", "plain"}, {"a,b", "\"a,b\""}, {"say \"hi\"", "\"say \"\"hi\"\"\""}, {"=1+2", "\"'=1+2\""},
	         {"-1", "-1"}, {"-2+3", "\"'-2+3\""}, {"+3.5", "+3.5"}, {"@SUM(A1)", "\"'@SUM(A1)\""},
	         {"\ttab", "\"'\ttab\""}, {"a\tb", "a\tb"}, {"\rcr", "\"'\rcr\""}, {"line\nbreak", "\"line\nbreak\""},
	         {"esc\x1b[31m", "\"esc\\x1b[31m\""}, {"del\x7f", "\"del\\x7f\""}, {"c1\xc2\x9b", "\"c1\\xc2\\x9b\""},
	         {"\xc2\xa9 c", "\xc2\xa9 c"}, {"\xc3\xa9", "\xc3\xa9"}, {"=\x01\"", "\"'=\\x01\"\"\""}, {"", ""},
	         {NULL, ""}};
	char db[512], dir[2][512];
	shodo_err e;
	shodo_store *fs = NULL;
	snprintf(db, sizeof(db), "%s/csv.db", unit_tmpdir());
	CHECK(shodo_store_open(db, &fs, &e) == SHODO_OK);
	if (!fs)
		return;
	sqlite3_stmt *s = NULL;
	sqlite3_prepare_v2(shodo_store_db(fs), "INSERT INTO policy(value, source) VALUES(?, ?)", -1, &s, NULL);
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		if (c[i].v)
			sqlite3_bind_text(s, 1, c[i].v, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(s, 1);
		sqlite3_bind_int(s, 2, (int)i);
		sqlite3_step(s);
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	char want[4096] = "volume,origin,key,value,source\r\n";
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		snprintf(want + strlen(want), sizeof(want) - strlen(want), ",,,%s,%zu\r\n", c[i].cell, i);
	static const char *const tables[] = {"policy", NULL};
	for (int k = 0; k < 2; k++) {
		snprintf(dir[k], sizeof(dir[k]), "%s/csv%d", unit_tmpdir(), k);
		mkdir(dir[k], 0700);
		shodo_err_clear(&e);
		if (k == 0) {
			CHECK(shodo_store_write_csv(fs, dir[k], tables, &e) == SHODO_OK);
		} else {
			shodo_csv_job *j = shodo_store_csv_start(fs, dir[k], tables);
			CHECK(j != NULL);
			CHECK(shodo_store_csv_finish(j, &e) == SHODO_OK);
		}
		char p[600], got[4096] = "";
		snprintf(p, sizeof(p), "%s/policy.csv", dir[k]);
		FILE *fp = fopen(p, "r");
		if (fp) {
			got[fread(got, 1, sizeof(got) - 1, fp)] = '\0';
			fclose(fp);
		}
		CHECK_STR(got, want);
	}
	/* inside a transaction another connection would not see its rows */
	shodo_store_begin(fs, &e);
	CHECK(shodo_store_csv_start(fs, dir[1], tables) == NULL);
	shodo_store_commit(fs, &e);
	shodo_store_close(fs);
}

int main(void)
{
	RUN(appended_extensions);
	RUN(failed_logons_grouped);
	RUN(same_as_sql);
	RUN(encryption_window_and_notes);
	RUN(replaced_random_extension);
	RUN(empty_store);
	RUN(window_from_anchors);
	RUN(sessions_edge_cases);
	RUN(os_names);
	RUN(os_from_newest_boot);
	RUN(csv_cells);
	shodo_store_close(st);
	UNIT_END();
}
