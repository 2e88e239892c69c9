/*
 * triage/scope/tlrows.c — the timeline's rows gathered in memory, sorted
 * once and written with one prepared INSERT; and the set of the events'
 * (source, record) that tells which logons and persistence rows are already
 * on the timeline as events.
 *
 * Why not SQL alone: the timeline of a host with a large Security log is
 * hundreds of thousands of rows.  Written into a temporary table and copied
 * out with ORDER BY, SQLite's sorter spent 0.48 s on the bench host (305,816
 * rows, 2.6 s of scoping in all) and the "not already there as an event"
 * test (NOT EXISTS per logon, 229,477 index probes on a long text key) 0.23
 * s.  Here the rows are sorted by a stable merge sort that skips the merge
 * of runs already in order (the logs are written nearly in time order), and
 * the events' keys are held in a hash: together with the single passes in
 * scope.c the timeline takes a fraction of that.
 *
 * Same answers: the order is the one the SQL gave (time, kind, what, then
 * the order the rows were gathered in, which is the order they were
 * inserted into the temporary table: SQLite's sorter is stable), values keep
 * the SQL types and the column affinities of the temporary table (TEXT for
 * the text columns, so a number is compared as its text).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "scope.h"
#include "shodo/buf.h"

/* ---- arena ---- */

#define BLOCK (4u << 20)

typedef struct block {
	struct block *next;
	size_t used, cap;
	char data[];
} block;

static const char *arena_copy(block **head, const void *p, size_t n)
{
	block *b = *head;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > BLOCK / 4 ? n : BLOCK;
		block *nb = malloc(sizeof(*nb) + cap);
		if (!nb)
			return NULL;
		nb->used = 0;
		nb->cap = cap;
		if (n > BLOCK / 4 && b) {
			/* a large value gets its own block behind the current one */
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			*head = nb;
		}
		b = nb;
	}
	char *r = b->data + b->used;
	if (n)
		memcpy(r, p, n);
	b->used += n;
	return r;
}

static void arena_free(block *b)
{
	while (b) {
		block *n = b->next;
		free(b);
		b = n;
	}
}

/* ---- rows ---- */

/* a value of a TEXT column: NULL (n < 0), text, or a blob */
typedef struct tstr {
	const char *p;
	int n;
	int blob;
} tstr;

typedef struct trow {
	tstr c[5];   /* time, kind, what, detail, source */
	tstr rtext;  /* record when text or blob */
	union {
		long long i;
		double d;
	} r;
	int rtype;   /* SQLITE_INTEGER ... SQLITE_NULL */
} trow;

struct scope_tl {
	block *arena;
	trow *rows;
	size_t n, cap, written;
	struct skey *order;
	int oom;
};

size_t scope_tl_written(const scope_tl *tl) { return tl->written; }

scope_tl *scope_tl_new(void) { return calloc(1, sizeof(scope_tl)); }

void scope_tl_free(scope_tl *tl)
{
	if (!tl)
		return;
	arena_free(tl->arena);
	free(tl->rows);
	free(tl->order);
	free(tl);
}

/* column c of s as the TEXT affinity stores it */
static int get_text(scope_tl *tl, sqlite3_stmt *s, int c, tstr *out)
{
	int t = sqlite3_column_type(s, c);
	out->blob = 0;
	if (t == SQLITE_NULL) {
		out->p = NULL;
		out->n = -1;
		return 0;
	}
	const void *p;
	if (t == SQLITE_BLOB) {
		p = sqlite3_column_blob(s, c);
		out->blob = 1;
	} else {
		p = sqlite3_column_text(s, c);
	}
	int n = sqlite3_column_bytes(s, c);
	out->n = n;
	out->p = arena_copy(&tl->arena, p, (size_t)n);
	return out->p ? 0 : -1;
}

int scope_tl_add(scope_tl *tl, sqlite3_stmt *s, int first)
{
	if (tl->oom || shodo_grow(&tl->rows, &tl->cap, tl->n + 1) < 0) {
		tl->oom = 1;
		return -1;
	}
	trow *r = &tl->rows[tl->n];
	memset(r, 0, sizeof(*r));
	for (int i = 0; i < 5; i++)
		if (get_text(tl, s, first + i, &r->c[i]) < 0) {
			tl->oom = 1;
			return -1;
		}
	r->rtype = sqlite3_column_type(s, first + 5);
	if (r->rtype == SQLITE_INTEGER) {
		r->r.i = sqlite3_column_int64(s, first + 5);
	} else if (r->rtype == SQLITE_FLOAT) {
		r->r.d = sqlite3_column_double(s, first + 5);
	} else if (r->rtype != SQLITE_NULL && get_text(tl, s, first + 5, &r->rtext) < 0) {
		tl->oom = 1;
		return -1;
	}
	tl->n++;
	return 0;
}

int scope_tl_add_text(scope_tl *tl, const char *const v[5])
{
	if (tl->oom || shodo_grow(&tl->rows, &tl->cap, tl->n + 1) < 0) {
		tl->oom = 1;
		return -1;
	}
	trow *r = &tl->rows[tl->n];
	memset(r, 0, sizeof(*r));
	for (int i = 0; i < 5; i++) {
		/* bound the way shodo_bind_text binds: "" is NULL */
		if (!v[i] || !*v[i]) {
			r->c[i].n = -1;
			continue;
		}
		r->c[i].n = (int)strlen(v[i]);
		if (!(r->c[i].p = arena_copy(&tl->arena, v[i], (size_t)r->c[i].n))) {
			tl->oom = 1;
			return -1;
		}
	}
	r->rtype = SQLITE_NULL;
	tl->n++;
	return 0;
}

/* SQLite's order of two values of a TEXT column, BINARY collation: NULL,
 * then text, then blobs; bytes, then length */
static int cmp_tstr(const tstr *a, const tstr *b)
{
	int ca = a->n < 0 ? 0 : a->blob ? 2 : 1, cb = b->n < 0 ? 0 : b->blob ? 2 : 1;
	if (ca != cb || !ca)
		return ca - cb;
	int n = a->n < b->n ? a->n : b->n;
	int c = n ? memcmp(a->p, b->p, (size_t)n) : 0;
	return c ? c : a->n - b->n;
}

static int cmp_row(const trow *a, const trow *b)
{
	int c = cmp_tstr(&a->c[0], &b->c[0]);
	if (!c)
		c = cmp_tstr(&a->c[1], &b->c[1]);
	if (!c)
		c = cmp_tstr(&a->c[2], &b->c[2]);
	return c;
}

/* the sort key: the class of the time and its first 32 bytes, big-endian,
 * zero-padded (the same order as the bytes then the length; equal keys are
 * compared in full) */
typedef struct skey {
	uint64_t k[4];
	uint32_t ix;
	uint16_t cls;
	uint16_t len;   /* of the time when 32 bytes or fewer, else LONG */
} skey;
#define LONG 0xffff

static void make_key(const trow *r, uint32_t ix, skey *k)
{
	const tstr *t = &r->c[0];
	memset(k, 0, sizeof(*k));
	k->ix = ix;
	k->cls = t->n < 0 ? 0 : t->blob ? 2 : 1;
	k->len = t->n >= 0 && t->n <= 32 ? (uint16_t)t->n : LONG;
	for (int w = 0; w < 4; w++)
		for (int b = 0; b < 8; b++) {
			int at = w * 8 + b;
			k->k[w] = k->k[w] << 8 | (uint64_t)(at < t->n ? (unsigned char)t->p[at] : 0);
		}
}

static int cmp_key(const trow *rows, const skey *a, const skey *b)
{
	if (a->cls != b->cls)
		return a->cls < b->cls ? -1 : 1;
	for (int w = 0; w < 4; w++)
		if (a->k[w] != b->k[w])
			return a->k[w] < b->k[w] ? -1 : 1;
	if (a->len == LONG || b->len == LONG)
		return cmp_row(&rows[a->ix], &rows[b->ix]);
	/* both times whole in the key: equal unless one is longer (by zero
	 * bytes) */
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	const trow *x = &rows[a->ix], *y = &rows[b->ix];
	int c = cmp_tstr(&x->c[1], &y->c[1]);
	return c ? c : cmp_tstr(&x->c[2], &y->c[2]);
}

/* a stable merge sort of the runs already in order (the logs are written
 * nearly in time order: on the bench host 305,816 rows are a few thousand
 * runs); runs shorter than MINRUN are made by insertion first */
#define MINRUN 32
static int sort_rows(const trow *rows, skey *v, size_t n)
{
	size_t *runs = malloc((n / MINRUN + 2) * sizeof(*runs) * 2 + sizeof(*runs));
	skey *tmp = malloc(n * sizeof(*tmp) + 1);
	if (!runs || !tmp) {
		free(runs);
		free(tmp);
		return -1;
	}
	/* runs[i] .. runs[i + 1]: in order */
	size_t nr = 0;
	for (size_t lo = 0; lo < n;) {
		size_t hi = lo + 1;
		while (hi < n && cmp_key(rows, &v[hi - 1], &v[hi]) <= 0)
			hi++;
		if (hi - lo < MINRUN && hi < n) {
			size_t end = lo + MINRUN < n ? lo + MINRUN : n;
			for (; hi < end; hi++) {
				/* insertion: after every equal one */
				skey x = v[hi];
				size_t j = hi;
				while (j > lo && cmp_key(rows, &v[j - 1], &x) > 0) {
					v[j] = v[j - 1];
					j--;
				}
				v[j] = x;
			}
		}
		runs[nr++] = lo;
		lo = hi;
	}
	runs[nr] = n;
	skey *src = v, *dst = tmp;
	while (nr > 1) {
		size_t out = 0;
		for (size_t r = 0; r < nr; r += 2) {
			size_t lo = runs[r], mid = runs[r + 1], hi = r + 2 <= nr ? runs[r + 2] : mid;
			runs[out++] = lo;
			if (r + 1 >= nr || cmp_key(rows, &src[mid - 1], &src[mid]) <= 0) {
				memcpy(dst + lo, src + lo, (hi - lo) * sizeof(*src));
				continue;
			}
			size_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				dst[k++] = cmp_key(rows, &src[j], &src[i]) < 0 ? src[j++] : src[i++];
			while (i < mid)
				dst[k++] = src[i++];
			while (j < hi)
				dst[k++] = src[j++];
		}
		runs[out] = n;
		nr = out;
		skey *t = src;
		src = dst;
		dst = t;
	}
	if (src != v)
		memcpy(v, src, n * sizeof(*v));
	free(tmp);
	free(runs);
	return 0;
}

/* ---- the sorted rows as a table, read by one INSERT ... SELECT (a
 * prepared INSERT stepped once per row cost twice as much: every step
 * opens the table and its index again) ---- */

typedef struct tl_vtab {
	sqlite3_vtab base;
	scope_tl *tl;
} tl_vtab;

typedef struct tl_cursor {
	sqlite3_vtab_cursor base;
	scope_tl *tl;
	size_t at;
} tl_cursor;

static int tl_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **errp)
{
	(void)argc;
	(void)argv;
	(void)errp;
	int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(time, kind, what, detail, source, record)");
	if (rc != SQLITE_OK)
		return rc;
	tl_vtab *v = sqlite3_malloc(sizeof(*v));
	if (!v)
		return SQLITE_NOMEM;
	memset(v, 0, sizeof(*v));
	v->tl = aux;
	*out = &v->base;
	return SQLITE_OK;
}

static int tl_disconnect(sqlite3_vtab *v)
{
	sqlite3_free(v);
	return SQLITE_OK;
}

static int tl_best_index(sqlite3_vtab *v, sqlite3_index_info *info)
{
	(void)v;
	info->estimatedCost = 1e6;
	return SQLITE_OK;
}

static int tl_open(sqlite3_vtab *v, sqlite3_vtab_cursor **out)
{
	tl_cursor *c = sqlite3_malloc(sizeof(*c));
	if (!c)
		return SQLITE_NOMEM;
	memset(c, 0, sizeof(*c));
	c->tl = ((tl_vtab *)v)->tl;
	*out = &c->base;
	return SQLITE_OK;
}

static int tl_close(sqlite3_vtab_cursor *c)
{
	sqlite3_free(c);
	return SQLITE_OK;
}

/* WHERE time IS NOT NULL AND time <> '' */
static void tl_skip(tl_cursor *c)
{
	while (c->at < c->tl->n) {
		const tstr *t = &c->tl->rows[c->tl->order[c->at].ix].c[0];
		if (t->n > 0 || (t->n == 0 && t->blob))
			break;
		c->at++;
	}
}

static int tl_filter(sqlite3_vtab_cursor *cur, int num, const char *str, int argc, sqlite3_value **argv)
{
	(void)num;
	(void)str;
	(void)argc;
	(void)argv;
	tl_cursor *c = (tl_cursor *)cur;
	c->at = 0;
	tl_skip(c);
	return SQLITE_OK;
}

static int tl_next(sqlite3_vtab_cursor *cur)
{
	tl_cursor *c = (tl_cursor *)cur;
	c->at++;
	tl_skip(c);
	return SQLITE_OK;
}

static int tl_eof(sqlite3_vtab_cursor *cur)
{
	tl_cursor *c = (tl_cursor *)cur;
	return c->at >= c->tl->n;
}

static void result_tstr(sqlite3_context *x, const tstr *v)
{
	if (v->n < 0)
		sqlite3_result_null(x);
	else if (v->blob)
		sqlite3_result_blob(x, v->p, v->n, SQLITE_STATIC);
	else
		sqlite3_result_text(x, v->n ? v->p : "", v->n, SQLITE_STATIC);
}

static int tl_column(sqlite3_vtab_cursor *cur, sqlite3_context *x, int i)
{
	tl_cursor *c = (tl_cursor *)cur;
	const trow *r = &c->tl->rows[c->tl->order[c->at].ix];
	if (i < 5)
		result_tstr(x, &r->c[i]);
	else if (r->rtype == SQLITE_INTEGER)
		sqlite3_result_int64(x, r->r.i);
	else if (r->rtype == SQLITE_FLOAT)
		sqlite3_result_double(x, r->r.d);
	else if (r->rtype == SQLITE_NULL)
		sqlite3_result_null(x);
	else
		result_tstr(x, &r->rtext);
	return SQLITE_OK;
}

static int tl_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *out)
{
	*out = (sqlite3_int64)((tl_cursor *)cur)->at;
	return SQLITE_OK;
}

static const sqlite3_module tl_module = {
	.iVersion = 0,
	.xCreate = NULL, /* eponymous only */
	.xConnect = tl_connect,
	.xBestIndex = tl_best_index,
	.xDisconnect = tl_disconnect,
	.xDestroy = tl_disconnect,
	.xOpen = tl_open,
	.xClose = tl_close,
	.xFilter = tl_filter,
	.xNext = tl_next,
	.xEof = tl_eof,
	.xColumn = tl_column,
	.xRowid = tl_rowid,
};

shodo_status scope_tl_write(scope_tl *tl, shodo_triage_ctx *ctx, shodo_err *err)
{
	if (tl->oom)
		return shodo_err_set(err, SHODO_FATAL, 0, "scope: timeline: out of memory");
	if (tl->n > UINT32_MAX)
		return shodo_err_set(err, SHODO_FATAL, 0, "scope: timeline: too many rows");
	tl->order = malloc(tl->n * sizeof(*tl->order) + 1);
	if (!tl->order)
		return shodo_err_set(err, SHODO_FATAL, 0, "scope: timeline: out of memory");
	for (size_t i = 0; i < tl->n; i++)
		make_key(&tl->rows[i], (uint32_t)i, &tl->order[i]);
	if (sort_rows(tl->rows, tl->order, tl->n) < 0)
		return shodo_err_set(err, SHODO_FATAL, 0, "scope: timeline: out of memory");
	sqlite3 *db = shodo_store_db(ctx->store);
	if (sqlite3_create_module(db, "shodo_tl", &tl_module, tl) != SQLITE_OK)
		return shodo_err_set(err, SHODO_FATAL, 0, "scope: timeline: %s", sqlite3_errmsg(db));
	shodo_status rc = shodo_store_exec(ctx->store,
	                                   "INSERT INTO timeline(time, kind, what, detail, source, record)"
	                                   " SELECT time, kind, what, detail, source, record FROM shodo_tl",
	                                   err);
	if (rc == SHODO_OK)
		tl->written = (size_t)sqlite3_changes64(db);
	else
		shodo_err_prefix(err, "scope: timeline");
	sqlite3_create_module(db, "shodo_tl", NULL, NULL);
	return rc;
}

/* ---- the events' (source, record) ---- */

typedef struct seen_key {
	long long rec;
	int src;      /* index into srcs + 1; 0 = empty slot */
} seen_key;

struct scope_seen {
	block *arena;
	tstr *srcs;
	size_t nsrc, capsrc, last;
	seen_key *slots;
	size_t nslot, used;
	sqlite3 *db;
	sqlite3_stmt *probe;   /* the exact test for unusual values */
	int oom;
};

scope_seen *scope_seen_new(sqlite3 *db)
{
	scope_seen *x = calloc(1, sizeof(*x));
	if (x)
		x->db = db;
	return x;
}

void scope_seen_free(scope_seen *x)
{
	if (!x)
		return;
	sqlite3_finalize(x->probe);
	arena_free(x->arena);
	free(x->srcs);
	free(x->slots);
	free(x);
}

static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 33);
}

/* the source's number (1-based), 0 when unknown; add: intern it */
static int src_id(scope_seen *x, const void *p, int n, int blob, int add)
{
	/* a log's rows come together: the last one first */
	if (x->nsrc) {
		const tstr *l = &x->srcs[x->last];
		if (l->n == n && l->blob == blob && !memcmp(l->p, p, (size_t)n))
			return (int)x->last + 1;
	}
	for (size_t i = 0; i < x->nsrc; i++)
		if (x->srcs[i].n == n && x->srcs[i].blob == blob && !memcmp(x->srcs[i].p, p, (size_t)n)) {
			x->last = i;
			return (int)i + 1;
		}
	if (!add)
		return 0;
	if (shodo_grow(&x->srcs, &x->capsrc, x->nsrc + 1) < 0)
		return -1;
	const char *c = arena_copy(&x->arena, p, (size_t)n);
	if (!c)
		return -1;
	x->srcs[x->nsrc] = (tstr){c, n, blob};
	x->last = x->nsrc++;
	return (int)x->nsrc;
}

static size_t slot_of(const scope_seen *x, int src, long long rec)
{
	return (size_t)mix((uint64_t)rec * 31 + (uint64_t)src) & (x->nslot - 1);
}

static int seen_has(const scope_seen *x, int src, long long rec)
{
	if (!x->nslot)
		return 0;
	for (size_t i = slot_of(x, src, rec);; i = (i + 1) & (x->nslot - 1)) {
		if (!x->slots[i].src)
			return 0;
		if (x->slots[i].src == src && x->slots[i].rec == rec)
			return 1;
	}
}

static int seen_put(scope_seen *x, int src, long long rec)
{
	if ((x->used + 1) * 2 > x->nslot) {
		size_t nn = x->nslot ? x->nslot * 2 : 1024;
		seen_key *ns = calloc(nn, sizeof(*ns));
		if (!ns)
			return -1;
		seen_key *old = x->slots;
		size_t on = x->nslot;
		x->slots = ns;
		x->nslot = nn;
		for (size_t i = 0; i < on; i++)
			if (old[i].src) {
				size_t j = slot_of(x, old[i].src, old[i].rec);
				while (ns[j].src)
					j = (j + 1) & (nn - 1);
				ns[j] = old[i];
			}
		free(old);
	}
	size_t j = slot_of(x, src, rec);
	for (; x->slots[j].src; j = (j + 1) & (x->nslot - 1))
		if (x->slots[j].src == src && x->slots[j].rec == rec)
			return 0;
	x->slots[j].src = src;
	x->slots[j].rec = rec;
	x->used++;
	return 0;
}

int scope_seen_add(scope_seen *x, sqlite3_stmt *s, int c)
{
	int ts = sqlite3_column_type(s, c), tr = sqlite3_column_type(s, c + 1);
	/* only a text (or blob) source with a number for a record is kept: an
	 * unusual value is tested by the query itself */
	if ((ts != SQLITE_TEXT && ts != SQLITE_BLOB) || tr != SQLITE_INTEGER)
		return 0;
	const void *p = ts == SQLITE_BLOB ? sqlite3_column_blob(s, c) : (const void *)sqlite3_column_text(s, c);
	int id = src_id(x, p, sqlite3_column_bytes(s, c), ts == SQLITE_BLOB, 1);
	if (id <= 0 || seen_put(x, id, sqlite3_column_int64(s, c + 1)) < 0) {
		x->oom = 1;
		return -1;
	}
	return 0;
}

int scope_seen_failed(const scope_seen *x) { return x->oom; }

/* SQL shodo_seen(source, record): EXISTS (SELECT 1 FROM events e WHERE
 * e.source = source AND e.record = record) */
static void sql_seen(sqlite3_context *c, int argc, sqlite3_value **v)
{
	(void)argc;
	scope_seen *x = sqlite3_user_data(c);
	int ts = sqlite3_value_type(v[0]), tr = sqlite3_value_type(v[1]);
	if (ts == SQLITE_NULL || tr == SQLITE_NULL) {
		sqlite3_result_int(c, 0);
		return;
	}
	if ((ts == SQLITE_TEXT || ts == SQLITE_BLOB) && tr == SQLITE_INTEGER) {
		const void *p = ts == SQLITE_BLOB ? sqlite3_value_blob(v[0]) : (const void *)sqlite3_value_text(v[0]);
		int id = src_id(x, p, sqlite3_value_bytes(v[0]), ts == SQLITE_BLOB, 0);
		sqlite3_result_int(c, id > 0 && seen_has(x, id, sqlite3_value_int64(v[1])));
		return;
	}
	if (!x->probe && sqlite3_prepare_v2(x->db, "SELECT 1 FROM events e WHERE e.source = ?1 AND e.record = ?2", -1,
	                                    &x->probe, NULL) != SQLITE_OK) {
		sqlite3_result_error(c, sqlite3_errmsg(x->db), -1);
		return;
	}
	sqlite3_reset(x->probe);
	sqlite3_bind_value(x->probe, 1, v[0]);
	sqlite3_bind_value(x->probe, 2, v[1]);
	sqlite3_result_int(c, sqlite3_step(x->probe) == SQLITE_ROW);
	sqlite3_reset(x->probe);
}

int scope_seen_register(scope_seen *x)
{
	return sqlite3_create_function(x->db, "shodo_seen", 2, SQLITE_UTF8, x, sql_seen, NULL, NULL) == SQLITE_OK ? 0
	                                                                                                          : -1;
}

void scope_seen_unregister(sqlite3 *db)
{
	sqlite3_create_function(db, "shodo_seen", 2, SQLITE_UTF8, NULL, NULL, NULL, NULL);
}

/* ---- pairs of numbers as a table: one UPDATE ... FROM instead of one
 * statement per row ---- */

typedef struct pairs_vtab {
	sqlite3_vtab base;
	const long long *v;
	size_t n;
} pairs_vtab;

typedef struct pairs_cursor {
	sqlite3_vtab_cursor base;
	const pairs_vtab *t;
	size_t at;
} pairs_cursor;

typedef struct pairs_src {
	const long long *v;
	size_t n;
} pairs_src;

static int pairs_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **errp)
{
	(void)argc;
	(void)argv;
	(void)errp;
	int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(a INTEGER, b INTEGER)");
	if (rc != SQLITE_OK)
		return rc;
	pairs_vtab *v = sqlite3_malloc(sizeof(*v));
	if (!v)
		return SQLITE_NOMEM;
	memset(v, 0, sizeof(*v));
	const pairs_src *src = aux;
	v->v = src->v;
	v->n = src->n;
	*out = &v->base;
	return SQLITE_OK;
}

static int pairs_best_index(sqlite3_vtab *v, sqlite3_index_info *info)
{
	/* only ever scanned: cheap as the outer loop, dear as an inner one */
	info->estimatedCost = (double)((pairs_vtab *)v)->n + 1;
	info->estimatedRows = (sqlite3_int64)((pairs_vtab *)v)->n + 1;
	for (int i = 0; i < info->nConstraint; i++)
		if (info->aConstraint[i].usable)
			info->estimatedCost *= 1e6;
	return SQLITE_OK;
}

static int pairs_open(sqlite3_vtab *v, sqlite3_vtab_cursor **out)
{
	pairs_cursor *c = sqlite3_malloc(sizeof(*c));
	if (!c)
		return SQLITE_NOMEM;
	memset(c, 0, sizeof(*c));
	c->t = (const pairs_vtab *)v;
	*out = &c->base;
	return SQLITE_OK;
}

static int pairs_filter(sqlite3_vtab_cursor *cur, int num, const char *str, int argc, sqlite3_value **argv)
{
	(void)num;
	(void)str;
	(void)argc;
	(void)argv;
	((pairs_cursor *)cur)->at = 0;
	return SQLITE_OK;
}

static int pairs_next(sqlite3_vtab_cursor *cur)
{
	((pairs_cursor *)cur)->at++;
	return SQLITE_OK;
}

static int pairs_eof(sqlite3_vtab_cursor *cur)
{
	const pairs_cursor *c = (const pairs_cursor *)cur;
	return c->at >= c->t->n;
}

static int pairs_column(sqlite3_vtab_cursor *cur, sqlite3_context *x, int i)
{
	const pairs_cursor *c = (const pairs_cursor *)cur;
	sqlite3_result_int64(x, c->t->v[2 * c->at + (i ? 1 : 0)]);
	return SQLITE_OK;
}

static int pairs_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *out)
{
	*out = (sqlite3_int64)((pairs_cursor *)cur)->at;
	return SQLITE_OK;
}

static const sqlite3_module pairs_module = {
	.iVersion = 0,
	.xCreate = NULL, /* eponymous only */
	.xConnect = pairs_connect,
	.xBestIndex = pairs_best_index,
	.xDisconnect = tl_disconnect,
	.xDestroy = tl_disconnect,
	.xOpen = pairs_open,
	.xClose = tl_close,
	.xFilter = pairs_filter,
	.xNext = pairs_next,
	.xEof = pairs_eof,
	.xColumn = pairs_column,
	.xRowid = pairs_rowid,
};

shodo_status scope_pairs_exec(shodo_store *store, const long long *pairs, size_t n, const char *sql, shodo_err *err)
{
	sqlite3 *db = shodo_store_db(store);
	pairs_src src = {pairs, n};
	if (sqlite3_create_module(db, "shodo_pairs", &pairs_module, &src) != SQLITE_OK)
		return shodo_err_set(err, SHODO_FATAL, 0, "scope: %s", sqlite3_errmsg(db));
	shodo_status rc = shodo_store_exec(store, sql, err);
	sqlite3_create_module(db, "shodo_pairs", NULL, NULL);
	return rc;
}
