/*
 * triage/scope/tools.c — tools on disk: executables in user-writable places
 * that are known attack or admin tools (parsers/executable.c flags them by
 * name and by the names of their version resource).  Here, after every
 * artifact was parsed, a copy renamed and stripped of its resource is
 * flagged by its SHA-256 when another executable of the same triage with
 * that hash was flagged; and every flagged file is marked with whether
 * prefetch shows it ran, so that the summary can say "on disk, not seen run".
 */
#include "scope.h"

shodo_status shodo_scope_tools(shodo_triage_ctx *ctx, shodo_err *err)
{
	static const char *const sql[] = {
		"UPDATE executables SET flag = (SELECT e.flag FROM executables e WHERE e.sha256 = executables.sha256"
		" AND e.flag IS NOT NULL AND e.matched_by <> 'hash' ORDER BY e.rowid LIMIT 1),"
		" matched_by = 'hash'"
		" WHERE flag IS NULL AND sha256 IS NOT NULL AND sha256 IN"
		" (SELECT sha256 FROM executables WHERE flag IS NOT NULL AND matched_by <> 'hash')",
		NULL,
	};
	for (int i = 0; sql[i]; i++) {
		shodo_status rc = shodo_store_exec(ctx->store, sql[i], err);
		if (rc != SHODO_OK) {
			shodo_err_prefix(err, "scope: tools on disk");
			return rc;
		}
	}
	return SHODO_OK;
}
