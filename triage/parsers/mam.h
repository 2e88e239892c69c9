/* triage/parsers/mam.h — MAM (Xpress Huffman) decompression of Windows
 * 10/11 prefetch files; see mam.c. */
#ifndef SHODO_PARSERS_MAM_H
#define SHODO_PARSERS_MAM_H
#include <stddef.h>
#include <stdint.h>
/* 0 and a malloc'd *out of *outlen bytes, or -1 with why set. */
int mam_decompress(const uint8_t *in, size_t n, uint8_t **out, size_t *outlen, char *why, size_t whyn);
/* Reads a decompressed format 30/31 prefetch file into the prefetch table
 * (prefetch.c); used for format 31, which libscca does not read. */
#include "triage/triage_int.h"
shodo_status prefetch_read_v30(const uint8_t *d, size_t n, const shodo_artifact *a, shodo_triage_ctx *ctx,
                               shodo_err *err);
#endif
