/*
 * Windows XML event logs (.evtx), read with shodo's own reader
 * (evtx_reader.c: the chunks on all cores, binary XML straight into fields;
 * values are data, never markup).
 *
 * Every allocated record is counted by (provider, event ID) into
 * event_counts; the records of interest (logons, account and group changes,
 * services, tasks, log clearing, Defender, script blocks, suspicious process
 * creations: the defs[] table) have their named EventData/UserData values
 * rendered and become rows of events, logons and persistence, as the table
 * says.  Fields are taken by name, not by template position, so event
 * versions that add fields read the same.
 *
 * Records recovered from slack space are read as well; those whose record
 * number matches an allocated record are copies and are not stored twice.
 * event_counts and evtx_stats.parsed cover the allocated records (what
 * evtxexport and Event Viewer show); recovered rows carry recovered = 1.
 * Records the reader refuses go to libevtx (evtx_fallback.c).
 *
 * Grading (what a responder should read into it):
 *  - a dirty log (Windows was running; the header not flushed), chunks past
 *    the header's count with good checksums, records recovered from slack:
 *    normal, said in the message, the parse is OK;
 *  - chunks with bad checksums or signatures, records that cannot be read,
 *    a log cut short: a warning naming the chunks.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <expat.h>
#include "shodo/buf.h"
#include "evtx_fallback.h"
#include "evtx_reader.h"
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

/* Records read through libevtx when the reader refuses them, up to this
 * many records in the log (libevtx keeps a list entry per record: about
 * 230 bytes each, so a larger log would break the memory bound). */
#define FALLBACK_MAX_RECORDS 500000

enum { K_LOGON = 1, K_PERSIST = 2, K_FILTER = 4 };

/* Where a logons row's columns come from (field names; NULL: none). */
struct logon_map {
	const char *user, *domain;
	const char *user_domain;     /* one "DOMAIN\user" field instead (LocalSessionManager) */
	const char *ip, *workstation, *logon_id, *logon_id_alt, *type, *process, *auth, *status, *substatus;
	const char *session;         /* the Windows session: RDP-Tcp#N, Console, or a session number */
	int type_fixed;              /* logon type when no field gives it, -1 unknown */
	int type_by_address;         /* 2 when the address is "LOCAL", 10 otherwise */
	int type_by_session;         /* 10 when the session is an RDP one (RDP-Tcp#N) */
};

static const struct logon_map LM_SEC = {
	.user = "TargetUserName", .domain = "TargetDomainName", .ip = "IpAddress", .workstation = "WorkstationName",
	.logon_id = "TargetLogonId", .logon_id_alt = "SubjectLogonId", .type = "LogonType", .process = "ProcessName",
	.auth = "AuthenticationPackageName", .status = "Status", .substatus = "SubStatus", .type_fixed = -1,
};
static const struct logon_map LM_ADMIN = {
	.user = "SubjectUserName", .domain = "SubjectDomainName", .logon_id = "SubjectLogonId", .type_fixed = -1,
};
static const struct logon_map LM_RCM = {
	.user = "Param1", .domain = "Param2", .ip = "Param3", .type_fixed = 10,
};
static const struct logon_map LM_LSM = {
	.user_domain = "User", .ip = "Address", .session = "SessionID", .type_fixed = -1, .type_by_address = 1,
};
/* 4778/4779: a Windows session reconnected / disconnected, with the client's name and address */
static const struct logon_map LM_TSESSION = {
	.user = "AccountName", .domain = "AccountDomain", .logon_id = "LogonID", .workstation = "ClientName",
	.ip = "ClientAddress", .session = "SessionName", .type_fixed = -1, .type_by_session = 1,
};

/* how events.user, events.target and events.detail are made */
enum { U_NONE, U_JOIN, U_FIELD, U_SID, U_LOGON, U_JOIN_OR_ACCOUNT };
enum { T_NONE, T_JOIN, T_FIRST, T_TEXT, T_ADDRESS, T_FILTER, T_PROVIDER };
enum {
	D_NONE, D_FIELD, D_TEXT, D_LOGON, D_PRIVILEGES, D_EXPLICIT, D_SESSION, D_TSESSION, D_GROUP, D_CLEARED,
	D_DEFENDER, D_SCRIPT, D_FILTER, D_TASK_XML, D_OS_BOOT,
};

typedef struct evdef {
	const char *provider;
	uint32_t id;
	const char *category;
	unsigned kind;
	const char *result;              /* logons.result */
	const struct logon_map *logon;   /* K_LOGON */
	uint8_t user_how;
	const char *user_a, *user_b;     /* U_JOIN: domain field, user field; U_FIELD: field */
	uint8_t target_how;
	const char *target_a, *target_b; /* T_JOIN: domain, name; T_FIRST: a, else b; T_TEXT: literal */
	uint8_t detail_how;
	const char *detail_a, *detail_b; /* D_FIELD: field; D_TEXT: literal; D_DEFENDER: path, action */
	/* K_PERSIST: one persistence row */
	const char *p_kind, *p_name, *p_command, *p_account, *p_start;
} evdef;

#define LOGON(p, i, cat, res, map, det) \
	{p, i, cat, K_LOGON, res, &map, U_LOGON, NULL, NULL, T_ADDRESS, NULL, NULL, det, NULL, NULL, NULL, NULL, \
	 NULL, NULL, NULL}
#define CHANGE(i, cat, tgt_how, ta, tb, det_how, da) \
	{SEC, i, cat, 0, NULL, NULL, U_JOIN, "SubjectDomainName", "SubjectUserName", tgt_how, ta, tb, det_how, da, \
	 NULL, NULL, NULL, NULL, NULL, NULL}

static const evdef defs[] = {
	LOGON(SEC, 4624, "logon_success", "success", LM_SEC, D_LOGON),
	LOGON(SEC, 4625, "logon_failure", "failure", LM_SEC, D_LOGON),
	LOGON(SEC, 4634, "logoff", "logoff", LM_SEC, D_LOGON),
	LOGON(SEC, 4647, "logoff", "logoff", LM_SEC, D_LOGON),
	LOGON(SEC, 4648, "logon_explicit", "explicit", LM_SEC, D_EXPLICIT),
	LOGON(SEC, 4672, "logon_admin", "admin", LM_ADMIN, D_PRIVILEGES),
	LOGON(SEC, 4778, "session_reconnect", "reconnect", LM_TSESSION, D_TSESSION),
	LOGON(SEC, 4779, "session_disconnect", "disconnect", LM_TSESSION, D_TSESSION),
	LOGON(LSM, 21, "rdp_session_logon", "success", LM_LSM, D_SESSION),
	LOGON(LSM, 22, "rdp_shell_start", "shell", LM_LSM, D_SESSION),
	LOGON(LSM, 23, "rdp_session_logoff", "logoff", LM_LSM, D_SESSION),
	LOGON(LSM, 24, "rdp_session_disconnect", "disconnect", LM_LSM, D_SESSION),
	LOGON(LSM, 25, "rdp_session_reconnect", "reconnect", LM_LSM, D_SESSION),
	LOGON(RCM, 1149, "rdp_auth_success", "success", LM_RCM, D_LOGON),
	CHANGE(4720, "account_created", T_JOIN, "TargetDomainName", "TargetUserName", D_FIELD, "TargetSid"),
	CHANGE(4722, "account_enabled", T_JOIN, "TargetDomainName", "TargetUserName", D_FIELD, "TargetSid"),
	CHANGE(4724, "password_reset", T_JOIN, "TargetDomainName", "TargetUserName", D_FIELD, "TargetSid"),
	CHANGE(4726, "account_deleted", T_JOIN, "TargetDomainName", "TargetUserName", D_FIELD, "TargetSid"),
	CHANGE(4728, "group_member_added", T_FIRST, "MemberName", "MemberSid", D_GROUP, NULL),
	CHANGE(4732, "group_member_added", T_FIRST, "MemberName", "MemberSid", D_GROUP, NULL),
	CHANGE(4756, "group_member_added", T_FIRST, "MemberName", "MemberSid", D_GROUP, NULL),
	{SCM, 7045, "service_installed", K_PERSIST, NULL, NULL, U_FIELD, "AccountName", NULL, T_FIRST, "ServiceName",
	 NULL, D_FIELD, "ImagePath", NULL, "service", "ServiceName", "ImagePath", "AccountName", "StartType"},
	{SEC, 4697, "service_installed", K_PERSIST, NULL, NULL, U_JOIN_OR_ACCOUNT, "SubjectDomainName",
	 "SubjectUserName", T_FIRST, "ServiceName", NULL, D_FIELD, "ServiceFileName", NULL, "service", "ServiceName",
	 "ServiceFileName", "ServiceAccount", "ServiceStartType"},
	{SEC, 4698, "task_created", K_PERSIST, NULL, NULL, U_JOIN, "SubjectDomainName", "SubjectUserName", T_FIRST,
	 "TaskName", NULL, D_TASK_XML, "TaskContent", NULL, "task", "TaskName", NULL, NULL, NULL},
	{TASKS, 106, "task_created", K_PERSIST, NULL, NULL, U_FIELD, "UserContext", NULL, T_FIRST, "TaskName", NULL,
	 D_NONE, NULL, NULL, "task", "TaskName", NULL, "UserContext", NULL},
	{EVLOG, 1102, "log_cleared", 0, NULL, NULL, U_JOIN, "SubjectDomainName", "SubjectUserName", T_TEXT,
	 "Security", NULL, D_CLEARED, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	/* 104: the cleared log's name is UserData's <Channel>, not System's */
	{EVLOG, 104, "log_cleared", 0, NULL, NULL, U_JOIN, "SubjectDomainName", "SubjectUserName", T_FIRST, "Channel",
	 NULL, D_CLEARED, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	{DEFENDER, 1116, "defender_detection", 0, NULL, NULL, U_FIELD, "Detection User", NULL, T_FIRST, "Threat Name",
	 NULL, D_DEFENDER, "Path", "Action Name", NULL, NULL, NULL, NULL, NULL},
	{DEFENDER, 1117, "defender_detection", 0, NULL, NULL, U_FIELD, "Detection User", NULL, T_FIRST, "Threat Name",
	 NULL, D_DEFENDER, "Path", "Action Name", NULL, NULL, NULL, NULL, NULL},
	{DEFENDER, 5001, "defender_disabled", 0, NULL, NULL, U_NONE, NULL, NULL, T_NONE, NULL, NULL, D_TEXT,
	 "real-time protection disabled", NULL, NULL, NULL, NULL, NULL, NULL},
	{DEFENDER, 5010, "defender_disabled", 0, NULL, NULL, U_NONE, NULL, NULL, T_NONE, NULL, NULL, D_TEXT,
	 "scanning for malware and unwanted software disabled", NULL, NULL, NULL, NULL, NULL, NULL},
	{DEFENDER, 5012, "defender_disabled", 0, NULL, NULL, U_NONE, NULL, NULL, T_NONE, NULL, NULL, D_TEXT,
	 "scanning for viruses disabled", NULL, NULL, NULL, NULL, NULL, NULL},
	{PWSH, 4104, "ps_scriptblock", 0, NULL, NULL, U_SID, NULL, NULL, T_FIRST, "Path", "ScriptBlockId", D_SCRIPT,
	 "ScriptBlockText", NULL, NULL, NULL, NULL, NULL, NULL},
	/* the version the host booted (host identity when SOFTWARE is missing) */
	{KERNEL_GENERAL, 12, "os_boot", 0, NULL, NULL, U_NONE, NULL, NULL, T_PROVIDER, NULL, NULL, D_OS_BOOT, NULL,
	 NULL, NULL, NULL, NULL, NULL, NULL},
	{"EventLog", 6009, "os_boot", 0, NULL, NULL, U_NONE, NULL, NULL, T_PROVIDER, NULL, NULL, D_OS_BOOT, NULL,
	 NULL, NULL, NULL, NULL, NULL, NULL},
	{SEC, 4688, "process_suspicious", K_FILTER, NULL, NULL, U_JOIN, "SubjectDomainName", "SubjectUserName",
	 T_FILTER, NULL, NULL, D_FILTER, "CommandLine", "NewProcessName", NULL, NULL, NULL, NULL, NULL},
	{SYSMON, 1, "process_suspicious", K_FILTER, NULL, NULL, U_FIELD, "User", NULL, T_FILTER, NULL, NULL, D_FILTER,
	 "CommandLine", "Image", NULL, NULL, NULL, NULL, NULL},
};

static const evdef *find_def(const char *provider, uint32_t id)
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
	const char *last_provider; /* the previous record's provider and its slot: most runs repeat */
	uint32_t last_id;
	size_t last_slot;
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
	c->last_provider = NULL;
	return 0;
}

static void counter_add(struct counter *c, const char *provider, uint32_t id)
{
	if (c->last_provider && c->last_id == id && !strcmp(c->last_provider, provider)) {
		c->t[c->last_slot].n++;
		return;
	}
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
			c->last_provider = c->t[j].provider;
			c->last_id = id;
			c->last_slot = j;
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
	if (shodo_grow(&rs->r, &rs->cap, rs->n + 1) < 0)
		return;
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

/* ---- a list of numbers (refused records, chunks to read again) ---- */
struct u64s {
	uint64_t *v;
	size_t n, cap;
};

static int u64s_add(struct u64s *l, uint64_t x)
{
	if (shodo_grow(&l->v, &l->cap, l->n + 1) < 0)
		return -1;
	l->v[l->n++] = x;
	return 0;
}

/* ---- one record into the store ---- */
struct evtx_run {
	shodo_triage_ctx *ctx;
	const shodo_artifact *a;
	shodo_err *err;
	shodo_status rc;           /* the first store failure: stops the read */
	struct counter counts;
	struct ranges ids;
	char first[48], last[48];
	uint64_t first_ft, last_ft;
	uint64_t parsed, errors, stored_recovered, fallback_read;
	uint64_t seen;
	struct u64s refused;       /* allocated records the reader refused: index, record id */
	struct u64s recov_chunks;  /* chunks holding wanted recovered records */
	uint64_t last_recov_chunk;
	char first_error[256];
};

/* strlcpy: the hot path copies many short strings */
static void copy(char *out, size_t n, const char *s)
{
	size_t l = s ? strlen(s) : 0;
	if (l >= n)
		l = n - 1;
	if (l)
		memcpy(out, s, l);
	out[l] = '\0';
}

/* appends s to out (of size n, *at < n), cut at the end as snprintf cuts:
 * a logon's status and detail through snprintf were 3 % of shodo parse's
 * CPU on a brute-force log */
static void cat(char *out, size_t n, size_t *at, const char *s)
{
	size_t l = strlen(s);
	if (l > n - 1 - *at)
		l = n - 1 - *at;
	memcpy(out + *at, s, l);
	*at += l;
	out[*at] = '\0';
}

static void cat_uint(char *out, size_t n, size_t *at, unsigned v)
{
	char d[16], *p = d + sizeof(d);
	*--p = '\0';
	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	cat(out, n, at, p);
}

/* FILETIME -> the store's time text, as putil_ft writes it ("" outside
 * 1970..2200), without gmtime and strftime */
static char *store_time(uint64_t ft, char out[48])
{
	if (ft < 116444736000000000ULL || ft > 116444736000000000ULL + 7258118400ULL * 10000000ULL) {
		out[0] = '\0';
		return out;
	}
	uint64_t u = ft - 116444736000000000ULL, secs = u / 10000000u;
	unsigned frac = (unsigned)(u % 10000000u), rem = (unsigned)(secs % 86400);
	int64_t z = (int64_t)(secs / 86400) + 719468;
	int64_t era = z / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	unsigned d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
	unsigned y = (unsigned)(yoe + era * 400 + (m <= 2));
	unsigned v[6] = {y, m, d, rem / 3600, rem / 60 % 60, rem % 60};
	static const char sep[6] = {'-', '-', 'T', ':', ':', 0};
	char *o = out;
	for (int i = 0; i < 6; i++) {
		if (i == 0) {
			*o++ = (char)('0' + v[0] / 1000 % 10);
			*o++ = (char)('0' + v[0] / 100 % 10);
		}
		*o++ = (char)('0' + v[i] / 10 % 10);
		*o++ = (char)('0' + v[i] % 10);
		if (sep[i])
			*o++ = sep[i];
	}
	if (frac) {
		*o++ = '.';
		for (int i = 6; i >= 0; i--, frac /= 10)
			o[i] = (char)('0' + frac % 10);
		o += 7;
	}
	*o++ = 'Z';
	*o = '\0';
	return out;
}

/* "-" and empty fields are absent */
static const char *val(const char *s)
{
	return (!s || s[0] == '\0' || (s[0] == '-' && s[1] == '\0')) ? NULL : s;
}

static const char *F(const evtx_record *r, const char *name)
{
	return name ? val(evtx_field_get(r, name)) : NULL;
}

/* a status of zero ("0x00000000") is no status */
static const char *nonzero(const char *s)
{
	if (!s)
		return NULL;
	char *e;
	unsigned long long v = strtoull(s, &e, 0);
	return (e != s && *e == '\0' && v == 0) ? NULL : s;
}

static void norm_ip(char *ip)
{
	if (!strncasecmp(ip, "::ffff:", 7) && strchr(ip + 7, '.'))
		memmove(ip, ip + 7, strlen(ip + 7) + 1);
}

/* (the joins below are called for every stored record: without snprintf) */
static void join_user(char *out, size_t n, const char *dom, const char *user)
{
	size_t at = 0;
	out[0] = '\0';
	if (val(user) && val(dom)) {
		cat(out, n, &at, dom);
		cat(out, n, &at, "\\");
	}
	cat(out, n, &at, val(user) ? user : "");
}

/* "DOMAIN\user" -> domain, user */
static void split_user(const char *in, char *dom, size_t dn, char *user, size_t un)
{
	const char *bs = strchr(in, '\\');
	if (bs) {
		size_t l = (size_t)(bs - in) < dn ? (size_t)(bs - in) : dn - 1;
		memcpy(dom, in, l);
		dom[l] = '\0';
		copy(user, un, bs + 1);
	} else {
		dom[0] = '\0';
		copy(user, un, in);
	}
}

/* The task's command from 4698's TaskContent (the task's XML, a value that
 * is XML by nature): Actions/Exec/Command and Arguments, read with expat. */
struct task_xml {
	int depth, in_exec, want; /* want: 1 Command, 2 Arguments */
	char cmd[1024], args[1024];
	int done;
};

static void XMLCALL task_start(void *ud, const char *name, const char **atts)
{
	struct task_xml *t = ud;
	(void)atts;
	t->depth++;
	if (!strcmp(name, "Exec") && !t->done)
		t->in_exec = t->depth;
	else if (t->in_exec && !strcmp(name, "Command"))
		t->want = 1;
	else if (t->in_exec && !strcmp(name, "Arguments"))
		t->want = 2;
}

static void XMLCALL task_end(void *ud, const char *name)
{
	struct task_xml *t = ud;
	(void)name;
	if (t->in_exec == t->depth) {
		t->in_exec = 0;
		t->done = 1; /* the first Exec action */
	}
	t->want = 0;
	t->depth--;
}

static void XMLCALL task_text(void *ud, const char *s, int len)
{
	struct task_xml *t = ud;
	char *o = t->want == 1 ? t->cmd : t->want == 2 ? t->args : NULL;
	if (!o || len <= 0)
		return;
	size_t have = strlen(o), room = sizeof(t->cmd) - 1 - have;
	size_t n = (size_t)len < room ? (size_t)len : room;
	memcpy(o + have, s, n);
	o[have + n] = '\0';
}

static void task_command(const char *xml, char *out, size_t n)
{
	struct task_xml t;
	memset(&t, 0, sizeof(t));
	out[0] = '\0';
	if (!xml)
		return;
	XML_Parser p = XML_ParserCreate(NULL);
	if (!p)
		return;
	XML_SetUserData(p, &t);
	XML_SetElementHandler(p, task_start, task_end);
	XML_SetCharacterDataHandler(p, task_text);
	/* the content says encoding="UTF-16"; the text handed here is UTF-8 */
	const char *body = xml;
	if (!strncmp(body, "<?xml", 5)) {
		const char *e = strstr(body, "?>");
		body = e ? e + 2 : body;
	}
	XML_Parse(p, body, (int)strlen(body), 1);
	XML_ParserFree(p);
	snprintf(out, n, "%s%s%s", t.cmd, t.args[0] ? " " : "", t.args);
}

static void one_line(char *s)
{
	for (; *s; s++)
		if (*s == '\t' || *s == '\r' || *s == '\n')
			*s = ' ';
}

static shodo_status store_event(struct evtx_run *run, const evdef *d, const evtx_record *r, shodo_err *err)
{
	shodo_triage_ctx *ctx = run->ctx;
	const shodo_artifact *a = run->a;
	char time[48];
	/* TimeCreated is what Event Viewer shows; the record header's written time is the fallback */
	if (!store_time(r->created, time)[0])
		store_time(r->written, time);
	/* only the first byte set: zeroing the whole of these buffers was 7 KB
	 * of stores for every record */
	char user[600], target[1200], detail[4096], tuser[256], tdom[256], ip[128], st[160];
	user[0] = target[0] = detail[0] = tuser[0] = tdom[0] = ip[0] = st[0] = '\0';
	int logon_type = -1;

	if (d->kind & K_LOGON) {
		const struct logon_map *m = d->logon;
		if (m->user_domain) {
			const char *u = F(r, m->user_domain);
			split_user(u ? u : "", tdom, sizeof(tdom), tuser, sizeof(tuser));
		} else {
			copy(tuser, sizeof(tuser), F(r, m->user));
			copy(tdom, sizeof(tdom), F(r, m->domain));
		}
		copy(ip, sizeof(ip), F(r, m->ip));
		norm_ip(ip);
		const char *lid = F(r, m->logon_id);
		if (!lid)
			lid = F(r, m->logon_id_alt);
		logon_type = m->type_fixed;
		if (m->type_by_address)
			logon_type = strcmp(ip, "LOCAL") ? 10 : 2;
		const char *sess = F(r, m->session);
		if (m->type_by_session && sess && !strncasecmp(sess, "RDP-Tcp", 7))
			logon_type = 10;
		if (F(r, m->type))
			logon_type = atoi(F(r, m->type));
		const char *status = nonzero(F(r, m->status)), *sub = nonzero(F(r, m->substatus));
		if (status) {
			size_t at = 0;
			cat(st, sizeof(st), &at, status);
			if (sub) {
				cat(st, sizeof(st), &at, "/");
				cat(st, sizeof(st), &at, sub);
			}
		}
		shodo_logon_row lr = {
			.time = time, .event_id = r->event_id, .result = d->result, .logon_type = logon_type,
			.target_user = val(tuser), .target_domain = val(tdom), .source_ip = val(ip),
			.workstation = F(r, m->workstation), .logon_id = lid, .process = F(r, m->process),
			.auth_package = F(r, m->auth), .status = st, .computer = r->computer, .source = a->source,
			.record = (long long)r->record_id, .recovered = r->recovered, .terminal_session = sess,
		};
		shodo_status rc = shodo_store_add_logon(ctx->store, &lr, err);
		if (rc != SHODO_OK)
			return rc;
	}

	switch (d->user_how) {
	case U_JOIN:
	case U_JOIN_OR_ACCOUNT:
		join_user(user, sizeof(user), F(r, d->user_a), F(r, d->user_b));
		if (!user[0] && d->user_how == U_JOIN_OR_ACCOUNT && F(r, d->p_account))
			copy(user, sizeof(user), F(r, d->p_account));
		break;
	case U_FIELD:
		copy(user, sizeof(user), F(r, d->user_a));
		break;
	case U_SID:
		copy(user, sizeof(user), r->user_sid);
		break;
	case U_LOGON:
		join_user(user, sizeof(user), tdom, tuser);
		break;
	}

	const char *why = NULL;
	if (d->kind & K_FILTER) {
		const char *cmd = F(r, d->detail_a), *image = F(r, d->detail_b);
		why = putil_suspicious_cmdline(cmd ? cmd : image ? image : "");
		if (!why)
			why = putil_tool_flag(image ? image : "");
		if (!why)
			return SHODO_OK; /* an ordinary process: not stored */
	}
	switch (d->target_how) {
	case T_JOIN:
		join_user(target, sizeof(target), F(r, d->target_a), F(r, d->target_b));
		break;
	case T_FIRST: {
		const char *t = F(r, d->target_a);
		if (!t)
			t = F(r, d->target_b);
		copy(target, sizeof(target), t ? t : "");
		break;
	}
	case T_TEXT:
		copy(target, sizeof(target), d->target_a);
		break;
	case T_ADDRESS: {
		const char *ws = F(r, d->logon->workstation);
		size_t at = 0;
		cat(target, sizeof(target), &at, val(ip) ? ip : "");
		if (val(ip) && ws)
			cat(target, sizeof(target), &at, " (");
		cat(target, sizeof(target), &at, ws ? ws : "");
		if (val(ip) && ws)
			cat(target, sizeof(target), &at, ")");
		break;
	}
	case T_FILTER:
		copy(target, sizeof(target), why);
		break;
	case T_PROVIDER:
		copy(target, sizeof(target), r->provider);
		break;
	}

	char command[2048];
	command[0] = '\0';
	switch (d->detail_how) {
	case D_FIELD:
		copy(detail, sizeof(detail), F(r, d->detail_a));
		break;
	case D_TEXT:
		copy(detail, sizeof(detail), d->detail_a);
		break;
	case D_PRIVILEGES: {
		char privs[1024];
		copy(privs, sizeof(privs), F(r, "PrivilegeList"));
		one_line(privs);
		snprintf(detail, sizeof(detail), "special privileges: %s", privs);
		break;
	}
	case D_EXPLICIT:
		if (F(r, "TargetServerName")) {
			const char *sd = evtx_field_get(r, "SubjectDomainName"), *su = evtx_field_get(r, "SubjectUserName");
			snprintf(detail, sizeof(detail), "explicit credentials for %s by %s\\%s", F(r, "TargetServerName"),
			         sd ? sd : "", su ? su : "");
		}
		break;
	case D_SESSION: {
		const char *sid = evtx_field_get(r, "SessionID");
		snprintf(detail, sizeof(detail), "%s session %s", strcmp(ip, "LOCAL") ? "remote desktop" : "console",
		         sid ? sid : "");
		break;
	}
	case D_TSESSION: {
		const char *sn = evtx_field_get(r, "SessionName");
		snprintf(detail, sizeof(detail), "session %s", sn ? sn : "");
		break;
	}
	case D_GROUP: {
		const char *gd = F(r, "TargetDomainName"), *gu = evtx_field_get(r, "TargetUserName");
		const char *ms = evtx_field_get(r, "MemberSid");
		snprintf(detail, sizeof(detail), "added to group %s%s%s (member %s)", gd ? gd : "", gd ? "\\" : "",
		         gu ? gu : "", ms ? ms : "");
		break;
	}
	case D_CLEARED:
		snprintf(detail, sizeof(detail), "%s log cleared", target[0] ? target : "event");
		break;
	case D_DEFENDER: {
		const char *path = F(r, d->detail_a), *action = F(r, d->detail_b);
		if (action && !strncmp(action, "%%", 2))
			action = NULL; /* an unresolved message-table reference */
		snprintf(detail, sizeof(detail), "%s%s%s", path ? path : "", action ? " action " : "",
		         action ? action : "");
		break;
	}
	case D_SCRIPT:
		snprintf(detail, 1024, "%s", F(r, d->detail_a) ? F(r, d->detail_a) : "");
		break;
	case D_FILTER: {
		const char *cmd = F(r, d->detail_a), *image = F(r, d->detail_b);
		copy(detail, sizeof(detail), cmd ? cmd : image ? image : "");
		break;
	}
	case D_TASK_XML:
		task_command(evtx_field_get(r, d->detail_a), command, sizeof(command));
		copy(detail, sizeof(detail), command);
		break;
	case D_OS_BOOT:
		if (r->event_id == 12) {
			/* Kernel-General 12: MajorVersion, MinorVersion, BuildVersion, QfeVersion */
			const char *mj = evtx_field_get(r, "MajorVersion"), *mn = evtx_field_get(r, "MinorVersion");
			const char *b = evtx_field_get(r, "BuildVersion"), *q = evtx_field_get(r, "QfeVersion");
			snprintf(detail, sizeof(detail), "%s.%s build %s%s%s", mj ? mj : "", mn ? mn : "", b ? b : "",
			         q && *q ? "." : "", q ? q : "");
		} else {
			/* EventLog 6009: unnamed Data values "6.01.", "7601", "Service Pack 1", ... */
			const char *dv[3] = {"", "", ""};
			for (size_t i = 0, k = 0; i < r->nfields && k < 3; i++)
				if (r->fields[i].is_data && !r->fields[i].name[0])
					dv[k++] = r->fields[i].value;
			unsigned mj = 0, mn = 0;
			if (sscanf(dv[0], "%u.%u", &mj, &mn) == 2)
				snprintf(detail, sizeof(detail), "%u.%u build %s%s%s", mj, mn, dv[1], dv[2][0] ? " " : "", dv[2]);
		}
		break;
	case D_LOGON: {
		size_t at = 0;
		if (logon_type >= 0) {
			cat(detail, sizeof(detail), &at, "logon type ");
			cat_uint(detail, sizeof(detail), &at, (unsigned)logon_type);
			if (st[0]) {
				cat(detail, sizeof(detail), &at, " status ");
				cat(detail, sizeof(detail), &at, st);
			}
		} else if (st[0]) {
			cat(detail, sizeof(detail), &at, "status ");
			cat(detail, sizeof(detail), &at, st);
		}
		break;
	}
	}

	if (d->kind & K_PERSIST) {
		const char *name = F(r, d->p_name);
		const char *cmd = d->p_command ? F(r, d->p_command) : command;
		const char *acct = d->p_account ? F(r, d->p_account) : user;
		char pd[128];
		if (d->p_start) {
			const char *start = evtx_field_get(r, d->p_start);
			snprintf(pd, sizeof(pd), "event %u start type %s", r->event_id, start ? start : "");
		} else {
			snprintf(pd, sizeof(pd), "event %u", r->event_id);
		}
		shodo_status rc = shodo_store_add_persistence(ctx->store, time, d->p_kind, name, cmd, acct, pd, a->source,
		                                              (long long)r->record_id, err);
		if (rc != SHODO_OK)
			return rc;
	}

	shodo_event_row er = {
		.time = time, .category = d->category, .event_id = r->event_id, .provider = r->provider,
		.channel = r->channel, .computer = r->computer, .user = user, .target = target, .detail = detail,
		.source = a->source, .record = (long long)r->record_id, .recovered = r->recovered,
	};
	return shodo_store_add_event(ctx->store, &er, err);
}

/* ---- the reader's callbacks ---- */

/* The values each def reads: only those are rendered (the rest of a record
 * costs nothing).  Built once from the table. */
#define NDEFS (sizeof(defs) / sizeof(defs[0]))
#define MAXF 24
static const char *def_names[NDEFS][MAXF];
static pthread_once_t def_names_once = PTHREAD_ONCE_INIT;

static void add_name(const char **l, const char *n)
{
	if (!n)
		return;
	int i = 0;
	for (; i < MAXF - 1 && l[i]; i++)
		if (!strcmp(l[i], n))
			return;
	if (i < MAXF - 1)
		l[i] = n;
}

static void build_def_names(void)
{
	for (size_t i = 0; i < NDEFS; i++) {
		const evdef *d = &defs[i];
		const char **l = def_names[i];
		const struct logon_map *m = d->logon;
		if (m) {
			const char *mf[] = {m->user, m->domain, m->user_domain, m->ip, m->workstation, m->logon_id,
			                    m->logon_id_alt, m->type, m->process, m->auth, m->status, m->substatus,
			                    m->session};
			for (size_t k = 0; k < sizeof(mf) / sizeof(mf[0]); k++)
				add_name(l, mf[k]);
		}
		const char *df[] = {d->user_a, d->user_b, d->target_a, d->target_b, d->detail_a, d->detail_b,
		                    d->p_name, d->p_command, d->p_account, d->p_start};
		for (size_t k = 0; k < sizeof(df) / sizeof(df[0]); k++)
			add_name(l, df[k]);
		/* what the detail texts read besides */
		switch (d->detail_how) {
		case D_PRIVILEGES: add_name(l, "PrivilegeList"); break;
		case D_EXPLICIT:
			add_name(l, "TargetServerName");
			add_name(l, "SubjectDomainName");
			add_name(l, "SubjectUserName");
			break;
		case D_SESSION: add_name(l, "SessionID"); break;
		case D_OS_BOOT:
			add_name(l, "MajorVersion");
			add_name(l, "MinorVersion");
			add_name(l, "BuildVersion");
			add_name(l, "QfeVersion");
			add_name(l, ""); /* 6009's unnamed Data */
			break;
		case D_GROUP:
			add_name(l, "TargetDomainName");
			add_name(l, "TargetUserName");
			add_name(l, "MemberSid");
			break;
		default: break;
		}
	}
}

static const char *const *want_record(const evtx_record *r, void *ud)
{
	(void)ud;
	if (!r->has_event_id)
		return NULL;
	const evdef *d = find_def(r->provider, r->event_id);
	if (!d)
		return NULL;
	pthread_once(&def_names_once, build_def_names);
	return def_names[d - defs];
}

static void note_time(struct evtx_run *run, uint64_t ft)
{
	char t[48];
	if (!store_time(ft, t)[0])
		return;
	if (!run->first_ft || ft < run->first_ft) {
		run->first_ft = ft;
		memcpy(run->first, t, sizeof(t));
	}
	if (ft > run->last_ft) {
		run->last_ft = ft;
		memcpy(run->last, t, sizeof(t));
	}
}

/* an allocated record, read by either reader */
static int take_allocated(struct evtx_run *run, const evtx_record *r)
{
	if (!r->has_event_id) {
		run->errors++;
		if (!run->first_error[0])
			snprintf(run->first_error, sizeof(run->first_error), "record %llu has no event identifier",
			         (unsigned long long)r->record_id);
		return 0;
	}
	run->parsed++;
	counter_add(&run->counts, r->provider, r->event_id);
	ranges_add(&run->ids, r->record_id);
	note_time(run, r->written);
	if (!r->wanted)
		return 0;
	const evdef *d = find_def(r->provider, r->event_id);
	if (d && (run->rc = store_event(run, d, r, run->err)) != SHODO_OK)
		return 1;
	return 0;
}

static int on_record(const evtx_record *r, void *ud)
{
	struct evtx_run *run = ud;
	if ((++run->seen & 4095) == 0)
		shodo_progress(run->ctx->sink, "parse evtx", "records", run->seen, 0);
	if (r->recovered) {
		/* stored after all allocated record numbers are known (second pass) */
		if (r->state == EVTX_REC_OK && r->wanted && run->last_recov_chunk != (uint64_t)r->chunk + 1) {
			u64s_add(&run->recov_chunks, r->chunk);
			run->last_recov_chunk = (uint64_t)r->chunk + 1; /* chunk + 1: 0 is "none yet" */
		}
		return 0;
	}
	if (r->state != EVTX_REC_OK) {
		/* to libevtx afterwards, by index */
		if (u64s_add(&run->refused, r->index) < 0 || u64s_add(&run->refused, r->record_id) < 0)
			run->errors++;
		return 0;
	}
	return take_allocated(run, r);
}

static int on_recovered(const evtx_record *r, void *ud)
{
	struct evtx_run *run = ud;
	if (!r->recovered || r->state != EVTX_REC_OK || !r->wanted || !r->has_event_id)
		return 0;
	if (r->record_id && ranges_has(&run->ids, r->record_id))
		return 0; /* a copy of an allocated record */
	const evdef *d = find_def(r->provider, r->event_id);
	if (!d)
		return 0;
	if ((run->rc = store_event(run, d, r, run->err)) != SHODO_OK)
		return 1;
	run->stored_recovered++;
	return 0;
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

/* Records the reader refused, read through libevtx. */
static void fallback(struct evtx_run *run, const evtx_info *in)
{
	if (!run->refused.n)
		return;
	size_t n = run->refused.n / 2;
	if (in->records > FALLBACK_MAX_RECORDS) {
		run->errors += n;
		if (!run->first_error[0])
			snprintf(run->first_error, sizeof(run->first_error),
			         "log too large for libevtx to read the records shodo's reader refused");
		return;
	}
	evtx_fallback *fb = NULL;
	shodo_err e;
	shodo_err_clear(&e);
	if (evtx_fallback_open(run->a->file, &fb, &e) != SHODO_OK) {
		run->errors += n;
		if (!run->first_error[0])
			snprintf(run->first_error, sizeof(run->first_error), "%s", e.msg);
		return;
	}
	for (size_t i = 0; i < n && run->rc == SHODO_OK; i++) {
		evtx_record r;
		char why[256];
		if (!evtx_fallback_read(fb, 0, run->refused.v[2 * i], run->refused.v[2 * i + 1], &r, why, sizeof(why))) {
			run->errors++;
			if (!run->first_error[0])
				snprintf(run->first_error, sizeof(run->first_error), "record %llu: %s",
				         (unsigned long long)run->refused.v[2 * i + 1], why);
			continue;
		}
		run->fallback_read++;
		take_allocated(run, &r);
	}
	evtx_fallback_close(fb);
}

static shodo_status parse_evtx(const shodo_artifact *a, shodo_triage_ctx *ctx, shodo_err *err)
{
	evtx_reader *rd = NULL;
	struct evtx_run run;
	memset(&run, 0, sizeof(run));
	run.ctx = ctx;
	run.a = a;
	run.err = err;
	uint32_t *chunks = NULL;
	shodo_status rc = evtx_reader_open(a->file, &rd, err);
	if (rc != SHODO_OK)
		return rc;
	const evtx_info *in = evtx_reader_info(rd);
	if (!in->header_ok && !in->file_chunks) {
		rc = shodo_err_set(err, SHODO_FAILED, 0, "not an event log: no file header and no chunk");
		goto out;
	}
	evtx_read_opts o = {.want = want_record, .record = on_record, .ud = &run, .cancel = ctx->cancel};
	rc = evtx_reader_run(rd, &o, err);
	if (rc == SHODO_OK && run.rc != SHODO_OK)
		rc = run.rc;
	if (rc != SHODO_OK)
		goto out;
	fallback(&run, in);
	if ((rc = run.rc) != SHODO_OK)
		goto out;
	/* recovered records of interest: stored unless an allocated record has their number */
	if (run.ids.n)
		qsort(run.ids.r, run.ids.n, sizeof(*run.ids.r), cmp_range);
	if (run.recov_chunks.n) {
		chunks = malloc(run.recov_chunks.n * sizeof(*chunks));
		if (!chunks) {
			rc = shodo_err_set(err, SHODO_FATAL, ENOMEM, "cannot read recovered records");
			goto out;
		}
		for (size_t i = 0; i < run.recov_chunks.n; i++)
			chunks[i] = (uint32_t)run.recov_chunks.v[i];
		evtx_read_opts o2 = {.want = want_record, .record = on_recovered, .ud = &run, .cancel = ctx->cancel,
		                     .chunks = chunks, .nchunks = run.recov_chunks.n, .skip_allocated = 1};
		rc = evtx_reader_run(rd, &o2, err);
		if (rc == SHODO_OK && run.rc != SHODO_OK)
			rc = run.rc;
		if (rc != SHODO_OK)
			goto out;
	}
	shodo_progress(ctx->sink, "parse evtx", "records", run.seen, run.seen);

	/* the answers for this file */
	static const char sql[] = "INSERT INTO evtx_stats(source,records,recovered,parsed,errors,first_time,"
	                          "last_time,recovered_stored,dirty) VALUES(?,?,?,?,?,?,?,?,?)";
	sqlite3_stmt *s = shodo_store_stmt(ctx->store, sql, err);
	if (!s) {
		rc = SHODO_FATAL;
		goto out;
	}
	shodo_bind_text(s, 1, a->source);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)in->records);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)in->recovered);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)run.parsed);
	sqlite3_bind_int64(s, 5, (sqlite3_int64)run.errors);
	shodo_bind_text(s, 6, run.first);
	shodo_bind_text(s, 7, run.last);
	sqlite3_bind_int64(s, 8, (sqlite3_int64)run.stored_recovered);
	sqlite3_bind_int(s, 9, (in->flags & 1) ? 1 : 0);
	if ((rc = shodo_store_step_done(ctx->store, s, err)) != SHODO_OK)
		goto out;
	static const char sqlc[] = "INSERT INTO event_counts(source,provider,event_id,count) VALUES(?,?,?,?)";
	for (size_t i = 0; i < run.counts.cap; i++) {
		if (!run.counts.t[i].provider)
			continue;
		s = shodo_store_stmt(ctx->store, sqlc, err);
		if (!s) {
			rc = SHODO_FATAL;
			goto out;
		}
		shodo_bind_text(s, 1, a->source);
		sqlite3_bind_text(s, 2, run.counts.t[i].provider, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(s, 3, run.counts.t[i].id);
		sqlite3_bind_int64(s, 4, (sqlite3_int64)run.counts.t[i].n);
		if ((rc = shodo_store_step_done(ctx->store, s, err)) != SHODO_OK)
			goto out;
	}

	/* grade: damage is a warning that names the chunks; what a live or
	 * crashed system leaves behind (dirty, unflushed chunks, slack) is said
	 * and is normal */
	char warn[768] = "", info[512] = "";
	size_t wl = 0, il = 0;
#define ADD(buf, len, ...) \
	((len) += (size_t)snprintf((buf) + (len), (len) < sizeof(buf) ? sizeof(buf) - (len) : 0, __VA_ARGS__), \
	 (len) = (len) < sizeof(buf) ? (len) : sizeof(buf) - 1)
	uint32_t present = in->file_chunks;
	if (in->header_ok && in->header_chunks > present)
		ADD(warn, wl, "%slog truncated: %u of %u chunks present", wl ? "; " : "", present, in->header_chunks);
	if (!in->header_ok)
		ADD(warn, wl, "%sfile header missing or damaged: chunks read by their own signatures", wl ? "; " : "");
	else if (!in->header_crc_ok)
		ADD(warn, wl, "%sfile header checksum mismatch", wl ? "; " : "");
	if (in->chunks_bad) {
		/* missing chunks of a cut log are said above, not again here */
		char list[160] = "";
		size_t ll = 0;
		uint32_t shown = 0;
		for (uint32_t i = 0; i < in->nbad_listed; i++) {
			if (in->bad[i] >= present)
				continue;
			ADD(list, ll, "%s%u", shown ? ", " : "", in->bad[i]);
			shown++;
		}
		if (shown)
			ADD(warn, wl, "%s%u damaged chunk%s (bad checksum, signature or records): chunk%s %s%s",
			    wl ? "; " : "", in->chunks_bad, in->chunks_bad == 1 ? "" : "s", shown == 1 ? "" : "s", list,
			    in->chunks_bad > shown ? ", ..." : "");
	}
	if (run.errors)
		ADD(warn, wl, "%s%llu of %llu records unreadable%s%s", wl ? "; " : "", (unsigned long long)run.errors,
		    (unsigned long long)in->records, run.first_error[0] ? ": " : "", run.first_error);
	if (run.counts.full)
		ADD(warn, wl, "%stoo many distinct providers, counts incomplete", wl ? "; " : "");

	ADD(info, il, "%llu records", (unsigned long long)in->records);
	if (in->recovered)
		ADD(info, il, ", %llu recovered (%llu new)", (unsigned long long)in->recovered,
		    (unsigned long long)run.stored_recovered);
	if (in->flags & 1)
		ADD(info, il, "; log was not closed cleanly (dirty)");
	if (in->chunks_past && (in->flags & 1))
		ADD(info, il, "; %u chunk%s past the header's count (not yet flushed: read as the log's own)",
		    in->chunks_past, in->chunks_past == 1 ? "" : "s");
	else if (in->chunks_past)
		ADD(info, il, "; %u chunk%s past the header's count (left from before: read as recovered)",
		    in->chunks_past, in->chunks_past == 1 ? "" : "s");
	if (run.fallback_read)
		ADD(info, il, "; %llu records read through libevtx", (unsigned long long)run.fallback_read);
	if (in->refused > run.refused.n / 2)
		ADD(info, il, "; %llu recovered fragments unreadable",
		    (unsigned long long)(in->refused - run.refused.n / 2));
#undef ADD
	if (wl) {
		/* the counts and the statistics row stand even when no record decodes */
		rc = shodo_err_set(err, SHODO_WARN, 0, "%s (%s)", warn, info);
	} else {
		rc = SHODO_OK;
		snprintf(err->msg, sizeof(err->msg), "%s", in->records || in->recovered ? info : "no records");
	}
out:
	evtx_reader_close(rd);
	counter_free(&run.counts);
	free(run.ids.r);
	free(run.refused.v);
	free(run.recov_chunks.v);
	free(chunks);
	return rc;
}

const shodo_parser shodo_parser_evtx = {"evtx", bid_evtx, parse_evtx};
