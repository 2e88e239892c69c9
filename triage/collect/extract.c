/*
 * Extraction: one stream of a suspect file into the case folder.
 *
 * Names: every component of the original path goes through
 * shodo_safe_component(); a per-volume map then makes each result unique on a
 * case-insensitive host (NTFS allows "a.txt" and "A.TXT" side by side, and an
 * examiner may copy the case to Windows or macOS): a clash gets "~2", "~3",
 * ... before its extension.  The original path is kept in the manifest.
 * Files are created below the evidence folder with mkdirat/openat, O_EXCL
 * and O_NOFOLLOW, one component at a time, so no name can leave it.
 *
 * Bytes: streamed with tsk_fs_attr_read in 1 MiB pieces, hashed (MD5 and
 * SHA-256) while written.  Runs of zeros (sparse runs, unwritten tails)
 * become holes.  A piece that cannot be read is read again block by block;
 * blocks that still fail are zero-filled, counted and reported.
 */
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "collect.h"
#include "shodo/hash.h"
#include "shodo/safepath.h"
#include "shodo/util.h"

/* ---- a small string map (chained hashing) ---- */
typedef struct nm_ent {
	struct nm_ent *next;
	char *key, *val;
} nm_ent;

struct col_namemap {
	nm_ent **omap;   /* encoded original path -> safe relative path */
	nm_ent **lmap;   /* lower-cased safe relative path -> "" */
	size_t nb, n;
};

#define NM_BUCKETS 4096

static uint64_t strhash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

col_namemap *col_namemap_new(void)
{
	col_namemap *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->nb = NM_BUCKETS;
	m->omap = calloc(m->nb, sizeof(nm_ent *));
	m->lmap = calloc(m->nb, sizeof(nm_ent *));
	if (!m->omap || !m->lmap) {
		col_namemap_free(m);
		return NULL;
	}
	return m;
}

static void nm_free_tab(nm_ent **t, size_t nb)
{
	if (!t)
		return;
	for (size_t i = 0; i < nb; i++) {
		for (nm_ent *e = t[i], *nx; e; e = nx) {
			nx = e->next;
			free(e->key);
			free(e->val);
			free(e);
		}
	}
	free(t);
}

void col_namemap_free(col_namemap *m)
{
	if (!m)
		return;
	nm_free_tab(m->omap, m->nb);
	nm_free_tab(m->lmap, m->nb);
	free(m);
}

static nm_ent *nm_get(nm_ent **t, size_t nb, const char *key)
{
	for (nm_ent *e = t[strhash(key) % nb]; e; e = e->next)
		if (!strcmp(e->key, key))
			return e;
	return NULL;
}

static int nm_put(nm_ent **t, size_t nb, const char *key, const char *val)
{
	nm_ent *e = calloc(1, sizeof(*e));
	if (!e || !(e->key = strdup(key)) || !(e->val = strdup(val))) {
		if (e)
			free(e->key);
		free(e);
		return -1;
	}
	size_t b = strhash(key) % nb;
	e->next = t[b];
	t[b] = e;
	return 0;
}

static void lower_ascii(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s + 32);
}

/*
 * A case folder is copied to analysts' Windows workstations: names that
 * Windows refuses or changes must not be in it.  After shodo_safe_component
 * (which already escapes controls, '/', '\\', ':' and '%'), the characters
 * < > " | ? * become %XX, a trailing dot or space becomes %2E / %20, and a
 * device name (CON, PRN, AUX, NUL, COM1-9, LPT1-9, also with an extension)
 * gets its first letter escaped.  '%' being escaped, this stays one-to-one.
 */
#define WIN_NAME_MAX 240

static uint32_t fnv32(const char *p, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 16777619u;
	return h;
}

static int win_device(const char *s)
{
	static const char *const dev[] = {"con", "prn", "aux", "nul", NULL};
	size_t n = strcspn(s, ".");
	char b[8];
	if (n < 3 || n > 4)
		return 0;
	for (size_t i = 0; i < n; i++)
		b[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i]);
	b[n] = '\0';
	for (int i = 0; dev[i]; i++)
		if (!strcmp(b, dev[i]))
			return 1;
	return n == 4 && (!strncmp(b, "com", 3) || !strncmp(b, "lpt", 3)) && b[3] >= '1' && b[3] <= '9';
}

static void win_portable(const char *in, const char *orig, size_t origlen, char *out, size_t outsz)
{
	char buf[4 * SHODO_SAFE_NAME_MAX + 16];
	size_t o = 0, n = strlen(in);
	for (size_t i = 0; i < n && o + 4 < sizeof(buf); i++) {
		unsigned char c = (unsigned char)in[i];
		int esc = strchr("<>\"|?*", c) != NULL || (i == 0 && win_device(in)) ||
		          (i == n - 1 && (c == '.' || c == ' '));
		if (esc)
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%%%02X", c);
		else
			buf[o++] = (char)c;
	}
	buf[o] = '\0';
	if (o > WIN_NAME_MAX) {
		/* cut on a character boundary, not inside a %XX, and say which name it was */
		size_t k = WIN_NAME_MAX - 9;
		while (k > 0 && ((unsigned char)buf[k] & 0xc0) == 0x80)
			k--;
		if (k >= 1 && buf[k - 1] == '%')
			k -= 1;
		else if (k >= 2 && buf[k - 2] == '%')
			k -= 2;
		snprintf(buf + k, sizeof(buf) - k, "~%08x", fnv32(orig, origlen));
	}
	snprintf(out, outsz, "%s", buf);
}

static uint64_t fnv64(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* cand = "<cur>/<safe>" or, for n > 1, with "~n" before the extension */
static int join(char *cand, size_t sz, const char *cur, const char *safe, int n)
{
	int w;
	if (n == 1) {
		w = snprintf(cand, sz, "%s%s%s", cur, *cur ? "/" : "", safe);
	} else {
		const char *dot = strrchr(safe, '.');
		if (!dot || dot == safe)
			dot = safe + strlen(safe);
		w = snprintf(cand, sz, "%s%s%.*s~%d%s", cur, *cur ? "/" : "", (int)(dot - safe), safe, n, dot);
	}
	return w < 0 || (size_t)w >= sz ? -1 : 0;
}

/* key: components encoded as "<len>:<bytes>" one after another */
int col_namemap_path(col_namemap *m, const char *key, char *out, size_t outsz)
{
	char okey[8192], cur[8192], cand[8192], lc[8192];
	char safe0[SHODO_SAFE_NAME_MAX + 1], safe[WIN_NAME_MAX + 16];
	size_t ok = 0;
	int toolong = 0;
	const char *p = key;
	cur[0] = '\0';
	safe[0] = '\0';
	while (*p) {
		char *end;
		unsigned long len = strtoul(p, &end, 10);
		if (*end != ':' || strlen(end + 1) < len)
			return -1;
		const char *name = end + 1;
		size_t enc = (size_t)(name + len - p);
		if (ok + enc + 1 > sizeof(okey))
			return -1;
		memcpy(okey + ok, p, enc);
		ok += enc;
		okey[ok] = '\0';
		p = name + len;
		shodo_safe_component(name, len, safe0, sizeof(safe0));
		win_portable(safe0, name, len, safe, sizeof(safe));
		if (toolong)
			continue;
		nm_ent *e = nm_get(m->omap, m->nb, okey);
		if (e) {
			snprintf(cur, sizeof(cur), "%s", e->val);
			continue;
		}
		int n;
		for (n = 1;; n++) {
			if (join(cand, sizeof(cand), cur, safe, n) < 0)
				break;
			snprintf(lc, sizeof(lc), "%s", cand);
			lower_ascii(lc);
			if (!nm_get(m->lmap, m->nb, lc))
				break;
		}
		if (strlen(cand) > COL_REL_MAX || join(cand, sizeof(cand), cur, safe, n) < 0) {
			toolong = 1;
			continue;
		}
		if (nm_put(m->lmap, m->nb, lc, "") < 0 || nm_put(m->omap, m->nb, okey, cand) < 0)
			return -1;
		snprintf(cur, sizeof(cur), "%s", cand);
	}
	if (toolong) {
		/* a path too long for the host (PATH_MAX) or for the tools that read the
		 * case: the file goes to _long_paths/<hash of the original path>/<name> */
		nm_ent *e = nm_get(m->omap, m->nb, okey);
		if (e) {
			snprintf(cur, sizeof(cur), "%s", e->val);
		} else {
			char dir[64];
			snprintf(dir, sizeof(dir), "_long_paths/%016llx", (unsigned long long)fnv64(okey));
			for (int n = 1;; n++) {
				if (join(cand, sizeof(cand), dir, safe, n) < 0)
					return -1;
				snprintf(lc, sizeof(lc), "%s", cand);
				lower_ascii(lc);
				if (!nm_get(m->lmap, m->nb, lc))
					break;
			}
			if (nm_put(m->lmap, m->nb, lc, "") < 0 || nm_put(m->omap, m->nb, okey, cand) < 0)
				return -1;
			snprintf(cur, sizeof(cur), "%s", cand);
		}
	}
	if (shodo_snprintf(out, outsz, "%s", cur) < 0)
		return -1;
	return 0;
}

/* ---- bytes ---- */
#define CHUNK (1024 * 1024)
#define HOLE 65536

static int all_zero(const unsigned char *b, size_t n)
{
	return n == 0 || (b[0] == 0 && !memcmp(b, b + 1, n - 1));
}

static int put(int fd, const unsigned char *b, size_t n)
{
	for (size_t o = 0; o < n;) {
		size_t k = n - o < HOLE ? n - o : HOLE;
		if (all_zero(b + o, k)) {
			if (lseek(fd, (off_t)k, SEEK_CUR) < 0)
				return -1;
		} else {
			for (size_t w = 0; w < k;) {
				ssize_t r = write(fd, b + o + w, k - w);
				if (r < 0) {
					if (errno == EINTR)
						continue;
					return -1;
				}
				w += (size_t)r;
			}
		}
		o += k;
	}
	return 0;
}

/* opens dir/rel for writing, creating the directories between */
static int open_dest(const char *dir, const char *rel)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return -1;
	char comp[SHODO_SAFE_NAME_MAX + 64];
	const char *p = rel;
	for (;;) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == 0 || n >= sizeof(comp) || (n <= 2 && !strncmp(p, "..", n))) {
			close(dfd);
			errno = EINVAL;
			return -1;
		}
		memcpy(comp, p, n);
		comp[n] = '\0';
		if (!e) {
			int fd = openat(dfd, comp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
			int saved = errno;
			close(dfd);
			errno = saved;
			return fd;
		}
		if (mkdirat(dfd, comp, 0700) < 0 && errno != EEXIST) {
			int saved = errno;
			close(dfd);
			errno = saved;
			return -1;
		}
		int nfd = openat(dfd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		int saved = errno;
		close(dfd);
		if (nfd < 0) {
			errno = saved;
			return -1;
		}
		dfd = nfd;
		p = e + 1;
	}
}

ssize_t col_read_head(const TSK_FS_ATTR *attr, void *buf, size_t n)
{
	if ((uint64_t)attr->size < n)
		n = (size_t)attr->size;
	if (n == 0)
		return 0;
	ssize_t r = tsk_fs_attr_read(attr, 0, buf, n, TSK_FS_FILE_READ_FLAG_NONE);
	if (r < 0)
		tsk_error_reset();
	return r;
}

/* MD5 of a big file's chunk on a second thread while this one does SHA-256
 * and the write ($MFT and $UsnJrnl:$J run to gigabytes) */
#define PAR_MIN (8u * 1024 * 1024)
typedef struct md5_job {
	shodo_hash *h;
	const unsigned char *buf;
	size_t n;
} md5_job;

static void *md5_run(void *p)
{
	md5_job *j = p;
	shodo_hash_update(j->h, j->buf, j->n);
	return NULL;
}

void col_too_big(char *out, size_t n, uint64_t size, uint64_t room)
{
	snprintf(out, n, "its size (%llu bytes) is larger than its volume (%llu bytes): a damaged or crafted entry, "
	         "not copied", (unsigned long long)size, (unsigned long long)room);
}

uint64_t col_fs_room(const TSK_FS_INFO *fs)
{
	if (!fs || !fs->img_info)
		return 0;
	/* the smaller of what the file system says it spans and what the
	 * image holds from its start (a crafted block count can claim more) */
	uint64_t room = 0;
	if (fs->img_info->size > fs->offset)
		room = (uint64_t)(fs->img_info->size - fs->offset);
	if (fs->block_size && fs->block_count &&
	    fs->block_count < UINT64_MAX / fs->block_size &&
	    (uint64_t)fs->block_count * fs->block_size < room)
		room = (uint64_t)fs->block_count * fs->block_size;
	return room;
}

static col_chan *ticks;

void col_extract_ticks(col_chan *ch)
{
	ticks = ch;
}

int col_extract_attr(const TSK_FS_ATTR *attr, const char *dir, const char *rel, shodo_cancel *cancel,
                     col_extract_result *r)
{
	memset(r, 0, sizeof(*r));
	r->size = attr->size > 0 ? (uint64_t)attr->size : 0;
	/* A file cannot hold more than the volume it is on.  A crafted or
	 * damaged inode can claim 2^59 bytes whose reads (holes, failing
	 * blocks) keep ticking, so the walk's no-progress limit never ends
	 * them: such a file is reported and not copied.  (libtsk already
	 * refuses an NTFS sparse run longer than the volume, which is how a
	 * genuine sparse $UsnJrnl:$J larger than its volume would look.) */
	uint64_t room = col_fs_room(attr->fs_file ? attr->fs_file->fs_info : NULL);
	if (room && r->size > room) {
		col_too_big(r->error, sizeof(r->error), r->size, room);
		return -1;
	}
	/* dir NULL: hashed only, nothing written */
	int fd = dir ? open_dest(dir, rel) : -1;
	if (dir && fd < 0) {
		r->dest_errno = errno;
		snprintf(r->error, sizeof(r->error), "cannot create '%s': %s", rel, strerror(errno));
		return -1;
	}
	/* two buffers for a big file: the next piece is read while the MD5 of
	 * this one is computed */
	unsigned char *bufs[2] = {malloc(CHUNK), r->size >= PAR_MIN && r->size > CHUNK ? malloc(CHUNK) : NULL};
	unsigned char *buf = bufs[0];
	pthread_t th;
	md5_job job;
	int par = 0;
	shodo_hash *h = shodo_hash_new(SHODO_HASH_SHA256), *hm = shodo_hash_new(SHODO_HASH_MD5);
	int rc = 0;
	if (!buf || !h || !hm) {
		snprintf(r->error, sizeof(r->error), "out of memory");
		rc = -1;
		goto out;
	}
	size_t bs = attr->fs_file && attr->fs_file->fs_info && attr->fs_file->fs_info->block_size
	             ? attr->fs_file->fs_info->block_size : 4096;
	for (uint64_t off = 0; off < r->size;) {
		col_chan_tick(ticks);
		if (shodo_cancelled(cancel)) {
			snprintf(r->error, sizeof(r->error), "cancelled");
			rc = -1;
			goto out;
		}
		size_t len = r->size - off < CHUNK ? (size_t)(r->size - off) : CHUNK;
		ssize_t got = tsk_fs_attr_read(attr, (TSK_OFF_T)off, (char *)buf, len, TSK_FS_FILE_READ_FLAG_NONE);
		if (got != (ssize_t)len) {
			/* read again block by block; what still fails is zero-filled */
			tsk_error_reset();
			for (size_t o = 0; o < len;) {
				size_t pl = len - o < bs ? len - o : bs;
				ssize_t g = tsk_fs_attr_read(attr, (TSK_OFF_T)(off + o), (char *)buf + o, pl,
				                             TSK_FS_FILE_READ_FLAG_NONE);
				if (g != (ssize_t)pl) {
					char m[256];
					if (g < 0)
						g = 0;
					memset(buf + o + g, 0, pl - (size_t)g);
					if (!r->bad)
						snprintf(r->error, sizeof(r->error), "read error at byte %llu: %s",
						         (unsigned long long)(off + o + (size_t)g), tsk_msg(m, sizeof(m)));
					else
						tsk_error_reset();
					r->bad += pl - (size_t)g;
				}
				o += pl;
			}
		}
		/* the previous piece's MD5 ends before this one's starts (read
		 * into the other buffer meanwhile) */
		if (par) {
			pthread_join(th, NULL);
			par = 0;
		}
		job = (md5_job){hm, buf, len};
		par = bufs[1] && pthread_create(&th, NULL, md5_run, &job) == 0;
		if (!par)
			shodo_hash_update(hm, buf, len);
		shodo_hash_update(h, buf, len);
		int wr = fd >= 0 ? put(fd, buf, len) : 0, werr = errno;
		errno = werr;
		if (wr < 0) {
			r->dest_errno = errno;
			snprintf(r->error, sizeof(r->error), "cannot write '%s': %s", rel, strerror(errno));
			rc = -1;
			goto out;
		}
		off += len;
		if (bufs[1]) {
			unsigned char *t = bufs[0];
			bufs[0] = bufs[1];
			bufs[1] = t;
			buf = bufs[0];
		}
	}
	if (par) {
		pthread_join(th, NULL);
		par = 0;
	}
	if (fd >= 0 && ftruncate(fd, (off_t)r->size) < 0) {
		r->dest_errno = errno;
		snprintf(r->error, sizeof(r->error), "cannot write '%s': %s", rel, strerror(errno));
		rc = -1;
		goto out;
	}
	if (r->bad) {
		size_t l = strlen(r->error);
		snprintf(r->error + l, sizeof(r->error) - l, " (%llu of %llu bytes unreadable, zero-filled)",
		         (unsigned long long)r->bad, (unsigned long long)r->size);
	}
	shodo_digests d;
	memset(&d, 0, sizeof(d));
	shodo_hash_final(h, &d);
	shodo_hash_final(hm, &d);
	memcpy(r->md5, d.md5, sizeof(r->md5));
	memcpy(r->sha256, d.sha256, sizeof(r->sha256));
	if (fd >= 0)
		fchmod(fd, 0400);
out:
	if (par)
		pthread_join(th, NULL);
	if (fd >= 0 && close(fd) < 0 && rc == 0) {
		r->dest_errno = errno;
		snprintf(r->error, sizeof(r->error), "cannot write '%s': %s", rel, strerror(errno));
		rc = -1;
	}
	shodo_hash_free(h);
	shodo_hash_free(hm);
	free(bufs[0]);
	free(bufs[1]);
	if (rc < 0 && dir) {
		/* no half-written copy is left behind */
		char p[8192];
		if (shodo_snprintf(p, sizeof(p), "%s/%s", dir, rel) == 0)
			unlink(p);
	}
	return rc;
}
