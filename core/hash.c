#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/evp.h>
#include "shodo/hash.h"

struct shodo_hash {
	int algs;
	EVP_MD_CTX *md5, *sha1, *sha256;
};

static EVP_MD_CTX *ctx_new(const EVP_MD *md)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	if (c && !EVP_DigestInit_ex(c, md, NULL)) {
		EVP_MD_CTX_free(c);
		return NULL;
	}
	return c;
}

shodo_hash *shodo_hash_new(int algs)
{
	shodo_hash *h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->algs = algs;
	if (((algs & SHODO_HASH_MD5) && !(h->md5 = ctx_new(EVP_md5()))) ||
	    ((algs & SHODO_HASH_SHA1) && !(h->sha1 = ctx_new(EVP_sha1()))) ||
	    ((algs & SHODO_HASH_SHA256) && !(h->sha256 = ctx_new(EVP_sha256())))) {
		shodo_hash_free(h);
		return NULL;
	}
	return h;
}

void shodo_hash_update(shodo_hash *h, const void *buf, size_t n)
{
	if (h->md5)
		EVP_DigestUpdate(h->md5, buf, n);
	if (h->sha1)
		EVP_DigestUpdate(h->sha1, buf, n);
	if (h->sha256)
		EVP_DigestUpdate(h->sha256, buf, n);
}

void shodo_hex(const unsigned char *raw, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hx[raw[i] >> 4];
		out[2 * i + 1] = hx[raw[i] & 15];
	}
	out[2 * n] = '\0';
}

void shodo_hash_final(shodo_hash *h, shodo_digests *out)
{
	unsigned int len;
	if (h->md5) {
		EVP_DigestFinal_ex(h->md5, out->md5_raw, &len);
		shodo_hex(out->md5_raw, 16, out->md5);
		out->set |= SHODO_HASH_MD5;
	}
	if (h->sha1) {
		EVP_DigestFinal_ex(h->sha1, out->sha1_raw, &len);
		shodo_hex(out->sha1_raw, 20, out->sha1);
		out->set |= SHODO_HASH_SHA1;
	}
	if (h->sha256) {
		EVP_DigestFinal_ex(h->sha256, out->sha256_raw, &len);
		shodo_hex(out->sha256_raw, 32, out->sha256);
		out->set |= SHODO_HASH_SHA256;
	}
}

static void peek_one(EVP_MD_CTX *c, unsigned char *raw, size_t n, char *hex, int flag, int *set)
{
	unsigned int len;
	EVP_MD_CTX *t = c ? EVP_MD_CTX_new() : NULL;
	if (t && EVP_MD_CTX_copy_ex(t, c) == 1 && EVP_DigestFinal_ex(t, raw, &len) == 1) {
		shodo_hex(raw, n, hex);
		*set |= flag;
	}
	EVP_MD_CTX_free(t);
}

void shodo_hash_peek(const shodo_hash *h, shodo_digests *out)
{
	peek_one(h->md5, out->md5_raw, 16, out->md5, SHODO_HASH_MD5, &out->set);
	peek_one(h->sha1, out->sha1_raw, 20, out->sha1, SHODO_HASH_SHA1, &out->set);
	peek_one(h->sha256, out->sha256_raw, 32, out->sha256, SHODO_HASH_SHA256, &out->set);
}

void shodo_hash_reset(shodo_hash *h)
{
	if (h->md5)
		EVP_DigestInit_ex(h->md5, EVP_md5(), NULL);
	if (h->sha1)
		EVP_DigestInit_ex(h->sha1, EVP_sha1(), NULL);
	if (h->sha256)
		EVP_DigestInit_ex(h->sha256, EVP_sha256(), NULL);
}

void shodo_hash_free(shodo_hash *h)
{
	if (!h)
		return;
	EVP_MD_CTX_free(h->md5);
	EVP_MD_CTX_free(h->sha1);
	EVP_MD_CTX_free(h->sha256);
	free(h);
}

int shodo_hash_buf(int algs, const void *buf, size_t n, shodo_digests *out)
{
	memset(out, 0, sizeof(*out));
	shodo_hash *h = shodo_hash_new(algs);
	if (!h)
		return -1;
	shodo_hash_update(h, buf, n);
	shodo_hash_final(h, out);
	shodo_hash_free(h);
	return 0;
}

int shodo_hash_parse_list(const char *list)
{
	int algs = 0;
	char buf[128];
	if (!list || strlen(list) >= sizeof(buf))
		return 0;
	strcpy(buf, list);
	for (char *save = NULL, *t = strtok_r(buf, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
		if (!strcasecmp(t, "md5"))
			algs |= SHODO_HASH_MD5;
		else if (!strcasecmp(t, "sha1") || !strcasecmp(t, "sha-1"))
			algs |= SHODO_HASH_SHA1;
		else if (!strcasecmp(t, "sha256") || !strcasecmp(t, "sha-256"))
			algs |= SHODO_HASH_SHA256;
		else
			return 0;
	}
	return algs;
}

shodo_status shodo_hash_file(const char *path, int algs, shodo_digests *out, shodo_err *err)
{
	shodo_status st = SHODO_OK;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return shodo_err_set(err, SHODO_FAILED, errno, "cannot open '%s'", path);
	shodo_hash *h = shodo_hash_new(algs);
	size_t bufsz = 1 << 20;
	unsigned char *buf = malloc(bufsz);
	if (!h || !buf) {
		st = shodo_err_set(err, SHODO_FATAL, ENOMEM, "cannot hash '%s'", path);
		goto out;
	}
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	for (;;) {
		ssize_t n = read(fd, buf, bufsz);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			st = shodo_err_set(err, SHODO_FAILED, errno, "cannot read '%s'", path);
			goto out;
		}
		if (n == 0)
			break;
		shodo_hash_update(h, buf, (size_t)n);
	}
	shodo_hash_final(h, out);
out:
	free(buf);
	shodo_hash_free(h);
	close(fd);
	return st;
}
