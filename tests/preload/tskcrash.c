/*
 * tskcrash.so — makes The Sleuth Kit "crash" on one chosen volume, for the
 * test that a crash inside libtsk ends only that volume's walk.
 *
 *   TSKCRASH_OFFSET=N   tsk_fs_dir_open_meta() on a file system that starts at
 *                       byte N of the image dies of SIGSEGV, the way libtsk
 *                       dies on a crafted volume (the default action, so that
 *                       a sanitizer's handler cannot turn it into an exit)
 *
 * Fuzzing libtsk through shodo's walk (tests/fuzz/fswalk_fuzz.c) found only
 * volumes that make it loop (tests/fuzz/hostile/); this stands in for the
 * crashers it has not found, so that the crash path is proved too.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <signal.h>
#include <stdlib.h>
#include <tsk/libtsk.h>

TSK_FS_DIR *tsk_fs_dir_open_meta(TSK_FS_INFO *fs, TSK_INUM_T addr)
{
	static TSK_FS_DIR *(*real)(TSK_FS_INFO *, TSK_INUM_T);
	const char *off = getenv("TSKCRASH_OFFSET");
	if (off && fs && (long long)fs->offset == strtoll(off, NULL, 10)) {
		signal(SIGSEGV, SIG_DFL);
		raise(SIGSEGV);
	}
	if (!real)
		real = (TSK_FS_DIR * (*)(TSK_FS_INFO *, TSK_INUM_T)) dlsym(RTLD_NEXT, "tsk_fs_dir_open_meta");
	return real(fs, addr);
}
