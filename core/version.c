#include <stdio.h>
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

json_t *shodo_version_json(void)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
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
}

const char *shodo_version_long(void)
{
	static _Thread_local char buf[1024];
	snprintf(buf, sizeof(buf),
	         "shodo %s\n  libewf %s\n  libtsk %s\n  %s\n  libevtx %s\n  libevt %s\n  libregf %s\n"
	         "  libscca %s\n  libesedb %s\n  jansson %s\n  sqlite %s\n  zlib %s\n  libdeflate %s\n",
	         SHODO_VERSION, libewf_get_version(), tsk_version_get_str(),
	         OpenSSL_version(OPENSSL_VERSION), libevtx_get_version(), libevt_get_version(),
	         libregf_get_version(), libscca_get_version(), libesedb_get_version(), JANSSON_VERSION,
	         sqlite3_libversion(), zlibVersion(), LIBDEFLATE_VERSION_STRING);
	return buf;
}
