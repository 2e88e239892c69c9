/*
 * fake_triage CASE_DIR ID VARIANT — builds DIR/ID/triage/ the way a triage
 * run would after collection and parsing: a triage.db holding rows like the
 * collector and the parsers write (with hostile strings among them), then
 * runs the real scope and report stages and writes the CSVs.
 *
 * VARIANT 1: host WS042 (UTC+01:00): LockBit notes, .lockbit files, brute
 *            force on Administrator from 10.1.1.5, RDP from 10.1.1.5, a new
 *            admin, PSEXESVC, Security log cleared, Defender off, lockout 0.
 * VARIANT 2: host WS043 (UTC+09:00): same RDP source and account, no notes,
 *            later encryption, Japanese note.
 * VARIANT 3: variant 1 and a password spray of 12,345 failed logons from
 *            10.9.9.9 (each on its own account: u00000 ...), a kind of
 *            timeline row that floods the page.
 * The shell tests check summary.txt lines and report.html escaping.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "triage/triage_int.h"
#include "shodo/case.h"
#include "shodo/hash.h"
#include "shodo/util.h"

static shodo_store *st;

static void sql(const char *q)
{
	shodo_err e;
	if (shodo_store_exec(st, q, &e) != SHODO_OK) {
		fprintf(stderr, "fake_triage: %s\n  in: %s\n", e.msg, q);
		exit(3);
	}
}

static void files(const char *dir, const char *ext, int n, const char *t0, int step_s)
{
	time_t t;
	shodo_parse_iso(t0, &t);
	sqlite3_stmt *s = NULL;
	sqlite3_prepare_v2(shodo_store_db(st),
	                   "INSERT INTO files(volume,path,name,ext,inode,size,allocated,is_dir,mtime,ctime,crtime)"
	                   " VALUES('p2@1048576',?,?,?,?,4096,1,0,?,?,'2022-05-01T08:00:00Z')",
	                   -1, &s, NULL);
	for (int i = 0; i < n; i++) {
		char name[128], path[512], tm[32];
		snprintf(name, sizeof(name), "doc%04d.%s.%s", i, i % 3 ? "docx" : "xlsx", ext);
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		shodo_time_iso(t + (time_t)i * step_s, tm);
		sqlite3_reset(s);
		sqlite3_bind_text(s, 1, path, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 2, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 3, ext, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(s, 4, 1000 + i);
		sqlite3_bind_text(s, 5, tm, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 6, tm, -1, SQLITE_TRANSIENT);
		sqlite3_step(s);
	}
	sqlite3_finalize(s);
}

static void common(const char *ev)
{
	char q[2048];
	/* failed logons: 25 on Administrator from 10.1.1.5, 3 on a hostile name */
	for (int i = 0; i < 25; i++) {
		snprintf(q, sizeof(q),
		         "INSERT INTO logons(time,event_id,result,logon_type,target_user,target_domain,source_ip,workstation,"
		         "status,computer,source,record) VALUES('2024-03-01T01:%02d:00.1234567Z',4625,'failure',%d,"
		         "'Administrator','WS','10.1.1.5','CATERING01','0xc000006d/0xc000006a','ws','%s/triage/files/p2/"
		         "Windows/System32/winevt/Logs/Security.evtx',%d)",
		         i, i < 20 ? 3 : 10, ev, 100 + i);
		sql(q);
	}
	for (int i = 0; i < 3; i++) {
		snprintf(q, sizeof(q),
		         "INSERT INTO logons(time,event_id,result,logon_type,target_user,source_ip,workstation,status,source,"
		         "record) VALUES('2024-03-01T02:0%d:00Z',4625,'failure',3,'<script>alert(1)</script>','10.6.6.6',"
		         "'EVIL' || char(27) || '[31mRED','0xc000006d/0xc0000064','%s/Security.evtx',%d)",
		         i, ev, 200 + i);
		sql(q);
	}
	snprintf(q, sizeof(q),
	         "INSERT INTO logons(time,event_id,result,logon_type,target_user,target_domain,source_ip,workstation,source,"
	         "record) VALUES('2024-03-01T03:00:00Z',4624,'success',10,'Administrator','WS','10.1.1.5','CATERING01',"
	         "'%s/Security.evtx',300),('2024-03-01T03:30:00Z',4624,'success',3,'svc_backup','WS','10.2.2.2',"
	         "'BACKUP01','%s/Security.evtx',301),('2024-03-01T03:31:00Z',4624,'success',3,'SYSTEM',NULL,'127.0.0.1',"
	         "NULL,'%s/Security.evtx',302)",
	         ev, ev, ev);
	sql(q);
	sql("INSERT INTO host(volume,key,value,source) VALUES('p2','os_product','Windows 10 Pro','x'),"
	    "('p2','os_build','19045','x')");
	sql("INSERT INTO policy(volume,origin,key,value,source) VALUES('p2','sam','MinimumPasswordLength','0','SAM'),"
	    "('p2','sam','LockoutBadCount','0','SAM'),('p2','sam','PasswordHistorySize','0','SAM'),"
	    "('p2','sam','MaximumPasswordAge','42 days','SAM')");
	sql("INSERT INTO accounts(volume,origin,name,rid,enabled,admin,last_logon,logon_count,bad_password_count,source)"
	    " VALUES('p2','sam','Administrator',500,1,1,'2024-03-01T03:00:00Z',12,25,'SAM'),"
	    "('p2','sam','Guest',501,0,0,NULL,0,0,'SAM')");
	sql("INSERT INTO credential_digests(volume, account, rid, digest, key_id, source)"
	    " VALUES('p2','Administrator',500,'d1g3st-shared','k1','SAM')");
	sql("INSERT INTO artifacts(source,category,parser,status) VALUES('Security.evtx','evtx','evtx','ok'),('junk.evtx','evtx','evtx','failed')");
}

static void variant1(const char *ev)
{
	char q[2048];
	sql("INSERT INTO host(volume,key,value,source) VALUES('p2','computer_name','WS042','SYSTEM'),"
	    "('p2','timezone_key_name','W. Europe Standard Time','SYSTEM'),('p2','timezone_bias_minutes','-60','SYSTEM')");
	common(ev);
	files("Users/anna/Documents", "lockbit", 300, "2024-03-02T03:10:00Z", 2);
	/* notes: two contents; the first has 3 copies */
	static const char *const copies[] = {"Users/anna/Desktop/README.txt", "Users/anna/Documents/README.txt",
	                                     "Users/Public/README.txt"};
	for (int i = 0; i < 3; i++) {
		snprintf(q, sizeof(q),
		         "INSERT INTO files(volume,path,name,ext,inode,size,allocated,is_dir,mtime,crtime,category,extracted)"
		         " VALUES('p2@1048576','%s','README.txt','txt',%d,900,1,0,'2024-03-02T03:0%d:00Z',"
		         "'2024-03-02T03:0%d:00Z','ransom_note','%s/triage/files/p2@1048576/Users/anna/Desktop/README.txt')",
		         copies[i], 50 + i, i, i, ev);
		sql(q);
	}
	snprintf(q, sizeof(q),
	         "INSERT INTO files(volume,path,name,ext,inode,size,allocated,is_dir,mtime,crtime,category,extracted)"
	         " VALUES('p2@1048576','Users/anna/Desktop/\"><img src=x onerror=alert(1)>.hta','\"><img src=x "
	         "onerror=alert(1)>.hta','hta',60,500,1,0,'2024-03-02T03:05:00Z','2024-03-02T03:05:00Z','ransom_note',"
	         "'%s/triage/files/p2@1048576/Users/anna/Desktop/_img.hta')",
	         ev);
	sql(q);
	snprintf(q, sizeof(q),
	         "INSERT INTO ransom_notes(path,volume,size,sha256,score,family,language,copies,emails,onions,btc,tox,"
	         "mtime,crtime,source,encoding) VALUES('Users/anna/Desktop/README.txt','p2@1048576',900,'aa11',95,"
	         "'lockbit','en',1,'','lockbitapt2d73krlbewgv27tquljgxr33xbwwsp6rkyieto7u4ncead.onion','',''"
	         ",'2024-03-02T03:00:00Z','2024-03-02T03:00:00Z',"
	         "'%s/triage/files/p2@1048576/Users/anna/Desktop/README.txt','ascii'),"
	         "('Users/anna/Desktop/\"><img src=x onerror=alert(1)>.hta','p2@1048576',500,'bb22',80,NULL,'en',1,"
	         "'<b>bold</b>@evil.example','','','','2024-03-02T03:05:00Z','2024-03-02T03:05:00Z',"
	         "'%s/triage/files/p2@1048576/Users/anna/Desktop/_img.hta','utf-16le')",
	         ev, ev);
	sql(q);
	snprintf(q, sizeof(q),
	         "INSERT INTO events(time,category,event_id,provider,channel,user,target,detail,source,record) VALUES"
	         "('2024-03-01T03:10:00Z','account_created',4720,'Microsoft-Windows-Security-Auditing','Security',"
	         "'WS\\Administrator','WS\\helpdesk$','S-1-5-21-1-1-1-1010','%s/Security.evtx',400),"
	         "('2024-03-01T03:11:00Z','group_member_added',4732,'Microsoft-Windows-Security-Auditing','Security',"
	         "'WS\\Administrator','WS\\helpdesk$','added to group Builtin\\Administrators (member S-1-5-21-1-1-1-1010)',"
	         "'%s/Security.evtx',401),"
	         "('2024-03-01T03:20:00Z','service_installed',7045,'Service Control Manager','System','LocalSystem',"
	         "'PSEXESVC','%%SystemRoot%%\\PSEXESVC.exe','%s/System.evtx',77),"
	         "('2024-03-02T04:00:00Z','log_cleared',1102,'Microsoft-Windows-Eventlog','Security','WS\\Administrator',"
	         "'Security','Security log cleared','%s/Security.evtx',999),"
	         "('2024-03-01T03:25:00Z','defender_disabled',5001,'Microsoft-Windows-Windows Defender','Operational',"
	         "NULL,NULL,'real-time protection disabled','%s/Defender.evtx',12)",
	         ev, ev, ev, ev, ev);
	sql(q);
	snprintf(q, sizeof(q),
	         "INSERT INTO persistence(time,kind,name,command,account,detail,source,record) VALUES"
	         "('2024-03-01T03:20:00Z','service','PSEXESVC','%%SystemRoot%%\\PSEXESVC.exe','LocalSystem',"
	         "'event 7045 start type demand start','%s/System.evtx',77)",
	         ev);
	sql(q);
	snprintf(q, sizeof(q),
	         "INSERT INTO prefetch(executable,run_count,last_run,last_runs,flag,source) VALUES"
	         "('PSEXEC.EXE',2,'2024-03-01T03:19:00Z','[\"2024-03-01T03:19:00Z\",\"2024-03-01T03:18:00Z\"]',"
	         "'remote execution','%s/PSEXEC.EXE-AD70946C.pf'),"
	         "('NOTEPAD.EXE',40,'2024-02-28T10:00:00Z','[\"2024-02-28T10:00:00Z\"]',NULL,'%s/NOTEPAD.EXE-1.pf')",
	         ev, ev);
	sql(q);
	sql("INSERT INTO posture(severity,area,finding,value,evidence,remedy,source) VALUES"
	    "('critical','accounts','account lockout disabled','0','LockoutBadCount 0','set a threshold','SAM'),"
	    "('high','remote access','RDP without NLA','off','UserAuthentication 0','enable NLA','SYSTEM')");
}

static void variant3(const char *ev)
{
	variant1(ev);
	sqlite3_stmt *s = NULL;
	sqlite3_prepare_v2(shodo_store_db(st),
	                   "INSERT INTO logons(time,event_id,result,logon_type,target_user,target_domain,source_ip,"
	                   "workstation,status,computer,source,record) VALUES(?,4625,'failure',3,?,'WS','10.9.9.9',"
	                   "'SPRAY01','0xc000006d/0xc0000064','ws',?,?)",
	                   -1, &s, NULL);
	char src[512];
	snprintf(src, sizeof(src), "%s/triage/files/p2/Windows/System32/winevt/Logs/Security.evtx", ev);
	time_t t0;
	shodo_parse_iso("2024-02-28T10:00:00Z", &t0);
	for (int i = 0; i < 12345; i++) {
		char tm[32], user[16];
		shodo_time_iso(t0 + i, tm);
		snprintf(user, sizeof(user), "u%05d", i);
		sqlite3_bind_text(s, 1, tm, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 2, user, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 3, src, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(s, 4, 1000 + i);
		sqlite3_step(s);
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
}

static void variant2(const char *ev)
{
	sql("INSERT INTO host(volume,key,value,source) VALUES('p2','computer_name','WS043','SYSTEM'),"
	    "('p2','timezone_key_name','Tokyo Standard Time','SYSTEM'),('p2','timezone_bias_minutes','-540','SYSTEM')");
	common(ev);
	files("Data/share", "lockbit", 120, "2024-03-02T05:00:00Z", 5);
	char q[1024];
	snprintf(q, sizeof(q),
	         "INSERT INTO ransom_notes(path,volume,size,sha256,score,family,language,copies,source) VALUES"
	         "('Data/share/復元方法.txt','p2',700,'cc33',88,'lockbit','ja',1,'%s/triage/files/p2/Data/share/x.txt')",
	         ev);
	sql(q);
	sql("INSERT INTO posture(severity,area,finding,value,evidence,remedy,source) VALUES"
	    "('critical','accounts','account lockout disabled','0','LockoutBadCount 0','set a threshold','SAM')");
	snprintf(q, sizeof(q),
	         "INSERT INTO persistence(time,kind,name,command,account,detail,source,record) VALUES"
	         "('2024-03-01T04:20:00Z','service','psexesvc','%%SystemRoot%%\\PSEXESVC.exe','LocalSystem',"
	         "'event 7045','%s/System.evtx',5)",
	         ev);
	sql(q);
	snprintf(q, sizeof(q),
	         "INSERT INTO prefetch(executable,run_count,last_run,last_runs,flag,source) VALUES"
	         "('psexec.exe',1,'2024-03-01T04:19:00Z','[\"2024-03-01T04:19:00Z\"]','remote execution',"
	         "'%s/PSEXEC.EXE-AD70946C.pf')",
	         ev);
	sql(q);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: fake_triage CASE_DIR ID 1|2|3\n");
		return 2;
	}
	shodo_err e;
	shodo_case *kase = NULL;
	shodo_case_meta meta = {.examiner = "test"};
	char tdir[4096], p[4200];
	if (shodo_case_open(argv[1], &meta, 1, &kase, &e) != SHODO_OK ||
	    shodo_case_evidence_dir(kase, argv[2], "triage", tdir, sizeof(tdir), &e) != SHODO_OK) {
		fprintf(stderr, "fake_triage: %s\n", e.msg);
		return 3;
	}
	snprintf(p, sizeof(p), "%s/triage.db", tdir);
	if (shodo_store_open(p, &st, &e) != SHODO_OK) {
		fprintf(stderr, "fake_triage: %s\n", e.msg);
		return 3;
	}
	sql("BEGIN");
	if (!strcmp(argv[3], "1"))
		variant1(argv[2]);
	else if (!strcmp(argv[3], "3"))
		variant3(argv[2]);
	else
		variant2(argv[2]);
	sql("COMMIT");
	shodo_triage_opts o;
	memset(&o, 0, sizeof(o));
	o.evidence_id = argv[2];
	o.kase = kase;
	o.profile = SHODO_PROFILE_FULL;
	shodo_triage_ctx ctx;
	memset(&ctx, 0, sizeof(ctx));
	ctx.opts = &o;
	ctx.store = st;
	ctx.triage_dir = tdir;
	int rc = 0;
	if (shodo_scope_run(&ctx, &e) != SHODO_OK || shodo_report_write(&ctx, &e) != SHODO_OK ||
	    shodo_store_write_csv(st, tdir, NULL, &e) != SHODO_OK) {
		fprintf(stderr, "fake_triage: %s\n", e.msg);
		rc = 1;
	}
	shodo_store_close(st);
	if (!rc) {
		/* as triage does: the result recorded in custody with its hash */
		shodo_digests d;
		char rel[256];
		memset(&d, 0, sizeof(d));
		shodo_hash_file(p, SHODO_HASH_SHA256, &d, NULL);
		snprintf(rel, sizeof(rel), "%s/triage/triage.db", argv[2]);
		if (shodo_case_custody(kase, "triage", argv[2], rel, d.sha256, "fake_triage", &e) != SHODO_OK) {
			fprintf(stderr, "fake_triage: %s\n", e.msg);
			rc = 1;
		}
	}
	if (!rc && shodo_case_refresh_sums(kase, NULL, &e) != SHODO_OK) {
		fprintf(stderr, "fake_triage: %s\n", e.msg);
		rc = 1;
	}
	shodo_case_close(kase);
	return rc;
}
