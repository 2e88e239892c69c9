/*
 * The job queue: each confirmed choice becomes one shodo_job (its own
 * thread) running the same engine calls with the same options as the
 * subcommands, so that the case folder is the one the CLI would write:
 *
 *   triage          shodo_case_open(case number, examiner) + shodo_triage_run
 *                   (as `shodo triage`)
 *   image           shodo_image_acquire (as `shodo image`, --resume for Resume)
 *   triage, image   both, in that order, on one thread; cancel stops either
 *   verify          shodo_image_verify on a case folder (as `shodo verify DIR`)
 *
 * Events arrive on the job's threads: the sink only copies them into the
 * job under its mutex (progress, log lines, unreadable bytes) and into the
 * session log; the screens draw from there.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "tui.h"
#include "shodo/case.h"
#include "shodo/hash.h"
#include "shodo/job.h"
#include "shodo/util.h"

typedef struct job_impl {
	tui_app *a;
	shodo_job *job;
	shodo_sink sink;
} job_impl;

static void job_logline(tui_job *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void job_logline(tui_job *j, const char *fmt, ...)
{
	char *line = NULL;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&line, fmt, ap) < 0)
		line = NULL;
	va_end(ap);
	if (!line)
		return;
	int i = j->nlog % TUI_JOB_LOG;
	free(j->log[i]);
	j->log[i] = line;
	j->nlog++;
}

/* "read error at offset O (sector S): L of N bytes unreadable, zero-filled: ..." */
static uint64_t unreadable_bytes(const char *msg)
{
	const char *p = strstr(msg, "): ");
	unsigned long long lost = 0;
	if (strncmp(msg, "read error at offset ", 21) || !p || sscanf(p + 3, "%llu of", &lost) != 1)
		return 0;
	return lost;
}

static void sink_fn(const shodo_event *ev, void *ud)
{
	tui_job *j = ud;
	job_impl *im = j->impl;
	int kind = -1;
	pthread_mutex_lock(&j->mu);
	j->t = ev->t;
	switch (ev->kind) {
	case SHODO_EV_PROGRESS:
		if (strncmp(j->phase, ev->phase ? ev->phase : "", sizeof(j->phase) - 1) || ev->done < j->done) {
			snprintf(j->phase, sizeof(j->phase), "%s", ev->phase ? ev->phase : "");
			j->phase_t0 = ev->t;
			j->rate = 0;
		}
		j->done = ev->done;
		j->total = ev->total;
		snprintf(j->unit, sizeof(j->unit), "%s", ev->unit ? ev->unit : "");
		if (ev->t - j->phase_t0 > 0.5)
			j->rate = (double)ev->done / (ev->t - j->phase_t0);
		break;
	case SHODO_EV_PHASE:
	case SHODO_EV_INFO:
		job_logline(j, "%s", ev->msg);
		kind = UI_INFO;
		break;
	case SHODO_EV_WARN:
		j->warnings++;
		j->bad_bytes += unreadable_bytes(ev->msg);
		job_logline(j, "warning: %s", ev->msg);
		kind = UI_WARN;
		break;
	case SHODO_EV_ERROR:
		j->warnings++;
		job_logline(j, "error: %s", ev->msg);
		kind = UI_ERR;
		break;
	case SHODO_EV_DEBUG:
		break;
	}
	pthread_mutex_unlock(&j->mu);
	if (kind >= 0)
		app_log(im->a, kind, "%s: %s%s", j->label, kind == UI_WARN ? "warning: " : kind == UI_ERR ? "error: " : "",
		        ev->msg);
}

static void set_step(tui_job *j, const char *step)
{
	pthread_mutex_lock(&j->mu);
	snprintf(j->step, sizeof(j->step), "%s", step);
	j->phase[0] = '\0';
	j->done = j->total = 0;
	j->rate = 0;
	j->phase_t0 = j->t;
	pthread_mutex_unlock(&j->mu);
}

static const char *opt(const char *s)
{
	return s && *s ? s : NULL;
}

static shodo_status run_triage(tui_job *j, const shodo_sink *sink, shodo_cancel *cancel, shodo_err *err)
{
	const tui_draft *d = &j->d;
	shodo_case *c = NULL;
	const char *srcs[1] = {d->source};
	shodo_triage_opts o;
	memset(&o, 0, sizeof(o));
	o.sources = srcs;
	o.nsources = 1;
	o.evidence_id = d->evidence_id;
	o.profile = d->profile == SHODO_PROFILE_FULL ? SHODO_PROFILE_FULL : SHODO_PROFILE_QUICK;
	if (d->since[0])
		shodo_parse_iso(d->since, &o.since);
	if (d->until[0])
		shodo_parse_iso(d->until, &o.until);
	o.sink = sink;
	o.cancel = cancel;
	/* as `shodo triage`: a mistake (a source that cannot be triaged, a case
	 * folder on the evidence) creates nothing */
	shodo_status st = shodo_triage_check(&o, d->case_dir, err);
	if (st != SHODO_OK)
		return st;
	o.checked = 1;
	shodo_case_meta meta = {.case_number = opt(d->case_number), .examiner = opt(d->examiner)};
	if ((st = shodo_case_open(d->case_dir, &meta, 1, &c, err)) != SHODO_OK)
		return st;
	o.kase = c;
	st = shodo_triage_run(&o, NULL, err);
	shodo_case_close(c);
	return st;
}

static shodo_status run_image(tui_job *j, const shodo_sink *sink, shodo_cancel *cancel, shodo_err *err)
{
	const tui_draft *d = &j->d;
	shodo_image_opts o;
	shodo_image_opts_init(&o);
	o.source = d->source;
	o.case_dir = d->case_dir;
	o.evidence_id = d->evidence_id;
	o.case_number = opt(d->case_number);
	o.examiner = opt(d->examiner);
	o.description = opt(d->description);
	o.notes = opt(d->notes);
	o.format = d->format == SHODO_IMAGE_RAW ? SHODO_IMAGE_RAW : SHODO_IMAGE_E01;
	o.compression = (shodo_image_compression)d->compression;
	o.segment_size = d->segment[0] ? shodo_parse_size(d->segment) : 0;
	o.hashes = d->hashes;
	o.verify = d->verify;
	o.resume = d->resume;
	o.sink = sink;
	o.cancel = cancel;
	return shodo_image_acquire(&o, NULL, err);
}

static shodo_status run_verify(tui_job *j, const shodo_sink *sink, shodo_cancel *cancel, shodo_err *err)
{
	shodo_verify_opts o;
	memset(&o, 0, sizeof(o));
	o.path = j->d.case_dir;
	o.sink = sink;
	o.cancel = cancel;
	json_t *doc = NULL;
	shodo_status st = shodo_image_verify(&o, &doc, err);
	pthread_mutex_lock(&j->mu);
	j->verify_doc = doc;
	pthread_mutex_unlock(&j->mu);
	return st;
}

static void keep_err(tui_job *j, const shodo_err *e, shodo_status st)
{
	if (st == SHODO_OK || !e->msg[0])
		return;
	pthread_mutex_lock(&j->mu);
	if (!j->err.msg[0])
		j->err = *e;
	pthread_mutex_unlock(&j->mu);
}

/* "triage failed: <sentence with what to do>" in the job's messages */
static void log_outcome(tui_job *j, const char *what, shodo_status st, const shodo_err *e)
{
	char s[1400] = "";
	if (e->msg[0])
		ui_sentence(e, s, sizeof(s));
	const char *word = st == SHODO_OK ? "done" : st == SHODO_WARN ? "done with warnings"
	                                   : st == SHODO_CANCELLED ? "cancelled" : "failed";
	pthread_mutex_lock(&j->mu);
	job_logline(j, "%s %s%s%s", what, word, s[0] ? ": " : "", s);
	pthread_mutex_unlock(&j->mu);
}

static shodo_status job_main(void *arg, const shodo_sink *sink, shodo_cancel *cancel, shodo_err *err)
{
	tui_job *j = arg;
	shodo_status worst = SHODO_OK, st;
	shodo_err e;
	if (j->d.dest_note[0] && j->kind != TJ_VERIFY) {
		/* what was done to the destination on these screens belongs to the case's custody */
		shodo_case *c = NULL;
		shodo_case_meta meta = {.case_number = opt(j->d.case_number), .examiner = opt(j->d.examiner)};
		shodo_err_clear(&e);
		if (shodo_case_open(j->d.case_dir, &meta, 1, &c, &e) == SHODO_OK) {
			char detail[400];
			snprintf(detail, sizeof(detail), "destination prepared in the front end: %s", j->d.dest_note);
			shodo_case_custody(c, "note", NULL, NULL, NULL, detail, NULL);
			shodo_case_close(c);
		}
	}
	if (j->kind == TJ_TRIAGE || j->kind == TJ_TRIAGE_IMAGE) {
		set_step(j, "triage");
		shodo_err_clear(&e);
		st = run_triage(j, sink, cancel, &e);
		j->st_triage = st;
		j->ran_triage = 1;
		keep_err(j, &e, st);
		worst = shodo_status_worst(worst, st);
		log_outcome(j, "triage", st, &e);
	}
	if ((j->kind == TJ_IMAGE || j->kind == TJ_TRIAGE_IMAGE) && !shodo_cancelled(cancel)) {
		set_step(j, "image");
		shodo_err_clear(&e);
		st = run_image(j, sink, cancel, &e);
		j->st_image = st;
		j->ran_image = 1;
		keep_err(j, &e, st);
		worst = shodo_status_worst(worst, st);
		log_outcome(j, "image", st, &e);
	}
	if (j->kind == TJ_VERIFY) {
		set_step(j, "verify");
		shodo_err_clear(&e);
		st = run_verify(j, sink, cancel, &e);
		j->st_verify = st;
		keep_err(j, &e, st);
		worst = shodo_status_worst(worst, st);
	}
	if (shodo_cancelled(cancel) && worst != SHODO_FATAL)
		worst = SHODO_CANCELLED;
	pthread_mutex_lock(&j->mu);
	if (j->err.msg[0])
		*err = j->err;
	j->finished = 1;
	pthread_mutex_unlock(&j->mu);
	return worst;
}

tui_job *jobs_start(tui_app *a, tui_job_kind kind, const tui_draft *d)
{
	if (a->njobs >= TUI_MAX_JOBS) {
		/* forget the oldest finished job */
		int k = -1;
		for (int i = 0; i < a->njobs && k < 0; i++)
			if (a->jobs[i]->finished && !a->jobs[i]->impl)
				k = i;
		if (k < 0) {
			app_msg(a, UI_WARN, "too many jobs: wait for one to finish");
			return NULL;
		}
		tui_job *old = a->jobs[k];
		for (int i = 0; i < TUI_JOB_LOG; i++)
			free(old->log[i]);
		json_decref(old->verify_doc);
		pthread_mutex_destroy(&old->mu);
		free(old);
		memmove(&a->jobs[k], &a->jobs[k + 1], (size_t)(a->njobs - k - 1) * sizeof(a->jobs[0]));
		a->njobs--;
	}
	tui_job *j = calloc(1, sizeof(*j));
	job_impl *im = calloc(1, sizeof(*im));
	if (!j || !im) {
		free(j);
		free(im);
		app_msg(a, UI_ERR, "out of memory");
		return NULL;
	}
	static int next_id = 1;
	j->id = next_id++;
	j->kind = kind;
	j->d = *d;
	pthread_mutex_init(&j->mu, NULL);
	static const char *const what[] = {"triage", "image", "triage, image", "verify"};
	if (kind == TJ_VERIFY)
		snprintf(j->label, sizeof(j->label), "verify %s", d->case_dir);
	else
		snprintf(j->label, sizeof(j->label), "%s %s%s", d->evidence_id, what[kind],
		         kind != TJ_TRIAGE && d->resume ? " (resume)" : "");
	j->impl = im;
	im->a = a;
	im->sink.fn = sink_fn;
	im->sink.ud = j;
	im->sink.job = j->label;
	j->started = shodo_monotonic();
	j->state = TJ_RUNNING;
	im->job = shodo_job_start(j->label, job_main, j, &im->sink);
	if (!im->job) {
		pthread_mutex_destroy(&j->mu);
		free(im);
		free(j);
		app_msg(a, UI_ERR, "cannot start a thread for the job");
		return NULL;
	}
	a->jobs[a->njobs++] = j;
	if (kind == TJ_VERIFY)
		app_log(a, UI_INFO, "started: verify of the case folder '%s'", d->case_dir);
	else
		app_log(a, UI_INFO, "started: %s of '%s' (%s) into '%s' as evidence '%s'", what[kind], d->source,
		        d->source_desc, d->case_dir, d->evidence_id);
	return j;
}

void jobs_reap(tui_app *a)
{
	for (int i = 0; i < a->njobs; i++) {
		tui_job *j = a->jobs[i];
		job_impl *im = j->impl;
		if (!im)
			continue;
		pthread_mutex_lock(&j->mu);
		int fin = j->finished;
		pthread_mutex_unlock(&j->mu);
		if (!fin)
			continue;
		shodo_err e;
		shodo_status st = shodo_job_wait(im->job, &e);
		free(im);
		j->impl = NULL;
		j->ended = shodo_monotonic();
		if (st == SHODO_CANCELLED)
			j->state = TJ_CANCELLED;
		else if (st == SHODO_FATAL || st == SHODO_USAGE || st == SHODO_FAILED)
			j->state = TJ_FAILED;
		else
			j->state = TJ_DONE;
		char s[1400] = "";
		if (j->err.msg[0])
			ui_sentence(&j->err, s, sizeof(s));
		app_log(a, j->state == TJ_DONE ? UI_INFO : UI_WARN, "%s: %s%s%s", j->label, jobs_state_name(j),
		        s[0] ? ": " : "", s);
		app_msg(a, j->state == TJ_DONE ? UI_INFO : UI_WARN, "%s: %s (J shows the jobs)", j->label, jobs_state_name(j));
	}
}

void jobs_cancel(tui_job *j)
{
	job_impl *im = j->impl;
	if (im && im->job)
		shodo_job_cancel(im->job);
}

int jobs_running(tui_app *a)
{
	int n = 0;
	for (int i = 0; i < a->njobs; i++)
		n += a->jobs[i]->impl != NULL;
	return n;
}

void jobs_cancel_all_and_wait(tui_app *a)
{
	for (int i = 0; i < a->njobs; i++)
		jobs_cancel(a->jobs[i]);
	/* the threads notice the token at the next block or item */
	for (;;) {
		int left = 0;
		for (int i = 0; i < a->njobs; i++) {
			tui_job *j = a->jobs[i];
			if (!j->impl)
				continue;
			pthread_mutex_lock(&j->mu);
			left += !j->finished;
			pthread_mutex_unlock(&j->mu);
		}
		if (!left)
			break;
		struct timespec ts = {0, 50 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	jobs_reap(a);
}

void jobs_free_all(tui_app *a)
{
	jobs_cancel_all_and_wait(a);
	for (int i = 0; i < a->njobs; i++) {
		tui_job *j = a->jobs[i];
		for (int k = 0; k < TUI_JOB_LOG; k++)
			free(j->log[k]);
		json_decref(j->verify_doc);
		pthread_mutex_destroy(&j->mu);
		free(j);
	}
	a->njobs = 0;
}

const char *jobs_state_name(const tui_job *j)
{
	switch (j->state) {
	case TJ_RUNNING:
		return "running";
	case TJ_DONE:
		if (j->kind == TJ_VERIFY)
			return j->st_verify == SHODO_OK ? "verified" : "verified with problems";
		return shodo_status_worst(j->st_triage, j->st_image) == SHODO_OK ? "done" : "done with warnings";
	case TJ_CANCELLED:
		return j->ran_image && j->kind != TJ_TRIAGE ? "cancelled (resumable)" : "cancelled";
	case TJ_FAILED:
		/* triage then image: say which half failed, the other may be fine */
		if (j->kind == TJ_TRIAGE_IMAGE && j->ran_triage && j->ran_image) {
			int tok = j->st_triage == SHODO_OK || j->st_triage == SHODO_WARN;
			int iok = j->st_image == SHODO_OK || j->st_image == SHODO_WARN;
			if (!tok && iok)
				return "triage failed, image done";
			if (tok && !iok)
				return "triage done, image failed";
		}
		return "failed";
	}
	return "?";
}

void jobs_summary(tui_app *a, char *out, size_t n)
{
	int run = 0, done = 0, bad = 0;
	for (int i = 0; i < a->njobs; i++) {
		tui_job *j = a->jobs[i];
		if (j->state == TJ_RUNNING)
			run++;
		else if (j->state == TJ_DONE)
			done++;
		else
			bad++;
	}
	out[0] = '\0';
	if (!a->njobs)
		return;
	snprintf(out, n, "jobs: %d running, %d done%s%.0d%s", run, done, bad ? ", " : "", bad,
	         bad ? " stopped" : "");
}

/* The thin call site for an interrupted image: the state file the imager
 * keeps until an acquisition completes (DIR/ID/image/ID.state.json). */
int jobs_image_interrupted(const char *case_dir, const char *id, tui_draft *opts_out)
{
	char p[1200];
	struct stat st;
	if (!shodo_case_id_valid(id) || jobs_image_complete(case_dir, id))
		return 0;
	snprintf(p, sizeof(p), "%s/%s/image/%s.state.json", case_dir, id, id);
	if (stat(p, &st) != 0)
		return 0;
	if (opts_out) {
		json_t *s = json_load_file(p, 0, NULL);
		const char *f = json_string_value(json_object_get(s, "format"));
		const char *c = json_string_value(json_object_get(s, "compression"));
		if (f)
			opts_out->format = !strcmp(f, "raw") ? SHODO_IMAGE_RAW : SHODO_IMAGE_E01;
		if (c)
			opts_out->compression = !strcmp(c, "none") ? SHODO_COMPRESS_NONE
			                        : !strcmp(c, "best") ? SHODO_COMPRESS_BEST : SHODO_COMPRESS_FAST;
		json_decref(s);
	}
	return 1;
}

int jobs_triage_finished(const char *case_dir, const char *id)
{
	static const char *const acts[] = {"triage-start", "triage", "triage-failed", "triage-cancelled", NULL};
	char p[1200], last[64] = "";
	struct stat st;
	if (!shodo_case_id_valid(id))
		return 0;
	snprintf(p, sizeof(p), "%s/%s/triage", case_dir, id);
	if (stat(p, &st) != 0)
		return 0;
	shodo_case *c = NULL;
	shodo_err err;
	int known = 0;
	if (shodo_case_open(case_dir, NULL, 0, &c, &err) == SHODO_OK) {
		known = shodo_case_last_action(c, id, acts, last, sizeof(last), NULL, 0);
		shodo_case_close(c);
	}
	if (known)
		return !strcmp(last, "triage");
	snprintf(p, sizeof(p), "%s/%s/triage/manifest.jsonl", case_dir, id);
	return stat(p, &st) == 0;
}

int jobs_image_complete(const char *case_dir, const char *id)
{
	char p[1200];
	struct stat st;
	snprintf(p, sizeof(p), "%s/%s/image/acquisition.json", case_dir, id);
	return stat(p, &st) == 0;
}
