/*
 * Windows binary XML, as EVTX chunks hold it, read into record fields.
 *
 * A record is (nearly always) one template instance: a reference to a
 * template definition stored once in the chunk, and the record's
 * substitution values.  Each definition is compiled once per chunk into a
 * plan that says, for every field scoping uses, which literal text and
 * which substitution values make it up:
 *
 *   System/Provider@Name, EventID, EventID@Qualifiers, TimeCreated@SystemTime,
 *   Channel, Computer, Security@UserID     -> the record's fixed fields
 *   EventData/Data[@Name] and UserData leaf elements -> named fields
 *   a BinXml value where a fragment may sit -> read as a nested template
 *
 * A record is then read by walking its value descriptors and rendering only
 * the values the plan names: the System values always, the data values when
 * the caller wants them.  Nothing is rendered to XML text and no text is
 * searched, so a value can never pose as markup.
 *
 * Token and value layout: the libevtx documentation ("Windows XML Event Log
 * (EVTX) format") and [MS-EVEN6] BinXml; the rendering of values (hex
 * integers zero-padded to their size, FILETIME with nine fraction digits,
 * upper-case GUIDs and binary) is libevtx's, so that values compare equal to
 * evtxexport's, which the tests check record by record.
 *
 * Everything here trusts nothing: every offset is checked against the chunk,
 * recursion is bounded, and every buffer has a cap.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "binxml.h"

#define ARENA_CAP (16u << 20)      /* rendered text per chunk */
#define PLAN_BLOCK (256u << 10)
#define PLAN_CAP (24u << 20)       /* compiled plans per chunk */
#define MAX_DEPTH 64
#define MAX_NEST 6                 /* BinXml values inside values */
#define MAX_VALUES 2048
#define MAX_PARTS 65536
#define MAX_ATTR_PARTS 4096

static inline uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t rd64(const uint8_t *p) { return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32; }

/* ---- plans ---- */
enum { P_TEXT = 0, P_SUBST = 1 };
/* contexts: where an element's content lives */
enum { C_TOP = 0, C_EVENT, C_SYSTEM, C_EVENTDATA, C_USERDATA, C_OTHER };
/* element roles */
enum { R_NONE = 0, R_AREA, R_DATA, R_PROVIDER, R_EVENTID, R_TIME, R_RECID, R_CHANNEL, R_COMPUTER, R_SECURITY };
/* field kinds; the S_* kinds index plan->sys[] */
enum { S_PROVIDER = 0, S_SOURCE, S_EVENTID, S_QUALIFIERS, S_TIME, S_RECID, S_CHANNEL, S_COMPUTER, S_USERID, S_COUNT,
       F_DATA = 16, F_NEST };

typedef struct bx_part {
	uint8_t kind;      /* P_TEXT, P_SUBST */
	uint8_t optional;  /* optional substitution: an empty value leaves no trace */
	uint8_t ctx;       /* for a nested fragment: the context it lands in */
	uint8_t pad;
	uint16_t index;    /* substitution index */
	uint32_t off, len; /* P_TEXT: UTF-8 in the plan's pool */
} bx_part;

typedef struct bx_field {
	uint8_t kind, ctx, is_data, pad;
	uint32_t part, nparts;   /* value */
	uint32_t name, nname;    /* name parts (Data@Name); nname 0 and name_text set otherwise */
	uint32_t name_off, name_len; /* element name in the pool, when no name parts */
} bx_field;

typedef struct bx_plan {
	uint32_t nfields;
	const bx_field *fields;
	const bx_part *parts;
	const char *pool;
	int32_t sys[S_COUNT];
	/* which fields a list of wanted names selects, for the last list seen */
	const char *const *mask_for;
	uint64_t *mask;
} bx_plan;

const char *const evtx_all[] = {NULL};

struct val {
	const uint8_t *p;
	uint32_t size;
	uint8_t type;
};

/* growable vector */
#define VEC(T) struct { T *v; size_t n, cap; }
#define VEC_PUSH(vec, x, max) \
	((vec).n < (vec).cap || vec_grow((void **)&(vec).v, &(vec).cap, sizeof(*(vec).v), (max)) == 0 \
	     ? ((vec).v[(vec).n++] = (x), 0) : -1)

static int vec_grow(void **v, size_t *cap, size_t sz, size_t max)
{
	size_t nc = *cap ? *cap * 2 : 64;
	if (nc > max)
		nc = max;
	if (nc <= *cap)
		return -1;
	void *nv = realloc(*v, nc * sz);
	if (!nv)
		return -1;
	*v = nv;
	*cap = nc;
	return 0;
}

struct el {
	uint32_t name_off;
	uint16_t name_len;
	uint8_t role, ctx, children, data_el;
	uint32_t tp0;              /* start of this element's content parts on the part stack */
	int32_t nm_part;           /* Data@Name parts in the plan, -1 none */
	uint32_t nm_n;
};

struct plan_slot {
	uint32_t key;              /* def offset << 3 | ctx, 0 = empty (offset 0 is never a definition) */
	bx_plan *plan;             /* NULL: the definition could not be compiled */
	const char *why;
};

struct block {
	struct block *next;
	size_t used, size;
	unsigned char data[];
};

struct bx_ctx {
	const uint8_t *c;          /* the chunk */
	/* plan memory: blocks reused from chunk to chunk */
	struct block *blocks, *cur;
	size_t plan_bytes;
	struct plan_slot *slots;
	size_t nslots, used_slots;
	/* compile scratch */
	VEC(bx_part) tp;           /* content parts of open elements */
	VEC(bx_part) parts;
	VEC(bx_field) fields;
	VEC(char) pool;
	struct el st[MAX_DEPTH];
	/* values per nesting level */
	struct val *vals[MAX_NEST + 1];
	size_t capvals[MAX_NEST + 1];
	const char *why;           /* why the last compile or render failed */
	/* last provider/computer/channel rendered: reused when the raw bytes repeat */
	struct { const uint8_t *raw; uint32_t len; uint32_t off; const bx_out *o; size_t gen; } memo[3];
	size_t gen;
};

/* ---- plan memory ---- */
static void *plan_alloc(bx_ctx *x, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (x->plan_bytes + n > PLAN_CAP)
		return NULL;
	struct block *b = x->cur;
	while (b && b->used + n > b->size)
		b = b->next;
	if (!b) {
		size_t sz = n > PLAN_BLOCK ? n : PLAN_BLOCK;
		b = malloc(sizeof(*b) + sz);
		if (!b)
			return NULL;
		b->size = sz;
		b->used = 0;
		b->next = NULL;
		/* append after the current block so that reuse order is kept */
		if (!x->blocks) {
			x->blocks = b;
		} else {
			struct block *t = x->blocks;
			while (t->next)
				t = t->next;
			t->next = b;
		}
	}
	x->cur = b;
	void *p = b->data + b->used;
	b->used += n;
	x->plan_bytes += n;
	return p;
}

bx_ctx *bx_ctx_new(void)
{
	bx_ctx *x = calloc(1, sizeof(*x));
	if (!x)
		return NULL;
	x->nslots = 256;
	x->slots = calloc(x->nslots, sizeof(*x->slots));
	if (!x->slots) {
		free(x);
		return NULL;
	}
	return x;
}

void bx_ctx_free(bx_ctx *x)
{
	if (!x)
		return;
	struct block *b = x->blocks;
	while (b) {
		struct block *n = b->next;
		free(b);
		b = n;
	}
	free(x->slots);
	free(x->tp.v);
	free(x->parts.v);
	free(x->fields.v);
	free(x->pool.v);
	for (int i = 0; i <= MAX_NEST; i++)
		free(x->vals[i]);
	free(x);
}

size_t bx_ctx_bytes(const bx_ctx *x)
{
	size_t n = sizeof(*x) + x->nslots * sizeof(*x->slots) + x->tp.cap * sizeof(*x->tp.v) +
	           x->parts.cap * sizeof(*x->parts.v) + x->fields.cap * sizeof(*x->fields.v) + x->pool.cap;
	for (const struct block *b = x->blocks; b; b = b->next)
		n += sizeof(*b) + b->size;
	for (int i = 0; i <= MAX_NEST; i++)
		n += x->capvals[i] * sizeof(*x->vals[i]);
	return n;
}

void bx_ctx_chunk(bx_ctx *x, const uint8_t *chunk)
{
	x->c = chunk;
	for (struct block *b = x->blocks; b; b = b->next)
		b->used = 0;
	x->cur = x->blocks;
	x->plan_bytes = 0;
	if (x->used_slots) {
		memset(x->slots, 0, x->nslots * sizeof(*x->slots));
		x->used_slots = 0;
	}
	x->gen++;
}

static struct plan_slot *slot_find(bx_ctx *x, uint32_t key)
{
	size_t m = x->nslots - 1, i = (key * 2654435761u) & m;
	while (x->slots[i].key && x->slots[i].key != key)
		i = (i + 1) & m;
	return &x->slots[i];
}

static struct plan_slot *slot_add(bx_ctx *x, uint32_t key)
{
	if ((x->used_slots + 1) * 2 > x->nslots) {
		size_t nn = x->nslots * 2;
		struct plan_slot *ns = calloc(nn, sizeof(*ns));
		if (!ns)
			return NULL;
		struct plan_slot *old = x->slots;
		size_t on = x->nslots;
		x->slots = ns;
		x->nslots = nn;
		for (size_t i = 0; i < on; i++)
			if (old[i].key)
				*slot_find(x, old[i].key) = old[i];
		free(old);
	}
	struct plan_slot *s = slot_find(x, key);
	s->key = key;
	x->used_slots++;
	return s;
}

/* ---- text ---- */
static size_t put_utf8(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* out needs 3 bytes per char */
size_t bx_utf16_to_utf8(const uint8_t *p, size_t nchars, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < nchars && o + 4 <= cap; i++) {
		uint32_t u = rd16(p + 2 * i);
		if (u < 0x80) {
			if (u == 0)
				break;
			out[o++] = (char)u;
			continue;
		}
		if (u >= 0xd800 && u < 0xdc00 && i + 1 < nchars) {
			uint32_t l = rd16(p + 2 * i + 2);
			if (l >= 0xdc00 && l < 0xe000) {
				u = 0x10000 + ((u - 0xd800) << 10) + (l - 0xdc00);
				i++;
			} else {
				u = 0xfffd;
			}
		} else if (u >= 0xd800 && u < 0xe000) {
			u = 0xfffd;
		}
		o += put_utf8(out + o, u);
	}
	return o;
}

/* Windows-1252 0x80..0x9f (0 = undefined, shown as U+FFFD) */
static const uint16_t cp1252[32] = {
	0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0,
	0x017d, 0, 0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
	0x0153, 0, 0x017e, 0x0178,
};

/* ---- output arena ---- */
static int arena_need(bx_out *o, size_t n)
{
	if (o->used + n <= o->cap)
		return 0;
	if (o->used + n > ARENA_CAP) {
		o->full = 1;
		return -1;
	}
	size_t nc = o->cap ? o->cap : 65536;
	while (nc < o->used + n)
		nc *= 2;
	if (nc > ARENA_CAP)
		nc = ARENA_CAP;
	char *na = realloc(o->arena, nc);
	if (!na) {
		o->full = 1;
		return -1;
	}
	o->arena = na;
	o->cap = nc;
	return 0;
}

static int arena_put(bx_out *o, const void *p, size_t n)
{
	if (arena_need(o, n) < 0)
		return -1;
	memcpy(o->arena + o->used, p, n);
	o->used += n;
	return 0;
}

static int arena_nul(bx_out *o) { return arena_put(o, "", 1); }

void bx_out_reset(bx_out *o)
{
	o->nrecs = o->nfields = o->used = 0;
	o->full = 0;
}

size_t bx_out_bytes(const bx_out *o)
{
	return o->caprecs * sizeof(*o->recs) + o->capfields * sizeof(*o->fields) + o->capefields * sizeof(*o->efields) +
	       o->cap;
}

void bx_out_free(bx_out *o)
{
	free(o->recs);
	free(o->fields);
	free(o->efields);
	free(o->arena);
	memset(o, 0, sizeof(*o));
}

/* ---- values ---- */
static int put_utf16(bx_out *o, const uint8_t *p, size_t nchars)
{
	if (arena_need(o, nchars * 3 + 4) < 0)
		return -1;
	o->used += bx_utf16_to_utf8(p, nchars, o->arena + o->used, nchars * 3 + 4);
	return 0;
}

static int put_fmt(bx_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int put_fmt(bx_out *o, const char *fmt, ...)
{
	char b[128];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(b, sizeof(b), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	return arena_put(o, b, (size_t)n < sizeof(b) ? (size_t)n : sizeof(b) - 1);
}

uint64_t evtx_text_filetime(const char *s)
{
	unsigned y, mo, d, h, mi, se;
	if (!s || sscanf(s, "%4u-%2u-%2uT%2u:%2u:%2u", &y, &mo, &d, &h, &mi, &se) != 6 || y < 1601 || y > 30827 ||
	    mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
		return 0;
	uint64_t frac = 0;
	const char *p = s + 19;
	if (*p == '.') {
		int n = 0;
		for (p++; *p >= '0' && *p <= '9'; p++, n++)
			if (n < 7)
				frac = frac * 10 + (uint64_t)(*p - '0');
		for (; n < 7; n++)
			frac *= 10;
	}
	int yy = (int)y - (mo <= 2);
	int era = yy / 400;
	unsigned yoe = (unsigned)(yy - era * 400);
	unsigned doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = (int64_t)era * 146097 + doe - 719468 + 134774; /* since 1601-01-01 */
	return ((uint64_t)days * 86400 + h * 3600u + mi * 60u + se) * 10000000u + frac;
}

/* Integers without printf (the hot path renders millions of them). */
static int put_u64(bx_out *o, uint64_t v, int neg)
{
	char b[24];
	int i = sizeof(b);
	do {
		b[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (neg)
		b[--i] = '-';
	return arena_put(o, b + i, sizeof(b) - (size_t)i);
}

static int put_i64(bx_out *o, int64_t v)
{
	return v < 0 ? put_u64(o, (uint64_t)0 - (uint64_t)v, 1) : put_u64(o, (uint64_t)v, 0);
}

/* "0x" and digits zero-padded to the value's size, as libevtx writes them */
static int put_hex(bx_out *o, uint64_t v, int digits)
{
	static const char hx[] = "0123456789abcdef";
	char b[18];
	b[0] = '0';
	b[1] = 'x';
	for (int i = digits - 1; i >= 0; i--, v >>= 4)
		b[2 + i] = hx[v & 15];
	return arena_put(o, b, 2 + (size_t)digits);
}

/* "3.199234e+003": libevtx's rendering of floating-point values */
static int put_real(bx_out *o, double d)
{
	char b[64];
	int n = snprintf(b, sizeof(b), "%.6e", d);
	char *e = n > 0 ? strchr(b, 'e') : NULL;
	if (e && (e[1] == '+' || e[1] == '-') && strlen(e + 2) < 3) {
		char exp[8];
		snprintf(exp, sizeof(exp), "%03d", atoi(e + 2));
		snprintf(e + 2, sizeof(b) - (size_t)(e + 2 - b), "%s", exp);
	}
	return put_fmt(o, "%s", b);
}

void evtx_filetime_text(uint64_t ft, char out[40])
{
	if (ft == 0) {
		out[0] = '\0';
		return;
	}
	uint64_t secs = ft / 10000000u;
	unsigned frac = (unsigned)(ft % 10000000u);
	uint64_t days = secs / 86400;
	unsigned rem = (unsigned)(secs % 86400);
	/* days since 1601-01-01 -> civil date (proleptic Gregorian) */
	int64_t z = (int64_t)days - 134774 + 719468; /* to days since 0000-03-01 */
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = (int64_t)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	unsigned d = doy - (153 * mp + 2) / 5 + 1;
	unsigned m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	snprintf(out, 40, "%04lld-%02u-%02uT%02u:%02u:%02u.%07u00Z", (long long)y, m, d, rem / 3600, rem / 60 % 60,
	         rem % 60, frac);
}

static const unsigned char type_size[0x16] = {
	[0x03] = 1, [0x04] = 1, [0x05] = 2, [0x06] = 2, [0x07] = 4, [0x08] = 4, [0x09] = 8, [0x0a] = 8,
	[0x0b] = 4, [0x0c] = 8, [0x0d] = 4, [0x0f] = 16, [0x11] = 8, [0x12] = 16, [0x14] = 4, [0x15] = 8,
};

/* One scalar value of a fixed-size or self-sized type. */
static int put_scalar(bx_ctx *x, bx_out *o, uint8_t t, const uint8_t *p, uint32_t n)
{
	switch (t) {
	case 0x00:
		return 0;
	case 0x01:
		return put_utf16(o, p, n / 2);
	case 0x02: {
		if (arena_need(o, (size_t)n * 3 + 1) < 0)
			return -1;
		char *w = o->arena + o->used;
		for (uint32_t i = 0; i < n && p[i]; i++) {
			uint32_t u = p[i];
			if (u >= 0x80 && u < 0xa0)
				u = cp1252[u - 0x80] ? cp1252[u - 0x80] : 0xfffd;
			w += put_utf8(w, u);
		}
		o->used = (size_t)(w - o->arena);
		return 0;
	}
	case 0x03: return put_i64(o, (int8_t)p[0]);
	case 0x04: return put_u64(o, p[0], 0);
	case 0x05: return put_i64(o, (int16_t)rd16(p));
	case 0x06: return put_u64(o, rd16(p), 0);
	case 0x07: return put_i64(o, (int32_t)rd32(p));
	case 0x08: return put_u64(o, rd32(p), 0);
	case 0x09: return put_i64(o, (int64_t)rd64(p));
	case 0x0a: return put_u64(o, rd64(p), 0);
	case 0x0b: {
		float f;
		uint32_t u = rd32(p);
		memcpy(&f, &u, 4);
		return put_real(o, (double)f);
	}
	case 0x0c: {
		double d;
		uint64_t u = rd64(p);
		memcpy(&d, &u, 8);
		return put_real(o, d);
	}
	case 0x0d: return put_fmt(o, "%s", rd32(p) ? "true" : "false");
	case 0x0e: {
		static const char hx[] = "0123456789ABCDEF";
		if (arena_need(o, (size_t)n * 2) < 0)
			return -1;
		char *w = o->arena + o->used;
		for (uint32_t i = 0; i < n; i++) {
			*w++ = hx[p[i] >> 4];
			*w++ = hx[p[i] & 15];
		}
		o->used += (size_t)n * 2;
		return 0;
	}
	case 0x0f:
		return put_fmt(o, "{%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}", rd32(p), rd16(p + 4), rd16(p + 6),
		               p[8], p[9], p[10], p[11], p[12], p[13], p[14], p[15]);
	case 0x10:
		if (n == 4)
			return put_hex(o, rd32(p), 8);
		return put_hex(o, rd64(p), 16);
	case 0x11: {
		char ts[40];
		uint64_t ft = rd64(p);
		if (ft == 0)
			return put_fmt(o, "1601-01-01T00:00:00.000000000Z");
		evtx_filetime_text(ft, ts);
		return arena_put(o, ts, strlen(ts));
	}
	case 0x12:
		return put_fmt(o, "%04u-%02u-%02uT%02u:%02u:%02u.%03u000000Z", rd16(p), rd16(p + 2), rd16(p + 6),
		               rd16(p + 8), rd16(p + 10), rd16(p + 12), rd16(p + 14));
	case 0x13: {
		if (n < 8 || n < 8u + 4u * p[1]) {
			x->why = "SID value too short";
			return -1;
		}
		uint64_t auth = 0;
		for (int i = 2; i < 8; i++)
			auth = auth << 8 | p[i];
		if (arena_put(o, "S-", 2) < 0 || put_u64(o, p[0], 0) < 0 || arena_put(o, "-", 1) < 0 ||
		    put_u64(o, auth, 0) < 0)
			return -1;
		for (unsigned i = 0; i < p[1]; i++)
			if (arena_put(o, "-", 1) < 0 || put_u64(o, rd32(p + 8 + 4 * i), 0) < 0)
				return -1;
		return 0;
	}
	case 0x14: return put_hex(o, rd32(p), 8);
	case 0x15: return put_hex(o, rd64(p), 16);
	default:
		x->why = "unsupported value type";
		return -1;
	}
}

/* Checks a value's size against its type; 1 = fine. */
static int size_fits(uint8_t t, uint32_t n)
{
	uint8_t b = t & 0x7f;
	if (b < sizeof(type_size) && type_size[b]) {
		if (t & 0x80)
			return n % type_size[b] == 0;
		return n == type_size[b];
	}
	if (b == 0x10)
		return (t & 0x80) ? n % 8 == 0 || n % 4 == 0 : n == 4 || n == 8;
	return b == 0x00 || b == 0x01 || b == 0x02 || b == 0x0e || b == 0x13 || b == 0x21;
}

/* The items of an array value: calls back per item (for string arrays the
 * NUL-separated strings).  Returns the number of items or -1. */
static long array_items(uint8_t t, const uint8_t *p, uint32_t n, const uint8_t **ip, uint32_t *isz, long want)
{
	uint8_t b = t & 0x7f;
	long k = 0;
	if (b == 0x01) {
		uint32_t s = 0;
		for (uint32_t i = 0; i + 1 < n; i += 2) {
			if (p[i] == 0 && p[i + 1] == 0) {
				if (k == want) {
					*ip = p + s;
					*isz = i - s;
				}
				k++;
				s = i + 2;
			}
		}
		if (s + 1 < n) {
			if (k == want) {
				*ip = p + s;
				*isz = (n - s) & ~1u;
			}
			k++;
		}
		return k;
	}
	if (b == 0x02) {
		uint32_t s = 0;
		for (uint32_t i = 0; i < n; i++) {
			if (p[i] == 0) {
				if (k == want) {
					*ip = p + s;
					*isz = i - s;
				}
				k++;
				s = i + 1;
			}
		}
		if (s < n) {
			if (k == want) {
				*ip = p + s;
				*isz = n - s;
			}
			k++;
		}
		return k;
	}
	uint32_t es = b < sizeof(type_size) ? type_size[b] : 0;
	if (b == 0x10)
		es = 8;
	if (!es)
		return -1;
	k = n / es;
	if (want >= 0 && want < k) {
		*ip = p + (size_t)want * es;
		*isz = es;
	}
	return k;
}

/* ---- compiling a template definition into a plan ---- */
static int name_at(bx_ctx *x, uint32_t off, uint16_t *len)
{
	if ((size_t)off + 8 > EVTX_CHUNK_SIZE)
		return -1;
	uint16_t n = rd16(x->c + off + 6);
	if ((size_t)off + 8 + 2u * n + 2 > EVTX_CHUNK_SIZE)
		return -1;
	*len = n;
	return 0;
}

static int name_is(bx_ctx *x, uint32_t off, uint16_t len, const char *s)
{
	const uint8_t *p = x->c + off + 8;
	for (uint16_t i = 0; i < len; i++, s++)
		if (!*s || rd16(p + 2 * i) != (unsigned char)*s)
			return 0;
	return *s == '\0';
}

/* Reads a name reference at pos; when the name is stored right there, skips it. */
static int name_ref(bx_ctx *x, uint32_t *pos, uint32_t end, uint32_t *noff, uint16_t *nlen)
{
	if (*pos + 4 > end)
		return -1;
	uint32_t off = rd32(x->c + *pos);
	*pos += 4;
	if (name_at(x, off, nlen) < 0)
		return -1;
	if (off == *pos) {
		uint32_t sz = 8 + 2u * *nlen + 2;
		if (*pos + sz > end)
			return -1;
		*pos += sz;
	}
	*noff = off;
	return 0;
}

static int pool_text(bx_ctx *x, const uint8_t *p, size_t nchars, bx_part *pt)
{
	size_t need = nchars * 3 + 4;
	while (x->pool.cap - x->pool.n < need)
		if (vec_grow((void **)&x->pool.v, &x->pool.cap, 1, 64u << 20) < 0)
			return -1;
	pt->kind = P_TEXT;
	pt->off = (uint32_t)x->pool.n;
	pt->len = (uint32_t)bx_utf16_to_utf8(p, nchars, x->pool.v + x->pool.n, need);
	x->pool.n += pt->len;
	return 0;
}

static int pool_ascii(bx_ctx *x, const char *s, size_t n, bx_part *pt)
{
	while (x->pool.cap - x->pool.n < n + 1)
		if (vec_grow((void **)&x->pool.v, &x->pool.cap, 1, 64u << 20) < 0)
			return -1;
	pt->kind = P_TEXT;
	pt->off = (uint32_t)x->pool.n;
	pt->len = (uint32_t)n;
	memcpy(x->pool.v + x->pool.n, s, n);
	x->pool.n += n;
	return 0;
}

/* Character data tokens (value text, CDATA, character and entity
 * references, substitutions) at pos, pushed onto the part stack.  Returns 1
 * when a token was taken, 0 when the token at pos is something else, -1 bad. */
static int char_data(bx_ctx *x, uint32_t *pos, uint32_t end, uint8_t ctx)
{
	const uint8_t *c = x->c;
	uint8_t tok = c[*pos];
	bx_part pt = {0};
	pt.ctx = ctx;
	switch (tok) {
	case 0x05:
	case 0x45: {
		if (*pos + 4 > end)
			return -1;
		if (c[*pos + 1] != 0x01) {
			x->why = "value text that is not a string";
			return -1;
		}
		uint16_t n = rd16(c + *pos + 2);
		if (*pos + 4 + 2u * n > end)
			return -1;
		if (pool_text(x, c + *pos + 4, n, &pt) < 0)
			return -1;
		*pos += 4 + 2u * n;
		break;
	}
	case 0x07:
	case 0x47: {
		if (*pos + 3 > end)
			return -1;
		uint16_t n = rd16(c + *pos + 1);
		if (*pos + 3 + 2u * n > end)
			return -1;
		if (pool_text(x, c + *pos + 3, n, &pt) < 0)
			return -1;
		*pos += 3 + 2u * n;
		break;
	}
	case 0x08:
	case 0x48: {
		if (*pos + 3 > end)
			return -1;
		char b[4];
		uint32_t u = rd16(c + *pos + 1);
		if (u == 0 || (u >= 0xd800 && u < 0xe000))
			u = 0xfffd;
		if (pool_ascii(x, b, put_utf8(b, u), &pt) < 0)
			return -1;
		*pos += 3;
		break;
	}
	case 0x09:
	case 0x49: {
		uint32_t p = *pos + 1, noff;
		uint16_t nlen;
		if (name_ref(x, &p, end, &noff, &nlen) < 0)
			return -1;
		static const struct { const char *n, *v; } ent[] = {
			{"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"},
		};
		int done = 0;
		for (size_t i = 0; i < sizeof(ent) / sizeof(ent[0]) && !done; i++)
			if (name_is(x, noff, nlen, ent[i].n)) {
				if (pool_ascii(x, ent[i].v, 1, &pt) < 0)
					return -1;
				done = 1;
			}
		if (!done) {
			x->why = "unknown entity reference";
			return -1;
		}
		*pos = p;
		break;
	}
	case 0x0d:
	case 0x0e:
		if (*pos + 4 > end)
			return -1;
		pt.kind = P_SUBST;
		pt.optional = tok == 0x0e;
		pt.index = rd16(c + *pos + 1);
		*pos += 4;
		break;
	default:
		return 0;
	}
	if (VEC_PUSH(x->tp, pt, MAX_PARTS) < 0)
		return -1;
	return 1;
}

static uint8_t system_role(bx_ctx *x, uint32_t noff, uint16_t nlen)
{
	static const struct { const char *n; uint8_t r; } r[] = {
		{"Provider", R_PROVIDER}, {"EventID", R_EVENTID}, {"TimeCreated", R_TIME},
		{"EventRecordID", R_RECID}, {"Channel", R_CHANNEL}, {"Computer", R_COMPUTER}, {"Security", R_SECURITY},
	};
	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++)
		if (name_is(x, noff, nlen, r[i].n))
			return r[i].r;
	return R_NONE;
}

/* Commits the part stack from tp0 to the plan; returns the first index. */
static int commit_parts(bx_ctx *x, uint32_t tp0, uint32_t *first, uint32_t *n)
{
	*first = (uint32_t)x->parts.n;
	*n = (uint32_t)(x->tp.n - tp0);
	for (size_t i = tp0; i < x->tp.n; i++)
		if (VEC_PUSH(x->parts, x->tp.v[i], MAX_PARTS) < 0)
			return -1;
	return 0;
}

static int add_sys(bx_ctx *x, int kind, uint32_t tp0, int32_t *sys)
{
	bx_field f = {0};
	f.kind = (uint8_t)kind;
	if (commit_parts(x, tp0, &f.part, &f.nparts) < 0)
		return -1;
	if (sys[kind] < 0)
		sys[kind] = (int32_t)x->fields.n;
	return VEC_PUSH(x->fields, f, MAX_PARTS);
}

/* An attribute at pos (token 0x06/0x46) of element e. */
static int attribute(bx_ctx *x, uint32_t *pos, uint32_t end, struct el *e, int32_t *sys)
{
	uint32_t p = *pos + 1, noff;
	uint16_t nlen;
	if (name_ref(x, &p, end, &noff, &nlen) < 0)
		return -1;
	uint32_t tp0 = (uint32_t)x->tp.n;
	int r = 0;
	while (p < end && (r = char_data(x, &p, end, C_OTHER)) == 1)
		if (x->tp.n - tp0 > MAX_ATTR_PARTS)
			return -1;
	if (p >= end || r < 0)
		return -1;
	*pos = p;
	int kind = -1;
	if (e->role == R_PROVIDER && name_is(x, noff, nlen, "Name"))
		kind = S_PROVIDER;
	else if (e->role == R_PROVIDER && name_is(x, noff, nlen, "EventSourceName"))
		kind = S_SOURCE;
	else if (e->role == R_EVENTID && name_is(x, noff, nlen, "Qualifiers"))
		kind = S_QUALIFIERS;
	else if (e->role == R_TIME && name_is(x, noff, nlen, "SystemTime"))
		kind = S_TIME;
	else if (e->role == R_SECURITY && name_is(x, noff, nlen, "UserID"))
		kind = S_USERID;
	int rc = 0;
	if (kind >= 0) {
		rc = add_sys(x, kind, tp0, sys);
	} else if (e->data_el && e->nm_part < 0 && name_is(x, noff, nlen, "Name")) {
		uint32_t first, n;
		rc = commit_parts(x, tp0, &first, &n);
		e->nm_part = (int32_t)first;
		e->nm_n = n;
	}
	x->tp.n = tp0;
	return rc;
}

/* Closes element e: its content parts become a field, a System value, or
 * (for containers) nested-fragment candidates. */
static int close_element(bx_ctx *x, struct el *e, int32_t *sys)
{
	int rc = 0;
	if (e->role == R_EVENTID || e->role == R_CHANNEL || e->role == R_COMPUTER || e->role == R_RECID) {
		rc = add_sys(x,
		             e->role == R_EVENTID   ? S_EVENTID
		             : e->role == R_CHANNEL ? S_CHANNEL
		             : e->role == R_RECID   ? S_RECID
		                                    : S_COMPUTER,
		             e->tp0, sys);
	} else if (e->role == R_DATA && (x->tp.n > e->tp0 || !e->children)) {
		bx_field f = {0};
		f.kind = F_DATA;
		f.ctx = e->ctx;
		if (e->nm_part >= 0) {
			f.name = (uint32_t)e->nm_part;
			f.nname = e->nm_n;
			f.is_data = 1;
		} else if (e->data_el) {
			f.is_data = 1; /* an unnamed <Data> */
		} else {
			bx_part pt;
			if (pool_text(x, x->c + e->name_off + 8, e->name_len, &pt) < 0)
				return -1;
			f.name_off = pt.off;
			f.name_len = pt.len;
		}
		if (commit_parts(x, e->tp0, &f.part, &f.nparts) < 0)
			return -1;
		rc = VEC_PUSH(x->fields, f, MAX_PARTS);
	} else if (e->ctx == C_EVENT || e->ctx == C_EVENTDATA || e->ctx == C_USERDATA) {
		for (size_t i = e->tp0; i < x->tp.n && rc == 0; i++) {
			if (x->tp.v[i].kind != P_SUBST)
				continue;
			bx_field f = {0};
			f.kind = F_NEST;
			f.ctx = e->ctx;
			f.part = (uint32_t)x->parts.n;
			f.nparts = 1;
			bx_part pt = x->tp.v[i];
			pt.ctx = e->ctx;
			if (VEC_PUSH(x->parts, pt, MAX_PARTS) < 0 || VEC_PUSH(x->fields, f, MAX_PARTS) < 0)
				rc = -1;
		}
	}
	x->tp.n = e->tp0;
	return rc;
}

/* Compiles the binary XML in [pos, end) (a template definition's data, or a
 * record that uses no template) whose root lands in context ctx0. */
static bx_plan *compile(bx_ctx *x, uint32_t pos, uint32_t end, uint8_t ctx0)
{
	const uint8_t *c = x->c;
	int32_t sys[S_COUNT];
	for (int i = 0; i < S_COUNT; i++)
		sys[i] = -1;
	x->tp.n = x->parts.n = x->fields.n = x->pool.n = 0;
	x->why = NULL;
	int depth = 0, in_start = 0, seen_root = 0;
	while (pos < end) {
		uint8_t tok = c[pos];
		if (depth > 0 && !in_start) {
			int r = char_data(x, &pos, end, x->st[depth - 1].ctx);
			if (r < 0)
				goto bad;
			if (r == 1)
				continue;
		}
		switch (tok) {
		case 0x00:
			if (depth != 0 || !seen_root)
				goto bad;
			goto done;
		case 0x0f:
			if (depth != 0 || pos + 4 > end)
				goto bad;
			pos += 4;
			break;
		case 0x01:
		case 0x41: {
			if (in_start || depth >= MAX_DEPTH || (depth == 0 && seen_root))
				goto bad;
			/* token, [dependency id,] data size: the dependency id is there
			 * in template definitions, not in BinXml values; as libevtx
			 * does, it is present when the size read without it is too
			 * large for what is left */
			if (pos + 5 > end)
				goto bad;
			uint32_t rem = EVTX_CHUNK_SIZE - pos, esz = rd32(c + pos + 1);
			uint32_t p = rem > 7 && esz > rem - 7 ? pos + 7 : pos + 5;
			if (p > end)
				goto bad;
			uint32_t noff;
			uint16_t nlen;
			if (name_ref(x, &p, end, &noff, &nlen) < 0)
				goto bad;
			if (tok & 0x40) {
				if (p + 4 > end)
					goto bad;
				p += 4; /* attribute list size */
			}
			struct el *e = &x->st[depth];
			uint8_t pctx = depth ? x->st[depth - 1].ctx : ctx0;
			memset(e, 0, sizeof(*e));
			e->name_off = noff;
			e->name_len = nlen;
			e->tp0 = (uint32_t)x->tp.n;
			e->nm_part = -1;
			switch (pctx) {
			case C_TOP:
				e->role = R_AREA;
				e->ctx = C_EVENT;
				break;
			case C_EVENT:
				e->role = R_AREA;
				e->ctx = name_is(x, noff, nlen, "System")      ? C_SYSTEM
				         : name_is(x, noff, nlen, "EventData") ? C_EVENTDATA
				         : name_is(x, noff, nlen, "UserData")  ? C_USERDATA
				                                               : C_OTHER;
				break;
			case C_SYSTEM:
				e->role = system_role(x, noff, nlen);
				e->ctx = C_OTHER;
				break;
			case C_EVENTDATA:
			case C_USERDATA:
				e->role = R_DATA;
				e->ctx = pctx;
				e->data_el = pctx == C_EVENTDATA && name_is(x, noff, nlen, "Data");
				break;
			default:
				e->ctx = C_OTHER;
			}
			if (depth)
				x->st[depth - 1].children = 1;
			depth++;
			seen_root = 1;
			in_start = 1;
			pos = p;
			break;
		}
		case 0x06:
		case 0x46:
			if (!in_start || attribute(x, &pos, end, &x->st[depth - 1], sys) < 0)
				goto bad;
			break;
		case 0x02:
			if (!in_start)
				goto bad;
			in_start = 0;
			pos++;
			break;
		case 0x03:
			if (!in_start)
				goto bad;
			in_start = 0;
			pos++;
			if (close_element(x, &x->st[--depth], sys) < 0)
				goto bad;
			if (depth == 0)
				goto done; /* one root element: what follows is not read */
			break;
		case 0x04:
			if (in_start || depth == 0)
				goto bad;
			pos++;
			if (close_element(x, &x->st[--depth], sys) < 0)
				goto bad;
			if (depth == 0)
				goto done;
			break;
		case 0x0a:
		case 0x0b:
		case 0x4a:
		case 0x4b:
			x->why = "processing instruction";
			goto bad;
		case 0x0c:
			x->why = "template instance inside an element";
			goto bad;
		default:
			x->why = "unknown binary XML token";
			goto bad;
		}
	}
	/* a definition may end without its end-of-fragment token */
	if (depth != 0 || !seen_root)
		goto bad;
done:;
	size_t fb = x->fields.n * sizeof(bx_field), pb = x->parts.n * sizeof(bx_part);
	bx_plan *pl = plan_alloc(x, sizeof(*pl) + fb + pb + x->pool.n + 1);
	if (!pl) {
		x->why = "too many templates in the chunk";
		return NULL;
	}
	unsigned char *m = (unsigned char *)(pl + 1);
	pl->nfields = (uint32_t)x->fields.n;
	pl->fields = (const bx_field *)m;
	if (fb)
		memcpy(m, x->fields.v, fb);
	m += fb;
	pl->parts = (const bx_part *)m;
	if (pb)
		memcpy(m, x->parts.v, pb);
	m += pb;
	if (x->pool.n)
		memcpy(m, x->pool.v, x->pool.n);
	m[x->pool.n] = '\0';
	pl->pool = (const char *)m;
	memcpy(pl->sys, sys, sizeof(sys));
	pl->mask_for = NULL;
	pl->mask = NULL;
	return pl;
bad:
	if (!x->why)
		x->why = "damaged binary XML";
	return NULL;
}

/* The plan for the template definition at def_off (data in [d0, d1)). */
static bx_plan *plan_for(bx_ctx *x, uint32_t def_off, uint32_t d0, uint32_t d1, uint8_t ctx)
{
	uint32_t key = def_off << 3 | ctx;
	struct plan_slot *s = slot_find(x, key);
	if (s->key == key) {
		if (!s->plan)
			x->why = s->why;
		return s->plan;
	}
	bx_plan *pl = compile(x, d0, d1, ctx);
	s = slot_add(x, key);
	if (s) {
		s->plan = pl;
		s->why = x->why;
	}
	return pl;
}

/* ---- reading a record ---- */
struct rstate {
	bx_ctx *x;
	bx_out *o;
	bx_rec *br;
	const uint8_t *vstart;  /* raw System values, for the memo */
};

static int render_fields(struct rstate *s, bx_plan *pl, const struct val *v, uint32_t nv, int nest,
                         const char *const *names);

/* Reads the template instance at pos (token 0x0c) up to end: its plan and values. */
static int instance(bx_ctx *x, uint32_t pos, uint32_t end, uint8_t ctx, int nest, bx_plan **plan,
                    struct val **vals, uint32_t *nvals)
{
	const uint8_t *c = x->c;
	if (pos + 10 > end || c[pos] != 0x0c)
		return -1;
	uint32_t def = rd32(c + pos + 6), p = pos + 10, d0, d1;
	if (def == p) {
		if (p + 24 > end)
			return -1;
		uint32_t ds = rd32(c + p + 20);
		if (ds > end - p - 24)
			return -1;
		d0 = p + 24;
		d1 = d0 + ds;
		p = d1;
	} else {
		if (def == 0 || (size_t)def + 24 > EVTX_CHUNK_SIZE)
			return -1;
		uint32_t ds = rd32(c + def + 20);
		if (ds > EVTX_CHUNK_SIZE - def - 24)
			return -1;
		d0 = def + 24;
		d1 = d0 + ds;
	}
	bx_plan *pl = plan_for(x, def, d0, d1, ctx);
	if (!pl)
		return -1;
	if (p + 4 > end)
		return -1;
	uint32_t n = rd32(c + p);
	p += 4;
	if (n > MAX_VALUES || (size_t)n * 4 > end - p) {
		x->why = "too many substitution values";
		return -1;
	}
	if (n > x->capvals[nest]) {
		size_t nc = n < 64 ? 64 : n;
		struct val *nv = realloc(x->vals[nest], nc * sizeof(*nv));
		if (!nv)
			return -1;
		x->vals[nest] = nv;
		x->capvals[nest] = nc;
	}
	struct val *vv = x->vals[nest];
	uint32_t data = p + 4 * n;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t sz = rd16(c + p + 4 * i);
		if (sz > end - data) {
			x->why = "substitution value past the record's end";
			return -1;
		}
		vv[i].p = c + data;
		vv[i].size = sz;
		vv[i].type = c[p + 4 * i + 2];
		data += sz;
	}
	*plan = pl;
	*vals = vv;
	*nvals = n;
	return 0;
}

/* A BinXml value: a fragment holding a template instance (or elements). */
static int nested(struct rstate *s, const struct val *v, uint8_t ctx, int nest, const char *const *names)
{
	bx_ctx *x = s->x;
	if (nest >= MAX_NEST) {
		x->why = "values nested too deeply";
		return -1;
	}
	uint32_t pos = (uint32_t)(v->p - x->c), end = pos + v->size;
	if (pos + 4 <= end && x->c[pos] == 0x0f)
		pos += 4;
	if (pos >= end)
		return 0;
	if (x->c[pos] != 0x0c) {
		/* plain elements: compiled for this value alone (not cached) */
		bx_plan *pl = compile(x, pos, end, ctx);
		if (!pl)
			return -1;
		return render_fields(s, pl, NULL, 0, nest + 1, names);
	}
	bx_plan *pl;
	struct val *vv;
	uint32_t nv;
	if (instance(x, pos, end, ctx, nest + 1, &pl, &vv, &nv) < 0)
		return -1;
	return render_fields(s, pl, vv, nv, nest + 1, names);
}

static int value_empty(const struct val *v) { return v->type == 0 || v->size == 0; }

/* Renders parts [part, part+n) as text into the arena (no NUL). */
static int render_parts(struct rstate *s, const bx_plan *pl, uint32_t part, uint32_t n, const struct val *v,
                        uint32_t nv, uint8_t *type)
{
	bx_ctx *x = s->x;
	for (uint32_t i = 0; i < n; i++) {
		const bx_part *pt = &pl->parts[part + i];
		if (pt->kind == P_TEXT) {
			if (arena_put(s->o, pl->pool + pt->off, pt->len) < 0)
				return -1;
			continue;
		}
		if (pt->index >= nv) {
			x->why = "substitution index past the values";
			return -1;
		}
		const struct val *vp = &v[pt->index];
		if (type)
			*type = vp->type;
		if (value_empty(vp))
			continue;
		if (!size_fits(vp->type, vp->size)) {
			x->why = "value size does not fit its type";
			return -1;
		}
		if (vp->type == 0x21)
			continue; /* markup, not text: read by render_fields */
		if (vp->type & 0x80) {
			long k = array_items(vp->type, vp->p, vp->size, NULL, NULL, -1);
			if (k < 0) {
				x->why = "unsupported array type";
				return -1;
			}
			for (long j = 0; j < k; j++) {
				const uint8_t *ip = NULL;
				uint32_t isz = 0;
				array_items(vp->type, vp->p, vp->size, &ip, &isz, j);
				if ((j && arena_put(s->o, ", ", 2) < 0) || put_scalar(x, s->o, vp->type & 0x7f, ip, isz) < 0)
					return -1;
			}
			continue;
		}
		if (put_scalar(x, s->o, vp->type, vp->p, vp->size) < 0)
			return -1;
	}
	return 0;
}

static int push_field(bx_out *o, uint32_t name, uint32_t value, uint32_t len, uint8_t type, uint8_t is_data)
{
	if (o->nfields == o->capfields) {
		size_t nc = o->capfields ? o->capfields * 2 : 1024;
		void *nf = realloc(o->fields, nc * sizeof(*o->fields));
		if (!nf)
			return -1;
		o->fields = nf;
		o->capfields = nc;
	}
	o->fields[o->nfields++] = (struct bx_fieldref){name, value, len, type, is_data};
	return 0;
}

/* The name of field f as an arena string. */
static int field_name(struct rstate *s, const bx_plan *pl, const bx_field *f, const struct val *v, uint32_t nv,
                      uint32_t *off)
{
	*off = (uint32_t)s->o->used;
	if (f->nname) {
		if (render_parts(s, pl, f->name, f->nname, v, nv, NULL) < 0)
			return -1;
	} else if (arena_put(s->o, pl->pool + f->name_off, f->name_len) < 0) {
		return -1;
	}
	return arena_nul(s->o);
}

/* Which of the plan's fields a list of names selects: a bit per field,
 * computed once per plan and list (fields named from a substitution are
 * always selected). */
static const uint64_t *plan_mask(bx_ctx *x, bx_plan *pl, const char *const *names)
{
	if (pl->mask_for == names && pl->mask)
		return pl->mask;
	uint64_t *m = pl->mask && pl->mask_for ? pl->mask : plan_alloc(x, ((pl->nfields + 63) / 64) * 8 + 8);
	if (!m)
		return NULL;
	memset(m, 0, ((pl->nfields + 63) / 64) * 8 + 8);
	for (uint32_t i = 0; i < pl->nfields; i++) {
		const bx_field *f = &pl->fields[i];
		const char *nm = NULL;
		uint32_t nl = 0;
		if (f->nname == 0) {
			nm = pl->pool + f->name_off;
			nl = f->name_len;
		} else if (f->nname == 1 && pl->parts[f->name].kind == P_TEXT) {
			nm = pl->pool + pl->parts[f->name].off;
			nl = pl->parts[f->name].len;
		}
		int on = f->kind != F_DATA || !nm;
		for (const char *const *n = names; !on && *n; n++)
			on = strlen(*n) == nl && !memcmp(*n, nm, nl);
		if (on)
			m[i / 64] |= (uint64_t)1 << (i % 64);
	}
	pl->mask = m;
	pl->mask_for = names;
	return m;
}

static int render_fields(struct rstate *s, bx_plan *pl, const struct val *v, uint32_t nv, int nest,
                         const char *const *names)
{
	bx_ctx *x = s->x;
	bx_out *o = s->o;
	const uint64_t *mask = names == EVTX_ALL ? NULL : plan_mask(x, pl, names);
	for (uint32_t i = 0; i < pl->nfields; i++) {
		const bx_field *f = &pl->fields[i];
		if (f->kind == F_NEST) {
			const bx_part *pt = &pl->parts[f->part];
			if (pt->index < nv && v[pt->index].type == 0x21 && v[pt->index].size &&
			    nested(s, &v[pt->index], f->ctx, nest, names) < 0)
				return -1;
			continue;
		}
		if (f->kind != F_DATA)
			continue;
		if (mask && !(mask[i / 64] >> (i % 64) & 1))
			continue;
		/* BinXml inside a data element: its elements become fields */
		int has_bin = 0, has_text = 0;
		for (uint32_t k = 0; k < f->nparts; k++) {
			const bx_part *pt = &pl->parts[f->part + k];
			if (pt->kind == P_SUBST && pt->index < nv && v[pt->index].type == 0x21) {
				has_bin = 1;
				if (v[pt->index].size && nested(s, &v[pt->index], f->ctx, nest, names) < 0)
					return -1;
			} else {
				has_text = 1;
			}
		}
		if (has_bin && !has_text)
			continue;
		/* an array in a field of its own: one field per item, as libevtx renders it */
		if (f->nparts == 1 && pl->parts[f->part].kind == P_SUBST && pl->parts[f->part].index < nv &&
		    (v[pl->parts[f->part].index].type & 0x80) && !value_empty(&v[pl->parts[f->part].index])) {
			const struct val *vp = &v[pl->parts[f->part].index];
			if (!size_fits(vp->type, vp->size)) {
				x->why = "value size does not fit its type";
				return -1;
			}
			long k = array_items(vp->type, vp->p, vp->size, NULL, NULL, -1);
			if (k < 0) {
				x->why = "unsupported array type";
				return -1;
			}
			for (long j = 0; j < k; j++) {
				const uint8_t *ip = NULL;
				uint32_t isz = 0;
				uint32_t noff, voff;
				array_items(vp->type, vp->p, vp->size, &ip, &isz, j);
				if (field_name(s, pl, f, v, nv, &noff) < 0)
					return -1;
				voff = (uint32_t)o->used;
				if (put_scalar(x, o, vp->type & 0x7f, ip, isz) < 0)
					return -1;
				uint32_t len = (uint32_t)(o->used - voff);
				if (arena_nul(o) < 0 || push_field(o, noff, voff, len, vp->type, f->is_data) < 0)
					return -1;
			}
			continue;
		}
		/* an element made only of optional substitutions that are all
		 * empty is left out, as libevtx leaves it out */
		int all_opt_empty = f->nparts > 0;
		for (uint32_t k = 0; k < f->nparts && all_opt_empty; k++) {
			const bx_part *pt = &pl->parts[f->part + k];
			all_opt_empty = pt->kind == P_SUBST && pt->optional && pt->index < nv && value_empty(&v[pt->index]);
		}
		if (all_opt_empty)
			continue;
		uint32_t noff, voff;
		uint8_t type = 0;
		if (field_name(s, pl, f, v, nv, &noff) < 0)
			return -1;
		voff = (uint32_t)o->used;
		if (render_parts(s, pl, f->part, f->nparts, v, nv, &type) < 0)
			return -1;
		uint32_t len = (uint32_t)(o->used - voff);
		if (arena_nul(o) < 0 || push_field(o, noff, voff, len, type, f->is_data) < 0)
			return -1;
	}
	return 0;
}

/* A System value as text: reuses the previous record's string when the raw
 * value is the same (provider, channel, computer rarely change). */
static int sys_text(struct rstate *s, const bx_plan *pl, int kind, int memo, const struct val *v, uint32_t nv,
                    uint32_t *off)
{
	bx_ctx *x = s->x;
	int fi = pl->sys[kind];
	*off = UINT32_MAX;
	if (fi < 0)
		return 0;
	const bx_field *f = &pl->fields[fi];
	const struct val *one = NULL;
	if (f->nparts == 1 && pl->parts[f->part].kind == P_SUBST && pl->parts[f->part].index < nv)
		one = &v[pl->parts[f->part].index];
	if (memo >= 0 && one && x->memo[memo].o == s->o && x->memo[memo].gen == x->gen &&
	    x->memo[memo].len == one->size && x->memo[memo].raw && !memcmp(x->memo[memo].raw, one->p, one->size)) {
		*off = x->memo[memo].off;
		return 0;
	}
	*off = (uint32_t)s->o->used;
	if (render_parts(s, pl, f->part, f->nparts, v, nv, NULL) < 0 || arena_nul(s->o) < 0)
		return -1;
	if (memo >= 0 && one) {
		x->memo[memo].raw = one->p;
		x->memo[memo].len = one->size;
		x->memo[memo].off = *off;
		x->memo[memo].o = s->o;
		x->memo[memo].gen = x->gen;
	}
	return 0;
}

/* A System number (EventID, Qualifiers): integer values directly, text parsed. */
static int sys_number(struct rstate *s, const bx_plan *pl, int kind, const struct val *v, uint32_t nv,
                      uint32_t *out)
{
	int fi = pl->sys[kind];
	if (fi < 0)
		return 0;
	const bx_field *f = &pl->fields[fi];
	if (f->nparts == 1 && pl->parts[f->part].kind == P_SUBST) {
		const bx_part *pt = &pl->parts[f->part];
		if (pt->index >= nv)
			return 0;
		const struct val *vp = &v[pt->index];
		switch (vp->type) {
		case 0x04: if (vp->size == 1) { *out = vp->p[0]; return 1; } return 0;
		case 0x06: if (vp->size == 2) { *out = rd16(vp->p); return 1; } return 0;
		case 0x08: case 0x14: if (vp->size == 4) { *out = rd32(vp->p); return 1; } return 0;
		default: break;
		}
		if (vp->type != 0x01 && vp->type != 0x02)
			return 0;
	}
	size_t at = s->o->used;
	if (render_parts(s, pl, f->part, f->nparts, v, nv, NULL) < 0 || arena_nul(s->o) < 0)
		return -1;
	const char *t = s->o->arena + at;
	char *e;
	unsigned long n = strtoul(t, &e, 10);
	s->o->used = at;
	if (e == t || *e || n > 0xffffffffu)
		return 0;
	*out = (uint32_t)n;
	return 1;
}

static uint64_t systemtime_ft(const uint8_t *p)
{
	unsigned y = rd16(p), m = rd16(p + 2), d = rd16(p + 6);
	if (y < 1601 || y > 30827 || m < 1 || m > 12 || d < 1 || d > 31)
		return 0;
	/* days from civil */
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = yy / 400;
	unsigned yoe = (unsigned)(yy - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = era * 146097 + doe - 719468 + 134774;
	uint64_t secs = (uint64_t)days * 86400 + rd16(p + 8) * 3600u + rd16(p + 10) * 60u + rd16(p + 12);
	return secs * 10000000u + rd16(p + 14) * 10000u;
}

static void refuse(bx_ctx *x, bx_rec *br, bx_out *o)
{
	const char *why = x->why ? x->why : "damaged binary XML";
	if (o->full)
		why = "record too large to render";
	br->r.state = EVTX_REC_REFUSED;
	br->nfields = 0;
	br->provider = br->source = br->channel = br->computer = br->user_sid = UINT32_MAX;
	br->refusal = UINT32_MAX;
	size_t at = o->used;
	o->full = 0;
	if (arena_put(o, why, strlen(why) + 1) == 0)
		br->refusal = (uint32_t)at;
}

int bx_record(bx_ctx *x, uint32_t xml_off, uint32_t xml_len, const evtx_record *hdr, bx_want_fn want, void *ud,
              bx_out *o)
{
	if (o->nrecs == o->caprecs) {
		size_t nc = o->caprecs ? o->caprecs * 2 : 256;
		bx_rec *nr = realloc(o->recs, nc * sizeof(*nr));
		if (!nr)
			return -1;
		o->recs = nr;
		o->caprecs = nc;
	}
	bx_rec *br = &o->recs[o->nrecs++];
	memset(br, 0, sizeof(*br));
	br->r = *hdr;
	br->provider = br->source = br->channel = br->computer = br->user_sid = br->refusal = UINT32_MAX;
	br->field0 = (uint32_t)o->nfields;
	size_t used0 = o->used, nf0 = o->nfields;
	x->why = NULL;
	struct rstate s = {x, o, br, NULL};
	uint32_t pos = xml_off, end = xml_off + xml_len;
	bx_plan *pl = NULL;
	struct val *v = NULL;
	uint32_t nv = 0;
	if (pos + 4 <= end && x->c[pos] == 0x0f)
		pos += 4;
	if (pos < end && x->c[pos] == 0x0c) {
		if (instance(x, pos, end, C_TOP, 0, &pl, &v, &nv) < 0)
			goto bad;
	} else {
		pl = compile(x, pos, end, C_TOP);
		if (!pl)
			goto bad;
	}
	if (sys_text(&s, pl, S_PROVIDER, 0, v, nv, &br->provider) < 0 ||
	    sys_text(&s, pl, S_SOURCE, -1, v, nv, &br->source) < 0)
		goto bad;
	if (br->provider == UINT32_MAX || !o->arena[br->provider])
		br->provider = br->source;
	int r = sys_number(&s, pl, S_EVENTID, v, nv, &br->r.event_id);
	if (r < 0)
		goto bad;
	br->r.has_event_id = r == 1 && br->r.event_id <= 0xffff;
	if (sys_number(&s, pl, S_QUALIFIERS, v, nv, &br->r.qualifiers) < 0)
		goto bad;
	int ri = pl->sys[S_RECID];
	if (ri >= 0 && pl->fields[ri].nparts == 1 && pl->parts[pl->fields[ri].part].kind == P_SUBST) {
		const bx_part *pt = &pl->parts[pl->fields[ri].part];
		if (pt->index < nv && v[pt->index].type == 0x0a && v[pt->index].size == 8)
			br->r.event_record_id = rd64(v[pt->index].p);
	} else if (ri >= 0) {
		size_t at = o->used;
		if (render_parts(&s, pl, pl->fields[ri].part, pl->fields[ri].nparts, v, nv, NULL) < 0 || arena_nul(o) < 0)
			goto bad;
		br->r.event_record_id = strtoull(o->arena + at, NULL, 10);
		o->used = at;
	}
	if (sys_text(&s, pl, S_CHANNEL, 1, v, nv, &br->channel) < 0 ||
	    sys_text(&s, pl, S_COMPUTER, 2, v, nv, &br->computer) < 0 ||
	    sys_text(&s, pl, S_USERID, -1, v, nv, &br->user_sid) < 0)
		goto bad;
	int ti = pl->sys[S_TIME];
	if (ti >= 0 && pl->fields[ti].nparts == 1 && pl->parts[pl->fields[ti].part].kind == P_SUBST) {
		const bx_part *pt = &pl->parts[pl->fields[ti].part];
		if (pt->index < nv && v[pt->index].type == 0x11 && v[pt->index].size == 8)
			br->r.created = rd64(v[pt->index].p);
		else if (pt->index < nv && v[pt->index].type == 0x12 && v[pt->index].size == 16)
			br->r.created = systemtime_ft(v[pt->index].p);
	} else if (ti >= 0) {
		/* written as text in the template (some exported logs) */
		size_t at = o->used;
		if (render_parts(&s, pl, pl->fields[ti].part, pl->fields[ti].nparts, v, nv, NULL) < 0 || arena_nul(o) < 0)
			goto bad;
		br->r.created = evtx_text_filetime(o->arena + at);
		o->used = at;
	}
	/* the caller decides on the System facts which values are wanted */
	const char *const *names = EVTX_ALL;
	if (want) {
		evtx_record tmp = br->r;
		tmp.provider = br->provider == UINT32_MAX ? "" : o->arena + br->provider;
		tmp.source = br->source == UINT32_MAX ? "" : o->arena + br->source;
		tmp.channel = br->channel == UINT32_MAX ? "" : o->arena + br->channel;
		tmp.computer = br->computer == UINT32_MAX ? "" : o->arena + br->computer;
		tmp.user_sid = br->user_sid == UINT32_MAX ? "" : o->arena + br->user_sid;
		names = want(&tmp, ud);
	}
	br->r.wanted = names != NULL;
	if (names && render_fields(&s, pl, v, nv, 0, names) < 0)
		goto bad;
	br->nfields = (uint32_t)(o->nfields - nf0);
	return 0;
bad:
	o->used = used0;
	o->nfields = nf0;
	for (int i = 0; i < 3; i++)
		x->memo[i].raw = NULL; /* they may point at text just dropped */
	refuse(x, br, o);
	return -1;
}

void bx_finish(bx_out *o)
{
	if (o->nfields > o->capefields) {
		evtx_field *nf = realloc(o->efields, o->nfields * sizeof(*nf));
		if (!nf) {
			/* no room for the fields: deliver records without them */
			for (size_t i = 0; i < o->nrecs; i++)
				o->recs[i].nfields = 0;
			o->nfields = 0;
		} else {
			o->efields = nf;
			o->capefields = o->nfields;
		}
	}
	for (size_t i = 0; i < o->nfields; i++) {
		o->efields[i].name = o->arena + o->fields[i].name;
		o->efields[i].value = o->arena + o->fields[i].value;
		o->efields[i].len = o->fields[i].len;
		o->efields[i].type = o->fields[i].type;
		o->efields[i].is_data = o->fields[i].is_data;
	}
	for (size_t i = 0; i < o->nrecs; i++) {
		bx_rec *b = &o->recs[i];
		b->r.provider = b->provider == UINT32_MAX ? "" : o->arena + b->provider;
		b->r.source = b->source == UINT32_MAX ? "" : o->arena + b->source;
		b->r.channel = b->channel == UINT32_MAX ? "" : o->arena + b->channel;
		b->r.computer = b->computer == UINT32_MAX ? "" : o->arena + b->computer;
		b->r.user_sid = b->user_sid == UINT32_MAX ? "" : o->arena + b->user_sid;
		b->r.refusal = b->refusal == UINT32_MAX ? NULL : o->arena + b->refusal;
		b->r.fields = b->nfields ? o->efields + b->field0 : NULL;
		b->r.nfields = b->nfields;
	}
}
