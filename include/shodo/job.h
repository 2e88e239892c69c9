/*
 * shodo/job.h — the unit a front end drives.
 *
 * A job runs one engine call on its own thread with an event sink and a
 * cancellation token.  The CLI runs one job and waits; the TUI runs several
 * and renders their events.  No global state: everything a job needs is in
 * its options.
 */
#ifndef SHODO_JOB_H
#define SHODO_JOB_H

#include "shodo/status.h"
#include "shodo/event.h"

typedef struct shodo_job shodo_job;
typedef shodo_status (*shodo_job_fn)(void *arg, const shodo_sink *sink,
                                     shodo_cancel *cancel, shodo_err *err);

shodo_job *shodo_job_start(const char *label, shodo_job_fn fn, void *arg, const shodo_sink *sink);
void shodo_job_cancel(shodo_job *j);
int shodo_job_done(shodo_job *j);
/* Waits, returns the status the job's function returned (any) and copies
 * its error; frees the job. */
shodo_status shodo_job_wait(shodo_job *j, shodo_err *err);

#endif
