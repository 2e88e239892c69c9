/*
 * Windows XML event logs (.evtx) through libevtx.
 *
 * Records are read one at a time (libevtx keeps only its chunk cache), so a
 * Security.evtx of several GB is parsed in bounded memory.  Every record is
 * counted by (provider, event ID) into event_counts; only the records of
 * interest (logons, account and group changes, services, tasks, log
 * clearing, Defender, script blocks, suspicious process creations) are
 * rendered to XML, from which the named EventData/UserData fields are taken.
 * Rendering only those keeps the common path cheap; taking fields by name
 * rather than by template position survives event versions that add fields.
 *
 * Records recovered from slack space are read as well; those whose record
 * number matches an allocated record are copies and are not stored twice.
 * event_counts and evtx_stats.parsed cover the allocated records (what
 * evtxexport and Event Viewer show); recovered rows carry recovered = 1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libevtx.h>
#include "putil.h"

#define SEC "Microsoft-Windows-Security-Auditing"
#define LSM "Microsoft-Windows-TerminalServices-LocalSessionManager"
#define RCM "Microsoft-Windows-TerminalServices-RemoteConnectionManager"
#define SCM "Service Control Manager"
#define EVLOG "Microsoft-Windows-Eventlog"
#define DEFENDER "Microsoft-Windows-Windows Defender"
#define TASKS "Microsoft-Windows-TaskScheduler"
#define PWSH "Microsoft-Windows-PowerShell"
#define SYSMON "Microsoft-Windows-Sysmon"
#define KERNEL_GENERAL "Microsoft-Windows-Kernel-General"

enum { K_LOGON = 1, K_PERSIST = 2, K_FILTER = 4 };

/* what the event means; kind K_LOGON also goes to the logons table */
static const struct evdef {
	const char *provider;
	uint32_t id;
	const char *category;
	unsigned kind;
	const char *result;  /* logons.result */
} defs[] = {
	{SEC, 4624, "logon_success", K_LOGON, "success"},
	{SEC, 4625, "logon_failure", K_LOGON, "failure"},
	{SEC, 4634, "logoff", K_LOGON, "logoff"},
	{SEC, 4647, "logoff", K_LOGON, "logoff"},
	{SEC, 4648, "logon_explicit", K_LOGON, "explicit"},
	{SEC, 4672, "logon_admin", K_LOGON, "admin"},
	{SEC, 4778, "session_reconnect", K_LOGON, "reconnect"},
	{SEC, 4779, "session_disconnect", K_LOGON, "disconnect"},
	{LSM, 21, "rdp_session_logon", K_LOGON, "success"},
	{LSM, 22, "rdp_shell_start", K_LOGON, "shell"},
	{LSM, 23, "rdp_session_logoff", K_LOGON, "logoff"},
	{LSM, 24, "rdp_session_disconnect", K_LOGON, "disconnect"},
	{LSM, 25, "rdp_session_reconnect", K_LOGON, "reconnect"},
	{RCM, 1149, "rdp_auth_success", K_LOGON, "success"},
	{SEC, 4720, "account_created", 0, NULL},
	{SEC, 4722, "account_enabled", 0, NULL},
	{SEC, 4724, "password_reset", 0, NULL},
	{SEC, 4726, "account_deleted", 0, NULL},
	{SEC, 4728, "group_member_added", 0, NULL},
	{SEC, 4732, "group_member_added", 0, NULL},
	{SEC, 4756, "group_member_added", 0, NULL},
	{SCM, 7045, "service_installed", K_PERSIST, NULL},
	{SEC, 4697, "service_installed", K_PERSIST, NULL},
	{SEC, 4698, "task_created", K_PERSIST, NULL},
	{TASKS, 106, "task_created", K_PERSIST, NULL},
	{EVLOG, 1102, "log_cleared", 0, NULL},
	{EVLOG, 104, "log_cleared", 0, NULL},
	{DEFENDER, 1116, "defender_detection", 0, NULL},
	{DEFENDER, 1117, "defender_detection", 0, NULL},
	{DEFENDER, 5001, "defender_disabled", 0, NULL},
	{DEFENDER, 5010, "defender_disabled", 0, NULL},
	{DEFENDER, 5012, "defender_disabled", 0, NULL},
	{PWSH, 4104, "ps_scriptblock", 0, NULL},
	/* the version the host booted (host identity when SOFTWARE is missing) */
	{KERNEL_GENERAL, 12, "os_boot", 0, NULL},
	{"EventLog", 6009, "os_boot", 0, NULL},
	{SEC, 4688, "process_suspicious", K_FILTER, NULL},
	{SYSMON, 1, "process_suspicious", K_FILTER, NULL},
};

static const struct evdef *find_def(const char *provider, uint32_t id)
{
	for (size_t i = 0; i < sizeof(defs) / sizeof(defs[0]); i++)
		if (defs[i].id == id && !strcmp(defs[i].provider, provider))
			return &defs[i];
	return NULL;
}

/* ---- (provider, event id) counter: open addressing, bounded ---- */
#define COUNT_MAX 65536
struct cnt {
	char *provider;
	uint32_t id;
	uint64_t n;
};
struct counter {
	struct cnt *t;
	size_t cap, used;
	int full;
};

static uint64_t hash_key(const char *s, uint32_t id)
{
	uint64_t h = 1469598103934665603ULL ^ id;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static int counter_grow(struct counter *c)
{
	size_t nc = c->cap ? c->cap * 2 : 256;
	struct cnt *nt = calloc(nc, sizeof(*nt));
	if (!nt)
		return -1;
	for (size_t i = 0; i < c->cap; i++) {
		if (!c->t[i].provider)
			continue;
		size_t j = hash_key(c->t[i].provider, c->t[i].id) & (nc - 1);
		while (nt[j].provider)
			j = (j + 1) & (nc - 1);
		nt[j] = c->t[i];
	}
	free(c->t);
	c->t = nt;
	c->cap = nc;
	return 0;
}

static void counter_add(struct counter *c, const char *provider, uint32_t id)
{
	if (c->used * 2 >= c->cap && (c->used >= COUNT_MAX || counter_grow(c) < 0)) {
		/* hostile input with endless distinct providers: lump the rest */
		c->full = 1;
		if (c->used * 2 >= c->cap)
			return;
	}
	size_t j = hash_key(provider, id) & (c->cap - 1);
	while (c->t[j].provider) {
		if (c->t[j].id == id && !strcmp(c->t[j].provider, provider)) {
			c->t[j].n++;
			return;
		}
		j = (j + 1) & (c->cap - 1);
	}
	if (c->full)
		return;
	char *p = strdup(provider);
	if (!p)
		return;
	c->t[j].provider = p;
	c->t[j].id = id;
	c->t[j].n = 1;
	c->used++;
}

static void counter_free(struct counter *c)
{
	for (size_t i = 0; i < c->cap; i++)
		free(c->t[i].provider);
	free(c->t);
}

/* ---- allocated record numbers as sorted ranges, to skip recovered copies ---- */
struct range {
	uint64_t lo, hi;
};
struct ranges {
	struct range *r;
	size_t n, cap;
};

static void ranges_add(struct ranges *rs, uint64_t id)
{
	if (rs->n && rs->r[rs->n - 1].hi + 1 == id) {
		rs->r[rs->n - 1].hi = id;
		return;
	}
	if (rs->n == rs->cap) {
		size_t nc = rs->cap ? rs->cap * 2 : 64;
		struct range *nr = realloc(rs->r, nc * sizeof(*nr));
		if (!nr)
			return;
		rs->r = nr;
		rs->cap = nc;
	}
	rs->r[rs->n].lo = rs->r[rs->n].hi = id;
	rs->n++;
}

static int cmp_range(const void *a, const void *b)
{
	const struct range *x = a, *y = b;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static int ranges_has(const struct ranges *rs, uint64_t id)
{
	size_t lo = 0, hi = rs->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (id < rs->r[mid].lo)
			hi = mid;
		else if (id > rs->r[mid].hi)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

/* ---- per-record work ---- */
struct evtx_run {
	shodo_triage_ctx *ctx;
	const shodo_artifact *a;
	char *xml;
	size_t xml_cap;
	char first[48], last[48];
	uint64_t first_ft, last_ft;
	uint64_t stored_recovered;
	uint64_t xml_errors;
};

/* "-" and empty fields are absent */
static const char *val(const char *s)
{
	return (s[0] == '\0' || (s[0] == '-' && s[1] == '\0')) ? NULL : s;
}

static void norm_ip(char *ip)
{
	if (!strncasecmp(ip, "::ffff:", 7) && strchr(ip + 7, '.'))
		memmove(ip, ip + 7, strlen(ip + 7) + 1);
}

static void join_user(char *out, size_t n, const char *dom, const char *user)
{
	if (val(user) && val(dom))
		snprintf(out, n, "%s\\%s", dom, user);
	else
		snprintf(out, n, "%s", val(user) ? user : "");
}

/* "DOMAIN\user" -> domain, user */
static void split_user(const char *in, char *dom, size_t dn, char *user, size_t un)
{
	const char *bs = strchr(in, '\\');
	if (bs) {
		snprintf(dom, dn, "%.*s", (int)(bs - in), in);
		snprintf(user, un, "%s", bs + 1);
	} else {
		dom[0] = '\0';
		snprintf(user, un, "%s", in);
	}
}

/* "2019-07-18T20:40:00.730676000Z" -> 7 fraction digits, as the store keeps times */
static int norm_time(const char *in, char *out, size_t n)
{
	size_t l = strcspn(in, "\"");
	if (l < 20 || l > 40 || in[4] != '-' || in[10] != 'T' || in[l - 1] != 'Z')
		return 0;
	char frac[16] = "";
	if (in[19] == '.') {
		size_t fl = l - 21;
		snprintf(frac, sizeof(frac), "%.*s0000000", (int)(fl < 7 ? fl : 7), in + 20);
		frac[7] = '\0';
		if (!strcmp(frac, "0000000"))
			frac[0] = '\0';
	}
	snprintf(out, n, "%.19s%s%s%s", in, frac[0] ? "." : "", frac, "Z");
	return 1;
}

#define F(name, buf) putil_xml_field(body, name, buf, sizeof(buf))

static shodo_status store_event(struct evtx_run *r, const struct evdef *d, uint32_t id, const char *provider,
                                const char *time, const char *computer, uint64_t recno, int recovered,
                                shodo_err *err)
{
	shodo_triage_ctx *ctx = r->ctx;
	const char *xml = r->xml;
	const char *body = strstr(xml, "<EventData");
	if (!body)
		body = strstr(xml, "<UserData");
	if (!body)
		body = xml;
	char channel[128] = "";
	putil_xml_field(xml, "Channel", channel, sizeof(channel));
	/* TimeCreated is what Event Viewer shows; the record header's written
	 * time is the fallback */
	char tc[48];
	const char *tcp = strstr(xml, "<TimeCreated SystemTime=\"");
	if (tcp && norm_time(tcp + 25, tc, sizeof(tc)))
		time = tc;

	char tuser[256] = "", tdom[256] = "", ip[128] = "", ws[256] = "", lid[64] = "", ltype[16] = "";
	char proc[1024] = "", auth[128] = "", status[64] = "", substatus[64] = "", suser[256] = "", sdom[256] = "";
	char user[600] = "", target[1200] = "", detail[4096] = "";
	char a1[1024] = "", a2[1024] = "", a3[256] = "", sess[128] = "";
	const char *cat = d->category;
	int logon_type = -1;

	F("SubjectUserName", suser);
	F("SubjectDomainName", sdom);
	if (d->kind & K_LOGON) {
		if (!strcmp(provider, SEC)) {
			if (id == 4672) {
				snprintf(tuser, sizeof(tuser), "%s", suser);
				snprintf(tdom, sizeof(tdom), "%s", sdom);
				F("SubjectLogonId", lid);
				F("PrivilegeList", a1);
				for (char *p = a1; *p; p++)
					if (*p == '\t' || *p == '\r' || *p == '\n')
						*p = ' ';
				snprintf(detail, sizeof(detail), "special privileges: %s", a1);
			} else if (id == 4778 || id == 4779) {
				/* a Windows session reconnected / disconnected: RDP-Tcp#N
				 * or Console, the client's name and address */
				F("AccountName", tuser);
				F("AccountDomain", tdom);
				F("LogonID", lid);
				F("SessionName", sess);
				F("ClientName", ws);
				F("ClientAddress", ip);
				if (!strncasecmp(sess, "RDP-Tcp", 7))
					logon_type = 10;
				snprintf(detail, sizeof(detail), "session %s", sess);
			} else {
				F("TargetUserName", tuser);
				F("TargetDomainName", tdom);
				F("IpAddress", ip);
				F("WorkstationName", ws);
				if (!F("TargetLogonId", lid) || !val(lid))
					F("SubjectLogonId", lid);
				F("LogonType", ltype);
				F("ProcessName", proc);
				F("AuthenticationPackageName", auth);
				F("Status", status);
				F("SubStatus", substatus);
				if (id == 4648) {
					F("TargetServerName", a1);
					if (val(a1))
						snprintf(detail, sizeof(detail), "explicit credentials for %s by %s\\%s",
						         a1, sdom, suser);
				}
			}
		} else if (!strcmp(provider, RCM)) {
			F("Param1", tuser);
			F("Param2", tdom);
			F("Param3", ip);
			ltype[0] = '\0';
			logon_type = 10;
		} else {
			char u[512] = "";
			F("User", u);
			split_user(u, tdom, sizeof(tdom), tuser, sizeof(tuser));
			F("Address", ip);
			F("SessionID", a3);
			snprintf(sess, sizeof(sess), "%s", a3);
			if (!strcmp(ip, "LOCAL"))
				snprintf(detail, sizeof(detail), "console session %s", a3);
			else
				snprintf(detail, sizeof(detail), "remote desktop session %s", a3);
			logon_type = strcmp(ip, "LOCAL") ? 10 : 2;
		}
		norm_ip(ip);
		if (val(ltype))
			logon_type = atoi(ltype);
		char st[160] = "";
		if (val(status) && strcmp(status, "0x0")) {
			if (val(substatus) && strcmp(substatus, "0x0"))
				snprintf(st, sizeof(st), "%s/%s", status, substatus);
			else
				snprintf(st, sizeof(st), "%s", status);
		}
		shodo_logon_row lr = {
			.time = time, .event_id = id, .result = d->result, .logon_type = logon_type,
			.target_user = val(tuser), .target_domain = val(tdom), .source_ip = val(ip), .workstation = val(ws),
			.logon_id = val(lid), .process = val(proc), .auth_package = val(auth), .status = st,
			.computer = computer, .source = r->a->source, .record = (long long)recno, .recovered = recovered,
			.terminal_session = val(sess),
		};
		shodo_status rc = shodo_store_add_logon(ctx->store, &lr, err);
		if (rc != SHODO_OK)
			return rc;
		join_user(user, sizeof(user), tdom, tuser);
		if (val(ip) || val(ws))
			snprintf(target, sizeof(target), "%s%s%s%s", val(ip) ? ip : "", val(ip) && val(ws) ? " (" : "",
			         val(ws) ? ws : "", val(ip) && val(ws) ? ")" : "");
		if (!detail[0]) {
			if (logon_type >= 0)
				snprintf(detail, sizeof(detail), "logon type %d%s%s", logon_type, st[0] ? " status " : "", st);
			else if (st[0])
				snprintf(detail, sizeof(detail), "status %s", st);
		}
	} else if (!strcmp(cat, "account_created") || !strcmp(cat, "account_enabled") ||
	           !strcmp(cat, "password_reset") || !strcmp(cat, "account_deleted")) {
		join_user(user, sizeof(user), sdom, suser);
		F("TargetUserName", tuser);
		F("TargetDomainName", tdom);
		join_user(target, sizeof(target), tdom, tuser);
		F("TargetSid", a1);
		snprintf(detail, sizeof(detail), "%s", a1);
	} else if (!strcmp(cat, "group_member_added")) {
		join_user(user, sizeof(user), sdom, suser);
		F("MemberName", a1);
		F("MemberSid", a2);
		snprintf(target, sizeof(target), "%s", val(a1) ? a1 : a2);
		F("TargetUserName", tuser);
		F("TargetDomainName", tdom);
		snprintf(detail, sizeof(detail), "added to group %s%s%s (member %s)", val(tdom) ? tdom : "",
		         val(tdom) ? "\\" : "", tuser, a2);
	} else if (!strcmp(cat, "service_installed")) {
		char name[512] = "", image[2048] = "", acct[256] = "", start[64] = "";
		if (id == 7045) {
			F("ServiceName", name);
			F("ImagePath", image);
			F("AccountName", acct);
			F("StartType", start);
		} else {
			F("ServiceName", name);
			F("ServiceFileName", image);
			F("ServiceAccount", acct);
			F("ServiceStartType", start);
			join_user(user, sizeof(user), sdom, suser);
		}
		if (!user[0])
			snprintf(user, sizeof(user), "%s", acct);
		snprintf(target, sizeof(target), "%s", name);
		snprintf(detail, sizeof(detail), "%s", image);
		char pd[128];
		snprintf(pd, sizeof(pd), "event %u start type %s", id, start);
		shodo_status rc = shodo_store_add_persistence(ctx->store, time, "service", name, image,
		                                              acct, pd, r->a->source, (long long)recno, err);
		if (rc != SHODO_OK)
			return rc;
	} else if (!strcmp(cat, "task_created")) {
		char name[1024] = "", cmd[2048] = "";
		F("TaskName", name);
		if (id == 4698) {
			join_user(user, sizeof(user), sdom, suser);
			/* TaskContent is the task's XML, escaped once more */
			char *content = malloc(65536);
			if (content) {
				putil_xml_field(body, "TaskContent", content, 65536);
				char c[1024] = "", args[1024] = "";
				putil_xml_field(content, "Command", c, sizeof(c));
				putil_xml_field(content, "Arguments", args, sizeof(args));
				snprintf(cmd, sizeof(cmd), "%s%s%s", c, args[0] ? " " : "", args);
				free(content);
			}
		} else {
			F("UserContext", a1);
			snprintf(user, sizeof(user), "%s", a1);
		}
		snprintf(target, sizeof(target), "%s", name);
		snprintf(detail, sizeof(detail), "%s", cmd);
		char pd[64];
		snprintf(pd, sizeof(pd), "event %u", id);
		shodo_status rc = shodo_store_add_persistence(ctx->store, time, "task", name, cmd,
		                                              user, pd, r->a->source, (long long)recno, err);
		if (rc != SHODO_OK)
			return rc;
	} else if (!strcmp(cat, "log_cleared")) {
		join_user(user, sizeof(user), sdom, suser);
		if (id == 104) {
			F("Channel", a1); /* inside UserData: the log that was cleared */
			snprintf(target, sizeof(target), "%s", a1);
		} else {
			snprintf(target, sizeof(target), "Security");
		}
		snprintf(detail, sizeof(detail), "%s log cleared", target[0] ? target : "event");
	} else if (!strcmp(cat, "defender_detection")) {
		F("Threat Name", a2);
		F("Path", a1);
		F("Detection User", tuser);
		F("Action Name", a3);
		if (!strncmp(a3, "%%", 2))
			a3[0] = '\0'; /* an unresolved message-table reference */
		snprintf(user, sizeof(user), "%s", tuser);
		snprintf(target, sizeof(target), "%s", a2);
		snprintf(detail, sizeof(detail), "%s%s%s", a1, a3[0] ? " action " : "", a3);
	} else if (!strcmp(cat, "defender_disabled")) {
		snprintf(detail, sizeof(detail), "%s",
		         id == 5001 ? "real-time protection disabled"
		         : id == 5010 ? "scanning for malware and unwanted software disabled"
		                      : "scanning for viruses disabled");
	} else if (!strcmp(cat, "ps_scriptblock")) {
		F("Path", a1);
		F("ScriptBlockId", a3);
		snprintf(target, sizeof(target), "%s", a1[0] ? a1 : a3);
		putil_xml_field(body, "ScriptBlockText", detail, 1024);
		char sid[128] = "";
		const char *sec = strstr(xml, "<Security UserID=\"");
		if (sec)
			snprintf(sid, sizeof(sid), "%.*s", (int)strcspn(sec + 18, "\""), sec + 18);
		snprintf(user, sizeof(user), "%s", sid);
	} else if (!strcmp(cat, "os_boot")) {
		/* 12: MajorVersion, MinorVersion, BuildVersion, QfeVersion; 6009:
		 * unnamed Data "6.01.", "7601", "Service Pack 1", ... */
		if (id == 12) {
			char mj[16] = "", mn[16] = "", b[16] = "", qfe[16] = "";
			F("MajorVersion", mj);
			F("MinorVersion", mn);
			F("BuildVersion", b);
			F("QfeVersion", qfe);
			snprintf(detail, sizeof(detail), "%s.%s build %s%s%s", mj, mn, b, qfe[0] ? "." : "", qfe);
		} else {
			char dv[3][128] = {"", "", ""};
			const char *p = body;
			for (int k = 0; k < 3 && (p = strstr(p, "<Data>")) != NULL; k++) {
				p += 6;
				size_t l = strcspn(p, "<");
				snprintf(dv[k], sizeof(dv[k]), "%.*s", (int)(l < 127 ? l : 127), p);
			}
			unsigned mj = 0, mn = 0;
			if (sscanf(dv[0], "%u.%u", &mj, &mn) == 2)
				snprintf(detail, sizeof(detail), "%u.%u build %s%s%s", mj, mn, dv[1], dv[2][0] ? " " : "", dv[2]);
		}
		snprintf(target, sizeof(target), "%s", provider);
	} else if (!strcmp(cat, "process_suspicious")) {
		char cmdline[4096] = "", image[1024] = "";
		if (id == 4688) {
			F("CommandLine", cmdline);
			F("NewProcessName", image);
			join_user(user, sizeof(user), sdom, suser);
		} else {
			F("CommandLine", cmdline);
			F("Image", image);
			F("User", user);
		}
		const char *why = putil_suspicious_cmdline(cmdline[0] ? cmdline : image);
		if (!why)
			why = putil_tool_flag(image);
		if (!why)
			return SHODO_OK;
		snprintf(target, sizeof(target), "%s", why);
		snprintf(detail, sizeof(detail), "%s", cmdline[0] ? cmdline : image);
	}

	static const char sql[] = "INSERT INTO events(time,category,event_id,provider,channel,computer,user,target,"
	                          "detail,source,record,recovered) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)";
	sqlite3_stmt *s = shodo_store_stmt(ctx->store, sql, err);
	if (!s)
		return SHODO_FATAL;
	shodo_bind_text(s, 1, time);
	shodo_bind_text(s, 2, cat);
	sqlite3_bind_int64(s, 3, id);
	shodo_bind_text(s, 4, provider);
	shodo_bind_text(s, 5, channel);
	shodo_bind_text(s, 6, computer);
	shodo_bind_text(s, 7, user);
	shodo_bind_text(s, 8, target);
	shodo_bind_text(s, 9, detail);
	shodo_bind_text(s, 10, r->a->source);
	sqlite3_bind_int64(s, 11, (sqlite3_int64)recno);
	sqlite3_bind_int(s, 12, recovered);
	return shodo_store_step_done(ctx->store, s, err);
}

/* Reads one record's header facts; returns 0 when the record is unusable. */
static int record_facts(libevtx_record_t *rec, uint32_t *id, char *provider, size_t pn, uint64_t *ft,
                        uint64_t *recno, char *computer, size_t cn)
{
	libevtx_error_t *e = NULL;
	int ok = libevtx_record_get_event_identifier(rec, id, &e) == 1;
	if (ok && libevtx_record_get_utf8_source_name(rec, (uint8_t *)provider, pn, &e) != 1)
		provider[0] = '\0';
	if (e) {
		libevtx_error_free(&e);
	}
	if (ok && libevtx_record_get_written_time(rec, ft, &e) != 1)
		*ft = 0;
	if (e)
		libevtx_error_free(&e);
	if (ok && libevtx_record_get_identifier(rec, recno, &e) != 1)
		*recno = 0;
	if (e)
		libevtx_error_free(&e);
	if (ok && libevtx_record_get_utf8_computer_name(rec, (uint8_t *)computer, cn, &e) != 1)
		computer[0] = '\0';
	if (e)
		libevtx_error_free(&e);
	return ok;
}

static int render_xml(struct evtx_run *r, libevtx_record_t *rec)
{
	libevtx_error_t *e = NULL;
	size_t sz = 0;
	if (libevtx_record_get_utf8_xml_string_size(rec, &sz, &e) != 1 || sz == 0 || sz > (64u << 20)) {
		if (e)
			libevtx_error_free(&e);
		return 0;
	}
	if (sz > r->xml_cap) {
		char *nx = realloc(r->xml, sz);
		if (!nx)
			return 0;
		r->xml = nx;
		r->xml_cap = sz;
	}
	if (libevtx_record_get_utf8_xml_string(rec, (uint8_t *)r->xml, sz, &e) != 1) {
		if (e)
			libevtx_error_free(&e);
		return 0;
	}
	r->xml[sz - 1] = '\0';
	return 1;
}

static shodo_status handle_record(struct evtx_run *r, libevtx_record_t *rec, int recovered, uint32_t *id_out,
                                  char *provider, size_t pn, uint64_t *recno_out, int *usable, shodo_err *err)
{
	uint32_t id = 0;
	uint64_t ft = 0, recno = 0;
	char computer[256] = "";
	provider[0] = '\0';
	*usable = record_facts(rec, &id, provider, pn, &ft, &recno, computer, sizeof(computer));
	if (!*usable)
		return SHODO_OK;
	*id_out = id;
	*recno_out = recno;
	char t[48];
	putil_ft(ft, t);
	if (!recovered && t[0]) {
		if (!r->first_ft || ft < r->first_ft) {
			r->first_ft = ft;
			memcpy(r->first, t, sizeof(t));
		}
		if (ft > r->last_ft) {
			r->last_ft = ft;
			memcpy(r->last, t, sizeof(t));
		}
	}
	const struct evdef *d = find_def(provider, id);
	if (!d)
		return SHODO_OK;
	if (!render_xml(r, rec)) {
		r->xml_errors++;
		return SHODO_OK;
	}
	shodo_status rc = store_event(r, d, id, provider, t, computer, recno, recovered, err);
	if (rc == SHODO_OK && recovered)
		r->stored_recovered++;
	return rc;
}

/* The header's chunk count against the file size: a copy cut short (a
 * partial extraction, a disk error) misses records without any record
 * failing to decode. */
static int truncated(const char *file, unsigned *said, unsigned *there)
{
	unsigned char h[48];
	FILE *fp = fopen(file, "rb");
	if (!fp)
		return 0;
	size_t got = fread(h, 1, sizeof(h), fp);
	long size = (fseek(fp, 0, SEEK_END) == 0) ? ftell(fp) : -1;
	fclose(fp);
	if (got < sizeof(h) || size < 0 || memcmp(h, "ElfFile", 7))
		return 0;
	unsigned hsize = le16(h + 40), n = le16(h + 42);
	if (hsize == 0)
		hsize = 4096;
	*said = n;
	*there = size > (long)hsize ? (unsigned)((size - hsize) / 65536) : 0;
	return *there < n;
}

static int bid_evtx(const shodo_artifact *a, const unsigned char *head, size_t n)
{
	if (n >= 8 && !memcmp(head, "ElfFile\0", 8))
		return 64;
	/* a log whose header is damaged: still ours when collected as one */
	if (a->category && !strcmp(a->category, CAT_EVTX))
		return 1;
	return 0;
}

static shodo_status parse_evtx(const shodo_artifact *a, shodo_triage_ctx *ctx, shodo_err *err)
{
	libevtx_file_t *f = NULL;
	libevtx_error_t *e = NULL;
	char msg[512];
	shodo_status rc = SHODO_OK;
	struct counter counts = {0};
	struct ranges ids = {0};
	struct evtx_run r = {.ctx = ctx, .a = a};
	int nrec = 0, nrecov = 0;
	uint64_t parsed = 0, errors = 0, recov_bad = 0;
	uint32_t flags = 0;
	char first_error[256] = "";

	if (libevtx_file_initialize(&f, &e) != 1 || libevtx_file_open(f, a->file, LIBEVTX_OPEN_READ, &e) != 1) {
		PUTIL_YAL_MSG(libevtx, e, msg, sizeof(msg));
		rc = shodo_err_set(err, SHODO_FAILED, 0, "not a readable event log: %s", msg);
		goto out;
	}
	if (libevtx_file_get_number_of_records(f, &nrec, &e) != 1) {
		PUTIL_YAL_MSG(libevtx, e, msg, sizeof(msg));
		rc = shodo_err_set(err, SHODO_FAILED, 0, "cannot count records: %s", msg);
		goto out;
	}
	if (libevtx_file_get_number_of_recovered_records(f, &nrecov, &e) != 1) {
		libevtx_error_free(&e);
		nrecov = 0;
	}
	if (libevtx_file_get_flags(f, &flags, &e) != 1) {
		libevtx_error_free(&e);
		flags = 0;
	}

	for (int i = 0; i < nrec; i++) {
		if ((i & 1023) == 0) {
			if (shodo_cancelled(ctx->cancel)) {
				rc = shodo_err_set(err, SHODO_CANCELLED, 0, "cancelled");
				goto out;
			}
			shodo_progress(ctx->sink, "parse evtx", "records", (uint64_t)i, (uint64_t)nrec);
		}
		libevtx_record_t *rec = NULL;
		if (libevtx_file_get_record_by_index(f, i, &rec, &e) != 1) {
			if (!first_error[0])
				PUTIL_YAL_MSG(libevtx, e, first_error, sizeof(first_error));
			libevtx_error_free(&e);
			errors++;
			continue;
		}
		uint32_t id = 0;
		uint64_t recno = 0;
		int usable = 0;
		char provider[256];
		rc = handle_record(&r, rec, 0, &id, provider, sizeof(provider), &recno, &usable, err);
		libevtx_record_free(&rec, NULL);
		if (rc != SHODO_OK)
			goto out;
		if (!usable) {
			errors++;
			continue;
		}
		parsed++;
		counter_add(&counts, provider, id);
		ranges_add(&ids, recno);
	}
	if (ids.n)
		qsort(ids.r, ids.n, sizeof(*ids.r), cmp_range);
	for (int i = 0; i < nrecov; i++) {
		if ((i & 1023) == 0 && shodo_cancelled(ctx->cancel)) {
			rc = shodo_err_set(err, SHODO_CANCELLED, 0, "cancelled");
			goto out;
		}
		libevtx_record_t *rec = NULL;
		if (libevtx_file_get_recovered_record_by_index(f, i, &rec, &e) != 1) {
			libevtx_error_free(&e);
			recov_bad++;
			continue;
		}
		uint64_t recno = 0;
		libevtx_record_get_identifier(rec, &recno, NULL);
		if (recno && ranges_has(&ids, recno)) {
			libevtx_record_free(&rec, NULL);
			continue;
		}
		uint32_t id = 0;
		int usable = 0;
		char provider[256];
		rc = handle_record(&r, rec, 1, &id, provider, sizeof(provider), &recno, &usable, err);
		libevtx_record_free(&rec, NULL);
		if (rc != SHODO_OK)
			goto out;
		if (!usable)
			recov_bad++;
	}
	shodo_progress(ctx->sink, "parse evtx", "records", (uint64_t)nrec, (uint64_t)nrec);

	/* the answers for this file */
	{
		static const char sql[] = "INSERT INTO evtx_stats(source,records,recovered,parsed,errors,first_time,"
		                          "last_time,recovered_stored,dirty) VALUES(?,?,?,?,?,?,?,?,?)";
		sqlite3_stmt *s = shodo_store_stmt(ctx->store, sql, err);
		if (!s) {
			rc = SHODO_FATAL;
			goto out;
		}
		shodo_bind_text(s, 1, a->source);
		sqlite3_bind_int64(s, 2, nrec);
		sqlite3_bind_int64(s, 3, nrecov);
		sqlite3_bind_int64(s, 4, (sqlite3_int64)parsed);
		sqlite3_bind_int64(s, 5, (sqlite3_int64)errors);
		shodo_bind_text(s, 6, r.first);
		shodo_bind_text(s, 7, r.last);
		sqlite3_bind_int64(s, 8, (sqlite3_int64)r.stored_recovered);
		sqlite3_bind_int(s, 9, (flags & LIBEVTX_FILE_FLAG_IS_DIRTY) ? 1 : 0);
		if ((rc = shodo_store_step_done(ctx->store, s, err)) != SHODO_OK)
			goto out;
		static const char sqlc[] = "INSERT INTO event_counts(source,provider,event_id,count) VALUES(?,?,?,?)";
		for (size_t i = 0; i < counts.cap; i++) {
			if (!counts.t[i].provider)
				continue;
			s = shodo_store_stmt(ctx->store, sqlc, err);
			if (!s) {
				rc = SHODO_FATAL;
				goto out;
			}
			shodo_bind_text(s, 1, a->source);
			sqlite3_bind_text(s, 2, counts.t[i].provider, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(s, 3, counts.t[i].id);
			sqlite3_bind_int64(s, 4, (sqlite3_int64)counts.t[i].n);
			if ((rc = shodo_store_step_done(ctx->store, s, err)) != SHODO_OK)
				goto out;
		}
	}

	/* grade: what could not be read is said, never hidden */
	char note[512] = "";
	size_t nl = 0;
	unsigned chunks_said = 0, chunks_there = 0;
	if (truncated(a->file, &chunks_said, &chunks_there))
		nl += (size_t)snprintf(note + nl, sizeof(note) - nl, "log truncated: %u of %u chunks present",
		                       chunks_there, chunks_said);
	else if (libevtx_file_is_corrupted(f, NULL) == 1)
		nl += (size_t)snprintf(note + nl, sizeof(note) - nl, "libevtx reports the log as corrupted");
	if (errors)
		nl += (size_t)snprintf(note + nl, sizeof(note) - nl, "%s%llu of %d records unreadable%s%s", nl ? "; " : "",
		                       (unsigned long long)errors, nrec, first_error[0] ? ": " : "", first_error);
	if (r.xml_errors && nl < sizeof(note))
		nl += (size_t)snprintf(note + nl, sizeof(note) - nl, "%s%llu records of interest could not be rendered",
		                       nl ? "; " : "", (unsigned long long)r.xml_errors);
	if (counts.full && nl < sizeof(note))
		nl += (size_t)snprintf(note + nl, sizeof(note) - nl, "%stoo many distinct providers, counts incomplete",
		                       nl ? "; " : "");
	if (nl) {
		/* the counts and the statistics row stand even when no record decodes */
		rc = shodo_err_set(err, SHODO_WARN, 0, "%s", note);
	} else {
		rc = SHODO_OK;
		snprintf(err->msg, sizeof(err->msg), "%d records, %d recovered (%llu new)%s", nrec, nrecov,
		         (unsigned long long)r.stored_recovered,
		         (flags & LIBEVTX_FILE_FLAG_IS_DIRTY) ? ", log was not closed cleanly" : "");
	}
	if (nrec == 0 && nrecov == 0 && rc == SHODO_OK)
		snprintf(err->msg, sizeof(err->msg), "no records");
out:
	if (e)
		libevtx_error_free(&e);
	if (f) {
		libevtx_file_close(f, NULL);
		libevtx_file_free(&f, NULL);
	}
	counter_free(&counts);
	free(ids.r);
	free(r.xml);
	return rc;
}

const shodo_parser shodo_parser_evtx = {"evtx", bid_evtx, parse_evtx};
