/*
 * triage/parsers/ransom_note.c — ransom-note candidates: decides with
 * triage/scope/notes/detect.c whether a collected text file is a ransom note and writes
 * the notes (with family, language and validated contacts) to ransom_notes.
 * Files that are not notes leave only their artifacts row.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shodo/hash.h"
#include "triage/scope/notes/notes.h"
#include "triage/triage_int.h"

#define NOTE_READ_MAX (1u << 20)

static int text_like(const char *path)
{
	static const char *const ext[] = {".txt", ".htm", ".html", ".hta", ".rtf", ".log", ".me", ".readme", ".inf",
	                                  ".nfo", ".url", NULL};
	const char *dot = path ? strrchr(path, '.') : NULL;
	const char *slash = path ? strrchr(path, '/') : NULL;
	if (!dot || (slash && dot < slash))
		return 0;
	for (int i = 0; ext[i]; i++)
		if (!strcasecmp(dot, ext[i]))
			return 1;
	return 0;
}

/* reads up to NOTE_READ_MAX bytes of f into a malloc'd buffer; NULL on error */
static unsigned char *read_note(const char *file, size_t *n, int *eno)
{
	FILE *fp = fopen(file, "rbe");
	*eno = errno;
	if (!fp)
		return NULL;
	unsigned char *buf = malloc(NOTE_READ_MAX);
	if (!buf) {
		fclose(fp);
		*eno = ENOMEM;
		return NULL;
	}
	*n = fread(buf, 1, NOTE_READ_MAX, fp);
	int rerr = ferror(fp);
	fclose(fp);
	if (rerr) {
		free(buf);
		*eno = EIO;
		return NULL;
	}
	return buf;
}

static const char *base_of(const shodo_artifact *a)
{
	const char *path = a->path ? a->path : a->file;
	const char *base = path ? strrchr(path, '/') : NULL;
	return base ? base + 1 : path ? path : "";
}

static int notes_bid(const shodo_artifact *a, const unsigned char *head, size_t n)
{
	if (a->category && !strcmp(a->category, CAT_RANSOM_NOTE))
		return 24;
	/* a file of no known kind (shodo parse without --category) is a note when
	 * the detector says so: whatever its name, as in triage */
	if ((!a->category || !strcmp(a->category, CAT_OTHER)) && a->file && a->size <= NOTE_READ_MAX && n > 0) {
		size_t len = 0;
		int eno = 0;
		unsigned char *buf = read_note(a->file, &len, &eno);
		shodo_note r;
		int is = buf && !shodo_note_analyse(base_of(a), buf, len, &r) && r.is_note;
		if (buf) {
			shodo_note_free(&r);
			free(buf);
		}
		if (is)
			return 16;
	}
	/* other small text files are candidates too, with a low bid so that
	 * every specific parser wins over this one */
	if (a->category && (!strcmp(a->category, CAT_OTHER) || !strcmp(a->category, CAT_SCRIPT)) &&
	    a->size <= 4u << 20 && text_like(a->path))
		return 1;
	return 0;
}

static shodo_status notes_parse(const shodo_artifact *a, shodo_triage_ctx *ctx, shodo_err *err)
{
	size_t n = 0;
	int eno = 0;
	unsigned char *buf = read_note(a->file, &n, &eno);
	if (!buf)
		return shodo_err_set(err, SHODO_FAILED, eno, "cannot read '%s'", a->source ? a->source : a->file);
	const char *path = a->path ? a->path : a->file;
	const char *base = base_of(a);
	shodo_note r;
	if (shodo_note_analyse(base, buf, n, &r)) {
		free(buf);
		return shodo_err_set(err, SHODO_FAILED, ENOMEM, "cannot analyse '%s'", a->source);
	}
	free(buf);
	shodo_status rc = SHODO_OK;
	if (r.is_note) {
		shodo_digests d;
		shodo_err herr;
		memset(&d, 0, sizeof(d));
		if (shodo_hash_file(a->file, SHODO_HASH_SHA256, &d, &herr) != SHODO_OK)
			d.sha256[0] = 0;
		sqlite3_stmt *s = shodo_store_stmt(ctx->store,
			"INSERT INTO ransom_notes(path, volume, size, sha256, score, family, language, copies, emails,"
			" onions, btc, tox, urls, mtime, crtime, source, xmr, session, encoding, reasons)"
			" VALUES(?,?,?,?,?,?,?,1,?,?,?,?,?,?,?,?,?,?,?,?)", err);
		if (!s) {
			rc = SHODO_FATAL;
			goto out;
		}
		shodo_bind_text(s, 1, path);
		shodo_bind_text(s, 2, a->volume);
		sqlite3_bind_int64(s, 3, (sqlite3_int64)a->size);
		shodo_bind_text(s, 4, d.sha256);
		sqlite3_bind_int(s, 5, r.score);
		shodo_bind_text(s, 6, r.family);
		shodo_bind_text(s, 7, r.language);
		shodo_bind_text(s, 8, r.emails);
		shodo_bind_text(s, 9, r.onions);
		shodo_bind_text(s, 10, r.btc);
		shodo_bind_text(s, 11, r.tox);
		shodo_bind_text(s, 12, r.urls);
		shodo_bind_text(s, 13, a->mtime);
		shodo_bind_text(s, 14, a->crtime);
		shodo_bind_text(s, 15, a->source);
		shodo_bind_text(s, 16, r.xmr);
		shodo_bind_text(s, 17, r.session);
		shodo_bind_text(s, 18, r.encoding);
		shodo_bind_text(s, 19, r.reasons);
		rc = shodo_store_step_done(ctx->store, s, err);
		if (rc == SHODO_OK)
			shodo_emit(ctx->sink, SHODO_EV_INFO, "analyse", "ransom note '%s' (score %d%s%s)", path, r.score,
			           r.family ? ", family " : "", r.family ? r.family : "");
	}
out:
	shodo_note_free(&r);
	return rc;
}

const shodo_parser shodo_parser_ransom_note = {
	.name = "ransom_note",
	.bid = notes_bid,
	.parse = notes_parse,
};
