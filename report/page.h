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

/* A relative link into the case folder, percent-encoded; "" when rel is not
 * a clean relative path. */
char *page_href(const char *prefix, const char *rel, char *out, size_t outsz);

/* <section> helpers */
void page_h2(FILE *fp, const char *id, const char *title);
void page_table_slot(FILE *fp, const char *name);

#endif
