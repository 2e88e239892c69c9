/*
 * report/render.h — what the per-evidence report (report.c) and the fleet
 * report (fleet.c) share: escaping of evidence strings for HTML and for the
 * terminal, times in UTC and in the host's zone, the page style.
 */
#ifndef SHODO_TRIAGE_RENDER_H
#define SHODO_TRIAGE_RENDER_H

#include <stdio.h>
#include <stddef.h>
#include <time.h>

/* Writes s HTML-escaped (& < > " ' and control characters); NULL writes nothing. */
void render_html(FILE *fp, const char *s);
/* Text for summary.txt: control characters (terminal escapes) replaced by
 * '?', cut at max display characters (UTF-8 aware) with "..." appended.
 * Returns out ("" for NULL). */
char *render_txt(const char *s, size_t max, char *out, size_t outsz);
/* A time zone as Windows stores it (SYSTEMTIME transition dates, biases in
 * minutes with UTC = local + bias), from the host's own registry. */
typedef struct render_tztime {
	int year, month, dow, day, hour, minute, second;   /* day = week 1..5 when year is 0 */
} render_tztime;
typedef struct render_tzrule {
	int year;                    /* Dynamic DST year (0: the base rule) */
	int bias, std_bias, dl_bias;
	render_tztime std_start, dl_start;
} render_tzrule;
#define RENDER_TZ_YEARS 64
typedef struct render_tz {
	int known;                   /* at least the bias is known */
	render_tzrule rule;          /* TimeZoneInformation */
	int dynamic_disabled;        /* DynamicDaylightTimeDisabled */
	int nyears;                  /* Dynamic DST entries, sorted by year */
	render_tzrule years[RENDER_TZ_YEARS];
} render_tz;
/* SYSTEMTIME (16 bytes) and REG_TZI_FORMAT (44 bytes) from bytes or hex text;
 * return 1 when usable. */
int render_systemtime(const unsigned char *b, render_tztime *t);
int render_systemtime_hex(const char *hex, render_tztime *t);
int render_tzi(const unsigned char *b, size_t n, render_tzrule *r);
int render_tzi_hex(const char *hex, render_tzrule *r);
/* Minutes east of UTC at t under z; *dst = 1 in daylight time. */
int render_tz_offset(const render_tz *z, time_t t, int *dst);
/* "2024-03-02 04:10:00 (UTC+01:00)" or "... (UTC+02:00 DST)" for an ISO UTC
 * time in the zone z; "" when the time cannot be parsed or z is unknown. */
char *render_local(const char *iso, const render_tz *z, char *out, size_t outsz);
/* "2024-03-02 03:10:00" from ISO (fraction dropped). */
char *render_utc(const char *iso, char *out, size_t outsz);
/* The same with a final "Z" ("2024-03-02 03:10:00Z"); "?" for NULL or "". */
const char *render_utcz(const char *iso, char *out, size_t outsz);
/* <!DOCTYPE html> ... <body> with the inline style and the title escaped. */
void render_page_start(FILE *fp, const char *title);
void render_page_end(FILE *fp);

#endif
