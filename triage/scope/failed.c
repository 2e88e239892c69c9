/*
 * triage/scope/failed.c — one pass over the logons: failed logons grouped
 * (brute force), and what the incident window needs from the logons (the
 * newest time, the first RDP logon from a public address, the first
 * successful logon from an address that guessed passwords).
 *
 * Groups are by target account and source address; the workstation name
 * only separates groups when there is no address (password-guessing tools
 * send a random workstation name with every attempt).  Per group: the
 * account name written most often, the address, the workstations (one, or
 * the first and how many more), count, first and last time, the logon types
 * and statuses seen, and where the first attempt is recorded.
 *
 * Why in C: the SQL that did this (a temporary table of the failures, then
 * per group five correlated subqueries each reading the group's rows again)
 * took 0.63 s on the bench host's 211,004 failures, and the window's logon
 * queries another 0.28 s (index walks in time order with a table lookup per
 * row).  One scan of the table with the aggregates kept in hashes gives the
 * same rows, written in the same order (count descending, first time, then
 * the group key as GROUP BY ordered it); ties keep the order the SQL gave:
 * the first row in table order.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scope.h"
#include "shodo/buf.h"

/* a value as SQLite holds it, owned */
typedef struct uval {
	int type;         /* SQLITE_NULL, _INTEGER, _FLOAT, _TEXT, _BLOB */
	long long i;
	double d;
	char *p;          /* text or blob bytes, and for numbers their text */
	int n;
	size_t cap;
} uval;

/* a zeroed uval is NULL too */
#define UNULL(v) ((v)->type == SQLITE_NULL || (v)->type == 0)

/* v's bytes copied from p (n of them), with a NUL after */
static int uval_bytes(uval *v, const void *p, int n)
{
	if ((size_t)n + 1 > v->cap) {
		size_t nc = (size_t)n + 1 < 32 ? 32 : (size_t)n + 1;
		char *np = realloc(v->p, nc);
		if (!np)
			return -1;
		v->p = np;
		v->cap = nc;
	}
	if (n)
		memcpy(v->p, p, (size_t)n);
	v->p[n] = '\0';
	v->n = n;
	return 0;
}

static int uval_from(uval *v, sqlite3_stmt *s, int c)
{
	v->type = sqlite3_column_type(s, c);
	const void *p = NULL;
	if (v->type == SQLITE_NULL)
		return 0;
	if (v->type == SQLITE_INTEGER)
		v->i = sqlite3_column_int64(s, c);
	else if (v->type == SQLITE_FLOAT)
		v->d = sqlite3_column_double(s, c);
	p = v->type == SQLITE_BLOB ? sqlite3_column_blob(s, c) : (const void *)sqlite3_column_text(s, c);
	return uval_bytes(v, p, sqlite3_column_bytes(s, c));
}

static int uval_copy(uval *d, const uval *s)
{
	d->type = s->type;
	d->i = s->i;
	d->d = s->d;
	if (UNULL(s))
		return 0;
	return uval_bytes(d, s->p, s->n);
}

static void uval_free(uval *v) { free(v->p); }

/* SQLite's order (BINARY collation): NULL, numbers, text, blobs */
static int uclass(const uval *v)
{
	return UNULL(v) ? 0 : v->type == SQLITE_INTEGER || v->type == SQLITE_FLOAT ? 1
	     : v->type == SQLITE_TEXT ? 2 : 3;
}

static int ucmp(const uval *a, const uval *b)
{
	int ca = uclass(a), cb = uclass(b);
	if (ca != cb)
		return ca - cb;
	if (!ca)
		return 0;
	if (ca == 1) {
		if (a->type == SQLITE_INTEGER && b->type == SQLITE_INTEGER)
			return a->i < b->i ? -1 : a->i > b->i;
		double x = a->type == SQLITE_INTEGER ? (double)a->i : a->d, y = b->type == SQLITE_INTEGER ? (double)b->i : b->d;
		return x < y ? -1 : x > y;
	}
	int n = a->n < b->n ? a->n : b->n;
	int c = n ? memcmp(a->p, b->p, (size_t)n) : 0;
	return c ? c : a->n - b->n;
}

static void bind_uval(sqlite3_stmt *s, int i, const uval *v)
{
	switch (v->type) {
	case SQLITE_INTEGER: sqlite3_bind_int64(s, i, v->i); break;
	case SQLITE_FLOAT: sqlite3_bind_double(s, i, v->d); break;
	case SQLITE_TEXT: sqlite3_bind_text(s, i, v->p, v->n, SQLITE_TRANSIENT); break;
	case SQLITE_BLOB: sqlite3_bind_blob(s, i, v->p, v->n, SQLITE_TRANSIENT); break;
	default: sqlite3_bind_null(s, i); break;
	}
}

/* min/max ignoring NULL */
static int keep(uval *cur, const uval *v, int want_max)
{
	if (UNULL(v))
		return 0;
	if (!UNULL(cur)) {
		int c = ucmp(v, cur);
		if (want_max ? c <= 0 : c >= 0)
			return 0;
	}
	return uval_copy(cur, v);
}

/* ---- a hash of byte strings to numbers ---- */

typedef struct hent {
	char *k;
	size_t n;
	uint64_t h;
	size_t v;
} hent;

typedef struct hmap {
	hent *e;
	size_t cap, used;
} hmap;

static uint64_t hbytes(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 1099511628211ULL;
	return h ^ (h >> 29);
}

/* the number of key k; a new key gets v (found: 1, added: 0, -1 out of memory) */
static int hmap_get(hmap *m, const void *k, size_t n, size_t v, size_t *out)
{
	if ((m->used + 1) * 2 > m->cap) {
		size_t nc = m->cap ? m->cap * 2 : 64;
		hent *ne = calloc(nc, sizeof(*ne));
		if (!ne)
			return -1;
		for (size_t i = 0; i < m->cap; i++)
			if (m->e[i].k) {
				size_t j = m->e[i].h & (nc - 1);
				while (ne[j].k)
					j = (j + 1) & (nc - 1);
				ne[j] = m->e[i];
			}
		free(m->e);
		m->e = ne;
		m->cap = nc;
	}
	uint64_t h = hbytes(k, n);
	size_t j = h & (m->cap - 1);
	for (; m->e[j].k; j = (j + 1) & (m->cap - 1))
		if (m->e[j].h == h && m->e[j].n == n && !memcmp(m->e[j].k, k, n)) {
			*out = m->e[j].v;
			return 1;
		}
	char *c = malloc(n + 1);
	if (!c)
		return -1;
	memcpy(c, k, n);
	c[n] = '\0';
	m->e[j] = (hent){c, n, h, v};
	m->used++;
	*out = v;
	return 0;
}

/* the number of key k: 1 found, 0 not */
static int hmap_find(const hmap *m, const void *k, size_t n, size_t *out)
{
	if (!m->cap)
		return 0;
	uint64_t h = hbytes(k, n);
	for (size_t j = h & (m->cap - 1); m->e[j].k; j = (j + 1) & (m->cap - 1))
		if (m->e[j].h == h && m->e[j].n == n && !memcmp(m->e[j].k, k, n)) {
			*out = m->e[j].v;
			return 1;
		}
	return 0;
}

static void hmap_free(hmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->e[i].k);
	free(m->e);
}

/* ---- groups ---- */

typedef struct ucount {
	uval v;
	long long n;
} ucount;

typedef struct group {
	char *k;
	size_t kn;
	ucount *users;
	size_t nusers, capusers;
	uval ip, ws_min, ws_max, tmin, tmax, first_time, first_rec, first_src;
	long long ws_distinct, count;
	uval *types, *statuses;
	size_t ntypes, captypes, nstatuses, capstatuses;
} group;

static void group_free(group *g)
{
	free(g->k);
	for (size_t i = 0; i < g->nusers; i++)
		uval_free(&g->users[i].v);
	free(g->users);
	uval *one[] = {&g->ip, &g->ws_min, &g->ws_max, &g->tmin, &g->tmax, &g->first_time, &g->first_rec, &g->first_src};
	for (size_t i = 0; i < sizeof(one) / sizeof(one[0]); i++)
		uval_free(one[i]);
	for (size_t i = 0; i < g->ntypes; i++)
		uval_free(&g->types[i]);
	free(g->types);
	for (size_t i = 0; i < g->nstatuses; i++)
		uval_free(&g->statuses[i]);
	free(g->statuses);
}

/* adds v to a DISTINCT list (SQLite's equality) */
static int distinct_add(uval **l, size_t *n, size_t *cap, const uval *v)
{
	for (size_t i = 0; i < *n; i++)
		if (!ucmp(&(*l)[i], v))
			return 0;
	if (shodo_grow(l, cap, *n + 1) < 0)
		return -1;
	memset(&(*l)[*n], 0, sizeof(**l));
	if (uval_copy(&(*l)[*n], v) < 0)
		return -1;
	(*n)++;
	return 0;
}

static int cmp_uval_p(const void *a, const void *b) { return ucmp(a, b); }

/* "3,10": the list sorted, joined by commas; NULL when empty */
static char *joined(uval *l, size_t n)
{
	if (!n)
		return NULL;
	/* insertion order kept for equal values: none are equal here */
	qsort(l, n, sizeof(*l), cmp_uval_p);
	shodo_buf b = SHODO_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (i)
			shodo_buf_add(&b, ",", 1);
		shodo_buf_add(&b, l[i].p, (size_t)l[i].n);
	}
	if (b.failed) {
		shodo_buf_release(&b);
		return NULL;
	}
	return shodo_buf_detach(&b);
}

typedef struct failed_run {
	group *g;
	size_t ng, capg;
	hmap keys, ws, ips;
	struct ipmin {
		uval time, ip;
		long long rowid;
	} *ipm;
	size_t nipm, capipm;
	uval row[12];
	size_t last;   /* the group of the previous failure */
	int oom;
} failed_run;

static void add_failure(failed_run *x, long long rowid)
{
	(void)rowid;
	uval *k = &x->row[0], *user = &x->row[1], *ip = &x->row[2], *ws = &x->row[3], *t = &x->row[4],
	     *type = &x->row[5], *status = &x->row[6], *src = &x->row[7], *rec = &x->row[8];
	size_t gi = x->last;
	/* attempts of one group come in runs: the last group first */
	int r = x->ng && x->g[gi].kn == (size_t)k->n && !memcmp(x->g[gi].k, k->p, (size_t)k->n)
	            ? 1 : hmap_get(&x->keys, k->p, (size_t)k->n, x->ng, &gi);
	if (r < 0)
		goto oom;
	x->last = gi;
	if (r == 0) {
		if (shodo_grow(&x->g, &x->capg, x->ng + 1) < 0)
			goto oom;
		group *ng = &x->g[x->ng++];
		memset(ng, 0, sizeof(*ng));
		if (!(ng->k = malloc((size_t)k->n + 1)))
			goto oom;
		memcpy(ng->k, k->p, (size_t)k->n + 1);
		ng->kn = (size_t)k->n;
	}
	group *g = &x->g[gi];
	g->count++;
	/* the account name as written most often */
	size_t u = 0;
	while (u < g->nusers && ucmp(&g->users[u].v, user))
		u++;
	if (u == g->nusers) {
		if (shodo_grow(&g->users, &g->capusers, g->nusers + 1) < 0)
			goto oom;
		memset(&g->users[u], 0, sizeof(g->users[u]));
		if (uval_copy(&g->users[u].v, user) < 0)
			goto oom;
		g->nusers++;
	}
	g->users[u].n++;
	if (keep(&g->ip, ip, 1) < 0 || keep(&g->tmin, t, 0) < 0 || keep(&g->tmax, t, 1) < 0)
		goto oom;
	if (!UNULL(ws)) {
		/* count(DISTINCT workstation): the group's number and the value */
		char kb[4096];
		size_t kn = sizeof(uint32_t) + 1 + (size_t)ws->n;
		char *key = kn <= sizeof(kb) ? kb : malloc(kn);
		if (!key)
			goto oom;
		uint32_t g32 = (uint32_t)gi;
		memcpy(key, &g32, sizeof(g32));
		key[sizeof(g32)] = (char)uclass(ws);
		memcpy(key + sizeof(g32) + 1, ws->p, (size_t)ws->n);
		size_t dummy;
		int wr = hmap_get(&x->ws, key, kn, 0, &dummy);
		if (key != kb)
			free(key);
		if (wr < 0)
			goto oom;
		if (wr == 0)
			g->ws_distinct++;
		if (keep(&g->ws_min, ws, 0) < 0 || keep(&g->ws_max, ws, 1) < 0)
			goto oom;
	}
	if (!UNULL(type) && distinct_add(&g->types, &g->ntypes, &g->captypes, type) < 0)
		goto oom;
	if (!UNULL(status) && !(status->type == SQLITE_TEXT && status->n == 0) &&
	    distinct_add(&g->statuses, &g->nstatuses, &g->capstatuses, status) < 0)
		goto oom;
	/* the first attempt: ORDER BY time, record (NULL first), the first row
	 * of equals */
	int first = g->count == 1;
	if (!first) {
		int c = ucmp(t, &g->first_time);
		first = c < 0 || (c == 0 && ucmp(rec, &g->first_rec) < 0);
	}
	if (first && (uval_copy(&g->first_time, t) < 0 || uval_copy(&g->first_rec, rec) < 0 ||
	              uval_copy(&g->first_src, src) < 0))
		goto oom;
	return;
oom:
	x->oom = 1;
}

/* a successful logon in the window's bounds: the earliest per address */
static void add_success(failed_run *x, const uval *ip, const uval *t, long long rowid)
{
	if (UNULL(ip))
		return;
	char kb[512];
	size_t kn = 1 + (size_t)ip->n;
	char *key = kn <= sizeof(kb) ? kb : malloc(kn);
	if (!key)
		goto oom;
	key[0] = (char)uclass(ip);
	memcpy(key + 1, ip->p, (size_t)ip->n);
	size_t i;
	int r = hmap_get(&x->ips, key, kn, x->nipm, &i);
	if (key != kb)
		free(key);
	if (r < 0)
		goto oom;
	if (r == 0) {
		if (shodo_grow(&x->ipm, &x->capipm, x->nipm + 1) < 0)
			goto oom;
		memset(&x->ipm[x->nipm], 0, sizeof(x->ipm[0]));
		if (uval_copy(&x->ipm[x->nipm].ip, ip) < 0)
			goto oom;
		x->nipm++;
	} else if (ucmp(t, &x->ipm[i].time) >= 0) {
		return;
	}
	if (uval_copy(&x->ipm[i].time, t) < 0)
		goto oom;
	x->ipm[i].rowid = rowid;
	return;
oom:
	x->oom = 1;
}

static const group *sort_base;
static int cmp_group(const void *a, const void *b)
{
	const group *x = &sort_base[*(const size_t *)a], *y = &sort_base[*(const size_t *)b];
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	int c = ucmp(&x->tmin, &y->tmin);
	if (c)
		return c;
	size_t n = x->kn < y->kn ? x->kn : y->kn;
	c = memcmp(x->k, y->k, n);
	return c ? c : (x->kn > y->kn) - (x->kn < y->kn);
}

/* 1 when the first 19 characters of t (SQL substr) are <= cap */
int scope_le_cap(const char *t, int n, const char *cap)
{
	int i = 0;
	for (int chars = 0; i < n && chars < 19; chars++)
		if ((unsigned char)t[i++] >= 0xc0)
			while (i < n && ((unsigned char)t[i] & 0xc0) == 0x80)
				i++;
	size_t cl = strlen(cap), m = (size_t)i < cl ? (size_t)i : cl;
	int c = m ? memcmp(t, cap, m) : 0;
	return c < 0 || (c == 0 && (size_t)i <= cl);
}

shodo_status scope_failed_logons(shodo_triage_ctx *ctx, const char *cap, scope_logon_facts *out, shodo_err *err)
{
	sqlite3 *db = shodo_store_db(ctx->store);
	memset(out, 0, sizeof(*out));
	static const char q[] =
	    "SELECT CASE WHEN result = 'failure' OR event_id = 4625 THEN lower(coalesce(target_user,'')) || char(31) ||"
	    " coalesce(nullif(source_ip,'-'),'') || char(31) || CASE WHEN coalesce(nullif(source_ip,'-'),'') = ''"
	    " THEN lower(coalesce(workstation,'')) ELSE '' END END, target_user, nullif(source_ip,'-'),"
	    " nullif(workstation,'-'), time, logon_type, status, source, record, rowid,"
	    " CASE WHEN result = 'success' AND time >= '2000' AND substr(time,1,19) <= ?1 THEN"
	    "  CASE WHEN logon_type = 10 AND source_ip IS NOT NULL AND shodo_public_ip(source_ip) THEN 2 ELSE 1 END"
	    " END, source_ip FROM logons";
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, q, -1, &s, NULL) != SQLITE_OK)
		return shodo_err_set(err, SHODO_FATAL, 0, "scope: failed logons: %s", sqlite3_errmsg(db));
	sqlite3_bind_text(s, 1, cap, -1, SQLITE_TRANSIENT);
	failed_run *x = calloc(1, sizeof(*x));
	if (!x) {
		sqlite3_finalize(s);
		return shodo_err_set(err, SHODO_FATAL, 0, "scope: failed logons: out of memory");
	}
	uval newest = {0}, rdp_time = {0}, srcip = {0};
	int rc_step = SQLITE_DONE;
	while (!x->oom && (rc_step = sqlite3_step(s)) == SQLITE_ROW) {
		/* the newest time (the window's SELECT max(time) ... substr <= cap) */
		int tt = sqlite3_column_type(s, 4);
		if (tt == SQLITE_TEXT || tt == SQLITE_INTEGER || tt == SQLITE_FLOAT) {
			const char *t = (const char *)sqlite3_column_text(s, 4);
			int tn = sqlite3_column_bytes(s, 4);
			if (scope_le_cap(t, tn, cap) &&
			    (UNULL(&newest) || memcmp(t, newest.p, (size_t)(tn < newest.n ? tn : newest.n)) > 0 ||
			     (!memcmp(t, newest.p, (size_t)(tn < newest.n ? tn : newest.n)) && tn > newest.n)) &&
			    uval_from(&newest, s, 4) < 0)
				x->oom = 1;
		}
		int succ = sqlite3_column_int(s, 10);
		int failed = sqlite3_column_type(s, 0) != SQLITE_NULL;
		if (!failed && !succ)
			continue;
		for (int c = 0; c <= 8; c++)
			if (uval_from(&x->row[c], s, c) < 0)
				x->oom = 1;
		long long rowid = sqlite3_column_int64(s, 9);
		if (failed)
			add_failure(x, rowid);
		if (succ) {
			if (uval_from(&srcip, s, 11) < 0)
				x->oom = 1;
			add_success(x, &srcip, &x->row[4], rowid);
			if (succ == 2 && (!out->rdp_rowid || ucmp(&x->row[4], &rdp_time) < 0)) {
				out->rdp_rowid = rowid;
				if (uval_copy(&rdp_time, &x->row[4]) < 0)
					x->oom = 1;
			}
		}
	}
	shodo_status rc = SHODO_OK;
	if (x->oom)
		rc = shodo_err_set(err, SHODO_FATAL, 0, "scope: failed logons: out of memory");
	else if (rc_step != SQLITE_DONE)
		rc = shodo_err_set(err, SHODO_FATAL, 0, "scope: failed logons: %s", sqlite3_errmsg(db));
	sqlite3_finalize(s);
	if (!UNULL(&newest))
		snprintf(out->newest, sizeof(out->newest), "%s", newest.p);

	/* the groups, most attempts first */
	size_t *order = rc == SHODO_OK ? malloc((x->ng + 1) * sizeof(*order)) : NULL;
	if (rc == SHODO_OK && !order)
		rc = shodo_err_set(err, SHODO_FATAL, 0, "scope: failed logons: out of memory");
	sqlite3_stmt *ins = NULL;
	if (rc == SHODO_OK &&
	    sqlite3_prepare_v2(db,
	                       "INSERT INTO failed_logons(target_user, source_ip, workstation, count, first_time, last_time,"
	                       " logon_types, statuses, source, record) VALUES(?,?,?,?,?,?,?,?,?,?)",
	                       -1, &ins, NULL) != SQLITE_OK)
		rc = shodo_err_set(err, SHODO_FATAL, 0, "scope: failed logons: %s", sqlite3_errmsg(db));
	if (rc == SHODO_OK) {
		for (size_t i = 0; i < x->ng; i++)
			order[i] = i;
		sort_base = x->g;
		qsort(order, x->ng, sizeof(*order), cmp_group);
	}
	uval best_time = {0}, best_ip = {0};
	long long best_rowid = 0;
	for (size_t oi = 0; rc == SHODO_OK && oi < x->ng; oi++) {
		group *g = &x->g[order[oi]];
		/* GROUP BY target_user ORDER BY count(*) DESC, target_user */
		size_t bu = 0;
		for (size_t u = 1; u < g->nusers; u++)
			if (g->users[u].n > g->users[bu].n ||
			    (g->users[u].n == g->users[bu].n && ucmp(&g->users[u].v, &g->users[bu].v) < 0))
				bu = u;
		sqlite3_reset(ins);
		sqlite3_clear_bindings(ins);
		bind_uval(ins, 1, &g->users[bu].v);
		bind_uval(ins, 2, &g->ip);
		if (g->ws_distinct <= 1) {
			bind_uval(ins, 3, &g->ws_max);
		} else {
			char *w = NULL;
			if (asprintf(&w, "%.*s (+%lld more)", g->ws_min.n, g->ws_min.p, g->ws_distinct - 1) < 0)
				w = NULL;
			if (w)
				sqlite3_bind_text(ins, 3, w, -1, free);
		}
		sqlite3_bind_int64(ins, 4, g->count);
		bind_uval(ins, 5, &g->tmin);
		bind_uval(ins, 6, &g->tmax);
		char *types = joined(g->types, g->ntypes), *statuses = joined(g->statuses, g->nstatuses);
		if (types)
			sqlite3_bind_text(ins, 7, types, -1, free);
		if (statuses)
			sqlite3_bind_text(ins, 8, statuses, -1, free);
		bind_uval(ins, 9, &g->first_src);
		bind_uval(ins, 10, &g->first_rec);
		if (sqlite3_step(ins) != SQLITE_DONE)
			rc = shodo_err_set(err, SHODO_FATAL, 0, "scope: failed logons: %s", sqlite3_errmsg(db));
		/* a successful logon from an address with 10 or more failures: the
		 * earliest; equal times by address, as the index on it gave them */
		if (g->count >= 10 && !UNULL(&g->ip)) {
			char kb[512];
			size_t kn = 1 + (size_t)g->ip.n, i;
			char *key = kn <= sizeof(kb) ? kb : malloc(kn);
			if (key) {
				key[0] = (char)uclass(&g->ip);
				memcpy(key + 1, g->ip.p, (size_t)g->ip.n);
				int r = hmap_find(&x->ips, key, kn, &i);
				if (key != kb)
					free(key);
				if (r == 1) {
					int c = best_rowid ? ucmp(&x->ipm[i].time, &best_time) : -1;
					if (!c)
						c = ucmp(&x->ipm[i].ip, &best_ip);
					if (c < 0) {
						best_rowid = x->ipm[i].rowid;
						if (uval_copy(&best_time, &x->ipm[i].time) < 0 || uval_copy(&best_ip, &x->ipm[i].ip) < 0)
							rc = shodo_err_set(err, SHODO_FATAL, 0, "scope: failed logons: out of memory");
					}
				}
			}
		}
	}
	out->guess_rowid = best_rowid;
	sqlite3_finalize(ins);
	free(order);
	for (size_t i = 0; i < x->ng; i++)
		group_free(&x->g[i]);
	free(x->g);
	for (size_t i = 0; i < x->nipm; i++) {
		uval_free(&x->ipm[i].time);
		uval_free(&x->ipm[i].ip);
	}
	free(x->ipm);
	hmap_free(&x->keys);
	hmap_free(&x->ws);
	hmap_free(&x->ips);
	for (int c = 0; c < 12; c++)
		uval_free(&x->row[c]);
	free(x);
	uval *tmp[] = {&newest, &rdp_time, &srcip, &best_time, &best_ip};
	for (size_t i = 0; i < sizeof(tmp) / sizeof(tmp[0]); i++)
		uval_free(tmp[i]);
	return rc;
}
