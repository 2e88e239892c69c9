/*
 * shodo/imager.h — evidence acquisition and image verification.
 *
 * shodo_image_acquire() reads a source (block device or image file) once
 * and writes DIR/<ID>/image/<ID>.E01, .E02 ... (EnCase 6 through libewf) or
 * a raw image, with MD5/SHA-1/SHA-256 of the media, the human log
 * <ID>.E01.txt (or <ID>.raw.txt), acquisition.json, custody entries and a
 * refreshed SHA256SUMS.  The work runs as a pipeline: one reader, one thread
 * per hash, a pool of compression workers and one in-order writer, over a
 * fixed ring of buffers (memory does not grow with the source).
 *
 * shodo_image_verify() reads an image back (E01, raw with its
 * acquisition.json) or checks a case folder.
 *
 * Both report through the sink, poll the cancel token, keep no global state
 * and may run several times at once in one process.
 */
#ifndef SHODO_IMAGER_H
#define SHODO_IMAGER_H

#include <stdint.h>
#include <jansson.h>
#include "shodo/event.h"
#include "shodo/status.h"

typedef enum shodo_image_format {
	SHODO_IMAGE_E01 = 0,
	SHODO_IMAGE_RAW = 1,
} shodo_image_format;

typedef enum shodo_image_compression {
	SHODO_COMPRESS_NONE = 0,
	SHODO_COMPRESS_FAST = 1,
	SHODO_COMPRESS_BEST = 2,
} shodo_image_compression;

typedef struct shodo_image_opts {
	const char *source;          /* device or image file */
	const char *case_dir;
	const char *evidence_id;
	/* metadata: E01 header and logs */
	const char *case_number;
	const char *evidence_number;
	const char *examiner;
	const char *description;
	const char *notes;
	shodo_image_format format;
	shodo_image_compression compression;
	uint64_t segment_size;       /* 0: E01 2 GiB; raw: one file */
	int hashes;                  /* SHODO_HASH_* flags; 0 = all */
	int threads;                 /* 0 = all cores */
	int verify;                  /* after writing, read the image back: 0 no;
	                                1 (default) recompute the strongest selected
	                                digest (SHA-256, else SHA-1, else MD5): equal
	                                bytes give equal digests, so one proves the
	                                image holds what was hashed; 2 recompute every
	                                selected digest (--verify-all) */
	int resume;                  /* continue an interrupted acquisition */
	int retries;                 /* per failing read; < 0 = default (2) */
	int force;                   /* allow a source mounted read-write */
	int direct;                  /* O_DIRECT reads from block devices (default 1) */
	const char *sign_key;        /* PEM private key for SHA256SUMS.sig */
	const shodo_sink *sink;      /* progress and messages (may be NULL) */
	shodo_cancel *cancel;        /* may be NULL */
	unsigned given;              /* SHODO_IMAGE_GIVEN_*: options the user set.  On
	                                --resume every parameter comes from the
	                                interrupted acquisition; one given again that
	                                differs is refused (USAGE). */
} shodo_image_opts;

enum {
	SHODO_IMAGE_GIVEN_FORMAT = 1 << 0,
	SHODO_IMAGE_GIVEN_COMPRESSION = 1 << 1,
	SHODO_IMAGE_GIVEN_SEGMENT = 1 << 2,
	SHODO_IMAGE_GIVEN_HASHES = 1 << 3,
	SHODO_IMAGE_GIVEN_META = 1 << 4,   /* the non-NULL metadata fields */
};

void shodo_image_opts_init(shodo_image_opts *o);

/* Runs the acquisition.  Returns OK, WARN (unreadable sectors: the image is
 * complete but holds zero-filled ranges; or verification mismatch: FAILED),
 * FATAL (source or destination unusable; err says what was written and how
 * to continue), USAGE (bad options, hostile ID) or CANCELLED.
 * *result (when not NULL) receives the acquisition.json document (also on
 * failure when anything was started); the caller decrefs it. */
shodo_status shodo_image_acquire(const shodo_image_opts *o, json_t **result, shodo_err *err);

/* Free space at the destination against what the image will take, for a
 * front end that wants to warn or ask before starting (shodo_image_acquire
 * runs the same check and refuses without --force).  expected is an
 * estimate from compressing 64 chunks spread over the source; worst_case is
 * the image stored uncompressed plus its tables and the logs.  fits: 2 even
 * the worst case fits, 1 the expected size fits, 0 it does not fit.
 * Returns OK when fits > 0, FATAL (ENOSPC, with a message and hint) when
 * not, USAGE when o names no source or case folder, or the error of opening
 * the source (USAGE, FATAL). */
typedef struct shodo_image_space {
	uint64_t free_bytes;
	uint64_t expected;
	uint64_t worst_case;
	uint64_t already;            /* bytes of an interrupted image already there */
	int fits;
} shodo_image_space;
shodo_status shodo_image_space_check(const shodo_image_opts *o, shodo_image_space *out, shodo_err *err);

typedef struct shodo_verify_opts {
	const char *path;            /* E01 first segment, raw image, or case folder */
	const char *pubkey;          /* case folder: key to check SHA256SUMS.sig */
	const char *anchor;          /* case folder: a custody head noted earlier (64 hex) */
	int threads;                 /* 0 = all cores */
	const shodo_sink *sink;      /* progress and messages (may be NULL) */
	shodo_cancel *cancel;        /* may be NULL */
} shodo_verify_opts;

/* OK: everything matches; FAILED: a mismatch (err says which, in one
 * line); FATAL: the image cannot be read; USAGE: no path given; CANCELLED.
 * *result gets a JSON document. */
shodo_status shodo_image_verify(const shodo_verify_opts *o, json_t **result, shodo_err *err);

#endif
