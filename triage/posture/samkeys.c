/*
 * triage/posture/samkeys.c — recovers local account NT hashes from a SAM hive with
 * the boot key of the SYSTEM hive, in memory only, so that posture can
 * compare passwords across hosts by a keyed digest (triage/posture/posture_creds.c).
 *
 *   boot key   16 bytes scrambled into the class names of
 *              SYSTEM\<ControlSet>\Control\Lsa\{JD,Skew1,GBG,Data}
 *   SAM key    SAM\Domains\Account F at 0x68: revision 1 RC4(MD5(salt,
 *              QWERTY, boot key, DIGITS)) with an MD5 check value; revision 2
 *              AES-128-CBC(boot key, salt)  (Windows 10 1607 and later)
 *   NT hash    user V value, entry at 0xA8: revision 1 RC4(MD5(SAM key, RID,
 *              "NTPASSWORD")), revision 2 AES-128-CBC(SAM key, salt); then
 *              DES-ECB with two keys derived from the RID (MS-SAMR 2.2.11.1)
 *
 * RC4, MD4 and single DES live in OpenSSL 3's legacy provider; it is loaded
 * into a private library context, never into the process-wide default one.
 * Callers wipe every secret with samkeys_wipe (OPENSSL_cleanse); nothing in
 * this file writes, logs or formats a key or a hash.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/provider.h>
#include "posture_int.h"

static const char QWERTY[] = "!@#$%^&*()qwertyUIOPAzxcvbnmQQQQQQQQQQQQ)(*@&%";
static const char DIGITS[] = "0123456789012345678901234567890123456789";

shodo_status samkeys_init(samkeys *k, shodo_err *err)
{
	memset(k, 0, sizeof(*k));
	OSSL_LIB_CTX *lc = OSSL_LIB_CTX_new();
	if (!lc)
		return shodo_err_set(err, SHODO_FAILED, 0, "cannot set up decryption: out of memory");
	k->libctx = lc;
	k->prov_default = OSSL_PROVIDER_load(lc, "default");
	k->prov_legacy = OSSL_PROVIDER_load(lc, "legacy");
	if (!k->prov_default || !k->prov_legacy) {
		samkeys_wipe(k);
		shodo_err_set(err, SHODO_FAILED, 0,
		              "cannot set up decryption: the OpenSSL legacy provider (RC4, DES) is not available");
		shodo_err_hint(err, "install the OpenSSL 3 legacy module (ossl-modules/legacy.so) or set OPENSSL_MODULES");
		return SHODO_FAILED;
	}
	return SHODO_OK;
}

void samkeys_wipe(samkeys *k)
{
	OPENSSL_cleanse(k->bootkey, sizeof(k->bootkey));
	OPENSSL_cleanse(k->samkey, sizeof(k->samkey));
	k->have_boot = k->have_sam = 0;
	if (k->prov_legacy)
		OSSL_PROVIDER_unload(k->prov_legacy);
	if (k->prov_default)
		OSSL_PROVIDER_unload(k->prov_default);
	if (k->libctx)
		OSSL_LIB_CTX_free(k->libctx);
	k->prov_legacy = k->prov_default = k->libctx = NULL;
}

static int md5(samkeys *k, const void *a, size_t an, unsigned char out[16])
{
	EVP_MD *md = EVP_MD_fetch(k->libctx, "MD5", NULL);
	unsigned int n = 0;
	int ok = md && EVP_Digest(a, an, out, &n, md, NULL) == 1 && n == 16;
	EVP_MD_free(md);
	return ok;
}

/* decrypt n bytes (no padding) */
static int decrypt(samkeys *k, const char *alg, const unsigned char *key, const unsigned char *iv,
                   const unsigned char *in, int n, unsigned char *out)
{
	EVP_CIPHER *c = EVP_CIPHER_fetch(k->libctx, alg, NULL);
	EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
	int l1 = 0, l2 = 0;
	int ok = c && x && EVP_DecryptInit_ex(x, c, NULL, key, iv) == 1 && EVP_CIPHER_CTX_set_padding(x, 0) == 1 &&
	         EVP_DecryptUpdate(x, out, &l1, in, n) == 1 && EVP_DecryptFinal_ex(x, out + l1, &l2) == 1 &&
	         l1 + l2 == n;
	EVP_CIPHER_CTX_free(x);   /* frees the expanded key schedule */
	EVP_CIPHER_free(c);
	return ok;
}

static int hexnib(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

shodo_status samkeys_bootkey(samkeys *k, libregf_file_t *sys, const char *ccs, shodo_err *err)
{
	static const char *const parts[4] = {"JD", "Skew1", "GBG", "Data"};
	static const int perm[16] = {8, 5, 4, 2, 11, 9, 13, 3, 0, 6, 1, 12, 14, 10, 15, 7};
	unsigned char scrambled[16];
	shodo_status rc = SHODO_OK;
	for (int i = 0; i < 4 && rc == SHODO_OK; i++) {
		char path[128];
		snprintf(path, sizeof(path), "%s\\Control\\Lsa\\%s", ccs, parts[i]);
		libregf_key_t *key = reg_key(sys, path);
		char *cls = reg_class_dup(key);
		reg_key_free(&key);
		if (!cls || strlen(cls) < 8) {
			rc = shodo_err_set(err, SHODO_FAILED, 0, "cannot read the boot key: SYSTEM\\%s has no class name",
			                   path);
		} else {
			for (int j = 0; j < 4; j++) {
				int hi = hexnib(cls[2 * j]), lo = hexnib(cls[2 * j + 1]);
				if (hi < 0 || lo < 0) {
					rc = shodo_err_set(err, SHODO_FAILED, 0,
					                   "cannot read the boot key: class name of SYSTEM\\%s is not hex", path);
					break;
				}
				scrambled[4 * i + j] = (unsigned char)(hi << 4 | lo);
			}
			OPENSSL_cleanse(cls, strlen(cls));
		}
		free(cls);
	}
	if (rc == SHODO_OK) {
		for (int i = 0; i < 16; i++)
			k->bootkey[i] = scrambled[perm[i]];
		k->have_boot = 1;
	}
	OPENSSL_cleanse(scrambled, sizeof(scrambled));
	return rc;
}


shodo_status samkeys_samkey(samkeys *k, const unsigned char *f, size_t flen, shodo_err *err)
{
	if (!k->have_boot)
		return shodo_err_set(err, SHODO_FAILED, 0, "cannot decrypt the SAM key: no boot key");
	if (flen < 0x68 + 0x20)
		return shodo_err_set(err, SHODO_FAILED, 0, "cannot decrypt the SAM key: Account F value too short (%zu bytes)",
		                     flen);
	const unsigned char *k0 = f + 0x68;
	size_t k0len = flen - 0x68;
	uint32_t rev = le32(k0);
	unsigned char buf[256], rc4key[16], plain[32], check[16];
	shodo_status rc = SHODO_OK;
	if (rev == 1) {
		/* Revision, Length, Salt[16], Key[16], CheckSum[16] */
		if (k0len < 8 + 48)
			return shodo_err_set(err, SHODO_FAILED, 0, "cannot decrypt the SAM key: key data too short");
		size_t n = 0;
		memcpy(buf + n, k0 + 8, 16); n += 16;
		memcpy(buf + n, QWERTY, sizeof(QWERTY)); n += sizeof(QWERTY);
		memcpy(buf + n, k->bootkey, 16); n += 16;
		memcpy(buf + n, DIGITS, sizeof(DIGITS)); n += sizeof(DIGITS);
		if (!md5(k, buf, n, rc4key) || !decrypt(k, "RC4", rc4key, NULL, k0 + 24, 32, plain)) {
			rc = shodo_err_set(err, SHODO_FAILED, 0, "cannot decrypt the SAM key: RC4/MD5 unavailable");
			goto out;
		}
		n = 0;
		memcpy(buf + n, plain, 16); n += 16;
		memcpy(buf + n, DIGITS, sizeof(DIGITS)); n += sizeof(DIGITS);
		memcpy(buf + n, plain, 16); n += 16;
		memcpy(buf + n, QWERTY, sizeof(QWERTY)); n += sizeof(QWERTY);
		if (!md5(k, buf, n, check) || CRYPTO_memcmp(check, plain + 16, 16) != 0) {
			rc = shodo_err_set(err, SHODO_FAILED, 0,
			                   "cannot decrypt the SAM key: check value does not match (wrong SYSTEM hive for "
			                   "this SAM, or a syskey startup password)");
			goto out;
		}
		memcpy(k->samkey, plain, 16);
	} else if (rev == 2) {
		/* Revision, Length, CheckSumLen, DataLen, Salt[16], Data[DataLen] */
		if (k0len < 32 + 16)
			return shodo_err_set(err, SHODO_FAILED, 0, "cannot decrypt the SAM key: key data too short");
		uint32_t dlen = le32(k0 + 12);
		if (dlen < 16 || dlen > k0len - 32)
			dlen = (uint32_t)((k0len - 32) < 32 ? (k0len - 32) : 32);
		dlen &= ~15u;
		if (dlen > 32)
			dlen = 32;
		if (dlen < 16 || !decrypt(k, "AES-128-CBC", k->bootkey, k0 + 16, k0 + 32, (int)dlen, plain)) {
			rc = shodo_err_set(err, SHODO_FAILED, 0, "cannot decrypt the SAM key: AES decryption failed");
			goto out;
		}
		memcpy(k->samkey, plain, 16);
	} else {
		return shodo_err_set(err, SHODO_FAILED, 0, "cannot decrypt the SAM key: unknown key revision %u", rev);
	}
	k->revision = (int)rev;
	k->have_sam = 1;
out:
	OPENSSL_cleanse(buf, sizeof(buf));
	OPENSSL_cleanse(rc4key, sizeof(rc4key));
	OPENSSL_cleanse(plain, sizeof(plain));
	OPENSSL_cleanse(check, sizeof(check));
	return rc;
}

/* MS-SAMR 2.2.11.1.2: a 7-byte key spread over 8 DES key bytes */
static void des_key(const unsigned char in[7], unsigned char out[8])
{
	out[0] = in[0] >> 1;
	out[1] = (unsigned char)(((in[0] & 0x01) << 6) | (in[1] >> 2));
	out[2] = (unsigned char)(((in[1] & 0x03) << 5) | (in[2] >> 3));
	out[3] = (unsigned char)(((in[2] & 0x07) << 4) | (in[3] >> 4));
	out[4] = (unsigned char)(((in[3] & 0x0F) << 3) | (in[4] >> 5));
	out[5] = (unsigned char)(((in[4] & 0x1F) << 2) | (in[5] >> 6));
	out[6] = (unsigned char)(((in[5] & 0x3F) << 1) | (in[6] >> 7));
	out[7] = in[6] & 0x7F;
	for (int i = 0; i < 8; i++)
		out[i] = (unsigned char)(out[i] << 1);
}

int samkeys_nthash(samkeys *k, uint32_t rid, const unsigned char *v, size_t vlen, unsigned char nt[16],
                   shodo_err *err)
{
	if (!k->have_sam) {
		shodo_err_set(err, SHODO_FAILED, 0, "cannot decrypt hash of RID %u: no SAM key", rid);
		return -1;
	}
	if (vlen < 0xCC) {
		shodo_err_set(err, SHODO_FAILED, 0, "cannot read hash of RID %u: V value too short", rid);
		return -1;
	}
	uint32_t off = le32(v + 0xA8), len = le32(v + 0xAC);
	if (len == 0)
		return 0;
	if ((uint64_t)0xCC + off + len > vlen) {
		shodo_err_set(err, SHODO_FAILED, 0, "cannot read hash of RID %u: hash entry outside the V value", rid);
		return -1;
	}
	const unsigned char *e = v + 0xCC + off;
	if (len < 4)
		return 0;
	unsigned rev = e[2];
	unsigned char obf[32], rc4key[16], buf[64], d1[8], d2[8];
	int result = -1;
	if (rev == 1) {
		if (len < 20) {
			result = 0;
			goto out;
		}
		size_t n = 0;
		memcpy(buf + n, k->samkey, 16); n += 16;
		buf[n++] = rid & 0xFF;
		buf[n++] = (rid >> 8) & 0xFF;
		buf[n++] = (rid >> 16) & 0xFF;
		buf[n++] = (unsigned char)(rid >> 24);
		memcpy(buf + n, "NTPASSWORD", 11); n += 11;
		if (!md5(k, buf, n, rc4key) || !decrypt(k, "RC4", rc4key, NULL, e + 4, 16, obf)) {
			shodo_err_set(err, SHODO_FAILED, 0, "cannot decrypt hash of RID %u: RC4/MD5 unavailable", rid);
			goto out;
		}
	} else if (rev == 2) {
		if (len < 24 + 16) {
			result = 0;
			goto out;
		}
		int dl = (int)((len - 24) & ~15u);
		if (dl > 32)
			dl = 32;
		if (!decrypt(k, "AES-128-CBC", k->samkey, e + 8, e + 24, dl, obf)) {
			shodo_err_set(err, SHODO_FAILED, 0, "cannot decrypt hash of RID %u: AES decryption failed", rid);
			goto out;
		}
	} else {
		shodo_err_set(err, SHODO_FAILED, 0, "cannot read hash of RID %u: unknown hash revision %u", rid, rev);
		goto out;
	}
	{
		unsigned char r[4] = {rid & 0xFF, (rid >> 8) & 0xFF, (rid >> 16) & 0xFF, (unsigned char)(rid >> 24)};
		unsigned char k1[7] = {r[0], r[1], r[2], r[3], r[0], r[1], r[2]};
		unsigned char k2[7] = {r[3], r[0], r[1], r[2], r[3], r[0], r[1]};
		des_key(k1, d1);
		des_key(k2, d2);
		if (!decrypt(k, "DES-ECB", d1, NULL, obf, 8, nt) || !decrypt(k, "DES-ECB", d2, NULL, obf + 8, 8, nt + 8)) {
			OPENSSL_cleanse(nt, 16);
			shodo_err_set(err, SHODO_FAILED, 0, "cannot decrypt hash of RID %u: DES unavailable", rid);
			goto out;
		}
		result = 1;
	}
out:
	OPENSSL_cleanse(obf, sizeof(obf));
	OPENSSL_cleanse(rc4key, sizeof(rc4key));
	OPENSSL_cleanse(buf, sizeof(buf));
	return result;
}
