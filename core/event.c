#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include "shodo/event.h"

double shodo_monotonic(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void shodo_sink_start(shodo_sink *s)
{
	if (s)
		s->t0 = shodo_monotonic();
}

void shodo_emit(const shodo_sink *s, shodo_event_kind kind, const char *phase, const char *fmt, ...)
{
	if (!s || !s->fn)
		return;
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	shodo_event ev = {
		.kind = kind, .job = s->job, .phase = phase, .msg = msg,
		.t = s->t0 > 0 ? shodo_monotonic() - s->t0 : 0,
	};
	s->fn(&ev, s->ud);
}

void shodo_progress(const shodo_sink *s, const char *phase, const char *unit, uint64_t done, uint64_t total)
{
	if (!s || !s->fn)
		return;
	shodo_event ev = {
		.kind = SHODO_EV_PROGRESS, .job = s->job, .phase = phase, .unit = unit,
		.done = done, .total = total, .t = s->t0 > 0 ? shodo_monotonic() - s->t0 : 0,
	};
	s->fn(&ev, s->ud);
}
