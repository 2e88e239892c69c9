/*
 * mkdisk SIZE [SEED] — writes a deterministic disk-like byte stream of SIZE
 * bytes ("4G", "512M", ...) to stdout: extents of zeros (free space never
 * written), text (logs, documents), structured binary (executables,
 * databases) and random bytes (media, archives, encrypted files), mixed
 * roughly like a used NTFS system disk.  The same SIZE and SEED always give
 * the same bytes, so benchmarks compare tools on identical input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shodo/util.h"

static uint64_t rng_state;
static uint64_t rnd(void)
{
	uint64_t x = rng_state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

static char words[4096][12];
static int wlen[4096];

static void fill_text(unsigned char *p, size_t n)
{
	size_t i = 0;
	while (i < n) {
		/* Zipf-like: small indices much more often */
		uint64_t r = rnd();
		int w = (int)((r & 0xfff) * ((r >> 12) & 0xfff) >> 12);
		int l = wlen[w];
		for (int k = 0; k < l && i < n; k++)
			p[i++] = (unsigned char)words[w][k];
		if (i < n)
			p[i++] = (r >> 30) % 13 == 0 ? '\n' : ' ';
		if ((r >> 40) % 97 == 0)
			for (int k = 0; k < 8 && i < n; k++)
				p[i++] = (unsigned char)('0' + (rnd() % 10));
	}
}

static void fill_binary(unsigned char *p, size_t n)
{
	/* opcode-like bytes from a skewed alphabet, with repeated records */
	size_t i = 0;
	while (i < n) {
		uint64_t r = rnd();
		if ((r & 7) == 0 && i > 256) {
			size_t back = 16 + (r >> 8) % 240, l = 8 + (r >> 20) % 56;
			for (size_t k = 0; k < l && i < n; k++, i++)
				p[i] = p[i - back];
		} else {
			unsigned v = (unsigned)((r >> 3) & 0xff);
			p[i++] = (unsigned char)(v < 96 ? 0 : v < 160 ? 0xff & (v * 7) : v < 200 ? 0x48 + (v & 7) : v);
		}
	}
}

static void fill_random(unsigned char *p, size_t n)
{
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t r = rnd();
		memcpy(p + i, &r, 8);
	}
	for (; i < n; i++)
		p[i] = (unsigned char)rnd();
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: mkdisk SIZE [SEED] > FILE\n");
		return 2;
	}
	uint64_t size = shodo_parse_size(argv[1]);
	if (!size && strcmp(argv[1], "0")) {
		fprintf(stderr, "mkdisk: bad size '%s'\n", argv[1]);
		return 2;
	}
	rng_state = 0x9e3779b97f4a7c15ull ^ (argc > 2 ? strtoull(argv[2], NULL, 10) : 1);
	for (int w = 0; w < 4096; w++) {
		wlen[w] = 2 + (int)(rnd() % 9);
		for (int k = 0; k < wlen[w]; k++)
			words[w][k] = (char)('a' + rnd() % 26);
	}
	const size_t B = 1 << 20;
	unsigned char *buf = malloc(B);
	if (!buf)
		return 1;
	uint64_t done = 0;
	while (done < size) {
		/* an extent: 64 KiB to 16 MiB */
		uint64_t ext = (64u << 10) << (rnd() % 9);
		if (ext > size - done)
			ext = size - done;
		unsigned kind = (unsigned)(rnd() % 100);
		/* 45% zeros, 20% text, 15% binary, 20% random */
		int k = kind < 45 ? 0 : kind < 65 ? 1 : kind < 80 ? 2 : 3;
		while (ext > 0) {
			size_t n = ext < B ? (size_t)ext : B;
			if (k == 0)
				memset(buf, 0, n);
			else if (k == 1)
				fill_text(buf, n);
			else if (k == 2)
				fill_binary(buf, n);
			else
				fill_random(buf, n);
			if (fwrite(buf, 1, n, stdout) != n) {
				perror("mkdisk");
				return 1;
			}
			ext -= n;
			done += n;
		}
	}
	free(buf);
	return fflush(stdout) ? 1 : 0;
}
