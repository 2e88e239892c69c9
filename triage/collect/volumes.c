/*
 * Sources and volumes through libtsk.
 *
 * A source is opened with libtsk's image layer (raw, split raw found from the
 * first segment, E01 through libewf with its segments found from the first,
 * block devices).  Its volumes come from the partition table (MBR, GPT, ...)
 * when libtsk finds one, else the whole source is one volume.  Every
 * allocated partition is tried; one that holds BitLocker or nothing libtsk can
 * read is kept in the list with its status and the reason, never dropped.
 *
 * Labels: "p<N>@<offset>" where N counts the allocated partitions in table
 * order (as mmls lists them) from 1 and offset is the byte offset of the
 * volume in the source; "fs@0" for a file system without a partition table;
 * "s<N>@<offset>" for a volume found by its boot sector where neither a
 * partition table nor a file system at offset 0 is left.
 * Sources after the first prefix "d<K>." (K from 2) so that labels stay
 * unique when a host's disks are triaged together.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/fs.h>
#include <libewf.h>
#include "collect.h"
#include "shodo/buf.h"
#include "shodo/source.h"

const char *tsk_msg(char *out, size_t outsz)
{
	const char *m = tsk_error_get();
	snprintf(out, outsz, "%s", m && *m ? m : "unknown libtsk error");
	/* libtsk messages can end with a newline and hold several lines */
	for (char *p = out; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = *(p + 1) ? ' ' : '\0';
	tsk_error_reset();
	return out;
}

/* 1 when libewf finds the E01's segment files incomplete or corrupt */
static int ewf_damaged(const char *path)
{
	char **names = NULL;
	int n = 0, bad = 1;
	libewf_handle_t *h = NULL;
	if (libewf_glob(path, strlen(path), LIBEWF_FORMAT_UNKNOWN, &names, &n, NULL) != 1)
		return 1;
	if (libewf_handle_initialize(&h, NULL) == 1) {
		if (libewf_handle_open(h, names, n, LIBEWF_OPEN_READ, NULL) == 1) {
			bad = libewf_handle_segment_files_corrupted(h, NULL) != 0;
			libewf_handle_close(h, NULL);
		}
		libewf_handle_free(&h, NULL);
	}
	libewf_glob_free(names, n, NULL);
	return bad;
}

/* A block device's logical sector size, or 0 (libtsk's default of 512, or
 * what an E01 records).  libtsk does not ask the device: on a disk with
 * 4 KiB sectors it read an MBR's partition starts as 512-byte sectors and
 * found no file system. */
static unsigned device_sector_size(const char *path)
{
	struct stat st;
	int ss = 0;
	if (stat(path, &st) < 0 || !S_ISBLK(st.st_mode))
		return 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return 0;
	if (ioctl(fd, BLKSSZGET, &ss) < 0 || ss < 512)
		ss = 0;
	close(fd);
	return (unsigned)ss;
}

static TSK_IMG_INFO *img_open(const char *path)
{
	const char *imgs[1] = {path};
	tsk_error_reset();
	return tsk_img_open_utf8(1, imgs, TSK_IMG_TYPE_DETECT, device_sector_size(path));
}

void col_source_open(col_source *s, const char *path)
{
	memset(s, 0, sizeof(*s));
	s->path = path;
	s->img = img_open(path);
	if (!s->img) {
		char m[400];
		snprintf(s->error, sizeof(s->error), "cannot open '%s': %s", path, tsk_msg(m, sizeof(m)));
		return;
	}
	s->opened = 1;
	s->size = s->img->size > 0 ? (uint64_t)s->img->size : 0;
	struct stat st;
	s->device = stat(path, &st) == 0 && S_ISBLK(st.st_mode);
	snprintf(s->type, sizeof(s->type), "%s", tsk_img_type_toname(s->img->itype));
	/* libtsk reads an E01 whose segments are missing or cut short without a
	 * word (the missing chunks read as zeros); libewf knows */
	if (s->img->itype == TSK_IMG_TYPE_EWF_EWF && ewf_damaged(path)) {
		/* shodo_ewf_check names the segment and says what to do */
		shodo_err e;
		shodo_err_clear(&e);
		if (shodo_ewf_check(path, &e) != SHODO_OK)
			snprintf(s->warning, sizeof(s->warning),
			         "segment files missing or damaged: %s; what can be read is triaged, and files in the "
			         "missing parts may read as zeros (%s)", e.msg, e.hint);
		else
			snprintf(s->warning, sizeof(s->warning),
			         "'%s': segment files missing or damaged (libewf); what can be read is triaged, and "
			         "files in the missing parts may read as zeros",
			         path);
	}
}

int col_source_present(const col_source *s)
{
	if (!s->device) {
		/* an image file on a disk that was disconnected: the file is still
		 * there (its inode is in memory), the disk's /sys/dev/block node
		 * is not (file systems without a disk of their own have major 0) */
		struct stat st;
		if (!s->opened)
			return 1;
		if (stat(s->path, &st) < 0)
			return errno != ENOENT && errno != EIO;
		return !shodo_disk_gone(st.st_dev);
	}
	uint64_t size = 0;
	int fd = open(s->path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return 0;
	int ok = ioctl(fd, BLKGETSIZE64, &size) == 0 && size == s->size;
	close(fd);
	return ok;
}

TSK_IMG_INFO *col_source_reopen(const col_source *s)
{
	return img_open(s->path);
}

void col_source_close(col_source *s)
{
	if (s->img)
		tsk_img_close(s->img);
	s->img = NULL;
}

void col_volume_close(col_volume *v)
{
	if (v->fs)
		tsk_fs_close(v->fs);
	v->fs = NULL;
}

static col_volume *add(col_volume **vols, size_t *n, size_t *cap)
{
	if (shodo_grow(vols, cap, *n + 1) < 0)
		return NULL;
	col_volume *v = &(*vols)[(*n)++];
	memset(v, 0, sizeof(*v));
	return v;
}

/* The file systems a partition's type or a boot sector suggests, most likely
 * first (TSK_FS_TYPE_UNSUPP ends the list). */
static void suggested(const col_volume *v, const unsigned char *b, size_t n, TSK_FS_TYPE_ENUM out[4], char *why,
                      size_t whysz)
{
	int k = 0;
	why[0] = '\0';
	const char *d = v->desc, *boot = NULL, *part = NULL;
	if (n >= 11 && !memcmp(b + 3, "NTFS    ", 8)) {
		boot = "NTFS";
		out[k++] = TSK_FS_TYPE_NTFS;
	} else if (n >= 11 && !memcmp(b + 3, "EXFAT   ", 8)) {
		boot = "exFAT";
		out[k++] = TSK_FS_TYPE_EXFAT;
	}
	if (strstr(d, "0x07") || strstr(d, "NTFS") || strstr(d, "Basic data") || strstr(d, "Microsoft")) {
		part = "NTFS, exFAT or FAT";
		if (!boot) {
			out[k++] = TSK_FS_TYPE_NTFS;
			out[k++] = TSK_FS_TYPE_EXFAT;
			out[k++] = TSK_FS_TYPE_FAT_DETECT;
		}
	} else if (strstr(d, "FAT") || strstr(d, "0x0b") || strstr(d, "0x0c") || strstr(d, "0x0e") ||
	           strstr(d, "0x06") || strstr(d, "0x04") || strstr(d, "0x01)")) {
		part = "FAT";
		if (!boot)
			out[k++] = TSK_FS_TYPE_FAT_DETECT;
	} else if (strstr(d, "0x83") || strstr(d, "Linux")) {
		part = "ext2/3/4";
		if (!boot)
			out[k++] = TSK_FS_TYPE_EXT_DETECT;
	}
	if (part && boot)
		snprintf(why, whysz, "the partition type (%s) suggests %s and the boot sector names %s", d, part, boot);
	else if (part)
		snprintf(why, whysz, "the partition type (%s) suggests %s", d, part);
	else if (boot)
		snprintf(why, whysz, "the boot sector names %s", boot);
	out[k] = TSK_FS_TYPE_UNSUPP;
}

typedef struct probe_job {
	col_source *s;
	col_volume *v;
	unsigned char head[512];
	size_t nhead;
} probe_job;

/* in the child: open, report the type, close */
static void probe_child(col_chan *ch, void *arg)
{
	probe_job *p = arg;
	col_volume *v = p->v;
	char m[400] = "", why[200] = "";
	/* an image of its own: the parent's file offsets are not to be moved */
	TSK_IMG_INFO *img = col_source_reopen(p->s);
	if (!img)
		return;
	tsk_error_reset();
	TSK_FS_INFO *fs = tsk_fs_open_img(img, (TSK_OFF_T)v->offset, TSK_FS_TYPE_DETECT);
	TSK_FS_TYPE_ENUM tried[4];
	const char *how = "";
	if (!fs) {
		tsk_msg(m, sizeof(m));
		/* libtsk tells nothing, or more than one type, by itself (an NTFS
		 * volume over an old ext2 superblock): open it explicitly as what the
		 * partition type says it is */
		suggested(v, p->head, p->nhead, tried, why, sizeof(why));
		for (int i = 0; !fs && tried[i] != TSK_FS_TYPE_UNSUPP; i++) {
			tsk_error_reset();
			fs = tsk_fs_open_img(img, (TSK_OFF_T)v->offset, tried[i]);
		}
		tsk_error_reset();
		how = "explicit";
	}
	col_msg_begin(ch, 'R');
	if (fs) {
		col_msg_str(ch, "ok");
		col_msg_i64(ch, (int64_t)fs->ftype);
		col_msg_str(ch, tsk_fs_type_toname(fs->ftype));
		if (*how) {
			char d[700];
			snprintf(d, sizeof(d), "libtsk could not tell the file system by itself (%s); %s: opened as %s", m, why,
			         tsk_fs_type_toname(fs->ftype));
			col_msg_str(ch, d);
		} else {
			col_msg_str(ch, NULL);
		}
		tsk_fs_close(fs);
	} else {
		col_msg_str(ch, "unreadable");
		col_msg_i64(ch, 0);
		col_msg_str(ch, NULL);
		char d[700];
		snprintf(d, sizeof(d), "no file system libtsk can read: %s%s%s", m, why[0] ? "; tried as " : "",
		         why[0] ? why : "");
		col_msg_str(ch, d);
	}
	col_msg_end(ch);
}

typedef struct probe_rx {
	col_volume *v;
	const col_probe *pr;
	int got;
} probe_rx;

static int probe_msg(const col_msg *m, void *ud)
{
	probe_rx *r = ud;
	col_volume *v = r->v;
	if (m->type == 'E' && m->nf >= 3 && r->pr)
		shodo_emit(r->pr->sink, (shodo_event_kind)col_msg_int(m, 0), m->f[1] ? m->f[1] : "collect", "%s",
		           m->f[2] ? m->f[2] : "");
	if (m->type != 'R' || m->nf < 4)
		return 0;
	r->got = 1;
	if (m->f[0] && !strcmp(m->f[0], "ok")) {
		v->status = "ok";
		v->ftype = (TSK_FS_TYPE_ENUM)col_msg_int(m, 1);
		snprintf(v->fstype, sizeof(v->fstype), "%s", m->f[2] ? m->f[2] : "");
		if (m->f[3] && r->pr)
			shodo_emit(r->pr->sink, SHODO_EV_INFO, "collect", "%s: %s", v->label, m->f[3]);
	} else {
		v->status = "unreadable";
		snprintf(v->error, sizeof(v->error), "%s", m->f[3] ? m->f[3] : "no file system libtsk can read");
	}
	return 0;
}

/* tries a file system at v->offset (in a child process: see isolate.c) */
static void try_fs(col_source *s, col_volume *v, const col_probe *pr)
{
	probe_job p;
	memset(&p, 0, sizeof(p));
	p.s = s;
	p.v = v;
	ssize_t r = tsk_img_read(s->img, (TSK_OFF_T)v->offset, (char *)p.head, sizeof(p.head));
	if (r < 0) {
		char m[400];
		v->status = "unreadable";
		snprintf(v->error, sizeof(v->error), "cannot read the volume's first sector: %s", tsk_msg(m, sizeof(m)));
		return;
	}
	p.nhead = (size_t)r;
	if (r >= 11 && !memcmp(p.head + 3, "-FVE-FS-", 8)) {
		v->status = "bitlocker";
		snprintf(v->error, sizeof(v->error),
		         "BitLocker-encrypted volume: unlock it (dislocker, or Windows with the recovery key) and "
		         "triage the decrypted volume");
		return;
	}
	probe_rx rx = {v, pr, 0};
	col_child_result res;
	double timeout = pr && pr->timeout > 0 ? pr->timeout : COL_VOLUME_TIMEOUT;
	v->status = "unreadable";
	if (col_run_isolated(probe_child, &p, timeout, pr ? pr->cancel : NULL, probe_msg, &rx, &res) < 0 || !rx.got) {
		char why[300];
		col_child_describe(&res, timeout, why, sizeof(why));
		v->status = "unreadable";
		snprintf(v->error, sizeof(v->error), "opening the file system: %s", why);
	}
}

/* The boot-sector signature of a file system Windows uses, or NULL. */
static const char *boot_sig(const unsigned char *b)
{
	if (b[510] != 0x55 || b[511] != 0xaa)
		return NULL;
	if (!memcmp(b + 3, "NTFS    ", 8))
		return "NTFS";
	if (!memcmp(b + 3, "-FVE-FS-", 8))
		return "BitLocker";
	if (!memcmp(b + 3, "EXFAT   ", 8))
		return "exFAT";
	if (!memcmp(b + 82, "FAT32   ", 8))
		return "FAT32";
	return NULL;
}

/*
 * No partition table and nothing at offset 0: the table may have been wiped
 * (wipers and some ransomware do) while the volumes are intact.  Volumes
 * start at 63 sectors (XP and older) or on 1 MiB boundaries (Vista and
 * later, a system-reserved partition first); their boot sectors are looked
 * for there in the first COL_SCAN_LIMIT bytes and each one found is tried.
 * Returns the number of volumes found.
 */
#define COL_SCAN_LIMIT (8ull << 30)
static int scan_volumes(col_source *s, int index, const char *prefix, col_volume **vols, size_t *nvols,
                        size_t *cap, const col_probe *pr)
{
	unsigned char b[512];
	int found = 0;
	uint64_t limit = s->size < COL_SCAN_LIMIT ? s->size : COL_SCAN_LIMIT;
	for (uint64_t off = 63 * 512; off + 512 <= limit;) {
		uint64_t next = off == 63 * 512 ? (1u << 20) : off + (1u << 20);
		tsk_error_reset();
		if (tsk_img_read(s->img, (TSK_OFF_T)off, (char *)b, sizeof(b)) != (ssize_t)sizeof(b)) {
			tsk_error_reset();
			off = next;
			continue;
		}
		const char *sig = boot_sig(b);
		if (!sig) {
			off = next;
			continue;
		}
		col_volume *v = add(vols, nvols, cap);
		if (!v)
			break;
		found++;
		v->source = index;
		v->offset = off;
		v->length = s->size - off;
		if (!strcmp(sig, "NTFS")) {
			/* total sectors (0x28) * bytes per sector (0x0b), plus the backup boot sector */
			uint64_t secs = 0;
			for (int i = 7; i >= 0; i--)
				secs = (secs << 8) | b[0x28 + i];
			uint64_t bps = (uint64_t)b[0x0b] | ((uint64_t)b[0x0c] << 8);
			if (bps >= 512 && bps <= 4096 && secs && secs < (s->size - off) / bps)
				v->length = secs * bps + bps;
		}
		snprintf(v->label, sizeof(v->label), "%ss%d@%llu", prefix, found, (unsigned long long)off);
		snprintf(v->desc, sizeof(v->desc), "found by its %s boot sector (no partition table)", sig);
		try_fs(s, v, pr);
		/* go on after the volume when its size is known */
		if (!strcmp(v->status, "ok") && v->length < s->size - off)
			next = (off + v->length + (1u << 20) - 1) & ~(uint64_t)((1u << 20) - 1);
		off = next > off ? next : off + (1u << 20);
	}
	return found;
}

static int usable_status(const col_volume *v)
{
	return !strcmp(v->status, "ok") || !strcmp(v->status, "bitlocker");
}

/* A volume for every allocated partition of vs (its description after
 * "what: "), each tried for a file system; returns how many hold one, and
 * the number of partitions in *n. */
static int table_volumes(col_source *s, int index, const char *prefix, TSK_VS_INFO *vs, const char *what,
                         col_volume **vols, size_t *nvols, size_t *cap, const col_probe *pr, int *n)
{
	int usable = 0;
	*n = 0;
	for (TSK_PNUM_T i = 0; i < vs->part_count; i++) {
		const TSK_VS_PART_INFO *p = tsk_vs_part_get(vs, i);
		if (!p || !(p->flags & TSK_VS_PART_FLAG_ALLOC))
			continue;
		(*n)++;
		col_volume *v = add(vols, nvols, cap);
		if (!v)
			break;
		v->source = index;
		v->offset = (uint64_t)p->start * vs->block_size;
		v->length = (uint64_t)p->len * vs->block_size;
		snprintf(v->label, sizeof(v->label), "%sp%d@%llu", prefix, *n, (unsigned long long)v->offset);
		snprintf(v->desc, sizeof(v->desc), "%s: %s", what, p->desc ? p->desc : "");
		if (v->offset >= s->size) {
			v->status = "unreadable";
			snprintf(v->error, sizeof(v->error), "partition starts beyond the end of the source (truncated image?)");
			continue;
		}
		try_fs(s, v, pr);
		usable += usable_status(v);
	}
	return usable;
}

/* An MBR in which no partition holds a file system, read again with
 * 4096-byte sectors: a disk with 4 KiB logical sectors (many USB disks over
 * 2 TB) counts its partitions in them, and its raw image (or an E01 that
 * recorded 512-byte sectors) does not say so; libtsk reads such a table as
 * 512-byte sectors and found nothing.  The volumes found this way replace
 * those from index first on when at least one of them holds a file system. */
static void dos_table_in_4k(col_source *s, int index, const char *prefix, col_volume **vols, size_t *nvols,
                            size_t *cap, const col_probe *pr, size_t first)
{
	const char *imgs[1] = {s->path};
	tsk_error_reset();
	TSK_IMG_INFO *img = tsk_img_open_utf8(1, imgs, TSK_IMG_TYPE_DETECT, 4096);
	TSK_VS_INFO *vs = img ? tsk_vs_open(img, 0, TSK_VS_TYPE_DOS) : NULL;
	tsk_error_reset();
	size_t alt = *nvols;
	int n = 0, usable = vs ? table_volumes(s, index, prefix, vs, "dos, 4096-byte sectors", vols, nvols, cap, pr, &n) : 0;
	if (vs)
		tsk_vs_close(vs);
	if (img)
		tsk_img_close(img);
	if (!usable) {
		*nvols = alt;
		return;
	}
	memmove(&(*vols)[first], &(*vols)[alt], (*nvols - alt) * sizeof(col_volume));
	*nvols = first + (*nvols - alt);
}

void col_volumes_find(col_source *s, int index, col_volume **vols, size_t *nvols, size_t *cap,
                      const col_probe *pr)
{
	char prefix[16] = "";
	if (index > 0)
		snprintf(prefix, sizeof(prefix), "d%d.", index + 1);
	tsk_error_reset();
	TSK_VS_INFO *vs = tsk_vs_open(s->img, 0, TSK_VS_TYPE_DETECT);
	if (!vs) {
		tsk_error_reset();
		col_volume *v = add(vols, nvols, cap);
		if (!v)
			return;
		v->source = index;
		v->offset = 0;
		v->length = s->size;
		snprintf(v->label, sizeof(v->label), "%sfs@0", prefix);
		snprintf(v->desc, sizeof(v->desc), "no partition table");
		try_fs(s, v, pr);
		if (!strcmp(v->status, "unreadable")) {
			size_t at = (size_t)(v - *vols);
			int found = scan_volumes(s, index, prefix, vols, nvols, cap, pr);
			v = &(*vols)[at];   /* the list may have moved */
			if (found)
				snprintf(v->error, sizeof(v->error),
				         "no partition table and no file system at offset 0 (table wiped or damaged?); "
				         "%d volume%s found by %s boot sector%s",
				         found, found == 1 ? "" : "s", found == 1 ? "its" : "their", found == 1 ? "" : "s");
			else
				snprintf(v->error, sizeof(v->error),
				         "no partition table and no file system libtsk can read (unknown or damaged)");
		}
		return;
	}
	int n = 0;
	size_t first = *nvols;
	int usable = table_volumes(s, index, prefix, vs, tsk_vs_type_toname(vs->vstype), vols, nvols, cap, pr, &n);
	int dos = vs->vstype == TSK_VS_TYPE_DOS;
	tsk_vs_close(vs);
	if (n && !usable && dos && s->img->sector_size == 512 && !s->device)
		dos_table_in_4k(s, index, prefix, vols, nvols, cap, pr, first);
}
