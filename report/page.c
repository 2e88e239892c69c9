/*
 * report/page.c — see page.h.  The page's scripts are the libraries
 * inlined by assets.c; the Content-Security-Policy names each by its
 * sha256 so that nothing else can run, even if a value from evidence were
 * ever written as markup by mistake.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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

/* ---- JSON as text ----
 *
 * The host report's data block is 100 MB and more on a busy host (every
 * timeline row).  Built as a jansson tree and dumped, it took most of the
 * report's time (the tree's millions of allocations, json_dumps, freeing
 * it); its tables are now written as text straight from the queries.  The
 * text is byte for byte what json_dumps(JSON_COMPACT) writes for the same
 * values followed by page_end's escaping of <, > and & (only strings can
 * hold them): tests/unit/test_render.c compares the two on hostile values. */

/* shodo_buf_add without the call while there is room: the tables' text is
 * appended a few bytes at a time, tens of millions of times on a busy host */
static inline void put(shodo_buf *b, const void *s, size_t n)
{
	if (b->p && b->cap - b->len > n) {
		memcpy(b->p + b->len, s, n);
		b->len += n;
		b->p[b->len] = '\0';
	} else {
		shodo_buf_add(b, s, n);
	}
}

/* what a byte of a valid UTF-8 string becomes inside a JSON string: 0 as
 * itself, else the escape's second character ('u': \u00XX) */
static const unsigned char json_esc[256] = {
	['\\'] = '\\', ['"'] = '"', ['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n', ['\r'] = 'r', ['\t'] = 't',
	[0x00] = 'u', [0x01] = 'u', [0x02] = 'u', [0x03] = 'u', [0x04] = 'u', [0x05] = 'u', [0x06] = 'u', [0x07] = 'u',
	[0x0b] = 'u', [0x0e] = 'u', [0x0f] = 'u', [0x10] = 'u', [0x11] = 'u', [0x12] = 'u', [0x13] = 'u', [0x14] = 'u',
	[0x15] = 'u', [0x16] = 'u', [0x17] = 'u', [0x18] = 'u', [0x19] = 'u', [0x1a] = 'u', [0x1b] = 'u', [0x1c] = 'u',
	[0x1d] = 'u', [0x1e] = 'u', [0x1f] = 'u', ['<'] = 'u', ['>'] = 'u', ['&'] = 'u',
};

/* a JSON string of n bytes of valid UTF-8 */
static void json_text_bytes(shodo_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s, *run = p, *end = p + n;
	put(b, "\"", 1);
	for (; p < end; p++) {
		unsigned char e = json_esc[*p];
		if (!e)
			continue;
		put(b, run, (size_t)(p - run));
		run = p + 1;
		char seq[6] = {'\\', (char)e};
		if (e != 'u') {
			put(b, seq, 2);
		} else if (*p == '<' || *p == '>' || *p == '&') {
			/* page_end's own: lower-case, as it always wrote them */
			shodo_buf_adds(b, *p == '<' ? "\\u003c" : *p == '>' ? "\\u003e" : "\\u0026");
		} else {
			memcpy(seq + 2, "00", 2);
			seq[4] = hex[*p >> 4];
			seq[5] = hex[*p & 15];
			put(b, seq, 6);
		}
	}
	put(b, run, (size_t)(p - run));
	put(b, "\"", 1);
}

/* dumped JSON text with page_end's escaping */
static void json_text_escaped(shodo_buf *b, const char *js)
{
	for (const char *p = js; *p;) {
		size_t n = strcspn(p, "<>&");
		put(b, p, n);
		p += n;
		if (*p)
			shodo_buf_adds(b, *p == '<' ? "\\u003c" : *p == '>' ? "\\u003e" : "\\u0026");
		if (*p)
			p++;
	}
}

void page_json_str(shodo_buf *b, const char *s)
{
	if (!s) {
		put(b, "null", 4);
		return;
	}
	size_t n = 0;
	int ascii = 1;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++, n++)
		ascii &= *p < 0x80;
	if (ascii) {
		json_text_bytes(b, s, n);
		return;
	}
	/* jansson decides what is valid UTF-8, as it did when it built the page */
	json_t *j = page_str(s);
	json_text_bytes(b, json_string_value(j), json_string_length(j));
	json_decref(j);
}

void page_json_value(shodo_buf *b, json_t *v)
{
	char *js = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	if (js)
		json_text_escaped(b, js);
	else
		put(b, "null", 4);
	free(js);
}

static void json_text_int(shodo_buf *b, long long v)
{
	char t[24], *p = t + sizeof(t);
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	put(b, p, (size_t)(t + sizeof(t) - p));
}

/* ---- the data block ---- */

void page_data_begin(page_data *d, FILE *fp)
{
	d->fp = fp;
	d->n = 0;
	fputs("<script type=\"application/json\" id=\"shodo-data\">{", fp);
}

void page_data_text(page_data *d, const char *key, const char *json, size_t n)
{
	shodo_buf k = SHODO_BUF_INIT;
	page_json_str(&k, key);
	if (d->n++)
		fputc(',', d->fp);
	if (k.p)
		fwrite(k.p, 1, k.len, d->fp);
	fputc(':', d->fp);
	fwrite(json, 1, n, d->fp);
	shodo_buf_release(&k);
}

void page_data_hole(page_data *d, const char *key, FILE *next)
{
	page_data_text(d, key, "", 0);
	d->fp = next;
}

void page_data_add(page_data *d, const char *key, json_t *v)
{
	shodo_buf t = SHODO_BUF_INIT;
	page_json_value(&t, v);
	json_decref(v);
	page_data_text(d, key, t.p ? t.p : "null", t.p ? t.len : 4);
	shodo_buf_release(&t);
}

void page_data_end(page_data *d)
{
	FILE *fp = d->fp;
	fputs("}</script>\n", fp);
	for (const page_asset *a = page_scripts; a->name; a++) {
		fputs("<script>", fp);
		fwrite(a->start, 1, (size_t)(a->end - a->start - 1), fp);
		fputs("</script>\n", fp);
	}
	fputs("</body></html>\n", fp);
}

void page_end(FILE *fp, json_t *data)
{
	page_data d;
	const char *key;
	json_t *v;
	page_data_begin(&d, fp);
	json_object_foreach(data, key, v)
		page_data_add(&d, key, json_incref(v));
	json_decref(data);
	page_data_end(&d);
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

/* "UTC\nlocal" of a time the store holds, 0 when it is not one */
static int time_text(const char *iso, const struct rep_hostinfo *h, char b[200])
{
	char u[64], l[96];
	time_t t;
	if (shodo_parse_iso(iso, &t) < 0)
		return 0;
	render_utc(iso, u, sizeof(u));
	if (h && h->has_bias && render_local(iso, &h->tzr, l, sizeof(l))[0])
		snprintf(b, 200, "%sZ\n%s", u, l);
	else
		snprintf(b, 200, "%sZ", u);
	return 1;
}

json_t *page_time(const char *iso, const struct rep_hostinfo *h)
{
	char b[200];
	if (!iso || !*iso)
		return json_null();
	if (!time_text(iso, h, b))
		return page_str(iso);
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

/* "text\thref" -> text and href with href checked and encoded; href is
 * given relative to the case folder and prefixed by the caller's query.
 * 0 when there is no tab (the whole of v is the text, no link). */
static int link_parts(const char *v, char text[2048], char href[8192])
{
	const char *tab = strchr(v, '\t');
	if (!tab)
		return 0;
	char rel[4200];
	snprintf(text, 2048, "%.*s", (int)(tab - v), v);
	snprintf(rel, sizeof(rel), "%s", tab + 1);
	/* "../" prefixes (a host report linking up) are the report's, the
	 * rest comes from the store */
	const char *r = rel;
	char prefix[64] = "";
	while (!strncmp(r, "../", 3) && strlen(prefix) + 3 < sizeof(prefix)) {
		strcat(prefix, "../");
		r += 3;
	}
	page_href(prefix, r, href, 8192);
	return 1;
}

static json_t *link_json(const char *v)
{
	char text[2048], href[8192];
	if (!link_parts(v, text, href))
		return json_pack("[o, s]", page_str(v), "");
	return json_pack("[o, s]", page_str(text), href);
}

static void link_text(shodo_buf *b, const char *v)
{
	char text[2048], href[8192];
	int l = link_parts(v, text, href);
	put(b, "[", 1);
	page_json_str(b, l ? text : v);
	put(b, ",", 1);
	page_json_str(b, l ? href : "");
	put(b, "]", 1);
}

/* the cell of column i of the current row, as page_table makes it */
static json_t *cell_json(sqlite3_stmt *s, int i, char spec, const struct rep_hostinfo *h)
{
	const char *v = (const char *)sqlite3_column_text(s, i);
	int null = sqlite3_column_type(s, i) == SQLITE_NULL;
	switch (spec) {
	case 'n':
	case 'm': return null ? json_null() : json_integer(sqlite3_column_int64(s, i));
	case 't': return page_time(v, h);
	case 'a': return null || !*v ? json_null() : link_json(v);
	case 'L': {
		json_t *l = json_array();
		char *dup = v ? strdup(v) : NULL, *save = NULL;
		for (char *p = dup ? strtok_r(dup, "\n", &save) : NULL; p; p = strtok_r(NULL, "\n", &save))
			json_array_append_new(l, link_json(p));
		free(dup);
		return l;
	}
	default: return page_str(v);
	}
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
			for (int i = 0; i < nc; i++)
				json_array_append_new(r, cell_json(s, i, spec[i], h));
			json_array_append_new(rows, r);
		}
		sqlite3_finalize(s);
	}
	json_object_set_new(t, "rows", rows);
	return t;
}

/* The last value of a column and the text it became: a timeline sorted by
 * time repeats its times and its few sources row after row. */
typedef struct cell_memo {
	shodo_buf key;
	size_t off, len;   /* the text, in the table's buffer */
	int set;
} cell_memo;

static int memo_hit(cell_memo *m, shodo_buf *b, const char *v)
{
	if (!m->set || strcmp(m->key.p, v))
		return 0;
	/* room first: the copy comes from the buffer itself */
	if (shodo_array_grow(&b->p, &b->cap, b->len + m->len + 1, 1) < 0) {
		b->failed = 1;
		return 1;
	}
	memcpy(b->p + b->len, b->p + m->off, m->len);
	b->len += m->len;
	b->p[b->len] = '\0';
	return 1;
}

static void memo_set(cell_memo *m, shodo_buf *b, const char *v, size_t off)
{
	m->key.len = 0;
	m->set = shodo_buf_adds(&m->key, v) == 0 && !b->failed;
	m->off = off;
	m->len = b->len - off;
}

/* one row's cells, columns c0 .. c0 + strlen(spec) - 1, as a JSON array */
static void row_text(shodo_buf *b, sqlite3_stmt *s, int c0, const char *spec, const struct rep_hostinfo *h,
                     cell_memo *memo)
{
	put(b, "[", 1);
	for (int i = 0; spec[i]; i++) {
		const char *v = (const char *)sqlite3_column_text(s, c0 + i);
		int null = sqlite3_column_type(s, c0 + i) == SQLITE_NULL;
		if (i)
			put(b, ",", 1);
		switch (spec[i]) {
		case 'n':
		case 'm':
			if (null)
				put(b, "null", 4);
			else
				json_text_int(b, sqlite3_column_int64(s, c0 + i));
			break;
		case 't': {
			char t[200];
			size_t off = b->len;
			if (!v || !*v)
				put(b, "null", 4);
			else if (!memo_hit(&memo[i], b, v)) {
				if (time_text(v, h, t))
					json_text_bytes(b, t, strlen(t));
				else
					page_json_str(b, v);
				memo_set(&memo[i], b, v, off);
			}
			break;
		}
		case 'a': {
			size_t off = b->len;
			if (null || !*v)
				put(b, "null", 4);
			else if (!memo_hit(&memo[i], b, v)) {
				link_text(b, v);
				memo_set(&memo[i], b, v, off);
			}
			break;
		}
		case 'L': {
			char *dup = v ? strdup(v) : NULL, *save = NULL;
			int m = 0;
			put(b, "[", 1);
			for (char *p = dup ? strtok_r(dup, "\n", &save) : NULL; p; p = strtok_r(NULL, "\n", &save)) {
				if (m++)
					put(b, ",", 1);
				link_text(b, p);
			}
			free(dup);
			put(b, "]", 1);
			break;
		}
		default: page_json_str(b, v);
		}
	}
	put(b, "]", 1);
}

/* ---- rows sorted here rather than by SQLite ----
 *
 * SQLite's sorter copies every column of every row to sort a large table
 * by an expression (the timeline by its second, 305,816 rows, 0.3 s of the
 * report on the bench host); here each row's text is made in rowid order
 * and the small keys are sorted.  The order is ORDER BY key, <query order>
 * with SQLite's rules for the key: NULL first, then numbers, then text
 * (bytes compared, then lengths: the BINARY collation), then blobs. */
typedef struct sort_row {
	int type;          /* 0 NULL, 1 number, 2 text, 3 blob */
	double num;
	size_t koff, klen;  /* the key's bytes in the keys buffer */
	size_t roff, rlen;  /* the row's text in the rows buffer */
	size_t seq;         /* the query's order */
} sort_row;

static int sort_cmp(const void *pa, const void *pb, void *keys)
{
	const sort_row *a = pa, *b = pb;
	const char *sort_keys = keys;
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	if (a->type == 1 && a->num != b->num)
		return a->num < b->num ? -1 : 1;
	if (a->type >= 2) {
		size_t n = a->klen < b->klen ? a->klen : b->klen;
		int c = n ? memcmp(sort_keys + a->koff, sort_keys + b->koff, n) : 0;
		if (c)
			return c;
		if (a->klen != b->klen)
			return a->klen < b->klen ? -1 : 1;
	}
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static long long table_rows(shodo_buf *b, sqlite3 *db, const struct rep_hostinfo *h, const char *sql, const char *spec,
                            int keyed)
{
	sqlite3_stmt *s = NULL;
	long long n = 0;
	cell_memo *memo = calloc(strlen(spec) + 1, sizeof(*memo));
	shodo_buf keys = SHODO_BUF_INIT, rows = SHODO_BUF_INIT;
	sort_row *sr = NULL;
	size_t nsr = 0, cap = 0;
	if (!memo || sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		goto out;
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (!keyed) {
			if (n++)
				put(b, ",", 1);
			row_text(b, s, 0, spec, h, memo);
			continue;
		}
		if (shodo_grow(&sr, &cap, nsr + 1) < 0) {
			b->failed = 1;
			break;
		}
		sort_row *r = &sr[nsr];
		int t = sqlite3_column_type(s, 0);
		r->type = t == SQLITE_NULL ? 0 : t == SQLITE_INTEGER || t == SQLITE_FLOAT ? 1 : t == SQLITE_TEXT ? 2 : 3;
		r->num = r->type == 1 ? sqlite3_column_double(s, 0) : 0;
		r->koff = keys.len;
		r->klen = 0;
		if (r->type >= 2) {
			const void *k = r->type == 2 ? (const void *)sqlite3_column_text(s, 0) : sqlite3_column_blob(s, 0);
			r->klen = (size_t)sqlite3_column_bytes(s, 0);
			if (r->klen)
				shodo_buf_add(&keys, k, r->klen);
		}
		r->roff = rows.len;
		row_text(&rows, s, 1, spec, h, memo);
		r->rlen = rows.len - r->roff;
		r->seq = nsr++;
	}
	sqlite3_finalize(s);
	if (keyed && !keys.failed && !rows.failed) {
		if (nsr)
			qsort_r(sr, nsr, sizeof(*sr), sort_cmp, keys.p);
		if (shodo_array_grow(&b->p, &b->cap, b->len + rows.len + nsr + 1, 1) < 0)
			b->failed = 1;
		for (size_t i = 0; i < nsr && !b->failed; i++) {
			if (i)
				put(b, ",", 1);
			put(b, rows.p + sr[i].roff, sr[i].rlen);
		}
		n = (long long)nsr;
	} else if (keyed) {
		b->failed = 1;
	}
out:
	if (memo)
		for (int i = 0; spec[i]; i++)
			shodo_buf_release(&memo[i].key);
	free(memo);
	free(sr);
	shodo_buf_release(&keys);
	shodo_buf_release(&rows);
	return n;
}

static long long table_json(shodo_buf *b, sqlite3 *db, const struct rep_hostinfo *h, const char *sql,
                            const char *const *heads, const char *spec, long long page, int keyed)
{
	int nc = (int)strlen(spec), k = 0;
	shodo_buf_adds(b, "{\"cols\":[");
	for (int i = 0; i < nc && heads[i]; i++) {
		json_t *j = json_string(heads[i]);   /* an invalid one was left out */
		if (!j)
			continue;
		if (k++)
			put(b, ",", 1);
		json_text_bytes(b, json_string_value(j), json_string_length(j));
		json_decref(j);
	}
	shodo_buf_adds(b, "],\"spec\":");
	page_json_str(b, spec);
	shodo_buf_adds(b, ",\"rows\":[");
	long long n = table_rows(b, db, h, sql, spec, keyed);
	put(b, "]", 1);
	if (page > 0) {
		shodo_buf_adds(b, ",\"page\":");
		json_text_int(b, page);
	}
	put(b, "}", 1);
	return n;
}

long long page_table_json(shodo_buf *b, sqlite3 *db, const struct rep_hostinfo *h, const char *sql,
                          const char *const *heads, const char *spec, long long page)
{
	return table_json(b, db, h, sql, heads, spec, page, 0);
}

long long page_table_json_sorted(shodo_buf *b, sqlite3 *db, const struct rep_hostinfo *h, const char *sql,
                                 const char *const *heads, const char *spec, long long page)
{
	return table_json(b, db, h, sql, heads, spec, page, 1);
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
