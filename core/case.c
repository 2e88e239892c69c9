/*
 * The case folder.  Layout and field names are fixed by SPEC.md.
 *
 * Concurrency: several jobs (TUI) or processes may share a case folder.
 * Every read-modify-write of a shared file (case.json, custody.jsonl,
 * SHA256SUMS) happens under an exclusive flock on DIR/.shodo/lock.
 * DIR/.shodo/ also holds the hash cache that lets SHA256SUMS be refreshed
 * without re-reading terabytes of unchanged segments; it is not evidence
 * and is not listed in SHA256SUMS.
 *
 * custody.jsonl is a hash chain: every entry carries "prev", the sha256 of
 * the previous line's bytes, so that removing or editing an entry is
 * detectable by shodo verify (and by hand with sha256sum).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include "shodo/json.h"
#include "shodo/buf.h"
#include "shodo/case.h"
#include "shodo/hash.h"
#include "shodo/safepath.h"
#include "shodo/devices.h"
#include "shodo/util.h"
#include "shodo/version.h"

typedef struct cache_ent {
	char *rel;
	uint64_t size;
	int64_t mtime_ns;
	char sha256[65];
} cache_ent;

struct shodo_case {
	char *dir;
	char *examiner;
	pthread_mutex_t mu;
	cache_ent *known;
	size_t nknown, capknown;
};

#define META_DIR ".shodo"

static int path_join(char *out, size_t outsz, const char *a, const char *b)
{
	return shodo_snprintf(out, outsz, "%s/%s", a, b);
}

static int lock_case(const shodo_case *c)
{
	char p[4096];
	path_join(p, sizeof(p), c->dir, META_DIR "/lock");
	int fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	while (flock(fd, LOCK_EX) < 0 && errno == EINTR)
		;
	return fd;
}

static void unlock_case(int fd)
{
	if (fd >= 0) {
		flock(fd, LOCK_UN);
		close(fd);
	}
}

static int write_json_atomic(const char *path, json_t *doc)
{
	char *s = shodo_json_text(doc);
	if (!s) {
		errno = ENOMEM;
		return -1;
	}
	int r = shodo_write_file_atomic(path, s, strlen(s), 0600);
	free(s);
	return r;
}

int shodo_case_id_valid(const char *id)
{
	size_t n = id ? strlen(id) : 0;
	if (n == 0 || n > 64 || id[0] == '.' || id[0] == '-')
		return 0;
	for (size_t i = 0; i < n; i++) {
		char ch = id[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		      ch == '.' || ch == '_' || ch == '-'))
			return 0;
	}
	return strcmp(id, META_DIR) != 0;
}

shodo_status shodo_case_open(const char *dir, const shodo_case_meta *meta, int create,
                             shodo_case **out, shodo_err *err)
{
	char p[4096];
	struct stat st;
	shodo_status rc = SHODO_OK;
	json_t *doc = NULL;
	int lk = -1;
	*out = NULL;

	if (!dir || !*dir)
		return shodo_err_set(err, SHODO_USAGE, 0, "no case folder given");
	if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode))
		return shodo_err_set(err, SHODO_FATAL, ENOTDIR, "cannot use case folder '%s'", dir);
	if (stat(dir, &st) < 0) {
		if (!create)
			return shodo_err_set(err, SHODO_FATAL, errno, "cannot open case folder '%s'", dir);
		if (shodo_mkdirs(dir, 0700) < 0)
			return shodo_err_set(err, SHODO_FATAL, errno, "cannot create case folder '%s'", dir);
	}
	if (access(dir, W_OK | X_OK) < 0 && create)
		return shodo_err_set(err, SHODO_FATAL, errno, "cannot write to case folder '%s'", dir);

	shodo_case *c = calloc(1, sizeof(*c));
	if (!c)
		return shodo_err_set(err, SHODO_FATAL, ENOMEM, "cannot open case folder '%s'", dir);
	pthread_mutex_init(&c->mu, NULL);
	c->dir = strdup(dir);
	size_t dl = strlen(c->dir);
	while (dl > 1 && c->dir[dl - 1] == '/')
		c->dir[--dl] = '\0';

	path_join(p, sizeof(p), c->dir, META_DIR);
	if (create && mkdir(p, 0700) < 0 && errno != EEXIST) {
		rc = shodo_err_set(err, SHODO_FATAL, errno, "cannot create '%s'", p);
		goto fail;
	}
	if (create)
		lk = lock_case(c);

	path_join(p, sizeof(p), c->dir, "case.json");
	json_error_t jerr;
	doc = json_load_file(p, 0, &jerr);
	if (!doc && access(p, F_OK) == 0) {
		rc = shodo_err_set(err, SHODO_FATAL, 0, "cannot read '%s': %s (line %d)", p, jerr.text, jerr.line);
		goto fail;
	}
	if (!doc && !create) {
		rc = shodo_err_set(err, SHODO_FATAL, ENOENT, "'%s' is not a case folder (no case.json)", dir);
		goto fail;
	}
	if (!doc) {
		char now[32];
		doc = json_pack("{s:s?, s:s?, s:s?, s:s?, s:s, s:s, s:[]}",
		                "case_number", meta ? meta->case_number : NULL,
		                "examiner", meta ? meta->examiner : NULL,
		                "description", meta ? meta->description : NULL,
		                "notes", meta ? meta->notes : NULL,
		                "created", shodo_now_iso(now),
		                "tool", "shodo " SHODO_VERSION,
		                "evidence");
		json_object_set_new(doc, "versions", shodo_version_json());
		if (write_json_atomic(p, doc) < 0) {
			rc = shodo_err_set(err, SHODO_FATAL, errno, "cannot write '%s'", p);
			goto fail;
		}
	}
	{
		const char *ex = meta && meta->examiner ? meta->examiner : shodo_json_str(doc, "examiner", NULL);
		c->examiner = strdup(ex ? ex : "");
	}
	unlock_case(lk);
	lk = -1;
	if (create && meta && meta->case_number && shodo_json_str(doc, "case_number", NULL) &&
	    strcmp(meta->case_number, shodo_json_str(doc, "case_number", NULL)) != 0) {
		char d[512];
		snprintf(d, sizeof(d), "case number given as '%s', case.json has '%s'", meta->case_number,
		         shodo_json_str(doc, "case_number", NULL));
		shodo_case_custody(c, "note", NULL, "case.json", NULL, d, NULL);
	}
	json_decref(doc);
	*out = c;
	return SHODO_OK;
fail:
	unlock_case(lk);
	json_decref(doc);
	shodo_case_close(c);
	return rc;
}

void shodo_case_close(shodo_case *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nknown; i++)
		free(c->known[i].rel);
	free(c->known);
	free(c->dir);
	free(c->examiner);
	pthread_mutex_destroy(&c->mu);
	free(c);
}

const char *shodo_case_dir(const shodo_case *c) { return c->dir; }
const char *shodo_case_examiner(const shodo_case *c) { return c->examiner; }

shodo_status shodo_case_evidence_dir(shodo_case *c, const char *id, const char *sub,
                                     char *out, size_t outsz, shodo_err *err)
{
	char p[4096];
	if (!shodo_case_id_valid(id))
		return shodo_err_set(err, SHODO_USAGE, 0,
		                     "invalid evidence ID '%s': use 1-64 letters, digits, '.', '_' or '-'",
		                     id ? id : "");
	if (shodo_snprintf(out, outsz, "%s/%s/%s", c->dir, id, sub) < 0)
		return shodo_err_set(err, SHODO_FATAL, ENAMETOOLONG, "cannot create evidence folder");
	if (shodo_mkdirs(out, 0700) < 0)
		return shodo_err_set(err, SHODO_FATAL, errno, "cannot create '%s'", out);

	int lk = lock_case(c);
	path_join(p, sizeof(p), c->dir, "case.json");
	json_t *doc = json_load_file(p, 0, NULL);
	shodo_status rc = SHODO_OK;
	if (doc) {
		json_t *ev = json_object_get(doc, "evidence");
		if (!json_is_array(ev)) {
			ev = json_array();
			json_object_set_new(doc, "evidence", ev);
		}
		json_t *item = NULL, *it;
		size_t i;
		json_array_foreach(ev, i, it) {
			if (shodo_json_str(it, "id", NULL) && !strcmp(shodo_json_str(it, "id", NULL), id))
				item = it;
		}
		if (!item) {
			char now[32];
			item = json_pack("{s:s, s:s, s:[]}", "id", id, "added", shodo_now_iso(now), "parts");
			json_array_append_new(ev, item);
		}
		json_t *parts = json_object_get(item, "parts");
		int have = 0;
		json_array_foreach(parts, i, it) {
			if (json_is_string(it) && !strcmp(json_string_value(it), sub))
				have = 1;
		}
		if (!have)
			json_array_append_new(parts, json_string(sub));
		if (write_json_atomic(p, doc) < 0)
			rc = shodo_err_set(err, SHODO_FATAL, errno, "cannot write '%s'", p);
		json_decref(doc);
	}
	unlock_case(lk);
	return rc;
}

/* sha256 of the last line of custody.jsonl, or 64 zeros when empty */
static void last_line_hash(const char *path, char out[65])
{
	memset(out, '0', 64);
	out[64] = '\0';
	/* only the tail is read: a merged case's chain holds many thousand
	 * entries and every append needs the last one */
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	struct stat st;
	char *buf = NULL;
	size_t n = 0, cap = 0;
	for (off_t want = 1 << 16;; want *= 4) {
		if (fstat(fd, &st) < 0)
			break;
		off_t from = st.st_size > want ? st.st_size - want : 0;
		size_t len = (size_t)(st.st_size - from);
		if (shodo_grow(&buf, &cap, len + 1) < 0)
			break;
		ssize_t r = pread(fd, buf, len, from);
		if (r < 0)
			break;
		n = (size_t)r;
		size_t e = n;
		while (e && buf[e - 1] == '\n')
			e--;
		/* a whole last line is in the buffer, or the buffer is the file */
		if (from == 0 || memchr(buf, '\n', e ? e : 1))
			break;
	}
	close(fd);
	if (!buf)
		return;
	while (n && buf[n - 1] == '\n')
		n--;
	size_t start = n;
	while (start && buf[start - 1] != '\n')
		start--;
	if (n > start) {
		shodo_digests d;
		if (shodo_hash_buf(SHODO_HASH_SHA256, buf + start, n - start, &d) == 0)
			memcpy(out, d.sha256, 65);
	}
	free(buf);
}

shodo_status shodo_case_custody(shodo_case *c, const char *action, const char *evidence,
                                const char *object, const char *sha256, const char *detail,
                                shodo_err *err)
{
	char p[4096], now[32], who[128], host[256] = "";
	path_join(p, sizeof(p), c->dir, "custody.jsonl");
	gethostname(host, sizeof(host) - 1);
	int lk = lock_case(c);
	char prev[65];
	last_line_hash(p, prev);
	json_t *e = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s}",
	                      "time", shodo_now_iso(now), "examiner", c->examiner,
	                      "operator", shodo_operator(who), "host", host, "action", action,
	                      "evidence", evidence, "object", object, "sha256", sha256,
	                      "detail", detail, "prev", prev);
	json_object_set_new(e, "tool", json_string("shodo " SHODO_VERSION));
	char *line = json_dumps(e, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(e);
	shodo_status rc = SHODO_OK;
	int fd = open(p, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || !line) {
		rc = shodo_err_set(err, SHODO_FATAL, errno, "cannot append to '%s'", p);
	} else {
		size_t n = strlen(line);
		line[n] = '\n';  /* json_dumps leaves room: replace NUL, write n+1 */
		if (write(fd, line, n + 1) != (ssize_t)(n + 1) || fsync(fd) < 0)
			rc = shodo_err_set(err, SHODO_FATAL, errno ? errno : ENOSPC, "cannot append to '%s'", p);
	}
	if (fd >= 0)
		close(fd);
	free(line);
	unlock_case(lk);
	return rc;
}

void shodo_case_known_hash(shodo_case *c, const char *relpath, const char *sha256)
{
	char p[4096];
	struct stat st;
	if (path_join(p, sizeof(p), c->dir, relpath) < 0 || stat(p, &st) < 0)
		return;
	char *rel = strdup(relpath);
	pthread_mutex_lock(&c->mu);
	/* out of memory: the file is hashed again at the next refresh */
	if (!rel || shodo_grow(&c->known, &c->capknown, c->nknown + 1) < 0) {
		pthread_mutex_unlock(&c->mu);
		free(rel);
		return;
	}
	cache_ent *e = &c->known[c->nknown++];
	e->rel = rel;
	e->size = (uint64_t)st.st_size;
	e->mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
	snprintf(e->sha256, sizeof(e->sha256), "%s", sha256);
	pthread_mutex_unlock(&c->mu);
}

/* ---- walking the folder ---- */

typedef struct flist {
	char **rel;
	size_t n, cap;
	size_t skipped;   /* entries whose path is too long to name: reported, never hidden */
	int oom;          /* an entry was lost for want of memory: the sums cannot be written */
} flist;

static void flist_add(flist *l, const char *rel)
{
	char *s = strdup(rel);
	if (!s || shodo_grow(&l->rel, &l->cap, l->n + 1) < 0) {
		free(s);
		l->oom = 1;
		return;
	}
	l->rel[l->n++] = s;
}

static void flist_free(flist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->rel[i]);
	free(l->rel);
}

static int walk(const char *root, const char *rel, flist *l)
{
	char p[4096];
	if (shodo_snprintf(p, sizeof(p), "%s%s%s", root, *rel ? "/" : "", rel) < 0) {
		l->skipped++;
		return -1;
	}
	DIR *d = opendir(p);
	if (!d) {
		l->skipped++;
		return -1;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		const char *n = de->d_name;
		if (!strcmp(n, ".") || !strcmp(n, ".."))
			continue;
		if (!*rel && (!strcmp(n, META_DIR) || !strcmp(n, "SHA256SUMS") || !strcmp(n, "SHA256SUMS.sig")))
			continue;
		if (strstr(n, ".tmp."))
			continue;  /* an atomic write in progress by another job */
		char r[4096];
		char full[4096];
		if (shodo_snprintf(r, sizeof(r), "%s%s%s", rel, *rel ? "/" : "", n) < 0 ||
		    path_join(full, sizeof(full), root, r) < 0) {
			l->skipped++;
			continue;
		}
		struct stat st;
		if (lstat(full, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode))
			walk(root, r, l);
		else if (S_ISREG(st.st_mode))
			flist_add(l, r);
	}
	closedir(d);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_ent(const void *a, const void *b)
{
	return strcmp(((const cache_ent *)a)->rel, ((const cache_ent *)b)->rel);
}

/* cache file: "sha256 size mtime_ns rel\n" */
static cache_ent *load_cache(const char *dir, size_t *n)
{
	char p[4096];
	path_join(p, sizeof(p), dir, META_DIR "/sumcache");
	FILE *fp = fopen(p, "re");
	cache_ent *v = NULL;
	size_t cap = 0;
	*n = 0;
	if (!fp)
		return NULL;
	char line[8192];
	while (fgets(line, sizeof(line), fp)) {
		char h[65];
		unsigned long long sz;
		long long mt;
		int off = 0;
		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "%64s %llu %lld %n", h, &sz, &mt, &off) != 3 || !off)
			continue;
		/* out of memory: the rest of the cache is not used (those files are hashed again) */
		char *rel = strdup(line + off);
		if (!rel || shodo_grow(&v, &cap, *n + 1) < 0) {
			free(rel);
			break;
		}
		v[*n].rel = rel;
		v[*n].size = sz;
		v[*n].mtime_ns = mt;
		memcpy(v[*n].sha256, h, 65);
		(*n)++;
	}
	fclose(fp);
	qsort(v, *n, sizeof(*v), cmp_ent);
	return v;
}

/* RSA and ECDSA keys sign the SHA-256 of SHA256SUMS (openssl dgst -sha256
 * -verify checks it).  Ed25519 and Ed448 take no digest: they sign the
 * bytes themselves (EVP_DigestSign with a NULL digest, one shot), which
 * openssl pkeyutl -verify -rawin checks. */
static int key_takes_digest(EVP_PKEY *pk)
{
	int id = EVP_PKEY_get_base_id(pk);
	return id != EVP_PKEY_ED25519 && id != EVP_PKEY_ED448;
}

static const char *key_kind(EVP_PKEY *pk)
{
	switch (EVP_PKEY_get_base_id(pk)) {
	case EVP_PKEY_RSA: return "RSA";
	case EVP_PKEY_EC: return "ECDSA";
	case EVP_PKEY_ED25519: return "Ed25519";
	case EVP_PKEY_ED448: return "Ed448";
	default: return "this kind of";
	}
}

static int sign_file(const char *data, size_t len, const char *key_path, const char *sig_path,
                     shodo_err *err)
{
	FILE *kf = fopen(key_path, "re");
	if (!kf)
		return shodo_err_set(err, SHODO_FATAL, errno, "cannot read signing key '%s'", key_path);
	EVP_PKEY *pk = PEM_read_PrivateKey(kf, NULL, NULL, NULL);
	fclose(kf);
	if (!pk)
		return shodo_err_set(err, SHODO_FATAL, 0, "cannot load signing key '%s': not a PEM private key "
		                     "(or one protected by a passphrase)", key_path);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char *sig = NULL;
	size_t siglen = 0;
	const EVP_MD *md = key_takes_digest(pk) ? EVP_sha256() : NULL;
	int ok = ctx && EVP_DigestSignInit(ctx, NULL, md, NULL, pk) == 1 &&
	         EVP_DigestSign(ctx, NULL, &siglen, (const unsigned char *)data, len) == 1 &&
	         (sig = malloc(siglen)) && EVP_DigestSign(ctx, sig, &siglen, (const unsigned char *)data, len) == 1;
	int rc = SHODO_OK;
	if (!ok)
		rc = shodo_err_set(err, SHODO_FATAL, 0, "cannot sign SHA256SUMS with the %s key '%s'", key_kind(pk),
		                   key_path);
	else if (shodo_write_file_atomic(sig_path, sig, siglen, 0600) < 0)
		rc = shodo_err_set(err, SHODO_FATAL, errno, "cannot write '%s'", sig_path);
	free(sig);
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(pk);
	return rc;
}

static int cmp_ord(const void *a, const void *b, void *arg)
{
	const cache_ent *base = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int r = strcmp(base[x].rel, base[y].rel);
	return r ? r : (x > y) - (x < y);
}

/* ---- the custody head ---- */

/* the sha256 of custody.jsonl's last line (what the next entry's "prev"
 * will be) and the number of entries */
static void custody_head_of(const char *dir, char head[65], int *entries)
{
	char p[4096];
	size_t n = 0;
	path_join(p, sizeof(p), dir, "custody.jsonl");
	char *buf = shodo_read_file(p, &n);
	memset(head, '0', 64);
	head[64] = '\0';
	*entries = 0;
	if (!buf)
		return;
	for (size_t i = 0; i < n; i++)
		if (buf[i] == '\n' && (i == 0 || buf[i - 1] != '\n'))
			(*entries)++;
	if (n && buf[n - 1] != '\n')
		(*entries)++;
	free(buf);
	last_line_hash(p, head);
}

shodo_status shodo_case_custody_head(const char *dir, char head[65], int *entries, shodo_err *err)
{
	char p[4096];
	int n = 0;
	path_join(p, sizeof(p), dir, "custody.jsonl");
	if (access(p, R_OK) < 0)
		return shodo_err_set(err, SHODO_FATAL, errno, "cannot read '%s'", p);
	custody_head_of(dir, head, &n);
	if (entries)
		*entries = n;
	return SHODO_OK;
}

/* How recent an mtime is too recent to trust at the next refresh: a file
 * changed again within the same time stamp keeps its size and mtime.  FAT
 * counts in 2 s steps, exFAT in 10 ms (and FUSE may pass on anything);
 * ext4, XFS, Btrfs, F2FS and tmpfs keep nanoseconds, taken from a clock
 * that moves every tick (at most 10 ms).  A window of 3 s everywhere made
 * the next command hash the last segment of the previous image again (up
 * to 2 GiB read back from the destination each time). */
static int64_t racy_window_ns(const char *dir)
{
	struct statfs sf;
	if (statfs(dir, &sf) == 0)
		switch ((unsigned long)sf.f_type) {
		case 0xEF53:      /* ext2, ext3, ext4 */
		case 0x58465342:  /* XFS */
		case 0x9123683E:  /* Btrfs */
		case 0xF2F52010:  /* F2FS */
		case 0x01021994:  /* tmpfs */
			return 100 * 1000000LL;
		default:
			break;
		}
	return 3 * 1000000000LL;
}

shodo_status shodo_case_refresh_sums(shodo_case *c, const char *key_path, shodo_err *err)
{
	shodo_status rc = SHODO_OK;
	flist l = {0};
	size_t ncache = 0;
	cache_ent *cache = NULL;
	shodo_buf out = SHODO_BUF_INIT;
	FILE *cf = NULL;
	char cpath[4096], ctmp[4200];
	int lk = lock_case(c);

	/* custody.head: the chain's head, listed in SHA256SUMS and so covered
	 * by its signature; the same value every command prints at its end */
	{
		char hp[4096], head[65], line[96];
		int entries = 0;
		custody_head_of(c->dir, head, &entries);
		path_join(hp, sizeof(hp), c->dir, "custody.head");
		int ln = snprintf(line, sizeof(line), "%s %d\n", head, entries);
		if (entries && shodo_write_file_atomic(hp, line, (size_t)ln, 0600) < 0) {
			rc = shodo_err_set(err, SHODO_FATAL, errno, "cannot write '%s'", hp);
			unlock_case(lk);
			return rc;
		}
	}
	walk(c->dir, "", &l);
	if (l.oom) {
		rc = shodo_err_set(err, SHODO_FATAL, ENOMEM, "cannot refresh SHA256SUMS of '%s'", c->dir);
		goto out;
	}
	qsort(l.rel, l.n, sizeof(char *), cmp_str);
	cache = load_cache(c->dir, &ncache);
	size_t ccap = ncache;

	pthread_mutex_lock(&c->mu);
	/* known hashes from this process win over the cache (out of memory:
	 * the files left out are hashed again) */
	for (size_t i = 0; i < c->nknown; i++) {
		char *rel = strdup(c->known[i].rel);
		if (!rel || shodo_grow(&cache, &ccap, ncache + 1) < 0) {
			free(rel);
			break;
		}
		cache[ncache] = c->known[i];
		cache[ncache].rel = rel;
		ncache++;
	}
	pthread_mutex_unlock(&c->mu);
	/* sorted by path, a known entry after the cached one for the same path
	 * (the order they were added in breaks ties: a stable sort) */
	{
		size_t *ord = malloc((ncache ? ncache : 1) * sizeof(*ord));
		cache_ent *sorted = malloc((ncache ? ncache : 1) * sizeof(*sorted));
		if (ncache && ord && sorted) {
			for (size_t i = 0; i < ncache; i++)
				ord[i] = i;
			qsort_r(ord, ncache, sizeof(*ord), cmp_ord, cache);
			for (size_t i = 0; i < ncache; i++)
				sorted[i] = cache[ord[i]];
			memcpy(cache, sorted, ncache * sizeof(*cache));
		} else {
			for (size_t i = 1; i < ncache; i++)
				for (size_t j = i; j > 0 && strcmp(cache[j - 1].rel, cache[j].rel) > 0; j--) {
					cache_ent t = cache[j];
					cache[j] = cache[j - 1];
					cache[j - 1] = t;
				}
		}
		free(ord);
		free(sorted);
	}

	path_join(cpath, sizeof(cpath), c->dir, META_DIR "/sumcache");
	snprintf(ctmp, sizeof(ctmp), "%s.tmp.%d", cpath, (int)getpid());
	cf = fopen(ctmp, "we");
	struct timespec now_ts;
	clock_gettime(CLOCK_REALTIME, &now_ts);
	int64_t racy_ns = (int64_t)now_ts.tv_sec * 1000000000LL + now_ts.tv_nsec - racy_window_ns(c->dir);

	for (size_t i = 0; i < l.n; i++) {
		char full[4096];
		struct stat st;
		path_join(full, sizeof(full), c->dir, l.rel[i]);
		if (stat(full, &st) < 0)
			continue;
		int64_t mt = (int64_t)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
		const char *h = NULL;
		/* binary search for the last entry with this rel */
		size_t lo = 0, hi = ncache;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (strcmp(cache[mid].rel, l.rel[i]) <= 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo > 0 && !strcmp(cache[lo - 1].rel, l.rel[i]) && cache[lo - 1].size == (uint64_t)st.st_size &&
		    cache[lo - 1].mtime_ns == mt)
			h = cache[lo - 1].sha256;
		shodo_digests d = {0};
		if (!h) {
			shodo_err e2;
			if (shodo_hash_file(full, SHODO_HASH_SHA256, &d, &e2) != SHODO_OK) {
				rc = shodo_err_set(err, SHODO_FATAL, 0, "cannot refresh SHA256SUMS: %s", e2.msg);
				goto out;
			}
			h = d.sha256;
		}
		shodo_buf_addf(&out, "%s  %s\n", h, l.rel[i]);
		/* a file modified within the racy window may change again within
		 * the same time stamp: size and mtime cannot tell the next refresh,
		 * so its entry is not trusted then */
		if (cf)
			fprintf(cf, "%s %llu %lld %s\n", h, (unsigned long long)st.st_size,
			        mt > racy_ns ? -1LL : (long long)mt, l.rel[i]);
	}
	if (out.failed) {
		rc = shodo_err_set(err, SHODO_FATAL, ENOMEM, "cannot refresh SHA256SUMS of '%s'", c->dir);
		goto out;
	}
	if (l.skipped && rc == SHODO_OK)
		rc = shodo_err_set(err, SHODO_FAILED, ENAMETOOLONG,
		                   "SHA256SUMS cannot cover %zu entries of '%s' whose paths are too long", l.skipped,
		                   c->dir);
	{
		char p[4096];
		path_join(p, sizeof(p), c->dir, "SHA256SUMS");
		if (shodo_write_file_atomic(p, out.p ? out.p : "", out.len, 0600) < 0) {
			rc = shodo_err_set(err, SHODO_FATAL, errno, "cannot write '%s'", p);
			goto out;
		}
		if (key_path) {
			char sp[4096];
			path_join(sp, sizeof(sp), c->dir, "SHA256SUMS.sig");
			shodo_status sr = sign_file(out.p ? out.p : "", out.len, key_path, sp, err);
			if (sr != SHODO_OK)
				rc = sr;
		}
	}
out:
	if (cf) {
		if (fclose(cf) == 0 && rc != SHODO_FATAL)
			rename(ctmp, cpath);
		else
			unlink(ctmp);
	}
	unlock_case(lk);
	for (size_t i = 0; i < ncache; i++)
		free(cache[i].rel);
	free(cache);
	shodo_buf_release(&out);
	flist_free(&l);
	return rc;
}

/* ---- one writer per evidence item ---- */

struct shodo_evidence_lock {
	int fd;
};

static int evidence_lock_path(const char *dir, const char *id, char *out, size_t outsz)
{
	return shodo_snprintf(out, outsz, "%s/" META_DIR "/evidence-%s.lock", dir, id);
}

/* the holder's record: "pid N\ncommand ...\nhost ...\nstarted ...\n" -> who */
static void describe_holder(int fd, char *who, size_t whosz)
{
	char buf[1024];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	long pid = 0;
	char cmd[256] = "", host[256] = "", started[64] = "";
	if (n < 0)
		n = 0;
	buf[n] = '\0';
	char *save = NULL;
	for (char *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(l, "pid ", 4))
			pid = strtol(l + 4, NULL, 10);
		else if (!strncmp(l, "command ", 8))
			snprintf(cmd, sizeof(cmd), "%s", l + 8);
		else if (!strncmp(l, "host ", 5))
			snprintf(host, sizeof(host), "%s", l + 5);
		else if (!strncmp(l, "started ", 8))
			snprintf(started, sizeof(started), "%s", l + 8);
	}
	char here[256] = "";
	gethostname(here, sizeof(here) - 1);
	if (pid <= 0) {
		/* taken a moment ago; its record is not written yet */
		snprintf(who, whosz, "another process (starting)");
		return;
	}
	snprintf(who, whosz, "pid %ld%s%s (%s, started %s)", pid, host[0] && strcmp(host, here) ? " on " : "",
	         host[0] && strcmp(host, here) ? host : "", cmd[0] ? cmd : "shodo", started[0] ? started : "?");
}

shodo_status shodo_case_lock_evidence(shodo_case *c, const char *id, const char *command,
                                      shodo_evidence_lock **out, shodo_err *err)
{
	char p[4096], now[32], host[256] = "", rec[1024];
	*out = NULL;
	if (!shodo_case_id_valid(id))
		return shodo_err_set(err, SHODO_USAGE, 0,
		                     "invalid evidence ID '%s': use 1-64 letters, digits, '.', '_' or '-'",
		                     id ? id : "");
	path_join(p, sizeof(p), c->dir, META_DIR);
	if (mkdir(p, 0700) < 0 && errno != EEXIST)
		return shodo_err_set(err, SHODO_FATAL, errno, "cannot create '%s'", p);
	if (evidence_lock_path(c->dir, id, p, sizeof(p)) < 0)
		return shodo_err_set(err, SHODO_FATAL, ENAMETOOLONG, "cannot lock evidence item '%s'", id);
	int fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return shodo_err_set(err, SHODO_FATAL, errno, "cannot lock evidence item '%s' ('%s')", id, p);
	struct flock fl;
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(fd, F_OFD_SETLK, &fl) < 0) {
		int e = errno;
		shodo_status rc;
		if (e == EAGAIN || e == EACCES) {
			char who[512];
			describe_holder(fd, who, sizeof(who));
			rc = shodo_err_set(err, SHODO_FATAL, 0, "evidence item '%s' is being written by %s", id, who);
			shodo_err_hint(err, "wait for that run to finish (or stop it), then try again; two runs on one "
			                    "evidence item would damage it");
		} else {
			rc = shodo_err_set(err, SHODO_FATAL, e, "cannot lock evidence item '%s' ('%s')", id, p);
		}
		close(fd);
		return rc;
	}
	gethostname(host, sizeof(host) - 1);
	int n = snprintf(rec, sizeof(rec), "pid %ld\ncommand %s\nhost %s\nstarted %s\n", (long)getpid(),
	                 command ? command : "shodo", host, shodo_now_iso(now));
	if (ftruncate(fd, 0) < 0 || pwrite(fd, rec, (size_t)n, 0) != n) {
		/* the lock holds without the record; the loser is told less */
	}
	shodo_evidence_lock *l = malloc(sizeof(*l));
	if (!l) {
		close(fd);
		return shodo_err_set(err, SHODO_FATAL, ENOMEM, "cannot lock evidence item '%s'", id);
	}
	l->fd = fd;
	*out = l;
	return SHODO_OK;
}

void shodo_case_unlock_evidence(shodo_evidence_lock *l)
{
	if (!l)
		return;
	/* no stale record for a human to misread; closing releases the lock */
	if (ftruncate(l->fd, 0) < 0) {
	}
	close(l->fd);
	free(l);
}

int shodo_case_evidence_writer(const char *dir, const char *id, char *who, size_t whosz)
{
	char p[4096];
	if (who && whosz)
		who[0] = '\0';
	if (!dir || !shodo_case_id_valid(id) || evidence_lock_path(dir, id, p, sizeof(p)) < 0)
		return 0;
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	struct flock fl;
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	int held = fcntl(fd, F_OFD_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
	if (held && who && whosz)
		describe_holder(fd, who, whosz);
	close(fd);
	return held;
}

/* 1 good, 0 bad, -2 the key cannot be read (why in keyerr) */
static int verify_sig(const char *data, size_t len, const char *sig_path, const char *pub_path,
                      char *keyerr, size_t keyerrsz)
{
	size_t siglen = 0;
	unsigned char *sig = (unsigned char *)shodo_read_file(sig_path, &siglen);
	FILE *kf = fopen(pub_path, "re");
	EVP_PKEY *pk = NULL;
	int ok = 0;
	if (!kf) {
		snprintf(keyerr, keyerrsz, "cannot read the key '%s': %s", pub_path, strerror(errno));
		free(sig);
		return -2;
	}
	pk = PEM_read_PUBKEY(kf, NULL, NULL, NULL);
	if (!pk) {
		rewind(kf);
		X509 *x = PEM_read_X509(kf, NULL, NULL, NULL);
		if (x) {
			pk = X509_get_pubkey(x);
			X509_free(x);
		}
	}
	if (!pk) {
		rewind(kf);
		pk = PEM_read_PrivateKey(kf, NULL, NULL, NULL);
	}
	fclose(kf);
	if (!pk) {
		snprintf(keyerr, keyerrsz, "cannot load the key '%s': not a PEM public key, certificate or private key",
		         pub_path);
		free(sig);
		return -2;
	}
	if (sig) {
		EVP_MD_CTX *ctx = EVP_MD_CTX_new();
		const EVP_MD *md = key_takes_digest(pk) ? EVP_sha256() : NULL;
		ok = ctx && EVP_DigestVerifyInit(ctx, NULL, md, NULL, pk) == 1 &&
		     EVP_DigestVerify(ctx, sig, siglen, (const unsigned char *)data, len) == 1;
		EVP_MD_CTX_free(ctx);
	}
	EVP_PKEY_free(pk);
	free(sig);
	return ok;
}

/* a file's sha256 as computed during this verification (rel -> hash) */
typedef struct hashed {
	char *rel;
	char sha256[65];
} hashed;

static int cmp_hashed(const void *a, const void *b)
{
	return strcmp(((const hashed *)a)->rel, ((const hashed *)b)->rel);
}

static int is_hex64(const char *s)
{
	if (!s || strlen(s) != 64)
		return 0;
	for (int i = 0; i < 64; i++)
		if (!strchr("0123456789abcdef", s[i]))
			return 0;
	return 1;
}

/* unfinished images: <ID>/image/<ID>.state.json is the resume state of an
 * acquisition that stopped; a held evidence lock is one still running */
static void find_incomplete(const char *dir, shodo_case_check *res, shodo_case_check_fn cb, void *ud)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	if (!d)
		return;
	while ((de = readdir(d))) {
		char p[4096], what[600], who[512];
		struct stat st;
		const char *id = de->d_name;
		if (!shodo_case_id_valid(id))
			continue;
		if (shodo_snprintf(p, sizeof(p), "%s/%s/image/%s.state.json", dir, id, id) < 0)
			continue;
		int busy = shodo_case_evidence_writer(dir, id, who, sizeof(who));
		if (!busy && stat(p, &st) < 0)
			continue;
		if (busy)
			snprintf(what, sizeof(what), "being written by %s: not finished yet", who);
		else
			snprintf(what, sizeof(what), "image incomplete (an interrupted acquisition: segments and a resume "
			         "state, no acquisition.json); continue it with shodo image ... --evidence %s --resume", id);
		if (res->nincomplete < (int)(sizeof(res->incomplete) / sizeof(res->incomplete[0])))
			snprintf(res->incomplete[res->nincomplete], sizeof(res->incomplete[0]), "%s", id);
		res->nincomplete++;
		if (cb)
			cb(id, what, ud);
	}
	closedir(d);
}

/* A verification reads what the disk holds, not the copy the kernel may
 * still keep of a file just written or copied there. */
static shodo_status hash_from_disk(const char *path, shodo_digests *d, shodo_err *err)
{
	shodo_uncache(path);
	return shodo_hash_file(path, SHODO_HASH_SHA256, d, err);
}

shodo_status shodo_case_verify(const char *dir, const char *pubkey_path, const char *anchor,
                               shodo_case_check *res, shodo_case_check_fn cb, void *ud, shodo_err *err)
{
	char p[4096];
	size_t len = 0;
	hashed *hv = NULL;
	size_t nh = 0, caph = 0;
	memset(res, 0, sizeof(*res));
	res->signature = -1;
	res->anchor = -1;
	if (anchor && !is_hex64(anchor))
		return shodo_err_set(err, SHODO_USAGE, 0, "anchor '%s' is not a custody head (64 lower-case hex digits)",
		                     anchor);
	shodo_uncache_fuseblk(dir);
	path_join(p, sizeof(p), dir, "SHA256SUMS");
	char *sums = shodo_read_file(p, &len);
	if (!sums) {
		int e = errno;
		/* a case whose first run is still going (or stopped before its
		 * first SHA256SUMS) is incomplete rather than unreadable */
		find_incomplete(dir, res, cb, ud);
		if (res->nincomplete) {
			if (cb)
				cb("SHA256SUMS", "missing: the case folder is not finished", ud);
			return SHODO_FAILED;
		}
		return shodo_err_set(err, SHODO_FATAL, e, "cannot read '%s'", p);
	}

	char sp[4096];
	path_join(sp, sizeof(sp), dir, "SHA256SUMS.sig");
	if (access(sp, F_OK) == 0) {
		if (!pubkey_path) {
			res->signature = 2;
		} else {
			res->signature = verify_sig(sums, len, sp, pubkey_path, res->key_error, sizeof(res->key_error));
			if (res->signature == -2 && cb)
				cb("SHA256SUMS.sig", res->key_error, ud);
		}
	}

	flist listed = {0};
	char *save = NULL;
	for (char *line = strtok_r(sums, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strlen(line) < 67 || line[64] != ' ' || line[65] != ' ') {
			res->files_bad++;
			if (cb)
				cb(line, "malformed line in SHA256SUMS", ud);
			continue;
		}
		const char *rel = line + 66;
		flist_add(&listed, rel);
		char full[4096];
		if (!shodo_relpath_is_clean(rel) || path_join(full, sizeof(full), dir, rel) < 0) {
			res->files_bad++;
			if (cb)
				cb(rel, "unsafe path in SHA256SUMS", ud);
			continue;
		}
		shodo_digests d = {0};
		shodo_err e2;
		if (access(full, F_OK) < 0) {
			res->files_missing++;
			if (cb)
				cb(rel, "missing", ud);
		} else if (hash_from_disk(full, &d, &e2) != SHODO_OK) {
			res->files_bad++;
			if (cb)
				cb(rel, "unreadable", ud);
		} else {
			char *hrel = strdup(rel);
			if (!hrel || shodo_grow(&hv, &caph, nh + 1) < 0) {
				/* out of memory: counted as not verified, never a crash */
				free(hrel);
				res->files_bad++;
				if (cb)
					cb(rel, "out of memory", ud);
				continue;
			}
			hv[nh].rel = hrel;
			memcpy(hv[nh].sha256, d.sha256, 65);
			nh++;
			if (strncmp(d.sha256, line, 64) != 0) {
				res->files_bad++;
				if (cb)
					cb(rel, "sha256 mismatch", ud);
			} else {
				res->files_ok++;
			}
		}
	}
	qsort(hv, nh, sizeof(*hv), cmp_hashed);
	flist all = {0};
	walk(dir, "", &all);
	if (all.skipped) {
		res->files_unlisted += (int)all.skipped;
		if (cb)
			cb(".", "entries with paths too long to check", ud);
	}
	qsort(listed.rel, listed.n, sizeof(char *), cmp_str);
	for (size_t i = 0; i < all.n; i++) {
		if (!bsearch(&all.rel[i], listed.rel, listed.n, sizeof(char *), cmp_str)) {
			res->files_unlisted++;
			if (cb)
				cb(all.rel[i], "not listed in SHA256SUMS", ud);
		}
	}
	flist_free(&all);
	flist_free(&listed);
	free(sums);

	/* custody: the chain, the anchor, and the sha256 each entry recorded */
	path_join(p, sizeof(p), dir, "custody.jsonl");
	char *cust = shodo_read_file(p, &len);
	json_t *recorded = json_object();   /* object -> last recorded sha256 */
	if (cust) {
		char prev[65];
		memset(prev, '0', 64);
		prev[64] = '\0';
		int lineno = 0;
		save = NULL;
		for (char *line = strtok_r(cust, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			lineno++;
			json_t *e = json_loads(line, 0, NULL);
			const char *pv = e ? shodo_json_str(e, "prev", NULL) : NULL;
			if (!pv || strcmp(pv, prev) != 0) {
				res->files_bad++;
				if (cb) {
					char what[96];
					snprintf(what, sizeof(what), "custody chain broken at line %d", lineno);
					cb("custody.jsonl", what, ud);
				}
			}
			const char *obj = e ? shodo_json_str(e, "object", NULL) : NULL, *h = e ? shodo_json_str(e, "sha256", NULL) : NULL;
			if (obj && is_hex64(h) && shodo_relpath_is_clean(obj))
				json_object_set_new(recorded, obj, json_string(h));
			json_decref(e);
			shodo_digests d;
			if (shodo_hash_buf(SHODO_HASH_SHA256, line, strlen(line), &d) == 0)
				memcpy(prev, d.sha256, 65);
			if (anchor && !strcmp(prev, anchor))
				res->anchor = 1;
		}
		memcpy(res->head, prev, 65);
		res->entries = lineno;
		free(cust);
	}
	if (anchor && res->anchor != 1) {
		res->anchor = 0;
		if (cb) {
			char what[200];
			snprintf(what, sizeof(what), "custody does not contain the entry anchored as %s: entries were "
			         "removed or edited", anchor);
			cb("custody.jsonl", what, ud);
		}
	}
	/* custody.head must name the chain's real head */
	{
		char hp[4096];
		path_join(hp, sizeof(hp), dir, "custody.head");
		char *hb = shodo_read_file(hp, &len);
		if (hb && (len < 64 || strncmp(hb, res->head, 64) != 0)) {
			res->files_bad++;
			if (cb)
				cb("custody.head", "does not name the last entry of custody.jsonl", ud);
		}
		free(hb);
	}
	const char *obj;
	json_t *hj;
	json_object_foreach(recorded, obj, hj) {
		hashed key = {(char *)obj, ""};
		hashed *found = bsearch(&key, hv, nh, sizeof(*hv), cmp_hashed);
		char full[4096];
		shodo_digests d = {0};
		const char *got = found ? found->sha256 : NULL;
		if (!got && path_join(full, sizeof(full), dir, obj) == 0 && access(full, F_OK) == 0 &&
		    shodo_hash_file(full, SHODO_HASH_SHA256, &d, NULL) == SHODO_OK)
			got = d.sha256;
		if (!got) {
			if (path_join(full, sizeof(full), dir, obj) == 0 && access(full, F_OK) < 0) {
				res->custody_mismatch++;
				if (cb)
					cb(obj, "recorded in custody, but the file is missing", ud);
			}
		} else if (strcmp(got, json_string_value(hj)) != 0) {
			res->custody_mismatch++;
			if (cb) {
				char what[200];
				snprintf(what, sizeof(what), "sha256 differs from the one recorded in custody (%.64s)",
				         json_string_value(hj));
				cb(obj, what, ud);
			}
		}
	}
	json_decref(recorded);
	for (size_t i = 0; i < nh; i++)
		free(hv[i].rel);
	free(hv);

	find_incomplete(dir, res, cb, ud);
	if (res->files_bad || res->files_missing || res->files_unlisted || res->custody_mismatch ||
	    res->signature == 0 || res->signature == -2 || res->anchor == 0 || res->nincomplete)
		return SHODO_FAILED;
	return SHODO_OK;
}

int shodo_case_last_action(shodo_case *c, const char *id, const char *const *actions, char *out,
                           size_t outsz, char *when, size_t whensz)
{
	char p[4096];
	size_t len = 0;
	int found = 0;
	path_join(p, sizeof(p), c->dir, "custody.jsonl");
	int lk = lock_case(c);
	char *buf = shodo_read_file(p, &len);
	unlock_case(lk);
	if (!buf)
		return 0;
	char *save = NULL;
	for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_t *e = json_loads(line, 0, NULL);
		const char *ev = e ? shodo_json_str(e, "evidence", NULL) : NULL, *ac = e ? shodo_json_str(e, "action", NULL) : NULL;
		if (ev && ac && !strcmp(ev, id))
			for (int i = 0; actions[i]; i++)
				if (!strcmp(ac, actions[i])) {
					snprintf(out, outsz, "%s", ac);
					if (when)
						snprintf(when, whensz, "%s", shodo_json_str(e, "time", NULL) ? shodo_json_str(e, "time", NULL) : "");
					found = 1;
				}
		json_decref(e);
	}
	free(buf);
	return found;
}

static uint64_t rm_files, rm_bytes;  /* nftw has no user pointer; guarded by rm_mu */
static pthread_mutex_t rm_mu = PTHREAD_MUTEX_INITIALIZER;

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path) < 0 ? -1 : 0;
	rm_files++;
	rm_bytes += (uint64_t)st->st_size;
	return unlink(path) < 0 ? -1 : 0;
}

shodo_status shodo_case_remove_part(shodo_case *c, const char *id, const char *sub, uint64_t *files,
                                    uint64_t *bytes, shodo_err *err)
{
	char p[4096];
	if (!shodo_case_id_valid(id) || !sub || strchr(sub, '/') || !strcmp(sub, "..") || !strcmp(sub, ".") ||
	    shodo_snprintf(p, sizeof(p), "%s/%s/%s", c->dir, id, sub) < 0)
		return shodo_err_set(err, SHODO_USAGE, 0, "cannot remove '%s/%s'", id ? id : "", sub ? sub : "");
	pthread_mutex_lock(&rm_mu);
	rm_files = rm_bytes = 0;
	int r = nftw(p, rm_one, 32, FTW_DEPTH | FTW_PHYS);
	int e = errno;
	if (files)
		*files = rm_files;
	if (bytes)
		*bytes = rm_bytes;
	pthread_mutex_unlock(&rm_mu);
	if (r != 0 && access(p, F_OK) == 0)
		return shodo_err_set(err, SHODO_FATAL, e, "cannot remove the unfinished '%s'", p);
	return SHODO_OK;
}

void shodo_case_seal_file(const char *path)
{
	chmod(path, 0400);
}

/* ---- items brought in from another case folder ---- */

/* copies src to dst (created 0600), hashing what was read; the source is
 * opened read-only and never written.  Returns 0, or -1 with why set. */
static int copy_hashed(const char *src, const char *dst, char sha[65], uint64_t *bytes, struct stat *sst,
                       char *why, size_t whysz)
{
	int in = open(src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOATIME);
	if (in < 0 && errno == EPERM)
		in = open(src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (in < 0) {
		snprintf(why, whysz, "cannot read: %s", strerror(errno));
		return -1;
	}
	if (fstat(in, sst) < 0 || !S_ISREG(sst->st_mode)) {
		snprintf(why, whysz, "not a regular file");
		close(in);
		return -1;
	}
	int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (out < 0) {
		snprintf(why, whysz, "cannot create the copy: %s", strerror(errno));
		close(in);
		return -2;
	}
	shodo_hash *h = shodo_hash_new(SHODO_HASH_SHA256);
	size_t bufsz = 1 << 20;
	char *buf = malloc(bufsz);
	int rc = 0;
	if (!h || !buf) {
		snprintf(why, whysz, "out of memory");
		rc = -2;
		goto out;
	}
	for (;;) {
		ssize_t r = read(in, buf, bufsz);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(why, whysz, "read error: %s", strerror(errno));
			rc = -1;
			goto out;
		}
		if (r == 0)
			break;
		shodo_hash_update(h, buf, (size_t)r);
		for (ssize_t off = 0; off < r;) {
			ssize_t w = write(out, buf + off, (size_t)(r - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				snprintf(why, whysz, "cannot write the copy: %s", strerror(w < 0 ? errno : ENOSPC));
				rc = -2;
				goto out;
			}
			off += w;
		}
		*bytes += (uint64_t)r;
	}
	shodo_digests d;
	memset(&d, 0, sizeof(d));
	shodo_hash_final(h, &d);
	memcpy(sha, d.sha256, 65);
out:
	free(buf);
	shodo_hash_free(h);
	if (close(out) < 0 && !rc) {
		snprintf(why, whysz, "cannot write the copy: %s", strerror(errno));
		rc = -2;
	}
	close(in);
	return rc;
}

shodo_status shodo_case_import_item(shodo_case *c, const char *id, const char *src_item,
                                    const shodo_import_file *files, size_t n, const char *const *parts,
                                    uint64_t *bytes, shodo_err *err)
{
	char stage[4096], final[4096], p[4096], s[4096], why[512];
	shodo_status rc = SHODO_OK;
	uint64_t total = 0;
	char (*sums)[65] = NULL;
	int placed = 0;
	if (bytes)
		*bytes = 0;
	if (!shodo_case_id_valid(id))
		return shodo_err_set(err, SHODO_USAGE, 0, "invalid evidence ID '%s'", id ? id : "");
	if (shodo_snprintf(final, sizeof(final), "%s/%s", c->dir, id) < 0 ||
	    shodo_snprintf(stage, sizeof(stage), "%s/" META_DIR "/import.%d.%s", c->dir, (int)getpid(), id) < 0)
		return shodo_err_set(err, SHODO_FATAL, ENAMETOOLONG, "cannot import evidence %s", id);
	if (access(final, F_OK) == 0)
		return shodo_err_set(err, SHODO_FAILED, EEXIST, "evidence %s is already in '%s'", id, c->dir);
	shodo_remove_tree(stage);
	if (shodo_mkdirs(stage, 0700) < 0)
		return shodo_err_set(err, SHODO_FATAL, errno, "cannot create '%s'", stage);
	sums = calloc(n ? n : 1, sizeof(*sums));
	if (!sums) {
		rc = shodo_err_set(err, SHODO_FATAL, ENOMEM, "cannot import evidence %s", id);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		struct stat sst;
		const char *rel = files[i].rel;
		if (!rel || !shodo_relpath_is_clean(rel) || shodo_snprintf(p, sizeof(p), "%s/%s", stage, rel) < 0 ||
		    shodo_snprintf(s, sizeof(s), "%s/%s", src_item, rel) < 0) {
			rc = shodo_err_set(err, SHODO_FAILED, 0, "evidence %s: unsafe or too long path '%s'", id,
			                   rel ? rel : "");
			goto out;
		}
		char *slash = strrchr(p, '/');
		*slash = '\0';
		if (shodo_mkdirs(p, 0700) < 0) {
			rc = shodo_err_set(err, SHODO_FATAL, errno, "cannot create '%s'", p);
			goto out;
		}
		*slash = '/';
		int r = copy_hashed(s, p, sums[i], &total, &sst, why, sizeof(why));
		if (r < 0) {
			rc = shodo_err_set(err, r == -1 ? SHODO_FAILED : SHODO_FATAL, 0, "evidence %s: '%s/%s': %s", id, id,
			                   rel, why);
			goto out;
		}
		if (!files[i].sha256 || strcmp(sums[i], files[i].sha256) != 0) {
			rc = shodo_err_set(err, SHODO_FAILED, 0,
			                   "evidence %s: '%s/%s' does not match its SHA256SUMS entry (sha256 %s, listed %s)", id,
			                   id, rel, sums[i], files[i].sha256 ? files[i].sha256 : "nothing");
			goto out;
		}
		struct timespec ts[2] = {sst.st_atim, sst.st_mtim};
		utimensat(AT_FDCWD, p, ts, 0);
		chmod(p, (sst.st_mode & 0200) ? 0600 : 0400);
	}
	{
		/* every copy on disk before the item appears: one sync of the file
		 * system instead of one per file (an item holds thousands) */
		int sfd = open(stage, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (sfd < 0 || syncfs(sfd) < 0) {
			rc = shodo_err_set(err, SHODO_FATAL, errno, "cannot write evidence %s into '%s'", id, c->dir);
			if (sfd >= 0)
				close(sfd);
			goto out;
		}
		close(sfd);
		/* the item appears whole or not at all, and never over another */
		int lk = lock_case(c);
		if (access(final, F_OK) == 0)
			rc = shodo_err_set(err, SHODO_FAILED, EEXIST, "evidence %s is already in '%s'", id, c->dir);
		else if (rename(stage, final) < 0)
			rc = shodo_err_set(err, SHODO_FATAL, errno, "cannot move evidence %s into '%s'", id, c->dir);
		else
			placed = 1;
		unlock_case(lk);
		if (rc != SHODO_OK)
			goto out;
	}
	for (size_t i = 0; i < n; i++) {
		char rel[4096];
		if (shodo_snprintf(rel, sizeof(rel), "%s/%s", id, files[i].rel) == 0)
			shodo_case_known_hash(c, rel, sums[i]);
	}
	for (size_t i = 0; parts && parts[i]; i++) {
		char dummy[4096];
		if ((rc = shodo_case_evidence_dir(c, id, parts[i], dummy, sizeof(dummy), err)) != SHODO_OK)
			goto out;
	}
	if (bytes)
		*bytes = total;
out:
	if (!placed)
		shodo_remove_tree(stage);
	free(sums);
	return rc;
}
