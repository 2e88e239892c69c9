#include <ctype.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libewf.h>
#include <libevtx.h>
#include <libregf.h>
#include <libscca.h>
#include <libesedb.h>
#include <libevt.h>
#include <openssl/crypto.h>
#include <sqlite3.h>
#include <tsk/libtsk.h>
#include <zlib.h>
#include <libdeflate.h>
#include "shodo/version.h"

const char *shodo_version(void)
{
	return SHODO_VERSION;
}

/* The live stick's record of itself (written by live-image/build.sh):
 * KEY=VALUE lines.  SHODO_RELEASE_FILE names another file (tests). */
typedef struct live_release {
	char shodo[128], variant[32], debian[32], snapshot[160], built[32], packages[200];
	int present;
} live_release;
static live_release rel;
static pthread_once_t rel_once = PTHREAD_ONCE_INIT;

static void rel_load(void)
{
	const char *path = getenv("SHODO_RELEASE_FILE");
	FILE *fp = fopen(path && *path ? path : "/etc/shodo-release", "re");
	if (!fp)
		return;
	char line[512];
	while (fgets(line, sizeof(line), fp)) {
		char *eq = strchr(line, '=');
		if (!eq)
			continue;
		*eq = '\0';
		char *v = eq + 1;
		size_t n = strlen(v);
		while (n && isspace((unsigned char)v[n - 1]))
			v[--n] = '\0';
		for (char *c = v; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				*c = ' ';
		static const struct {
			const char *key;
			size_t off, size;
		} keys[] = {
#define REL_KEY(k, f) {k, offsetof(live_release, f), sizeof(rel.f)}
			REL_KEY("SHODO_VERSION", shodo), REL_KEY("SHODO_LIVE_VARIANT", variant),
			REL_KEY("DEBIAN_VERSION", debian), REL_KEY("DEBIAN_SNAPSHOT", snapshot),
			REL_KEY("BUILT", built), REL_KEY("PACKAGES", packages),
#undef REL_KEY
		};
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (!strcmp(line, keys[i].key)) {
				snprintf((char *)&rel + keys[i].off, keys[i].size, "%s", v);
				rel.present = 1;
			}
	}
	fclose(fp);
}

/* {"shodo": ..., "variant": ..., "debian": ..., "debian_snapshot": ...,
 * "built": ..., "packages": ...} or NULL when not running from the stick */
static json_t *live_json(void)
{
	pthread_once(&rel_once, rel_load);
	if (!rel.present)
		return NULL;
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "shodo", rel.shodo, "variant", rel.variant, "debian",
	                 rel.debian, "debian_snapshot", rel.snapshot, "built", rel.built, "packages", rel.packages);
}

const char *shodo_version_live(void)
{
	static _Thread_local char buf[640];
	pthread_once(&rel_once, rel_load);
	if (!rel.present)
		return NULL;
	snprintf(buf, sizeof(buf), "shodo stick %s (%s), Debian %s, archive of %s, built %s", rel.shodo,
	         rel.variant[0] ? rel.variant : "?", rel.debian, rel.snapshot, rel.built);
	return buf;
}

json_t *shodo_version_json(void)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
	                 "shodo", SHODO_VERSION,
	                 "libewf", libewf_get_version(),
	                 "libtsk", tsk_version_get_str(),
	                 "openssl", OpenSSL_version(OPENSSL_VERSION),
	                 "libevtx", libevtx_get_version(),
	                 "libevt", libevt_get_version(),
	                 "libregf", libregf_get_version(),
	                 "libscca", libscca_get_version(),
	                 "libesedb", libesedb_get_version(),
	                 "jansson", JANSSON_VERSION,
	                 "sqlite", sqlite3_libversion(),
	                 "zlib", zlibVersion(),
	                 "libdeflate", LIBDEFLATE_VERSION_STRING);
	json_t *live = live_json();
	if (o && live)
		json_object_set_new(o, "live", live);
	else
		json_decref(live);
	return o;
}

const char *shodo_version_long(void)
{
	static _Thread_local char buf[2048];
	snprintf(buf, sizeof(buf),
	         "shodo %s\n  libewf %s\n  libtsk %s\n  %s\n  libevtx %s\n  libevt %s\n  libregf %s\n"
	         "  libscca %s\n  libesedb %s\n  jansson %s\n  sqlite %s\n  zlib %s\n  libdeflate %s\n",
	         SHODO_VERSION, libewf_get_version(), tsk_version_get_str(),
	         OpenSSL_version(OPENSSL_VERSION), libevtx_get_version(), libevt_get_version(),
	         libregf_get_version(), libscca_get_version(), libesedb_get_version(), JANSSON_VERSION,
	         sqlite3_libversion(), zlibVersion(), LIBDEFLATE_VERSION_STRING);
	const char *live = shodo_version_live();
	if (live) {
		size_t l = strlen(buf);
		snprintf(buf + l, sizeof(buf) - l, "  running on: %s\n  packages: %s\n", live, rel.packages);
	}
	return buf;
}
