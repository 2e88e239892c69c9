/*
 * shodo/safepath.h — names from a suspect file system become safe paths.
 *
 * A name from evidence is never trusted: it may hold '/', '\\', "..", control
 * characters, NUL, invalid UTF-8 or be longer than the host allows.  The
 * mapping is deterministic and the original name is always kept elsewhere
 * (manifest).  Escapes use %XX so that the result is still readable.
 */
#ifndef SHODO_SAFEPATH_H
#define SHODO_SAFEPATH_H

#include <stddef.h>

/* Converts one path component (name may hold any bytes, namelen of them) into
 * out.  Never returns "", "." or ".."; never contains '/' or a control byte;
 * at most SHODO_SAFE_NAME_MAX bytes (long names are cut and given a short
 * hash suffix so that two long names stay distinct).  Returns strlen(out). */
#define SHODO_SAFE_NAME_MAX 200
size_t shodo_safe_component(const char *name, size_t namelen, char *out, size_t outsz);

/* Converts a Windows- or POSIX-style relative path (separators '/' or '\\')
 * component by component.  Empty components are dropped. */
size_t shodo_safe_relpath(const char *path, char *out, size_t outsz);

/* 1 when rel is a relative path without "." / ".." components or empty parts. */
int shodo_relpath_is_clean(const char *rel);

#endif
