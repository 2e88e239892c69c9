/*
 * Runs a libFuzzer target without libFuzzer, so that every fuzz target is
 * also an ordinary test: each file argument (or every file in a directory
 * argument) is fed to LLVMFuzzerTestOneInput, and with --mutate N each input
 * is also fed N deterministic mutations (bit flips, truncations, inserted
 * garbage, copied blocks).  Crashes and sanitizer reports fail the run.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned long long rng = 0x9e3779b97f4a7c15ULL;
static unsigned rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng >> 16);
}

static size_t runs;

static void mutate_and_run(const uint8_t *in, size_t n, int count)
{
	for (int k = 0; k < count; k++) {
		size_t cap = n + 64;
		uint8_t *b = malloc(cap ? cap : 1);
		size_t m = n;
		memcpy(b, in, n);
		switch (rnd() % 5) {
		case 0: /* flip some bits */
			for (int i = 0; i < 1 + (int)(rnd() % 8) && m; i++)
				b[rnd() % m] ^= (uint8_t)(1u << (rnd() % 8));
			break;
		case 1: /* truncate */
			m = m ? rnd() % m : 0;
			break;
		case 2: /* overwrite with interesting values */
			for (int i = 0; i < 4 && m >= 4; i++) {
				static const uint32_t v[] = {0, 0xffffffffu, 0x7fffffffu, 0x80000000u, 1, 0xffff};
				uint32_t x = v[rnd() % 6];
				memcpy(b + rnd() % (m - 3), &x, 4);
			}
			break;
		case 3: /* insert random bytes */
			if (m) {
				size_t at = rnd() % m, len = 1 + rnd() % 63;
				memmove(b + at + len, b + at, m - at);
				for (size_t i = 0; i < len; i++)
					b[at + i] = (uint8_t)rnd();
				m += len;
			}
			break;
		case 4: /* copy a block over another */
			if (m > 16) {
				size_t len = 1 + rnd() % (m / 4), from = rnd() % (m - len), to = rnd() % (m - len);
				memmove(b + to, b + from, len);
			}
			break;
		}
		LLVMFuzzerTestOneInput(b, m);
		runs++;
		free(b);
	}
}

static void run_file(const char *path, int mutations)
{
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		perror(path);
		exit(2);
	}
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
	if (n > 0 && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		perror(path);
		exit(2);
	}
	fclose(fp);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	runs++;
	mutate_and_run(buf, (size_t)n, mutations);
	free(buf);
}

static void run_path(const char *path, int mutations)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		perror(path);
		exit(2);
	}
	if (!S_ISDIR(st.st_mode)) {
		run_file(path, mutations);
		return;
	}
	DIR *d = opendir(path);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char p[4096];
		snprintf(p, sizeof(p), "%s/%s", path, de->d_name);
		run_path(p, mutations);
	}
	if (d)
		closedir(d);
}

int main(int argc, char **argv)
{
	int mutations = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--mutate") && i + 1 < argc) {
			mutations = atoi(argv[++i]);
			continue;
		}
		if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			rng ^= strtoull(argv[++i], NULL, 0) * 0x2545F4914F6CDD1DULL;
			continue;
		}
		run_path(argv[i], mutations);
	}
	fprintf(stderr, "%zu inputs run\n", runs);
	return 0;
}
