/*
 * Destinations for a case folder: the file systems of the block devices
 * (from shodo_devices_list: partitions with their type and label, mounts),
 * free space through statvfs, and the two deliberate steps on the stick:
 * mount(2) of a SHODO_CASES volume, BLKROSET to make a destination disk
 * writable.  Nothing here writes to a disk except the kernel flag and the
 * mount the caller asked for.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include <linux/fs.h>
#include "shodo/buf.h"
#include "shodo/dest.h"
#include "shodo/devices.h"
#include "shodo/util.h"

/* file systems a case folder can be written to (by the kernel) */
static int writable_fstype(const char *t)
{
	static const char *const ok[] = {"ext2", "ext3", "ext4", "xfs", "btrfs", "vfat", "exfat", "ntfs", "f2fs", NULL};
	for (int i = 0; ok[i]; i++)
		if (!strcmp(t, ok[i]))
			return 1;
	return 0;
}

/* statvfs of path, or of its nearest existing parent (a case folder may
 * not exist yet), whose path is left in p */
static int nearest(const char *path, char *p, size_t n, struct statvfs *sv)
{
	snprintf(p, n, "%s", path && *path ? path : ".");
	for (;;) {
		if (statvfs(p, sv) == 0)
			return 0;
		if (errno != ENOENT && errno != ENOTDIR)
			return -1;
		char *sl = strrchr(p, '/');
		if (!sl)
			snprintf(p, n, ".");
		else if (sl == p)
			p[1] = '\0';
		else
			*sl = '\0';
	}
}

int shodo_dest_nearest(const char *path, char *dir, size_t n)
{
	struct statvfs sv;
	return nearest(path, dir, n, &sv);
}

int shodo_dest_space(const char *path, uint64_t *avail, uint64_t *total)
{
	char p[PATH_MAX];
	struct statvfs sv;
	if (nearest(path, p, sizeof(p), &sv) < 0)
		return -1;
	if (avail)
		*avail = (uint64_t)sv.f_bavail * sv.f_frsize;
	if (total)
		*total = (uint64_t)sv.f_blocks * sv.f_frsize;
	return 0;
}

#define MSDOS_SUPER_MAGIC 0x4d44
uint64_t shodo_dest_max_file(const char *path)
{
	char p[PATH_MAX];
	struct statvfs sv;
	struct statfs fs;
	if (nearest(path, p, sizeof(p), &sv) == 0 && statfs(p, &fs) == 0 && fs.f_type == MSDOS_SUPER_MAGIC)
		return SHODO_FAT_FILE_MAX;
	return 0;
}

static void add_dest(shodo_dest **v, int *n, size_t *cap, const shodo_device *d, const char *part, uint64_t size,
                     const char *fstype, const char *label, int ro)
{
	if (shodo_grow(v, cap, (size_t)*n + 1) < 0)
		return;
	shodo_dest *e = &(*v)[*n];
	memset(e, 0, sizeof(*e));
	snprintf(e->partition, sizeof(e->partition), "%s", part);
	snprintf(e->disk, sizeof(e->disk), "%s", d->path);
	snprintf(e->model, sizeof(e->model), "%s", d->model);
	snprintf(e->serial, sizeof(e->serial), "%s", d->serial);
	snprintf(e->fstype, sizeof(e->fstype), "%s", fstype);
	snprintf(e->label, sizeof(e->label), "%s", label);
	e->size = size;
	e->cases_label = !strcmp(label, SHODO_CASES_LABEL);
	e->on_boot_medium = d->boot_medium;
	e->read_only = ro || d->read_only;
	for (int m = 0; m < d->nmounts; m++) {
		if (strcmp(d->mounts[m].partition, part))
			continue;
		if (d->mounts[m].read_write && !e->mounted_rw) {
			e->mounted_rw = 1;
			snprintf(e->mountpoint, sizeof(e->mountpoint), "%s", d->mounts[m].mountpoint);
		} else if (!e->mountpoint[0]) {
			e->mounted_ro = 1;
			snprintf(e->mountpoint, sizeof(e->mountpoint), "%s", d->mounts[m].mountpoint);
		}
	}
	if (e->mounted_rw)
		e->mounted_ro = 0;
	/* the boot medium: only its SHODO_CASES volume; mounted read-only: not a destination */
	if ((e->on_boot_medium && !e->cases_label) || (e->mounted_ro && !e->mounted_rw))
		return;
	if (!e->mounted_rw && !writable_fstype(e->fstype))
		return;
	if (e->mounted_rw)
		shodo_dest_space(e->mountpoint, &e->avail, &e->total);
	(*n)++;
}

shodo_status shodo_dest_list(shodo_dest **out, int *n, shodo_err *err)
{
	shodo_device *devs = NULL;
	int nd = 0;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	shodo_status st = shodo_devices_list(&devs, &nd, err);
	if (st != SHODO_OK)
		return st;
	for (int i = 0; i < nd; i++) {
		const shodo_device *d = &devs[i];
		for (int k = 0; k < d->nparts; k++)
			add_dest(out, n, &cap, d, d->parts[k].path, d->parts[k].size, d->parts[k].fstype, d->parts[k].label,
			         d->parts[k].read_only);
		if (!d->nparts && (d->fstype[0] || d->nmounts))
			add_dest(out, n, &cap, d, d->path, d->size, d->fstype[0] ? d->fstype : (d->nmounts ? d->mounts[0].fstype : ""),
			         d->label, 0);
	}
	free(devs);
	return SHODO_OK;
}

static int kernel_has_fs(const char *name)
{
	FILE *fp = fopen("/proc/filesystems", "re");
	char line[128];
	int found = 0;
	if (!fp)
		return 0;
	while (!found && fgets(line, sizeof(line), fp)) {
		char *t = strrchr(line, '\t');
		t = t ? t + 1 : line;
		t[strcspn(t, "\n")] = '\0';
		found = !strcmp(t, name);
	}
	fclose(fp);
	return found;
}

shodo_status shodo_dest_mount(const shodo_dest *d, const char *base, char *mountpoint, size_t n, shodo_err *err)
{
	char mp[PATH_MAX];
	const char *name = strrchr(d->partition, '/');
	name = name ? name + 1 : d->partition;
	if (d->mounted_rw) {
		snprintf(mountpoint, n, "%s", d->mountpoint);
		return SHODO_OK;
	}
	if (d->mountpoint[0])
		return shodo_err_set(err, SHODO_FATAL, 0, "'%s' is mounted read-only at '%s'", d->partition, d->mountpoint);
	if (d->read_only) {
		shodo_status st = shodo_err_set(err, SHODO_FATAL, 0, "'%s' is write-protected by the kernel", d->partition);
		shodo_err_hint(err, "make the disk writable first, on purpose");
		return st;
	}
	const char *fs = d->fstype, *opts = NULL;
	if (!strcmp(fs, "ntfs")) {
		if (!kernel_has_fs("ntfs3")) {
			shodo_status st = shodo_err_set(err, SHODO_FATAL, 0, "cannot mount the NTFS volume '%s': the kernel "
			                                "has no NTFS driver", d->partition);
			shodo_err_hint(err, "mount it by hand (ntfs-3g %s /mnt) and choose that folder", d->partition);
			return st;
		}
		fs = "ntfs3";
		opts = "umask=077";
	} else if (!strcmp(fs, "vfat") || !strcmp(fs, "exfat")) {
		opts = "umask=077";
	} else if (!writable_fstype(fs)) {
		return shodo_err_set(err, SHODO_FATAL, 0, "'%s' holds no file system a case folder can be written to",
		                     d->partition);
	}
	if (shodo_snprintf(mp, sizeof(mp), "%s/%s", base ? base : "/run/shodo/mnt", name) < 0)
		return shodo_err_set(err, SHODO_FATAL, ENAMETOOLONG, "cannot mount '%s'", d->partition);
	if (shodo_mkdirs(mp, 0700) < 0)
		return shodo_err_set(err, SHODO_FATAL, errno, "cannot create the mount point '%s'", mp);
	if (mount(d->partition, mp, fs, MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME, opts) < 0) {
		int e = errno;
		rmdir(mp);
		return shodo_err_set(err, SHODO_FATAL, e, "cannot mount '%s' (%s) at '%s'", d->partition, d->fstype, mp);
	}
	snprintf(mountpoint, n, "%s", mp);
	return SHODO_OK;
}

static int set_rw(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -1;
	int zero = 0, r = ioctl(fd, BLKROSET, &zero);
	int e = errno;
	close(fd);
	errno = e;
	return r;
}

shodo_status shodo_dest_unlock(const char *disk, const char *who, const char *log, shodo_err *err)
{
	shodo_device d;
	shodo_status st = shodo_device_probe(disk, &d, err);
	if (st != SHODO_OK)
		return st;
	if (d.boot_medium)
		return shodo_err_set(err, SHODO_USAGE, 0, "'%s' holds the running system; it is never made writable",
		                     disk);
	if (d.nmounts) {
		st = shodo_err_set(err, SHODO_USAGE, 0, "'%s' has a mounted file system (%s on '%s')", disk,
		                   d.mounts[0].partition, d.mounts[0].mountpoint);
		shodo_err_hint(err, "unmount it first");
		return st;
	}
	if (set_rw(d.path) < 0)
		return shodo_err_set(err, SHODO_FATAL, errno, "cannot make '%s' writable", d.path);
	for (int i = 0; i < d.nparts; i++)
		if (set_rw(d.parts[i].path) < 0)
			return shodo_err_set(err, SHODO_FATAL, errno, "cannot make '%s' writable", d.parts[i].path);
	const char *lp = log ? log : "/run/shodo/readonly.log";
	char dir[PATH_MAX], now[32];
	snprintf(dir, sizeof(dir), "%s", lp);
	char *sl = strrchr(dir, '/');
	if (sl && sl != dir) {
		*sl = '\0';
		shodo_mkdirs(dir, 0755);
	}
	FILE *fp = fopen(lp, "ae");
	if (!fp)
		return shodo_err_set(err, SHODO_WARN, errno, "'%s' is writable, but the decision could not be logged in '%s'",
		                     d.path, lp);
	fprintf(fp, "%s %s made writable by %s (model '%s', serial '%s', %llu bytes)\n", shodo_now_iso(now), d.name,
	        who && *who ? who : "shodo", d.model, d.serial, (unsigned long long)d.size);
	fclose(fp);
	return SHODO_OK;
}
