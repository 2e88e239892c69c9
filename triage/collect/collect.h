/*
 * triage/collect/collect.h — collection, inside the triage engine.
 *
 *   volumes.c  sources (libtsk image layer) -> volumes (partition table or
 *              whole disk) -> file systems; BitLocker and unreadable volumes
 *   targets.c  what to collect, as a table of path patterns, plus the rules
 *              for executables, renamed hives and ransom-note candidates
 *   extract.c  streaming copy of one file (or stream) into the case folder,
 *              hashing while writing, holes for zero runs, safe names
 *   collect.c  the walk over each volume, the files table, the manifest,
 *              the artifact list handed to the parsers
 *
 * libtsk keeps its error state per thread; tsk_msg() is the one place where
 * it is read and cleared.
 */
#ifndef SHODO_TRIAGE_COLLECT_H
#define SHODO_TRIAGE_COLLECT_H

#include <stdint.h>
#include <jansson.h>
#include <tsk/libtsk.h>
#include "triage/triage_int.h"

/* an executable's or script's Zone.Identifier stream (Mark of the Web:
 * zone, referrer and download URL) */
#define CAT_ZONE_ID "zone_identifier"
/* ntds.dit's transaction logs and checkpoint (edb*.log, edb.chk, *.jrs) */
#define CAT_NTDS_LOG "ntds_log"

/* ---- volumes.c ---- */
typedef struct col_volume {
	char label[64];          /* "p2@1048576", "fs@0", second disk "d2.p1@1048576" */
	int source;              /* index into the source list */
	uint64_t offset, length; /* bytes */
	char desc[128];          /* partition description from the table */
	char fstype[32];         /* libtsk's name, "" when unreadable */
	const char *status;      /* "ok", "bitlocker", "unreadable" */
	char error[512];
	TSK_FS_INFO *fs;         /* NULL unless status is "ok" */
} col_volume;

typedef struct col_source {
	const char *path;
	TSK_IMG_INFO *img;
	char type[32];           /* libtsk's image type name */
	uint64_t size;
	char error[512];         /* could not be opened */
	char warning[512];       /* opened, but not whole (e.g. E01 segments missing) */
} col_source;

/* Copies libtsk's message for this thread into out and clears it. */
const char *tsk_msg(char *out, size_t outsz);

/* Opens the source (NULL img and error set on failure). */
void col_source_open(col_source *s, const char *path);
void col_source_close(col_source *s);
/* Finds the volumes of an open source; appends to *vols (realloc'd). */
void col_volumes_find(col_source *s, int index, col_volume **vols, size_t *nvols);
void col_volume_close(col_volume *v);

/* ---- targets.c ---- */
enum {
	TGT_FULL_ONLY = 1,   /* only with --profile full */
	TGT_STREAM = 2,      /* collect the named stream, not the default data */
	TGT_ROOT = 4,        /* pattern is relative to the volume root, not a Windows root */
};

typedef struct col_target {
	const char *pattern;   /* lower case, '/'-separated; '*' and '?' within a
	                          component, '**' for any number of components */
	const char *category;
	unsigned flags;
	const char *stream;    /* TGT_STREAM: the stream name */
} col_target;

extern const col_target col_targets[];

/* The first target matching lpath (lower case, relative to a Windows root),
 * or NULL. */
const col_target *col_target_match(const char *lpath, int root_level, shodo_triage_profile prof);
/* CAT_EXECUTABLE or CAT_SCRIPT when the name's extension is one of the
 * extensions the rebuild policy names and lpath is in a user-writable place. */
const char *col_exec_category(const char *lpath, const char *lext);
/* 1 when ldir is a place where hives live (renamed hives are found by signature). */
int col_hive_dir(const char *ldir);
/* Ransom-note candidate by name: 2 name holds a keyword, 1 text-like
 * extension only, 0 not a candidate. */
int col_note_name(const char *lname, const char *lext);
/* Size limits (bytes) */
#define COL_NOTE_MAX_SIZE (64 * 1024)
#define COL_QUICK_EXEC_MAX (32ull * 1024 * 1024)
#define COL_NOTE_MAX_EXTRACT 1000     /* distinct note contents extracted per volume */
#define COL_NOTE_MAX_PER_NAME 16      /* distinct contents per note name */
#define COL_NOTE_MIN_COPIES 3         /* copies for a name without a keyword */

/* ---- extract.c ---- */
typedef struct col_namemap col_namemap;   /* per-volume original -> safe path map */
col_namemap *col_namemap_new(void);
void col_namemap_free(col_namemap *m);
/* Maps the original path (components separated by '/') to a relative path
 * that is safe and unique on a case-insensitive host.  out gets the path.
 * A result longer than COL_REL_MAX bytes goes to
 * "_long_paths/<hash of the original path>/<name>" instead, so that every
 * path in the case folder stays usable (PATH_MAX, the parsers, sha256sum,
 * analysts' tools). */
#define COL_REL_MAX 1024
int col_namemap_path(col_namemap *m, const char *orig, char *out, size_t outsz);

typedef struct col_extract_result {
	uint64_t size;           /* bytes of the stream */
	uint64_t bad;            /* bytes that could not be read (zero-filled) */
	char md5[33], sha256[65];
	char error[512];
	int dest_errno;          /* the destination failed (errno), 0 otherwise */
} col_extract_result;

/* Copies attr (whole stream) to dir/rel, creating directories below dir
 * (0700) and the file (O_EXCL, then 0400).  Returns 0 on success (also when
 * parts could not be read: see r->bad / r->error), -1 when the destination
 * could not be written or the copy was cancelled (r->error; no partial file
 * is left). */
int col_extract_attr(const TSK_FS_ATTR *attr, const char *dir, const char *rel, shodo_cancel *cancel,
                     col_extract_result *r);
/* Reads up to n bytes at offset 0 of attr; returns bytes read or -1. */
ssize_t col_read_head(const TSK_FS_ATTR *attr, void *buf, size_t n);

/* ---- extcount.c ---- */
/* Allocated files per extension of one volume (names only, both profiles):
 * the totals the encryption decision needs.  Stored into ext_counts. */
typedef struct col_extcount col_extcount;
col_extcount *col_extcount_new(void);
void col_extcount_free(col_extcount *c);
/* ext: lower case, without the dot; NULL or "" is not counted */
void col_extcount_add(col_extcount *c, const char *ext);
shodo_status col_extcount_store(col_extcount *c, shodo_store *st, const char *volume, shodo_err *err);

/* ---- collect.c ---- */
typedef struct shodo_collection {
	shodo_artifact *arts;
	size_t n, cap;
	json_t *sources, *volumes;   /* for the --json result */
	char tmpdir[512];            /* --no-extract: temporary copies */
	uint64_t files, bytes, errors, seen;
	int volumes_bad;
	int dest_errno;              /* the case folder could not be written: stop */
	char dest_error[600];
	char **strs;                 /* strings owned by the artifacts */
	size_t nstrs, capstrs;
} shodo_collection;

/* ISO 8601 UTC like shodo_time_iso_ns ("" for t <= 0), fast */
void col_iso(time_t t, uint32_t ns, char out[48]);

shodo_status shodo_collect_run(shodo_triage_ctx *ctx, shodo_collection *c, shodo_err *err);
/* Removes the temporary copies (--no-extract) and frees everything. */
void shodo_collection_free(shodo_collection *c);

#endif
