/*
 * Chunk compression for E01.  An EWF compressed chunk is a zlib stream
 * (RFC 1950: header, deflate data, Adler-32 trailer); libewf's
 * libewf_handle_write_chunk() takes it as is, with the trailer read as a
 * little-endian 32-bit value as the chunk checksum.  A chunk that does not
 * shrink is stored as it is, followed by its Adler-32 (libewf writes that
 * checksum when write_checksum is set); img_codec_chunk() leaves such a
 * chunk in the caller's buffer instead of copying it.
 *
 * fast: ISA-L igzip level 1 (deflate at several hundred MB/s per core, with
 *       about the ratio of zlib level 1); libdeflate level 1 when ISA-L
 *       gives up on a chunk.
 * best: libdeflate level 9 (better than zlib -9 at the same speed or more).
 * An all-zero chunk reuses one precomputed stream, and a chunk whose bytes
 * look random (order-0 entropy of a sample) is stored without a compression
 * attempt.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <libdeflate.h>
#include <isa-l/igzip_lib.h>
#include "imager_int.h"
#include "shodo/imager.h"

struct img_codec {
	int level;
	struct libdeflate_compressor *ld;
	struct libdeflate_decompressor *dd;
	unsigned char *isal_buf;
	uint32_t isal_bufsz;
	unsigned char zero_stream[1024];
	uint32_t zero_len;
	uint32_t zero_cksum;
	float clogc[4097];   /* c * log2(c) */
};

uint32_t img_adler32(const unsigned char *p, size_t n)
{
	return libdeflate_adler32(1, p, n);
}

int img_all_zero(const unsigned char *p, size_t n)
{
	const uint64_t *q = (const uint64_t *)(const void *)p;
	size_t words = n / 8;
	for (size_t i = 0; i < words; i++)
		if (q[i])
			return 0;
	for (size_t i = words * 8; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static size_t isal_zlib(img_codec *c, const unsigned char *in, uint32_t n, unsigned char *out,
                        uint32_t outsz)
{
	struct isal_zstream s;
	/* isal_deflate_stateless_init() leaves hist_bits as it finds it: stack
	 * garbage there shrinks the history window (a 16-byte window gave 15008
	 * bytes where 246 are right) and made the ratio depend on the caller */
	memset(&s, 0, sizeof(s));
	isal_deflate_stateless_init(&s);
	s.level = 1;
	s.level_buf = c->isal_buf;
	s.level_buf_size = c->isal_bufsz;
	s.gzip_flag = IGZIP_ZLIB;
	s.next_in = (uint8_t *)(uintptr_t)in;
	s.avail_in = n;
	s.next_out = out;
	s.avail_out = outsz;
	s.end_of_stream = 1;
	s.flush = NO_FLUSH;
	if (isal_deflate_stateless(&s) != COMP_OK || s.avail_in != 0)
		return 0;
	return s.total_out;
}

static size_t compress_any(img_codec *c, const unsigned char *in, uint32_t n, unsigned char *out,
                           uint32_t outsz)
{
	size_t z = 0;
	if (c->isal_buf)
		z = isal_zlib(c, in, n, out, outsz);
	if (!z && c->ld)
		z = libdeflate_zlib_compress(c->ld, in, n, out, outsz);
	return z;
}

/* Order-0 entropy of a 4 KiB sample (every 8th byte): random, encrypted
 * and already-compressed data sit near 8 bits per byte (about 7.95 for a
 * sample this size), anything deflate can shrink well below.  Costs a few
 * microseconds instead of a compression attempt; four histograms summed at
 * the end keep the increments independent (a third faster than one).
 * Only whole chunks: a short last chunk is simply compressed. */
static int looks_random(const img_codec *c, const unsigned char *in, uint32_t n)
{
	uint16_t h[4][256];
	if (n != IMG_CHUNK)   /* 4096 samples: the table's range */
		return 0;
	memset(h, 0, sizeof(h));
	for (uint32_t i = 0; i < n; i += 32) {
		h[0][in[i]]++;
		h[1][in[i + 8]]++;
		h[2][in[i + 16]]++;
		h[3][in[i + 24]]++;
	}
	/* H = log2(N) - sum(c log2 c) / N, with c log2 c from a table */
	uint32_t cnt = n / 8;
	double s = 0;
	for (int i = 0; i < 256; i++)
		s += c->clogc[h[0][i] + h[1][i] + h[2][i] + h[3][i]];
	return c->clogc[cnt] / cnt - s / cnt > 7.85;
}

img_codec *img_codec_new(int level)
{
	img_codec *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->level = level;
	for (int i = 1; i <= 4096; i++)
		c->clogc[i] = (float)(i * log2((double)i));
	c->dd = libdeflate_alloc_decompressor();
	if (level == SHODO_COMPRESS_BEST) {
		c->ld = libdeflate_alloc_compressor(9);
	} else if (level == SHODO_COMPRESS_FAST) {
		c->ld = libdeflate_alloc_compressor(1);
		c->isal_bufsz = ISAL_DEF_LVL1_DEFAULT;
		c->isal_buf = malloc(c->isal_bufsz);
	}
	if (!c->dd || (level != SHODO_COMPRESS_NONE && !c->ld) ||
	    (level == SHODO_COMPRESS_FAST && !c->isal_buf)) {
		img_codec_free(c);
		return NULL;
	}
	if (level != SHODO_COMPRESS_NONE) {
		unsigned char *z = calloc(1, IMG_CHUNK);
		if (z) {
			c->zero_len = (uint32_t)compress_any(c, z, IMG_CHUNK, c->zero_stream,
			                                     sizeof(c->zero_stream));
			if (c->zero_len >= 4)
				c->zero_cksum = le32(c->zero_stream + c->zero_len - 4);
			else
				c->zero_len = 0;
			free(z);
		}
	}
	return c;
}

void img_codec_free(img_codec *c)
{
	if (!c)
		return;
	if (c->ld)
		libdeflate_free_compressor(c->ld);
	if (c->dd)
		libdeflate_free_decompressor(c->dd);
	free(c->isal_buf);
	free(c);
}

uint32_t img_codec_chunk(img_codec *c, const unsigned char *in, uint32_t n, unsigned char *out,
                         int *compressed, uint32_t *cksum)
{
	if (c->level != SHODO_COMPRESS_NONE) {
		if (n == IMG_CHUNK && c->zero_len && img_all_zero(in, n)) {
			memcpy(out, c->zero_stream, c->zero_len);
			*compressed = 1;
			*cksum = c->zero_cksum;
			return c->zero_len;
		}
		int try_all = 1;
		if (c->level == SHODO_COMPRESS_FAST && n > 8192 && looks_random(c, in, n))
			try_all = 0;
		if (try_all) {
			size_t z = compress_any(c, in, n, out, IMG_CSTRIDE);
			if (z >= 6 && z < n) {
				*compressed = 1;
				*cksum = le32(out + z - 4);
				return (uint32_t)z;
			}
		}
	}
	/* stored as it is: the caller writes it from its own buffer */
	*compressed = 0;
	*cksum = img_adler32(in, n);
	return n;
}

long img_codec_unchunk(img_codec *c, const unsigned char *in, uint32_t n, unsigned char *out,
                       uint32_t outsz)
{
	size_t got = 0;
	if (libdeflate_zlib_decompress(c->dd, in, n, out, outsz, &got) != LIBDEFLATE_SUCCESS)
		return -1;
	return (long)got;
}
