/*
 * shodo/status.h — graded results and the error object.
 *
 * Every library function that can fail returns a shodo_status and fills a
 * caller-owned shodo_err.  Grades follow libarchive: OK, WARN (done, but with
 * a problem worth reporting: bad sectors, a truncated hive), FAILED (this item
 * is lost, the rest continues), FATAL (the job cannot go on).  USAGE is a
 * caller mistake (bad option, hostile ID).  Front ends map grades to exit
 * codes with shodo_status_exit(): OK 0, WARN/FAILED 1, USAGE 2, FATAL 3.
 */
#ifndef SHODO_STATUS_H
#define SHODO_STATUS_H

#include <stdarg.h>

typedef enum shodo_status {
	SHODO_OK = 0,
	SHODO_WARN = 1,
	SHODO_FAILED = 2,
	SHODO_FATAL = 3,
	SHODO_USAGE = 4,
	SHODO_CANCELLED = 5,
} shodo_status;

typedef struct shodo_err {
	shodo_status status;
	int errnum;        /* errno at the failure, 0 if none */
	char msg[1024];    /* "what failed: why", lower case, no final stop */
	char hint[256];    /* optional advice for the user, may be empty */
} shodo_err;

void shodo_err_clear(shodo_err *err);
/* Sets err (if not NULL) and returns st.  The message is formatted from fmt;
 * when errnum != 0, ": strerror(errnum)" is appended. */
shodo_status shodo_err_set(shodo_err *err, shodo_status st, int errnum,
                           const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void shodo_err_hint(shodo_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prefix an existing message with context: "context: old message". */
void shodo_err_prefix(shodo_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

int shodo_status_exit(shodo_status st);
const char *shodo_status_name(shodo_status st);
/* The worse of two grades (FATAL > USAGE > FAILED > WARN > OK). */
shodo_status shodo_status_worst(shodo_status a, shodo_status b);

#endif
