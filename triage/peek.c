/*
 * A quick look at a source before anything is decided: its volumes, their
 * file systems and names, and for each Windows installation the computer
 * name (SYSTEM hive) and the operating system (SOFTWARE hive).
 *
 * Everything goes through libtsk (volumes, file systems, the hive files) and
 * libregf (the hives).  A hive is copied into an anonymous memory file
 * (memfd: nothing is written to any disk) and opened there: libregf reads
 * every hive bin when it opens a hive, so reading it in place would fetch
 * the same bytes, and libregf's copy of libbfio is private to it (libyal
 * isolation, Makefile) so no handle of ours can be given to it.  Every
 * megabyte checks the deadline, so a slow or failing disk gives "not read
 * in time" instead of a hanging front end.  The whole look runs in a child
 * process, as the collection does (collect/isolate.c): a hostile file
 * system can end that child, not the caller.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "shodo/event.h"
#include "triage/collect/collect.h"
#include "triage/parsers/regutil.h"

#define PEEK_HIVE_MAX (256ull << 20)

/* Copies the hive at path on fs into an anonymous memory file (memfd) and
 * opens it with libregf; NULL when absent, unreadable or late (note says
 * why).  *fd is the memory file to close after reg_close. */
static libregf_file_t *hive_open(TSK_FS_INFO *fs, const char *path, double deadline, shodo_cancel *cancel,
                                 int *fd, int *expired, int *found, char *note, size_t notesz)
{
	libregf_file_t *f = NULL;
	*fd = -1;
	TSK_FS_FILE *file = tsk_fs_file_open(fs, NULL, path);
	if (!file || !file->meta) {
		tsk_error_reset();
		if (file)
			tsk_fs_file_close(file);
		return NULL;
	}
	*found = 1;
	uint64_t size = file->meta->size > 0 ? (uint64_t)file->meta->size : 0;
	char *buf = size && size <= PEEK_HIVE_MAX ? malloc(1u << 20) : NULL;
	*fd = buf ? memfd_create("shodo-hive", MFD_CLOEXEC) : -1;
	uint64_t off = 0;
	while (*fd >= 0 && off < size) {
		if (shodo_monotonic() > deadline || shodo_cancelled(cancel)) {
			*expired = 1;
			break;
		}
		size_t n = size - off < (1u << 20) ? (size_t)(size - off) : (1u << 20);
		ssize_t r = tsk_fs_file_read(file, (TSK_OFF_T)off, buf, n, TSK_FS_FILE_READ_FLAG_NONE);
		if (r <= 0 || write(*fd, buf, (size_t)r) != r) {
			tsk_error_reset();
			break;
		}
		off += (uint64_t)r;
	}
	free(buf);
	tsk_fs_file_close(file);
	if (*fd >= 0 && off == size && size) {
		char p[64];
		shodo_err err;
		snprintf(p, sizeof(p), "/proc/self/fd/%d", *fd);
		if (reg_open(p, &f, &err) != SHODO_OK)
			f = NULL;
	}
	if (!f)
		snprintf(note, notesz, *expired ? "the registry could not be read in time"
		                                : "the registry hive '%s' is not readable", path);
	return f;
}

static void hive_close(libregf_file_t **f, int *fd)
{
	reg_close(f);
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
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
		int fd = -1, found = 0;
		snprintf(path, sizeof(path), "%s/System32/config/SYSTEM", roots[r]);
		libregf_file_t *f = hive_open(fs, path, deadline, cancel, &fd, timed_out, &found, v->note, sizeof(v->note));
		if (f)
			read_system(f, v);
		hive_close(&f, &fd);
		snprintf(path, sizeof(path), "%s/System32/config/SOFTWARE", roots[r]);
		f = hive_open(fs, path, deadline, cancel, &fd, timed_out, &found, v->note, sizeof(v->note));
		if (f)
			read_software(f, v);
		hive_close(&f, &fd);
		if (found && !v->host[0] && !v->os[0] && !v->note[0])
			snprintf(v->note, sizeof(v->note), "Windows found, but neither host name nor version could be read");
	}
}

/* The peek itself, in a child process (col_run_isolated): a crafted file
 * system that crashes or hangs libtsk ends the child, never the caller (a
 * front end).  The result goes back as one message holding the struct. */
typedef struct peek_job {
	const char *source;
	double seconds;
	shodo_peek out;
	int got;
	char error[512];
} peek_job;

static void peek_child(col_chan *ch, void *arg)
{
	peek_job *pj = arg;
	shodo_peek *out = &pj->out;
	col_source s;
	col_volume *vols = NULL;
	size_t nvols = 0, vcap = 0;
	double deadline = shodo_monotonic() + pj->seconds;
	memset(out, 0, sizeof(*out));
	col_source_open(&s, pj->source);
	if (!s.img) {
		col_msg_begin(ch, 'X');
		col_msg_str(ch, s.error);
		col_msg_end(ch);
		return;
	}
	out->size = s.size;
	snprintf(out->image_type, sizeof(out->image_type), "%s", s.type);
	/* what libtsk does not say: an E01 set read in part (collect/volumes.c) */
	snprintf(out->warning, sizeof(out->warning), "%s", s.warning);
	col_probe pr = {NULL, NULL, pj->seconds};
	col_volumes_find(&s, 0, &vols, &nvols, &vcap, &pr);
	for (size_t i = 0; i < nvols; i++) {
		col_volume *cv = &vols[i];
		if (out->nvolumes < SHODO_PEEK_MAX_VOLUMES) {
			shodo_peek_volume *v = &out->volumes[out->nvolumes++];
			snprintf(v->label, sizeof(v->label), "%s", cv->label);
			v->offset = cv->offset;
			v->length = cv->length;
			snprintf(v->fstype, sizeof(v->fstype), "%s", cv->fstype);
			snprintf(v->status, sizeof(v->status), "%s", cv->status ? cv->status : "unreadable");
			TSK_FS_INFO *fs = NULL;
			if (cv->status && !strcmp(cv->status, "ok") && shodo_monotonic() < deadline) {
				tsk_error_reset();
				fs = tsk_fs_open_img(s.img, (TSK_OFF_T)cv->offset, cv->ftype);
				tsk_error_reset();
			}
			if (fs && fs->ftype & TSK_FS_TYPE_NTFS_DETECT)
				ntfs_name(fs, v->name, sizeof(v->name));
			if (fs && shodo_monotonic() < deadline)
				peek_windows(fs, v, deadline, NULL, &out->timed_out);
			else if (cv->status && !strcmp(cv->status, "ok"))
				out->timed_out = 1;
			if (fs)
				tsk_fs_close(fs);
			if (!out->host[0] && !out->os[0] && (v->host[0] || v->os[0])) {
				snprintf(out->host, sizeof(out->host), "%s", v->host);
				snprintf(out->os, sizeof(out->os), "%s", v->os);
			}
		}
		col_volume_close(cv);
	}
	free(vols);
	col_source_close(&s);
	col_msg_begin(ch, 'P');
	col_msg_bytes(ch, out, sizeof(*out));
	col_msg_end(ch);
}

static int peek_msg(const col_msg *m, void *ud)
{
	peek_job *pj = ud;
	if (m->type == 'P' && m->nf == 1 && m->len[0] == sizeof(pj->out)) {
		memcpy(&pj->out, m->f[0], sizeof(pj->out));
		pj->got = 1;
	} else if (m->type == 'X' && m->nf == 1 && m->f[0]) {
		snprintf(pj->error, sizeof(pj->error), "%s", m->f[0]);
	}
	return 0;
}

shodo_status shodo_triage_peek(const shodo_peek_opts *o, shodo_peek *out, shodo_err *err)
{
	const char *source = o->source;
	double seconds = o->seconds;
	shodo_cancel *cancel = o->cancel;
	peek_job *pj = calloc(1, sizeof(*pj));
	memset(out, 0, sizeof(*out));
	if (!pj)
		return shodo_err_set(err, SHODO_FATAL, ENOMEM, "cannot look into '%s'", source);
	pj->source = source;
	pj->seconds = seconds > 0 ? seconds : 2.0;
	col_child_result res;
	/* the deadline is the child's; a second more before it is stopped */
	int rc = col_run_isolated(peek_child, pj, pj->seconds + 1.0, cancel, peek_msg, pj, &res);
	shodo_status st = SHODO_OK;
	if (pj->got) {
		*out = pj->out;
	} else if (pj->error[0]) {
		st = shodo_err_set(err, SHODO_FATAL, 0, "%s", pj->error);
	} else {
		char why[300];
		col_child_describe(&res, pj->seconds + 1.0, why, sizeof(why));
		st = shodo_err_set(err, SHODO_FATAL, 0, "cannot look into '%s': %s", source, why);
		(void)rc;
	}
	free(pj);
	return st;
}
