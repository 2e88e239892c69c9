/*
 * triage/scope/notes/detect.c — ransom-note detection: decoding, scoring, IOC extraction
 * and family attribution.  See notes.h for the method.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include "notes.h"

/* ------------------------------------------------------------------ */
/* a growable string                                                   */

typedef struct sbuf {
	char *p;
	size_t n, cap;
	int oom;
} sbuf;

static void sb_putn(sbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t c = b->cap ? b->cap : 256;
		while (c < b->n + n + 1)
			c *= 2;
		char *q = realloc(b->p, c);
		if (!q) {
			b->oom = 1;
			return;
		}
		b->p = q;
		b->cap = c;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = 0;
}

static void sb_putc(sbuf *b, char c) { sb_putn(b, &c, 1); }
static void sb_puts(sbuf *b, const char *s) { sb_putn(b, s, strlen(s)); }

static char *sb_take(sbuf *b)
{
	if (b->oom) {
		free(b->p);
		return NULL;
	}
	if (!b->p)
		return strdup("");
	return b->p;
}

static void sb_put_cp(sbuf *b, uint32_t cp)
{
	char u[4];
	if (cp < 0x80) {
		u[0] = (char)cp;
		sb_putn(b, u, 1);
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		sb_putn(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		sb_putn(b, u, 3);
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		sb_putn(b, u, 4);
	}
}

/* Decodes one UTF-8 sequence at s[*i]; returns the code point or -1 when
 * invalid (and advances by one byte). */
static int32_t utf8_next(const unsigned char *s, size_t n, size_t *i)
{
	unsigned c = s[*i];
	if (c < 0x80) {
		(*i)++;
		return (int32_t)c;
	}
	int len;
	uint32_t cp;
	if ((c & 0xE0) == 0xC0 && c >= 0xC2) {
		len = 2;
		cp = c & 0x1F;
	} else if ((c & 0xF0) == 0xE0) {
		len = 3;
		cp = c & 0x0F;
	} else if ((c & 0xF8) == 0xF0 && c <= 0xF4) {
		len = 4;
		cp = c & 0x07;
	} else {
		(*i)++;
		return -1;
	}
	if (*i + (size_t)len > n) {
		(*i)++;
		return -1;
	}
	for (int k = 1; k < len; k++) {
		unsigned d = s[*i + (size_t)k];
		if ((d & 0xC0) != 0x80) {
			(*i)++;
			return -1;
		}
		cp = (cp << 6) | (d & 0x3F);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF)) {
		(*i)++;
		return -1;
	}
	*i += (size_t)len;
	return (int32_t)cp;
}

/* windows-1252 0x80..0x9F */
static const uint16_t cp1252[32] = {
	0x20AC, 0x20, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
	0x0152, 0x20, 0x017D, 0x20, 0x20, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x20, 0x017E, 0x0178,
};

/* Normalises one code point into the text: controls to spaces, fullwidth
 * ASCII folded, zero-width characters dropped. */
static void put_text_cp(sbuf *b, uint32_t cp)
{
	if (cp == '\n' || cp == 0x2028 || cp == 0x2029 || cp == 0x85) {
		sb_putc(b, '\n');
		return;
	}
	if (cp == '\r')
		return;
	if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0xA0 || cp == 0x3000) {
		sb_putc(b, ' ');
		return;
	}
	if (cp == 0xFEFF || (cp >= 0x200B && cp <= 0x200F) || cp == 0xFFFD)
		return;
	if (cp >= 0xFF01 && cp <= 0xFF5E)
		cp -= 0xFEE0;
	if (cp == 0x2018 || cp == 0x2019 || cp == 0x02BC || cp == 0x00B4)
		cp = '\'';
	sb_put_cp(b, cp);
}

static int has_suffix_ci(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && !strcasecmp(s + a - b, suf);
}

/* bytes -> UTF-8 (no markup handling yet) */
static char *decode_bytes(const unsigned char *d, size_t n, const char **enc)
{
	sbuf b = {0};
	size_t i = 0;
	int mode = 0; /* 0 utf-8/ascii, 1 utf-16le, 2 utf-16be, 3 cp1252 */
	*enc = "ascii";
	if (n >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF) {
		i = 3;
		*enc = "utf-8-bom";
	} else if (n >= 2 && d[0] == 0xFF && d[1] == 0xFE) {
		i = 2;
		mode = 1;
		*enc = "utf-16le-bom";
	} else if (n >= 2 && d[0] == 0xFE && d[1] == 0xFF) {
		i = 2;
		mode = 2;
		*enc = "utf-16be-bom";
	} else if (n >= 4) {
		/* BOM-less UTF-16: text in Latin script has a zero in every other byte */
		size_t lim = n < 8192 ? n : 8192, z_even = 0, z_odd = 0;
		for (size_t k = 0; k + 1 < lim; k += 2) {
			z_even += d[k] == 0;
			z_odd += d[k + 1] == 0;
		}
		size_t pairs = lim / 2;
		if (z_odd * 10 > pairs * 3 && z_even * 20 < pairs) {
			mode = 1;
			*enc = "utf-16le";
		} else if (z_even * 10 > pairs * 3 && z_odd * 20 < pairs) {
			mode = 2;
			*enc = "utf-16be";
		}
	}
	if (mode == 0) {
		size_t bad = 0, high = 0;
		for (size_t k = i; k < n;) {
			if (d[k] >= 0x80)
				high++;
			if (utf8_next(d, n, &k) < 0 && k < n - 3)
				bad++;
		}
		if (bad)
			mode = 3, *enc = "cp1252";
		else if (high && !strcmp(*enc, "ascii"))
			*enc = "utf-8";
	}
	if (mode == 1 || mode == 2) {
		for (; i + 1 < n; i += 2) {
			uint32_t u = mode == 1 ? (uint32_t)(d[i] | d[i + 1] << 8) : (uint32_t)(d[i] << 8 | d[i + 1]);
			if (u >= 0xD800 && u <= 0xDBFF && i + 3 < n) {
				uint32_t l = mode == 1 ? (uint32_t)(d[i + 2] | d[i + 3] << 8)
				                       : (uint32_t)(d[i + 2] << 8 | d[i + 3]);
				if (l >= 0xDC00 && l <= 0xDFFF) {
					u = 0x10000 + ((u - 0xD800) << 10) + (l - 0xDC00);
					i += 2;
				}
			}
			if (u >= 0xD800 && u <= 0xDFFF)
				u = 0xFFFD;
			put_text_cp(&b, u);
		}
	} else if (mode == 3) {
		for (; i < n; i++) {
			uint32_t u = d[i];
			if (u >= 0x80 && u < 0xA0)
				u = cp1252[u - 0x80];
			put_text_cp(&b, u);
		}
	} else {
		while (i < n) {
			int32_t cp = utf8_next(d, n, &i);
			put_text_cp(&b, cp < 0 ? 0xFFFD : (uint32_t)cp);
		}
	}
	return sb_take(&b);
}

/* ------------------------------------------------------------------ */
/* markup                                                              */

static int starts_ci(const char *s, const char *p)
{
	return !strncasecmp(s, p, strlen(p));
}

static int looks_html(const char *t, const char *name)
{
	if (name && (has_suffix_ci(name, ".htm") || has_suffix_ci(name, ".html") || has_suffix_ci(name, ".hta") ||
	             has_suffix_ci(name, ".xhtml") || has_suffix_ci(name, ".mht")))
		return 1;
	static const char *const tags[] = {"<html", "<!doctype html", "<body", "<head", "<hta:", "<div",
	                                   "<p>", "<br", "<font", "<span", "<table", "<script", "<center",
	                                   "<title", "<meta", NULL};
	for (size_t k = 0; t[k] && k < 4096; k++) {
		if (t[k] != '<')
			continue;
		for (int j = 0; tags[j]; j++)
			if (starts_ci(t + k, tags[j]))
				return 1;
	}
	return 0;
}

static const struct {
	const char *name;
	uint32_t cp;
} entities[] = {
	{"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}, {"nbsp", ' '},
	{"copy", 0xA9}, {"reg", 0xAE}, {"hellip", 0x2026}, {"mdash", 0x2014}, {"ndash", 0x2013},
	{"laquo", 0xAB}, {"raquo", 0xBB}, {"rsquo", '\''}, {"lsquo", '\''}, {"ldquo", '"'}, {"rdquo", '"'},
	{"commat", '@'}, {"period", '.'}, {"colon", ':'}, {"sol", '/'}, {"bull", 0x2022}, {"euro", 0x20AC},
};

/* At t (just after '&'): decodes an entity; returns bytes consumed (0 = not one). */
static size_t html_entity(const char *t, uint32_t *cp)
{
	size_t k = 0;
	if (t[0] == '#') {
		unsigned long v = 0;
		int hex = t[1] == 'x' || t[1] == 'X';
		k = hex ? 2 : 1;
		size_t st = k;
		while (t[k] && (hex ? isxdigit((unsigned char)t[k]) : isdigit((unsigned char)t[k])) && k < 12) {
			v = v * (hex ? 16 : 10) + (unsigned long)(isdigit((unsigned char)t[k]) ? t[k] - '0'
			                                          : (tolower((unsigned char)t[k]) - 'a' + 10));
			k++;
		}
		if (k == st || v > 0x10FFFF)
			return 0;
		*cp = (uint32_t)v;
		return t[k] == ';' ? k + 1 : k;
	}
	for (size_t e = 0; e < sizeof(entities) / sizeof(entities[0]); e++) {
		size_t l = strlen(entities[e].name);
		if (!strncmp(t, entities[e].name, l) && t[l] == ';') {
			*cp = entities[e].cp;
			return l + 1;
		}
	}
	return 0;
}

static char *strip_html(const char *t)
{
	sbuf b = {0};
	static const char *const blocks[] = {"br", "p", "div", "li", "tr", "td", "h1", "h2", "h3", "h4", "h5",
	                                     "h6", "title", "table", "center", "ul", "ol", "hr", "pre", NULL};
	for (size_t i = 0; t[i];) {
		if (t[i] == '<') {
			if (!strncmp(t + i, "<!--", 4)) {
				const char *e = strstr(t + i + 4, "-->");
				i = e ? (size_t)(e - t) + 3 : strlen(t);
				continue;
			}
			if (starts_ci(t + i, "<style")) {
				const char *e = strcasestr(t + i, "</style");
				i = e ? (size_t)(e - t) : strlen(t);
				if (!e)
					continue;
			}
			size_t j = i + 1;
			if (t[j] == '/')
				j++;
			size_t ns = j;
			while (isalnum((unsigned char)t[j]))
				j++;
			int block = 0;
			for (int k = 0; blocks[k]; k++)
				if (j - ns == strlen(blocks[k]) && !strncasecmp(t + ns, blocks[k], j - ns))
					block = 1;
			if (j == ns && t[j] != '!' && t[j] != '?') {
				/* a lone '<' in text */
				sb_putc(&b, '<');
				i++;
				continue;
			}
			/* skip to the end of the tag, honouring quotes */
			char q = 0;
			while (t[j] && (q || t[j] != '>')) {
				if (q && (t[j] == q || t[j] == '\n'))
					q = 0;
				else if (!q && (t[j] == '"' || t[j] == '\''))
					q = t[j];
				j++;
			}
			i = t[j] ? j + 1 : j;
			sb_putc(&b, block ? '\n' : ' ');
			continue;
		}
		if (t[i] == '&') {
			uint32_t cp;
			size_t l = html_entity(t + i + 1, &cp);
			if (l) {
				put_text_cp(&b, cp);
				i += 1 + l;
				continue;
			}
		}
		sb_putc(&b, t[i]);
		i++;
	}
	return sb_take(&b);
}

/* RTF: keeps text, turns \par into newlines, decodes \'hh (cp1252) and \uN,
 * drops destinations (font and colour tables, \* groups, pictures). */
static char *strip_rtf(const char *t)
{
	sbuf b = {0};
	int depth = 0, skip_depth = -1, uc = 1, pending_skip = 0;
	for (size_t i = 0; t[i];) {
		char c = t[i];
		if (c == '{') {
			depth++;
			i++;
			if (skip_depth < 0 && t[i] == '\\' && t[i + 1] == '*')
				skip_depth = depth;
			continue;
		}
		if (c == '}') {
			if (skip_depth == depth)
				skip_depth = -1;
			depth--;
			i++;
			continue;
		}
		if (c == '\\') {
			char d = t[i + 1];
			if (d == '\\' || d == '{' || d == '}') {
				if (skip_depth < 0)
					sb_putc(&b, d);
				i += 2;
				continue;
			}
			if (d == '\'') {
				unsigned v = 0;
				if (isxdigit((unsigned char)t[i + 2]) && isxdigit((unsigned char)t[i + 3])) {
					sscanf(t + i + 2, "%2x", &v);
					i += 4;
				} else {
					i += 2;
				}
				if (pending_skip > 0) {
					pending_skip--;
					continue;
				}
				if (skip_depth < 0 && v)
					put_text_cp(&b, v >= 0x80 && v < 0xA0 ? cp1252[v - 0x80] : v);
				continue;
			}
			size_t j = i + 1;
			char word[32];
			size_t wl = 0;
			while (isalpha((unsigned char)t[j]) && wl < sizeof(word) - 1)
				word[wl++] = t[j++];
			word[wl] = 0;
			while (isalpha((unsigned char)t[j]))
				j++;
			long param = 0;
			int has_param = 0, neg = 0;
			if (t[j] == '-') {
				neg = 1;
				j++;
			}
			while (isdigit((unsigned char)t[j])) {
				if (param < 10000000)
					param = param * 10 + (t[j] - '0');
				has_param = 1;
				j++;
			}
			if (neg)
				param = -param;
			if (t[j] == ' ')
				j++;
			i = wl ? j : i + 2;
			if (!wl)
				continue;
			if (!strcmp(word, "fonttbl") || !strcmp(word, "colortbl") || !strcmp(word, "stylesheet") ||
			    !strcmp(word, "info") || !strcmp(word, "pict") || !strcmp(word, "header") ||
			    !strcmp(word, "footer") || !strcmp(word, "listtable") || !strcmp(word, "xmlnstbl")) {
				if (skip_depth < 0)
					skip_depth = depth;
			} else if (skip_depth >= 0) {
				continue;
			} else if (!strcmp(word, "par") || !strcmp(word, "line") || !strcmp(word, "row")) {
				sb_putc(&b, '\n');
			} else if (!strcmp(word, "tab") || !strcmp(word, "cell")) {
				sb_putc(&b, ' ');
			} else if (!strcmp(word, "uc") && has_param) {
				uc = (int)param;
			} else if (!strcmp(word, "u") && has_param) {
				long v = param < 0 ? param + 65536 : param;
				put_text_cp(&b, (uint32_t)v);
				pending_skip = uc;
			}
			continue;
		}
		if (c == '\r' || c == '\n') {
			i++;
			continue;
		}
		if (pending_skip > 0) {
			pending_skip--;
			i++;
			continue;
		}
		if (skip_depth < 0)
			sb_putc(&b, c);
		i++;
	}
	return sb_take(&b);
}

char *shodo_note_text(const unsigned char *data, size_t n, const char *name, const char **encoding)
{
	const char *enc = "ascii";
	char *t = decode_bytes(data, n, &enc);
	if (encoding)
		*encoding = enc;
	if (!t)
		return NULL;
	const char *s = t;
	while (*s == ' ' || *s == '\n')
		s++;
	char *r = NULL;
	if (!strncmp(s, "{\\rtf", 5)) {
		r = strip_rtf(s);
		if (encoding)
			*encoding = "rtf";
	} else if (looks_html(t, name)) {
		r = strip_html(t);
	} else {
		return t;
	}
	free(t);
	return r;
}

/* Lower-cases ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic, and
 * collapses white space, so that phrases match across line breaks. */
static char *fold_text(const char *t)
{
	sbuf b = {0};
	size_t n = strlen(t), i = 0;
	int space = 1;
	while (i < n) {
		int32_t c = utf8_next((const unsigned char *)t, n, &i);
		if (c < 0)
			continue;
		uint32_t cp = (uint32_t)c;
		if (cp == ' ' || cp == '\n' || cp == '\t') {
			if (!space)
				sb_putc(&b, ' ');
			space = 1;
			continue;
		}
		space = 0;
		if (cp >= 'A' && cp <= 'Z')
			cp += 32;
		else if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
			cp += 32;
		else if (cp == 0x130)
			cp = 'i';
		else if ((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177))
			cp |= 1;
		else if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
			cp += (cp & 1);
		else if (cp >= 0x391 && cp <= 0x3A9)
			cp += 32;
		else if (cp >= 0x410 && cp <= 0x42F)
			cp += 32;
		else if (cp >= 0x400 && cp <= 0x40F)
			cp += 80;
		sb_put_cp(&b, cp);
	}
	return sb_take(&b);
}

/* ------------------------------------------------------------------ */
/* IOC validation                                                      */

static const char b58[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

static int b58_val(char c)
{
	const char *p = c ? strchr(b58, c) : NULL;
	return p ? (int)(p - b58) : -1;
}

static void sha256(const unsigned char *in, size_t n, unsigned char out[32])
{
	unsigned int l = 32;
	EVP_Digest(in, n, out, &l, EVP_sha256(), NULL);
}

static int base58check_ok(const char *s, size_t len)
{
	unsigned char bin[25];
	if (len < 26 || len > 35)
		return 0;
	memset(bin, 0, sizeof(bin));
	for (size_t i = 0; i < len; i++) {
		int v = b58_val(s[i]);
		if (v < 0)
			return 0;
		unsigned carry = (unsigned)v;
		for (int k = 24; k >= 0; k--) {
			carry += 58u * bin[k];
			bin[k] = (unsigned char)(carry & 0xFF);
			carry >>= 8;
		}
		if (carry)
			return 0; /* more than 25 bytes */
	}
	/* leading '1's are leading zero bytes: the count must agree */
	size_t ones = 0;
	while (ones < len && s[ones] == '1')
		ones++;
	size_t zeros = 0;
	while (zeros < 25 && bin[zeros] == 0)
		zeros++;
	if (ones != zeros)
		return 0;
	unsigned char h1[32], h2[32];
	sha256(bin, 21, h1);
	sha256(h1, 32, h2);
	if (memcmp(h2, bin + 21, 4))
		return 0;
	/* version byte: 0x00 P2PKH ('1'), 0x05 P2SH ('3') */
	return bin[0] == 0x00 || bin[0] == 0x05;
}

static uint32_t bech32_polymod(const unsigned char *v, size_t n)
{
	static const uint32_t g[5] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
	uint32_t chk = 1;
	for (size_t i = 0; i < n; i++) {
		uint32_t top = chk >> 25;
		chk = ((chk & 0x1ffffff) << 5) ^ v[i];
		for (int k = 0; k < 5; k++)
			if ((top >> k) & 1)
				chk ^= g[k];
	}
	return chk;
}

static int bech32_ok(const char *s, size_t len)
{
	static const char cs[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
	if (len < 14 || len > 90 || strncasecmp(s, "bc1", 3))
		return 0;
	int upper = 0, lower = 0;
	unsigned char v[96];
	size_t nv = 0;
	/* expanded hrp "bc" */
	v[nv++] = 'b' >> 5;
	v[nv++] = 'c' >> 5;
	v[nv++] = 0;
	v[nv++] = 'b' & 31;
	v[nv++] = 'c' & 31;
	for (size_t i = 3; i < len; i++) {
		char c = s[i];
		if (isupper((unsigned char)c))
			upper = 1;
		if (islower((unsigned char)c))
			lower = 1;
		const char *p = strchr(cs, tolower((unsigned char)c));
		if (!p || !c)
			return 0;
		v[nv++] = (unsigned char)(p - cs);
	}
	if (upper && lower)
		return 0;
	size_t ndata = len - 3;
	if (ndata < 7)
		return 0;
	uint32_t pm = bech32_polymod(v, nv);
	int witver = v[5];
	if (witver == 0 && pm != 1)
		return 0;
	if (witver != 0 && pm != 0x2bc830a3)
		return 0;
	if (witver > 16)
		return 0;
	/* program length: (ndata - 1 - 6) * 5 / 8 bytes */
	size_t plen = (ndata - 7) * 5 / 8;
	if (plen < 2 || plen > 40 || (witver == 0 && plen != 20 && plen != 32))
		return 0;
	return 1;
}

int shodo_btc_valid(const char *a, size_t len)
{
	if (len >= 3 && !strncasecmp(a, "bc1", 3))
		return bech32_ok(a, len);
	if (len && (a[0] == '1' || a[0] == '3'))
		return base58check_ok(a, len);
	return 0;
}

static int b32_val(char c)
{
	if (c >= 'a' && c <= 'z')
		return c - 'a';
	if (c >= '2' && c <= '7')
		return c - '2' + 26;
	return -1;
}

int shodo_onion_valid(const char *h, size_t len)
{
	if (len < 7 || strncasecmp(h + len - 6, ".onion", 6))
		return 0;
	size_t n = len - 6;
	char l[64];
	if (n != 16 && n != 56)
		return 0;
	for (size_t i = 0; i < n; i++) {
		l[i] = (char)tolower((unsigned char)h[i]);
		if (b32_val(l[i]) < 0)
			return 0;
	}
	if (n == 16)
		return 2;
	/* v3: base32(pubkey[32] | checksum[2] | version[1]), checksum =
	 * SHA3-256(".onion checksum" | pubkey | version)[:2] */
	unsigned char raw[35];
	uint64_t acc = 0;
	int bits = 0;
	size_t o = 0;
	for (size_t i = 0; i < 56; i++) {
		acc = (acc << 5) | (uint64_t)b32_val(l[i]);
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			if (o < sizeof(raw))
				raw[o++] = (unsigned char)(acc >> bits);
		}
	}
	if (o != 35 || raw[34] != 3)
		return 0;
	unsigned char in[15 + 32 + 1], md[64];
	unsigned int ml = 0;
	memcpy(in, ".onion checksum", 15);
	memcpy(in + 15, raw, 32);
	in[47] = 3;
	if (EVP_Digest(in, sizeof(in), md, &ml, EVP_sha3_256(), NULL) != 1)
		return 0;
	return md[0] == raw[32] && md[1] == raw[33] ? 3 : 0;
}

static int hexv(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int shodo_tox_valid(const char *s, size_t len)
{
	if (len != 76)
		return 0;
	unsigned char b[38];
	for (int i = 0; i < 38; i++) {
		int hi = hexv(s[2 * i]), lo = hexv(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return 0;
		b[i] = (unsigned char)(hi << 4 | lo);
	}
	unsigned char c0 = 0, c1 = 0;
	for (int i = 0; i < 36; i += 2) {
		c0 ^= b[i];
		c1 ^= b[i + 1];
	}
	return c0 == b[36] && c1 == b[37];
}

/* ------------------------------------------------------------------ */
/* extraction                                                          */

static int list_add(char **list, const char *v, size_t n)
{
	size_t have = *list ? strlen(*list) : 0;
	if (*list) {
		/* de-duplicate (case-insensitively) */
		const char *p = *list;
		while (*p) {
			const char *e = strchr(p, ' ');
			size_t l = e ? (size_t)(e - p) : strlen(p);
			if (l == n && !strncasecmp(p, v, n))
				return 0;
			p += l;
			while (*p == ' ')
				p++;
		}
	}
	if (have > 8000)
		return 0; /* enough for a report */
	char *q = realloc(*list, have + n + 2);
	if (!q)
		return -1;
	if (have)
		q[have++] = ' ';
	memcpy(q + have, v, n);
	q[have + n] = 0;
	*list = q;
	return 0;
}

static int is_b58(char c) { return c && strchr(b58, c) != NULL; }
static int is_alnum(char c) { return isalnum((unsigned char)c); }
static int is_email_local(char c) { return is_alnum(c) || (c && strchr("._%+-", c)); }
static int is_dom(char c) { return is_alnum(c) || c == '-' || c == '.'; }

/* A copy of text where obfuscated e-mail forms ("name [at] host [dot] com",
 * "(at)", "{at}", "[@]") are written out. */
static char *deobfuscate(const char *t)
{
	sbuf b = {0};
	static const struct {
		const char *from, *to;
	} rep[] = {
		{" [at] ", "@"}, {" (at) ", "@"}, {" {at} ", "@"}, {"[at]", "@"}, {"(at)", "@"}, {"{at}", "@"},
		{"[@]", "@"}, {"(@)", "@"}, {" [dot] ", "."}, {" (dot) ", "."}, {"[dot]", "."}, {"(dot)", "."},
		{"{dot}", "."}, {"[.]", "."}, {"(.)", "."},
	};
	for (size_t i = 0; t[i];) {
		int done = 0;
		if (t[i] == '[' || t[i] == '(' || t[i] == '{' || t[i] == ' ') {
			for (size_t r = 0; r < sizeof(rep) / sizeof(rep[0]); r++) {
				size_t l = strlen(rep[r].from);
				if (!strncasecmp(t + i, rep[r].from, l)) {
					sb_puts(&b, rep[r].to);
					i += l;
					done = 1;
					break;
				}
			}
		}
		if (!done)
			sb_putc(&b, t[i++]);
	}
	return sb_take(&b);
}

int shodo_note_extract(const char *text, shodo_note *r)
{
	char *t = deobfuscate(text);
	if (!t)
		return -1;
	size_t n = strlen(t);
	int rc = 0;
	char buf[512];
	for (size_t i = 0; i < n && rc == 0; i++) {
		char c = t[i];
		/* e-mail */
		if (c == '@' && i > 0) {
			size_t s = i;
			while (s > 0 && is_email_local(t[s - 1]) && i - s < 64)
				s--;
			while (s < i && (t[s] == '.' || t[s] == '-'))
				s++;
			size_t e = i + 1;
			while (e < n && is_dom(t[e]) && e - i < 255)
				e++;
			while (e > i + 1 && (t[e - 1] == '.' || t[e - 1] == '-'))
				e--;
			/* the domain needs a dot and an alphabetic TLD of 2+ */
			size_t dot = e;
			while (dot > i + 1 && t[dot - 1] != '.')
				dot--;
			int tld_ok = dot > i + 2 && e - dot >= 2 && e - dot <= 24;
			for (size_t k = dot; k < e && tld_ok; k++)
				if (!isalpha((unsigned char)t[k]))
					tld_ok = 0;
			if (s < i && tld_ok && e - s < sizeof(buf)) {
				for (size_t k = s; k < e; k++)
					buf[k - s] = (char)tolower((unsigned char)t[k]);
				buf[e - s] = 0;
				if (!has_suffix_ci(buf, ".onion"))
					rc = list_add(&r->emails, buf, e - s);
			}
			continue;
		}
		if (i > 0 && is_alnum(t[i - 1]))
			continue; /* tokens start at a word boundary */
		/* onion host */
		if (b32_val((char)tolower((unsigned char)c)) >= 0) {
			size_t e = i;
			while (e < n && b32_val((char)tolower((unsigned char)t[e])) >= 0 && e - i < 60)
				e++;
			if ((e - i == 16 || e - i == 56) && e + 6 <= n && !strncasecmp(t + e, ".onion", 6) &&
			    (e + 6 == n || !is_alnum(t[e + 6]))) {
				if (shodo_onion_valid(t + i, e + 6 - i)) {
					for (size_t k = i; k < e + 6; k++)
						buf[k - i] = (char)tolower((unsigned char)t[k]);
					rc = list_add(&r->onions, buf, e + 6 - i);
				}
				i = e + 5;
				continue;
			}
		}
		/* hex runs: Tox IDs (76), Session IDs (66, "05...") */
		if (hexv(c) >= 0) {
			size_t e = i;
			while (e < n && hexv(t[e]) >= 0)
				e++;
			if (e - i >= 66 && (e >= n || !is_alnum(t[e]))) {
				if (e - i == 76 && shodo_tox_valid(t + i, 76)) {
					for (size_t k = i; k < e; k++)
						buf[k - i] = (char)toupper((unsigned char)t[k]);
					rc = list_add(&r->tox, buf, 76);
				} else if (e - i == 66 && t[i] == '0' && t[i + 1] == '5') {
					for (size_t k = i; k < e; k++)
						buf[k - i] = (char)tolower((unsigned char)t[k]);
					rc = list_add(&r->session, buf, 66);
				}
				i = e - 1;
				continue;
			}
		}
		/* bitcoin bech32 */
		if ((c == 'b' || c == 'B') && !strncasecmp(t + i, "bc1", 3)) {
			size_t e = i + 3;
			while (e < n && is_alnum(t[e]) && e - i < 95)
				e++;
			if (shodo_btc_valid(t + i, e - i)) {
				for (size_t k = i; k < e; k++)
					buf[k - i] = (char)tolower((unsigned char)t[k]);
				rc = list_add(&r->btc, buf, e - i);
				i = e - 1;
				continue;
			}
		}
		/* base58: bitcoin 1.../3..., Monero 4.../8... (95 chars) */
		if (c == '1' || c == '3' || c == '4' || c == '8') {
			size_t e = i;
			while (e < n && is_b58(t[e]) && e - i < 110)
				e++;
			if (e < n && is_alnum(t[e]))
				continue;
			if ((c == '1' || c == '3') && e - i >= 26 && e - i <= 35 && shodo_btc_valid(t + i, e - i)) {
				memcpy(buf, t + i, e - i);
				rc = list_add(&r->btc, buf, e - i);
				i = e - 1;
			} else if ((c == '4' || c == '8') && (e - i == 95 || e - i == 106)) {
				memcpy(buf, t + i, e - i);
				rc = list_add(&r->xmr, buf, e - i);
				i = e - 1;
			}
			continue;
		}
		/* URLs (not onion ones, which are listed above) */
		if ((c == 'h' || c == 'H') && (!strncasecmp(t + i, "http://", 7) || !strncasecmp(t + i, "https://", 8))) {
			size_t e = i;
			while (e < n && !isspace((unsigned char)t[e]) && t[e] != '"' && t[e] != '\'' && t[e] != '<' &&
			       t[e] != '>' && t[e] != ')' && e - i < 300)
				e++;
			while (e > i && (t[e - 1] == '.' || t[e - 1] == ','))
				e--;
			size_t hs = i + (t[i + 4] == 's' || t[i + 4] == 'S' ? 8 : 7), he = hs;
			while (he < e && t[he] != '/' && t[he] != ':' && t[he] != '?')
				he++;
			int onion = he - hs > 6 && !strncasecmp(t + he - 6, ".onion", 6);
			if (!onion && he > hs && e - i < sizeof(buf)) {
				memcpy(buf, t + i, e - i);
				rc = list_add(&r->urls, buf, e - i);
			}
		}
	}
	free(t);
	return rc;
}

/* ------------------------------------------------------------------ */
/* scoring                                                             */

enum { G_CRYPT, G_VICTIM, G_PAY, G_CONTACT, G_THREAT, G_WARN, G_ID, G_TEST, G_BENIGN, NGROUPS };
static const int group_cap[NGROUPS] = {30, 15, 20, 15, 15, 15, 10, 10, 40};
static const char *const group_name[NGROUPS] = {"encryption", "victim", "payment", "contact", "threat",
                                                "warnings", "id", "test-decrypt", "benign"};

typedef struct feature {
	const char *pat;
	signed char w;
	unsigned char grp;
} feature;

/* Matched as substrings of the folded text (lower case, single spaces). */
static const feature features[] = {
	/* the files are encrypted (state + victim) */
	{"have been encrypted", 18, G_CRYPT}, {"has been encrypted", 18, G_CRYPT},
	{"were encrypted", 15, G_CRYPT}, {"are encrypted", 15, G_CRYPT}, {"is encrypted", 10, G_CRYPT},
	{"been encrypted", 10, G_CRYPT}, {"was encrypted", 12, G_CRYPT}, {"encrypted by", 8, G_CRYPT},
	{"been locked", 12, G_CRYPT}, {"are locked", 10, G_CRYPT}, {"is locked", 6, G_CRYPT},
	{"were locked", 10, G_CRYPT}, {"has been locked", 8, G_CRYPT}, {"(crypted)", 10, G_CRYPT},
	{"crypted", 6, G_CRYPT}, {"encrypted", 6, G_CRYPT}, {"encryption", 4, G_CRYPT},
	{"decrypt", 8, G_CRYPT}, {"decryptor", 6, G_CRYPT}, {"decrypter", 6, G_CRYPT},
	{"decryption key", 8, G_CRYPT}, {"decryption tool", 8, G_CRYPT}, {"decryption software", 8, G_CRYPT},
	{"restore your files", 12, G_CRYPT}, {"restore your data", 12, G_CRYPT},
	{"recover your files", 12, G_CRYPT}, {"recover your data", 12, G_CRYPT},
	{"return your files", 12, G_CRYPT}, {"return your data", 12, G_CRYPT},
	{"get your files back", 12, G_CRYPT}, {"get your data back", 12, G_CRYPT},
	{"unlock your", 8, G_CRYPT}, {"ransomware", 12, G_CRYPT}, {"ransom", 6, G_CRYPT},
	{"been hacked", 10, G_CRYPT}, {"were hacked", 10, G_CRYPT}, {"been breached", 8, G_CRYPT},
	{"been compromised", 6, G_CRYPT}, {"been accessed", 8, G_CRYPT}, {"hacked you", 10, G_CRYPT},
	{"we hacked", 10, G_CRYPT}, {"we breached", 10, G_CRYPT}, {"intrusion", 3, G_CRYPT}, {"been penetrated", 10, G_CRYPT}, {"been attacked", 8, G_CRYPT},
	/* de fr es it pt nl pl tr ru uk ja zh ko */
	{"verschlüsselt", 12, G_CRYPT}, {"entschlüssel", 10, G_CRYPT}, {"chiffrés", 10, G_CRYPT},
	{"cryptés", 10, G_CRYPT}, {"déchiffr", 8, G_CRYPT}, {"décrypt", 8, G_CRYPT}, {"cifrados", 10, G_CRYPT},
	{"encriptados", 10, G_CRYPT}, {"descifrar", 8, G_CRYPT}, {"crittografat", 10, G_CRYPT},
	{"criptografados", 10, G_CRYPT}, {"descriptograf", 8, G_CRYPT}, {"versleuteld", 10, G_CRYPT},
	{"zaszyfrowan", 10, G_CRYPT}, {"odszyfrow", 8, G_CRYPT}, {"şifrelendi", 10, G_CRYPT},
	{"зашифрован", 12, G_CRYPT}, {"расшифров", 8, G_CRYPT}, {"дешифр", 8, G_CRYPT},
	{"暗号化", 12, G_CRYPT}, {"復号", 10, G_CRYPT}, {"復元", 6, G_CRYPT}, {"加密", 10, G_CRYPT},
	{"解密", 10, G_CRYPT}, {"암호화", 12, G_CRYPT}, {"복호화", 10, G_CRYPT},
	{"lösegeld", 10, G_PAY}, {"rançon", 10, G_PAY}, {"rescate", 6, G_PAY}, {"riscatto", 8, G_PAY},
	{"resgate", 6, G_PAY}, {"losgeld", 10, G_PAY}, {"okup", 4, G_PAY}, {"fidye", 8, G_PAY},
	{"выкуп", 10, G_PAY}, {"身代金", 12, G_PAY}, {"ビットコイン", 10, G_PAY}, {"支払", 6, G_PAY},
	{"赎金", 12, G_PAY}, {"比特币", 10, G_PAY}, {"비트코인", 10, G_PAY}, {"биткоин", 10, G_PAY},
	{"ihre dateien", 8, G_VICTIM}, {"vos fichiers", 8, G_VICTIM}, {"sus archivos", 8, G_VICTIM},
	{"i tuoi file", 8, G_VICTIM}, {"seus arquivos", 8, G_VICTIM}, {"uw bestanden", 8, G_VICTIM},
	{"twoje pliki", 8, G_VICTIM}, {"dosyalarınız", 8, G_VICTIM}, {"ваши файлы", 8, G_VICTIM},
	{"あなたのファイル", 10, G_VICTIM}, {"ファイル", 4, G_VICTIM}, {"您的文件", 10, G_VICTIM},
	{"파일", 4, G_VICTIM}, {"連絡", 4, G_CONTACT}, {"联系", 4, G_CONTACT},
	/* victim addressed */
	{"your files", 8, G_VICTIM}, {"your data", 6, G_VICTIM}, {"your network", 8, G_VICTIM},
	{"your company", 6, G_VICTIM}, {"your documents", 6, G_VICTIM}, {"your servers", 6, G_VICTIM},
	{"your computer", 4, G_VICTIM}, {"your systems", 5, G_VICTIM}, {"your infrastructure", 5, G_VICTIM},
	{"all your", 5, G_VICTIM}, {"all of your", 5, G_VICTIM}, {"your important files", 8, G_VICTIM},
	{"your personal", 3, G_VICTIM}, {"your sensitive", 6, G_VICTIM}, {"your confidential", 6, G_VICTIM},
	/* payment */
	{"bitcoin", 8, G_PAY}, {"btc", 6, G_PAY}, {"monero", 8, G_PAY}, {"xmr", 4, G_PAY},
	{"cryptocurrency", 5, G_PAY}, {"payment", 6, G_PAY}, {"pay us", 8, G_PAY}, {"pay for", 4, G_PAY},
	{"to pay", 4, G_PAY}, {"the price", 5, G_PAY}, {"price", 3, G_PAY}, {"discount", 5, G_PAY},
	{"wallet", 4, G_PAY}, {"amount", 2, G_PAY}, {"usd", 2, G_PAY}, {"$", 1, G_PAY},
	/* contact */
	{"contact us", 8, G_CONTACT}, {"write to us", 8, G_CONTACT}, {"write us", 8, G_CONTACT},
	{"email us", 6, G_CONTACT}, {"e-mail us", 6, G_CONTACT}, {"send us", 5, G_CONTACT},
	{"our email", 6, G_CONTACT}, {"our e-mail", 6, G_CONTACT}, {"tor browser", 10, G_CONTACT},
	{"torproject.org", 8, G_CONTACT}, {".onion", 6, G_CONTACT}, {"qtox", 8, G_CONTACT},
	{"tox id", 8, G_CONTACT}, {"tox chat", 8, G_CONTACT}, {"jabber", 4, G_CONTACT},
	{"session messenger", 6, G_CONTACT}, {"getsession.org", 8, G_CONTACT}, {"chat", 3, G_CONTACT},
	{"negotiat", 6, G_CONTACT}, {"live chat", 4, G_CONTACT}, {"our support", 5, G_CONTACT},
	{"contact", 2, G_CONTACT}, {"use tor", 8, G_CONTACT}, {"via tor", 8, G_CONTACT}, {"in the subject", 4, G_CONTACT}, {"telegram", 3, G_CONTACT},
	/* threat: exfiltration, deadline */
	{"leak", 5, G_THREAT}, {"publish", 5, G_THREAT}, {"stolen", 6, G_THREAT}, {"exfiltrat", 8, G_THREAT},
	{"we have downloaded", 10, G_THREAT}, {"we downloaded", 10, G_THREAT}, {"have been downloaded", 8, G_THREAT},
	{"we have stolen", 10, G_THREAT}, {"in our possession", 8, G_THREAT}, {"leak site", 8, G_THREAT},
	{"your ceo", 4, G_THREAT}, {"your management", 3, G_THREAT}, {"data breach", 4, G_THREAT}, {"deadline", 5, G_THREAT},
	{"hours", 2, G_THREAT}, {"permanently", 4, G_THREAT}, {"lost forever", 6, G_THREAT},
	{"irreversibl", 4, G_THREAT}, {"data loss", 3, G_THREAT}, {"double price", 8, G_THREAT},
	{"price will", 6, G_THREAT}, {"our blog", 6, G_THREAT}, {"sell", 3, G_THREAT},
	{"journalists", 5, G_THREAT}, {"competitors", 4, G_THREAT}, {"regulator", 3, G_THREAT},
	/* warnings */
	{"do not rename", 10, G_WARN}, {"don't rename", 10, G_WARN}, {"do not modify", 8, G_WARN},
	{"don't modify", 8, G_WARN}, {"do not try to", 6, G_WARN}, {"don't try to", 6, G_WARN},
	{"do not delete", 5, G_WARN}, {"don't delete", 5, G_WARN}, {"third-party", 4, G_WARN},
	{"third party", 4, G_WARN}, {"recovery software", 6, G_WARN}, {"recovery companies", 8, G_WARN},
	{"data recovery", 4, G_WARN}, {"antivirus", 3, G_WARN}, {"do not contact", 5, G_WARN},
	{"do not turn off", 5, G_WARN}, {"do not touch", 5, G_WARN}, {"do not reboot", 5, G_WARN},
	{"do not shut", 5, G_WARN}, {"do not reset", 5, G_WARN}, {"police", 3, G_WARN}, {"fbi", 3, G_WARN},
	{"law enforcement", 3, G_WARN}, {"damage", 2, G_WARN}, {"don't panic", 4, G_WARN},
	/* ID and key */
	{"personal id", 8, G_ID}, {"your id", 6, G_ID}, {"unique id", 6, G_ID}, {"your key", 5, G_ID},
	{"private key", 4, G_ID}, {"personal key", 8, G_ID}, {"decryption id", 8, G_ID}, {"key:", 2, G_ID},
	{"id:", 2, G_ID}, {"access key", 4, G_ID}, {"login", 1, G_ID}, {"token", 2, G_ID},
	/* proof: free test decryption */
	{"for free", 5, G_TEST}, {"free decrypt", 8, G_TEST}, {"test decrypt", 8, G_TEST},
	{"decrypt one", 6, G_TEST}, {"decrypt 1", 6, G_TEST}, {"decrypt 2", 6, G_TEST}, {"guarantee", 4, G_TEST},
	{"proof", 3, G_TEST}, {"test file", 4, G_TEST}, {"free of charge", 4, G_TEST},
	/* text that ransom notes do not contain */
	{"copyright", -10, G_BENIGN}, {"warranty", -10, G_BENIGN}, {"license", -8, G_BENIGN},
	{"licence", -8, G_BENIGN}, {"#include", -10, G_BENIGN}, {"synopsis", -8, G_BENIGN},
	{"changelog", -8, G_BENIGN}, {"debian", -8, G_BENIGN}, {"makefile", -6, G_BENIGN},
	{"./configure", -6, G_BENIGN}, {"upstream", -6, G_BENIGN}, {"maintainer", -6, G_BENIGN},
	{"documentation", -5, G_BENIGN}, {"man page", -6, G_BENIGN}, {"deprecated", -6, G_BENIGN},
	{"command line", -5, G_BENIGN}, {"command-line", -5, G_BENIGN}, {"source code", -4, G_BENIGN},
	{"compile", -5, G_BENIGN}, {"librar", -4, G_BENIGN}, {"package", -3, G_BENIGN},
	{"patch", -4, G_BENIGN}, {"bug report", -6, G_BENIGN}, {"release", -3, G_BENIGN},
	{"config", -3, G_BENIGN}, {"option", -3, G_BENIGN}, {"example", -3, G_BENIGN},
	{"function", -4, G_BENIGN}, {"usage:", -6, G_BENIGN}, {"version ", -2, G_BENIGN},
	{"github.com", -4, G_BENIGN}, {"python", -4, G_BENIGN}, {"linux", -4, G_BENIGN},
};

/* Anonymous / privacy mail services favoured by ransomware operators. */
static const char *const anon_mail[] = {
	"protonmail.", "proton.me", "pm.me", "tutanota.", "tuta.io", "tutamail.", "onionmail.", "cock.li",
	"airmail.cc", "firemail.", "msgsafe.io", "keemail.me", "mailfence.", "disroot.", "cyberfear.",
	"dnmx.org", "mail2tor.", "torbox", "secmail.", "elude.in", "xmpp.jp", "jabb.im", "exploit.im",
	"thesecure.biz", "aol.com", "yandex.", "mail.ru", "gmx.", "india.com", "qq.com", "bk.ru",
	"inbox.lv", "techmail.info", "mailum.com", "onionmail.org", "cumallover.me", "decoymail.", "zohomail.",
	"skiff.com", "mail.fr", "seznam.", "420blaze.it", "ctemplar.", "rape.lol", "msgden.",
	NULL,
};

typedef struct family_marker {
	const char *family;
	const char *marker;
	unsigned char where; /* W_WORD: word in text; W_SUB: substring of text; W_NAME: in file name;
	                        W_FIRST: the first line of text is the marker; W_SELF: "<m> ransomware",
	                        "<m> team/group/locker/leaks" or in the file name */
} family_marker;

enum { W_WORD, W_SUB, W_NAME, W_FIRST, W_SELF };

/* Strong markers from public reporting: the names families sign with, their
 * note names and extensions, and phrases that only they use.  More specific
 * entries come first. */
static const family_marker families[] = {
	{"lockbit", "lockbit", W_WORD}, {"lockbit", "lockbitsupp", W_SUB}, {"lockbit", "lockbit3", W_SUB},
	{"lockbit", "restore-my-files.txt", W_NAME}, {"lockbit", "lockbit", W_NAME},
	{"alphv", "alphv", W_WORD}, {"alphv", "blackcat", W_WORD}, {"alphv", "alphv", W_NAME},
	{"conti", "contirecovery", W_SUB}, {"conti", "conti", W_WORD}, {"conti", "conti", W_NAME},
	{"ryuk", "ryuk", W_WORD}, {"ryuk", "balance of shadow universe", W_SUB}, {"ryuk", "ryuk", W_NAME},
	{"revil", "sodinokibi", W_WORD}, {"revil", "revil", W_WORD}, {"revil", "decryptor.top", W_SUB},
	{"revil", "decoder.re", W_SUB},
	{"gandcrab", "gandcrab", W_WORD}, {"gandcrab", "gandcrab", W_NAME}, {"gandcrab", "krab-decrypt", W_NAME},
	{"phobos", "phobos", W_WORD}, {"phobos", "all of your files are encrypted!!!", W_SUB},
	{"dharma", "dharma", W_WORD}, {"dharma", "all your data has been locked us", W_SUB},
	{"dharma", "files encrypted.txt", W_NAME}, {"crysis", "crysis", W_WORD},
	{"stop", "price of private key and decrypt software", W_SUB},
	{"stop", "don't worry, you can return all your files", W_SUB},
	{"stop", "don't worry my friend, you can return all your files", W_SUB}, {"stop", "djvu", W_WORD},
	{"hive", "hiveleaks", W_SUB}, {"hive", "hivecust", W_SUB}, {"hive", "hive", W_SELF},
	{"blackbasta", "black basta", W_SUB}, {"blackbasta", "blackbasta", W_SUB}, {"blackbasta", "basta", W_SELF},
	{"blacksuit", "blacksuit", W_WORD},
	{"akira", "akira", W_WORD}, {"akira", "akira", W_NAME},
	{"royal", "royal", W_SELF}, {"royal", "royal ransomware", W_SUB},
	{"play", "play", W_FIRST}, {"play", "play", W_SELF},
	{"medusalocker", "medusalocker", W_WORD}, {"medusalocker", "your company network has been penetrated", W_SUB},
	{"medusa", "medusa", W_WORD}, {"medusa", "medusa", W_NAME},
	{"rhysida", "rhysida", W_WORD}, {"clop", "clop", W_WORD}, {"clop", "cl0p", W_WORD},
	{"clop", "clop", W_NAME}, {"clop", "cl0p", W_NAME},
	{"8base", "8base", W_WORD}, {"8base", "8base", W_NAME}, {"bianlian", "bianlian", W_WORD},
	{"cactus", "cactus", W_WORD}, {"cactus", "cactus", W_NAME}, {"babuk", "babuk", W_WORD},
	{"darkside", "darkside", W_WORD}, {"blackmatter", "blackmatter", W_WORD}, {"blackmatter", "blackmatter", W_NAME},
	{"avoslocker", "avoslocker", W_WORD}, {"avoslocker", "avos", W_WORD}, {"avoslocker", "avos", W_NAME},
	{"cuba", "cuba", W_SELF}, {"cuba", "cuba", W_NAME}, {"karakurt", "karakurt", W_WORD},
	{"karakurt", "karakurt", W_NAME}, {"maze", "maze", W_SELF}, {"maze", "maze", W_WORD},
	{"egregor", "egregor", W_WORD}, {"netwalker", "netwalker", W_WORD}, {"netwalker", "mailto", W_SELF},
	{"ragnarok", "ragnarok", W_WORD}, {"ragnarok", "ragnarok", W_NAME},
	{"ragnarlocker", "ragnar locker", W_SUB}, {"ragnarlocker", "ragnar_locker", W_SUB}, {"ragnarlocker", "ragnarlocker", W_SUB},
	{"snatch", "snatch", W_WORD}, {"snatch", "snatch", W_NAME}, {"vicesociety", "vice society", W_SUB},
	{"vicesociety", "vicesociety", W_SUB}, {"lorenz", "lorenz", W_SELF}, {"quantum", "quantum", W_SELF},
	{"mallox", "mallox", W_WORD}, {"targetcompany", "targetcompany", W_WORD}, {"makop", "makop", W_WORD},
	{"inc", "inc. ransom", W_SUB}, {"inc", "inc ransom", W_SUB}, {"inc", "inc-readme", W_NAME},
	{"hunters", "hunters international", W_SUB}, {"ransomhub", "ransomhub", W_WORD},
	{"trigona", "trigona", W_WORD}, {"noescape", "noescape", W_WORD}, {"moneymessage", "money message", W_SUB},
	{"moneymessage", "money_message", W_NAME}, {"nokoyawa", "nokoyawa", W_WORD},
	{"cerber", "cerber", W_WORD}, {"locky", "locky", W_WORD}, {"locky", "locky", W_NAME},
	{"teslacrypt", "teslacrypt", W_WORD}, {"teslacrypt", "tesla crypt", W_SUB},
	{"wannacry", "wanna decryptor", W_SUB}, {"wannacry", "wana decrypt0r", W_SUB}, {"wannacry", "wannacry", W_WORD},
	{"wannacry", "@please_read_me@", W_NAME}, {"petya", "petya", W_WORD}, {"badrabbit", "bad rabbit", W_SUB},
	{"globeimposter", "globeimposter", W_WORD}, {"zeppelin", "zeppelin", W_WORD},
	{"hellokitty", "hellokitty", W_WORD}, {"hellokitty", "hello kitty", W_SUB},
	{"doppelpaymer", "doppelpaymer", W_WORD}, {"doppelpaymer", "doppelpaymer", W_NAME},
	{"doppelpaymer", "doppel", W_NAME}, {"bitpaymer", "bitpaymer", W_WORD}, {"bitpaymer", "bitpaymer", W_NAME},
	{"wastedlocker", "wastedlocker", W_WORD}, {"wastedlocker", "wasted", W_NAME},
	{"everest", "everest", W_WORD}, {"everest", "everest", W_NAME}, {"lynx", "lynx", W_SELF},
	{"eldorado", "eldorado", W_WORD}, {"blacklock", "blacklock", W_WORD}, {"dragonforce", "dragonforce", W_WORD},
	{"qilin", "qilin", W_WORD}, {"agenda", "agenda", W_SELF}, {"3am", "3am", W_SELF}, {"3am", "threeam", W_WORD},
	{"termite", "termite", W_WORD}, {"nitrogen", "nitrogen", W_SELF}, {"interlock", "interlock", W_WORD},
	{"embargo", "embargo", W_SELF}, {"blackbyte", "blackbyte", W_WORD}, {"blackbyte", "bb_readme", W_NAME},
	{"blackhunt", "blackhunt", W_WORD}, {"blackhunt", "blackhunt", W_NAME}, {"diavol", "diavol", W_WORD},
	{"nemty", "nemty", W_WORD}, {"prometheus", "prometheus", W_SELF}, {"suncrypt", "suncrypt", W_WORD},
	{"magniber", "magniber", W_WORD}, {"cryptomix", "cryptomix", W_WORD}, {"xorist", "xorist", W_WORD},
	{"redalert", "redalert", W_WORD}, {"redalert", "red alert", W_SELF}, {"knight", "knight", W_SELF},
	{"cyclops", "cyclops", W_WORD}, {"ako", "ako", W_NAME}, {"nevada", "nevada", W_SELF},
	{"nightspire", "nightspire", W_WORD}, {"nightspire", "nspire", W_NAME}, {"monti", "monti", W_SELF},
	{"vohuk", "vohuk", W_WORD}, {"abysslocker", "abyss", W_SELF}, {"karma", "karma", W_SELF},
	{"karma", "karma", W_NAME}, {"kawalocker", "kawalocker", W_WORD}, {"kawalocker", "kavva", W_SUB},
	{"kawalocker", "kavva", W_NAME}, {"gwisinlocker", "gwisin", W_SUB}, {"hellcat", "hellcat", W_WORD},
	{"icefire", "icefire", W_WORD}, {"icefire", "ifire", W_NAME}, {"industrialspy", "industrial spy", W_SUB},
	{"h0lygh0st", "h0lygh0st", W_WORD}, {"h0lygh0st", "holy ghost", W_SUB}, {"ech0raix", "ech0raix", W_WORD},
	{"ech0raix", "qnapcrypt", W_WORD}, {"donut", "d0nut", W_WORD}, {"ctblocker", "ctb-locker", W_SUB},
	{"ctblocker", "ctb locker", W_SUB}, {"darkangels", "dark angels", W_SUB}, {"ransomhouse", "ransomhouse", W_WORD},
	{"ransomhouse", "white rabbit", W_SUB}, {"mountlocker", "mountlocker", W_WORD}, {"mamba", "mamba", W_SELF},
	{"lv", "lv ransomware", W_SUB}, {"sekhmet", "sekhmet", W_WORD}, {"egregor", "egregor", W_NAME},
	{"thegentlemen", "gentlemen", W_SELF}, {"thegentlemen", "gentlemen", W_NAME}, {"osiris", "osiris", W_SELF},
	{"obscura", "obscura", W_SELF}, {"obscura", "obscura", W_NAME}, {"nova", "nova", W_NAME},
	{"naga", "naga", W_NAME}, {"nblock", "nblock", W_NAME}, {"lambda", "lambda", W_NAME},
	{"everest", "everest", W_SELF}, {"blackfield", "blackfield", W_WORD}, {"clearwater", "clearwater", W_NAME},
	{"ciphbit", "ciphbit", W_WORD}, {"darkbit", "darkbit", W_WORD}, {"tommyleaks", "tommyleaks", W_WORD},
	{"leaknet", "leaknet", W_WORD}, {"mydoom", "mydoom", W_WORD}, {"ftcode", "ftcode", W_WORD},
	{"payoutsking", "payouts king", W_SUB}, {"ralord", "ralord", W_WORD}, {"raworld", "ra world", W_SUB},
	{"kraken", "kraken", W_SELF}, {"krybit", "krybit", W_WORD}, {"beast", "beast", W_SELF},
	{"sugar", "sugar", W_SELF}, {"grief", "grief", W_SELF}, {"fog", "fog", W_SELF}, {"zeon", "zeon", W_SELF},
};

/* Words that come before "ransomware" without naming a family. */
static const char *const self_stop[] = {
	"the", "this", "our", "a", "by", "of", "with", "your", "any", "new", "and", "to", "from", "is", "was",
	"that", "against", "other", "no", "as", "for", "in", "on", "an", "all", "known", "famous", "using",
	"called", "strong", "modern", "dangerous", "powerful", "human-operated", "operated", "extortion", "double",
	"triple", "data", "file", "files", "network", "company", "attack", "attacks", "victim", "victims", "group",
	"groups", "most", "such", "some", "nationalities", "these", "those", "what", "about", "are", "were", "not", NULL,
};

static int word_at(const char *text, const char *p, size_t l)
{
	unsigned char before = p > text ? (unsigned char)p[-1] : ' ';
	unsigned char after = (unsigned char)p[l];
	return !isalnum(before) && before < 0x80 && !isalnum(after) && after < 0x80;
}

static const char *find_word(const char *text, const char *w)
{
	size_t l = strlen(w);
	for (const char *p = strstr(text, w); p; p = strstr(p + 1, w))
		if (word_at(text, p, l))
			return p;
	return NULL;
}

static int self_named(const char *low, const char *lname, const char *m)
{
	static const char *const after[] = {" ransomware", " team", " group", " locker", " leaks", " blog",
	                                    " gang", " ransom", " news", NULL};
	size_t l = strlen(m);
	for (const char *p = find_word(low, m); p; p = strstr(p + 1, m)) {
		if (!word_at(low, p, l))
			continue;
		for (int k = 0; after[k]; k++)
			if (!strncmp(p + l, after[k], strlen(after[k])))
				return 1;
	}
	return lname && find_word(lname, m) != NULL;
}

static int marker_hit(const family_marker *f, const char *raw_text, const char *low, const char *lname)
{
	switch (f->where) {
	case W_WORD:
		return find_word(low, f->marker) != NULL;
	case W_SUB:
		return strstr(low, f->marker) != NULL;
	case W_NAME:
		return lname && strstr(lname, f->marker) != NULL;
	case W_SELF:
		return self_named(low, lname, f->marker);
	case W_FIRST: {
		const char *s = raw_text;
		while (*s && isspace((unsigned char)*s))
			s++;
		size_t l = strlen(f->marker);
		return !strncasecmp(s, f->marker, l) &&
		       (s[l] == '\n' || s[l] == '\r' || !s[l] || (s[l] == ' ' && (s[l + 1] == '\n' || !s[l + 1])));
	}
	}
	return 0;
}

/* "<name> ransomware" for a name the table does not know: the family as
 * the note signs itself.  Returns a pointer into buf or NULL. */
static const char *self_signed(const char *low, char *buf, size_t bufsz)
{
	for (const char *p = strstr(low, " ransomware"); p; p = strstr(p + 1, " ransomware")) {
		const char *e = p, *s = p;
		while (s > low && (isalnum((unsigned char)s[-1]) || s[-1] == '-' || s[-1] == '_'))
			s--;
		size_t l = (size_t)(e - s);
		if (l < 3 || l >= bufsz)
			continue;
		memcpy(buf, s, l);
		buf[l] = 0;
		int stop = 0;
		for (int k = 0; self_stop[k]; k++)
			if (!strcmp(buf, self_stop[k]))
				stop = 1;
		if (stop || !isalpha((unsigned char)buf[0]))
			continue;
		/* "brain cipher", "black lock": a generic last word joins the one before */
		static const char *const generic[] = {"cipher", "lock", "locker", "crypt", "crypto", "byte", "bit",
		                                      "matter", "side", "kitty", "cat", "suit", "hunt", "force", NULL};
		for (int k = 0; generic[k]; k++)
			if (!strcmp(buf, generic[k]) && s - low >= 2 && s[-1] == ' ') {
				const char *w = s - 1;
				while (w > low && isalpha((unsigned char)w[-1]))
					w--;
				size_t wl = (size_t)(s - 1 - w);
				if (wl >= 3 && wl + l < bufsz) {
					memmove(buf + wl, buf, l + 1);
					memcpy(buf, w, wl);
				}
				break;
			}
		return buf;
	}
	return NULL;
}

static const char *attribute(const char *raw_text, const char *low, const char *lname, char *buf, size_t bufsz)
{
	/* names first (a note that signs itself), then shared phrases */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
			const family_marker *f = &families[i];
			if ((pass == 0) == (f->where == W_SUB))
				continue;
			if (marker_hit(f, raw_text, low, lname))
				return f->family;
		}
	return self_signed(low, buf, bufsz);
}

static const char *guess_language(const char *t)
{
	size_t n = strlen(t), i = 0;
	size_t kana = 0, han = 0, hangul = 0, cyr = 0, latin = 0, arabic = 0;
	while (i < n) {
		int32_t c = utf8_next((const unsigned char *)t, n, &i);
		if (c < 0)
			continue;
		if ((c >= 0x3040 && c <= 0x30FF) || (c >= 0xFF66 && c <= 0xFF9F))
			kana++;
		else if (c >= 0x4E00 && c <= 0x9FFF)
			han++;
		else if (c >= 0xAC00 && c <= 0xD7AF)
			hangul++;
		else if (c >= 0x400 && c <= 0x4FF)
			cyr++;
		else if (c >= 0x600 && c <= 0x6FF)
			arabic++;
		else if (c < 0x250 && isalpha(c < 0x80 ? c : 'a'))
			latin++;
	}
	size_t total = kana + han + hangul + cyr + latin + arabic;
	if (!total)
		return "und";
	if (kana * 20 > total)
		return "ja";
	if (hangul * 10 > total)
		return "ko";
	if (han * 10 > total)
		return "zh";
	if (cyr * 3 > total)
		return "ru";
	if (arabic * 3 > total)
		return "ar";
	static const struct {
		const char *lang;
		const char *words[5];
	} sw[] = {
		{"en", {" the ", " your ", " and ", " you ", " files "}},
		{"de", {" und ", " die ", " ihre ", " sie ", " dateien "}},
		{"fr", {" les ", " vos ", " des ", " vous ", " fichiers "}},
		{"es", {" los ", " sus ", " para ", " archivos ", " usted "}},
		{"it", {" il ", " della ", " per ", " sono ", " tuoi "}},
		{"pt", {" os ", " seus ", " para ", " arquivos ", " você "}},
		{"nl", {" de ", " het ", " uw ", " bestanden ", " een "}},
		{"pl", {" się ", " twoje ", " pliki ", " nie ", " jest "}},
		{"tr", {" ve ", " bir ", " için ", " dosyalar", " bu "}},
	};
	const char *best = "und";
	int bestc = 0;
	for (size_t k = 0; k < sizeof(sw) / sizeof(sw[0]); k++) {
		int c = 0;
		for (int w = 0; w < 5; w++)
			for (const char *p = strstr(t, sw[k].words[w]); p && c < 1000; p = strstr(p + 1, sw[k].words[w]))
				c++;
		if (c > bestc) {
			bestc = c;
			best = sw[k].lang;
		}
	}
	return best;
}

/* A token that looks machine-made: 5+ characters mixing digits and
 * letters, or upper and lower case, inside a name. */
static int random_token(const char *s, size_t n)
{
	if (n < 5 || n > 40)
		return 0;
	int dig = 0, up = 0, lo = 0;
	for (size_t i = 0; i < n; i++) {
		if (isdigit((unsigned char)s[i]))
			dig++;
		else if (isupper((unsigned char)s[i]))
			up++;
		else if (islower((unsigned char)s[i]))
			lo++;
		else
			return 0;
	}
	if (dig && (up || lo) && dig + up + lo >= 6)
		return 1;
	if (up >= 2 && lo >= 2 && n >= 6) {
		/* mixed case; not CamelCase words such as ReadMe, HowToRecover */
		int trans = 0;
		for (size_t i = 1; i < n; i++)
			if (isupper((unsigned char)s[i]) && islower((unsigned char)s[i - 1]))
				trans++;
		return trans >= 3 && (size_t)trans * 3 >= n / 2;
	}
	return 0;
}

static int name_score(const char *name, const char *lname, char *why, size_t whysz)
{
	int s = 0;
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	const char *lbase = strrchr(lname, '/');
	lbase = lbase ? lbase + 1 : lname;
	static const char *const readme[] = {"readme", "read_me", "read me", "read-me", "read.me", "r3adm3",
	                                     "_read", "read_", "contact", "message", "notice", "note",
	                                     "leeme", "lisezmoi", "liesmich", NULL};
	static const char *const strong[] = {"decrypt", "restore", "recover", "unlock", "ransom", "encrypted",
	                                     "locked", "hacked", "return_your", "return your", "back_files",
	                                     "back files", "your_files", "your files", "your_data", "your data",
	                                     "files_back", "warning", "attention", "instruction", "how_to",
	                                     "how to", "howto", "how-to", "help_", "helpme", "help me",
	                                     "stolen", "leak", "breach", "attack", "crypt", "unlock", NULL};
	for (int i = 0; readme[i]; i++)
		if (strstr(lbase, readme[i])) {
			s += 10;
			break;
		}
	int st = 0;
	for (int i = 0; strong[i]; i++)
		if (strstr(lbase, strong[i]))
			st++;
	s += st >= 2 ? 25 : st * 15;
	if (strstr(base, "!!") || base[0] == '!' || base[0] == '#' || base[0] == '+' ||
	    (base[0] == '_' && base[1] != '_') || strstr(base, "___"))
		s += 8;
	/* random IDs in the name: README.dcglhCm.txt, RESTORE-FILES-Q7ILknn7k.txt */
	for (const char *p = base; *p;) {
		while (*p && !isalnum((unsigned char)*p))
			p++;
		const char *q = p;
		while (*q && isalnum((unsigned char)*q))
			q++;
		if (random_token(p, (size_t)(q - p))) {
			s += 6;
			break;
		}
		p = q;
	}
	/* double extension: report.docx.README.txt or an odd note extension */
	if (s > 40)
		s = 40;
	snprintf(why, whysz, "name:%d", s);
	return s;
}

static char *lower_ascii_dup(const char *s)
{
	char *d = strdup(s ? s : "");
	if (d)
		for (char *p = d; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	return d;
}

int shodo_note_name_score(const char *name)
{
	char why[32];
	char *lname = lower_ascii_dup(name ? name : "");
	int s = lname ? name_score(name ? name : "", lname, why, sizeof(why)) : 0;
	free(lname);
	return s;
}

static int mail_anon(const char *email)
{
	const char *at = strchr(email, '@');
	if (!at)
		return 0;
	for (int i = 0; anon_mail[i]; i++)
		if (strstr(at + 1, anon_mail[i]) == at + 1 || strstr(at + 1, anon_mail[i]))
			return 1;
	return 0;
}

static int count_list(const char *l)
{
	int c = 0;
	for (const char *p = l; p && *p; p++)
		if (p == l || p[-1] == ' ')
			c++;
	return c;
}

void shodo_note_free(shodo_note *r)
{
	if (!r)
		return;
	free(r->emails);
	free(r->onions);
	free(r->btc);
	free(r->tox);
	free(r->xmr);
	free(r->session);
	free(r->urls);
	r->emails = r->onions = r->btc = r->tox = r->xmr = r->session = r->urls = NULL;
}

static void fix_lists(shodo_note *r)
{
	char **l[] = {&r->emails, &r->onions, &r->btc, &r->tox, &r->xmr, &r->session, &r->urls};
	for (size_t i = 0; i < sizeof(l) / sizeof(l[0]); i++)
		if (!*l[i])
			*l[i] = strdup("");
}

int shodo_note_analyse(const char *name, const unsigned char *data, size_t n, shodo_note *r)
{
	memset(r, 0, sizeof(*r));
	r->language = "und";
	if (!name)
		name = "";
	const char *enc = "ascii";
	char *raw = decode_bytes(data, n, &enc);
	char *text = shodo_note_text(data, n, name, &enc);
	char *low = text ? fold_text(text) : NULL;
	char *lname = lower_ascii_dup(name);
	int rc = -1;
	if (!raw || !text || !low || !lname)
		goto out;
	r->encoding = enc;

	/* IOCs from the markup-free text and from the raw text (attributes) */
	if (shodo_note_extract(text, r) || shodo_note_extract(raw, r))
		goto out;

	/* vocabulary */
	int gsum[NGROUPS] = {0};
	char why[512];
	size_t wl = 0;
	why[0] = 0;
	for (size_t i = 0; i < sizeof(features) / sizeof(features[0]); i++) {
		const feature *f = &features[i];
		const char *p = strstr(low, f->pat);
		/* short Latin patterns must be whole words */
		if (p && strlen(f->pat) <= 4 && isalpha((unsigned char)f->pat[0]))
			p = find_word(low, f->pat);
		if (p)
			gsum[f->grp] += f->w;
	}
	int content = 0, groups = 0, demand = 0;
	for (int g = 0; g < NGROUPS; g++) {
		int v = gsum[g];
		/* what makes a text a demand rather than a manual about encryption:
		 * it speaks to the victim, asks for payment or contact, threatens,
		 * warns, or offers a test decryption */
		if (v > 0 && (g == G_VICTIM || g == G_PAY || g == G_CONTACT || g == G_THREAT || g == G_WARN || g == G_TEST))
			demand = 1;
		if (g == G_BENIGN) {
			if (v < -group_cap[g])
				v = -group_cap[g];
		} else {
			if (v > group_cap[g])
				v = group_cap[g];
			if (v >= 5)
				groups++;
		}
		content += v;
		if (v && wl < sizeof(why) - 32)
			wl += (size_t)snprintf(why + wl, sizeof(why) - wl, "%s%s:%d", wl ? " " : "", group_name[g], v);
	}
	if (groups >= 4)
		content += 10;
	if (groups >= 5)
		content += 5;
	/* a long text with a little ransom vocabulary is a document, not a note */
	size_t tl = strlen(low);
	if (tl > 20000)
		content -= (int)((tl - 20000) / 2000);
	if (content < 0)
		content = 0;

	/* contacts */
	int ioc = 0;
	int onions = count_list(r->onions);
	if (onions) {
		int v3 = 0;
		for (const char *p = r->onions; p && *p;) {
			const char *e = strchr(p, ' ');
			size_t l = e ? (size_t)(e - p) : strlen(p);
			if (l == 62)
				v3 = 1;
			p += l;
			while (*p == ' ')
				p++;
		}
		ioc += v3 ? 25 : 15;
	}
	if (count_list(r->btc))
		ioc += 20;
	if (count_list(r->tox))
		ioc += 25;
	if (count_list(r->xmr))
		ioc += 15;
	if (count_list(r->session))
		ioc += 15;
	int anon = 0, mails = count_list(r->emails);
	if (mails) {
		char *dup = strdup(r->emails);
		if (!dup)
			goto out;
		for (char *save = NULL, *tok = strtok_r(dup, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
			anon |= mail_anon(tok);
		free(dup);
		ioc += anon ? 15 : 5;
	}
	if (ioc > 45)
		ioc = 45;

	char nwhy[32];
	int ns = name_score(name, lname, nwhy, sizeof(nwhy));

	/* terse notes: a contact and a note name and little else */
	int terse = 0;
	if (tl < 400 && ioc >= 15 && ns >= 10)
		terse = 15;

	r->family = attribute(text, low, lname, r->family_buf, sizeof(r->family_buf));
	int fam_bonus = r->family ? 10 : 0;

	r->content_score = content;
	r->ioc_score = ioc;
	r->name_score = ns;
	int total = content + ioc + ns + terse + fam_bonus;
	if (total > 100)
		total = 100;
	r->score = total;
	/* the content has to speak for itself: a note name alone is no note */
	r->is_note = total >= SHODO_NOTE_THRESHOLD && (content >= 20 || ioc >= 15) && (demand || ioc >= 15 || terse);
	if (!r->is_note)
		r->family = NULL;
	r->language = guess_language(low);
	snprintf(r->reasons, sizeof(r->reasons), "%s%sioc:%d %s%s%s", why, *why ? " " : "", ioc, nwhy,
	         terse ? " terse:15" : "", fam_bonus ? " family:10" : "");
	rc = 0;
out:
	free(raw);
	free(text);
	free(low);
	free(lname);
	fix_lists(r);
	if (rc)
		shodo_note_free(r);
	if (rc)
		fix_lists(r);
	return rc;
}
