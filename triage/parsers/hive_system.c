/*
 * SYSTEM hive: the host's identity.
 *
 *   Select\Current                                  -> ControlSetNNN in use
 *   ControlSetNNN\Control\ComputerName\ComputerName  ComputerName
 *   ControlSetNNN\Control\TimeZoneInformation        TimeZoneKeyName, Bias,
 *                                                    StandardName, ...
 *   ControlSetNNN\Control\Windows\ShutdownTime       last clean shutdown
 *   ControlSetNNN\Services\Tcpip\Parameters          Hostname, Domain
 *
 * Written to table host as (key, value): computer_name,
 * current_control_set, timezone_key_name, timezone_bias_minutes,
 * timezone_standard_name, timezone_daylight_name, timezone_standard_bias,
 * timezone_daylight_bias, timezone_standard_start, timezone_daylight_start
 * (SYSTEMTIME bytes in hex), timezone_dynamic_dst_disabled, last_shutdown,
 * tcpip_hostname, domain.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "regutil.h"

static int bid_system(const shodo_artifact *a, const unsigned char *head, size_t n)
{
	return reg_bid(a, head, n, HIVE_SYSTEM);
}


static shodo_status parse_system(const shodo_artifact *a, shodo_triage_ctx *ctx, shodo_err *err)
{
	libregf_file_t *f = NULL;
	libregf_key_t *k = NULL;
	char buf[1024], path[256], cs[32] = "", dirty[512];
	int found = 0;
	char lognote[600];
	shodo_status rc = reg_open_hive(a->file, &f, lognote, sizeof(lognote), err);
	if (rc != SHODO_OK)
		return rc;
	reg_kind kind = reg_kind_of(f);
	if (kind != HIVE_SYSTEM) {
		rc = shodo_err_set(err, SHODO_FAILED, 0, "not a readable SYSTEM hive: %s",
		                   kind == HIVE_UNKNOWN ? "root key unreadable or of no known hive kind"
		                                        : "the hive is of another kind");
		goto out;
	}
	uint32_t cur = 0;
	k = reg_key(f, "Select");
	if (k && reg_u32(k, "Current", &cur) && cur > 0 && cur < 1000) {
		snprintf(cs, sizeof(cs), "ControlSet%03u", cur);
		snprintf(buf, sizeof(buf), "%u", cur);
		if ((rc = putil_host(ctx, a, "current_control_set", buf, err)) != SHODO_OK)
			goto out;
	} else {
		/* no Select key: the first control set there is */
		snprintf(cs, sizeof(cs), "ControlSet001");
	}
	reg_key_free(&k);

	struct {
		const char *sub, *value, *key;
	} strs[] = {
		{"Control\\ComputerName\\ComputerName", "ComputerName", "computer_name"},
		{"Control\\TimeZoneInformation", "TimeZoneKeyName", "timezone_key_name"},
		{"Control\\TimeZoneInformation", "StandardName", "timezone_standard_name"},
		{"Control\\TimeZoneInformation", "DaylightName", "timezone_daylight_name"},
		{"Services\\Tcpip\\Parameters", "Hostname", "tcpip_hostname"},
		{"Services\\Tcpip\\Parameters", "Domain", "domain"},
	};
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		snprintf(path, sizeof(path), "%s\\%s", cs, strs[i].sub);
		k = reg_key(f, path);
		if (k && reg_str(k, strs[i].value, buf, sizeof(buf)) && buf[0]) {
			if ((rc = putil_host(ctx, a, strs[i].key, buf, err)) != SHODO_OK)
				goto out;
			found++;
		}
		reg_key_free(&k);
	}
	snprintf(path, sizeof(path), "%s\\Control\\TimeZoneInformation", cs);
	k = reg_key(f, path);
	uint32_t bias = 0;
	if (k && reg_u32(k, "Bias", &bias)) {
		/* minutes to add to local time to get UTC */
		snprintf(buf, sizeof(buf), "%d", (int32_t)bias);
		if ((rc = putil_host(ctx, a, "timezone_bias_minutes", buf, err)) != SHODO_OK)
			goto out;
	}
	/* the daylight rule, as the report converts times with it: biases in
	 * minutes, transition dates as the SYSTEMTIME bytes in hex */
	static const char *const dwords[][2] = {{"StandardBias", "timezone_standard_bias"},
	                                        {"DaylightBias", "timezone_daylight_bias"},
	                                        {"DynamicDaylightTimeDisabled", "timezone_dynamic_dst_disabled"}};
	for (size_t i = 0; k && i < 3; i++) {
		uint32_t v = 0;
		if (!reg_u32(k, dwords[i][0], &v))
			continue;
		snprintf(buf, sizeof(buf), "%d", (int32_t)v);
		if ((rc = putil_host(ctx, a, dwords[i][1], buf, err)) != SHODO_OK)
			goto out;
	}
	static const char *const dates[][2] = {{"StandardStart", "timezone_standard_start"},
	                                       {"DaylightStart", "timezone_daylight_start"}};
	for (size_t i = 0; k && i < 2; i++) {
		unsigned char st[16];
		size_t len = 0;
		if (!reg_bin(k, dates[i][0], st, sizeof(st), &len) || len != 16)
			continue;
		for (size_t j = 0; j < 16; j++)
			snprintf(buf + 2 * j, sizeof(buf) - 2 * j, "%02x", st[j]);
		if ((rc = putil_host(ctx, a, dates[i][1], buf, err)) != SHODO_OK)
			goto out;
	}
	reg_key_free(&k);
	snprintf(path, sizeof(path), "%s\\Control\\Windows", cs);
	k = reg_key(f, path);
	unsigned char ft[16];
	size_t len = 0;
	if (k && reg_bin(k, "ShutdownTime", ft, sizeof(ft), &len) && len == 8) {
		char t[48];
		if ((rc = putil_host(ctx, a, "last_shutdown", putil_ft(le64(ft), t), err)) != SHODO_OK)
			goto out;
	}
	reg_key_free(&k);

	int state = reg_state(f, lognote, dirty, sizeof(dirty));
	int is_dirty = state != REG_CLEAN;
	if (!found)
		rc = shodo_err_set(err, SHODO_WARN, 0, "SYSTEM hive without computer name or time zone under %s%s%s", cs,
		                   is_dirty ? "; " : "", is_dirty ? dirty : "");
	else if (state == REG_DAMAGED)
		rc = shodo_err_set(err, SHODO_WARN, 0, "%s", dirty);
	else
		snprintf(err->msg, sizeof(err->msg), "host facts from %s%s%s", cs, is_dirty ? "; " : "",
		         is_dirty ? dirty : "");
out:
	reg_key_free(&k);
	reg_close(&f);
	return rc;
}

const shodo_parser shodo_parser_hive_system = {"hive_system", bid_system, parse_system};
