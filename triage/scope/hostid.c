/*
 * triage/scope/hostid.c — which Windows this is, and whether the hives
 * belong together.
 *
 * The operating system, in order of trust:
 *   1. SOFTWARE's CurrentVersion (ProductName, DisplayVersion/ReleaseId,
 *      CurrentBuild, UBR, EditionID: hive_software.c).  Windows 11 still
 *      writes "Windows 10" into ProductName; a build of 22000 or more is
 *      named Windows 11 and the report says why.
 *   2. The newest boot in a System log: Kernel-General 12 (major, minor,
 *      build, QFE) or EventLog 6009 ("6.01.", build, service pack); the
 *      SYSTEM hive's ProductType tells a workstation (WinNT) from a server
 *      (ServerNT) or a domain controller (LanmanNT).
 *   3. The prefetch format (17 XP/2003, 23 Vista/7, 26 8/8.1, 30 10/11,
 *      31 11 24H2): a family only.
 * Written to table host with source 'scope': os_name (what the report
 * shows), os_how (where it came from, or why the OS is unknown), and, when
 * SOFTWARE gave nothing, os_product/os_build/os_ubr/os_display_version
 * derived from the boot event.
 *
 * The machine SID of a SAM hive (end of Account\V) and SECURITY's account
 * domain SID (Policy\PolAcDmS) are the same on one machine; when they differ
 * on a volume, the hives come from different machines or one was replaced:
 * host key machine_sid_mismatch says which.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "scope.h"

/* first column of the first row as text ("" when none) */
static void q1(sqlite3 *db, const char *sql, char *out, size_t n)
{
	sqlite3_stmt *s = NULL;
	out[0] = '\0';
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return;
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		snprintf(out, n, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
}

static shodo_status put(shodo_triage_ctx *ctx, const char *volume, const char *key, const char *value,
                        shodo_err *err)
{
	sqlite3_stmt *s = shodo_store_stmt(ctx->store, "INSERT INTO host(volume, key, value, source) VALUES(?,?,?,'scope')",
	                                   err);
	if (!s)
		return SHODO_FATAL;
	shodo_bind_text(s, 1, volume);
	shodo_bind_text(s, 2, key);
	shodo_bind_text(s, 3, value);
	return shodo_store_step_done(ctx->store, s, err);
}

/* Windows 10 and 11 feature releases by build (Microsoft's release
 * information pages); servers share the kernel builds */
static const struct {
	unsigned build;
	const char *version;
} releases[] = {
	{10240, "1507"}, {10586, "1511"}, {14393, "1607"}, {15063, "1703"}, {16299, "1709"}, {17134, "1803"},
	{17763, "1809"}, {18362, "1903"}, {18363, "1909"}, {19041, "2004"}, {19042, "20H2"}, {19043, "21H1"},
	{19044, "21H2"}, {19045, "22H2"}, {22000, "21H2"}, {22621, "22H2"}, {22631, "23H2"}, {26100, "24H2"},
};

static const char *release_of(unsigned build)
{
	for (size_t i = 0; i < sizeof(releases) / sizeof(releases[0]); i++)
		if (releases[i].build == build)
			return releases[i].version;
	return NULL;
}

/* "Windows 7 SP1", "Windows Server 2019", "Windows 7 or Server 2008 R2"
 * from version, build and ProductType ("" unknown) */
void shodo_scope_os_name(unsigned major, unsigned minor, unsigned build, const char *ptype, char *out, size_t n)
{
	int server = ptype && (!strcasecmp(ptype, "ServerNT") || !strcasecmp(ptype, "LanmanNT"));
	int client = ptype && !strcasecmp(ptype, "WinNT");
	const char *c = NULL, *sv = NULL;
	unsigned v = major * 10 + minor;
	switch (v) {
	case 50: c = "Windows 2000"; sv = "Windows 2000 Server"; break;
	case 51: c = sv = "Windows XP"; break;
	case 52: c = "Windows XP x64"; sv = "Windows Server 2003"; break;
	case 60: c = "Windows Vista"; sv = "Windows Server 2008"; break;
	case 61: c = "Windows 7"; sv = "Windows Server 2008 R2"; break;
	case 62: c = "Windows 8"; sv = "Windows Server 2012"; break;
	case 63: c = "Windows 8.1"; sv = "Windows Server 2012 R2"; break;
	case 100:
		c = build >= 22000 ? "Windows 11" : "Windows 10";
		sv = build >= 26100 ? "Windows Server 2025" : build >= 20348 ? "Windows Server 2022"
		   : build >= 17763 ? "Windows Server 2019" : build >= 14393 ? "Windows Server 2016" : "Windows Server";
		/* builds with no client release, and the reverse */
		if (build == 20348)
			client = 0, server = 1;
		break;
	default:
		snprintf(out, n, "Windows NT %u.%u", major, minor);
		return;
	}
	const char *rel = v == 100 && !server ? release_of(build) : NULL;
	if (server || (!client && !strcmp(c, sv)))
		snprintf(out, n, "%s%s", sv, ptype && !strcasecmp(ptype, "LanmanNT") ? " (domain controller)" : "");
	else if (client)
		snprintf(out, n, "%s%s%s", c, rel ? " " : "", rel ? rel : "");
	else
		snprintf(out, n, "%s%s%s or %s", c, rel ? " " : "", rel ? rel : "", sv);
}

static shodo_status os_identity(shodo_triage_ctx *ctx, long long boot_rowid, shodo_err *err)
{
	sqlite3 *db = shodo_store_db(ctx->store);
	char product[256], build[32], ubr[32], ptype[32], vol[128], name[300], how[600];
	shodo_status rc;
	q1(db, "SELECT value FROM host WHERE key = 'os_product' AND source <> 'scope' AND value <> '' LIMIT 1", product,
	   sizeof(product));
	q1(db, "SELECT value FROM host WHERE key = 'os_build' AND source <> 'scope' AND value <> '' LIMIT 1", build,
	   sizeof(build));
	q1(db, "SELECT value FROM host WHERE key = 'product_type' AND value <> '' LIMIT 1", ptype, sizeof(ptype));
	q1(db, "SELECT volume FROM host WHERE key IN ('os_product', 'computer_name') ORDER BY key = 'os_product' DESC"
	       " LIMIT 1",
	   vol, sizeof(vol));
	const char *volume = vol[0] ? vol : NULL;
	if (product[0]) {
		unsigned b = (unsigned)atoi(build);
		snprintf(name, sizeof(name), "%s", product);
		snprintf(how, sizeof(how), "the SOFTWARE hive (CurrentVersion)");
		if (b >= 22000 && !strncasecmp(product, "Windows 10", 10)) {
			/* Windows 11 kept the old ProductName */
			snprintf(name, sizeof(name), "Windows 11%s", product + 10);
			snprintf(how, sizeof(how), "the SOFTWARE hive (CurrentVersion); its ProductName says '%s', build %u is"
			         " Windows 11", product, b);
		}
		if ((rc = put(ctx, volume, "os_name", name, err)) != SHODO_OK)
			return rc;
		return put(ctx, volume, "os_how", how, err);
	}

	/* why SOFTWARE says nothing */
	char sw[400], why_sw[500];
	q1(db, "SELECT status || ': ' || coalesce(message, '') FROM artifacts WHERE parser = 'hive_software'"
	       " ORDER BY status = 'ok' DESC LIMIT 1",
	   sw, sizeof(sw));
	if (!sw[0])
		snprintf(why_sw, sizeof(why_sw), "no SOFTWARE hive was found");
	else
		snprintf(why_sw, sizeof(why_sw), "the SOFTWARE hive gave no product (%.300s)", sw);

	/* the newest boot in a System log */
	sqlite3_stmt *s = NULL;
	/* found by scope.c's pass over the events: category 'os_boot' with
	 * "build" in its detail, the newest */
	if (sqlite3_prepare_v2(db, "SELECT detail, event_id, provider, time, source FROM events WHERE rowid = ?", -1, &s,
	                       NULL) != SQLITE_OK)
		return shodo_err_set(err, SHODO_FATAL, 0, "scope: %s", sqlite3_errmsg(db));
	sqlite3_bind_int64(s, 1, boot_rowid);
	int found = 0;
	if (boot_rowid && sqlite3_step(s) == SQLITE_ROW) {
		const char *d = (const char *)sqlite3_column_text(s, 0);
		unsigned mj = 0, mn = 0, b = 0, q = 0;
		char sp[128] = "";
		int nread = d ? sscanf(d, "%u.%u build %u.%u", &mj, &mn, &b, &q) : 0;
		if (nread >= 3) {
			const char *rest = strchr(strstr(d, "build ") + 6, ' ');
			if (rest)
				snprintf(sp, sizeof(sp), "%s", rest + 1);
			shodo_scope_os_name(mj, mn, b, ptype, name, sizeof(name));
			if (sp[0] && strlen(name) + strlen(sp) + 2 < sizeof(name))
				snprintf(name + strlen(name), sizeof(name) - strlen(name), " %s", sp);
			snprintf(build, sizeof(build), "%u", b);
			snprintf(ubr, sizeof(ubr), "%u", q);
			const char *prov = (const char *)sqlite3_column_text(s, 2);
			snprintf(how, sizeof(how), "the System log (%s %d, the boot of %s in '%s')%s%s; %s",
			         prov ? prov : "?", sqlite3_column_int(s, 1), (const char *)sqlite3_column_text(s, 3),
			         (const char *)sqlite3_column_text(s, 4), ptype[0] ? ", ProductType " : "", ptype, why_sw);
			found = 1;
		}
	}
	sqlite3_finalize(s);
	if (found) {
		/* the release only where the name says it (a client's) */
		const char *rel = (unsigned)atoi(build) >= 10240 ? release_of((unsigned)atoi(build)) : NULL;
		if (rel && !strstr(name, rel))
			rel = NULL;
		if ((rc = put(ctx, volume, "os_product", name, err)) != SHODO_OK ||
		    (rc = put(ctx, volume, "os_build", build, err)) != SHODO_OK ||
		    (strcmp(ubr, "0") && (rc = put(ctx, volume, "os_ubr", ubr, err)) != SHODO_OK) ||
		    (rel && (rc = put(ctx, volume, "os_display_version", rel, err)) != SHODO_OK) ||
		    (rc = put(ctx, volume, "os_name", name, err)) != SHODO_OK)
			return rc;
		return put(ctx, volume, "os_how", how, err);
	}

	char why_ev[200];
	q1(db, "SELECT count(*) FROM artifacts WHERE lower(source) LIKE '%/system.evtx' OR lower(source) = 'system.evtx'"
	       " OR lower(source) LIKE '%/sysevent.evt'",
	   why_ev, sizeof(why_ev));
	snprintf(why_ev, sizeof(why_ev), "%s", atoi(why_ev) ? "the System log holds no boot event (Kernel-General 12,"
	                                                       " EventLog 6009)"
	                                                     : "no System log was found");
	/* the prefetch format: the family only */
	char fmt[16];
	q1(db, "SELECT format_version FROM prefetch WHERE format_version IS NOT NULL GROUP BY format_version"
	       " ORDER BY count(*) DESC LIMIT 1",
	   fmt, sizeof(fmt));
	const char *fam = NULL;
	switch (atoi(fmt)) {
	case 17: fam = "Windows XP or Server 2003"; break;
	case 23: fam = "Windows Vista or 7 (or Server 2008/2008 R2)"; break;
	case 26: fam = "Windows 8 or 8.1 (or Server 2012/2012 R2)"; break;
	case 30: fam = "Windows 10 or 11 (or Server 2016 or later)"; break;
	case 31: fam = "Windows 11 (24H2 or later)"; break;
	}
	if (fam) {
		snprintf(how, sizeof(how), "the prefetch format (version %s): only the family; %s, %s", fmt, why_sw, why_ev);
		if ((rc = put(ctx, volume, "os_name", fam, err)) != SHODO_OK)
			return rc;
		return put(ctx, volume, "os_how", how, err);
	}
	snprintf(how, sizeof(how), "%s, %s and no prefetch was found", why_sw, why_ev);
	return put(ctx, volume, "os_how", how, err);
}

static shodo_status sid_check(shodo_triage_ctx *ctx, shodo_err *err)
{
	sqlite3 *db = shodo_store_db(ctx->store);
	sqlite3_stmt *s = NULL;
	/* each SAM's machine SID against the SECURITY hives of its volume */
	if (sqlite3_prepare_v2(db,
	                       "SELECT h.volume, h.value, h.source, (SELECT group_concat(x.value || ' (''' || x.source || ''')', ', ')"
	                       "  FROM host x JOIN artifacts b ON b.source = x.source AND b.parser = 'hive_security'"
	                       "  WHERE x.key = 'machine_sid' AND x.volume IS h.volume)"
	                       " FROM host h JOIN artifacts a ON a.source = h.source AND a.parser = 'hive_sam'"
	                       " WHERE h.key = 'machine_sid' AND EXISTS (SELECT 1 FROM host x JOIN artifacts b"
	                       "  ON b.source = x.source AND b.parser = 'hive_security' WHERE x.key = 'machine_sid'"
	                       "  AND x.volume IS h.volume) AND NOT EXISTS (SELECT 1 FROM host x JOIN artifacts b"
	                       "  ON b.source = x.source AND b.parser = 'hive_security' WHERE x.key = 'machine_sid'"
	                       "  AND x.volume IS h.volume AND x.value = h.value)"
	                       " GROUP BY h.volume, h.value, h.source",
	                       -1, &s, NULL) != SQLITE_OK)
		return shodo_err_set(err, SHODO_FATAL, 0, "scope: %s", sqlite3_errmsg(db));
	shodo_status rc = SHODO_OK;
	while (rc == SHODO_OK && sqlite3_step(s) == SQLITE_ROW) {
		char v[1200];
		snprintf(v, sizeof(v),
		         "the SAM's machine SID %s ('%s') differs from the SECURITY hive's account domain SID %s: the hives"
		         " come from different machines, or one was copied or restored from elsewhere",
		         (const char *)sqlite3_column_text(s, 1), (const char *)sqlite3_column_text(s, 2),
		         (const char *)sqlite3_column_text(s, 3));
		rc = put(ctx, (const char *)sqlite3_column_text(s, 0), "machine_sid_mismatch", v, err);
	}
	sqlite3_finalize(s);
	return rc;
}

shodo_status shodo_scope_host(shodo_triage_ctx *ctx, long long boot_rowid, shodo_err *err)
{
	shodo_status rc = shodo_store_exec(ctx->store, "DELETE FROM host WHERE source = 'scope'", err);
	if (rc == SHODO_OK)
		rc = os_identity(ctx, boot_rowid, err);
	if (rc == SHODO_OK)
		rc = sid_check(ctx, err);
	return rc;
}
