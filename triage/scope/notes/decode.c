/*
 * triage/scope/notes/decode.c — a note's bytes as UTF-8 text: BOMs, UTF-16
 * with or without BOM, UTF-8, windows-1252/Latin-1 fallback; fullwidth
 * forms folded; and the folded lower-case copy the vocabulary is matched on.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "notes_int.h"

void nt_put_cp(shodo_buf *b, uint32_t cp)
{
	char u[4];
	if (cp < 0x80) {
		u[0] = (char)cp;
		shodo_buf_add(b, u, 1);
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		shodo_buf_add(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		shodo_buf_add(b, u, 3);
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		shodo_buf_add(b, u, 4);
	}
}

/* Decodes one UTF-8 sequence at s[*i]; returns the code point or -1 when
 * invalid (and advances by one byte). */
int32_t nt_utf8_next(const unsigned char *s, size_t n, size_t *i)
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
const uint16_t nt_cp1252[32] = {
	0x20AC, 0x20, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
	0x0152, 0x20, 0x017D, 0x20, 0x20, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x20, 0x017E, 0x0178,
};

/* Normalises one code point into the text: controls to spaces, fullwidth
 * ASCII folded, zero-width characters dropped. */
void nt_put_text_cp(shodo_buf *b, uint32_t cp)
{
	if (cp == '\n' || cp == 0x2028 || cp == 0x2029 || cp == 0x85) {
		nt_putc(b, '\n');
		return;
	}
	if (cp == '\r')
		return;
	if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0xA0 || cp == 0x3000) {
		nt_putc(b, ' ');
		return;
	}
	if (cp == 0xFEFF || (cp >= 0x200B && cp <= 0x200F) || cp == 0xFFFD)
		return;
	if (cp >= 0xFF01 && cp <= 0xFF5E)
		cp -= 0xFEE0;
	if (cp == 0x2018 || cp == 0x2019 || cp == 0x02BC || cp == 0x00B4)
		cp = '\'';
	nt_put_cp(b, cp);
}


/* bytes -> UTF-8 (no markup handling yet) */
char *nt_decode_bytes(const unsigned char *d, size_t n, const char **enc)
{
	shodo_buf b = SHODO_BUF_INIT;
	size_t i = 0;
	int mode = 0; /* 0 utf-8/ascii, 1 utf-16le, 2 utf-16be, 3 nt_cp1252 */
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
			if (nt_utf8_next(d, n, &k) < 0 && k < n - 3)
				bad++;
		}
		if (bad)
			mode = 3, *enc = "nt_cp1252";
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
			nt_put_text_cp(&b, u);
		}
	} else if (mode == 3) {
		for (; i < n; i++) {
			uint32_t u = d[i];
			if (u >= 0x80 && u < 0xA0)
				u = nt_cp1252[u - 0x80];
			nt_put_text_cp(&b, u);
		}
	} else {
		while (i < n) {
			int32_t cp = nt_utf8_next(d, n, &i);
			nt_put_text_cp(&b, cp < 0 ? 0xFFFD : (uint32_t)cp);
		}
	}
	return shodo_buf_detach(&b);
}


/* Lower-cases ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic, and
 * collapses white space, so that phrases match across line breaks. */
char *nt_fold_text(const char *t)
{
	shodo_buf b = SHODO_BUF_INIT;
	size_t n = strlen(t), i = 0;
	int space = 1;
	while (i < n) {
		int32_t c = nt_utf8_next((const unsigned char *)t, n, &i);
		if (c < 0)
			continue;
		uint32_t cp = (uint32_t)c;
		if (cp == ' ' || cp == '\n' || cp == '\t') {
			if (!space)
				nt_putc(&b, ' ');
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
		nt_put_cp(&b, cp);
	}
	return shodo_buf_detach(&b);
}
