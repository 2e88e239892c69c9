/*
 * triage/parsers/hivelog.c — applies a dirty hive's transaction logs to a
 * copy (see hivelog.h).  Written here because no library on Debian does it:
 * libregf and hivex read the primary file only.  The formats follow the
 * public specification (M. Suhanov, "Windows registry file format
 * specification", sections "Format of transaction log files", "Dirty state of
 * a hive" and "Multiple transaction log files"):
 *
 *   new format (file type 6, Windows 8.1+): log entries "HvLE" from offset
 *     512, each 512-aligned: size, flags, sequence number, hive bins data
 *     size, dirty page count, Hash-1 (Marvin32 of the entry from offset 40),
 *     Hash-2 (Marvin32 of its first 32 bytes), page references (offset
 *     relative to the bins data, size), then the pages.  Entries of .LOG1 and
 *     .LOG2 are applied in sequence order from the hive's secondary sequence
 *     number on, without gaps; a bad hash or size stops the replay there.
 *     The copy's base block then carries the number following the last entry
 *     on both sequence numbers and the last entry's bins data size.
 *   old format (file type 1 or 2, up to Windows 8): a base block copy, the
 *     "DIRT" bitmap (one bit per 512-byte page of the bins data) at 512, the
 *     dirty pages from the next sector; applicable when the log is valid
 *     (equal sequence numbers, good checksum) and its last-written time
 *     equals the hive's.  Every hive bin a page touches must afterwards start
 *     with "hbin" and its own offset, else the log is refused.
 *
 * The whole hive is read into memory (SOFTWARE hives are some hundreds of
 * MiB at most); every length taken from a log is checked against the file.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "hivelog.h"
#include "shodo/buf.h"

#define BASE 4096
#define LOGHDR 512
#define MAX_BINS (1u << 31)   /* 2 GiB of bins data: larger is not a hive */

static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t rd64(const unsigned char *p) { return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32; }
static void wr32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static uint32_t rotl(uint32_t v, int n) { return v << n | v >> (32 - n); }

uint64_t hivelog_marvin32(const unsigned char *p, size_t n, uint64_t seed)
{
	uint32_t lo = (uint32_t)seed, hi = (uint32_t)(seed >> 32);
#define MIX(v)                                   \
	do {                                         \
		lo += (v);                               \
		hi ^= lo;                                \
		lo = rotl(lo, 20);                       \
		lo += hi;                                \
		hi = rotl(hi, 9);                        \
		hi ^= lo;                                \
		lo = rotl(lo, 27);                       \
		lo += hi;                                \
		hi = rotl(hi, 19);                       \
	} while (0)
	for (; n >= 4; p += 4, n -= 4)
		MIX(rd32(p));
	uint32_t fin = 0x80;
	for (size_t i = n; i > 0; i--)
		fin = fin << 8 | p[i - 1];
	MIX(fin);
	MIX(0);
#undef MIX
	return (uint64_t)hi << 32 | lo;
}

uint32_t hivelog_base_checksum(const unsigned char *b)
{
	uint32_t x = 0;
	for (int i = 0; i < 508; i += 4)
		x ^= rd32(b + i);
	if (x == 0)
		x = 1;
	else if (x == 0xFFFFFFFFu)
		x = 0xFFFFFFFEu;
	return x;
}

static int base_valid(const unsigned char *b)
{
	return !memcmp(b, "regf", 4) && rd32(b + 508) == hivelog_base_checksum(b);
}

/* whole file into memory; extra bytes of zeroes may be asked for */
static unsigned char *slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	unsigned char *buf = NULL;
	*len = 0;
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < 0 || (uint64_t)st.st_size > (uint64_t)MAX_BINS + BASE)
		goto out;
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!buf)
		goto out;
	size_t got = 0;
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	*len = got;
out:
	close(fd);
	return buf;
}

/* the logs beside the hive, found whatever the case of their names
 * (SYSTEM.LOG1, ntuser.dat.LOG1 beside NTUSER.DAT) */
static int find_logs(const char *hive, char paths[3][4096])
{
	const char *slash = strrchr(hive, '/');
	const char *base = slash ? slash + 1 : hive;
	char dir[4096];
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == hive)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - hive), hive);
	static const char *const sfx[3] = {".LOG1", ".LOG2", ".LOG"};
	int found = 0;
	for (int i = 0; i < 3; i++)
		paths[i][0] = '\0';
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	size_t bl = strlen(base);
	struct dirent *de;
	while ((de = readdir(d))) {
		if (strlen(de->d_name) <= bl || strncasecmp(de->d_name, base, bl))
			continue;
		for (int i = 0; i < 3; i++)
			if (!paths[i][0] && !strcasecmp(de->d_name + bl, sfx[i])) {
				snprintf(paths[i], sizeof(paths[i]), "%s/%s", dir, de->d_name);
				found++;
			}
	}
	closedir(d);
	return found;
}

static void add_name(hivelog_result *r, const char *path)
{
	const char *b = strrchr(path, '/');
	size_t l = strlen(r->logs);
	snprintf(r->logs + l, sizeof(r->logs) - l, "%s%s", l ? ", " : "", b ? b + 1 : path);
}

/* grows the copy to hold bins data of size bins (zeroes added) */
static int ensure_size(unsigned char **h, size_t *hlen, uint64_t bins)
{
	if (bins > MAX_BINS)
		return -1;
	size_t want = BASE + (size_t)bins;
	if (want <= *hlen)
		return 0;
	unsigned char *n = realloc(*h, want);
	if (!n)
		return -1;
	memset(n + *hlen, 0, want - *hlen);
	*h = n;
	*hlen = want;
	return 0;
}

/* ---- new format ---- */

typedef struct entry {
	const unsigned char *p;   /* in its log's buffer */
	uint32_t size, seq, bins, npages;
	int log;                  /* 0 LOG1, 1 LOG2, 2 LOG */
} entry;

/* Valid entries of one log (new format) appended to *es. */
static void scan_entries(const unsigned char *log, size_t len, int which, entry **es, size_t *n, size_t *cap,
                         unsigned *bad)
{
	for (size_t off = LOGHDR; off + 40 <= len;) {
		const unsigned char *e = log + off;
		if (memcmp(e, "HvLE", 4))
			break;    /* the end, or remnants of older entries */
		uint32_t size = rd32(e + 4), npages = rd32(e + 20);
		if (size < 40 || size % 512 || size > len - off || npages > (size - 40) / 8) {
			(*bad)++;
			break;
		}
		uint64_t h1 = rd64(e + 24), h2 = rd64(e + 32);
		if (hivelog_marvin32(e + 40, size - 40, HIVELOG_MARVIN_SEED) != h1 ||
		    hivelog_marvin32(e, 32, HIVELOG_MARVIN_SEED) != h2) {
			(*bad)++;
			break;
		}
		/* the pages must fit in the entry */
		uint64_t data = 40 + 8ull * npages;
		int ok = rd32(e + 16) % 4096 == 0 && rd32(e + 16) <= MAX_BINS;
		for (uint32_t i = 0; ok && i < npages; i++) {
			uint32_t po = rd32(e + 40 + 8 * i), ps = rd32(e + 44 + 8 * i);
			if (ps == 0 || ps % 512 || po % 512 || (uint64_t)po + ps > rd32(e + 16))
				ok = 0;
			data += ps;
		}
		if (!ok || data > size) {
			(*bad)++;
			break;
		}
		if (shodo_grow(es, cap, *n + 1) < 0)
			return;
		(*es)[(*n)++] = (entry){e, size, rd32(e + 12), rd32(e + 16), npages, which};
		off += size;
	}
}

static int cmp_entry(const void *a, const void *b)
{
	const entry *x = a, *y = b;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return x->log - y->log;
}

/* ---- old format ---- */

static int apply_old(unsigned char **h, size_t *hlen, const unsigned char *log, size_t len, hivelog_result *r,
                     char *why, size_t whysz)
{
	uint32_t bins = rd32(log + 40);
	if (bins % 4096 || bins > MAX_BINS) {
		snprintf(why, whysz, "bad hive bins data size %u", bins);
		return -1;
	}
	if (len < LOGHDR + 4 || memcmp(log + LOGHDR, "DIRT", 4)) {
		snprintf(why, whysz, "no dirty vector");
		return -1;
	}
	size_t bits = bins / 512, bytes = bits / 8;
	if (LOGHDR + 4 + bytes > len) {
		snprintf(why, whysz, "dirty vector cut short");
		return -1;
	}
	const unsigned char *bm = log + LOGHDR + 4;
	size_t pages_at = LOGHDR + ((4 + bytes + 511) / 512) * 512;
	size_t npages = 0;
	for (size_t i = 0; i < bits; i++)
		if (bm[i / 8] >> (i % 8) & 1)
			npages++;
	if (pages_at + npages * 512 > len) {
		snprintf(why, whysz, "%zu dirty pages announced, the log holds %zu", npages,
		         len > pages_at ? (len - pages_at) / 512 : 0);
		return -1;
	}
	unsigned char *work = malloc(*hlen);
	if (!work) {
		snprintf(why, whysz, "out of memory");
		return -1;
	}
	memcpy(work, *h, *hlen);
	size_t wlen = *hlen;
	if (ensure_size(&work, &wlen, bins) < 0) {
		free(work);
		snprintf(why, whysz, "out of memory");
		return -1;
	}
	size_t k = 0;
	for (size_t i = 0; i < bits; i++) {
		if (!(bm[i / 8] >> (i % 8) & 1))
			continue;
		memcpy(work + BASE + 512 * i, log + pages_at + 512 * k, 512);
		k++;
	}
	/* every hive bin the log wrote into must be whole and in its place */
	for (size_t off = 0; off < bins;) {
		const unsigned char *b = work + BASE + off;
		uint32_t bsz = rd32(b + 8);
		if (memcmp(b, "hbin", 4) || rd32(b + 4) != off || bsz < 4096 || bsz % 4096 || off + bsz > bins) {
			/* only a failure when the log wrote into this bin */
			int touched = 0;
			for (size_t j = off / 512; j < bits && j < (off + 4096) / 512; j++)
				touched |= bm[j / 8] >> (j % 8) & 1;
			if (touched) {
				free(work);
				snprintf(why, whysz, "the hive bin at 0x%zx is not valid after applying the log", off);
				return -1;
			}
			break;
		}
		off += bsz;
	}
	/* the base block from the log (its first sector), as a primary file */
	memcpy(work, log, LOGHDR);
	wr32(work + 28, 0);
	wr32(work + 8, rd32(work + 4));
	wr32(work + 508, hivelog_base_checksum(work));
	free(*h);
	*h = work;
	*hlen = wlen;
	r->pages += (unsigned)npages;
	r->entries++;
	return 0;
}

static int write_copy(const unsigned char *h, size_t len, const char *tmpdir, hivelog_result *r)
{
	const char *t = tmpdir && *tmpdir ? tmpdir : getenv("TMPDIR");
	snprintf(r->copy, sizeof(r->copy), "%s/shodo-hive.XXXXXX", t && *t ? t : "/tmp");
	int fd = mkstemp(r->copy);
	if (fd < 0) {
		r->copy[0] = '\0';
		return -1;
	}
	size_t done = 0;
	while (done < len) {
		ssize_t w = write(fd, h + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	if (close(fd) != 0 || done != len) {
		unlink(r->copy);
		r->copy[0] = '\0';
		return -1;
	}
	return 0;
}

int hivelog_replay(const char *hive, const char *tmpdir, hivelog_result *r)
{
	memset(r, 0, sizeof(*r));
	size_t hlen = 0;
	unsigned char *h = slurp(hive, &hlen);
	char paths[3][4096];
	unsigned char *logs[3] = {NULL, NULL, NULL};
	size_t loglen[3] = {0, 0, 0};
	entry *es = NULL;
	size_t ne = 0, cap = 0;
	int rc = 0;
	if (!h || hlen < BASE || memcmp(h, "regf", 4)) {
		free(h);
		return -1;
	}
	int base_ok = base_valid(h);
	uint32_t pri = rd32(h + 4), sec = rd32(h + 8);
	r->seq_before = r->seq_after = sec;
	if (base_ok && pri == sec)
		goto out;   /* clean */
	r->dirty = 1;
	int nlogs = find_logs(hive, paths);
	if (!nlogs) {
		snprintf(r->note, sizeof(r->note),
		         "hive is dirty (sequence numbers %u/%u%s) and no transaction log lies beside it:"
		         " changes of its last minutes of use may be missing",
		         pri, sec, base_ok ? "" : ", bad base block checksum");
		goto out;
	}
	int old_ok = 0, any_new = 0;
	char old_why[256] = "";
	unsigned bad_entries = 0;
	for (int i = 0; i < 3; i++) {
		if (!paths[i][0])
			continue;
		logs[i] = slurp(paths[i], &loglen[i]);
		add_name(r, paths[i]);
		if (!logs[i] || loglen[i] < LOGHDR || memcmp(logs[i], "regf", 4))
			continue;
		uint32_t type = rd32(logs[i] + 28);
		if (type == 6) {
			any_new = 1;
			if (!base_ok && base_valid(logs[i])) {
				/* a damaged base block is taken from the log */
				memcpy(h, logs[i], LOGHDR);
				wr32(h + 28, 0);
				base_ok = 1;
				pri = rd32(h + 4);
				sec = rd32(h + 8);
			}
			scan_entries(logs[i], loglen[i], i, &es, &ne, &cap, &bad_entries);
		} else if ((type == 1 || type == 2) && !old_ok) {
			const unsigned char *lb = logs[i];
			if (!base_valid(lb) || rd32(lb + 4) != rd32(lb + 8)) {
				snprintf(old_why, sizeof(old_why), "%s: its base block is not valid (an interrupted log write)",
				         strrchr(paths[i], '/') ? strrchr(paths[i], '/') + 1 : paths[i]);
				continue;
			}
			/* the log belongs to this state of the hive: same last-written time
			 * (the first bin's copy of it when the hive's base block is bad) */
			uint64_t t = base_ok ? rd64(h + 12) : (hlen >= BASE + 32 ? rd64(h + BASE + 20) : 0);
			if (rd64(lb + 12) != t) {
				snprintf(old_why, sizeof(old_why), "%s: written for another state of the hive (time differs)",
				         strrchr(paths[i], '/') ? strrchr(paths[i], '/') + 1 : paths[i]);
				continue;
			}
			char why[200];
			if (apply_old(&h, &hlen, lb, loglen[i], r, why, sizeof(why)) == 0) {
				old_ok = 1;
				r->seq_after = rd32(h + 8);
			} else {
				snprintf(old_why, sizeof(old_why), "%s: %s",
				         strrchr(paths[i], '/') ? strrchr(paths[i], '/') + 1 : paths[i], why);
			}
		}
	}
	if (old_ok) {
		r->complete = 1;
		snprintf(r->note, sizeof(r->note),
		         "hive was dirty: its transaction log (%s, old format, %u pages) was replayed into a copy; the"
		         " collected hive is kept unchanged as evidence",
		         r->logs, r->pages);
	} else if (any_new) {
		if (ne)
			qsort(es, ne, sizeof(*es), cmp_entry);
		/* from the hive's secondary sequence number on, one after another */
		uint32_t want = sec, applied = 0, first_seen = 0;
		int gap = 0;
		for (size_t i = 0; i < ne; i++) {
			if (es[i].seq < want)
				continue;   /* already in the hive, or a copy in the other log */
			if (!first_seen)
				first_seen = es[i].seq;
			if (es[i].seq != want) {
				gap = 1;
				break;
			}
			if (ensure_size(&h, &hlen, es[i].bins) < 0)
				break;
			const unsigned char *e = es[i].p, *data = e + 40 + 8ull * es[i].npages;
			for (uint32_t k = 0; k < es[i].npages; k++) {
				uint32_t po = rd32(e + 40 + 8 * k), ps = rd32(e + 44 + 8 * k);
				memcpy(h + BASE + po, data, ps);
				data += ps;
				r->pages++;
			}
			wr32(h + 40, es[i].bins);
			applied++;
			want++;
		}
		r->entries = applied;
		if (applied) {
			/* what Windows leaves: both numbers past the last entry */
			wr32(h + 4, want);
			wr32(h + 8, want);
			wr32(h + 28, 0);
			wr32(h + 508, hivelog_base_checksum(h));
			r->seq_after = want;
			/* the file holds exactly the bins data the last entry announced */
			uint32_t bins = rd32(h + 40);
			if ((size_t)BASE + bins < hlen)
				hlen = (size_t)BASE + bins;
		}
		r->complete = applied && !gap && !bad_entries;
		size_t l = (size_t)snprintf(r->note, sizeof(r->note), "hive was dirty (sequence %u): ", sec);
		if (applied)
			l += (size_t)snprintf(r->note + l, sizeof(r->note) - l,
			                      "%u log entries (%u pages, sequence %u to %u) from %s replayed into a copy; the"
			                      " collected hive is kept unchanged as evidence",
			                      applied, r->pages, sec, want - 1, r->logs);
		else if (bad_entries)
			l += (size_t)snprintf(r->note + l, sizeof(r->note) - l,
			                      "its transaction logs (%s) could not be applied: a log entry has a bad hash or"
			                      " size (a log damaged or cut short); recent changes may be missing",
			                      r->logs);
		else if (gap)
			l += (size_t)snprintf(r->note + l, sizeof(r->note) - l,
			                      "the logs (%s) start at sequence %u, entries %u to %u are missing: not applied,"
			                      " recent changes may be missing",
			                      r->logs, first_seen, sec, first_seen - 1);
		else
			l += (size_t)snprintf(r->note + l, sizeof(r->note) - l,
			                      "the logs (%s) hold no entry from sequence %u on: nothing to apply, recent"
			                      " changes may be missing",
			                      r->logs, sec);
		if (applied && gap && l < sizeof(r->note))
			l += (size_t)snprintf(r->note + l, sizeof(r->note) - l, "; then a gap in the sequence, later entries not applied");
		if (applied && bad_entries && l < sizeof(r->note))
			snprintf(r->note + l, sizeof(r->note) - l,
			         "; %u log entr%s with a bad hash or size ended the replay there (could not be applied)",
			         bad_entries, bad_entries == 1 ? "y" : "ies");
	} else {
		snprintf(r->note, sizeof(r->note),
		         "hive is dirty (sequence numbers %u/%u) and its transaction logs (%s) could not be applied%s%s:"
		         " changes of its last minutes of use may be missing",
		         pri, sec, r->logs, old_why[0] ? ": " : " (not registry logs)", old_why);
	}
	if (r->pages && write_copy(h, hlen, tmpdir, r) == 0)
		r->replayed = 1;
	else if (r->pages) {
		size_t l = strlen(r->note);
		snprintf(r->note + l, sizeof(r->note) - l, "; the replayed copy could not be written (%s)", strerror(errno));
		r->complete = 0;
	}
out:
	for (int i = 0; i < 3; i++)
		free(logs[i]);
	free(es);
	free(h);
	return rc;
}
