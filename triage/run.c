/*
 * shodo_triage_run: the triage job.
 *
 *   DIR/<ID>/triage/  triage.log, triage.db, manifest.jsonl, files/
 *   collection (with analyse overlapped) -> rest of analyse -> scope ->
 *   posture -> report and CSVs -> custody entries -> SHA256SUMS
 *
 * Parse while collecting: before the walk starts, the analysis thread
 * (analyse.c, shodo_analysis_start) takes the store; collection hands it
 * the collector's rows and every artifact whose copy is complete and listed
 * in the manifest, so the parsers work on one core while the walk copies
 * on the other (the walk itself waits on disk and hashing).  After the walk
 * shodo_analysis_finish parses what is left and gives the store back.  The
 * events of both threads reach the sink one at a time (locked_tee).
 * "stage times:" in triage.log: collect = the walk, until the last volume
 * ended (parses overlap it); analyse = what remained to parse after it,
 * with the index build.  Their sum is the old collect + analyse.
 *
 * The report and the CSVs are written at the same time (the CSVs on a
 * thread of their own with a read-only connection to triage.db: nothing
 * writes the store after posture); the stage ends when both are whole.
 *
 * A stage that fails (FAILED) is logged and the run goes on: the responder
 * still gets what the other stages found.  FATAL and cancellation stop it.
 */
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "triage/collect/collect.h"
#include "shodo/case.h"
#include "shodo/devices.h"
#include "shodo/hash.h"
#include "shodo/source.h"
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

/* ---- before anything is written ---- */

/* one source: can it be read, and does it hold a volume libtsk can read */
static shodo_status probe_source(const char *path, double timeout, int *usable, int *bitlocker, char *ewf_why,
                                 size_t ewf_whysz, shodo_err *err)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		shodo_err_set(err, SHODO_FAILED, errno, "cannot open source '%s'", path);
		shodo_err_hint(err, "check the path; 'shodo devices' lists the disks");
		return SHODO_FAILED;
	}
	if (S_ISDIR(st.st_mode)) {
		shodo_err_set(err, SHODO_FAILED, 0, "cannot triage '%s': it is a folder, not a disk or an image file", path);
		shodo_err_hint(err, "give the disk (e.g. /dev/sdb) or the image file (.E01, .raw, .001) inside it");
		return SHODO_FAILED;
	}
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
		shodo_err_set(err, SHODO_FAILED, 0, "cannot triage '%s': it is %s, not a disk (a block device) or an image "
		              "file", path, S_ISCHR(st.st_mode) ? "a character device" : "a special file");
		shodo_err_hint(err, "'shodo devices' lists the disks");
		return SHODO_FAILED;
	}
	if (S_ISREG(st.st_mode)) {
		shodo_status ck = shodo_ewf_check(path, err);
		if (ck == SHODO_FATAL)
			return ck;   /* a damaged E01 header is never read as anything else */
		if (ck != SHODO_OK) {
			/* a segment missing or cut short: collection reads what it can,
			 * and says so; if nothing can be read, this is the reason */
			snprintf(ewf_why, ewf_whysz, "%s", err->msg);
			shodo_err_clear(err);
		}
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		shodo_err_set(err, SHODO_FAILED, errno, "cannot open source '%s'", path);
		if (errno == EACCES)
			shodo_err_hint(err, "run shodo as root to read disks");
		return SHODO_FAILED;
	}
	close(fd);
	col_source s;
	col_source_open(&s, path);
	if (!s.img) {
		shodo_err_set(err, SHODO_FAILED, 0, "cannot read '%s' as a disk or disk image (The Sleuth Kit: %s)", path,
		              s.error);
		shodo_err_hint(err, "check that it is the disk or image you meant; 'mmls' and 'fsstat' show what is there");
		return SHODO_FAILED;
	}
	col_volume *vols = NULL;
	size_t nv = 0, vcap = 0;
	/* each file system is probed in a child process (a hostile one cannot
	 * end the check either); no events: the run says it all again */
	col_probe pr = {NULL, NULL, timeout > 0 ? timeout : COL_VOLUME_TIMEOUT};
	col_volumes_find(&s, 0, &vols, &nv, &vcap, &pr);
	for (size_t i = 0; i < nv; i++) {
		if (vols[i].status && !strcmp(vols[i].status, "ok"))
			(*usable)++;
		else if (vols[i].status && !strcmp(vols[i].status, "bitlocker"))
			(*bitlocker)++;
		col_volume_close(&vols[i]);
	}
	free(vols);
	col_source_close(&s);
	return SHODO_OK;
}

shodo_status shodo_triage_check(const shodo_triage_opts *o, const char *case_dir, shodo_err *err)
{
	struct stat st;
	int usable = 0, bitlocker = 0;
	char ewf_why[1024] = "";
	if (!o || !o->evidence_id || o->nsources < 1 || !case_dir)
		return shodo_err_set(err, SHODO_USAGE, 0, "triage: a source, a case folder and an evidence ID are needed");
	if (!shodo_case_id_valid(o->evidence_id))
		return shodo_err_set(err, SHODO_USAGE, 0, "invalid evidence ID '%s': use 1-64 letters, digits, '.', '_' or '-'",
		                     o->evidence_id);
	if (o->since && o->until && o->since > o->until)
		return shodo_err_set(err, SHODO_USAGE, 0, "triage: --since is after --until");
	for (int i = 0; i < o->nsources; i++) {
		const char *src = o->sources[i];
		if (stat(src, &st) == 0 && S_ISBLK(st.st_mode)) {
			/* never write onto the evidence: --force does not change this one */
			if (shodo_path_on_device(case_dir, (unsigned long long)st.st_rdev)) {
				shodo_err_set(err, SHODO_FATAL, 0, "refusing to triage '%s': the case folder '%s' is on that disk",
				              src, case_dir);
				shodo_err_hint(err, "put the case folder on another disk (--force does not override this)");
				return SHODO_FATAL;
			}
			/* a file system mounted read-write changes under the reader */
			shodo_mount m;
			if (!o->force && shodo_device_mounted_rw((unsigned long long)st.st_rdev, &m)) {
				shodo_err_set(err, SHODO_FATAL, 0, "'%s' is mounted read-write ('%s' on '%s')", src, m.partition,
				              m.mountpoint);
				shodo_err_hint(err, "unmount it (or remount it read-only) first, or give --force");
				return SHODO_FATAL;
			}
		}
		shodo_status ps = probe_source(src, o->volume_timeout, &usable, &bitlocker, ewf_why, sizeof(ewf_why), err);
		if (ps == SHODO_FATAL || (ps != SHODO_OK && o->nsources == 1)) {
			err->status = SHODO_FATAL;
			return SHODO_FATAL;
		}
		if (ps != SHODO_OK) {
			/* several sources: the others are still triaged; collection
			 * reports this one again in triage.log and --json */
			shodo_emit(o->sink, SHODO_EV_WARN, "triage", "%s", err->msg);
			shodo_err_clear(err);
		}
	}
	if (usable)
		return SHODO_OK;
	const char *what = o->nsources == 1 ? o->sources[0] : "the sources";
	if (ewf_why[0]) {
		shodo_err_set(err, SHODO_FATAL, 0, "no readable volume in '%s': %s", what, ewf_why);
		shodo_err_hint(err, "restore the segment from the destination it was written to (or another copy) and "
		                    "run again; nothing was written");
	} else if (bitlocker) {
		shodo_err_set(err, SHODO_FATAL, 0, "no readable volume in '%s': %d BitLocker-encrypted volume%s and no "
		              "other", what, bitlocker, bitlocker == 1 ? "" : "s");
		shodo_err_hint(err, "unlock it first (dislocker with the recovery key) and triage the unlocked volume; "
		                    "nothing was written");
	} else {
		shodo_err_set(err, SHODO_FATAL, 0, "no readable volume in '%s': no partition table and no file system that "
		              "The Sleuth Kit can read (NTFS, FAT, exFAT, ext2/3/4, HFS+, ISO 9660)", what);
		shodo_err_hint(err, "check that it is the disk or image you meant ('mmls' and 'fsstat' show what is there); "
		                    "nothing was written");
	}
	return SHODO_FATAL;
}

/* A triage folder left by an attempt that did not finish (failed,
 * cancelled, killed) does not use up the evidence ID: it is replaced, and
 * custody keeps both the failure and the replacement.  Automatic rather
 * than behind a --retry option: the evidence lock proves no run is writing
 * it, custody tells a finished triage (never replaced) from an unfinished
 * one, and a stressed responder should not need a second command to do
 * the only thing that can be done. */
static shodo_status replace_unfinished(const shodo_triage_opts *o, shodo_err *err)
{
	static const char *const acts[] = {"triage-start", "triage", "triage-failed", "triage-cancelled", NULL};
	char tdir[4096], last[64] = "", when[64] = "", mp[4200];
	struct stat st;
	if (shodo_snprintf(tdir, sizeof(tdir), "%s/%s/triage", shodo_case_dir(o->kase), o->evidence_id) < 0)
		return shodo_err_set(err, SHODO_FATAL, ENAMETOOLONG, "cannot triage evidence %s", o->evidence_id);
	if (stat(tdir, &st) < 0)
		return SHODO_OK;
	int known = shodo_case_last_action(o->kase, o->evidence_id, acts, last, sizeof(last), when, sizeof(when));
	snprintf(mp, sizeof(mp), "%s/manifest.jsonl", tdir);
	int finished = known ? !strcmp(last, "triage") : stat(mp, &st) == 0;
	if (finished) {
		shodo_err_set(err, SHODO_FATAL, 0, "'%s' already holds a triage of evidence %s", tdir, o->evidence_id);
		shodo_err_hint(err, "use another evidence ID (e.g. %s-2); a finished triage is never overwritten",
		               o->evidence_id);
		return SHODO_FATAL;
	}
	uint64_t files = 0, bytes = 0;
	shodo_status rc = shodo_case_remove_part(o->kase, o->evidence_id, "triage", &files, &bytes, err);
	char detail[512], rel[600];
	snprintf(detail, sizeof(detail), "replacing the unfinished attempt (%s%s%s): %llu files (%llu bytes) removed%s",
	         !known ? "no custody record"
	         : !strcmp(last, "triage-start") ? "no end record: killed or crashed"
	         : !strcmp(last, "triage-cancelled") ? "cancelled" : "failed",
	         when[0] ? " at " : "", when, (unsigned long long)files, (unsigned long long)bytes,
	         rc == SHODO_OK ? "; the source is read again" : ", not all");
	snprintf(rel, sizeof(rel), "%s/triage", o->evidence_id);
	shodo_case_custody(o->kase, "triage-retry", o->evidence_id, rel, NULL, detail, NULL);
	if (rc == SHODO_OK)
		shodo_emit(o->sink, SHODO_EV_INFO, "triage", "%s", detail);
	return rc;
}

/* Collection and analysis emit from two threads: one event at a time
 * reaches the front end's sink and the log. */
typedef struct locked_tee {
	pthread_mutex_t mu;
	shodo_tee tee;
} locked_tee;

static void locked_tee_fn(const shodo_event *ev, void *ud)
{
	locked_tee *t = ud;
	pthread_mutex_lock(&t->mu);
	shodo_tee_fn(ev, &t->tee);
	pthread_mutex_unlock(&t->mu);
}

/* Step 1: DIR/ID/triage/triage.log, and the sink that feeds both the front
 * end's sink and the log. */
static shodo_status open_log(const shodo_triage_opts *o, const char *tdir, shodo_logfile **log, locked_tee *lt,
                             shodo_sink *sink, shodo_err *err)
{
	shodo_tee *tee = &lt->tee;
	char p[4200], now[32];
	snprintf(p, sizeof(p), "%s/triage.log", tdir);
	shodo_status rc = shodo_logfile_open(p, log, err);
	if (rc != SHODO_OK)
		return rc;
	memset(tee, 0, sizeof(*tee));   /* the mutex is lt's */
	if (o->sink)
		tee->a = *o->sink;
	tee->b.fn = shodo_logfile_sink_fn;
	tee->b.ud = *log;
	memset(sink, 0, sizeof(*sink));
	sink->fn = locked_tee_fn;
	sink->ud = lt;
	sink->job = o->evidence_id;
	shodo_sink_start(sink);

	shodo_logfile_line(*log, "shodo %s triage of evidence %s, started %s", SHODO_VERSION, o->evidence_id,
	                   shodo_now_iso(now));
	if (shodo_version_live())
		shodo_logfile_line(*log, "running on: %s", shodo_version_live());
	shodo_logfile_line(*log, "examiner: %s", shodo_case_examiner(o->kase) ? shodo_case_examiner(o->kase) : "");
	for (int i = 0; i < o->nsources; i++)
		shodo_logfile_line(*log, "source: %s", o->sources[i]);
	shodo_logfile_line(*log, "profile: %s%s", o->profile == SHODO_PROFILE_FULL ? "full" : "quick",
	                   o->no_extract ? ", no extraction (parsed from temporary copies)" : "");
	return SHODO_OK;
}

/* Step 3: the stages after collection, in order; a FATAL stage stops the
 * rest.  The grade collects the worst. */
/* took[]: wall seconds of analyse (what remained to parse when the walk
 * ended), scope, posture and report (with the CSVs) */
static void run_stages(shodo_triage_ctx *ctx, shodo_analysis *an, shodo_collection *col, shodo_status *grade,
                       double took[4])
{
	shodo_err e;
	shodo_err_clear(&e);
	double lap = shodo_monotonic();
#define LAP(i) (took[i] = shodo_monotonic() - lap, lap += took[i])
	shodo_emit(ctx->sink, SHODO_EV_PHASE, "analyse", "parsing %zu artifacts", col->n);
	if (stage(ctx, "analyse", shodo_analysis_finish(an, 1, col->n, &e), &e, grade) >= SHODO_FATAL)
		return;
	LAP(0);
	shodo_emit(ctx->sink, SHODO_EV_PHASE, "scope", "scoping");
	if (stage(ctx, "scope", shodo_scope_run(ctx, &e), &e, grade) >= SHODO_FATAL)
		return;
	LAP(1);
	shodo_emit(ctx->sink, SHODO_EV_PHASE, "posture", "security posture");
	if (stage(ctx, "posture", shodo_posture_run(ctx, col->arts, col->n, &e), &e, grade) >= SHODO_FATAL)
		return;
	LAP(2);
	shodo_emit(ctx->sink, SHODO_EV_PHASE, "report", "report");
	/* the CSVs on a second thread while the report is built (both only
	 * read the store now); every CSV is whole before run_stages returns,
	 * so before custody and SHA256SUMS, whatever the report did */
	shodo_csv_job *csv = shodo_store_csv_start(ctx->store, ctx->triage_dir, NULL);
	shodo_status rs = stage(ctx, "report", shodo_report_write(ctx, &e), &e, grade);
	stage(ctx, "csv", csv ? shodo_store_csv_finish(csv, &e) : shodo_store_write_csv(ctx->store, ctx->triage_dir, NULL, &e),
	      &e, grade);
	if (rs >= SHODO_FATAL)
		return;
	LAP(3);
#undef LAP
}

/* Step 4: custody of the run: every source read, and the manifest of what
 * was collected with its hash. */
static void record_custody(const shodo_triage_opts *o, shodo_triage_ctx *ctx, const char *tdir,
                           const shodo_collection *col, shodo_status *grade)
{
	char p[4200], rel[600], detail[256];
	shodo_digests d;
	shodo_err e;
	shodo_err_clear(&e);
	for (int i = 0; i < o->nsources; i++)
		shodo_case_custody(o->kase, "triage-read", o->evidence_id, o->sources[i], NULL,
		                   o->profile == SHODO_PROFILE_FULL ? "read-only through libtsk, full profile"
		                                                    : "read-only through libtsk, quick profile",
		                   NULL);
	memset(&d, 0, sizeof(d));
	snprintf(p, sizeof(p), "%s/manifest.jsonl", tdir);
	shodo_hash_file(p, SHODO_HASH_SHA256, &d, NULL);
	snprintf(rel, sizeof(rel), "%s/triage/manifest.jsonl", o->evidence_id);
	snprintf(detail, sizeof(detail), "%llu files%s (%llu bytes) from %zu volumes, %llu problems",
	         (unsigned long long)col->files, o->no_extract ? " hashed, not copied" : " extracted",
	         (unsigned long long)col->bytes, json_array_size(col->volumes),
	         (unsigned long long)(col->errors + (uint64_t)col->volumes_bad));
	shodo_status rc = shodo_case_custody(o->kase, *grade == SHODO_CANCELLED ? "triage-cancelled" : "triage",
	                                     o->evidence_id, rel, d.sha256[0] ? d.sha256 : NULL, detail, &e);
	if (rc != SHODO_OK)
		stage(ctx, "custody", rc, &e, grade);
}

static shodo_status run_locked(const shodo_triage_opts *o, json_t **result, shodo_err *err)
{
	char tdir[4096], p[4200], rel[600], now[32];
	shodo_logfile *log = NULL;
	shodo_store *store = NULL;
	shodo_collection col;
	shodo_status grade = SHODO_OK, rc;
	shodo_err e;
	locked_tee tee = {.mu = PTHREAD_MUTEX_INITIALIZER};
	shodo_sink sink;
	shodo_triage_ctx ctx;
	shodo_analysis *an = NULL;

	memset(&col, 0, sizeof(col));
	if (result)
		*result = NULL;
	if (!o || !o->kase || !o->evidence_id || o->nsources < 1)
		return shodo_err_set(err, SHODO_USAGE, 0, "triage: a source, a case folder and an evidence ID are needed");
	if (o->since && o->until && o->since > o->until)
		return shodo_err_set(err, SHODO_USAGE, 0, "triage: --since is after --until");
	if ((rc = replace_unfinished(o, err)) != SHODO_OK)
		return rc;
	rc = shodo_case_evidence_dir(o->kase, o->evidence_id, "triage", tdir, sizeof(tdir), err);
	if (rc != SHODO_OK)
		return rc;
	shodo_case_custody(o->kase, "triage-start", o->evidence_id, NULL, NULL, NULL, NULL);

	/* step 1: the log */
	rc = open_log(o, tdir, &log, &tee, &sink, err);
	if (rc != SHODO_OK)
		return rc;

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

	/* step 2: collection, each artifact parsed as soon as its copy is
	 * listed (the analysis thread owns the store until the walk ends) */
	shodo_err_clear(&e);
	rc = shodo_analysis_start(&ctx, &an, &e);
	if (rc != SHODO_OK) {
		*err = e;
		goto out;
	}
	ctx.analysis = an;
	double t_collect = shodo_monotonic(), took[4] = {0, 0, 0, 0};
	rc = shodo_collect_run(&ctx, &col, &e);
	t_collect = shodo_monotonic() - t_collect;
	ctx.analysis = NULL;
	if (rc == SHODO_FATAL || rc == SHODO_CANCELLED || rc == SHODO_USAGE) {
		/* the rows received are written, no further parse starts */
		shodo_err e2;
		shodo_err_clear(&e2);
		shodo_analysis_finish(an, 0, col.n, &e2);
		*err = e;
		goto out;
	}
	if (rc != SHODO_OK)
		grade = SHODO_WARN;

	/* step 3: the rest of analyse, scope, posture, report, CSV */
	run_stages(&ctx, an, &col, &grade, took);
	/* wall time per stage (bench/triage.sh reads this line): collect is
	 * the walk (with the parses that overlapped it), analyse what
	 * remained to parse after it */
	shodo_logfile_line(log, "stage times: collect %.2f s, analyse %.2f s, scope %.2f s, posture %.2f s, report %.2f s",
	                   t_collect, took[0], took[1], took[2], took[3]);
	if (ctx.warnings && grade == SHODO_OK)
		grade = SHODO_WARN;
	shodo_store_close(store);
	store = NULL;
	if (shodo_cancelled(o->cancel) && grade < SHODO_FATAL)
		grade = SHODO_CANCELLED;

	/* step 4: custody of what was read and written */
	record_custody(o, &ctx, tdir, &col, &grade);

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
	/* nothing is written for a source that cannot be triaged */
	shodo_status rc = o->checked ? SHODO_OK : shodo_triage_check(o, shodo_case_dir(o->kase), err);
	if (rc != SHODO_OK)
		return rc;
	/* one writer per evidence item (image, resume, triage, front end) */
	rc = shodo_case_lock_evidence(o->kase, o->evidence_id, "shodo triage", &lock, err);
	if (rc != SHODO_OK)
		return rc;
	rc = run_locked(o, result, err);
	shodo_case_unlock_evidence(lock);
	return rc;
}
