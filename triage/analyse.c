/*
 * triage/analyse.c — the analyse stage: every collected artifact goes to
 * the parser that bids highest on its first 4 KiB, inside its own
 * transaction.  Each artifact's outcome is one row of table `artifacts`
 * (status ok, warning, failed, skipped); one bad artifact never stops the
 * run.  A failed parse is rolled back so no half-written rows remain.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "triage_int.h"

static const char *status_word(shodo_status st)
{
	switch (st) {
	case SHODO_OK: return "ok";
	case SHODO_WARN: return "warning";
	case SHODO_CANCELLED: return "cancelled";
	default: return "failed";
	}
}

static shodo_status record_artifact(shodo_triage_ctx *ctx, const shodo_artifact *a, const char *parser,
                                    const char *status, const char *message, shodo_err *err)
{
	/* the collector already wrote the artifact's row ("collected", or
	 * "partial" when the file could not be read whole): complete that row,
	 * keeping "partial" and its reason in front of the parser's word */
	static const char upd[] =
	    "UPDATE artifacts SET parser=?1,"
	    " message=CASE WHEN status='partial' THEN coalesce(message,'') || coalesce('; ' || ?3, '') ELSE ?3 END,"
	    " status=CASE WHEN status='partial' THEN status ELSE ?2 END"
	    " WHERE source=?4 AND parser IS NULL AND status IN ('collected','partial')";
	sqlite3_stmt *s = shodo_store_stmt(ctx->store, upd, err);
	if (!s)
		return SHODO_FATAL;
	shodo_bind_text(s, 1, parser);
	shodo_bind_text(s, 2, status);
	shodo_bind_text(s, 3, message);
	shodo_bind_text(s, 4, a->source ? a->source : a->file);
	shodo_status rc = shodo_store_step_done(ctx->store, s, err);
	if (rc != SHODO_OK)
		return rc;
	if (sqlite3_changes(shodo_store_db(ctx->store)) > 0)
		return SHODO_OK;
	static const char sql[] = "INSERT INTO artifacts(source,category,parser,status,message) VALUES(?,?,?,?,?)";
	s = shodo_store_stmt(ctx->store, sql, err);
	if (!s)
		return SHODO_FATAL;
	shodo_bind_text(s, 1, a->source ? a->source : a->file);
	shodo_bind_text(s, 2, a->category);
	shodo_bind_text(s, 3, parser);
	shodo_bind_text(s, 4, status);
	shodo_bind_text(s, 5, message);
	return shodo_store_step_done(ctx->store, s, err);
}

static size_t read_head(const char *path, unsigned char *buf, size_t n, int *errnum)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		*errnum = errno;
		return (size_t)-1;
	}
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r < 0)
				*errnum = errno;
			break;
		}
		got += (size_t)r;
	}
	close(fd);
	if (got == 0 && *errnum)
		return (size_t)-1;
	return got;
}

/* Parses one artifact; FATAL only when the store itself fails. */
static shodo_status analyse_one(shodo_triage_ctx *ctx, const shodo_artifact *a, shodo_err *err)
{
	unsigned char head[4096];
	int errnum = 0;
	const char *label = a->source ? a->source : a->file;
	size_t n = read_head(a->file, head, sizeof(head), &errnum);
	if (n == (size_t)-1) {
		char m[512];
		snprintf(m, sizeof(m), "cannot read: %s", strerror(errnum));
		shodo_emit(ctx->sink, SHODO_EV_WARN, "analyse", "'%s': %s", label, m);
		ctx->warnings++;
		return record_artifact(ctx, a, NULL, "failed", m, err);
	}
	if (n == 0)  /* e.g. the empty RegBack hives of Windows 10 1803 and later */
		return record_artifact(ctx, a, NULL, "skipped", "empty file", err);
	const shodo_parser *tie[2];
	const shodo_parser *p = shodo_parser_choose(a, head, n, tie);
	if (!p && tie[0]) {
		char m[256];
		snprintf(m, sizeof(m), "the %s and %s parsers claim it equally: not parsed", tie[0]->name, tie[1]->name);
		shodo_emit(ctx->sink, SHODO_EV_WARN, "analyse", "'%s': %s", label, m);
		ctx->warnings++;
		return record_artifact(ctx, a, NULL, "failed", m, err);
	}
	if (!p)
		return record_artifact(ctx, a, NULL, "skipped", "no parser for this artifact", err);

	shodo_err perr;
	shodo_err_clear(&perr);
	shodo_status rc = shodo_store_begin(ctx->store, err);
	if (rc != SHODO_OK)
		return rc;
	shodo_status st = p->parse(a, ctx, &perr);
	if (st == SHODO_FATAL) {
		shodo_store_exec(ctx->store, "ROLLBACK", NULL);
		*err = perr;
		shodo_err_prefix(err, "%s parser on '%s'", p->name, label);
		return SHODO_FATAL;
	}
	if (st == SHODO_FAILED || st == SHODO_CANCELLED || st == SHODO_USAGE) {
		/* nothing usable: leave no half-written rows behind */
		shodo_store_exec(ctx->store, "ROLLBACK", NULL);
	} else if ((rc = shodo_store_commit(ctx->store, err)) != SHODO_OK) {
		shodo_store_exec(ctx->store, "ROLLBACK", NULL);
		return rc;
	}
	if (st != SHODO_OK && st != SHODO_CANCELLED) {
		ctx->warnings++;
		shodo_emit(ctx->sink, st == SHODO_WARN ? SHODO_EV_WARN : SHODO_EV_ERROR, "analyse", "'%s' (%s): %s",
		           label, p->name, perr.msg[0] ? perr.msg : "failed");
	} else if (st == SHODO_OK) {
		shodo_emit(ctx->sink, SHODO_EV_INFO, "analyse", "'%s' (%s): %s", label, p->name,
		           perr.msg[0] ? perr.msg : "ok");
	}
	rc = record_artifact(ctx, a, p->name, status_word(st), perr.msg, err);
	if (rc == SHODO_OK && st == SHODO_CANCELLED)
		return shodo_err_set(err, SHODO_CANCELLED, 0, "analysis cancelled");
	return rc;
}

shodo_status shodo_analyse_run(shodo_triage_ctx *ctx, const shodo_artifact *arts, size_t n, shodo_err *err)
{
	shodo_emit(ctx->sink, SHODO_EV_PHASE, "analyse", "analysing %zu artifacts", n);
	int before = ctx->warnings;
	/* indexes are built once, after the parsers (see store.h) */
	shodo_status rc = shodo_store_bulk_begin(ctx->store, err);
	for (size_t i = 0; i < n && rc == SHODO_OK; i++) {
		if (shodo_cancelled(ctx->cancel)) {
			rc = shodo_err_set(err, SHODO_CANCELLED, 0, "analysis cancelled");
			break;
		}
		shodo_progress(ctx->sink, "analyse", "files", i, n);
		rc = analyse_one(ctx, &arts[i], err);
	}
	shodo_err ierr;
	shodo_err_clear(&ierr);
	shodo_status irc = shodo_store_bulk_end(ctx->store, &ierr);
	if (rc != SHODO_OK)
		return rc;
	if (irc != SHODO_OK) {
		*err = ierr;
		return irc;
	}
	shodo_progress(ctx->sink, "analyse", "files", n, n);
	int bad = ctx->warnings - before;
	if (bad)
		return shodo_err_set(err, SHODO_WARN, 0, "%d of %zu artifacts could not be parsed completely", bad, n);
	return SHODO_OK;
}
