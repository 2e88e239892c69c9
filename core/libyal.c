#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "libyal.h"

char *shodo_libyal_msg(void *error, shodo_libyal_sprint_fn sprint, char *out, size_t n)
{
	char buf[4096];
	if (!n)
		return out;
	if (!error || !sprint || sprint(error, buf, sizeof(buf)) < 0) {
		snprintf(out, n, "unknown error");
		return out;
	}
	/* the backtrace lists "function: message" lines, innermost first: the
	 * first line says what was actually wrong (and names the system error
	 * when there is one) */
	char *line = buf, *nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	char *colon = strstr(line, ": ");
	if (colon && !memchr(line, ' ', (size_t)(colon - line)))
		line = colon + 2;
	size_t l = strlen(line);
	/* libyal messages end with a full stop; ours do not */
	while (l && (line[l - 1] == '.' || line[l - 1] == '\r' || line[l - 1] == ' '))
		line[--l] = '\0';
	snprintf(out, n, "%s", line[0] ? line : "unknown error");
	return out;
}

shodo_status shodo_err_from_libyal(shodo_err *err, shodo_status st, int errnum, void *error,
                                   shodo_libyal_sprint_fn sprint, const char *fmt, ...)
{
	char what[768], why[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	shodo_libyal_msg(error, sprint, why, sizeof(why));
	return shodo_err_set(err, st, errnum, "%s: %s", what, why);
}
