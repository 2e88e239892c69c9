/*
 * shodo_image_acquire: checks, the pipeline, logs and the case folder.
 *
 * Order of work: refuse what must be refused before creating anything;
 * write <first>.state.json (the resumable record of an acquisition in
 * progress); run the pipeline; finalize the image; verify it; hash the
 * segments; write acquisition.json and the human log; custody entries;
 * seal; refresh SHA256SUMS; remove the state file.  An acquisition that
 * stops early leaves its state file and no acquisition.json or log, so
 * nothing looks complete that is not.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>
#include <isa-l.h>
#include <libdeflate.h>
#include "imager_int.h"
#include "imager_out.h"
#include "imager_verify.h"
#include "shodo/case.h"
#include "shodo/devices.h"
#include "shodo/hash.h"
#include "shodo/imager.h"
#include "shodo/source.h"
#include "shodo/util.h"
#include "shodo/version.h"

#define DEFAULT_SEGMENT (2ull << 30)
#define MIN_SEGMENT (1ull << 20)

void shodo_image_opts_init(shodo_image_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->format = SHODO_IMAGE_E01;
	o->compression = SHODO_COMPRESS_FAST;
	o->hashes = SHODO_HASH_ALL;
	o->verify = 1;
	o->retries = 2;
}

typedef struct acq {
	const shodo_image_opts *o;
	const shodo_sink *sink;
	shodo_cancel *cancel;
	shodo_source *src;
	uint64_t media;          /* bytes imaged (E01: source padded to a sector) */
	uint32_t bps;            /* sector size for narrowing reads */
	int retries;
	img_codec *codecs[64];
	int nworkers;
	img_ewf *ewf;
	img_raw *raw;
	uint64_t resume_off;
	img_badlist bad, prev_bad;
	pthread_mutex_t bad_mu;
	size_t bad_saved;
	uint64_t written;        /* stored bytes (after compression) */
	uint64_t done_off;       /* media bytes handed to the writer */
	char imgdir[4096], base[4096], first[4096], state[4096];
	char started[32];
	json_t *state_doc;
	/* segments hashed while the acquisition runs (see seg_main) */
	pthread_t seg_th;
	int seg_started;
	atomic_int seg_stop;
	pthread_mutex_t seg_mu;
	struct seg_done {
		uint64_t size;
		int64_t mtime_ns;
		char sha256[65];
	} *seg;
	int nseg_done;
	int compression;
	uint64_t segsize;
	int format;
} acq;

/* ---------- reading with retries, narrowing and zero fill ---------- */

static int read_exact(acq *a, unsigned char *buf, uint64_t off, size_t len)
{
	/* the part past the end of the source (E01 sector padding) is zeros */
	size_t want = len;
	if (off >= a->src->size)
		want = 0;
	else if (off + len > a->src->size)
		want = (size_t)(a->src->size - off);
	if (want < len)
		memset(buf + want, 0, len - want);
	if (!want)
		return 0;
	ssize_t r = shodo_source_read_at(a->src, buf, want, off);
	if (r == (ssize_t)want)
		return 0;
	if (r >= 0)
		errno = EIO;
	return -1;
}

static uint64_t record_bad(acq *a, uint64_t off, uint64_t len)
{
	pthread_mutex_lock(&a->bad_mu);
	img_bad_add(&a->bad, off, len);
	pthread_mutex_unlock(&a->bad_mu);
	return len;
}

/* one warning per failing chunk, not per sector */
static void warn_bad(acq *a, uint64_t off, uint64_t len, uint64_t lost, int errnum)
{
	shodo_emit(a->sink, SHODO_EV_WARN, "acquire",
	           "read error at offset %llu (sector %llu): %llu of %llu bytes unreadable, zero-filled: %s",
	           (unsigned long long)off, (unsigned long long)(off / 512), (unsigned long long)lost,
	           (unsigned long long)len, errnum ? strerror(errnum) : "read error");
}

/* Reads [off, off+len): a failing read is retried, then narrowed (slot ->
 * chunks -> sectors); sectors that still fail are zero-filled and recorded.
 * Returns the number of bytes lost. */
static uint64_t read_range(acq *a, unsigned char *buf, uint64_t off, size_t len, int top)
{
	int errnum = 0;
	for (int attempt = 0; attempt <= a->retries; attempt++) {
		if (read_exact(a, buf, off, len) == 0)
			return 0;
		errnum = errno;
		if (shodo_cancelled(a->cancel))
			break;
	}
	size_t piece = len > IMG_CHUNK ? IMG_CHUNK : a->bps;
	uint64_t lost = 0;
	if (len > piece) {
		for (size_t done = 0; done < len; done += piece) {
			size_t n = len - done < piece ? len - done : piece;
			lost += read_range(a, buf + done, off + done, n, 0);
		}
		if (piece == a->bps && lost)
			warn_bad(a, off, len, lost, errnum);
		return lost;
	}
	memset(buf, 0, len);
	lost = record_bad(a, off, len);
	if (top || len > a->bps)
		warn_bad(a, off, len, lost, errnum);
	return lost;
}

static shodo_status acq_produce(void *ud, img_slot *s, shodo_err *err)
{
	acq *a = ud;
	if (s->seq % 16 == 0)
		shodo_source_advise(a->src, s->off + IMG_SLOT, 64u * IMG_SLOT);
	read_range(a, s->data, s->off, s->len, 1);
	/* resume: sectors that were unreadable in the first run stay zeros in
	 * the image, so they are zeros in the hashes too, whatever they read now */
	for (size_t i = 0; i < a->prev_bad.n; i++) {
		uint64_t b0 = a->prev_bad.r[i].off, b1 = b0 + a->prev_bad.r[i].len;
		if (b1 > a->resume_off)
			b1 = a->resume_off;
		uint64_t lo = b0 > s->off ? b0 : s->off, hi = b1 < s->off + s->len ? b1 : s->off + s->len;
		if (lo < hi) {
			memset(s->data + (lo - s->off), 0, (size_t)(hi - lo));
			pthread_mutex_lock(&a->bad_mu);
			img_bad_add(&a->bad, lo, hi - lo);
			pthread_mutex_unlock(&a->bad_mu);
		}
	}
	(void)err;
	return SHODO_OK;
}

static shodo_status acq_work(void *ud, int w, img_slot *s, shodo_err *err)
{
	acq *a = ud;
	img_codec *c = a->codecs[w];
	for (int i = 0; i < s->nchunks; i++) {
		uint64_t coff = s->off + (uint64_t)i * IMG_CHUNK;
		uint32_t n = (uint32_t)(s->len - (size_t)i * IMG_CHUNK < IMG_CHUNK ? s->len - (size_t)i * IMG_CHUNK
		                                                                    : IMG_CHUNK);
		if (coff < a->resume_off) {
			s->csize[i] = 0;
			continue;
		}
		int comp = 0;
		s->csize[i] = img_codec_chunk(c, s->data + (size_t)i * IMG_CHUNK, n,
		                              s->work + (size_t)i * IMG_CSTRIDE, &comp, &s->cksum[i]);
		s->ccomp[i] = (uint8_t)comp;
	}
	(void)err;
	return SHODO_OK;
}

static void save_state(acq *a);

static shodo_status acq_consume(void *ud, img_slot *s, shodo_err *err)
{
	acq *a = ud;
	shodo_status st = SHODO_OK;
	if (a->format == SHODO_IMAGE_E01) {
		for (int i = 0; i < s->nchunks && st == SHODO_OK; i++) {
			uint64_t coff = s->off + (uint64_t)i * IMG_CHUNK;
			if (coff < a->resume_off)
				continue;
			uint32_t n = (uint32_t)(s->len - (size_t)i * IMG_CHUNK < IMG_CHUNK
			                            ? s->len - (size_t)i * IMG_CHUNK : IMG_CHUNK);
			const unsigned char *p = s->ccomp[i] ? s->work + (size_t)i * IMG_CSTRIDE
			                                     : s->data + (size_t)i * IMG_CHUNK;
			st = img_ewf_write(a->ewf, p, s->csize[i], n, s->ccomp[i], s->cksum[i], err);
			if (st == SHODO_OK)
				a->written += s->csize[i];
		}
	} else if (s->off + s->len > a->resume_off) {
		uint64_t skip = a->resume_off > s->off ? a->resume_off - s->off : 0;
		st = img_raw_write(a->raw, s->data + skip, s->len - (size_t)skip, err);
		if (st == SHODO_OK)
			a->written += s->len - skip;
	}
	if (st != SHODO_OK) {
		shodo_err_prefix(err, "acquisition stopped at offset %llu of %llu", (unsigned long long)s->off,
		                 (unsigned long long)a->media);
		shodo_err_hint(err, "%llu bytes of image were written to '%s' before the failure; free space or fix "
		               "the destination, then run the same command with --resume to continue",
		               (unsigned long long)a->written, a->imgdir);
		return st;
	}
	a->done_off = s->off + s->len;
	pthread_mutex_lock(&a->bad_mu);
	size_t nb = a->bad.n;
	pthread_mutex_unlock(&a->bad_mu);
	if (nb != a->bad_saved || s->seq % 1024 == 1023)
		save_state(a);
	if (shodo_cancelled(a->cancel))
		return shodo_err_set(err, SHODO_CANCELLED, 0, "acquisition cancelled after %llu of %llu bytes",
		                     (unsigned long long)(s->off + s->len), (unsigned long long)a->media);
	return SHODO_OK;
}

/* ---------- state file ---------- */

static json_t *ranges_json(const img_badlist *b)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < b->n; i++)
		json_array_append_new(arr, json_pack("{s:I, s:I}", "offset", (json_int_t)b->r[i].off,
		                                     "length", (json_int_t)b->r[i].len));
	return arr;
}

static void save_state(acq *a)
{
	pthread_mutex_lock(&a->bad_mu);
	json_object_set_new(a->state_doc, "unreadable", ranges_json(&a->bad));
	a->bad_saved = a->bad.n;
	pthread_mutex_unlock(&a->bad_mu);
	char *s = json_dumps(a->state_doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (s) {
		shodo_write_file_atomic(a->state, s, strlen(s), 0600);
		free(s);
	}
}

static const char *fmt_name(int f) { return f == SHODO_IMAGE_RAW ? "raw" : "e01"; }
static const char *comp_name(int c)
{
	return c == SHODO_COMPRESS_BEST ? "best" : c == SHODO_COMPRESS_FAST ? "fast" : "none";
}

/* ---------- outputs: names ---------- */

static void segment_name(acq *a, int i, char *out, size_t outsz)
{
	if (a->format == SHODO_IMAGE_RAW) {
		img_raw_name(a->base, a->segsize, i, out, outsz);
		return;
	}
	/* libewf: .E01 .. .E99, then .EAA .. .EZZ, then .FAA ... */
	if (i < 99) {
		snprintf(out, outsz, "%s.E%02d", a->base, i + 1);
	} else {
		int k = i - 99;
		char c0 = (char)('E' + k / (26 * 26)), c1 = (char)('A' + (k / 26) % 26), c2 = (char)('A' + k % 26);
		snprintf(out, outsz, "%s.%c%c%c", a->base, c0, c1, c2);
	}
}

static int existing_segments(acq *a)
{
	char p[4096];
	struct stat st;
	int n = 0;
	for (;; n++) {
		segment_name(a, n, p, sizeof(p));
		if (stat(p, &st) < 0)
			break;
		if (a->format == SHODO_IMAGE_RAW && !a->segsize)
			return 1;  /* a single file */
	}
	return n;
}

/* ---------- the job ---------- */

static shodo_status check_source(acq *a, shodo_err *err)
{
	const shodo_image_opts *o = a->o;
	if (a->src->kind == SHODO_SRC_DEVICE) {
		shodo_mount m;
		if (!o->force && shodo_device_mounted_rw((unsigned long long)a->src->rdev, &m)) {
			shodo_err_set(err, SHODO_FATAL, 0, "refusing to image '%s': %s is mounted read-write on '%s'",
			              o->source, m.partition[0] ? m.partition : o->source, m.mountpoint);
			shodo_err_hint(err, "unmount it first (imaging a live file system gives an inconsistent image), "
			                    "or use --force");
			return SHODO_FATAL;
		}
		if (shodo_path_on_device(o->case_dir, (unsigned long long)a->src->rdev)) {
			shodo_err_set(err, SHODO_FATAL, 0, "refusing to image '%s': the case folder '%s' is on that device",
			              o->source, o->case_dir);
			shodo_err_hint(err, "write the image to another disk");
			return SHODO_FATAL;
		}
	} else if (a->src->kind == SHODO_SRC_EWF) {
		return shodo_err_set(err, SHODO_USAGE, 0,
		                     "'%s' is already an E01 image: verify it with 'shodo verify' or export it "
		                     "with ewfexport", o->source);
	}
	return SHODO_OK;
}

static json_t *source_json(acq *a)
{
	shodo_source *s = a->src;
	json_t *j = json_pack("{s:s, s:s, s:I, s:i, s:i}", "path", s->path, "kind",
	                      shodo_source_kind_name(s->kind), "size", (json_int_t)s->size, "sector_size",
	                      (int)s->sector_size, "physical_sector_size",
	                      (int)(s->physical_sector_size ? s->physical_sector_size : s->sector_size));
	json_object_set_new(j, "model", s->model[0] ? json_string(s->model) : json_null());
	json_object_set_new(j, "serial", s->serial[0] ? json_string(s->serial) : json_null());
	if (s->transport[0])
		json_object_set_new(j, "transport", json_string(s->transport));
	return j;
}

static json_t *meta_json(const shodo_image_opts *o)
{
	return json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?}", "case_number", o->case_number, "evidence_number",
	                 o->evidence_number, "examiner", o->examiner, "description", o->description, "notes",
	                 o->notes);
}

static void digests_json(json_t *j, const shodo_digests *d)
{
	json_object_set_new(j, "md5", (d->set & SHODO_HASH_MD5) ? json_string(d->md5) : json_null());
	json_object_set_new(j, "sha1", (d->set & SHODO_HASH_SHA1) ? json_string(d->sha1) : json_null());
	json_object_set_new(j, "sha256", (d->set & SHODO_HASH_SHA256) ? json_string(d->sha256) : json_null());
}

static const char *jstr(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* the human log, from the same document as acquisition.json */
static char *render_log(json_t *doc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	if (!fp)
		return NULL;
	json_t *src = json_object_get(doc, "source"), *meta = json_object_get(doc, "metadata");
	json_t *img = json_object_get(doc, "image"), *ver = json_object_get(doc, "verification");
	json_t *h = json_object_get(doc, "hashes");
	fprintf(fp, "shodo %s acquisition log\n", jstr(json_object_get(doc, "versions"), "shodo"));
	fprintf(fp, "==================================================\n\n");
	fprintf(fp, "Evidence ID:            %s\n", jstr(doc, "evidence_id"));
	const char *mk[][2] = {{"case_number", "Case number:"}, {"evidence_number", "Evidence number:"},
	                       {"examiner", "Examiner:"}, {"description", "Description:"}, {"notes", "Notes:"}};
	for (size_t i = 0; i < 5; i++)
		fprintf(fp, "%-23s %s\n", mk[i][1], jstr(meta, mk[i][0]) ? jstr(meta, mk[i][0]) : "");
	fprintf(fp, "\nSource\n------\n");
	fprintf(fp, "Path:                   %s (%s)\n", jstr(src, "path"), jstr(src, "kind"));
	fprintf(fp, "Size:                   %lld bytes\n", (long long)json_integer_value(json_object_get(src, "size")));
	fprintf(fp, "Sector size:            %lld bytes\n",
	        (long long)json_integer_value(json_object_get(src, "sector_size")));
	fprintf(fp, "Model:                  %s\n", jstr(src, "model") ? jstr(src, "model") : "(unknown)");
	fprintf(fp, "Serial:                 %s\n", jstr(src, "serial") ? jstr(src, "serial") : "(unknown)");
	fprintf(fp, "\nAcquisition\n-----------\n");
	fprintf(fp, "Host:                   %s\n", jstr(doc, "host"));
	fprintf(fp, "Started (UTC):          %s\n", jstr(doc, "start"));
	fprintf(fp, "Finished (UTC):         %s\n", jstr(doc, "end"));
	fprintf(fp, "Bytes read:             %lld\n", (long long)json_integer_value(json_object_get(doc, "bytes_read")));
	fprintf(fp, "Acquisition time:       %.1f s (%.1f MB/s)\n",
	        json_real_value(json_object_get(doc, "acquire_seconds")),
	        json_real_value(json_object_get(doc, "throughput_mb_s")));
	long long segsz = (long long)json_integer_value(json_object_get(img, "segment_size"));
	if (segsz)
		fprintf(fp, "Format:                 %s, compression %s, segment size %lld bytes\n",
		        jstr(img, "format"), jstr(img, "compression"), segsz);
	else
		fprintf(fp, "Format:                 %s, one file\n", jstr(img, "format"));
	if (jstr(img, "compressor"))
		fprintf(fp, "Compressor:             %s\n", jstr(img, "compressor"));
	if (json_is_true(json_object_get(doc, "resumed")))
		fprintf(fp, "Resumed:                yes, at offset %lld\n",
		        (long long)json_integer_value(json_object_get(doc, "resumed_at")));
	fprintf(fp, "\nHashes of the media\n-------------------\n");
	fprintf(fp, "MD5:                    %s\n", jstr(h, "md5") ? jstr(h, "md5") : "(not computed)");
	fprintf(fp, "SHA-1:                  %s\n", jstr(h, "sha1") ? jstr(h, "sha1") : "(not computed)");
	fprintf(fp, "SHA-256:                %s\n", jstr(h, "sha256") ? jstr(h, "sha256") : "(not computed)");
	if (!strcmp(jstr(img, "format"), "e01"))
		fprintf(fp, "Stored in the E01:      MD5 and SHA-1 (the E01 format has no field for SHA-256;\n"
		            "                        it is recorded only in this log and in acquisition.json)\n");
	fprintf(fp, "\nUnreadable ranges\n-----------------\n");
	json_t *bad = json_object_get(doc, "unreadable");
	if (!json_array_size(bad)) {
		fprintf(fp, "None.\n");
	} else {
		size_t i;
		json_t *r;
		json_array_foreach(bad, i, r) {
			long long off = (long long)json_integer_value(json_object_get(r, "offset"));
			long long l = (long long)json_integer_value(json_object_get(r, "length"));
			fprintf(fp, "offset %lld, length %lld (sectors %lld-%lld), zero-filled\n", off, l, off / 512,
			        (off + l - 1) / 512);
		}
		fprintf(fp, "Total unreadable:       %lld bytes\n",
		        (long long)json_integer_value(json_object_get(doc, "unreadable_bytes")));
	}
	fprintf(fp, "\nSegments\n--------\n");
	size_t i;
	json_t *sg;
	json_array_foreach(json_object_get(img, "segments"), i, sg)
		fprintf(fp, "%-24s %14lld bytes  sha256 %s\n", jstr(sg, "name"),
		        (long long)json_integer_value(json_object_get(sg, "size")), jstr(sg, "sha256"));
	fprintf(fp, "\nVerification\n------------\n");
	if (!ver || json_is_null(ver)) {
		fprintf(fp, "Not verified (--no-verify).\n");
	} else {
		fprintf(fp, "Result:                 %s\n", jstr(ver, "result"));
		if (jstr(ver, "detail"))
			fprintf(fp, "Detail:                 %s\n", jstr(ver, "detail"));
		fprintf(fp, "Read back MD5:          %s\n", jstr(ver, "md5") ? jstr(ver, "md5") : "");
		fprintf(fp, "Read back SHA-1:        %s\n", jstr(ver, "sha1") ? jstr(ver, "sha1") : "");
		fprintf(fp, "Read back SHA-256:      %s\n", jstr(ver, "sha256") ? jstr(ver, "sha256") : "");
		fprintf(fp, "Verification time:      %.1f s\n", json_real_value(json_object_get(ver, "seconds")));
	}
	fclose(fp);
	return buf;
}

/* Hashes each segment as soon as libewf (or the raw writer) has moved on to
 * the next one: a finished segment is not written again, and it is still in
 * the page cache, so the SHA-256 of the segments costs no second read of the
 * destination.  hash_segments() uses a result only if the file's size and
 * mtime are still those seen here. */
static int64_t mtime_ns(const struct stat *st)
{
	return (int64_t)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
}

static void *seg_main(void *p)
{
	acq *a = p;
	for (int i = 0;; i++) {
		char cur[4096], next[4096];
		segment_name(a, i, cur, sizeof(cur));
		segment_name(a, i + 1, next, sizeof(next));
		while (access(next, F_OK) != 0) {
			if (atomic_load(&a->seg_stop))
				return NULL;
			struct timespec ts = {0, 100 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
		struct stat st0, st1;
		shodo_digests d;
		shodo_err e;
		memset(&d, 0, sizeof(d));
		if (stat(cur, &st0) < 0 || shodo_hash_file(cur, SHODO_HASH_SHA256, &d, &e) != SHODO_OK ||
		    stat(cur, &st1) < 0 || st0.st_size != st1.st_size || mtime_ns(&st0) != mtime_ns(&st1))
			return NULL;
		pthread_mutex_lock(&a->seg_mu);
		struct seg_done *ns = realloc(a->seg, (size_t)(i + 1) * sizeof(*ns));
		if (ns) {
			a->seg = ns;
			a->seg[i].size = (uint64_t)st1.st_size;
			a->seg[i].mtime_ns = mtime_ns(&st1);
			snprintf(a->seg[i].sha256, sizeof(a->seg[i].sha256), "%s", d.sha256);
			a->nseg_done = i + 1;
		}
		pthread_mutex_unlock(&a->seg_mu);
		if (!ns)
			return NULL;
	}
}

static void seg_stop(acq *a)
{
	if (a->seg_started) {
		atomic_store(&a->seg_stop, 1);
		pthread_join(a->seg_th, NULL);
		a->seg_started = 0;
	}
}

static shodo_status hash_segments(acq *a, shodo_case *c, json_t *segs, int nseg, uint64_t *total,
                                  const shodo_digests *media, shodo_err *err)
{
	*total = 0;
	for (int i = 0; i < nseg; i++) {
		char p[4096], rel[4096];
		segment_name(a, i, p, sizeof(p));
		struct stat st;
		if (stat(p, &st) < 0)
			return shodo_err_set(err, SHODO_FATAL, errno, "cannot read '%s'", p);
		shodo_digests d;
		memset(&d, 0, sizeof(d));
		if (a->format == SHODO_IMAGE_RAW && nseg == 1 && (media->set & SHODO_HASH_SHA256) &&
		    (uint64_t)st.st_size == a->media) {
			d = *media;  /* a single raw file is the media itself */
		} else if (i < a->nseg_done && a->seg[i].size == (uint64_t)st.st_size &&
		           a->seg[i].mtime_ns == mtime_ns(&st)) {
			snprintf(d.sha256, sizeof(d.sha256), "%s", a->seg[i].sha256);  /* hashed while writing */
		} else {
			shodo_status hs = shodo_hash_file(p, SHODO_HASH_SHA256, &d, err);
			if (hs != SHODO_OK)
				return hs;
		}
		const char *name = strrchr(p, '/') ? strrchr(p, '/') + 1 : p;
		json_array_append_new(segs, json_pack("{s:s, s:I, s:s}", "name", name, "size", (json_int_t)st.st_size,
		                                      "sha256", d.sha256));
		*total += (uint64_t)st.st_size;
		shodo_snprintf(rel, sizeof(rel), "%s/image/%s", a->o->evidence_id, name);
		shodo_case_seal_file(p);
		shodo_case_known_hash(c, rel, d.sha256);
		shodo_case_custody(c, "image-segment", a->o->evidence_id, rel, d.sha256, NULL, NULL);
	}
	return SHODO_OK;
}

static shodo_status write_doc_file(acq *a, shodo_case *c, const char *name, const char *data,
                                   shodo_err *err)
{
	char p[4096], rel[4096];
	shodo_snprintf(p, sizeof(p), "%s/%s", a->imgdir, name);
	shodo_snprintf(rel, sizeof(rel), "%s/image/%s", a->o->evidence_id, name);
	chmod(p, 0600);
	if (shodo_write_file_atomic(p, data, strlen(data), 0600) < 0)
		return shodo_err_set(err, SHODO_FATAL, errno, "cannot write '%s'", p);
	unsigned char md[32];
	char hex[65];
	shodo_hash *h = shodo_hash_new(SHODO_HASH_SHA256);
	shodo_digests d;
	memset(&d, 0, sizeof(d));
	if (h) {
		shodo_hash_update(h, data, strlen(data));
		shodo_hash_final(h, &d);
		shodo_hash_free(h);
	}
	(void)md;
	snprintf(hex, sizeof(hex), "%s", d.sha256);
	shodo_case_seal_file(p);
	shodo_case_known_hash(c, rel, hex);
	shodo_case_custody(c, "image-log", a->o->evidence_id, rel, hex, NULL, NULL);
	return SHODO_OK;
}

static shodo_status load_state(acq *a, shodo_err *err)
{
	json_error_t je;
	json_t *st = json_load_file(a->state, 0, &je);
	if (!st)
		return shodo_err_set(err, SHODO_FATAL, 0, "cannot read '%s': %s", a->state, je.text);
	json_int_t ssize = json_integer_value(json_object_get(st, "source_size"));
	if ((uint64_t)ssize != a->src->size) {
		json_decref(st);
		return shodo_err_set(err, SHODO_FATAL, 0,
		                     "cannot resume: the interrupted acquisition read a source of %lld bytes, "
		                     "'%s' has %llu", (long long)ssize, a->o->source,
		                     (unsigned long long)a->src->size);
	}
	const char *f = jstr(st, "format"), *cm = jstr(st, "compression");
	a->format = f && !strcmp(f, "raw") ? SHODO_IMAGE_RAW : SHODO_IMAGE_E01;
	a->compression = cm && !strcmp(cm, "best") ? SHODO_COMPRESS_BEST
	                 : cm && !strcmp(cm, "none") ? SHODO_COMPRESS_NONE : SHODO_COMPRESS_FAST;
	a->segsize = (uint64_t)json_integer_value(json_object_get(st, "segment_size"));
	if (jstr(st, "start"))
		snprintf(a->started, sizeof(a->started), "%s", jstr(st, "start"));
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(st, "unreadable"), i, r)
		img_bad_add(&a->prev_bad, (uint64_t)json_integer_value(json_object_get(r, "offset")),
		            (uint64_t)json_integer_value(json_object_get(r, "length")));
	json_decref(st);
	return SHODO_OK;
}

shodo_status shodo_image_acquire(const shodo_image_opts *o, const shodo_sink *sink,
                                 shodo_cancel *cancel, json_t **result, shodo_err *err)
{
	acq A, *a = &A;
	shodo_case *c = NULL;
	shodo_status rc = SHODO_OK, st;
	json_t *doc = NULL;
	char now[32];
	memset(a, 0, sizeof(*a));
	pthread_mutex_init(&a->bad_mu, NULL);
	pthread_mutex_init(&a->seg_mu, NULL);
	a->o = o;
	a->sink = sink;
	a->cancel = cancel;
	a->retries = o->retries < 0 ? 2 : o->retries;
	a->format = o->format;
	a->compression = o->compression;
	if (result)
		*result = NULL;

	if (!o->source || !*o->source)
		return shodo_err_set(err, SHODO_USAGE, 0, "image: no source given");
	if (!o->case_dir || !*o->case_dir)
		return shodo_err_set(err, SHODO_USAGE, 0, "image: no case folder given (--case DIR)");
	if (!o->evidence_id || !shodo_case_id_valid(o->evidence_id))
		return shodo_err_set(err, SHODO_USAGE, 0,
		                     "invalid evidence ID '%s': use 1-64 letters, digits, '.', '_' or '-'",
		                     o->evidence_id ? o->evidence_id : "");
	a->segsize = o->segment_size;
	if (a->format == SHODO_IMAGE_E01 && !a->segsize)
		a->segsize = DEFAULT_SEGMENT;
	if (a->segsize && a->segsize < MIN_SEGMENT)
		return shodo_err_set(err, SHODO_USAGE, 0, "segment size %llu is too small (minimum 1M)",
		                     (unsigned long long)a->segsize);
	if (a->format == SHODO_IMAGE_RAW && a->segsize % 512)
		return shodo_err_set(err, SHODO_USAGE, 0, "raw segment size must be a multiple of 512 bytes");

	st = shodo_source_open(o->source, o->direct ? SHODO_SOURCE_DIRECT : 0, &a->src, err);
	if (st != SHODO_OK)
		return st == SHODO_USAGE ? st : SHODO_FATAL;
	if ((rc = check_source(a, err)) != SHODO_OK)
		goto out;
	a->bps = a->src->sector_size ? a->src->sector_size : 512;

	/* where the image goes; refuse to overwrite before creating anything */
	{
		char pre[4096];
		shodo_snprintf(pre, sizeof(pre), "%s/%s/image", o->case_dir, o->evidence_id);
		snprintf(a->imgdir, sizeof(a->imgdir), "%s", pre);
		shodo_snprintf(a->base, sizeof(a->base), "%s/%s", pre, o->evidence_id);
		shodo_snprintf(a->state, sizeof(a->state), "%s/%s.state.json", pre, o->evidence_id);
		struct stat sst;
		int have_state = stat(a->state, &sst) == 0;
		if (o->resume && have_state) {
			if ((rc = load_state(a, err)) != SHODO_OK)
				goto out;
		}
		char acqj[4096];
		shodo_snprintf(acqj, sizeof(acqj), "%s/acquisition.json", pre);
		int nseg_e = 0, nseg_r = 0, nseg_r1 = 0;
		{
			int f = a->format;
			a->format = SHODO_IMAGE_E01;
			nseg_e = existing_segments(a);
			a->format = SHODO_IMAGE_RAW;
			uint64_t ss = a->segsize;
			a->segsize = 0;
			nseg_r1 = existing_segments(a);
			a->segsize = 1;
			nseg_r = existing_segments(a);
			a->segsize = ss;
			a->format = f;
		}
		int exists = nseg_e || nseg_r || nseg_r1 || stat(acqj, &sst) == 0;
		if (exists && !o->resume) {
			rc = shodo_err_set(err, SHODO_FATAL, EEXIST, "an image of evidence '%s' already exists in '%s'",
			                   o->evidence_id, pre);
			shodo_err_hint(err, have_state ? "it was interrupted: add --resume to continue it"
			                               : "choose another --evidence ID");
			goto out;
		}
		if (o->resume && stat(acqj, &sst) == 0) {
			rc = shodo_err_set(err, SHODO_FATAL, 0, "nothing to resume: the image of evidence '%s' is complete",
			                   o->evidence_id);
			goto out;
		}
		if (o->resume && exists && !have_state) {
			rc = shodo_err_set(err, SHODO_FATAL, 0,
			                   "cannot resume: '%s' holds image files but no record of an interrupted "
			                   "acquisition ('%s')", pre, a->state);
			goto out;
		}
	}

	shodo_case_meta cm = {o->case_number, o->examiner, o->description, o->notes};
	if ((rc = shodo_case_open(o->case_dir, &cm, 1, &c, err)) != SHODO_OK)
		goto out;
	{
		char dir[4096];
		if ((rc = shodo_case_evidence_dir(c, o->evidence_id, "image", dir, sizeof(dir), err)) != SHODO_OK)
			goto out;
	}
	if (access(a->imgdir, W_OK) < 0) {
		rc = shodo_err_set(err, SHODO_FATAL, errno, "cannot write to '%s'", a->imgdir);
		goto out;
	}

	a->media = a->src->size;
	if (a->format == SHODO_IMAGE_E01 && a->media % 512)
		a->media += 512 - a->media % 512;  /* E01 stores whole sectors */
	segment_name(a, 0, a->first, sizeof(a->first));
	if (!a->started[0])
		shodo_now_iso(a->started);

	/* open the writer */
	if (a->format == SHODO_IMAGE_E01) {
		int resumed = 0;
		if (o->resume && existing_segments(a) > 0) {
			rc = img_ewf_resume(a->first, &a->ewf, &a->resume_off, err);
			int nseg = existing_segments(a);
			char last[4096];
			struct stat lst;
			segment_name(a, nseg - 1, last, sizeof(last));
			if (rc != SHODO_OK && nseg > 1 && stat(last, &lst) == 0 && lst.st_size < 65536) {
				/* killed just after creating the next segment: it holds no
				 * complete section, and libewf cannot open it.  Without it
				 * libewf resumes at the end of the previous segment. */
				shodo_emit(sink, SHODO_EV_INFO, "acquire", "removing the unfinished last segment '%s' (%lld bytes)",
				           last, (long long)lst.st_size);
				if (unlink(last) == 0)
					rc = img_ewf_resume(a->first, &a->ewf, &a->resume_off, err);
			}
			if (rc != SHODO_OK) {
				shodo_err_hint(err, "the interrupted image cannot be continued; move it away and start again");
				goto out;
			}
			resumed = 1;
		}
		if (!resumed) {
			struct utsname u;
			char sw[64];
			snprintf(sw, sizeof(sw), "shodo %s", shodo_version());
			(void)u;
			img_ewf_meta m = {a->media, 512, a->segsize, a->compression, a->src->kind == SHODO_SRC_DEVICE,
			                  o->case_number, o->evidence_number, o->examiner, o->description, o->notes, sw,
			                  a->src->model, a->src->serial};
			if ((rc = img_ewf_create(a->base, &m, &a->ewf, err)) != SHODO_OK)
				goto out;
		}
	} else {
		if (o->resume)
			a->resume_off = img_raw_existing(a->base, a->segsize);
		if (a->resume_off > a->media)
			a->resume_off = a->media / IMG_CHUNK * IMG_CHUNK;
		if ((rc = img_raw_create(a->base, a->segsize, a->resume_off, &a->raw, err)) != SHODO_OK)
			goto out;
	}
	if (a->resume_off % IMG_CHUNK) {
		rc = shodo_err_set(err, SHODO_FATAL, 0, "cannot resume '%s': it stops inside a chunk (offset %llu)",
		                   a->first, (unsigned long long)a->resume_off);
		goto out;
	}

	a->state_doc = json_pack("{s:s, s:s, s:s, s:I, s:I, s:s, s:I, s:s}", "status", "in progress", "start",
	                         a->started, "source", o->source, "source_size", (json_int_t)a->src->size,
	                         "media_size", (json_int_t)a->media, "format", fmt_name(a->format),
	                         "segment_size", (json_int_t)a->segsize, "compression", comp_name(a->compression));
	save_state(a);
	{
		char detail[1024];
		snprintf(detail, sizeof(detail), "source '%s' (%llu bytes%s%s%s%s), format %s%s", o->source,
		         (unsigned long long)a->src->size, a->src->model[0] ? ", model " : "", a->src->model,
		         a->src->serial[0] ? ", serial " : "", a->src->serial, fmt_name(a->format),
		         o->resume ? ", resumed" : "");
		shodo_case_custody(c, o->resume ? "acquire-resume" : "acquire-start", o->evidence_id, NULL, NULL,
		                   detail, NULL);
	}
	if (a->resume_off)
		shodo_emit(sink, SHODO_EV_INFO, "acquire",
		           "resuming at offset %llu: re-reading the source up to there for the hashes",
		           (unsigned long long)a->resume_off);

	/* the pipeline */
	int threads = o->threads > 0 ? o->threads : shodo_ncpu();
	a->nworkers = a->format == SHODO_IMAGE_E01 ? (threads > 64 ? 64 : threads) : 0;
	for (int i = 0; i < a->nworkers; i++)
		if (!(a->codecs[i] = img_codec_new(a->compression))) {
			rc = shodo_err_set(err, SHODO_FATAL, ENOMEM, "cannot set up compression");
			goto out;
		}
	int hashes = o->hashes ? o->hashes : SHODO_HASH_ALL;
	shodo_emit(sink, SHODO_EV_PHASE, "acquire", "acquiring '%s' (%llu bytes) into '%s'", o->source,
	           (unsigned long long)a->src->size, a->first);
	img_pipe_cfg cfg;
	memset(&cfg, 0, sizeof(cfg));
	cfg.size = a->media;
	cfg.hashes = hashes;
	cfg.workers = a->nworkers;
	cfg.nslots = 8 + 2 * a->nworkers;
	cfg.sink = sink;
	cfg.cancel = cancel;
	cfg.phase = "acquire";
	img_pipe_ops ops = {acq_produce, a->nworkers ? acq_work : NULL, acq_consume};
	shodo_digests dg;
	memset(&dg, 0, sizeof(dg));
	if (!a->resume_off && !o->resume && !(a->format == SHODO_IMAGE_RAW && !a->segsize))
		a->seg_started = pthread_create(&a->seg_th, NULL, seg_main, a) == 0;
	double t0 = shodo_monotonic();
	st = img_pipe_run(&cfg, &ops, a, &dg, err);
	if (st == SHODO_OK) {
		if (a->ewf) {
			st = img_ewf_finish(a->ewf, &dg, &a->bad, err);
			a->ewf = NULL;
		} else {
			st = img_raw_finish(a->raw, err);
			a->raw = NULL;
		}
	}
	double t_acq = shodo_monotonic() - t0;
	seg_stop(a);
	if (st != SHODO_OK) {
		save_state(a);
		rc = st;
		char detail[512];
		snprintf(detail, sizeof(detail), "stopped: %s", err->msg);
		shodo_case_custody(c, "acquire-stopped", o->evidence_id, NULL, NULL, detail, NULL);
		if (st == SHODO_CANCELLED) {
			shodo_err_set(err, SHODO_CANCELLED, 0, "acquisition of '%s' cancelled after %llu of %llu bytes",
			              o->source, (unsigned long long)a->done_off, (unsigned long long)a->media);
			shodo_err_hint(err, "the image in '%s' is incomplete; run the same command with --resume to "
			                    "continue it", a->imgdir);
		} else if (st == SHODO_FATAL) {
			if (!err->hint[0])
				shodo_err_hint(err, "the image in '%s' is incomplete; fix the cause and run the same command "
				                    "with --resume to continue it", a->imgdir);
		}
		goto out;
	}

	/* verification */
	json_t *ver = json_null();
	shodo_status vst = SHODO_OK;
	if (o->verify) {
		img_media_check mc;
		shodo_err verr;
		shodo_err_clear(&verr);
		shodo_emit(sink, SHODO_EV_PHASE, "verify", "verifying '%s'", a->first);
		vst = a->format == SHODO_IMAGE_E01 ? img_verify_e01(a->first, threads, hashes, sink, cancel, &mc, &verr)
		                                   : img_verify_raw(a->first, hashes, sink, cancel, &mc, &verr);
		char detail[1200] = "";
		const char *res = "match";
		if (vst != SHODO_OK) {
			res = "error";
			snprintf(detail, sizeof(detail), "%s", verr.msg);
		} else if (mc.bad_chunks) {
			res = "mismatch";
			snprintf(detail, sizeof(detail), "%llu chunk(s) fail their checksum, the first at media offset %llu",
			         (unsigned long long)mc.bad_chunks, (unsigned long long)mc.first_bad_chunk);
		} else if (mc.size != a->media) {
			res = "mismatch";
			snprintf(detail, sizeof(detail), "image holds %llu bytes, %llu were acquired",
			         (unsigned long long)mc.size, (unsigned long long)a->media);
		} else if (((dg.set & SHODO_HASH_MD5) && strcmp(mc.got.md5, dg.md5)) ||
		           ((dg.set & SHODO_HASH_SHA1) && strcmp(mc.got.sha1, dg.sha1)) ||
		           ((dg.set & SHODO_HASH_SHA256) && strcmp(mc.got.sha256, dg.sha256))) {
			res = "mismatch";
			snprintf(detail, sizeof(detail), "hashes read back differ from the hashes computed while acquiring");
		}
		ver = json_pack("{s:s, s:s?, s:s?, s:s?, s:f}", "result", res, "md5",
		                (mc.got.set & SHODO_HASH_MD5) ? mc.got.md5 : NULL, "sha1",
		                (mc.got.set & SHODO_HASH_SHA1) ? mc.got.sha1 : NULL, "sha256",
		                (mc.got.set & SHODO_HASH_SHA256) ? mc.got.sha256 : NULL, "seconds", mc.seconds);
		if (detail[0])
			json_object_set_new(ver, "detail", json_string(detail));
		if (strcmp(res, "match")) {
			vst = SHODO_FAILED;
			shodo_emit(sink, SHODO_EV_ERROR, "verify", "verification failed: %s", detail);
		}
		img_bad_free(&mc.acq_errors);
		shodo_case_custody(c, "verify", o->evidence_id, NULL, NULL, detail[0] ? detail : res, NULL);
	}

	/* segments, documents, custody, sums */
	json_t *segs = json_array();
	int nseg = existing_segments(a);
	uint64_t outbytes = 0;
	if ((rc = hash_segments(a, c, segs, nseg, &outbytes, &dg, err)) != SHODO_OK) {
		json_decref(segs);
		json_decref(ver);
		goto out;
	}
	char host[256] = "";
	gethostname(host, sizeof(host) - 1);
	doc = json_object();
	json_object_set_new(doc, "evidence_id", json_string(o->evidence_id));
	json_object_set_new(doc, "tool", json_string("shodo"));
	json_object_set_new(doc, "versions", shodo_version_json());
	json_object_set_new(doc, "host", json_string(host));
	json_object_set_new(doc, "source", source_json(a));
	json_object_set_new(doc, "metadata", meta_json(o));
	json_object_set_new(doc, "start", json_string(a->started));
	json_object_set_new(doc, "end", json_string(shodo_now_iso(now)));
	json_object_set_new(doc, "bytes_read", json_integer((json_int_t)a->src->size));
	json_object_set_new(doc, "acquire_seconds", json_real(t_acq));
	json_object_set_new(doc, "throughput_mb_s", json_real(t_acq > 0 ? (double)a->media / 1e6 / t_acq : 0));
	if (a->resume_off) {
		json_object_set_new(doc, "resumed", json_true());
		json_object_set_new(doc, "resumed_at", json_integer((json_int_t)a->resume_off));
	}
	json_t *hj = json_object();
	digests_json(hj, &dg);
	json_object_set_new(doc, "hashes", hj);
	json_t *img = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I}", "format", fmt_name(a->format), "compression",
	                        a->format == SHODO_IMAGE_E01 ? comp_name(a->compression) : "none",
	                        "segment_size", (json_int_t)a->segsize, "media_size", (json_int_t)a->media,
	                        "chunk_size", (json_int_t)IMG_CHUNK, "bytes_written", (json_int_t)outbytes);
	if (a->format == SHODO_IMAGE_E01) {
		json_object_set_new(img, "stored_in_image", json_pack("[s, s]", "md5", "sha1"));
		char comp[128];
		if (a->compression == SHODO_COMPRESS_FAST)
			snprintf(comp, sizeof(comp), "ISA-L %d.%d.%d igzip level 1, zlib format", ISAL_MAJOR_VERSION,
			         ISAL_MINOR_VERSION, ISAL_PATCH_VERSION);
		else if (a->compression == SHODO_COMPRESS_BEST)
			snprintf(comp, sizeof(comp), "libdeflate %s level 9, zlib format", LIBDEFLATE_VERSION_STRING);
		else
			snprintf(comp, sizeof(comp), "none");
		json_object_set_new(img, "compressor", json_string(comp));
	}
	if (a->media != a->src->size)
		json_object_set_new(img, "padding_bytes", json_integer((json_int_t)(a->media - a->src->size)));
	json_object_set_new(img, "segments", segs);
	json_object_set_new(doc, "image", img);
	json_object_set_new(doc, "unreadable", ranges_json(&a->bad));
	json_object_set_new(doc, "unreadable_bytes", json_integer((json_int_t)a->bad.total));
	json_object_set_new(doc, "verification", ver);

	{
		char *js = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		char *log = render_log(doc);
		char logname[512];
		const char *fn = strrchr(a->first, '/') ? strrchr(a->first, '/') + 1 : a->first;
		snprintf(logname, sizeof(logname), "%s.txt", fn);
		size_t jl = js ? strlen(js) : 0;
		char *js2 = js ? realloc(js, jl + 2) : NULL;
		if (js2) {
			js = js2;
			js[jl] = '\n';
			js[jl + 1] = '\0';
		}
		rc = (!js || !log) ? shodo_err_set(err, SHODO_FATAL, ENOMEM, "cannot render the logs") : SHODO_OK;
		if (rc == SHODO_OK)
			rc = write_doc_file(a, c, logname, log, err);
		if (rc == SHODO_OK)
			rc = write_doc_file(a, c, "acquisition.json", js, err);
		free(js);
		free(log);
		if (rc != SHODO_OK)
			goto out;
	}
	unlink(a->state);
	{
		char detail[512];
		snprintf(detail, sizeof(detail), "md5 %s sha1 %s sha256 %s, %llu bytes unreadable",
		         (dg.set & SHODO_HASH_MD5) ? dg.md5 : "-", (dg.set & SHODO_HASH_SHA1) ? dg.sha1 : "-",
		         (dg.set & SHODO_HASH_SHA256) ? dg.sha256 : "-", (unsigned long long)a->bad.total);
		shodo_case_custody(c, "acquire-end", o->evidence_id, NULL, NULL, detail, NULL);
	}
	if ((rc = shodo_case_refresh_sums(c, o->sign_key, err)) != SHODO_OK)
		goto out;

	rc = SHODO_OK;
	if (a->bad.total) {
		rc = shodo_err_set(err, SHODO_WARN, 0, "%llu bytes in %zu ranges were unreadable and are zero-filled "
		                   "in the image (listed in acquisition.json)", (unsigned long long)a->bad.total, a->bad.n);
	}
	if (vst != SHODO_OK) {
		rc = shodo_err_set(err, SHODO_FAILED, 0, "verification of '%s' failed: %s", a->first,
		                   jstr(ver, "detail") ? jstr(ver, "detail") : "mismatch");
	}
out:
	seg_stop(a);
	free(a->seg);
	pthread_mutex_destroy(&a->seg_mu);
	if (a->ewf)
		img_ewf_abort(a->ewf);
	if (a->raw)
		img_raw_abort(a->raw);
	for (int i = 0; i < 64; i++)
		img_codec_free(a->codecs[i]);
	json_decref(a->state_doc);
	img_bad_free(&a->bad);
	img_bad_free(&a->prev_bad);
	if (a->src)
		shodo_source_close(a->src);
	shodo_case_close(c);
	pthread_mutex_destroy(&a->bad_mu);
	if (result)
		*result = doc;
	else
		json_decref(doc);
	return rc;
}
