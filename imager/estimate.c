/*
 * How big an image will be, before acquiring: the worst case (nothing
 * compresses) and an expected size from compressing a sample of chunks
 * spread evenly over the source with the codec the acquisition will use.
 * The E01 container adds a checksum per stored chunk, two table entries
 * per chunk and a few sections per segment; the figures below are upper
 * bounds of those (EnCase 6 layout as libewf writes it).
 */
#include <stdlib.h>
#include <string.h>
#include "imager_int.h"
#include "shodo/imager.h"
#include "shodo/source.h"

#define EST_SAMPLES 96u
#define EWF_PER_CHUNK 12u            /* checksum (4) + table + table2 entries (4 + 4) */
#define EWF_PER_SEGMENT (64u << 10)  /* header, volume, sectors, table, data, digest, done sections */

shodo_status shodo_image_estimate(const char *source, shodo_image_format format, shodo_image_compression comp,
                                  uint64_t segment_size, shodo_cancel *cancel, shodo_image_size *out,
                                  shodo_err *err)
{
	shodo_source *src = NULL;
	memset(out, 0, sizeof(*out));
	shodo_status st = shodo_source_open(source, 0, &src, err);
	if (st != SHODO_OK)
		return st;
	uint64_t size = src->size, media = size;
	out->source = size;
	if (format == SHODO_IMAGE_RAW) {
		out->worst = out->expected = size;
		shodo_source_close(src);
		return SHODO_OK;
	}
	if (media % 512)
		media += 512 - media % 512;
	uint64_t chunks = (media + IMG_CHUNK - 1) / IMG_CHUNK;
	uint64_t seg = segment_size ? segment_size : (2ull << 30);
	uint64_t nseg = media / seg + 1;
	uint64_t overhead = chunks * EWF_PER_CHUNK + nseg * EWF_PER_SEGMENT;
	out->worst = media + overhead;
	if (comp == SHODO_COMPRESS_NONE || chunks == 0) {
		out->expected = out->worst;
		shodo_source_close(src);
		return SHODO_OK;
	}
	img_codec *c = img_codec_new(comp);
	unsigned char *in = malloc(IMG_CHUNK), *work = malloc(IMG_CSTRIDE);
	if (!c || !in || !work) {
		st = shodo_err_set(err, SHODO_FATAL, 0, "cannot estimate the image size: out of memory");
		goto out;
	}
	uint64_t n = chunks < EST_SAMPLES ? chunks : EST_SAMPLES, stored = 0, got = 0;
	for (uint64_t i = 0; i < n && !shodo_cancelled(cancel); i++) {
		uint64_t chunk = chunks * i / n + (chunks / n) / 2;
		if (chunk >= chunks)
			chunk = chunks - 1;
		uint64_t off = chunk * IMG_CHUNK;
		memset(in, 0, IMG_CHUNK);
		ssize_t r = shodo_source_read_at(src, in, IMG_CHUNK, off);
		if (r < 0)
			continue;   /* unreadable: it will be zero-filled, which compresses */
		int compressed = 0;
		uint32_t ck = 0;
		stored += img_codec_chunk(c, in, IMG_CHUNK, work, &compressed, &ck);
		got++;
	}
	out->samples = (int)got;
	out->expected = got ? (uint64_t)((double)stored / (double)got * (double)chunks) + overhead : out->worst;
	if (out->expected > out->worst)
		out->expected = out->worst;
out:
	free(in);
	free(work);
	img_codec_free(c);
	shodo_source_close(src);
	return st;
}
