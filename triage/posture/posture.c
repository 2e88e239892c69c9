/*
 * triage/posture/posture.c — the security posture stage: weaknesses that let an
 * attack spread, per host, from the collected hives and the events table,
 * each with the evidence it rests on and a remedy in rebuild-policy terms
 * (table `posture`, posture.csv); keyed password digests for the fleet view
 * (posture_creds.c) and the reuse review list (posture_reuse.c).
 *
 * A host is one volume that holds Windows/System32/config hives.  Every
 * check reads its hive independently: a missing or corrupt hive costs the
 * findings that need it, with a warning, never the stage.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <openssl/crypto.h>
#include "shodo/buf.h"
#include "shodo/util.h"
#include "posture_int.h"

/* ---- remedies, in the terms of the rebuild policy ---- */
#define R_FIREWALL "firewall on: enable every profile (GPO), allow only what the host's role needs"
#define R_RDP "RDP restricted: off where not needed, else NLA required, reachable only from admin hosts/VPN"
#define R_SMB1 "SMBv1 off: remove the SMB 1.0 feature (server and client)"
#define R_UPDATES "updates on: automatic updates, patch before reconnecting to the network"
#define R_AV "AV present: install and turn on endpoint protection with real-time scanning"
#define R_LAPS "unique local admin passwords (LAPS); disable the built-in Administrator where possible"
#define R_LOCKOUT "account lockout: lock after a few failed logons (e.g. 5 in 15 min)"
#define R_PWLEN "password policy: minimum length 14, complexity on"
#define R_CREDS "credential theft: WDigest off, LSA protection (RunAsPPL) and Credential Guard on"
#define R_ADMINS "least privilege: only named admin accounts in local Administrators, never Domain Users"

void posture_add(posture_host *h, const char *severity, const char *area, const char *finding, const char *value,
                 const char *remedy, const char *source, const char *evfmt, ...)
{
	char ev[2048] = "";
	if (evfmt) {
		va_list ap;
		va_start(ap, evfmt);
		vsnprintf(ev, sizeof(ev), evfmt, ap);
		va_end(ap);
	}
	shodo_err err;
	shodo_err_clear(&err);
	sqlite3_stmt *s = shodo_store_stmt(h->ctx->store,
	                                   "INSERT INTO posture(severity, area, finding, value, evidence, remedy, source)"
	                                   " VALUES(?,?,?,?,?,?,?)", &err);
	if (!s)
		return;
	shodo_bind_text(s, 1, severity);
	shodo_bind_text(s, 2, area);
	shodo_bind_text(s, 3, finding);
	shodo_bind_text(s, 4, value);
	shodo_bind_text(s, 5, ev);
	shodo_bind_text(s, 6, remedy);
	shodo_bind_text(s, 7, source);
	if (shodo_store_step_done(h->ctx->store, s, &err) == SHODO_OK)
		h->nfindings++;
}

/* ---- helpers that read a value and describe where it came from ---- */
typedef struct rv {
	int found;
	uint32_t v;
	char where[600];   /* "<hive path>: <key>\<value> = <data>" */
} rv;

static void rv_dword(rv *r, libregf_file_t *hive, const char *hive_path, const char *key, const char *name)
{
	memset(r, 0, sizeof(*r));
	if (!hive)
		return;
	r->found = reg_path_dword(hive, key, name, &r->v);
	if (r->found)
		snprintf(r->where, sizeof(r->where), "%s: %s\\%s = %u", hive_path, key, name, r->v);
	else
		snprintf(r->where, sizeof(r->where), "%s: %s\\%s absent", hive_path, key, name);
}

static void sys_dword(posture_host *h, rv *r, const char *key, const char *name)
{
	char k[512];
	snprintf(k, sizeof(k), "%s\\%s", h->ccs, key);
	rv_dword(r, h->sys, h->sys_path, k, name);
}

static void soft_dword(posture_host *h, rv *r, const char *key, const char *name)
{
	rv_dword(r, h->soft, h->soft_path, key, name);
}

static int sys_key_exists(posture_host *h, const char *key)
{
	char k[512];
	snprintf(k, sizeof(k), "%s\\%s", h->ccs, key);
	return h->sys && reg_path_exists(h->sys, k);
}

/* ---- firewall ---- */
static void check_firewall(posture_host *h)
{
	static const struct {
		const char *label, *local, *pol1, *pol2;
	} prof[] = {
		{"domain", "DomainProfile", "DomainProfile", NULL},
		{"private", "StandardProfile", "PrivateProfile", "StandardProfile"},
		{"public", "PublicProfile", "PublicProfile", NULL},
	};
	for (size_t i = 0; i < sizeof(prof) / sizeof(prof[0]); i++) {
		rv pol = {0}, loc = {0};
		char k[256];
		snprintf(k, sizeof(k), "Policies\\Microsoft\\WindowsFirewall\\%s", prof[i].pol1);
		soft_dword(h, &pol, k, "EnableFirewall");
		if (!pol.found && prof[i].pol2) {
			snprintf(k, sizeof(k), "Policies\\Microsoft\\WindowsFirewall\\%s", prof[i].pol2);
			soft_dword(h, &pol, k, "EnableFirewall");
		}
		snprintf(k, sizeof(k), "Services\\SharedAccess\\Parameters\\FirewallPolicy\\%s", prof[i].local);
		sys_dword(h, &loc, k, "EnableFirewall");
		rv *eff = pol.found ? &pol : loc.found ? &loc : NULL;
		char finding[128];
		if (!eff) {
			if (!h->sys)
				continue;
			snprintf(finding, sizeof(finding), "firewall %s profile not recorded (Windows default: on)",
			         prof[i].label);
			posture_add(h, "info", "firewall", finding, "unknown", NULL, h->sys_src, "%s", loc.where);
			continue;
		}
		int on = eff->v != 0;
		snprintf(finding, sizeof(finding), "firewall %s profile %s%s", prof[i].label, on ? "on" : "off",
		         eff == &pol ? " (group policy)" : "");
		posture_add(h, on ? "info" : "high", "firewall", finding, on ? "on" : "off", on ? NULL : R_FIREWALL,
		            eff == &pol ? h->soft_src : h->sys_src, "%s", eff->where);
	}
	rv svc;
	sys_dword(h, &svc, "Services\\MpsSvc", "Start");
	if (svc.found && svc.v == 4)
		posture_add(h, "high", "firewall", "Windows Firewall service (MpsSvc) disabled", "disabled", R_FIREWALL,
		            h->sys_src, "%s", svc.where);
}

/* ---- remote access ---- */
static const char *start_name(uint32_t v)
{
	switch (v) {
	case 0: return "boot";
	case 1: return "system";
	case 2: return "automatic";
	case 3: return "manual";
	case 4: return "disabled";
	default: return "unknown";
	}
}


/* a firewall rule string "v2.10|Action=Allow|Active=TRUE|Dir=In|...": the
 * value of field name (without "name="), or NULL; several RA4/RA6 fields
 * may occur, field returns the first */
static const char *rule_field(const char *rule, const char *name, char *out, size_t outsz)
{
	size_t nl = strlen(name);
	for (const char *p = rule; p && *p;) {
		const char *end = strchr(p, '|');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > nl && p[nl] == '=' && !strncasecmp(p, name, nl)) {
			size_t vl = len - nl - 1;
			if (vl >= outsz)
				vl = outsz - 1;
			memcpy(out, p + nl + 1, vl);
			out[vl] = 0;
			return out;
		}
		p = end ? end + 1 : NULL;
	}
	return NULL;
}

/* inbound allow rules for the RDP port: are they limited to some remote addresses? */
static void check_rdp_rules(posture_host *h, uint32_t port)
{
	char keys[2][160];
	libregf_file_t *hives[2] = {h->sys, h->soft};
	const char *srcs[2] = {h->sys_src, h->soft_src}, *paths[2] = {h->sys_path, h->soft_path};
	snprintf(keys[0], sizeof(keys[0]), "%s\\Services\\SharedAccess\\Parameters\\FirewallPolicy\\FirewallRules", h->ccs);
	snprintf(keys[1], sizeof(keys[1]), "Policies\\Microsoft\\WindowsFirewall\\FirewallRules");
	char p[16];
	snprintf(p, sizeof(p), "%u", port);
	for (int hv = 0; hv < 2; hv++) {
		if (!hives[hv])
			continue;
		libregf_key_t *k = reg_key(hives[hv], keys[hv]);
		int n = reg_nvalues(k);
		int open_rules = 0, limited = 0;
		char open_names[512] = "", limits[512] = "";
		for (int i = 0; i < n && i < 20000; i++) {
			char *name = NULL, *rule = NULL;
			unsigned char *data = NULL;
			size_t dl = 0;
			uint32_t type = 0;
			if (reg_value_at(k, i, &name, &type, &data, &dl) && (type == 1 || type == 2))
				rule = reg_utf16_dup(data, dl);
			free(data);
			char f[256];
			if (rule && rule_field(rule, "LPort", f, sizeof(f)) && !strcmp(f, p) &&
			    rule_field(rule, "Dir", f, sizeof(f)) && !strcasecmp(f, "In") &&
			    rule_field(rule, "Action", f, sizeof(f)) && !strcasecmp(f, "Allow") &&
			    rule_field(rule, "Active", f, sizeof(f)) && !strcasecmp(f, "TRUE")) {
				char ra[256] = "";
				if (!rule_field(rule, "RA4", ra, sizeof(ra)))
					rule_field(rule, "RA6", ra, sizeof(ra));
				int any = !ra[0] || !strcasecmp(ra, "*") || !strcasecmp(ra, "Any");
				/* the profiles it applies to ("Profile=" may repeat; none = all) */
				char prof[64] = "";
				for (const char *q = strstr(rule, "|Profile="); q; q = strstr(q + 1, "|Profile=")) {
					size_t pl = strcspn(q + 9, "|"), l = strlen(prof);
					if (l + pl + 3 < sizeof(prof))
						snprintf(prof + l, sizeof(prof) - l, "%s%.*s", l ? ", " : "", (int)pl, q + 9);
				}
				char *list = any ? open_names : limits;
				size_t l = strlen(list);
				if (l < 400)
					snprintf(list + l, 512 - l, "%s%s (%s)%s%s", l ? "; " : "", name, prof[0] ? prof : "all profiles",
					         any ? "" : " from ", any ? "" : ra);
				if (any)
					open_rules++;
				else
					limited++;
			}
			free(rule);
			free(name);
		}
		reg_key_free(&k);
		if (open_rules)
			posture_add(h, "high", "remote access", "RDP allowed through the firewall from any address", open_names,
			            R_RDP, srcs[hv], "%s: %s: %d active inbound allow rule(s) for port %s without a remote "
			            "address limit", paths[hv], keys[hv], open_rules, p);
		else if (limited)
			posture_add(h, "info", "remote access", "RDP firewall rules limited to some remote addresses", limits,
			            NULL, srcs[hv], "%s: %s: %d active inbound allow rule(s) for port %s", paths[hv], keys[hv],
			            limited, p);
	}
}

static void check_remote(posture_host *h)
{
	rv pol, loc, nla_pol, nla, port;
	soft_dword(h, &pol, "Policies\\Microsoft\\Windows NT\\Terminal Services", "fDenyTSConnections");
	sys_dword(h, &loc, "Control\\Terminal Server", "fDenyTSConnections");
	soft_dword(h, &nla_pol, "Policies\\Microsoft\\Windows NT\\Terminal Services", "UserAuthentication");
	sys_dword(h, &nla, "Control\\Terminal Server\\WinStations\\RDP-Tcp", "UserAuthentication");
	sys_dword(h, &port, "Control\\Terminal Server\\WinStations\\RDP-Tcp", "PortNumber");
	rv *deny = pol.found ? &pol : loc.found ? &loc : NULL;
	rv *auth = nla_pol.found ? &nla_pol : nla.found ? &nla : NULL;
	int rdp_on = deny && deny->v == 0;
	if (deny) {
		if (rdp_on) {
			int nla_on = auth && auth->v != 0;
			posture_add(h, nla_on ? "medium" : "high", "remote access",
			            nla_on ? "RDP enabled" : "RDP enabled without Network Level Authentication", "enabled",
			            R_RDP, deny == &pol ? h->soft_src : h->sys_src, "%s; %s", deny->where,
			            auth ? auth->where : nla.where);
		} else {
			posture_add(h, "info", "remote access", "RDP disabled", "disabled", NULL,
			            deny == &pol ? h->soft_src : h->sys_src, "%s", deny->where);
		}
	}
	if (auth) {
		char f[96];
		snprintf(f, sizeof(f), "RDP Network Level Authentication %s", auth->v ? "required" : "not required");
		posture_add(h, auth->v ? "info" : (rdp_on ? "high" : "low"), "remote access", f, auth->v ? "on" : "off",
		            auth->v ? NULL : R_RDP, auth == &nla_pol ? h->soft_src : h->sys_src, "%s", auth->where);
	}
	if (rdp_on)
		check_rdp_rules(h, port.found ? port.v : 3389);
	if (port.found) {
		char v[16];
		snprintf(v, sizeof(v), "%u", port.v);
		posture_add(h, "info", "remote access", port.v == 3389 ? "RDP port (standard)" : "RDP port (non-standard)",
		            v, NULL, h->sys_src, "%s", port.where);
	}
	static const struct {
		const char *svc, *label;
		const char *sev_auto;
	} svcs[] = {
		{"WinRM", "WinRM (remote PowerShell)", "medium"},
		{"RemoteRegistry", "Remote Registry", "medium"},
	};
	for (size_t i = 0; i < 2; i++) {
		rv s;
		char k[128], f[160];
		snprintf(k, sizeof(k), "Services\\%s", svcs[i].svc);
		sys_dword(h, &s, k, "Start");
		if (!h->sys)
			continue;
		if (!s.found) {
			if (!sys_key_exists(h, k))
				continue;
			snprintf(f, sizeof(f), "%s service start type not recorded", svcs[i].label);
			posture_add(h, "info", "remote access", f, "unknown", NULL, h->sys_src, "%s", s.where);
			continue;
		}
		snprintf(f, sizeof(f), "%s service start type %s", svcs[i].label, start_name(s.v));
		posture_add(h, s.v == 2 ? svcs[i].sev_auto : "info", "remote access", f, start_name(s.v),
		            s.v == 2 ? "disable remote management services that the host's role does not need" : NULL,
		            h->sys_src, "%s", s.where);
	}
}

/* ---- SMB ---- */
static void check_smb(posture_host *h)
{
	if (!h->sys)
		return;
	rv srv1, cli, srvdrv;
	sys_dword(h, &srv1, "Services\\LanmanServer\\Parameters", "SMB1");
	if (srv1.found && srv1.v == 0) {
		posture_add(h, "info", "smb", "SMBv1 server disabled", "off", NULL, h->sys_src, "%s", srv1.where);
	} else if (!srv1.found && (sys_dword(h, &srvdrv, "Services\\srv", "Start"), srvdrv.found && srvdrv.v == 4)) {
		posture_add(h, "info", "smb", "SMBv1 server driver (srv) disabled", "off", NULL, h->sys_src, "%s; %s",
		            srv1.where, srvdrv.where);
	} else if (!srv1.found && !sys_key_exists(h, "Services\\srv") && sys_key_exists(h, "Services\\srv2")) {
		posture_add(h, "info", "smb", "SMBv1 server not installed", "not installed", NULL, h->sys_src,
		            "%s; %s\\Services\\srv absent", srv1.where, h->ccs);
	} else if (sys_key_exists(h, "Services\\LanmanServer")) {
		sys_dword(h, &srvdrv, "Services\\srv", "Start");
		posture_add(h, "high", "smb", srv1.found ? "SMBv1 server enabled" : "SMBv1 server enabled (default)", "on",
		            R_SMB1, h->sys_src, "%s%s%s", srv1.where, srvdrv.found ? "; " : "", srvdrv.found ? srvdrv.where : "");
	}
	rv sign;
	sys_dword(h, &sign, "Services\\LanmanServer\\Parameters", "RequireSecuritySignature");
	if (sys_key_exists(h, "Services\\LanmanServer")) {
		int req = sign.found && sign.v;
		posture_add(h, req ? "info" : (h->role == 3 ? "high" : "medium"), "smb",
		            req ? "SMB signing required by the server" : "SMB signing not required by the server (NTLM relay)",
		            req ? "on" : "off", req ? NULL : "require SMB signing (RequireSecuritySignature = 1)", h->sys_src,
		            "%s", sign.where);
	}
	sys_dword(h, &cli, "Services\\mrxsmb10", "Start");
	if (cli.found) {
		int off = cli.v == 4;
		char f[96];
		snprintf(f, sizeof(f), "SMBv1 client %s (mrxsmb10 start %s)", off ? "disabled" : "enabled",
		         start_name(cli.v));
		posture_add(h, off ? "info" : "medium", "smb", f, off ? "off" : "on", off ? NULL : R_SMB1, h->sys_src,
		            "%s", cli.where);
	} else if (!sys_key_exists(h, "Services\\mrxsmb10") && sys_key_exists(h, "Services\\mrxsmb20")) {
		posture_add(h, "info", "smb", "SMBv1 client not installed", "not installed", NULL, h->sys_src,
		            "%s\\Services\\mrxsmb10 absent", h->ccs);
	}
}

/* ---- UAC, credentials in memory, LSA ---- */
static void check_hardening(posture_host *h)
{
	const char *pol = "Microsoft\\Windows\\CurrentVersion\\Policies\\System";
	rv lua, cpa, fat, latfp;
	soft_dword(h, &lua, pol, "EnableLUA");
	soft_dword(h, &cpa, pol, "ConsentPromptBehaviorAdmin");
	soft_dword(h, &fat, pol, "FilterAdministratorToken");
	soft_dword(h, &latfp, pol, "LocalAccountTokenFilterPolicy");
	if (lua.found)
		posture_add(h, lua.v ? "info" : "high", "uac", lua.v ? "UAC enabled" : "UAC disabled (EnableLUA = 0)",
		            lua.v ? "on" : "off", lua.v ? NULL : "turn UAC on (EnableLUA = 1)", h->soft_src, "%s",
		            lua.where);
	if (cpa.found) {
		static const char *const what[] = {"elevate without prompting", "prompt for credentials on the secure desktop",
		                                   "prompt for consent on the secure desktop", "prompt for credentials",
		                                   "prompt for consent", "prompt for consent for non-Windows binaries"};
		char f[160];
		snprintf(f, sizeof(f), "UAC admin approval: %s", cpa.v < 6 ? what[cpa.v] : "unknown setting");
		posture_add(h, cpa.v == 0 ? "medium" : "info", "uac", f, cpa.v == 0 ? "no prompt" : "prompt",
		            cpa.v == 0 ? "set ConsentPromptBehaviorAdmin to prompt (5 or 2)" : NULL, h->soft_src, "%s",
		            cpa.where);
	}
	if (h->soft) {
		int on = fat.found && fat.v;
		posture_add(h, on ? "info" : "low", "uac",
		            on ? "built-in Administrator runs in admin approval mode"
		               : "built-in Administrator not subject to UAC (FilterAdministratorToken off)",
		            on ? "on" : "off", on ? NULL : R_LAPS, h->soft_src, "%s", fat.where);
	}
	if (latfp.found && latfp.v)
		posture_add(h, "high", "uac",
		            "remote UAC filtering off: local administrators get full rights over the network "
		            "(LocalAccountTokenFilterPolicy = 1)", "off", R_LAPS, h->soft_src, "%s", latfp.where);

	rv wd;
	sys_dword(h, &wd, "Control\\SecurityProviders\\WDigest", "UseLogonCredential");
	if (wd.found)
		posture_add(h, wd.v ? "high" : "info", "credentials",
		            wd.v ? "WDigest keeps cleartext passwords in memory (UseLogonCredential = 1)"
		                 : "WDigest cleartext caching off", wd.v ? "on" : "off", wd.v ? R_CREDS : NULL, h->sys_src,
		            "%s", wd.where);
	else if (h->sys && h->build && h->build < 9600)
		posture_add(h, "medium", "credentials",
		            "WDigest keeps cleartext passwords in memory (default before Windows 8.1/2012 R2)", "default on",
		            R_CREDS, h->sys_src, "%s; OS build %u", wd.where, h->build);
	else if (h->sys)
		posture_add(h, "info", "credentials", "WDigest cleartext caching off (Windows default)", "default off",
		            NULL, h->sys_src, "%s", wd.where);

	rv ppl, cg, cgpol, lm;
	sys_dword(h, &ppl, "Control\\Lsa", "RunAsPPL");
	sys_dword(h, &cg, "Control\\Lsa", "LsaCfgFlags");
	soft_dword(h, &cgpol, "Policies\\Microsoft\\Windows\\DeviceGuard", "LsaCfgFlags");
	sys_dword(h, &lm, "Control\\Lsa", "LmCompatibilityLevel");
	if (h->sys) {
		int on = ppl.found && ppl.v;
		posture_add(h, on ? "info" : "medium", "credentials",
		            on ? "LSA protection (RunAsPPL) on" : "LSA protection (RunAsPPL) off", on ? "on" : "off",
		            on ? NULL : R_CREDS, h->sys_src, "%s", ppl.where);
		rv *c = cgpol.found ? &cgpol : cg.found ? &cg : NULL;
		int cgon = c && c->v;
		posture_add(h, cgon ? "info" : "low", "credentials",
		            cgon ? "Credential Guard configured" : "Credential Guard not configured", cgon ? "on" : "off",
		            cgon ? NULL : R_CREDS, c == &cgpol ? h->soft_src : h->sys_src, "%s", c ? c->where : cg.where);
		if (lm.found && lm.v < 3)
			posture_add(h, "medium", "credentials", "NTLMv1/LM responses allowed (LmCompatibilityLevel < 3)",
			            lm.v == 0 ? "0" : lm.v == 1 ? "1" : "2", "send NTLMv2 only, refuse LM and NTLM (level 5)",
			            h->sys_src, "%s", lm.where);
	}
}

/* ---- AutoRun, PowerShell 2, Windows Script Host ---- */
static void check_scripting(posture_host *h)
{
	if (!h->soft)
		return;
	rv ar;
	soft_dword(h, &ar, "Microsoft\\Windows\\CurrentVersion\\Policies\\Explorer", "NoDriveTypeAutoRun");
	uint32_t mask = ar.found ? ar.v : 0x91;
	if ((mask & 0xFF) == 0xFF) {
		posture_add(h, "info", "autorun", "AutoRun disabled on all drives", "0xFF", NULL, h->soft_src, "%s",
		            ar.where);
	} else {
		char on[128] = "";
		static const struct { uint32_t bit; const char *n; } d[] = {
			{0x04, "removable"}, {0x08, "fixed"}, {0x10, "network"}, {0x20, "CD-ROM"}, {0x40, "RAM disk"}};
		for (size_t i = 0; i < 5; i++)
			if (!(mask & d[i].bit)) {
				if (on[0])
					strcat(on, ", ");
				strcat(on, d[i].n);
			}
		char f[200], v[16];
		snprintf(f, sizeof(f), "AutoRun %senabled for: %s", ar.found ? "" : "(Windows default) ", on);
		snprintf(v, sizeof(v), "0x%02X", mask);
		posture_add(h, "low", "autorun", f, v, "disable AutoRun on all drives (NoDriveTypeAutoRun = 0xFF)",
		            h->soft_src, "%s", ar.where);
	}
	char *psv = reg_path_string(h->soft, "Microsoft\\PowerShell\\1\\PowerShellEngine", "PowerShellVersion");
	if (psv) {
		int v2 = psv[0] == '2';
		posture_add(h, v2 ? "medium" : "info", "scripting",
		            v2 ? "PowerShell 2.0 engine present (no script block logging, no AMSI)"
		               : "PowerShell 1.x/2.x engine key present",
		            psv, v2 ? "remove the Windows PowerShell 2.0 feature" : NULL, h->soft_src,
		            "%s: Microsoft\\PowerShell\\1\\PowerShellEngine\\PowerShellVersion = %s", h->soft_path, psv);
		free(psv);
	}
	rv wsh;
	soft_dword(h, &wsh, "Microsoft\\Windows Script Host\\Settings", "Enabled");
	int wsh_on = !wsh.found || wsh.v != 0;
	posture_add(h, wsh_on ? "low" : "info", "scripting",
	            wsh_on ? (wsh.found ? "Windows Script Host enabled (.js/.vbs run on double-click)"
	                                : "Windows Script Host enabled (Windows default)")
	                   : "Windows Script Host disabled",
	            wsh_on ? "on" : "off", wsh_on ? "disable Windows Script Host where scripts are not needed" : NULL,
	            h->soft_src, "%s", wsh.where);
}

/* ---- OS build and updates ---- */
static void filetime_iso(uint64_t ft, char out[48])
{
	if (!ft) {
		out[0] = 0;
		return;
	}
	shodo_filetime_iso(ft, out);
}

static void check_updates(posture_host *h)
{
	if (!h->soft)
		return;
	const char *cv = "Microsoft\\Windows NT\\CurrentVersion";
	char *product = reg_path_string(h->soft, cv, "ProductName");
	char *build = reg_path_string(h->soft, cv, "CurrentBuildNumber");
	if (!build)
		build = reg_path_string(h->soft, cv, "CurrentBuild");
	char *disp = reg_path_string(h->soft, cv, "DisplayVersion");
	if (!disp)
		disp = reg_path_string(h->soft, cv, "ReleaseId");
	char *csd = reg_path_string(h->soft, cv, "CSDVersion");
	uint32_t ubr = 0;
	int have_ubr = reg_path_dword(h->soft, cv, "UBR", &ubr);
	if (product || build) {
		char v[256];
		snprintf(v, sizeof(v), "%s%s%s%s%s%s%s", product ? product : "Windows", disp ? " " : "", disp ? disp : "",
		         csd ? " " : "", csd ? csd : "", build ? " build " : "", build ? build : "");
		if (have_ubr) {
			size_t l = strlen(v);
			snprintf(v + l, sizeof(v) - l, ".%u", ubr);
		}
		int eol = h->build && h->build <= 9600;
		posture_add(h, eol ? "high" : "info", "updates",
		            eol ? "operating system out of support (no security updates)" : "operating system", v,
		            eol ? "rebuild on a supported Windows release" : NULL, h->soft_src,
		            "%s: %s ProductName = %s, CurrentBuildNumber = %s%s", h->soft_path, cv,
		            product ? product : "(absent)", build ? build : "(absent)", have_ubr ? ", UBR set" : "");
	}
	free(product);
	free(build);
	free(disp);
	free(csd);

	/* last installed update: newest CBS package install time */
	uint64_t best = 0;
	char best_pkg[256] = "";
	libregf_key_t *pk = reg_key(h->soft, "Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\Packages");
	int np = reg_nsub(pk);
	for (int i = 0; i < np; i++) {
		if ((i & 255) == 0 && shodo_cancelled(h->ctx->cancel))
			break;
		libregf_key_t *p = reg_sub(pk, i);
		uint32_t hi, lo;
		if (reg_dword(p, "InstallTimeHigh", &hi) && reg_dword(p, "InstallTimeLow", &lo)) {
			uint64_t t = (uint64_t)hi << 32 | lo;
			if (t > best) {
				best = t;
				char *n = reg_name_dup(p);
				snprintf(best_pkg, sizeof(best_pkg), "%s", n ? n : "?");
				free(n);
			}
		}
		reg_key_free(&p);
	}
	reg_key_free(&pk);
	char *wu = reg_path_string(h->soft, "Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\Results\\Install",
	                       "LastSuccessTime");
	time_t last = 0;
	char lastiso[48] = "", evid[700] = "";
	if (best) {
		filetime_iso(best, lastiso);
		last = (time_t)shodo_filetime_to_unix(best);
		snprintf(evid, sizeof(evid),
		         "%s: Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\Packages\\%s "
		         "InstallTimeHigh/InstallTimeLow = %s", h->soft_path, best_pkg, lastiso);
	}
	if (wu) {
		/* "2021-03-04 05:06:07" UTC */
		char iso[32];
		snprintf(iso, sizeof(iso), "%.10sT%.8sZ", wu, strlen(wu) > 11 ? wu + 11 : "00:00:00");
		time_t t;
		if (shodo_parse_iso(iso, &t) == 0 && t > last) {
			last = t;
			shodo_time_iso(t, lastiso);
			snprintf(evid, sizeof(evid),
			         "%s: Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\Results\\Install"
			         "\\LastSuccessTime = %s", h->soft_path, wu);
		}
		free(wu);
	}
	if (last) {
		time_t ref = h->ctx->until ? h->ctx->until : time(NULL);
		long days = (long)((ref - last) / 86400);
		const char *sev = days > 90 ? "high" : days > 35 ? "medium" : "info";
		char f[160];
		snprintf(f, sizeof(f), "last update installed %ld days before the %s", days,
		         h->ctx->until ? "end of the incident window" : "triage");
		posture_add(h, sev, "updates", f, lastiso, strcmp(sev, "info") ? R_UPDATES : NULL, h->soft_src, "%s",
		            evid);
	} else {
		posture_add(h, "low", "updates", "no record of installed updates (CBS packages or Windows Update results)",
		            "unknown", R_UPDATES, h->soft_src, "%s: no InstallTimeHigh/Low under Component Based "
		            "Servicing\\Packages, no WindowsUpdate LastSuccessTime", h->soft_path);
	}

	const char *au = "Policies\\Microsoft\\Windows\\WindowsUpdate\\AU";
	rv noau, opt, wus;
	soft_dword(h, &noau, au, "NoAutoUpdate");
	soft_dword(h, &opt, au, "AUOptions");
	sys_dword(h, &wus, "Services\\wuauserv", "Start");
	if (noau.found && noau.v)
		posture_add(h, "high", "updates", "automatic updates disabled by policy (NoAutoUpdate = 1)", "off",
		            R_UPDATES, h->soft_src, "%s", noau.where);
	else if (opt.found) {
		static const char *const o[] = {"", "disabled", "notify before download", "download and notify",
		                                "download and install on schedule", "local admin chooses"};
		const char *what = opt.v <= 5 ? o[opt.v] : "other";
		char f[128];
		snprintf(f, sizeof(f), "automatic update policy: %s", what);
		int weak = opt.v == 1 || opt.v == 2 || opt.v == 5;
		posture_add(h, weak ? "medium" : "info", "updates", f, what, weak ? R_UPDATES : NULL, h->soft_src, "%s",
		            opt.where);
	} else {
		posture_add(h, "info", "updates", "no automatic update policy (Windows default applies)", "default", NULL,
		            h->soft_src, "%s", noau.where);
	}
	if (wus.found && wus.v == 4)
		posture_add(h, "high", "updates", "Windows Update service (wuauserv) disabled", "disabled", R_UPDATES,
		            h->sys_src, "%s", wus.where);
}

/* ---- security products, Defender ---- */
static const struct {
	const char *needle;   /* case-insensitive substring of DisplayName */
	const char *product;
} av_names[] = {
	{"Symantec Endpoint", "Symantec Endpoint Protection"}, {"Norton", "Norton"},
	{"McAfee", "McAfee"}, {"Trellix", "Trellix"}, {"Trend Micro", "Trend Micro"}, {"Apex One", "Trend Micro Apex One"},
	{"Sophos", "Sophos"}, {"ESET", "ESET"}, {"Kaspersky", "Kaspersky"}, {"Bitdefender", "Bitdefender"},
	{"CrowdStrike", "CrowdStrike Falcon"}, {"SentinelOne", "SentinelOne"}, {"Sentinel Agent", "SentinelOne"},
	{"Carbon Black", "VMware Carbon Black"}, {"Cylance", "Cylance"}, {"Cortex XDR", "Palo Alto Cortex XDR"},
	{"Traps", "Palo Alto Traps"}, {"Malwarebytes", "Malwarebytes"}, {"Avast", "Avast"}, {"AVG ", "AVG"},
	{"Avira", "Avira"}, {"F-Secure", "F-Secure"}, {"WithSecure", "WithSecure"}, {"G DATA", "G DATA"},
	{"Panda ", "Panda"}, {"Webroot", "Webroot"}, {"FireEye", "FireEye"}, {"Cisco Secure Endpoint", "Cisco Secure Endpoint"},
	{"Cisco AMP", "Cisco AMP"}, {"Elastic Agent", "Elastic Agent"}, {"Elastic Endpoint", "Elastic Endpoint"},
	{"FortiClient", "FortiClient"}, {"Check Point Endpoint", "Check Point"}, {"Comodo", "Comodo"},
	{"Deep Security", "Trend Micro Deep Security"}, {"Microsoft Defender for Endpoint", "Microsoft Defender for Endpoint"},
	{"System Center Endpoint Protection", "System Center Endpoint Protection"},
	{"Microsoft Security Essentials", "Microsoft Security Essentials"}, {"Cybereason", "Cybereason"},
	{"Harfanglab", "HarfangLab"}, {"Wazuh", "Wazuh agent"}, {"Sysmon", "Sysmon"},
};

static const struct {
	const char *service;
	const char *product;
} av_services[] = {
	{"WinDefend", "Microsoft Defender Antivirus"}, {"Sense", "Microsoft Defender for Endpoint"},
	{"CSFalconService", "CrowdStrike Falcon"}, {"CSAgent", "CrowdStrike Falcon"},
	{"SentinelAgent", "SentinelOne"}, {"CbDefense", "VMware Carbon Black"}, {"CarbonBlack", "VMware Carbon Black"},
	{"CylanceSvc", "Cylance"}, {"cyserver", "Palo Alto Cortex XDR"}, {"SAVService", "Sophos"},
	{"Sophos Endpoint Defense Service", "Sophos"}, {"SophosHealth", "Sophos"}, {"ekrn", "ESET"},
	{"AVP", "Kaspersky"}, {"klnagent", "Kaspersky"}, {"McShield", "McAfee"}, {"mfemms", "McAfee/Trellix"},
	{"masvc", "McAfee/Trellix agent"}, {"ntrtscan", "Trend Micro"}, {"TmListen", "Trend Micro"},
	{"SepMasterService", "Symantec Endpoint Protection"}, {"VSSERV", "Bitdefender"}, {"EPSecurityService", "Bitdefender"},
	{"MBAMService", "Malwarebytes"}, {"AvastSvc", "Avast"}, {"AVGSvc", "AVG"}, {"Avira.ServiceHost", "Avira"},
	{"WRSVC", "Webroot"}, {"xagt", "FireEye HX"}, {"FortiEDRCollectorService", "FortiEDR"},
	{"CybereasonActiveProbe", "Cybereason"}, {"elastic-agent", "Elastic Agent"}, {"Sysmon", "Sysmon"},
	{"Sysmon64", "Sysmon"},
};

static int add_product(char list[][96], int n, const char *p)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(list[i], p))
			return n;
	if (n < 32)
		snprintf(list[n++], 96, "%s", p);
	return n;
}

static void scan_uninstall(posture_host *h, const char *path, char prods[][96], int *np)
{
	libregf_key_t *u = reg_key(h->soft, path);
	int n = reg_nsub(u);
	for (int i = 0; i < n; i++) {
		libregf_key_t *e = reg_sub(u, i);
		char *dn = reg_string_dup(e, "DisplayName");
		if (dn) {
			for (size_t j = 0; j < sizeof(av_names) / sizeof(av_names[0]); j++) {
				if (strcasestr(dn, av_names[j].needle)) {
					int before = *np;
					*np = add_product(prods, *np, av_names[j].product);
					if (*np > before) {
						char f[256];
						snprintf(f, sizeof(f), "security product installed: %s", av_names[j].product);
						char *key = reg_name_dup(e);
						posture_add(h, "info", "antivirus", f, dn, NULL, h->soft_src, "%s: %s\\%s\\DisplayName = %s",
						            h->soft_path, path, key ? key : "?", dn);
						free(key);
					}
					break;
				}
			}
			free(dn);
		}
		reg_key_free(&e);
	}
	reg_key_free(&u);
}

static void check_events_defender(posture_host *h)
{
	sqlite3 *db = shodo_store_db(h->ctx->store);
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db,
	                       "SELECT time, event_id, source, record, detail FROM events WHERE (event_id IN (5000,5001,5010,"
	                       "5012) OR (event_id = 5007 AND (detail LIKE '%DisableRealtimeMonitoring%' OR detail LIKE "
	                       "'%DisableAntiSpyware%' OR detail LIKE '%Exclusions%' OR detail LIKE '%DisableBehavior%'"
	                       " OR detail LIKE '%DisableIOAV%' OR detail LIKE '%TamperProtection%'))) AND (provider LIKE "
	                       "'%Defender%' OR provider LIKE '%Antimalware%' OR channel LIKE '%Defender%') ORDER BY time", -1, &s, NULL) != SQLITE_OK) {
		sqlite3_finalize(s);
		return;
	}
	int rows = 0;
	while (sqlite3_step(s) == SQLITE_ROW && rows < 200) {
		rows++;
		const char *t = (const char *)sqlite3_column_text(s, 0);
		int id = sqlite3_column_int(s, 1);
		const char *src = (const char *)sqlite3_column_text(s, 2);
		long long rec = sqlite3_column_int64(s, 3);
		const char *f = id == 5000   ? "Defender real-time protection turned on"
		                : id == 5001 ? "Defender real-time protection turned off"
		                : id == 5010 ? "Defender scanning for malware and unwanted software turned off"
		                : id == 5012 ? "Defender scanning for viruses turned off"
		                             : "Defender protection settings or exclusions changed (event 5007)";
		posture_add(h, id == 5000 ? "info" : "high", "antivirus", f, t ? t : "", id == 5000 ? NULL : R_AV,
		            src, "event %d record %lld in %s", id, rec, src ? src : "?");
	}
	sqlite3_finalize(s);
}

static void check_av(posture_host *h)
{
	char prods[32][96];
	int np = 0;
	if (h->soft) {
		scan_uninstall(h, "Microsoft\\Windows\\CurrentVersion\\Uninstall", prods, &np);
		scan_uninstall(h, "WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall", prods, &np);
	}
	int defender_svc = 0, defender_off = 0;
	if (h->sys) {
		for (size_t i = 0; i < sizeof(av_services) / sizeof(av_services[0]); i++) {
			char k[160];
			snprintf(k, sizeof(k), "Services\\%s", av_services[i].service);
			if (!sys_key_exists(h, k))
				continue;
			rv st;
			sys_dword(h, &st, k, "Start");
			int disabled = st.found && st.v == 4;
			if (!strcmp(av_services[i].service, "WinDefend")) {
				defender_svc = 1;
				defender_off |= disabled;
			}
			int before = np;
			if (!disabled)
				np = add_product(prods, np, av_services[i].product);
			char f[200];
			snprintf(f, sizeof(f), "security product service %s: %s", disabled ? "disabled" : "present",
			         av_services[i].product);
			if (disabled || np > before)
				posture_add(h, disabled ? "high" : "info", "antivirus", f, start_name(st.found ? st.v : 99),
				            disabled ? R_AV : NULL, h->sys_src, "%s", st.where);
		}
	}
	if (h->soft) {
		static const struct { const char *key, *name, *f; } dv[] = {
			{"Policies\\Microsoft\\Windows Defender", "DisableAntiSpyware",
			 "Defender turned off by policy (DisableAntiSpyware = 1)"},
			{"Policies\\Microsoft\\Windows Defender\\Real-Time Protection", "DisableRealtimeMonitoring",
			 "Defender real-time protection off by policy (DisableRealtimeMonitoring = 1)"},
			{"Microsoft\\Windows Defender", "DisableAntiSpyware", "Defender turned off (DisableAntiSpyware = 1)"},
			{"Microsoft\\Windows Defender\\Real-Time Protection", "DisableRealtimeMonitoring",
			 "Defender real-time protection off (DisableRealtimeMonitoring = 1)"},
		};
		for (size_t i = 0; i < 4; i++) {
			rv r;
			soft_dword(h, &r, dv[i].key, dv[i].name);
			if (r.found && r.v) {
				defender_off = 1;
				libregf_key_t *k = reg_key(h->soft, dv[i].key);
				char when[48];
				filetime_iso(reg_key_time(k), when);
				reg_key_free(&k);
				posture_add(h, "high", "antivirus", dv[i].f, when[0] ? when : "on", R_AV, h->soft_src,
				            "%s (key last written %s)", r.where, when[0] ? when : "unknown");
			}
		}
		if (defender_svc && !defender_off)
			posture_add(h, "info", "antivirus", "Defender real-time protection not turned off in the registry",
			            "on", NULL, h->soft_src, "%s: no DisableAntiSpyware/DisableRealtimeMonitoring set",
			            h->soft_path);
	}
	check_events_defender(h);
	int other = 0;
	for (int i = 0; i < np; i++)
		if (strcmp(prods[i], "Microsoft Defender Antivirus") && strcmp(prods[i], "Sysmon") &&
		    strcmp(prods[i], "Wazuh agent"))
			other = 1;
	if (h->sys && h->soft && !other && (!defender_svc || defender_off))
		posture_add(h, "high", "antivirus", "no active antivirus found", defender_off ? "Defender off" : "none",
		            R_AV, h->soft_src, "%s and %s: no known security product in Uninstall keys or services%s",
		            h->soft_path, h->sys_path, defender_off ? "; Defender turned off" : "");
}


/* ---- role, LAPS, Winlogon secrets, Defender exclusions ---- */
static void check_role(posture_host *h)
{
	if (!h->sys)
		return;
	char k[128];
	snprintf(k, sizeof(k), "%s\\Control\\ProductOptions", h->ccs);
	char *pt = reg_path_string(h->sys, k, "ProductType");
	if (!pt)
		return;
	const char *role = !strcasecmp(pt, "WinNT") ? "workstation" : !strcasecmp(pt, "ServerNT") ? "server"
	                   : !strcasecmp(pt, "LanmanNT") ? "domain controller" : "unknown";
	h->role = !strcasecmp(pt, "WinNT") ? 1 : !strcasecmp(pt, "ServerNT") ? 2 : !strcasecmp(pt, "LanmanNT") ? 3 : 0;
	posture_add(h, "info", "host", "role", role, NULL, h->sys_src, "%s: %s\\ProductType = %s", h->sys_path, k, pt);
	free(pt);
}

static void check_laps(posture_host *h)
{
	if (!h->soft || h->role == 3)
		return;   /* domain controllers have no local accounts to manage */
	rv legacy, wl1, wl2;
	soft_dword(h, &legacy, "Policies\\Microsoft Services\\AdmPwd", "AdmPwdEnabled");
	soft_dword(h, &wl1, "Microsoft\\Windows\\CurrentVersion\\Policies\\LAPS", "BackupDirectory");
	soft_dword(h, &wl2, "Microsoft\\Policies\\LAPS", "BackupDirectory");
	const char *cse = "Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\GPExtensions\\"
	                  "{D76B9641-3288-4f75-942D-087DE603E3EA}";
	int cse_present = reg_path_exists(h->soft, cse);
	rv *on = legacy.found && legacy.v ? &legacy : wl1.found && wl1.v ? &wl1 : wl2.found && wl2.v ? &wl2 : NULL;
	if (on)
		posture_add(h, "info", "accounts", "local administrator password managed (LAPS)", "on", NULL, h->soft_src,
		            "%s", on->where);
	else
		posture_add(h, "medium", "accounts",
		            cse_present ? "LAPS installed but not enabled: local administrator password not managed"
		                        : "no LAPS: local administrator password not managed",
		            "off", R_LAPS, h->soft_src, "%s; %s; %s%s", legacy.where, wl1.where, wl2.where,
		            cse_present ? "; LAPS client-side extension registered" : "");
}

static void check_winlogon(posture_host *h)
{
	if (!h->soft)
		return;
	const char *wl = "Microsoft\\Windows NT\\CurrentVersion\\Winlogon";
	libregf_key_t *k = reg_key(h->soft, wl);
	if (!k)
		return;
	char *aal = reg_string_dup(k, "AutoAdminLogon");
	uint32_t aad = 0;
	int auto_on = (aal && !strcmp(aal, "1")) || (!aal && reg_dword(k, "AutoAdminLogon", &aad) && aad == 1);
	/* the password itself is never read into a finding */
	int has_pw = reg_has_value(k, "DefaultPassword");
	char *user = reg_string_dup(k, "DefaultUserName");
	if (has_pw) {
		size_t n = 0;
		unsigned char *d = reg_binary_dup(k, "DefaultPassword", &n);
		int empty = !d || n <= 2;
		if (d)
			OPENSSL_cleanse(d, n);
		free(d);
		if (!empty)
			posture_add(h, auto_on ? "high" : "medium", "credentials",
			            auto_on ? "automatic logon with a cleartext password in the registry"
			                    : "cleartext password left in the registry (Winlogon DefaultPassword)",
			            user ? user : "(no DefaultUserName)",
			            "remove DefaultPassword and automatic logon; change that account's password", h->soft_src,
			            "%s: %s\\DefaultPassword present (value not copied); AutoAdminLogon = %s", h->soft_path, wl,
			            aal ? aal : auto_on ? "1" : "absent");
	}
	char *cached = reg_string_dup(k, "CachedLogonsCount");
	if (cached) {
		long c = strtol(cached, NULL, 10);
		posture_add(h, c > 10 ? "low" : "info", "credentials", "cached domain logons kept on the host", cached,
		            c > 10 ? "keep few cached logons (crackable offline)" : NULL, h->soft_src,
		            "%s: %s\\CachedLogonsCount = %s", h->soft_path, wl, cached);
	}
	free(cached);
	free(aal);
	free(user);
	reg_key_free(&k);
}

static int risky_exclusion(const char *x)
{
	size_t n = strlen(x);
	if (!n || !strcmp(x, "*") || !strcmp(x, "*.*"))
		return 1;
	if (n <= 3 && x[1] == ':')   /* a whole drive: "C:", "C:\" */
		return 1;
	static const char *const bad[] = {"\\Users", "\\ProgramData", "\\Temp", "\\AppData", "\\Downloads",
	                                  "\\Windows\\", "\\$Recycle.Bin", "\\PerfLogs", "%TEMP%", "%APPDATA%",
	                                  "%USERPROFILE%"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (strcasestr(x, bad[i]))
			return 1;
	static const char *const ext[] = {"exe", ".exe", "dll", ".dll", "ps1", ".ps1", "bat", ".bat", "vbs", ".vbs",
	                                  "js", ".js", "cmd", ".cmd", "scr", ".scr", "hta", ".hta"};
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
		if (!strcasecmp(x, ext[i]))
			return 1;
	return 0;
}

static void check_av_exclusions(posture_host *h)
{
	if (!h->soft)
		return;
	static const char *const roots[] = {"Microsoft\\Windows Defender\\Exclusions",
	                                    "Policies\\Microsoft\\Windows Defender\\Exclusions"};
	static const char *const kinds[] = {"Paths", "Extensions", "Processes"};
	for (size_t r = 0; r < 2; r++)
		for (size_t t = 0; t < 3; t++) {
			char path[160];
			snprintf(path, sizeof(path), "%s\\%s", roots[r], kinds[t]);
			libregf_key_t *k = reg_key(h->soft, path);
			int n = reg_nvalues(k);
			char list[1024] = "";
			int risky = 0, count = 0;
			for (int i = 0; i < n && i < 500; i++) {
				char *name = reg_value_name_dup(k, i);
				if (name && *name) {
					risky |= risky_exclusion(name);
					size_t l = strlen(list);
					if (l < sizeof(list) - 64)
						snprintf(list + l, sizeof(list) - l, "%s%s", l ? "; " : "", name);
					count++;
				}
				free(name);
			}
			reg_key_free(&k);
			if (!count)
				continue;
			char f[200];
			static const char *const label[] = {"path", "extension", "process"};
			snprintf(f, sizeof(f), "Defender %s exclusions%s%s", label[t], r ? " by policy" : "",
			         risky ? " cover places or file types attackers use" : "");
			posture_add(h, risky ? "high" : "low", "antivirus", f, list,
			            "remove AV exclusions that are not documented and narrow (never drives, user folders or "
			            "executable types)", h->soft_src, "%s: %s has %d value(s)%s", h->soft_path, path, count,
			            r ? " (group policy)" : "");
		}
}

void posture_check_system(posture_host *h)
{
	check_role(h);
	check_firewall(h);
	check_remote(h);
	check_smb(h);
	check_hardening(h);
	check_scripting(h);
	check_updates(h);
	check_av(h);
	check_av_exclusions(h);
	check_laps(h);
	check_winlogon(h);
}

/* ---- the stage ---- */
static const char *base_name(const char *p)
{
	const char *b = strrchr(p, '/');
	const char *c = strrchr(p, '\\');
	if (c && (!b || c > b))
		b = c;
	return b ? b + 1 : p;
}

static int path_depth(const char *p)
{
	int d = 0;
	for (; *p; p++)
		d += *p == '/' || *p == '\\';
	return d;
}

static int is_config_hive(const char *path)
{
	/* .../System32/config/<HIVE>, not RegBack or systemprofile copies */
	size_t n = strlen(path);
	const char *b = base_name(path);
	if ((size_t)(b - path) < 15)
		return 0;
	char dir[32];
	size_t dl = (size_t)(b - path) - 1;
	if (dl < 15)
		return 0;
	snprintf(dir, sizeof(dir), "%.15s", path + dl - 15);
	(void)n;
	for (char *p = dir; *p; p++)
		if (*p == '\\')
			*p = '/';
	return !strcasecmp(dir, "System32/config");
}

void posture_case_dir(shodo_triage_ctx *ctx, char *out, size_t outsz)
{
	if (ctx->opts && ctx->opts->kase) {
		snprintf(out, outsz, "%s", shodo_case_dir(ctx->opts->kase));
		return;
	}
	/* DIR/<ID>/triage */
	snprintf(out, outsz, "%s/../..", ctx->triage_dir ? ctx->triage_dir : ".");
}

static void host_open(posture_host *h, libregf_file_t **hp, const char *file, const char *what)
{
	shodo_err e;
	shodo_err_clear(&e);
	if (!file)
		return;
	/* a hive that cannot be read is reported here but graded by the parser
	 * stage, which owns each artifact's status: posture loses only the
	 * findings that need that hive.  A dirty hive is read with its
	 * transaction logs replayed into a copy, as the parsers read it, so the
	 * findings describe the hive's newest state. */
	char lognote[600];
	if (reg_open_hive(file, hp, lognote, sizeof(lognote), &e) != SHODO_OK)
		shodo_emit(h->ctx->sink, SHODO_EV_WARN, "posture", "%s hive: %s; its posture findings are missing", what,
		           e.msg);
	else if (lognote[0])
		shodo_emit(h->ctx->sink, SHODO_EV_INFO, "posture", "%s hive: %s", what, lognote);
}

shodo_status shodo_posture_run(shodo_triage_ctx *ctx, const shodo_artifact *arts, size_t n, shodo_err *err)
{
	shodo_status rc = SHODO_OK;
	shodo_emit(ctx->sink, SHODO_EV_PHASE, "posture", "security posture");
	/* hosts: one per volume with config hives */
	size_t nh = 0, hcap = 0, fcap = 0;
	posture_host *hosts = NULL;
	const char **files = NULL;   /* four hive files per host */
	for (size_t i = 0; i < n; i++) {
		const shodo_artifact *a = &arts[i];
		if (!a->category || strcmp(a->category, CAT_REGISTRY) || !a->path || !a->file)
			continue;
		if (!is_config_hive(a->path))
			continue;
		const char *b = base_name(a->path);
		int slot = !strcasecmp(b, "SYSTEM") ? 0 : !strcasecmp(b, "SOFTWARE") ? 1 : !strcasecmp(b, "SAM") ? 2
		           : !strcasecmp(b, "SECURITY") ? 3 : -1;
		if (slot < 0)
			continue;
		size_t j;
		for (j = 0; j < nh; j++)
			if (!strcmp(hosts[j].volume ? hosts[j].volume : "", a->volume ? a->volume : ""))
				break;
		if (j == nh) {
			if (shodo_grow(&hosts, &hcap, nh + 1) < 0 || shodo_grow(&files, &fcap, (nh + 1) * 4) < 0) {
				free(hosts);
				free(files);
				return shodo_err_set(err, SHODO_FATAL, 0, "posture: out of memory");
			}
			memset(&hosts[nh], 0, sizeof(hosts[nh]));
			memset(&files[nh * 4], 0, 4 * sizeof(*files));
			hosts[nh].ctx = ctx;
			hosts[nh].volume = a->volume ? a->volume : "";
			nh++;
		}
		posture_host *h = &hosts[j];
		const char *src = a->source ? a->source : a->path;
		/* the live installation's hives, not those of Windows.old or another
		 * copy deeper in the tree: the shallowest path wins */
		const char *have = slot == 0 ? h->sys_path : slot == 1 ? h->soft_path : slot == 2 ? h->sam_path : h->sec_path;
		if (have && path_depth(have) <= path_depth(a->path))
			continue;
		files[j * 4 + slot] = a->file;
		switch (slot) {
		case 0: h->sys_src = src; h->sys_path = a->path; break;
		case 1: h->soft_src = src; h->soft_path = a->path; break;
		case 2: h->sam_src = src; h->sam_path = a->path; break;
		default: h->sec_src = src; h->sec_path = a->path; break;
		}
	}

	/* a savepoint works whether or not the caller holds a transaction */
	if (shodo_store_exec(ctx->store, "SAVEPOINT posture", err) != SHODO_OK) {
		free(hosts);
		free(files);
		return SHODO_FATAL;
	}
	for (size_t j = 0; j < nh && !shodo_cancelled(ctx->cancel); j++) {
		posture_host *h = &hosts[j];
		host_open(h, &h->sys, files[j * 4 + 0], "SYSTEM");
		host_open(h, &h->soft, files[j * 4 + 1], "SOFTWARE");
		host_open(h, &h->sam, files[j * 4 + 2], "SAM");
		host_open(h, &h->sec, files[j * 4 + 3], "SECURITY");
		uint32_t cur = 1;
		if (h->sys && !reg_path_dword(h->sys, "Select", "Current", &cur))
			cur = 1;
		snprintf(h->ccs, sizeof(h->ccs), "ControlSet%03u", cur % 1000);
		if (h->soft) {
			char *b = reg_path_string(h->soft, "Microsoft\\Windows NT\\CurrentVersion", "CurrentBuildNumber");
			if (!b)
				b = reg_path_string(h->soft, "Microsoft\\Windows NT\\CurrentVersion", "CurrentBuild");
			if (b)
				h->build = (uint32_t)strtoul(b, NULL, 10);
			free(b);
		}
		static const struct { int slot; const char *hive, *what; } cover[] = {
			{0, "SYSTEM", "firewall, RDP, SMB, services, LSA and password comparison"},
			{1, "SOFTWARE", "UAC, AutoRun, scripting, updates, security products, LAPS"},
			{2, "SAM", "local accounts, Administrators members, local password policy"},
		};
		libregf_file_t *opened[3] = {h->sys, h->soft, h->sam};
		for (size_t c = 0; c < 3; c++)
			if (!opened[c]) {
				char f[160];
				snprintf(f, sizeof(f), "%s hive %s: no findings on %s", cover[c].hive,
				         files[j * 4 + cover[c].slot] ? "unreadable" : "not collected", cover[c].what);
				posture_add(h, "info", "coverage", f, files[j * 4 + cover[c].slot] ? "unreadable" : "absent", NULL,
				            NULL, "Windows/System32/config/%s on volume %s", cover[c].hive,
				            h->volume[0] ? h->volume : "?");
			}
		posture_check_system(h);
		posture_check_accounts(h);
		shodo_err ce;
		shodo_err_clear(&ce);
		if (h->sys && h->sam && posture_credentials(h, &ce) != SHODO_OK) {
			shodo_emit(ctx->sink, SHODO_EV_WARN, "posture", "password comparison: %s", ce.msg);
			posture_add(h, "info", "accounts", "local passwords could not be compared across hosts", ce.msg, NULL,
			            h->sam_src, "%s and %s", h->sam_path, h->sys_path);
		}
		shodo_emit(ctx->sink, SHODO_EV_INFO, "posture", "%s: %d posture findings", h->volume[0] ? h->volume : "volume",
		           h->nfindings);
		reg_close(&h->sys);
		reg_close(&h->soft);
		reg_close(&h->sam);
		reg_close(&h->sec);
		h->sys = h->soft = h->sam = h->sec = NULL;
	}
	free(hosts);
	free(files);
	if (nh == 0)
		shodo_emit(ctx->sink, SHODO_EV_INFO, "posture", "no Windows configuration hives collected: no posture findings");

	shodo_status r2 = posture_reuse_run(ctx, arts, n, err);
	if (r2 == SHODO_FATAL) {
		shodo_store_exec(ctx->store, "ROLLBACK TO posture; RELEASE posture", NULL);
		return r2;
	}
	rc = shodo_status_worst(rc, r2);
	if (shodo_store_exec(ctx->store, "RELEASE posture", err) != SHODO_OK)
		return SHODO_FATAL;
	if (ctx->triage_dir) {
		static const char *const tables[] = {"posture", "reuse_review", NULL};
		shodo_status w = shodo_store_write_csv(ctx->store, ctx->triage_dir, tables, err);
		if (w != SHODO_OK)
			return w;
	}
	if (shodo_cancelled(ctx->cancel))
		return shodo_err_set(err, SHODO_CANCELLED, 0, "posture: cancelled");
	return rc;
}
