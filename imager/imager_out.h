/*
 * imager/imager_out.h — the two image writers (E01 through libewf, raw).
 */
#ifndef SHODO_IMAGER_OUT_H
#define SHODO_IMAGER_OUT_H

#include <stdint.h>
#include "imager_int.h"

typedef struct img_ewf_meta {
	uint64_t media_size;
	uint32_t bytes_per_sector;
	uint64_t segment_size;
	int compression;
	int is_device;
	const char *case_number, *evidence_number, *examiner, *description, *notes;
	const char *software, *model, *serial;
} img_ewf_meta;

typedef struct img_ewf img_ewf;

/* base: path without extension; segments become base.E01, base.E02 ... */
shodo_status img_ewf_create(const char *base, const img_ewf_meta *m, img_ewf **out, shodo_err *err);
/* Reopens an interrupted image to append; *offset is where writing goes on.
 * libewf takes the segment size from the first segment's size and refuses
 * to be told another: only resume an image that has more than one segment. */
shodo_status img_ewf_resume(const char *first, img_ewf **out, uint64_t *offset, shodo_err *err);
/* 1 when the segment file's section chain is whole and ends in a "next" or
 * "done" section, 0 when it stops short (a run killed while writing it) */
int img_ewf_segment_complete(const char *path);
shodo_status img_ewf_write(img_ewf *e, const void *buf, uint32_t size, uint32_t data_size,
                           int compressed, uint32_t cksum, shodo_err *err);
/* Stores the hashes and acquiry errors, finalizes and frees e (also on error). */
shodo_status img_ewf_finish(img_ewf *e, const shodo_digests *d, const img_badlist *bad,
                            shodo_err *err);
void img_ewf_abort(img_ewf *e);

/* Raw: base.raw, or base.001, base.002 ... when segment_size > 0. */
typedef struct img_raw img_raw;
shodo_status img_raw_create(const char *base, uint64_t segment_size, uint64_t resume_at,
                            img_raw **out, shodo_err *err);
/* Bytes already present (whole chunks) of an interrupted raw image. */
uint64_t img_raw_existing(const char *base, uint64_t segment_size);
shodo_status img_raw_write(img_raw *r, const void *buf, size_t n, shodo_err *err);
shodo_status img_raw_finish(img_raw *r, shodo_err *err);
void img_raw_abort(img_raw *r);
/* Name of segment i (0-based) into out. */
void img_raw_name(const char *base, uint64_t segment_size, int i, char *out, size_t outsz);

#endif
