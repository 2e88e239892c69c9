/*
 * SECURITY hive: domain membership facts from the LSA policy.
 *
 *   Policy\PolAcDmN, PolAcDmS   account domain (the machine) name and SID
 *   Policy\PolPrDmN, PolPrDmS   primary domain (workgroup or AD domain)
 *
 * Written to table host: account_domain, machine_sid, primary_domain,
 * primary_domain_sid, domain_joined (1 when the primary domain has a SID).
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
	int state = reg_state(f, lognote, dirty, sizeof(dirty));
	int is_dirty = state != REG_CLEAN;
	if (state == REG_DAMAGED)
		rc = shodo_err_set(err, SHODO_WARN, 0, "%s", dirty);
	else
		snprintf(err->msg, sizeof(err->msg), "%s%s%s", found ? "domain membership" : "no LSA policy names found",
		         is_dirty ? "; " : "", is_dirty ? dirty : "");
out:
	reg_close(&f);
	return rc;
}

const shodo_parser shodo_parser_hive_security = {"hive_security", bid_security, parse_security};
