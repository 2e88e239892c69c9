/*
 * shodo/dest.h — where a case folder can go, before anything is written.
 *
 * The file systems that could take a case folder (mounted read-write, with
 * their free space, or not mounted yet), volumes labelled SHODO_CASES (the
 * stick's own case partition and prepared destination drives), and the
 * deliberate steps a responder takes on the stick: mounting such a volume,
 * and making one other disk writable in the kernel (what the stick's
 * shodo-unlock does).  Sources are never offered: the caller leaves out the
 * disks it reads from; the boot medium is left out here except for a
 * SHODO_CASES volume on it.
 */
#ifndef SHODO_DEST_H
#define SHODO_DEST_H

#include <stddef.h>
#include <stdint.h>
#include "shodo/devices.h"
#include "shodo/status.h"


typedef struct shodo_dest {
	char partition[80];    /* "/dev/sdb1", or the whole disk when it has no partition table */
	char disk[80];         /* "/dev/sdb" */
	char model[128], serial[128];
	char fstype[32], label[128];
	char mountpoint[256];  /* "" when not mounted */
	uint64_t size;         /* bytes of the file system's partition */
	uint64_t avail, total; /* free and total bytes of the mounted file system (0 when not mounted) */
	int mounted_rw;        /* mounted read-write */
	int mounted_ro;        /* mounted, but read-only */
	int cases_label;       /* labelled SHODO_CASES */
	int on_boot_medium;
	int read_only;         /* the kernel refuses writes to the partition or its disk */
} shodo_dest;

/* Lists every file system on a block device that could take a case folder:
 * those mounted read-write and those not mounted at all (with a file system
 * libblkid knows).  *out is malloc'ed (free it). */
shodo_status shodo_dest_list(shodo_dest **out, int *n, shodo_err *err);

/* Free (for an unprivileged writer as for root: f_bavail) and total bytes of
 * the file system holding path, or of its nearest existing parent.  0 ok,
 * -1 with errno. */
int shodo_dest_space(const char *path, uint64_t *avail, uint64_t *total);
/* The nearest existing folder of path (path itself when it exists) in dir,
 * the one shodo_dest_space measures.  0 ok, -1 with errno. */
int shodo_dest_nearest(const char *path, char *dir, size_t n);

/* The largest file the file system holding path (or its nearest existing
 * parent) can keep when that is less than a file may be: FAT (vfat, msdos),
 * 4 GiB - 1 byte.  0: no such limit. */
#define SHODO_FAT_FILE_MAX 0xffffffffull
uint64_t shodo_dest_max_file(const char *path);

/* Mounts an unmounted destination read-write (nodev, nosuid, noexec) under
 * base (NULL: /run/shodo/mnt) in a folder named after the partition, and
 * returns the mount point.  Refused for a read-only partition (unlock it
 * first) and for file systems the kernel cannot write. */
shodo_status shodo_dest_mount(const shodo_dest *d, const char *base, char *mountpoint, size_t n, shodo_err *err);

/* Makes a disk and its partitions writable in the kernel (BLKROSET 0, as
 * `blockdev --setrw`), the deliberate step for a destination that is not
 * labelled SHODO_CASES.  Refused for the boot medium and for a disk with a
 * mounted partition.  The decision is appended, with who and the disk's
 * model and serial, to log (NULL: /run/shodo/readonly.log). */
shodo_status shodo_dest_unlock(const char *disk, const char *who, const char *log, shodo_err *err);

#endif
