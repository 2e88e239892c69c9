/*
 * triage/analyse.c — the analyse stage: every collected artifact goes to
 * the parser that bids highest on its first 4 KiB, inside its own
 * transaction.  Each artifact's outcome is one row of table `artifacts`
 * (status ok, warning, failed, skipped); one bad artifact never stops the
 * run.  A failed parse is rolled back so no half-written rows remain.
 *
 * Parse while collecting (shodo_analysis_*).  The walk of a volume runs in
 * a child process (collect/isolate.c); the parent's thread mostly waits on
 * its pipe.  So during collection one thread owns the store and runs, in
 * the order they were posted by the message loop:
 *   rows    the collector's rows (files, ext_counts, artifacts, host), in
 *           batches, inside one "collector" transaction;
 *   commit  a volume's end: that transaction is committed;
 *   parse   an artifact whose copy is complete and listed in
 *           manifest.jsonl: the collector's transaction is committed
 *           first, then analyse_one as always, in its own transaction.
 * SQLite has one writer per connection and the connection is this thread's
 * alone until shodo_analysis_finish joins it: a parse's ROLLBACK never
 * takes the collector's rows, and no collector row lands in a parse's
 * transaction.  The message loop never touches the store.  The artifacts
 * are parsed in the order they arrive, which is the order of the artifact
 * list (collect.c appends them as they arrive, across volumes, and nothing
 * sorts it), so every parser writes its rows in the same order as when the
 * whole analysis came after the collection.  The one table both write,
 * host, is put back in that order by the collector's last job (collect.c,
 * host_order).  When the walk ends, shodo_analysis_finish parses what is
 * still queued (the analyse stage's time in "stage times:"); when the
 * collection fails or is cancelled, the queued rows are still written (as
 * before) and no further parse starts: the parses already done stay in
 * triage.db, one interrupted by Ctrl-C is rolled back and recorded
 * "cancelled".  Rows queued for the thread are bounded (QUEUE_MAX_BYTES):
 * beyond it the message loop waits, and with it the child's walk.
 *
 * Measured on the bench host (204,218 entries, 54 files, 1.15 GB of event
 * logs), same run against the sequential flow: see triage/README.md.  The
 * walk copies the hives and event logs first (collect.c, first_paths), so
 * the large Security log's parse, which can start only when its copy is
 * complete, runs beside the listing of the rest of the volume.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "triage_int.h"
#include "triage/collect/collect.h"

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
	 * keeping "partial" and the collector's word (why it was not read
	 * whole, or not copied) in front of the parser's word */
	static const char upd[] =
	    "UPDATE artifacts SET parser=?1,"
	    " message=CASE WHEN message IS NOT NULL THEN message || coalesce('; ' || ?3, '') ELSE ?3 END,"
	    " status=CASE WHEN status='partial' THEN status ELSE ?2 END"
	    " WHERE source=?4 AND parser IS NULL AND status IN ('collected','partial')";
	sqlite3_stmt *s;
	if (!ctx->no_collected) {
		/* (the table has no index: a scan of it per artifact) */
		if (!(s = shodo_store_stmt(ctx->store, upd, err)))
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
	}
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
	int recorded = 0;
	if (st == SHODO_FAILED || st == SHODO_CANCELLED || st == SHODO_USAGE) {
		/* nothing usable: leave no half-written rows behind */
		shodo_store_exec(ctx->store, "ROLLBACK", NULL);
	} else {
		/* the artifact's row goes into the parse's own transaction: two
		 * transactions of their own per artifact (its UPDATE, then the
		 * INSERT when the collector wrote no row) were, with their locks and
		 * journal, most of the time shodo parse spent on a small log */
		if ((rc = record_artifact(ctx, a, p->name, status_word(st), perr.msg, err)) != SHODO_OK ||
		    (rc = shodo_store_commit(ctx->store, err)) != SHODO_OK) {
			shodo_store_exec(ctx->store, "ROLLBACK", NULL);
			return rc;
		}
		recorded = 1;
	}
	if (st != SHODO_OK && st != SHODO_CANCELLED) {
		ctx->warnings++;
		shodo_emit(ctx->sink, st == SHODO_WARN ? SHODO_EV_WARN : SHODO_EV_ERROR, "analyse", "'%s' (%s): %s",
		           label, p->name, perr.msg[0] ? perr.msg : "failed");
	} else if (st == SHODO_OK) {
		shodo_emit(ctx->sink, SHODO_EV_INFO, "analyse", "'%s' (%s): %s", label, p->name,
		           perr.msg[0] ? perr.msg : "ok");
	}
	rc = recorded ? SHODO_OK : record_artifact(ctx, a, p->name, status_word(st), perr.msg, err);
	if (rc == SHODO_OK && st == SHODO_CANCELLED)
		return shodo_err_set(err, SHODO_CANCELLED, 0, "analysis cancelled");
	return rc;
}

/* the stage's result once every artifact had its turn (rc: how the last
 * parse ended; FATAL and CANCELLED stop the stage) */
static shodo_status stage_result(shodo_triage_ctx *ctx, shodo_status rc, int before, size_t n, shodo_err *err)
{
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
		if ((rc = shodo_store_bulk_next(ctx->store, arts[i].size, err)) != SHODO_OK)
			break;
		rc = analyse_one(ctx, &arts[i], err);
	}
	return stage_result(ctx, rc, before, n, err);
}

/* ---- parse while collecting ---- */

/* Rows waiting for the store thread beyond this make the collector wait
 * (the full profile's files rows arrive faster than a large event log is
 * parsed). */
#define QUEUE_MAX_BYTES ((size_t)64 << 20)

enum { JOB_ROWS, JOB_COMMIT, JOB_PARSE };

typedef struct job {
	struct job *next;
	int kind;
	shodo_rows_fn fn;
	void *arg;
	size_t bytes;
	shodo_artifact a;
} job;

struct shodo_analysis {
	shodo_triage_ctx *ctx;
	pthread_t th;
	int threaded;            /* 0: pthread_create failed, jobs run at once */
	struct shodo_analysis *next_live;   /* under live_mu */
	pthread_mutex_t mu;
	pthread_cond_t cv_job, cv_room, cv_idle;
	/* under mu */
	int busy;                /* a job is running */
	int ready;               /* the thread has started: past its own set-up */
	int paused;              /* a fork is under way: take no job */
	job *head, *tail;
	size_t queued;           /* bytes of the queued jobs */
	int closing;             /* no more jobs will come */
	int drop_parses;         /* the collection failed: parse nothing more */
	/* the store thread's alone until it is joined */
	int in_rows;             /* the collector's transaction is open */
	size_t parsed;           /* parse jobs taken */
	shodo_status rc;         /* FATAL or CANCELLED: no further parse */
	shodo_err err;
	int before;              /* ctx->warnings at the start */
	shodo_triage_ctx wctx;   /* the thread's: *ctx with the holding sink */
	shodo_sink hold;
	/* the parses' events, held until the walk has ended (under hold_mu) */
	pthread_mutex_t hold_mu;
	struct held *held, **held_tail;
	int passthrough;         /* the walk ended: events go straight on */
	size_t hold_total;       /* artifacts in all, for the progress events */
};

/*
 * The events of the parses done while the walk goes on are held and given
 * to the caller's sink after the walk's own, in their order, when the walk
 * has ended: triage.log and the front end read as when the analysis came
 * after the collection (one line order whatever the timing), with the
 * progress counted against the artifacts in all.
 */
/* the unit of the stage's own progress events, whose total forward() fills in */
#define ANALYSE_UNIT "files"

typedef struct held {
	struct held *next;
	shodo_event ev;
	char *phase, *msg, *unit;
} held;

static void forward(shodo_analysis *an, const shodo_event *ev)
{
	const shodo_sink *s = an->ctx->sink;
	if (!s || !s->fn)
		return;
	shodo_event e = *ev;
	e.job = s->job;
	/* this file's own count of artifacts (a parser's progress is its own) */
	if (e.kind == SHODO_EV_PROGRESS && e.total == 0 && e.unit && !strcmp(e.unit, ANALYSE_UNIT))
		e.total = an->hold_total;
	s->fn(&e, s->ud);
}

static void hold_fn(const shodo_event *ev, void *ud)
{
	shodo_analysis *an = ud;
	pthread_mutex_lock(&an->hold_mu);
	if (an->passthrough) {
		forward(an, ev);
	} else {
		held *h = calloc(1, sizeof(*h));
		if (h) {
			h->ev = *ev;
			h->phase = ev->phase ? strdup(ev->phase) : NULL;
			h->msg = ev->msg ? strdup(ev->msg) : NULL;
			h->unit = ev->unit ? strdup(ev->unit) : NULL;
			h->ev.phase = h->phase;
			h->ev.msg = h->msg;
			h->ev.unit = h->unit;
			*an->held_tail = h;
			an->held_tail = &h->next;
		}
	}
	pthread_mutex_unlock(&an->hold_mu);
}

/* gives the held events on (n artifacts in all) and lets the next through */
static void release_held(shodo_analysis *an, size_t n)
{
	pthread_mutex_lock(&an->hold_mu);
	an->hold_total = n;
	for (held *h = an->held, *nx; h; h = nx) {
		nx = h->next;
		forward(an, &h->ev);
		free(h->phase);
		free(h->msg);
		free(h->unit);
		free(h);
	}
	an->held = NULL;
	an->held_tail = &an->held;
	an->passthrough = 1;
	pthread_mutex_unlock(&an->hold_mu);
}

static void run_job(shodo_analysis *an, job *jb, int drop)
{
	shodo_triage_ctx *ctx = &an->wctx;
	switch (jb->kind) {
	case JOB_ROWS:
		if (!an->in_rows)
			an->in_rows = shodo_store_begin(ctx->store, NULL) == SHODO_OK;
		jb->fn(ctx, jb->arg);
		break;
	case JOB_COMMIT:
		if (an->in_rows)
			shodo_store_commit(ctx->store, NULL);
		an->in_rows = 0;
		break;
	case JOB_PARSE:
		/* the collector's rows are committed first: a parse's ROLLBACK
		 * never takes them, and they never land in its transaction */
		if (an->in_rows)
			shodo_store_commit(ctx->store, NULL);
		an->in_rows = 0;
		if (drop || an->rc != SHODO_OK)
			break;
		if (shodo_cancelled(ctx->cancel)) {
			an->rc = shodo_err_set(&an->err, SHODO_CANCELLED, 0, "analysis cancelled");
			break;
		}
		shodo_progress(ctx->sink, "analyse", ANALYSE_UNIT, an->parsed, 0);   /* total: forward() */
		an->parsed++;
		shodo_status rc = shodo_store_bulk_next(ctx->store, jb->a.size, &an->err);
		if (rc == SHODO_OK)
			rc = analyse_one(ctx, &jb->a, &an->err);
		if (rc != SHODO_OK)
			an->rc = rc;   /* as the loop of shodo_analyse_run: the stage stops */
		break;
	}
	free(jb);
}

/*
 * The collection forks a child per volume (and per file system probed)
 * while this thread may be parsing.  A child of a multi-threaded process
 * gets a copy of every lock as it was: one held by the parser at that
 * moment (an allocator's, a library's) would never be released in the
 * child, whose walk would then hang (seen under AddressSanitizer: the third
 * volume's walk never started).  So every fork of the process waits until
 * the store's thread is between two jobs, holding nothing, and it takes no
 * job until the fork is done.  That wait is at most one parse, once per
 * volume, and it waits for a store thread that has just been created to be
 * past its start (store_thread).  GCC's AddressSanitizer takes no lock of
 * its own around fork(): a thread of the process that is inside the
 * allocator at that moment (here only the store's) leaves the child stuck,
 * while glibc's malloc is locked around fork() by glibc itself.  The one
 * fork of the library (col_run_isolated) calls these around fork() itself
 * rather than through pthread_atfork: with an atfork handler waiting for
 * the parse, a parse that allocated during the wait never finished under
 * AddressSanitizer.
 */
static pthread_mutex_t live_mu = PTHREAD_MUTEX_INITIALIZER;
static shodo_analysis *live;   /* the running store threads, under live_mu */

void shodo_analysis_fork_prepare(void)
{
	pthread_mutex_lock(&live_mu);   /* held through the fork */
	for (shodo_analysis *an = live; an; an = an->next_live) {
		if (pthread_equal(an->th, pthread_self()))
			continue;   /* a fork from the store's own thread: nothing to wait for */
		pthread_mutex_lock(&an->mu);
		an->paused++;
		while (an->busy || !an->ready)
			pthread_cond_wait(&an->cv_idle, &an->mu);
		pthread_mutex_unlock(&an->mu);
	}
}

void shodo_analysis_fork_parent(void)
{
	for (shodo_analysis *an = live; an; an = an->next_live) {
		if (pthread_equal(an->th, pthread_self()))
			continue;
		pthread_mutex_lock(&an->mu);
		an->paused--;
		pthread_cond_broadcast(&an->cv_job);
		pthread_mutex_unlock(&an->mu);
	}
	pthread_mutex_unlock(&live_mu);
}

void shodo_analysis_fork_child(void)
{
	/* no store thread here; the list is the parent's */
	live = NULL;
	pthread_mutex_unlock(&live_mu);
}

static void *store_thread(void *arg)
{
	shodo_analysis *an = arg;
	pthread_mutex_lock(&an->mu);
	/* a thread's start allocates (AddressSanitizer's set-up of it, glibc's
	 * thread-local storage): a fork in that moment gave a child whose first
	 * allocation waited forever for the allocator's lock (seen in a probe
	 * forked right after the analysis started: the thread's stack in the
	 * child was in SizeClassAllocator64::GetFromAllocator).  A fork waits
	 * for this point too. */
	an->ready = 1;
	if (an->paused)
		pthread_cond_broadcast(&an->cv_idle);
	for (;;) {
		while ((!an->head && !an->closing) || an->paused)
			pthread_cond_wait(&an->cv_job, &an->mu);
		job *jb = an->head;
		if (!jb)
			break;
		an->head = jb->next;
		if (!an->head)
			an->tail = NULL;
		an->queued -= jb->bytes;
		pthread_cond_broadcast(&an->cv_room);
		int drop = an->drop_parses;
		an->busy = 1;
		pthread_mutex_unlock(&an->mu);
		run_job(an, jb, drop);
		pthread_mutex_lock(&an->mu);
		an->busy = 0;
		if (an->paused)
			pthread_cond_broadcast(&an->cv_idle);
	}
	pthread_mutex_unlock(&an->mu);
	return NULL;
}

static void post(shodo_analysis *an, job *jb)
{
	if (!an->threaded) {
		run_job(an, jb, 0);
		return;
	}
	pthread_mutex_lock(&an->mu);
	/* too much waiting: the collector waits (the child's pipe fills and
	 * its walk waits too), unless the run is cancelled */
	while (an->queued > QUEUE_MAX_BYTES && !shodo_cancelled(an->ctx->cancel)) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 100000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&an->cv_room, &an->mu, &ts);
	}
	jb->next = NULL;
	if (an->tail)
		an->tail->next = jb;
	else
		an->head = jb;
	an->tail = jb;
	an->queued += jb->bytes;
	pthread_cond_signal(&an->cv_job);
	pthread_mutex_unlock(&an->mu);
}

static job *new_job(int kind)
{
	job *jb = calloc(1, sizeof(*jb));
	if (jb)
		jb->kind = kind;
	return jb;
}

shodo_status shodo_analysis_start(shodo_triage_ctx *ctx, shodo_analysis **out, shodo_err *err)
{
	*out = NULL;
	shodo_analysis *an = calloc(1, sizeof(*an));
	if (!an)
		return shodo_err_set(err, SHODO_FATAL, ENOMEM, "analyse");
	an->ctx = ctx;
	an->before = ctx->warnings;
	an->wctx = *ctx;
	an->wctx.analysis = NULL;
	an->hold.fn = hold_fn;
	an->hold.ud = an;
	if (ctx->sink) {
		an->hold.job = ctx->sink->job;
		an->hold.t0 = ctx->sink->t0;
	}
	an->wctx.sink = &an->hold;
	pthread_mutex_init(&an->hold_mu, NULL);
	an->held_tail = &an->held;
	shodo_err_clear(&an->err);
	/* indexes are built once, after the parsers (see store.h) */
	shodo_status rc = shodo_store_bulk_begin(ctx->store, err);
	if (rc != SHODO_OK) {
		pthread_mutex_destroy(&an->hold_mu);
		free(an);
		return rc;
	}
	pthread_mutex_init(&an->mu, NULL);
	pthread_cond_init(&an->cv_job, NULL);
	pthread_cond_init(&an->cv_room, NULL);
	pthread_cond_init(&an->cv_idle, NULL);
	/* without a thread everything still happens, in the same order, on
	 * the caller's thread (the collection waits for each parse) */
	pthread_mutex_lock(&live_mu);
	an->threaded = pthread_create(&an->th, NULL, store_thread, an) == 0;
	if (an->threaded) {
		an->next_live = live;
		live = an;
	}
	pthread_mutex_unlock(&live_mu);
	*out = an;
	return SHODO_OK;
}

void shodo_analysis_rows(shodo_analysis *an, shodo_rows_fn fn, void *arg, size_t bytes)
{
	job *jb = new_job(JOB_ROWS);
	if (!jb)
		return;   /* out of memory: these rows are lost (and arg) */
	jb->fn = fn;
	jb->arg = arg;
	jb->bytes = bytes;
	post(an, jb);
}

void shodo_analysis_commit(shodo_analysis *an)
{
	job *jb = new_job(JOB_COMMIT);
	if (jb)
		post(an, jb);
}

void shodo_analysis_parse(shodo_analysis *an, const shodo_artifact *a)
{
	job *jb = new_job(JOB_PARSE);
	if (!jb)
		return;
	jb->a = *a;
	jb->bytes = sizeof(*jb);
	post(an, jb);
}

shodo_status shodo_analysis_finish(shodo_analysis *an, int parse, size_t n, shodo_err *err)
{
	shodo_triage_ctx *ctx = an->ctx;
	if (parse)
		shodo_emit(ctx->sink, SHODO_EV_PHASE, "analyse", "analysing %zu artifacts", n);
	/* what the parses during the walk said, then the rest as it comes */
	release_held(an, n);
	if (an->threaded) {
		pthread_mutex_lock(&an->mu);
		an->closing = 1;
		an->drop_parses = !parse;
		pthread_cond_signal(&an->cv_job);
		pthread_mutex_unlock(&an->mu);
		pthread_join(an->th, NULL);
		pthread_mutex_lock(&live_mu);
		for (shodo_analysis **p = &live; *p; p = &(*p)->next_live) {
			if (*p == an) {
				*p = an->next_live;
				break;
			}
		}
		pthread_mutex_unlock(&live_mu);
	}
	if (an->in_rows)
		shodo_store_commit(ctx->store, NULL);
	an->in_rows = 0;
	shodo_status rc = an->rc;
	if (rc != SHODO_OK)
		*err = an->err;
	int before = an->before;
	ctx->warnings += an->wctx.warnings - before;
	pthread_mutex_destroy(&an->hold_mu);
	pthread_cond_destroy(&an->cv_job);
	pthread_cond_destroy(&an->cv_room);
	pthread_cond_destroy(&an->cv_idle);
	pthread_mutex_destroy(&an->mu);
	free(an);
	if (!parse) {
		shodo_err ierr;
		shodo_err_clear(&ierr);
		shodo_store_bulk_end(ctx->store, &ierr);
		return rc;
	}
	return stage_result(ctx, rc, before, n, err);
}
