/*
 * mkevtx — writes a small Windows XML event log (.evtx, format 3.1) from a
 * text description, for tests.  Records are written the way Windows writes
 * them: each one a template instance whose template definition is stored
 * inline the first time its shape occurs in a chunk and referenced by offset
 * after that; System fields and EventData/UserData values are substitutions
 * with their value types; chunk and file header checksums are CRC32.  The
 * tests read the result back with evtxexport before trusting it.
 *
 * Description on stdin, one item per line, fields separated by TABs:
 *
 *   F<TAB>dirty|full                 file flags (default: none, a cleanly closed log)
 *   N                                start a new chunk here
 *   R<TAB>id<TAB>time<TAB>provider<TAB>event id<TAB>channel<TAB>computer[<TAB>user SID]
 *                                    a record: record identifier, TimeCreated
 *                                    (ISO 8601 UTC, up to 7 fraction digits; also
 *                                    the record's written time)
 *   D<TAB>name<TAB>type<TAB>value    an EventData <Data Name="name"> value
 *                                    (name "-": a <Data> without a name, as
 *                                    classic events write them)
 *   U<TAB>element<TAB>xmlns          UserData: <UserData><element xmlns="xmlns">
 *   V<TAB>name<TAB>type<TAB>value    a child of the UserData element
 *
 * Types: s (string), u8, u16, u32, u64, x32, x64 (hexadecimal integers),
 * sid (S-1-...), guid ({...}), ft (FILETIME from ISO 8601), null (absent).
 *
 *   mkevtx OUT.evtx < description
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#define CHUNK 65536
#define MAXV 96
#define MAXREC 4096

static void die(const char *m, const char *what)
{
	fprintf(stderr, "mkevtx: %s%s%s\n", m, what ? ": " : "", what ? what : "");
	exit(2);
}

static void w16(unsigned char *p, uint32_t v) { p[0] = (unsigned char)v; p[1] = (unsigned char)(v >> 8); }
static void w32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}
static void w64(unsigned char *p, uint64_t v)
{
	w32(p, (uint32_t)v);
	w32(p + 4, (uint32_t)(v >> 32));
}

/* ---- one value of a record ---- */
typedef struct value {
	uint8_t type;            /* binary XML value type */
	unsigned char data[512];
	uint16_t len;
} value;

static uint64_t iso_filetime(const char *s)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	int frac_digits = 0;
	uint64_t frac = 0;
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
	           &tm.tm_sec) != 6)
		die("bad time", s);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	const char *p = strchr(s, '.');
	if (p)
		for (p++; *p >= '0' && *p <= '9' && frac_digits < 7; p++, frac_digits++)
			frac = frac * 10 + (uint64_t)(*p - '0');
	for (; frac_digits < 7; frac_digits++)
		frac *= 10;
	return ((uint64_t)timegm(&tm) + 11644473600ULL) * 10000000ULL + frac;
}

static uint16_t utf16(const char *s, unsigned char *out, size_t cap)
{
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		uint32_t c = *p++;
		if (c >= 0xC0) {
			int n = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
			c &= 0x3F >> n;
			while (n-- && (*p & 0xC0) == 0x80)
				c = c << 6 | (*p++ & 0x3F);
		}
		if (c >= 0x10000) {
			if (o + 4 > cap)
				die("string too long", s);
			c -= 0x10000;
			w16(out + o, 0xD800 | (c >> 10));
			w16(out + o + 2, 0xDC00 | (c & 0x3FF));
			o += 4;
		} else {
			if (o + 2 > cap)
				die("string too long", s);
			w16(out + o, c);
			o += 2;
		}
	}
	return (uint16_t)o;
}

static void parse_value(const char *type, const char *text, value *v)
{
	unsigned long long n = strtoull(text, NULL, 0);
	memset(v, 0, sizeof(*v));
	if (!strcmp(type, "s")) {
		v->type = 0x01;
		v->len = utf16(text, v->data, sizeof(v->data));
	} else if (!strcmp(type, "u8")) {
		v->type = 0x04, v->len = 1, v->data[0] = (unsigned char)n;
	} else if (!strcmp(type, "u16")) {
		v->type = 0x06, v->len = 2, w16(v->data, (uint32_t)n);
	} else if (!strcmp(type, "u32")) {
		v->type = 0x08, v->len = 4, w32(v->data, (uint32_t)n);
	} else if (!strcmp(type, "u64")) {
		v->type = 0x0a, v->len = 8, w64(v->data, n);
	} else if (!strcmp(type, "x32")) {
		v->type = 0x14, v->len = 4, w32(v->data, (uint32_t)n);
	} else if (!strcmp(type, "x64")) {
		v->type = 0x15, v->len = 8, w64(v->data, n);
	} else if (!strcmp(type, "ft")) {
		v->type = 0x11, v->len = 8, w64(v->data, iso_filetime(text));
	} else if (!strcmp(type, "null")) {
		v->type = 0x00, v->len = 0;
	} else if (!strcmp(type, "sid")) {
		/* S-1-<authority>-<sub>... */
		unsigned long long auth = 0;
		const char *p = text;
		if (strncmp(p, "S-1-", 4))
			die("bad SID", text);
		p += 4;
		auth = strtoull(p, (char **)&p, 10);
		v->type = 0x13;
		v->data[0] = 1;
		for (int i = 0; i < 6; i++)
			v->data[2 + i] = (unsigned char)(auth >> (8 * (5 - i)));
		int k = 0;
		while (*p == '-' && k < 15) {
			p++;
			w32(v->data + 8 + 4 * k, (uint32_t)strtoul(p, (char **)&p, 10));
			k++;
		}
		v->data[1] = (unsigned char)k;
		v->len = (uint16_t)(8 + 4 * k);
	} else if (!strcmp(type, "guid")) {
		unsigned a, b, c, d[8];
		if (sscanf(text, "{%8x-%4x-%4x-%2x%2x-%2x%2x%2x%2x%2x%2x}", &a, &b, &c, &d[0], &d[1], &d[2], &d[3], &d[4],
		           &d[5], &d[6], &d[7]) != 11)
			die("bad GUID", text);
		v->type = 0x0f, v->len = 16;
		w32(v->data, a);
		w16(v->data + 4, b);
		w16(v->data + 6, c);
		for (int i = 0; i < 8; i++)
			v->data[8 + i] = (unsigned char)d[i];
	} else {
		die("unknown type", type);
	}
}

/* ---- one record as read from the description ---- */
typedef struct field {
	char name[128];
	value v;
} field;

typedef struct record {
	uint64_t id, time;
	char provider[256], channel[256], computer[256], sid[128];
	uint32_t event_id;
	int userdata;
	char ud_element[128], ud_ns[256];
	field f[MAXV];
	int nf;
} record;

/* ---- the chunk being filled ---- */
static unsigned char chunk[CHUNK];
static size_t pos;                 /* write position in the chunk */
static uint64_t first_id, last_id;
static uint32_t last_off;
static int nrec_chunk;
static struct tmpl {
	char *shape;
	uint32_t def_off, id;
} tmpls[256];
static int ntmpl;

static void put(const void *p, size_t n)
{
	if (pos + n > CHUNK)
		die("record does not fit in a chunk", NULL);
	memcpy(chunk + pos, p, n);
	pos += n;
}
static void put8(uint8_t v) { put(&v, 1); }
static void put16(uint32_t v)
{
	unsigned char b[2];
	w16(b, v);
	put(b, 2);
}
static void put32(uint32_t v)
{
	unsigned char b[4];
	w32(b, v);
	put(b, 4);
}

/* a name stored inline (its offset is where it starts) */
static void put_name(const char *name)
{
	unsigned char u[512];
	uint16_t len = utf16(name, u, sizeof(u));
	uint32_t hash = 0;
	for (uint16_t i = 0; i < len; i += 2)
		hash = hash * 65599 + (uint32_t)(u[i] | u[i + 1] << 8);
	put32((uint32_t)(pos + 4)); /* the name offset field: the name follows */
	put32(0);                   /* next name in the chunk's string table */
	put16(hash & 0xFFFF);
	put16(len / 2);
	put(u, len);
	put16(0);
}

/* element start: token, dependency id, data size (patched by elem_end) */
static size_t elem_start(const char *name, int has_attrs)
{
	size_t at = pos;
	put8(has_attrs ? 0x41 : 0x01);
	put16(0xFFFF);
	put32(0);
	put_name(name);
	return at;
}

static void elem_end(size_t at) { w32(chunk + at + 3, (uint32_t)(pos - (at + 7))); }

/* attribute list: size patched by attrs_end */
static size_t attrs_start(void)
{
	size_t at = pos;
	put32(0);
	return at;
}
static void attrs_end(size_t at) { w32(chunk + at, (uint32_t)(pos - at - 4)); }

static void attr_name(const char *name, int more)
{
	put8(more ? 0x46 : 0x06);
	put_name(name);
}

static void text(const char *s)
{
	unsigned char u[1024];
	uint16_t len = utf16(s, u, sizeof(u));
	put8(0x05);
	put8(0x01);
	put16(len / 2);
	put(u, len);
}

static void subst(int optional, int index, uint8_t type)
{
	put8(optional ? 0x0e : 0x0d);
	put16((uint32_t)index);
	put8(type);
}

/* <name>{substitution}</name> */
static void elem_subst(const char *name, int optional, int index, uint8_t type)
{
	size_t e = elem_start(name, 0);
	put8(0x02);
	subst(optional, index, type);
	put8(0x04);
	elem_end(e);
}

/* The template body for a record's shape; substitution indexes:
 * 0 EventID, 1 Version, 2 Level, 3 Task, 4 Opcode, 5 Keywords,
 * 6 TimeCreated, 7 EventRecordID, 8 ProcessID, 9 ThreadID, 10 Channel,
 * 11 Computer, 12 UserID, 13.. the fields */
#define NSYS 13
static void write_template(const record *r, const value *vals)
{
	put8(0x0f), put8(0x01), put8(0x01), put8(0x00);
	size_t ev = elem_start("Event", 1);
	size_t al = attrs_start();
	attr_name("xmlns", 0);
	text("http://schemas.microsoft.com/win/2004/08/events/event");
	attrs_end(al);
	put8(0x02);
	{
		size_t sys = elem_start("System", 0);
		put8(0x02);
		size_t pr = elem_start("Provider", 1);
		al = attrs_start();
		attr_name("Name", 0);
		text(r->provider);
		attrs_end(al);
		put8(0x03);
		elem_end(pr);
		elem_subst("EventID", 0, 0, vals[0].type);
		elem_subst("Version", 0, 1, vals[1].type);
		elem_subst("Level", 0, 2, vals[2].type);
		elem_subst("Task", 0, 3, vals[3].type);
		elem_subst("Opcode", 0, 4, vals[4].type);
		elem_subst("Keywords", 0, 5, vals[5].type);
		size_t tc = elem_start("TimeCreated", 1);
		al = attrs_start();
		attr_name("SystemTime", 0);
		subst(0, 6, vals[6].type);
		attrs_end(al);
		put8(0x03);
		elem_end(tc);
		elem_subst("EventRecordID", 0, 7, vals[7].type);
		size_t co = elem_start("Correlation", 0);
		put8(0x03);
		elem_end(co);
		size_t ex = elem_start("Execution", 1);
		al = attrs_start();
		attr_name("ProcessID", 1);
		subst(0, 8, vals[8].type);
		attr_name("ThreadID", 0);
		subst(0, 9, vals[9].type);
		attrs_end(al);
		put8(0x03);
		elem_end(ex);
		elem_subst("Channel", 0, 10, vals[10].type);
		elem_subst("Computer", 0, 11, vals[11].type);
		size_t se = elem_start("Security", 1);
		al = attrs_start();
		attr_name("UserID", 0);
		subst(1, 12, 0x13);
		attrs_end(al);
		put8(0x03);
		elem_end(se);
		put8(0x04);
		elem_end(sys);
	}
	if (r->userdata) {
		size_t ud = elem_start("UserData", 0);
		put8(0x02);
		size_t x = elem_start(r->ud_element, 1);
		al = attrs_start();
		attr_name("xmlns", 0);
		text(r->ud_ns);
		attrs_end(al);
		put8(0x02);
		for (int i = 0; i < r->nf; i++)
			elem_subst(r->f[i].name, 1, NSYS + i, vals[NSYS + i].type);
		put8(0x04);
		elem_end(x);
		put8(0x04);
		elem_end(ud);
	} else if (r->nf) {
		size_t ed = elem_start("EventData", 0);
		put8(0x02);
		for (int i = 0; i < r->nf; i++) {
			int named = strcmp(r->f[i].name, "-") != 0;
			size_t d = elem_start("Data", named);
			if (named) {
				al = attrs_start();
				attr_name("Name", 0);
				text(r->f[i].name);
				attrs_end(al);
			}
			put8(0x02);
			subst(1, NSYS + i, vals[NSYS + i].type);
			put8(0x04);
			elem_end(d);
		}
		put8(0x04);
		elem_end(ed);
	}
	put8(0x04);
	elem_end(ev);
	put8(0x00); /* end of the template's fragment */
}

/* the record's shape: what makes two records share a template */
static char *shape_of(const record *r, const value *vals, int nv)
{
	size_t cap = 256 + (size_t)nv * 140 + strlen(r->provider) + strlen(r->ud_element) + strlen(r->ud_ns);
	char *s = malloc(cap);
	if (!s)
		die("out of memory", NULL);
	size_t o = (size_t)snprintf(s, cap, "%s|%d|%s|%s|", r->provider, r->userdata, r->ud_element, r->ud_ns);
	for (int i = 0; i < nv; i++)
		o += (size_t)snprintf(s + o, cap - o, "%s:%u,", i >= NSYS ? r->f[i - NSYS].name : "", vals[i].type);
	return s;
}

static FILE *out;
static int nchunks;
static uint64_t next_id = 1;

static void chunk_reset(void)
{
	memset(chunk, 0, sizeof(chunk));
	memcpy(chunk, "ElfChnk", 8);
	pos = 512;
	nrec_chunk = 0;
	last_off = 0;
	for (int i = 0; i < ntmpl; i++)
		free(tmpls[i].shape);
	ntmpl = 0;
}

static void chunk_flush(void)
{
	if (!nrec_chunk)
		return;
	w64(chunk + 8, first_id);
	w64(chunk + 16, last_id);
	w64(chunk + 24, first_id);
	w64(chunk + 32, last_id);
	w32(chunk + 40, 128);
	w32(chunk + 44, last_off);
	w32(chunk + 48, (uint32_t)pos);
	w32(chunk + 52, (uint32_t)crc32(0, chunk + 512, (uInt)(pos - 512)));
	uLong c = crc32(0, chunk, 120);
	c = crc32(c, chunk + 128, 384);
	w32(chunk + 124, (uint32_t)c);
	if (fwrite(chunk, 1, CHUNK, out) != CHUNK)
		die("cannot write", NULL);
	nchunks++;
	chunk_reset();
}

static void write_record(const record *r)
{
	value vals[NSYS + MAXV];
	memset(vals, 0, sizeof(vals));
	int security = !strcmp(r->provider, "Microsoft-Windows-Security-Auditing");
	char num[32];
	snprintf(num, sizeof(num), "%u", r->event_id);
	parse_value("u16", num, &vals[0]);
	parse_value("u8", security ? "2" : "0", &vals[1]);
	parse_value("u8", security ? "0" : "4", &vals[2]);
	parse_value("u16", security ? "12544" : "0", &vals[3]);
	parse_value("u8", "0", &vals[4]);
	parse_value("x64", security ? "0x8020000000000000" : "0x8000000000000000", &vals[5]);
	vals[6].type = 0x11, vals[6].len = 8, w64(vals[6].data, r->time);
	vals[7].type = 0x0a, vals[7].len = 8, w64(vals[7].data, r->id);
	parse_value("u32", "652", &vals[8]);
	parse_value("u32", "4012", &vals[9]);
	parse_value("s", r->channel, &vals[10]);
	parse_value("s", r->computer, &vals[11]);
	parse_value(r->sid[0] ? "sid" : "null", r->sid, &vals[12]);
	int nv = NSYS + r->nf;
	for (int i = 0; i < r->nf; i++)
		vals[NSYS + i] = r->f[i].v;

	char *shape = shape_of(r, vals, nv);
	/* room for the largest record this can be: start a new chunk if needed */
	size_t need = 24 + 4 + 10 + 24 + 4096 + 4 + 4 * (size_t)nv + 4 + 4;
	for (int i = 0; i < nv; i++)
		need += vals[i].len;
	if (pos + need > CHUNK)
		chunk_flush();
	int t = -1;
	for (int i = 0; i < ntmpl; i++)
		if (!strcmp(tmpls[i].shape, shape))
			t = i;

	size_t rec = pos;
	if (!nrec_chunk)
		first_id = r->id;
	put("**\0\0", 4);
	put32(0);
	unsigned char b8[8];
	w64(b8, r->id);
	put(b8, 8);
	w64(b8, r->time);
	put(b8, 8);
	put8(0x0f), put8(0x01), put8(0x01), put8(0x00);
	put8(0x0c);
	put8(0x01);
	if (t >= 0) {
		put32(tmpls[t].id);
		put32(tmpls[t].def_off);
		free(shape);
	} else {
		if (ntmpl == (int)(sizeof(tmpls) / sizeof(tmpls[0])))
			die("too many record shapes in one chunk", NULL);
		uint32_t id = (uint32_t)crc32(0, (const unsigned char *)shape, (uInt)strlen(shape));
		put32(id);
		uint32_t def = (uint32_t)(pos + 4);
		put32(def);
		put32(0); /* next template definition */
		unsigned char guid[16];
		for (int i = 0; i < 4; i++)
			w32(guid + 4 * i, id * (uint32_t)(i + 1) + 0x9e3779b9u);
		put(guid, 16);
		size_t size_at = pos;
		put32(0);
		write_template(r, vals);
		w32(chunk + size_at, (uint32_t)(pos - size_at - 4));
		tmpls[ntmpl].shape = shape;
		tmpls[ntmpl].def_off = def;
		tmpls[ntmpl].id = id;
		ntmpl++;
	}
	/* template instance data: descriptors, then the values */
	put32((uint32_t)nv);
	for (int i = 0; i < nv; i++) {
		put16(vals[i].len);
		put8(vals[i].type);
		put8(0);
	}
	for (int i = 0; i < nv; i++)
		put(vals[i].data, vals[i].len);
	put8(0x00); /* end of the record's document */
	uint32_t size = (uint32_t)(pos - rec + 4);
	put32(size);
	w32(chunk + rec + 4, size);
	last_off = (uint32_t)rec;
	last_id = r->id;
	nrec_chunk++;
	if (r->id >= next_id)
		next_id = r->id + 1;
}

static char *field_at(char *line, int n)
{
	char *p = line;
	for (int i = 0; i < n && p; i++) {
		p = strchr(p, '\t');
		if (p)
			p++;
	}
	if (!p)
		return NULL;
	static char buf[8][1024];
	static int k;
	char *o = buf[k++ & 7];
	size_t l = strcspn(p, "\t\n");
	if (l >= 1024)
		l = 1023;
	memcpy(o, p, l);
	o[l] = '\0';
	return o;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: mkevtx OUT.evtx < description\n");
		return 2;
	}
	out = fopen(argv[1], "wb");
	if (!out)
		die("cannot create", argv[1]);
	unsigned char hdr[4096];
	memset(hdr, 0, sizeof(hdr));
	if (fwrite(hdr, 1, sizeof(hdr), out) != sizeof(hdr))
		die("cannot write", argv[1]);
	chunk_reset();
	uint32_t flags = 0;
	char line[8192];
	record *r = calloc(1, sizeof(*r));
	int have = 0;
	if (!r)
		die("out of memory", NULL);
	while (fgets(line, sizeof(line), stdin)) {
		char *name, *type, *val;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (line[0] != 'R' && line[0] != 'D' && line[0] != 'U' && line[0] != 'V' && have) {
			write_record(r);
			have = 0;
		}
		switch (line[0]) {
		case 'F':
			val = field_at(line, 1);
			if (val && !strcmp(val, "dirty"))
				flags |= 1;
			else if (val && !strcmp(val, "full"))
				flags |= 2;
			else
				die("bad flag line", line);
			break;
		case 'N':
			chunk_flush();
			break;
		case 'R': {
			if (have)
				write_record(r);
			memset(r, 0, sizeof(*r));
			char *f[8];
			for (int i = 1; i < 8; i++)
				f[i] = field_at(line, i);
			if (!f[1] || !f[2] || !f[3] || !f[4] || !f[5] || !f[6])
				die("a record line needs id, time, provider, event id, channel, computer", line);
			r->id = strtoull(f[1], NULL, 10);
			r->time = iso_filetime(f[2]);
			snprintf(r->provider, sizeof(r->provider), "%s", f[3]);
			r->event_id = (uint32_t)strtoul(f[4], NULL, 10);
			snprintf(r->channel, sizeof(r->channel), "%s", f[5]);
			snprintf(r->computer, sizeof(r->computer), "%s", f[6]);
			if (f[7])
				snprintf(r->sid, sizeof(r->sid), "%s", f[7]);
			have = 1;
			break;
		}
		case 'U':
			if (!have)
				die("U before R", line);
			name = field_at(line, 1);
			val = field_at(line, 2);
			if (!name || !val)
				die("bad U line", line);
			r->userdata = 1;
			snprintf(r->ud_element, sizeof(r->ud_element), "%s", name);
			snprintf(r->ud_ns, sizeof(r->ud_ns), "%s", val);
			break;
		case 'D':
		case 'V':
			if (!have || r->nf == MAXV)
				die("field outside a record or too many fields", line);
			name = field_at(line, 1);
			type = field_at(line, 2);
			val = field_at(line, 3);
			if (!name || !type)
				die("bad field line", line);
			snprintf(r->f[r->nf].name, sizeof(r->f[r->nf].name), "%s", name);
			parse_value(type, val ? val : "", &r->f[r->nf].v);
			r->nf++;
			break;
		default:
			die("unknown line", line);
		}
	}
	if (have)
		write_record(r);
	chunk_flush();
	free(r);
	for (int i = 0; i < ntmpl; i++)
		free(tmpls[i].shape);

	memcpy(hdr, "ElfFile", 8);
	w64(hdr + 8, 0);
	w64(hdr + 16, nchunks ? (uint64_t)nchunks - 1 : 0);
	w64(hdr + 24, next_id);
	w32(hdr + 32, 128);
	w16(hdr + 36, 1);
	w16(hdr + 38, 3);
	w16(hdr + 40, 4096);
	w16(hdr + 42, (uint32_t)nchunks);
	w32(hdr + 120, flags);
	w32(hdr + 124, (uint32_t)crc32(0, hdr, 120));
	if (fseek(out, 0, SEEK_SET) != 0 || fwrite(hdr, 1, sizeof(hdr), out) != sizeof(hdr) || fclose(out) != 0)
		die("cannot write", argv[1]);
	return 0;
}
