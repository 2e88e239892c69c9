/*
 * SOFTWARE hive: the operating system.
 *
 *   Microsoft\Windows NT\CurrentVersion   ProductName, CurrentBuild(Number),
 *       UBR, DisplayVersion/ReleaseId, EditionID, CSDVersion, InstallDate
 *       (Unix time), RegisteredOwner, RegisteredOrganization
 *
 * Written to table host: os_product, os_build, os_ubr, os_display_version,
 * os_edition, os_service_pack, os_install_date, registered_owner,
 * registered_organization.  Run/RunOnce entries and non-default Winlogon
 * Shell/Userinit go to persistence (regutil.c, reg_autostarts).
 */
#include <stdio.h>
#include <string.h>
#include "shodo/util.h"
#include "regutil.h"

static int bid_software(const shodo_artifact *a, const unsigned char *head, size_t n)
{
	return reg_bid(a, head, n, HIVE_SOFTWARE);
}

/* Time Zones\<zone>: its TZI (year 0) and the Dynamic DST years, for every
 * zone (the SYSTEM hive names the host's zone; the report joins them) */
static shodo_status time_zones(libregf_file_t *f, const shodo_artifact *a, shodo_triage_ctx *ctx, int *count,
                               shodo_err *err)
{
	libregf_key_t *tz = reg_key(f, "Microsoft\\Windows NT\\CurrentVersion\\Time Zones");
	int n = 0;
	if (!tz)
		return SHODO_OK;
	if (libregf_key_get_number_of_sub_keys(tz, &n, NULL) != 1)
		n = 0;
	shodo_status rc = SHODO_OK;
	for (int i = 0; i < n && i < 1024 && rc == SHODO_OK; i++) {
		libregf_key_t *z = NULL, *dyn = NULL;
		char zone[256];
		if (libregf_key_get_sub_key(tz, i, &z, NULL) != 1)
			continue;
		if (!reg_key_name(z, zone, sizeof(zone))) {
			reg_key_free(&z);
			continue;
		}
		struct {
			libregf_key_t *k;
			const char *value;
			int year;
		} want[128];
		int nw = 0;
		want[nw++] = (__typeof__(want[0])){z, "TZI", 0};
		dyn = reg_subkey(z, "Dynamic DST");
		uint32_t first = 0, last = 0;
		if (dyn && reg_u32(dyn, "FirstEntry", &first) && reg_u32(dyn, "LastEntry", &last) && first >= 1900 &&
		    last < 3000 && last >= first && last - first < 120)
			for (uint32_t y = first; y <= last && nw < 128; y++)
				want[nw++] = (__typeof__(want[0])){dyn, NULL, (int)y};
		for (int w = 0; w < nw && rc == SHODO_OK; w++) {
			unsigned char tzi[64];
			char name[16], hex[2 * 44 + 1];
			size_t len = 0;
			snprintf(name, sizeof(name), "%d", want[w].year);
			if (!reg_bin(want[w].k, want[w].value ? want[w].value : name, tzi, sizeof(tzi), &len) || len != 44)
				continue;
			for (size_t j = 0; j < 44; j++)
				snprintf(hex + 2 * j, sizeof(hex) - 2 * j, "%02x", tzi[j]);
			sqlite3_stmt *s = shodo_store_stmt(ctx->store,
			                                   "INSERT INTO tz_rules(volume, zone, year, tzi, source) VALUES(?,?,?,?,?)",
			                                   err);
			if (!s) {
				rc = SHODO_FATAL;
				break;
			}
			shodo_bind_text(s, 1, a->volume);
			shodo_bind_text(s, 2, zone);
			sqlite3_bind_int(s, 3, want[w].year);
			shodo_bind_text(s, 4, hex);
			shodo_bind_text(s, 5, a->source);
			rc = shodo_store_step_done(ctx->store, s, err);
		}
		(*count)++;
		reg_key_free(&dyn);
		reg_key_free(&z);
	}
	reg_key_free(&tz);
	return rc;
}

static shodo_status parse_software(const shodo_artifact *a, shodo_triage_ctx *ctx, shodo_err *err)
{
	libregf_file_t *f = NULL;
	libregf_key_t *k = NULL;
	char v[1024], dirty[512];
	int found = 0;
	char lognote[600];
	shodo_status rc = reg_open_hive(a->file, &f, lognote, sizeof(lognote), err);
	if (rc != SHODO_OK)
		return rc;
	if (reg_kind_of(f) != HIVE_SOFTWARE) {
		rc = shodo_err_set(err, SHODO_FAILED, 0, "not a readable SOFTWARE hive: root key unreadable or of "
		                                         "another kind");
		goto out;
	}
	k = reg_key(f, "Microsoft\\Windows NT\\CurrentVersion");
	if (!k) {
		rc = shodo_err_set(err, SHODO_WARN, 0, "SOFTWARE hive without Microsoft\\Windows NT\\CurrentVersion");
		goto out;
	}
	static const struct {
		const char *value, *key;
	} strs[] = {
		{"ProductName", "os_product"},       {"CurrentBuild", "os_build"},
		{"DisplayVersion", "os_display_version"}, {"EditionID", "os_edition"},
		{"CSDVersion", "os_service_pack"},   {"RegisteredOwner", "registered_owner"},
		{"RegisteredOrganization", "registered_organization"}, {"CurrentVersion", "os_version"},
	};
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		if (!reg_str(k, strs[i].value, v, sizeof(v)) || !v[0])
			continue;
		found++;
		if ((rc = putil_host(ctx, a, strs[i].key, v, err)) != SHODO_OK)
			goto out;
	}
	/* older systems: CurrentBuildNumber only; ReleaseId before DisplayVersion */
	if (!reg_str(k, "CurrentBuild", v, sizeof(v)) && reg_str(k, "CurrentBuildNumber", v, sizeof(v)) && v[0]) {
		found++;
		if ((rc = putil_host(ctx, a, "os_build", v, err)) != SHODO_OK)
			goto out;
	}
	if (!reg_str(k, "DisplayVersion", v, sizeof(v)) && reg_str(k, "ReleaseId", v, sizeof(v)) && v[0]) {
		if ((rc = putil_host(ctx, a, "os_display_version", v, err)) != SHODO_OK)
			goto out;
	}
	uint32_t u = 0;
	if (reg_u32(k, "UBR", &u)) {
		snprintf(v, sizeof(v), "%u", u);
		if ((rc = putil_host(ctx, a, "os_ubr", v, err)) != SHODO_OK)
			goto out;
	}
	if (reg_u32(k, "InstallDate", &u) && u) {
		char t[32];
		if ((rc = putil_host(ctx, a, "os_install_date", shodo_time_iso((time_t)u, t), err)) != SHODO_OK)
			goto out;
	}
	int zones = 0;
	if ((rc = time_zones(f, a, ctx, &zones, err)) != SHODO_OK)
		goto out;
	int autostarts = 0;
	if ((rc = reg_autostarts(f, a, ctx, "", "HKLM\\Software", NULL, &autostarts, err)) != SHODO_OK)
		goto out;
	int state = reg_state(f, lognote, dirty, sizeof(dirty));
	int is_dirty = state != REG_CLEAN;
	if (!found)
		rc = shodo_err_set(err, SHODO_WARN, 0, "no product or build values under CurrentVersion");
	else if (state == REG_DAMAGED)
		rc = shodo_err_set(err, SHODO_WARN, 0, "%s", dirty);
	else
		snprintf(err->msg, sizeof(err->msg), "operating system facts, %d time zones, %d autostart entries%s%s", zones,
		         autostarts,
		         is_dirty ? "; " : "", is_dirty ? dirty : "");
out:
	reg_key_free(&k);
	reg_close(&f);
	return rc;
}

const shodo_parser shodo_parser_hive_software = {"hive_software", bid_software, parse_software};
