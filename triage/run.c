/*
 * shodo_triage_run: the triage job.
 *
 *   DIR/<ID>/triage/  triage.log, triage.db, manifest.jsonl, files/
 *   collection -> analyse -> scope -> posture -> report -> CSVs
 *   -> custody entries -> SHA256SUMS
 *
 * A stage that fails (FAILED) is logged and the run goes on: the responder
 * still gets what the other stages found.  FATAL and cancellation stop it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "triage/collect/collect.h"
#include "shodo/case.h"
#include "shodo/devices.h"
#include "shodo/hash.h"
#include "shodo/logfile.h"
#include "shodo/util.h"
#include "shodo/version.h"

static shodo_status stage(shodo_triage_ctx *ctx, const char *name, shodo_status st, shodo_err *e,
                          shodo_status *grade)
{
	if (st == SHODO_OK)
		return st;
	shodo_emit(ctx->sink, st == SHODO_WARN ? SHODO_EV_WARN : SHODO_EV_ERROR, name, "%s: %s", name,
	           e->msg[0] ? e->msg : shodo_status_name(st));
	*grade = shodo_status_worst(*grade, st == SHODO_FATAL || st == SHODO_CANCELLED ? st : SHODO_WARN);
	shodo_err_clear(e);
	return st;
}

/* the --json document; takes the collection's sources and volumes */
static json_t *result_doc(const shodo_triage_opts *o, const char *tdir, shodo_collection *col, const char *status,
                          const char *error)
{
	json_t *r = json_object();
	json_object_set_new(r, "evidence", json_string(o->evidence_id));
	json_object_set_new(r, "triage_dir", json_string(tdir));
	json_object_set_new(r, "profile", json_string(o->profile == SHODO_PROFILE_FULL ? "full" : "quick"));
	json_object_set_new(r, "extracted", json_boolean(!o->no_extract));
	json_object_set_new(r, "sources", col->sources ? col->sources : json_array());
	json_object_set_new(r, "volumes", col->volumes ? col->volumes : json_array());
	col->sources = col->volumes = NULL;
	json_object_set_new(r, "entries_listed", json_integer((json_int_t)col->seen));
	json_object_set_new(r, "files_collected", json_integer((json_int_t)col->files));
	json_object_set_new(r, "bytes_collected", json_integer((json_int_t)col->bytes));
	json_object_set_new(r, "problems", json_integer((json_int_t)(col->errors + (uint64_t)col->volumes_bad)));
	json_object_set_new(r, "status", json_string(status));
	if (error)
		json_object_set_new(r, "error", json_string(error));
	return r;
}

static shodo_status run_locked(const shodo_triage_opts *o, json_t **result, shodo_err *err)
{
	char tdir[4096], p[4200], rel[600], now[32];
	shodo_logfile *log = NULL;
	shodo_store *store = NULL;
	shodo_collection col;
	shodo_status grade = SHODO_OK, rc;
	shodo_err e;
	shodo_tee tee;
	shodo_sink sink;
	shodo_triage_ctx ctx;
	struct stat st;

	memset(&col, 0, sizeof(col));
	if (result)
		*result = NULL;
	if (!o || !o->kase || !o->evidence_id || o->nsources < 1)
		return shodo_err_set(err, SHODO_USAGE, 0, "triage: a source, a case folder and an evidence ID are needed");
	if (o->since && o->until && o->since > o->until)
		return shodo_err_set(err, SHODO_USAGE, 0, "triage: --since is after --until");
	/* a file system mounted read-write changes under the reader: refuse */
	for (int i = 0; i < o->nsources && !o->force; i++) {
		shodo_mount m;
		if (stat(o->sources[i], &st) == 0 && S_ISBLK(st.st_mode) &&
		    shodo_device_mounted_rw((unsigned long long)st.st_rdev, &m)) {
			rc = shodo_err_set(err, SHODO_FATAL, 0, "'%s' is mounted read-write ('%s' on '%s')",
			                   o->sources[i], m.partition, m.mountpoint);
			shodo_err_hint(err, "unmount it (or remount it read-only) first, or give --force");
			return rc;
		}
	}
	rc = shodo_case_evidence_dir(o->kase, o->evidence_id, "triage", tdir, sizeof(tdir), err);
	if (rc != SHODO_OK)
		return rc;
	snprintf(p, sizeof(p), "%s/manifest.jsonl", tdir);
	if (stat(p, &st) == 0) {
		rc = shodo_err_set(err, SHODO_FATAL, 0, "'%s' already holds a triage of evidence %s", tdir,
		                   o->evidence_id);
		shodo_err_hint(err, "use another evidence ID (e.g. %s-2); earlier results are never overwritten",
		               o->evidence_id);
		return rc;
	}

	snprintf(p, sizeof(p), "%s/triage.log", tdir);
	rc = shodo_logfile_open(p, &log, err);
	if (rc != SHODO_OK)
		return rc;
	memset(&tee, 0, sizeof(tee));
	if (o->sink)
		tee.a = *o->sink;
	tee.b.fn = shodo_logfile_sink_fn;
	tee.b.ud = log;
	memset(&sink, 0, sizeof(sink));
	sink.fn = shodo_tee_fn;
	sink.ud = &tee;
	sink.job = o->evidence_id;
	shodo_sink_start(&sink);

	shodo_logfile_line(log, "shodo %s triage of evidence %s, started %s", SHODO_VERSION, o->evidence_id,
	                   shodo_now_iso(now));
	shodo_logfile_line(log, "examiner: %s", shodo_case_examiner(o->kase) ? shodo_case_examiner(o->kase) : "");
	for (int i = 0; i < o->nsources; i++)
		shodo_logfile_line(log, "source: %s", o->sources[i]);
	shodo_logfile_line(log, "profile: %s%s", o->profile == SHODO_PROFILE_FULL ? "full" : "quick",
	                   o->no_extract ? ", no extraction (parsed from temporary copies)" : "");

	snprintf(p, sizeof(p), "%s/triage.db", tdir);
	rc = shodo_store_open(p, &store, err);
	if (rc != SHODO_OK)
		goto out;

	memset(&ctx, 0, sizeof(ctx));
	ctx.opts = o;
	ctx.store = store;
	ctx.triage_dir = tdir;
	ctx.sink = &sink;
	ctx.cancel = o->cancel;
	ctx.since = o->since;
	ctx.until = o->until;

	shodo_err_clear(&e);
	rc = shodo_collect_run(&ctx, &col, &e);
	if (rc == SHODO_FATAL || rc == SHODO_CANCELLED || rc == SHODO_USAGE) {
		*err = e;
		goto out;
	}
	if (rc != SHODO_OK)
		grade = SHODO_WARN;
	shodo_err_clear(&e);

	shodo_emit(&sink, SHODO_EV_PHASE, "analyse", "parsing %zu artifacts", col.n);
	if (stage(&ctx, "analyse", shodo_analyse_run(&ctx, col.arts, col.n, &e), &e, &grade) >= SHODO_FATAL)
		goto stop;
	shodo_emit(&sink, SHODO_EV_PHASE, "scope", "scoping");
	if (stage(&ctx, "scope", shodo_scope_run(&ctx, &e), &e, &grade) >= SHODO_FATAL)
		goto stop;
	shodo_emit(&sink, SHODO_EV_PHASE, "posture", "security posture");
	if (stage(&ctx, "posture", shodo_posture_run(&ctx, col.arts, col.n, &e), &e, &grade) >= SHODO_FATAL)
		goto stop;
	shodo_emit(&sink, SHODO_EV_PHASE, "report", "report");
	if (stage(&ctx, "report", shodo_report_write(&ctx, &e), &e, &grade) >= SHODO_FATAL)
		goto stop;
	if (stage(&ctx, "csv", shodo_store_write_csv(store, tdir, NULL, &e), &e, &grade) >= SHODO_FATAL)
		goto stop;
	ctx.warnings += 0;
stop:
	if (ctx.warnings && grade == SHODO_OK)
		grade = SHODO_WARN;
	shodo_store_close(store);
	store = NULL;
	if (shodo_cancelled(o->cancel) && grade < SHODO_FATAL)
		grade = SHODO_CANCELLED;

	/* custody: what was read, what was written */
	for (int i = 0; i < o->nsources; i++)
		shodo_case_custody(o->kase, "triage-read", o->evidence_id, o->sources[i], NULL,
		                   o->profile == SHODO_PROFILE_FULL ? "read-only through libtsk, full profile"
		                                                    : "read-only through libtsk, quick profile",
		                   NULL);
	{
		shodo_digests d;
		char detail[256];
		memset(&d, 0, sizeof(d));
		snprintf(p, sizeof(p), "%s/manifest.jsonl", tdir);
		shodo_hash_file(p, SHODO_HASH_SHA256, &d, NULL);
		snprintf(rel, sizeof(rel), "%s/triage/manifest.jsonl", o->evidence_id);
		snprintf(detail, sizeof(detail), "%llu files%s (%llu bytes) from %zu volumes, %llu problems",
		         (unsigned long long)col.files, o->no_extract ? " hashed, not copied" : " extracted",
		         (unsigned long long)col.bytes, json_array_size(col.volumes),
		         (unsigned long long)(col.errors + (uint64_t)col.volumes_bad));
		rc = shodo_case_custody(o->kase, "triage", o->evidence_id, rel, d.sha256[0] ? d.sha256 : NULL,
		                        detail, &e);
		if (rc != SHODO_OK)
			stage(&ctx, "custody", rc, &e, &grade);
	}

	if (result)
		*result = result_doc(o, tdir, &col, shodo_status_name(grade), NULL);
	shodo_emit(&sink, SHODO_EV_INFO, "triage", "triage of %s finished: %s", o->evidence_id,
	           shodo_status_name(grade));
	shodo_logfile_line(log, "finished %s: %s", shodo_now_iso(now), shodo_status_name(grade));
	shodo_logfile_close(log);
	log = NULL;
	shodo_collection_free(&col);

	rc = shodo_case_refresh_sums(o->kase, o->sign_key, &e);
	if (rc != SHODO_OK) {
		*err = e;
		return rc;
	}
	if (grade == SHODO_CANCELLED)
		return shodo_err_set(err, SHODO_CANCELLED, 0, "triage of %s cancelled", o->evidence_id);
	if (grade != SHODO_OK)
		shodo_err_set(err, grade, 0, "triage of %s finished with problems: see '%s/triage.log'",
		              o->evidence_id, tdir);
	return grade;

out:
	/* what the collection saw, for --json, also when the run could not be done */
	if (result && (col.sources || col.volumes))
		*result = result_doc(o, tdir, &col, shodo_status_name(rc), err->msg);
	/* the front end shows err itself: into the log only */
	if (log)
		shodo_logfile_line(log, "error: %s%s%s", err->msg, err->hint[0] ? "; hint: " : "", err->hint);
	int started = log != NULL;
	shodo_store_close(store);
	shodo_logfile_close(log);
	shodo_collection_free(&col);
	/* what was written until then stays verifiable: custody says the run
	 * failed and why, SHA256SUMS covers the files (best effort: the folder
	 * may be what failed) */
	if (started) {
		shodo_err e2;
		shodo_err_clear(&e2);
		snprintf(rel, sizeof(rel), "%s/triage", o->evidence_id);
		shodo_case_custody(o->kase, rc == SHODO_CANCELLED ? "triage-cancelled" : "triage-failed", o->evidence_id,
		                   rel, NULL, err->msg, &e2);
		shodo_case_refresh_sums(o->kase, o->sign_key, &e2);
	}
	return rc;
}

shodo_status shodo_triage_run(const shodo_triage_opts *o, json_t **result, shodo_err *err)
{
	shodo_evidence_lock *lock = NULL;
	if (result)
		*result = NULL;
	if (!o || !o->kase || !o->evidence_id || o->nsources < 1)
		return shodo_err_set(err, SHODO_USAGE, 0, "triage: a source, a case folder and an evidence ID are needed");
	/* one writer per evidence item (image, resume, triage, front end) */
	shodo_status rc = shodo_case_lock_evidence(o->kase, o->evidence_id, "shodo triage", &lock, err);
	if (rc != SHODO_OK)
		return rc;
	rc = run_locked(o, result, err);
	shodo_case_unlock_evidence(lock);
	return rc;
}
