/*
 * Hostile hives and transaction logs through the replay (hivelog.c), and the
 * replayed copy through libregf.  Input layout:
 *
 *   byte 0        0: logs named HIVE.LOG1 / HIVE.LOG2 (new format, or old
 *                    format Vista to 8); 1: HIVE.LOG (XP/2003)
 *   bytes 1..4    hive length (little endian)
 *   bytes 5..8    first log's length
 *   then          the hive, the first log, the second log (the rest)
 *
 * The replay may refuse anything; it must not crash, hang, leak or write
 * anything but its temporary copy, which the caller removes.
 * Seeds (tests/fuzz/seeds/fuzz_hivelog) are dirty hives with the logs
 * mkhivelog writes: new format (one entry, two logs, stale entries), old
 * format.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "triage/parsers/hivelog.h"
#include "triage/parsers/regutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int put(const char *dir, const char *name, const uint8_t *p, size_t n)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *fp = fopen(path, "wb");
	if (!fp)
		return -1;
	size_t w = n ? fwrite(p, 1, n, fp) : 0;
	return fclose(fp) == 0 && w == n ? 0 : -1;
}

static uint32_t rd32(const uint8_t *p) { return (uint32_t)p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 9)
		return 0;
	int old_names = data[0] & 1;
	size_t hl = rd32(data + 1), l1 = rd32(data + 5);
	data += 9;
	size -= 9;
	if (hl > size)
		hl = size;
	if (l1 > size - hl)
		l1 = size - hl;
	size_t l2 = size - hl - l1;
	char dir[] = "/tmp/shodo-fuzz-hivelog.XXXXXX";
	if (!mkdtemp(dir))
		return 0;
	char hive[256], names[3][32];
	snprintf(hive, sizeof(hive), "%s/SYSTEM", dir);
	snprintf(names[0], sizeof(names[0]), "SYSTEM");
	snprintf(names[1], sizeof(names[1]), old_names ? "SYSTEM.LOG" : "SYSTEM.LOG1");
	snprintf(names[2], sizeof(names[2]), "SYSTEM.LOG2");
	int ok = put(dir, names[0], data, hl) == 0 && (!l1 || put(dir, names[1], data + hl, l1) == 0) &&
	         (!l2 || old_names || put(dir, names[2], data + hl + l1, l2) == 0);
	if (ok) {
		hivelog_result r;
		if (hivelog_replay(hive, dir, &r) == 0 && r.replayed) {
			libregf_file_t *f = NULL;
			if (reg_open(r.copy, &f, NULL) == SHODO_OK) {
				(void)reg_kind_of(f);
				reg_close(&f);
			}
			unlink(r.copy);
		}
	}
	for (int i = 0; i < 3; i++) {
		char p[300];
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		unlink(p);
	}
	rmdir(dir);
	return 0;
}
