#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "render.h"
#include "shodo/util.h"

void render_html(FILE *fp, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		switch (c) {
		case '&': fputs("&amp;", fp); break;
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '"': fputs("&quot;", fp); break;
		case '\'': fputs("&#39;", fp); break;
		default:
			if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
				fputs("&#xFFFD;", fp);
			else
				fputc(c, fp);
		}
	}
}

char *render_txt(const char *s, size_t max, char *out, size_t outsz)
{
	size_t o = 0, chars = 0, cut = 0;
	out[0] = '\0';
	if (!s || outsz < 8)
		return out;
	if (max < 4)
		max = 4;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		unsigned char c = *p++;
		if ((c & 0xC0) != 0x80) {
			if (chars == max - 3)
				cut = o;      /* where "..." goes if the text is too long */
			if (chars == max || o + 5 > outsz) {
				memcpy(out + cut, "...", 4);
				return out;
			}
			chars++;
		}
		if (c < 0x20 || c == 0x7f) {
			c = '?';
		} else if (c == 0xC2 && *p >= 0x80 && *p <= 0x9F) {
			/* C1 controls (U+0080..U+009F) act on some terminals */
			p++;
			c = '?';
		}
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return out;
}

char *render_utc(const char *iso, char *out, size_t outsz)
{
	time_t t;
	out[0] = '\0';
	if (!iso || !*iso || shodo_parse_iso(iso, &t) < 0) {
		snprintf(out, outsz, "%s", iso ? iso : "");
		return out;
	}
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, outsz, "%Y-%m-%d %H:%M:%S", &tm);
	return out;
}

/* ---- daylight saving for the zones whose rules are known ---- */

static const char *const eu_zones[] = {
	"GMT Standard Time", "W. Europe Standard Time", "Central Europe Standard Time",
	"Central European Standard Time", "Romance Standard Time", "E. Europe Standard Time", "FLE Standard Time",
	"GTB Standard Time", NULL,
};
static const char *const us_zones[] = {
	"Eastern Standard Time", "Central Standard Time", "Mountain Standard Time", "Pacific Standard Time",
	"Alaskan Standard Time", "Atlantic Standard Time", NULL,
};

const char *render_utcz(const char *iso, char *out, size_t outsz)
{
	if (!iso || !*iso)
		return "?";
	render_utc(iso, out, outsz - 1);
	if (out[0] && strlen(out) + 1 < outsz)
		strcat(out, "Z");
	return out;
}

int render_dst_rule(const char *tzkey)
{
	for (int i = 0; tzkey && eu_zones[i]; i++)
		if (!strcmp(tzkey, eu_zones[i]))
			return 1;
	for (int i = 0; tzkey && us_zones[i]; i++)
		if (!strcmp(tzkey, us_zones[i]))
			return 2;
	return 0;
}

/* 00:00 UTC of the n-th (1..) or last (n = 0) Sunday of month in year */
static time_t sunday(int year, int month, int n)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = month - 1;
	tm.tm_mday = 1;
	time_t first = timegm(&tm);
	struct tm w;
	gmtime_r(&first, &w);
	int first_sunday = 1 + (7 - w.tm_wday) % 7;
	int day = first_sunday + 7 * (n - 1);
	if (n == 0) {
		static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
		int last = mdays[month - 1] + (month == 2 && ((year % 4 == 0 && year % 100) || year % 400 == 0));
		day = first_sunday;
		while (day + 7 <= last)
			day += 7;
	}
	return first + (time_t)(day - 1) * 86400;
}

/* 1 when the UTC time t is in daylight saving time under rule */
static int in_dst(time_t t, int rule, int bias_min)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	int y = tm.tm_year + 1900;
	time_t start, end;
	if (rule == 1) {
		/* EU since 1996: last Sunday of March to last Sunday of October, 01:00 UTC */
		if (y < 1996)
			return 0;
		start = sunday(y, 3, 0) + 3600;
		end = sunday(y, 10, 0) + 3600;
	} else if (rule == 2) {
		/* US and Canada since 2007: second Sunday of March 02:00 standard time to
		 * first Sunday of November 02:00 daylight time */
		if (y < 2007)
			return 0;
		start = sunday(y, 3, 2) + 7200 + (time_t)bias_min * 60;
		end = sunday(y, 11, 1) + 7200 + (time_t)(bias_min - 60) * 60;
	} else {
		return 0;
	}
	return t >= start && t < end;
}

char *render_local(const char *iso, int bias_min, const char *tzkey, char *out, size_t outsz)
{
	time_t t;
	out[0] = '\0';
	if (!iso || !*iso || shodo_parse_iso(iso, &t) < 0)
		return out;
	int dst = in_dst(t, render_dst_rule(tzkey), bias_min);
	int off = -bias_min + (dst ? 60 : 0);   /* minutes east of UTC */
	t += (time_t)off * 60;
	struct tm tm;
	char b[32];
	gmtime_r(&t, &tm);
	strftime(b, sizeof(b), "%Y-%m-%d %H:%M:%S", &tm);
	int a = off < 0 ? -off : off;
	snprintf(out, outsz, "%s (UTC%c%02d:%02d%s)", b, off < 0 ? '-' : '+', a / 60, a % 60, dst ? " DST" : "");
	return out;
}

static const char style[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans','Noto Sans CJK JP',sans-serif;"
    "margin:1.5em;color:#1b1b1b;background:#fff;font-size:14px}"
    "h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:2px solid #333}"
    "table{border-collapse:collapse;margin:.4em 0;max-width:100%}"
    "th,td{border:1px solid #bbb;padding:.2em .45em;text-align:left;vertical-align:top;"
    "overflow-wrap:anywhere;font-size:.92em}"
    "th{background:#eee;position:sticky;top:0}tr:nth-child(even) td{background:#fafafa}"
    ".alert{background:#fde8e8;border-left:5px solid #c0392b;padding:.5em .8em;margin:.4em 0}"
    ".ok{background:#e8f6ea;border-left:5px solid #2e7d32;padding:.5em .8em;margin:.4em 0}"
    "td.mono{white-space:pre-wrap}.muted{color:#666}.t small{color:#555;display:block}code,.mono{font-family:ui-monospace,Menlo,Consolas,monospace}"
    "nav a{margin-right:.8em}"
    "@media print{th{position:static}}";

void render_page_start(FILE *fp, const char *title)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
	      "<title>", fp);
	render_html(fp, title);
	fprintf(fp, "</title>\n<style>%s</style></head><body>\n", style);
}

void render_page_end(FILE *fp)
{
	fputs("</body></html>\n", fp);
}
