/* Unit tests for the posture helpers: the per-case credential key, the
 * reuse-review classification, UTF-16 conversion and the SAM decryption
 * entry points on malformed input. */
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>
#include "unit.h"
#include "triage/posture/posture_int.h"

static const char *keydir;

static void *make_key(void *out)
{
	shodo_err e;
	shodo_err_clear(&e);
	if (posture_case_key(keydir, 1, out, &e) != SHODO_OK)
		memset(out, 0xEE, 32);
	return NULL;
}

TEST(case_key)
{
	char dir[512];
	snprintf(dir, sizeof(dir), "%s/case", unit_tmpdir());
	mkdir(dir, 0700);
	keydir = dir;
	unsigned char k1[32], k2[32];
	shodo_err e;
	shodo_err_clear(&e);
	CHECK_INT(posture_case_key(dir, 0, k1, &e), SHODO_FAILED);   /* absent, not created */
	/* several jobs creating the key at once end up with one key */
	unsigned char ks[4][32];
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, make_key, ks[i]);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	for (int i = 1; i < 4; i++)
		CHECK(!memcmp(ks[0], ks[i], 32));
	CHECK_INT(posture_case_key(dir, 0, k1, &e), SHODO_OK);
	CHECK_INT(posture_case_key(dir, 1, k2, &e), SHODO_OK);
	CHECK(!memcmp(k1, k2, 32));
	CHECK(!memcmp(k1, ks[0], 32));
	char p[600];
	snprintf(p, sizeof(p), "%s/.shodo/credential.key", dir);
	struct stat sb;
	CHECK_INT(stat(p, &sb), 0);
	CHECK_INT(sb.st_mode & 0777, 0600);
	CHECK_INT(sb.st_size, 32);
	char id1[17], id2[17];
	posture_key_id(k1, id1);
	posture_key_id(k2, id2);
	CHECK_STR(id1, id2);
	CHECK_INT(strlen(id1), 16);
	k2[0] ^= 1;
	posture_key_id(k2, id2);
	CHECK(strcmp(id1, id2) != 0);
	/* a truncated key file is an error, never silently replaced */
	truncate(p, 16);
	CHECK_INT(posture_case_key(dir, 1, k1, &e), SHODO_FAILED);
}

TEST(review_kind)
{
	CHECK_STR(posture_review_kind("Users/a/Downloads/AnyDesk.EXE"), "executable");
	CHECK_STR(posture_review_kind("Windows/System32/drivers/x.sys"), "driver");
	CHECK_STR(posture_review_kind("ProgramData/go.PS1"), "script");
	CHECK_STR(posture_review_kind("Users/a/Desktop/x.lnk"), "shortcut");
	CHECK_STR(posture_review_kind("tmp/setup.msi"), "installer");
	CHECK_STR(posture_review_kind("a/b.dll"), "library");
	CHECK(posture_review_kind("a/b.txt") == NULL);
	CHECK(posture_review_kind("a/.exe") == NULL);
	CHECK(posture_review_kind("a/exe") == NULL);
	CHECK(posture_review_kind("a/b.exe:Zone.Identifier") == NULL);
	CHECK(posture_review_kind("dir.exe/file") == NULL);
}

TEST(user_writable)
{
	CHECK_INT(posture_user_writable("Users/alice/AppData/Local/Temp/x.exe"), 1);
	CHECK_INT(posture_user_writable("/ProgramData/svc/a.exe"), 1);
	CHECK_INT(posture_user_writable("WINDOWS/TEMP/a.exe"), 1);
	CHECK_INT(posture_user_writable("$Recycle.Bin/S-1-5/a.exe"), 1);
	CHECK_INT(posture_user_writable("PerfLogs/a.exe"), 1);
	CHECK_INT(posture_user_writable("Windows/System32/cmd.exe"), 0);
	CHECK_INT(posture_user_writable("Program Files/App/app.exe"), 0);
	CHECK_INT(posture_user_writable("UsersX/a.exe"), 0);
}

TEST(utf16)
{
	const unsigned char s[] = {'A', 0, 0xE9, 0, 0x3D, 0xD8, 0x00, 0xDE, 0x00, 0xD8, 'b', 0, 0, 0, 'x', 0};
	char *u = reg_utf16_dup(s, sizeof(s));
	/* A, e-acute, U+1F600, lone surrogate -> U+FFFD, b; stops at NUL */
	CHECK_STR(u, "A\xC3\xA9\xF0\x9F\x98\x80\xEF\xBF\xBD" "b");
	free(u);
	u = reg_utf16_dup(s, 1);
	CHECK_STR(u, "");
	free(u);
}

TEST(samkeys_malformed)
{
	samkeys k;
	shodo_err e;
	shodo_err_clear(&e);
	if (samkeys_init(&k, &e) != SHODO_OK) {
		fprintf(stderr, "skipping: %s\n", e.msg);
		return;
	}
	unsigned char f[0x68 + 0x40] = {0}, nt[16];
	/* no boot key yet */
	CHECK_INT(samkeys_samkey(&k, f, sizeof(f), &e), SHODO_FAILED);
	k.have_boot = 1;
	CHECK_INT(samkeys_samkey(&k, f, 0x70, &e), SHODO_FAILED);      /* too short */
	f[0x68] = 7;
	CHECK_INT(samkeys_samkey(&k, f, sizeof(f), &e), SHODO_FAILED); /* unknown revision */
	f[0x68] = 1;
	CHECK_INT(samkeys_samkey(&k, f, sizeof(f), &e), SHODO_FAILED); /* RC4 check value wrong */
	CHECK(strstr(e.msg, "check value") != NULL);
	f[0x68] = 2;
	CHECK_INT(samkeys_samkey(&k, f, sizeof(f), &e), SHODO_OK);     /* AES: no check value */
	unsigned char v[0xCC + 64] = {0};
	v[0xA8] = 0xF0;  /* entry far outside the value */
	v[0xAC] = 20;
	CHECK_INT(samkeys_nthash(&k, 500, v, sizeof(v), nt, &e), -1);
	CHECK_INT(samkeys_nthash(&k, 500, v, 0x50, nt, &e), -1);       /* V too short */
	v[0xA8] = 0;
	v[0xAC] = 4;     /* header only: no hash stored */
	v[0xCC + 2] = 1;
	CHECK_INT(samkeys_nthash(&k, 500, v, sizeof(v), nt, &e), 0);
	v[0xAC] = 0x18;  /* AES header only */
	v[0xCC + 2] = 2;
	CHECK_INT(samkeys_nthash(&k, 500, v, sizeof(v), nt, &e), 0);
	v[0xAC] = 0x38;  /* AES with data: decrypts to something */
	CHECK_INT(samkeys_nthash(&k, 500, v, sizeof(v), nt, &e), 1);
	v[0xCC + 2] = 9;
	CHECK_INT(samkeys_nthash(&k, 500, v, sizeof(v), nt, &e), -1);
	samkeys_wipe(&k);
	static const unsigned char zero[16];
	CHECK(!memcmp(k.bootkey, zero, 16) && !memcmp(k.samkey, zero, 16));
}

int main(void)
{
	RUN(case_key);
	RUN(review_kind);
	RUN(user_writable);
	RUN(utf16);
	RUN(samkeys_malformed);
	UNIT_END();
}
