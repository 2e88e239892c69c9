/* Unit tests for core/: safepath, time and size parsing, hashing, case folder. */
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>
#include "unit.h"
#include "shodo/buf.h"
#include "shodo/case.h"
#include "shodo/hash.h"
#include "shodo/safepath.h"
#include "shodo/source.h"
#include "shodo/util.h"
#include "core/libyal.h"

TEST(safe_component_rejects_traversal)
{
	char out[256];
	shodo_safe_component("..", 2, out, sizeof(out));
	CHECK_STR(out, "%2E%2E");
	shodo_safe_component(".", 1, out, sizeof(out));
	CHECK_STR(out, "%2E");
	shodo_safe_component("a/b\\c", 5, out, sizeof(out));
	CHECK_STR(out, "a%2Fb%5Cc");
	shodo_safe_component("x\0y", 3, out, sizeof(out));
	CHECK_STR(out, "x%00y");
	shodo_safe_component("\x1b[31mred", 8, out, sizeof(out));
	CHECK_STR(out, "%1B[31mred");
	shodo_safe_component("", 0, out, sizeof(out));
	CHECK_STR(out, "%00");
	shodo_safe_component("Ü日本.txt", strlen("Ü日本.txt"), out, sizeof(out));
	CHECK_STR(out, "Ü日本.txt");
	shodo_safe_component("\xff\xfe", 2, out, sizeof(out));
	CHECK_STR(out, "%FF%FE");
	shodo_safe_component("C:evil", 6, out, sizeof(out));
	CHECK_STR(out, "C%3Aevil");
}

TEST(safe_component_long_names_stay_distinct)
{
	char a[600], b[600], oa[256], ob[256];
	memset(a, 'A', sizeof(a));
	memcpy(b, a, sizeof(b));
	b[599] = 'B';
	size_t la = shodo_safe_component(a, sizeof(a), oa, sizeof(oa));
	size_t lb = shodo_safe_component(b, sizeof(b), ob, sizeof(ob));
	CHECK(la <= SHODO_SAFE_NAME_MAX);
	CHECK(lb <= SHODO_SAFE_NAME_MAX);
	CHECK(strcmp(oa, ob) != 0);
	CHECK(strchr(oa, '~') != NULL);
}

TEST(safe_relpath)
{
	char out[512];
	shodo_safe_relpath("Windows\\System32\\..\\config\\SAM", out, sizeof(out));
	CHECK_STR(out, "Windows/System32/%2E%2E/config/SAM");
	CHECK(shodo_relpath_is_clean(out));
	shodo_safe_relpath("/../../etc/passwd", out, sizeof(out));
	CHECK_STR(out, "%2E%2E/%2E%2E/etc/passwd");
	CHECK(!shodo_relpath_is_clean("../x"));
	CHECK(!shodo_relpath_is_clean("/x"));
	CHECK(!shodo_relpath_is_clean("a//b"));
	CHECK(shodo_relpath_is_clean("a/b.c"));
}

TEST(time_and_size)
{
	char buf[48];
	time_t t;
	CHECK_STR(shodo_time_iso(0, buf), "1970-01-01T00:00:00Z");
	CHECK_INT(shodo_parse_iso("2021-03-04T05:06:07Z", &t), 0);
	CHECK_STR(shodo_time_iso(t, buf), "2021-03-04T05:06:07Z");
	CHECK_INT(shodo_parse_iso("2021-03-04T07:06:07+02:00", &t), 0);
	CHECK_STR(shodo_time_iso(t, buf), "2021-03-04T05:06:07Z");
	CHECK_INT(shodo_parse_iso("2021-03-04", &t), 0);
	CHECK_STR(shodo_time_iso(t, buf), "2021-03-04T00:00:00Z");
	CHECK(shodo_parse_iso("yesterday", &t) != 0);
	/* the usual form read digit by digit, and what it hands to the general
	 * reading (which gave these before) */
	CHECK_INT(shodo_parse_iso("2021-03-04T05:06:07.1234567Z", &t), 0);
	CHECK_STR(shodo_time_iso(t, buf), "2021-03-04T05:06:07Z");
	CHECK_INT(shodo_parse_iso("2021-03-04 05:06:07", &t), 0);
	CHECK_STR(shodo_time_iso(t, buf), "2021-03-04T05:06:07Z");
	CHECK_INT(shodo_parse_iso("2021-02-30T23:59:60Z", &t), 0);
	CHECK_STR(shodo_time_iso(t, buf), "2021-03-03T00:00:00Z");
	CHECK_INT(shodo_parse_iso("2021-03-04T05:06", &t), 0);
	CHECK_STR(shodo_time_iso(t, buf), "2021-03-04T05:06:00Z");
	CHECK_INT(shodo_parse_iso("2021-03-04T05:06:07.Z", &t), 0);
	CHECK_INT(shodo_parse_iso("2021-03-04T05:06:07-01:30", &t), 0);
	CHECK_STR(shodo_time_iso(t, buf), "2021-03-04T06:36:07Z");
	CHECK(shodo_parse_iso("2021-13-04T05:06:07Z", &t) != 0);
	CHECK(shodo_parse_iso("2021-03-04T24:00:00Z", &t) != 0);
	CHECK(shodo_parse_iso("2021-03-04T05:06:07ZZ", &t) != 0);
	CHECK(shodo_parse_iso("2021-03-04T05:06:07 ", &t) != 0);
	CHECK(shodo_parse_iso("2021-03", &t) != 0);
	/* 2021-03-04T05:06:07.5Z as FILETIME */
	uint64_t ft = (uint64_t)(1614834367LL) * 10000000ULL + 116444736000000000ULL + 5000000ULL;
	CHECK_STR(shodo_filetime_iso(ft, buf), "2021-03-04T05:06:07.5000000Z");
	CHECK_INT(shodo_filetime_to_unix(ft), 1614834367LL);
	CHECK_INT(shodo_parse_size("2G"), 2147483648ULL);
	CHECK_INT(shodo_parse_size("640MiB"), 671088640ULL);
	CHECK_INT(shodo_parse_size("4096"), 4096);
	CHECK_INT(shodo_parse_size("x"), 0);
	CHECK_INT(shodo_parse_size("-1G"), 0);
}

TEST(hash_known_vectors)
{
	shodo_hash *h = shodo_hash_new(SHODO_HASH_ALL);
	shodo_digests d = {0};
	shodo_hash_update(h, "abc", 3);
	shodo_hash_final(h, &d);
	CHECK_STR(d.md5, "900150983cd24fb0d6963f7d28e17f72");
	CHECK_STR(d.sha1, "a9993e364706816aba3e25717850c26c9cd0d89d");
	CHECK_STR(d.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	shodo_hash_free(h);
	shodo_digests one;
	CHECK_INT(shodo_hash_buf(SHODO_HASH_SHA256, "abc", 3, &one), 0);
	CHECK_STR(one.sha256, d.sha256);
	CHECK_INT(one.sha256_raw[0], 0xba);
	CHECK_INT(one.set, SHODO_HASH_SHA256);
	CHECK_STR(one.md5, "");
	CHECK_INT(shodo_hash_parse_list("md5,sha1"), SHODO_HASH_MD5 | SHODO_HASH_SHA1);
	CHECK_INT(shodo_hash_parse_list("md5,crc"), 0);
}

TEST(memory_source)
{
	char data[1000];
	for (int i = 0; i < 1000; i++)
		data[i] = (char)i;
	shodo_source *s = shodo_source_memory(data, sizeof(data), 512);
	char buf[100];
	CHECK_INT(shodo_source_read_at(s, buf, 100, 950), 50);
	CHECK_INT((unsigned char)buf[0], 950 % 256);
	CHECK_INT(shodo_source_read_at(s, buf, 100, 1000), 0);
	shodo_source_close(s);
}

TEST(case_folder_ids_custody_and_sums)
{
	char dir[512], p[700], evd[600];
	shodo_err err;
	shodo_case *c = NULL;
	snprintf(dir, sizeof(dir), "%s/case", unit_tmpdir());
	shodo_case_meta m = {.case_number = "2026-001", .examiner = "K. Tanaka"};
	CHECK_INT(shodo_case_open(dir, &m, 1, &c, &err), SHODO_OK);
	struct stat st;
	CHECK_INT(stat(dir, &st), 0);
	CHECK_INT(st.st_mode & 0777, 0700);
	CHECK(!shodo_case_id_valid("../x"));
	CHECK(!shodo_case_id_valid("a/b"));
	CHECK(!shodo_case_id_valid(""));
	CHECK(!shodo_case_id_valid(".hidden"));
	CHECK(shodo_case_id_valid("PC-0042_disk0"));
	CHECK_INT(shodo_case_evidence_dir(c, "../evil", "image", evd, sizeof(evd), &err), SHODO_USAGE);
	CHECK_INT(shodo_case_evidence_dir(c, "PC1", "image", evd, sizeof(evd), &err), SHODO_OK);
	snprintf(p, sizeof(p), "%s/f.bin", evd);
	CHECK_INT(shodo_write_file_atomic(p, "hello", 5, 0600), 0);
	CHECK_INT(shodo_case_custody(c, "acquire", "PC1", "PC1/image/f.bin", NULL, NULL, &err), SHODO_OK);
	CHECK_INT(shodo_case_custody(c, "verify", "PC1", "PC1/image/f.bin", NULL, "ok", &err), SHODO_OK);
	CHECK_INT(shodo_case_refresh_sums(c, NULL, &err), SHODO_OK);
	shodo_case_check res;
	CHECK_INT(shodo_case_verify(dir, NULL, NULL, &res, NULL, NULL, &err), SHODO_OK);
	CHECK_INT(res.files_ok, 4); /* case.json, custody.jsonl, custody.head, PC1/image/f.bin */
	/* tamper: the file changes, verify must fail */
	CHECK_INT(shodo_write_file_atomic(p, "HELLO", 5, 0600), 0);
	CHECK_INT(shodo_case_verify(dir, NULL, NULL, &res, NULL, NULL, &err), SHODO_FAILED);
	CHECK_INT(res.files_bad, 1);
	shodo_case_close(c);
}

/* FAT and exFAT (the stick's case partition) stamp files in 2 s steps: a
 * file rewritten with the same size right after a refresh keeps its mtime,
 * and the next refresh must hash it again instead of taking the cache's
 * stale hash.  The stamp here is one in the future, as a coarse clock (or a
 * rewrite within the same step) leaves it. */
TEST(case_sums_rehash_racy_files)
{
	char dir[512], p[700], evd[600];
	shodo_err err;
	shodo_case *c = NULL;
	snprintf(dir, sizeof(dir), "%s/racy", unit_tmpdir());
	CHECK_INT(shodo_case_open(dir, NULL, 1, &c, &err), SHODO_OK);
	CHECK_INT(shodo_case_evidence_dir(c, "PC1", "image", evd, sizeof(evd), &err), SHODO_OK);
	snprintf(p, sizeof(p), "%s/head", evd);
	struct timespec ts[2];
	clock_gettime(CLOCK_REALTIME, &ts[0]);
	ts[0].tv_sec += 1;
	ts[0].tv_nsec = 0;
	ts[1] = ts[0];
	CHECK_INT(shodo_write_file_atomic(p, "entries 5", 9, 0600), 0);
	CHECK_INT(utimensat(AT_FDCWD, p, ts, 0), 0);
	CHECK_INT(shodo_case_refresh_sums(c, NULL, &err), SHODO_OK);
	shodo_case_close(c);
	c = NULL;
	CHECK_INT(shodo_write_file_atomic(p, "entries 6", 9, 0600), 0);
	CHECK_INT(utimensat(AT_FDCWD, p, ts, 0), 0);
	CHECK_INT(shodo_case_open(dir, NULL, 0, &c, &err), SHODO_OK);
	CHECK_INT(shodo_case_refresh_sums(c, NULL, &err), SHODO_OK);
	shodo_case_check res;
	CHECK_INT(shodo_case_verify(dir, NULL, NULL, &res, NULL, NULL, &err), SHODO_OK);
	CHECK_INT(res.files_bad, 0);
	shodo_case_close(c);
}

/* A file written a second ago on a file system with fine time stamps (the
 * unit's temporary directory: ext4 or tmpfs) is trusted by the next refresh:
 * its cache entry keeps its mtime.  With a window of 3 s everywhere the
 * command after an acquisition hashed its last segment again. */
TEST(case_sums_trust_settled_files)
{
	char dir[512], p[700], evd[600], cp[700];
	shodo_err err;
	shodo_case *c = NULL;
	struct statfs sf;
	snprintf(dir, sizeof(dir), "%s/settled", unit_tmpdir());
	CHECK_INT(shodo_case_open(dir, NULL, 1, &c, &err), SHODO_OK);
	CHECK_INT(shodo_case_evidence_dir(c, "PC1", "image", evd, sizeof(evd), &err), SHODO_OK);
	snprintf(p, sizeof(p), "%s/seg", evd);
	CHECK_INT(shodo_write_file_atomic(p, "segment", 7, 0600), 0);
	struct timespec ts[2];
	clock_gettime(CLOCK_REALTIME, &ts[0]);
	ts[0].tv_sec -= 1;
	ts[1] = ts[0];
	CHECK_INT(utimensat(AT_FDCWD, p, ts, 0), 0);
	CHECK_INT(shodo_case_refresh_sums(c, NULL, &err), SHODO_OK);
	shodo_case_close(c);
	CHECK_INT(statfs(dir, &sf), 0);
	if (sf.f_type != 0xEF53 && sf.f_type != 0x01021994)
		return; /* another file system: the 3 s window applies */
	snprintf(cp, sizeof(cp), "%s/.shodo/sumcache", dir);
	FILE *f = fopen(cp, "r");
	CHECK(f != NULL);
	char line[1024], want[64];
	int found = 0;
	snprintf(want, sizeof(want), " %lld PC1/image/seg\n",
	         (long long)ts[0].tv_sec * 1000000000LL + ts[0].tv_nsec);
	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, want))
			found = 1;
	if (f)
		fclose(f);
	CHECK_INT(found, 1);
}

/* A path longer than PATH_MAX cannot be named, so it cannot be hashed: the
 * refresh and the check must say so instead of leaving it out silently. */
TEST(case_sums_report_unnameable_paths)
{
	char dir[512];
	shodo_err err;
	shodo_case *c = NULL;
	snprintf(dir, sizeof(dir), "%s/deep", unit_tmpdir());
	CHECK_INT(shodo_case_open(dir, NULL, 1, &c, &err), SHODO_OK);
	char comp[201];
	memset(comp, 'd', 200);
	comp[200] = '\0';
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	for (int i = 0; i < 22 && fd >= 0; i++) {
		mkdirat(fd, comp, 0700);
		int nfd = openat(fd, comp, O_RDONLY | O_DIRECTORY);
		close(fd);
		fd = nfd;
	}
	CHECK(fd >= 0);
	int f = openat(fd, "evidence.bin", O_WRONLY | O_CREAT, 0600);
	CHECK(f >= 0);
	CHECK_INT(write(f, "x", 1), 1);
	close(f);
	close(fd);
	CHECK_INT(shodo_case_refresh_sums(c, NULL, &err), SHODO_FAILED);
	CHECK(strstr(err.msg, "too long") != NULL);
	shodo_case_check res;
	CHECK_INT(shodo_case_verify(dir, NULL, NULL, &res, NULL, NULL, &err), SHODO_FAILED);
	CHECK(res.files_unlisted >= 1);
	shodo_case_close(c);
}

/* a stand-in for libXXX_error_backtrace_sprint: innermost frame first */
static int fake_backtrace(void *error, char *out, size_t n)
{
	return snprintf(out, n, "%s", (const char *)error);
}

TEST(libyal_errors_one_line)
{
	char m[128];
	CHECK_STR(shodo_libyal_msg("libbfio_file_open: unable to open file: No such file or directory.\n"
	                           "libewf_handle_open: unable to open handle.\n", fake_backtrace, m, sizeof(m)),
	          "unable to open file: No such file or directory");
	CHECK_STR(shodo_libyal_msg("plain message without a function.", fake_backtrace, m, sizeof(m)),
	          "plain message without a function");
	CHECK_STR(shodo_libyal_msg(NULL, fake_backtrace, m, sizeof(m)), "unknown error");
	shodo_err err;
	shodo_err_clear(&err);
	CHECK_INT(shodo_err_from_libyal(&err, SHODO_FAILED, 0, "libregf_io_handle_read: invalid signature.",
	                                fake_backtrace, "cannot open hive '%s'", "SAM"), SHODO_FAILED);
	CHECK_STR(err.msg, "cannot open hive 'SAM': invalid signature");
	CHECK_INT(err.status, SHODO_FAILED);
}

TEST(growing_buffers)
{
	shodo_buf b = SHODO_BUF_INIT;
	int bad = 0;
	for (int i = 0; i < 1000; i++)
		bad += shodo_buf_addf(&b, "%04d,", i) != 0;
	CHECK_INT(bad, 0);
	CHECK_INT(b.len, 5000);
	CHECK_INT(strlen(b.p), 5000);
	CHECK(!memcmp(b.p, "0000,0001,", 10) && !memcmp(b.p + 4995, "0999,", 5));
	CHECK_INT(shodo_buf_add(&b, "xy", 1), 0);
	CHECK_INT(shodo_buf_adds(&b, "z"), 0);
	CHECK_STR(b.p + 5000, "xz");
	char *s = shodo_buf_detach(&b);
	CHECK(s && strlen(s) == 5002 && b.p == NULL && b.len == 0);
	free(s);
	shodo_buf e = SHODO_BUF_INIT;
	s = shodo_buf_detach(&e);
	CHECK_STR(s, "");
	free(s);
	shodo_buf_release(&e);

	uint64_t *v = NULL;
	size_t n = 0, cap = 0;
	for (uint64_t i = 0; i < 100000 && !bad; i++) {
		bad += shodo_grow(&v, &cap, n + 1) != 0;
		v[n++] = i * 3;
	}
	CHECK_INT(bad, 0);
	CHECK(cap >= n && cap < 2 * n + 16);
	CHECK_INT(v[99999], 299997);
	/* an impossible size fails and leaves the array as it was */
	uint64_t *keep = v;
	size_t keepcap = cap;
	CHECK_INT(shodo_grow(&v, &cap, (size_t)-1 / 4), -1);
	CHECK(v == keep && cap == keepcap && v[12345] == 37035);
	free(v);
}

/* The custody head (read from the file's tail) is the sha256 of the last line (as sha256sum sees it
 * without its newline); an imported item appears whole, with its hashes
 * checked, and never over an existing one. */
TEST(case_custody_head_and_import)
{
	char dir[512], src[512], p[700], head[65];
	shodo_err err;
	shodo_case *c = NULL;
	snprintf(dir, sizeof(dir), "%s/imp", unit_tmpdir());
	snprintf(src, sizeof(src), "%s/impsrc/PC9", unit_tmpdir());
	CHECK_INT(shodo_case_open(dir, NULL, 1, &c, &err), SHODO_OK);
	int entries = -1;
	CHECK_INT(shodo_case_custody_head(dir, head, &entries, &err), SHODO_FATAL);   /* no custody.jsonl yet */
	CHECK_INT(shodo_case_custody(c, "note", NULL, NULL, NULL, "a", &err), SHODO_OK);
	CHECK_INT(shodo_case_custody(c, "note", NULL, NULL, NULL, "b", &err), SHODO_OK);
	CHECK_INT(shodo_case_custody_head(dir, head, &entries, &err), SHODO_OK);
	CHECK_INT(entries, 2);
	{
		size_t n = 0;
		snprintf(p, sizeof(p), "%s/custody.jsonl", dir);
		char *buf = shodo_read_file(p, &n);
		CHECK(buf && n > 1);
		buf[n - 1] = '\0';
		char *last = strrchr(buf, '\n') + 1;
		shodo_digests d;
		CHECK_INT(shodo_hash_buf(SHODO_HASH_SHA256, last, strlen(last), &d), 0);
		CHECK_STR(head, d.sha256);
		free(buf);
	}
	snprintf(p, sizeof(p), "%s/triage", src);
	CHECK_INT(shodo_mkdirs(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/triage/a.txt", src);
	CHECK_INT(shodo_write_file_atomic(p, "hello", 5, 0400), 0);
	const char *parts[] = {"triage", NULL};
	shodo_import_file f = {"triage/a.txt", "0000"};
	CHECK_INT(shodo_case_import_item(c, "PC9", src, &f, 1, parts, NULL, &err), SHODO_FAILED);
	CHECK(strstr(err.msg, "does not match") != NULL);
	snprintf(p, sizeof(p), "%s/PC9", dir);
	CHECK(access(p, F_OK) != 0);
	f.sha256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
	uint64_t bytes = 0;
	CHECK_INT(shodo_case_import_item(c, "PC9", src, &f, 1, parts, &bytes, &err), SHODO_OK);
	CHECK_INT((int)bytes, 5);
	snprintf(p, sizeof(p), "%s/PC9/triage/a.txt", dir);
	struct stat st;
	CHECK_INT(stat(p, &st), 0);
	CHECK_INT(st.st_mode & 0777, 0400);
	CHECK_INT(shodo_case_import_item(c, "PC9", src, &f, 1, parts, NULL, &err), SHODO_FAILED);
	CHECK(strstr(err.msg, "already") != NULL);
	shodo_case_close(c);
}

int main(void)
{
	RUN(safe_component_rejects_traversal);
	RUN(safe_component_long_names_stay_distinct);
	RUN(safe_relpath);
	RUN(time_and_size);
	RUN(hash_known_vectors);
	RUN(memory_source);
	RUN(case_folder_ids_custody_and_sums);
	RUN(case_sums_report_unnameable_paths);
	RUN(case_sums_rehash_racy_files);
	RUN(case_sums_trust_settled_files);
	RUN(libyal_errors_one_line);
	RUN(growing_buffers);
	RUN(case_custody_head_and_import);
	UNIT_END();
}
