/*
 * report/page.h — the report pages as tools: one self-contained HTML file
 * whose data is one JSON block and whose tables and charts are drawn by
 * DataTables and Chart.js, inlined (report/assets.c).  The page's
 * Content-Security-Policy allows exactly the inlined scripts (by their
 * sha256) and loads nothing.
 */
#ifndef SHODO_REPORT_PAGE_H
#define SHODO_REPORT_PAGE_H

#include <stdio.h>
#include <sqlite3.h>
#include <jansson.h>
#include "shodo/buf.h"

typedef struct page_asset {
	const char *name;
	const char *start, *end;   /* end: one past the last byte (a NUL follows) */
} page_asset;

extern const page_asset page_scripts[];   /* NULL-terminated */
extern const page_asset page_css;

/* <!DOCTYPE html> ... <body>: CSP with the scripts' hashes, the style. */
void page_start(FILE *fp, const char *title, const char *lang);
/* The data block (values from evidence stay text: <, > and & escaped
 * inside the JSON), the scripts, </body></html>.  Takes data. */
void page_end(FILE *fp, json_t *data);

/* The same data block a key at a time, for values written as text
 * (page_table_json):
 *   page_data_begin(&d, fp); page_data_add(&d, "kind", json_string("host"));
 *   page_data_text(&d, "tables", text, len); ... page_data_end(&d);
 * page_data_add takes v. */
typedef struct page_data {
	FILE *fp;
	int n;
} page_data;
void page_data_begin(page_data *d, FILE *fp);
void page_data_add(page_data *d, const char *key, json_t *v);
void page_data_text(page_data *d, const char *key, const char *json, size_t n);
/* "key": and nothing after it: the caller puts the value's text between
 * what was written so far and what follows, which goes to next. */
void page_data_hole(page_data *d, const char *key, FILE *next);
void page_data_end(page_data *d);

/* JSON text, byte for byte what json_dumps(JSON_COMPACT) writes for the
 * value, with <, > and & escaped as page_end does: a string from evidence
 * (page_str's, "null" for NULL) and any jansson value. */
void page_json_str(shodo_buf *b, const char *s);
void page_json_value(shodo_buf *b, json_t *v);

/* A JSON string from evidence bytes: invalid UTF-8 becomes U+FFFD. */
json_t *page_str(const char *s);

/* "UTC\nlocal" cell of a time column */
struct rep_hostinfo;
json_t *page_time(const char *iso, const struct rep_hostinfo *h);

/* {"cols": heads, "spec": spec, "rows": [[...]...]} from a query; spec as
 * in page.js (s t n c m j a L h).  For 'a' and 'L' columns the query gives
 * "text\thref" (L: several joined by "\n"); hrefs are made safe here. */
json_t *page_table(sqlite3 *db, const struct rep_hostinfo *h, const char *sql, const char *const *heads,
                   const char *spec);
/* The same table as JSON text appended to b (page_json_value of page_table's
 * result, with "page": page after the rows when page > 0), without building
 * it in memory first.  Returns the number of rows; b->failed when out of
 * memory. */
long long page_table_json(shodo_buf *b, sqlite3 *db, const struct rep_hostinfo *h, const char *sql,
                          const char *const *heads, const char *spec, long long page);
/* The same for a query whose first column is a sort key (not shown): the
 * rows are written as "ORDER BY key, <the query's order>" would give them,
 * sorted here instead of by SQLite (faster on a large table). */
long long page_table_json_sorted(shodo_buf *b, sqlite3 *db, const struct rep_hostinfo *h, const char *sql,
                                 const char *const *heads, const char *spec, long long page);

/* A relative link into the case folder, percent-encoded; "" when rel is not
 * a clean relative path. */
char *page_href(const char *prefix, const char *rel, char *out, size_t outsz);

/* <section> helpers */
void page_h2(FILE *fp, const char *id, const char *title);
void page_table_slot(FILE *fp, const char *name);

#endif
