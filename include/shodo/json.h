/*
 * shodo/json.h — why jansson's json_t is part of the public API, and the one
 * helper for reading it.
 *
 * The engines' results are JSON documents: the same document is written into
 * the case folder (acquisition.json, the triage and report results) and
 * printed by --json, and the front ends show fields of it.  Handing the front
 * ends that document (a json_t of Debian's libjansson) instead of one C
 * struct per result keeps a single description of each result: the one on
 * disk and on standard output, documented in the man pages.  A json_t a call
 * hands over belongs to the caller, who frees it with json_decref().
 */
#ifndef SHODO_JSON_H
#define SHODO_JSON_H

#include <jansson.h>

/* o[k] when it is a string, else dflt (which may be NULL). */
const char *shodo_json_str(const json_t *o, const char *k, const char *dflt);

/* doc as shodo writes documents into the case folder: indented by two, keys
 * in their order, a final newline.  malloc'd (free it), NULL when out of
 * memory. */
char *shodo_json_text(const json_t *doc);

#endif
