/*
 * triage/parsers/hivelog.h — replay of a dirty registry hive's transaction
 * logs (.LOG1/.LOG2/.LOG) into a copy, so that the parsers see the newest
 * accounts and settings; the collected hive itself is never changed.
 *
 * Both formats of the logs are read (Windows registry file format
 * specification, M. Suhanov): the old one (Windows XP to 8: a base block, a
 * "DIRT" bitmap of dirty 512-byte pages, the pages) and the new one (Windows
 * 8.1 and later: a base block, then "HvLE" log entries, each with its dirty
 * pages and two Marvin32 hashes).  libregf reads neither.
 */
#ifndef SHODO_PARSERS_HIVELOG_H
#define SHODO_PARSERS_HIVELOG_H

#include <stddef.h>
#include <stdint.h>

typedef struct hivelog_result {
	int dirty;           /* the base block says so: sequence numbers differ or bad checksum */
	int replayed;        /* a copy with the logs applied was written (copy) */
	int complete;        /* every applicable log entry applied; nothing refused */
	unsigned entries;    /* log entries (new format) or logs (old format) applied */
	unsigned pages;      /* dirty pages written into the copy */
	uint32_t seq_before, seq_after;   /* hive's secondary sequence number before and after */
	char logs[256];      /* names of the logs read, ", "-separated */
	char copy[4096];     /* the replayed copy (temporary file; the caller removes it) */
	char note[600];      /* one sentence for the analyst: what was applied or why not */
} hivelog_result;

/* Checks the hive's base block and, when it is dirty, applies the logs found
 * beside it (names compared without regard to case) to a copy written in
 * tmpdir (NULL: $TMPDIR or /tmp).  Returns 0 (r filled; r->replayed says
 * whether a copy exists), -1 when the hive cannot be read at all. */
int hivelog_replay(const char *hive, const char *tmpdir, hivelog_result *r);

/* Marvin32 (64-bit result: high word second), as the new log format uses. */
uint64_t hivelog_marvin32(const unsigned char *p, size_t n, uint64_t seed);
#define HIVELOG_MARVIN_SEED 0x82EF4D887A4E55C5ULL

/* XOR-32 checksum of a base block's first 508 bytes (0 -> 1, ~0 -> ~0 - 1). */
uint32_t hivelog_base_checksum(const unsigned char *base);

#endif
