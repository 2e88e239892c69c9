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


/* ---- volumes.c ---- */
typedef struct col_volume {
	char label[64];          /* "p2@1048576", "fs@0", second disk "d2.p1@1048576" */
	int source;              /* index into the source list */
	uint64_t offset, length; /* bytes */
	char desc[128];          /* partition description from the table */
	char fstype[32];         /* libtsk's name, "" when unreadable */
	TSK_FS_TYPE_ENUM ftype;  /* the type to open it with (status "ok") */
	const char *status;      /* "ok", "bitlocker", "unreadable", "failed" (the walk died) */
	char error[512];
	TSK_FS_INFO *fs;         /* open only inside the child that walks it */
} col_volume;

typedef struct col_source {
	const char *path;
	TSK_IMG_INFO *img;
	char type[32];           /* libtsk's image type name */
	uint64_t size;
	char error[512];         /* could not be opened */
	char warning[512];       /* opened, but not whole (e.g. E01 segments missing) */
	int device;              /* a block device */
	int opened;              /* libtsk opened it (img may be closed since) */
} col_source;

/* Copies libtsk's message for this thread into out and clears it. */
const char *tsk_msg(char *out, size_t outsz);

/* Opens the source (NULL img and error set on failure). */
void col_source_open(col_source *s, const char *path);
void col_source_close(col_source *s);
/* 0 when a block device source no longer has the size it had when it was
 * opened (a disconnected disk's is 0, or its node is gone), or when the
 * disk holding an image file source was disconnected; else 1 */
int col_source_present(const col_source *s);
/* The same source opened again (for a child process: file offsets are
 * shared across fork, so a child never reads through the parent's). */
TSK_IMG_INFO *col_source_reopen(const col_source *s);
/* How file systems are probed: each open runs in a child process
 * (isolate.c) so that a crafted file system cannot crash or hang the run. */
typedef struct col_probe {
	const shodo_sink *sink;
	shodo_cancel *cancel;
	double timeout;
} col_probe;
/* Finds the volumes of an open source; appends to *vols (*nvols of them,
 * room for *cap: shodo_grow).  A
 * volume whose file system opens gets status "ok" and the type to open it
 * with; the file system is not left open. */
void col_volumes_find(col_source *s, int index, col_volume **vols, size_t *nvols, size_t *cap,
                      const col_probe *pr);
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
 * (0700) and the file (O_EXCL, then 0400); dir NULL hashes without writing.
 * Returns 0 on success (also when parts could not be read: see r->bad /
 * r->error), -1 when the destination could not be written, the copy was
 * cancelled or the file is larger than its volume (r->error; no partial
 * file is left). */
int col_extract_attr(const TSK_FS_ATTR *attr, const char *dir, const char *rel, shodo_cancel *cancel,
                     col_extract_result *r);
/* What a file on fs can hold: the smaller of the file system's size and
 * the image from the volume's start (0: unknown).  A bigger file is a
 * damaged or crafted entry: the walk reads nothing of it, and
 * col_extract_attr refuses it (-1, r->error says so, r->dest_errno 0);
 * col_too_big writes the reason. */
uint64_t col_fs_room(const TSK_FS_INFO *fs);
void col_too_big(char *out, size_t n, uint64_t size, uint64_t room);
/* Reads up to n bytes at offset 0 of attr; returns bytes read or -1. */
ssize_t col_read_head(const TSK_FS_ATTR *attr, void *buf, size_t n);

/* ---- isolate.c: libtsk's work on a volume in a child process ---- */
typedef struct col_chan col_chan;   /* the child's end: buffered messages */
col_chan *col_chan_open(int fd);
void col_chan_close(col_chan *ch);  /* flushes */
void col_chan_flush(col_chan *ch);
/* a message: type, then fields (strings are sent with their NUL) */
void col_msg_begin(col_chan *ch, char type);
void col_msg_str(col_chan *ch, const char *s);   /* NULL is a field too */
void col_msg_bytes(col_chan *ch, const void *p, size_t n);
void col_msg_i64(col_chan *ch, int64_t v);
void col_msg_end(col_chan *ch);
/* work was done: a heartbeat reaches the parent at most once a second */
void col_chan_tick(col_chan *ch);
/* a sink that sends events and progress to the parent */
void col_chan_sink(col_chan *ch, shodo_sink *s);

#define COL_MSG_MAXF 32
typedef struct col_msg {
	char type;
	int nf;
	const char *f[COL_MSG_MAXF];   /* NULL for a NULL field; strings end in their NUL */
	size_t len[COL_MSG_MAXF];
} col_msg;
int64_t col_msg_int(const col_msg *m, int i);

typedef struct col_child_result {
	int exited, code, signaled, sig, timed_out, cancelled, stopped, error;
	char state[160];   /* a silent child, as the kernel saw it before it was stopped:
	                      "state S, waiting in futex_wait_queue, 0.00 s of CPU" */
} col_child_result;
/* Runs child(ch, arg) in a child process; every message it sends is handed
 * to on_msg (a negative return stops and kills the child).  The child is
 * killed when no message came for timeout seconds (0: no limit) or cancel
 * is set.  Returns -1 when the child could not be started (res->error). */
/* around every fork of the process (triage/analyse.c): the store's thread
 * is paused between two jobs, holding no lock, while the child is made */
void shodo_analysis_fork_prepare(void);
void shodo_analysis_fork_parent(void);
void shodo_analysis_fork_child(void);
int col_run_isolated(void (*child)(col_chan *ch, void *arg), void *arg, double timeout, shodo_cancel *cancel,
                     int (*on_msg)(const col_msg *m, void *ud), void *ud, col_child_result *res);
/* "libtsk crashed (Segmentation fault) ..." for the volume's error */
void col_child_describe(const col_child_result *r, double timeout, char *out, size_t outsz);
/* default time without progress after which a volume's walk is stopped */
#define COL_VOLUME_TIMEOUT 300

/* extract.c ticks this channel for every block copied (NULL: none) */
void col_extract_ticks(col_chan *ch);

/* ---- extcount.c ---- */
/* Allocated files per extension of one volume (names only, both profiles):
 * the totals the encryption decision needs.  Stored into ext_counts. */
typedef struct col_extcount col_extcount;
col_extcount *col_extcount_new(void);
void col_extcount_free(col_extcount *c);
/* ext: lower case, without the dot; NULL or "" is not counted */
void col_extcount_add(col_extcount *c, const char *ext);
shodo_status col_extcount_store(col_extcount *c, shodo_store *st, const char *volume, shodo_err *err);
/* Calls fn for each row col_extcount_store would insert (ext NULL: the
 * marker row, with the count of names not counted), for the walk's child
 * process to send them to the parent. */
void col_extcount_each(const col_extcount *c, void (*fn)(const char *ext, uint64_t n, void *ud), void *ud);

/* ---- collect.c ---- */
typedef struct shodo_collection {
	shodo_artifact *arts;
	size_t n, cap;
	json_t *sources, *volumes;   /* for the --json result */
	char tmpdir[512];            /* --no-extract, or a FAT case folder: temporary copies */
	int fat;                     /* the case folder is on FAT: no file of 4 GiB or more */
	uint64_t files, bytes, errors, seen;
	int volumes_bad;
	int dest_errno;              /* the case folder could not be written: stop */
	char dest_error[600];
	char **strs;                 /* strings owned by the artifacts */
	size_t nstrs, capstrs;
	int64_t *serial_rows;        /* host rows of the volume serials (the store's thread's) */
	size_t nserial, capserial;
} shodo_collection;

/* ISO 8601 UTC like shodo_time_iso_ns ("" for t <= 0), fast */
void col_iso(time_t t, uint32_t ns, char out[48]);

/* The walk of a whole-disk file system image in this process, sending its
 * rows nowhere and copying into tmpdir: for the fuzz target that drives
 * libtsk through shodo's walk (tests/fuzz/fswalk_fuzz.c).  -1 when no file
 * system opens. */
int col_walk_image(const char *path, int full, const char *tmpdir);

shodo_status shodo_collect_run(shodo_triage_ctx *ctx, shodo_collection *c, shodo_err *err);
/* Removes the temporary copies (--no-extract) and frees everything. */
void shodo_collection_free(shodo_collection *c);

#endif
