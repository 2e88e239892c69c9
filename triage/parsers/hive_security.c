/*
 * SECURITY hive: domain membership facts from the LSA policy.
 *
 *   Policy\PolAcDmN, PolAcDmS   account domain (the machine) name and SID
 *   Policy\PolPrDmN, PolPrDmS   primary domain (workgroup or AD domain)
 *
 * Written to table host: account_domain, machine_sid, primary_domain,
 * primary_domain_sid, domain_joined (1 when the primary domain has a SID).
 *
 *   Policy\PolAdtEv   the audit policy (default value, binary)
 *
 * Two layouts (public descriptions: Microsoft KB 246120 for NT 4.0, RegRipper
 * auditpol_xp and auditpol, dissect.target's auditpol plugin; the layout
 * checks below accept only bytes that agree with them):
 *   NT 4.0 to 2003: byte 0 = auditing on (1) or off (0); then one 32-bit value
 *     per category (System, Logon, Object Access, Privilege Use, Process
 *     Tracking, Policy Change, Account Management[, DS Access, Account
 *     Logon]); a last 32-bit value = the number of categories (7 or 9).
 *   Vista and later: a 12-byte header (16-bit number of categories at 4,
 *     16-bit offset of the footer at 8); from byte 12 one 16-bit value per
 *     subcategory, category after category (System, Logon/Logoff, Object
 *     Access, Privilege Use, Detailed Tracking, Policy Change, Account
 *     Management, DS Access, Account Logon); the footer holds the number of
 *     subcategories of each category.  Logon/Logoff's first subcategory is
 *     Logon (4624/4625), Account Logon's first Credential Validation (4776).
 * Every value: 0 none, 1 success, 2 failure, 3 both.  Written to table
 * policy (origin "audit"): audit_layout, audit_enabled (old layout),
 * audit_logon, audit_account_logon ("success and failure", "success",
 * "failure", "none"), and each category's values as read.
 * Cached domain logons and LSA secrets also live here; they are not read.
 */
#include <stdio.h>
#include <string.h>
#include "regutil.h"

static int bid_security(const shodo_artifact *a, const unsigned char *head, size_t n)
{
	return reg_bid(a, head, n, HIVE_SECURITY);
}

/* UNICODE_STRING as stored: length, maximum length, offset of the text */
static int lsa_name(libregf_file_t *f, const char *path, char *out, size_t n)
{
	unsigned char b[1024];
	size_t len = 0;
	out[0] = '\0';
	libregf_key_t *k = reg_key(f, path);
	int ok = k && reg_bin(k, "", b, sizeof(b), &len) && len >= 8;
	reg_key_free(&k);
	if (!ok)
		return 0;
	uint32_t l = le16(b), off = le32(b + 4);
	if ((uint64_t)off + l > len)
		return 0;
	reg_utf16(b + off, l, out, n);
	return out[0] != '\0';
}

static int lsa_sid(libregf_file_t *f, const char *path, char *out, size_t n)
{
	unsigned char b[128];
	size_t len = 0;
	out[0] = '\0';
	libregf_key_t *k = reg_key(f, path);
	int ok = k && reg_bin(k, "", b, sizeof(b), &len) && len >= 8;
	reg_key_free(&k);
	if (!ok || b[0] != 1 || b[1] > 15 || len < 8 + 4u * b[1])
		return 0;
	uint64_t auth = 0;
	for (int i = 2; i < 8; i++)
		auth = auth << 8 | b[i];
	size_t o = (size_t)snprintf(out, n, "S-1-%llu", (unsigned long long)auth);
	for (unsigned i = 0; i < b[1] && o < n; i++)
		o += (size_t)snprintf(out + o, n - o, "-%u", le32(b + 8 + 4 * i));
	return 1;
}

static const char *const audit_categories[9] = {
	"System", "Logon/Logoff", "Object Access", "Privilege Use", "Detailed Tracking", "Policy Change",
	"Account Management", "DS Access", "Account Logon",
};

static const char *audit_word(unsigned v)
{
	static const char *const w[] = {"none", "success", "failure", "success and failure"};
	return v < 4 ? w[v] : "unknown";
}

/* PolAdtEv into policy rows; *what gets a short note for the message */
static shodo_status audit_policy(libregf_file_t *f, const shodo_artifact *a, shodo_triage_ctx *ctx, char *what,
                                 size_t wn, shodo_err *err)
{
	unsigned char b[1024];
	size_t len = 0;
	what[0] = '\0';
	libregf_key_t *k = reg_key(f, "Policy\\PolAdtEv");
	int ok = k && reg_bin(k, "", b, sizeof(b), &len);
	reg_key_free(&k);
	if (!ok)
		return SHODO_OK;
	shodo_status rc;
	char key[64], v[256];
	unsigned ncat = len >= 12 ? le16(b + 4) : 0, footer = len >= 12 ? le16(b + 8) : 0;
	if (ncat >= 1 && ncat <= 9 && footer >= 12 && footer + 2u * ncat == len) {
		/* Vista and later */
		unsigned pos = 12, total = 0, logon_v = 4;
		for (unsigned c = 0; c < ncat; c++)
			total += le16(b + footer + 2 * c);
		if (12 + 2 * total > footer) {
			snprintf(what, wn, "audit policy of an unknown layout (%zu bytes)", len);
			return putil_policy(ctx, a, "audit", "audit_layout", what, err);
		}
		snprintf(v, sizeof(v), "Vista and later (%u categories, %u subcategories)", ncat, total);
		if ((rc = putil_policy(ctx, a, "audit", "audit_layout", v, err)) != SHODO_OK)
			return rc;
		for (unsigned c = 0; c < ncat; c++) {
			unsigned n = le16(b + footer + 2 * c);
			size_t vl = 0;
			v[0] = '\0';
			for (unsigned i = 0; i < n && vl < sizeof(v); i++)
				vl += (size_t)snprintf(v + vl, sizeof(v) - vl, "%s%u", i ? " " : "", le16(b + pos + 2 * i) & 3);
			snprintf(key, sizeof(key), "audit: %s", audit_categories[c]);
			if ((rc = putil_policy(ctx, a, "audit", key, v, err)) != SHODO_OK)
				return rc;
			if (n && c == 1)
				logon_v = le16(b + pos) & 3;
			if (n && (c == 1 || c == 8)) {
				const char *which = c == 1 ? "audit_logon" : "audit_account_logon";
				if ((rc = putil_policy(ctx, a, "audit", which, audit_word(le16(b + pos) & 3), err)) != SHODO_OK)
					return rc;
			}
			pos += 2 * n;
		}
		snprintf(what, wn, "audit policy: logons %s", logon_v < 4 ? audit_word(logon_v) : "not recorded");
		return SHODO_OK;
	}
	if (len >= 8 && len % 4 == 0 && le32(b + len - 4) == len / 4 - 2 && (le32(b + len - 4) == 7 ||
	    le32(b + len - 4) == 9) && b[0] <= 1) {
		/* NT 4.0 to 2003: off means nothing is audited, whatever the values */
		unsigned n = le32(b + len - 4);
		snprintf(v, sizeof(v), "%s (%u categories)", n == 9 ? "Windows 2000 to 2003" : "Windows NT 4.0", n);
		if ((rc = putil_policy(ctx, a, "audit", "audit_layout", v, err)) != SHODO_OK ||
		    (rc = putil_policy(ctx, a, "audit", "audit_enabled", b[0] ? "1" : "0", err)) != SHODO_OK)
			return rc;
		size_t vl = 0;
		v[0] = '\0';
		for (unsigned i = 0; i < n && vl < sizeof(v); i++)
			vl += (size_t)snprintf(v + vl, sizeof(v) - vl, "%s%u", i ? " " : "", le32(b + 4 + 4 * i) & 3);
		if ((rc = putil_policy(ctx, a, "audit", "audit: categories", v, err)) != SHODO_OK)
			return rc;
		unsigned logon = b[0] ? le32(b + 8) & 3 : 0, acct = b[0] && n == 9 ? le32(b + 4 + 4 * 8) & 3 : 0;
		if ((rc = putil_policy(ctx, a, "audit", "audit_logon", audit_word(logon), err)) != SHODO_OK)
			return rc;
		if (n == 9 && (rc = putil_policy(ctx, a, "audit", "audit_account_logon", audit_word(acct), err)) != SHODO_OK)
			return rc;
		snprintf(what, wn, "audit policy: %slogons %s", b[0] ? "" : "auditing off, ", audit_word(logon));
		return SHODO_OK;
	}
	snprintf(what, wn, "audit policy of an unknown layout (%zu bytes)", len);
	return putil_policy(ctx, a, "audit", "audit_layout", what, err);
}

static shodo_status parse_security(const shodo_artifact *a, shodo_triage_ctx *ctx, shodo_err *err)
{
	libregf_file_t *f = NULL;
	char v[512], dirty[512];
	int found = 0;
	char lognote[600];
	shodo_status rc = reg_open_hive(a->file, &f, lognote, sizeof(lognote), err);
	if (rc != SHODO_OK)
		return rc;
	if (reg_kind_of(f) != HIVE_SECURITY) {
		rc = shodo_err_set(err, SHODO_FAILED, 0, "not a readable SECURITY hive: root key unreadable or of "
		                                         "another kind");
		goto out;
	}
	if (lsa_name(f, "Policy\\PolAcDmN", v, sizeof(v))) {
		found++;
		if ((rc = putil_host(ctx, a, "account_domain", v, err)) != SHODO_OK)
			goto out;
	}
	if (lsa_sid(f, "Policy\\PolAcDmS", v, sizeof(v))) {
		found++;
		if ((rc = putil_host(ctx, a, "machine_sid", v, err)) != SHODO_OK)
			goto out;
	}
	if (lsa_name(f, "Policy\\PolPrDmN", v, sizeof(v))) {
		found++;
		if ((rc = putil_host(ctx, a, "primary_domain", v, err)) != SHODO_OK)
			goto out;
	}
	int joined = lsa_sid(f, "Policy\\PolPrDmS", v, sizeof(v));
	if (joined && (rc = putil_host(ctx, a, "primary_domain_sid", v, err)) != SHODO_OK)
		goto out;
	if (found && (rc = putil_host(ctx, a, "domain_joined", joined ? "1" : "0", err)) != SHODO_OK)
		goto out;
	char audit[160];
	if ((rc = audit_policy(f, a, ctx, audit, sizeof(audit), err)) != SHODO_OK)
		goto out;
	int state = reg_state(f, lognote, dirty, sizeof(dirty));
	int is_dirty = state != REG_CLEAN;
	if (state == REG_DAMAGED)
		rc = shodo_err_set(err, SHODO_WARN, 0, "%s", dirty);
	else
		snprintf(err->msg, sizeof(err->msg), "%s%s%s%s%s", found ? "domain membership" : "no LSA policy names found",
		         audit[0] ? "; " : "", audit, is_dirty ? "; " : "", is_dirty ? dirty : "");
out:
	reg_close(&f);
	return rc;
}

const shodo_parser shodo_parser_hive_security = {"hive_security", bid_security, parse_security};
