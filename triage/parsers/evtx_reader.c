/*
 * shodo's EVTX reader: the event-log hot path of triage.
 *
 * Why not a library: event logs are most of the bytes triage parses (a
 * domain controller's Security log is 1-4 GB), and every library available
 * renders each record to XML text first.  Measured in one run on this
 * project's 2-core machine (bench/evtx.sh, a 268 MB Security log, 429,032
 * records): libevtx through `shodo parse` 77.8 s (3.5 MB/s), evtxexport
 * 45.7 s (5.9 MB/s), python-evtx slower still; the fastest published
 * parser (the Rust `evtx` crate used by Chainsaw and Hayabusa) about
 * 100 MB/s on one thread, and not a Debian C library.  Rendering XML and
 * then searching it is also what let a user name such as
 * `admin Name="IpAddress"/` pose as a field.  So shodo reads the binary XML
 * itself, straight into the fields scoping uses (binxml.c), one chunk per
 * thread; the figures of this reader are in docs/parsers.md.  libevtx stays
 * the reference in the tests and reads the records this reader refuses.
 *
 * Framing follows libevtx exactly, so that counts and record order agree:
 *  - every whole 64 KiB block after the 4 KiB header is a chunk; an
 *    all-zero block is skipped;
 *  - a chunk's records run from offset 512 while the offset is at most the
 *    header's last-record offset, each with signature, size and size copy;
 *  - after them, the chunk's slack is scanned in 4-byte steps for record
 *    signatures: what frames and starts like binary XML is "recovered";
 *  - records of chunks past the header's chunk count are allocated when the
 *    log is dirty (Windows had not flushed the header), recovered otherwise.
 * Checks: file header CRC32 (first 120 bytes), chunk header CRC32 (bytes
 * 0-120 and 128-512), event records CRC32 (512 to the free-space offset).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libdeflate.h>
#include "shodo/util.h"
#include "binxml.h"
#include "evtx_reader.h"

#define MAX_THREADS 16

static inline uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t rd64(const uint8_t *p) { return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32; }

struct evtx_reader {
	int fd;
	const uint8_t *mem;
	evtx_info info;
	int dirty;
	/* per chunk, after a full run: records in libevtx's lists (for indexes) */
	uint32_t *cnt_alloc, *cnt_recov;
	int counted;
};

const char *evtx_field_get(const evtx_record *r, const char *name)
{
	const char *other = NULL;
	for (size_t i = 0; i < r->nfields; i++) {
		const evtx_field *f = &r->fields[i];
		if (f->name[0] != name[0] || strcmp(f->name, name))
			continue;
		if (f->is_data)
			return f->value;
		if (!other)
			other = f->value;
	}
	return other;
}

static ssize_t read_at(const evtx_reader *rd, void *buf, size_t n, uint64_t off)
{
	if (rd->mem) {
		if (off >= rd->info.file_size)
			return 0;
		if (n > rd->info.file_size - off)
			n = (size_t)(rd->info.file_size - off);
		memcpy(buf, rd->mem + off, n);
		return (ssize_t)n;
	}
	return shodo_pread_all(rd->fd, buf, n, off);
}

static void read_header(evtx_reader *rd)
{
	uint8_t h[128];
	evtx_info *in = &rd->info;
	in->file_chunks = in->file_size > EVTX_HEADER_SIZE
	                      ? (uint32_t)((in->file_size - EVTX_HEADER_SIZE) / EVTX_CHUNK_SIZE) : 0;
	if (read_at(rd, h, sizeof(h), 0) != (ssize_t)sizeof(h) || memcmp(h, "ElfFile\0", 8)) {
		/* no header: every chunk counts as allocated */
		in->header_chunks = in->file_chunks > 0xffff ? 0xffff : (uint16_t)in->file_chunks;
		return;
	}
	in->header_ok = 1;
	in->minor = rd16(h + 36);
	in->major = rd16(h + 38);
	in->header_chunks = rd16(h + 42);
	in->flags = rd32(h + 120);
	in->header_crc_ok = libdeflate_crc32(0, h, 120) == rd32(h + 124);
	rd->dirty = (in->flags & 1) != 0;
}

static shodo_status reader_new(evtx_reader **out, shodo_err *err)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return shodo_err_set(err, SHODO_FATAL, ENOMEM, "cannot read the event log");
	(*out)->fd = -1;
	return SHODO_OK;
}

shodo_status evtx_reader_open(const char *path, evtx_reader **out, shodo_err *err)
{
	evtx_reader *rd;
	shodo_status rc = reader_new(&rd, err);
	if (rc != SHODO_OK)
		return rc;
	struct stat st;
	rd->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (rd->fd < 0 || fstat(rd->fd, &st) < 0) {
		rc = shodo_err_set(err, SHODO_FAILED, errno, "cannot open '%s'", path);
		evtx_reader_close(rd);
		return rc;
	}
	rd->info.file_size = (uint64_t)st.st_size;
	if (rd->info.file_size < 128) {
		evtx_reader_close(rd);
		return shodo_err_set(err, SHODO_FAILED, 0, "not an event log: %llu bytes",
		                     (unsigned long long)st.st_size);
	}
	read_header(rd);
	*out = rd;
	return SHODO_OK;
}

shodo_status evtx_reader_open_mem(const uint8_t *buf, size_t n, evtx_reader **out, shodo_err *err)
{
	evtx_reader *rd;
	shodo_status rc = reader_new(&rd, err);
	if (rc != SHODO_OK)
		return rc;
	rd->mem = buf;
	rd->info.file_size = n;
	if (n < 128) {
		evtx_reader_close(rd);
		return shodo_err_set(err, SHODO_FAILED, 0, "not an event log: %zu bytes", n);
	}
	read_header(rd);
	*out = rd;
	return SHODO_OK;
}

void evtx_reader_close(evtx_reader *rd)
{
	if (!rd)
		return;
	if (rd->fd >= 0)
		close(rd->fd);
	free(rd->cnt_alloc);
	free(rd->cnt_recov);
	free(rd);
}

const evtx_info *evtx_reader_info(const evtx_reader *rd) { return &rd->info; }

/* ---- one chunk ---- */
enum { CH_ZERO = 0, CH_OK, CH_BADSIG, CH_IOERR };

struct chunk_res {
	uint32_t idx;
	uint8_t state;
	uint8_t crc_ok;        /* header and records checksums, sizes in range */
	uint8_t framing_ok;    /* records ran to the header's last record, count as the header says */
	uint32_t nalloc;       /* records framed from offset 512 */
	uint32_t nslack;       /* records recovered from slack */
	bx_out out;
};

struct worker {
	bx_ctx *x;
	uint8_t *buf;
};

/*
 * Workspaces handed on from one run to the next (and so from one log to the
 * next).  A run needs per thread a binary-XML context (its plan memory comes
 * in 256 KiB blocks) and a chunk buffer, and per chunk in flight an output
 * arena; made and freed for every log, they were mapped, zeroed by the
 * kernel and unmapped again for every one of hundreds of small logs.  Kept:
 * at most SPARE_WORKERS contexts and SPARE_OUTS arenas of at most
 * SPARE_MAX_BYTES each (what a chunk of huge records grew is freed), so
 * what stays allocated between logs is bounded (a few MiB in practice).
 */
#define SPARE_WORKERS 4
#define SPARE_OUTS 24
#define SPARE_MAX_BYTES ((size_t)1 << 20)

static pthread_mutex_t spare_mu = PTHREAD_MUTEX_INITIALIZER;
static struct worker spare_w[SPARE_WORKERS];
static unsigned nspare_w;
static bx_out spare_o[SPARE_OUTS];
static unsigned nspare_o;

/* 0, or -1 out of memory */
static int worker_take(struct worker *w)
{
	memset(w, 0, sizeof(*w));
	pthread_mutex_lock(&spare_mu);
	if (nspare_w)
		*w = spare_w[--nspare_w];
	pthread_mutex_unlock(&spare_mu);
	if (!w->x)
		w->x = bx_ctx_new();
	if (!w->buf)
		w->buf = malloc(EVTX_CHUNK_SIZE);
	return w->x && w->buf ? 0 : -1;
}

static void worker_give(struct worker *w)
{
	if (w->x && w->buf && bx_ctx_bytes(w->x) <= SPARE_MAX_BYTES) {
		pthread_mutex_lock(&spare_mu);
		int kept = nspare_w < SPARE_WORKERS;
		if (kept)
			spare_w[nspare_w++] = *w;
		pthread_mutex_unlock(&spare_mu);
		if (kept) {
			memset(w, 0, sizeof(*w));
			return;
		}
	}
	bx_ctx_free(w->x);
	free(w->buf);
	memset(w, 0, sizeof(*w));
}

static void out_take(bx_out *o)
{
	memset(o, 0, sizeof(*o));
	pthread_mutex_lock(&spare_mu);
	if (nspare_o)
		*o = spare_o[--nspare_o];
	pthread_mutex_unlock(&spare_mu);
	bx_out_reset(o);
}

static void out_give(bx_out *o)
{
	size_t held = bx_out_bytes(o);
	if (held && held <= SPARE_MAX_BYTES) {
		pthread_mutex_lock(&spare_mu);
		int kept = nspare_o < SPARE_OUTS;
		if (kept)
			spare_o[nspare_o++] = *o;
		pthread_mutex_unlock(&spare_mu);
		if (kept) {
			memset(o, 0, sizeof(*o));
			return;
		}
	}
	bx_out_free(o);
}

static int all_zero(const uint8_t *p, size_t n)
{
	static const uint8_t z[256];
	for (size_t i = 0; i < n; i += sizeof(z))
		if (memcmp(p + i, z, n - i < sizeof(z) ? n - i : sizeof(z)))
			return 0;
	return 1;
}

/* libevtx's record header check: 1 framed, 0 zero header (end), -1 not a record */
static int frame(const uint8_t *c, uint32_t off, uint32_t *size)
{
	if (off >= EVTX_CHUNK_SIZE || EVTX_CHUNK_SIZE - off < 28)
		return -1;
	const uint8_t *p = c + off;
	if (all_zero(p, 24))
		return 0;
	if (memcmp(p, "**\0\0", 4))
		return -1;
	uint32_t sz = rd32(p + 4);
	if (sz < 24 || sz > EVTX_CHUNK_SIZE - off - 4)
		return -1;
	if (rd32(p + sz - 4) != sz)
		return -1;
	*size = sz;
	return 1;
}

static void one_record(struct worker *w, struct chunk_res *res, uint32_t off, uint32_t sz, int recovered,
                       const evtx_read_opts *o)
{
	const uint8_t *p = w->buf + off;
	evtx_record h;
	memset(&h, 0, sizeof(h));
	h.record_id = rd64(p + 8);
	h.written = rd64(p + 16);
	h.chunk = res->idx;
	h.offset = off;
	h.recovered = (uint8_t)recovered;
	uint32_t xl = sz >= 28 ? sz - 28 : 0;
	/* a refused record is appended all the same, marked; only running out
	 * of memory appends nothing */
	bx_record(w->x, off + 24, xl, &h, o->want, o->ud, &res->out);
}

static void parse_chunk(evtx_reader *rd, struct worker *w, struct chunk_res *res, const evtx_read_opts *o)
{
	const uint8_t *c = w->buf;
	bx_out_reset(&res->out);
	res->state = CH_ZERO;
	res->crc_ok = res->framing_ok = 1;
	res->nalloc = res->nslack = 0;
	uint64_t at = EVTX_HEADER_SIZE + (uint64_t)res->idx * EVTX_CHUNK_SIZE;
	if (read_at(rd, w->buf, EVTX_CHUNK_SIZE, at) != (ssize_t)EVTX_CHUNK_SIZE) {
		res->state = CH_IOERR;
		return;
	}
	if (all_zero(c, EVTX_CHUNK_SIZE))
		return;
	bx_ctx_chunk(w->x, c);
	int past = res->idx >= rd->info.header_chunks;
	int alloc_recovered = past && !rd->dirty && rd->info.header_ok;
	uint32_t off = 0;
	if (memcmp(c, "ElfChnk\0", 8)) {
		res->state = CH_BADSIG;
		res->crc_ok = 0;
	} else {
		res->state = CH_OK;
		uint64_t first = rd64(c + 8), last = rd64(c + 16);
		uint32_t last_off = rd32(c + 44), free_off = rd32(c + 48);
		uint32_t hcrc = libdeflate_crc32(libdeflate_crc32(0, c, 120), c + 128, 384);
		if (rd32(c + 40) != 128 || hcrc != rd32(c + 124))
			res->crc_ok = 0;
		if (free_off < 512 || free_off > EVTX_CHUNK_SIZE ||
		    libdeflate_crc32(0, c + 512, free_off - 512) != rd32(c + 52))
			res->crc_ok = 0;
		off = 512;
		int end = 1;
		while (off <= last_off) {
			uint32_t sz;
			end = frame(c, off, &sz);
			if (end != 1)
				break;
			if (!(o->skip_allocated && !alloc_recovered))
				one_record(w, res, off, sz, alloc_recovered, o);
			res->nalloc++;
			off += sz;
		}
		if (end < 0 || (first <= last && last - first + 1 != res->nalloc))
			res->framing_ok = 0;
	}
	/* slack: libevtx's scan, 4-byte steps from where the records ended */
	while (off < EVTX_CHUNK_SIZE) {
		uint32_t sz;
		if (off + 4 <= EVTX_CHUNK_SIZE && !memcmp(c + off, "**\0\0", 4) && frame(c, off, &sz) == 1 &&
		    sz > 28) {
			const uint8_t *xml = c + off + 24;
			uint32_t xl = sz - 28;
			if ((xl >= 5 && xml[0] == 0x0a) ||
			    (xl >= 4 && xml[0] == 0x0f && xml[1] == 0x01 && xml[2] == 0x01 && xml[3] == 0x00)) {
				one_record(w, res, off, sz, 1, o);
				res->nslack++;
				off += sz - 4;
			}
		}
		off += 4;
	}
	bx_finish(&res->out);
}

/* ---- delivery, in file order, on the calling thread ---- */
struct deliver {
	evtx_reader *rd;
	const evtx_read_opts *o;
	uint64_t alloc_index, recov_index;
	uint32_t pref;          /* partial runs: chunks [0, pref) summed into pa, pr */
	uint64_t pa, pr;
	int stopped;
};

static void note_bad(evtx_info *in, uint32_t idx)
{
	in->chunks_bad++;
	if (in->nbad_listed < sizeof(in->bad) / sizeof(in->bad[0]))
		in->bad[in->nbad_listed++] = idx;
}

static void deliver_chunk(struct deliver *d, struct chunk_res *res, int full)
{
	evtx_reader *rd = d->rd;
	evtx_info *in = &rd->info;
	uint32_t idx = res->idx;
	int past = idx >= in->header_chunks;
	int alloc_recovered = past && !rd->dirty && in->header_ok;
	if (full) {
		if (res->state == CH_ZERO || res->state == CH_IOERR) {
			if (res->state == CH_ZERO)
				in->chunks_zero++;
			if (!past)
				note_bad(in, idx);
		} else if (past) {
			if (res->state == CH_OK && res->crc_ok && res->framing_ok)
				in->chunks_past++;
			else
				in->chunks_past_bad++;
		} else if (!res->crc_ok || !res->framing_ok) {
			note_bad(in, idx);
		}
		if (!res->framing_ok && res->state == CH_OK)
			in->unframed++;
		if (alloc_recovered)
			in->recovered += res->nalloc;
		else
			in->records += res->nalloc;
		in->recovered += res->nslack;
		in->recovered_slack += res->nslack;
		if (rd->cnt_alloc) {
			rd->cnt_alloc[idx] = alloc_recovered ? 0 : res->nalloc;
			rd->cnt_recov[idx] = res->nslack + (alloc_recovered ? res->nalloc : 0);
		}
	} else if (rd->counted) {
		/* a partial run: indexes from the counts of the full run */
		for (; d->pref < idx; d->pref++) {
			d->pa += rd->cnt_alloc[d->pref];
			d->pr += rd->cnt_recov[d->pref];
		}
		d->alloc_index = d->pa;
		d->recov_index = d->pr;
	}
	for (size_t i = 0; i < res->out.nrecs && !d->stopped; i++) {
		evtx_record *r = &res->out.recs[i].r;
		r->index = r->recovered ? d->recov_index++ : d->alloc_index++;
		if (full && r->state == EVTX_REC_REFUSED)
			in->refused++;
		if (d->o->skip_allocated && !r->recovered)
			continue;
		if (d->o->record && d->o->record(r, d->o->ud))
			d->stopped = 1;
	}
}

/* ---- the pool ---- */
struct pool {
	evtx_reader *rd;
	const evtx_read_opts *o;
	const uint32_t *list;   /* chunk numbers, NULL = first..first+n-1 */
	size_t first, n, next, consumed, window;
	struct chunk_res *slots;
	uint8_t *ready;
	int stop;
	int idle;         /* workers waiting for a free slot */
	int want;         /* the consumer waits for chunk `consumed` */
	pthread_mutex_t mu;
	pthread_cond_t cv_work, cv_ready;
};

struct wthread {
	struct pool *p;
	struct worker w;
	pthread_t t;
	int started;
};

static uint32_t chunk_at(const struct pool *p, size_t i) { return p->list ? p->list[i] : (uint32_t)(p->first + i); }

static void *worker_main(void *arg)
{
	struct wthread *wt = arg;
	struct pool *p = wt->p;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->stop && p->next < p->n && p->next >= p->consumed + p->window) {
			p->idle++;
			pthread_cond_wait(&p->cv_work, &p->mu);
			p->idle--;
		}
		if (p->stop || p->next >= p->n)
			break;
		size_t i = p->next++;
		pthread_mutex_unlock(&p->mu);
		struct chunk_res *res = &p->slots[i % p->window];
		res->idx = chunk_at(p, i);
		parse_chunk(p->rd, &wt->w, res, p->o);
		pthread_mutex_lock(&p->mu);
		p->ready[i % p->window] = 1;
		/* wake the consumer only for the chunk it waits for: a wake-up per
		 * chunk for nothing was 5 % of parsing a large log */
		if (p->want && i == p->consumed)
			pthread_cond_signal(&p->cv_ready);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

static unsigned online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (unsigned)n;
}

shodo_status evtx_reader_run(evtx_reader *rd, const evtx_read_opts *o, shodo_err *err)
{
	evtx_info *in = &rd->info;
	int full = o->chunks == NULL && !o->skip_allocated;
	size_t n = o->chunks ? o->nchunks : in->file_chunks;
	if (o->chunks)
		for (size_t i = 0; i < n; i++)
			if (o->chunks[i] >= in->file_chunks)
				return shodo_err_set(err, SHODO_FATAL, 0, "event log: chunk %u past the file's end", o->chunks[i]);
	if (full) {
		/* counts start again: a full run describes the whole file */
		memset(&in->chunks_zero, 0, sizeof(*in) - offsetof(evtx_info, chunks_zero));
		if (!rd->cnt_alloc && in->file_chunks) {
			rd->cnt_alloc = calloc(in->file_chunks, sizeof(uint32_t));
			rd->cnt_recov = calloc(in->file_chunks, sizeof(uint32_t));
		}
	} else if (!rd->counted) {
		return shodo_err_set(err, SHODO_FATAL, 0, "event log: chunks read before the whole file");
	}
	struct deliver d = {rd, o, 0, 0, 0, 0, 0, 0};
	unsigned nt = o->threads ? o->threads : online_cpus();
	if (nt > MAX_THREADS)
		nt = MAX_THREADS;
	/* the first chunks on this thread; threads only for what remains of a
	 * large log (see EVTX_SOLO_CHUNKS) */
	size_t solo = o->solo_chunks < 0 ? 0 : o->solo_chunks ? (size_t)o->solo_chunks : EVTX_SOLO_CHUNKS;
	if (nt == 1 || solo >= n || (o->solo_chunks >= 0 && n - solo < EVTX_SOLO_CHUNKS))
		solo = n;
	if (nt > n - solo)
		nt = n - solo ? (unsigned)(n - solo) : 1;
	shodo_status rc = SHODO_OK;

	if (solo) {
		struct worker w;
		struct chunk_res res;
		memset(&res, 0, sizeof(res));
		out_take(&res.out);
		if (worker_take(&w) < 0) {
			rc = shodo_err_set(err, SHODO_FATAL, ENOMEM, "event log: cannot read");
		} else {
			for (size_t i = 0; i < solo && !d.stopped; i++) {
				if (shodo_cancelled(o->cancel)) {
					rc = shodo_err_set(err, SHODO_CANCELLED, 0, "cancelled");
					break;
				}
				res.idx = o->chunks ? o->chunks[i] : (uint32_t)i;
				parse_chunk(rd, &w, &res, o);
				deliver_chunk(&d, &res, full);
			}
		}
		out_give(&res.out);
		worker_give(&w);
	}
	if (solo < n && rc == SHODO_OK && !d.stopped) {
		struct pool p;
		memset(&p, 0, sizeof(p));
		p.rd = rd;
		p.o = o;
		p.list = o->chunks ? o->chunks + solo : NULL;
		p.first = solo;
		p.n = n - solo;
		p.window = 8 * (size_t)nt; /* workers run ahead of the store */
		p.slots = calloc(p.window, sizeof(*p.slots));
		p.ready = calloc(p.window, 1);
		struct wthread *wt = calloc(nt, sizeof(*wt));
		pthread_mutex_init(&p.mu, NULL);
		pthread_cond_init(&p.cv_work, NULL);
		pthread_cond_init(&p.cv_ready, NULL);
		unsigned started = 0;
		if (p.slots && p.ready && wt) {
			for (size_t i = 0; i < p.window && i < p.n; i++)
				out_take(&p.slots[i].out);
			for (unsigned i = 0; i < nt; i++) {
				wt[i].p = &p;
				if (worker_take(&wt[i].w) < 0 || pthread_create(&wt[i].t, NULL, worker_main, &wt[i]) != 0)
					break;
				wt[i].started = 1;
				started++;
			}
		}
		if (!started) {
			rc = shodo_err_set(err, SHODO_FATAL, ENOMEM, "event log: cannot start readers");
		} else {
			for (size_t i = 0; i < p.n; i++) {
				pthread_mutex_lock(&p.mu);
				p.want = 1;
				while (!p.ready[i % p.window]) {
					/* workers left asleep below (fewer than half the slots
					 * free) start now that the store waits */
					if (p.idle && p.next < p.consumed + p.window)
						pthread_cond_broadcast(&p.cv_work);
					pthread_cond_wait(&p.cv_ready, &p.mu);
				}
				p.want = 0;
				pthread_mutex_unlock(&p.mu);
				if (!d.stopped)
					deliver_chunk(&d, &p.slots[i % p.window], full);
				pthread_mutex_lock(&p.mu);
				p.ready[i % p.window] = 0;
				p.consumed = i + 1;
				int cancel = shodo_cancelled(o->cancel);
				if (d.stopped || cancel) {
					p.stop = 1;
					pthread_cond_broadcast(&p.cv_work);
				} else if (p.idle && p.next + p.window / 2 <= p.consumed + p.window) {
					/* half the slots are free: the workers run again.  When the
					 * store is slower than the workers (a brute force: two rows
					 * per record), waking one per freed slot was a wake-up and
					 * a sleep per chunk, 3 % of the CPU of parsing the log */
					pthread_cond_broadcast(&p.cv_work);
				}
				pthread_mutex_unlock(&p.mu);
				if (cancel) {
					rc = shodo_err_set(err, SHODO_CANCELLED, 0, "cancelled");
					break;
				}
				if (d.stopped)
					break;
			}
		}
		pthread_mutex_lock(&p.mu);
		p.stop = 1;
		pthread_cond_broadcast(&p.cv_work);
		pthread_mutex_unlock(&p.mu);
		for (unsigned i = 0; i < nt; i++) {
			if (wt && wt[i].started)
				pthread_join(wt[i].t, NULL);
			if (wt)
				worker_give(&wt[i].w);
		}
		for (size_t i = 0; p.slots && i < p.window; i++)
			out_give(&p.slots[i].out);
		free(p.slots);
		free(p.ready);
		free(wt);
		pthread_mutex_destroy(&p.mu);
		pthread_cond_destroy(&p.cv_work);
		pthread_cond_destroy(&p.cv_ready);
	}
	if (full && rc == SHODO_OK && !d.stopped && rd->cnt_alloc)
		rd->counted = 1;
	return rc;
}
