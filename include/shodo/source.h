/*
 * shodo/source.h — an evidence source: anything with a size that can be read
 * at an offset.  Block devices, raw images (single or split .001/.002...),
 * E01 images (through libewf) and memory buffers (tests, fuzzers) all sit
 * behind the same small vtable.  Sources are opened read-only, always.
 *
 * read_at() returns the number of bytes read (short only at the end of the
 * source) or -1 with errno set; it never retries by itself: the imager owns
 * the retry/narrow/zero-fill policy so that it can record what was lost.
 * A source may be read from several threads at once.
 */
#ifndef SHODO_SOURCE_H
#define SHODO_SOURCE_H

#include <stdint.h>
#include <sys/types.h>
#include "shodo/status.h"

typedef enum shodo_source_kind {
	SHODO_SRC_RAW,        /* a regular file holding a raw image */
	SHODO_SRC_SPLIT_RAW,  /* name.001, name.002, ... */
	SHODO_SRC_DEVICE,     /* a block device */
	SHODO_SRC_EWF,        /* E01/Ex01 segments, read through libewf */
	SHODO_SRC_MEMORY,
} shodo_source_kind;

typedef struct shodo_source shodo_source;

typedef struct shodo_source_ops {
	ssize_t (*read_at)(shodo_source *s, void *buf, size_t n, uint64_t off);
	void (*close)(shodo_source *s);
	/* optional: read-ahead advice for [off, off+len) */
	void (*advise)(shodo_source *s, uint64_t off, uint64_t len);
} shodo_source_ops;

struct shodo_source {
	const shodo_source_ops *ops;
	void *impl;
	shodo_source_kind kind;
	char *path;               /* as given by the user */
	uint64_t size;            /* bytes */
	uint32_t sector_size;     /* logical sector size (512 if unknown) */
	uint32_t physical_sector_size;
	char model[128];
	char serial[128];
	char transport[16];
	int read_only;            /* devices: the kernel refuses writes to it (BLKROGET at open) */
	dev_t rdev;               /* devices: device number, else 0 */
	dev_t st_dev;             /* files: device the file lives on */
	int nsegments;            /* split raw / EWF: number of files */
	char **segments;          /* their paths */
};

enum {
	SHODO_SOURCE_DIRECT = 1 << 0,   /* O_DIRECT for block devices */
};

/* 1 when the source's reads go past the page cache (a block device opened
 * with SHODO_SOURCE_DIRECT that has not refused an O_DIRECT read; reads
 * the device refuses, or that are not aligned to its logical sector, are
 * made buffered instead). */
int shodo_source_direct(const shodo_source *s);

/* 0 when a device or image file is no longer what was opened: a disk that
 * was disconnected (the kernel sets its size to 0, and its reads end or
 * fail), a file whose disk was (its /sys/dev/block node is gone), or a file
 * or device whose size changed; else 1.  Asked after a
 * read fails or ends early, so that the end of a source is never taken for
 * unreadable sectors. */
int shodo_source_present(shodo_source *s);
/* 1 when the disk holding files of device number dev (a stat's st_dev) was
 * disconnected: its /sys/dev/block node is gone.  0 when it is there, and
 * when it cannot be told (tmpfs or FUSE, no /sys). */
int shodo_disk_gone(dev_t dev);

/* EWF (E01) sets.  shodo_ewf_check() is run before libewf sees a set, because
 * libewf names neither a missing segment nor a truncated one, and a file
 * whose EWF signature is damaged would otherwise be read as a raw image.
 * For a path that looks like EWF (the signature, a name ending .E01 ...,
 * .Ex01, or EWF sections after a damaged signature) it checks every
 * segment's header, number and chain of sections, and that the set is
 * whole (no gap, the last segment ends with a "done" section).  Returns OK
 * (also for a path that is not EWF at all); FAILED when a segment is
 * missing or truncated (the rest can be read: triage reads what it can);
 * FATAL when the file is not a readable segment of the set (damaged
 * signature, another set's segment, a later segment given).  err names the
 * file and says what to do. */
int shodo_ewf_looks_like(const char *path);
shodo_status shodo_ewf_check(const char *path, shodo_err *err);


/* Opens path, detecting E01 (by signature), split raw (.001), a block device
 * or a raw file.  OK; USAGE when no path is given; FATAL with a clear
 * message for directories, missing paths, unreadable files and E01 sets
 * shodo_ewf_check refuses. */
shodo_status shodo_source_open(const char *path, int flags, shodo_source **out, shodo_err *err);
/* A source over caller-owned memory (not copied; must outlive the source). */
shodo_source *shodo_source_memory(const void *buf, uint64_t size, uint32_t sector_size);
ssize_t shodo_source_read_at(shodo_source *s, void *buf, size_t n, uint64_t off);
void shodo_source_advise(shodo_source *s, uint64_t off, uint64_t len);
void shodo_source_close(shodo_source *s);
const char *shodo_source_kind_name(shodo_source_kind k);

/* Helper for libyal/libtsk-style users: reads exactly n bytes unless the end
 * is reached; returns bytes read or -1. */
ssize_t shodo_source_pread_full(shodo_source *s, void *buf, size_t n, uint64_t off);

#endif
