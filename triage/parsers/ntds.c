/*
 * Active Directory database (ntds.dit) through libesedb: the domain's user
 * accounts from table "datatable", one record at a time.
 *
 *   ATTm590045 sAMAccountName      ATTr589970 objectSid (RID big-endian)
 *   ATTj590126 sAMAccountType      ATTj589832 userAccountControl
 *   ATTq591520 lastLogonTimestamp  ATTq589876 lastLogon
 *   ATTq589920 pwdLastSet          ATTq589873 badPasswordTime
 *   ATTj589993 logonCount          ATTj589836 badPwdCount
 *   ATTj589974 adminCount          ATTl131074 whenCreated (seconds since 1601)
 *   ATTm131085 displayName         ATTm13 description
 *
 * (The column is "ATT" + the attribute's syntax letter + its attributeID
 * with the OID prefix 1.2.840.113556.1.4 as 589824, 1.2.840.113556.1.2 as
 * 131072 and 2.5.4 as 0: lastLogon is .4.52, lastLogonTimestamp .4.1696.)
 *
 * The last logon is the later of lastLogon, which only this domain
 * controller updates (exact, but blind to logons at the others), and
 * lastLogonTimestamp, which every controller replicates but updates only
 * when it is some 9 to 14 days old: either alone can be days behind.
 *
 * Only these columns are read; the password columns (unicodePwd, dBCSPwd,
 * supplementalCredentials, ...) are never touched.  Computer accounts
 * (sAMAccountType 0x30000001) are counted, not listed; other objects
 * (groups, trust accounts, containers) are skipped.  "admin" is adminCount
 * = 1: the account is or was in a protected group (Domain/Enterprise/Schema
 * Admins, Administrators, ...).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libesedb.h>
#include "putil.h"

#define UF_ACCOUNTDISABLE 0x0002
#define UF_PASSWD_NOTREQD 0x0020
#define UF_DONT_EXPIRE_PASSWD 0x10000
#define SAM_USER_OBJECT 0x30000000u
#define SAM_MACHINE_ACCOUNT 0x30000001u

enum { C_NAME, C_SID, C_TYPE, C_UAC, C_LASTLOGON_TS, C_LASTLOGON_DC, C_PWDSET, C_BADTIME, C_LOGONS, C_BADPWD,
       C_ADMIN, C_CREATED, C_DISPLAY, C_DESC, C_N };
static const char *const colnames[C_N] = {
	"ATTm590045", "ATTr589970", "ATTj590126", "ATTj589832", "ATTq591520", "ATTq589876", "ATTq589920",
	"ATTq589873", "ATTj589993", "ATTj589836", "ATTj589974", "ATTl131074", "ATTm131085", "ATTm13",
};

static int bid_ntds(const shodo_artifact *a, const unsigned char *head, size_t n)
{
	/* ESE database signature 0x89abcdef at offset 4 */
	int ese = n >= 8 && head[4] == 0xef && head[5] == 0xcd && head[6] == 0xab && head[7] == 0x89;
	int named = !strcasecmp(putil_basename(a->path ? a->path : a->file), "ntds.dit");
	int cat = a->category && !strcmp(a->category, CAT_ACCOUNT_DB);
	if (ese && (named || cat))
		return 40;
	if (named || cat)
		return 1;
	return 0;
}

static int get_str(libesedb_record_t *r, int col, char *out, size_t n)
{
	out[0] = '\0';
	if (col < 0)
		return 0;
	libesedb_error_t *e = NULL;
	int rc = libesedb_record_get_value_utf8_string(r, col, (uint8_t *)out, n, &e);
	if (e)
		libesedb_error_free(&e);
	if (rc != 1)
		out[0] = '\0';
	return rc == 1;
}

static int get_u32(libesedb_record_t *r, int col, uint32_t *v)
{
	if (col < 0)
		return 0;
	libesedb_error_t *e = NULL;
	int rc = libesedb_record_get_value_32bit(r, col, v, &e);
	if (e)
		libesedb_error_free(&e);
	return rc == 1;
}

static int get_u64(libesedb_record_t *r, int col, uint64_t *v)
{
	if (col < 0)
		return 0;
	libesedb_error_t *e = NULL;
	int rc = libesedb_record_get_value_64bit(r, col, v, &e);
	if (e)
		libesedb_error_free(&e);
	return rc == 1;
}

static shodo_status parse_ntds(const shodo_artifact *a, shodo_triage_ctx *ctx, shodo_err *err)
{
	libesedb_file_t *f = NULL;
	libesedb_table_t *t = NULL;
	libesedb_error_t *e = NULL;
	char msg[512];
	int col[C_N];
	int nrec = 0, users = 0, machines = 0, bad = 0;
	shodo_status rc = SHODO_OK;
	for (int i = 0; i < C_N; i++)
		col[i] = -1;

	if (libesedb_file_initialize(&f, &e) != 1 || libesedb_file_open(f, a->file, LIBESEDB_OPEN_READ, &e) != 1) {
		PUTIL_YAL_MSG(libesedb, e, msg, sizeof(msg));
		rc = shodo_err_set(err, SHODO_FAILED, 0, "not a readable ESE database: %s", msg);
		goto out;
	}
	if (libesedb_file_get_table_by_utf8_name(f, (const uint8_t *)"datatable", 9, &t, &e) != 1) {
		if (e)
			PUTIL_YAL_MSG(libesedb, e, msg, sizeof(msg));
		else
			snprintf(msg, sizeof(msg), "no such table");
		rc = shodo_err_set(err, SHODO_FAILED, 0, "ESE database without an Active Directory datatable: %s", msg);
		goto out;
	}
	int ncol = 0;
	if (libesedb_table_get_number_of_columns(t, &ncol, 0, &e) != 1) {
		PUTIL_YAL_MSG(libesedb, e, msg, sizeof(msg));
		rc = shodo_err_set(err, SHODO_FAILED, 0, "datatable columns unreadable: %s", msg);
		goto out;
	}
	for (int i = 0; i < ncol && i < 100000; i++) {
		libesedb_column_t *c = NULL;
		char name[64];
		if (libesedb_table_get_column(t, i, &c, 0, &e) != 1) {
			libesedb_error_free(&e);
			continue;
		}
		if (libesedb_column_get_utf8_name(c, (uint8_t *)name, sizeof(name), NULL) == 1)
			for (int k = 0; k < C_N; k++)
				if (!strcmp(name, colnames[k]))
					col[k] = i;
		libesedb_column_free(&c, NULL);
	}
	if (col[C_NAME] < 0 || col[C_TYPE] < 0) {
		rc = shodo_err_set(err, SHODO_FAILED, 0, "datatable without sAMAccountName/sAMAccountType columns: "
		                                         "not an Active Directory database");
		goto out;
	}
	if (libesedb_table_get_number_of_records(t, &nrec, &e) != 1) {
		PUTIL_YAL_MSG(libesedb, e, msg, sizeof(msg));
		rc = shodo_err_set(err, SHODO_FAILED, 0, "datatable records unreadable: %s", msg);
		goto out;
	}
	for (int i = 0; i < nrec; i++) {
		if ((i & 1023) == 0) {
			if (shodo_cancelled(ctx->cancel)) {
				rc = shodo_err_set(err, SHODO_CANCELLED, 0, "cancelled");
				goto out;
			}
			shodo_progress(ctx->sink, "parse ntds.dit", "records", (uint64_t)i, (uint64_t)nrec);
		}
		libesedb_record_t *r = NULL;
		if (libesedb_table_get_record(t, i, &r, &e) != 1) {
			libesedb_error_free(&e);
			bad++;
			continue;
		}
		uint32_t type = 0;
		if (!get_u32(r, col[C_TYPE], &type) || (type != SAM_USER_OBJECT && type != SAM_MACHINE_ACCOUNT)) {
			libesedb_record_free(&r, NULL);
			continue;
		}
		if (type == SAM_MACHINE_ACCOUNT) {
			machines++;
			libesedb_record_free(&r, NULL);
			continue;
		}
		char name[512], display[512], desc[1024], t1[48] = "", t2[48] = "", t3[48] = "", t4[48] = "";
		uint32_t uac = 0, logons = 0, badpwd = 0, admin = 0, rid = 0;
		uint64_t v = 0, last = 0;
		int have_uac, have_logons, have_bad, have_admin, have_rid = 0;
		get_str(r, col[C_NAME], name, sizeof(name));
		get_str(r, col[C_DISPLAY], display, sizeof(display));
		get_str(r, col[C_DESC], desc, sizeof(desc));
		have_uac = get_u32(r, col[C_UAC], &uac);
		have_logons = get_u32(r, col[C_LOGONS], &logons);
		have_bad = get_u32(r, col[C_BADPWD], &badpwd);
		have_admin = get_u32(r, col[C_ADMIN], &admin);
		/* 0 and 0x7fff... are "never" */
		if (get_u64(r, col[C_LASTLOGON_TS], &v) && v < INT64_MAX)
			last = v;
		if (get_u64(r, col[C_LASTLOGON_DC], &v) && v < INT64_MAX && v > last)
			last = v;
		if (last)
			putil_ft(last, t1);
		if (get_u64(r, col[C_PWDSET], &v))
			putil_ft(v, t2);
		if (get_u64(r, col[C_BADTIME], &v))
			putil_ft(v, t3);
		if (get_u64(r, col[C_CREATED], &v) && v < 0x7fffffffffffffffULL / 10000000ULL)
			putil_ft(v * 10000000ULL, t4);
		if (col[C_SID] >= 0) {
			unsigned char sid[68];
			size_t sz = 0;
			if (libesedb_record_get_value_binary_data_size(r, col[C_SID], &sz, NULL) == 1 && sz >= 12 &&
			    sz <= sizeof(sid) &&
			    libesedb_record_get_value_binary_data(r, col[C_SID], sid, sz, NULL) == 1) {
				/* the directory stores the RID big-endian */
				const unsigned char *p = sid + sz - 4;
				rid = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
				have_rid = 1;
			}
		}
		libesedb_record_free(&r, NULL);
		if (!name[0])
			continue;
		shodo_account_row ar;
		shodo_account_row_init(&ar);
		ar.volume = a->volume;
		ar.origin = "ntds";
		ar.name = name;
		if (have_rid)
			ar.rid = rid;
		ar.full_name = display;
		if (have_uac) {
			ar.enabled = !(uac & UF_ACCOUNTDISABLE);
			ar.password_never_expires = !!(uac & UF_DONT_EXPIRE_PASSWD);
			ar.password_not_required = !!(uac & UF_PASSWD_NOTREQD);
		}
		ar.admin = have_admin && admin ? 1 : 0;
		ar.groups = have_admin && admin ? "adminCount=1" : NULL;
		ar.created = t4;
		ar.last_logon = t1;
		ar.last_password_set = t2;
		ar.last_failed_logon = t3;
		if (have_logons)
			ar.logon_count = logons;
		if (have_bad)
			ar.bad_password_count = badpwd;
		ar.comment = desc;
		ar.source = a->source;
		if ((rc = shodo_store_add_account(ctx->store, &ar, err)) != SHODO_OK)
			goto out;
		users++;
	}
	int dirty = 0;
	{
		/* ESE header: database state at 0x34 (2 = dirty shutdown) */
		unsigned char h[0x38];
		FILE *fp = fopen(a->file, "rb");
		if (fp) {
			dirty = fread(h, 1, sizeof(h), fp) == sizeof(h) && le32(h + 0x34) == 2;
			fclose(fp);
		}
	}
	if (bad || dirty)
		rc = shodo_err_set(err, SHODO_WARN, 0, "%d user accounts, %d computer accounts%s%s", users, machines,
		                   dirty ? "; database in dirty shutdown state, its transaction logs were not replayed "
		                           "(recent changes may be missing)" : "",
		                   bad ? "; some records unreadable" : "");
	else
		snprintf(err->msg, sizeof(err->msg), "%d user accounts, %d computer accounts", users, machines);
out:
	if (e)
		libesedb_error_free(&e);
	if (t)
		libesedb_table_free(&t, NULL);
	if (f) {
		libesedb_file_close(f, NULL);
		libesedb_file_free(&f, NULL);
	}
	return rc;
}

const shodo_parser shodo_parser_ntds = {"ntds", bid_ntds, parse_ntds};
