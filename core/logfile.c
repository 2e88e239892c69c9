#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "shodo/logfile.h"
#include "shodo/util.h"

struct shodo_logfile {
	FILE *fp;
	pthread_mutex_t mu;
	int last_decile;
	char last_phase[32];
};

shodo_status shodo_logfile_open(const char *path, shodo_logfile **out, shodo_err *err)
{
	*out = NULL;
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		return shodo_err_set(err, SHODO_FATAL, errno, "cannot open log '%s'", path);
	shodo_logfile *l = calloc(1, sizeof(*l));
	if (!l || !(l->fp = fdopen(fd, "a"))) {
		close(fd);
		free(l);
		return shodo_err_set(err, SHODO_FATAL, ENOMEM, "cannot open log '%s'", path);
	}
	pthread_mutex_init(&l->mu, NULL);
	l->last_decile = -1;
	*out = l;
	return SHODO_OK;
}

void shodo_logfile_close(shodo_logfile *l)
{
	if (!l)
		return;
	fclose(l->fp);
	pthread_mutex_destroy(&l->mu);
	free(l);
}

void shodo_logfile_line(shodo_logfile *l, const char *fmt, ...)
{
	if (!l)
		return;
	va_list ap;
	va_start(ap, fmt);
	pthread_mutex_lock(&l->mu);
	vfprintf(l->fp, fmt, ap);
	fputc('\n', l->fp);
	fflush(l->fp);
	pthread_mutex_unlock(&l->mu);
	va_end(ap);
}

void shodo_logfile_sink_fn(const shodo_event *ev, void *ud)
{
	shodo_logfile *l = ud;
	char now[32];
	const char *tag = NULL;
	if (!l)
		return;
	switch (ev->kind) {
	case SHODO_EV_INFO: tag = "info"; break;
	case SHODO_EV_WARN: tag = "warning"; break;
	case SHODO_EV_ERROR: tag = "error"; break;
	case SHODO_EV_PHASE: tag = "phase"; break;
	case SHODO_EV_DEBUG: return;
	case SHODO_EV_PROGRESS: {
		if (!ev->total)
			return;
		int dec = (int)(ev->done * 10 / ev->total);
		pthread_mutex_lock(&l->mu);
		int show = strncmp(l->last_phase, ev->phase ? ev->phase : "", sizeof(l->last_phase) - 1) != 0 ||
		           dec != l->last_decile;
		if (show) {
			snprintf(l->last_phase, sizeof(l->last_phase), "%s", ev->phase ? ev->phase : "");
			l->last_decile = dec;
			fprintf(l->fp, "%s progress %s %d%% (%llu of %llu %s)\n", shodo_now_iso(now),
			        ev->phase ? ev->phase : "", dec * 10, (unsigned long long)ev->done,
			        (unsigned long long)ev->total, ev->unit ? ev->unit : "");
			fflush(l->fp);
		}
		pthread_mutex_unlock(&l->mu);
		return;
	}
	}
	pthread_mutex_lock(&l->mu);
	fprintf(l->fp, "%s %s%s%s: %s\n", shodo_now_iso(now), tag, ev->phase ? " " : "",
	        ev->phase ? ev->phase : "", ev->msg ? ev->msg : "");
	fflush(l->fp);
	pthread_mutex_unlock(&l->mu);
}

void shodo_tee_fn(const shodo_event *ev, void *ud)
{
	shodo_tee *t = ud;
	if (t->a.fn)
		t->a.fn(ev, t->a.ud);
	if (t->b.fn)
		t->b.fn(ev, t->b.ud);
}
