/*
 * triage/scope/notes/strip.c — markup removed from a decoded note: HTML and
 * HTA tags, scripts and styles dropped, entities decoded; RTF control words
 * and groups dropped; shodo_note_text() ties decoding and stripping.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "notes_int.h"

/* ------------------------------------------------------------------ */
/* markup                                                              */

static int starts_ci(const char *s, const char *p)
{
	return !strncasecmp(s, p, strlen(p));
}

static int looks_html(const char *t, const char *name)
{
	if (name && (nt_has_suffix_ci(name, ".htm") || nt_has_suffix_ci(name, ".html") || nt_has_suffix_ci(name, ".hta") ||
	             nt_has_suffix_ci(name, ".xhtml") || nt_has_suffix_ci(name, ".mht")))
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
	shodo_buf b = SHODO_BUF_INIT;
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
				nt_putc(&b, '<');
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
			nt_putc(&b, block ? '\n' : ' ');
			continue;
		}
		if (t[i] == '&') {
			uint32_t cp;
			size_t l = html_entity(t + i + 1, &cp);
			if (l) {
				nt_put_text_cp(&b, cp);
				i += 1 + l;
				continue;
			}
		}
		nt_putc(&b, t[i]);
		i++;
	}
	return shodo_buf_detach(&b);
}

/* RTF: keeps text, turns \par into newlines, decodes \'hh (nt_cp1252) and \uN,
 * drops destinations (font and colour tables, \* groups, pictures). */
static char *strip_rtf(const char *t)
{
	shodo_buf b = SHODO_BUF_INIT;
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
					nt_putc(&b, d);
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
					nt_put_text_cp(&b, v >= 0x80 && v < 0xA0 ? nt_cp1252[v - 0x80] : v);
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
				nt_putc(&b, '\n');
			} else if (!strcmp(word, "tab") || !strcmp(word, "cell")) {
				nt_putc(&b, ' ');
			} else if (!strcmp(word, "uc") && has_param) {
				uc = (int)param;
			} else if (!strcmp(word, "u") && has_param) {
				long v = param < 0 ? param + 65536 : param;
				nt_put_text_cp(&b, (uint32_t)v);
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
			nt_putc(&b, c);
		i++;
	}
	return shodo_buf_detach(&b);
}

char *shodo_note_text(const unsigned char *data, size_t n, const char *name, const char **encoding)
{
	const char *enc = "ascii";
	char *t = nt_decode_bytes(data, n, &enc);
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

