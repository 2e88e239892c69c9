/*
 * shodo/devices.h — block devices as an examiner needs to see them before
 * touching anything: size, sector sizes, model, serial, transport,
 * removable and read-only flags, partition table, what is mounted and
 * whether the device is the medium shodo itself booted from.
 *
 * Sources: sysfs (/sys/block), libblkid (partition table, and the file
 * system type, label and UUID of each partition), libudev (model,
 * serial and bus when udev runs; sysfs otherwise), /proc/self/mountinfo,
 * /proc/cmdline.
 *
 * The boot medium is found three ways, so that it is flagged also when the
 * live system was copied to RAM (`toram`) and the stick is no longer
 * mounted: a file system whose UUID the boot loader names on the kernel
 * command line (`shodo.medium=UUID`, written by the stick's build), the
 * device live-boot mounted (/run/live/medium), or the device holding / or
 * /boot.  Loop, ram and zram devices of the running live system (its
 * squashfs, its copy in RAM) are flagged live_system.  Neither is ever
 * offered as a source (shodo_device_is_source_candidate).
 */
#ifndef SHODO_DEVICES_H
#define SHODO_DEVICES_H

#include <stdint.h>
#include <jansson.h>
#include "shodo/status.h"

typedef struct shodo_mount {
	char partition[64];    /* e.g. "/dev/sda1" */
	char mountpoint[256];
	char fstype[32];
	int read_write;
} shodo_mount;

/* A partition (or, for a disk without a partition table, the file system on
 * the whole disk) as libblkid sees it: read from the disk, read-only. */
typedef struct shodo_partition {
	char name[64];         /* "sda1" */
	char path[80];         /* "/dev/sda1" */
	uint64_t start, size;  /* bytes from the start of the disk */
	char fstype[32];       /* libblkid's TYPE: "ntfs", "vfat", "ext4", "BitLocker", "" unknown */
	char label[128];       /* file system label, "" when none */
	char uuid[64];
	int read_only;         /* the kernel's read-only flag of the partition */
} shodo_partition;

#define SHODO_MAX_PARTITIONS 32
#define SHODO_CASES_LABEL "SHODO_CASES"

typedef struct shodo_device {
	char name[64];         /* "sda" */
	char path[80];         /* "/dev/sda" */
	uint64_t size;
	uint32_t logical_sector, physical_sector;
	char model[128], serial[128];
	char transport[16];    /* usb, sata, nvme, virtio, scsi, mmc, loop, ... */
	int removable, read_only;
	char partition_table[16];  /* "dos", "gpt", "" */
	int npartitions;
	int nmounts;
	shodo_mount mounts[16];
	int boot_medium;       /* the medium the running system booted from (see above); for a
	                          partition: its disk is */
	int live_system;       /* a loop/ram/zram device of the running live system (squashfs) */
	int cases_volume;      /* it, or one of its partitions, holds a file system labelled
	                          SHODO_CASES: a prepared destination or the stick's case partition */
	char backing_file[256];/* loop devices */
	int nparts;            /* entries in parts (at most SHODO_MAX_PARTITIONS) */
	shodo_partition parts[SHODO_MAX_PARTITIONS];
	char fstype[32], label[128];  /* a file system on the whole disk (no partition table, or a
	                                 hybrid ISO such as the stick); for a partition: its own */
	char uuid[64];
} shodo_device;

/* Lists whole-disk block devices (skipping ram/zram/empty loop devices),
 * source candidates first, then the boot medium and live-system devices, each
 * group by name.  *out is malloc'ed (free it); *n the count.  OK, or FATAL
 * when /sys/block cannot be read or memory runs out. */
shodo_status shodo_devices_list(shodo_device **out, int *n, shodo_err *err);
/* Fills d for one device path (whole disk or partition).  OK, or FATAL
 * when it is no block device shodo can describe. */
shodo_status shodo_device_probe(const char *path, shodo_device *d, shodo_err *err);
json_t *shodo_device_json(const shodo_device *d);
/* 1 when the device may be offered as evidence: not the boot medium, not a
 * device of the live system. */
int shodo_device_is_source_candidate(const shodo_device *d);

/* Mount checks used before acquisition: is any partition of the block device
 * with this dev_t (or the device itself) mounted read-write?  Fills the
 * first such mount into m when m is not NULL.  Returns 1 yes, 0 no. */
int shodo_device_mounted_rw(unsigned long long rdev, shodo_mount *m);
/* 1 when the file system holding path lives on block device rdev or on the
 * disk that holds it (any of its partitions): a case folder on the second
 * partition of the disk whose first is the source still writes onto the
 * evidence. */
int shodo_path_on_device(const char *path, unsigned long long rdev);
/* When path lies on a FUSE file system that runs on a block device
 * (fuseblk: ntfs-3g, exfat-fuse), that device's path into dev and 1; else
 * 0.  Such a file system reads and writes the device through the device's
 * own page cache, which dropping a file's pages does not touch. */
int shodo_path_fuseblk_device(const char *path, char *dev, size_t devsz);
/* shodo_uncache() of that device, when path lies on such a file system
 * (dropping a file's pages leaves its data in the device's page cache). */
void shodo_uncache_fuseblk(const char *path);

#endif
