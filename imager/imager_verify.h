/*
 * imager/imager_verify.h — reading an image back and hashing it.
 */
#ifndef SHODO_IMAGER_VERIFY_H
#define SHODO_IMAGER_VERIFY_H

#include "imager_int.h"

typedef struct img_media_check {
	uint64_t size;
	int nsegments;
	shodo_digests got;      /* recomputed over the media */
	shodo_digests got_src;  /* over the first hash_split bytes (the source's own), else = got */
	shodo_digests stored;   /* E01: MD5/SHA-1 stored in the image */
	img_badlist acq_errors; /* E01: acquiry error table (byte ranges) */
	uint64_t bad_chunks;    /* E01: chunks failing their checksum */
	uint64_t first_bad_chunk;
	double seconds;
	img_pipe_cpu cpu;       /* CPU seconds per stage of the read-back */
} img_media_check;

/* hash_split: the size of the source the E01 was made from, when known
 * (0: unknown); got_src then covers those bytes without the sector padding. */
shodo_status img_verify_e01(const char *path, int threads, int hashes, uint64_t hash_split, const shodo_sink *sink,
                            shodo_cancel *cancel, img_media_check *out, shodo_err *err);
shodo_status img_verify_raw(const char *path, int hashes, const shodo_sink *sink, shodo_cancel *cancel,
                            img_media_check *out, shodo_err *err);

#endif
