/*
 * E01 output through libewf (EnCase 6 format).  Chunks arrive already
 * compressed (compress.c) and in order; libewf lays out the sections,
 * tables and segment files.  MD5 and SHA-1 go into the hash and digest
 * sections; EnCase 6 has no place for SHA-256, which only the logs hold.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <libewf.h>
#include <zlib.h>
#include "imager_int.h"
#include "imager_out.h"
#include "shodo/imager.h"
#include "core/libyal.h"

struct img_ewf {
	libewf_handle_t *h;
	char first[4096];
	uint32_t bps;
};

void img_ewf_msg(void *lerrp, char *out, size_t outsz)
{
	shodo_libyal_msg(lerrp, SHODO_LIBYAL(libewf), out, outsz);
}

static shodo_status ewf_fail(shodo_err *err, libewf_error_t **lerr, int errnum, const char *what,
                             const char *path)
{
	char why[1024], full[4096] = "";
	if (lerr && *lerr)
		libewf_error_backtrace_sprint(*lerr, full, sizeof(full));
	if (getenv("SHODO_DEBUG_EWF"))
		fprintf(stderr, "%s\n", full);
	img_ewf_msg(lerr ? *lerr : NULL, why, sizeof(why));
	if (lerr && *lerr)
		libewf_error_free(lerr);
	if (!errnum && strstr(why, "No space left"))
		errnum = ENOSPC;
	/* the system's reason says more than libewf's innermost frame */
	if (errnum == ENOSPC || errnum == EIO || errnum == EDQUOT || errnum == EFBIG || errnum == EROFS ||
	    errnum == EACCES || errnum == EPERM)
		snprintf(why, sizeof(why), "%s", strerror(errnum));
	shodo_err_set(err, SHODO_FATAL, 0, "%s '%s': %s", what, path, why);
	err->errnum = errnum;
	return SHODO_FATAL;
}

static int set_hv(libewf_handle_t *h, const char *key, const char *val)
{
	if (!val || !*val)
		return 1;
	return libewf_handle_set_utf8_header_value(h, (const uint8_t *)key, strlen(key), (const uint8_t *)val,
	                                      strlen(val), NULL);
}

shodo_status img_ewf_create(const char *base, const img_ewf_meta *m, img_ewf **out, shodo_err *err)
{
	libewf_error_t *lerr = NULL;
	img_ewf *e = calloc(1, sizeof(*e));
	*out = NULL;
	if (!e)
		return shodo_err_set(err, SHODO_FATAL, ENOMEM, "cannot create '%s.E01'", base);
	snprintf(e->first, sizeof(e->first), "%s.E01", base);
	e->bps = m->bytes_per_sector;
	char *names[1] = {(char *)base};
	if (libewf_handle_initialize(&e->h, &lerr) != 1 ||
	    libewf_handle_open(e->h, names, 1, LIBEWF_OPEN_WRITE, &lerr) != 1) {
		ewf_fail(err, &lerr, 0, "cannot create", e->first);
		goto fail;
	}
	int8_t level = m->compression == SHODO_COMPRESS_BEST   ? LIBEWF_COMPRESSION_BEST
	               : m->compression == SHODO_COMPRESS_FAST ? LIBEWF_COMPRESSION_FAST
	                                                       : LIBEWF_COMPRESSION_NONE;
	if (libewf_handle_set_format(e->h, LIBEWF_FORMAT_ENCASE6, &lerr) != 1 ||
	    libewf_handle_set_bytes_per_sector(e->h, m->bytes_per_sector, &lerr) != 1 ||
	    libewf_handle_set_sectors_per_chunk(e->h, IMG_CHUNK / m->bytes_per_sector, &lerr) != 1 ||
	    libewf_handle_set_media_size(e->h, m->media_size, &lerr) != 1 ||
	    libewf_handle_set_maximum_segment_size(e->h, m->segment_size, &lerr) != 1 ||
	    libewf_handle_set_compression_values(e->h, level, 0, &lerr) != 1 ||
	    libewf_handle_set_media_type(e->h, m->is_device ? LIBEWF_MEDIA_TYPE_FIXED : LIBEWF_MEDIA_TYPE_FIXED,
	                                 &lerr) != 1 ||
	    libewf_handle_set_media_flags(e->h, m->is_device ? LIBEWF_MEDIA_FLAG_PHYSICAL : 0, &lerr) != 1) {
		ewf_fail(err, &lerr, 0, "cannot set up", e->first);
		goto fail;
	}
	struct utsname u;
	char os[256] = "Linux";
	if (uname(&u) == 0)
		snprintf(os, sizeof(os), "%s %s", u.sysname, u.release);
	if (set_hv(e->h, "case_number", m->case_number) != 1 ||
	    set_hv(e->h, "evidence_number", m->evidence_number) != 1 ||
	    set_hv(e->h, "examiner_name", m->examiner) != 1 ||
	    set_hv(e->h, "description", m->description) != 1 ||
	    set_hv(e->h, "notes", m->notes) != 1 ||
	    set_hv(e->h, "acquiry_software_version", m->software) != 1 ||
	    set_hv(e->h, "acquiry_operating_system", os) != 1 ||
	    set_hv(e->h, "model", m->model) != 1 ||
	    set_hv(e->h, "serial_number", m->serial) != 1) {
		shodo_err_set(err, SHODO_FATAL, 0, "cannot set the header values of '%s'", e->first);
		goto fail;
	}
	*out = e;
	return SHODO_OK;
fail:
	img_ewf_abort(e);
	return SHODO_FATAL;
}

shodo_status img_ewf_resume(const char *first, img_ewf **out, uint64_t *offset, shodo_err *err)
{
	libewf_error_t *lerr = NULL;
	char **names = NULL;
	int n = 0;
	*out = NULL;
	*offset = 0;
	img_ewf *e = calloc(1, sizeof(*e));
	if (!e)
		return shodo_err_set(err, SHODO_FATAL, ENOMEM, "cannot resume '%s'", first);
	snprintf(e->first, sizeof(e->first), "%s", first);
	if (libewf_glob(first, strlen(first), LIBEWF_FORMAT_UNKNOWN, &names, &n, &lerr) != 1 ||
	    libewf_handle_initialize(&e->h, &lerr) != 1 ||
	    libewf_handle_open(e->h, names, n, libewf_get_access_flags_write_resume(), &lerr) != 1) {
		ewf_fail(err, &lerr, 0, "cannot resume", first);
		goto fail;
	}
	libewf_glob_free(names, n, NULL);
	names = NULL;
	off64_t off = 0;
	if (libewf_handle_get_offset(e->h, &off, &lerr) != 1 || off < 0) {
		ewf_fail(err, &lerr, 0, "cannot find where to resume", first);
		goto fail;
	}
	uint32_t bps = 512;
	libewf_handle_get_bytes_per_sector(e->h, &bps, NULL);
	e->bps = bps;
	*offset = (uint64_t)off;
	*out = e;
	return SHODO_OK;
fail:
	if (names)
		libewf_glob_free(names, n, NULL);
	img_ewf_abort(e);
	return SHODO_FATAL;
}

/* EWF (EnCase 6) section chain: a 13-byte file header, then 76-byte section
 * descriptors (type[16], next offset u64 LE, size u64 LE, 40 padding bytes,
 * Adler-32 of the first 72 bytes), each naming where the next one starts.
 * libewf writes the real sectors descriptor, the table, table2 and "next"
 * sections only after a segment's chunks.  A segment killed after its
 * tables but before "next" opens for write-resume, yet libewf's idea of
 * the next chunk then disagrees with the offset it reports ("invalid
 * chunk: N already exists" at the first write, measured by killing the
 * run before each write of a 20 MiB image).  A segment without its
 * "next" section is therefore never continued: it is dropped and its
 * chunks are written again. */
int img_ewf_segment_complete(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	struct stat st;
	int done = 0;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return 0;
	}
	uint64_t off = 13, size = (uint64_t)st.st_size;
	for (int i = 0; i < 1000000; i++) {
		unsigned char d[76];
		if (off + sizeof(d) > size || pread(fd, d, sizeof(d), (off_t)off) != (ssize_t)sizeof(d))
			break;
		uint32_t ck = (uint32_t)d[72] | (uint32_t)d[73] << 8 | (uint32_t)d[74] << 16 | (uint32_t)d[75] << 24;
		if ((uint32_t)adler32(1, d, 72) != ck)
			break;
		if (!memcmp(d, "next\0", 5) || !memcmp(d, "done\0", 5)) {
			done = 1;
			break;
		}
		uint64_t next = 0;
		for (int b = 7; b >= 0; b--)
			next = next << 8 | d[16 + b];
		if (next <= off)
			break;
		off = next;
	}
	close(fd);
	return done;
}

shodo_status img_ewf_write(img_ewf *e, const void *buf, uint32_t size, uint32_t data_size,
                           int compressed, uint32_t cksum, shodo_err *err)
{
	libewf_error_t *lerr = NULL;
	unsigned char ckbuf[4];
	ckbuf[0] = (unsigned char)cksum;
	ckbuf[1] = (unsigned char)(cksum >> 8);
	ckbuf[2] = (unsigned char)(cksum >> 16);
	ckbuf[3] = (unsigned char)(cksum >> 24);
	errno = 0;
	ssize_t r = libewf_handle_write_chunk(e->h, buf, size, data_size, compressed ? 1 : 0,
	                                      compressed ? NULL : ckbuf, cksum, compressed ? 0 : 1, &lerr);
	if (r <= 0) {
		int en = errno;
		/* libewf reports a short write without errno: ask the file system */
		struct statvfs vs;
		char dir[4096];
		snprintf(dir, sizeof(dir), "%s", e->first);
		char *sl = strrchr(dir, '/');
		if (sl)
			*sl = '\0';
		if (!en && statvfs(sl ? dir : ".", &vs) == 0 && (uint64_t)vs.f_bavail * vs.f_frsize < 2u * IMG_CSTRIDE)
			en = ENOSPC;
		return ewf_fail(err, &lerr, en, "cannot write", e->first);
	}
	return SHODO_OK;
}

shodo_status img_ewf_finish(img_ewf *e, const shodo_digests *d, const img_badlist *bad,
                            shodo_err *err)
{
	libewf_error_t *lerr = NULL;
	if (d->set & SHODO_HASH_MD5) {
		/* a resumed handle refuses the binary digest ("cannot be changed"):
		 * the hash value below then fills the hash and digest sections */
		if (libewf_handle_set_md5_hash(e->h, (uint8_t *)(uintptr_t)d->md5_raw, 16, &lerr) != 1)
			libewf_error_free(&lerr);
		if (libewf_handle_set_utf8_hash_value(e->h, (const uint8_t *)"MD5", 3, (const uint8_t *)d->md5, 32,
		                                      &lerr) != 1)
			goto store_fail;
	}
	if (d->set & SHODO_HASH_SHA1) {
		if (libewf_handle_set_sha1_hash(e->h, (uint8_t *)(uintptr_t)d->sha1_raw, 20, &lerr) != 1)
			libewf_error_free(&lerr);
		if (libewf_handle_set_utf8_hash_value(e->h, (const uint8_t *)"SHA1", 4, (const uint8_t *)d->sha1, 40,
		                                      &lerr) != 1)
			goto store_fail;
	}
	for (size_t i = 0; bad && i < bad->n; i++) {
		uint64_t s0 = bad->r[i].off / e->bps;
		uint64_t s1 = (bad->r[i].off + bad->r[i].len + e->bps - 1) / e->bps;
		if (libewf_handle_append_acquiry_error(e->h, s0, s1 - s0, &lerr) != 1)
			goto store_fail;
	}
	errno = 0;
	if (libewf_handle_write_finalize(e->h, &lerr) < 0) {
		ewf_fail(err, &lerr, errno, "cannot finish", e->first);
		img_ewf_abort(e);
		return SHODO_FATAL;
	}
	if (libewf_handle_close(e->h, &lerr) != 0) {
		ewf_fail(err, &lerr, errno, "cannot close", e->first);
		libewf_handle_free(&e->h, NULL);
		free(e);
		return SHODO_FATAL;
	}
	libewf_handle_free(&e->h, NULL);
	free(e);
	return SHODO_OK;
store_fail:
	ewf_fail(err, &lerr, 0, "cannot store hashes and acquiry errors in", e->first);
	img_ewf_abort(e);
	return SHODO_FATAL;
}

void img_ewf_abort(img_ewf *e)
{
	if (!e)
		return;
	if (e->h) {
		libewf_handle_close(e->h, NULL);
		libewf_handle_free(&e->h, NULL);
	}
	free(e);
}
