/*
 * mkhive — writes a small, valid Windows registry hive (regf 1.3) from a
 * text description, for tests.  Reads the description from stdin:
 *
 *   R<TAB>name                       root key name (default "ROOT")
 *   K<TAB>path                       key (parents are created)
 *   C<TAB>path<TAB>class             key with a class name (UTF-16LE)
 *   D<TAB>path<TAB>name<TAB>number   REG_DWORD (decimal or 0x hex)
 *   Q<TAB>path<TAB>name<TAB>number   REG_QWORD
 *   S<TAB>path<TAB>name<TAB>text     REG_SZ
 *   X<TAB>path<TAB>name<TAB>text     REG_EXPAND_SZ
 *   B<TAB>path<TAB>name<TAB>hex      REG_BINARY
 *   T<TAB>path<TAB>name<TAB>type     value of a bare type number with no data
 *                                    (what SAM uses for user names -> RID)
 *   W<TAB>path<TAB>filetime          key last written time (decimal FILETIME)
 *
 * Paths are backslash-separated, relative to the root; an empty name is the
 * default value.  The hive has 4 KiB hive bins, nk/vk/lf/sk cells and a correct
 * base block checksum, so regfexport, hivexget and libregf read it.
 *
 *   mkhive OUT < description
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "shodo/buf.h"

typedef struct val {
	char *name;
	uint32_t type;
	unsigned char *data;
	uint32_t len;
} val;

typedef struct key {
	char *name;
	char *cls;          /* class name, UTF-8 (ASCII) */
	uint64_t written;
	struct key **sub;
	int nsub;
	size_t sub_cap;
	val *vals;
	int nval;
	size_t val_cap;
} key;

static const uint64_t DEFAULT_TIME = 133485408000000000ULL; /* 2024-01-01T00:00:00Z */

static void die(const char *m)
{
	fprintf(stderr, "mkhive: %s\n", m);
	exit(2);
}

static void *xcalloc(size_t n, size_t s)
{
	void *p = calloc(n ? n : 1, s);
	if (!p)
		die("out of memory");
	return p;
}

static key *key_new(const char *name)
{
	key *k = xcalloc(1, sizeof(*k));
	k->name = strdup(name);
	k->written = DEFAULT_TIME;
	return k;
}

static void key_free(key *k)
{
	for (int i = 0; i < k->nsub; i++)
		key_free(k->sub[i]);
	for (int i = 0; i < k->nval; i++) {
		free(k->vals[i].name);
		free(k->vals[i].data);
	}
	free(k->sub);
	free(k->vals);
	free(k->name);
	free(k->cls);
	free(k);
}

static key *key_child(key *k, const char *name, int create)
{
	for (int i = 0; i < k->nsub; i++)
		if (!strcasecmp(k->sub[i]->name, name))
			return k->sub[i];
	if (!create)
		return NULL;
	if (shodo_grow(&k->sub, &k->sub_cap, (size_t)k->nsub + 1) < 0)
		die("out of memory");
	return k->sub[k->nsub++] = key_new(name);
}

static key *key_path(key *root, const char *path)
{
	char *p = strdup(path), *save = NULL;
	key *k = root;
	for (char *c = strtok_r(p, "\\", &save); c; c = strtok_r(NULL, "\\", &save))
		k = key_child(k, c, 1);
	free(p);
	return k;
}

static void key_set(key *k, const char *name, uint32_t type, const void *data, uint32_t len)
{
	val *v = NULL;
	for (int i = 0; i < k->nval; i++)
		if (!strcasecmp(k->vals[i].name, name))
			v = &k->vals[i];
	if (!v) {
		if (shodo_grow(&k->vals, &k->val_cap, (size_t)k->nval + 1) < 0)
			die("out of memory");
		v = &k->vals[k->nval++];
		v->name = strdup(name);
	} else {
		free(v->data);
	}
	v->type = type;
	v->len = len;
	v->data = xcalloc(len + 1, 1);
	if (len)
		memcpy(v->data, data, len);
}

/* ---- output buffer: hive bins data, offsets relative to the first bin ---- */
static unsigned char *buf;
static size_t used, cap;

static size_t bin_start, bin_size;

static void ensure(size_t need)
{
	if (shodo_grow(&buf, &cap, need) < 0)
		die("out of memory");
}

static void put64(uint32_t off, uint64_t v);

/* hive bins of 4 KiB as Windows writes them (larger only for a big cell):
 * libregf finds a cell by walking its bin, so one huge bin is slow */
static void close_bin(void)
{
	size_t end = bin_start + bin_size;
	if (end > used) {
		int32_t freesz = (int32_t)(end - used);
		memset(buf + used, 0, end - used);
		memcpy(buf + used, &freesz, 4);
	}
	used = end;
}

static void new_bin(size_t need)
{
	size_t sz = (need + 32 + 4095) & ~(size_t)4095;
	bin_start = used;
	bin_size = sz;
	ensure(bin_start + bin_size);
	memset(buf + bin_start, 0, 32);
	memcpy(buf + bin_start, "hbin", 4);
	uint32_t o = (uint32_t)bin_start, z = (uint32_t)sz;
	memcpy(buf + bin_start + 4, &o, 4);
	memcpy(buf + bin_start + 8, &z, 4);
	put64((uint32_t)bin_start + 0x14, DEFAULT_TIME);
	used = bin_start + 32;
}

static uint32_t cell(size_t n)
{
	size_t sz = (n + 4 + 7) & ~(size_t)7;
	if (!bin_size)
		new_bin(sz);
	else if (used + sz > bin_start + bin_size) {
		close_bin();
		new_bin(sz);
	}
	uint32_t off = (uint32_t)used;
	memset(buf + off, 0, sz);
	int32_t neg = -(int32_t)sz;
	memcpy(buf + off, &neg, 4);
	used += sz;
	return off;
}

static void put16(uint32_t off, uint16_t v) { memcpy(buf + off, &v, 2); }
static void put32(uint32_t off, uint32_t v) { memcpy(buf + off, &v, 4); }
static void put64(uint32_t off, uint64_t v) { memcpy(buf + off, &v, 8); }

static uint32_t sk_off;
static int nkeys;

static int cmp_key(const void *a, const void *b)
{
	const key *x = *(key *const *)a, *y = *(key *const *)b;
	return strcasecmp(x->name, y->name);
}

static uint32_t write_key(key *k, uint32_t parent, int is_root)
{
	size_t nlen = strlen(k->name);
	for (size_t i = 0; i < nlen; i++)
		if ((unsigned char)k->name[i] >= 0x80)
			die("key names must be ASCII");
	uint32_t nk = cell(0x4C + nlen);
	uint32_t d = nk + 4;
	memcpy(buf + d, "nk", 2);
	put16(d + 0x02, (uint16_t)(0x20 | (is_root ? 0x0C : 0)));
	put64(d + 0x04, k->written);
	put32(d + 0x10, parent);
	put32(d + 0x14, (uint32_t)k->nsub);
	put32(d + 0x1C, 0xFFFFFFFF);
	put32(d + 0x20, 0xFFFFFFFF);
	put32(d + 0x24, (uint32_t)k->nval);
	put32(d + 0x28, 0xFFFFFFFF);
	put32(d + 0x2C, sk_off);
	put32(d + 0x30, 0xFFFFFFFF);
	put16(d + 0x48, (uint16_t)nlen);
	memcpy(buf + d + 0x4C, k->name, nlen);
	nkeys++;

	if (k->cls) {
		size_t cl = strlen(k->cls);
		uint32_t c = cell(cl * 2);
		for (size_t i = 0; i < cl; i++)
			put16(c + 4 + (uint32_t)i * 2, (unsigned char)k->cls[i]);
		put32(d + 0x30, c);
		put16(d + 0x4A, (uint16_t)(cl * 2));
	}

	uint32_t maxvn = 0, maxvd = 0;
	if (k->nval) {
		uint32_t list = cell(4u * k->nval);
		put32(nk + 4 + 0x28, list);
		for (int i = 0; i < k->nval; i++) {
			val *v = &k->vals[i];
			size_t vn = strlen(v->name);
			uint32_t vk = cell(0x14 + vn);
			uint32_t e = vk + 4;
			memcpy(buf + e, "vk", 2);
			put16(e + 0x02, (uint16_t)vn);
			put32(e + 0x0C, v->type);
			put16(e + 0x10, vn ? 1 : 0);
			memcpy(buf + e + 0x14, v->name, vn);
			if (v->len <= 4) {
				put32(e + 0x04, 0x80000000u | v->len);
				uint32_t inl = 0;
				memcpy(&inl, v->data, v->len);
				put32(e + 0x08, inl);
			} else {
				uint32_t dc = cell(v->len);
				memcpy(buf + dc + 4, v->data, v->len);
				put32(vk + 4 + 0x04, v->len);
				put32(vk + 4 + 0x08, dc);
			}
			put32(list + 4 + 4u * i, vk);
			if (vn * 2 > maxvn)
				maxvn = (uint32_t)vn * 2;
			if (v->len > maxvd)
				maxvd = v->len;
		}
		put32(nk + 4 + 0x3C, maxvn);
		put32(nk + 4 + 0x40, maxvd);
	}
	if (k->nsub) {
		qsort(k->sub, k->nsub, sizeof(*k->sub), cmp_key);
		uint32_t lf = cell(4 + 8u * k->nsub);
		memcpy(buf + lf + 4, "lf", 2);
		put16(lf + 4 + 2, (uint16_t)k->nsub);
		put32(nk + 4 + 0x1C, lf);
		uint32_t maxn = 0, maxc = 0;
		for (int i = 0; i < k->nsub; i++) {
			uint32_t child = write_key(k->sub[i], nk, 0);
			put32(lf + 4 + 4 + 8u * i, child);
			size_t hl = strlen(k->sub[i]->name);
			memcpy(buf + lf + 4 + 8 + 8u * i, k->sub[i]->name, hl < 4 ? hl : 4);
			uint32_t n2 = (uint32_t)strlen(k->sub[i]->name) * 2;
			if (n2 > maxn)
				maxn = n2;
			if (k->sub[i]->cls && strlen(k->sub[i]->cls) * 2 > maxc)
				maxc = (uint32_t)strlen(k->sub[i]->cls) * 2;
		}
		put32(nk + 4 + 0x34, maxn);
		put32(nk + 4 + 0x38, maxc);
	}
	return nk;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static void set_utf16(key *k, const char *name, uint32_t type, const char *text)
{
	size_t n = strlen(text);
	unsigned char *w = xcalloc(n * 2 + 2, 1);
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)text[i];
		uint32_t cp;
		int l;
		if (c < 0x80) { cp = c; l = 1; }
		else if ((c & 0xE0) == 0xC0) { cp = c & 0x1F; l = 2; }
		else if ((c & 0xF0) == 0xE0) { cp = c & 0x0F; l = 3; }
		else die("only BMP UTF-8 text is supported");
		for (int j = 1; j < l; j++)
			cp = (cp << 6) | ((unsigned char)text[i + j] & 0x3F);
		i += l;
		w[o++] = cp & 0xFF;
		w[o++] = (unsigned char)(cp >> 8);
	}
	o += 2;  /* terminating NUL */
	key_set(k, name, type, w, (uint32_t)o);
	free(w);
}

int main(int argc, char **argv)
{
	if (argc != 2)
		die("usage: mkhive OUT < description");
	key *root = key_new("ROOT");
	char line[65536];
	int ln = 0;
	while (fgets(line, sizeof(line), stdin)) {
		ln++;
		line[strcspn(line, "\r\n")] = 0;
		if (!line[0] || line[0] == '#')
			continue;
		char *f[5] = {0};
		int nf = 0;
		char *s = line;
		while (nf < 5 && s) {
			f[nf++] = strsep(&s, "\t");
		}
		char what = f[0][0];
		if (what == 'R' && nf >= 2) {
			free(root->name);
			root->name = strdup(f[1]);
			continue;
		}
		if (nf < 2) {
			fprintf(stderr, "mkhive: line %d: missing path\n", ln);
			return 2;
		}
		key *k = key_path(root, f[1]);
		switch (what) {
		case 'K':
			break;
		case 'C':
			if (nf < 3)
				die("C needs a class");
			free(k->cls);
			k->cls = strdup(f[2]);
			break;
		case 'W':
			if (nf < 3)
				die("W needs a FILETIME");
			k->written = strtoull(f[2], NULL, 0);
			break;
		default: {
			if (nf < 4) {
				fprintf(stderr, "mkhive: line %d: needs path, name and data\n", ln);
				return 2;
			}
			const char *name = f[2], *data = f[3];
			if (what == 'D') {
				uint32_t v = (uint32_t)strtoul(data, NULL, 0);
				key_set(k, name, 4, &v, 4);
			} else if (what == 'Q') {
				uint64_t v = strtoull(data, NULL, 0);
				key_set(k, name, 11, &v, 8);
			} else if (what == 'S') {
				set_utf16(k, name, 1, data);
			} else if (what == 'X') {
				set_utf16(k, name, 2, data);
			} else if (what == 'B') {
				size_t n = strlen(data) / 2;
				unsigned char *b = xcalloc(n + 1, 1);
				for (size_t i = 0; i < n; i++) {
					int hi = hexval(data[2 * i]), lo = hexval(data[2 * i + 1]);
					if (hi < 0 || lo < 0)
						die("bad hex");
					b[i] = (unsigned char)(hi << 4 | lo);
				}
				key_set(k, name, 3, b, (uint32_t)n);
				free(b);
			} else if (what == 'T') {
				key_set(k, name, (uint32_t)strtoul(data, NULL, 0), NULL, 0);
			} else {
				fprintf(stderr, "mkhive: line %d: unknown record '%c'\n", ln, what);
				return 2;
			}
		}
		}
	}

	/* one security descriptor shared by every key:
	 * owner Administrators, group SYSTEM, empty DACL */
	static const unsigned char sd[] = {
		1, 0, 0x04, 0x80, 20, 0, 0, 0, 36, 0, 0, 0, 0, 0, 0, 0, 48, 0, 0, 0,
		1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 2, 0, 0,
		1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0,
		2, 0, 8, 0, 0, 0, 0, 0,
	};
	sk_off = cell(0x14 + sizeof(sd));
	memcpy(buf + sk_off + 4, "sk", 2);
	put32(sk_off + 4 + 4, sk_off);
	put32(sk_off + 4 + 8, sk_off);
	put32(sk_off + 4 + 0x10, sizeof(sd));
	memcpy(buf + sk_off + 4 + 0x14, sd, sizeof(sd));
	uint32_t rootoff = write_key(root, 0xFFFFFFFF, 1);
	put32(sk_off + 4 + 0x0C, (uint32_t)nkeys);

	close_bin();
	size_t total = used;

	unsigned char base[4096] = {0};
	memcpy(base, "regf", 4);
	uint32_t one = 1, three = 3, zero = 0, rs = rootoff, hs = (uint32_t)total;
	memcpy(base + 4, &one, 4);
	memcpy(base + 8, &one, 4);
	memcpy(base + 0x0C, &DEFAULT_TIME, 8);
	memcpy(base + 0x14, &one, 4);
	memcpy(base + 0x18, &three, 4);
	memcpy(base + 0x1C, &zero, 4);
	memcpy(base + 0x20, &one, 4);
	memcpy(base + 0x24, &rs, 4);
	memcpy(base + 0x28, &hs, 4);
	memcpy(base + 0x2C, &one, 4);
	uint32_t sum = 0;
	for (int i = 0; i < 0x1FC; i += 4) {
		uint32_t w;
		memcpy(&w, base + i, 4);
		sum ^= w;
	}
	if (sum == 0)
		sum = 1;
	else if (sum == 0xFFFFFFFF)
		sum = 0xFFFFFFFE;
	memcpy(base + 0x1FC, &sum, 4);

	FILE *fp = fopen(argv[1], "wb");
	if (!fp) {
		perror(argv[1]);
		return 2;
	}
	if (fwrite(base, 1, sizeof(base), fp) != sizeof(base) || fwrite(buf, 1, total, fp) != total ||
	    fclose(fp) != 0) {
		perror(argv[1]);
		return 2;
	}
	key_free(root);
	free(buf);
	return 0;
}
