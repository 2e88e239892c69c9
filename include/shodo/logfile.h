/*
 * shodo/logfile.h — an event sink that writes a human log file (triage.log,
 * the acquisition log): one line per INFO/WARN/ERROR/PHASE event, UTC time
 * stamped; PROGRESS events are written at most once per 10% step.  A tee
 * sink fans events out to two sinks (e.g. the CLI and the log).
 */
#ifndef SHODO_LOGFILE_H
#define SHODO_LOGFILE_H

#include <stdio.h>
#include "shodo/event.h"
#include "shodo/status.h"

typedef struct shodo_logfile shodo_logfile;

/* OK, or FATAL when path cannot be created. */
shodo_status shodo_logfile_open(const char *path, shodo_logfile **out, shodo_err *err);
void shodo_logfile_close(shodo_logfile *l);
/* Writes one free-form line (no time stamp). */
void shodo_logfile_line(shodo_logfile *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void shodo_logfile_sink_fn(const shodo_event *ev, void *ud);   /* ud = shodo_logfile* */

typedef struct shodo_tee {
	shodo_sink a, b;
} shodo_tee;
void shodo_tee_fn(const shodo_event *ev, void *ud);             /* ud = shodo_tee* */

#endif
