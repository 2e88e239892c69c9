/*
 * shodo/hash.h — MD5 / SHA-1 / SHA-256 over OpenSSL EVP.
 *
 * A shodo_hash computes the selected digests over one stream.  It is not
 * thread safe; the imager runs one shodo_hash per algorithm on its own
 * thread so that the three digests proceed in parallel.
 */
#ifndef SHODO_HASH_H
#define SHODO_HASH_H

#include <stddef.h>
#include <stdint.h>
#include "shodo/status.h"

enum {
	SHODO_HASH_MD5 = 1 << 0,
	SHODO_HASH_SHA1 = 1 << 1,
	SHODO_HASH_SHA256 = 1 << 2,
	SHODO_HASH_ALL = 7,
};

typedef struct shodo_digests {
	int set;              /* which of the fields below are valid */
	char md5[33];
	char sha1[41];
	char sha256[65];
	unsigned char md5_raw[16];
	unsigned char sha1_raw[20];
	unsigned char sha256_raw[32];
} shodo_digests;

typedef struct shodo_hash shodo_hash;

shodo_hash *shodo_hash_new(int algs);
void shodo_hash_update(shodo_hash *h, const void *buf, size_t n);
/* Finishes and stores into out (only the algorithms of this hash are set;
 * others in out are left as they were).  The hash may be reused after
 * shodo_hash_reset(). */
void shodo_hash_final(shodo_hash *h, shodo_digests *out);
void shodo_hash_reset(shodo_hash *h);
/* The digests of what was hashed so far, without ending the stream: the
 * imager takes the source's own hashes here and then goes on over the
 * sector padding an E01 stores. */
void shodo_hash_peek(const shodo_hash *h, shodo_digests *out);
void shodo_hash_free(shodo_hash *h);
/* The digests algs of n bytes at buf, in one call.  0, or -1 when out of
 * memory (out then holds none of them). */
int shodo_hash_buf(int algs, const void *buf, size_t n, shodo_digests *out);

/* Parse "md5,sha1,sha256" into flags; returns 0 on an unknown name. */
int shodo_hash_parse_list(const char *list);
/* Hash a whole file.  OK; FAILED when it cannot be opened or read; FATAL
 * when memory runs out. */
shodo_status shodo_hash_file(const char *path, int algs, shodo_digests *out, shodo_err *err);
void shodo_hex(const unsigned char *raw, size_t n, char *out);

#endif
