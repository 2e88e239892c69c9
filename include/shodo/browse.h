/*
 * shodo/browse.h — reading a case folder for a front end: its evidence
 * items with the state of their image and triage, the texts a responder
 * reads (summary.txt, the logs) and the triage tables as rows to scroll
 * and filter.  Everything is read from the case folder (triage.db opened
 * read-only); nothing is written and no disk is touched.
 *
 * Values come from evidence: they are returned as stored (UTF-8), and the
 * caller escapes them for its output (control characters above all).
 */
#ifndef SHODO_BROWSE_H
#define SHODO_BROWSE_H

#include <jansson.h>
#include "shodo/status.h"

/* The case and its evidence items (sorted by ID), a new reference:
 *   {"dir", "case_number", "examiner", "created", "signed": bool,
 *    "items": [{"id",
 *      "image": {"state": "none" | "interrupted" | "complete",
 *                "first": "<ID>/image/<ID>.E01", "format", "media_size",
 *                "source": {path, size, model, serial}, "start", "end",
 *                "md5", "sha1", "sha256", "unreadable": [{offset, length}],
 *                "unreadable_bytes", "verification": "match" | "mismatch" |
 *                "error" | "not verified", "verification_detail",
 *                "files": ["<ID>/image/<ID>.E01", ...],
 *                interrupted only: "source_path", "compression", "segment_size"},
 *      "triage": {"state": "none" | "partial" | "complete", "host", "os",
 *                 "notes", "encrypted_files", "logons", "rdp_logons",
 *                 "failed_logons", "timeline", "encryption_start"}}]}
 * FATAL when dir is not a case folder (no case.json). */
json_t *shodo_browse_case(const char *dir, shodo_err *err);

/* A text of an evidence item: "summary" (triage/summary.txt), "triage-log"
 * (triage/triage.log), "image-log" (image/<ID>.E01.txt or .raw.txt), or of
 * the case with id NULL: "summary" (DIR/summary.txt), "custody"
 * (custody.jsonl).  malloc'ed, NUL-terminated; NULL with err set when
 * absent. */
char *shodo_browse_text(const char *dir, const char *id, const char *which, shodo_err *err);

/* Rows of a triage view of one evidence item, a new reference:
 *   {"view", "title", "columns": [...], "rows": [[text, ...], ...],
 *    "total": rows before the limit, "truncated": bool}
 * Views: logons_by_source (successful logons grouped by source address,
 * workstation, type and account), logons, rdp (type 10 and RDP session
 * events), failed_logons, notes (ransom notes with contacts), encrypted
 * (extensions), timeline, accounts, programs (prefetch), persistence,
 * posture.  filter (may be NULL or "") keeps rows where any column holds
 * it, ignoring case.  At most limit rows (0: 5000).  NULL with err set when
 * the item has no triage or the view is unknown. */
json_t *shodo_browse_table(const char *dir, const char *id, const char *view, const char *filter, int limit,
                           shodo_err *err);

/* The views above, NULL-terminated, in the order a front end offers them. */
extern const char *const shodo_browse_views[];

#endif
