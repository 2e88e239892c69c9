#ifndef SHODO_VERSION_H
#define SHODO_VERSION_H
#include <jansson.h>
/* "0.1.0" */
const char *shodo_version(void);
/* Multi-line "name version" list of shodo and every library it links. */
const char *shodo_version_long(void);
/* {"shodo": "...", "libewf": "...", ...} — new reference. */
json_t *shodo_version_json(void);
#endif
