/*
 * fleet_gen CASE_DIR FIRST COUNT [SEED] — writes COUNT evidence items
 * HOST-FIRST .. into CASE_DIR the way triage would after collection and
 * parsing (rows like the parsers write), then runs the real scope, report
 * and CSV stages, as tests/helpers/fake_triage does for one host.  For
 * bench/fleet.sh: a hospital's fleet, numbered over the whole fleet so that
 * several sticks (case folders) can each hold a part of it.
 *
 * Host number i (0-based over the fleet of 2,300):
 *   i % 2300 < 6          a server with many logons (type 3 from hundreds of
 *                         workstations, RDP from the supplier)
 *   i % 7 == 3            encrypted (a few hundred): notes, .lockbit3 files
 *                         in a wave that starts on host 2292 and runs for hours,
 *                         RDP type 10 from the supplier, brute force on some
 *   otherwise             a clean PC
 * Every host gets a network logon (type 3) from the supplier's server
 * 10.10.0.5 (CATERING-SRV), which logs onto everything, a volume serial,
 * the SYSTEM hive's services and a few installers in user-writable places;
 * the encrypted ones also a service running from ProgramData and mimikatz.  Hosts numbered
 * 2300 and above are second views (their E01) of hosts i - 2300: same name
 * and machine SID.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shodo/case.h"
#include "shodo/hash.h"
#include "shodo/util.h"
#include "triage/triage_int.h"

static shodo_store *st;
static unsigned rng;

static unsigned rnd(void)
{
	rng = rng * 1103515245u + 12345u;
	return (rng >> 8) & 0xffffff;
}

static void sql(const char *q)
{
	shodo_err e;
	if (shodo_store_exec(st, q, &e) != SHODO_OK) {
		fprintf(stderr, "fleet_gen: %s\n  in: %.300s\n", e.msg, q);
		exit(3);
	}
}

static const time_t T0 = 1635640200;   /* 2021-10-31T00:30:00Z: the night of the attack */

static void iso(time_t t, char out[32]) { shodo_time_iso(t, out); }

static void logon(sqlite3_stmt *s, time_t t, const char *result, int type, const char *user, const char *ip,
                  const char *ws, const char *id, int rec)
{
	char tm[32], src[256];
	iso(t, tm);
	snprintf(src, sizeof(src), "%s/triage/files/p2/Windows/System32/winevt/Logs/Security.evtx", id);
	sqlite3_reset(s);
	sqlite3_bind_text(s, 1, tm, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(s, 2, strcmp(result, "success") ? 4625 : 4624);
	sqlite3_bind_text(s, 3, result, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 4, type);
	sqlite3_bind_text(s, 5, user, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 6, ip, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 7, ws, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 8, src, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(s, 9, rec);
	sqlite3_step(s);
}

static void host(shodo_case *kase, int i)
{
	int base = i % 2300, server = base < 6, enc = !server && base % 7 == 3;
	char id[64], name[64], tdir[4096], p[4200], q[2048], tm[32];
	shodo_err e;
	if (i >= 2300)
		snprintf(id, sizeof(id), "%s-%04d-E01", server ? "SRV" : "PC", base);
	else
		snprintf(id, sizeof(id), "%s-%04d", server ? "SRV" : "PC", base);
	snprintf(name, sizeof(name), server ? "HOSP-SRV%02d" : "WARD-PC-%04d", base);
	rng = 7919u * (unsigned)base + 17u;
	if (shodo_case_evidence_dir(kase, id, "triage", tdir, sizeof(tdir), &e) != SHODO_OK ||
	    (snprintf(p, sizeof(p), "%s/triage.db", tdir), shodo_store_open(p, &st, &e)) != SHODO_OK) {
		fprintf(stderr, "fleet_gen: %s\n", e.msg);
		exit(3);
	}
	sql("BEGIN");
	snprintf(q, sizeof(q),
	         "INSERT INTO host(volume,key,value,source) VALUES('p2','computer_name','%s','SYSTEM'),"
	         "('p2','os_product','%s','SOFTWARE'),('p2','os_build','%s','SOFTWARE'),"
	         "('p2','timezone_key_name','Tokyo Standard Time','SYSTEM'),('p2','timezone_bias_minutes','-540','SYSTEM'),"
	         "('p2','machine_sid','S-1-5-21-4000-%d-%d','SAM')",
	         name, server ? "Windows Server 2016 Standard" : "Windows 10 Pro", server ? "14393" : "19045", 100 + base,
	         7 * base + 3);
	sql(q);
	sqlite3_stmt *s = NULL;
	sqlite3_prepare_v2(shodo_store_db(st),
	                   "INSERT INTO logons(time,event_id,result,logon_type,target_user,source_ip,workstation,source,record)"
	                   " VALUES(?,?,?,?,?,?,?,?,?)",
	                   -1, &s, NULL);
	int rec = 1000;
	/* everyday logons: interactive, and the domain controller */
	for (int k = 0; k < 12; k++)
		logon(s, T0 - 86400 * (k + 1) + (time_t)(rnd() % 30000), "success", k % 3 ? 2 : 3, k % 3 ? "nurse" : "SYSTEM",
		      k % 3 ? "-" : "10.0.0.10", k % 3 ? name : "HOSP-DC01", id, rec++);
	/* the supplier's server logs onto everything */
	logon(s, T0 - 3600 + (time_t)(base % 3000), "success", 3, "Administrator", "10.10.0.5", "CATERING-SRV", id, rec++);
	if (server) {
		/* a server: hundreds of workstations map drives, RDP from the supplier */
		for (int k = 0; k < 3000; k++) {
			char ip[32], ws[32];
			int w = (int)(rnd() % 2200);
			snprintf(ip, sizeof(ip), "10.20.%d.%d", w / 250, w % 250 + 1);
			snprintf(ws, sizeof(ws), "WARD-PC-%04d", w);
			logon(s, T0 - 86400 * 3 + (time_t)(rnd() % 259200), "success", 3, "nurse", ip, ws, id, rec++);
		}
		logon(s, T0 - 7200, "success", 10, "Administrator", "10.10.0.5", "CATERING-SRV", id, rec++);
	}
	if (enc || server) {
		int brute = server || base % 3 == 0;
		for (int k = 0; k < (brute ? 40 : 2); k++)
			logon(s, T0 - 5400 + k * 20, "failure", 3, k % 4 ? "Administrator" : "admin", "10.10.0.5", "CATERING-SRV",
			      id, rec++);
		logon(s, T0 - 1800 + (time_t)(base % 600), "success", 10, "Administrator", "10.10.0.5", "CATERING-SRV", id,
		      rec++);
	}
	sqlite3_finalize(s);
	/* programs */
	static const char *const progs[] = {"CHROME.EXE", "WINWORD.EXE", "EXCEL.EXE", "OUTLOOK.EXE", "NOTEPAD.EXE",
	                                    "EXPLORER.EXE", "SVCHOST.EXE", "TEAMS.EXE"};
	for (int k = 0; k < 8; k++) {
		iso(T0 - 86400 + (time_t)(rnd() % 80000), tm);
		snprintf(q, sizeof(q),
		         "INSERT INTO prefetch(executable,run_count,last_run,last_runs,flag,source) VALUES('%s',%u,'%s','[\"%s\"]',"
		         "NULL,'%s/triage/files/p2/Windows/Prefetch/%s-1.pf')",
		         progs[k], 1 + rnd() % 200, tm, tm, id, progs[k]);
		sql(q);
	}
	if (enc) {
		/* the wave: WARD-PC-2292 first (patient zero), then the others over
		 * about five hours */
		time_t start = T0 + (base == 2292 ? 0 : 600 + (time_t)(base * 7) % 18000);
		iso(start - 120, tm);
		snprintf(q, sizeof(q),
		         "INSERT INTO prefetch(executable,run_count,last_run,last_runs,flag,source) VALUES('PSEXEC.EXE',1,'%s',"
		         "'[\"%s\"]','remote execution','%s/triage/files/p2/Windows/Prefetch/PSEXEC.EXE-AD70946C.pf')",
		         tm, tm, id);
		sql(q);
		sqlite3_prepare_v2(shodo_store_db(st),
		                   "INSERT INTO files(volume,path,name,ext,inode,size,allocated,is_dir,mtime,ctime,crtime)"
		                   " VALUES('p2',?,?,'lockbit3',?,40960,1,0,?,?,'2020-04-01T08:00:00Z')",
		                   -1, &s, NULL);
		int nfiles = 150 + (int)(rnd() % 200);
		for (int k = 0; k < nfiles; k++) {
			char fn[64], path[128];
			snprintf(fn, sizeof(fn), "record%05d.docx.lockbit3", k);
			snprintf(path, sizeof(path), "Users/nurse/Documents/%s", fn);
			iso(start + k * 3, tm);
			sqlite3_reset(s);
			sqlite3_bind_text(s, 1, path, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(s, 2, fn, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int(s, 3, 5000 + k);
			sqlite3_bind_text(s, 4, tm, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(s, 5, tm, -1, SQLITE_TRANSIENT);
			sqlite3_step(s);
		}
		sqlite3_finalize(s);
		iso(start - 60, tm);
		snprintf(q, sizeof(q),
		         "INSERT INTO ransom_notes(path,volume,size,sha256,score,family,language,copies,onions,mtime,crtime,source)"
		         " VALUES('Users/nurse/Desktop/Restore-My-Files.txt','p2',1200,'c0ffee',95,'lockbit','en',%u,"
		         "'lockbitapt2d73krlbewgv27tquljgxr33xbwwsp6rkyieto7u4ncead.onion','%s','%s',"
		         "'%s/triage/files/p2/Users/nurse/Desktop/Restore-My-Files.txt')",
		         2 + rnd() % 30, tm, tm, id);
		sql(q);
		snprintf(q, sizeof(q),
		         "INSERT INTO persistence(time,kind,name,command,account,detail,source,record) VALUES"
		         "('%s','service','PSEXESVC','%%SystemRoot%%\\PSEXESVC.exe','LocalSystem','event 7045',"
		         "'%s/triage/files/p2/Windows/System32/winevt/Logs/System.evtx',77)",
		         tm, id);
		sql(q);
	}
	/* the Windows volume's serial (the E01 of a host seen twice reads the
	 * same); the SYSTEM hive's services (about 130 on a PC, 200 on a
	 * server), on an encrypted host one running from ProgramData; the
	 * executables in user-writable places: installers everywhere, and
	 * mimikatz on the encrypted hosts */
	snprintf(q, sizeof(q),
	         "INSERT INTO host(volume,key,value,source) VALUES('p2','volume_serial','%08X%08X','p2: NTFS boot sector')",
	         0x5A000000u + (unsigned)base, 0x1000u * (unsigned)base + 0x77u);
	sql(q);
	sqlite3_prepare_v2(shodo_store_db(st),
	                   "INSERT INTO services(volume,control_set,name,display_name,image_path,start,start_name,type,"
	                   "type_name,account,last_written,flag,source) VALUES('p2','ControlSet001',?,?,?,?,?,16,"
	                   "'own process','LocalSystem',?,?,?)",
	                   -1, &s, NULL);
	int nsvc = server ? 200 : 130;
	for (int k = 0; k <= nsvc; k++) {
		char sn[64], dn[96], img[160], src[160];
		int bad = k == nsvc;
		if (bad && !enc)
			break;
		snprintf(sn, sizeof(sn), bad ? "updsvc" : "Svc%03d", k);
		snprintf(dn, sizeof(dn), bad ? "Update Service" : "Windows service %03d", k);
		snprintf(img, sizeof(img), bad ? "C:\\ProgramData\\upd\\upd.exe -k" : "%%SystemRoot%%\\System32\\svc%03d.exe", k);
		snprintf(src, sizeof(src), "%s/triage/files/p2/Windows/System32/config/SYSTEM", id);
		iso(bad ? T0 - 1200 : T0 - 86400 * 400 + k * 60, tm);
		sqlite3_reset(s);
		sqlite3_bind_text(s, 1, sn, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 2, dn, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 3, img, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(s, 4, k % 3 + 2);
		sqlite3_bind_text(s, 5, k % 3 == 0 ? "auto" : k % 3 == 1 ? "manual" : "disabled", -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 6, tm, -1, SQLITE_TRANSIENT);
		if (bad)
			sqlite3_bind_text(s, 7, "runs from a user-writable folder", -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(s, 7);
		sqlite3_bind_text(s, 8, src, -1, SQLITE_TRANSIENT);
		sqlite3_step(s);
	}
	sqlite3_finalize(s);
	for (int k = 0; k < (enc ? 4 : 3); k++) {
		int mimi = k == 3;
		iso(mimi ? T0 - 3600 : T0 - 86400 * (30 - k), tm);
		snprintf(q, sizeof(q),
		         "INSERT INTO executables(path,volume,size,sha256,original_name,product,company,flag,matched_by,mtime,"
		         "crtime,source) VALUES('%s','p2',%u,'%064x','%s','%s','%s',%s,%s,'%s','%s',NULL)",
		         mimi ? "Users/Public/mimikatz.exe" : k == 0 ? "Users/nurse/Downloads/ChromeSetup.exe"
		              : k == 1 ? "Users/nurse/Downloads/TeamsSetup.exe" : "Users/nurse/AppData/Local/Temp/setup.exe",
		         mimi ? 1355680u : 1000000u + (unsigned)k * 7919u, mimi ? 0x5eedu : 0x1000u + (unsigned)k,
		         mimi ? "mimikatz.exe" : "setup.exe", mimi ? "mimikatz" : "Installer", mimi ? "gentilkiwi" : "Example Corp",
		         mimi ? "'credential theft: mimikatz'" : "NULL", mimi ? "'name'" : "NULL", tm, tm);
		sql(q);
	}
	sql("INSERT INTO accounts(volume,origin,name,rid,enabled,admin,last_logon,logon_count,bad_password_count,source)"
	    " VALUES('p2','sam','Administrator',500,1,1,'2021-10-30T03:00:00Z',12,0,'SAM'),"
	    "('p2','sam','Guest',501,0,0,NULL,0,0,'SAM'),('p2','sam','nurse',1001,1,1,'2021-10-30T08:00:00Z',300,0,'SAM')");
	sql("INSERT INTO credential_digests(volume, account, rid, digest, key_id, source)"
	    " VALUES('p2','Administrator',500,'one-shared-password','k1','SAM')");
	sql("INSERT INTO policy(volume,origin,key,value,source) VALUES('p2','sam','LockoutBadCount','0','SAM'),"
	    "('p2','sam','MinimumPasswordLength','0','SAM')");
	sql("INSERT INTO posture(severity,area,finding,value,evidence,remedy,source) VALUES"
	    "('critical','accounts','account lockout disabled','0','LockoutBadCount 0','set a threshold','SAM')");
	sql("INSERT INTO artifacts(source,category,parser,status) VALUES('Security.evtx','evtx','evtx','ok')");
	sql("COMMIT");
	shodo_triage_opts o;
	memset(&o, 0, sizeof(o));
	o.evidence_id = id;
	o.kase = kase;
	o.profile = SHODO_PROFILE_FULL;
	shodo_triage_ctx ctx;
	memset(&ctx, 0, sizeof(ctx));
	ctx.opts = &o;
	ctx.store = st;
	ctx.triage_dir = tdir;
	if (shodo_scope_run(&ctx, &e) != SHODO_OK || shodo_report_write(&ctx, &e) != SHODO_OK ||
	    shodo_store_write_csv(st, tdir, NULL, &e) != SHODO_OK) {
		fprintf(stderr, "fleet_gen: %s: %s\n", id, e.msg);
		exit(1);
	}
	shodo_store_close(st);
	shodo_digests d;
	char rel[256];
	memset(&d, 0, sizeof(d));
	shodo_hash_file(p, SHODO_HASH_SHA256, &d, NULL);
	snprintf(rel, sizeof(rel), "%s/triage/triage.db", id);
	shodo_case_custody(kase, "triage", id, rel, d.sha256, "fleet_gen", NULL);
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: fleet_gen CASE_DIR FIRST COUNT\n");
		return 2;
	}
	shodo_err e;
	shodo_case *kase = NULL;
	shodo_case_meta meta = {.examiner = "bench", .case_number = "HOSP-2021-001"};
	if (shodo_case_open(argv[1], &meta, 1, &kase, &e) != SHODO_OK) {
		fprintf(stderr, "fleet_gen: %s\n", e.msg);
		return 3;
	}
	int first = atoi(argv[2]), n = atoi(argv[3]);
	for (int i = first; i < first + n; i++)
		host(kase, i);
	int rc = shodo_case_refresh_sums(kase, NULL, &e) == SHODO_OK ? 0 : 1;
	shodo_case_close(kase);
	return rc;
}
