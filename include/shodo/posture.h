/*
 * shodo/posture.h — security posture across the evidence items of a case
 * (the fleet view).  Per-host findings are in each item's triage.db
 * (`posture`) and posture.csv; this header adds what only the whole case
 * can answer.
 */
#ifndef SHODO_POSTURE_H
#define SHODO_POSTURE_H

#include <jansson.h>
#include "shodo/status.h"

/* Local account passwords shared between evidence items, found by equal
 * keyed digests in each item's credential_digests table (no password hash
 * is read or stored).  Returns a new JSON array, largest group first:
 *   [{"account": "Administrator", "rid": 500, "count": 37, "blank": false,
 *     "hosts": ["PC001", ...],
 *     "members": [{"evidence": "PC001", "volume": "p2@1048576",
 *                  "account": "Administrator", "rid": 500}, ...]}, ...]
 * "account"/"rid" are the most frequent of the group; "blank" is true when
 * the shared password is the empty one.  Items without a triage.db or
 * without digests are skipped.  NULL with err set when the case folder
 * cannot be read. */
json_t *shodo_posture_shared_passwords(const char *case_dir, shodo_err *err);

#endif
