/*
 * shodo/report.h — answers across the evidence items of a case folder:
 * the fleet view (DIR/summary.txt, DIR/report.html) and timeline export.
 * Each DIR/<ID>/triage/triage.db is opened read-only.
 */
#ifndef SHODO_REPORT_H
#define SHODO_REPORT_H

#include <stdio.h>
#include <jansson.h>
#include "shodo/case.h"
#include "shodo/event.h"
#include "shodo/status.h"

typedef struct shodo_report_opts {
	shodo_case *kase;           /* open case folder */
	const char *sign_key;       /* PEM private key for SHA256SUMS.sig (may be NULL) */
	const shodo_sink *sink;     /* may be NULL */
	shodo_cancel *cancel;       /* may be NULL */
	int no_pdf;                 /* 1: no DIR/handover.pdf (default: printed from handover.html
	                               with headless Chromium; a warning when none is installed) */
} shodo_report_opts;

/* Rebuilds DIR/summary.txt, DIR/report.html and the handover sheet
 * DIR/handover.html (and .pdf) across every triaged
 * evidence item, records them in custody.jsonl and refreshes SHA256SUMS.
 * *result (may be NULL) receives the fleet view as JSON.  OK, WARN when an
 * evidence database could not be read (the others are reported), FATAL
 * when nothing could be written; FAILED when no evidence item is triaged;
 * CANCELLED (nothing written). */
shodo_status shodo_fleet_report(const shodo_report_opts *o, json_t **result, shodo_err *err);

typedef enum shodo_export_format {
	SHODO_EXPORT_TIMESKETCH,   /* JSONL: message, datetime, timestamp, timestamp_desc, ... */
	SHODO_EXPORT_CSV,          /* one merged timeline, sorted by time */
	SHODO_EXPORT_POSTGRES,     /* tables in a PostgreSQL database (libpq) */
} shodo_export_format;

typedef struct shodo_export_opts {
	shodo_case *kase;
	shodo_export_format format;
	const char *target;      /* file path, NULL for the default
	                            DIR/exports/timeline-{timesketch.jsonl,merged.csv};
	                            for postgres the connection URI */
	FILE *out;               /* when set: write here instead (the front end's
	                            standard output), target ignored */
	const char *evidence;    /* only this evidence ID (NULL = all) */
	const char *sign_key;
	const shodo_sink *sink;
	shodo_cancel *cancel;
} shodo_export_opts;

/* Exports the timeline rows of every triaged evidence item.  *result (may
 * be NULL) says what was written (rows per evidence, output).  OK; WARN
 * when an evidence database could not be read (the others are exported);
 * FAILED when no evidence item (or not the one asked for) is triaged; USAGE
 * (postgres without a connection URI); FATAL when the output cannot be
 * written (or postgres is not in this build). */
shodo_status shodo_export_run(const shodo_export_opts *o, json_t **result, shodo_err *err);

typedef struct shodo_merge_opts {
	shodo_case *dest;               /* the case folder that receives the items */
	const char *const *sources;     /* other case folders: only read */
	int nsources;
	const char *sign_key;
	const shodo_sink *sink;
	shodo_cancel *cancel;
} shodo_merge_opts;

/* Brings the evidence items of the source case folders into dest (see
 * report/merge.c): each item verified against its source's SHA256SUMS and
 * custody, copied whole, recorded in dest's custody chain; an item already
 * in dest with the same files is left as it is; the same ID with other
 * content is refused.  *result (may be NULL): {"merged","present",
 * "refused","bytes","items":[{"source","evidence","status","why"}]}.
 * OK; FAILED when an item or a source was refused (the others are merged);
 * FATAL when dest cannot be written; CANCELLED. */
shodo_status shodo_merge_run(const shodo_merge_opts *o, json_t **result, shodo_err *err);

/* The language of the reports, summaries and handover sheet written from
 * now on in this process: "en" (default) or "ja" (from the gettext domain
 * "shodo", which the front end binds).  USAGE for another language. */
shodo_status shodo_report_set_lang(const char *lang);

/* 1 when this build can export to PostgreSQL. */
int shodo_export_postgres_available(void);

#endif
