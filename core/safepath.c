/*
 * Suspect names to safe host names.  The rules, in order:
 *  - bytes < 0x20, 0x7f, '/', '\\', '%' and ':' become %XX (':' because NTFS
 *    stream names and Windows drive letters must not look like paths; '%'
 *    so that the mapping stays unambiguous);
 *  - "." and ".." become "%2E" / "%2E%2E";
 *  - invalid UTF-8 bytes become %XX;
 *  - a result longer than SHODO_SAFE_NAME_MAX is cut on a character boundary
 *    and ends with "~" and 8 hex digits of a hash of the whole original name.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "shodo/safepath.h"

static uint32_t fnv1a(const unsigned char *p, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

/* length of a valid UTF-8 sequence at p (max n bytes), 0 if invalid */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	if (p[0] < 0x80)
		return 1;
	size_t len;
	uint32_t cp;
	if ((p[0] & 0xe0) == 0xc0) { len = 2; cp = p[0] & 0x1f; }
	else if ((p[0] & 0xf0) == 0xe0) { len = 3; cp = p[0] & 0x0f; }
	else if ((p[0] & 0xf8) == 0xf0) { len = 4; cp = p[0] & 0x07; }
	else return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	/* C1 controls and bidi overrides would let a name lie on a terminal */
	if ((cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
		return 0;
	return len;
}

size_t shodo_safe_component(const char *name, size_t namelen, char *out, size_t outsz)
{
	const unsigned char *p = (const unsigned char *)name;
	char buf[4 * 3 * 256 + 16];
	size_t o = 0, limit = SHODO_SAFE_NAME_MAX;
	int cut = 0;

	if (outsz == 0)
		return 0;
	if (limit > outsz - 1)
		limit = outsz - 1;
	if ((namelen == 1 && p[0] == '.') || (namelen == 2 && p[0] == '.' && p[1] == '.')) {
		o = (size_t)snprintf(buf, sizeof(buf), "%s", namelen == 1 ? "%2E" : "%2E%2E");
	} else {
		for (size_t i = 0; i < namelen;) {
			size_t l = utf8_len(p + i, namelen - i);
			char piece[16];
			size_t pl;
			if (l == 1 && (p[i] < 0x20 || p[i] == 0x7f || p[i] == '/' || p[i] == '\\' ||
			               p[i] == '%' || p[i] == ':'))
				l = 0;
			if (l == 0) {
				pl = (size_t)snprintf(piece, sizeof(piece), "%%%02X", p[i]);
				i++;
			} else {
				memcpy(piece, p + i, l);
				pl = l;
				i += l;
			}
			if (o + pl > sizeof(buf) - 1 || o + pl > limit) {
				cut = 1;
				break;
			}
			memcpy(buf + o, piece, pl);
			o += pl;
		}
	}
	if (o == 0)
		o = (size_t)snprintf(buf, sizeof(buf), "%%00");
	if (cut) {
		/* leave room for "~xxxxxxxx", backing off to a character boundary */
		size_t keep = limit > 9 ? limit - 9 : 0;
		if (o > keep)
			o = keep;
		while (o > 0 && ((unsigned char)buf[o] & 0xc0) == 0x80)
			o--;
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "~%08x", fnv1a(p, namelen));
	}
	if (o > outsz - 1)
		o = outsz - 1;
	memcpy(out, buf, o);
	out[o] = '\0';
	return o;
}

size_t shodo_safe_relpath(const char *path, char *out, size_t outsz)
{
	size_t o = 0;
	const char *p = path;
	if (outsz == 0)
		return 0;
	out[0] = '\0';
	while (*p) {
		while (*p == '/' || *p == '\\')
			p++;
		const char *e = p;
		while (*e && *e != '/' && *e != '\\')
			e++;
		if (e == p)
			break;
		char comp[SHODO_SAFE_NAME_MAX + 1];
		size_t cl = shodo_safe_component(p, (size_t)(e - p), comp, sizeof(comp));
		if (o + cl + 2 > outsz)
			break;
		if (o)
			out[o++] = '/';
		memcpy(out + o, comp, cl);
		o += cl;
		out[o] = '\0';
		p = e;
	}
	return o;
}

int shodo_relpath_is_clean(const char *rel)
{
	if (!rel || !*rel || rel[0] == '/')
		return 0;
	const char *p = rel;
	while (*p) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)p[i] < 0x20)
				return 0;
		if (!e)
			break;
		p = e + 1;
		if (!*p)
			return 0;
	}
	return 1;
}
