#ifndef SHODO_VERSION_H
#define SHODO_VERSION_H
#include <jansson.h>
/* "0.1.0" */
const char *shodo_version(void);
/* Multi-line "name version" list of shodo and every library it links and,
 * on the stick, the stick's own record (/etc/shodo-release: its shodo
 * package version, variant, Debian version and archive date, package list). */
const char *shodo_version_long(void);
/* {"shodo": "...", "libewf": "...", ..., "live": {...} on the stick} — new
 * reference.  Recorded in case.json and acquisition.json. */
json_t *shodo_version_json(void);
/* One line naming the stick shodo runs from ("shodo stick 0.1.0+git...
 * (full), Debian 12.11, archive of ..."), or NULL when not on a stick. */
const char *shodo_version_live(void);
#endif
