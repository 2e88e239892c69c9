/*
 * triage/posture/posture_reg.c — a minimal reader over libregf for the posture
 * checks: keys by path, typed values, class names.  Every accessor treats
 * a libregf error like an absent key or value (a hostile hive yields fewer
 * findings, never a crash); only opening the hive reports an error.
 */
#include <stdlib.h>
#include <string.h>
#include "core/libyal.h"
#include "posture_int.h"

struct preg {
	libregf_file_t *file;
	libregf_key_t *root;
};

static void drop(libregf_error_t **e)
{
	if (*e)
		libregf_error_free(e);
}

shodo_status preg_open(const char *file, preg **out, shodo_err *err)
{
	*out = NULL;
	libregf_error_t *e = NULL;
	preg *h = calloc(1, sizeof(*h));
	if (!h)
		return shodo_err_set(err, SHODO_FAILED, 0, "cannot open hive '%s': out of memory", file);
	if (libregf_file_initialize(&h->file, &e) != 1 ||
	    libregf_file_open(h->file, file, LIBREGF_OPEN_READ, &e) != 1) {
		shodo_err_from_libyal(err, SHODO_FAILED, 0, e, SHODO_LIBYAL(libregf), "cannot open hive '%s'", file);
		drop(&e);
		preg_close(h);
		return SHODO_FAILED;
	}
	if (libregf_file_get_root_key(h->file, &h->root, &e) != 1 || !h->root) {
		drop(&e);
		preg_close(h);
		return shodo_err_set(err, SHODO_FAILED, 0, "cannot open hive '%s': no root key", file);
	}
	*out = h;
	return SHODO_OK;
}

void preg_close(preg *h)
{
	if (!h)
		return;
	libregf_error_t *e = NULL;
	if (h->root)
		libregf_key_free(&h->root, &e);
	drop(&e);
	if (h->file) {
		libregf_file_close(h->file, &e);
		drop(&e);
		libregf_file_free(&h->file, &e);
		drop(&e);
	}
	free(h);
}

void pkey_free(pkey *k)
{
	if (!k)
		return;
	libregf_error_t *e = NULL;
	libregf_key_free(&k, &e);
	drop(&e);
}

pkey *pkey_child(pkey *k, const char *name)
{
	if (!k || !name)
		return NULL;
	libregf_error_t *e = NULL;
	libregf_key_t *c = NULL;
	if (libregf_key_get_sub_key_by_utf8_name(k, (const uint8_t *)name, strlen(name), &c, &e) != 1) {
		drop(&e);
		return NULL;
	}
	return c;
}

pkey *preg_get(preg *h, const char *path)
{
	if (!h || !path)
		return NULL;
	/* walk component by component from the root: libregf's path lookup
	 * wants the root's own name in some versions, this does not care */
	char buf[1024];
	if (strlen(path) >= sizeof(buf))
		return NULL;
	strcpy(buf, path);
	libregf_key_t *cur = NULL;
	libregf_error_t *e = NULL;
	char *save = NULL;
	char *c = strtok_r(buf, "\\", &save);
	libregf_key_t *from = h->root;
	if (!c) {
		/* the root itself: hand out a fresh handle */
		if (libregf_file_get_root_key(h->file, &cur, &e) != 1) {
			drop(&e);
			return NULL;
		}
		return cur;
	}
	for (; c; c = strtok_r(NULL, "\\", &save)) {
		libregf_key_t *next = pkey_child(from, c);
		if (cur)
			pkey_free(cur);
		if (!next)
			return NULL;
		cur = next;
		from = cur;
	}
	return cur;
}

int pkey_nsub(pkey *k)
{
	int n = 0;
	libregf_error_t *e = NULL;
	if (!k || libregf_key_get_number_of_sub_keys(k, &n, &e) != 1) {
		drop(&e);
		return 0;
	}
	return n;
}

pkey *pkey_sub(pkey *k, int i)
{
	libregf_key_t *s = NULL;
	libregf_error_t *e = NULL;
	if (!k || libregf_key_get_sub_key(k, i, &s, &e) != 1) {
		drop(&e);
		return NULL;
	}
	return s;
}

char *pkey_name(pkey *k)
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

char *pkey_class(pkey *k)
{
	size_t n = 0;
	libregf_error_t *e = NULL;
	int r = k ? libregf_key_get_utf8_class_name_size(k, &n, &e) : -1;
	if (r != 1 || n == 0 || n > 65536) {
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

uint64_t pkey_written(pkey *k)
{
	uint64_t t = 0;
	libregf_error_t *e = NULL;
	if (!k || libregf_key_get_last_written_time(k, &t, &e) != 1) {
		drop(&e);
		return 0;
	}
	return t;
}

static libregf_value_t *value(pkey *k, const char *name)
{
	libregf_value_t *v = NULL;
	libregf_error_t *e = NULL;
	if (!k)
		return NULL;
	size_t n = name ? strlen(name) : 0;
	if (libregf_key_get_value_by_utf8_name(k, n ? (const uint8_t *)name : NULL, n, &v, &e) != 1) {
		drop(&e);
		return NULL;
	}
	return v;
}

static void value_free(libregf_value_t *v)
{
	libregf_error_t *e = NULL;
	if (v)
		libregf_value_free(&v, &e);
	drop(&e);
}

uint32_t pkey_value_type(pkey *k, const char *name)
{
	libregf_value_t *v = value(k, name);
	uint32_t t = 0xFFFFFFFF;
	libregf_error_t *e = NULL;
	if (v && libregf_value_get_value_type(v, &t, &e) != 1)
		t = 0xFFFFFFFF;
	drop(&e);
	value_free(v);
	return t;
}

int pkey_nvalues(pkey *k)
{
	int n = 0;
	libregf_error_t *e = NULL;
	if (!k || libregf_key_get_number_of_values(k, &n, &e) != 1) {
		drop(&e);
		return 0;
	}
	return n;
}

char *pkey_value_name(pkey *k, int i)
{
	libregf_value_t *v = NULL;
	libregf_error_t *e = NULL;
	char *s = NULL;
	size_t n = 0;
	if (!k || libregf_key_get_value(k, i, &v, &e) != 1) {
		drop(&e);
		return NULL;
	}
	if (libregf_value_get_utf8_name_size(v, &n, &e) == 1 && n > 0 && n <= 65536) {
		s = malloc(n);
		if (s && libregf_value_get_utf8_name(v, (uint8_t *)s, n, &e) != 1) {
			free(s);
			s = NULL;
		}
	}
	drop(&e);
	value_free(v);
	return s;
}

int pkey_value_at(pkey *k, int i, char **name, uint32_t *type, unsigned char **data, size_t *len)
{
	libregf_value_t *v = NULL;
	libregf_error_t *e = NULL;
	*name = NULL;
	*data = NULL;
	*len = 0;
	*type = 0xFFFFFFFF;
	if (!k || libregf_key_get_value(k, i, &v, &e) != 1) {
		drop(&e);
		return 0;
	}
	size_t n = 0;
	if (libregf_value_get_utf8_name_size(v, &n, &e) == 1 && n > 0 && n <= 65536) {
		*name = malloc(n);
		if (*name && libregf_value_get_utf8_name(v, (uint8_t *)*name, n, &e) != 1) {
			free(*name);
			*name = NULL;
		}
	}
	drop(&e);
	if (libregf_value_get_value_type(v, type, &e) != 1)
		*type = 0xFFFFFFFF;
	drop(&e);
	if (libregf_value_get_value_data_size(v, &n, &e) == 1 && n <= (16u << 20)) {
		*data = malloc(n ? n : 1);
		if (*data && n && libregf_value_get_value_data(v, *data, n, &e) != 1) {
			free(*data);
			*data = NULL;
		} else if (*data) {
			*len = n;
		}
	}
	drop(&e);
	value_free(v);
	if (!*name) {
		free(*data);
		*data = NULL;
		*len = 0;
		return 0;
	}
	return 1;
}

int pkey_has_value(pkey *k, const char *name)
{
	libregf_value_t *v = value(k, name);
	value_free(v);
	return v != NULL;
}

unsigned char *pkey_binary(pkey *k, const char *name, size_t *len)
{
	*len = 0;
	libregf_value_t *v = value(k, name);
	if (!v)
		return NULL;
	libregf_error_t *e = NULL;
	size_t n = 0;
	unsigned char *d = NULL;
	if (libregf_value_get_value_data_size(v, &n, &e) == 1 && n <= (64u << 20)) {
		d = malloc(n ? n : 1);
		if (d && n && libregf_value_get_value_data(v, d, n, &e) != 1) {
			free(d);
			d = NULL;
		}
	}
	drop(&e);
	value_free(v);
	if (d)
		*len = n;
	return d;
}

int pkey_qword(pkey *k, const char *name, uint64_t *out)
{
	size_t n = 0;
	uint32_t t = pkey_value_type(k, name);
	unsigned char *d = pkey_binary(k, name, &n);
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
			char *s = pkey_string(k, name);
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

int pkey_dword(pkey *k, const char *name, uint32_t *out)
{
	uint64_t v;
	if (!pkey_qword(k, name, &v))
		return 0;
	*out = (uint32_t)v;
	return 1;
}

char *posture_utf16(const unsigned char *d, size_t n)
{
	/* UTF-16LE to UTF-8, stopping at the first NUL; lone surrogates become U+FFFD */
	char *s = malloc(n / 2 * 3 + 4);
	size_t o = 0;
	if (!s)
		return NULL;
	for (size_t i = 0; i + 1 < n; i += 2) {
		uint32_t c = d[i] | (uint32_t)d[i + 1] << 8;
		if (!c)
			break;
		if (c >= 0xD800 && c <= 0xDBFF && i + 3 < n) {
			uint32_t c2 = d[i + 2] | (uint32_t)d[i + 3] << 8;
			if (c2 >= 0xDC00 && c2 <= 0xDFFF) {
				c = 0x10000 + ((c - 0xD800) << 10) + (c2 - 0xDC00);
				i += 2;
			}
		}
		if (c >= 0xD800 && c <= 0xDFFF)
			c = 0xFFFD;
		if (c < 0x80) {
			s[o++] = (char)c;
		} else if (c < 0x800) {
			s[o++] = (char)(0xC0 | c >> 6);
			s[o++] = (char)(0x80 | (c & 0x3F));
		} else if (c < 0x10000) {
			s[o++] = (char)(0xE0 | c >> 12);
			s[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
			s[o++] = (char)(0x80 | (c & 0x3F));
		} else {
			s[o++] = (char)(0xF0 | c >> 18);
			s[o++] = (char)(0x80 | ((c >> 12) & 0x3F));
			s[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
			s[o++] = (char)(0x80 | (c & 0x3F));
		}
	}
	s[o] = 0;
	return s;
}

char *pkey_string(pkey *k, const char *name)
{
	uint32_t t = pkey_value_type(k, name);
	if (t != 1 && t != 2 && t != 7)
		return NULL;
	size_t n = 0;
	unsigned char *d = pkey_binary(k, name, &n);
	if (!d)
		return NULL;
	char *s = posture_utf16(d, n);
	free(d);
	return s;
}

int preg_dword(preg *h, const char *path, const char *name, uint32_t *out)
{
	pkey *k = preg_get(h, path);
	int r = pkey_dword(k, name, out);
	pkey_free(k);
	return r;
}

char *preg_string(preg *h, const char *path, const char *name)
{
	pkey *k = preg_get(h, path);
	char *s = pkey_string(k, name);
	pkey_free(k);
	return s;
}

int preg_exists(preg *h, const char *path)
{
	pkey *k = preg_get(h, path);
	pkey_free(k);
	return k != NULL;
}
