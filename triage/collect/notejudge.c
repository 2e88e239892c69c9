/*
 * Ransom-note candidates judged by content during the walk.
 *
 * Every small text-like file in the places users and ransomware write is a
 * candidate (targets.c: col_note_candidate).  Ransomware drops one note
 * content in hundreds of folders, and a host holds many copies of the same
 * licence or README, so each distinct content is hashed first and scored
 * once: the verdict is kept by SHA-256.  A later copy of a content that did
 * not score as a note is scored again only when its name alone would score
 * higher (a note's content under a note's name).  Binary files (no
 * extension, random names) are told apart from text by their first bytes
 * and never scored.  No cap on the number of notes: every content that the
 * detector calls a note is extracted.
 */
#include <stdlib.h>
#include <string.h>
#include "collect.h"
#include "shodo/hash.h"
#include "triage/scope/notes/notes.h"

struct col_notes {
	col_note_entry **slot;   /* open addressing on the first 8 bytes of the hash */
	size_t cap, n;
	uint64_t scored, texts, binary;
};

col_notes *col_notes_new(void)
{
	col_notes *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->cap = 1024;
	c->slot = calloc(c->cap, sizeof(*c->slot));
	if (!c->slot) {
		free(c);
		return NULL;
	}
	return c;
}

void col_notes_free(col_notes *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->cap; i++) {
		if (c->slot[i]) {
			free(c->slot[i]->extracted);
			free(c->slot[i]->family);
			free(c->slot[i]);
		}
	}
	free(c->slot);
	free(c);
}

void col_notes_stats(const col_notes *c, uint64_t *distinct, uint64_t *scored, uint64_t *binary)
{
	*distinct = c->n;
	*scored = c->scored;
	*binary = c->binary;
}

static uint64_t h64(const unsigned char *h)
{
	uint64_t v = 0;
	memcpy(&v, h, sizeof(v));
	return v;
}

static int grow(col_notes *c)
{
	size_t nc = c->cap * 2;
	col_note_entry **ns = calloc(nc, sizeof(*ns));
	if (!ns)
		return -1;
	for (size_t i = 0; i < c->cap; i++) {
		col_note_entry *e = c->slot[i];
		if (!e)
			continue;
		size_t k = (size_t)(h64(e->sha256) & (nc - 1));
		while (ns[k])
			k = (k + 1) & (nc - 1);
		ns[k] = e;
	}
	free(c->slot);
	c->slot = ns;
	c->cap = nc;
	return 0;
}

int col_text_like(const unsigned char *b, size_t n)
{
	if (n == 0)
		return 0;
	if ((n >= 2 && ((b[0] == 0xff && b[1] == 0xfe) || (b[0] == 0xfe && b[1] == 0xff))) ||
	    (n >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf))
		return 1;
	size_t m = n < 4096 ? n : 4096;
	/* NUL padding after the text (notes written from fixed-size buffers) */
	while (m > 0 && b[m - 1] == 0)
		m--;
	if (m == 0)
		return 0;
	size_t nul = 0, nul_odd = 0, nul_even = 0, ctl = 0, runs = 0;
	for (size_t i = 0; i < m; i++) {
		unsigned char ch = b[i];
		if (ch == 0) {
			nul++;
			runs += i == 0 || b[i - 1] != 0;
			if (i & 1)
				nul_odd++;
			else
				nul_even++;
		} else if (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r' && ch != '\f' && ch != 0x1b) {
			ctl++;
		}
	}
	if (nul) {
		/* UTF-16 without a BOM: the high bytes of ASCII are zero in one
		 * column and (almost) never in the other */
		size_t half = m / 2;
		if ((nul_odd * 10 >= half * 6 && nul_even * 20 <= half) ||
		    (nul_even * 10 >= half * 6 && nul_odd * 20 <= half))
			return ctl * 20 <= m;
		/* notes written as C strings hold a NUL or a run of them: text all the same */
		if (runs > 2 && nul * 100 > m)
			return 0;
	}
	return ctl * 50 <= m;
}

col_note_entry *col_notes_judge(col_notes *c, const char *name, const unsigned char *buf, size_t n)
{
	shodo_digests d;
	if (shodo_hash_buf(SHODO_HASH_SHA256, buf, n, &d) < 0)
		return NULL;
	const unsigned char *h = d.sha256_raw;
	size_t k = (size_t)(h64(h) & (c->cap - 1));
	while (c->slot[k] && memcmp(c->slot[k]->sha256, h, 32))
		k = (k + 1) & (c->cap - 1);
	col_note_entry *e = c->slot[k];
	if (e) {
		if (e->is_note || !e->text)
			return e;
		/* the same text under a name that says more */
		if (shodo_note_name_score(name) <= e->name_score)
			return e;
	} else {
		if ((c->n + 1) * 2 > c->cap) {
			if (grow(c) < 0)
				return NULL;
			k = (size_t)(h64(h) & (c->cap - 1));
			while (c->slot[k])
				k = (k + 1) & (c->cap - 1);
		}
		e = calloc(1, sizeof(*e));
		if (!e)
			return NULL;
		memcpy(e->sha256, h, 32);
		memcpy(e->sha256_hex, d.sha256, 65);
		e->text = col_text_like(buf, n);
		c->slot[k] = e;
		c->n++;
		if (!e->text) {
			c->binary++;
			return e;
		}
		c->texts++;
	}
	shodo_note r;
	if (shodo_note_analyse(name, buf, n, &r))
		return NULL;
	c->scored++;
	e->is_note = r.is_note;
	e->score = r.score;
	e->name_score = r.name_score;
	free(e->family);
	e->family = r.family ? strdup(r.family) : NULL;
	shodo_note_free(&r);
	return e;
}
