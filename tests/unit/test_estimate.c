/*
 * shodo_image_space_check against real acquisitions: the worst case is
 * never below what the imager writes, and the expected size of an E01 lies
 * within a quarter of the real one for a source of mixed content (zeros,
 * text, random); for raw images both are the source's size (plus room for
 * the logs).  The front end shows these before an image starts.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>
#include "unit.h"
#include "shodo/imager.h"

static void write_source(const char *path, size_t mib)
{
	FILE *fp = fopen(path, "wb");
	unsigned char *b = malloc(1 << 20);
	uint64_t x = 88172645463325252ull;
	for (size_t m = 0; m < mib; m++) {
		for (size_t i = 0; i < (1u << 20); i++) {
			if (m % 3 == 0)
				b[i] = 0;
			else if (m % 3 == 1)
				b[i] = (unsigned char)("the ward report of patient records "[i % 35]);
			else {
				x ^= x << 13;
				x ^= x >> 7;
				x ^= x << 17;
				b[i] = (unsigned char)x;
			}
		}
		fwrite(b, 1, 1 << 20, fp);
	}
	free(b);
	fclose(fp);
}

static uint64_t image_bytes(const char *dir)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "du -b --apparent-size -c %s/*.E01 %s/*.E0? 2>/dev/null | tail -1", dir, dir);
	FILE *p = popen(cmd, "r");
	unsigned long long n = 0;
	if (p) {
		if (fscanf(p, "%llu", &n) != 1)
			n = 0;
		pclose(p);
	}
	return n;
}

TEST(e01_fast)
{
	char src[300], kase[300], dir[400];
	snprintf(src, sizeof(src), "%s/src.raw", unit_tmpdir());
	snprintf(kase, sizeof(kase), "%s/case", unit_tmpdir());
	write_source(src, 24);
	shodo_image_space sz;
	shodo_err err;
	shodo_err_clear(&err);
	shodo_image_opts o;
	shodo_image_opts_init(&o);
	o.source = src;
	o.case_dir = kase;
	o.evidence_id = "E1";
	o.verify = 0;
	CHECK_INT(shodo_image_space_check(&o, &sz, &err), SHODO_OK);
	CHECK(sz.free_bytes > 0);
	CHECK(sz.fits > 0);
	CHECK_INT(shodo_image_acquire(&o, NULL, &err), SHODO_OK);
	snprintf(dir, sizeof(dir), "%s/E1/image", kase);
	uint64_t real = image_bytes(dir);
	fprintf(stderr, "estimate: worst %llu expected %llu real %llu\n", (unsigned long long)sz.worst_case,
	        (unsigned long long)sz.expected, (unsigned long long)real);
	CHECK(real > 0);
	CHECK(sz.worst_case >= real);
	CHECK(sz.expected >= real * 3 / 4 && sz.expected <= real * 5 / 4);
	CHECK(sz.expected <= sz.worst_case);
}

TEST(raw_and_none)
{
	char src[300];
	snprintf(src, sizeof(src), "%s/src2.raw", unit_tmpdir());
	write_source(src, 3);
	shodo_image_space sz;
	shodo_err err;
	shodo_image_opts o;
	shodo_image_opts_init(&o);
	o.source = src;
	o.case_dir = unit_tmpdir();
	o.evidence_id = "E2";
	o.format = SHODO_IMAGE_RAW;
	CHECK_INT(shodo_image_space_check(&o, &sz, &err), SHODO_OK);
	CHECK(sz.worst_case >= 3u << 20 && sz.worst_case <= (3u << 20) + (2u << 20));
	CHECK_INT(sz.expected, sz.worst_case);
	o.format = SHODO_IMAGE_E01;
	o.compression = SHODO_COMPRESS_NONE;
	CHECK_INT(shodo_image_space_check(&o, &sz, &err), SHODO_OK);
	CHECK(sz.worst_case > 3u << 20);
	CHECK_INT(sz.expected, sz.worst_case);
	o.source = "/nonexistent/x.raw";
	CHECK(shodo_image_space_check(&o, &sz, &err) != SHODO_OK);
	CHECK(strstr(err.msg, "/nonexistent/x.raw") != NULL);
}

int main(void)
{
	RUN(e01_fast);
	RUN(raw_and_none);
	UNIT_END();
}
