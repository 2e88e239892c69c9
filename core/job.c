#include <pthread.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "shodo/job.h"

struct shodo_job {
	pthread_t th;
	shodo_job_fn fn;
	void *arg;
	shodo_sink sink;
	shodo_cancel cancel;
	shodo_status status;
	shodo_err err;
	atomic_int done;
	char label[64];
};

static void *job_main(void *p)
{
	shodo_job *j = p;
	shodo_sink_start(&j->sink);
	j->status = j->fn(j->arg, &j->sink, &j->cancel, &j->err);
	atomic_store(&j->done, 1);
	return NULL;
}

shodo_job *shodo_job_start(const char *label, shodo_job_fn fn, void *arg, const shodo_sink *sink)
{
	shodo_job *j = calloc(1, sizeof(*j));
	if (!j)
		return NULL;
	j->fn = fn;
	j->arg = arg;
	if (sink)
		j->sink = *sink;
	snprintf(j->label, sizeof(j->label), "%s", label ? label : "");
	if (!j->sink.job)
		j->sink.job = j->label;
	shodo_err_clear(&j->err);
	if (pthread_create(&j->th, NULL, job_main, j) != 0) {
		free(j);
		return NULL;
	}
	return j;
}

void shodo_job_cancel(shodo_job *j)
{
	shodo_cancel_request(&j->cancel);
}

int shodo_job_done(shodo_job *j)
{
	return atomic_load(&j->done);
}

shodo_status shodo_job_wait(shodo_job *j, shodo_err *err)
{
	pthread_join(j->th, NULL);
	shodo_status st = j->status;
	if (err)
		*err = j->err;
	free(j);
	return st;
}
