/*
 * shodo/util.h — small helpers shared by every layer: UTC time formatting,
 * size parsing, directories, whole-file I/O.  All times in files are UTC.
 */
#ifndef SHODO_UTIL_H
#define SHODO_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include "shodo/status.h"

/* "2026-11-22T02:43:30Z" (20 chars + NUL).  Returns out. */
char *shodo_time_iso(time_t t, char out[32]);
/* Same with fractional seconds when nsec != 0: "...:30.123456Z". */
char *shodo_time_iso_ns(time_t t, long nsec, char out[48]);
/* Windows FILETIME (100 ns since 1601) to ISO; "" when 0. */
char *shodo_filetime_iso(uint64_t ft, char out[48]);
int64_t shodo_filetime_to_unix(uint64_t ft);
char *shodo_now_iso(char out[32]);
/* Parses ISO 8601 "YYYY-MM-DD[THH:MM[:SS[.fff]]][Z|+hh:mm]" into Unix time. */
int shodo_parse_iso(const char *s, time_t *out);
/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; m 1..12, linear in d). */
int64_t shodo_days_from_civil(int y, int m, int d);
/* The n characters at s read as a decimal number; -1 when one is not a digit. */
int shodo_digits(const char *s, int n);

/* "2G", "640M", "4096", "1.5T" (binary units) -> bytes; 0 on error. */
uint64_t shodo_parse_size(const char *s);
/* "1.5 GiB" style. */
char *shodo_fmt_size(uint64_t n, char out[32]);

/* mkdir -p with mode for every created level. */
int shodo_mkdirs(const char *path, unsigned mode);
/* rm -r: removes path and everything below it (symbolic links themselves,
 * never what they point to), as far as it can. */
void shodo_remove_tree(const char *path);
/* The first line of a file (a sysfs attribute), white space trimmed at both
 * ends; "" when it cannot be read. */
void shodo_read_line(const char *path, char *out, size_t outsz);
/* pread until n bytes, end of file or an error (EINTR retried): the bytes
 * read, fewer only at end of file; -1 with errno on an error. */
ssize_t shodo_pread_all(int fd, void *buf, size_t n, uint64_t off);
/* Makes the next read of path come from its disk, not from memory: its
 * written pages are flushed (fsync) and its clean pages dropped from the
 * page cache.  For verifications: a disk that did not keep what it was given
 * (failing, or a counterfeit stick that wraps around) passed while the copy
 * the kernel still held was read instead.  Errors are ignored (a read-only
 * mount, a vanished file: the read that follows reports what matters). */
void shodo_uncache(const char *path);
/* Reads a whole (small) file; caller frees.  NULL on error with errno. */
char *shodo_read_file(const char *path, size_t *len);
/* Writes data to path atomically (tmp + fsync + rename), with mode. */
int shodo_write_file_atomic(const char *path, const void *data, size_t len, unsigned mode);
/* The same with the file's bytes given in parts, written one after the
 * other (a report of several large pieces is not copied into one first). */
struct iovec;
int shodo_write_file_atomicv(const char *path, const struct iovec *parts, int nparts, unsigned mode);
/* snprintf that reports truncation: returns 0 ok, -1 truncated. */
int shodo_snprintf(char *out, size_t outsz, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Number of online CPUs (>= 1). */
int shodo_ncpu(void);
/* Hostname of the machine running shodo (for custody), user name. */
const char *shodo_operator(char out[128]);

#endif
