/*
 * libtsk driven through shodo's volume walk (triage/collect: the walk, the
 * note judge, the copies), in this process, so that a crash or a hang in
 * libtsk on a crafted file system shows here.  Built by `make fuzz` only
 * (build-fuzz/fswalk_fuzz): its crashers are libtsk's, not shodo's, and the
 * triage survives them by running each volume's walk in a child process.
 * What it finds is kept as hostile volumes for tests/triage/hostile_volume.sh
 * (tests/fuzz/hostile/: small images, or the recipe that makes one).
 *   build-fuzz/fswalk_fuzz -timeout=10 -rss_limit_mb=1024 CORPUS_DIR SEEDS...
 * Seeds: small NTFS, FAT and ext2 images (tests/fuzz/mkfs-seeds).
 */
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "triage/collect/collect.h"

static int rm_cb(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	remove(p);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char img[] = "/tmp/shodo-fswalk.XXXXXX";
	char dir[] = "/tmp/shodo-fswalk-files.XXXXXX";
	int fd = mkstemp(img);
	if (fd < 0)
		return 0;
	if (size && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(img);
		return 0;
	}
	close(fd);
	if (mkdtemp(dir)) {
		col_walk_image(img, 1, dir);
		nftw(dir, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
	}
	unlink(img);
	return 0;
}
