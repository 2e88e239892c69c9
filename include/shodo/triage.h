/*
 * shodo/triage.h — triage of Windows evidence: collect artifacts through
 * The Sleuth Kit into DIR/<ID>/triage/, parse them, answer the scoping
 * questions (summary.txt, report.html, CSVs, triage.db).
 */
#ifndef SHODO_TRIAGE_H
#define SHODO_TRIAGE_H

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

#endif
