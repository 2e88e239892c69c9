/*
 * shodo_image_acquire: checks, the pipeline, logs and the case folder, in
 * steps, each a function with one cleanup path (everything the job owns
 * lives in struct acq and is released once, by acq_free):
 *
 *   1 acq_check_opts   options (USAGE)
 *   2 acq_open_source  open the source; refuse an E01, a case folder on the
 *                      source device (always) and a source mounted
 *                      read-write (unless --force)
 *   3 acq_prepare      open the case, take the evidence item's lock (one
 *                      writer: image, resume, triage, front end), refuse an
 *                      existing image, take a resume's parameters from its
 *                      state file, check free space, open the writer, write
 *                      <ID>.state.json and the custody start/resume entry
 *   4 acq_pipeline     reader -> hashes -> compression -> writer; a stop is
 *                      recorded (state file, custody, SHA256SUMS); the image
 *                      is written out while it grows and is on the
 *                      destination (fsync) before the step ends
 *   5 acq_verify       read the image back from the destination
 *   6 acq_finish       hash the segments, write acquisition.json and the
 *                      log, custody, seal, SHA256SUMS, remove the state file
 *
 * The hashes in the logs are those of the source's bytes exactly as read;
 * an E01 stores whole sectors, so the MD5 and SHA-1 it holds cover the
 * source plus its zero padding: the pipeline hashes both in one pass (its
 * hash_split), and both are recorded, labelled.  An acquisition that stops
 * early leaves its state file and no acquisition.json or log, so nothing
 * looks complete that is not.
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
#include "shodo/buf.h"
#include "shodo/json.h"
#include "imager_int.h"
#include "imager_out.h"
#include "imager_verify.h"
#include "shodo/case.h"
#include "shodo/dest.h"
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
	o->direct = 1;
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
	int gone;                /* the source vanished or changed size (reader) */
	uint64_t gone_off;       /* at this offset */
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
	size_t seg_cap;
	int compression;
	uint64_t segsize;
	int format;
	int hashes;
	int threads;
	/* metadata: from the options, or on --resume from the state file */
	const char *meta[5];
	json_t *resume_doc;      /* the state file read on --resume (owns meta) */
	int have_state;
	int restarted;           /* resume inside the first segment: written again */
	uint64_t lost_off;       /* how far that first segment had got */
	uint64_t lost_bytes;     /* and its size, discarded */
	shodo_case *c;
	shodo_evidence_lock *lock;
	shodo_digests dg;        /* the media as written (E01: padded to a sector) */
	shodo_digests dgs;       /* the source's own bytes exactly as read */
	double t_acq;
	img_pipe_cpu cpu_acq;    /* CPU seconds per stage of the acquisition */
	img_pipe_cpu cpu_ver;    /* and of the read-back */
	double cpu_seg;          /* hashing the segments (both threads) */
	json_t *ver;             /* verification result, or null */
	shodo_status vst;
	json_t *doc;             /* acquisition.json */
	int wb_fd;               /* the segment being written out (wb_kick), or -1 */
	int wb_idx;              /* its number */
	uint64_t wb_next;        /* written bytes at which to kick again */
	/* what the destination has confirmed while the run goes on (sync_main) */
	pthread_t sy_th;
	int sy_started;
	atomic_int sy_stop;
	atomic_int sy_segs;      /* segments fsynced, from the first */
	atomic_ullong sy_off;    /* raw: bytes of the image fsynced, from the start */
	atomic_ullong sy_mark;   /* raw: bytes of the image written (the writer's) */
	atomic_int sy_errno;     /* an fsync the destination refused, or 0 */
	int sy_errseg;           /* the segment it refused */
	int sy_saved_segs;       /* what the state file says (the writer's) */
	uint64_t sy_saved_off;
} acq;

static const char *const meta_keys[5] = {"case_number", "evidence_number", "examiner", "description", "notes"};

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
	           (unsigned long long)off, (unsigned long long)(off / a->bps), (unsigned long long)lost,
	           (unsigned long long)len, errnum ? strerror(errnum) : "read error");
}

/* Reads [off, off+len): a failing read is retried, then narrowed (slot ->
 * chunks -> sectors); sectors that still fail are zero-filled and recorded.
 * Returns the number of bytes lost.  A read that fails or ends early on a
 * source that is no longer there (a disconnected disk: the kernel sets its
 * size to 0 and its reads end or fail) or has changed size stops the reading
 * instead (a->gone): read as unreadable sectors, the rest of a pulled disk
 * was zero-filled and the run ended "done". */
static uint64_t read_range(acq *a, unsigned char *buf, uint64_t off, size_t len, int top)
{
	int errnum = 0;
	for (int attempt = 0; attempt <= a->retries; attempt++) {
		if (read_exact(a, buf, off, len) == 0)
			return 0;
		errnum = errno;
		if (!shodo_source_present(a->src)) {
			a->gone = 1;
			a->gone_off = off;
			return 0;
		}
		if (shodo_cancelled(a->cancel))
			break;
	}
	size_t piece = len > IMG_CHUNK ? IMG_CHUNK : a->bps;
	uint64_t lost = 0;
	if (len > piece) {
		for (size_t done = 0; done < len && !a->gone; done += piece) {
			size_t n = len - done < piece ? len - done : piece;
			lost += read_range(a, buf + done, off + done, n, 0);
		}
		if (a->gone)
			return lost;
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
	if (a->gone) {
		/* the slot is not written: a resume reads it again, and what this
		 * run found unreadable in it is forgotten with it */
		pthread_mutex_lock(&a->bad_mu);
		img_bad_cut(&a->bad, s->off);
		pthread_mutex_unlock(&a->bad_mu);
		shodo_err_set(err, SHODO_FATAL, 0,
		              "the source '%s' is gone at offset %llu of %llu: it was disconnected, or its size "
		              "changed; nothing was zero-filled for it", a->o->source,
		              (unsigned long long)a->gone_off, (unsigned long long)a->src->size);
		shodo_err_hint(err, "the image in '%s' is incomplete; reconnect the source and run the same command "
		                    "with --resume to continue it", a->imgdir);
		return SHODO_FATAL;
	}
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
		const unsigned char *in = s->data + (size_t)i * IMG_CHUNK;
		unsigned char *out = s->work + (size_t)i * IMG_CSTRIDE;
		/* the same bytes as the chunk before (free space, a filled or
		 * repeated region): the same stored form, compressed once */
		if (i > 0 && coff - IMG_CHUNK >= a->resume_off && n == IMG_CHUNK && in[0] == in[-(long)IMG_CHUNK] &&
		    !memcmp(in, in - IMG_CHUNK, IMG_CHUNK)) {
			s->csize[i] = s->csize[i - 1];
			s->ccomp[i] = s->ccomp[i - 1];
			s->cksum[i] = s->cksum[i - 1];
			if (s->ccomp[i])
				memcpy(out, out - IMG_CSTRIDE, s->csize[i]);
			continue;
		}
		int comp = 0;
		s->csize[i] = img_codec_chunk(c, in, n, out, &comp, &s->cksum[i]);
		s->ccomp[i] = (uint8_t)comp;
	}
	(void)err;
	return SHODO_OK;
}

static void save_state(acq *a);
static void segment_name(acq *a, int i, char *out, size_t n);
static shodo_status sync_failed(acq *a, shodo_err *err);
static void wb_kick(acq *a);
#define WB_STEP (64u << 20)

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
	if (a->format == SHODO_IMAGE_RAW)
		atomic_store(&a->sy_mark, a->resume_off + a->written);
	if (a->written >= a->wb_next) {
		wb_kick(a);
		a->wb_next = a->written + WB_STEP;
	}
	if (atomic_load(&a->sy_errno))
		return sync_failed(a, err);
	pthread_mutex_lock(&a->bad_mu);
	size_t nb = a->bad.n;
	pthread_mutex_unlock(&a->bad_mu);
	if (nb != a->bad_saved || s->seq % 1024 == 1023 || atomic_load(&a->sy_segs) != a->sy_saved_segs ||
	    atomic_load(&a->sy_off) != a->sy_saved_off)
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
	json_object_set_new(a->state_doc, "done_offset", json_integer((json_int_t)a->done_off));
	a->sy_saved_segs = atomic_load(&a->sy_segs);
	a->sy_saved_off = atomic_load(&a->sy_off);
	if (a->format == SHODO_IMAGE_RAW)
		json_object_set_new(a->state_doc, "synced_offset", json_integer((json_int_t)a->sy_saved_off));
	else
		json_object_set_new(a->state_doc, "synced_segments", json_integer(a->sy_saved_segs));
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

/* ---------- documents ---------- */

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
	json_object_set_new(j, "reads", json_string(shodo_source_direct(s) ? "direct" : "buffered"));
	if (s->kind == SHODO_SRC_DEVICE)
		json_object_set_new(j, "read_only", json_boolean(s->read_only));
	return j;
}

static json_t *meta_json(const acq *a)
{
	json_t *j = json_object();
	for (int i = 0; i < 5; i++)
		json_object_set_new(j, meta_keys[i], a->meta[i] ? json_string(a->meta[i]) : json_null());
	return j;
}

static void digests_json(json_t *j, const shodo_digests *d)
{
	json_object_set_new(j, "md5", (d->set & SHODO_HASH_MD5) ? json_string(d->md5) : json_null());
	json_object_set_new(j, "sha1", (d->set & SHODO_HASH_SHA1) ? json_string(d->sha1) : json_null());
	json_object_set_new(j, "sha256", (d->set & SHODO_HASH_SHA256) ? json_string(d->sha256) : json_null());
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
	json_t *h = json_object_get(doc, "hashes"), *sh = json_object_get(img, "stored_hashes");
	fprintf(fp, "shodo %s acquisition log\n", shodo_json_str(json_object_get(doc, "versions"), "shodo", NULL));
	fprintf(fp, "==================================================\n\n");
	json_t *live = json_object_get(json_object_get(doc, "versions"), "live");
	if (live)
		fprintf(fp, "Running on:             shodo stick %s (%s), Debian %s, archive of %s\n\n",
		        shodo_json_str(live, "shodo", "?"), shodo_json_str(live, "variant", "?"),
		        shodo_json_str(live, "debian", "?"), shodo_json_str(live, "debian_snapshot", "?"));
	fprintf(fp, "Evidence ID:            %s\n", shodo_json_str(doc, "evidence_id", NULL));
	const char *mk[][2] = {{"case_number", "Case number:"}, {"evidence_number", "Evidence number:"},
	                       {"examiner", "Examiner:"}, {"description", "Description:"}, {"notes", "Notes:"}};
	for (size_t i = 0; i < 5; i++)
		fprintf(fp, "%-23s %s\n", mk[i][1], shodo_json_str(meta, mk[i][0], ""));
	fprintf(fp, "\nSource\n------\n");
	fprintf(fp, "Path:                   %s (%s)\n", shodo_json_str(src, "path", NULL), shodo_json_str(src, "kind", NULL));
	fprintf(fp, "Size:                   %lld bytes\n", (long long)json_integer_value(json_object_get(src, "size")));
	fprintf(fp, "Sector size:            %lld bytes\n",
	        (long long)json_integer_value(json_object_get(src, "sector_size")));
	fprintf(fp, "Model:                  %s\n", shodo_json_str(src, "model", "(unknown)"));
	fprintf(fp, "Serial:                 %s\n", shodo_json_str(src, "serial", "(unknown)"));
	json_t *ro = json_object_get(src, "read_only");
	if (ro)
		fprintf(fp, "Read-only:              %s\n", json_is_true(ro)
		        ? "yes (the kernel refused writes to the device: write blocker or blockdev --setro)"
		        : "no (the kernel would have accepted writes to the device; shodo only reads it)");
	if (json_object_get(src, "reads"))
		fprintf(fp, "Reads:                  %s\n", strcmp(shodo_json_str(src, "reads", ""), "direct") == 0
		        ? "direct (O_DIRECT: from the device, past the page cache)" : "buffered (through the page cache)");
	fprintf(fp, "\nAcquisition\n-----------\n");
	fprintf(fp, "Host:                   %s\n", shodo_json_str(doc, "host", NULL));
	fprintf(fp, "Started (UTC):          %s\n", shodo_json_str(doc, "start", NULL));
	fprintf(fp, "Finished (UTC):         %s\n", shodo_json_str(doc, "end", NULL));
	fprintf(fp, "Bytes read:             %lld\n", (long long)json_integer_value(json_object_get(doc, "bytes_read")));
	fprintf(fp, "Acquisition time:       %.1f s (%.1f MB/s)\n",
	        json_real_value(json_object_get(doc, "acquire_seconds")),
	        json_real_value(json_object_get(doc, "throughput_mb_s")));
	long long segsz = (long long)json_integer_value(json_object_get(img, "segment_size"));
	if (segsz)
		fprintf(fp, "Format:                 %s, compression %s, segment size %lld bytes\n",
		        shodo_json_str(img, "format", NULL), shodo_json_str(img, "compression", NULL), segsz);
	else
		fprintf(fp, "Format:                 %s, one file\n", shodo_json_str(img, "format", NULL));
	if (shodo_json_str(img, "compressor", NULL))
		fprintf(fp, "Compressor:             %s\n", shodo_json_str(img, "compressor", NULL));
	json_t *intr = json_object_get(doc, "interruptions");
	if (json_array_size(intr)) {
		fprintf(fp, "\nInterruptions and resumes\n-------------------------\n");
		size_t i;
		json_t *it;
		json_array_foreach(intr, i, it) {
			fprintf(fp, "%zu. stopped %s at offset %lld: %s\n", i + 1, shodo_json_str(it, "stopped_at", "(time unknown)"),
			        (long long)json_integer_value(json_object_get(it, "offset")), shodo_json_str(it, "reason", ""));
			if (shodo_json_str(it, "note", NULL))
				fprintf(fp, "   %s\n", shodo_json_str(it, "note", NULL));
			if (shodo_json_str(it, "resumed_at", NULL))
				fprintf(fp, "   resumed %s at offset %lld; %lld bytes re-read from the source for the hashes\n",
				        shodo_json_str(it, "resumed_at", NULL), (long long)json_integer_value(json_object_get(it, "resumed_offset")),
				        (long long)json_integer_value(json_object_get(it, "bytes_reread")));
		}
	}
	fprintf(fp, "\nHashes of the source (its %lld bytes exactly as read)\n"
	            "----------------------------------------------------\n",
	        (long long)json_integer_value(json_object_get(src, "size")));
	fprintf(fp, "MD5:                    %s\n", shodo_json_str(h, "md5", "(not computed)"));
	fprintf(fp, "SHA-1:                  %s\n", shodo_json_str(h, "sha1", "(not computed)"));
	fprintf(fp, "SHA-256:                %s\n", shodo_json_str(h, "sha256", "(not computed)"));
	if (!strcmp(shodo_json_str(img, "format", NULL), "e01")) {
		long long pad = (long long)json_integer_value(json_object_get(img, "padding_bytes"));
		if (pad) {
			fprintf(fp, "\nHashes stored in the E01 (the source followed by %lld zero bytes: E01 stores\n"
			            "whole sectors; these are what ewfverify and ewfinfo show)\n"
			            "----------------------------------------------------------------------------\n",
			        pad);
			fprintf(fp, "MD5:                    %s\n", shodo_json_str(sh, "md5", "(not stored)"));
			fprintf(fp, "SHA-1:                  %s\n", shodo_json_str(sh, "sha1", "(not stored)"));
		} else {
			fprintf(fp, "Stored in the E01:      MD5 and SHA-1 (the E01 format has no field for SHA-256;\n"
			            "                        it is recorded only in this log and in acquisition.json)\n");
		}
	}
	fprintf(fp, "\nUnreadable ranges\n-----------------\n");
	json_t *bad = json_object_get(doc, "unreadable");
	if (!json_array_size(bad)) {
		fprintf(fp, "None.\n");
	} else {
		size_t i;
		json_t *r;
		long long ss = (long long)json_integer_value(json_object_get(src, "sector_size"));
		if (ss <= 0)
			ss = 512;
		json_array_foreach(bad, i, r) {
			long long off = (long long)json_integer_value(json_object_get(r, "offset"));
			long long l = (long long)json_integer_value(json_object_get(r, "length"));
			fprintf(fp, "offset %lld, length %lld (sectors %lld-%lld), zero-filled\n", off, l, off / ss,
			        (off + l - 1) / ss);
		}
		fprintf(fp, "Total unreadable:       %lld bytes\n",
		        (long long)json_integer_value(json_object_get(doc, "unreadable_bytes")));
	}
	fprintf(fp, "\nSegments\n--------\n");
	size_t i;
	json_t *sg;
	json_array_foreach(json_object_get(img, "segments"), i, sg)
		fprintf(fp, "%-24s %14lld bytes  sha256 %s\n", shodo_json_str(sg, "name", NULL),
		        (long long)json_integer_value(json_object_get(sg, "size")), shodo_json_str(sg, "sha256", NULL));
	fprintf(fp, "\nVerification\n------------\n");
	if (!ver || json_is_null(ver)) {
		fprintf(fp, "Not verified (--no-verify).\n");
	} else {
		fprintf(fp, "Result:                 %s\n", shodo_json_str(ver, "result", NULL));
		if (shodo_json_str(ver, "detail", NULL))
			fprintf(fp, "Detail:                 %s\n", shodo_json_str(ver, "detail", NULL));
		static const char *const vk[3][2] = {{"md5", "Read back MD5:"}, {"sha1", "Read back SHA-1:"},
		                                     {"sha256", "Read back SHA-256:"}};
		int others = 0;
		for (int k = 0; k < 3; k++) {
			if (shodo_json_str(ver, vk[k][0], NULL))
				fprintf(fp, "%-23s %s\n", vk[k][1], shodo_json_str(ver, vk[k][0], NULL));
			else if (shodo_json_str(h, vk[k][0], NULL))
				others = 1;
		}
		if (others)
			fprintf(fp, "The image reads back as the bytes that were hashed, so the digests not\n"
			            "recomputed are the same (--verify-all recomputes every one).\n");
		fprintf(fp, "Verification time:      %.1f s\n", json_real_value(json_object_get(ver, "seconds")));
	}
	fclose(fp);
	return buf;
}

/* ---------- the image on the destination ---------- */

/* The image is written out while it grows: every WB_STEP bytes the
 * segment being written is handed to the disk (sync_file_range, which
 * does not wait), instead of staying in memory until the kernel's dirty
 * limit (a fifth of the memory) and then all at once.  The fsync at the
 * end (sync_segments) then waits for the last few megabytes only. */
static void wb_kick(acq *a)
{
	char p[4096];
	for (;;) {
		if (a->wb_fd < 0) {
			segment_name(a, a->wb_idx, p, sizeof(p));
			if ((a->wb_fd = open(p, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0)
				return;
		}
		(void)sync_file_range(a->wb_fd, 0, 0, SYNC_FILE_RANGE_WRITE);
		if (a->format == SHODO_IMAGE_RAW && !a->segsize)
			return;
		segment_name(a, a->wb_idx + 1, p, sizeof(p));
		if (access(p, F_OK) != 0)
			return;   /* still this segment */
		close(a->wb_fd);
		a->wb_fd = -1;
		a->wb_idx++;
	}
}

/* Before anything calls the image done, every segment is on the
 * destination: fsync reports what the disk refused while writing back (a
 * failing or full device that accepted the writes into memory). */
static int fsync_path(const char *p, int data_only)
{
	int fd = open(p, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -1;
	int r = data_only ? fdatasync(fd) : fsync(fd);
	int e = errno;
	close(fd);
	errno = e;
	return r;
}

static shodo_status destination_refused(acq *a, int seg, int e, shodo_err *err)
{
	char p[4096];
	segment_name(a, seg, p, sizeof(p));
	shodo_err_set(err, SHODO_FATAL, e, "the destination did not keep the image: '%s'", p);
	shodo_err_hint(err, "the disk holding '%s' reported an error while the image was written to it; "
	               "check or replace it and image again", a->imgdir);
	return SHODO_FATAL;
}

static shodo_status sync_segments(acq *a, shodo_err *err)
{
	if (a->wb_fd >= 0) {
		close(a->wb_fd);
		a->wb_fd = -1;
	}
	int n = existing_segments(a);
	for (int i = 0; i < n; i++) {
		char p[4096];
		segment_name(a, i, p, sizeof(p));
		if (fsync_path(p, 0) < 0)
			return destination_refused(a, i, errno, err);
	}
	return SHODO_OK;
}

/* Then the segments' pages are dropped from memory, so that the read-back
 * reads what the destination holds, not what shodo handed to the kernel: a
 * drive that returns other bytes than it was given (failing, or a
 * counterfeit that wraps around) fails the verification.  The pages are
 * clean after the fsync, so dropping them loses nothing.  Without a
 * read-back, the segments not hashed yet were hashed from them first
 * (seg_tail_main, during the fsync).  A destination behind FUSE on a block
 * device (ntfs-3g, the usual way to write to an NTFS disk; exfat-fuse)
 * keeps what it wrote in that device's page cache as well: measured, the
 * read-back of a 64 MiB source's image on ntfs-3g read nothing from the
 * disk.  The device is fsynced (the image reaches the disk even if the
 * file system's daemon left it in memory) and its clean pages dropped. */
static void drop_segments(acq *a)
{
	shodo_uncache_fuseblk(a->imgdir);
	int n = existing_segments(a);
	for (int i = 0; i < n; i++) {
		char p[4096];
		segment_name(a, i, p, sizeof(p));
		shodo_uncache(p);
	}
}

/* While the run goes on, a thread has every finished segment fsynced (and,
 * for a raw image, what has been written, every RAW_SYNC_STEP), and the
 * state file records how far the destination has confirmed the image
 * (synced_segments, synced_offset).  A resume continues from there: after
 * a power loss, a pulled cable or a crash of the machine, written pages
 * that never reached the disk read back as zeros or old data, and an image
 * continued after them would hold them while its digests, read from the
 * source, do not.  The fsyncs run beside the writer, which they never
 * block: each waits for what was handed to the disk (wb_kick) long before. */
#define RAW_SYNC_STEP (256ull << 20)

/* one round: 0, or -1 with sy_errno set */
static int sync_round(acq *a, int all)
{
	char p[4096], next[4096];
	for (;;) {
		int i = atomic_load(&a->sy_segs);
		segment_name(a, i, p, sizeof(p));
		segment_name(a, i + 1, next, sizeof(next));
		int finished = (a->format == SHODO_IMAGE_E01 || a->segsize) && access(next, F_OK) == 0;
		if (!finished && !(all && a->format == SHODO_IMAGE_E01 && access(p, F_OK) == 0))
			break;
		if (fsync_path(p, 0) < 0) {
			a->sy_errseg = i;
			atomic_store(&a->sy_errno, errno ? errno : EIO);
			return -1;
		}
		atomic_store(&a->sy_segs, i + 1);
		if (a->format == SHODO_IMAGE_RAW && a->segsize &&
		    atomic_load(&a->sy_off) < (uint64_t)(i + 1) * a->segsize)
			atomic_store(&a->sy_off, (uint64_t)(i + 1) * a->segsize);
	}
	if (a->format == SHODO_IMAGE_RAW) {
		uint64_t mark = atomic_load(&a->sy_mark), done = atomic_load(&a->sy_off);
		if (mark > done && (all || mark - done >= RAW_SYNC_STEP)) {
			/* the piece being written holds everything up to the mark
			 * that the finished pieces do not */
			int i = a->segsize ? (int)(mark / a->segsize) : 0;
			if (a->segsize && mark % a->segsize == 0)
				i--;
			segment_name(a, i, p, sizeof(p));
			if (fsync_path(p, 1) < 0) {
				a->sy_errseg = i;
				atomic_store(&a->sy_errno, errno ? errno : EIO);
				return -1;
			}
			atomic_store(&a->sy_off, mark);
		}
	}
	return 0;
}

/* the fsync that sync_main saw refused: the error is reported once, to
 * the descriptor that asked, so the fsyncs at the end would not see it */
static shodo_status sync_failed(acq *a, shodo_err *err)
{
	return destination_refused(a, a->sy_errseg, atomic_load(&a->sy_errno), err);
}

static void *sync_main(void *p)
{
	acq *a = p;
	while (!atomic_load(&a->sy_stop) && sync_round(a, 0) == 0) {
		struct timespec ts = {0, 50 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	return NULL;
}

static void sync_start(acq *a)
{
	atomic_store(&a->sy_stop, 0);
	a->sy_started = pthread_create(&a->sy_th, NULL, sync_main, a) == 0;
}

static void sync_end(acq *a)
{
	if (a->sy_started) {
		atomic_store(&a->sy_stop, 1);
		pthread_join(a->sy_th, NULL);
		a->sy_started = 0;
	}
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

/* SHA-256 of finished segment i, kept with the size and mtime it had;
 * 0 on success */
static int seg_hash_one(acq *a, int i, const char *path)
{
	struct stat st0, st1;
	shodo_digests d;
	shodo_err e;
	memset(&d, 0, sizeof(d));
	if (stat(path, &st0) < 0 || shodo_hash_file(path, SHODO_HASH_SHA256, &d, &e) != SHODO_OK ||
	    stat(path, &st1) < 0 || st0.st_size != st1.st_size || mtime_ns(&st0) != mtime_ns(&st1))
		return -1;
	pthread_mutex_lock(&a->seg_mu);
	int ok = i == a->nseg_done && shodo_grow(&a->seg, &a->seg_cap, (size_t)i + 1) == 0;
	if (ok) {
		a->seg[i].size = (uint64_t)st1.st_size;
		a->seg[i].mtime_ns = mtime_ns(&st1);
		snprintf(a->seg[i].sha256, sizeof(a->seg[i].sha256), "%s", d.sha256);
		a->nseg_done = i + 1;
	}
	pthread_mutex_unlock(&a->seg_mu);
	return ok ? 0 : -1;
}

static void seg_cpu_add(acq *a)
{
	double c = img_thread_cpu();
	pthread_mutex_lock(&a->seg_mu);
	a->cpu_seg += c;
	pthread_mutex_unlock(&a->seg_mu);
}

static void *seg_main(void *p)
{
	acq *a = p;
	for (int i = 0;; i++) {
		char cur[4096], next[4096];
		segment_name(a, i, cur, sizeof(cur));
		segment_name(a, i + 1, next, sizeof(next));
		while (access(next, F_OK) != 0) {
			if (atomic_load(&a->seg_stop)) {
				seg_cpu_add(a);
				return NULL;
			}
			struct timespec ts = {0, 100 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
		if (seg_hash_one(a, i, cur) != 0)
			break;
	}
	seg_cpu_add(a);
	return NULL;
}

/* Once the image is finished: the segments not hashed yet (the last one, or
 * all after a resume), on a thread beside the read-back (acq_verify), or
 * without one beside the fsync, from memory (acq_pipeline). */
static void *seg_tail_main(void *p)
{
	acq *a = p;
	int n = existing_segments(a);
	for (int i = a->nseg_done; i < n && !atomic_load(&a->seg_stop); i++) {
		char cur[4096];
		segment_name(a, i, cur, sizeof(cur));
		if (seg_hash_one(a, i, cur) != 0)
			break;
	}
	seg_cpu_add(a);
	return NULL;
}

/* waits for the tail thread to finish its work */
static void seg_join(acq *a)
{
	if (a->seg_started) {
		pthread_join(a->seg_th, NULL);
		a->seg_started = 0;
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

static shodo_status hash_segments(acq *a, json_t *segs, int nseg, uint64_t *total, shodo_err *err)
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
		if (a->format == SHODO_IMAGE_RAW && nseg == 1 && (a->dg.set & SHODO_HASH_SHA256) &&
		    (uint64_t)st.st_size == a->media) {
			d = a->dg;  /* a single raw file is the media itself */
		} else if (i < a->nseg_done && a->seg[i].size == (uint64_t)st.st_size &&
		           a->seg[i].mtime_ns == mtime_ns(&st)) {
			snprintf(d.sha256, sizeof(d.sha256), "%s", a->seg[i].sha256);  /* hashed while writing */
		} else {
			double c0 = img_thread_cpu();
			shodo_status hs = shodo_hash_file(p, SHODO_HASH_SHA256, &d, err);
			a->cpu_seg += img_thread_cpu() - c0;   /* the other threads have ended */
			if (hs != SHODO_OK)
				return hs;
		}
		const char *name = strrchr(p, '/') ? strrchr(p, '/') + 1 : p;
		json_array_append_new(segs, json_pack("{s:s, s:I, s:s}", "name", name, "size", (json_int_t)st.st_size,
		                                      "sha256", d.sha256));
		*total += (uint64_t)st.st_size;
		shodo_snprintf(rel, sizeof(rel), "%s/image/%s", a->o->evidence_id, name);
		shodo_case_seal_file(p);
		shodo_case_known_hash(a->c, rel, d.sha256);
		shodo_case_custody(a->c, "image-segment", a->o->evidence_id, rel, d.sha256, NULL, NULL);
	}
	return SHODO_OK;
}

static shodo_status write_doc_file(acq *a, const char *name, const char *data, shodo_err *err)
{
	char p[4096], rel[4096];
	shodo_snprintf(p, sizeof(p), "%s/%s", a->imgdir, name);
	shodo_snprintf(rel, sizeof(rel), "%s/image/%s", a->o->evidence_id, name);
	chmod(p, 0600);
	if (shodo_write_file_atomic(p, data, strlen(data), 0600) < 0)
		return shodo_err_set(err, SHODO_FATAL, errno, "cannot write '%s'", p);
	shodo_digests d;
	shodo_hash_buf(SHODO_HASH_SHA256, data, strlen(data), &d);
	shodo_case_seal_file(p);
	shodo_case_known_hash(a->c, rel, d.sha256);
	shodo_case_custody(a->c, "image-log", a->o->evidence_id, rel, d.sha256, NULL, NULL);
	return SHODO_OK;
}

/* ---------- free space ---------- */

/* Worst case: every chunk stored uncompressed, plus libewf's tables (two
 * copies of 4 bytes per chunk in EnCase 6, and a checksum per stored chunk),
 * the sections of each segment, and room for the logs and case files. */
static uint64_t worst_case_bytes(uint64_t media, int format, uint64_t segsize)
{
	uint64_t logs = 1u << 20;
	if (format == SHODO_IMAGE_RAW)
		return media + logs;
	uint64_t chunks = (media + IMG_CHUNK - 1) / IMG_CHUNK;
	uint64_t nseg = segsize ? media / segsize + 1 : 1;
	return media + chunks * 12 + nseg * 65536 + logs;
}

/* What compression will probably make of the source: 64 chunks spread over
 * it, compressed as the acquisition would.  2 MiB of reading; enough to tell
 * an empty disk from a full one, not a promise. */
static uint64_t expected_bytes(shodo_source *src, uint64_t media, int format, int compression, uint64_t worst)
{
	if (format == SHODO_IMAGE_RAW || compression == SHODO_COMPRESS_NONE || media < 64ull * IMG_CHUNK)
		return worst;
	img_codec *c = img_codec_new(compression);
	/* aligned: an O_DIRECT source reads into it as it is */
	unsigned char *in = NULL, *out = malloc(IMG_CSTRIDE);
	if (posix_memalign((void **)&in, 4096, IMG_CHUNK) != 0)
		in = NULL;
	uint64_t in_total = 0, out_total = 0;
	for (int i = 0; c && in && out && i < 64; i++) {
		uint64_t off = (media / IMG_CHUNK) * (uint64_t)i / 64 * IMG_CHUNK;
		ssize_t r = shodo_source_read_at(src, in, IMG_CHUNK, off);
		if (r != (ssize_t)IMG_CHUNK)
			continue;
		int comp = 0;
		uint32_t ck;
		out_total += img_codec_chunk(c, in, IMG_CHUNK, out, &comp, &ck);
		in_total += IMG_CHUNK;
	}
	img_codec_free(c);
	free(in);
	free(out);
	if (!in_total)
		return worst;
	double ratio = (double)out_total / (double)in_total;
	uint64_t est = (uint64_t)((double)media * ratio) + (worst - media);
	return est < worst ? est : worst;
}

/* FAT (vfat, msdos) keeps files of up to 4 GiB - 1 byte: a larger segment
 * would fail with EFBIG hours into the run, and again on every resume.
 * Refused before anything is written; --force cannot make it fit. */
static shodo_status file_size_check(const char *case_dir, int format, uint64_t media, uint64_t segsize,
                                    shodo_err *err)
{
	uint64_t max = shodo_dest_max_file(case_dir);
	if (!max)
		return SHODO_OK;
	uint64_t largest = format == SHODO_IMAGE_RAW ? media : worst_case_bytes(media, format, segsize);
	if (segsize && segsize < largest)
		largest = segsize;
	if (largest <= max)
		return SHODO_OK;
	shodo_err_set(err, SHODO_FATAL, EFBIG,
	              "the case folder '%s' is on FAT, which holds files of up to 4 GiB - 1 byte: this image "
	              "would write files of up to %llu bytes", case_dir, (unsigned long long)largest);
	shodo_err_hint(err, "use --segment-size 2G (anything up to 4095M), or a case disk formatted exFAT, NTFS or "
	                    "ext4 (--force does not override this)");
	return SHODO_FATAL;
}

static shodo_status space_check(shodo_source *src, const char *case_dir, int format, int compression,
                                uint64_t segsize, uint64_t already, shodo_image_space *out, shodo_err *err)
{
	char dir[4096];
	memset(out, 0, sizeof(*out));
	/* the case folder may not exist yet: its nearest existing parent */
	if (shodo_dest_nearest(case_dir, dir, sizeof(dir)) < 0 || shodo_dest_space(dir, &out->free_bytes, NULL) < 0)
		return shodo_err_set(err, SHODO_FATAL, errno, "cannot find the free space of '%s'", case_dir);
	uint64_t media = src->size;
	if (format == SHODO_IMAGE_E01 && media % 512)
		media += 512 - media % 512;
	out->worst_case = worst_case_bytes(media, format, segsize);
	out->expected = expected_bytes(src, media, format, compression, out->worst_case);
	out->already = already;
	uint64_t need_worst = out->worst_case > already ? out->worst_case - already : 0;
	uint64_t need_exp = out->expected > already ? out->expected - already : 0;
	out->fits = out->free_bytes >= need_worst ? 2 : out->free_bytes >= need_exp ? 1 : 0;
	if (out->fits)
		return SHODO_OK;
	shodo_err_set(err, SHODO_FATAL, ENOSPC,
	              "not enough free space for the image in '%s': %llu bytes free, the image needs about %llu "
	              "(%llu at most)", dir, (unsigned long long)out->free_bytes, (unsigned long long)need_exp,
	              (unsigned long long)need_worst);
	err->errnum = ENOSPC;
	shodo_err_hint(err, "choose a destination with more space; --force starts anyway and, if the disk fills, "
	                    "stops cleanly with a state that --resume continues on a larger disk");
	return SHODO_FATAL;
}

shodo_status shodo_image_space_check(const shodo_image_opts *o, shodo_image_space *out, shodo_err *err)
{
	shodo_source *src = NULL;
	memset(out, 0, sizeof(*out));
	if (!o->source || !o->case_dir)
		return shodo_err_set(err, SHODO_USAGE, 0, "image: a source and a case folder are needed");
	shodo_status st = shodo_source_open(o->source, 0, &src, err);
	if (st != SHODO_OK)
		return st;
	uint64_t seg = o->segment_size ? o->segment_size : o->format == SHODO_IMAGE_E01 ? DEFAULT_SEGMENT : 0;
	st = file_size_check(o->case_dir, o->format, src->size, seg, err);
	if (st == SHODO_OK)
		st = space_check(src, o->case_dir, o->format, o->compression, seg, 0, out, err);
	shodo_source_close(src);
	return st;
}

/* ---------- step 1: the options ---------- */

static shodo_status acq_check_opts(acq *a, shodo_err *err)
{
	const shodo_image_opts *o = a->o;
	if (!o->source || !*o->source)
		return shodo_err_set(err, SHODO_USAGE, 0, "image: no source given");
	if (!o->case_dir || !*o->case_dir)
		return shodo_err_set(err, SHODO_USAGE, 0, "image: no case folder given (--case DIR)");
	if (!o->evidence_id || !shodo_case_id_valid(o->evidence_id))
		return shodo_err_set(err, SHODO_USAGE, 0,
		                     "invalid evidence ID '%s': use 1-64 letters, digits, '.', '_' or '-'",
		                     o->evidence_id ? o->evidence_id : "");
	if (a->segsize && a->segsize < MIN_SEGMENT)
		return shodo_err_set(err, SHODO_USAGE, 0, "segment size %llu is too small (minimum 1M)",
		                     (unsigned long long)a->segsize);
	if (a->format == SHODO_IMAGE_RAW && a->segsize % 512)
		return shodo_err_set(err, SHODO_USAGE, 0, "raw segment size must be a multiple of 512 bytes");
	return SHODO_OK;
}

/* ---------- step 2: open and check the source ---------- */

static shodo_status acq_open_source(acq *a, shodo_err *err)
{
	const shodo_image_opts *o = a->o;
	shodo_status st = shodo_source_open(o->source, o->direct ? SHODO_SOURCE_DIRECT : 0, &a->src, err);
	if (st != SHODO_OK)
		return st == SHODO_USAGE ? st : SHODO_FATAL;
	a->bps = a->src->sector_size ? a->src->sector_size : 512;
	if (a->src->kind == SHODO_SRC_EWF)
		return shodo_err_set(err, SHODO_USAGE, 0,
		                     "'%s' is already an E01 image: verify it with 'shodo verify' or export it "
		                     "with ewfexport", o->source);
	if (a->src->kind != SHODO_SRC_DEVICE)
		return SHODO_OK;
	/* never write onto the evidence: --force does not change this one */
	if (shodo_path_on_device(o->case_dir, (unsigned long long)a->src->rdev)) {
		shodo_err_set(err, SHODO_FATAL, 0, "refusing to image '%s': the case folder '%s' is on that disk",
		              o->source, o->case_dir);
		shodo_err_hint(err, "write the image to another disk (--force does not override this)");
		return SHODO_FATAL;
	}
	shodo_mount m;
	if (!o->force && shodo_device_mounted_rw((unsigned long long)a->src->rdev, &m)) {
		shodo_err_set(err, SHODO_FATAL, 0, "refusing to image '%s': %s is mounted read-write on '%s'",
		              o->source, m.partition[0] ? m.partition : o->source, m.mountpoint);
		shodo_err_hint(err, "unmount it first (imaging a live file system gives an inconsistent image), "
		                    "or use --force");
		return SHODO_FATAL;
	}
	return SHODO_OK;
}

/* ---------- step 3: prepare the destination ---------- */

/* --resume: the original parameters come from the state file; an option
 * given again must agree with them (a resumed image is one acquisition). */
/* The SHA-256 of the source's first MiB (or all of a smaller one), as hex
 * into out; 0 when it cannot be read.  The state file keeps it, so that a
 * resume can tell the disk it continues from another of the same size: a
 * responder imaging a row of identical PCs puts the wrong one in the dock,
 * and the image then joined two disks, caught only by the read-back hours
 * later (not at all with --no-verify). */
static int source_head(acq *a, char out[65])
{
	size_t n = a->src->size < (1u << 20) ? (size_t)a->src->size : (1u << 20);
	unsigned char *buf = NULL;
	shodo_digests d;
	out[0] = '\0';
	if (!n || posix_memalign((void **)&buf, 4096, 1u << 20) != 0)
		return 0;
	int ok = shodo_source_read_at(a->src, buf, n, 0) == (ssize_t)n &&
	         shodo_hash_buf(SHODO_HASH_SHA256, buf, n, &d) == 0;
	if (ok)
		snprintf(out, 65, "%s", d.sha256);
	free(buf);
	return ok;
}

static shodo_status resume_params(acq *a, shodo_err *err)
{
	const shodo_image_opts *o = a->o;
	json_error_t je;
	json_t *st = a->resume_doc = json_load_file(a->state, 0, &je);
	if (!st)
		return shodo_err_set(err, SHODO_FATAL, 0, "cannot read '%s': %s", a->state, je.text);
	json_int_t ssize = json_integer_value(json_object_get(st, "source_size"));
	if ((uint64_t)ssize != a->src->size)
		return shodo_err_set(err, SHODO_FATAL, 0,
		                     "cannot resume: the interrupted acquisition read a source of %lld bytes, "
		                     "'%s' has %llu", (long long)ssize, o->source, (unsigned long long)a->src->size);
	const char *head = shodo_json_str(st, "source_head_sha256", NULL);
	char now[65];
	if (head && source_head(a, now) && strcmp(head, now)) {
		shodo_err_set(err, SHODO_FATAL, 0,
		              "cannot resume: '%s' is not the source the interrupted acquisition read (the same size, "
		              "but its first MiB differs)", o->source);
		shodo_err_hint(err, "give the same disk (the log and custody name its model and serial; 'shodo devices' "
		                    "lists them); nothing was changed");
		return SHODO_FATAL;
	}
	const char *f = shodo_json_str(st, "format", NULL), *cm = shodo_json_str(st, "compression", NULL);
	int format = f && !strcmp(f, "raw") ? SHODO_IMAGE_RAW : SHODO_IMAGE_E01;
	int comp = cm && !strcmp(cm, "best") ? SHODO_COMPRESS_BEST
	           : cm && !strcmp(cm, "none") ? SHODO_COMPRESS_NONE : SHODO_COMPRESS_FAST;
	uint64_t seg = (uint64_t)json_integer_value(json_object_get(st, "segment_size"));
	json_t *hj = json_object_get(st, "hashes");
	int hashes = json_is_integer(hj) ? (int)json_integer_value(hj) : SHODO_HASH_ALL;
	const char *bad = NULL;
	char was[256] = "";
	if ((o->given & SHODO_IMAGE_GIVEN_FORMAT) && (int)o->format != format) {
		bad = "--format";
		snprintf(was, sizeof(was), "format %s", fmt_name(format));
	} else if ((o->given & SHODO_IMAGE_GIVEN_COMPRESSION) && format == SHODO_IMAGE_E01 &&
	           (int)o->compression != comp) {
		bad = "--compression";
		snprintf(was, sizeof(was), "compression %s", comp_name(comp));
	} else if ((o->given & SHODO_IMAGE_GIVEN_SEGMENT) && o->segment_size != seg) {
		bad = "--segment-size";
		snprintf(was, sizeof(was), "segment size %llu bytes", (unsigned long long)seg);
	} else if ((o->given & SHODO_IMAGE_GIVEN_HASHES) && (o->hashes ? o->hashes : SHODO_HASH_ALL) != hashes) {
		bad = "--hash";
		snprintf(was, sizeof(was), "hashes%s%s%s", (hashes & SHODO_HASH_MD5) ? " md5" : "",
		         (hashes & SHODO_HASH_SHA1) ? " sha1" : "", (hashes & SHODO_HASH_SHA256) ? " sha256" : "");
	}
	json_t *meta = json_object_get(st, "metadata");
	const char *opt_meta[5] = {o->case_number, o->evidence_number, o->examiner, o->description, o->notes};
	static const char *const meta_opt[5] = {"--case-number", "--evidence-number", "--examiner",
	                                        "--description", "--notes"};
	for (int i = 0; i < 5; i++) {
		a->meta[i] = shodo_json_str(meta, meta_keys[i], NULL);
		if (!bad && (o->given & SHODO_IMAGE_GIVEN_META) && opt_meta[i] &&
		    strcmp(opt_meta[i], a->meta[i] ? a->meta[i] : "")) {
			bad = meta_opt[i];
			snprintf(was, sizeof(was), "%s '%s'", meta_opt[i] + 2, a->meta[i] ? a->meta[i] : "");
		}
	}
	if (bad) {
		shodo_err_set(err, SHODO_USAGE, 0,
		              "cannot resume with %s: the interrupted acquisition of '%s' used %s, and a resume "
		              "continues with the original parameters", bad, o->evidence_id, was);
		shodo_err_hint(err, "drop %s (the resume takes every parameter from '%s')", bad, a->state);
		return SHODO_USAGE;
	}
	a->format = format;
	a->compression = comp;
	a->segsize = seg;
	a->hashes = hashes;
	if (shodo_json_str(st, "start", NULL))
		snprintf(a->started, sizeof(a->started), "%s", shodo_json_str(st, "start", NULL));
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(st, "unreadable"), i, r)
		img_bad_add(&a->prev_bad, (uint64_t)json_integer_value(json_object_get(r, "offset")),
		            (uint64_t)json_integer_value(json_object_get(r, "length")));
	return SHODO_OK;
}

/* does anything of an image of this evidence item exist, in any format */
static int image_exists(acq *a, const char *acqj)
{
	struct stat sst;
	int f = a->format, n = 0;
	uint64_t ss = a->segsize;
	a->format = SHODO_IMAGE_E01;
	n += existing_segments(a);
	a->format = SHODO_IMAGE_RAW;
	a->segsize = 0;
	n += existing_segments(a);
	a->segsize = 1;
	n += existing_segments(a);
	a->segsize = ss;
	a->format = f;
	return n || stat(acqj, &sst) == 0;
}


/* The E01's bytes per sector: the source's logical sector, as ewfacquire
 * records it.  A disk with 4 KiB sectors counts its partition tables in
 * 4 KiB units; stored as 512-byte sectors, an MBR's partitions pointed at
 * the wrong place for every tool that reads the E01 (mmls found no file
 * system; triage of the E01 found no volume). */
static uint32_t ewf_sector_size(const acq *a)
{
	uint32_t b = a->src->sector_size;
	if (b >= 512 && b <= 4096 && (b & (b - 1)) == 0 && a->media % b == 0)
		return b;
	return 512;
}

static shodo_status open_writer(acq *a, shodo_err *err)
{
	const shodo_image_opts *o = a->o;
	shodo_status rc;
	json_t *confirmed = o->resume ? json_object_get(a->resume_doc, a->format == SHODO_IMAGE_RAW
	                                                                ? "synced_offset" : "synced_segments")
	                              : NULL;
	if (a->format == SHODO_IMAGE_RAW) {
		if (o->resume)
			a->resume_off = img_raw_existing(a->base, a->segsize);
		/* only what the destination confirmed (see sync_main); a state file
		 * of an earlier version does not say, and its image is taken whole */
		if (json_is_integer(confirmed)) {
			uint64_t c = (uint64_t)json_integer_value(confirmed) / IMG_CHUNK * IMG_CHUNK;
			if (c < a->resume_off) {
				shodo_emit(a->sink, SHODO_EV_INFO, "acquire",
				           "the destination had confirmed %llu of the %llu bytes of image when the run stopped: "
				           "writing again from there", (unsigned long long)c,
				           (unsigned long long)a->resume_off);
				a->resume_off = c;
			}
		}
		if (a->resume_off > a->media)
			a->resume_off = a->media / IMG_CHUNK * IMG_CHUNK;
		/* pieces after the one the resume continues in hold nothing to keep,
		 * and would look finished to sync_main */
		if (o->resume && a->segsize) {
			int cont = (int)(a->resume_off / a->segsize);
			for (int i = existing_segments(a) - 1; i > cont; i--) {
				char p[4096];
				segment_name(a, i, p, sizeof(p));
				if (unlink(p) < 0)
					return shodo_err_set(err, SHODO_FATAL, errno, "cannot resume '%s'", p);
			}
		}
		return img_raw_create(a->base, a->segsize, a->resume_off, &a->raw, err);
	}
	if (json_is_integer(confirmed)) {
		/* segments the destination had not confirmed when the run stopped
		 * (see sync_main) go; the first stays for the restart below */
		int keep = (int)json_integer_value(confirmed);
		for (int i = existing_segments(a) - 1; i >= (keep > 1 ? keep : 1); i--) {
			char p[4096];
			segment_name(a, i, p, sizeof(p));
			shodo_emit(a->sink, SHODO_EV_INFO, "acquire",
			           "removing segment '%s': the destination had not confirmed it when the run stopped", p);
			if (unlink(p) < 0)
				return shodo_err_set(err, SHODO_FATAL, errno, "cannot resume '%s'", a->first);
		}
	}
	if (o->resume && existing_segments(a) > 1) {
		/* the segments before the last were closed whole; the last one,
		 * the one being written when the run stopped, keeps its chunks
		 * only when it was closed too.  Otherwise it goes, and the image
		 * continues after the previous segment (at most one segment is
		 * written again). */
		int nseg = existing_segments(a);
		char last[4096];
		segment_name(a, nseg - 1, last, sizeof(last));
		if (!img_ewf_segment_complete(last)) {
			shodo_emit(a->sink, SHODO_EV_INFO, "acquire",
			           "removing the unfinished last segment '%s' (its chunk table was never written)", last);
			if (unlink(last) < 0)
				return shodo_err_set(err, SHODO_FATAL, errno, "cannot resume '%s'", a->first);
		}
	}
	if (o->resume && existing_segments(a) == 1) {
		/* libewf takes the segment size of a resumed image from its first
		 * segment and cannot be told the original one: continuing inside
		 * the first segment would write one segment of any size.  Start
		 * that segment again instead: at most one segment is rewritten,
		 * and the hashes are read from the start in any case. */
		shodo_emit(a->sink, SHODO_EV_INFO, "acquire",
		           "the interrupted image stops inside its first segment: writing '%s' again from the start",
		           a->first);
		img_ewf *old = NULL;
		shodo_err e2;
		struct stat fst;
		if (img_ewf_resume(a->first, &old, &a->lost_off, &e2) == SHODO_OK)
			img_ewf_abort(old);  /* only to learn how far it got, when libewf can tell */
		if (stat(a->first, &fst) == 0)
			a->lost_bytes = (uint64_t)fst.st_size;
		if (unlink(a->first) < 0)
			return shodo_err_set(err, SHODO_FATAL, errno, "cannot resume '%s'", a->first);
		a->restarted = 1;
	} else if (o->resume && existing_segments(a) > 1) {
		rc = img_ewf_resume(a->first, &a->ewf, &a->resume_off, err);
		int nseg = existing_segments(a);
		char last[4096];
		struct stat lst;
		segment_name(a, nseg - 1, last, sizeof(last));
		if (rc != SHODO_OK && nseg > 1 && stat(last, &lst) == 0 && lst.st_size < 65536) {
			/* killed just after creating the next segment: it holds no
			 * complete section, and libewf cannot open it.  Without it
			 * libewf resumes at the end of the previous segment. */
			shodo_emit(a->sink, SHODO_EV_INFO, "acquire", "removing the unfinished last segment '%s' (%lld bytes)",
			           last, (long long)lst.st_size);
			if (unlink(last) == 0)
				rc = img_ewf_resume(a->first, &a->ewf, &a->resume_off, err);
		}
		if (rc != SHODO_OK)
			shodo_err_hint(err, "the interrupted image cannot be continued; move it away and start again");
		return rc;
	}
	char sw[64];
	snprintf(sw, sizeof(sw), "shodo %s", shodo_version());
	img_ewf_meta m = {a->media, ewf_sector_size(a), a->segsize, a->compression, a->src->kind == SHODO_SRC_DEVICE,
	                  a->meta[0], a->meta[1], a->meta[2], a->meta[3], a->meta[4], sw,
	                  a->src->model, a->src->serial};
	return img_ewf_create(a->base, &m, &a->ewf, err);
}

/* the interruption being resumed, completed with when and where it goes on */
static void record_resume(acq *a, char *detail, size_t detailsz)
{
	char now[32];
	json_t *intr = json_object_get(a->state_doc, "interruptions");
	if (!json_is_array(intr)) {
		intr = json_array();
		json_object_set_new(a->state_doc, "interruptions", intr);
	}
	json_t *last = json_array_get(intr, json_array_size(intr) - 1);
	if (!last || shodo_json_str(last, "resumed_at", NULL)) {
		/* the run ended without writing a stop record: killed or power lost */
		last = json_pack("{s:n, s:I, s:s}", "stopped_at", "offset",
		                 (json_int_t)(a->restarted ? a->lost_off : a->resume_off), "reason",
		                 "the run ended without a stop record (killed, crashed or power lost)");
		json_array_append_new(intr, last);
	}
	json_object_set_new(last, "resumed_at", json_string(shodo_now_iso(now)));
	json_object_set_new(last, "resumed_offset", json_integer((json_int_t)a->resume_off));
	json_t *done = json_object_get(last, "offset");
	uint64_t reread = a->restarted && json_is_integer(done) ? (uint64_t)json_integer_value(done) : a->resume_off;
	if (a->restarted && a->lost_off > reread)
		reread = a->lost_off;
	json_object_set_new(last, "bytes_reread", json_integer((json_int_t)reread));
	if (a->restarted)
		json_object_set_new(last, "bytes_discarded", json_integer((json_int_t)a->lost_bytes));
	if (a->restarted)
		json_object_set_new(last, "note", json_string("stopped inside the first segment: written again from the "
		                                              "start so that every segment keeps the segment size"));
	char what[160];
	if (a->restarted)
		snprintf(what, sizeof(what), "the unfinished first segment (%llu bytes) discarded and written again",
		         (unsigned long long)a->lost_bytes);
	else
		snprintf(what, sizeof(what), "%llu bytes re-read from the source for the hashes", (unsigned long long)reread);
	snprintf(detail, detailsz, "resumed at offset %llu (%s); interrupted %s: %s", (unsigned long long)a->resume_off,
	         what,
	         shodo_json_str(last, "stopped_at", "(time unknown)"), shodo_json_str(last, "reason", ""));
}

static shodo_status acq_prepare(acq *a, shodo_err *err)
{
	const shodo_image_opts *o = a->o;
	shodo_status rc;
	char pre[4096], acqj[4096];
	struct stat sst;
	shodo_snprintf(pre, sizeof(pre), "%s/%s/image", o->case_dir, o->evidence_id);
	snprintf(a->imgdir, sizeof(a->imgdir), "%s", pre);
	shodo_snprintf(a->base, sizeof(a->base), "%s/%s", pre, o->evidence_id);
	shodo_snprintf(a->state, sizeof(a->state), "%s/%s.state.json", pre, o->evidence_id);
	shodo_snprintf(acqj, sizeof(acqj), "%s/acquisition.json", pre);

	/* the case folder, then the evidence item's lock: whatever is found
	 * below is not being written by anyone else, so the hints are true */
	shodo_case_meta cm = {o->case_number, o->examiner, o->description, o->notes};
	if ((rc = shodo_case_open(o->case_dir, &cm, 1, &a->c, err)) != SHODO_OK)
		return rc;
	if ((rc = shodo_case_lock_evidence(a->c, o->evidence_id, o->resume ? "shodo image --resume" : "shodo image",
	                                   &a->lock, err)) != SHODO_OK)
		return rc;

	a->have_state = stat(a->state, &sst) == 0;
	int exists = image_exists(a, acqj);
	if (exists && !o->resume) {
		shodo_err_set(err, SHODO_FATAL, EEXIST, "an image of evidence '%s' already exists in '%s'",
		              o->evidence_id, pre);
		shodo_err_hint(err, a->have_state ? "it was interrupted and no run is writing it: add --resume to continue it"
		                                  : "choose another --evidence ID");
		return SHODO_FATAL;
	}
	if (o->resume && stat(acqj, &sst) == 0)
		return shodo_err_set(err, SHODO_FATAL, 0, "nothing to resume: the image of evidence '%s' is complete",
		                     o->evidence_id);
	if (o->resume && exists && !a->have_state)
		return shodo_err_set(err, SHODO_FATAL, 0,
		                     "cannot resume: '%s' holds image files but no record of an interrupted "
		                     "acquisition ('%s')", pre, a->state);
	if (o->resume && a->have_state && (rc = resume_params(a, err)) != SHODO_OK)
		return rc;
	if (a->format == SHODO_IMAGE_E01 && !a->segsize)
		a->segsize = DEFAULT_SEGMENT;
	a->media = a->src->size;
	if (a->format == SHODO_IMAGE_E01 && a->media % 512)
		a->media += 512 - a->media % 512;  /* E01 stores whole sectors */
	segment_name(a, 0, a->first, sizeof(a->first));

	/* files the case folder's file system can hold, and room for them,
	 * before anything is written */
	if ((rc = file_size_check(o->case_dir, a->format, a->media, a->segsize, err)) != SHODO_OK)
		return rc;
	{
		shodo_image_space sp;
		uint64_t already = 0;
		for (int i = 0; i < existing_segments(a); i++) {
			char p[4096];
			segment_name(a, i, p, sizeof(p));
			if (stat(p, &sst) == 0)
				already += (uint64_t)sst.st_size;
		}
		rc = space_check(a->src, o->case_dir, a->format, a->compression, a->segsize, already, &sp, err);
		if (rc != SHODO_OK && !o->force)
			return rc;
		if (rc != SHODO_OK || sp.fits == 1)
			shodo_emit(a->sink, SHODO_EV_WARN, "acquire",
			           "the image may not fit: %llu bytes free, about %llu needed, %llu if the source does not "
			           "compress%s", (unsigned long long)sp.free_bytes, (unsigned long long)sp.expected,
			           (unsigned long long)sp.worst_case, rc != SHODO_OK ? " (going on: --force)" : "");
		shodo_err_clear(err);
	}

	char dir[4096];
	if ((rc = shodo_case_evidence_dir(a->c, o->evidence_id, "image", dir, sizeof(dir), err)) != SHODO_OK)
		return rc;
	if (access(a->imgdir, W_OK) < 0)
		return shodo_err_set(err, SHODO_FATAL, errno, "cannot write to '%s'", a->imgdir);
	if (!a->started[0])
		shodo_now_iso(a->started);
	if ((rc = open_writer(a, err)) != SHODO_OK)
		return rc;
	if (a->resume_off % IMG_CHUNK)
		return shodo_err_set(err, SHODO_FATAL, 0, "cannot resume '%s': it stops inside a chunk (offset %llu)",
		                     a->first, (unsigned long long)a->resume_off);

	/* what an earlier run had confirmed stays confirmed (see sync_main):
	 * the image up to the resume point, and of an E01 the segments before
	 * the last (libewf may write into the last one again) */
	if (o->resume && a->format == SHODO_IMAGE_RAW) {
		atomic_store(&a->sy_off, a->resume_off);
		atomic_store(&a->sy_segs, a->segsize ? (int)(a->resume_off / a->segsize) : 0);
	} else if (o->resume && a->ewf) {
		int n = existing_segments(a);
		atomic_store(&a->sy_segs, n > 1 ? n - 1 : 0);
	}

	/* the state file: everything a resume needs to continue this very
	 * acquisition, and the interruptions so far */
	a->state_doc = json_pack("{s:s, s:s, s:s, s:I, s:I, s:s, s:I, s:s, s:i, s:o}", "status", "in progress", "start",
	                         a->started, "source", o->source, "source_size", (json_int_t)a->src->size,
	                         "media_size", (json_int_t)a->media, "format", fmt_name(a->format),
	                         "segment_size", (json_int_t)a->segsize, "compression", comp_name(a->compression),
	                         "hashes", a->hashes, "metadata", meta_json(a));
	json_t *intr = json_object_get(a->resume_doc, "interruptions");
	json_object_set_new(a->state_doc, "interruptions", json_is_array(intr) ? json_deep_copy(intr) : json_array());
	{
		const char *was = shodo_json_str(a->resume_doc, "source_head_sha256", NULL);
		char head[65];
		if (was)
			json_object_set_new(a->state_doc, "source_head_sha256", json_string(was));
		else if (!o->resume && source_head(a, head))
			json_object_set_new(a->state_doc, "source_head_sha256", json_string(head));
	}
	char detail[1400];
	if (o->resume && a->have_state) {
		char rd[1000];
		record_resume(a, rd, sizeof(rd));
		snprintf(detail, sizeof(detail), "source '%s' (%llu bytes), format %s: %s", o->source,
		         (unsigned long long)a->src->size, fmt_name(a->format), rd);
	} else {
		snprintf(detail, sizeof(detail), "source '%s' (%llu bytes%s%s%s%s), format %s", o->source,
		         (unsigned long long)a->src->size, a->src->model[0] ? ", model " : "", a->src->model,
		         a->src->serial[0] ? ", serial " : "", a->src->serial, fmt_name(a->format));
	}
	save_state(a);
	shodo_case_custody(a->c, o->resume ? "acquire-resume" : "acquire-start", o->evidence_id, NULL, NULL, detail, NULL);
	if (a->resume_off)
		shodo_emit(a->sink, SHODO_EV_INFO, "acquire",
		           "resuming at offset %llu: re-reading the source up to there for the hashes",
		           (unsigned long long)a->resume_off);
	return SHODO_OK;
}

/* ---------- step 4: the pipeline ---------- */

static void record_stop(acq *a, const char *why)
{
	char now[32];
	json_t *intr = json_object_get(a->state_doc, "interruptions");
	if (json_is_array(intr))
		json_array_append_new(intr, json_pack("{s:s, s:I, s:s}", "stopped_at", shodo_now_iso(now), "offset",
		                                      (json_int_t)a->done_off, "reason", why));
	save_state(a);
	char detail[1400];
	snprintf(detail, sizeof(detail), "stopped at offset %llu of %llu: %s", (unsigned long long)a->done_off,
	         (unsigned long long)a->media, why);
	shodo_case_custody(a->c, "acquire-stopped", a->o->evidence_id, NULL, NULL, detail, NULL);
	/* the folder stays verifiable: SHA256SUMS covers what is there, and
	 * shodo verify DIR reports the item as incomplete (best effort: the
	 * destination may be what failed) */
	shodo_err e2;
	shodo_case_refresh_sums(a->c, a->o->sign_key, &e2);
}

static shodo_status acq_pipeline(acq *a, shodo_err *err)
{
	const shodo_image_opts *o = a->o;
	shodo_status st;
	a->nworkers = a->format == SHODO_IMAGE_E01 ? (a->threads > 64 ? 64 : a->threads) : 0;
	for (int i = 0; i < a->nworkers; i++)
		if (!(a->codecs[i] = img_codec_new(a->compression)))
			return shodo_err_set(err, SHODO_FATAL, ENOMEM, "cannot set up compression");
	shodo_emit(a->sink, SHODO_EV_PHASE, "acquire", "acquiring '%s' (%llu bytes) into '%s'", o->source,
	           (unsigned long long)a->src->size, a->first);
	img_pipe_cfg cfg;
	memset(&cfg, 0, sizeof(cfg));
	cfg.size = a->media;
	cfg.hashes = a->hashes;
	cfg.workers = a->nworkers;
	cfg.nslots = 8 + 2 * a->nworkers;
	cfg.sink = a->sink;
	cfg.cancel = a->cancel;
	cfg.phase = "acquire";
	cfg.hash_split = a->src->size;   /* the source's own bytes, before any sector padding */
	cfg.split_digests = &a->dgs;
	cfg.cpu = &a->cpu_acq;
	img_pipe_ops ops = {acq_produce, a->nworkers ? acq_work : NULL, acq_consume};
	if (!a->resume_off && !o->resume && !(a->format == SHODO_IMAGE_RAW && !a->segsize))
		a->seg_started = pthread_create(&a->seg_th, NULL, seg_main, a) == 0;
	sync_start(a);
	double t0 = shodo_monotonic();
	st = img_pipe_run(&cfg, &ops, a, &a->dg, err);
	sync_end(a);
	if (st == SHODO_OK && atomic_load(&a->sy_errno))
		st = sync_failed(a, err);
	if (st == SHODO_OK) {
		if (a->ewf) {
			st = img_ewf_finish(a->ewf, &a->dg, &a->bad, err);  /* the E01 stores the padded media's */
			a->ewf = NULL;
		} else {
			st = img_raw_finish(a->raw, err);
			a->raw = NULL;
		}
	}
	seg_stop(a);
	if (st == SHODO_OK) {
		/* without a read-back: the segments not hashed yet (the last one,
		 * or all after a resume), from memory, while the fsync waits for
		 * the disk (with one, beside it: see acq_verify) */
		if (!a->o->verify && !(a->format == SHODO_IMAGE_RAW && !a->segsize && (a->dg.set & SHODO_HASH_SHA256))) {
			atomic_store(&a->seg_stop, 0);
			a->seg_started = pthread_create(&a->seg_th, NULL, seg_tail_main, a) == 0;
		}
		st = sync_segments(a, err);
		a->t_acq = shodo_monotonic() - t0;   /* the image is on the destination */
		seg_join(a);
		if (st == SHODO_OK)
			drop_segments(a);
	} else {
		a->t_acq = shodo_monotonic() - t0;
	}
	if (st == SHODO_OK)
		return SHODO_OK;
	/* close the writer before the stop is recorded and SHA256SUMS
	 * refreshed: libewf still writes while it closes */
	img_ewf_abort(a->ewf);
	a->ewf = NULL;
	img_raw_abort(a->raw);
	a->raw = NULL;
	/* a stop the run sees: what was written is confirmed, so that the
	 * resume continues from there (the destination may refuse: then from
	 * what it confirmed before) */
	if (!atomic_load(&a->sy_errno)) {
		if (a->format == SHODO_IMAGE_RAW)
			atomic_store(&a->sy_mark, a->resume_off + a->written);
		sync_round(a, 1);
	}
	record_stop(a, st == SHODO_CANCELLED ? "cancelled" : err->msg);
	if (st == SHODO_CANCELLED) {
		shodo_err_set(err, SHODO_CANCELLED, 0, "acquisition of '%s' cancelled after %llu of %llu bytes",
		              o->source, (unsigned long long)a->done_off, (unsigned long long)a->media);
		shodo_err_hint(err, "the image in '%s' is incomplete; run the same command with --resume to "
		                    "continue it", a->imgdir);
	} else if (st == SHODO_FATAL && !err->hint[0]) {
		shodo_err_hint(err, "the image in '%s' is incomplete; fix the cause and run the same command "
		                    "with --resume to continue it", a->imgdir);
	}
	return st;
}

/* ---------- step 5: verify ---------- */

static int differ(const shodo_digests *got, const shodo_digests *want)
{
	return ((want->set & got->set & SHODO_HASH_MD5) && strcmp(got->md5, want->md5)) ||
	       ((want->set & got->set & SHODO_HASH_SHA1) && strcmp(got->sha1, want->sha1)) ||
	       ((want->set & got->set & SHODO_HASH_SHA256) && strcmp(got->sha256, want->sha256));
}

/* The digests the read-back recomputes.  It proves that the image holds
 * the bytes that were hashed while acquiring; equal bytes give equal
 * digests, so one collision-resistant digest (the strongest selected) is
 * that proof, at a third of the cost of all three (MD5 alone would be a
 * second pass as long as the whole acquisition).  --verify-all recomputes
 * every selected digest. */
static int verify_hashes(const acq *a)
{
	if (a->o->verify >= 2)
		return a->hashes;
	return (a->hashes & SHODO_HASH_SHA256) ? SHODO_HASH_SHA256
	       : (a->hashes & SHODO_HASH_SHA1) ? SHODO_HASH_SHA1 : SHODO_HASH_MD5;
}

static void acq_verify(acq *a)
{
	img_media_check mc;
	shodo_err verr;
	char detail[1200] = "";
	const char *res = "match";
	a->ver = json_null();
	a->vst = SHODO_OK;
	if (!a->o->verify)
		return;
	/* the segments still to hash, beside the read-back, from the
	 * destination: whichever of the two reads a part first brings it into
	 * memory for the other, and the read-back keeps both cores busy
	 * (joined in acq_finish).  Measured (2 GiB, default run, alternated):
	 * 2.30-2.38 s for the read-back with the hashing beside it, against
	 * 2.56-2.60 s plus 0.5 s for hashing first, from memory. */
	if (!(a->format == SHODO_IMAGE_RAW && !a->segsize && (a->dg.set & SHODO_HASH_SHA256))) {
		atomic_store(&a->seg_stop, 0);
		a->seg_started = pthread_create(&a->seg_th, NULL, seg_tail_main, a) == 0;
	}
	shodo_err_clear(&verr);
	shodo_emit(a->sink, SHODO_EV_PHASE, "verify", "verifying '%s'", a->first);
	int vh = verify_hashes(a);
	shodo_status vst = a->format == SHODO_IMAGE_E01
	                       ? img_verify_e01(a->first, a->threads, vh, a->src->size, a->sink, a->cancel, &mc, &verr)
	                       : img_verify_raw(a->first, vh, a->sink, a->cancel, &mc, &verr);
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
	} else if ((mc.got.set & vh) != vh || differ(&mc.got, &a->dg) || differ(&mc.got_src, &a->dgs)) {
		res = "mismatch";
		snprintf(detail, sizeof(detail), "hashes read back differ from the hashes computed while acquiring");
	}
	/* read back over the source's bytes: comparable with the logged hashes */
	const shodo_digests *g = &mc.got_src;
	a->ver = json_pack("{s:s, s:s?, s:s?, s:s?, s:f}", "result", res, "md5",
	                   (g->set & SHODO_HASH_MD5) ? g->md5 : NULL, "sha1", (g->set & SHODO_HASH_SHA1) ? g->sha1 : NULL,
	                   "sha256", (g->set & SHODO_HASH_SHA256) ? g->sha256 : NULL, "seconds", mc.seconds);
	json_t *rc = json_array();
	if (vh & SHODO_HASH_MD5)
		json_array_append_new(rc, json_string("md5"));
	if (vh & SHODO_HASH_SHA1)
		json_array_append_new(rc, json_string("sha1"));
	if (vh & SHODO_HASH_SHA256)
		json_array_append_new(rc, json_string("sha256"));
	json_object_set_new(a->ver, "recomputed", rc);
	if (detail[0])
		json_object_set_new(a->ver, "detail", json_string(detail));
	if (strcmp(res, "match")) {
		a->vst = SHODO_FAILED;
		shodo_emit(a->sink, SHODO_EV_ERROR, "verify", "verification failed: %s", detail);
	}
	a->cpu_ver = mc.cpu;
	img_bad_free(&mc.acq_errors);
	shodo_case_custody(a->c, "verify", a->o->evidence_id, NULL, NULL, detail[0] ? detail : res, NULL);
}

/* ---------- step 6: finish: segments, documents, custody, sums ---------- */

static json_t *image_json(acq *a, json_t *segs, uint64_t outbytes)
{
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
	if (a->media != a->src->size) {
		/* the E01 stores whole sectors: its MD5 and SHA-1 cover the padding */
		json_object_set_new(img, "padding_bytes", json_integer((json_int_t)(a->media - a->src->size)));
		json_t *sh = json_object();
		shodo_digests stored = a->dg;
		stored.set &= SHODO_HASH_MD5 | SHODO_HASH_SHA1;
		digests_json(sh, &stored);
		json_object_del(sh, "sha256");
		json_object_set_new(img, "stored_hashes", sh);
		json_object_set_new(img, "stored_hashes_cover",
		                    json_string("the source followed by padding_bytes zero bytes (whole sectors)"));
	}
	json_object_set_new(img, "segments", segs);
	return img;
}

/* where the CPU went, per stage (each a thread, compression all workers):
 * the slowest single-thread stage and half the total bound the run on two
 * cores */
static json_t *stage_json(const img_pipe_cpu *c, const char *work_name, const char *consume_name)
{
	json_t *j = json_object();
	static const char *const hn[3] = {"md5", "sha1", "sha256"};
	json_object_set_new(j, "read", json_real(c->produce));
	if (c->work > 0)
		json_object_set_new(j, work_name, json_real(c->work));
	for (int i = 0; i < 3; i++)
		if (c->hash[i] > 0)
			json_object_set_new(j, hn[i], json_real(c->hash[i]));
	if (consume_name)
		json_object_set_new(j, consume_name, json_real(c->consume));
	return j;
}

static json_t *cpu_json(const acq *a)
{
	json_t *j = json_object();
	json_object_set_new(j, "acquire", stage_json(&a->cpu_acq, "compress", "write"));
	json_object_set_new(j, "segments_sha256", json_real(a->cpu_seg));
	if (a->o->verify)
		json_object_set_new(j, "verify", stage_json(&a->cpu_ver, "inflate", NULL));
	return j;
}

static shodo_status acq_finish(acq *a, shodo_err *err)
{
	const shodo_image_opts *o = a->o;
	shodo_status rc;
	char now[32], host[256] = "";
	json_t *segs = json_array();
	uint64_t outbytes = 0;
	seg_join(a);
	if ((rc = hash_segments(a, segs, existing_segments(a), &outbytes, err)) != SHODO_OK) {
		json_decref(segs);
		return rc;
	}
	gethostname(host, sizeof(host) - 1);
	json_t *doc = a->doc = json_object();
	json_object_set_new(doc, "evidence_id", json_string(o->evidence_id));
	json_object_set_new(doc, "tool", json_string("shodo"));
	json_object_set_new(doc, "versions", shodo_version_json());
	json_object_set_new(doc, "host", json_string(host));
	json_object_set_new(doc, "source", source_json(a));
	json_object_set_new(doc, "metadata", meta_json(a));
	json_object_set_new(doc, "start", json_string(a->started));
	json_object_set_new(doc, "end", json_string(shodo_now_iso(now)));
	json_object_set_new(doc, "bytes_read", json_integer((json_int_t)a->src->size));
	json_object_set_new(doc, "acquire_seconds", json_real(a->t_acq));
	json_object_set_new(doc, "cpu_seconds", cpu_json(a));
	json_object_set_new(doc, "throughput_mb_s", json_real(a->t_acq > 0 ? (double)a->media / 1e6 / a->t_acq : 0));
	json_t *intr = json_object_get(a->state_doc, "interruptions");
	json_object_set_new(doc, "interruptions", json_is_array(intr) ? json_deep_copy(intr) : json_array());
	if (o->resume && a->have_state) {
		json_object_set_new(doc, "resumed", json_true());
		json_object_set_new(doc, "resumed_at", json_integer((json_int_t)a->resume_off));
	}
	/* the source's bytes exactly as read: what sha256sum of the source gives */
	json_t *hj = json_object();
	digests_json(hj, &a->dgs);
	json_object_set_new(doc, "hashes", hj);
	json_object_set_new(doc, "hashes_cover", json_string("source"));
	json_object_set_new(doc, "image", image_json(a, segs, outbytes));
	json_object_set_new(doc, "unreadable", ranges_json(&a->bad));
	json_object_set_new(doc, "unreadable_bytes", json_integer((json_int_t)a->bad.total));
	json_object_set(doc, "verification", a->ver);

	char *js = shodo_json_text(doc);
	char *log = render_log(doc);
	char logname[512];
	const char *fn = strrchr(a->first, '/') ? strrchr(a->first, '/') + 1 : a->first;
	snprintf(logname, sizeof(logname), "%s.txt", fn);
	rc = (!js || !log) ? shodo_err_set(err, SHODO_FATAL, ENOMEM, "cannot render the logs") : SHODO_OK;
	if (rc == SHODO_OK)
		rc = write_doc_file(a, logname, log, err);
	if (rc == SHODO_OK)
		rc = write_doc_file(a, "acquisition.json", js, err);
	free(js);
	free(log);
	if (rc != SHODO_OK)
		return rc;
	unlink(a->state);
	char detail[600];
	snprintf(detail, sizeof(detail), "source md5 %s sha1 %s sha256 %s, %llu bytes unreadable",
	         (a->dgs.set & SHODO_HASH_MD5) ? a->dgs.md5 : "-", (a->dgs.set & SHODO_HASH_SHA1) ? a->dgs.sha1 : "-",
	         (a->dgs.set & SHODO_HASH_SHA256) ? a->dgs.sha256 : "-", (unsigned long long)a->bad.total);
	if (a->media != a->src->size && (a->dg.set & (SHODO_HASH_MD5 | SHODO_HASH_SHA1))) {
		size_t l = strlen(detail);
		snprintf(detail + l, sizeof(detail) - l, "; stored in the E01 (with %llu padding bytes): md5 %s sha1 %s",
		         (unsigned long long)(a->media - a->src->size), (a->dg.set & SHODO_HASH_MD5) ? a->dg.md5 : "-",
		         (a->dg.set & SHODO_HASH_SHA1) ? a->dg.sha1 : "-");
	}
	shodo_case_custody(a->c, "acquire-end", o->evidence_id, NULL, a->dgs.set & SHODO_HASH_SHA256 ? a->dgs.sha256 : NULL,
	                   detail, NULL);
	if ((rc = shodo_case_refresh_sums(a->c, o->sign_key, err)) != SHODO_OK)
		return rc;
	if (a->vst != SHODO_OK)
		return shodo_err_set(err, SHODO_FAILED, 0, "verification of '%s' failed: %s", a->first,
		                     shodo_json_str(a->ver, "detail", "mismatch"));
	if (a->bad.total)
		return shodo_err_set(err, SHODO_WARN, 0, "%llu bytes in %zu ranges were unreadable and are zero-filled "
		                     "in the image (listed in acquisition.json)", (unsigned long long)a->bad.total, a->bad.n);
	return SHODO_OK;
}

/* ---------- the job ---------- */

static void acq_free(acq *a)
{
	seg_stop(a);
	sync_end(a);
	if (a->wb_fd >= 0)
		close(a->wb_fd);
	free(a->seg);
	pthread_mutex_destroy(&a->seg_mu);
	if (a->ewf)
		img_ewf_abort(a->ewf);
	if (a->raw)
		img_raw_abort(a->raw);
	for (int i = 0; i < 64; i++)
		img_codec_free(a->codecs[i]);
	json_decref(a->state_doc);
	json_decref(a->resume_doc);
	json_decref(a->ver);
	img_bad_free(&a->bad);
	img_bad_free(&a->prev_bad);
	if (a->src)
		shodo_source_close(a->src);
	shodo_case_unlock_evidence(a->lock);   /* after the last write of this item */
	shodo_case_close(a->c);
	pthread_mutex_destroy(&a->bad_mu);
}

shodo_status shodo_image_acquire(const shodo_image_opts *o, json_t **result, shodo_err *err)
{
	const shodo_sink *sink = o->sink;
	shodo_cancel *cancel = o->cancel;
	acq A, *a = &A;
	shodo_status rc;
	memset(a, 0, sizeof(*a));
	a->wb_fd = -1;
	pthread_mutex_init(&a->bad_mu, NULL);
	pthread_mutex_init(&a->seg_mu, NULL);
	a->o = o;
	a->sink = sink;
	a->cancel = cancel;
	a->retries = o->retries < 0 ? 2 : o->retries;
	a->format = o->format;
	a->compression = o->compression;
	a->segsize = o->segment_size;
	a->hashes = o->hashes ? o->hashes : SHODO_HASH_ALL;
	a->threads = o->threads > 0 ? o->threads : shodo_ncpu();
	const char *m[5] = {o->case_number, o->evidence_number, o->examiner, o->description, o->notes};
	memcpy(a->meta, m, sizeof(m));
	if (result)
		*result = NULL;

	rc = acq_check_opts(a, err);
	if (rc == SHODO_OK)
		rc = acq_open_source(a, err);
	if (rc == SHODO_OK)
		rc = acq_prepare(a, err);
	if (rc == SHODO_OK)
		rc = acq_pipeline(a, err);
	if (rc == SHODO_OK) {
		acq_verify(a);
		rc = acq_finish(a, err);
	}
	if (result)
		*result = a->doc;
	else
		json_decref(a->doc);
	acq_free(a);
	return rc;
}
