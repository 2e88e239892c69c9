#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "hivelog.h"
#include "regutil.h"

const char *reg_kind_name(reg_kind k)
{
	static const char *const names[] = {"unknown", "SAM", "SYSTEM", "SOFTWARE", "SECURITY", "NTUSER",
	                                    "UsrClass", "Amcache"};
	return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "unknown";
}

shodo_status reg_open(const char *file, libregf_file_t **out, shodo_err *err)
{
	libregf_error_t *e = NULL;
	char msg[512];
	*out = NULL;
	libregf_file_t *f = NULL;
	if (libregf_file_initialize(&f, &e) != 1 || libregf_file_open(f, file, LIBREGF_OPEN_READ, &e) != 1) {
		PUTIL_YAL_MSG(libregf, e, msg, sizeof(msg));
		libregf_error_free(&e);
		if (f)
			libregf_file_free(&f, NULL);
		return shodo_err_set(err, SHODO_FAILED, 0, "not a readable registry hive: %s", msg);
	}
	*out = f;
	return SHODO_OK;
}

shodo_status reg_open_hive(const char *file, libregf_file_t **out, char *lognote, size_t n, shodo_err *err)
{
	hivelog_result r;
	lognote[0] = '\0';
	if (hivelog_replay(file, NULL, &r) < 0 || !r.dirty)
		return reg_open(file, out, err);
	snprintf(lognote, n, "%s", r.note);
	if (!r.replayed)
		return reg_open(file, out, err);
	/* the copy is read through an open descriptor; its name goes at once */
	shodo_status rc = reg_open(r.copy, out, err);
	unlink(r.copy);
	if (rc != SHODO_OK) {
		/* the replayed copy does not open: the collected hive as it is */
		size_t l = strlen(lognote);
		snprintf(lognote + l, n - l, "; the replayed copy did not open (%s), the hive was read as collected",
		         err ? err->msg : "libregf");
		return reg_open(file, out, err);
	}
	return SHODO_OK;
}

void reg_close(libregf_file_t **f)
{
	if (*f) {
		libregf_file_close(*f, NULL);
		libregf_file_free(f, NULL);
	}
}

void reg_key_free(libregf_key_t **k)
{
	if (*k)
		libregf_key_free(k, NULL);
}

/* Every accessor below treats a libregf error like an absent key or value:
 * a hostile hive yields fewer rows and findings, never a crash; only opening
 * the hive reports an error. */
static void drop(libregf_error_t **e)
{
	if (*e)
		libregf_error_free(e);
}

libregf_key_t *reg_child(libregf_key_t *k, const char *name)
{
	libregf_error_t *e = NULL;
	libregf_key_t *c = NULL;
	if (!k || !name || libregf_key_get_sub_key_by_utf8_name(k, (const uint8_t *)name, strlen(name), &c, &e) != 1) {
		drop(&e);
		return NULL;
	}
	return c;
}

/* component by component from k: libregf's own path lookup wants the root's
 * name in some versions, this does not care */
static libregf_key_t *walk(libregf_key_t *from, const char *path)
{
	char buf[1024];
	if (strlen(path) >= sizeof(buf))
		return NULL;
	strcpy(buf, path);
	libregf_key_t *cur = NULL;
	char *save = NULL;
	for (char *c = strtok_r(buf, "\\", &save); c; c = strtok_r(NULL, "\\", &save)) {
		libregf_key_t *next = reg_child(cur ? cur : from, c);
		reg_key_free(&cur);
		if (!next)
			return NULL;
		cur = next;
	}
	return cur;
}

libregf_key_t *reg_key(libregf_file_t *f, const char *path)
{
	libregf_key_t *root = NULL;
	libregf_error_t *e = NULL;
	if (!f || !path || libregf_file_get_root_key(f, &root, &e) != 1 || !root) {
		drop(&e);
		return NULL;
	}
	if (strspn(path, "\\") == strlen(path))
		return root;  /* "" or "\\": the root itself */
	libregf_key_t *k = walk(root, path);
	reg_key_free(&root);
	return k;
}

libregf_key_t *reg_subkey(libregf_key_t *k, const char *path)
{
	return k && path ? walk(k, path) : NULL;
}

int reg_path_exists(libregf_file_t *f, const char *path)
{
	libregf_key_t *k = reg_key(f, path);
	int found = k != NULL;
	reg_key_free(&k);
	return found;
}

int reg_nsub(libregf_key_t *k)
{
	int n = 0;
	libregf_error_t *e = NULL;
	if (!k || libregf_key_get_number_of_sub_keys(k, &n, &e) != 1) {
		drop(&e);
		return 0;
	}
	return n;
}

libregf_key_t *reg_sub(libregf_key_t *k, int i)
{
	libregf_key_t *s = NULL;
	libregf_error_t *e = NULL;
	if (!k || libregf_key_get_sub_key(k, i, &s, &e) != 1) {
		drop(&e);
		return NULL;
	}
	return s;
}

char *reg_name_dup(libregf_key_t *k)
{
	size_t n = 0;
	libregf_error_t *e = NULL;
	if (!k || libregf_key_get_utf8_name_size(k, &n, &e) != 1 || n == 0 || n > 65536) {
		drop(&e);
		return NULL;
	}
	char *s = malloc(n);
	if (s && libregf_key_get_utf8_name(k, (uint8_t *)s, n, &e) != 1) {
		drop(&e);
		free(s);
		return NULL;
	}
	return s;
}

int reg_key_name(libregf_key_t *k, char *out, size_t n)
{
	char *s = reg_name_dup(k);
	if (n)
		snprintf(out, n, "%s", s ? s : "");
	free(s);
	return s != NULL;
}

char *reg_class_dup(libregf_key_t *k)
{
	size_t n = 0;
	libregf_error_t *e = NULL;
	if (!k || libregf_key_get_utf8_class_name_size(k, &n, &e) != 1 || n == 0 || n > 65536) {
		drop(&e);
		return NULL;
	}
	char *s = malloc(n);
	if (s && libregf_key_get_utf8_class_name(k, (uint8_t *)s, n, &e) != 1) {
		drop(&e);
		free(s);
		return NULL;
	}
	return s;
}

uint64_t reg_key_time(libregf_key_t *k)
{
	uint64_t t = 0;
	libregf_error_t *e = NULL;
	if (!k || libregf_key_get_last_written_time(k, &t, &e) != 1) {
		drop(&e);
		return 0;
	}
	return t;
}

/* name NULL or "" = the default value, whose name is empty */
static libregf_value_t *get_value(libregf_key_t *k, const char *name)
{
	libregf_value_t *v = NULL;
	libregf_error_t *e = NULL;
	if (!k)
		return NULL;
	if (name && *name) {
		if (libregf_key_get_value_by_utf8_name(k, (const uint8_t *)name, strlen(name), &v, &e) != 1) {
			drop(&e);
			return NULL;
		}
		return v;
	}
	int nv = 0;
	if (libregf_key_get_number_of_values(k, &nv, &e) != 1) {
		drop(&e);
		return NULL;
	}
	for (int i = 0; i < nv && i < 4096; i++) {
		size_t sz = 1;
		if (libregf_key_get_value(k, i, &v, &e) != 1) {
			drop(&e);
			continue;
		}
		if (libregf_value_get_utf8_name_size(v, &sz, &e) == 1 && sz <= 1)
			return v;
		drop(&e);
		libregf_value_free(&v, NULL);
	}
	return NULL;
}

static void value_free(libregf_value_t *v)
{
	if (v)
		libregf_value_free(&v, NULL);
}

uint32_t reg_value_type(libregf_key_t *k, const char *name)
{
	libregf_value_t *v = get_value(k, name);
	uint32_t t = REG_ABSENT;
	libregf_error_t *e = NULL;
	if (v && libregf_value_get_value_type(v, &t, &e) != 1)
		t = REG_ABSENT;
	drop(&e);
	value_free(v);
	return t;
}

int reg_type(libregf_key_t *k, const char *name, uint32_t *type)
{
	uint32_t t = reg_value_type(k, name);
	if (t == REG_ABSENT)
		return 0;
	*type = t;
	return 1;
}

int reg_has_value(libregf_key_t *k, const char *name)
{
	libregf_value_t *v = get_value(k, name);
	value_free(v);
	return v != NULL;
}

int reg_nvalues(libregf_key_t *k)
{
	int n = 0;
	libregf_error_t *e = NULL;
	if (!k || libregf_key_get_number_of_values(k, &n, &e) != 1) {
		drop(&e);
		return 0;
	}
	return n;
}

static char *value_name(libregf_value_t *v)
{
	size_t n = 0;
	char *s = NULL;
	libregf_error_t *e = NULL;
	if (libregf_value_get_utf8_name_size(v, &n, &e) == 1 && n > 0 && n <= 65536) {
		s = malloc(n);
		if (s && libregf_value_get_utf8_name(v, (uint8_t *)s, n, &e) != 1) {
			free(s);
			s = NULL;
		}
	}
	drop(&e);
	return s;
}

char *reg_value_name_dup(libregf_key_t *k, int i)
{
	libregf_value_t *v = NULL;
	libregf_error_t *e = NULL;
	if (!k || libregf_key_get_value(k, i, &v, &e) != 1) {
		drop(&e);
		return NULL;
	}
	char *s = value_name(v);
	value_free(v);
	return s;
}

static unsigned char *value_data(libregf_value_t *v, size_t max, size_t *len)
{
	size_t n = 0;
	unsigned char *d = NULL;
	libregf_error_t *e = NULL;
	*len = 0;
	if (libregf_value_get_value_data_size(v, &n, &e) == 1 && n <= max) {
		d = malloc(n ? n : 1);
		if (d && n && libregf_value_get_value_data(v, d, n, &e) != 1) {
			free(d);
			d = NULL;
		}
	}
	drop(&e);
	if (d)
		*len = n;
	return d;
}

int reg_value_at(libregf_key_t *k, int i, char **name, uint32_t *type, unsigned char **data, size_t *len)
{
	libregf_value_t *v = NULL;
	libregf_error_t *e = NULL;
	*name = NULL;
	*data = NULL;
	*len = 0;
	*type = REG_ABSENT;
	if (!k || libregf_key_get_value(k, i, &v, &e) != 1) {
		drop(&e);
		return 0;
	}
	*name = value_name(v);
	if (libregf_value_get_value_type(v, type, &e) != 1)
		*type = REG_ABSENT;
	drop(&e);
	*data = value_data(v, 16u << 20, len);
	value_free(v);
	if (!*name) {
		free(*data);
		*data = NULL;
		*len = 0;
		return 0;
	}
	return 1;
}

unsigned char *reg_binary_dup(libregf_key_t *k, const char *name, size_t *len)
{
	*len = 0;
	libregf_value_t *v = get_value(k, name);
	if (!v)
		return NULL;
	unsigned char *d = value_data(v, 64u << 20, len);
	value_free(v);
	return d;
}

int reg_bin(libregf_key_t *k, const char *name, unsigned char *buf, size_t cap, size_t *len)
{
	size_t n = 0;
	unsigned char *d = reg_binary_dup(k, name, &n);
	*len = 0;
	if (!d)
		return 0;
	*len = n < cap ? n : cap;
	memcpy(buf, d, *len);
	free(d);
	return 1;
}

char *reg_utf16_dup(const unsigned char *d, size_t n)
{
	size_t cap = n / 2 * 3 + 4;
	char *s = malloc(cap);
	if (s)
		reg_utf16(d, n, s, cap);
	return s;
}

char *reg_string_dup(libregf_key_t *k, const char *name)
{
	uint32_t t = reg_value_type(k, name);
	if (t != LIBREGF_VALUE_TYPE_STRING && t != LIBREGF_VALUE_TYPE_EXPANDABLE_STRING &&
	    t != LIBREGF_VALUE_TYPE_MULTI_VALUE_STRING)
		return NULL;
	size_t n = 0;
	unsigned char *d = reg_binary_dup(k, name, &n);
	if (!d)
		return NULL;
	char *s = reg_utf16_dup(d, n);
	free(d);
	return s;
}

int reg_str(libregf_key_t *k, const char *name, char *out, size_t n)
{
	out[0] = '\0';
	uint32_t t = reg_value_type(k, name);
	if (t != LIBREGF_VALUE_TYPE_STRING && t != LIBREGF_VALUE_TYPE_EXPANDABLE_STRING)
		return 0;
	char *s = reg_string_dup(k, name);
	if (!s)
		return 0;
	snprintf(out, n, "%s", s);
	free(s);
	return 1;
}

int reg_qword(libregf_key_t *k, const char *name, uint64_t *out)
{
	size_t n = 0;
	uint32_t t = reg_value_type(k, name);
	unsigned char *d = reg_binary_dup(k, name, &n);
	int ok = 0;
	if (d) {
		if ((t == 4 && n >= 4) || (t == 11 && n >= 8) || (t == 5 && n >= 4) || (t == 3 && (n == 4 || n == 8))) {
			uint64_t v = 0;
			if (t == 5)
				v = (uint64_t)d[0] << 24 | (uint64_t)d[1] << 16 | (uint64_t)d[2] << 8 | d[3];
			else
				for (size_t i = 0; i < (t == 11 || n == 8 ? 8u : 4u); i++)
					v |= (uint64_t)d[i] << (8 * i);
			*out = v;
			ok = 1;
		} else if (t == 1 || t == 2) {
			char *s = reg_string_dup(k, name);
			if (s && *s) {
				char *end;
				unsigned long long v = strtoull(s, &end, 0);
				while (*end == ' ')
					end++;
				if (!*end) {
					*out = v;
					ok = 1;
				}
			}
			free(s);
		}
	}
	free(d);
	return ok;
}

int reg_dword(libregf_key_t *k, const char *name, uint32_t *out)
{
	uint64_t v;
	if (!reg_qword(k, name, &v))
		return 0;
	*out = (uint32_t)v;
	return 1;
}

int reg_u32(libregf_key_t *k, const char *name, uint32_t *out)
{
	/* REG_DWORD and REG_DWORD_BIG_ENDIAN only */
	uint32_t t = reg_value_type(k, name);
	return (t == LIBREGF_VALUE_TYPE_INTEGER_32BIT_LITTLE_ENDIAN ||
	        t == LIBREGF_VALUE_TYPE_INTEGER_32BIT_BIG_ENDIAN) && reg_dword(k, name, out);
}

int reg_path_dword(libregf_file_t *f, const char *path, const char *name, uint32_t *out)
{
	libregf_key_t *k = reg_key(f, path);
	int r = reg_dword(k, name, out);
	reg_key_free(&k);
	return r;
}

char *reg_path_string(libregf_file_t *f, const char *path, const char *name)
{
	libregf_key_t *k = reg_key(f, path);
	char *s = reg_string_dup(k, name);
	reg_key_free(&k);
	return s;
}

reg_kind reg_kind_of(libregf_file_t *f)
{
	libregf_key_t *root = NULL;
	libregf_error_t *e = NULL;
	if (libregf_file_get_root_key(f, &root, &e) != 1) {
		if (e)
			libregf_error_free(&e);
		return HIVE_UNKNOWN;
	}
	int n = 0;
	enum { SAM = 1, POLICY = 2, SELECT = 4, CONTROLSET = 8, MICROSOFT = 16, CLASSES = 32, CONTROLPANEL = 64,
	       ENVIRONMENT = 128, SOFTWARE = 256, LOCALSETTINGS = 512, INVENTORY = 1024, CLSID = 2048,
	       RXACT = 4096, APPDATALOW = 8192 };
	unsigned seen = 0;
	if (libregf_key_get_number_of_sub_keys(root, &n, &e) != 1) {
		libregf_error_free(&e);
		n = 0;
	}
	for (int i = 0; i < n && i < 4096; i++) {
		libregf_key_t *s = NULL;
		char name[256];
		if (libregf_key_get_sub_key(root, i, &s, &e) != 1) {
			libregf_error_free(&e);
			continue;
		}
		if (reg_key_name(s, name, sizeof(name))) {
			if (!strcasecmp(name, "SAM")) seen |= SAM;
			else if (!strcasecmp(name, "Policy")) seen |= POLICY;
			else if (!strcasecmp(name, "RXACT")) seen |= RXACT;
			else if (!strcasecmp(name, "Select")) seen |= SELECT;
			else if (!strncasecmp(name, "ControlSet0", 11)) seen |= CONTROLSET;
			else if (!strcasecmp(name, "Microsoft")) seen |= MICROSOFT;
			else if (!strcasecmp(name, "Classes")) seen |= CLASSES;
			else if (!strcasecmp(name, "Control Panel")) seen |= CONTROLPANEL;
			else if (!strcasecmp(name, "Environment")) seen |= ENVIRONMENT;
			else if (!strcasecmp(name, "Software")) seen |= SOFTWARE;
			else if (!strcasecmp(name, "Local Settings")) seen |= LOCALSETTINGS;
			else if (!strncasecmp(name, "Inventory", 9) || !strcasecmp(name, "Root")) seen |= INVENTORY;
			else if (!strcasecmp(name, "CLSID")) seen |= CLSID;
			else if (!strcasecmp(name, "AppDataLow")) seen |= APPDATALOW;
		}
		libregf_key_free(&s, NULL);
	}
	libregf_key_free(&root, NULL);
	if (seen & (POLICY | RXACT))
		return HIVE_SECURITY;
	if (seen & SAM)
		return HIVE_SAM;
	if (seen & (SELECT | CONTROLSET))
		return HIVE_SYSTEM;
	/* AppDataLow exists only under a user's Software key: a user hive, or
	 * its Software subtree saved on its own */
	if (seen & (CONTROLPANEL | ENVIRONMENT | APPDATALOW))
		return HIVE_NTUSER;
	if (seen & MICROSOFT)
		return HIVE_SOFTWARE;
	if (seen & (LOCALSETTINGS | CLSID))
		return HIVE_USRCLASS;
	if (seen & INVENTORY)
		return HIVE_AMCACHE;
	return HIVE_UNKNOWN;
}

reg_kind reg_kind_from_name(const char *name)
{
	const char *b = putil_basename(name);
	if (!strcasecmp(b, "SAM") || !strncasecmp(b, "SAM.", 4) || !strncasecmp(b, "SAM_", 4) ||
	    !strncasecmp(b, "SAMBad", 6))
		return HIVE_SAM;
	if (!strcasecmp(b, "SYSTEM") || !strncasecmp(b, "SYSTEM.", 7) || putil_strcasestr(b, "system_hive"))
		return HIVE_SYSTEM;
	if (!strcasecmp(b, "SOFTWARE") || !strncasecmp(b, "SOFTWARE.", 9))
		return HIVE_SOFTWARE;
	if (!strcasecmp(b, "SECURITY") || !strncasecmp(b, "SECURITY.", 9))
		return HIVE_SECURITY;
	if (!strncasecmp(b, "NTUSER", 6) || !strcasecmp(b, "DEFAULT"))
		return HIVE_NTUSER;
	if (!strncasecmp(b, "UsrClass", 8))
		return HIVE_USRCLASS;
	if (!strncasecmp(b, "Amcache", 7))
		return HIVE_AMCACHE;
	return HIVE_UNKNOWN;
}

/* transaction logs sit beside hives and may start with a base block copy;
 * they are read (for the dirty note) with their hive, never parsed alone */
static int is_log(const char *path)
{
	return path && (putil_endswith(path, ".LOG") || putil_endswith(path, ".LOG1") ||
	                putil_endswith(path, ".LOG2") || putil_endswith(path, ".blf") ||
	                putil_endswith(path, ".regtrans-ms"));
}

int reg_bid(const shodo_artifact *a, const unsigned char *head, size_t n, reg_kind k)
{
	if (is_log(a->path) || is_log(a->file))
		return 0;
	int regf = n >= 4 && !memcmp(head, "regf", 4);
	if (!regf && !(a->category && !strcmp(a->category, CAT_REGISTRY)))
		return 0;
	if (regf) {
		libregf_file_t *f = NULL;
		if (reg_open(a->file, &f, NULL) == SHODO_OK) {
			reg_kind got = reg_kind_of(f);
			reg_close(&f);
			if (got != HIVE_UNKNOWN)
				return got == k ? 48 : 0;
		}
		/* the root cannot be read: the name stored in the base block */
		if (n >= 0x30 + 64) {
			char name[128];
			reg_utf16(head + 0x30, 64, name, sizeof(name));
			if (reg_kind_from_name(name) == k)
				return 8;
		}
	}
	if (reg_kind_from_name(a->path ? a->path : a->file) == k)
		return 8;
	return 0;
}

int reg_state(libregf_file_t *f, const char *lognote, char *note, size_t n)
{
	int st = lognote && *lognote ? REG_DIRTY : REG_CLEAN;
	snprintf(note, n, "%s", lognote ? lognote : "");
	if (f && libregf_file_is_corrupted(f, NULL) == 1) {
		size_t l = strlen(note);
		snprintf(note + l, n - l, "%slibregf reports damaged cells: some keys or values may be missing",
		         l ? "; " : "");
		st = REG_DAMAGED;
	}
	return st;
}

void reg_utf16(const unsigned char *p, size_t bytes, char *out, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i + 1 < bytes; i += 2) {
		uint32_t c = le16(p + i);
		if (c == 0)
			break;
		if (c >= 0xD800 && c < 0xDC00 && i + 3 < bytes) {
			uint32_t d = le16(p + i + 2);
			if (d >= 0xDC00 && d < 0xE000) {
				c = 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00);
				i += 2;
			} else {
				c = 0xFFFD;
			}
		} else if (c >= 0xD800 && c < 0xE000) {
			c = 0xFFFD;
		}
		char tmp[4];
		size_t k;
		if (c < 0x80) { tmp[0] = (char)c; k = 1; }
		else if (c < 0x800) { tmp[0] = (char)(0xC0 | c >> 6); tmp[1] = (char)(0x80 | (c & 0x3F)); k = 2; }
		else if (c < 0x10000) { tmp[0] = (char)(0xE0 | c >> 12); tmp[1] = (char)(0x80 | ((c >> 6) & 0x3F));
			tmp[2] = (char)(0x80 | (c & 0x3F)); k = 3; }
		else { tmp[0] = (char)(0xF0 | c >> 18); tmp[1] = (char)(0x80 | ((c >> 12) & 0x3F));
			tmp[2] = (char)(0x80 | ((c >> 6) & 0x3F)); tmp[3] = (char)(0x80 | (c & 0x3F)); k = 4; }
		if (o + k + 1 > n)
			break;
		memcpy(out + o, tmp, k);
		o += k;
	}
	if (n)
		out[o] = '\0';
}

/* ---- autostart entries (Run keys, Winlogon) -> persistence ---- */

static shodo_status put_autostart(shodo_triage_ctx *ctx, const shodo_artifact *a, const char *time,
                                  const char *kind, const char *name, const char *cmd, const char *account,
                                  const char *where, shodo_err *err)
{
	char detail[1024];
	const char *why = putil_suspicious_cmdline(cmd);
	snprintf(detail, sizeof(detail), "%s%s%s%s", where, putil_user_writable(cmd) ? "; runs from a user-writable folder" : "",
	         why ? "; " : "", why ? why : "");
	return shodo_store_add_persistence(ctx->store, time, kind, name, cmd, account, detail, a->source, -1, err);
}

shodo_status reg_autostarts(libregf_file_t *f, const shodo_artifact *a, shodo_triage_ctx *ctx, const char *root,
                            const char *label, const char *account, int *count, shodo_err *err)
{
	static const char *const runs[] = {
		"Microsoft\\Windows\\CurrentVersion\\Run",
		"Microsoft\\Windows\\CurrentVersion\\RunOnce",
		"Microsoft\\Windows\\CurrentVersion\\Policies\\Explorer\\Run",
		"Wow6432Node\\Microsoft\\Windows\\CurrentVersion\\Run",
		"Wow6432Node\\Microsoft\\Windows\\CurrentVersion\\RunOnce",
		NULL,
	};
	int hklm = !strncmp(label, "HKLM", 4);
	for (int r = 0; runs[r]; r++) {
		char path[512], where[600], t[48];
		snprintf(path, sizeof(path), "%s%s", root, runs[r]);
		libregf_key_t *k = reg_key(f, path);
		if (!k)
			continue;
		putil_ft(reg_key_time(k), t);
		snprintf(where, sizeof(where), "%s\\%s", label, runs[r]);
		int nv = 0;
		if (libregf_key_get_number_of_values(k, &nv, NULL) != 1)
			nv = 0;
		for (int i = 0; i < nv && i < 4096; i++) {
			libregf_value_t *v = NULL;
			char name[512] = "", cmd[2048] = "";
			uint32_t type = 0;
			if (libregf_key_get_value(k, i, &v, NULL) != 1)
				continue;
			if (libregf_value_get_utf8_name(v, (uint8_t *)name, sizeof(name), NULL) != 1)
				name[0] = '\0';
			libregf_value_get_value_type(v, &type, NULL);
			if ((type == LIBREGF_VALUE_TYPE_STRING || type == LIBREGF_VALUE_TYPE_EXPANDABLE_STRING) &&
			    libregf_value_get_value_utf8_string(v, (uint8_t *)cmd, sizeof(cmd), NULL) != 1)
				cmd[0] = '\0';
			libregf_value_free(&v, NULL);
			if (!cmd[0])
				continue;
			shodo_status rc = put_autostart(ctx, a, t, "run_key", name[0] ? name : "(default)", cmd, account,
			                                where, err);
			if (rc != SHODO_OK) {
				reg_key_free(&k);
				return rc;
			}
			(*count)++;
		}
		reg_key_free(&k);
	}
	if (hklm) {
		/* Winlogon Shell/Userinit, only when not the Windows defaults */
		libregf_key_t *k = reg_key(f, "Microsoft\\Windows NT\\CurrentVersion\\Winlogon");
		char v[2048], t[48];
		if (k) {
			putil_ft(reg_key_time(k), t);
			if (reg_str(k, "Shell", v, sizeof(v)) && v[0] && strcasecmp(v, "explorer.exe")) {
				shodo_status rc = put_autostart(ctx, a, t, "winlogon", "Shell", v, NULL,
				                                "HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon", err);
				if (rc != SHODO_OK) {
					reg_key_free(&k);
					return rc;
				}
				(*count)++;
			}
			if (reg_str(k, "Userinit", v, sizeof(v)) && v[0] &&
			    strcasecmp(v, "C:\\Windows\\system32\\userinit.exe,") &&
			    strcasecmp(v, "C:\\Windows\\system32\\userinit.exe")) {
				shodo_status rc = put_autostart(ctx, a, t, "winlogon", "Userinit", v, NULL,
				                                "HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon", err);
				if (rc != SHODO_OK) {
					reg_key_free(&k);
					return rc;
				}
				(*count)++;
			}
			reg_key_free(&k);
		}
	}
	return SHODO_OK;
}
