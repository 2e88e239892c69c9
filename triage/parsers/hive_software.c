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
		snprintf(err->msg, sizeof(err->msg), "operating system facts, %d autostart entries%s%s", autostarts,
		         is_dirty ? "; " : "", is_dirty ? dirty : "");
out:
	reg_key_free(&k);
	reg_close(&f);
	return rc;
}

const shodo_parser shodo_parser_hive_software = {"hive_software", bid_software, parse_software};
