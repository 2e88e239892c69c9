/*
 * A quick look at a source before anything is decided: its volumes, their
 * file systems and names, and for each Windows installation the computer
 * name (SYSTEM hive) and the operating system (SOFTWARE hive).
 *
 * Everything goes through libtsk (volumes, file systems, the hive files) and
 * libregf (the hives); the hives are not copied: libregf reads them through
 * a libbfio handle whose reads are tsk_fs_file_read() calls, so only the
 * cells it needs are fetched and nothing is written anywhere.  Every read
 * checks the deadline and the cancel token, so a slow or failing disk
 * gives "not read in time" instead of a hanging front end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libbfio.h>
#include "shodo/event.h"
#include "triage/collect/collect.h"
#include "triage/parsers/regutil.h"

typedef struct peek_io {
	TSK_FS_FILE *file;
	uint64_t size;
	int64_t off;
	double deadline;
	shodo_cancel *cancel;
	int expired;
} peek_io;

static int pio_free(intptr_t **h, libbfio_error_t **e)
{
	(void)e;
	*h = NULL;   /* owned by the caller */
	return 1;
}

static int pio_open(intptr_t *h, int flags, libbfio_error_t **e)
{
	(void)e;
	((peek_io *)h)->off = 0;
	return (flags & LIBBFIO_ACCESS_FLAG_WRITE) ? -1 : 1;
}

static int pio_close(intptr_t *h, libbfio_error_t **e)
{
	(void)h;
	(void)e;
	return 0;
}

static ssize_t pio_read(intptr_t *h, uint8_t *buf, size_t n, libbfio_error_t **e)
{
	peek_io *p = (peek_io *)h;
	(void)e;
	if (shodo_monotonic() > p->deadline || shodo_cancelled(p->cancel)) {
		p->expired = 1;
		return -1;
	}
	if (p->off < 0 || (uint64_t)p->off >= p->size)
		return 0;
	if (n > p->size - (uint64_t)p->off)
		n = (size_t)(p->size - (uint64_t)p->off);
	ssize_t r = tsk_fs_file_read(p->file, (TSK_OFF_T)p->off, (char *)buf, n, TSK_FS_FILE_READ_FLAG_NONE);
	if (r < 0) {
		tsk_error_reset();
		return -1;
	}
	p->off += r;
	return r;
}

static ssize_t pio_write(intptr_t *h, const uint8_t *buf, size_t n, libbfio_error_t **e)
{
	(void)h;
	(void)buf;
	(void)n;
	(void)e;
	return -1;
}

static off64_t pio_seek(intptr_t *h, off64_t off, int whence, libbfio_error_t **e)
{
	peek_io *p = (peek_io *)h;
	(void)e;
	int64_t base = whence == SEEK_CUR ? p->off : whence == SEEK_END ? (int64_t)p->size : 0;
	if (base + off < 0)
		return -1;
	p->off = base + off;
	return p->off;
}

static int pio_exists(intptr_t *h, libbfio_error_t **e)
{
	(void)h;
	(void)e;
	return 1;
}

static int pio_is_open(intptr_t *h, libbfio_error_t **e)
{
	(void)h;
	(void)e;
	return 1;
}

static int pio_size(intptr_t *h, size64_t *size, libbfio_error_t **e)
{
	(void)e;
	*size = ((peek_io *)h)->size;
	return 1;
}

/* Opens the hive at path on fs; NULL when absent, unreadable or late (note says which). */
static libregf_file_t *hive_open(TSK_FS_INFO *fs, const char *path, peek_io *io, libbfio_handle_t **bh,
                                 char *note, size_t notesz)
{
	libregf_file_t *f = NULL;
	*bh = NULL;
	io->file = NULL;
	io->size = 0;
	io->off = 0;
	io->file = tsk_fs_file_open(fs, NULL, path);
	if (!io->file || !io->file->meta) {
		tsk_error_reset();
		if (io->file)
			tsk_fs_file_close(io->file);
		io->file = NULL;
		return NULL;
	}
	io->size = io->file->meta->size > 0 ? (uint64_t)io->file->meta->size : 0;
	io->off = 0;
	if (libbfio_handle_initialize(bh, (intptr_t *)io, pio_free, NULL, pio_open, pio_close, pio_read, pio_write,
	                              pio_seek, pio_exists, pio_is_open, pio_size, LIBBFIO_FLAG_IO_HANDLE_NON_MANAGED,
	                              NULL) != 1) {
		*bh = NULL;
		return NULL;
	}
	if (libregf_file_initialize(&f, NULL) != 1)
		return NULL;
	libregf_error_t *e = NULL;
	if (libregf_file_open_file_io_handle(f, *bh, LIBREGF_OPEN_READ, &e) != 1) {
		if (e)
			libregf_error_free(&e);
		libregf_file_free(&f, NULL);
		snprintf(note, notesz, io->expired ? "the registry could not be read in time"
		                                   : "the registry hive '%s' is not readable", path);
		return NULL;
	}
	return f;
}

static void hive_close(libregf_file_t **f, libbfio_handle_t **bh, peek_io *io)
{
	if (*f) {
		libregf_file_close(*f, NULL);
		libregf_file_free(f, NULL);
	}
	if (*bh)
		libbfio_handle_free(bh, NULL);
	if (io->file)
		tsk_fs_file_close(io->file);
	io->file = NULL;
}

static void read_system(libregf_file_t *f, shodo_peek_volume *v)
{
	char cs[32] = "ControlSet001", path[160];
	uint32_t cur = 0;
	libregf_key_t *k = reg_key(f, "Select");
	if (k && reg_u32(k, "Current", &cur) && cur > 0 && cur < 1000)
		snprintf(cs, sizeof(cs), "ControlSet%03u", cur);
	reg_key_free(&k);
	snprintf(path, sizeof(path), "%s\\Control\\ComputerName\\ComputerName", cs);
	if ((k = reg_key(f, path)))
		reg_str(k, "ComputerName", v->host, sizeof(v->host));
	reg_key_free(&k);
	snprintf(path, sizeof(path), "%s\\Services\\Tcpip\\Parameters", cs);
	if ((k = reg_key(f, path))) {
		if (!v->host[0])
			reg_str(k, "Hostname", v->host, sizeof(v->host));
		reg_str(k, "Domain", v->domain, sizeof(v->domain));
	}
	reg_key_free(&k);
}

static void read_software(libregf_file_t *f, shodo_peek_volume *v)
{
	char product[128] = "", disp[64] = "", build[32] = "", sp[64] = "";
	libregf_key_t *k = reg_key(f, "Microsoft\\Windows NT\\CurrentVersion");
	if (!k)
		return;
	reg_str(k, "ProductName", product, sizeof(product));
	if (!reg_str(k, "DisplayVersion", disp, sizeof(disp)) || !disp[0])
		reg_str(k, "ReleaseId", disp, sizeof(disp));
	if (!reg_str(k, "CurrentBuild", build, sizeof(build)) || !build[0])
		reg_str(k, "CurrentBuildNumber", build, sizeof(build));
	reg_str(k, "CSDVersion", sp, sizeof(sp));
	reg_key_free(&k);
	/* Windows 11 still says "Windows 10" in ProductName; its builds start at 22000 */
	if (!strncmp(product, "Windows 10", 10) && atoi(build) >= 22000)
		product[9] = '1';
	if (!product[0])
		return;
	snprintf(v->os, sizeof(v->os), "%s%s%s%s%s%s%s", product, disp[0] ? " " : "", disp, sp[0] ? " " : "", sp,
	         build[0] ? " build " : "", build);
}

/* NTFS volume name ($Volume, attribute $VOLUME_NAME) */
static void ntfs_name(TSK_FS_INFO *fs, char *out, size_t n)
{
	TSK_FS_FILE *f = tsk_fs_file_open_meta(fs, NULL, 3);
	if (!f) {
		tsk_error_reset();
		return;
	}
	const TSK_FS_ATTR *a = tsk_fs_file_attr_get_type(f, TSK_FS_ATTR_TYPE_NTFS_VNAME, 0, 0);
	if (a && a->size > 0 && a->size <= 256) {
		unsigned char buf[256];
		ssize_t r = tsk_fs_attr_read(a, 0, (char *)buf, (size_t)a->size, TSK_FS_FILE_READ_FLAG_NONE);
		if (r > 0)
			reg_utf16(buf, (size_t)r & ~(size_t)1, out, n);
	}
	tsk_error_reset();
	tsk_fs_file_close(f);
}

static void peek_windows(TSK_FS_INFO *fs, shodo_peek_volume *v, double deadline, shodo_cancel *cancel,
                         int *timed_out)
{
	static const char *const roots[] = {"/Windows", "/WINNT", NULL};
	for (int r = 0; roots[r] && !v->host[0] && !v->os[0]; r++) {
		char path[128];
		peek_io io = {.deadline = deadline, .cancel = cancel};
		libbfio_handle_t *bh = NULL;
		snprintf(path, sizeof(path), "%s/System32/config/SYSTEM", roots[r]);
		libregf_file_t *f = hive_open(fs, path, &io, &bh, v->note, sizeof(v->note));
		if (f)
			read_system(f, v);
		*timed_out |= io.expired;
		int found = io.file != NULL;
		hive_close(&f, &bh, &io);
		snprintf(path, sizeof(path), "%s/System32/config/SOFTWARE", roots[r]);
		f = hive_open(fs, path, &io, &bh, v->note, sizeof(v->note));
		if (f)
			read_software(f, v);
		*timed_out |= io.expired;
		found |= io.file != NULL;
		hive_close(&f, &bh, &io);
		if (found && !v->host[0] && !v->os[0] && !v->note[0])
			snprintf(v->note, sizeof(v->note), "Windows found, but neither host name nor version could be read");
	}
}

shodo_status shodo_triage_peek(const char *source, double seconds, shodo_cancel *cancel, shodo_peek *out,
                               shodo_err *err)
{
	col_source s;
	col_volume *vols = NULL;
	size_t nvols = 0;
	double deadline = shodo_monotonic() + (seconds > 0 ? seconds : 2.0);
	memset(out, 0, sizeof(*out));
	col_source_open(&s, source);
	if (!s.img)
		return shodo_err_set(err, SHODO_FATAL, 0, "%s", s.error);
	out->size = s.size;
	snprintf(out->image_type, sizeof(out->image_type), "%s", s.type);
	col_volumes_find(&s, 0, &vols, &nvols);
	for (size_t i = 0; i < nvols; i++) {
		col_volume *cv = &vols[i];
		if (out->nvolumes < SHODO_PEEK_MAX_VOLUMES) {
			shodo_peek_volume *v = &out->volumes[out->nvolumes++];
			snprintf(v->label, sizeof(v->label), "%s", cv->label);
			v->offset = cv->offset;
			v->length = cv->length;
			snprintf(v->fstype, sizeof(v->fstype), "%s", cv->fstype);
			snprintf(v->status, sizeof(v->status), "%s", cv->status ? cv->status : "unreadable");
			if (cv->fs && cv->fs->ftype & TSK_FS_TYPE_NTFS_DETECT)
				ntfs_name(cv->fs, v->name, sizeof(v->name));
			if (cv->fs && shodo_monotonic() < deadline && !shodo_cancelled(cancel))
				peek_windows(cv->fs, v, deadline, cancel, &out->timed_out);
			else if (cv->fs)
				out->timed_out = 1;
			if (!out->host[0] && !out->os[0] && (v->host[0] || v->os[0])) {
				snprintf(out->host, sizeof(out->host), "%s", v->host);
				snprintf(out->os, sizeof(out->os), "%s", v->os);
			}
		}
		col_volume_close(cv);
	}
	free(vols);
	col_source_close(&s);
	return SHODO_OK;
}
