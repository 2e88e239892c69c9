/*
 * triage/posture/posture_creds.c — shared local passwords without storing hashes.
 *
 * For every local account of a host, the NT hash is decrypted in memory
 * (triage/posture/samkeys.c), turned into HMAC-SHA256(case key, NT hash) and wiped.
 * Only that digest goes into `credential_digests`, with the key's id (a
 * digest of the key, not the key).  The case key is 32 random bytes made
 * once per case at DIR/.shodo/credential.key (0600); the same key across
 * every evidence item of a case is what lets `shodo report` say that the
 * same password is used on several hosts.  docs/posture.md says what this
 * protects against and what it does not.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include "shodo/hash.h"
#include "shodo/util.h"
#include "posture_int.h"

/* NT hash of the empty password (MD4 of zero bytes): public, not a secret */
static const unsigned char BLANK_NT[16] = {0x31, 0xd6, 0xcf, 0xe0, 0xd1, 0x6a, 0xe9, 0x31,
                                           0xb7, 0x3c, 0x59, 0xd7, 0xe0, 0xc0, 0x89, 0xc0};

static int read_key(const char *path, unsigned char key[32])
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	ssize_t r = read(fd, key, 32);
	unsigned char extra;
	ssize_t r2 = r == 32 ? read(fd, &extra, 1) : 0;
	int e = errno;
	close(fd);
	if (r != 32 || r2 != 0) {
		OPENSSL_cleanse(key, 32);
		errno = r < 0 ? e : EINVAL;
		return -1;
	}
	return 0;
}

shodo_status posture_case_key(const char *case_dir, int create, unsigned char key[32], shodo_err *err)
{
	char dir[4096], path[4200], tmp[4300];
	if (snprintf(dir, sizeof(dir), "%s/.shodo", case_dir) >= (int)sizeof(dir))
		return shodo_err_set(err, SHODO_FAILED, 0, "case key: path too long");
	snprintf(path, sizeof(path), "%s/credential.key", dir);
	if (read_key(path, key) == 0)
		return SHODO_OK;
	if (errno != ENOENT)
		return shodo_err_set(err, SHODO_FAILED, errno, "cannot read case key '%s'", path);
	if (!create)
		return shodo_err_set(err, SHODO_FAILED, ENOENT, "cannot read case key '%s'", path);
	if (shodo_mkdirs(dir, 0700) != 0)
		return shodo_err_set(err, SHODO_FAILED, errno, "cannot create '%s'", dir);
	if (RAND_priv_bytes(key, 32) != 1)
		return shodo_err_set(err, SHODO_FAILED, 0, "case key: no random bytes from OpenSSL");
	/* write a private temporary file, then link it into place: link fails
	 * when another job made the key first, and then its key is used */
	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	int fd = mkostemp(tmp, O_CLOEXEC);   /* 0600, unique per call */
	if (fd < 0) {
		OPENSSL_cleanse(key, 32);
		return shodo_err_set(err, SHODO_FAILED, errno, "cannot create case key '%s'", tmp);
	}
	int ok = write(fd, key, 32) == 32 && fsync(fd) == 0;
	int e = errno;
	if (close(fd) != 0)
		ok = 0;
	if (!ok) {
		unlink(tmp);
		OPENSSL_cleanse(key, 32);
		return shodo_err_set(err, SHODO_FAILED, e, "cannot write case key '%s'", tmp);
	}
	int linked = link(tmp, path);
	e = errno;
	unlink(tmp);
	if (linked != 0) {
		OPENSSL_cleanse(key, 32);
		if (e == EEXIST && read_key(path, key) == 0)
			return SHODO_OK;
		return shodo_err_set(err, SHODO_FAILED, e, "cannot create case key '%s'", path);
	}
	return SHODO_OK;
}

void posture_key_id(const unsigned char key[32], char out[17])
{
	static const char label[] = "shodo credential key id";
	unsigned char buf[sizeof(label) - 1 + 32], md[32];
	unsigned int n = 0;
	memcpy(buf, label, sizeof(label) - 1);
	memcpy(buf + sizeof(label) - 1, key, 32);
	EVP_Digest(buf, sizeof(buf), md, &n, EVP_sha256(), NULL);
	shodo_hex(md, 8, out);
	out[16] = 0;
	OPENSSL_cleanse(buf, sizeof(buf));
}

static void digest_hex(const unsigned char key[32], const unsigned char nt[16], char out[65])
{
	unsigned char mac[32];
	unsigned int n = 0;
	HMAC(EVP_sha256(), key, 32, nt, 16, mac, &n);
	shodo_hex(mac, 32, out);
	out[64] = 0;
	OPENSSL_cleanse(mac, sizeof(mac));
}

shodo_status posture_credentials(posture_host *h, shodo_err *err)
{
	samkeys k;
	unsigned char key[32], nt[16];
	char case_dir[4096], kid[17];
	sam_user *u = NULL;
	int nu = 0;
	shodo_status rc = samkeys_init(&k, err);
	if (rc != SHODO_OK)
		return rc;
	if ((rc = samkeys_bootkey(&k, h->sys, h->ccs, err)) != SHODO_OK)
		goto out;
	libregf_key_t *acc = reg_key(h->sam, "SAM\\Domains\\Account");
	size_t fl = 0;
	unsigned char *f = reg_binary_dup(acc, "F", &fl);
	reg_key_free(&acc);
	rc = f ? samkeys_samkey(&k, f, fl, err)
	       : shodo_err_set(err, SHODO_FAILED, 0, "cannot decrypt the SAM key: no SAM\\Domains\\Account F value");
	free(f);
	if (rc != SHODO_OK)
		goto out;
	posture_case_dir(h->ctx, case_dir, sizeof(case_dir));
	if ((rc = posture_case_key(case_dir, 1, key, err)) != SHODO_OK)
		goto out;
	posture_key_id(key, kid);

	nu = posture_sam_users(h->sam, &u);
	char blank_en[1024] = "", blank_dis[1024] = "", keys_en[1024] = "", keys_dis[1024] = "";
	int digested = 0, failed = 0;
	char (*digs)[65] = calloc(nu > 0 ? (size_t)nu : 1, sizeof(*digs));
	char *isblank = calloc(nu > 0 ? (size_t)nu : 1, 1);
	if (!digs || !isblank) {
		free(digs);
		free(isblank);
		free(u);
		OPENSSL_cleanse(key, sizeof(key));
		rc = shodo_err_set(err, SHODO_FAILED, 0, "password comparison: out of memory");
		goto out;
	}
	for (int i = 0; i < nu; i++) {
		char path[96];
		snprintf(path, sizeof(path), "SAM\\Domains\\Account\\Users\\%08X", u[i].rid);
		libregf_key_t *uk = reg_key(h->sam, path);
		size_t vl = 0;
		unsigned char *v = reg_binary_dup(uk, "V", &vl);
		reg_key_free(&uk);
		shodo_err e;
		shodo_err_clear(&e);
		int r = v ? samkeys_nthash(&k, u[i].rid, v, vl, nt, &e) : -1;
		if (v) {
			OPENSSL_cleanse(v, vl);
			free(v);
		}
		if (r < 0) {
			failed++;
			continue;
		}
		if (r == 0)   /* no NT hash stored: the account has an empty password */
			memcpy(nt, BLANK_NT, 16);
		int blank = CRYPTO_memcmp(nt, BLANK_NT, 16) == 0;
		if (blank) {
			isblank[i] = 1;
			char *list = (u[i].acb & 1) ? blank_dis : blank_en;
			char *keys = (u[i].acb & 1) ? keys_dis : keys_en;
			size_t l = strlen(list), kl = strlen(keys);
			snprintf(list + l, 1024 - l, "%s%s", l ? ", " : "", u[i].name);
			snprintf(keys + kl, 1024 - kl, "%s%08X", kl ? "," : "", u[i].rid);
		}
		digest_hex(key, nt, digs[i]);
		OPENSSL_cleanse(nt, sizeof(nt));
		sqlite3_stmt *s = shodo_store_stmt(h->ctx->store,
		                                   "INSERT INTO credential_digests(volume, account, rid, digest, key_id, source)"
		                                   " VALUES(?,?,?,?,?,?)", err);
		if (!s) {
			rc = SHODO_FATAL;
			break;
		}
		shodo_bind_text(s, 1, h->volume);
		shodo_bind_text(s, 2, u[i].name);
		sqlite3_bind_int64(s, 3, u[i].rid);
		shodo_bind_text(s, 4, digs[i]);
		shodo_bind_text(s, 5, kid);
		shodo_bind_text(s, 6, h->sam_src);
		if ((rc = shodo_store_step_done(h->ctx->store, s, err)) != SHODO_OK)
			break;
		digested++;
	}
	if (rc == SHODO_OK) {
		if (blank_en[0])
			posture_add(h, "high", "accounts", "enabled accounts with a blank password", blank_en,
			            "set a strong, unique password on every enabled account (LAPS for local admins)",
			            h->sam_src, "%s: SAM\\Domains\\Account\\Users\\{%s}\\V holds the NT hash of the empty password or none "
			            "(decrypted with the boot key of %s)", h->sam_path, keys_en, h->sys_path);
		if (blank_dis[0])
			posture_add(h, "info", "accounts", "disabled accounts with a blank password", blank_dis, NULL, h->sam_src,
			            "%s: SAM\\Domains\\Account\\Users\\{%s}\\V holds the NT hash of the empty password or none",
			            h->sam_path, keys_dis);
		/* the same password on several accounts of this host */
		for (int i = 0; i < nu; i++) {
			if (!digs[i][0])
				continue;
			char names[1024] = "";
			int same = 0;
			for (int j = i; j < nu; j++) {
				if (digs[j][0] && !strcmp(digs[i], digs[j])) {
					size_t l = strlen(names);
					snprintf(names + l, sizeof(names) - l, "%s%s", l ? ", " : "", u[j].name);
					same++;
					if (j != i)
						digs[j][0] = 0;
				}
			}
			if (same > 1 && !isblank[i])   /* blank ones are reported above */
				posture_add(h, "medium", "accounts", "several local accounts share one password", names,
				            "unique passwords per account (LAPS for local admins)", h->sam_src,
				            "%s: equal keyed digests of the NT hashes in SAM\\Domains\\Account\\Users\\<RID>\\V",
				            h->sam_path);
		}
		char v[64];
		snprintf(v, sizeof(v), "%d of %d accounts", digested, nu);
		posture_add(h, failed ? "low" : "info", "accounts",
		            "local passwords compared across hosts by keyed digest (see shodo report)", v, NULL, h->sam_src,
		            "%s with boot key of %s; SAM key revision %d; case key id %s%s", h->sam_path, h->sys_path,
		            k.revision, kid, failed ? "; some accounts could not be decrypted" : "");
	}
	free(digs);
	free(isblank);
	free(u);
	OPENSSL_cleanse(key, sizeof(key));
out:
	OPENSSL_cleanse(nt, sizeof(nt));
	samkeys_wipe(&k);
	return rc;
}
