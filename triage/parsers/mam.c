/*
 * MAM containers of Windows 10/11 prefetch files: "MAM\x04" (or "MAM\x84"
 * with a CRC32), the uncompressed size, then LZ77+Huffman ("Xpress
 * Huffman", [MS-XCA] 2.2) blocks of 65536 output bytes, each led by a
 * 256-byte table of 4-bit code lengths.
 *
 * Written from the [MS-XCA] decoding pseudo-code, with every read and copy
 * bounds-checked: hostile input ends in an error, never an overrun.  Used to
 * read format 31 (which libscca 20200717 refuses) and to reject damaged
 * compressed files at once (libscca takes tens of seconds on some).
 *
 * Why not Debian's libfwnt (20181227), whose libfwnt_lzxpress_huffman_decompress
 * gives byte-identical output on all 7 compressed corpus files: on
 * compressed data cut short it reads past the end of its input.  Measured
 * on the corpus's DEVENV.EXE-854D7862.pf (51,993 bytes) with the input
 * placed right before an unmapped guard page: cut by 8, 64, 512 or 2,048
 * bytes it crashes (SIGSEGV); with readable memory after the input it
 * returns success and the full announced length (380,690 bytes) whose last
 * bytes come from beyond the input, so no length check can catch it.  This
 * decoder refuses every such cut ("truncated at N of M bytes decoded").
 * libfwnt is also 2 to 4 times slower here on damaged input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mam.h"

#define MAM_MAX_OUT (64u << 20)

static int build_table(const uint8_t *lens256, uint16_t *table, uint8_t *len)
{
	for (int i = 0; i < 256; i++) {
		len[2 * i] = lens256[i] & 0x0F;
		len[2 * i + 1] = lens256[i] >> 4;
	}
	uint32_t entry = 0;
	for (int bits = 1; bits <= 15; bits++)
		for (int sym = 0; sym < 512; sym++)
			if (len[sym] == bits) {
				uint32_t count = 1u << (15 - bits);
				if (entry + count > 32768)
					return -1;
				for (uint32_t k = 0; k < count; k++)
					table[entry + k] = (uint16_t)sym;
				entry += count;
			}
	return entry == 32768 ? 0 : -1;
}

int mam_decompress(const uint8_t *in, size_t n, uint8_t **out, size_t *outlen, char *why, size_t whyn)
{
	*out = NULL;
	*outlen = 0;
	if (n < 8 || memcmp(in, "MAM", 3) || (in[3] & 0x7F) != 4) {
		snprintf(why, whyn, "not a MAM (Xpress Huffman) container");
		return -1;
	}
	size_t pos = (in[3] & 0x80) ? 12 : 8;
	uint32_t total = (uint32_t)in[4] | (uint32_t)in[5] << 8 | (uint32_t)in[6] << 16 | (uint32_t)in[7] << 24;
	if (total == 0 || total > MAM_MAX_OUT || pos > n) {
		snprintf(why, whyn, "implausible uncompressed size %u", total);
		return -1;
	}
	uint8_t *o = malloc(total);
	uint16_t *table = malloc(32768 * sizeof(uint16_t));
	uint8_t len[512];
	if (!o || !table) {
		free(o);
		free(table);
		snprintf(why, whyn, "out of memory");
		return -1;
	}
	size_t op = 0;
#define NEED(k) \
	do { \
		if (pos + (k) > n) \
			goto truncated; \
	} while (0)
#define RD16(p) ((uint32_t)in[p] | (uint32_t)in[(p) + 1] << 8)
	while (op < total) {
		NEED(256 + 4);
		if (build_table(in + pos, table, len) < 0) {
			snprintf(why, whyn, "invalid Huffman table at offset %zu", pos);
			goto fail;
		}
		pos += 256;
		uint32_t bits = RD16(pos) << 16 | RD16(pos + 2);
		pos += 4;
		int extra = 16;
		size_t block_end = op + 65536 < total ? op + 65536 : total;
		while (op < block_end) {
			uint32_t sym = table[bits >> 17];
			int bl = len[sym];
			bits <<= bl;
			extra -= bl;
			if (extra < 0) {
				NEED(2);
				bits += RD16(pos) << (-extra);
				extra += 16;
				pos += 2;
			}
			if (sym < 256) {
				o[op++] = (uint8_t)sym;
				continue;
			}
			sym -= 256;
			uint32_t mlen = sym & 15, obits = sym >> 4;
			if (mlen == 15) {
				NEED(1);
				mlen = in[pos++];
				if (mlen == 255) {
					NEED(2);
					mlen = RD16(pos);
					pos += 2;
					if (mlen == 0) {
						NEED(4);
						mlen = RD16(pos) | RD16(pos + 2) << 16;
						pos += 4;
					}
					if (mlen < 15) {
						snprintf(why, whyn, "invalid match length");
						goto fail;
					}
					mlen -= 15;
				}
				mlen += 15;
			}
			mlen += 3;
			uint32_t off = obits ? (bits >> (32 - obits)) : 0;
			off += 1u << obits;
			if (obits) {
				bits <<= obits;
				extra -= (int)obits;
				if (extra < 0) {
					NEED(2);
					bits += RD16(pos) << (-extra);
					extra += 16;
					pos += 2;
				}
			}
			if (off > op || mlen > total - op) {
				snprintf(why, whyn, "match outside the data at output offset %zu", op);
				goto fail;
			}
			for (uint32_t k = 0; k < mlen; k++, op++)
				o[op] = o[op - off];
		}
	}
#undef NEED
#undef RD16
	free(table);
	*out = o;
	*outlen = total;
	return 0;
truncated:
	snprintf(why, whyn, "compressed data truncated at %zu of %u bytes decoded", op, total);
fail:
	free(o);
	free(table);
	return -1;
}
