/*
 * triage/scope/sessions.c — logon sessions made from the logon events.
 *
 * One Remote Desktop connection leaves a handful of events in three logs:
 * RemoteConnectionManager 1149 (the user authenticated at the listener),
 * Security 4624 type 10 (twice within milliseconds for an administrator: the
 * elevated and the filtered token) with 4672 (special privileges, same logon
 * ID), LocalSessionManager 21 (session logon) and 22 (shell start), and with
 * NLA a network logon (4624 type 3) just before.  A disconnect adds LSM 24
 * and 4779; a reconnect 1149, 4624 type 7 or 10, LSM 25 and 4778; a logoff
 * 4647, 4634 per logon ID and LSM 23.  A responder counts connections: who,
 * from where, from when to when.  This stage writes one row per connection
 * into table sessions (kind rdp) and marks each event with its row
 * (logons.session).  Network logons (4624 type 3) become one row per logon
 * ID with their 4672 and 4634 (kind network); one that authenticated an RDP
 * connection (NLA: the same account, from the same address or none, from
 * 10 s before to 120 s after it begins) points to it (part_of) and is not
 * counted apart.
 *
 * Per computer, in time order (ties: starts before ends):
 *   - a start event (1149, 4624 type 10, LSM 21; for reconnects 4624 type 7
 *     from an address, LSM 25, 4778) joins the newest open connection of the
 *     same account and address begun within CONNECT_WINDOW that has no event
 *     of its kind yet (4624: the linked pair, within LINKED); otherwise it
 *     begins a connection;
 *   - LSM 22, 23 and 24 find their connection by LSM session ID; 4779, 4634
 *     and 4647 by logon ID (4778/4779 carry the Windows session's first
 *     logon ID, which a reconnect inherits); both fall back to account and
 *     address;
 *   - a disconnect (24, 4779) or a logoff (23, 4634, 4647) ends it; a
 *     reconnect ends the previous connection of the same Windows session
 *     when no disconnect was logged (state "reconnected");
 *   - the disconnect or logoff of an RDP session whose logon lies before the
 *     logs makes a connection without a start.
 * 4672 is often written just before its 4624: it waits a moment for it.
 *
 * logons.session is written at the end by one UPDATE ... FROM over the
 * (row, session) pairs (one UPDATE per event row was a statement step and a
 * table seek each: seconds on a server with a hundred thousand network
 * logons).
 *
 * Memory is bounded: the rows are read one at a time; open RDP connections
 * (RDP_OPEN_MAX) and open network logons (NET_OPEN_MAX, a hash by logon ID)
 * are kept, the oldest written out when there are more.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "scope.h"
#include "shodo/buf.h"
#include "shodo/util.h"

#define TICKS 10000000LL              /* 100 ns per second */
#define CONNECT_WINDOW (120 * TICKS)  /* the events of one connection's start */
#define LINKED (5 * TICKS)            /* the two linked 4624 of an administrator */
#define ENDED_GRACE (10 * TICKS)      /* a second end event of the same end */
#define ADMIN_WAIT (2 * TICKS)        /* 4672 before its 4624 */
#define RDP_OPEN_MAX 4096
#define NET_OPEN_MAX 32768
#define NET_BUCKETS 65536
#define MAX_LIDS 8

enum { S_RDP, S_NET };
enum { ST_OPEN, ST_LOGOFF, ST_DISC, ST_RECON };
static const char *const state_name[] = {"open", "logoff", "disconnect", "reconnected"};

/* what an event is to a session */
enum {
	E_NONE, E_AUTH, E_LOGON_RDP, E_LOGON_RECON, E_LOGON_NET, E_ADMIN, E_LSM_LOGON, E_LSM_SHELL, E_LSM_LOGOFF,
	E_LSM_DISC, E_LSM_RECON, E_SEC_RECON, E_SEC_DISC, E_LOGOFF,
};

typedef struct row {
	long long rowid, record;
	int64_t t;
	int id, type, ev;
	uint64_t lid;
	const char *time, *user, *domain, *ip, *ws, *tsess, *comp, *source;
} row;

typedef struct sess {
	int kind, state, reconnect, admin;
	int n4624, has1149, has21, has22, has25, has4778;
	int64_t tstart, tend, t4624;
	char start[40], end[40];
	char user[128], domain[128], ip[64], ws[128], tsess[32], comp[128];
	uint64_t lids[MAX_LIDS], chain;
	int nlid;
	char events[400];
	int nev, last_code, last_rep;
	size_t elen;
	long long *rows;
	size_t nrows, caprows;
	char *source;
	long long record;
	struct sess *hnext, *older, *newer; /* network: hash chain, age list */
} sess;

typedef struct run {
	shodo_triage_ctx *ctx;
	sqlite3 *db;
	shodo_err *err;
	shodo_status rc;
	char comp[128];
	sess **rdp;
	size_t nrdp, caprdp;
	sess *buckets[NET_BUCKETS];
	sess *oldest, *newest;
	size_t nnet;
	struct {
		uint64_t lid;
		int64_t t;
		long long rowid;
		char comp[128];
	} admin[64];
	unsigned nadmin;
	long long written_rdp, written_net;
	sqlite3_stmt *ins;          /* INSERT INTO sessions */
	struct mark {
		long long row, session;
		size_t seq;
	} *marks;                   /* logons.session of each row, in the order decided */
	size_t nmarks, capmarks;
} run;

/* ---- small helpers ---- */

/* "2024-03-01T22:10:05.1234567Z" -> 100 ns ticks since 1970 (0: unreadable).
 * Called for every logon event of interest: the usual form is read digit by
 * digit (sscanf and timegm were most of the sessions query's own time);
 * anything else goes through sscanf and timegm as before, which give the same
 * numbers for the usual form. */
static int64_t iso_ticks(const char *s)
{
	int64_t t;
	int Y, M, D, h, mi, sec;
	/* read left to right: nothing past the end of a short string */
	if (s && (Y = shodo_digits(s, 4)) >= 0 && s[4] == '-' && (M = shodo_digits(s + 5, 2)) >= 1 && M <= 12 && s[7] == '-' &&
	    (D = shodo_digits(s + 8, 2)) >= 1 && s[10] == 'T' && (h = shodo_digits(s + 11, 2)) >= 0 && s[13] == ':' &&
	    (mi = shodo_digits(s + 14, 2)) >= 0 && s[16] == ':' && (sec = shodo_digits(s + 17, 2)) >= 0) {
		t = (shodo_days_from_civil(Y, M, D) * 86400 + h * 3600 + mi * 60 + sec) * TICKS;
	} else {
		struct tm tm;
		memset(&tm, 0, sizeof(tm));
		if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
		                 &tm.tm_min, &tm.tm_sec) != 6)
			return 0;
		tm.tm_year -= 1900;
		tm.tm_mon -= 1;
		t = (int64_t)timegm(&tm) * TICKS;
	}
	const char *p = s + 19;
	if (*p == '.') {
		int64_t f = 0;
		int d = 0;
		for (p++; *p >= '0' && *p <= '9'; p++, d++)
			if (d < 7)
				f = f * 10 + (*p - '0');
		for (; d < 7; d++)
			f *= 10;
		t += f;
	}
	return t;
}

/* SQL shodo_ticks(time) */
static void sql_ticks(sqlite3_context *c, int argc, sqlite3_value **v)
{
	(void)argc;
	sqlite3_result_int64(c, iso_ticks((const char *)sqlite3_value_text(v[0])));
}

/* "0x3e7", "0x00000000000003e7", XP's "(0x0,0x3E7)" -> number; 0 = none */
static uint64_t parse_lid(const char *s)
{
	if (!s || !*s)
		return 0;
	if (*s == '(') {
		unsigned long long hi = 0, lo = 0;
		if (sscanf(s, "(0x%llx,0x%llx)", &hi, &lo) == 2)
			return (uint64_t)(hi << 32 | (lo & 0xffffffffULL));
		return 0;
	}
	return (uint64_t)strtoull(s, NULL, 16);
}

static const char *nz(const char *s) { return s ? s : ""; }

static void copy(char *dst, size_t n, const char *src) { snprintf(dst, n, "%s", nz(src)); }

/* the same person from the same place: equal where both are known, and
 * something known */
static int same_party(const sess *c, const row *r)
{
	int u = !*nz(r->user) || !c->user[0] || !strcasecmp(c->user, r->user);
	int i = !*nz(r->ip) || !c->ip[0] || !strcmp(c->ip, r->ip);
	return u && i && (*nz(r->user) || *nz(r->ip));
}

static int has_lid(const sess *c, uint64_t lid)
{
	if (!lid)
		return 0;
	if (c->chain == lid)
		return 1;
	for (int i = 0; i < c->nlid; i++)
		if (c->lids[i] == lid)
			return 1;
	return 0;
}

static void add_lid(sess *c, uint64_t lid)
{
	if (!lid || has_lid(c, lid))
		return;
	if (c->nlid < MAX_LIDS)
		c->lids[c->nlid++] = lid;
	if (!c->chain)
		c->chain = lid;
}

/* the code an event shows in sessions.events */
static int ev_code(const row *r) { return r->id * 100 + (r->type >= 0 && r->type < 100 ? r->type : 99); }

static void attach(run *x, sess *c, const row *r)
{
	/* sessions.events: "1149 4624/10 x2 4672 21 22" */
	int code = ev_code(r);
	if (code == c->last_code && c->nev) {
		c->last_rep++;
		/* rewrite the " xN" suffix */
		char *x2 = strrchr(c->events, ' ');
		if (x2 && x2[1] == 'x' && c->last_rep > 2)
			c->elen = (size_t)(x2 - c->events);
		if (c->elen < sizeof(c->events))
			c->elen += (size_t)snprintf(c->events + c->elen, sizeof(c->events) - c->elen, " x%d", c->last_rep);
	} else {
		char one[32];
		if ((r->id == 4624 || r->id == 4634 || r->id == 528 || r->id == 540 || r->id == 538) && r->type >= 0)
			snprintf(one, sizeof(one), "%d/%d", r->id, r->type);
		else
			snprintf(one, sizeof(one), "%d", r->id);
		if (c->elen < sizeof(c->events))
			c->elen += (size_t)snprintf(c->events + c->elen, sizeof(c->events) - c->elen, "%s%s",
			                            c->elen ? " " : "", one);
		c->last_code = code;
		c->last_rep = 1;
	}
	if (c->elen >= sizeof(c->events))
		c->elen = sizeof(c->events) - 1;
	c->nev++;
	if (shodo_grow(&c->rows, &c->caprows, c->nrows + 1) < 0) {
		x->rc = shodo_err_set(x->err, SHODO_FATAL, 0, "scope: sessions: out of memory");
		return;
	}
	c->rows[c->nrows++] = r->rowid;
	if (!c->source && r->source) {
		c->source = strdup(r->source);
		c->record = r->record;
	}
	/* what the event tells about the party */
	if (!c->user[0] && *nz(r->user))
		copy(c->user, sizeof(c->user), r->user);
	if (!c->domain[0] && *nz(r->domain))
		copy(c->domain, sizeof(c->domain), r->domain);
	if (!c->ip[0] && *nz(r->ip))
		copy(c->ip, sizeof(c->ip), r->ip);
	if (!c->ws[0] && *nz(r->ws))
		copy(c->ws, sizeof(c->ws), r->ws);
	if (r->ev == E_LSM_LOGON || r->ev == E_LSM_RECON || r->ev == E_LSM_SHELL)
		if (*nz(r->tsess))
			copy(c->tsess, sizeof(c->tsess), r->tsess);
}

static sess *sess_new(run *x, int kind, const row *r, int has_start)
{
	sess *c = calloc(1, sizeof(*c));
	if (!c) {
		x->rc = shodo_err_set(x->err, SHODO_FATAL, 0, "scope: sessions: out of memory");
		return NULL;
	}
	c->kind = kind;
	c->tstart = r->t;
	if (has_start)
		copy(c->start, sizeof(c->start), r->time);
	copy(c->comp, sizeof(c->comp), r->comp);
	return c;
}

static void sess_end(sess *c, const row *r, int state)
{
	c->state = state;
	c->tend = r->t;
	copy(c->end, sizeof(c->end), r->time);
}

static void sess_free(sess *c)
{
	if (!c)
		return;
	free(c->rows);
	free(c->source);
	free(c);
}

static void sess_write(run *x, sess *c)
{
	if (x->rc != SHODO_OK)
		return;
	sqlite3_stmt *s = x->ins;
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	char lids[MAX_LIDS * 20 + 1] = "";
	size_t ll = 0;
	for (int i = 0; i < c->nlid; i++)
		ll += (size_t)snprintf(lids + ll, sizeof(lids) - ll, "%s0x%llx", i ? " " : "", (unsigned long long)c->lids[i]);
	shodo_bind_text(s, 1, c->kind == S_RDP ? "rdp" : "network");
	shodo_bind_text(s, 2, c->user);
	shodo_bind_text(s, 3, c->domain);
	shodo_bind_text(s, 4, c->ip);
	shodo_bind_text(s, 5, c->ws);
	shodo_bind_text(s, 6, c->start);
	shodo_bind_text(s, 7, c->end);
	shodo_bind_text(s, 8, state_name[c->state]);
	sqlite3_bind_int(s, 9, c->reconnect);
	sqlite3_bind_int(s, 10, c->admin);
	shodo_bind_text(s, 11, lids);
	shodo_bind_text(s, 12, c->tsess);
	shodo_bind_text(s, 13, c->events);
	sqlite3_bind_int(s, 14, c->nev);
	shodo_bind_text(s, 15, c->comp);
	shodo_bind_text(s, 16, c->source);
	if (c->source)
		sqlite3_bind_int64(s, 17, c->record);
	if ((x->rc = shodo_store_step_done(x->ctx->store, s, x->err)) != SHODO_OK)
		return;
	long long id = (long long)sqlite3_last_insert_rowid(x->db);
	/* logons.session: written at the end by one statement */
	if (shodo_grow(&x->marks, &x->capmarks, x->nmarks + c->nrows) < 0) {
		x->rc = shodo_err_set(x->err, SHODO_FATAL, 0, "scope: sessions: out of memory");
		return;
	}
	for (size_t i = 0; i < c->nrows; i++) {
		x->marks[x->nmarks].row = c->rows[i];
		x->marks[x->nmarks].session = id;
		x->marks[x->nmarks].seq = x->nmarks;
		x->nmarks++;
	}
	if (c->kind == S_RDP)
		x->written_rdp++;
	else
		x->written_net++;
}

/* ---- network logons: a hash by logon ID, oldest first in a list ---- */

static size_t bucket(uint64_t lid) { return (size_t)((lid * 0x9E3779B97F4A7C15ULL) >> 48) & (NET_BUCKETS - 1); }

static sess *net_find(run *x, uint64_t lid)
{
	if (!lid)
		return NULL;
	for (sess *c = x->buckets[bucket(lid)]; c; c = c->hnext)
		if (c->lids[0] == lid)
			return c;
	return NULL;
}

static void net_remove(run *x, sess *c)
{
	sess **pp = &x->buckets[bucket(c->lids[0])];
	while (*pp && *pp != c)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = c->hnext;
	if (c->older)
		c->older->newer = c->newer;
	else
		x->oldest = c->newer;
	if (c->newer)
		c->newer->older = c->older;
	else
		x->newest = c->older;
	x->nnet--;
}

static void net_close(run *x, sess *c)
{
	net_remove(x, c);
	sess_write(x, c);
	sess_free(c);
}

static void net_add(run *x, sess *c)
{
	size_t b = bucket(c->lids[0]);
	c->hnext = x->buckets[b];
	x->buckets[b] = c;
	c->older = x->newest;
	c->newer = NULL;
	if (x->newest)
		x->newest->newer = c;
	else
		x->oldest = c;
	x->newest = c;
	x->nnet++;
	while (x->nnet > NET_OPEN_MAX && x->oldest)
		net_close(x, x->oldest);
}

/* ---- RDP connections of the current computer ---- */

static sess *rdp_push(run *x, sess *c)
{
	if (!c)
		return NULL;
	if (shodo_grow(&x->rdp, &x->caprdp, x->nrdp + 1) < 0) {
		x->rc = shodo_err_set(x->err, SHODO_FATAL, 0, "scope: sessions: out of memory");
		sess_free(c);
		return NULL;
	}
	x->rdp[x->nrdp++] = c;
	if (x->nrdp > RDP_OPEN_MAX) {
		/* the oldest half is settled */
		size_t half = x->nrdp / 2;
		for (size_t i = 0; i < half; i++) {
			sess_write(x, x->rdp[i]);
			sess_free(x->rdp[i]);
		}
		memmove(x->rdp, x->rdp + half, (x->nrdp - half) * sizeof(*x->rdp));
		x->nrdp -= half;
	}
	return c;
}

/* the newest connection begun within the connect window for which ok()
 * holds */
static sess *rdp_start_candidate(run *x, const row *r, int (*ok)(const sess *, const row *))
{
	for (size_t i = x->nrdp; i-- > 0;) {
		sess *c = x->rdp[i];
		if (c->tstart < r->t - CONNECT_WINDOW)
			break;
		if (c->state == ST_OPEN && same_party(c, r) && ok(c, r))
			return c;
	}
	return NULL;
}

static int ok_auth(const sess *c, const row *r) { return !c->has1149 && c->tstart >= r->t - 10 * TICKS; }
static int ok_logon(const sess *c, const row *r)
{
	return c->n4624 == 0 || (c->n4624 == 1 && r->t - c->t4624 <= LINKED);
}
static int ok_lsm_logon(const sess *c, const row *r) { (void)r; return !c->has21 && !c->has25; }
static int ok_lsm_recon(const sess *c, const row *r)
{
	(void)r;
	return !c->has25 && !c->has21 && (c->has1149 || c->n4624 || c->has4778);
}
static int ok_sec_recon(const sess *c, const row *r)
{
	(void)r;
	return !c->has4778 && !c->has21 && (c->has1149 || c->n4624 || c->has25);
}

/* the connection a follow-up or end event belongs to.  want: F_OPEN (an open
 * one), F_DISC (open, or ended a moment ago: the second event of the same
 * disconnect), F_LOGOFF (also one that was disconnected earlier: the session
 * is logged off later).  By LSM session ID or logon ID first, newest first;
 * else by account and address. */
enum { F_OPEN, F_DISC, F_LOGOFF };
static int findable(const sess *c, const row *r, int want)
{
	if (c->state == ST_OPEN)
		return 1;
	if (want == F_OPEN)
		return 0;
	if (c->tend >= r->t - ENDED_GRACE)
		return 1;
	return want == F_LOGOFF && c->state == ST_DISC;
}

static sess *rdp_find(run *x, const row *r, int by_tsess, int by_lid, int want)
{
	for (size_t i = x->nrdp; i-- > 0;) {
		sess *c = x->rdp[i];
		int match = (by_tsess && *nz(r->tsess) && c->tsess[0] && !strcmp(c->tsess, r->tsess) &&
		             (!*nz(r->user) || !c->user[0] || !strcasecmp(c->user, r->user))) ||
		            (by_lid && has_lid(c, r->lid));
		if (match)
			return findable(c, r, want) ? c : NULL; /* the newest with the key decides */
	}
	for (size_t i = x->nrdp; i-- > 0;) {
		sess *c = x->rdp[i];
		if (same_party(c, r) && (!by_tsess || !*nz(r->tsess) || !c->tsess[0]) && findable(c, r, want))
			return c;
	}
	return NULL;
}

/* a reconnect: the previous connection of the same Windows session ends
 * here unless it was disconnected */
static void chain_previous(run *x, sess *c, const row *r)
{
	for (size_t i = x->nrdp; i-- > 0;) {
		sess *p = x->rdp[i];
		if (p == c)
			continue;
		int same = (r->ev == E_LSM_RECON && *nz(r->tsess) && p->tsess[0] && !strcmp(p->tsess, r->tsess)) ||
		           (r->ev == E_SEC_RECON && has_lid(p, r->lid));
		if (!same)
			continue;
		if (p->state == ST_OPEN)
			sess_end(p, r, ST_RECON);
		/* the Windows session's first logon ID, which 4779 and the final
		 * logoff name */
		if (p->chain)
			c->chain = p->chain;
		if (!c->tsess[0])
			copy(c->tsess, sizeof(c->tsess), p->tsess);
		return;
	}
}

static void admin_pending_take(run *x, sess *c, const row *r)
{
	for (unsigned i = 0; i < x->nadmin; i++) {
		if (x->admin[i].lid == r->lid && x->admin[i].t >= r->t - ADMIN_WAIT && !strcmp(x->admin[i].comp, nz(r->comp))) {
			row a = {.rowid = x->admin[i].rowid, .t = x->admin[i].t, .id = 4672, .type = -1, .ev = E_ADMIN};
			c->admin = 1;
			/* counted, not shown before its logon */
			attach(x, c, &a);
			x->admin[i] = x->admin[--x->nadmin];
			return;
		}
	}
}

static void flush_computer(run *x)
{
	for (size_t i = 0; i < x->nrdp; i++) {
		sess_write(x, x->rdp[i]);
		sess_free(x->rdp[i]);
	}
	x->nrdp = 0;
	while (x->oldest)
		net_close(x, x->oldest);
	x->nadmin = 0;
}

static void one_row(run *x, row *r)
{
	sess *c = NULL;
	switch (r->ev) {
	case E_AUTH:
		c = rdp_start_candidate(x, r, ok_auth);
		if (!c)
			c = rdp_push(x, sess_new(x, S_RDP, r, 1));
		if (c)
			c->has1149 = 1;
		break;
	case E_LOGON_RDP:
	case E_LOGON_RECON:
		c = rdp_start_candidate(x, r, ok_logon);
		if (!c)
			c = rdp_push(x, sess_new(x, S_RDP, r, 1));
		if (!c)
			return;
		c->n4624++;
		c->t4624 = r->t;
		if (r->ev == E_LOGON_RECON)
			c->reconnect = 1;
		add_lid(c, r->lid);
		attach(x, c, r);
		admin_pending_take(x, c, r);
		return;
	case E_LSM_LOGON:
		c = rdp_start_candidate(x, r, ok_lsm_logon);
		if (!c)
			c = rdp_push(x, sess_new(x, S_RDP, r, 1));
		if (c)
			c->has21 = 1;
		break;
	case E_LSM_RECON:
	case E_SEC_RECON:
		c = rdp_start_candidate(x, r, r->ev == E_LSM_RECON ? ok_lsm_recon : ok_sec_recon);
		if (!c)
			c = rdp_push(x, sess_new(x, S_RDP, r, 1));
		if (!c)
			return;
		c->reconnect = 1;
		if (r->ev == E_LSM_RECON)
			c->has25 = 1;
		else
			c->has4778 = 1;
		attach(x, c, r);
		chain_previous(x, c, r);
		if (r->ev == E_SEC_RECON && r->lid)
			c->chain = r->lid; /* 4778 names the Windows session's first logon */
		return;
	case E_LSM_SHELL:
		c = rdp_find(x, r, 1, 0, F_OPEN);
		if (c)
			c->has22 = 1;
		break;
	case E_LSM_DISC:
	case E_SEC_DISC:
		c = rdp_find(x, r, r->ev == E_LSM_DISC, r->ev == E_SEC_DISC, F_DISC);
		if (!c) {
			/* connected before the logs begin */
			c = rdp_push(x, sess_new(x, S_RDP, r, 0));
			if (c && r->ev == E_SEC_DISC)
				c->chain = r->lid;
		}
		if (c && c->state == ST_OPEN)
			sess_end(c, r, ST_DISC);
		break;
	case E_LSM_LOGOFF:
		/* 23 has no address: it may be the console's; only joins */
		c = rdp_find(x, r, 1, 0, F_LOGOFF);
		if (c && c->state == ST_OPEN)
			sess_end(c, r, ST_LOGOFF);
		break;
	case E_LOGOFF: {
		sess *n = net_find(x, r->lid);
		if (n && (r->type < 0 || r->type == 3)) {
			attach(x, n, r);
			sess_end(n, r, ST_LOGOFF);
			net_close(x, n);
			return;
		}
		c = r->lid ? rdp_find(x, r, 0, 1, F_LOGOFF) : NULL;
		if (!c && r->type == 10) {
			/* an RDP logon before the logs begin */
			c = rdp_push(x, sess_new(x, S_RDP, r, 0));
			if (c)
				add_lid(c, r->lid);
		}
		if (c && c->state == ST_OPEN)
			sess_end(c, r, ST_LOGOFF);
		break;
	}
	case E_LOGON_NET: {
		sess *old = net_find(x, r->lid);
		if (old)
			net_close(x, old); /* a logon ID used again (after a restart) */
		c = sess_new(x, S_NET, r, 1);
		if (!c)
			return;
		c->lids[0] = r->lid;
		c->nlid = r->lid ? 1 : 0;
		c->n4624 = 1;
		attach(x, c, r);
		admin_pending_take(x, c, r);
		if (r->lid) {
			net_add(x, c);
		} else {
			sess_write(x, c);
			sess_free(c);
		}
		return;
	}
	case E_ADMIN: {
		sess *n = net_find(x, r->lid);
		if (!n && r->lid)
			for (size_t i = x->nrdp; i-- > 0 && !n;)
				if (x->rdp[i]->state == ST_OPEN && has_lid(x->rdp[i], r->lid))
					n = x->rdp[i];
		if (n) {
			n->admin = 1;
			attach(x, n, r);
		} else if (r->lid) {
			/* its logon may follow: remembered for a moment */
			unsigned k = x->nadmin < 64 ? x->nadmin++ : (unsigned)(r->rowid % 64);
			x->admin[k].lid = r->lid;
			x->admin[k].t = r->t;
			x->admin[k].rowid = r->rowid;
			copy(x->admin[k].comp, sizeof(x->admin[k].comp), r->comp);
		}
		return;
	}
	default:
		return;
	}
	if (c && x->rc == SHODO_OK)
		attach(x, c, r);
}

static int cmp_mark(const void *a, const void *b)
{
	const struct mark *x = a, *y = b;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* logons.session for every row attached to a session: one UPDATE ... FROM
 * (a row given twice keeps the last, as one UPDATE per row did) */
static shodo_status mark_rows(run *x)
{
	if (!x->nmarks)
		return SHODO_OK;
	qsort(x->marks, x->nmarks, sizeof(*x->marks), cmp_mark);
	long long *pairs = malloc(x->nmarks * 2 * sizeof(*pairs));
	if (!pairs)
		return shodo_err_set(x->err, SHODO_FATAL, 0, "scope: sessions: out of memory");
	size_t n = 0;
	for (size_t i = 0; i < x->nmarks; i++) {
		if (i + 1 < x->nmarks && x->marks[i + 1].row == x->marks[i].row)
			continue;
		pairs[2 * n] = x->marks[i].row;
		pairs[2 * n + 1] = x->marks[i].session;
		n++;
	}
	shodo_status rc = scope_pairs_exec(x->ctx->store, pairs, n,
	                                   "UPDATE logons SET session = m.b FROM shodo_pairs m WHERE logons.rowid = m.a",
	                                   x->err);
	free(pairs);
	return rc;
}

static int classify(const row *r)
{
	int remote = *nz(r->ip) && strcmp(r->ip, "LOCAL") && strcmp(r->ip, "-");
	switch (r->id) {
	case 1149: return E_AUTH;
	case 4624: case 528: case 540:
		if (r->type == 10)
			return E_LOGON_RDP;
		if (r->type == 7 && remote && strcmp(r->ip, "127.0.0.1") && strcmp(r->ip, "::1"))
			return E_LOGON_RECON;
		if (r->type == 3)
			return E_LOGON_NET;
		return E_NONE;
	case 4672: case 576: return E_ADMIN;
	case 4634: case 4647: case 538: case 551: return E_LOGOFF;
	}
	/* LocalSessionManager and 4778/4779: Remote Desktop only, not the console */
	if (!remote && r->id != 22 && r->id != 23)
		return E_NONE;
	switch (r->id) {
	case 21: return E_LSM_LOGON;
	case 22: return *nz(r->ip) && !remote ? E_NONE : E_LSM_SHELL;
	case 23: return *nz(r->ip) && !remote ? E_NONE : E_LSM_LOGOFF;
	case 24: return E_LSM_DISC;
	case 25: return E_LSM_RECON;
	case 4778: return E_SEC_RECON;
	case 4779: return E_SEC_DISC;
	}
	return E_NONE;
}

shodo_status shodo_scope_sessions(shodo_triage_ctx *ctx, shodo_err *err)
{
	sqlite3 *db = shodo_store_db(ctx->store);
	sqlite3_create_function(db, "shodo_ticks", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_ticks, NULL, NULL);
	/* the events of interest, once each (a log collected twice gives the
	 * same rows twice), per computer (its short name: the logs name it the
	 * same way, some with the DNS suffix) in time order, starts first */
	static const char q[] =
	    "SELECT min(rowid), min(record), time, event_id, coalesce(logon_type, -1), target_user, target_domain,"
	    " source_ip, workstation, logon_id, terminal_session, lower(CASE WHEN instr(computer, '.') > 1"
	    " THEN substr(computer, 1, instr(computer, '.') - 1) ELSE coalesce(computer, '') END) AS comp,"
	    " min(source), shodo_ticks(time) AS t,"
	    " CASE event_id WHEN 1149 THEN 0 WHEN 4624 THEN 1 WHEN 528 THEN 1 WHEN 540 THEN 1 WHEN 21 THEN 2"
	    "  WHEN 25 THEN 2 WHEN 4778 THEN 2 WHEN 22 THEN 3 WHEN 4672 THEN 4 WHEN 576 THEN 4 WHEN 24 THEN 5"
	    "  WHEN 4779 THEN 5 ELSE 6 END AS rank"
	    " FROM logons WHERE time IS NOT NULL AND (event_id IN (1149, 21, 22, 23, 24, 25, 4778, 4779, 4647, 551)"
	    "  OR (event_id IN (4624, 528, 540, 4634, 538) AND coalesce(logon_type, 3) IN (3, 7, 10))"
	    "  OR (event_id IN (4672, 576) AND lower(coalesce(target_user, '')) NOT IN"
	    "      ('system', 'local service', 'network service')))"
	    " GROUP BY comp, time, event_id, coalesce(logon_id, ''), coalesce(terminal_session, ''),"
	    "  lower(coalesce(target_user, '')), coalesce(source_ip, ''), coalesce(logon_type, -1)"
	    " ORDER BY comp, t, rank, min(source), min(record)";
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, q, -1, &s, NULL) != SQLITE_OK)
		return shodo_err_set(err, SHODO_FATAL, 0, "scope: sessions: %s", sqlite3_errmsg(db));
	run *x = calloc(1, sizeof(*x));
	if (!x) {
		sqlite3_finalize(s);
		return shodo_err_set(err, SHODO_FATAL, 0, "scope: sessions: out of memory");
	}
	x->ctx = ctx;
	x->db = db;
	x->err = err;
	x->rc = SHODO_OK;
	if (sqlite3_prepare_v2(db,
	                       "INSERT INTO sessions(kind, account, domain, source_ip, workstation, start, end, state,"
	                       " reconnect, admin, logon_ids, terminal_session, events, event_count, computer, source,"
	                       " record) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	                       -1, &x->ins, NULL) != SQLITE_OK)
		x->rc = shodo_err_set(err, SHODO_FATAL, 0, "scope: sessions: %s", sqlite3_errmsg(db));
	int first = 1;
	while (x->rc == SHODO_OK && sqlite3_step(s) == SQLITE_ROW) {
		row r = {
			.rowid = sqlite3_column_int64(s, 0), .record = sqlite3_column_int64(s, 1),
			.time = (const char *)sqlite3_column_text(s, 2), .id = sqlite3_column_int(s, 3),
			.type = sqlite3_column_int(s, 4), .user = (const char *)sqlite3_column_text(s, 5),
			.domain = (const char *)sqlite3_column_text(s, 6), .ip = (const char *)sqlite3_column_text(s, 7),
			.ws = (const char *)sqlite3_column_text(s, 8), .tsess = (const char *)sqlite3_column_text(s, 10),
			.comp = (const char *)sqlite3_column_text(s, 11), .source = (const char *)sqlite3_column_text(s, 12),
			.t = sqlite3_column_int64(s, 13),
		};
		r.lid = parse_lid((const char *)sqlite3_column_text(s, 9));
		if (!r.t)
			continue;
		if (first || strcmp(x->comp, nz(r.comp))) {
			flush_computer(x);
			copy(x->comp, sizeof(x->comp), r.comp);
			first = 0;
		}
		r.ev = classify(&r);
		if (r.ev != E_NONE)
			one_row(x, &r);
	}
	sqlite3_finalize(s);
	flush_computer(x);
	sqlite3_finalize(x->ins);
	if (x->rc == SHODO_OK)
		x->rc = mark_rows(x);
	free(x->marks);
	free(x->rdp);
	shodo_status rc = x->rc;
	long long nr = x->written_rdp, nn = x->written_net;
	free(x);
	if (rc != SHODO_OK)
		return rc;
	/* a network logon that authenticated an RDP connection (NLA): part of
	 * it, from a moment before to the connect window after */
	static const char *const nla[] = {
		"DROP TABLE IF EXISTS temp.rdp_starts",
		"CREATE TEMP TABLE rdp_starts AS SELECT id, computer, lower(coalesce(account, '')) AS acct,"
		" source_ip AS ip, shodo_ticks(start) AS t FROM sessions WHERE kind = 'rdp' AND start IS NOT NULL",
		"CREATE INDEX temp.rdp_starts_k ON rdp_starts(computer, acct, t)",
		"UPDATE sessions SET part_of = (SELECT r.id FROM rdp_starts r WHERE r.computer = sessions.computer"
		" AND r.acct = lower(sessions.account) AND r.t BETWEEN shodo_ticks(sessions.start) - 100000000"
		" AND shodo_ticks(sessions.start) + 1200000000 AND (r.ip = sessions.source_ip OR sessions.source_ip IS NULL)"
		" ORDER BY r.t LIMIT 1) WHERE kind = 'network' AND start IS NOT NULL"
		" AND lower(account) IN (SELECT acct FROM rdp_starts)",
		"DROP TABLE temp.rdp_starts",
		NULL,
	};
	for (int i = 0; nla[i] && rc == SHODO_OK; i++)
		rc = shodo_store_exec(ctx->store, nla[i], err);
	if (rc != SHODO_OK)
		return rc;
	shodo_emit(ctx->sink, SHODO_EV_INFO, "scope", "sessions: %lld Remote Desktop connections, %lld network logons",
	           nr, nn);
	return SHODO_OK;
}
