/*
 * imager/imager_int.h — what the imager's files share.
 *
 * The pipeline (pipeline.c) moves fixed-size slots (IMG_SLOT bytes, a whole
 * number of chunks) through four kinds of threads:
 *
 *   producer (1)  fills slot data          (acquire: reads the source;
 *                                           verify: reads stored chunks)
 *   workers  (W)  transform a slot         (acquire: compress chunks;
 *                                           verify: decompress chunks)
 *   hashers  (H)  one per digest, in order over the media bytes
 *   consumer (1)  the caller's thread, in order (acquire: writes the image)
 *
 * A slot returns to the producer when the consumer and every hasher are
 * done with it, so memory is nslots * (data + work area) whatever the size
 * of the source.
 */
#ifndef SHODO_IMAGER_INT_H
#define SHODO_IMAGER_INT_H

#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>
#include "shodo/event.h"
#include "shodo/hash.h"
#include "shodo/status.h"

#define IMG_CHUNK (32u * 1024u)               /* 64 sectors, as ewfacquire */
#define IMG_SLOT_CHUNKS 32u
#define IMG_SLOT (IMG_CHUNK * IMG_SLOT_CHUNKS) /* 1 MiB */
#define IMG_CSTRIDE (IMG_CHUNK + 4096u)       /* work area per chunk */

typedef struct img_slot {
	uint64_t seq;
	uint64_t off;          /* media offset of data[0] */
	size_t len;            /* media bytes in this slot */
	unsigned char *data;   /* IMG_SLOT bytes, 4096-aligned: media bytes */
	unsigned char *work;   /* IMG_SLOT_CHUNKS * IMG_CSTRIDE: compressed chunks */
	uint32_t csize[IMG_SLOT_CHUNKS];   /* stored size of chunk i (in work) */
	uint32_t cksum[IMG_SLOT_CHUNKS];   /* EWF chunk checksum */
	uint8_t ccomp[IMG_SLOT_CHUNKS];    /* chunk i stored compressed */
	int nchunks;
	/* state, under the pipeline lock */
	int filled, worked, pending;
} img_slot;

typedef struct img_pipe img_pipe;

typedef struct img_pipe_ops {
	/* producer: fill s->data (and s->len/off); may use s->work. */
	shodo_status (*produce)(void *ud, img_slot *s, shodo_err *err);
	/* worker (may be NULL): transform slot; runs on several threads */
	shodo_status (*work)(void *ud, int worker, img_slot *s, shodo_err *err);
	/* consumer (may be NULL): in order, on the calling thread */
	shodo_status (*consume)(void *ud, img_slot *s, shodo_err *err);
} img_pipe_ops;

typedef struct img_pipe_cfg {
	uint64_t size;         /* media bytes */
	int hashes;            /* one hasher thread per flag */
	int workers;           /* 0: none */
	int hash_after_work;   /* hashers wait for the worker (verify) */
	int nslots;
	const shodo_sink *sink;
	shodo_cancel *cancel;
	const char *phase;     /* progress phase name */
	/* When 0 < hash_split < size, split_digests (not NULL) receives the
	 * hashes of the first hash_split bytes: the source's own bytes, where
	 * an E01 stores them padded to a whole sector. */
	uint64_t hash_split;
	shodo_digests *split_digests;
	/* When not NULL: CPU seconds each stage used (its threads' clocks) */
	struct img_pipe_cpu *cpu;
} img_pipe_cfg;

/* CPU seconds per stage of one pipeline run: what the run cost and which
 * thread bounds it (acquisition.json records it; bench/image.sh reads it). */
typedef struct img_pipe_cpu {
	double produce;        /* reader */
	double work;           /* all workers together */
	double hash[3];        /* MD5, SHA-1, SHA-256 (0 when not computed) */
	double consume;        /* the calling thread while it ran the pipeline */
} img_pipe_cpu;

/* CPU seconds of the calling thread so far */
double img_thread_cpu(void);

/* Runs the whole pipeline to the end (or the first error / cancel).
 * digests receives the hashes of the media bytes (as produced/worked). */
shodo_status img_pipe_run(const img_pipe_cfg *cfg, const img_pipe_ops *ops, void *ud,
                          shodo_digests *digests, shodo_err *err);

/* ---- compression (compress.c) ---- */
typedef struct img_codec img_codec;
img_codec *img_codec_new(int level);  /* SHODO_COMPRESS_* */
void img_codec_free(img_codec *c);
/* Compresses one chunk into out (IMG_CSTRIDE bytes).  Sets *compressed and
 * *cksum as libewf_handle_write_chunk wants them; returns stored size. */
uint32_t img_codec_chunk(img_codec *c, const unsigned char *in, uint32_t n, unsigned char *out,
                         int *compressed, uint32_t *cksum);
/* Decompresses a zlib chunk; returns bytes or -1 (bad data / checksum). */
long img_codec_unchunk(img_codec *c, const unsigned char *in, uint32_t n, unsigned char *out,
                       uint32_t outsz);
uint32_t img_adler32(const unsigned char *p, size_t n);
int img_all_zero(const unsigned char *p, size_t n);

/* ---- bad sector list ---- */
typedef struct img_range {
	uint64_t off, len;
} img_range;

typedef struct img_badlist {
	img_range *r;
	size_t n, cap;
	uint64_t total;
} img_badlist;

void img_bad_add(img_badlist *b, uint64_t off, uint64_t len);
void img_bad_free(img_badlist *b);
/* forgets what lies at or after off */
void img_bad_cut(img_badlist *b, uint64_t off);
/* 1 when [off, off+len) is wholly inside a recorded range. */
int img_bad_covers(const img_badlist *b, uint64_t off, uint64_t len);

/* libewf error to a one-line message (the last line of its backtrace). */
struct libewf_error;
void img_ewf_msg(void *lerr, char *out, size_t outsz);

#endif
