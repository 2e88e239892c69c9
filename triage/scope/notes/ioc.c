/*
 * triage/scope/notes/ioc.c — contacts in a note, validated: bitcoin
 * (base58check, bech32/bech32m), onion v2/v3 (v3 checksum), Tox IDs
 * (checksum), Monero, Session IDs, e-mail addresses (also obfuscated as
 * "name [at] host [dot] com"), URLs.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include "notes_int.h"

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
	shodo_buf b = {*list, have, have ? have + 1 : 0, 0};
	if (shodo_buf_addf(&b, "%s%.*s", have ? " " : "", (int)n, v) < 0)
		return -1;
	*list = b.p;
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
	shodo_buf b = SHODO_BUF_INIT;
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
					shodo_buf_adds(&b, rep[r].to);
					i += l;
					done = 1;
					break;
				}
			}
		}
		if (!done)
			nt_putc(&b, t[i++]);
	}
	return shodo_buf_detach(&b);
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
				if (!nt_has_suffix_ci(buf, ".onion"))
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
