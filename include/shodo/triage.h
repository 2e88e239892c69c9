/*
 * shodo/triage.h — triage of Windows evidence: collect artifacts through
 * The Sleuth Kit into DIR/<ID>/triage/, parse them, answer the scoping
 * questions (summary.txt, report.html, CSVs, triage.db).
 */
#ifndef SHODO_TRIAGE_H
#define SHODO_TRIAGE_H

#include <stdint.h>
#include <time.h>
#include <jansson.h>
#include "shodo/case.h"
#include "shodo/event.h"
#include "shodo/status.h"

typedef enum shodo_triage_profile {
	SHODO_PROFILE_QUICK,   /* logs, hives, prefetch, notes, accounts: minutes */
	SHODO_PROFILE_FULL,    /* + $MFT, every executable/script in user-writable places, ... */
} shodo_triage_profile;

typedef struct shodo_triage_opts {
	const char *const *sources;   /* E01 (first segment), raw (.001), block device */
	int nsources;
	shodo_case *kase;             /* open case folder */
	const char *evidence_id;
	time_t since, until;          /* incident window; 0 = automatic (SPEC) */
	shodo_triage_profile profile;
	int no_extract;               /* parse in place, copy nothing into the case */
	int force;                    /* read a block device even when mounted read-write */
	int threads;                  /* 0 = all cores */
	const char *sign_key;         /* optional PEM key for SHA256SUMS.sig */
	double volume_timeout;        /* seconds without progress after which a volume's
	                                 walk (libtsk, in a child process) is stopped and the
	                                 volume marked failed; 0 = 300 */
	const shodo_sink *sink;
	shodo_cancel *cancel;
	int checked;                  /* shodo_triage_check() passed already */
} shodo_triage_opts;

/* What is checked before anything is written, so that a mistake creates
 * nothing: the options, each source (exists, is a disk or image file, a
 * damaged E01 header, at least one volume The Sleuth Kit can read), a
 * source device mounted read-write (unless force) and a case folder on a
 * source device (always refused).  Call it before creating the case folder
 * (case_dir need not exist); shodo_triage_run() calls it itself unless
 * checked is set.  Returns OK, USAGE or FATAL with a message and hint. */
shodo_status shodo_triage_check(const shodo_triage_opts *o, const char *case_dir, shodo_err *err);

/* Runs collection and analysis under the evidence item's lock.  A triage
 * folder left by an unfinished attempt (failed, cancelled, killed) is
 * replaced, with custody entries; a finished one is never overwritten.  *result (new reference, may be NULL) is the
 * --json document.  Returns OK, WARN (items failed to read or parse), FATAL. */
shodo_status shodo_triage_run(const shodo_triage_opts *o, json_t **result, shodo_err *err);

/* A quick look at a source (device, raw or E01) before choosing it: its
 * volumes and, for each Windows installation, the computer name from the
 * SYSTEM hive and the operating system from the SOFTWARE hive.  Reads only
 * what it needs through libtsk and libregf, copies nothing; gives up after
 * `seconds` (0: 2 s) or when cancel is set, keeping what it found
 * (timed_out says so).  FATAL when the source cannot be opened at all. */
#define SHODO_PEEK_MAX_VOLUMES 16
typedef struct shodo_peek_volume {
	char label[64];          /* as triage names volumes: "p2@1048576", "fs@0" */
	uint64_t offset, length; /* bytes */
	char fstype[32];         /* libtsk's name ("ntfs", "fat32", "ext4"); "" when unreadable */
	char status[16];         /* "ok", "bitlocker", "unreadable" */
	char name[128];          /* NTFS volume name */
	char host[128];          /* Windows computer name */
	char domain[128];        /* Tcpip domain */
	char os[192];            /* "Windows 10 Pro 22H2 build 19045" */
	char note[256];          /* why host or OS are missing, when a reason is known */
} shodo_peek_volume;

typedef struct shodo_peek {
	uint64_t size;
	char image_type[32];     /* libtsk's image type */
	int nvolumes;
	shodo_peek_volume volumes[SHODO_PEEK_MAX_VOLUMES];
	char host[128], os[192]; /* the first Windows installation found */
	int timed_out;
	char warning[1024];      /* the source is readable only in part (an E01 set with a
	                            segment missing or damaged: which one); "" otherwise */
} shodo_peek;

typedef struct shodo_peek_opts {
	const char *source;
	double seconds;          /* 0: 2 s */
	shodo_cancel *cancel;    /* may be NULL */
} shodo_peek_opts;

shodo_status shodo_triage_peek(const shodo_peek_opts *o, shodo_peek *out, shodo_err *err);

#endif
