/*
 * shodo/case.h — the case folder, the contract every part relies on.
 *
 *   DIR/case.json  custody.jsonl  SHA256SUMS  [SHA256SUMS.sig]
 *   DIR/<ID>/image/...   DIR/<ID>/triage/...
 *
 * Every engine writes into the case folder through this module: it creates
 * folders 0700, validates evidence IDs, appends custody entries under a lock
 * (several jobs may share one case) and refreshes SHA256SUMS.  A shodo_case
 * may be used from several threads.
 */
#ifndef SHODO_CASE_H
#define SHODO_CASE_H

#include <stdint.h>
#include "shodo/status.h"

typedef struct shodo_case shodo_case;

typedef struct shodo_case_meta {
	const char *case_number;
	const char *examiner;
	const char *description;
	const char *notes;
} shodo_case_meta;

/* Opens DIR, creating it (0700) with case.json when absent.  Fields of meta
 * that are set and differ from an existing case.json are recorded as a
 * custody entry, never silently overwritten.  OK; USAGE (no folder given);
 * FATAL (not a case folder, or it cannot be created, read or written). */
shodo_status shodo_case_open(const char *dir, const shodo_case_meta *meta, int create,
                             shodo_case **out, shodo_err *err);
void shodo_case_close(shodo_case *c);
const char *shodo_case_dir(const shodo_case *c);
const char *shodo_case_examiner(const shodo_case *c);

/* An evidence ID is 1-64 chars of [A-Za-z0-9._-], not starting with '.' or '-'. */
int shodo_case_id_valid(const char *id);

/* Creates DIR/<id>/<sub> (0700, parents too) and returns its path in out.
 * Registers the evidence item in case.json with kind (e.g. "image").  OK;
 * USAGE (an invalid ID); FATAL (cannot be created or registered). */
shodo_status shodo_case_evidence_dir(shodo_case *c, const char *id, const char *sub,
                                     char *out, size_t outsz, shodo_err *err);

/* Appends one line to custody.jsonl: {"time","examiner","action","evidence",
 * "object","sha256","detail"}.  object is relative to the case folder.
 * sha256 and detail may be NULL.  OK, or FATAL when it cannot be appended. */
shodo_status shodo_case_custody(shodo_case *c, const char *action, const char *evidence,
                                const char *object, const char *sha256, const char *detail,
                                shodo_err *err);

/* Tells the case module the sha256 of a file it is about to list, so that
 * SHA256SUMS need not read it again (the imager knows its segments' hashes).
 * path is relative to the case folder. */
void shodo_case_known_hash(shodo_case *c, const char *relpath, const char *sha256);

/* Rewrites SHA256SUMS over every file of the folder (except SHA256SUMS, its
 * signature and the hash cache), in sha256sum -c format with relative paths,
 * and signs it when key_path is given (OpenSSL, detached, SHA-256).
 * Unchanged files (same size and mtime as last time) are not read again.
 * OK; FAILED when paths too long to list are left out (the rest is
 * listed); FATAL when SHA256SUMS cannot be written or signed. */
shodo_status shodo_case_refresh_sums(shodo_case *c, const char *key_path, shodo_err *err);

/* verify: check every file against SHA256SUMS, the custody chain, the
 * sha256 each custody entry recorded for its object (the last entry per
 * object wins), custody.head, unfinished images, the signature (when
 * present and a certificate/public key is given) and, when anchor is given,
 * that the chain holds the entry whose sha256 is anchor (a head printed by
 * an earlier command: entries after it are allowed, removed or edited ones
 * before it are not).  Returns OK, FAILED (res says what) or USAGE (an
 * anchor that is not 64 hex digits), FATAL (no SHA256SUMS). */
typedef struct shodo_case_check {
	int files_ok, files_bad, files_missing, files_unlisted;
	int custody_mismatch;   /* files whose sha256 differs from custody's record, or missing */
	int signature;          /* -1 absent, 0 bad, 1 good, 2 present but no key to check, -2 key unusable */
	char key_error[256];    /* signature -2: why */
	int anchor;             /* -1 none given, 0 not in the chain, 1 found */
	char head[65];          /* the chain's head (sha256 of its last line) */
	int entries;
	int nincomplete;        /* evidence items with an unfinished (or running) image */
	char incomplete[8][65]; /* the first of them */
} shodo_case_check;

typedef void (*shodo_case_check_fn)(const char *relpath, const char *what, void *ud);
shodo_status shodo_case_verify(const char *dir, const char *pubkey_path, const char *anchor,
                               shodo_case_check *res, shodo_case_check_fn cb, void *ud,
                               shodo_err *err);

/* The custody chain's head: the sha256 of custody.jsonl's last line (the
 * "prev" of the next entry), and the number of entries.  Every command
 * prints it at its end and the handover sheet carries it: noted outside the
 * folder, it anchors the chain, whose own tail a rewrite could otherwise
 * hide (shodo verify DIR --anchor HEAD).  It is also written to
 * DIR/custody.head, listed in SHA256SUMS and so in the signed data.
 * OK, or FATAL when custody.jsonl cannot be read. */
shodo_status shodo_case_custody_head(const char *dir, char head[65], int *entries, shodo_err *err);

/* One file of an evidence item brought in from another case folder. */
typedef struct shodo_import_file {
	const char *rel;      /* path inside the item's folder ("triage/triage.db") */
	const char *sha256;   /* what the source's SHA256SUMS says it holds */
} shodo_import_file;

/* Copies the evidence item src_item (another case's DIR/<id>) into this case
 * as DIR/<id>: each file is read once (read-only), hashed while copied and
 * compared with its expected sha256; the item is assembled under
 * DIR/.shodo/ and moved into place in one rename, so that DIR/<id> appears
 * whole or not at all.  Files keep their mode (0400 or 0600) and mtime;
 * their hashes are remembered for the next SHA256SUMS refresh; case.json
 * lists the item with parts (NULL-terminated, e.g. "image", "triage").
 * *bytes (may be NULL) receives the bytes copied.  FAILED when a file is
 * missing, unreadable, not a regular file or differs from its sha256, or
 * when DIR/<id> already exists (nothing is placed); FATAL when the
 * destination cannot be written. */
shodo_status shodo_case_import_item(shodo_case *c, const char *id, const char *src_item,
                                    const shodo_import_file *files, size_t n, const char *const *parts,
                                    uint64_t *bytes, shodo_err *err);

/* One writer per evidence item.  image, resume and triage (and so the front
 * end, which calls the same engine entry points) hold this lock for their
 * whole run.  It is an fcntl open-file-description lock (F_OFD_SETLK) on
 * DIR/.shodo/evidence-<ID>.lock: it conflicts between two jobs of one process
 * as well as between processes, and the kernel releases it when the holder
 * dies, even by kill -9, so a stale lock never blocks a resume.  The file
 * records pid, command, host and start time so that the loser is told who
 * holds it.  command is what the holder does, e.g. "shodo image".
 * Returns OK, FATAL ("evidence item 'A' is being written by pid N (shodo
 * image, started ...)") or USAGE (bad ID).  Creates DIR/.shodo when absent
 * but nothing else. */
typedef struct shodo_evidence_lock shodo_evidence_lock;
shodo_status shodo_case_lock_evidence(shodo_case *c, const char *id, const char *command,
                                      shodo_evidence_lock **out, shodo_err *err);
void shodo_case_unlock_evidence(shodo_evidence_lock *l);
/* Who writes evidence item id of the case folder dir right now: 1 and a
 * description ("pid N (shodo image, started ...)") in who, or 0 when no job
 * holds it.  For hints and for a front end that wants to warn early. */
int shodo_case_evidence_writer(const char *dir, const char *id, char *who, size_t whosz);

/* The last custody entry of evidence item id whose action is one of
 * actions (NULL-terminated): its action into out (and its time into when,
 * when not NULL).  Returns 1 when found, 0 when none. */
int shodo_case_last_action(shodo_case *c, const char *id, const char *const *actions, char *out,
                           size_t outsz, char *when, size_t whensz);

/* Removes DIR/<id>/<sub> (an unfinished attempt that is being replaced:
 * the caller records why in custody).  Counts what was removed.  Only for
 * a part whose writer holds the evidence lock.  OK; USAGE (an invalid ID or
 * part); FATAL (it cannot be removed). */
shodo_status shodo_case_remove_part(shodo_case *c, const char *id, const char *sub, uint64_t *files,
                                    uint64_t *bytes, shodo_err *err);

/* Make a file read-only (0400) after it is complete. */
void shodo_case_seal_file(const char *path);

#endif
