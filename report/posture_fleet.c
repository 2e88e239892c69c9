/*
 * report/posture_fleet.c — shared local passwords across the evidence items
 * of a case, from the keyed digests each triage run stored
 * (credential_digests).  Reads every DIR/<ID>/triage/triage.db read-only.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sqlite3.h>
#include "shodo/buf.h"
#include "shodo/hash.h"
#include "shodo/posture.h"
#include "triage/posture/posture_int.h"

typedef struct rec {
	char *evidence, *volume, *account, *digest, *key_id;
	long long rid;
} rec;

static int cmp_rec(const void *a, const void *b)
{
	const rec *x = a, *y = b;
	int c = strcmp(x->key_id, y->key_id);
	if (!c)
		c = strcmp(x->digest, y->digest);
	if (!c)
		c = strcmp(x->evidence, y->evidence);
	return c;
}

static char *dup0(const unsigned char *s) { return strdup(s ? (const char *)s : ""); }

static int cmp_group(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	json_int_t cx = json_integer_value(json_object_get(x, "count"));
	json_int_t cy = json_integer_value(json_object_get(y, "count"));
	if (cx != cy)
		return cx < cy ? 1 : -1;
	return strcmp(json_string_value(json_object_get(x, "account")), json_string_value(json_object_get(y, "account")));
}

json_t *shodo_posture_shared_passwords(const char *case_dir, shodo_err *err)
{
	DIR *d = opendir(case_dir);
	if (!d) {
		shodo_err_set(err, SHODO_FATAL, errno, "cannot read case folder '%s'", case_dir);
		return NULL;
	}
	rec *r = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char db[4096];
		struct stat sb;
		if (snprintf(db, sizeof(db), "%s/%s/triage/triage.db", case_dir, de->d_name) >= (int)sizeof(db) ||
		    stat(db, &sb) != 0 || !S_ISREG(sb.st_mode))
			continue;
		sqlite3 *h = NULL;
		sqlite3_stmt *s = NULL;
		if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
		    sqlite3_prepare_v2(h, "SELECT volume, account, rid, digest, key_id FROM credential_digests"
		                          " WHERE digest IS NOT NULL", -1, &s, NULL) == SQLITE_OK) {
			while (sqlite3_step(s) == SQLITE_ROW) {
				if (shodo_grow(&r, &cap, n + 1) < 0)
					break;
				rec *x = &r[n++];
				x->evidence = strdup(de->d_name);
				x->volume = dup0(sqlite3_column_text(s, 0));
				x->account = dup0(sqlite3_column_text(s, 1));
				x->rid = sqlite3_column_int64(s, 2);
				x->digest = dup0(sqlite3_column_text(s, 3));
				x->key_id = dup0(sqlite3_column_text(s, 4));
			}
		}
		sqlite3_finalize(s);
		sqlite3_close(h);
	}
	closedir(d);

	/* the digest of the empty password under this case's key, to say so */
	char blank[65] = "";
	unsigned char key[32];
	shodo_err kerr;
	shodo_err_clear(&kerr);
	if (posture_case_key(case_dir, 0, key, &kerr) == SHODO_OK) {
		static const unsigned char blank_nt[16] = {0x31, 0xd6, 0xcf, 0xe0, 0xd1, 0x6a, 0xe9, 0x31,
		                                           0xb7, 0x3c, 0x59, 0xd7, 0xe0, 0xc0, 0x89, 0xc0};
		unsigned char mac[32];
		unsigned int ml = 0;
		HMAC(EVP_sha256(), key, 32, blank_nt, 16, mac, &ml);
		shodo_hex(mac, 32, blank);
		blank[64] = 0;
		OPENSSL_cleanse(key, sizeof(key));
	}

	if (n)
		qsort(r, n, sizeof(*r), cmp_rec);
	json_t *groups = json_array();
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && !strcmp(r[j].key_id, r[i].key_id) && !strcmp(r[j].digest, r[i].digest))
			j++;
		size_t hosts = 0;
		for (size_t k = i; k < j; k++)
			if (k == i || strcmp(r[k].evidence, r[k - 1].evidence))
				hosts++;
		if (hosts > 1) {
			json_t *g = json_object(), *hl = json_array(), *ml = json_array();
			/* most frequent account name (and its RID) */
			size_t best = i, bestc = 0;
			for (size_t k = i; k < j; k++) {
				size_t c = 0;
				for (size_t m = i; m < j; m++)
					c += !strcasecmp(r[m].account, r[k].account);
				if (c > bestc) {
					bestc = c;
					best = k;
				}
			}
			for (size_t k = i; k < j; k++) {
				if (k == i || strcmp(r[k].evidence, r[k - 1].evidence))
					json_array_append_new(hl, json_string(r[k].evidence));
				json_array_append_new(ml, json_pack("{s:s, s:s, s:s, s:I}", "evidence", r[k].evidence, "volume",
				                                    r[k].volume, "account", r[k].account, "rid",
				                                    (json_int_t)r[k].rid));
			}
			json_object_set_new(g, "account", json_string(r[best].account));
			json_object_set_new(g, "rid", json_integer(r[best].rid));
			json_object_set_new(g, "count", json_integer((json_int_t)hosts));
			json_object_set_new(g, "blank", json_boolean(blank[0] && !strcmp(blank, r[i].digest)));
			json_object_set_new(g, "hosts", hl);
			json_object_set_new(g, "members", ml);
			json_array_append_new(groups, g);
		}
		i = j;
	}
	for (size_t i = 0; i < n; i++) {
		free(r[i].evidence);
		free(r[i].volume);
		free(r[i].account);
		free(r[i].digest);
		free(r[i].key_id);
	}
	free(r);

	/* largest group first */
	size_t ng = json_array_size(groups);
	if (ng > 1) {
		json_t **v = malloc(ng * sizeof(*v));
		if (v) {
			for (size_t i = 0; i < ng; i++)
				v[i] = json_incref(json_array_get(groups, i));
			qsort(v, ng, sizeof(*v), cmp_group);
			json_array_clear(groups);
			for (size_t i = 0; i < ng; i++)
				json_array_append_new(groups, v[i]);
			free(v);
		}
	}
	return groups;
}
