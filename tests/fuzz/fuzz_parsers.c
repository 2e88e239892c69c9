/*
 * Every registered triage parser on hostile bytes.  The first input byte
 * picks the kind of artifact the bytes pretend to be (its path and
 * category), so one target reaches every parser through the same bidding
 * the real pipeline uses.  Parsers may fail; they must not crash, hang or
 * leak.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "triage/triage_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct {
	const char *category, *path;
} kinds[] = {
#define KIND(category, sample, parsed) {category, sample},
#include "triage/kinds.h"
#undef KIND
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t k = data[0] % (sizeof(kinds) / sizeof(kinds[0]));
	data++;
	size--;
	char tmp[] = "/tmp/shodo-fuzz.XXXXXX";
	int fd = mkstemp(tmp);
	if (fd < 0)
		return 0;
	if (size && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(tmp);
		return 0;
	}
	close(fd);
	shodo_store *st = NULL;
	if (shodo_store_open(":memory:", &st, NULL) != SHODO_OK) {
		unlink(tmp);
		return 0;
	}
	shodo_artifact a = {
		.volume = "p1@1048576", .volume_offset = 1048576, .path = kinds[k].path, .file = tmp,
		.source = kinds[k].path, .category = kinds[k].category, .size = size, .inode = 64,
	};
	shodo_triage_opts opts;
	memset(&opts, 0, sizeof(opts));
	shodo_triage_ctx ctx = {.opts = &opts, .store = st, .triage_dir = "/nonexistent"};
	const shodo_parser *p = shodo_parser_choose(&a, data, size < 4096 ? size : 4096, NULL);
	if (p) {
		shodo_err err;
		shodo_err_clear(&err);
		p->parse(&a, &ctx, &err);
	}
	shodo_store_close(st);
	unlink(tmp);
	return 0;
}
