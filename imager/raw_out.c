/*
 * Raw output: one file (base.raw) or pieces of segment_size bytes
 * (base.001, base.002 ...), written with plain write(2).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "imager_out.h"

struct img_raw {
	char base[4000];
	uint64_t segsize;     /* 0: single file */
	int idx;              /* current piece */
	int fd;
	uint64_t in_piece;    /* bytes in the current piece */
	char cur[4096];
};

void img_raw_name(const char *base, uint64_t segsize, int i, char *out, size_t outsz)
{
	if (segsize)
		snprintf(out, outsz, "%s.%03d", base, i + 1);
	else
		snprintf(out, outsz, "%s.raw", base);
}

uint64_t img_raw_existing(const char *base, uint64_t segsize)
{
	char p[4096];
	uint64_t total = 0;
	struct stat st;
	for (int i = 0;; i++) {
		img_raw_name(base, segsize, i, p, sizeof(p));
		if (stat(p, &st) < 0)
			break;
		total += (uint64_t)st.st_size;
		if (!segsize || (uint64_t)st.st_size < segsize)
			break;
	}
	return total / IMG_CHUNK * IMG_CHUNK;
}

static shodo_status open_piece(img_raw *r, uint64_t keep, shodo_err *err)
{
	img_raw_name(r->base, r->segsize, r->idx, r->cur, sizeof(r->cur));
	int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (keep ? 0 : O_TRUNC);
	r->fd = open(r->cur, flags, 0600);
	if (r->fd < 0)
		return shodo_err_set(err, SHODO_FATAL, errno, "cannot create '%s'", r->cur);
	if (keep && (ftruncate(r->fd, (off_t)keep) < 0 || lseek(r->fd, (off_t)keep, SEEK_SET) < 0))
		return shodo_err_set(err, SHODO_FATAL, errno, "cannot resume '%s'", r->cur);
	r->in_piece = keep;
	return SHODO_OK;
}

shodo_status img_raw_create(const char *base, uint64_t segsize, uint64_t resume_at, img_raw **out,
                            shodo_err *err)
{
	img_raw *r = calloc(1, sizeof(*r));
	*out = NULL;
	if (!r)
		return shodo_err_set(err, SHODO_FATAL, ENOMEM, "cannot create a raw image");
	snprintf(r->base, sizeof(r->base), "%s", base);
	r->segsize = segsize;
	r->fd = -1;
	uint64_t keep = resume_at;
	if (segsize) {
		r->idx = (int)(resume_at / segsize);
		keep = resume_at % segsize;
		/* a full last piece: the next write opens the following one */
	}
	shodo_status st = open_piece(r, keep, err);
	if (st != SHODO_OK) {
		img_raw_abort(r);
		return st;
	}
	*out = r;
	return SHODO_OK;
}

shodo_status img_raw_write(img_raw *r, const void *buf, size_t n, shodo_err *err)
{
	const char *p = buf;
	while (n > 0) {
		if (r->segsize && r->in_piece >= r->segsize) {
			if (close(r->fd) < 0)
				return shodo_err_set(err, SHODO_FATAL, errno, "cannot write '%s'", r->cur);
			r->fd = -1;
			r->idx++;
			shodo_status st = open_piece(r, 0, err);
			if (st != SHODO_OK)
				return st;
		}
		size_t want = n;
		if (r->segsize && want > r->segsize - r->in_piece)
			want = (size_t)(r->segsize - r->in_piece);
		ssize_t w = write(r->fd, p, want);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return shodo_err_set(err, SHODO_FATAL, w < 0 ? errno : ENOSPC, "cannot write '%s'", r->cur);
		p += w;
		n -= (size_t)w;
		r->in_piece += (uint64_t)w;
	}
	return SHODO_OK;
}

shodo_status img_raw_finish(img_raw *r, shodo_err *err)
{
	shodo_status st = SHODO_OK;
	if (r->fd >= 0 && (fsync(r->fd) < 0 || close(r->fd) < 0))
		st = shodo_err_set(err, SHODO_FATAL, errno, "cannot write '%s'", r->cur);
	r->fd = -1;
	free(r);
	return st;
}

void img_raw_abort(img_raw *r)
{
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	free(r);
}
