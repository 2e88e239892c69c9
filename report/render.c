#include <ctype.h>
#include <stdint.h>
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

/* ---- local time from the host's own time zone rules ----
 *
 * Windows keeps a zone as TIME_ZONE_INFORMATION (SYSTEM ...\Control\
 * TimeZoneInformation: Bias, StandardBias, DaylightBias, StandardStart,
 * DaylightStart) and, for zones whose rules changed over the years, one
 * REG_TZI_FORMAT per year under SOFTWARE ...\Time Zones\<zone>\Dynamic DST
 * (FirstEntry, LastEntry).  A transition date with wYear = 0 is "the wDay-th
 * (5 = last) wDayOfWeek of wMonth at wHour:wMinute", in the local time in
 * force before the change; with wYear set it is that exact date.  No zone
 * table is kept here: every rule comes from the evidence. */

static int rd16(const unsigned char *p) { return p[0] | p[1] << 8; }
static int32_t rds32(const unsigned char *p) { return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24); }

const char *render_utcz(const char *iso, char *out, size_t outsz)
{
	if (!iso || !*iso)
		return "?";
	render_utc(iso, out, outsz - 1);
	if (out[0] && strlen(out) + 1 < outsz)
		strcat(out, "Z");
	return out;
}

int render_systemtime(const unsigned char *b, render_tztime *t)
{
	t->year = rd16(b);
	t->month = rd16(b + 2);
	t->dow = rd16(b + 4);
	t->day = rd16(b + 6);
	t->hour = rd16(b + 8);
	t->minute = rd16(b + 10);
	t->second = rd16(b + 12);
	return t->month >= 1 && t->month <= 12;
}

int render_tzi(const unsigned char *b, size_t n, render_tzrule *r)
{
	memset(r, 0, sizeof(*r));
	if (n < 44)
		return 0;
	r->bias = rds32(b);
	r->std_bias = rds32(b + 4);
	r->dl_bias = rds32(b + 8);
	render_systemtime(b + 12, &r->std_start);
	render_systemtime(b + 28, &r->dl_start);
	return 1;
}

static int hexbytes(const char *hex, unsigned char *out, size_t max)
{
	size_t n = 0;
	for (const char *p = hex; p && p[0] && p[1] && n < max;) {
		if (!isxdigit((unsigned char)p[0])) {
			p++;
			continue;
		}
		unsigned v;
		if (sscanf(p, "%2x", &v) != 1)
			break;
		out[n++] = (unsigned char)v;
		p += 2;
	}
	return (int)n;
}

int render_tzi_hex(const char *hex, render_tzrule *r)
{
	unsigned char b[64];
	return render_tzi(b, (size_t)hexbytes(hex, b, sizeof(b)), r);
}

int render_systemtime_hex(const char *hex, render_tztime *t)
{
	unsigned char b[16];
	memset(t, 0, sizeof(*t));
	if (hexbytes(hex, b, sizeof(b)) < 16)
		return 0;
	return render_systemtime(b, t);
}

static int leap(int y) { return (y % 4 == 0 && y % 100) || y % 400 == 0; }

/* seconds since the epoch of a local wall-clock date (read as UTC) */
static time_t wall(int y, int mon, int d, int h, int mi, int s)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return timegm(&tm);
}

/* the wall-clock moment of a transition in year y */
static time_t transition(const render_tztime *t, int y)
{
	if (t->year)
		return wall(t->year, t->month, t->day, t->hour, t->minute, t->second);
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int last = mdays[t->month - 1] + (t->month == 2 && leap(y));
	time_t first = wall(y, t->month, 1, 0, 0, 0);
	struct tm w;
	gmtime_r(&first, &w);
	int day = 1 + (t->dow - w.tm_wday + 7) % 7 + 7 * ((t->day < 1 ? 1 : t->day) - 1);
	while (day > last)
		day -= 7;
	/* 24:00 and the like roll over, as Windows does */
	return first + (time_t)(day - 1) * 86400 + (time_t)t->hour * 3600 + (time_t)t->minute * 60 + t->second;
}

/* the rule in force in year y */
static const render_tzrule *rule_for(const render_tz *z, int y)
{
	if (z->nyears && !z->dynamic_disabled) {
		const render_tzrule *best = &z->years[0];
		for (int i = 0; i < z->nyears; i++)
			if (z->years[i].year <= y)
				best = &z->years[i];   /* years are sorted: the last at or before y */
		return best;
	}
	return &z->rule;
}

/* minutes east of UTC at the UTC instant t; *dst set when daylight time */
int render_tz_offset(const render_tz *z, time_t t, int *dst)
{
	*dst = 0;
	if (!z || !z->known)
		return 0;
	/* the local year, from standard time (a day either way changes nothing
	 * but the turn of the year, where no zone changes its clocks) */
	time_t guess = t - (time_t)z->rule.bias * 60;
	struct tm tm;
	gmtime_r(&guess, &tm);
	int y = tm.tm_year + 1900;
	const render_tzrule *r = rule_for(z, y);
	int std = -(r->bias + r->std_bias), dl = -(r->bias + r->dl_bias);
	if (!r->dl_start.month || !r->std_start.month)
		return std;
	/* daylight starts at DaylightStart in standard time; it ends at
	 * StandardStart in daylight time */
	time_t on = transition(&r->dl_start, y) - (time_t)std * 60;
	time_t off = transition(&r->std_start, y) - (time_t)dl * 60;
	int in = on < off ? (t >= on && t < off) : (t >= on || t < off);
	*dst = in;
	return in ? dl : std;
}

char *render_local(const char *iso, const render_tz *z, char *out, size_t outsz)
{
	time_t t;
	out[0] = '\0';
	if (!iso || !*iso || !z || !z->known || shodo_parse_iso(iso, &t) < 0)
		return out;
	int dst = 0, off = render_tz_offset(z, t, &dst);   /* minutes east of UTC */
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
