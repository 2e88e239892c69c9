/*
 * mkntds — writes a small Active Directory database (ntds.dit) for the
 * account tests: an ESE (Extensible Storage Engine) file whose "datatable"
 * holds the records given on standard input, one a line.
 *
 *   mkntds OUT.dit < records
 *
 * A record line is tab-separated COLUMN=VALUE pairs; a column left out is
 * not stored (NULL).  Columns: DNT_col, PDNT_col (numbers) and the
 * attribute columns of the schema below, named as Active Directory names
 * them (ATTm590045 is sAMAccountName, ...).  Values by column prefix:
 * ATTj 32-bit and ATTq/ATTl 64-bit numbers (decimal), ATTm text (UTF-8,
 * stored UTF-16LE), ATTk bytes (hex), ATTr a SID "S-1-5-21-a-b-c-RID"
 * (stored as the directory stores it: the RID big-endian).
 *
 * The layout follows the "Extensible Storage Engine (ESE) Database File
 * (EDB) format" document of libesedb, and for the parts that document leaves
 * open (page header, page tags, root page header, leaf keys, catalog
 * records) libesedb's reader: format 0x620 revision 9 (Windows Server 2003,
 * 8 KiB pages, XOR page checksums), a file header and its copy, page 1 the
 * database root, page 4 the catalog MSysObjects (describing itself and
 * datatable), page 5 datatable, page 24 the catalog's copy
 * MSysObjectsShadow (libesedb reads it): every tree one root leaf page, no long
 * values (each value fits in its record), no indexes besides the primary
 * keys the records are sorted by.  The output is checked with libesedb's
 * esedbexport by the tests, never by shodo alone.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PAGE 8192
#define PAGE_HDR 40
#define NPAGES 24 /* database pages 1..24 */
#define CAT_PAGE 4
#define DATA_PAGE 5
#define SHADOW_PAGE 24
#define OBJID_CATALOG 2
#define OBJID_SHADOW 3
#define OBJID_DATATABLE 8

enum { T_BIT = 1, T_SHORT = 3, T_LONG = 4, T_CURRENCY = 5, T_BINARY = 9, T_TEXT = 10, T_LBINARY = 11, T_LTEXT = 12 };
enum { C_FIXED = 0x1, C_TAGGED = 0x2 };

typedef struct {
	const char *name;
	int id, type, size, flags, codepage;
} column;

/* MSysObjects as far as shodo's reader and esedbexport need it: the fixed
 * columns up to LCMapFlags and the name (revision 9 has no KeyMost). */
static const column catalog_cols[] = {
	{"ObjidTable", 1, T_LONG, 4, C_FIXED, 0},  {"Type", 2, T_SHORT, 2, C_FIXED, 0},
	{"Id", 3, T_LONG, 4, C_FIXED, 0},          {"ColtypOrPgnoFDP", 4, T_LONG, 4, C_FIXED, 0},
	{"SpaceUsage", 5, T_LONG, 4, C_FIXED, 0},  {"Flags", 6, T_LONG, 4, C_FIXED, 0},
	{"PagesOrLocale", 7, T_LONG, 4, C_FIXED, 0}, {"RootFlag", 8, T_BIT, 1, C_FIXED, 0},
	{"RecordOffset", 9, T_SHORT, 2, C_FIXED, 0}, {"LCMapFlags", 10, T_LONG, 4, C_FIXED, 0},
	{"Name", 128, T_TEXT, 255, 0, 1252},
};

/* datatable: three fixed columns of the real table and, tagged as there,
 * the attributes of user objects (with the password columns, which shodo
 * must never read, and decoys a wrong mapping would pick: cn, lastLogon,
 * primaryGroupID, userPrincipalName). */
static const column data_cols[] = {
	{"DNT_col", 1, T_LONG, 4, C_FIXED, 0},
	{"PDNT_col", 2, T_LONG, 4, C_FIXED, 0},
	{"OBJ_col", 3, T_BIT, 1, C_FIXED, 0},
	{"ATTm3", 256, T_LTEXT, 0, C_TAGGED, 1200},         /* cn */
	{"ATTm13", 257, T_LTEXT, 0, C_TAGGED, 1200},        /* description */
	{"ATTl131074", 258, T_CURRENCY, 8, C_TAGGED, 0},    /* whenCreated */
	{"ATTm131085", 259, T_LTEXT, 0, C_TAGGED, 1200},    /* displayName */
	{"ATTj589832", 260, T_LONG, 4, C_TAGGED, 0},        /* userAccountControl */
	{"ATTj589836", 261, T_LONG, 4, C_TAGGED, 0},        /* badPwdCount */
	{"ATTq589873", 262, T_CURRENCY, 8, C_TAGGED, 0},    /* badPasswordTime */
	{"ATTq589876", 263, T_CURRENCY, 8, C_TAGGED, 0},    /* lastLogon */
	{"ATTk589879", 264, T_LBINARY, 0, C_TAGGED, 0},     /* dBCSPwd */
	{"ATTk589914", 265, T_LBINARY, 0, C_TAGGED, 0},     /* unicodePwd */
	{"ATTq589920", 266, T_CURRENCY, 8, C_TAGGED, 0},    /* pwdLastSet */
	{"ATTj589922", 267, T_LONG, 4, C_TAGGED, 0},        /* primaryGroupID */
	{"ATTk589949", 268, T_LBINARY, 0, C_TAGGED, 0},     /* supplementalCredentials */
	{"ATTr589970", 269, T_LBINARY, 0, C_TAGGED, 0},     /* objectSid */
	{"ATTj589974", 270, T_LONG, 4, C_TAGGED, 0},        /* adminCount */
	{"ATTj589993", 271, T_LONG, 4, C_TAGGED, 0},        /* logonCount */
	{"ATTm590045", 272, T_LTEXT, 0, C_TAGGED, 1200},    /* sAMAccountName */
	{"ATTj590126", 273, T_LONG, 4, C_TAGGED, 0},        /* sAMAccountType */
	{"ATTm590480", 274, T_LTEXT, 0, C_TAGGED, 1200},    /* userPrincipalName */
	{"ATTq591520", 275, T_CURRENCY, 8, C_TAGGED, 0},    /* lastLogonTimestamp */
};
#define NCAT (sizeof(catalog_cols) / sizeof(catalog_cols[0]))
#define NDATA (sizeof(data_cols) / sizeof(data_cols[0]))

static void die(const char *m, const char *detail)
{
	fprintf(stderr, "mkntds: %s%s%s\n", m, detail ? ": " : "", detail ? detail : "");
	exit(2);
}

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* a growing byte string */
typedef struct {
	uint8_t b[PAGE];
	size_t n;
} bytes;

static uint8_t *add(bytes *s, const void *p, size_t n)
{
	if (s->n + n > sizeof(s->b))
		die("record too large for a page", NULL);
	uint8_t *at = s->b + s->n;
	if (p)
		memcpy(at, p, n);
	else
		memset(at, 0, n);
	s->n += n;
	return at;
}

/* A normalised key column as ESE sorts it: 0x7f (not NULL), then the value
 * big-endian with its sign bit flipped. */
static void key_long(bytes *k, uint32_t v)
{
	uint8_t b[5] = {0x7f, (uint8_t)((v >> 24) ^ 0x80), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
	add(k, b, sizeof(b));
}

static void key_short(bytes *k, uint16_t v)
{
	uint8_t b[3] = {0x7f, (uint8_t)((v >> 8) ^ 0x80), (uint8_t)v};
	add(k, b, sizeof(b));
}

/* One page: header, values in order after it, tags from the end back. */
typedef struct {
	uint8_t d[PAGE];
	size_t used; /* bytes of values after the header */
	int ntags;
} page;

static void page_value(page *pg, const uint8_t *v, size_t n)
{
	size_t tags = 4 * (size_t)(pg->ntags + 1);
	if (PAGE_HDR + pg->used + n + tags > PAGE)
		die("page full", NULL);
	memcpy(pg->d + PAGE_HDR + pg->used, v, n);
	uint8_t *tag = pg->d + PAGE - tags; /* size, then offset (flags in its top 3 bits, none here) */
	put16(tag, (uint32_t)n);
	put16(tag + 2, (uint32_t)pg->used);
	pg->used += n;
	pg->ntags++;
}

/* The first value of a root page: initial pages, parent FDP page, extent
 * space (0: single extent, no space tree to read), space tree page. */
static void page_root(page *pg, uint32_t parent)
{
	uint8_t h[16] = {0};
	put32(h, 1);
	put32(h + 4, parent);
	page_value(pg, h, sizeof(h));
}

/* A leaf value: local key size, key, data (no common key). */
static void page_leaf(page *pg, const bytes *key, const bytes *data)
{
	bytes v = {.n = 0};
	uint8_t ks[2];
	put16(ks, (uint32_t)key->n);
	add(&v, ks, 2);
	add(&v, key->b, key->n);
	add(&v, data->b, data->n);
	page_value(pg, v.b, v.n);
}

static void page_finish(page *pg, uint32_t pgno, uint32_t objid, uint32_t flags)
{
	uint8_t *h = pg->d;
	put32(h + 4, pgno);
	put64(h + 8, 0x100); /* database time of the last change */
	put32(h + 24, objid);
	put16(h + 28, (uint32_t)(PAGE - PAGE_HDR - pg->used - 4 * (size_t)pg->ntags)); /* free bytes */
	put16(h + 32, (uint32_t)pg->used); /* first free byte after the values */
	put16(h + 34, (uint32_t)pg->ntags);
	put32(h + 36, flags);
	uint32_t x = 0x89abcdef;
	for (size_t i = 4; i < PAGE; i += 4)
		x ^= get32(h + i);
	put32(h, x);
}

/* A record (data definition): header, fixed columns, their NULL bits,
 * variable-size column ends, variable data, tagged columns (an array of
 * identifier/offset pairs relative to its own start, then the values). */
typedef struct {
	int present;
	uint8_t v[512];
	size_t n;
} value;

static void record(bytes *out, const column *cols, size_t ncols, const value *vals)
{
	int last_fixed = 0, last_var = 127;
	size_t fixed = 0;
	for (size_t i = 0; i < ncols; i++) {
		if (cols[i].id < 128 && vals[i].present) {
			last_fixed = cols[i].id;
		} else if (cols[i].id < 256 && cols[i].id >= 128 && vals[i].present)
			last_var = cols[i].id;
	}
	for (size_t i = 0; i < ncols; i++)
		if (cols[i].id <= last_fixed)
			fixed += (size_t)cols[i].size;
	size_t var_at = 4 + fixed + (size_t)(last_fixed + 7) / 8;
	uint8_t *h = add(out, NULL, 4);
	h[0] = (uint8_t)last_fixed;
	h[1] = (uint8_t)last_var;
	put16(h + 2, (uint32_t)var_at);
	for (size_t i = 0; i < ncols; i++)
		if (cols[i].id <= last_fixed) {
			if (vals[i].present && vals[i].n != (size_t)cols[i].size)
				die("fixed column of the wrong size", cols[i].name);
			add(out, vals[i].present ? vals[i].v : NULL, (size_t)cols[i].size);
		}
	uint8_t *nulls = add(out, NULL, (size_t)(last_fixed + 7) / 8);
	for (size_t i = 0; i < ncols; i++)
		if (cols[i].id <= last_fixed && !vals[i].present)
			nulls[(cols[i].id - 1) / 8] |= (uint8_t)(1u << ((cols[i].id - 1) % 8));
	/* variable-size columns: each entry the end of its value, 0x8000 = NULL */
	size_t nvar = (size_t)(last_var - 127), end = 0;
	uint8_t *ends = add(out, NULL, 2 * nvar);
	for (int id = 128; id <= last_var; id++) {
		size_t i = 0;
		while (i < ncols && cols[i].id != id)
			i++;
		if (i < ncols && vals[i].present) {
			add(out, vals[i].v, vals[i].n);
			end += vals[i].n;
			put16(ends + 2 * (id - 128), (uint32_t)end);
		} else
			put16(ends + 2 * (id - 128), (uint32_t)end | 0x8000);
	}
	size_t ntag = 0;
	for (size_t i = 0; i < ncols; i++)
		if (cols[i].id >= 256 && vals[i].present)
			ntag++;
	if (!ntag)
		return;
	uint8_t *dir = add(out, NULL, 4 * ntag);
	size_t off = 4 * ntag, k = 0;
	for (size_t i = 0; i < ncols; i++)
		if (cols[i].id >= 256 && vals[i].present) {
			put16(dir + 4 * k, (uint32_t)cols[i].id);
			put16(dir + 4 * k + 2, (uint32_t)off);
			add(out, vals[i].v, vals[i].n);
			off += vals[i].n;
			k++;
		}
	if (off > 0x3fff)
		die("tagged values too large", NULL);
}

static void set_u32(value *v, uint32_t x)
{
	v->present = 1;
	v->n = 4;
	put32(v->v, x);
}

static void set_u16(value *v, uint16_t x)
{
	v->present = 1;
	v->n = 2;
	put16(v->v, x);
}

static void set_u8(value *v, uint8_t x)
{
	v->present = 1;
	v->n = 1;
	v->v[0] = x;
}

static void set_text(value *v, const char *s)
{
	v->present = 1;
	v->n = strlen(s);
	if (v->n > sizeof(v->v))
		die("name too long", s);
	memcpy(v->v, s, v->n);
}

/* UTF-8 to UTF-16LE (the basic plane and surrogate pairs) */
static void set_utf16(value *v, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	v->present = 1;
	v->n = 0;
	while (*p) {
		uint32_t c;
		int more;
		if (*p < 0x80)
			c = *p, more = 0;
		else if ((*p & 0xe0) == 0xc0)
			c = *p & 0x1f, more = 1;
		else if ((*p & 0xf0) == 0xe0)
			c = *p & 0x0f, more = 2;
		else
			c = *p & 0x07, more = 3;
		p++;
		while (more-- > 0) {
			if ((*p & 0xc0) != 0x80)
				die("not UTF-8", s);
			c = c << 6 | (*p++ & 0x3f);
		}
		if (v->n + 4 > sizeof(v->v))
			die("text too long", s);
		if (c >= 0x10000) {
			c -= 0x10000;
			put16(v->v + v->n, 0xd800 | (c >> 10));
			put16(v->v + v->n + 2, 0xdc00 | (c & 0x3ff));
			v->n += 4;
		} else {
			put16(v->v + v->n, c);
			v->n += 2;
		}
	}
}

static void set_hex(value *v, const char *s)
{
	size_t n = strlen(s);
	if (n % 2 || n / 2 > sizeof(v->v))
		die("bad hex", s);
	v->present = 1;
	v->n = n / 2;
	for (size_t i = 0; i < v->n; i++) {
		unsigned x;
		if (sscanf(s + 2 * i, "%2x", &x) != 1)
			die("bad hex", s);
		v->v[i] = (uint8_t)x;
	}
}

/* S-1-5-21-a-b-c-RID: revision, count, 48-bit authority big-endian,
 * sub-authorities little-endian, except the RID, which the directory
 * stores big-endian so that its index sorts by it. */
static void set_sid(value *v, const char *s)
{
	unsigned long long auth;
	unsigned long sub[15];
	int n = 0, used = 0;
	if (sscanf(s, "S-1-%llu%n", &auth, &used) != 1)
		die("bad SID", s);
	s += used;
	while (*s == '-' && n < 15) {
		if (sscanf(s, "-%lu%n", &sub[n], &used) != 1)
			die("bad SID", s);
		n++;
		s += used;
	}
	if (*s || n < 1)
		die("bad SID", s);
	v->present = 1;
	v->n = 8 + 4 * (size_t)n;
	v->v[0] = 1;
	v->v[1] = (uint8_t)n;
	for (int i = 0; i < 6; i++)
		v->v[2 + i] = (uint8_t)(auth >> (8 * (5 - i)));
	for (int i = 0; i < n - 1; i++)
		put32(v->v + 8 + 4 * i, (uint32_t)sub[i]);
	uint8_t *r = v->v + 8 + 4 * (n - 1);
	r[0] = (uint8_t)(sub[n - 1] >> 24);
	r[1] = (uint8_t)(sub[n - 1] >> 16);
	r[2] = (uint8_t)(sub[n - 1] >> 8);
	r[3] = (uint8_t)sub[n - 1];
}

static void catalog_entry(page *pg, uint32_t objid, uint16_t type, uint32_t id, uint32_t coltyp_or_pgno,
                          uint32_t space, uint32_t flags, uint32_t pages_or_cp, const char *name)
{
	value vals[NCAT];
	memset(vals, 0, sizeof(vals));
	set_u32(&vals[0], objid);
	set_u16(&vals[1], type);
	set_u32(&vals[2], id);
	set_u32(&vals[3], coltyp_or_pgno);
	set_u32(&vals[4], space);
	set_u32(&vals[5], flags);
	set_u32(&vals[6], pages_or_cp);
	set_u8(&vals[7], 0);
	set_u16(&vals[8], 0);
	set_u32(&vals[9], 0);
	set_text(&vals[10], name);
	bytes key = {.n = 0}, data = {.n = 0};
	key_long(&key, objid);
	key_short(&key, type);
	key_long(&key, id);
	record(&data, catalog_cols, NCAT, vals);
	page_leaf(pg, &key, &data);
}

static void catalog_table(page *pg, uint32_t objid, uint32_t pgno, const char *name, const column *cols,
                          size_t ncols)
{
	catalog_entry(pg, objid, 1, objid, pgno, 80, 0, 1, name);
	for (size_t i = 0; i < ncols; i++)
		catalog_entry(pg, objid, 2, (uint32_t)cols[i].id, (uint32_t)cols[i].type, (uint32_t)cols[i].size,
		              (uint32_t)cols[i].flags, (uint32_t)cols[i].codepage, cols[i].name);
}

typedef struct {
	uint32_t dnt;
	bytes data;
} row;

static int row_cmp(const void *a, const void *b)
{
	uint32_t x = ((const row *)a)->dnt, y = ((const row *)b)->dnt;
	return x < y ? -1 : x > y;
}

static void parse_line(char *line, row *r, uint32_t next_dnt)
{
	value vals[NDATA];
	memset(vals, 0, sizeof(vals));
	set_u32(&vals[0], next_dnt);
	set_u32(&vals[1], 2);
	set_u8(&vals[2], 1);
	for (char *tok = strtok(line, "\t\n"); tok; tok = strtok(NULL, "\t\n")) {
		char *eq = strchr(tok, '=');
		if (!eq)
			die("not COLUMN=VALUE", tok);
		*eq = '\0';
		const char *val = eq + 1;
		size_t i = 0;
		while (i < NDATA && strcmp(data_cols[i].name, tok))
			i++;
		if (i == NDATA)
			die("no such column", tok);
		char *end;
		switch (tok[0] == 'A' ? tok[3] : 'n') {
		case 'j':
		case 'n':
			set_u32(&vals[i], (uint32_t)strtoll(val, &end, 10));
			if (*end)
				die("not a number", val);
			break;
		case 'q':
		case 'l':
			vals[i].present = 1;
			vals[i].n = 8;
			put64(vals[i].v, strtoull(val, &end, 10));
			if (*end)
				die("not a number", val);
			break;
		case 'm':
			set_utf16(&vals[i], val);
			break;
		case 'k':
			set_hex(&vals[i], val);
			break;
		case 'r':
			set_sid(&vals[i], val);
			break;
		default:
			die("unknown column type", tok);
		}
	}
	r->dnt = get32(vals[0].v);
	r->data.n = 0;
	record(&r->data, data_cols, NDATA, vals);
}

/* the file header (page size bytes; a copy follows it) */
static void file_header(uint8_t *h)
{
	memset(h, 0, PAGE);
	put32(h + 4, 0x89abcdef);
	put32(h + 8, 0x620); /* format version */
	put32(h + 12, 0);    /* a database, not a streaming file */
	put64(h + 16, 0x100); /* database time */
	put32(h + 24, 0x5eed1234); /* signature: random number, creation time, computer */
	h[28] = 0, h[29] = 0, h[30] = 12, h[31] = 1, h[32] = 3, h[33] = 124; /* 2024-03-01 12:00:00 */
	memcpy(h + 36, "DC01", 4);
	put32(h + 52, 3); /* clean shutdown */
	memcpy(h + 104, h + 24, 28); /* log signature */
	put32(h + 212, OBJID_DATATABLE); /* last object identifier */
	put32(h + 216, 5);
	put32(h + 220, 2);
	put32(h + 224, 3790); /* Windows Server 2003 */
	put32(h + 232, 9); /* format revision */
	put32(h + 236, PAGE);
	put32(h + 340, 0x620);
	put32(h + 344, 9);
	uint32_t x = 0x89abcdef;
	for (size_t i = 4; i < PAGE; i += 4)
		x ^= get32(h + i);
	put32(h, x);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: mkntds OUT.dit < records\n");
		return 2;
	}
	static row rows[64];
	size_t nrows = 0;
	char line[8192];
	while (fgets(line, sizeof(line), stdin)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (nrows == sizeof(rows) / sizeof(rows[0]))
			die("too many records", NULL);
		/* directory objects are numbered from 3 (1 and 2 are the root and its child) */
		parse_line(line, &rows[nrows], (uint32_t)(3 + nrows));
		nrows++;
	}
	qsort(rows, nrows, sizeof(rows[0]), row_cmp);

	static page pages[NPAGES + 1];
	/* 1: the database's own tree, empty */
	page_root(&pages[1], 0);
	page_finish(&pages[1], 1, 1, 0x3);
	/* 4: the catalog, sorted by (table, type, id) */
	page_root(&pages[CAT_PAGE], 1);
	catalog_table(&pages[CAT_PAGE], OBJID_CATALOG, CAT_PAGE, "MSysObjects", catalog_cols, NCAT);
	catalog_table(&pages[CAT_PAGE], OBJID_DATATABLE, DATA_PAGE, "datatable", data_cols, NDATA);
	page_finish(&pages[CAT_PAGE], CAT_PAGE, OBJID_CATALOG, 0x3);
	/* 24: its copy, MSysObjectsShadow (libesedb reads it too) */
	memcpy(&pages[SHADOW_PAGE], &pages[CAT_PAGE], sizeof(page));
	memset(pages[SHADOW_PAGE].d, 0, PAGE_HDR);
	page_finish(&pages[SHADOW_PAGE], SHADOW_PAGE, OBJID_SHADOW, 0x3);
	/* 5: datatable, sorted by DNT */
	page_root(&pages[DATA_PAGE], 1);
	for (size_t i = 0; i < nrows; i++) {
		bytes key = {.n = 0};
		key_long(&key, rows[i].dnt);
		page_leaf(&pages[DATA_PAGE], &key, &rows[i].data);
	}
	page_finish(&pages[DATA_PAGE], DATA_PAGE, OBJID_DATATABLE, 0x3);

	static uint8_t hdr[PAGE];
	file_header(hdr);
	FILE *fp = fopen(argv[1], "wb");
	if (!fp)
		die("cannot create", argv[1]);
	static const uint8_t zero[PAGE];
	int ok = fwrite(hdr, PAGE, 1, fp) == 1 && fwrite(hdr, PAGE, 1, fp) == 1;
	for (int p = 1; p <= NPAGES && ok; p++)
		ok = fwrite(pages[p].ntags ? pages[p].d : zero, PAGE, 1, fp) == 1;
	if (fclose(fp) != 0 || !ok)
		die("cannot write", argv[1]);
	return 0;
}
