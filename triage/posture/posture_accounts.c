/*
 * triage/posture/posture_accounts.c — account weaknesses from the SAM hive (and
 * the SECURITY hive for the domain's name): members of the local
 * Administrators alias (local RIDs and domain SIDs such as Domain Admins or
 * Domain Users), the built-in Administrator and Guest, passwords that never
 * expire or are not required, and the local password and lockout policy
 * (SAM\Domains\Account F).  On domain controllers the domain policy comes
 * from SYSVOL GptTmpl.inf rows in the `policy` table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "posture_int.h"

#define R_LAPS "unique local admin passwords (LAPS); disable the built-in Administrator where possible"
#define R_LOCKOUT "account lockout: lock after a few failed logons (e.g. 5 in 15 min)"
#define R_PWLEN "password policy: minimum length 14, complexity on"
#define R_ADMINS "least privilege: only named admin accounts in local Administrators, never Domain Users"

#define ACB_DISABLED 0x0001
#define ACB_PWNOTREQ 0x0004
#define ACB_PWNOEXP 0x0200


size_t posture_sid_str(const unsigned char *p, size_t n, char *out, size_t outsz)
{
	if (n < 8 || p[0] != 1 || p[1] > 15 || n < 8u + 4u * p[1])
		return 0;
	uint64_t auth = 0;
	for (int i = 0; i < 6; i++)
		auth = auth << 8 | p[2 + i];
	size_t o = (size_t)snprintf(out, outsz, "S-1-%llu", (unsigned long long)auth);
	for (int i = 0; i < p[1] && o < outsz; i++)
		o += (size_t)snprintf(out + o, outsz - o, "-%u", le32(p + 8 + 4 * i));
	return 8u + 4u * p[1];
}

int posture_sam_users(libregf_file_t *sam, sam_user **out)
{
	*out = NULL;
	libregf_key_t *users = reg_key(sam, "SAM\\Domains\\Account\\Users");
	int n = reg_nsub(users), nu = 0;
	sam_user *u = calloc(n > 0 ? (size_t)n : 1, sizeof(*u));
	if (!u) {
		reg_key_free(&users);
		return 0;
	}
	for (int i = 0; i < n; i++) {
		libregf_key_t *k = reg_sub(users, i);
		char *name = reg_name_dup(k);
		char *end = NULL;
		unsigned long rid = name ? strtoul(name, &end, 16) : 0;
		if (name && end && !*end && strlen(name) == 8) {
			sam_user *s = &u[nu];
			s->rid = (uint32_t)rid;
			size_t fl = 0, vl = 0;
			unsigned char *f = reg_binary_dup(k, "F", &fl);
			if (f && fl >= 0x3A) {
				s->acb = le16(f + 0x38);
				s->have_f = 1;
			}
			unsigned char *v = reg_binary_dup(k, "V", &vl);
			if (v && vl >= 0xCC) {
				uint32_t off = le32(v + 0x0C), len = le32(v + 0x10);
				if (len && len < 512 && (uint64_t)0xCC + off + len <= vl) {
					char *nm = reg_utf16_dup(v + 0xCC + off, len);
					if (nm)
						snprintf(s->name, sizeof(s->name), "%s", nm);
					free(nm);
				}
			}
			if (!s->name[0])
				snprintf(s->name, sizeof(s->name), "RID %u", s->rid);
			free(f);
			free(v);
			nu++;
		}
		free(name);
		reg_key_free(&k);
	}
	reg_key_free(&users);
	*out = u;
	return nu;
}

static const char *user_name(const sam_user *u, int nu, uint32_t rid)
{
	for (int i = 0; i < nu; i++)
		if (u[i].rid == rid)
			return u[i].name;
	return NULL;
}

static const char *well_known(const char *sid)
{
	static const struct { const char *sid, *name; } w[] = {
		{"S-1-1-0", "Everyone"}, {"S-1-5-11", "Authenticated Users"}, {"S-1-5-4", "Interactive"},
		{"S-1-5-18", "SYSTEM"}, {"S-1-5-32-544", "Administrators"}, {"S-1-5-32-545", "Users"},
		{"S-1-5-32-546", "Guests"}, {"S-1-5-7", "Anonymous Logon"}, {"S-1-5-2", "Network"},
	};
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		if (!strcmp(sid, w[i].sid))
			return w[i].name;
	return NULL;
}

static const char *domain_rid_name(uint32_t rid)
{
	switch (rid) {
	case 500: return "Administrator";
	case 512: return "Domain Admins";
	case 513: return "Domain Users";
	case 514: return "Domain Guests";
	case 515: return "Domain Computers";
	case 516: return "Domain Controllers";
	case 518: return "Schema Admins";
	case 519: return "Enterprise Admins";
	case 520: return "Group Policy Creator Owners";
	default: return NULL;
	}
}

static void check_admins(posture_host *h, sam_user *u, int nu, const char *machine_sid, const char *dom_name,
                         const char *dom_sid)
{
	libregf_key_t *k = reg_key(h->sam, "SAM\\Domains\\Builtin\\Aliases\\00000220");
	size_t cl = 0;
	unsigned char *c = reg_binary_dup(k, "C", &cl);
	reg_key_free(&k);
	if (!c || cl < 0x34) {
		free(c);
		return;
	}
	uint32_t off = le32(c + 0x28), cnt = le32(c + 0x30);
	char members[2048] = "", sids[2048] = "";
	int bad = 0, local_enabled_admins = 0;
	size_t pos = 0x34 + (size_t)off;
	for (uint32_t i = 0; i < cnt && i < 1000 && pos < cl; i++) {
		char sid[200], label[300];
		size_t l = posture_sid_str(c + pos, cl - pos, sid, sizeof(sid));
		if (!l)
			break;
		pos += l;
		const char *wk = well_known(sid);
		const char *last = strrchr(sid, '-');
		uint32_t rid = last ? (uint32_t)strtoul(last + 1, NULL, 10) : 0;
		size_t prefix = last ? (size_t)(last - sid) : 0;
		if (wk) {
			snprintf(label, sizeof(label), "%s", wk);
			if (!strcmp(sid, "S-1-1-0") || !strcmp(sid, "S-1-5-11") || !strcmp(sid, "S-1-5-4") ||
			    !strcmp(sid, "S-1-5-32-545"))
				bad = 1;
		} else if (machine_sid[0] && strlen(machine_sid) == prefix && !strncmp(sid, machine_sid, prefix)) {
			const char *nm = user_name(u, nu, rid);
			snprintf(label, sizeof(label), "%s (local)", nm ? nm : sid);
			for (int j = 0; j < nu; j++)
				if (u[j].rid == rid && !(u[j].acb & ACB_DISABLED))
					local_enabled_admins++;
		} else if (!strncmp(sid, "S-1-5-21-", 9)) {
			const char *dn = domain_rid_name(rid);
			int same = dom_name && dom_sid && dom_sid[0] && strlen(dom_sid) == prefix &&
			           !strncmp(sid, dom_sid, prefix);
			char who[160];
			if (same)
				snprintf(who, sizeof(who), "%s\\", dom_name);
			else
				snprintf(who, sizeof(who), "domain ");
			if (dn)
				snprintf(label, sizeof(label), "%s%s", who, dn);
			else
				snprintf(label, sizeof(label), "%saccount RID %u", who, rid);
			if (rid == 513 || rid == 515)
				bad = 1;
		} else {
			snprintf(label, sizeof(label), "%s", sid);
		}
		size_t ml = strlen(members), sl = strlen(sids);
		snprintf(members + ml, sizeof(members) - ml, "%s%s", ml ? ", " : "", label);
		snprintf(sids + sl, sizeof(sids) - sl, "%s%s", sl ? ", " : "", sid);
	}
	posture_add(h, bad ? "high" : "info", "accounts",
	            bad ? "local Administrators includes a broad group (every user is an administrator)"
	                : "local Administrators members",
	            members[0] ? members : "(none)", bad ? R_ADMINS : NULL, h->sam_src,
	            "%s: SAM\\Domains\\Builtin\\Aliases\\00000220\\C members = %s", h->sam_path, sids[0] ? sids : "(none)");
	if (local_enabled_admins > 1) {
		char v[16];
		snprintf(v, sizeof(v), "%d", local_enabled_admins);
		posture_add(h, "low", "accounts", "several enabled local accounts are administrators", v, R_LAPS,
		            h->sam_src, "%s: SAM\\Domains\\Builtin\\Aliases\\00000220\\C members = %s", h->sam_path, sids);
	}
	free(c);
}

static void check_users(posture_host *h, sam_user *u, int nu)
{
	char never[1024] = "", notreq[1024] = "";
	for (int i = 0; i < nu; i++) {
		if (!u[i].have_f)
			continue;
		int enabled = !(u[i].acb & ACB_DISABLED);
		if (u[i].rid == 500 || u[i].rid == 501) {
			int adm = u[i].rid == 500;
			char f[200];
			snprintf(f, sizeof(f), "built-in %s account %s (%s)", adm ? "Administrator" : "Guest",
			         enabled ? "enabled" : "disabled", u[i].name);
			posture_add(h, enabled ? (adm ? "medium" : "high") : "info", "accounts", f,
			            enabled ? "enabled" : "disabled",
			            enabled ? (adm ? R_LAPS : "disable the Guest account") : NULL, h->sam_src,
			            "%s: SAM\\Domains\\Account\\Users\\%08X\\F account flags = 0x%04X", h->sam_path, u[i].rid,
			            u[i].acb);
		}
		if (!enabled)
			continue;
		if (u[i].acb & ACB_PWNOEXP) {
			size_t l = strlen(never);
			snprintf(never + l, sizeof(never) - l, "%s%s", l ? ", " : "", u[i].name);
		}
		if (u[i].acb & ACB_PWNOTREQ) {
			size_t l = strlen(notreq);
			snprintf(notreq + l, sizeof(notreq) - l, "%s%s", l ? ", " : "", u[i].name);
		}
	}
	if (never[0])
		posture_add(h, "low", "accounts", "enabled accounts whose password never expires", never,
		            "passwords that expire, or managed passwords (LAPS) for local admin accounts", h->sam_src,
		            "%s: SAM\\Domains\\Account\\Users\\<RID>\\F account flags with 0x0200 (password never expires)",
		            h->sam_path);
	if (notreq[0])
		posture_add(h, "medium", "accounts", "enabled accounts that need no password", notreq,
		            "require a password on every account", h->sam_src,
		            "%s: SAM\\Domains\\Account\\Users\\<RID>\\F account flags with 0x0004 (password not required)",
		            h->sam_path);
}

static void interval_str(uint64_t v, char *out, size_t n)
{
	/* negative 100 ns interval; 0x8000000000000000 (or 0) = never */
	if (v == 0x8000000000000000ULL || v == 0) {
		snprintf(out, n, "never");
		return;
	}
	int64_t iv = (int64_t)v;
	if (iv < 0)
		iv = -iv;
	unsigned long long mins = (unsigned long long)(iv / 600000000LL);
	if (mins >= 1440)
		snprintf(out, n, "%llu days", mins / 1440);
	else
		snprintf(out, n, "%llu minutes", mins);
}

static void check_policy(posture_host *h)
{
	libregf_key_t *k = reg_key(h->sam, "SAM\\Domains\\Account");
	size_t fl = 0;
	unsigned char *f = reg_binary_dup(k, "F", &fl);
	reg_key_free(&k);
	if (!f || fl < 0x58) {
		free(f);
		return;
	}
	unsigned minlen = le16(f + 0x50), hist = le16(f + 0x52), lockout = le16(f + 0x54);
	uint32_t props = le32(f + 0x4C);
	char maxage[32], lockdur[32], ev[600];
	interval_str(le64(f + 0x18), maxage, sizeof(maxage));
	interval_str(le64(f + 0x30), lockdur, sizeof(lockdur));
	snprintf(ev, sizeof(ev),
	         "%s: SAM\\Domains\\Account\\F MinPasswordLength = %u, PasswordHistoryLength = %u, LockoutThreshold = %u, "
	         "PasswordProperties = 0x%X, MaxPasswordAge = %s, LockoutDuration = %s",
	         h->sam_path, minlen, hist, lockout, props, maxage, lockdur);
	char v[64];
	snprintf(v, sizeof(v), "%u", minlen);
	posture_add(h, minlen == 0 ? "high" : minlen < 8 ? "medium" : minlen < 14 ? "low" : "info", "password policy",
	            minlen == 0 ? "local password policy: no minimum password length"
	                        : "local password policy: minimum length",
	            v, minlen < 14 ? R_PWLEN : NULL, h->sam_src, "%s", ev);
	snprintf(v, sizeof(v), "%u", lockout);
	posture_add(h, lockout == 0 ? "high" : "info", "password policy",
	            lockout == 0 ? "local account lockout off (no lockout threshold)" : "local account lockout threshold",
	            v, lockout == 0 ? R_LOCKOUT : NULL, h->sam_src, "%s", ev);
	posture_add(h, props & 1 ? "info" : "medium", "password policy",
	            props & 1 ? "local password complexity required" : "local password complexity not required",
	            props & 1 ? "on" : "off", props & 1 ? NULL : R_PWLEN, h->sam_src, "%s", ev);
	int never = !strcmp(maxage, "never");
	posture_add(h, never ? "low" : "info", "password policy", "local maximum password age", maxage,
	            never ? "passwords that expire, or managed passwords (LAPS)" : NULL, h->sam_src, "%s", ev);
	free(f);
}

/* Domain policy from SYSVOL GptTmpl.inf, when the parsers stored it */
static void check_domain_policy(posture_host *h)
{
	sqlite3 *db = shodo_store_db(h->ctx->store);
	sqlite3_stmt *s = NULL;
	/* only SYSVOL rows: the parsers also store the SAM's local policy here,
	 * which check_policy reports from the hive itself */
	if (sqlite3_prepare_v2(db, "SELECT key, value, source FROM policy WHERE (volume IS ?1 OR ?1 = ''"
	                           " OR volume IS NULL) AND (source LIKE '%GptTmpl.inf' OR origin LIKE '%gpt%'"
	                           " OR origin LIKE '%sysvol%' OR origin LIKE '%domain%')", -1, &s, NULL) != SQLITE_OK) {
		sqlite3_finalize(s);
		return;
	}
	sqlite3_bind_text(s, 1, h->volume, -1, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(s, 0);
		const char *val = (const char *)sqlite3_column_text(s, 1);
		const char *src = (const char *)sqlite3_column_text(s, 2);
		if (!key || !val)
			continue;
		const char *leaf = key;
		for (const char *p = key; *p; p++)
			if (*p == '/' || *p == '\\' || *p == '.' || *p == ':' || *p == ']')
				leaf = p + 1;
		while (*leaf == ' ')
			leaf++;
		long v = strtol(val, NULL, 10);
		const char *where = src ? src : "GptTmpl.inf";
		if (!strcasecmp(leaf, "MinimumPasswordLength"))
			posture_add(h, v == 0 ? "high" : v < 8 ? "medium" : v < 14 ? "low" : "info", "password policy",
			            v == 0 ? "domain password policy: no minimum password length"
			                   : "domain password policy: minimum length",
			            val, v < 14 ? R_PWLEN : NULL, src, "%s: %s = %s", where, key, val);
		else if (!strcasecmp(leaf, "LockoutBadCount"))
			posture_add(h, v == 0 ? "high" : "info", "password policy",
			            v == 0 ? "domain account lockout off (LockoutBadCount = 0)" : "domain account lockout threshold",
			            val, v == 0 ? R_LOCKOUT : NULL, src, "%s: %s = %s", where, key, val);
		else if (!strcasecmp(leaf, "PasswordComplexity"))
			posture_add(h, v == 0 ? "medium" : "info", "password policy",
			            v == 0 ? "domain password complexity not required" : "domain password complexity required",
			            val, v == 0 ? R_PWLEN : NULL, src, "%s: %s = %s", where, key, val);
		else if (!strcasecmp(leaf, "MaximumPasswordAge"))
			posture_add(h, v <= 0 ? "low" : "info", "password policy", "domain maximum password age (days)", val,
			            NULL, src, "%s: %s = %s", where, key, val);
	}
	sqlite3_finalize(s);
}

void posture_check_accounts(posture_host *h)
{
	check_domain_policy(h);
	if (!h->sam)
		return;
	sam_user *u = NULL;
	int nu = posture_sam_users(h->sam, &u);
	char machine_sid[128] = "";
	libregf_key_t *acc = reg_key(h->sam, "SAM\\Domains\\Account");
	size_t vl = 0;
	unsigned char *v = reg_binary_dup(acc, "V", &vl);
	reg_key_free(&acc);
	if (v && vl >= 24 && v[vl - 24] == 1 && v[vl - 23] == 4)
		posture_sid_str(v + vl - 24, 24, machine_sid, sizeof(machine_sid));
	free(v);
	char *dom_name = NULL, dom_sid[128] = "";
	if (h->sec) {
		libregf_key_t *k = reg_key(h->sec, "Policy\\PolPrDmN");
		size_t n = 0;
		unsigned char *d = reg_binary_dup(k, NULL, &n);
		reg_key_free(&k);
		if (d && n >= 8) {
			uint16_t len = le16(d);
			uint32_t off = le32(d + 4);
			if (off >= 8 && (size_t)off + len <= n && len)
				dom_name = reg_utf16_dup(d + off, len);
		}
		free(d);
		k = reg_key(h->sec, "Policy\\PolPrDmS");
		d = reg_binary_dup(k, NULL, &n);
		reg_key_free(&k);
		if (d && n >= 8)
			posture_sid_str(d, n, dom_sid, sizeof(dom_sid));
		free(d);
	}
	check_admins(h, u, nu, machine_sid, dom_name, dom_sid);
	check_users(h, u, nu);
	check_policy(h);
	free(dom_name);
	free(u);
}
