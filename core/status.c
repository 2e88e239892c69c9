#include <stdio.h>
#include <string.h>
#include "shodo/status.h"

void shodo_err_clear(shodo_err *err)
{
	if (!err)
		return;
	err->status = SHODO_OK;
	err->errnum = 0;
	err->msg[0] = '\0';
	err->hint[0] = '\0';
}

shodo_status shodo_err_set(shodo_err *err, shodo_status st, int errnum, const char *fmt, ...)
{
	if (!err)
		return st;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	if (errnum) {
		size_t n = strlen(err->msg);
		snprintf(err->msg + n, sizeof(err->msg) - n, ": %s", strerror(errnum));
	}
	err->status = st;
	err->errnum = errnum;
	err->hint[0] = '\0';
	return st;
}

void shodo_err_hint(shodo_err *err, const char *fmt, ...)
{
	if (!err)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->hint, sizeof(err->hint), fmt, ap);
	va_end(ap);
}

void shodo_err_prefix(shodo_err *err, const char *fmt, ...)
{
	if (!err)
		return;
	char pre[512], old[sizeof(err->msg)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(pre, sizeof(pre), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	size_t pl = strlen(pre), ol = strlen(old), cap = sizeof(err->msg) - 1;
	if (pl > cap - 2)
		pl = cap - 2;
	memcpy(err->msg, pre, pl);
	memcpy(err->msg + pl, ": ", 2);
	if (ol > cap - pl - 2)
		ol = cap - pl - 2;
	memcpy(err->msg + pl + 2, old, ol);
	err->msg[pl + 2 + ol] = '\0';
}

int shodo_status_exit(shodo_status st)
{
	switch (st) {
	case SHODO_OK: return 0;
	case SHODO_WARN:
	case SHODO_FAILED: return 1;
	case SHODO_USAGE: return 2;
	case SHODO_FATAL:
	case SHODO_CANCELLED: return 3;
	}
	return 3;
}

const char *shodo_status_name(shodo_status st)
{
	static const char *const names[] = {"ok", "warning", "failed", "fatal", "usage", "cancelled"};
	return (unsigned)st < sizeof(names) / sizeof(names[0]) ? names[st] : "unknown";
}

static int rank(shodo_status s)
{
	switch (s) {
	case SHODO_OK: return 0;
	case SHODO_WARN: return 1;
	case SHODO_FAILED: return 2;
	case SHODO_USAGE: return 3;
	case SHODO_CANCELLED: return 4;
	case SHODO_FATAL: return 5;
	}
	return 5;
}

shodo_status shodo_status_worst(shodo_status a, shodo_status b)
{
	return rank(a) >= rank(b) ? a : b;
}
