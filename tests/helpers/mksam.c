/*
 * mksam — writes mkhive descriptions of a SYSTEM and a SAM hive whose
 * account password hashes are encrypted the way Windows stores them, for
 * the credential tests.
 *
 *   mksam [--rev 1|2] [--bootkey HEX32] [--samkey HEX32] [--computer NAME]
 *         [--sid A-B-C] [--member SID]... [--minlen N] [--lockout N]
 *         [--nt-out FILE] SYSTEM.txt SAM.txt USER...
 *
 * USER is name:rid:password[:flags]; flags: d disabled, n password never
 * expires, a member of Administrators, x no password hash stored.
 * --rev 1 is the RC4/MD5 scheme (NT 4 to Windows 10 1511), --rev 2 the
 * AES-128-CBC scheme (Windows 10 1607 and later).  Keys not given are
 * random.  --member adds a SID (e.g. a domain's S-1-5-21-...-512) to the
 * Administrators alias.  --nt-out writes "name:rid:nthash-hex" lines so a
 * test can look for the hashes where they must not be.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/provider.h>
#include <openssl/rand.h>

static void die(const char *m)
{
	fprintf(stderr, "mksam: %s\n", m);
	exit(2);
}

static void hexout(FILE *fp, const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(fp, "%02x", b[i]);
}

static int unhex(const char *s, unsigned char *out, size_t n)
{
	if (strlen(s) != 2 * n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (unsigned char)v;
	}
	return 0;
}

static void digest(const char *alg, const void *a, size_t an, unsigned char *out)
{
	EVP_MD *md = EVP_MD_fetch(NULL, alg, NULL);
	unsigned int n = 0;
	if (!md || !EVP_Digest(a, an, out, &n, md, NULL))
		die("digest failed (legacy provider missing?)");
	EVP_MD_free(md);
}

static void cipher(const char *alg, const unsigned char *key, const unsigned char *iv, const unsigned char *in,
                   int n, unsigned char *out)
{
	EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, alg, NULL);
	EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
	int l1 = 0, l2 = 0;
	if (!c || !x || !EVP_EncryptInit_ex(x, c, NULL, key, iv) || !EVP_CIPHER_CTX_set_padding(x, 0) ||
	    !EVP_EncryptUpdate(x, out, &l1, in, n) || !EVP_EncryptFinal_ex(x, out + l1, &l2))
		die("cipher failed");
	EVP_CIPHER_CTX_free(x);
	EVP_CIPHER_free(c);
}

/* MS-SAMR 2.2.11.1.2: 7 bytes -> DES key */
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

static void des_obfuscate(uint32_t rid, const unsigned char in[16], unsigned char out[16])
{
	unsigned char r[4] = {rid & 0xFF, (rid >> 8) & 0xFF, (rid >> 16) & 0xFF, rid >> 24};
	unsigned char k1[7] = {r[0], r[1], r[2], r[3], r[0], r[1], r[2]};
	unsigned char k2[7] = {r[3], r[0], r[1], r[2], r[3], r[0], r[1]};
	unsigned char d1[8], d2[8];
	des_key(k1, d1);
	des_key(k2, d2);
	cipher("DES-ECB", d1, NULL, in, 8, out);
	cipher("DES-ECB", d2, NULL, in + 8, 8, out + 8);
}

static const char QWERTY[] = "!@#$%^&*()qwertyUIOPAzxcvbnmQQQQQQQQQQQQ)(*@&%";
static const char DIGITS[] = "0123456789012345678901234567890123456789";

typedef struct user {
	char name[64];
	uint32_t rid;
	char password[128];
	int disabled, never_expires, admin, nohash;
} user;

static void put_utf16(unsigned char *out, const char *s)
{
	for (size_t i = 0; s[i]; i++) {
		out[2 * i] = (unsigned char)s[i];
		out[2 * i + 1] = 0;
	}
}

static void put32(unsigned char *p, uint32_t v) { memcpy(p, &v, 4); }
static void put16(unsigned char *p, uint16_t v) { memcpy(p, &v, 2); }
static void put64(unsigned char *p, uint64_t v) { memcpy(p, &v, 8); }

static int parse_sid(const char *s, unsigned char *out)
{
	/* S-1-5-21-a-b-c-r style, up to 15 sub-authorities */
	unsigned long long auth;
	const char *p = s;
	if (strncmp(p, "S-1-", 4))
		return -1;
	p += 4;
	char *end;
	auth = strtoull(p, &end, 10);
	p = end;
	int n = 0;
	uint32_t sub[15];
	while (*p == '-' && n < 15) {
		sub[n++] = (uint32_t)strtoul(p + 1, &end, 10);
		p = end;
	}
	out[0] = 1;
	out[1] = (unsigned char)n;
	for (int i = 0; i < 6; i++)
		out[2 + i] = (unsigned char)(auth >> (8 * (5 - i)));
	for (int i = 0; i < n; i++)
		put32(out + 8 + 4 * i, sub[i]);
	return 8 + 4 * n;
}

int main(int argc, char **argv)
{
	int rev = 2, minlen = 0, lockout = 0;
	unsigned char bootkey[16], samkey[16];
	int have_boot = 0, have_sam = 0;
	const char *computer = "HOST", *sid = "1111-2222-3333", *ntout = NULL;
	const char *members[16];
	int nmembers = 0;
	int i = 1;
	OSSL_PROVIDER *legacy = OSSL_PROVIDER_load(NULL, "legacy"), *deflt = OSSL_PROVIDER_load(NULL, "default");
	if (!legacy || !deflt)
		die("cannot load the OpenSSL legacy provider");
	for (; i < argc && !strncmp(argv[i], "--", 2); i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v)
			die("option needs a value");
		i++;
		if (!strcmp(o, "--rev"))
			rev = atoi(v);
		else if (!strcmp(o, "--bootkey"))
			have_boot = !unhex(v, bootkey, 16) || (die("bad --bootkey"), 0);
		else if (!strcmp(o, "--samkey"))
			have_sam = !unhex(v, samkey, 16) || (die("bad --samkey"), 0);
		else if (!strcmp(o, "--computer"))
			computer = v;
		else if (!strcmp(o, "--sid"))
			sid = v;
		else if (!strcmp(o, "--member") && nmembers < 16)
			members[nmembers++] = v;
		else if (!strcmp(o, "--minlen"))
			minlen = atoi(v);
		else if (!strcmp(o, "--lockout"))
			lockout = atoi(v);
		else if (!strcmp(o, "--nt-out"))
			ntout = v;
		else
			die("unknown option");
	}
	if (argc - i < 2)
		die("usage: mksam [options] SYSTEM.txt SAM.txt USER...");
	const char *sysout = argv[i], *samout = argv[i + 1];
	i += 2;
	if (!have_boot && RAND_bytes(bootkey, 16) != 1)
		die("random");
	if (!have_sam && RAND_bytes(samkey, 16) != 1)
		die("random");

	/* ---- SYSTEM: boot key scrambled into four class names ---- */
	static const int perm[16] = {8, 5, 4, 2, 11, 9, 13, 3, 0, 6, 1, 12, 14, 10, 15, 7};
	unsigned char scrambled[16];
	for (int j = 0; j < 16; j++)
		scrambled[perm[j]] = bootkey[j];
	FILE *fs = fopen(sysout, "w");
	if (!fs)
		die("cannot write SYSTEM description");
	fprintf(fs, "R\tROOT\nD\tSelect\tCurrent\t1\nD\tSelect\tDefault\t1\nD\tSelect\tLastKnownGood\t2\n");
	fprintf(fs, "S\tControlSet001\\Control\\ComputerName\\ComputerName\tComputerName\t%s\n", computer);
	static const char *lsa[4] = {"JD", "Skew1", "GBG", "Data"};
	for (int j = 0; j < 4; j++) {
		fprintf(fs, "C\tControlSet001\\Control\\Lsa\\%s\t", lsa[j]);
		hexout(fs, scrambled + 4 * j, 4);
		fputc('\n', fs);
	}
	fclose(fs);

	/* ---- SAM domain F with the encrypted SAM key ---- */
	unsigned char F[0x68 + 0x50];
	memset(F, 0, sizeof(F));
	put16(F, 3);
	put64(F + 0x18, (uint64_t)-(int64_t)(42LL * 86400 * 10000000LL));  /* max password age 42 days */
	put64(F + 0x30, (uint64_t)-(int64_t)(30LL * 60 * 10000000LL));     /* lockout duration 30 min */
	put64(F + 0x38, (uint64_t)-(int64_t)(30LL * 60 * 10000000LL));
	put32(F + 0x48, 1010);
	put16(F + 0x50, (uint16_t)minlen);
	put16(F + 0x54, (uint16_t)lockout);
	put32(F + 0x58, 1);
	size_t flen;
	unsigned char *k0 = F + 0x68;
	if (rev == 1) {
		unsigned char salt[16], rc4key[16], plain[32], buf[256];
		RAND_bytes(salt, 16);
		size_t n = 0;
		memcpy(buf + n, salt, 16); n += 16;
		memcpy(buf + n, QWERTY, sizeof(QWERTY)); n += sizeof(QWERTY);   /* with NUL */
		memcpy(buf + n, bootkey, 16); n += 16;
		memcpy(buf + n, DIGITS, sizeof(DIGITS)); n += sizeof(DIGITS);
		digest("MD5", buf, n, rc4key);
		memcpy(plain, samkey, 16);
		n = 0;
		memcpy(buf + n, samkey, 16); n += 16;
		memcpy(buf + n, DIGITS, sizeof(DIGITS)); n += sizeof(DIGITS);
		memcpy(buf + n, samkey, 16); n += 16;
		memcpy(buf + n, QWERTY, sizeof(QWERTY)); n += sizeof(QWERTY);
		digest("MD5", buf, n, plain + 16);
		put32(k0, 1);
		put32(k0 + 4, 0x28);
		memcpy(k0 + 8, salt, 16);
		cipher("RC4", rc4key, NULL, plain, 32, k0 + 24);
		flen = 0x68 + 0x40;
	} else {
		unsigned char salt[16], plain[32];
		RAND_bytes(salt, 16);
		memcpy(plain, samkey, 16);
		memset(plain + 16, 16, 16);
		put32(k0, 2);
		put32(k0 + 4, 0x40);
		put32(k0 + 8, 0x10);
		put32(k0 + 12, 0x20);
		memcpy(k0 + 16, salt, 16);
		cipher("AES-128-CBC", bootkey, salt, plain, 32, k0 + 32);
		flen = 0x68 + 0x40;
	}

	FILE *fa = fopen(samout, "w");
	FILE *fn = ntout ? fopen(ntout, "w") : NULL;
	if (!fa || (ntout && !fn))
		die("cannot write SAM description");
	fprintf(fa, "R\tROOT\nB\tSAM\\Domains\\Account\tF\t");
	hexout(fa, F, flen);
	unsigned char dv[64] = {0}, msid[32];
	char full[128];
	snprintf(full, sizeof(full), "S-1-5-21-%s", sid);
	int sl = parse_sid(full, msid);
	memcpy(dv + 64 - sl, msid, sl);
	fprintf(fa, "\nB\tSAM\\Domains\\Account\tV\t");
	hexout(fa, dv, sizeof(dv));
	fputc('\n', fa);

	unsigned char alias_sids[64 * 28];
	size_t alias_len = 0;
	int alias_n = 0;
	for (; i < argc; i++) {
		user u = {0};
		char tmp[512];
		snprintf(tmp, sizeof(tmp), "%s", argv[i]);
		char *save = NULL, *f = strtok_r(tmp, ":", &save);
		if (!f)
			die("bad user");
		snprintf(u.name, sizeof(u.name), "%s", f);
		f = strtok_r(NULL, ":", &save);
		if (!f)
			die("user needs a rid");
		u.rid = (uint32_t)strtoul(f, NULL, 0);
		/* the password may be empty: find it between the 2nd and 3rd colon */
		const char *p2 = strchr(strchr(argv[i], ':') + 1, ':');
		const char *pw = p2 ? p2 + 1 : "";
		const char *p3 = strchr(pw, ':');
		size_t pl = p3 ? (size_t)(p3 - pw) : strlen(pw);
		if (pl >= sizeof(u.password))
			die("password too long");
		memcpy(u.password, pw, pl);
		if (p3) {
			u.disabled = !!strchr(p3, 'd');
			u.never_expires = !!strchr(p3, 'n');
			u.admin = !!strchr(p3, 'a');
			u.nohash = !!strchr(p3, 'x');
		}

		unsigned char nt[16], w[256], obf[16];
		put_utf16(w, u.password);
		digest("MD4", w, 2 * strlen(u.password), nt);
		if (fn) {
			fprintf(fn, "%s:%u:", u.name, u.rid);
			hexout(fn, nt, 16);
			fputc('\n', fn);
		}
		des_obfuscate(u.rid, nt, obf);

		/* user F */
		unsigned char uf[0x50] = {0};
		put16(uf, 2);
		put64(uf + 0x18, 133485408000000000ULL);
		put32(uf + 0x30, u.rid);
		uint16_t acb = 0x0010 | (u.disabled ? 0x0001 : 0) | (u.never_expires ? 0x0200 : 0);
		put16(uf + 0x38, acb);

		/* user V: 0xCC header of (offset, length, unknown) triples, then data */
		unsigned char v[0xCC + 512];
		memset(v, 0, sizeof(v));
		size_t d = 0;
		size_t nl = strlen(u.name) * 2;
		put32(v + 0x0C, (uint32_t)d);
		put32(v + 0x10, (uint32_t)nl);
		put_utf16(v + 0xCC + d, u.name);
		d = (d + nl + 3) & ~(size_t)3;
		/* LM: header only (no LM hash) */
		unsigned char *lm = v + 0xCC + d;
		put32(v + 0x9C, (uint32_t)d);
		if (rev == 1) {
			put16(lm + 2, 1);
			put32(v + 0xA0, 4);
			d += 4;
		} else {
			put16(lm + 2, 2);
			put32(v + 0xA0, 0x18);
			d += 0x18;
		}
		unsigned char *h = v + 0xCC + d;
		put32(v + 0xA8, (uint32_t)d);
		if (rev == 1) {
			put16(h + 2, 1);
			if (u.nohash) {
				put32(v + 0xAC, 4);
				d += 4;
			} else {
				unsigned char buf[64], rc4key[16];
				size_t n = 0;
				memcpy(buf + n, samkey, 16); n += 16;
				put32(buf + n, u.rid); n += 4;
				memcpy(buf + n, "NTPASSWORD", 11); n += 11;
				digest("MD5", buf, n, rc4key);
				cipher("RC4", rc4key, NULL, obf, 16, h + 4);
				put32(v + 0xAC, 20);
				d += 20;
			}
		} else {
			put16(h + 2, 2);
			put32(h + 4, 0x10);
			unsigned char salt[16];
			RAND_bytes(salt, 16);
			memcpy(h + 8, salt, 16);
			if (u.nohash) {
				put32(v + 0xAC, 0x18);
				d += 0x18;
			} else {
				unsigned char plain[32];
				memcpy(plain, obf, 16);
				memset(plain + 16, 16, 16);
				cipher("AES-128-CBC", samkey, salt, plain, 32, h + 24);
				put32(v + 0xAC, 0x38);
				d += 0x38;
			}
		}
		put32(v + 0xC4, 1);   /* number of hash entries, as Windows sets */
		fprintf(fa, "B\tSAM\\Domains\\Account\\Users\\%08X\tF\t", u.rid);
		hexout(fa, uf, sizeof(uf));
		fprintf(fa, "\nB\tSAM\\Domains\\Account\\Users\\%08X\tV\t", u.rid);
		hexout(fa, v, 0xCC + d);
		fprintf(fa, "\nT\tSAM\\Domains\\Account\\Users\\Names\\%s\t\t%u\n", u.name, u.rid);
		if (u.admin && alias_n < 64) {
			char s[160];
			snprintf(s, sizeof(s), "%s-%u", full, u.rid);
			alias_len += (size_t)parse_sid(s, alias_sids + alias_len);
			alias_n++;
		}
	}
	for (int m = 0; m < nmembers && alias_n < 64; m++) {
		int l = parse_sid(members[m], alias_sids + alias_len);
		if (l < 0)
			die("bad --member SID");
		alias_len += (size_t)l;
		alias_n++;
	}
	/* Builtin alias 544 (Administrators): C value */
	unsigned char c[0x34 + 64 + 64 * 28];
	memset(c, 0, sizeof(c));
	put32(c, 0x220);
	const char *gname = "Administrators";
	size_t gl = strlen(gname) * 2;
	put32(c + 0x10, 0);
	put32(c + 0x14, (uint32_t)gl);
	put_utf16(c + 0x34, gname);
	put32(c + 0x1C, (uint32_t)gl);
	put32(c + 0x20, 0);
	put32(c + 0x28, (uint32_t)gl);
	put32(c + 0x2C, (uint32_t)alias_len);
	put32(c + 0x30, (uint32_t)alias_n);
	memcpy(c + 0x34 + gl, alias_sids, alias_len);
	fprintf(fa, "B\tSAM\\Domains\\Builtin\\Aliases\\00000220\tC\t");
	hexout(fa, c, 0x34 + gl + alias_len);
	fprintf(fa, "\nT\tSAM\\Domains\\Builtin\\Aliases\\Names\\Administrators\t\t544\n");
	fclose(fa);
	if (fn)
		fclose(fn);
	OPENSSL_cleanse(bootkey, sizeof(bootkey));
	OPENSSL_cleanse(samkey, sizeof(samkey));
	OSSL_PROVIDER_unload(legacy);
	OSSL_PROVIDER_unload(deflt);
	return 0;
}
