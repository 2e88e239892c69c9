/* Decodes compressed (MAM) prefetch files with shodo's own decompressor and
 * format 30/31 reader, bypassing libscca, and prints the rows as
 * `shodo parse --json` does, so the truth checker can compare them with
 * sccainfo's values.  Files that are not compressed are left out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "shodo/util.h"
#include "triage/parsers/mam.h"

int main(int argc, char **argv)
{
	shodo_store *st = NULL;
	shodo_err err;
	shodo_err_clear(&err);
	if (shodo_store_open(":memory:", &st, &err) != SHODO_OK)
		return 3;
	json_t *files = json_array();
	for (int i = 1; i < argc; i++) {
		size_t n = 0;
		char *raw = shodo_read_file(argv[i], &n);
		if (!raw || n < 8 || memcmp(raw, "MAM", 3)) {
			free(raw);
			continue;
		}
		uint8_t *d = NULL;
		size_t dn = 0;
		char why[256];
		json_t *f = json_object();
		json_object_set_new(f, "file", json_string(argv[i]));
		shodo_artifact a = {.volume = "t", .path = argv[i], .file = argv[i], .source = argv[i]};
		shodo_triage_ctx ctx = {.store = st};
		shodo_status rc = SHODO_FAILED;
		if (mam_decompress((const uint8_t *)raw, n, &d, &dn, why, sizeof(why)) == 0)
			rc = prefetch_read_v30(d, dn, &a, &ctx, &err);
		else
			json_object_set_new(f, "message", json_string(why));
		json_object_set_new(f, "status", json_string(rc == SHODO_OK ? "ok" : "failed"));
		json_t *rows = json_array();
		sqlite3_stmt *s = NULL;
		sqlite3_prepare_v2(shodo_store_db(st), "SELECT executable, prefetch_hash, format_version, run_count,"
		                   " last_runs, volumes, loaded_from FROM prefetch WHERE source = ?", -1, &s, NULL);
		sqlite3_bind_text(s, 1, argv[i], -1, SQLITE_STATIC);
		while (s && sqlite3_step(s) == SQLITE_ROW) {
			json_t *r = json_object();
			for (int c = 0; c < 7; c++) {
				const char *name = sqlite3_column_name(s, c);
				if (sqlite3_column_type(s, c) == SQLITE_INTEGER)
					json_object_set_new(r, name, json_integer(sqlite3_column_int64(s, c)));
				else
					json_object_set_new(r, name, json_string((const char *)sqlite3_column_text(s, c)));
			}
			json_array_append_new(rows, r);
		}
		sqlite3_finalize(s);
		json_object_set_new(f, "prefetch", rows);
		json_array_append_new(files, f);
		free(d);
		free(raw);
	}
	json_t *doc = json_object();
	json_object_set_new(doc, "files", files);
	json_dumpf(doc, stdout, JSON_INDENT(1));
	json_decref(doc);
	shodo_store_close(st);
	return 0;
}
