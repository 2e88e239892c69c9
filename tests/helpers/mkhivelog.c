/*
 * mkhivelog — turns two states of one hive into a dirty hive and its
 * transaction logs, as Windows leaves them after a crash, for tests.
 *
 *   mkhivelog new|old OLD NEW OUTHIVE [split|stale|badhash|gap]
 *
 * OUTHIVE is OLD with its base block made dirty (primary sequence number one
 * past the secondary).  The logs carry the 512-byte pages in which NEW's hive
 * bins data differs from OLD's (and every page NEW adds):
 *
 *   new  OUTHIVE.LOG1 in the new format (file type 6): one "HvLE" entry with
 *        sequence number = OLD's secondary sequence number, NEW's bins data
 *        size, Marvin32 Hash-1/Hash-2 (seed 0x82EF4D887A4E55C5);
 *        split:   two entries, the second in OUTHIVE.LOG2;
 *        stale:   an already-applied entry (sequence - 1, garbage pages)
 *                 before the real one, and remnant bytes after it;
 *        badhash: the entry's Hash-1 is wrong (the log cannot be applied);
 *        gap:     the entry has sequence + 1 (an entry is missing).
 *   old  OUTHIVE.LOG (file type 1): base block copy with equal sequence
 *        numbers and the hive's last-written time, "DIRT" bitmap, pages.
 *
 * The expected result of a replay is NEW's bins data, byte for byte.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *slurp(const char *p, size_t *n)
{
	FILE *fp = fopen(p, "rb");
	if (!fp) {
		perror(p);
		exit(2);
	}
	fseek(fp, 0, SEEK_END);
	long sz = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	unsigned char *b = calloc((size_t)sz + 4096, 1);
	if (!b || fread(b, 1, (size_t)sz, fp) != (size_t)sz)
		exit(2);
	fclose(fp);
	*n = (size_t)sz;
	return b;
}

static uint32_t rd32(const unsigned char *p) { return (uint32_t)p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static void wr32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}
static void wr64(unsigned char *p, uint64_t v)
{
	wr32(p, (uint32_t)v);
	wr32(p + 4, (uint32_t)(v >> 32));
}

/* written here again, from the .NET description of Marvin32, so that the
 * test does not take the product's word for it (test vectors in
 * tests/unit/test_parsers.c check both) */
static uint64_t marvin(const unsigned char *d, size_t n, uint64_t seed)
{
	uint32_t s0 = (uint32_t)seed, s1 = (uint32_t)(seed >> 32);
#define ROTL(x, k) ((uint32_t)((x) << (k) | (x) >> (32 - (k))))
#define BLOCK()                    \
	do {                           \
		s1 ^= s0;                  \
		s0 = ROTL(s0, 20);         \
		s0 += s1;                  \
		s1 = ROTL(s1, 9);          \
		s1 ^= s0;                  \
		s0 = ROTL(s0, 27);         \
		s0 += s1;                  \
		s1 = ROTL(s1, 19);         \
	} while (0)
	while (n >= 4) {
		s0 += rd32(d);
		BLOCK();
		d += 4;
		n -= 4;
	}
	switch (n) {
	case 0: s0 += 0x80u; break;
	case 1: s0 += 0x8000u | d[0]; break;
	case 2: s0 += 0x800000u | d[0] | (uint32_t)d[1] << 8; break;
	default: s0 += 0x80000000u | d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16; break;
	}
	BLOCK();
	BLOCK();
	return (uint64_t)s1 << 32 | s0;
}

static uint32_t checksum(const unsigned char *b)
{
	uint32_t x = 0;
	for (int i = 0; i < 508; i += 4)
		x ^= rd32(b + i);
	return x == 0 ? 1 : x == 0xFFFFFFFFu ? 0xFFFFFFFEu : x;
}

static void put(const char *path, const unsigned char *b, size_t n)
{
	FILE *fp = fopen(path, "wb");
	if (!fp || fwrite(b, 1, n, fp) != n || fclose(fp) != 0) {
		perror(path);
		exit(2);
	}
}

#define SEED 0x82EF4D887A4E55C5ULL

/* one HvLE entry for pages [from, to) of the dirty list into out; returns its size */
static size_t entry(unsigned char *out, uint32_t seq, uint32_t bins, const uint32_t *pages, size_t np,
                    const unsigned char *newbins)
{
	size_t refs = 40 + 8 * np, size = refs + 512 * np;
	size = (size + 511) / 512 * 512;
	memset(out, 0, size);
	memcpy(out, "HvLE", 4);
	wr32(out + 4, (uint32_t)size);
	wr32(out + 8, 0);
	wr32(out + 12, seq);
	wr32(out + 16, bins);
	wr32(out + 20, (uint32_t)np);
	for (size_t i = 0; i < np; i++) {
		wr32(out + 40 + 8 * i, pages[i] * 512);
		wr32(out + 44 + 8 * i, 512);
		memcpy(out + refs + 512 * i, newbins + 512 * (size_t)pages[i], 512);
	}
	wr64(out + 24, marvin(out + 40, size - 40, SEED));
	wr64(out + 32, marvin(out, 32, SEED));
	return size;
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: mkhivelog new|old OLD NEW OUTHIVE [split|stale|badhash|gap]\n");
		return 2;
	}
	const char *mode = argc > 5 ? argv[5] : "";
	size_t on, nn;
	unsigned char *o = slurp(argv[2], &on), *nw = slurp(argv[3], &nn);
	uint32_t obins = rd32(o + 40), nbins = rd32(nw + 40), seq = rd32(o + 8);
	if (on < 4096 + obins || nn < 4096 + nbins) {
		fprintf(stderr, "mkhivelog: a hive is shorter than its bins data size\n");
		return 2;
	}
	/* the pages that differ (OLD's missing pages count as zeroes) */
	size_t npg = nbins / 512, nd = 0;
	uint32_t *dirty = calloc(npg + 1, sizeof(uint32_t));
	static const unsigned char zero[512];
	for (size_t i = 0; i < npg; i++) {
		const unsigned char *a = 512 * i < obins ? o + 4096 + 512 * i : zero;
		if (memcmp(a, nw + 4096 + 512 * i, 512))
			dirty[nd++] = (uint32_t)i;
	}
	/* the dirty primary: OLD, primary sequence number one ahead */
	unsigned char *prim = malloc(on);
	memcpy(prim, o, on);
	wr32(prim + 4, seq + 1);
	wr32(prim + 508, checksum(prim));
	put(argv[4], prim, on);

	char path[4096];
	unsigned char base[512];
	memcpy(base, nw, 512);
	if (!strcmp(argv[1], "new")) {
		unsigned char *log = calloc(1, 512 + 2 * (40 + 520 * (nd + 8)) + 8192);
		wr32(base + 4, seq);
		wr32(base + 8, seq);
		wr32(base + 28, 6);
		wr32(base + 508, checksum(base));
		memcpy(log, base, 512);
		size_t off = 512;
		if (!strcmp(mode, "stale")) {
			/* an entry already in the hive: garbage that must not be applied */
			uint32_t p0 = 0;
			unsigned char junk[512];
			memset(junk, 0x5A, sizeof(junk));
			off += entry(log + off, seq - 1, nbins, &p0, 1, junk);
		}
		size_t first = !strcmp(mode, "split") ? nd / 2 : nd;
		uint32_t s = !strcmp(mode, "gap") ? seq + 1 : seq;
		size_t eoff = off;
		off += entry(log + off, s, nbins, dirty, first, nw + 4096);
		if (!strcmp(mode, "badhash"))
			log[eoff + 24] ^= 1;
		if (!strcmp(mode, "stale")) {
			memcpy(log + off, "HvLXremnant", 11);
			off += 512;
		}
		snprintf(path, sizeof(path), "%s.LOG1", argv[4]);
		put(path, log, off);
		if (!strcmp(mode, "split")) {
			memcpy(log, base, 512);
			off = 512 + entry(log + 512, seq + 1, nbins, dirty + first, nd - first, nw + 4096);
			snprintf(path, sizeof(path), "%s.LOG2", argv[4]);
			put(path, log, off);
		}
		free(log);
	} else {
		size_t bmbytes = nbins / 512 / 8;
		size_t pages_at = 512 + (4 + bmbytes + 511) / 512 * 512;
		unsigned char *log = calloc(1, pages_at + 512 * nd + 512);
		wr32(base + 4, seq + 1);
		wr32(base + 8, seq + 1);
		memcpy(base + 12, o + 12, 8);   /* the primary's last-written time */
		wr32(base + 28, 1);
		wr32(base + 508, checksum(base));
		memcpy(log, base, 512);
		memcpy(log + 512, "DIRT", 4);
		for (size_t i = 0; i < nd; i++) {
			log[512 + 4 + dirty[i] / 8] |= (unsigned char)(1u << (dirty[i] % 8));
			memcpy(log + pages_at + 512 * i, nw + 4096 + 512 * (size_t)dirty[i], 512);
		}
		snprintf(path, sizeof(path), "%s.LOG", argv[4]);
		put(path, log, pages_at + 512 * nd);
		free(log);
	}
	printf("%zu dirty pages\n", nd);
	free(dirty);
	free(prim);
	free(o);
	free(nw);
	return 0;
}
