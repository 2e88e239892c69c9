/*
 * triage/collect/extcount.c — how many allocated files of a volume carry each
 * extension, counted from the names the walk lists anyway (no metadata is
 * loaded), in both profiles.
 *
 * The scoping stage decides whether an extension marks encrypted files from
 * these totals (an extension appended to user files must dominate the files
 * carrying it; a random extension must be on many files).  The quick profile
 * lists only the appended copies in the files table; with the totals from
 * here both profiles decide on the same evidence and reach the same answer.
 *
 * Written to table ext_counts(volume, ext, files) once the walk ends; a
 * volume with more than EXT_MAX distinct extensions (hostile or odd data)
 * keeps the first EXT_MAX and says so in a row with ext NULL and files = the
 * number of names that could not be counted.
 */
#include <stdlib.h>
#include <string.h>
#include "collect.h"

#define EXT_MAX 200000
#define EXT_LEN 64

struct col_extcount {
	struct slot {
		char *ext;
		uint64_t n;
	} *t;
	size_t cap, used;
	uint64_t dropped;
};

col_extcount *col_extcount_new(void)
{
	return calloc(1, sizeof(col_extcount));
}

void col_extcount_free(col_extcount *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->cap; i++)
		free(c->t[i].ext);
	free(c->t);
	free(c);
}

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static int grow(col_extcount *c)
{
	size_t nc = c->cap ? c->cap * 2 : 1024;
	struct slot *nt = calloc(nc, sizeof(*nt));
	if (!nt)
		return -1;
	for (size_t i = 0; i < c->cap; i++) {
		if (!c->t[i].ext)
			continue;
		size_t j = hash(c->t[i].ext) & (nc - 1);
		while (nt[j].ext)
			j = (j + 1) & (nc - 1);
		nt[j] = c->t[i];
	}
	free(c->t);
	c->t = nt;
	c->cap = nc;
	return 0;
}

void col_extcount_add(col_extcount *c, const char *ext)
{
	if (!c || !ext || !*ext || strlen(ext) >= EXT_LEN)
		return;
	if (!c->cap && grow(c) < 0) {
		c->dropped++;
		return;
	}
	/* the load stays under one half: the probe always ends on a free slot */
	size_t j = hash(ext) & (c->cap - 1);
	for (; c->t[j].ext; j = (j + 1) & (c->cap - 1)) {
		if (!strcmp(c->t[j].ext, ext)) {
			c->t[j].n++;
			return;
		}
	}
	if (c->used >= EXT_MAX) {
		c->dropped++;
		return;
	}
	if ((c->used + 1) * 2 > c->cap) {
		if (grow(c) < 0) {
			c->dropped++;
			return;
		}
		for (j = hash(ext) & (c->cap - 1); c->t[j].ext; j = (j + 1) & (c->cap - 1))
			;
	}
	c->t[j].ext = strdup(ext);
	if (!c->t[j].ext) {
		c->dropped++;
		return;
	}
	c->t[j].n = 1;
	c->used++;
}

shodo_status col_extcount_store(col_extcount *c, shodo_store *st, const char *volume, shodo_err *err)
{
	static const char sql[] = "INSERT INTO ext_counts(volume, ext, files) VALUES(?, ?, ?)";
	for (size_t i = 0; c && i <= c->cap; i++) {
		const char *e = NULL;
		uint64_t n = 0;
		if (i < c->cap) {
			if (!c->t[i].ext)
				continue;
			e = c->t[i].ext;
			n = c->t[i].n;
		} else {
			/* the marker row: the walk ran; names not counted, if any */
			n = c->dropped;
		}
		sqlite3_stmt *s = shodo_store_stmt(st, sql, err);
		if (!s)
			return SHODO_FATAL;
		shodo_bind_text(s, 1, volume);
		shodo_bind_text(s, 2, e);
		sqlite3_bind_int64(s, 3, (sqlite3_int64)n);
		shodo_status rc = shodo_store_step_done(st, s, err);
		if (rc != SHODO_OK)
			return rc;
	}
	return SHODO_OK;
}

void col_extcount_each(const col_extcount *c, void (*fn)(const char *ext, uint64_t n, void *ud), void *ud)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->cap; i++)
		if (c->t[i].ext)
			fn(c->t[i].ext, c->t[i].n, ud);
	fn(NULL, c->dropped, ud);
}
