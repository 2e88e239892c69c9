/*
 * SYSTEM hive: the host's identity.
 *
 *   Select\Current                                  -> ControlSetNNN in use
 *   ControlSetNNN\Control\ComputerName\ComputerName  ComputerName
 *   ControlSetNNN\Control\TimeZoneInformation        TimeZoneKeyName, Bias,
 *                                                    StandardName, ...
 *   ControlSetNNN\Control\Windows\ShutdownTime       last clean shutdown
 *   ControlSetNNN\Services\Tcpip\Parameters          Hostname, Domain
 *   ControlSetNNN\Control\ProductOptions             ProductType
 *
 * Written to table host as (key, value): computer_name,
 * current_control_set, timezone_key_name, timezone_bias_minutes,
 * timezone_standard_name, timezone_daylight_name, timezone_standard_bias,
 * timezone_daylight_bias, timezone_standard_start, timezone_daylight_start
 * (SYSTEMTIME bytes in hex), timezone_dynamic_dst_disabled, last_shutdown,
 * tcpip_hostname, domain, product_type.
 *
 *   ControlSetNNN\Services\<name>   ImagePath, Start, Type, ObjectName,
 *                                    DisplayName, Parameters\ServiceDll
 *
 * Every service (drivers too) goes to table services; each one that is not a
 * per-user instance also to persistence (kind service_key, time = the key's
 * last write), flagged when its image or DLL lies in a user-writable folder
 * or matches the suspicious-command table.  Per-user instances (Type bit
 * 0x80: the <template>_<hex> copy Windows makes at each logon, e.g.
 * CDPUserSvc_1a2b3c) are listed in services only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "regutil.h"

#define SVC_USER_SERVICE 0x40
#define SVC_USER_INSTANCE 0x80
#define SERVICES_MAX 16384

static int bid_system(const shodo_artifact *a, const unsigned char *head, size_t n)
{
	return reg_bid(a, head, n, HIVE_SYSTEM);
}


static const char *start_name(uint32_t start, uint32_t delayed)
{
	static const char *const names[] = {"boot", "system", "auto", "manual", "disabled"};
	if (start == 2 && delayed)
		return "auto (delayed)";
	return start < 5 ? names[start] : "unknown";
}

static void type_name(uint32_t t, char *out, size_t n)
{
	const char *base = (t & 0x1) ? "kernel driver" : (t & 0x2) ? "file system driver" : (t & 0x8) ? "recognizer driver"
	                 : (t & 0x10) ? "own process" : (t & 0x20) ? "shared process" : "unknown";
	snprintf(out, n, "%s%s%s%s", base, (t & SVC_USER_SERVICE) ? ", per-user" : "",
	         (t & SVC_USER_INSTANCE) ? " instance" : (t & SVC_USER_SERVICE) ? " template" : "",
	         (t & 0x100) ? ", interactive" : "");
}

/* why a service's image or DLL looks wrong, or "" */
static void service_flag(const char *image, const char *dll, char *out, size_t n)
{
	const char *why = putil_suspicious_cmdline(image);
	if (!why)
		why = putil_suspicious_cmdline(dll);
	int uw = putil_user_writable(image) || putil_user_writable(dll);
	snprintf(out, n, "%s%s%s", uw ? "runs from a user-writable folder" : "", uw && why ? "; " : "", why ? why : "");
}

/* ControlSetNNN\Services: table services, and persistence rows */
static shodo_status services(libregf_file_t *f, const shodo_artifact *a, shodo_triage_ctx *ctx, const char *cs,
                             int *count, int *instances, int *flagged, shodo_err *err)
{
	char path[256];
	snprintf(path, sizeof(path), "%s\\Services", cs);
	libregf_key_t *sk = reg_key(f, path);
	int n = 0;
	if (!sk)
		return SHODO_OK;
	if (libregf_key_get_number_of_sub_keys(sk, &n, NULL) != 1)
		n = 0;
	shodo_status rc = SHODO_OK;
	for (int i = 0; i < n && i < SERVICES_MAX && rc == SHODO_OK; i++) {
		libregf_key_t *k = NULL, *pk = NULL;
		char name[256], image[2048] = "", dll[2048] = "", acct[256] = "", disp[512] = "", t[48], tn[96], flag[256];
		uint32_t start = 0xFFFFFFFF, type = 0, delayed = 0;
		if (libregf_key_get_sub_key(sk, i, &k, NULL) != 1)
			continue;
		if (!reg_key_name(k, name, sizeof(name)) || !name[0]) {
			reg_key_free(&k);
			continue;
		}
		reg_str(k, "ImagePath", image, sizeof(image));
		reg_str(k, "ObjectName", acct, sizeof(acct));
		reg_str(k, "DisplayName", disp, sizeof(disp));
		int has_start = reg_u32(k, "Start", &start);
		int has_type = reg_u32(k, "Type", &type);
		reg_u32(k, "DelayedAutostart", &delayed);
		pk = reg_subkey(k, "Parameters");
		if (pk)
			reg_str(pk, "ServiceDll", dll, sizeof(dll));
		reg_key_free(&pk);
		putil_ft(reg_key_time(k), t);
		reg_key_free(&k);
		if (!has_type && !image[0] && !has_start)
			continue; /* a key holding settings only (no service) */
		type_name(type, tn, sizeof(tn));
		service_flag(image, dll, flag, sizeof(flag));
		const char *per_user = (type & SVC_USER_INSTANCE) ? "instance" : (type & SVC_USER_SERVICE) ? "template" : NULL;
		sqlite3_stmt *s = shodo_store_stmt(ctx->store,
		                                   "INSERT INTO services(volume, control_set, name, display_name, image_path,"
		                                   " service_dll, start, start_name, type, type_name, account, last_written,"
		                                   " per_user, flag, source) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
		                                   err);
		if (!s) {
			rc = SHODO_FATAL;
			break;
		}
		shodo_bind_text(s, 1, a->volume);
		shodo_bind_text(s, 2, cs);
		shodo_bind_text(s, 3, name);
		shodo_bind_text(s, 4, disp);
		shodo_bind_text(s, 5, image);
		shodo_bind_text(s, 6, dll);
		if (has_start)
			sqlite3_bind_int64(s, 7, start);
		shodo_bind_text(s, 8, has_start ? start_name(start, delayed) : NULL);
		if (has_type)
			sqlite3_bind_int64(s, 9, type);
		shodo_bind_text(s, 10, has_type ? tn : NULL);
		shodo_bind_text(s, 11, acct);
		shodo_bind_text(s, 12, t);
		shodo_bind_text(s, 13, per_user);
		shodo_bind_text(s, 14, flag);
		shodo_bind_text(s, 15, a->source);
		if ((rc = shodo_store_step_done(ctx->store, s, err)) != SHODO_OK)
			break;
		(*count)++;
		if (per_user && !strcmp(per_user, "instance")) {
			/* made at each logon: not an installed service (listed above) */
			(*instances)++;
			continue;
		}
		if (flag[0])
			(*flagged)++;
		char detail[1024];
		snprintf(detail, sizeof(detail), "HKLM\\SYSTEM\\%s\\Services\\%s; start %s; %s%s%s%s%s", cs, name,
		         has_start ? start_name(start, delayed) : "not set", has_type ? tn : "type not set",
		         dll[0] ? "; DLL " : "", dll, flag[0] ? "; " : "", flag);
		rc = shodo_store_add_persistence(ctx->store, t, "service_key", name, image[0] ? image : dll,
		                                 acct[0] ? acct : NULL, detail, a->source, -1, err);
	}
	reg_key_free(&sk);
	return rc;
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
		/* WinNT workstation, ServerNT server, LanmanNT domain controller */
		{"Control\\ProductOptions", "ProductType", "product_type"},
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
	int nsvc = 0, ninst = 0, nflag = 0;
	if ((rc = services(f, a, ctx, cs, &nsvc, &ninst, &nflag, err)) != SHODO_OK)
		goto out;

	int state = reg_state(f, lognote, dirty, sizeof(dirty));
	int is_dirty = state != REG_CLEAN;
	if (!found)
		rc = shodo_err_set(err, SHODO_WARN, 0, "SYSTEM hive without computer name or time zone under %s%s%s", cs,
		                   is_dirty ? "; " : "", is_dirty ? dirty : "");
	else if (state == REG_DAMAGED)
		rc = shodo_err_set(err, SHODO_WARN, 0, "%s", dirty);
	else
		snprintf(err->msg, sizeof(err->msg), "host facts from %s, %d services (%d per-user instances, %d flagged)%s%s",
		         cs, nsvc, ninst, nflag, is_dirty ? "; " : "", is_dirty ? dirty : "");
out:
	reg_key_free(&k);
	reg_close(&f);
	return rc;
}

const shodo_parser shodo_parser_hive_system = {"hive_system", bid_system, parse_system};
