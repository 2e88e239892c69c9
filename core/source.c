/*
 * Evidence sources.  Everything is opened O_RDONLY; nothing here can write.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <linux/fs.h>
#include <libewf.h>
#include <zlib.h>
#include "shodo/buf.h"
#include "shodo/source.h"
#include "shodo/util.h"
#include "libyal.h"

/* ---------- single file or device ---------- */

/* A block device opened with SHODO_SOURCE_DIRECT is read with O_DIRECT:
 * the disk's data goes by DMA into the caller's buffer, past the page cache.
 * Measured on a 2 GiB device read cold (bench/image.sh, its device rows):
 * buffered reads cost 2.4-4.0 CPU seconds of page-cache work, O_DIRECT
 * 0.14-0.21, and a 1 TB disk read buffered evicts everything else cached.
 * O_DIRECT needs the offset, the length and the buffer aligned to the
 * logical sector: a read that is not goes through a second, buffered
 * descriptor, and so does every read after a device refused one with
 * EINVAL (some USB bridges and virtual devices do).  A refusal is never
 * taken for an unreadable sector.  Read-ahead advice is not given to an
 * O_DIRECT descriptor: it would fill the page cache, and so read the disk
 * twice. */
typedef struct fd_impl {
	int fd;
	int bfd;              /* buffered, when fd has O_DIRECT; else -1 */
	uint32_t align;
	atomic_int refused;   /* the device refused an O_DIRECT read */
} fd_impl;

static ssize_t fd_read_at(shodo_source *s, void *buf, size_t n, uint64_t off)
{
	fd_impl *f = s->impl;
	if (off >= s->size)
		return 0;
	if (n > s->size - off)
		n = (size_t)(s->size - off);
	if (f->bfd < 0)
		return shodo_pread_all(f->fd, buf, n, off);
	if (((uintptr_t)buf | (uintptr_t)off | (uintptr_t)n) % f->align == 0 &&
	    !atomic_load_explicit(&f->refused, memory_order_relaxed)) {
		ssize_t r = shodo_pread_all(f->fd, buf, n, off);
		if (r >= 0 || errno != EINVAL)
			return r;
		atomic_store(&f->refused, 1);
	}
	return shodo_pread_all(f->bfd, buf, n, off);
}

static void fd_advise(shodo_source *s, uint64_t off, uint64_t len)
{
	fd_impl *f = s->impl;
	if (f->bfd < 0)
		posix_fadvise(f->fd, (off_t)off, (off_t)len, POSIX_FADV_WILLNEED);
}

static void fd_close(shodo_source *s)
{
	fd_impl *f = s->impl;
	if (f) {
		close(f->fd);
		if (f->bfd >= 0)
			close(f->bfd);
		free(f);
	}
}

static const shodo_source_ops fd_ops = {fd_read_at, fd_close, fd_advise};

static void device_describe(shodo_source *s, int fd)
{
	char p[256];
	unsigned maj = major(s->rdev), min = minor(s->rdev);
	int ss = 0;
	unsigned pss = 0;
	if (ioctl(fd, BLKSSZGET, &ss) == 0 && ss > 0)
		s->sector_size = (uint32_t)ss;
	if (ioctl(fd, BLKPBSZGET, &pss) == 0 && pss > 0)
		s->physical_sector_size = pss;
	/* partitions have no device/ of their own: use the parent's */
	snprintf(p, sizeof(p), "/sys/dev/block/%u:%u/partition", maj, min);
	int is_part = access(p, F_OK) == 0;
	const char *dev = is_part ? "../device" : "device";
	snprintf(p, sizeof(p), "/sys/dev/block/%u:%u/%s/model", maj, min, dev);
	shodo_read_line(p, s->model, sizeof(s->model));
	snprintf(p, sizeof(p), "/sys/dev/block/%u:%u/%s/serial", maj, min, dev);
	shodo_read_line(p, s->serial, sizeof(s->serial));
	if (!s->serial[0]) {
		snprintf(p, sizeof(p), "/sys/dev/block/%u:%u/%s/wwid", maj, min, dev);
		shodo_read_line(p, s->serial, sizeof(s->serial));
	}
}

/* ---------- split raw: name.001, name.002, ... ---------- */

typedef struct split_impl {
	int n;
	int *fds;
	uint64_t *start;   /* offset of each piece; start[n] = total */
} split_impl;

static ssize_t split_read_at(shodo_source *s, void *buf, size_t n, uint64_t off)
{
	split_impl *sp = s->impl;
	size_t got = 0;
	if (off >= s->size)
		return 0;
	if (n > s->size - off)
		n = (size_t)(s->size - off);
	int i = 0;
	while (i + 1 < sp->n && sp->start[i + 1] <= off)
		i++;
	while (got < n && i < sp->n) {
		uint64_t pos = off + got;
		uint64_t in_piece = sp->start[i + 1] - pos;
		size_t want = n - got < in_piece ? n - got : (size_t)in_piece;
		ssize_t r = pread(sp->fds[i], (char *)buf + got, want, (off_t)(pos - sp->start[i]));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0) {
			errno = EIO;  /* a piece is shorter than it was at open */
			return -1;
		}
		got += (size_t)r;
		if (off + got >= sp->start[i + 1])
			i++;
	}
	return (ssize_t)got;
}

static void split_close(shodo_source *s)
{
	split_impl *sp = s->impl;
	if (!sp)
		return;
	for (int i = 0; i < sp->n; i++)
		close(sp->fds[i]);
	free(sp->fds);
	free(sp->start);
	free(sp);
}

static const shodo_source_ops split_ops = {split_read_at, split_close, NULL};

/* ---------- EWF through libewf ---------- */

typedef struct ewf_impl {
	libewf_handle_t *h;
	pthread_mutex_t mu;   /* libewf handles are not thread safe */
} ewf_impl;

static ssize_t ewf_read_at(shodo_source *s, void *buf, size_t n, uint64_t off)
{
	ewf_impl *e = s->impl;
	libewf_error_t *lerr = NULL;
	if (off >= s->size)
		return 0;
	if (n > s->size - off)
		n = (size_t)(s->size - off);
	pthread_mutex_lock(&e->mu);
	ssize_t r = libewf_handle_read_random(e->h, buf, n, (off64_t)off, &lerr);
	pthread_mutex_unlock(&e->mu);
	if (r < 0) {
		libewf_error_free(&lerr);
		errno = EIO;
		return -1;
	}
	return r;
}

static void ewf_close(shodo_source *s)
{
	ewf_impl *e = s->impl;
	if (!e)
		return;
	libewf_handle_close(e->h, NULL);
	libewf_handle_free(&e->h, NULL);
	pthread_mutex_destroy(&e->mu);
	free(e);
}

static const shodo_source_ops ewf_ops = {ewf_read_at, ewf_close, NULL};

static int has_ewf_signature(int fd)
{
	unsigned char sig[8];
	static const unsigned char evf[8] = {'E', 'V', 'F', 0x09, 0x0d, 0x0a, 0xff, 0x00};
	static const unsigned char evf2[8] = {'E', 'V', 'F', '2', 0x0d, 0x0a, 0x81, 0x00};
	if (pread(fd, sig, 8, 0) != 8)
		return 0;
	return !memcmp(sig, evf, 8) || !memcmp(sig, evf2, 8);
}

static shodo_status open_ewf(shodo_source *s, shodo_err *err)
{
	char **names = NULL;
	int nnames = 0;
	libewf_error_t *lerr = NULL;
	ewf_impl *e = calloc(1, sizeof(*e));
	if (!e)
		return shodo_err_set(err, SHODO_FATAL, ENOMEM, "cannot open '%s'", s->path);
	if (libewf_glob(s->path, strlen(s->path), LIBEWF_FORMAT_UNKNOWN, &names, &nnames, &lerr) != 1)
		goto fail;
	if (libewf_handle_initialize(&e->h, &lerr) != 1)
		goto fail;
	if (libewf_handle_open(e->h, names, nnames, LIBEWF_OPEN_READ, &lerr) != 1)
		goto fail;
	size64_t media = 0;
	uint32_t bps = 512;
	libewf_handle_get_media_size(e->h, &media, NULL);
	libewf_handle_get_bytes_per_sector(e->h, &bps, NULL);
	s->size = media;
	s->sector_size = bps ? bps : 512;
	s->nsegments = nnames;
	s->segments = calloc((size_t)nnames, sizeof(char *));
	for (int i = 0; s->segments && i < nnames; i++)
		s->segments[i] = strdup(names[i]);
	libewf_glob_free(names, nnames, NULL);
	pthread_mutex_init(&e->mu, NULL);
	s->impl = e;
	s->ops = &ewf_ops;
	s->kind = SHODO_SRC_EWF;
	return SHODO_OK;
fail:
	shodo_err_from_libyal(err, SHODO_FATAL, 0, lerr, SHODO_LIBYAL(libewf), "cannot open E01 '%s'", s->path);
	libewf_error_free(&lerr);
	if (names)
		libewf_glob_free(names, nnames, NULL);
	if (e->h)
		libewf_handle_free(&e->h, NULL);
	free(e);
	return SHODO_FATAL;
}

/* ---------- EWF sets: what libewf does not say ---------- */

static const unsigned char EVF_SIG[8] = {'E', 'V', 'F', 0x09, 0x0d, 0x0a, 0xff, 0x00};

static uint64_t le64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

/* ".E01" ".e01" ".Ex01" ".s01" ".L01" and the letter forms ".EAA" ... */
static int ewf_ext(const char *path, char *letter, int *index)
{
	const char *dot = strrchr(path, '.');
	const char *sl = strrchr(path, '/');
	if (!dot || (sl && dot < sl) || strlen(dot) != 4)
		return 0;
	char l = dot[1];
	if (!strchr("EeSsLl", l))
		return 0;
	if (dot[2] >= '0' && dot[2] <= '9' && dot[3] >= '0' && dot[3] <= '9') {
		*index = (dot[2] - '0') * 10 + (dot[3] - '0');
		*letter = l;
		return *index > 0;
	}
	if (((dot[2] >= 'A' && dot[2] <= 'Z') || (dot[2] >= 'a' && dot[2] <= 'z')) &&
	    ((dot[3] >= 'A' && dot[3] <= 'Z') || (dot[3] >= 'a' && dot[3] <= 'z'))) {
		*letter = l;
		*index = 0;   /* a later segment: not a first one */
		return 1;
	}
	return 0;
}

/* name of segment n (1-based) of the set whose first segment is first */
static void ewf_seg_name(const char *first, char letter, int n, char *out, size_t outsz)
{
	size_t bl = strlen(first) - 4;
	int upper = letter >= 'A' && letter <= 'Z';
	if (n < 100) {
		snprintf(out, outsz, "%.*s.%c%02d", (int)bl, first, letter, n);
		return;
	}
	int k = n - 100;
	char c0 = (char)(letter + k / (26 * 26)), c1 = (char)((upper ? 'A' : 'a') + (k / 26) % 26),
	     c2 = (char)((upper ? 'A' : 'a') + k % 26);
	snprintf(out, outsz, "%.*s.%c%c%c", (int)bl, first, c0, c1, c2);
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

int shodo_ewf_looks_like(const char *path)
{
	unsigned char h[32];
	char l;
	int idx;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = pread(fd, h, sizeof(h), 0);
	close(fd);
	if (n >= 8 && !memcmp(h, EVF_SIG, 8))
		return 1;
	if (n >= 8 && !memcmp(h, "EVF2\r\n\x81", 8))
		return 1;
	if (ewf_ext(path, &l, &idx))
		return 1;
	/* the signature overwritten, the first section still there */
	if (n >= 13 + 8 && (!memcmp(h + 13, "header", 6) || !memcmp(h + 13, "volume", 6) ||
	                    !memcmp(h + 13, "disk\0", 5) || !memcmp(h + 13, "data\0", 5)))
		return 1;
	return 0;
}

/* one segment: header, number, chain of sections.  *last: 1 when it ends
 * with "done".  Returns 0, -1 (truncated or damaged sections: the set can
 * be read in part) or -2 (not a segment of this set) with msg set. */
static int ewf_check_segment(const char *path, int want, int *last, char *msg, size_t msgsz)
{
	unsigned char h[13], d[76];
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	*last = 0;
	if (fd < 0 || fstat(fd, &st) < 0) {
		snprintf(msg, msgsz, "cannot read segment '%s': %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	uint64_t size = (uint64_t)st.st_size;
	int rc = -1;
	if (pread(fd, h, 13, 0) != 13) {
		snprintf(msg, msgsz, "segment '%s' is truncated: %llu bytes, shorter than an EWF header", path,
		         (unsigned long long)size);
		goto out;
	}
	if (memcmp(h, EVF_SIG, 8) != 0) {
		if (!memcmp(h, "EVF2", 4)) {
			rc = 0;   /* EWF2 (Ex01): libewf's own checks */
			*last = 1;
			goto out;
		}
		snprintf(msg, msgsz, "'%s': the EWF signature is damaged (its first 8 bytes are not 'EVF' 09 0d 0a "
		         "ff 00): it is not read as a raw image", path);
		rc = -2;
		goto out;
	}
	int num = h[9] | (h[10] << 8);
	if (want && num != want) {
		snprintf(msg, msgsz, "'%s' says it is segment %d of its set, not %d: a file of another image, or renamed",
		         path, num, want);
		rc = -2;
		goto out;
	}
	uint64_t off = 13;
	for (int guard = 0; guard < 1000000; guard++) {
		if (off + 76 > size) {
			snprintf(msg, msgsz, "segment '%s' is truncated: %llu bytes, its sections go on past the end "
			         "(next section at byte %llu)", path, (unsigned long long)size, (unsigned long long)off);
			goto out;
		}
		if (pread(fd, d, 76, (off_t)off) != 76) {
			snprintf(msg, msgsz, "cannot read segment '%s' at byte %llu: %s", path, (unsigned long long)off,
			         strerror(errno));
			goto out;
		}
		uint64_t next = le64(d + 16), ssz = le64(d + 24);
		/* each section descriptor carries the Adler-32 of its first 72 bytes */
		uint32_t ck = (uint32_t)d[72] | (uint32_t)d[73] << 8 | (uint32_t)d[74] << 16 | (uint32_t)d[75] << 24;
		if ((uint32_t)adler32(1, d, 72) != ck) {
			snprintf(msg, msgsz, "segment '%s' is damaged: the section header at byte %llu fails its checksum",
			         path, (unsigned long long)off);
			goto out;
		}
		if (!strncmp((const char *)d, "done", 16) || !strncmp((const char *)d, "next", 16)) {
			*last = d[0] == 'd';
			rc = 0;
			goto out;
		}
		if (off + ssz > size || next > size) {
			snprintf(msg, msgsz, "segment '%s' is truncated: %llu bytes, its '%.16s' section at byte %llu "
			         "ends at byte %llu", path, (unsigned long long)size, (const char *)d,
			         (unsigned long long)off, (unsigned long long)(next > off + ssz ? next : off + ssz));
			goto out;
		}
		if (next <= off) {
			snprintf(msg, msgsz, "segment '%s' is damaged: its '%.16s' section at byte %llu points back to "
			         "byte %llu", path, (const char *)d, (unsigned long long)off, (unsigned long long)next);
			goto out;
		}
		off = next;
	}
	snprintf(msg, msgsz, "segment '%s' is damaged: too many sections", path);
out:
	close(fd);
	return rc;
}

shodo_status shodo_ewf_check(const char *path, shodo_err *err)
{
	char l = 'E', seg[4096], msg[900];
	int idx = 0, last = 0;
	struct stat st;
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) || !shodo_ewf_looks_like(path))
		return SHODO_OK;
	int named = ewf_ext(path, &l, &idx);
	if (named && idx != 1) {
		shodo_err_set(err, SHODO_FATAL, 0, "'%s' is a later segment of an E01 set", path);
		shodo_err_hint(err, "give the first segment (%.*s%c01)", (int)(strlen(path) - 3), path, l);
		return SHODO_FATAL;
	}
	int r;
	if (!named) {
		/* an EWF file under another name: only its own header can be checked */
		if ((r = ewf_check_segment(path, 0, &last, msg, sizeof(msg))) < 0)
			goto damaged;
		return SHODO_OK;
	}
	int n = 1;
	for (;; n++) {
		ewf_seg_name(path, l, n, seg, sizeof(seg));
		if (stat(seg, &st) < 0) {
			/* a gap, or the set ends before its "done" section */
			char nxt[4096];
			int later = 0;
			for (int k = n + 1; k < n + 64 && !later; k++) {
				ewf_seg_name(path, l, k, nxt, sizeof(nxt));
				later = access(nxt, F_OK) == 0;
			}
			if (later || n > 1) {
				shodo_err_set(err, SHODO_FAILED, 0,
				              "E01 set '%s' is incomplete: segment '%s' is missing%s", path, base_name(seg),
				              later ? "" : " (the segment before it says more follow)");
				shodo_err_hint(err, "restore '%s' from the destination it was written to (or another copy) "
				                    "beside the other segments, then run again", base_name(seg));
				return SHODO_FAILED;
			}
			return SHODO_OK;  /* unreachable: the first segment exists */
		}
		if ((r = ewf_check_segment(seg, n, &last, msg, sizeof(msg))) < 0)
			goto damaged;
		if (last)
			return SHODO_OK;
	}
damaged:
	{
		shodo_status grade = r == -2 ? SHODO_FATAL : SHODO_FAILED;
		shodo_err_set(err, grade, 0, "%s", msg);
		shodo_err_hint(err, "restore the segment from the destination it was written to (or another copy) and "
		                    "run again; a damaged E01 is never read as a raw image");
		return grade;
	}
}

/* ---------- memory ---------- */

static ssize_t mem_read_at(shodo_source *s, void *buf, size_t n, uint64_t off)
{
	if (off >= s->size)
		return 0;
	if (n > s->size - off)
		n = (size_t)(s->size - off);
	memcpy(buf, (const char *)s->impl + off, n);
	return (ssize_t)n;
}

static void mem_close(shodo_source *s) { (void)s; }
static const shodo_source_ops mem_ops = {mem_read_at, mem_close, NULL};

shodo_source *shodo_source_memory(const void *buf, uint64_t size, uint32_t sector_size)
{
	shodo_source *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->ops = &mem_ops;
	s->impl = (void *)buf;
	s->kind = SHODO_SRC_MEMORY;
	s->path = strdup("(memory)");
	s->size = size;
	s->sector_size = s->physical_sector_size = sector_size ? sector_size : 512;
	return s;
}

/* ---------- open ---------- */

static int ends_with_001(const char *p)
{
	size_t n = strlen(p);
	return n > 4 && !strcmp(p + n - 4, ".001");
}

static shodo_status open_split(shodo_source *s, int fd0, shodo_err *err)
{
	split_impl *sp = calloc(1, sizeof(*sp));
	size_t plen = strlen(s->path);
	char *name = malloc(plen + 16);
	if (!sp || !name) {
		free(sp);
		free(name);
		return shodo_err_set(err, SHODO_FATAL, ENOMEM, "cannot open '%s'", s->path);
	}
	memcpy(name, s->path, plen + 1);
	size_t cap = 0, scap = 0;
	if (shodo_grow(&sp->fds, &cap, 1) < 0) {
		free(sp);
		free(name);
		return shodo_err_set(err, SHODO_FATAL, ENOMEM, "cannot open '%s'", s->path);
	}
	sp->fds[0] = fd0;
	sp->n = 1;
	for (int i = 2; i < 100000; i++) {
		snprintf(name + plen - 3, 16, "%03d", i);
		int fd = open(name, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			break;
		if (shodo_grow(&sp->fds, &cap, (size_t)sp->n + 1) < 0) {
			close(fd);
			s->impl = sp;
			split_close(s);
			s->impl = NULL;
			free(name);
			return shodo_err_set(err, SHODO_FATAL, ENOMEM, "cannot open '%s'", s->path);
		}
		sp->fds[sp->n++] = fd;
	}
	if (shodo_grow(&sp->start, &scap, (size_t)sp->n + 1) < 0) {
		s->impl = sp;
		split_close(s);
		s->impl = NULL;
		free(name);
		return shodo_err_set(err, SHODO_FATAL, ENOMEM, "cannot open '%s'", s->path);
	}
	s->segments = calloc((size_t)sp->n, sizeof(char *));
	uint64_t total = 0;
	for (int i = 0; i < sp->n; i++) {
		struct stat st;
		fstat(sp->fds[i], &st);
		sp->start[i] = total;
		total += (uint64_t)st.st_size;
		snprintf(name + plen - 3, 16, "%03d", i + 1);
		s->segments[i] = strdup(name);
	}
	sp->start[sp->n] = total;
	free(name);
	s->nsegments = sp->n;
	s->size = total;
	s->impl = sp;
	s->ops = &split_ops;
	s->kind = sp->n > 1 ? SHODO_SRC_SPLIT_RAW : SHODO_SRC_RAW;
	return SHODO_OK;
}

shodo_status shodo_source_open(const char *path, int flags, shodo_source **out, shodo_err *err)
{
	struct stat st;
	*out = NULL;
	if (!path || !*path)
		return shodo_err_set(err, SHODO_USAGE, 0, "no source given");
	if (stat(path, &st) < 0)
		return shodo_err_set(err, SHODO_FATAL, errno, "cannot open source '%s'", path);
	if (S_ISDIR(st.st_mode)) {
		shodo_err_set(err, SHODO_FATAL, 0, "cannot open source '%s': it is a folder, not a disk or an image file",
		              path);
		shodo_err_hint(err, "give the disk (e.g. /dev/sdb) or the image file inside it");
		return SHODO_FATAL;
	}
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
		shodo_err_set(err, SHODO_FATAL, 0, "cannot open source '%s': it is %s, not a disk (a block device) or an "
		              "image file", path, S_ISCHR(st.st_mode) ? "a character device" : S_ISFIFO(st.st_mode) ? "a pipe"
		              : "a special file");
		shodo_err_hint(err, "'shodo devices' lists the disks");
		return SHODO_FATAL;
	}
	if (S_ISREG(st.st_mode)) {
		if (shodo_ewf_check(path, err) != SHODO_OK) {
			if (err)
				err->status = SHODO_FATAL;
			return SHODO_FATAL;
		}
	}
	int oflags = O_RDONLY | O_CLOEXEC | O_NOCTTY;
	if (S_ISBLK(st.st_mode) && (flags & SHODO_SOURCE_DIRECT))
		oflags |= O_DIRECT;
	int fd = open(path, oflags);
	if (fd < 0 && errno == EINVAL && (oflags & O_DIRECT)) {
		oflags &= ~O_DIRECT;
		fd = open(path, oflags);
	}
	if (fd < 0)
		return shodo_err_set(err, SHODO_FATAL, errno, "cannot open source '%s'", path);

	shodo_source *s = calloc(1, sizeof(*s));
	if (!s) {
		close(fd);
		return shodo_err_set(err, SHODO_FATAL, ENOMEM, "cannot open source '%s'", path);
	}
	s->path = strdup(path);
	s->sector_size = 512;
	s->physical_sector_size = 512;
	s->st_dev = st.st_dev;

	if (S_ISBLK(st.st_mode)) {
		uint64_t size = 0;
		if (ioctl(fd, BLKGETSIZE64, &size) < 0) {
			int e = errno;
			close(fd);
			shodo_source_close(s);
			return shodo_err_set(err, SHODO_FATAL, e, "cannot get the size of '%s'", path);
		}
		s->size = size;
		s->rdev = st.st_rdev;
		s->kind = SHODO_SRC_DEVICE;
		device_describe(s, fd);
		int ro = 0;
		s->read_only = ioctl(fd, BLKROGET, &ro) == 0 && ro;
		fd_impl *f = calloc(1, sizeof(*f));
		int bfd = (oflags & O_DIRECT) ? open(path, oflags & ~O_DIRECT) : -1;
		if (!f || ((oflags & O_DIRECT) && bfd < 0)) {
			int e = f ? errno : ENOMEM;
			free(f);
			close(fd);
			shodo_source_close(s);
			return shodo_err_set(err, SHODO_FATAL, e, "cannot open source '%s'", path);
		}
		f->fd = fd;
		f->bfd = bfd;
		f->align = s->sector_size > 512 ? s->sector_size : 512;
		s->impl = f;
		s->ops = &fd_ops;
		snprintf(s->transport, sizeof(s->transport), "%s", "");
	} else if (has_ewf_signature(fd)) {
		close(fd);
		shodo_status st2 = open_ewf(s, err);
		if (st2 != SHODO_OK) {
			shodo_source_close(s);
			return st2;
		}
	} else if (ends_with_001(path)) {
		shodo_status st2 = open_split(s, fd, err);
		if (st2 != SHODO_OK) {
			shodo_source_close(s);
			return st2;
		}
	} else {
		posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
		s->size = (uint64_t)st.st_size;
		s->kind = SHODO_SRC_RAW;
		fd_impl *f = calloc(1, sizeof(*f));
		if (!f) {
			close(fd);
			shodo_source_close(s);
			return shodo_err_set(err, SHODO_FATAL, ENOMEM, "cannot open source '%s'", path);
		}
		f->fd = fd;
		f->bfd = -1;
		s->impl = f;
		s->ops = &fd_ops;
	}
	*out = s;
	return SHODO_OK;
}

ssize_t shodo_source_read_at(shodo_source *s, void *buf, size_t n, uint64_t off)
{
	return s->ops->read_at(s, buf, n, off);
}

ssize_t shodo_source_pread_full(shodo_source *s, void *buf, size_t n, uint64_t off)
{
	return s->ops->read_at(s, buf, n, off);
}

void shodo_source_advise(shodo_source *s, uint64_t off, uint64_t len)
{
	if (s->ops && s->ops->advise)
		s->ops->advise(s, off, len);
}

int shodo_source_present(shodo_source *s)
{
	if (!s || s->ops != &fd_ops)
		return 1;
	fd_impl *f = s->impl;
	if (s->kind == SHODO_SRC_DEVICE) {
		uint64_t size = 0;
		return ioctl(f->fd, BLKGETSIZE64, &size) == 0 && size == s->size;
	}
	struct stat st;
	/* an image file on a disk that was disconnected keeps its size (the
	 * inode is in memory) while its reads fail */
	return fstat(f->fd, &st) == 0 && (uint64_t)st.st_size == s->size && !shodo_disk_gone(st.st_dev);
}

int shodo_disk_gone(dev_t dev)
{
	/* a file system without a disk of its own (tmpfs, FUSE) has major 0;
	 * without /sys nothing can be told */
	char p[64];
	snprintf(p, sizeof(p), "/sys/dev/block/%u:%u", major(dev), minor(dev));
	return major(dev) != 0 && access("/sys/dev/block", F_OK) == 0 && access(p, F_OK) != 0 && errno == ENOENT;
}

int shodo_source_direct(const shodo_source *s)
{
	if (!s || s->ops != &fd_ops)
		return 0;
	fd_impl *f = s->impl;
	return f->bfd >= 0 && !atomic_load(&f->refused);
}

void shodo_source_close(shodo_source *s)
{
	if (!s)
		return;
	if (s->ops && s->ops->close)
		s->ops->close(s);
	for (int i = 0; i < s->nsegments && s->segments; i++)
		free(s->segments[i]);
	free(s->segments);
	free(s->path);
	free(s);
}

const char *shodo_source_kind_name(shodo_source_kind k)
{
	switch (k) {
	case SHODO_SRC_RAW: return "raw";
	case SHODO_SRC_SPLIT_RAW: return "split-raw";
	case SHODO_SRC_DEVICE: return "device";
	case SHODO_SRC_EWF: return "ewf";
	case SHODO_SRC_MEMORY: return "memory";
	}
	return "unknown";
}
