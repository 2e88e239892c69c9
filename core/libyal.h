/*
 * core/libyal.h — the one boundary where libyal errors (libewf, libevtx,
 * libevt, libregf, libscca, libesedb) become shodo's.  Every libyal library
 * has its own error type, all with one layout and a backtrace printer of one
 * signature; a caller names its library with SHODO_LIBYAL(libewf).
 * Internal to the engines: no front end sees a libyal type.
 */
#ifndef SHODO_CORE_LIBYAL_H
#define SHODO_CORE_LIBYAL_H

#include <stddef.h>
#include "shodo/status.h"

typedef int (*shodo_libyal_sprint_fn)(void *error, char *string, size_t size);
#define SHODO_LIBYAL(lib) ((shodo_libyal_sprint_fn)lib##_error_backtrace_sprint)

/* One line from a libyal error: the innermost message of its backtrace (what
 * was actually wrong), without the function name and the final full stop;
 * "unknown error" when error is NULL.  The error is not freed.  Returns out. */
char *shodo_libyal_msg(void *error, shodo_libyal_sprint_fn sprint, char *out, size_t n);

/* shodo_err_set(err, st, errnum, fmt, ...) with ": <that line>" before the
 * strerror part.  Returns st. */
shodo_status shodo_err_from_libyal(shodo_err *err, shodo_status st, int errnum, void *error,
                                   shodo_libyal_sprint_fn sprint, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

#endif
