/*
 * report/page.c — see page.h.  The page's scripts are the libraries
 * inlined by assets.c; the Content-Security-Policy names each by its
 * sha256 so that nothing else can run, even if a value from evidence were
 * ever written as markup by mistake.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include "page.h"
#include "render.h"
#include "report_int.h"
#include "shodo/safepath.h"
#include "shodo/util.h"

static const char page_style[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans','Noto Sans CJK JP',sans-serif;"
    "margin:1.2em;color:#1b1b1b;background:#fff;font-size:14px}"
    "h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:2px solid #333}"
    "table.dataTable{width:100%!important;border-collapse:collapse}"
    /* headers wrap between words, never inside one */
    "table.dataTable th{white-space:normal;overflow-wrap:normal;word-break:keep-all;hyphens:none;"
    "text-align:left;background:#eee;vertical-align:bottom}"
    "table.dataTable td{vertical-align:top;overflow-wrap:break-word;font-size:.92em}"
    "table.dataTable td.mono,.mono,code{font-family:ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap}"
    "table.dataTable td.t{white-space:nowrap}table.dataTable td.t small{display:block;color:#555}"
    "table.dataTable thead .sorting:after{content:' \\2195';color:#999}"
    "table.dataTable thead .sorting_asc:after{content:' \\25B2'}table.dataTable thead .sorting_desc:after{content:' \\25BC'}"
    "tr.colfilter th{background:#f6f6f6;padding:2px}tr.colfilter input{width:100%;box-sizing:border-box;font-size:.85em}"
    ".nm{color:#777;font-style:italic}.none{color:#2e7d32}"
    ".alert{background:#fde8e8;border-left:5px solid #c0392b;padding:.5em .8em;margin:.4em 0}"
    ".ok{background:#e8f6ea;border-left:5px solid #2e7d32;padding:.5em .8em;margin:.4em 0}"
    ".muted{color:#666}nav a{margin-right:.8em}"
    ".cards{display:flex;flex-wrap:wrap;gap:.6em;margin:.6em 0}.card{border:1px solid #ccc;border-radius:6px;"
    "padding:.4em .8em;min-width:9em}.card b{display:block;font-size:1.5em}"
    ".chartbox{position:relative;width:100%;height:260px}.scrollbox{max-height:640px;overflow-y:auto}"
    ".row2{display:flex;flex-wrap:wrap;gap:1em}.row2>div{flex:1 1 420px}"
    "#graph svg{max-width:100%;height:auto}#graph a{cursor:pointer}"
    "details pre{white-space:pre-wrap}";

static void b64_sha256(const char *s, size_t n, char out[64])
{
	unsigned char md[32];
	unsigned int ml = 0;
	EVP_Digest(s, n, md, &ml, EVP_sha256(), NULL);
	EVP_EncodeBlock((unsigned char *)out, md, 32);
}

void page_start(FILE *fp, const char *title, const char *lang)
{
	fprintf(fp, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">\n"
	            "<meta name=\"viewport\" content=\"width=device-width\">\n"
	            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	            "style-src 'unsafe-inline'; img-src data:; script-src",
	        lang && !strcmp(lang, "ja") ? "ja" : "en");
	for (const page_asset *a = page_scripts; a->name; a++) {
		char h[64];
		b64_sha256(a->start, (size_t)(a->end - a->start - 1), h);
		fprintf(fp, " 'sha256-%s'", h);
	}
	fputs("\">\n<title>", fp);
	render_html(fp, title);
	fputs("</title>\n<style>", fp);
	fwrite(page_css.start, 1, (size_t)(page_css.end - page_css.start - 1), fp);
	fprintf(fp, "</style>\n<style>%s</style></head><body>\n", page_style);
}

void page_end(FILE *fp, json_t *data)
{
	char *js = json_dumps(data, JSON_COMPACT);
	json_decref(data);
	fputs("<script type=\"application/json\" id=\"shodo-data\">", fp);
	/* inside a JSON string these are equal; as bytes they could end the
	 * script element */
	for (const char *p = js ? js : "{}"; *p;) {
		/* the plain runs in one write each: a case's data is often 100 MB */
		size_t n = strcspn(p, "<>&");
		fwrite(p, 1, n, fp);
		p += n;
		if (*p == '<')
			fputs("\\u003c", fp);
		else if (*p == '>')
			fputs("\\u003e", fp);
		else if (*p == '&')
			fputs("\\u0026", fp);
		if (*p)
			p++;
	}
	free(js);
	fputs("</script>\n", fp);
	for (const page_asset *a = page_scripts; a->name; a++) {
		fputs("<script>", fp);
		fwrite(a->start, 1, (size_t)(a->end - a->start - 1), fp);
		fputs("</script>\n", fp);
	}
	fputs("</body></html>\n", fp);
}

json_t *page_str(const char *s)
{
	if (!s)
		return json_null();
	json_t *j = json_string(s);
	if (j)
		return j;
	/* invalid UTF-8: keep every valid sequence, replace the rest */
	size_t n = strlen(s);
	char *o = malloc(n * 3 + 1);
	size_t k = 0;
	if (!o)
		return json_string("");
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
		int ok = len && i + len <= n;
		for (size_t j2 = 1; ok && j2 < len; j2++)
			ok = ((unsigned char)s[i + j2] >> 6) == 2;
		if (ok) {
			char tmp[8];
			memcpy(tmp, s + i, len);
			tmp[len] = '\0';
			json_t *t = json_string(tmp);   /* rejects overlong forms and surrogates */
			ok = t != NULL;
			json_decref(t);
		}
		if (ok) {
			memcpy(o + k, s + i, len);
			k += len;
			i += len;
		} else {
			memcpy(o + k, "\xEF\xBF\xBD", 3);
			k += 3;
			i++;
		}
	}
	o[k] = '\0';
	json_t *r = json_string(o);
	free(o);
	return r ? r : json_string("");
}

json_t *page_time(const char *iso, const struct rep_hostinfo *h)
{
	char u[64], l[96], b[200];
	time_t t;
	if (!iso || !*iso)
		return json_null();
	if (shodo_parse_iso(iso, &t) < 0)
		return page_str(iso);
	render_utc(iso, u, sizeof(u));
	if (h && h->has_bias && render_local(iso, &h->tzr, l, sizeof(l))[0])
		snprintf(b, sizeof(b), "%sZ\n%s", u, l);
	else
		snprintf(b, sizeof(b), "%sZ", u);
	return json_string(b);
}

char *page_href(const char *prefix, const char *rel, char *out, size_t outsz)
{
	static const char hex[] = "0123456789ABCDEF";
	char full[4200];
	size_t o = 0;
	out[0] = '\0';
	if (!rel || !*rel)
		return out;
	snprintf(full, sizeof(full), "%s%s", prefix ? prefix : "", rel);
	/* prefix may climb ("../../"); what follows it may not */
	if (!shodo_relpath_is_clean(rel))
		return out;
	for (const unsigned char *p = (const unsigned char *)full; *p && o + 4 < outsz; p++) {
		unsigned char c = *p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' || c == '.' ||
		    c == '-' || c == '_' || c == '~') {
			out[o++] = (char)c;
		} else {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
	return out;
}

/* "text\thref" -> [text, href] with href checked and encoded; href is
 * given relative to the case folder and prefixed by the caller's query */
static json_t *link_json(const char *v)
{
	const char *tab = strchr(v, '\t');
	if (!tab)
		return json_pack("[o, s]", page_str(v), "");
	char text[2048], rel[4200], href[8192];
	snprintf(text, sizeof(text), "%.*s", (int)(tab - v), v);
	snprintf(rel, sizeof(rel), "%s", tab + 1);
	/* "../" prefixes (a host report linking up) are the report's, the
	 * rest comes from the store */
	const char *r = rel;
	char prefix[64] = "";
	while (!strncmp(r, "../", 3) && strlen(prefix) + 3 < sizeof(prefix)) {
		strcat(prefix, "../");
		r += 3;
	}
	page_href(prefix, r, href, sizeof(href));
	return json_pack("[o, s]", page_str(text), href);
}

json_t *page_table(sqlite3 *db, const struct rep_hostinfo *h, const char *sql, const char *const *heads,
                   const char *spec)
{
	json_t *t = json_object(), *cols = json_array(), *rows = json_array();
	sqlite3_stmt *s = NULL;
	int nc = (int)strlen(spec);
	for (int i = 0; i < nc && heads[i]; i++)
		json_array_append_new(cols, json_string(heads[i]));
	json_object_set_new(t, "cols", cols);
	json_object_set_new(t, "spec", json_string(spec));
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
		while (sqlite3_step(s) == SQLITE_ROW) {
			json_t *r = json_array();
			for (int i = 0; i < nc; i++) {
				const char *v = (const char *)sqlite3_column_text(s, i);
				int null = sqlite3_column_type(s, i) == SQLITE_NULL;
				switch (spec[i]) {
				case 'n':
				case 'm':
					json_array_append_new(r, null ? json_null() : json_integer(sqlite3_column_int64(s, i)));
					break;
				case 't': json_array_append_new(r, page_time(v, h)); break;
				case 'a': json_array_append_new(r, null || !*v ? json_null() : link_json(v)); break;
				case 'L': {
					json_t *l = json_array();
					char *dup = v ? strdup(v) : NULL, *save = NULL;
					for (char *p = dup ? strtok_r(dup, "\n", &save) : NULL; p; p = strtok_r(NULL, "\n", &save))
						json_array_append_new(l, link_json(p));
					free(dup);
					json_array_append_new(r, l);
					break;
				}
				default: json_array_append_new(r, page_str(v));
				}
			}
			json_array_append_new(rows, r);
		}
		sqlite3_finalize(s);
	}
	json_object_set_new(t, "rows", rows);
	return t;
}

void page_h2(FILE *fp, const char *id, const char *title)
{
	fprintf(fp, "<h2 id=\"%s\">", id);
	render_html(fp, title);
	fputs("</h2>\n", fp);
}

void page_table_slot(FILE *fp, const char *name)
{
	fprintf(fp, "<table id=\"t-%s\" class=\"display compact\"></table>\n", name);
}
