/*
 * Windows prefetch files (.pf) through libscca: XP/2003 (format 17),
 * Vista/7 (23), 8.x (26), 10 (30, MAM/Xpress Huffman compressed; libscca
 * decompresses it).  Format 31 (Windows 11 and late Windows 10) is refused
 * by libscca 20200717: those files are decompressed here (mam.c) and their
 * header read by prefetch_read_v30() below, whose layout is that of format 30.
 * Compressed files whose data ends early are rejected at once by mam.c
 * (libscca spends tens of seconds on them before failing).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <jansson.h>
#include <libscca.h>
#include "shodo/util.h"
#include "mam.h"
#include "putil.h"
#include "regutil.h"

static int bid_prefetch(const shodo_artifact *a, const unsigned char *head, size_t n)
{
	if (n >= 8 && !memcmp(head + 4, "SCCA", 4))
		return 32;
	if (n >= 8 && !memcmp(head, "MAM\x04", 4))
		return 32;
	if (a->category && !strcmp(a->category, CAT_PREFETCH))
		return 1;
	return 0;
}

static char *json_text(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(j);
	return s;
}

static shodo_status store_row(shodo_triage_ctx *ctx, const shodo_artifact *a, const char *exe, const char *hash,
                              uint32_t version, int have_runs, uint32_t runs, const char *last, const char *s_runs,
                              const char *s_vols, const char *s_files, const char *path, shodo_err *err)
{
	static const char sql[] = "INSERT INTO prefetch(executable,prefetch_hash,format_version,run_count,last_run,"
	                          "last_runs,volumes,loaded_from,flag,source,path) VALUES(?,?,?,?,?,?,?,?,?,?,?)";
	sqlite3_stmt *s = shodo_store_stmt(ctx->store, sql, err);
	if (!s)
		return SHODO_FATAL;
	shodo_bind_text(s, 1, exe);
	shodo_bind_text(s, 2, hash);
	sqlite3_bind_int64(s, 3, version);
	if (have_runs)
		sqlite3_bind_int64(s, 4, runs);
	shodo_bind_text(s, 5, last);
	shodo_bind_text(s, 6, s_runs);
	shodo_bind_text(s, 7, s_vols);
	shodo_bind_text(s, 8, s_files);
	shodo_bind_text(s, 9, putil_tool_flag(exe));
	shodo_bind_text(s, 10, a->source);
	shodo_bind_text(s, 11, path);
	return shodo_store_step_done(ctx->store, s, err);
}

/* Format 30/31 (uncompressed) header, for what libscca refuses:
 *   0x00 version  0x04 "SCCA"  0x10 executable (UTF-16, 60 bytes)  0x4C hash
 *   0x54 file metrics offset (0x130: run count at 0xD0; 0x128: at 0xC8)
 *   0x58 metrics entries  0x64/0x68 file name strings offset/size
 *   0x6C/0x70 volumes offset/count  0x80 eight last run times
 * volume entries of 96 bytes: +0 device path offset (from the volumes
 * area), +4 its length in characters, +8 creation time, +16 serial. */
shodo_status prefetch_read_v30(const uint8_t *d, size_t n, const shodo_artifact *a, shodo_triage_ctx *ctx,
                               shodo_err *err)
{
	if (n < 0xD4 || memcmp(d + 4, "SCCA", 4))
		return shodo_err_set(err, SHODO_FAILED, 0, "decompressed data is not a prefetch file");
	uint32_t version = le32(d);
	if (version != 30 && version != 31)
		return shodo_err_set(err, SHODO_FAILED, 0, "unsupported prefetch format %u", version);
	char exe[128], hash[16], last[48] = "", path[1024] = "";
	reg_utf16(d + 0x10, 60, exe, sizeof(exe));
	snprintf(hash, sizeof(hash), "0x%08x", le32(d + 0x4C));
	uint32_t runs = le32(d + (le32(d + 0x54) == 0x128 ? 0xC8 : 0xD0));
	uint64_t last_ft = 0;
	json_t *jr = json_array();
	for (int i = 0; i < 8; i++) {
		uint64_t ft = le64(d + 0x80 + 8 * i);
		char t[48];
		if (!ft || !putil_ft(ft, t)[0])
			continue;
		json_array_append_new(jr, json_string(t));
		if (ft > last_ft) {
			last_ft = ft;
			memcpy(last, t, sizeof(t));
		}
	}
	json_t *jv = json_array();
	uint32_t voff = le32(d + 0x6C), vcount = le32(d + 0x70);
	for (uint32_t i = 0; i < vcount && i < 256; i++) {
		uint64_t e = (uint64_t)voff + 96u * i;
		if (e + 96 > n)
			break;
		json_t *o = json_object();
		char buf[1024], t[48];
		snprintf(buf, sizeof(buf), "0x%08x", le32(d + e + 16));
		json_object_set_new(o, "serial", json_string(buf));
		uint64_t po = (uint64_t)voff + le32(d + e), pl = 2ull * le32(d + e + 4);
		if (po + pl <= n && pl < 2048) {
			reg_utf16(d + po, pl, buf, sizeof(buf));
			json_object_set_new(o, "path", json_string(buf));
		}
		if (putil_ft(le64(d + e + 8), t)[0])
			json_object_set_new(o, "created", json_string(t));
		json_array_append_new(jv, o);
	}
	json_t *jf = json_array();
	uint64_t fo = le32(d + 0x64), fs = le32(d + 0x68);
	size_t exelen = strlen(exe);
	if (fo + fs <= n) {
		for (uint64_t p = fo; p + 2 <= fo + fs && json_array_size(jf) < 100000;) {
			uint64_t q = p;
			while (q + 2 <= fo + fs && (d[q] || d[q + 1]))
				q += 2;
			if (q == p)
				break;
			char buf[2048];
			reg_utf16(d + p, q - p, buf, sizeof(buf));
			json_array_append_new(jf, json_string(buf));
			const char *b = putil_basename(buf);
			if (!path[0] && exelen && !strncasecmp(b, exe, exelen) && (b[exelen] == '\0' || exelen >= 29))
				snprintf(path, sizeof(path), "%s", buf);
			p = q + 2;
		}
	}
	char *s_runs = json_text(jr), *s_vols = json_text(jv), *s_files = json_text(jf);
	shodo_status rc = store_row(ctx, a, exe, hash, version, 1, runs, last, s_runs, s_vols, s_files, path, err);
	free(s_runs);
	free(s_vols);
	free(s_files);
	if (rc == SHODO_OK)
		snprintf(err->msg, sizeof(err->msg), "%s ran %u times, last %s (format %u, decoded by shodo: libscca %s "
		         "does not read it)", exe, runs, last[0] ? last : "unknown", version, libscca_get_version());
	return rc;
}

/* MAM files: decompressed here first.  Data that ends early fails at once;
 * format 31 is read by prefetch_read_v30; the rest goes to libscca. */
static int mam_first(const shodo_artifact *a, shodo_triage_ctx *ctx, shodo_status *rc, shodo_err *err)
{
	size_t n = 0;
	char *raw = shodo_read_file(a->file, &n);
	if (!raw)
		return 0;
	int handled = 0;
	if (n >= 8 && !memcmp(raw, "MAM", 3)) {
		uint8_t *d = NULL;
		size_t dn = 0;
		char why[256];
		if (mam_decompress((const uint8_t *)raw, n, &d, &dn, why, sizeof(why)) < 0) {
			if (strstr(why, "truncated")) {
				*rc = shodo_err_set(err, SHODO_FAILED, 0, "compressed prefetch file damaged: %s", why);
				handled = 1;
			}
		} else if (dn >= 8 && le32(d) == 31) {
			*rc = prefetch_read_v30(d, dn, a, ctx, err);
			handled = 1;
		}
		free(d);
	}
	free(raw);
	return handled;
}

static shodo_status parse_prefetch(const shodo_artifact *a, shodo_triage_ctx *ctx, shodo_err *err)
{
	libscca_file_t *f = NULL;
	libscca_error_t *e = NULL;
	char msg[512], exe[512] = "", hash[16] = "", last[48] = "", path[1024] = "";
	uint32_t version = 0, ph = 0, runs = 0;
	uint64_t last_ft = 0;
	char *s_runs = NULL, *s_vols = NULL, *s_files = NULL;
	shodo_status rc = SHODO_OK;
	int nvol = 0, nfiles = 0, partial = 0;

	if (a->size <= (64u << 20) && mam_first(a, ctx, &rc, err))
		return rc;

	if (libscca_file_initialize(&f, &e) != 1 || libscca_file_open(f, a->file, LIBSCCA_OPEN_READ, &e) != 1) {
		PUTIL_YAL_MSG(libscca, e, msg, sizeof(msg));
		FILE *fp = fopen(a->file, "rb");
		unsigned char h[8] = {0};
		int mam = fp && fread(h, 1, 8, fp) == 8 && !memcmp(h, "MAM\x04", 4);
		if (fp)
			fclose(fp);
		if (mam)
			rc = shodo_err_set(err, SHODO_FAILED, 0, "compressed prefetch file not readable: %s (libscca %s "
			                   "reads formats 17 to 30; format 31 of Windows 11 is not supported)",
			                   msg, libscca_get_version());
		else
			rc = shodo_err_set(err, SHODO_FAILED, 0, "not a readable prefetch file: %s", msg);
		goto out;
	}
	if (libscca_file_get_format_version(f, &version, &e) != 1 ||
	    libscca_file_get_utf8_executable_filename(f, (uint8_t *)exe, sizeof(exe), &e) != 1) {
		PUTIL_YAL_MSG(libscca, e, msg, sizeof(msg));
		rc = shodo_err_set(err, SHODO_FAILED, 0, "prefetch header unreadable: %s", msg);
		goto out;
	}
	if (libscca_file_get_prefetch_hash(f, &ph, &e) == 1)
		snprintf(hash, sizeof(hash), "0x%08x", ph);
	else
		libscca_error_free(&e);
	if (libscca_file_get_run_count(f, &runs, &e) != 1) {
		libscca_error_free(&e);
		partial = 1;
	}

	json_t *jr = json_array();
	for (int i = 0; i < 8; i++) {
		uint64_t ft = 0;
		if (libscca_file_get_last_run_time(f, i, &ft, &e) != 1) {
			libscca_error_free(&e);
			break;
		}
		char t[48];
		if (!ft || !putil_ft(ft, t)[0])
			continue;
		json_array_append_new(jr, json_string(t));
		if (ft > last_ft) {
			last_ft = ft;
			memcpy(last, t, sizeof(t));
		}
	}
	s_runs = json_text(jr);

	json_t *jv = json_array();
	if (libscca_file_get_number_of_volumes(f, &nvol, &e) != 1) {
		libscca_error_free(&e);
		nvol = 0;
		partial = 1;
	}
	for (int i = 0; i < nvol && i < 256; i++) {
		libscca_volume_information_t *v = NULL;
		if (libscca_file_get_volume_information(f, i, &v, &e) != 1) {
			libscca_error_free(&e);
			partial = 1;
			continue;
		}
		json_t *o = json_object();
		uint32_t serial = 0;
		uint64_t ct = 0;
		char buf[1024], t[48];
		if (libscca_volume_information_get_serial_number(v, &serial, &e) == 1) {
			snprintf(buf, sizeof(buf), "0x%08x", serial);
			json_object_set_new(o, "serial", json_string(buf));
		} else {
			libscca_error_free(&e);
		}
		if (libscca_volume_information_get_utf8_device_path(v, (uint8_t *)buf, sizeof(buf), &e) == 1)
			json_object_set_new(o, "path", json_string(buf));
		else
			libscca_error_free(&e);
		if (libscca_volume_information_get_creation_time(v, &ct, &e) == 1 && putil_ft(ct, t)[0])
			json_object_set_new(o, "created", json_string(t));
		else if (e)
			libscca_error_free(&e);
		json_array_append_new(jv, o);
		libscca_volume_information_free(&v, NULL);
	}
	s_vols = json_text(jv);

	json_t *jf = json_array();
	if (libscca_file_get_number_of_filenames(f, &nfiles, &e) != 1) {
		libscca_error_free(&e);
		nfiles = 0;
		partial = 1;
	}
	size_t exelen = strlen(exe);
	for (int i = 0; i < nfiles && i < 100000; i++) {
		char buf[2048];
		if (libscca_file_get_utf8_filename(f, i, (uint8_t *)buf, sizeof(buf), &e) != 1) {
			libscca_error_free(&e);
			partial = 1;
			continue;
		}
		json_array_append_new(jf, json_string(buf));
		/* where the program ran from: the loaded file named like the
		 * executable (names in the header are cut at 29 characters) */
		const char *b = putil_basename(buf);
		if (!path[0] && exelen && !strncasecmp(b, exe, exelen) && (b[exelen] == '\0' || exelen >= 29))
			snprintf(path, sizeof(path), "%s", buf);
	}
	s_files = json_text(jf);

	if ((rc = store_row(ctx, a, exe, hash, version, !partial || runs, runs, last, s_runs, s_vols, s_files, path,
	                    err)) != SHODO_OK)
		goto out;
	if (partial)
		rc = shodo_err_set(err, SHODO_WARN, 0, "prefetch %s (format %u) read in part", exe, version);
	else
		snprintf(err->msg, sizeof(err->msg), "%s ran %u times, last %s (format %u)", exe, runs,
		         last[0] ? last : "unknown", version);
out:
	if (e)
		libscca_error_free(&e);
	if (f) {
		libscca_file_close(f, NULL);
		libscca_file_free(&f, NULL);
	}
	free(s_runs);
	free(s_vols);
	free(s_files);
	return rc;
}

const shodo_parser shodo_parser_prefetch = {"prefetch", bid_prefetch, parse_prefetch};
