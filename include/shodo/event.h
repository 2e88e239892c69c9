/*
 * shodo/event.h — events flow up from the engines to whoever listens.
 *
 * Library code never prints.  It calls shodo_emit()/shodo_progress() on the
 * sink it was given; the CLI renders a status line, the TUI a screen, the
 * case log a file.  A sink with fn == NULL swallows everything.  Sinks must
 * be thread safe when a job runs several threads (the engines serialise
 * nothing for them); shodo_sink_tee() fans one event out to two sinks.
 */
#ifndef SHODO_EVENT_H
#define SHODO_EVENT_H

#include <stdint.h>
#include <stdatomic.h>

typedef enum shodo_event_kind {
	SHODO_EV_INFO,      /* something a log should say */
	SHODO_EV_WARN,      /* a problem that does not stop the job */
	SHODO_EV_ERROR,     /* an item failed */
	SHODO_EV_PHASE,     /* a new phase starts: msg names it */
	SHODO_EV_PROGRESS,  /* done/total bytes or items in the current phase */
	SHODO_EV_DEBUG,
} shodo_event_kind;

typedef struct shodo_event {
	shodo_event_kind kind;
	const char *job;      /* job label, e.g. evidence ID; may be NULL */
	const char *phase;    /* "acquire", "verify", "collect", ... */
	uint64_t done, total; /* PROGRESS: units done / total (0 = unknown) */
	const char *unit;     /* "bytes" or "files" */
	const char *msg;      /* formatted message (not for PROGRESS) */
	double t;             /* seconds since the job started */
} shodo_event;

typedef void (*shodo_event_fn)(const shodo_event *ev, void *ud);

typedef struct shodo_sink {
	shodo_event_fn fn;
	void *ud;
	const char *job;
	double t0;            /* monotonic start, set by shodo_sink_start */
} shodo_sink;

void shodo_sink_start(shodo_sink *s);
void shodo_emit(const shodo_sink *s, shodo_event_kind kind, const char *phase,
                const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void shodo_progress(const shodo_sink *s, const char *phase, const char *unit,
                    uint64_t done, uint64_t total);

/* Cancellation token: set from any thread (signal handler, TUI key), polled
 * by the engines at every block or item. */
typedef struct shodo_cancel {
	atomic_int requested;
} shodo_cancel;

static inline void shodo_cancel_request(shodo_cancel *c) { if (c) atomic_store(&c->requested, 1); }
static inline int shodo_cancelled(const shodo_cancel *c)
{
	return c && atomic_load(&((shodo_cancel *)c)->requested);
}

double shodo_monotonic(void);

#endif
