/*
 * report/merge.c — `shodo merge DEST SRC...`: one case from many sticks.
 *
 * Each responder's stick holds its own case folder.  Merging brings their
 * evidence items into one case folder, for one report and one handover:
 *
 *   - a source is only read: its SHA256SUMS and custody.jsonl are parsed,
 *     its files are opened read-only, once, and hashed while copied;
 *   - a source's custody chain must be intact (every "prev" equal to the
 *     sha256 of the line before), or nothing is taken from it;
 *   - an item (DIR/<ID>/ holding image/ or triage/) is taken only when every
 *     file under it is listed in the source's SHA256SUMS and holds what is
 *     listed, when the source's custody names it, and when the last custody
 *     entry of each of its recorded files carries that same sha256;
 *   - an item whose ID is already in DEST with the same files (same paths,
 *     same sha256) is left as it is, so that merging again as more sticks
 *     come in changes nothing; the same ID with other content is refused;
 *   - DEST's custody chain records, per item taken, the source's custody
 *     entries for it (each original line kept verbatim in "detail", so that
 *     the source chain can still be recomputed from DEST) and one
 *     "merge-item" entry whose sha256 pins the item's file list; then one
 *     "merge" entry for the run.  SHA256SUMS is refreshed from the hashes
 *     computed while copying (nothing is read twice).
 *
 * All writing into DEST goes through core/case (shodo_case_import_item).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <jansson.h>
#include "shodo/json.h"
#include "shodo/case.h"
#include "shodo/hash.h"
#include "shodo/report.h"
#include "shodo/buf.h"
#include "shodo/util.h"

typedef struct sum_ent {
	char *rel;
	char sha[65];
} sum_ent;

typedef struct sums {
	sum_ent *v;
	size_t n, cap;
} sums;

static int cmp_sum(const void *a, const void *b) { return strcmp(((const sum_ent *)a)->rel, ((const sum_ent *)b)->rel); }

static void sums_free(sums *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].rel);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static int sums_add(sums *s, const char *rel, const char *sha)
{
	if (shodo_grow(&s->v, &s->cap, s->n + 1) < 0)
		return -1;
	s->v[s->n].rel = strdup(rel);
	if (!s->v[s->n].rel)
		return -1;
	snprintf(s->v[s->n].sha, 65, "%s", sha);
	s->n++;
	return 0;
}

/* DIR/SHA256SUMS (sha256sum format) sorted by path; -1 when unreadable */
static int sums_load(const char *dir, sums *s)
{
	char p[4200];
	size_t len = 0;
	memset(s, 0, sizeof(*s));
	snprintf(p, sizeof(p), "%s/SHA256SUMS", dir);
	char *buf = shodo_read_file(p, &len);
	if (!buf)
		return -1;
	char *save = NULL;
	for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strlen(line) < 67 || line[64] != ' ' || line[65] != ' ')
			continue;
		line[64] = '\0';
		if (sums_add(s, line + 66, line) < 0)
			break;
	}
	free(buf);
	qsort(s->v, s->n, sizeof(*s->v), cmp_sum);
	return 0;
}

static const sum_ent *sums_find(const sums *s, const char *rel)
{
	sum_ent key = {(char *)rel, ""};
	return s->n ? bsearch(&key, s->v, s->n, sizeof(*s->v), cmp_sum) : NULL;
}

/* the entries of s under prefix "ID/", as "sha  rel-within-item\n" lines
 * (sorted); NULL when none */
static char *sums_item_list(const sums *s, const char *id, size_t *count)
{
	size_t pl = strlen(id);
	char *out = NULL;
	size_t ol = 0;
	FILE *fp = open_memstream(&out, &ol);
	*count = 0;
	if (!fp)
		return NULL;
	/* sorted by path: the item's entries are one run from "ID/" on */
	char key[80];
	snprintf(key, sizeof(key), "%s/", id);
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(s->v[mid].rel, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < s->n && !strncmp(s->v[i].rel, key, pl + 1); i++) {
		fprintf(fp, "%s  %s\n", s->v[i].sha, s->v[i].rel + pl + 1);
		(*count)++;
	}
	fclose(fp);
	if (!*count) {
		free(out);
		return NULL;
	}
	return out;
}

/* custody.jsonl of a source: every line parsed and its chain checked.
 * lines[i] is the verbatim text; entries[i] the parsed object. */
typedef struct chain {
	char **lines;
	json_t **entries;
	size_t n;
	char head[65];
} chain;

static void chain_free(chain *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->lines[i]);
		json_decref(c->entries[i]);
	}
	free(c->lines);
	free(c->entries);
	memset(c, 0, sizeof(*c));
}

/* 0 ok; -1 with why set */
static int chain_load(const char *dir, chain *c, char *why, size_t whysz)
{
	char p[4200], prev[65];
	size_t len = 0;
	memset(c, 0, sizeof(*c));
	snprintf(p, sizeof(p), "%s/custody.jsonl", dir);
	char *buf = shodo_read_file(p, &len);
	if (!buf) {
		snprintf(why, whysz, "cannot read its custody.jsonl: %s", strerror(errno));
		return -1;
	}
	memset(prev, '0', 64);
	prev[64] = '\0';
	size_t lcap = 0, ecap = 0;
	int rc = 0, lineno = 0;
	char *save = NULL;
	for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		lineno++;
		json_t *e = json_loads(line, 0, NULL);
		const char *pv = e ? shodo_json_str(e, "prev", NULL) : NULL;
		if (!pv || strcmp(pv, prev) != 0) {
			snprintf(why, whysz, "its custody chain is broken at line %d of custody.jsonl", lineno);
			json_decref(e);
			rc = -1;
			break;
		}
		shodo_digests d;
		shodo_hash_buf(SHODO_HASH_SHA256, line, strlen(line), &d);
		snprintf(prev, sizeof(prev), "%s", d.sha256);
		if (shodo_grow(&c->lines, &lcap, c->n + 1) < 0 || shodo_grow(&c->entries, &ecap, c->n + 1) < 0) {
			json_decref(e);
			snprintf(why, whysz, "out of memory");
			rc = -1;
			break;
		}
		c->lines[c->n] = strdup(line);
		c->entries[c->n] = e;
		c->n++;
	}
	free(buf);
	memcpy(c->head, prev, 65);
	if (!rc && !c->n) {
		snprintf(why, whysz, "its custody.jsonl is empty");
		rc = -1;
	}
	return rc;
}

/* ---- walking an item ---- */

typedef struct flist {
	char **v;
	size_t n, cap;
	int odd;           /* a symlink, device or unreadable folder */
	char oddpath[512];
} flist;

static void flist_free(flist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static void walk(const char *root, const char *rel, flist *l)
{
	char p[4200];
	snprintf(p, sizeof(p), "%s%s%s", root, *rel ? "/" : "", rel);
	DIR *d = opendir(p);
	if (!d) {
		if (!l->odd++)
			snprintf(l->oddpath, sizeof(l->oddpath), "%s", *rel ? rel : ".");
		return;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		char r[4200], full[4400];
		struct stat st;
		if (shodo_snprintf(r, sizeof(r), "%s%s%s", rel, *rel ? "/" : "", de->d_name) < 0 ||
		    shodo_snprintf(full, sizeof(full), "%s/%s", root, r) < 0 || lstat(full, &st) < 0) {
			if (!l->odd++)
				snprintf(l->oddpath, sizeof(l->oddpath), "%s", de->d_name);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			walk(root, r, l);
		} else if (S_ISREG(st.st_mode)) {
			if (shodo_grow(&l->v, &l->cap, l->n + 1) < 0) {
				l->odd++;
				break;
			}
			l->v[l->n++] = strdup(r);
		} else if (!l->odd++) {
			snprintf(l->oddpath, sizeof(l->oddpath), "%s", r);
		}
	}
	closedir(d);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* ---- one item ---- */

typedef struct run {
	const shodo_merge_opts *o;
	sums dest;                 /* DEST's SHA256SUMS at the start */
	json_t *items;
	int merged, present, refused;
	uint64_t bytes;
} run;

static json_t *item_result(const char *src, const char *id, const char *status, const char *why)
{
	return json_pack("{s:s, s:s, s:s, s:s?}", "source", src, "evidence", id, "status", status, "why", why);
}

static void refuse(run *r, const char *src, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void refuse(run *r, const char *src, const char *id, const char *fmt, ...)
{
	char why[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (!strcmp(id, "*"))
		shodo_emit(r->o->sink, SHODO_EV_ERROR, "merge", "nothing taken from '%s': %s", src, why);
	else
		shodo_emit(r->o->sink, SHODO_EV_ERROR, "merge", "evidence %s from '%s' refused: %s", id, src, why);
	json_array_append_new(r->items, item_result(src, id, "refused", why));
	r->refused++;
}

/* sha256 of the item's "sha  rel" list: what DEST's custody pins */
static void list_digest(const char *list, char out[65])
{
	shodo_digests d;
	shodo_hash_buf(SHODO_HASH_SHA256, list, strlen(list), &d);
	snprintf(out, 65, "%s", d.sha256);
}

static shodo_status merge_item(run *r, const char *src, const char *case_number, const sums *ss, const chain *ch,
                               const char *id, shodo_err *err)
{
	char item[4200], rel[4200];
	shodo_status rc = SHODO_OK;
	flist files = {0};
	shodo_import_file *imp = NULL;
	char *srclist = NULL, *dstlist = NULL;
	size_t nsrc = 0, ndst = 0;
	snprintf(item, sizeof(item), "%s/%s", src, id);

	srclist = sums_item_list(ss, id, &nsrc);
	dstlist = sums_item_list(&r->dest, id, &ndst);
	snprintf(rel, sizeof(rel), "%s/%s", shodo_case_dir(r->o->dest), id);
	struct stat st;
	if (stat(rel, &st) == 0) {
		if (srclist && dstlist && !strcmp(srclist, dstlist)) {
			shodo_emit(r->o->sink, SHODO_EV_INFO, "merge", "evidence %s from '%s' is already in the case", id, src);
			json_array_append_new(r->items, item_result(src, id, "present", NULL));
			r->present++;
		} else {
			refuse(r, src, id,
			       "an evidence item %s with other content is already in '%s' (%zu files listed there, %zu in"
			       " the source); give one of them another evidence ID",
			       id, shodo_case_dir(r->o->dest), ndst, nsrc);
		}
		goto out;
	}
	/* every file under the item is listed, and every listed file is there */
	walk(item, "", &files);
	if (files.odd) {
		refuse(r, src, id, "'%s/%s' is not a regular file or cannot be read", id, files.oddpath);
		goto out;
	}
	if (!files.n) {
		refuse(r, src, id, "it holds no files");
		goto out;
	}
	qsort(files.v, files.n, sizeof(*files.v), cmp_str);
	imp = calloc(files.n, sizeof(*imp));
	if (!imp) {
		rc = shodo_err_set(err, SHODO_FATAL, ENOMEM, "merge");
		goto out;
	}
	for (size_t i = 0; i < files.n; i++) {
		snprintf(rel, sizeof(rel), "%s/%s", id, files.v[i]);
		const sum_ent *e = sums_find(ss, rel);
		if (!e) {
			refuse(r, src, id, "'%s' is not listed in the source's SHA256SUMS, so it cannot be verified", rel);
			goto out;
		}
		imp[i].rel = files.v[i];
		imp[i].sha256 = e->sha;
	}
	if (nsrc != files.n) {
		refuse(r, src, id, "%zu files listed in the source's SHA256SUMS are missing", nsrc - files.n);
		goto out;
	}
	/* custody: the item is named, and the last recorded sha256 of each of
	 * its files is the one listed (and so, once copied, the one read) */
	{
		size_t named = 0;
		for (size_t i = 0; i < ch->n; i++) {
			const char *ev = shodo_json_str(ch->entries[i], "evidence", NULL);
			if (ev && !strcmp(ev, id))
				named++;
		}
		if (!named) {
			refuse(r, src, id, "the source's custody.jsonl has no entry for it");
			goto out;
		}
		for (size_t i = ch->n; i-- > 0;) {
			const char *obj = shodo_json_str(ch->entries[i], "object", NULL), *sha = shodo_json_str(ch->entries[i], "sha256", NULL);
			size_t il = strlen(id);
			if (!obj || !sha || strncmp(obj, id, il) || obj[il] != '/')
				continue;
			int later = 0;   /* a later entry for the same object wins */
			for (size_t k = i + 1; k < ch->n && !later; k++) {
				const char *o2 = shodo_json_str(ch->entries[k], "object", NULL);
				later = o2 && shodo_json_str(ch->entries[k], "sha256", NULL) && !strcmp(o2, obj);
			}
			if (later)
				continue;
			const sum_ent *e = sums_find(ss, obj);
			if (!e) {
				refuse(r, src, id, "custody records '%s' (line %zu) but the file is not there", obj, i + 1);
				goto out;
			}
			if (strcmp(e->sha, sha) != 0) {
				refuse(r, src, id, "'%s' differs from what custody recorded at line %zu (sha256 %s)", obj, i + 1,
				       sha);
				goto out;
			}
		}
	}
	/* copy, verifying every byte against the listed sha256 */
	{
		const char *parts[4];
		int np = 0;
		static const char *const known[] = {"image", "triage"};
		for (size_t k = 0; k < 2; k++) {
			snprintf(rel, sizeof(rel), "%s/%s", item, known[k]);
			if (stat(rel, &st) == 0 && S_ISDIR(st.st_mode))
				parts[np++] = known[k];
		}
		parts[np] = NULL;
		uint64_t bytes = 0;
		shodo_err e2;
		shodo_err_clear(&e2);
		shodo_emit(r->o->sink, SHODO_EV_INFO, "merge", "copying evidence %s from '%s' (%zu files)", id, src, files.n);
		/* one writer per evidence item: no triage or image of the same ID
		 * into DEST while it is brought in */
		shodo_evidence_lock *lk = NULL;
		if (shodo_case_lock_evidence(r->o->dest, id, "shodo merge", &lk, &e2) != SHODO_OK) {
			refuse(r, src, id, "%s", e2.msg);
			goto out;
		}
		shodo_status ir = shodo_case_import_item(r->o->dest, id, item, imp, files.n, parts, &bytes, &e2);
		shodo_case_unlock_evidence(lk);
		if (ir == SHODO_FATAL) {
			*err = e2;
			rc = SHODO_FATAL;
			goto out;
		}
		if (ir != SHODO_OK) {
			refuse(r, src, id, "%s", e2.msg);
			goto out;
		}
		r->bytes += bytes;
		char fmtd[32];
		shodo_emit(r->o->sink, SHODO_EV_INFO, "merge", "evidence %s: %zu files, %s copied and verified", id, files.n,
		           shodo_fmt_size(bytes, fmtd));
	}
	/* DEST's custody: the source's entries for the item, then the item */
	for (size_t i = 0; i < ch->n; i++) {
		const char *ev = shodo_json_str(ch->entries[i], "evidence", NULL);
		if (!ev || strcmp(ev, id))
			continue;
		if ((rc = shodo_case_custody(r->o->dest, "merge-custody", id, shodo_json_str(ch->entries[i], "object", NULL),
		                             shodo_json_str(ch->entries[i], "sha256", NULL), ch->lines[i], err)) != SHODO_OK)
			goto out;
	}
	{
		char pin[65], detail[2048];
		list_digest(srclist, pin);
		snprintf(detail, sizeof(detail),
		         "from case %s%s%s at '%s': %zu files verified against its SHA256SUMS; its custody chain head %s"
		         " (%zu entries); sha256 is of the item's file list (sha256sum format, paths inside %s/)",
		         case_number ? "'" : "", case_number ? case_number : "(no number)", case_number ? "'" : "", src,
		         files.n, ch->head, ch->n, id);
		if ((rc = shodo_case_custody(r->o->dest, "merge-item", id, id, pin, detail, err)) != SHODO_OK)
			goto out;
	}
	json_t *res = item_result(src, id, "merged", NULL);
	json_object_set_new(res, "files", json_integer((json_int_t)files.n));
	json_array_append_new(r->items, res);
	r->merged++;
out:
	free(imp);
	free(srclist);
	free(dstlist);
	flist_free(&files);
	return rc;
}

/* ---- one source ---- */

static int is_item(const char *src, const char *name)
{
	char p[4200];
	struct stat st;
	if (!shodo_case_id_valid(name))
		return 0;
	for (int k = 0; k < 2; k++) {
		snprintf(p, sizeof(p), "%s/%s/%s", src, name, k ? "triage" : "image");
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			return 1;
	}
	return 0;
}

static shodo_status merge_source(run *r, const char *src, shodo_err *err)
{
	char why[1024], rdest[PATH_MAX], rsrc[PATH_MAX], p[4200];
	sums ss = {0};
	chain ch = {0};
	char **ids = NULL;
	size_t nids = 0, cap = 0;
	json_t *cj = NULL;
	shodo_status rc = SHODO_OK;

	if (!realpath(src, rsrc)) {
		refuse(r, src, "*", "cannot open the case folder: %s", strerror(errno));
		return SHODO_OK;
	}
	if (realpath(shodo_case_dir(r->o->dest), rdest) && !strcmp(rdest, rsrc)) {
		refuse(r, src, "*", "it is the destination case folder itself");
		return SHODO_OK;
	}
	snprintf(p, sizeof(p), "%s/case.json", src);
	cj = json_load_file(p, 0, NULL);
	if (!cj) {
		refuse(r, src, "*", "'%s' is not a case folder (no readable case.json)", src);
		goto out;
	}
	if (sums_load(src, &ss) < 0) {
		refuse(r, src, "*", "it has no readable SHA256SUMS, so nothing in it can be verified");
		goto out;
	}
	if (chain_load(src, &ch, why, sizeof(why)) < 0) {
		refuse(r, src, "*", "%s", why);
		goto out;
	}
	DIR *d = opendir(src);
	if (!d) {
		refuse(r, src, "*", "cannot list the case folder: %s", strerror(errno));
		goto out;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!is_item(src, de->d_name))
			continue;
		if (shodo_grow(&ids, &cap, nids + 1) < 0)
			break;
		ids[nids++] = strdup(de->d_name);
	}
	closedir(d);
	if (!nids) {
		refuse(r, src, "*", "it holds no evidence item (no DIR/ID/image or DIR/ID/triage)");
		goto out;
	}
	qsort(ids, nids, sizeof(*ids), cmp_str);
	for (size_t i = 0; i < nids && rc == SHODO_OK; i++) {
		if (shodo_cancelled(r->o->cancel)) {
			rc = shodo_err_set(err, SHODO_CANCELLED, 0, "merge cancelled");
			break;
		}
		rc = merge_item(r, rsrc, shodo_json_str(cj, "case_number", NULL), &ss, &ch, ids[i], err);
	}
out:
	for (size_t i = 0; i < nids; i++)
		free(ids[i]);
	free(ids);
	json_decref(cj);
	sums_free(&ss);
	chain_free(&ch);
	return rc;
}

shodo_status shodo_merge_run(const shodo_merge_opts *o, json_t **result, shodo_err *err)
{
	run r;
	shodo_status rc = SHODO_OK;
	memset(&r, 0, sizeof(r));
	r.o = o;
	r.items = json_array();
	if (result)
		*result = NULL;
	if (!o->nsources) {
		json_decref(r.items);
		return shodo_err_set(err, SHODO_USAGE, 0, "merge: no source case folder given");
	}
	sums_load(shodo_case_dir(o->dest), &r.dest);   /* absent in a new case: empty */
	for (int i = 0; i < o->nsources && rc == SHODO_OK; i++) {
		shodo_emit(o->sink, SHODO_EV_PHASE, "merge", "%s", o->sources[i]);
		rc = merge_source(&r, o->sources[i], err);
		shodo_emit(o->sink, SHODO_EV_PROGRESS, "merge", "%d/%d", i + 1, o->nsources);
	}
	if (rc == SHODO_OK || rc == SHODO_CANCELLED) {
		char detail[1024], *srcs = NULL;
		size_t sl = 0;
		FILE *fp = open_memstream(&srcs, &sl);
		if (fp) {
			for (int i = 0; i < o->nsources; i++)
				fprintf(fp, "%s'%s'", i ? ", " : "", o->sources[i]);
			fclose(fp);
		}
		snprintf(detail, sizeof(detail), "%d evidence items merged, %d already present, %d refused, from %s%s",
		         r.merged, r.present, r.refused, srcs ? srcs : "", rc == SHODO_CANCELLED ? " (cancelled)" : "");
		free(srcs);
		shodo_err e2;
		shodo_status cr = shodo_case_custody(o->dest, "merge", NULL, NULL, NULL, detail, &e2);
		if (cr == SHODO_OK)
			cr = shodo_case_refresh_sums(o->dest, o->sign_key, &e2);
		if (cr != SHODO_OK && rc == SHODO_OK) {
			*err = e2;
			rc = cr;
		}
	}
	if (result) {
		char fmtd[32];
		json_t *res = json_object();
		json_object_set_new(res, "case", json_string(shodo_case_dir(o->dest)));
		json_object_set_new(res, "merged", json_integer(r.merged));
		json_object_set_new(res, "present", json_integer(r.present));
		json_object_set_new(res, "refused", json_integer(r.refused));
		json_object_set_new(res, "bytes", json_integer((json_int_t)r.bytes));
		json_object_set_new(res, "size", json_string(shodo_fmt_size(r.bytes, fmtd)));
		json_object_set_new(res, "items", r.items);
		r.items = NULL;
		*result = res;
	}
	if (rc == SHODO_OK && r.refused) {
		rc = shodo_err_set(err, SHODO_FAILED, 0, "%d evidence item%s refused (%d merged, %d already present)",
		                   r.refused, r.refused == 1 ? "" : "s", r.merged, r.present);
	}
	json_decref(r.items);
	sums_free(&r.dest);
	return rc;
}
