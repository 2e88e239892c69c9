/*
 * triage/triage_int.h — what the triage modules share inside the engine.
 *
 *   collect (volumes, targets, extract) -> artifacts[]
 *   analyse: every artifact goes to the parser that bids highest
 *            (triage/parsers/, registered in parsers/parser_list.h)
 *   scope:   grouped answers from the store (failed logons, encryption
 *            window, timeline, ...)
 *   posture: security weaknesses and the reuse review list
 *   report:  summary.txt, report.html, CSVs
 */
#ifndef SHODO_TRIAGE_INT_H
#define SHODO_TRIAGE_INT_H

#include <stdint.h>
#include <time.h>
#include "shodo/event.h"
#include "shodo/status.h"
#include "shodo/triage.h"
#include "store.h"

/* categories, as written in manifest.jsonl */
#define CAT_EVTX "evtx"
#define CAT_EVT "evt"
#define CAT_PREFETCH "prefetch"
#define CAT_REGISTRY "registry"
#define CAT_ACCOUNT_DB "account_db"    /* ntds.dit */
#define CAT_RANSOM_NOTE "ransom_note"
#define CAT_MFT "mft"
#define CAT_TASK "task"
#define CAT_POLICY "policy"            /* GptTmpl.inf */
#define CAT_SCRIPT "script"
#define CAT_EXECUTABLE "executable"
#define CAT_USNJRNL "usnjrnl"          /* $Extend/$UsnJrnl:$J */
#define CAT_RDP_CACHE "rdp_cache"      /* Terminal Server Client bitmap cache */
#define CAT_PS_HISTORY "ps_history"    /* PSReadLine ConsoleHost_history.txt */
#define CAT_NTDS_LOG "ntds_log"        /* ntds.dit's transaction logs and checkpoint (edb*.log, edb.chk, *.jrs) */
#define CAT_ZONE_ID "zone_identifier"  /* an executable's or script's Zone.Identifier stream (Mark of the
                                          Web: zone, referrer and download URL) */
#define CAT_OTHER "other"
/* every kind of artifact, its category and whether it is parsed: triage/kinds.h */

typedef struct shodo_artifact {
	const char *volume;      /* volume label as in the manifest, e.g. "p2@1048576" */
	uint64_t volume_offset;  /* byte offset of the volume in the source */
	const char *path;        /* original path on the volume, '/'-separated, UTF-8 */
	const char *file;        /* local file holding the bytes (extracted or temporary copy) */
	const char *source;      /* for the store's source column: path relative to the case
	                            folder, or "<volume>:<path>" with --no-extract */
	const char *category;    /* CAT_* */
	uint64_t size;
	uint64_t inode;
	const char *mtime, *crtime;  /* ISO UTC or NULL */
} shodo_artifact;

typedef struct shodo_triage_ctx {
	const shodo_triage_opts *opts;
	shodo_store *store;
	const char *triage_dir;  /* DIR/<ID>/triage */
	const shodo_sink *sink;
	shodo_cancel *cancel;
	time_t since, until;     /* effective incident window (after analysis) */
	int warnings;            /* items that failed, for the final grade */
	struct shodo_analysis *analysis;  /* during collection: the thread that owns the
	                                     store (analyse.c); NULL otherwise */
	int no_collected;        /* no artifacts row awaits its parser (shodo parse of
	                            loose files): each artifact's row is inserted
	                            without looking for one (analyse.c) */
} shodo_triage_ctx;

/* ---- parsers ---- */
typedef struct shodo_parser {
	const char *name;
	/* Confidence that this parser handles the artifact: number of bits
	 * verified (libarchive convention); 0 = not mine.  head holds the first
	 * bytes of the file (up to 4096). */
	int (*bid)(const shodo_artifact *a, const unsigned char *head, size_t n);
	/* Parses into ctx->store.  OK, WARN (partly recovered: say what in err),
	 * FAILED (nothing usable).  Must never crash on hostile input. */
	shodo_status (*parse)(const shodo_artifact *a, shodo_triage_ctx *ctx, shodo_err *err);
} shodo_parser;

/* NULL-terminated registry, built from parsers/parser_list.h */
extern const shodo_parser *const shodo_parsers[];
/* The parser of the registry (or of list, NULL-terminated) that bids highest.
 * NULL when none bids, and when two bid the same highest value: shodo does
 * not guess which kind an artifact is (TSK's FS_OPENERS refuse the same way);
 * then tie[0] and tie[1] (when tie is not NULL) name the two. */
const shodo_parser *shodo_parser_choose(const shodo_artifact *a, const unsigned char *head, size_t n,
                                        const shodo_parser *tie[2]);
const shodo_parser *shodo_parser_choose_from(const shodo_parser *const *list, const shodo_artifact *a,
                                             const unsigned char *head, size_t n, const shodo_parser *tie[2]);

/* ---- stages, called by triage.c in this order ---- */
shodo_status shodo_analyse_run(shodo_triage_ctx *ctx, const shodo_artifact *arts, size_t n, shodo_err *err);

/* Parse while collecting (analyse.c's first comment): one thread owns the
 * store from shodo_analysis_start to shodo_analysis_finish and runs, in the
 * order they were posted, the collector's rows and the parse of each
 * artifact whose copy is complete and listed in the manifest. */
typedef struct shodo_analysis shodo_analysis;
/* Runs on the store's thread, inside the collector's transaction. */
typedef void (*shodo_rows_fn)(shodo_triage_ctx *ctx, void *arg);
shodo_status shodo_analysis_start(shodo_triage_ctx *ctx, shodo_analysis **out, shodo_err *err);
/* the collector's rows (bytes: their size, for the memory bound; the
 * caller waits while too much is queued, unless cancelled) */
void shodo_analysis_rows(shodo_analysis *an, shodo_rows_fn fn, void *arg, size_t bytes);
/* the collector's transaction ends here (a volume's end) */
void shodo_analysis_commit(shodo_analysis *an);
/* a's copy is complete and listed: parse it in its own transaction (a is
 * copied; its strings must stay valid until shodo_analysis_finish) */
void shodo_analysis_parse(shodo_analysis *an, const shodo_artifact *a);
/* After collection: parse what is still queued and the analyse stage's
 * result for n artifacts in all, as shodo_analyse_run would return it
 * (parse = 0: the collection failed or was cancelled: the queued rows are
 * written, the queued parses dropped).  Stops the thread, frees an; the
 * store is the caller's again. */
shodo_status shodo_analysis_finish(shodo_analysis *an, int parse, size_t n, shodo_err *err);
shodo_status shodo_scope_run(shodo_triage_ctx *ctx, shodo_err *err);
shodo_status shodo_posture_run(shodo_triage_ctx *ctx, const shodo_artifact *arts, size_t n, shodo_err *err);
shodo_status shodo_report_write(shodo_triage_ctx *ctx, shodo_err *err);

#endif
