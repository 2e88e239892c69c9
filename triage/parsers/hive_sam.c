/*
 * SAM hive: local accounts and the account policy.
 *
 *   SAM\Domains\Account\Users\Names\<name>   default value's type = RID;
 *                                            key time = account created
 *   SAM\Domains\Account\Users\<RID>\F        times, ACB flags, counters
 *   SAM\Domains\Account\Users\<RID>\V        name, full name, comment
 *   SAM\Domains\Builtin\Aliases\<RID>\C      local groups and their members
 *   SAM\Domains\Account\F                    password and lockout policy
 *
 * Password hashes live in V (and the keys to them in Account\F); this file
 * reads only the fields named above and never touches those ranges.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "regutil.h"

#define ACB_DISABLED 0x0001
#define ACB_PWNOTREQ 0x0004
#define ACB_PWNOEXP 0x0200

/* one local group from Builtin\Aliases */
struct alias {
	uint32_t rid;
	char name[128];
	uint32_t *members;  /* RIDs of members in the machine domain */
	size_t n;
};

/* The machine SID's three sub-authorities, from the end of Account\V. */
static int machine_sid(libregf_file_t *f, uint32_t sub[3])
{
	libregf_key_t *k = reg_key(f, "SAM\\Domains\\Account");
	unsigned char v[4096];
	size_t len = 0;
	int ok = 0;
	if (k && reg_bin(k, "V", v, sizeof(v), &len) && len >= 24) {
		const unsigned char *s = v + len - 24;
		if (s[0] == 1 && s[1] == 4 && le32(s + 8) == 21) {
			sub[0] = le32(s + 12);
			sub[1] = le32(s + 16);
			sub[2] = le32(s + 20);
			ok = 1;
		}
	}
	reg_key_free(&k);
	return ok;
}

static void read_aliases(libregf_file_t *f, const uint32_t msid[3], int have_msid, struct alias **out, size_t *nout)
{
	*out = NULL;
	*nout = 0;
	libregf_key_t *k = reg_key(f, "SAM\\Domains\\Builtin\\Aliases");
	if (!k)
		return;
	int n = 0;
	if (libregf_key_get_number_of_sub_keys(k, &n, NULL) != 1)
		n = 0;
	if (n > 1024)
		n = 1024;
	struct alias *al = calloc((size_t)(n > 0 ? n : 1), sizeof(*al));
	unsigned char *c = malloc(65536);
	if (!al || !c) {
		free(al);
		free(c);
		reg_key_free(&k);
		return;
	}
	size_t na = 0;
	for (int i = 0; i < n; i++) {
		libregf_key_t *s = NULL;
		char kn[64];
		size_t len = 0;
		if (libregf_key_get_sub_key(k, i, &s, NULL) != 1)
			continue;
		char *end = NULL;
		if (reg_key_name(s, kn, sizeof(kn)) && strlen(kn) == 8 && (strtoul(kn, &end, 16), *end == '\0') &&
		    reg_bin(s, "C", c, 65536, &len) && len >= 0x34) {
			struct alias *a = &al[na];
			a->rid = (uint32_t)strtoul(kn, NULL, 16);
			uint32_t no = le32(c + 0x10), nl = le32(c + 0x14);
			if ((uint64_t)0x34 + no + nl <= len)
				reg_utf16(c + 0x34 + no, nl, a->name, sizeof(a->name));
			uint32_t uo = le32(c + 0x28), ul = le32(c + 0x2C), cnt = le32(c + 0x30);
			if ((uint64_t)0x34 + uo + ul <= len && cnt < 100000) {
				a->members = calloc(cnt ? cnt : 1, sizeof(uint32_t));
				const unsigned char *p = c + 0x34 + uo, *e = p + ul;
				for (uint32_t m = 0; a->members && m < cnt && p + 8 <= e; m++) {
					unsigned subs = p[1];
					size_t sl = 8 + 4u * subs;
					if (p[0] != 1 || subs > 15 || p + sl > e)
						break;
					/* S-1-5-21-a-b-c-RID of this machine (of any domain
					 * when the machine SID is unknown) */
					if (subs == 5 && le32(p + 8) == 21 &&
					    (!have_msid || (le32(p + 12) == msid[0] && le32(p + 16) == msid[1] &&
					                    le32(p + 20) == msid[2])))
						a->members[a->n++] = le32(p + 24);
					p += sl;
				}
			}
			na++;
		}
		libregf_key_free(&s, NULL);
	}
	free(c);
	reg_key_free(&k);
	*out = al;
	*nout = na;
}

static void free_aliases(struct alias *al, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(al[i].members);
	free(al);
}

/* negative 100 ns intervals -> whole units; "never" for the extreme */
static void duration(uint64_t v, uint64_t unit, char *out, size_t n)
{
	int64_t s = (int64_t)v;
	if (v == 0x8000000000000000ULL)
		snprintf(out, n, "never");
	else
		snprintf(out, n, "%lld", (long long)((s < 0 ? -s : s) / (int64_t)unit));
}

static shodo_status policy(libregf_file_t *f, const shodo_artifact *a, shodo_triage_ctx *ctx, shodo_err *err)
{
	libregf_key_t *k = reg_key(f, "SAM\\Domains\\Account");
	unsigned char v[0x60];
	size_t len = 0;
	shodo_status rc = SHODO_OK;
	if (!k || !reg_bin(k, "F", v, sizeof(v), &len) || len < 0x58) {
		reg_key_free(&k);
		return SHODO_OK;
	}
	reg_key_free(&k);
	const uint64_t DAY = 864000000000ULL, MINUTE = 600000000ULL;
	struct {
		const char *key;
		char val[32];
	} p[9];
	snprintf(p[0].val, sizeof(p[0].val), "%u", le16(v + 0x50));
	p[0].key = "MinimumPasswordLength";
	snprintf(p[1].val, sizeof(p[1].val), "%u", le16(v + 0x52));
	p[1].key = "PasswordHistorySize";
	snprintf(p[2].val, sizeof(p[2].val), "%u", le16(v + 0x54));
	p[2].key = "LockoutBadCount";
	duration(le64(v + 0x18), DAY, p[3].val, sizeof(p[3].val));
	p[3].key = "MaximumPasswordAge";
	duration(le64(v + 0x20), DAY, p[4].val, sizeof(p[4].val));
	p[4].key = "MinimumPasswordAge";
	duration(le64(v + 0x30), MINUTE, p[5].val, sizeof(p[5].val));
	p[5].key = "LockoutDuration";
	duration(le64(v + 0x38), MINUTE, p[6].val, sizeof(p[6].val));
	p[6].key = "ResetLockoutCount";
	snprintf(p[7].val, sizeof(p[7].val), "%u", le32(v + 0x4C) & 1);
	p[7].key = "PasswordComplexity";
	snprintf(p[8].val, sizeof(p[8].val), "%u", (le32(v + 0x4C) >> 4) & 1);
	p[8].key = "ClearTextPassword";
	for (int i = 0; i < 9; i++)
		if ((rc = putil_policy(ctx, a, "sam", p[i].key, p[i].val, err)) != SHODO_OK)
			return rc;
	return SHODO_OK;
}

static int bid_sam(const shodo_artifact *a, const unsigned char *head, size_t n)
{
	return reg_bid(a, head, n, HIVE_SAM);
}

static shodo_status parse_sam(const shodo_artifact *a, shodo_triage_ctx *ctx, shodo_err *err)
{
	libregf_file_t *f = NULL;
	libregf_key_t *names = NULL;
	struct alias *al = NULL;
	size_t nal = 0;
	char dirty[1024];
	int nusers = 0, partial = 0;
	char lognote[600];
	shodo_status rc = reg_open_hive(a->file, &f, lognote, sizeof(lognote), err);
	if (rc != SHODO_OK)
		return rc;
	reg_kind kind = reg_kind_of(f);
	if (kind != HIVE_SAM) {
		rc = shodo_err_set(err, SHODO_FAILED, 0, "not a readable SAM hive: %s",
		                   kind == HIVE_UNKNOWN ? "root key unreadable or of no known hive kind"
		                                        : "the hive is of another kind");
		goto out;
	}
	names = reg_key(f, "SAM\\Domains\\Account\\Users\\Names");
	if (!names) {
		rc = shodo_err_set(err, SHODO_FAILED, 0, "SAM hive without a readable Domains\\Account\\Users\\Names key");
		goto out;
	}
	uint32_t msid[3] = {0, 0, 0};
	int have_msid = machine_sid(f, msid);
	read_aliases(f, msid, have_msid, &al, &nal);
	if (have_msid) {
		char sid[96];
		snprintf(sid, sizeof(sid), "S-1-5-21-%u-%u-%u", msid[0], msid[1], msid[2]);
		if ((rc = putil_host(ctx, a, "machine_sid", sid, err)) != SHODO_OK)
			goto out;
	}

	int n = 0;
	if (libregf_key_get_number_of_sub_keys(names, &n, NULL) != 1) {
		partial = 1;
		n = 0;
	}
	for (int i = 0; i < n && i < 100000; i++) {
		libregf_key_t *nk = NULL, *uk = NULL;
		char name[512], path[128], created[48] = "", fullname[512] = "", comment[1024] = "", groups[1024] = "";
		char last_logon[48] = "", pw_set[48] = "", failed[48] = "";
		uint32_t rid = 0;
		int have_f = 0, admin = 0;
		unsigned acb = 0, bad = 0, count = 0;
		if (libregf_key_get_sub_key(names, i, &nk, NULL) != 1) {
			partial = 1;
			continue;
		}
		if (!reg_key_name(nk, name, sizeof(name)) || !reg_type(nk, "", &rid)) {
			libregf_key_free(&nk, NULL);
			partial = 1;
			continue;
		}
		putil_ft(reg_key_time(nk), created);
		libregf_key_free(&nk, NULL);

		snprintf(path, sizeof(path), "SAM\\Domains\\Account\\Users\\%08X", rid);
		uk = reg_key(f, path);
		if (uk) {
			unsigned char fv[0x50];
			size_t len = 0;
			if (reg_bin(uk, "F", fv, sizeof(fv), &len) && len >= 0x48) {
				have_f = 1;
				putil_ft(le64(fv + 0x08), last_logon);
				putil_ft(le64(fv + 0x18), pw_set);
				putil_ft(le64(fv + 0x28), failed);
				acb = le16(fv + 0x38);
				bad = le16(fv + 0x40);
				count = le16(fv + 0x42);
			}
			/* V: only the full name and comment entries (0x18, 0x24); the
			 * hash entries further on are not read */
			unsigned char *vv = malloc(8192);
			if (vv && reg_bin(uk, "V", vv, 8192, &len) && len >= 0xCC) {
				uint32_t fo = le32(vv + 0x18), fl = le32(vv + 0x1C);
				uint32_t co = le32(vv + 0x24), cl = le32(vv + 0x28);
				if ((uint64_t)0xCC + fo + fl <= len)
					reg_utf16(vv + 0xCC + fo, fl, fullname, sizeof(fullname));
				if ((uint64_t)0xCC + co + cl <= len)
					reg_utf16(vv + 0xCC + co, cl, comment, sizeof(comment));
			}
			free(vv);
			reg_key_free(&uk);
		}
		size_t gl = 0;
		for (size_t g = 0; g < nal; g++)
			for (size_t m = 0; m < al[g].n; m++)
				if (al[g].members[m] == rid) {
					if (al[g].rid == 544)
						admin = 1;
					if (gl + strlen(al[g].name) + 3 < sizeof(groups))
						gl += (size_t)snprintf(groups + gl, sizeof(groups) - gl, "%s%s", gl ? "," : "",
						                       al[g].name[0] ? al[g].name : "?");
					break;
				}
		shodo_account_row ar;
		shodo_account_row_init(&ar);
		ar.volume = a->volume;
		ar.origin = "sam";
		ar.name = name;
		ar.rid = rid;
		ar.full_name = fullname;
		if (have_f) {
			ar.enabled = !(acb & ACB_DISABLED);
			ar.logon_count = (long long)count;
			ar.bad_password_count = (long long)bad;
			ar.password_never_expires = !!(acb & ACB_PWNOEXP);
			ar.password_not_required = !!(acb & ACB_PWNOTREQ);
		}
		if (nal)
			ar.admin = admin;
		ar.groups = groups;
		ar.created = created;
		ar.last_logon = last_logon;
		ar.last_password_set = pw_set;
		ar.last_failed_logon = failed;
		ar.comment = comment;
		ar.source = a->source;
		if ((rc = shodo_store_add_account(ctx->store, &ar, err)) != SHODO_OK)
			goto out;
		nusers++;
		if (!have_f)
			partial = 1;
	}
	if ((rc = policy(f, a, ctx, err)) != SHODO_OK)
		goto out;
	int state = reg_state(f, lognote, dirty, sizeof(dirty));
	int is_dirty = state != REG_CLEAN;
	/* a dirty hive is the normal state of a running system: said, not a warning */
	if (partial || state == REG_DAMAGED)
		rc = shodo_err_set(err, SHODO_WARN, 0, "%d accounts%s%s%s", nusers,
		                   partial ? "; some account keys unreadable" : "", is_dirty ? "; " : "",
		                   is_dirty ? dirty : "");
	else
		snprintf(err->msg, sizeof(err->msg), "%d accounts%s%s", nusers, is_dirty ? "; " : "", is_dirty ? dirty : "");
out:
	free_aliases(al, nal);
	reg_key_free(&names);
	reg_close(&f);
	return rc;
}

const shodo_parser shodo_parser_hive_sam = {"hive_sam", bid_sam, parse_sam};
