/*
 * triage/parsers/executable.c — executables found in user-writable places
 * (collected by triage/collect as CAT_EXECUTABLE): one row each in the
 * `executables` table with its SHA-256 and the names its PE version
 * resource gives (OriginalFilename, InternalName, ProductName,
 * FileDescription, CompanyName), flagged when the file name or one of those
 * names is a known attack or admin tool (flags.c: the table the prefetch
 * flags use).  A renamed copy (svchelper.exe whose OriginalFilename is
 * mimikatz.exe) is flagged by its version resource; a copy renamed and
 * stripped of its resource is flagged by its hash when another executable
 * of the same triage was flagged (scope.c joins the hashes).
 *
 * The version resource is read with a bounded walk written here: the
 * section table maps the resource directory's RVA to a file offset, and the
 * String entries are found by their UTF-16 keys inside that blob.  Debian
 * has no PE library with a stable -dev package (pev's libpe is not
 * packaged for linking); the walk reads at most the resource blob and
 * checks every offset against it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "putil.h"
#include "shodo/hash.h"
#include "triage/triage_int.h"

#define EXE_READ_MAX (64u << 20)

static uint32_t u16(const unsigned char *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t u32(const unsigned char *p) { return u16(p) | u16(p + 2) << 16; }

typedef struct pe_names {
	char original[128], internal[128], product[128], description[160], company[128];
} pe_names;

/* RVA -> file offset through the section table; (size_t)-1 when unmapped */
static size_t rva_off(const unsigned char *b, size_t n, size_t sec, unsigned nsec, uint32_t rva)
{
	for (unsigned i = 0; i < nsec; i++) {
		size_t s = sec + (size_t)i * 40;
		if (s + 40 > n)
			break;
		uint32_t vsz = u32(b + s + 8), va = u32(b + s + 12), rsz = u32(b + s + 16), raw = u32(b + s + 20);
		uint32_t sz = vsz > rsz ? vsz : rsz;
		if (rva >= va && rva - va < sz && (uint64_t)raw + (rva - va) < n)
			return (size_t)raw + (rva - va);
	}
	return (size_t)-1;
}

/* UTF-16LE value (at most wlen units, stops at NUL) into printable ASCII/UTF-8 */
static void u16_text(const unsigned char *p, size_t avail, size_t wlen, char *out, size_t outsz)
{
	size_t o = 0;
	for (size_t i = 0; i < wlen && 2 * i + 1 < avail && o + 4 < outsz; i++) {
		uint32_t c = u16(p + 2 * i);
		if (!c)
			break;
		if (c < 0x20)
			c = ' ';
		if (c < 0x80) {
			out[o++] = (char)c;
		} else if (c < 0x800) {
			out[o++] = (char)(0xc0 | c >> 6);
			out[o++] = (char)(0x80 | (c & 0x3f));
		} else if (c < 0xd800 || c > 0xdfff) {
			out[o++] = (char)(0xe0 | c >> 12);
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3f));
			out[o++] = (char)(0x80 | (c & 0x3f));
		} else {
			out[o++] = '?';
		}
	}
	out[o] = '\0';
}

/* the String entry whose key is `key` inside the version blob r[0..rn) */
static void ver_string(const unsigned char *r, size_t rn, const char *key, char *out, size_t outsz)
{
	unsigned char k[80];
	size_t kl = strlen(key);
	out[0] = '\0';
	if (2 * (kl + 1) > sizeof(k))
		return;
	for (size_t i = 0; i <= kl; i++) {
		k[2 * i] = (unsigned char)key[i];
		k[2 * i + 1] = 0;
	}
	for (size_t at = 0; at + 2 * (kl + 1) <= rn;) {
		const unsigned char *m = memmem(r + at, rn - at, k, 2 * (kl + 1));
		if (!m)
			return;
		size_t kpos = (size_t)(m - r);
		at = kpos + 2;
		/* a String struct: wLength, wValueLength (words), wType, then the key
		 * at offset 6 (structures are 4-byte aligned) */
		if (kpos < 6 || (kpos - 6) % 4 != 0)
			continue;
		size_t start = kpos - 6;
		size_t len = u16(r + start), wval = u16(r + start + 2);
		if (len < 6 + 2 * (kl + 1) || start + len > rn)
			continue;
		size_t v = kpos + 2 * (kl + 1);
		v = start + ((v - start + 3) & ~(size_t)3);
		if (v >= start + len)
			return;
		u16_text(r + v, start + len - v, wval, out, outsz);
		return;
	}
}

/* 0 when the bytes hold a PE with a version resource whose names were read */
static int pe_version(const unsigned char *b, size_t n, pe_names *pn)
{
	memset(pn, 0, sizeof(*pn));
	if (n < 0x40 || b[0] != 'M' || b[1] != 'Z')
		return -1;
	size_t pe = u32(b + 0x3c);
	if (pe > n || n - pe < 24 + 2 || memcmp(b + pe, "PE\0\0", 4))
		return -1;
	unsigned nsec = u16(b + pe + 6);
	size_t optsz = u16(b + pe + 20), opt = pe + 24;
	if (opt + optsz > n || optsz < 2)
		return -1;
	uint32_t magic = u16(b + opt);
	size_t dd = magic == 0x20b ? opt + 112 : magic == 0x10b ? opt + 96 : 0;
	size_t nrva_at = magic == 0x20b ? opt + 108 : opt + 92;
	if (!dd || nrva_at + 4 > opt + optsz || u32(b + nrva_at) < 3 || dd + 3 * 8 > opt + optsz)
		return -1;
	uint32_t rsrc_rva = u32(b + dd + 16), rsrc_size = u32(b + dd + 20);
	if (!rsrc_rva || !rsrc_size)
		return -1;
	size_t sec = opt + optsz;
	size_t ro = rva_off(b, n, sec, nsec, rsrc_rva);
	if (ro == (size_t)-1)
		return -1;
	size_t rn = rsrc_size < n - ro ? rsrc_size : n - ro;
	const unsigned char *r = b + ro;
	ver_string(r, rn, "OriginalFilename", pn->original, sizeof(pn->original));
	ver_string(r, rn, "InternalName", pn->internal, sizeof(pn->internal));
	ver_string(r, rn, "ProductName", pn->product, sizeof(pn->product));
	ver_string(r, rn, "FileDescription", pn->description, sizeof(pn->description));
	ver_string(r, rn, "CompanyName", pn->company, sizeof(pn->company));
	return pn->original[0] || pn->internal[0] || pn->product[0] ? 0 : -1;
}

/* the tool flag from a version-resource name ("mimikatz" or "mimikatz.exe") */
static const char *flag_name(const char *name)
{
	if (!name || !*name)
		return NULL;
	return putil_tool_flag(name);
}

static int exe_bid(const shodo_artifact *a, const unsigned char *head, size_t n)
{
	if (a->category && !strcmp(a->category, CAT_EXECUTABLE))
		return n >= 2 && head[0] == 'M' && head[1] == 'Z' ? 16 : 4;
	return 0;
}

static shodo_status exe_parse(const shodo_artifact *a, shodo_triage_ctx *ctx, shodo_err *err)
{
	FILE *fp = fopen(a->file, "rbe");
	if (!fp)
		return shodo_err_set(err, SHODO_FAILED, errno, "cannot read '%s'", a->source ? a->source : a->file);
	size_t cap = a->size && a->size < EXE_READ_MAX ? (size_t)a->size : EXE_READ_MAX;
	unsigned char *b = malloc(cap ? cap : 1);
	if (!b) {
		fclose(fp);
		return shodo_err_set(err, SHODO_FAILED, ENOMEM, "cannot read '%s'", a->source);
	}
	size_t n = fread(b, 1, cap, fp);
	fclose(fp);
	pe_names pn;
	int has_ver = pe_version(b, n, &pn) == 0;
	free(b);
	shodo_digests d;
	shodo_err herr;
	memset(&d, 0, sizeof(d));
	if (shodo_hash_file(a->file, SHODO_HASH_SHA256, &d, &herr) != SHODO_OK)
		d.sha256[0] = 0;

	const char *path = a->path ? a->path : a->file;
	const char *flag = putil_tool_flag(path), *by = flag ? "name" : NULL;
	if (!flag && has_ver) {
		if ((flag = flag_name(pn.original)))
			by = "OriginalFilename";
		else if ((flag = flag_name(pn.internal)))
			by = "InternalName";
		else if ((flag = flag_name(pn.product)))
			by = "ProductName";
	}
	sqlite3_stmt *s = shodo_store_stmt(ctx->store,
		"INSERT INTO executables(path, volume, size, sha256, original_name, internal_name, product, description,"
		" company, flag, matched_by, mtime, crtime, source) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)", err);
	if (!s)
		return SHODO_FATAL;
	shodo_bind_text(s, 1, path);
	shodo_bind_text(s, 2, a->volume);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)a->size);
	shodo_bind_text(s, 4, d.sha256);
	shodo_bind_text(s, 5, pn.original);
	shodo_bind_text(s, 6, pn.internal);
	shodo_bind_text(s, 7, pn.product);
	shodo_bind_text(s, 8, pn.description);
	shodo_bind_text(s, 9, pn.company);
	shodo_bind_text(s, 10, flag);
	shodo_bind_text(s, 11, by);
	shodo_bind_text(s, 12, a->mtime);
	shodo_bind_text(s, 13, a->crtime);
	shodo_bind_text(s, 14, a->source);
	shodo_status rc = shodo_store_step_done(ctx->store, s, err);
	if (rc == SHODO_OK && flag)
		shodo_err_set(err, SHODO_OK, 0, "%s (by %s%s%s)", flag, by, has_ver && strcmp(by, "name") ? ": " : "",
		              has_ver && strcmp(by, "name") ? pn.original : "");
	else if (rc == SHODO_OK)
		shodo_err_set(err, SHODO_OK, 0, "%s", has_ver ? pn.original[0] ? pn.original : pn.product : "no version resource");
	return rc;
}

const shodo_parser shodo_parser_executable = {
	.name = "executable",
	.bid = exe_bid,
	.parse = exe_parse,
};
