/*
 * triage/store_tally.c — shodo parse's per-file summary of the two large
 * tables, tallied while the rows are stored instead of queried afterwards.
 *
 * The summary's GROUP BY queries over logons and events read every row of
 * the file again (and needed an index on logons(source, record) built for
 * them alone): on a brute-force Security log, where every record is a
 * logons and an events row, they were a sixth of shodo parse's CPU.  The
 * tallies give the same lines as those queries did, value for value and
 * in the same order:
 *
 *   logons: per (result, logon_type), NULLs first, then by value: the count
 *     and the distinct source addresses in the order of their first row by
 *     (record, insertion);  ordered by count, largest first, at most 12
 *     lines;
 *   events: per category but those LIKE 'logo%' or 'rdp_%': the count and
 *     the first .. last time; ordered by count, largest first.
 * Equal counts come in the order SQLite gave them: group order for logons,
 * reverse group order for events (tested against the queries in
 * tests/parsers/parse_summary.sh).
 *
 * A rollback (a file whose parse failed leaves no rows) takes the tallies
 * back to the transaction's start; a rollback that cannot (it touched a
 * file tallied in an earlier transaction) marks them unusable and the
 * caller queries the rows.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "shodo/buf.h"
#include "store_tally.h"

enum { G_LOGON, G_EVENT };

struct tstr {
	char *s;     /* NULL: SQL NULL */
	size_t cap;
};

struct group {
	char *source, *key;   /* key: result (logons), category (events) */
	int kind, type;       /* type: logon type, INT_MIN for NULL */
	long long n;
	struct tstr tmin, tmax;
	size_t *ips, nips, cap;  /* entries of this group, in first-seen order */
};

struct entry {
	size_t group;
	char *ip;
	long long record;    /* the smallest record number of a row with this address */
	uint64_t seq;        /* that row's insertion number */
};

struct store_tally {
	struct group *g;
	size_t ng, gcap;
	struct entry *e;
	size_t ne, ecap;
	size_t *bucket;      /* entry index + 1; 0 empty */
	size_t nbucket;
	size_t last[2];      /* the last group hit, per kind (+1) */
	uint64_t seq;
	size_t mark_g, mark_e;
	int touched_old, broken;
};

static int set_str(struct tstr *t, const char *v)
{
	size_t l = strlen(v) + 1;
	if (l > t->cap) {
		size_t cap = l < 48 ? 48 : l;
		char *n = realloc(t->s, cap);
		if (!n)
			return -1;
		t->s = n;
		t->cap = cap;
	}
	memcpy(t->s, v, l);
	return 0;
}

struct store_tally *store_tally_new(void)
{
	return calloc(1, sizeof(struct store_tally));
}

static void group_free(struct group *g)
{
	free(g->source);
	free(g->key);
	free(g->tmin.s);
	free(g->tmax.s);
	free(g->ips);
}

void store_tally_free(struct store_tally *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->ng; i++)
		group_free(&t->g[i]);
	for (size_t i = 0; i < t->ne; i++)
		free(t->e[i].ip);
	free(t->g);
	free(t->e);
	free(t->bucket);
	free(t);
}

int store_tally_usable(const struct store_tally *t)
{
	return t && !t->broken;
}

/* NULL-aware equality of two texts (pointers first: callers pass literals) */
static int same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static struct group *find_group(struct store_tally *t, int kind, const char *source, const char *key, int type)
{
	size_t l = t->last[kind];
	if (l) {
		struct group *g = &t->g[l - 1];
		if (g->type == type && same(g->source, source) && same(g->key, key))
			goto hit;
	}
	for (size_t i = t->ng; i-- > 0;) {
		struct group *g = &t->g[i];
		if (g->kind == kind && g->type == type && same(g->source, source) && same(g->key, key)) {
			l = i + 1;
			goto hit;
		}
	}
	if (shodo_grow(&t->g, &t->gcap, t->ng + 1) < 0)
		return NULL;
	struct group *g = &t->g[t->ng];
	memset(g, 0, sizeof(*g));
	g->kind = kind;
	g->type = type;
	g->source = strdup(source);
	g->key = key ? strdup(key) : NULL;
	if (!g->source || (key && !g->key)) {
		group_free(g);
		return NULL;
	}
	t->ng++;
	t->last[kind] = t->ng;
	return g;
hit:
	t->last[kind] = l;
	if (l - 1 < t->mark_g)
		t->touched_old = 1;
	return &t->g[l - 1];
}

static uint64_t hash_ip(size_t group, const char *ip)
{
	uint64_t h = 1469598103934665603ULL ^ ((uint64_t)group * 0x9E3779B97F4A7C15ULL);
	for (const unsigned char *p = (const unsigned char *)ip; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return h ^ (h >> 29);
}

static int rehash(struct store_tally *t, size_t nb)
{
	size_t *b = calloc(nb, sizeof(*b));
	if (!b)
		return -1;
	for (size_t i = 0; i < t->ne; i++) {
		size_t k = (size_t)hash_ip(t->e[i].group, t->e[i].ip) & (nb - 1);
		while (b[k])
			k = (k + 1) & (nb - 1);
		b[k] = i + 1;
	}
	free(t->bucket);
	t->bucket = b;
	t->nbucket = nb;
	return 0;
}

static int add_ip(struct store_tally *t, size_t gi, const char *ip, long long record)
{
	if ((t->ne + 1) * 2 > t->nbucket && rehash(t, t->nbucket ? t->nbucket * 2 : 256) < 0)
		return -1;
	size_t k = (size_t)hash_ip(gi, ip) & (t->nbucket - 1);
	for (; t->bucket[k]; k = (k + 1) & (t->nbucket - 1)) {
		struct entry *e = &t->e[t->bucket[k] - 1];
		if (e->group == gi && !strcmp(e->ip, ip)) {
			if (record < e->record) {
				e->record = record;
				e->seq = t->seq;
			}
			return 0;
		}
	}
	struct group *g = &t->g[gi];
	if (shodo_grow(&t->e, &t->ecap, t->ne + 1) < 0 || shodo_grow(&g->ips, &g->cap, g->nips + 1) < 0)
		return -1;
	char *c = strdup(ip);
	if (!c)
		return -1;
	t->e[t->ne] = (struct entry){.group = gi, .ip = c, .record = record, .seq = t->seq};
	g->ips[g->nips++] = t->ne;
	t->ne++;
	t->bucket[k] = t->ne;
	return 0;
}

static const char *nn(const char *v)
{
	return v && *v ? v : NULL;
}

int store_tally_logon(struct store_tally *t, const char *source, const char *result, int logon_type, const char *ip,
                      long long record)
{
	if (!t || t->broken || !nn(source))
		return 0;
	t->seq++;
	struct group *g = find_group(t, G_LOGON, source, nn(result), logon_type >= 0 ? logon_type : INT_MIN);
	if (!g || (nn(ip) && add_ip(t, (size_t)(g - t->g), ip, record) < 0)) {
		t->broken = 1;
		return -1;
	}
	g->n++;
	return 0;
}

int store_tally_event(struct store_tally *t, const char *source, const char *category, const char *time)
{
	if (!t || t->broken || !nn(source))
		return 0;
	t->seq++;
	struct group *g = find_group(t, G_EVENT, source, nn(category), INT_MIN);
	if (!g) {
		t->broken = 1;
		return -1;
	}
	g->n++;
	time = nn(time);
	if (time) {
		/* min(time), max(time): BINARY order */
		if ((!g->tmin.s || strcmp(time, g->tmin.s) < 0) && set_str(&g->tmin, time) < 0)
			t->broken = 1;
		if ((!g->tmax.s || strcmp(time, g->tmax.s) > 0) && set_str(&g->tmax, time) < 0)
			t->broken = 1;
	}
	return 0;
}

void store_tally_mark(struct store_tally *t)
{
	if (!t)
		return;
	t->mark_g = t->ng;
	t->mark_e = t->ne;
	t->touched_old = 0;
}

void store_tally_rollback(struct store_tally *t)
{
	if (!t || t->broken)
		return;
	if (t->touched_old) {
		t->broken = 1;
		return;
	}
	while (t->ng > t->mark_g)
		group_free(&t->g[--t->ng]);
	while (t->ne > t->mark_e)
		free(t->e[--t->ne].ip);
	t->last[0] = t->last[1] = 0;
	if (t->nbucket && rehash(t, t->nbucket) < 0)
		t->broken = 1;
}

/* ---- the summary lines ---- */

static int cmp_text(const char *a, const char *b)
{
	if (!a || !b)
		return a ? 1 : b ? -1 : 0;  /* NULL first */
	return strcmp(a, b);
}

static const struct store_tally *sort_t;

/* GROUP BY order: key, then type (NULL first) */
static int cmp_group(const void *x, const void *y)
{
	const struct group *a = &sort_t->g[*(const size_t *)x], *b = &sort_t->g[*(const size_t *)y];
	int c = cmp_text(a->key, b->key);
	if (c)
		return c;
	return a->type < b->type ? -1 : a->type > b->type;
}

static int cmp_entry(const void *x, const void *y)
{
	const struct entry *a = &sort_t->e[*(const size_t *)x], *b = &sort_t->e[*(const size_t *)y];
	if (a->record != b->record)
		return a->record < b->record ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int excluded(const char *category)
{
	/* category NOT LIKE 'logo%' AND category NOT LIKE 'rdp_%' (NULL fails both) */
	return !category || !strncasecmp(category, "logo", 4) || (!strncasecmp(category, "rdp", 3) && category[3]);
}

int store_tally_lines(struct store_tally *t, const char *source, int events, void (*line)(void *ud, char *text),
                      void *ud)
{
	if (!store_tally_usable(t))
		return -1;
	int kind = events ? G_EVENT : G_LOGON;
	size_t *v = NULL, n = 0, cap = 0;
	for (size_t i = 0; i < t->ng; i++) {
		const struct group *g = &t->g[i];
		if (g->kind != kind || !same(g->source, source) || (events && excluded(g->key)))
			continue;
		if (shodo_grow(&v, &cap, n + 1) < 0) {
			free(v);
			return -1;
		}
		v[n++] = i;
	}
	sort_t = t;
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_group);
	/* ORDER BY count(*) DESC: the events query's sorter gives ties in
	 * reverse group order, the logons query's (LIMIT: a temporary index
	 * with a sequence number) in group order; then a stable insertion sort */
	for (size_t i = 0; events && i < n / 2; i++) {
		size_t x = v[i];
		v[i] = v[n - 1 - i];
		v[n - 1 - i] = x;
	}
	for (size_t i = 1; i < n; i++) {
		size_t x = v[i], j = i;
		for (; j > 0 && t->g[v[j - 1]].n < t->g[x].n; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
	size_t limit = events ? n : (n < 12 ? n : 12);
	int rc = 0;
	for (size_t i = 0; i < limit && rc == 0; i++) {
		struct group *g = &t->g[v[i]];
		shodo_buf b = SHODO_BUF_INIT;
		if (events) {
			shodo_buf_addf(&b, "%s  %lldx  ", g->key, g->n);
			if (g->tmin.s)
				shodo_buf_addf(&b, "%s .. %s", g->tmin.s, g->tmax.s);
			else
				shodo_buf_addf(&b, "-");
		} else {
			shodo_buf_addf(&b, "%s%s  type ", g->key ? "logons " : "-", g->key ? g->key : "");
			if (g->type == INT_MIN)
				shodo_buf_addf(&b, "-");
			else
				shodo_buf_addf(&b, "%d", g->type);
			shodo_buf_addf(&b, "  %lldx  from ", g->n);
			if (!g->nips)
				shodo_buf_addf(&b, "-");
			if (g->nips > 1)
				qsort(g->ips, g->nips, sizeof(*g->ips), cmp_entry);
			for (size_t k = 0; k < g->nips; k++)
				shodo_buf_addf(&b, "%s%s", k ? "," : "", t->e[g->ips[k]].ip);
		}
		char *text = shodo_buf_detach(&b);
		if (text)
			line(ud, text);
		else
			rc = -1;
		free(text);
	}
	free(v);
	return rc;
}
