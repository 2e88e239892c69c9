/*
 * faultio.so — an LD_PRELOAD fault injector for the imager tests.
 *
 *   FAULTIO_READ_PATH=/path/of/source    reads of this file (by realpath) that
 *   FAULTIO_READ_BAD=off:len[,off:len]   touch these byte ranges fail with EIO
 *                                        (pread, pread64, read, readv, preadv)
 *   FAULTIO_READ_DIRECT_EINVAL=1         reads of that file through a descriptor
 *                                        opened with O_DIRECT fail with EINVAL,
 *                                        as on a device that refuses them
 *   FAULTIO_READ_GONE_AFTER=N            the file goes away, as a disconnected disk
 *                                        does, once N bytes of it were read: the
 *                                        read that would pass N and every later
 *                                        one return 0 bytes, and BLKGETSIZE64
 *                                        says 0
 *                                        (and once it is gone, access() of
 *                                        /sys/dev/block/M:m of the disk holding
 *                                        it fails with ENOENT, as when that
 *                                        disk was disconnected)
 *   FAULTIO_READ_GONE_MARK=/path         with it: the file is created when the
 *                                        source goes, and the source is gone
 *                                        for every process while it exists (a
 *                                        pulled disk is gone for all of them)
 *   FAULTIO_READ_LOG=/path               each read of that file appends a line
 *                                        there: "direct" or "buffered" (the
 *                                        descriptor's O_DIRECT), offset, length
 *   FAULTIO_WRITE_MATCH=substring        writes to files whose path contains it
 *   FAULTIO_WRITE_LIMIT=N                fail with ENOSPC once N bytes were written
 *   FAULTIO_WRITE_KILL=N                 or: the process kills itself with
 *                                        SIGKILL once N bytes were written
 *   FAULTIO_WRITE_KILL_PARTIAL=1         with FAULTIO_WRITE_KILL: the write that
 *                                        crosses N first writes its bytes up
 *                                        to N, as a write cut short by a
 *                                        SIGKILL from outside does
 *   FAULTIO_WRITE_KILL_BEFORE=STRING     or: SIGKILL just before the n-th write
 *   FAULTIO_WRITE_KILL_NTH=n (1)         whose bytes begin with STRING (a
 *                                        chosen moment of a file format)
 *   FAULTIO_WRITE_DELAY_US=N             sleep N microseconds before each such
 *                                        write (so a test can kill -9 mid-run)
 *   FAULTIO_FSYNC_MATCH=substring        fsync and fdatasync of files whose path
 *                                        contains it fail with EIO, as they do
 *                                        when the disk refused a write-back
 *   FAULTIO_FSYNC_LOG=/path              each fsync and fdatasync (of any file)
 *                                        appends the file's path there
 *   FAULTIO_STATFS_FAT=/dir              statfs of /dir and of what is under it
 *                                        reports FAT's magic number (MSDOS), as
 *                                        on a FAT32 disk (for kernels without
 *                                        vfat)
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/sysmacros.h>
#include <linux/fs.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static ssize_t (*r_read)(int, void *, size_t);
static ssize_t (*r_pread)(int, void *, size_t, off_t);
static ssize_t (*r_pread64)(int, void *, size_t, off_t);
static ssize_t (*r_readv)(int, const struct iovec *, int);
static ssize_t (*r_preadv)(int, const struct iovec *, int, off_t);
static ssize_t (*r_write)(int, const void *, size_t);
static ssize_t (*r_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*r_pwrite64)(int, const void *, size_t, off_t);
static ssize_t (*r_writev)(int, const struct iovec *, int);
static int (*r_fsync)(int);
static int (*r_fdatasync)(int);
static const char *fsync_match, *fsync_log;

static char read_path[PATH_MAX];
static struct { unsigned long long off, len; } bad[64];
static int nbad;
static int direct_einval;
static const char *read_log;
static long long gone_after = -1, gone_read;
static const char *gone_mark;
static int gone;
static int (*r_ioctl)(int, unsigned long, ...);
static const char *write_match;
static long long write_limit = -1, write_kill = -1;
static long long written;
static int kill_partial;
static const char *kill_before;
static long kill_nth = 1;
static __thread int kill_after;   /* this thread's current write is the last */
static long delay_us;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

__attribute__((constructor)) static void init(void)
{
	r_read = dlsym(RTLD_NEXT, "read");
	r_pread = dlsym(RTLD_NEXT, "pread");
	r_pread64 = dlsym(RTLD_NEXT, "pread64");
	r_readv = dlsym(RTLD_NEXT, "readv");
	r_preadv = dlsym(RTLD_NEXT, "preadv");
	r_write = dlsym(RTLD_NEXT, "write");
	r_pwrite = dlsym(RTLD_NEXT, "pwrite");
	r_pwrite64 = dlsym(RTLD_NEXT, "pwrite64");
	r_writev = dlsym(RTLD_NEXT, "writev");
	r_fsync = dlsym(RTLD_NEXT, "fsync");
	r_fdatasync = dlsym(RTLD_NEXT, "fdatasync");
	fsync_match = getenv("FAULTIO_FSYNC_MATCH");
	fsync_log = getenv("FAULTIO_FSYNC_LOG");
	const char *p = getenv("FAULTIO_READ_PATH");
	if (p && !realpath(p, read_path))
		snprintf(read_path, sizeof(read_path), "%s", p);
	const char *b = getenv("FAULTIO_READ_BAD");
	while (b && *b && nbad < 64) {
		char *end;
		bad[nbad].off = strtoull(b, &end, 0);
		if (*end != ':')
			break;
		bad[nbad].len = strtoull(end + 1, &end, 0);
		nbad++;
		b = *end == ',' ? end + 1 : end;
	}
	read_log = getenv("FAULTIO_READ_LOG");
	gone_mark = getenv("FAULTIO_READ_GONE_MARK");
	if (getenv("FAULTIO_READ_GONE_AFTER"))
		gone_after = atoll(getenv("FAULTIO_READ_GONE_AFTER"));
	r_ioctl = dlsym(RTLD_NEXT, "ioctl");
	direct_einval = getenv("FAULTIO_READ_DIRECT_EINVAL") && atoi(getenv("FAULTIO_READ_DIRECT_EINVAL"));
	write_match = getenv("FAULTIO_WRITE_MATCH");
	if (getenv("FAULTIO_WRITE_LIMIT"))
		write_limit = atoll(getenv("FAULTIO_WRITE_LIMIT"));
	if (getenv("FAULTIO_WRITE_DELAY_US"))
		delay_us = atol(getenv("FAULTIO_WRITE_DELAY_US"));
	if (getenv("FAULTIO_WRITE_KILL"))
		write_kill = atoll(getenv("FAULTIO_WRITE_KILL"));
	kill_before = getenv("FAULTIO_WRITE_KILL_BEFORE");
	if (getenv("FAULTIO_WRITE_KILL_NTH"))
		kill_nth = atol(getenv("FAULTIO_WRITE_KILL_NTH"));
	kill_partial = getenv("FAULTIO_WRITE_KILL_PARTIAL") && atoi(getenv("FAULTIO_WRITE_KILL_PARTIAL"));
}

static int fd_path(int fd, char *out, size_t outsz)
{
	char l[64];
	snprintf(l, sizeof(l), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(l, out, outsz - 1);
	if (n < 0)
		return -1;
	out[n] = '\0';
	return 0;
}

static void set_gone(void)
{
	__atomic_store_n(&gone, 1, __ATOMIC_SEQ_CST);
	if (gone_mark) {
		int fd = open(gone_mark, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
		if (fd >= 0)
			close(fd);
	}
}

static int is_gone(void)
{
	struct stat st;
	return __atomic_load_n(&gone, __ATOMIC_SEQ_CST) || (gone_mark && stat(gone_mark, &st) == 0);
}

/* the errno a read of [off, off+n) fails with, -1 when it returns 0 bytes
 * (the file is gone), or 0 */
static int read_fails(int fd, unsigned long long off, size_t n)
{
	char p[PATH_MAX];
	if (!read_path[0] || (!nbad && !direct_einval && !read_log && gone_after < 0) || n == 0 ||
	    fd_path(fd, p, sizeof(p)) < 0 || strcmp(p, read_path))
		return 0;
	if (gone_after >= 0 && __atomic_add_fetch(&gone_read, (long long)n, __ATOMIC_SEQ_CST) > gone_after)
		set_gone();
	if (is_gone())
		return -1;
	int direct = (fcntl(fd, F_GETFL) & O_DIRECT) != 0;
	if (read_log) {
		/* one O_APPEND write per line, past this file's own write() */
		char line[96];
		int len = snprintf(line, sizeof(line), "%s %llu %zu\n", direct ? "direct" : "buffered", off, n);
		int lfd = open(read_log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
		if (lfd >= 0) {
			if (r_write(lfd, line, (size_t)len) < 0)
				(void)0;
			close(lfd);
		}
	}
	if (direct_einval && direct)
		return EINVAL;
	for (int i = 0; i < nbad; i++)
		if (off < bad[i].off + bad[i].len && bad[i].off < off + n)
			return EIO;
	return 0;
}

/* returns how many of n bytes may be written (0: fail with ENOSPC) */
static size_t write_allow(int fd, const void *buf, size_t blen, size_t n)
{
	char p[PATH_MAX];
	if (!write_match || fd_path(fd, p, sizeof(p)) < 0 || !strstr(p, write_match))
		return n;
	if (kill_before && buf && blen >= strlen(kill_before) && !memcmp(buf, kill_before, strlen(kill_before))) {
		pthread_mutex_lock(&mu);
		if (--kill_nth == 0)
			raise(SIGKILL);
		pthread_mutex_unlock(&mu);
	}
	if (delay_us > 0)
		usleep((useconds_t)delay_us);
	pthread_mutex_lock(&mu);
	long long lim = write_limit >= 0 ? write_limit : write_kill;
	size_t ok = n;
	if (lim >= 0 && written + (long long)n > lim) {
		if (write_kill >= 0 && kill_partial && lim > written) {
			/* the caller writes these bytes, then dies (keeps mu held) */
			kill_after = 1;
			return (size_t)(lim - written);
		}
		if (write_kill >= 0)
			raise(SIGKILL);
		ok = 0;  /* the whole write fails, as a full disk does once nothing fits */
	}
	written += (long long)ok;
	pthread_mutex_unlock(&mu);
	return ok;
}

static size_t iov_len(const struct iovec *v, int n)
{
	size_t t = 0;
	for (int i = 0; i < n; i++)
		t += v[i].iov_len;
	return t;
}

ssize_t read(int fd, void *buf, size_t n)
{
	if (nbad || direct_einval || read_log || gone_after >= 0) {
		off_t cur = lseek(fd, 0, SEEK_CUR);
		int e = cur >= 0 ? read_fails(fd, (unsigned long long)cur, n) : 0;
		if (e < 0)
			return 0;
		if (e) {
			errno = e;
			return -1;
		}
	}
	return r_read(fd, buf, n);
}

ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
	int e = read_fails(fd, (unsigned long long)off, n);
	if (e < 0)
		return 0;
	if (e) {
		errno = e;
		return -1;
	}
	return r_pread(fd, buf, n, off);
}

ssize_t pread64(int fd, void *buf, size_t n, off_t off)
{
	int e = read_fails(fd, (unsigned long long)off, n);
	if (e < 0)
		return 0;
	if (e) {
		errno = e;
		return -1;
	}
	return r_pread64(fd, buf, n, off);
}

ssize_t readv(int fd, const struct iovec *v, int c)
{
	if (nbad || direct_einval || read_log || gone_after >= 0) {
		off_t cur = lseek(fd, 0, SEEK_CUR);
		int e = cur >= 0 ? read_fails(fd, (unsigned long long)cur, iov_len(v, c)) : 0;
		if (e < 0)
			return 0;
		if (e) {
			errno = e;
			return -1;
		}
	}
	return r_readv(fd, v, c);
}

ssize_t preadv(int fd, const struct iovec *v, int c, off_t off)
{
	int e = read_fails(fd, (unsigned long long)off, iov_len(v, c));
	if (e < 0)
		return 0;
	if (e) {
		errno = e;
		return -1;
	}
	return r_preadv(fd, v, c, off);
}

ssize_t write(int fd, const void *buf, size_t n)
{
	size_t ok = write_allow(fd, buf, n, n);
	if (ok == 0 && n > 0) {
		errno = ENOSPC;
		return -1;
	}
	ssize_t w = r_write(fd, buf, ok);
	if (kill_after)
		raise(SIGKILL);
	return w;
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	size_t ok = write_allow(fd, buf, n, n);
	if (ok == 0 && n > 0) {
		errno = ENOSPC;
		return -1;
	}
	ssize_t w = r_pwrite(fd, buf, ok, off);
	if (kill_after)
		raise(SIGKILL);
	return w;
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off)
{
	size_t ok = write_allow(fd, buf, n, n);
	if (ok == 0 && n > 0) {
		errno = ENOSPC;
		return -1;
	}
	ssize_t w = r_pwrite64(fd, buf, ok, off);
	if (kill_after)
		raise(SIGKILL);
	return w;
}

ssize_t writev(int fd, const struct iovec *v, int c)
{
	size_t n = iov_len(v, c);
	size_t ok = write_allow(fd, c > 0 ? v[0].iov_base : NULL, c > 0 ? v[0].iov_len : 0, n);
	if (ok < n) {
		if (ok == 0) {
			errno = ENOSPC;
			return -1;
		}
		/* a short write: only the first ok bytes */
		size_t left = ok;
		ssize_t total = 0;
		for (int i = 0; i < c && left; i++) {
			size_t l = v[i].iov_len < left ? v[i].iov_len : left;
			ssize_t w = r_write(fd, v[i].iov_base, l);
			if (w < 0)
				return total ? total : -1;
			total += w;
			left -= (size_t)w;
		}
		if (kill_after)
			raise(SIGKILL);
		return total;
	}
	return r_writev(fd, v, c);
}

/* 0: go on with the real call; -1: fail it with EIO */
static int fsync_check(int fd)
{
	char p[PATH_MAX];
	if ((!fsync_match && !fsync_log) || fd_path(fd, p, sizeof(p)) < 0)
		return 0;
	if (fsync_log) {
		pthread_mutex_lock(&mu);
		FILE *f = fopen(fsync_log, "a");
		if (f) {
			fprintf(f, "%s\n", p);
			fclose(f);
		}
		pthread_mutex_unlock(&mu);
	}
	if (fsync_match && strstr(p, fsync_match)) {
		errno = EIO;
		return -1;
	}
	return 0;
}

int fsync(int fd)
{
	return fsync_check(fd) < 0 ? -1 : r_fsync(fd);
}

int fdatasync(int fd)
{
	return fsync_check(fd) < 0 ? -1 : r_fdatasync(fd);
}

/* a gone file's size, as the kernel reports a disconnected disk's */
int ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	va_start(ap, req);
	void *arg = va_arg(ap, void *);
	va_end(ap);
	if (!r_ioctl)
		r_ioctl = dlsym(RTLD_NEXT, "ioctl");
	char p[PATH_MAX];
	if (req == BLKGETSIZE64 && read_path[0] && is_gone() &&
	    fd_path(fd, p, sizeof(p)) == 0 && !strcmp(p, read_path)) {
		*(uint64_t *)arg = 0;
		return 0;
	}
	return r_ioctl(fd, req, arg);
}

/* the /sys/dev/block node of the disk that holds a gone file */
static int (*r_access)(const char *, int);
int access(const char *path, int mode)
{
	if (!r_access)
		r_access = dlsym(RTLD_NEXT, "access");
	struct stat st;
	if (read_path[0] && is_gone() && !strncmp(path, "/sys/dev/block/", 15) && stat(read_path, &st) == 0 &&
	    S_ISREG(st.st_mode)) {
		char p[64];
		snprintf(p, sizeof(p), "/sys/dev/block/%u:%u", major(st.st_dev), minor(st.st_dev));
		if (!strcmp(path, p)) {
			errno = ENOENT;
			return -1;
		}
	}
	return r_access(path, mode);
}

/* a folder on FAT, as statfs sees it */
static int (*r_statfs)(const char *, struct statfs *);
static int on_fat(const char *path)
{
	const char *d = getenv("FAULTIO_STATFS_FAT");
	size_t n = d ? strlen(d) : 0;
	return n && !strncmp(path, d, n) && (path[n] == '\0' || path[n] == '/');
}
int statfs(const char *path, struct statfs *buf)
{
	if (!r_statfs)
		r_statfs = dlsym(RTLD_NEXT, "statfs");
	int rc = r_statfs(path, buf);
	if (rc == 0 && on_fat(path))
		buf->f_type = 0x4d44;
	return rc;
}
int statfs64(const char *path, struct statfs64 *buf)
{
	return statfs(path, (struct statfs *)(void *)buf);   /* the same layout on 64-bit */
}
