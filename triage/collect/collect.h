/*
 * triage/collect/collect.h — collection, inside the triage engine.
 *
 *   volumes.c  sources (libtsk image layer) -> volumes (partition table or
 *              whole disk) -> file systems; BitLocker and unreadable volumes
 *   targets.c  what to collect, as a table of path patterns, plus the rules
 *              for executables, renamed hives and ransom-note candidates
 *   notejudge.c ransom-note candidates read and scored by content, once per
 *              distinct content
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
/* 1 when the file may be a ransom note and its content is to be read and
 * scored: a text-like name (txt, htm(l), hta, rtf, url, no extension, or a
 * note's keyword with an extension of its own) in a place users and
 * ransomware write (quick profile: outside the system and program trees,
 * where a note's keyword name is enough) or anywhere (full profile).  lpath
 * is relative to the volume root, lower case. */
int col_note_candidate(const char *lpath, const char *lname, const char *lext, shodo_triage_profile prof);
/* Size limits (bytes) */
#define COL_NOTE_MAX_SIZE (1024 * 1024)
#define COL_QUICK_EXEC_MAX (32ull * 1024 * 1024)

/* ---- notejudge.c ---- */
typedef struct col_note_entry {
	unsigned char sha256[32];
	char sha256_hex[65];
	int text;                /* 0: binary, never scored */
	int is_note, score, name_score;
	char *family;            /* malloc'd or NULL */
	char *extracted;         /* the walker's copy of the content (malloc'd), or NULL */
	int extract_tried;
} col_note_entry;
typedef struct col_notes col_notes;
col_notes *col_notes_new(void);
void col_notes_free(col_notes *c);
/* The verdict for a candidate's bytes (whole file, up to COL_NOTE_MAX_SIZE):
 * hashed first, scored once per distinct content.  NULL when out of memory. */
col_note_entry *col_notes_judge(col_notes *c, const char *name, const unsigned char *buf, size_t n);
void col_notes_stats(const col_notes *c, uint64_t *distinct, uint64_t *scored, uint64_t *binary);
/* 1 when the first bytes look like text (UTF-8/16, Latin-1), 0 for binary */
int col_text_like(const unsigned char *b, size_t n);

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
