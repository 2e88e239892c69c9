/*
 * report/report_int.h — the report builders shared by the per-evidence
 * report (report.c) and the fleet view (fleet.c).
 */
#ifndef SHODO_TRIAGE_REPORT_INT_H
#define SHODO_TRIAGE_REPORT_INT_H

#include <stdio.h>
#include <sqlite3.h>
#include <jansson.h>
#include "triage/triage_int.h"
#include "render.h"
#include "shodo/buf.h"

typedef struct rep_hostinfo {
	char name[256], os[256], osver[64], build[64], tz[256], domain[256], shutdown[64];
	int bias, has_bias;   /* Windows bias in minutes: UTC = local + bias */
	render_tz tzr;        /* the host's own zone rules (TimeZoneInformation, Dynamic DST) */
	char tz_how[160];     /* where the rules came from, for the report's header */
	char os_how[600];     /* where the OS name came from, or why it is unknown */
} rep_hostinfo;

/* column i of the current row as text, "" for NULL */
const char *rep_col(sqlite3_stmt *s, int i);
/* first column of the first row as text ("" when none or on error) */
void rep_q(sqlite3 *db, const char *sql, char *out, size_t outsz);
long long rep_qi(sqlite3 *db, const char *sql);
int rep_has_table(sqlite3 *db, const char *table);
void rep_host(sqlite3 *db, rep_hostinfo *h);
/* The host's zone rules into h->tzr (h->bias and h->tz already set); schema
 * "" for the main database, "e." for an attached one. */
void rep_tz_load(sqlite3 *db, const char *schema, rep_hostinfo *h);
/* Encryption verdict of a store: "found", "none" (measured, nothing found)
 * or "not_measured", and how it was measured (how may be NULL). */
void rep_encryption_state(sqlite3 *db, char *state, size_t n, char *how, size_t hn);
/* An HTML table from a query; spec has one char per column: t time (UTC and
 * host time), s string, n number, c monospace.  Shows at most limit rows (0
 * = all) and then points to `more`.  Returns the number of rows. */
long long rep_html_table(FILE *fp, sqlite3 *db, const rep_hostinfo *h, const char *sql, const char *const *heads,
                         const char *spec, long long limit, const char *more);
/* report.html in parts, one after the other: head, the tables' JSON up to
 * the timeline's, the timeline's (100 MB and more on a busy host: nothing
 * is copied into one string), the other tables', tail */
typedef struct rep_html {
	char *head, *tail;
	size_t headlen, taillen;
	shodo_buf tables, timeline, rest;
} rep_html;
void rep_html_free(rep_html *html);
/* summary.txt (a malloc'd string) and report.html of one evidence item. */
shodo_status shodo_report_render(sqlite3 *db, const char *evid, const char *triage_dir, char **summary, rep_html *html);

/* fleet.c: the evidence IDs of dir that have triage/triage.db (sorted) */
int fleet_list(const char *dir, char ***ids, size_t *n);
void fleet_list_free(char **ids, size_t n);
/* attaches dir/id/triage/triage.db read-only as schema "e"; -1 with why */
int fleet_attach(sqlite3 *work, const char *dir, const char *id, char *why, size_t whysz);
/* table exists in schema "e" */
int fleet_has(sqlite3 *work, const char *table);

/* i18n.c: the report language ("en" or "ja") and its strings */
const char *rep_lang(void);
const char *rep_tr(const char *msgid) __attribute__((format_arg(1)));
#define _(s) rep_tr(s)
#define N_(s) (s)
/* the words page.js shows, translated */
json_t *rep_page_words(void);

#endif
