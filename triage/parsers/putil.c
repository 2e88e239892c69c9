#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "shodo/buf.h"
#include "shodo/util.h"
#include "putil.h"

char *putil_ft(uint64_t ft, char out[48])
{
	/* 1970-01-01 .. 2200-01-01 */
	if (ft < 116444736000000000ULL || ft > 116444736000000000ULL + 7258118400ULL * 10000000ULL) {
		out[0] = '\0';
		return out;
	}
	return shodo_filetime_iso(ft, out);
}

const char *putil_strcasestr(const char *hay, const char *needle)
{
	if (!hay || !needle)
		return NULL;
	size_t nl = strlen(needle);
	if (!nl)
		return hay;
	/* the first byte by table lookup, strncasecmp only where it matches:
	 * the command-line rules search every 4688 event's command line (a
	 * strncasecmp call per byte was 12 % of parsing a Security log) */
	int c0 = tolower((unsigned char)needle[0]);
	for (; *hay; hay++)
		if (tolower((unsigned char)*hay) == c0 && !strncasecmp(hay + 1, needle + 1, nl - 1))
			return hay;
	return NULL;
}

int putil_endswith(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcasecmp(s + a - b, suffix);
}

const char *putil_basename(const char *path)
{
	const char *b = path;
	for (const char *p = path; *p; p++)
		if (*p == '/' || *p == '\\')
			b = p + 1;
	return b;
}

static size_t put_utf8(unsigned long cp, char *o)
{
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000))
		cp = 0xFFFD;
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | cp >> 12);
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | cp >> 18);
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

void putil_xml_unescape(char *s)
{
	char *w = s;
	for (char *r = s; *r;) {
		if (*r != '&') {
			*w++ = *r++;
			continue;
		}
		char *semi = strchr(r, ';');
		if (!semi || semi - r > 10) {
			*w++ = *r++;
			continue;
		}
		size_t len = (size_t)(semi - r + 1);
		if (!strncmp(r, "&amp;", len)) *w++ = '&';
		else if (!strncmp(r, "&lt;", len)) *w++ = '<';
		else if (!strncmp(r, "&gt;", len)) *w++ = '>';
		else if (!strncmp(r, "&quot;", len)) *w++ = '"';
		else if (!strncmp(r, "&apos;", len)) *w++ = '\'';
		else if (r[1] == '#') {
			char *end = NULL;
			unsigned long cp = (r[2] == 'x' || r[2] == 'X') ? strtoul(r + 3, &end, 16) : strtoul(r + 2, &end, 10);
			if (end != semi || cp == 0) {
				*w++ = *r++;
				continue;
			}
			char tmp[4];
			size_t k = put_utf8(cp, tmp);
			/* the encoded form is always at least as long as the UTF-8 */
			if (k > len) {
				*w++ = *r++;
				continue;
			}
			memcpy(w, tmp, k);
			w += k;
		} else {
			*w++ = *r++;
			continue;
		}
		r = semi + 1;
	}
	*w = '\0';
}

static int copy_text(const char *p, char *out, size_t n)
{
	const char *e = strchr(p, '<');
	size_t l = e ? (size_t)(e - p) : strlen(p);
	if (l >= n)
		l = n - 1;
	memcpy(out, p, l);
	out[l] = '\0';
	putil_xml_unescape(out);
	return 1;
}

int putil_xml_field(const char *xml, const char *name, char *out, size_t n)
{
	char pat[160];
	out[0] = '\0';
	if (!xml || n == 0)
		return 0;
	/* <Data Name="X">text</Data> or <Data Name="X"/> */
	snprintf(pat, sizeof(pat), "Name=\"%s\"", name);
	size_t pl = strlen(pat);
	for (const char *p = strstr(xml, pat); p; p = strstr(p + 1, pat)) {
		/* only the Data element's attribute, not e.g. Provider Name= */
		const char *lt = p;
		while (lt > xml && *lt != '<')
			lt--;
		if (strncmp(lt, "<Data ", 6))
			continue;
		const char *q = p + pl;
		while (*q == ' ')
			q++;
		if (*q == '/')
			return 1;
		if (*q == '>')
			return copy_text(q + 1, out, n);
	}
	/* <X>text</X>, <X attr="...">text</X> or <X/> */
	snprintf(pat, sizeof(pat), "<%s", name);
	pl = strlen(pat);
	for (const char *p = strstr(xml, pat); p; p = strstr(p + 1, pat)) {
		const char *q = p + pl;
		if (*q == '/')
			return 1;
		if (*q == ' ') {
			q = strchr(q, '>');
			if (!q)
				return 0;
			if (q[-1] == '/')
				return 1;
			return copy_text(q + 1, out, n);
		}
		if (*q == '>')
			return copy_text(q + 1, out, n);
	}
	return 0;
}

int putil_append(char **buf, size_t *len, size_t *cap, const char *s, size_t max)
{
	size_t l = strlen(s);
	if (*len + l + 1 > max)
		return -1;
	if (shodo_grow(buf, cap, *len + l + 1) < 0)
		return -1;
	memcpy(*buf + *len, s, l + 1);
	*len += l;
	return 0;
}

shodo_status putil_host(shodo_triage_ctx *ctx, const shodo_artifact *a, const char *key, const char *value,
                        shodo_err *err)
{
	if (!value || !*value)
		return SHODO_OK;
	static const char sql[] = "INSERT INTO host(volume,key,value,source) VALUES(?,?,?,?)";
	sqlite3_stmt *s = shodo_store_stmt(ctx->store, sql, err);
	if (!s)
		return SHODO_FATAL;
	shodo_bind_text(s, 1, a->volume);
	shodo_bind_text(s, 2, key);
	shodo_bind_text(s, 3, value);
	shodo_bind_text(s, 4, a->source);
	return shodo_store_step_done(ctx->store, s, err);
}

shodo_status putil_policy(shodo_triage_ctx *ctx, const shodo_artifact *a, const char *origin, const char *key,
                          const char *value, shodo_err *err)
{
	if (!value || !*value)
		return SHODO_OK;
	static const char sql[] = "INSERT INTO policy(volume,origin,key,value,source) VALUES(?,?,?,?,?)";
	sqlite3_stmt *s = shodo_store_stmt(ctx->store, sql, err);
	if (!s)
		return SHODO_FATAL;
	shodo_bind_text(s, 1, a->volume);
	shodo_bind_text(s, 2, origin);
	shodo_bind_text(s, 3, key);
	shodo_bind_text(s, 4, value);
	shodo_bind_text(s, 5, a->source);
	return shodo_store_step_done(ctx->store, s, err);
}
