/*
 * The imaging pipeline: producer -> workers -> in-order consumer, with one
 * hashing thread per digest, over a fixed ring of slots.  One mutex and one
 * condition variable guard the slot states; with 1 MiB slots that is a few
 * hundred lock round trips a second, far below what it would take to matter.
 *
 * MD5 cannot be split over cores: its thread sets the pace, and the other
 * threads (reading, compressing, SHA-1, writing) must fit around it on the
 * remaining core.  When the process may (root, as imaging a device is), the
 * MD5 thread runs at a higher priority than the others (nice -5 against 0),
 * so that the scheduler gives it its core first rather than an equal share
 * with six others; so does the SHA-256 thread of a read-back, which has no
 * MD5 (slowest_hash).  Measured on 2 cores, a 2 GiB source, --hash md5,sha1,
 * three alternating rounds: the acquisition took 4.16-4.46 s instead of
 * 4.62-4.74 s, against 3.78-4.08 s for openssl dgst -md5 alone; the same
 * CPU seconds.  Without the privilege nothing changes (lowering the other
 * threads instead would slow the whole run wherever other jobs compete).
 *
 * A slot's bytes were just written by another thread (the reader, or in a
 * read-back the inflating worker), so they sit in another core's cache.
 * SHA-256 with SHA-NI hashes a cache line faster than the hardware
 * prefetcher brings the next one over, and stalled on every load: each
 * hashing thread therefore asks for the next 4 KiB while it hashes the
 * current 4 KiB (hash_prefetched).  Measured on 2 cores, 2 GiB source, the
 * default run, three alternating rounds: SHA-256 took 1.20-1.23 CPU seconds
 * in the acquisition (1.50-1.55 without) and 1.23-1.29 in the read-back
 * (1.70-1.77 without), against 1.15 for openssl dgst -sha256 of the file;
 * the whole run 5.92-6.13 s instead of 6.52-6.81 s.  Hashing in 4 KiB pieces
 * without the prefetch changed nothing; pieces of 16 or 64 KiB did as well.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "imager_int.h"

/* the digest that takes longest per byte, whose thread sets the pace: MD5
 * (no hardware help), then SHA-256, then SHA-1 (both with SHA-NI) */
static int slowest_hash(int hashes)
{
	return (hashes & SHODO_HASH_MD5) ? SHODO_HASH_MD5 : (hashes & SHODO_HASH_SHA256) ? SHODO_HASH_SHA256 : SHODO_HASH_SHA1;
}

/* the calling thread's nice value (Linux: per thread), where permitted */
static void thread_priority(int nice_value)
{
	(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), nice_value);
}

double img_thread_cpu(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct img_pipe {
	const img_pipe_cfg *cfg;
	const img_pipe_ops *ops;
	void *ud;
	img_slot *slots;
	int nslots;
	uint64_t total;          /* number of slots over the media */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	uint64_t produced;       /* slots filled so far */
	uint64_t next_work;      /* next slot a worker takes */
	int stop;                /* error or cancel: everyone leaves */
	shodo_status st;
	shodo_err err;
	int nhash;
	pthread_mutex_t cpu_mu;
	double cpu_produce, cpu_work;
};

static void pipe_fail(img_pipe *p, shodo_status st, const shodo_err *err)
{
	pthread_mutex_lock(&p->mu);
	if (!p->stop) {
		p->stop = 1;
		p->st = st;
		if (err)
			p->err = *err;
	}
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

/* one owner of the slot is done; the last one gives it back */
static void slot_release(img_pipe *p, img_slot *s)
{
	pthread_mutex_lock(&p->mu);
	if (--s->pending == 0) {
		s->filled = 0;
		s->worked = 0;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
}

static void *producer_main(void *arg)
{
	img_pipe *p = arg;
	for (uint64_t seq = 0; seq < p->total; seq++) {
		img_slot *s = &p->slots[seq % (uint64_t)p->nslots];
		pthread_mutex_lock(&p->mu);
		while (!p->stop && s->pending > 0)
			pthread_cond_wait(&p->cv, &p->mu);
		int stop = p->stop;
		pthread_mutex_unlock(&p->mu);
		if (stop)
			break;
		if (shodo_cancelled(p->cfg->cancel)) {
			shodo_err e;
			shodo_err_clear(&e);
			shodo_err_set(&e, SHODO_CANCELLED, 0, "%s: cancelled", p->cfg->phase);
			pipe_fail(p, SHODO_CANCELLED, &e);
			break;
		}
		s->seq = seq;
		s->off = seq * (uint64_t)IMG_SLOT;
		uint64_t left = p->cfg->size - s->off;
		s->len = left < IMG_SLOT ? (size_t)left : IMG_SLOT;
		s->nchunks = (int)((s->len + IMG_CHUNK - 1) / IMG_CHUNK);
		shodo_err e;
		shodo_err_clear(&e);
		shodo_status st = p->ops->produce(p->ud, s, &e);
		if (st != SHODO_OK) {
			pipe_fail(p, st, &e);
			break;
		}
		pthread_mutex_lock(&p->mu);
		s->pending = p->nhash + 1;
		s->filled = 1;
		s->worked = p->cfg->workers ? 0 : 1;
		p->produced = seq + 1;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
	p->cpu_produce = img_thread_cpu();
	return NULL;
}

typedef struct worker_arg {
	img_pipe *p;
	int id;
} worker_arg;

static void *worker_main(void *arg)
{
	worker_arg *wa = arg;
	img_pipe *p = wa->p;
	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (!p->stop && p->next_work < p->total && p->next_work >= p->produced)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->stop || p->next_work >= p->total) {
			pthread_mutex_unlock(&p->mu);
			break;
		}
		uint64_t seq = p->next_work++;
		pthread_mutex_unlock(&p->mu);
		img_slot *s = &p->slots[seq % (uint64_t)p->nslots];
		shodo_err e;
		shodo_err_clear(&e);
		shodo_status st = p->ops->work(p->ud, wa->id, s, &e);
		if (st != SHODO_OK) {
			pipe_fail(p, st, &e);
			break;
		}
		pthread_mutex_lock(&p->mu);
		s->worked = 1;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
	double c = img_thread_cpu();
	pthread_mutex_lock(&p->cpu_mu);
	p->cpu_work += c;
	pthread_mutex_unlock(&p->cpu_mu);
	return NULL;
}

/* hash n bytes in pieces, asking for the next piece before hashing this one */
static void hash_prefetched(shodo_hash *h, const unsigned char *d, size_t n)
{
	enum { PIECE = 4096 };
	for (size_t o = 0; o < n; o += PIECE) {
		size_t k = n - o < PIECE ? n - o : PIECE;
		size_t nx = o + PIECE;
		for (size_t q = nx; q < n && q < nx + PIECE; q += 64)
			__builtin_prefetch(d + q, 0, 3);
		shodo_hash_update(h, d + o, k);
	}
}

typedef struct hasher_arg {
	img_pipe *p;
	int alg;
	shodo_digests out;
	shodo_digests split;   /* over the first cfg->hash_split bytes */
	double cpu;
} hasher_arg;

static void *hasher_main(void *arg)
{
	hasher_arg *ha = arg;
	img_pipe *p = ha->p;
	shodo_hash *h = shodo_hash_new(ha->alg);
	/* named for top -H, gdb and tests/unit/test_imager.c */
	pthread_setname_np(pthread_self(), ha->alg == SHODO_HASH_MD5 ? "shodo-md5" : ha->alg == SHODO_HASH_SHA1
	                                                                             ? "shodo-sha1"
	                                                                             : "shodo-sha256");
	if (ha->alg == slowest_hash(p->cfg->hashes) && (p->nhash > 1 || p->cfg->workers > 0))
		thread_priority(-5);
	if (!h) {
		shodo_err e;
		shodo_err_clear(&e);
		shodo_err_set(&e, SHODO_FATAL, ENOMEM, "cannot start hashing");
		pipe_fail(p, SHODO_FATAL, &e);
		return NULL;
	}
	for (uint64_t seq = 0; seq < p->total; seq++) {
		img_slot *s = &p->slots[seq % (uint64_t)p->nslots];
		pthread_mutex_lock(&p->mu);
		while (!p->stop && !(p->produced > seq && (!p->cfg->hash_after_work || s->worked)))
			pthread_cond_wait(&p->cv, &p->mu);
		int stop = p->stop;
		pthread_mutex_unlock(&p->mu);
		if (stop)
			break;
		uint64_t cut = p->cfg->hash_split;
		if (cut > s->off && cut < s->off + s->len) {
			shodo_hash_update(h, s->data, (size_t)(cut - s->off));
			shodo_hash_peek(h, &ha->split);
			shodo_hash_update(h, s->data + (cut - s->off), s->len - (size_t)(cut - s->off));
		} else {
			if (cut && cut == s->off)
				shodo_hash_peek(h, &ha->split);
			hash_prefetched(h, s->data, s->len);
		}
		slot_release(p, s);
	}
	shodo_hash_final(h, &ha->out);
	if (!ha->split.set)
		ha->split = ha->out;  /* no split inside the media: the same bytes */
	shodo_hash_free(h);
	ha->cpu = img_thread_cpu();
	return NULL;
}

/* each hasher fills its own algorithm: gather them into one */
static void merge_digests(shodo_digests *dst, const shodo_digests *o)
{
	if (!dst)
		return;
	if (o->set & SHODO_HASH_MD5) {
		memcpy(dst->md5, o->md5, sizeof(o->md5));
		memcpy(dst->md5_raw, o->md5_raw, sizeof(o->md5_raw));
	}
	if (o->set & SHODO_HASH_SHA1) {
		memcpy(dst->sha1, o->sha1, sizeof(o->sha1));
		memcpy(dst->sha1_raw, o->sha1_raw, sizeof(o->sha1_raw));
	}
	if (o->set & SHODO_HASH_SHA256) {
		memcpy(dst->sha256, o->sha256, sizeof(o->sha256));
		memcpy(dst->sha256_raw, o->sha256_raw, sizeof(o->sha256_raw));
	}
	dst->set |= o->set;
}

static void *aligned(size_t n)
{
	void *m = NULL;
	if (posix_memalign(&m, 4096, n) != 0)
		return NULL;
	return m;
}

shodo_status img_pipe_run(const img_pipe_cfg *cfg, const img_pipe_ops *ops, void *ud,
                          shodo_digests *digests, shodo_err *err)
{
	img_pipe p;
	memset(&p, 0, sizeof(p));
	p.cfg = cfg;
	p.ops = ops;
	p.ud = ud;
	p.total = (cfg->size + IMG_SLOT - 1) / IMG_SLOT;
	p.nslots = cfg->nslots > 2 ? cfg->nslots : 8;
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	pthread_mutex_init(&p.cpu_mu, NULL);
	double cpu0 = img_thread_cpu();
	shodo_err_clear(&p.err);

	pthread_t prod, work[64], hash[3];
	worker_arg wargs[64];
	hasher_arg hargs[3];
	int nwork = 0, nhash = 0, prod_started = 0;
	int workers = ops->work ? cfg->workers : 0;
	if (workers > 64)
		workers = 64;
	img_pipe_cfg c2 = *cfg;
	c2.workers = workers;
	p.cfg = &c2;

	p.slots = calloc((size_t)p.nslots, sizeof(img_slot));
	if (!p.slots)
		goto nomem;
	for (int i = 0; i < p.nslots; i++) {
		p.slots[i].data = aligned(IMG_SLOT);
		p.slots[i].work = aligned((size_t)IMG_SLOT_CHUNKS * IMG_CSTRIDE);
		p.slots[i].seq = UINT64_MAX;
		if (!p.slots[i].data || !p.slots[i].work)
			goto nomem;
	}
	static const int algs[3] = {SHODO_HASH_MD5, SHODO_HASH_SHA1, SHODO_HASH_SHA256};
	for (int i = 0; i < 3; i++)
		if (cfg->hashes & algs[i])
			hargs[p.nhash++].alg = algs[i];

	for (int i = 0; i < p.nhash; i++) {
		hargs[i].p = &p;
		memset(&hargs[i].out, 0, sizeof(hargs[i].out));
		memset(&hargs[i].split, 0, sizeof(hargs[i].split));
		hargs[i].cpu = 0;
		if (pthread_create(&hash[i], NULL, hasher_main, &hargs[i]) != 0)
			goto thread_fail;
		nhash++;
	}
	for (int i = 0; i < workers; i++) {
		wargs[i].p = &p;
		wargs[i].id = i;
		if (pthread_create(&work[i], NULL, worker_main, &wargs[i]) != 0)
			goto thread_fail;
		nwork++;
	}
	if (pthread_create(&prod, NULL, producer_main, &p) != 0)
		goto thread_fail;
	prod_started = 1;

	/* the consumer: this thread, in order */
	uint64_t done_bytes = 0;
	for (uint64_t seq = 0; seq < p.total; seq++) {
		img_slot *s = &p.slots[seq % (uint64_t)p.nslots];
		pthread_mutex_lock(&p.mu);
		while (!p.stop && !(p.produced > seq && s->worked))
			pthread_cond_wait(&p.cv, &p.mu);
		int stop = p.stop;
		pthread_mutex_unlock(&p.mu);
		if (stop)
			break;
		if (ops->consume) {
			shodo_err e;
			shodo_err_clear(&e);
			shodo_status st = ops->consume(ud, s, &e);
			if (st != SHODO_OK) {
				pipe_fail(&p, st, &e);
				break;
			}
		}
		done_bytes += s->len;
		slot_release(&p, s);
		shodo_progress(cfg->sink, cfg->phase, "bytes", done_bytes, cfg->size);
	}
	goto join;

thread_fail:
	{
		shodo_err e;
		shodo_err_clear(&e);
		shodo_err_set(&e, SHODO_FATAL, errno ? errno : EAGAIN, "cannot start threads");
		pipe_fail(&p, SHODO_FATAL, &e);
	}
join:
	if (!p.stop) {
		/* the consumer finished; hashers may still be on the last slots */
	}
	if (prod_started)
		pthread_join(prod, NULL);
	for (int i = 0; i < nwork; i++)
		pthread_join(work[i], NULL);
	for (int i = 0; i < nhash; i++)
		pthread_join(hash[i], NULL);
	if (!p.stop)
		for (int i = 0; i < nhash; i++) {
			merge_digests(digests, &hargs[i].out);
			merge_digests(cfg->split_digests, &hargs[i].split);
		}
	if (cfg->cpu) {
		memset(cfg->cpu, 0, sizeof(*cfg->cpu));
		cfg->cpu->produce = p.cpu_produce;
		cfg->cpu->work = p.cpu_work;
		for (int i = 0; i < nhash; i++)
			cfg->cpu->hash[hargs[i].alg == SHODO_HASH_MD5 ? 0 : hargs[i].alg == SHODO_HASH_SHA1 ? 1 : 2] = hargs[i].cpu;
		cfg->cpu->consume = img_thread_cpu() - cpu0;
	}
	shodo_status rc = p.stop ? p.st : SHODO_OK;
	if (p.stop && err)
		*err = p.err;
	goto out;
nomem:
	rc = shodo_err_set(err, SHODO_FATAL, ENOMEM, "cannot allocate pipeline buffers");
out:
	if (p.slots)
		for (int i = 0; i < p.nslots; i++) {
			free(p.slots[i].data);
			free(p.slots[i].work);
		}
	free(p.slots);
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.cv);
	pthread_mutex_destroy(&p.cpu_mu);
	return rc;
}
