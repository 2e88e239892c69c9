/*
 * Block device discovery.  Everything here only reads: sysfs, the udev
 * database, /proc/self/mountinfo, /proc/cmdline and (through libblkid,
 * opened read-only) the first sectors of each disk and partition for its
 * partition table and file system superblock.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <blkid/blkid.h>
#include <libudev.h>
#include "shodo/buf.h"
#include "shodo/devices.h"
#include "shodo/util.h"

static unsigned long long read_ull(const char *path)
{
	char b[64];
	shodo_read_line(path, b, sizeof(b));
	return strtoull(b, NULL, 10);
}

/* "8:0" -> dev_t */
static unsigned long long parse_devno(const char *s)
{
	unsigned ma, mi;
	if (sscanf(s, "%u:%u", &ma, &mi) != 2)
		return 0;
	return makedev(ma, mi);
}

/* a device and its partitions, as device numbers and kernel names */
#define DEVSET_MAX 64
typedef struct devset {
	int n;
	unsigned long long dev[DEVSET_MAX];
	char name[DEVSET_MAX][64];
} devset;

static void devset_add(devset *s, const char *devfile, const char *name)
{
	char b[64];
	if (s->n >= DEVSET_MAX)
		return;
	shodo_read_line(devfile, b, sizeof(b));
	s->dev[s->n] = parse_devno(b);
	snprintf(s->name[s->n], sizeof(s->name[0]), "%s", name);
	s->n++;
}

static void devset_from_sysdir(devset *s, const char *sysdir, const char *name)
{
	char p[PATH_MAX];
	snprintf(p, sizeof(p), "%s/dev", sysdir);
	devset_add(s, p, name);
	DIR *d = opendir(sysdir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s/partition", sysdir, de->d_name);
		if (access(p, F_OK) != 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s/dev", sysdir, de->d_name);
		devset_add(s, p, de->d_name);
	}
	closedir(d);
}

/* The device and its partitions; with whole_disk, for a partition, the disk
 * that holds it and all of that disk's partitions. */
static int devset_for_rdev(devset *s, unsigned long long rdev, int whole_disk)
{
	char p[PATH_MAX], real[PATH_MAX];
	memset(s, 0, sizeof(*s));
	snprintf(p, sizeof(p), "/sys/dev/block/%u:%u", major(rdev), minor(rdev));
	if (!realpath(p, real))
		return -1;
	snprintf(p, sizeof(p), "%s/partition", real);
	if (whole_disk && access(p, F_OK) == 0) {
		char *sl = strrchr(real, '/');
		if (sl && sl != real)
			*sl = '\0';
	}
	const char *base = strrchr(real, '/');
	devset_from_sysdir(s, real, base ? base + 1 : real);
	return 0;
}

typedef struct mi_ent {
	unsigned long long dev;
	char mountpoint[256];
	char fstype[32];
	char source[128];
	int rw;
} mi_ent;

/* undo mountinfo's octal escapes (\040 for a space) */
static void mi_unescape(char *s)
{
	char *o = s;
	for (char *p = s; *p; p++) {
		if (p[0] == '\\' && p[1] >= '0' && p[1] <= '7' && p[2] >= '0' && p[2] <= '7' && p[3] >= '0' &&
		    p[3] <= '7') {
			*o++ = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
			p += 3;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
}

static int read_mountinfo(mi_ent **out)
{
	FILE *fp = fopen("/proc/self/mountinfo", "re");
	int n = 0;
	size_t cap = 0;
	mi_ent *v = NULL;
	*out = NULL;
	if (!fp)
		return 0;
	char line[4096];
	while (fgets(line, sizeof(line), fp)) {
		char devno[32], mp[1024], opts[256];
		int off = 0;
		if (sscanf(line, "%*d %*d %31s %*s %1023s %255s%n", devno, mp, opts, &off) != 3)
			continue;
		char *dash = strstr(line + off, " - ");
		if (!dash)
			continue;
		char fstype[32] = "", source[1024] = "";
		if (sscanf(dash + 3, "%31s %1023s", fstype, source) < 1)
			continue;
		if (shodo_grow(&v, &cap, (size_t)n + 1) < 0)
			break;
		mi_unescape(mp);
		mi_unescape(source);
		v[n].dev = parse_devno(devno);
		snprintf(v[n].mountpoint, sizeof(v[n].mountpoint), "%s", mp);
		snprintf(v[n].fstype, sizeof(v[n].fstype), "%s", fstype);
		snprintf(v[n].source, sizeof(v[n].source), "%s", source);
		v[n].rw = strncmp(opts, "rw", 2) == 0 && (opts[2] == ',' || opts[2] == '\0');
		n++;
	}
	fclose(fp);
	*out = v;
	return n;
}

/* Does a mount belong to the device set?  By device number, or by source
 * name for FUSE file systems (ntfs-3g mounts report an anonymous device). */
static int mount_matches(const mi_ent *e, const devset *s, int *which)
{
	for (int i = 0; i < s->n; i++) {
		char dn[80];
		snprintf(dn, sizeof(dn), "/dev/%s", s->name[i]);
		if ((s->dev[i] && e->dev == s->dev[i]) || !strcmp(e->source, dn)) {
			if (which)
				*which = i;
			return 1;
		}
	}
	return 0;
}

static void mount_fill(shodo_mount *m, const devset *s, int w, const mi_ent *e)
{
	snprintf(m->partition, sizeof(m->partition), "/dev/%s", s->name[w]);
	snprintf(m->mountpoint, sizeof(m->mountpoint), "%s", e->mountpoint);
	snprintf(m->fstype, sizeof(m->fstype), "%s", e->fstype);
	m->read_write = e->rw;
}

int shodo_device_mounted_rw(unsigned long long rdev, shodo_mount *m)
{
	devset s;
	mi_ent *mi = NULL;
	int found = 0;
	if (devset_for_rdev(&s, rdev, 0) < 0)
		return 0;
	int n = read_mountinfo(&mi);
	for (int i = 0; i < n && !found; i++) {
		int w = 0;
		if (mi[i].rw && mount_matches(&mi[i], &s, &w)) {
			found = 1;
			if (m)
				mount_fill(m, &s, w, &mi[i]);
		}
	}
	free(mi);
	return found;
}

int shodo_path_fuseblk_device(const char *path, char *dev, size_t devsz)
{
	struct stat st, ds;
	mi_ent *mi = NULL;
	int found = 0;
	if (stat(path, &st) < 0)
		return 0;
	int n = read_mountinfo(&mi);
	for (int i = 0; i < n && !found; i++)
		if (mi[i].dev == st.st_dev && !strncmp(mi[i].fstype, "fuseblk", 7) && stat(mi[i].source, &ds) == 0 &&
		    S_ISBLK(ds.st_mode)) {
			snprintf(dev, devsz, "%s", mi[i].source);
			found = 1;
		}
	free(mi);
	return found;
}

void shodo_uncache_fuseblk(const char *path)
{
	char dev[256];
	if (shodo_path_fuseblk_device(path, dev, sizeof(dev)))
		shodo_uncache(dev);
}

int shodo_path_on_device(const char *path, unsigned long long rdev)
{
	char real[PATH_MAX], tmp[PATH_MAX];
	devset s;
	if (devset_for_rdev(&s, rdev, 1) < 0)
		return 0;
	/* the destination may not exist yet: walk up to an existing parent */
	snprintf(tmp, sizeof(tmp), "%s", path);
	while (!realpath(tmp, real)) {
		char *sl = strrchr(tmp, '/');
		if (!sl) {
			snprintf(tmp, sizeof(tmp), ".");
		} else if (sl == tmp) {
			snprintf(tmp, sizeof(tmp), "/");
		} else {
			*sl = '\0';
			continue;
		}
		if (!realpath(tmp, real))
			return 0;
		break;
	}
	struct stat st;
	if (stat(real, &st) == 0)
		for (int i = 0; i < s.n; i++)
			if (s.dev[i] && st.st_dev == s.dev[i])
				return 1;
	/* FUSE and other anonymous devices: find the mount holding the path */
	mi_ent *mi = NULL;
	int n = read_mountinfo(&mi), best = -1;
	size_t bestlen = 0;
	for (int i = 0; i < n; i++) {
		size_t l = strlen(mi[i].mountpoint);
		int prefix = !strncmp(real, mi[i].mountpoint, l) && (real[l] == '/' || real[l] == '\0' || l == 1);
		if (prefix && l >= bestlen) {
			best = i;
			bestlen = l;
		}
	}
	int on = best >= 0 && mount_matches(&mi[best], &s, NULL);
	free(mi);
	return on;
}

static void transport_of(const char *name, const char *sysreal, shodo_device *d)
{
	const char *t = "scsi";
	if (!strncmp(name, "nvme", 4))
		t = "nvme";
	else if (!strncmp(name, "loop", 4))
		t = "loop";
	else if (!strncmp(name, "mmcblk", 6))
		t = "mmc";
	else if (!strncmp(name, "vd", 2) || strstr(sysreal, "/virtio"))
		t = "virtio";
	else if (!strncmp(name, "dm-", 3))
		t = "dm";
	else if (!strncmp(name, "md", 2))
		t = "md";
	else if (strstr(sysreal, "/usb"))
		t = "usb";
	else if (strstr(sysreal, "/ata"))
		t = "sata";
	snprintf(d->transport, sizeof(d->transport), "%s", t);
}

/* udev knows serials the kernel does not show in sysfs (USB, ATA) */
static void udev_fill(const char *name, shodo_device *d)
{
	struct udev *u = udev_new();
	if (!u)
		return;
	struct udev_device *ud = udev_device_new_from_subsystem_sysname(u, "block", name);
	if (ud) {
		const char *v;
		if ((v = udev_device_get_property_value(ud, "ID_SERIAL_SHORT")) && *v)
			snprintf(d->serial, sizeof(d->serial), "%s", v);
		if ((v = udev_device_get_property_value(ud, "ID_MODEL")) && *v && !d->model[0])
			snprintf(d->model, sizeof(d->model), "%s", v);
		if ((v = udev_device_get_property_value(ud, "ID_BUS")) && *v) {
			if (!strcmp(v, "usb"))
				snprintf(d->transport, sizeof(d->transport), "usb");
			else if (!strcmp(v, "ata"))
				snprintf(d->transport, sizeof(d->transport), "sata");
		}
		udev_device_unref(ud);
	}
	udev_unref(u);
}

static void blkid_fill(shodo_device *d)
{
	blkid_probe pr = blkid_new_probe_from_filename(d->path); /* opens read-only */
	if (!pr)
		return;
	blkid_probe_enable_partitions(pr, 1);
	blkid_probe_enable_superblocks(pr, 0);
	if (blkid_do_fullprobe(pr) == 0) {
		blkid_partlist pl = blkid_probe_get_partitions(pr);
		blkid_parttable pt = pl ? blkid_partlist_get_table(pl) : NULL;
		if (pt && blkid_parttable_get_type(pt))
			snprintf(d->partition_table, sizeof(d->partition_table), "%s", blkid_parttable_get_type(pt));
	}
	blkid_free_probe(pr);
}

/* the file system type and label at [off, off+size) of an open disk */
static void blkid_fs(int fd, uint64_t off, uint64_t size, char *type, size_t tn, char *label, size_t ln, char *uuid,
                     size_t un)
{
	blkid_probe pr = blkid_new_probe();
	if (!pr)
		return;
	if (blkid_probe_set_device(pr, fd, (blkid_loff_t)off, (blkid_loff_t)size) == 0) {
		blkid_probe_enable_partitions(pr, 0);
		blkid_probe_enable_superblocks(pr, 1);
		blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE | BLKID_SUBLKS_LABEL | BLKID_SUBLKS_UUID);
		if (blkid_do_safeprobe(pr) == 0) {
			const char *v = NULL;
			if (blkid_probe_lookup_value(pr, "TYPE", &v, NULL) == 0 && v)
				snprintf(type, tn, "%s", v);
			if (blkid_probe_lookup_value(pr, "LABEL", &v, NULL) == 0 && v)
				snprintf(label, ln, "%s", v);
			if (uuid && blkid_probe_lookup_value(pr, "UUID", &v, NULL) == 0 && v)
				snprintf(uuid, un, "%s", v);
		}
	}
	blkid_free_probe(pr);
}

static int cmp_part(const void *a, const void *b)
{
	const shodo_partition *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* Partitions from sysfs (start, size, read-only flag), their file systems
 * from the disk itself through libblkid at each partition's offset, so that
 * no partition device node is needed (containers without udev). */
static void parts_fill(const char *sysreal, shodo_device *d)
{
	char p[PATH_MAX];
	DIR *dir = opendir(sysreal);
	if (dir) {
		struct dirent *de;
		while ((de = readdir(dir)) && d->nparts < SHODO_MAX_PARTITIONS) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(p, sizeof(p), "%s/%s/partition", sysreal, de->d_name);
			if (access(p, F_OK) != 0)
				continue;
			shodo_partition *pt = &d->parts[d->nparts++];
			memset(pt, 0, sizeof(*pt));
			snprintf(pt->name, sizeof(pt->name), "%s", de->d_name);
			snprintf(pt->path, sizeof(pt->path), "/dev/%s", de->d_name);
			snprintf(p, sizeof(p), "%s/%s/start", sysreal, de->d_name);
			pt->start = read_ull(p) * 512ULL;
			snprintf(p, sizeof(p), "%s/%s/size", sysreal, de->d_name);
			pt->size = read_ull(p) * 512ULL;
			snprintf(p, sizeof(p), "%s/%s/ro", sysreal, de->d_name);
			pt->read_only = (int)read_ull(p);
		}
		closedir(dir);
	}
	if (d->nparts > 1)
		qsort(d->parts, (size_t)d->nparts, sizeof(d->parts[0]), cmp_part);
	int fd = open(d->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return;
	for (int i = 0; i < d->nparts; i++) {
		shodo_partition *pt = &d->parts[i];
		/* an extended partition's container is 1 KiB in sysfs: nothing to probe */
		if (pt->size > 4096)
			blkid_fs(fd, pt->start, pt->size, pt->fstype, sizeof(pt->fstype), pt->label, sizeof(pt->label),
			         pt->uuid, sizeof(pt->uuid));
	}
	/* a file system on the whole disk: without a partition table, or a
	 * hybrid ISO (the stick) whose partition table sits inside it */
	if (d->size) {
		char t[32] = "", l[128] = "", u[64] = "";
		blkid_fs(fd, 0, d->size, t, sizeof(t), l, sizeof(l), u, sizeof(u));
		if ((!d->nparts && !d->partition_table[0]) || !strcmp(t, "iso9660")) {
			snprintf(d->fstype, sizeof(d->fstype), "%s", t);
			snprintf(d->label, sizeof(d->label), "%s", l);
			snprintf(d->uuid, sizeof(d->uuid), "%s", u);
		}
	}
	close(fd);
}

/* The UUID of the boot medium's file system as the stick's boot loader
 * names it (shodo.medium=UUID).  SHODO_CMDLINE names another file than
 * /proc/cmdline (tests). */
static void medium_uuid_from_cmdline(char *out, size_t outsz)
{
	const char *path = getenv("SHODO_CMDLINE");
	char line[8192], *save = NULL;
	out[0] = '\0';
	FILE *fp = fopen(path && *path ? path : "/proc/cmdline", "re");
	if (!fp)
		return;
	size_t r = fread(line, 1, sizeof(line) - 1, fp);
	fclose(fp);
	line[r] = '\0';
	for (char *tok = strtok_r(line, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save))
		if (!strncmp(tok, "shodo.medium=", 13) && tok[13])
			snprintf(out, outsz, "%s", tok + 13);
}

/* a loop, ram or zram device that belongs to the running live system: its
 * squashfs (on the stick, or copied to RAM with toram) or memory */
static int is_live_system(const shodo_device *d)
{
	if (!strncmp(d->name, "ram", 3) || !strncmp(d->name, "zram", 4))
		return 1;
	if (strncmp(d->name, "loop", 4) != 0)
		return 0;
	static const char *const live_dirs[] = {"/run/live/", "/lib/live/", "/run/initramfs/", NULL};
	for (int i = 0; live_dirs[i]; i++) {
		size_t l = strlen(live_dirs[i]);
		if (!strncmp(d->backing_file, live_dirs[i], l))
			return 1;
		for (int m = 0; m < d->nmounts; m++)
			if (!strncmp(d->mounts[m].mountpoint, live_dirs[i], l))
				return 1;
	}
	return !strcmp(d->fstype, "squashfs");
}

/* whole-disk flags: boot medium by UUID, live system, case volume */
static void disk_flags(shodo_device *d)
{
	char medium[128];
	medium_uuid_from_cmdline(medium, sizeof(medium));
	if (medium[0]) {
		if (!strcmp(d->uuid, medium))
			d->boot_medium = 1;
		for (int i = 0; i < d->nparts; i++)
			if (!strcmp(d->parts[i].uuid, medium))
				d->boot_medium = 1;
	}
	d->live_system = is_live_system(d);
	if (!strcmp(d->label, SHODO_CASES_LABEL))
		d->cases_volume = 1;
	for (int i = 0; i < d->nparts; i++)
		if (!strcmp(d->parts[i].label, SHODO_CASES_LABEL))
			d->cases_volume = 1;
}

static int is_boot_mountpoint(const char *mp)
{
	static const char *const boot[] = {"/", "/run/live/medium", "/lib/live/mount/medium", "/boot",
	                                   "/boot/efi", NULL};
	for (int i = 0; boot[i]; i++)
		if (!strcmp(mp, boot[i]))
			return 1;
	return 0;
}

static void fill_from_sys(const char *sysdir, const char *name, shodo_device *d, const mi_ent *mi, int nmi)
{
	char p[PATH_MAX], real[PATH_MAX] = "", disk[PATH_MAX], b[128];
	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "%s", name);
	snprintf(d->path, sizeof(d->path), "/dev/%s", name);
	if (!realpath(sysdir, real))
		snprintf(real, sizeof(real), "%s", sysdir);
	snprintf(p, sizeof(p), "%s/partition", real);
	int is_part = access(p, F_OK) == 0;
	/* queue/ and device/ live on the whole disk */
	snprintf(disk, sizeof(disk), "%s", real);
	if (is_part) {
		char *sl = strrchr(disk, '/');
		if (sl)
			*sl = '\0';
	}
	snprintf(p, sizeof(p), "%s/size", real);
	d->size = read_ull(p) * 512ULL; /* sysfs counts 512-byte units always */
	snprintf(p, sizeof(p), "%s/queue/logical_block_size", disk);
	d->logical_sector = (uint32_t)read_ull(p);
	snprintf(p, sizeof(p), "%s/queue/physical_block_size", disk);
	d->physical_sector = (uint32_t)read_ull(p);
	if (!d->logical_sector)
		d->logical_sector = 512;
	if (!d->physical_sector)
		d->physical_sector = d->logical_sector;
	snprintf(p, sizeof(p), "%s/removable", disk);
	d->removable = (int)read_ull(p);
	snprintf(p, sizeof(p), "%s/ro", real);
	d->read_only = (int)read_ull(p);
	snprintf(p, sizeof(p), "%s/device/model", disk);
	shodo_read_line(p, d->model, sizeof(d->model));
	snprintf(p, sizeof(p), "%s/device/vendor", disk);
	shodo_read_line(p, b, sizeof(b));
	if (b[0] && d->model[0] && strncmp(d->model, b, strlen(b)) != 0) {
		char m[300];
		snprintf(m, sizeof(m), "%s %s", b, d->model);
		snprintf(d->model, sizeof(d->model), "%s", m);
	}
	static const char *const serial_files[] = {"device/serial", "serial", "device/wwid", NULL};
	for (int i = 0; serial_files[i] && !d->serial[0]; i++) {
		snprintf(p, sizeof(p), "%s/%s", disk, serial_files[i]);
		shodo_read_line(p, d->serial, sizeof(d->serial));
	}
	snprintf(p, sizeof(p), "%s/loop/backing_file", real);
	shodo_read_line(p, d->backing_file, sizeof(d->backing_file));
	transport_of(name, real, d);
	udev_fill(name, d);

	devset s = {0};
	devset_from_sysdir(&s, real, name);
	d->npartitions = s.n > 0 ? s.n - 1 : 0;
	for (int i = 0; i < nmi; i++) {
		int w = 0;
		if (!mount_matches(&mi[i], &s, &w))
			continue;
		if (is_boot_mountpoint(mi[i].mountpoint))
			d->boot_medium = 1;
		if (d->nmounts < (int)(sizeof(d->mounts) / sizeof(d->mounts[0])))
			mount_fill(&d->mounts[d->nmounts++], &s, w, &mi[i]);
	}
	if (!is_part) {
		blkid_fill(d);
		parts_fill(real, d);
		disk_flags(d);
		return;
	}
	/* a partition: its own file system; the boot medium and the live
	 * system are properties of its disk */
	int fd = open(d->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd >= 0) {
		blkid_fs(fd, 0, d->size, d->fstype, sizeof(d->fstype), d->label, sizeof(d->label), d->uuid,
		         sizeof(d->uuid));
		close(fd);
	}
	d->cases_volume = !strcmp(d->label, SHODO_CASES_LABEL);
	shodo_device *parent = calloc(1, sizeof(*parent));
	if (parent) {
		const char *sl = strrchr(disk, '/');
		fill_from_sys(disk, sl ? sl + 1 : disk, parent, mi, nmi);
		d->boot_medium |= parent->boot_medium;
		d->live_system = parent->live_system;
		free(parent);
	}
}

static int skip_device(const char *name)
{
	return !strncmp(name, "ram", 3) || !strncmp(name, "zram", 4) || name[0] == '.';
}

int shodo_device_is_source_candidate(const shodo_device *d)
{
	return !d->boot_medium && !d->live_system;
}

/* source candidates first, so that a front end's first choice is never the
 * stick or the live system's squashfs */
static int cmp_dev(const void *a, const void *b)
{
	const shodo_device *x = a, *y = b;
	int cx = shodo_device_is_source_candidate(x), cy = shodo_device_is_source_candidate(y);
	if (cx != cy)
		return cy - cx;
	return strcmp(x->name, y->name);
}

shodo_status shodo_devices_list(shodo_device **out, int *n, shodo_err *err)
{
	*out = NULL;
	*n = 0;
	DIR *dir = opendir("/sys/block");
	if (!dir)
		return shodo_err_set(err, SHODO_FATAL, errno, "cannot list block devices in '/sys/block'");
	mi_ent *mi = NULL;
	int nmi = read_mountinfo(&mi);
	size_t cap = 0;
	shodo_device *v = NULL;
	struct dirent *de;
	while ((de = readdir(dir))) {
		if (skip_device(de->d_name))
			continue;
		char sysdir[PATH_MAX];
		snprintf(sysdir, sizeof(sysdir), "/sys/block/%s", de->d_name);
		if (shodo_grow(&v, &cap, (size_t)*n + 1) < 0)
			break;
		fill_from_sys(sysdir, de->d_name, &v[*n], mi, nmi);
		/* an unattached loop device has nothing to image */
		if (!strncmp(de->d_name, "loop", 4) && v[*n].size == 0)
			continue;
		(*n)++;
	}
	closedir(dir);
	free(mi);
	if (*n > 1)
		qsort(v, (size_t)*n, sizeof(*v), cmp_dev);
	*out = v;
	return SHODO_OK;
}

shodo_status shodo_device_probe(const char *path, shodo_device *d, shodo_err *err)
{
	struct stat st;
	char sysdir[PATH_MAX], real[PATH_MAX];
	if (stat(path, &st) < 0)
		return shodo_err_set(err, SHODO_FATAL, errno, "cannot examine '%s'", path);
	if (!S_ISBLK(st.st_mode))
		return shodo_err_set(err, SHODO_FATAL, 0, "cannot examine '%s': not a block device", path);
	snprintf(sysdir, sizeof(sysdir), "/sys/dev/block/%u:%u", major(st.st_rdev), minor(st.st_rdev));
	if (!realpath(sysdir, real))
		return shodo_err_set(err, SHODO_FATAL, errno, "cannot examine '%s'", path);
	const char *name = strrchr(real, '/') + 1;
	mi_ent *mi = NULL;
	int nmi = read_mountinfo(&mi);
	fill_from_sys(real, name, d, mi, nmi);
	free(mi);
	return SHODO_OK;
}

json_t *shodo_device_json(const shodo_device *d)
{
	json_t *mounts = json_array();
	for (int i = 0; i < d->nmounts; i++)
		json_array_append_new(mounts, json_pack("{s:s, s:s, s:s, s:b}", "partition", d->mounts[i].partition,
		                                        "mountpoint", d->mounts[i].mountpoint, "fstype",
		                                        d->mounts[i].fstype, "read_write", d->mounts[i].read_write));
	json_t *o = json_pack("{s:s, s:I, s:i, s:i, s:s, s:s, s:s, s:b, s:b, s:s, s:i, s:o, s:b}",
	                      "path", d->path, "size", (json_int_t)d->size,
	                      "logical_sector_size", (int)d->logical_sector,
	                      "physical_sector_size", (int)d->physical_sector, "model", d->model,
	                      "serial", d->serial, "transport", d->transport, "removable", d->removable,
	                      "read_only", d->read_only, "partition_table", d->partition_table,
	                      "partitions", d->npartitions, "mounts", mounts, "boot_medium", d->boot_medium);
	if (o) {
		json_object_set_new(o, "live_system", json_boolean(d->live_system));
		json_object_set_new(o, "cases_volume", json_boolean(d->cases_volume));
		json_object_set_new(o, "source_candidate", json_boolean(shodo_device_is_source_candidate(d)));
	}
	json_t *parts = json_array();
	for (int i = 0; i < d->nparts; i++) {
		const shodo_partition *p = &d->parts[i];
		json_array_append_new(parts, json_pack("{s:s, s:s, s:I, s:I, s:s, s:s, s:s, s:b}", "name", p->name, "path",
		                                       p->path, "start", (json_int_t)p->start, "size", (json_int_t)p->size,
		                                       "fstype", p->fstype, "label", p->label, "uuid", p->uuid,
		                                       "read_only", p->read_only));
	}
	if (o)
		json_object_set_new(o, "partition_list", parts);
	else
		json_decref(parts);
	if (o && d->fstype[0]) {
		json_object_set_new(o, "fstype", json_string(d->fstype));
		json_object_set_new(o, "label", json_string(d->label));
		json_object_set_new(o, "uuid", json_string(d->uuid));
	}
	if (o && d->backing_file[0])
		json_object_set_new(o, "backing_file", json_string(d->backing_file));
	return o;
}
