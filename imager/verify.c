/*
 * Reading an image back: E01 through libewf, raw through shodo_source.
 * Hashing runs one thread per digest alongside the reader.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libewf.h>
#include "imager_int.h"
#include "imager_verify.h"
#include "shodo/case.h"
#include "shodo/devices.h"
#include "shodo/imager.h"
#include "shodo/source.h"
#include "shodo/util.h"

/* ---- E01 ---- */

/* The last small compressed chunk a worker inflated, and what it gave:
 * inflating is deterministic, so the same stored bytes give the same media
 * bytes without inflating again.  Free space makes most of a disk one such
 * chunk (zeros), whichever tool compressed it. */
#define MEMO_MAX 1024u
typedef struct unchunk_memo {
	uint32_t inlen;          /* 0: empty */
	int zero;                /* out is all zeros */
	unsigned char in[MEMO_MAX];
	unsigned char out[IMG_CHUNK];
} unchunk_memo;

typedef struct ewf_rd {
	libewf_handle_t *h;
	const char *path;
	img_codec *codecs[64];
	unchunk_memo *memo[64];
	uint64_t media;
	pthread_mutex_t mu;
	uint64_t bad_chunks;    /* chunks that fail their checksum or do not inflate */
	uint64_t first_bad;     /* media offset of the first one */
} ewf_rd;

/* producer: the stored chunks, as they are in the segment files
 * (libewf_handle_read_chunk: no decompression on this thread) */
static shodo_status ewf_produce(void *ud, img_slot *s, shodo_err *err)
{
	ewf_rd *r = ud;
	for (int i = 0; i < s->nchunks; i++) {
		libewf_error_t *lerr = NULL;
		int8_t comp = 0, rck = 0;
		uint32_t ck = 0;
		unsigned char ckbuf[4];
		ssize_t n = libewf_handle_read_chunk(r->h, s->work + (size_t)i * IMG_CSTRIDE, IMG_CSTRIDE, &comp,
		                                     ckbuf, &ck, &rck, &lerr);
		if (n <= 0) {
			char why[1024];
			img_ewf_msg(lerr, why, sizeof(why));
			libewf_error_free(&lerr);
			return shodo_err_set(err, SHODO_FAILED, 0, "cannot read '%s' at offset %llu: %s", r->path,
			                     (unsigned long long)(s->off + (uint64_t)i * IMG_CHUNK),
			                     n == 0 ? "unexpected end" : why);
		}
		s->csize[i] = (uint32_t)n;
		s->ccomp[i] = (uint8_t)(comp != 0);
		s->cksum[i] = ck;
	}
	return SHODO_OK;
}

static void chunk_bad(ewf_rd *r, uint64_t off)
{
	pthread_mutex_lock(&r->mu);
	if (!r->bad_chunks || off < r->first_bad)
		r->first_bad = off;
	r->bad_chunks++;
	pthread_mutex_unlock(&r->mu);
}

/* workers: inflate (or check) each chunk into the slot's media bytes */
static shodo_status ewf_work(void *ud, int w, img_slot *s, shodo_err *err)
{
	ewf_rd *r = ud;
	for (int i = 0; i < s->nchunks; i++) {
		uint64_t off = s->off + (uint64_t)i * IMG_CHUNK;
		uint32_t want = (uint32_t)(s->len - (size_t)i * IMG_CHUNK < IMG_CHUNK ? s->len - (size_t)i * IMG_CHUNK
		                                                                     : IMG_CHUNK);
		unsigned char *in = s->work + (size_t)i * IMG_CSTRIDE, *out = s->data + (size_t)i * IMG_CHUNK;
		int ok;
		unchunk_memo *m = r->memo[w];
		if (s->ccomp[i] && want == IMG_CHUNK && m->inlen && s->csize[i] == m->inlen &&
		    !memcmp(in, m->in, m->inlen)) {
			if (m->zero)
				memset(out, 0, IMG_CHUNK);
			else
				memcpy(out, m->out, IMG_CHUNK);
			ok = 1;
		} else if (s->ccomp[i]) {
			long got = img_codec_unchunk(r->codecs[w], in, s->csize[i], out, IMG_CHUNK);
			ok = got == (long)want;
			if (ok && want == IMG_CHUNK && s->csize[i] <= MEMO_MAX) {
				m->inlen = s->csize[i];
				memcpy(m->in, in, m->inlen);
				m->zero = img_all_zero(out, IMG_CHUNK);
				if (!m->zero)
					memcpy(m->out, out, IMG_CHUNK);
			}
		} else {
			/* stored: data, then its Adler-32 */
			uint32_t n = s->csize[i] >= 4 ? s->csize[i] - 4 : 0;
			ok = n >= want;
			if (ok) {
				memcpy(out, in, want);
				ok = img_adler32(out, want) == s->cksum[i];
			}
		}
		if (!ok) {
			memset(out, 0, want);
			chunk_bad(r, off);
		}
	}
	(void)err;
	return SHODO_OK;
}

static shodo_status ewf_produce_buffer(void *ud, img_slot *s, shodo_err *err)
{
	ewf_rd *r = ud;
	libewf_error_t *lerr = NULL;
	size_t got = 0;
	while (got < s->len) {
		ssize_t n = libewf_handle_read_random(r->h, s->data + got, s->len - got,
		                                      (off64_t)(s->off + got), &lerr);
		if (n <= 0) {
			char why[1024];
			img_ewf_msg(lerr, why, sizeof(why));
			libewf_error_free(&lerr);
			return shodo_err_set(err, SHODO_FAILED, 0, "cannot read '%s' at offset %llu: %s", r->path,
			                     (unsigned long long)(s->off + got), n == 0 ? "unexpected end" : why);
		}
		got += (size_t)n;
	}
	return SHODO_OK;
}

static void hex_or_empty(const uint8_t *raw, size_t n, char *out)
{
	int any = 0;
	for (size_t i = 0; i < n; i++)
		any |= raw[i];
	if (any)
		shodo_hex(raw, n, out);
	else
		out[0] = '\0';
}

shodo_status img_verify_e01(const char *path, int threads, int hashes, uint64_t hash_split, const shodo_sink *sink,
                            shodo_cancel *cancel, img_media_check *out, shodo_err *err)
{
	libewf_error_t *lerr = NULL;
	char **names = NULL;
	int n = 0;
	ewf_rd r;
	memset(&r, 0, sizeof(r));
	memset(out, 0, sizeof(*out));
	r.path = path;
	double t0 = shodo_monotonic();
	if (libewf_glob(path, strlen(path), LIBEWF_FORMAT_UNKNOWN, &names, &n, &lerr) != 1 ||
	    libewf_handle_initialize(&r.h, &lerr) != 1 ||
	    libewf_handle_open(r.h, names, n, LIBEWF_OPEN_READ, &lerr) != 1) {
		char why[1024];
		img_ewf_msg(lerr, why, sizeof(why));
		libewf_error_free(&lerr);
		if (names)
			libewf_glob_free(names, n, NULL);
		if (r.h)
			libewf_handle_free(&r.h, NULL);
		return shodo_err_set(err, SHODO_FATAL, 0, "cannot open '%s': %s", path, why);
	}
	out->nsegments = n;
	/* the chunks are read from what the disk holds (see shodo_uncache) */
	shodo_uncache_fuseblk(path);
	for (int i = 0; i < n; i++)
		shodo_uncache(names[i]);
	libewf_glob_free(names, n, NULL);
	size64_t media = 0;
	libewf_handle_get_media_size(r.h, &media, NULL);
	out->size = media;
	uint8_t md5[16] = {0}, sha1[20] = {0};
	if (libewf_handle_get_md5_hash(r.h, md5, 16, NULL) == 1)
		hex_or_empty(md5, 16, out->stored.md5);
	if (libewf_handle_get_sha1_hash(r.h, sha1, 20, NULL) == 1)
		hex_or_empty(sha1, 20, out->stored.sha1);
	if (!out->stored.sha1[0]) {
		uint8_t v[64];
		if (libewf_handle_get_utf8_hash_value(r.h, (const uint8_t *)"SHA1", 4, v, sizeof(v), NULL) == 1)
			snprintf(out->stored.sha1, sizeof(out->stored.sha1), "%s", (char *)v);
	}
	if (out->stored.md5[0])
		out->stored.set |= SHODO_HASH_MD5;
	if (out->stored.sha1[0])
		out->stored.set |= SHODO_HASH_SHA1;
	uint32_t nerr = 0, bps = 512;
	libewf_handle_get_bytes_per_sector(r.h, &bps, NULL);
	libewf_handle_get_number_of_acquiry_errors(r.h, &nerr, NULL);
	for (uint32_t i = 0; i < nerr; i++) {
		uint64_t s0 = 0, ns = 0;
		if (libewf_handle_get_acquiry_error(r.h, i, &s0, &ns, NULL) == 1)
			img_bad_add(&out->acq_errors, s0 * bps, ns * bps);
	}

	uint32_t spc = 0;
	libewf_handle_get_sectors_per_chunk(r.h, &spc, NULL);
	int workers = threads > 0 ? threads : shodo_ncpu();
	if (workers > 64)
		workers = 64;
	pthread_mutex_init(&r.mu, NULL);
	for (int i = 0; i < workers; i++)
		if (!(r.codecs[i] = img_codec_new(SHODO_COMPRESS_NONE)) || !(r.memo[i] = calloc(1, sizeof(unchunk_memo)))) {
			workers = i;
			break;
		}
	img_pipe_cfg cfg;
	memset(&cfg, 0, sizeof(cfg));
	cfg.size = media;
	cfg.hashes = hashes ? hashes : SHODO_HASH_ALL;
	cfg.nslots = 8 + 2 * workers;
	cfg.sink = sink;
	cfg.cancel = cancel;
	cfg.phase = "verify";
	img_pipe_ops ops = {ewf_produce, ewf_work, NULL};
	if (spc * bps != IMG_CHUNK || workers == 0) {
		/* other chunk sizes: let libewf inflate, on the reader thread */
		ops.produce = ewf_produce_buffer;
		ops.work = NULL;
		workers = 0;
	}
	cfg.workers = workers;
	cfg.hash_after_work = 1;
	cfg.hash_split = hash_split;
	cfg.split_digests = &out->got_src;
	cfg.cpu = &out->cpu;
	shodo_status st = img_pipe_run(&cfg, &ops, &r, &out->got, err);
	libewf_handle_close(r.h, NULL);
	libewf_handle_free(&r.h, NULL);
	for (int i = 0; i < 64; i++) {
		img_codec_free(r.codecs[i]);
		free(r.memo[i]);
	}
	pthread_mutex_destroy(&r.mu);
	out->bad_chunks = r.bad_chunks;
	out->first_bad_chunk = r.first_bad;
	out->seconds = shodo_monotonic() - t0;
	return st;
}

/* ---- raw ---- */

typedef struct raw_rd {
	shodo_source *src;
} raw_rd;

static shodo_status raw_produce(void *ud, img_slot *s, shodo_err *err)
{
	raw_rd *r = ud;
	if (s->seq % 16 == 0)
		shodo_source_advise(r->src, s->off + IMG_SLOT, 32u * IMG_SLOT);
	ssize_t n = shodo_source_pread_full(r->src, s->data, s->len, s->off);
	if (n != (ssize_t)s->len)
		return shodo_err_set(err, SHODO_FAILED, n < 0 ? errno : 0, "cannot read '%s' at offset %llu%s",
		                     r->src->path, (unsigned long long)s->off, n < 0 ? "" : ": unexpected end");
	return SHODO_OK;
}

shodo_status img_verify_raw(const char *path, int hashes, const shodo_sink *sink, shodo_cancel *cancel,
                            img_media_check *out, shodo_err *err)
{
	raw_rd r;
	memset(out, 0, sizeof(*out));
	double t0 = shodo_monotonic();
	shodo_status st = shodo_source_open(path, 0, &r.src, err);
	if (st != SHODO_OK)
		return st;
	/* read what the disk holds (see shodo_uncache) */
	shodo_uncache_fuseblk(path);
	shodo_uncache(path);
	for (int i = 0; i < r.src->nsegments; i++)
		shodo_uncache(r.src->segments[i]);
	out->size = r.src->size;
	out->nsegments = r.src->nsegments ? r.src->nsegments : 1;
	img_pipe_cfg cfg;
	memset(&cfg, 0, sizeof(cfg));
	cfg.size = r.src->size;
	cfg.hashes = hashes ? hashes : SHODO_HASH_ALL;
	cfg.nslots = 8;
	cfg.sink = sink;
	cfg.cancel = cancel;
	cfg.phase = "verify";
	img_pipe_ops ops = {raw_produce, NULL, NULL};
	cfg.split_digests = &out->got_src;
	cfg.cpu = &out->cpu;
	st = img_pipe_run(&cfg, &ops, &r, &out->got, err);
	shodo_source_close(r.src);
	out->seconds = shodo_monotonic() - t0;
	return st;
}

/* ---- shodo_image_verify: E01, raw with its acquisition.json, case folder ---- */

static int has_ewf_sig(const char *path)
{
	unsigned char sig[8];
	static const unsigned char evf[8] = {'E', 'V', 'F', 0x09, 0x0d, 0x0a, 0xff, 0x00};
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return 0;
	size_t n = fread(sig, 1, 8, fp);
	fclose(fp);
	return n == 8 && !memcmp(sig, evf, 8);
}

typedef struct case_cb {
	json_t *problems;
	const shodo_sink *sink;
} case_cb;

static void case_problem(const char *rel, const char *what, void *ud)
{
	case_cb *c = ud;
	json_array_append_new(c->problems, json_pack("{s:s, s:s}", "path", rel, "problem", what));
	shodo_emit(c->sink, SHODO_EV_ERROR, "verify", "%s: %s", rel, what);
}

static shodo_status verify_case(const shodo_verify_opts *o, const shodo_sink *sink, json_t **result,
                                shodo_err *err)
{
	shodo_case_check res;
	case_cb cb = {json_array(), sink};
	shodo_status st = shodo_case_verify(o->path, o->pubkey, o->anchor, &res, case_problem, &cb, err);
	if (st == SHODO_FATAL || st == SHODO_USAGE) {
		json_decref(cb.problems);
		return st;
	}
	const char *sig = res.signature == -1   ? (o->pubkey ? "no signature" : "absent")
	                  : res.signature == 0  ? "bad"
	                  : res.signature == 1  ? "good"
	                  : res.signature == -2 ? "key unusable"
	                                        : "not checked (no --pubkey)";
	json_t *inc = json_array();
	for (int i = 0; i < res.nincomplete && i < 8; i++)
		json_array_append_new(inc, json_pack("{s:s}", "evidence", res.incomplete[i]));
	json_t *doc = json_pack("{s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:s, s:o, s:o}", "kind", "case", "path", o->path,
	                        "files_ok", res.files_ok, "files_bad", res.files_bad, "files_missing", res.files_missing,
	                        "files_unlisted", res.files_unlisted, "custody_mismatch", res.custody_mismatch,
	                        "signature", sig, "incomplete", inc, "problems", cb.problems);
	json_object_set_new(doc, "custody_head", json_pack("{s:s, s:i}", "sha256", res.head, "entries", res.entries));
	if (o->anchor)
		json_object_set_new(doc, "anchor", json_pack("{s:s, s:b}", "sha256", o->anchor, "found", res.anchor == 1));
	int damaged = res.files_bad || res.files_missing || res.files_unlisted || res.custody_mismatch ||
	              res.signature == 0 || res.anchor == 0;
	int nosig = o->pubkey && res.signature == -1;
	const char *verdict = damaged ? "mismatch" : res.nincomplete ? "incomplete" : nosig ? "no signature"
	                     : res.signature == -2 ? "key unusable" : "match";
	json_object_set_new(doc, "result", json_string(verdict));
	*result = doc;
	if (damaged) {
		char extra[256] = "";
		if (res.custody_mismatch)
			snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra), ", %d differ from custody",
			         res.custody_mismatch);
		if (res.signature == 0)
			snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra), ", signature bad");
		if (res.anchor == 0)
			snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra), ", the anchored custody entry is gone");
		return shodo_err_set(err, SHODO_FAILED, 0,
		                     "case folder '%s': %d file(s) differ, %d missing, %d not listed%s", o->path,
		                     res.files_bad, res.files_missing, res.files_unlisted, extra);
	}
	if (res.nincomplete) {
		shodo_err_set(err, SHODO_FAILED, 0, "case folder '%s' is incomplete: %d evidence item(s) with an "
		              "unfinished image (%s%s)", o->path, res.nincomplete, res.incomplete[0],
		              res.nincomplete > 1 ? ", ..." : "");
		shodo_err_hint(err, "continue each with shodo image ... --resume, or hand it over as incomplete");
		return SHODO_FAILED;
	}
	if (nosig)
		return shodo_err_set(err, SHODO_FAILED, 0, "case folder '%s': no signature (SHA256SUMS.sig is absent), "
		                     "so --pubkey has nothing to check", o->path);
	if (res.signature == -2)
		return shodo_err_set(err, SHODO_FAILED, 0, "case folder '%s': %s", o->path, res.key_error);
	return SHODO_OK;
}

static json_t *load_acq_beside(const char *path)
{
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s", path);
	char *sl = strrchr(dir, '/');
	if (sl)
		*sl = '\0';
	else
		snprintf(dir, sizeof(dir), ".");
	char p[4200];
	snprintf(p, sizeof(p), "%s/acquisition.json", dir);
	return json_load_file(p, 0, NULL);
}

static const char *jstr_of(json_t *o, const char *k)
{
	json_t *v = o ? json_object_get(o, k) : NULL;
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int jstr_eq(json_t *o, const char *k, const char *want)
{
	const char *v = jstr_of(o, k);
	return v && !strcmp(v, want);
}

static const char *hstr(json_t *acq, const char *k)
{
	json_t *v = json_object_get(json_object_get(acq, "hashes"), k);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

shodo_status shodo_image_verify(const shodo_verify_opts *o, json_t **result, shodo_err *err)
{
	const shodo_sink *sink = o->sink;
	shodo_cancel *cancel = o->cancel;
	struct stat st;
	*result = NULL;
	if (!o->path || !*o->path)
		return shodo_err_set(err, SHODO_USAGE, 0, "verify: no path given");
	if (stat(o->path, &st) < 0)
		return shodo_err_set(err, SHODO_FATAL, errno, "cannot open '%s'", o->path);
	if (S_ISDIR(st.st_mode)) {
		char p[4200];
		snprintf(p, sizeof(p), "%s/case.json", o->path);
		if (access(p, F_OK) < 0)
			return shodo_err_set(err, SHODO_FATAL, 0,
			                     "'%s' is a folder but not a case folder (no case.json)", o->path);
		return verify_case(o, sink, result, err);
	}
	/* a damaged or incomplete E01 set is named as such, never read as raw */
	if (shodo_ewf_check(o->path, err) != SHODO_OK) {
		err->status = SHODO_FATAL;   /* cannot be verified: exit 3 */
		return SHODO_FATAL;
	}
	int e01 = has_ewf_sig(o->path);
	json_t *acq = load_acq_beside(o->path);
	img_media_check mc;
	/* compute what can be compared: MD5 and SHA-1 (stored in an E01),
	 * and whatever acquisition.json recorded */
	int hashes = (e01 ? SHODO_HASH_MD5 | SHODO_HASH_SHA1 : 0) | (acq && hstr(acq, "md5") ? SHODO_HASH_MD5 : 0) |
	             (acq && hstr(acq, "sha1") ? SHODO_HASH_SHA1 : 0) |
	             (acq && hstr(acq, "sha256") ? SHODO_HASH_SHA256 : 0);
	if (!hashes)
		hashes = SHODO_HASH_ALL;
	/* acquisition.json records the hashes of the source's own bytes; an E01
	 * stores those of the media padded to whole sectors.  Both are computed
	 * in one pass (the split at the source's size) and each is compared
	 * with its own record.  Documents from before the split hashed the
	 * padded media: no "hashes_cover" field. */
	json_t *ajs = acq ? json_object_get(acq, "source") : NULL;
	int cover_src = acq && jstr_eq(acq, "hashes_cover", "source");
	uint64_t split = cover_src ? (uint64_t)json_integer_value(json_object_get(ajs, "size")) : 0;
	shodo_status rc = e01 ? img_verify_e01(o->path, o->threads, hashes, split, sink, cancel, &mc, err)
	                      : (acq ? img_verify_raw(o->path, hashes, sink, cancel, &mc, err)
	                             : shodo_err_set(err, SHODO_FATAL, 0,
	                                             "cannot verify '%s': not an E01 image, and no "
	                                             "acquisition.json beside it holds its hashes", o->path));
	if (rc != SHODO_OK) {
		json_decref(acq);
		if (e01 || acq)
			img_bad_free(&mc.acq_errors);
		return rc == SHODO_FAILED ? SHODO_FATAL : rc;
	}
	/* compare: what the image stores, and what acquisition.json recorded */
	char why[1024] = "";
	int compared = 0;
	if (mc.bad_chunks)
		snprintf(why, sizeof(why), "%llu chunk(s) fail their checksum, the first at media offset %llu",
		         (unsigned long long)mc.bad_chunks, (unsigned long long)mc.first_bad_chunk);
	const shodo_digests *asrc = cover_src ? &mc.got_src : &mc.got;
	json_t *sh = acq ? json_object_get(json_object_get(acq, "image"), "stored_hashes") : NULL;
	struct {
		const char *name, *got, *want, *from;
	} cmp[] = {
		{"MD5", mc.got.md5, mc.stored.md5, "the image"},
		{"SHA-1", mc.got.sha1, mc.stored.sha1, "the image"},
		{"MD5", asrc->md5, acq ? hstr(acq, "md5") : NULL, "acquisition.json (the source's bytes)"},
		{"SHA-1", asrc->sha1, acq ? hstr(acq, "sha1") : NULL, "acquisition.json (the source's bytes)"},
		{"SHA-256", asrc->sha256, acq ? hstr(acq, "sha256") : NULL, "acquisition.json (the source's bytes)"},
		{"MD5", mc.got.md5, jstr_of(sh, "md5"), "acquisition.json (the padded media stored in the E01)"},
		{"SHA-1", mc.got.sha1, jstr_of(sh, "sha1"), "acquisition.json (the padded media stored in the E01)"},
		{NULL, NULL, NULL, NULL},
	};
	for (int i = 0; cmp[i].name; i++) {
		if (!cmp[i].want || !cmp[i].want[0])
			continue;
		compared++;
		if (strcasecmp(cmp[i].got, cmp[i].want) && !why[0])
			snprintf(why, sizeof(why), "%s mismatch: computed %s, %s records %s", cmp[i].name, cmp[i].got,
			         cmp[i].from, cmp[i].want);
	}
	json_int_t acq_media = -1;
	if (acq) {
		json_t *img = json_object_get(acq, "image");
		acq_media = json_integer_value(json_object_get(img, "media_size"));
		if (json_object_get(img, "media_size") && (uint64_t)acq_media != mc.size && !why[0])
			snprintf(why, sizeof(why), "size mismatch: the image holds %llu bytes, acquisition.json records %lld",
			         (unsigned long long)mc.size, (long long)acq_media);
	}
	if (!compared && !why[0])
		snprintf(why, sizeof(why), "nothing to compare with: '%s' stores no hash and has no acquisition.json "
		         "beside it", o->path);
	const char *res = why[0] ? "mismatch" : "match";
	json_t *doc = json_pack("{s:s, s:s, s:s, s:I, s:i, s:f}", "kind", e01 ? "e01" : "raw", "path", o->path,
	                        "result", res, "size", (json_int_t)mc.size, "segments", mc.nsegments, "seconds",
	                        mc.seconds);
	json_object_set_new(doc, "computed",
	                    json_pack("{s:s?, s:s?, s:s?}", "md5", (asrc->set & SHODO_HASH_MD5) ? asrc->md5 : NULL,
	                              "sha1", (asrc->set & SHODO_HASH_SHA1) ? asrc->sha1 : NULL, "sha256",
	                              (asrc->set & SHODO_HASH_SHA256) ? asrc->sha256 : NULL));
	if (e01 && cover_src && split && split < mc.size) {
		/* what ewfverify shows: the media padded to whole sectors */
		json_object_set_new(doc, "computed_padded_media",
		                    json_pack("{s:s?, s:s?, s:I}", "md5", (mc.got.set & SHODO_HASH_MD5) ? mc.got.md5 : NULL,
		                              "sha1", (mc.got.set & SHODO_HASH_SHA1) ? mc.got.sha1 : NULL, "padding_bytes",
		                              (json_int_t)(mc.size - split)));
	}
	json_object_set_new(doc, "stored", json_pack("{s:s?, s:s?}", "md5", mc.stored.md5[0] ? mc.stored.md5 : NULL,
	                                             "sha1", mc.stored.sha1[0] ? mc.stored.sha1 : NULL));
	if (acq)
		json_object_set_new(doc, "acquisition_json",
		                    json_pack("{s:s?, s:s?, s:s?}", "md5", hstr(acq, "md5"), "sha1", hstr(acq, "sha1"),
		                              "sha256", hstr(acq, "sha256")));
	json_t *errs = json_array();
	for (size_t i = 0; i < mc.acq_errors.n; i++)
		json_array_append_new(errs, json_pack("{s:I, s:I}", "offset", (json_int_t)mc.acq_errors.r[i].off,
		                                      "length", (json_int_t)mc.acq_errors.r[i].len));
	json_object_set_new(doc, "acquiry_errors", errs);
	json_object_set_new(doc, "bad_chunks", json_integer((json_int_t)mc.bad_chunks));
	if (why[0])
		json_object_set_new(doc, "detail", json_string(why));
	img_bad_free(&mc.acq_errors);
	json_decref(acq);
	*result = doc;
	if (why[0])
		return shodo_err_set(err, SHODO_FAILED, 0, "%s: %s", o->path, why);
	return SHODO_OK;
}
