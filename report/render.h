/*
 * report/render.h — what the per-evidence report (report.c) and the fleet
 * report (fleet.c) share: escaping of evidence strings for HTML and for the
 * terminal, times in UTC and in the host's zone, the page style.
 */
#ifndef SHODO_TRIAGE_RENDER_H
#define SHODO_TRIAGE_RENDER_H

#include <stdio.h>
#include <stddef.h>

/* Writes s HTML-escaped (& < > " ' and control characters); NULL writes nothing. */
void render_html(FILE *fp, const char *s);
/* Text for summary.txt: control characters (terminal escapes) replaced by
 * '?', cut at max display characters (UTF-8 aware) with "..." appended.
 * Returns out ("" for NULL). */
char *render_txt(const char *s, size_t max, char *out, size_t outsz);
/* "2024-03-02 04:10:00 (UTC+01:00)" for an ISO UTC time, a Windows bias in
 * minutes (UTC = local + bias) and the Windows zone key name; daylight
 * saving is applied for the zones whose rules are known (EU, US/Canada:
 * "(UTC+02:00 DST)"); "" when the time cannot be parsed. */
char *render_local(const char *iso, int bias_min, const char *tzkey, char *out, size_t outsz);
/* 1 EU rules, 2 US/Canada rules, 0 no daylight saving applied */
int render_dst_rule(const char *tzkey);
/* "2024-03-02 03:10:00" from ISO (fraction dropped). */
char *render_utc(const char *iso, char *out, size_t outsz);
/* The same with a final "Z" ("2024-03-02 03:10:00Z"); "?" for NULL or "". */
const char *render_utcz(const char *iso, char *out, size_t outsz);
/* <!DOCTYPE html> ... <body> with the inline style and the title escaped. */
void render_page_start(FILE *fp, const char *title);
void render_page_end(FILE *fp);

#endif
