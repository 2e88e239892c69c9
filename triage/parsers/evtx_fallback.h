/*
 * triage/parsers/evtx_fallback.h — libevtx as the reader of last resort:
 * the records shodo's reader refuses (damaged or unusual binary XML) are
 * read again through libevtx, found by their index in libevtx's record
 * lists (the reader frames records exactly as libevtx does, so indexes
 * agree; the identifier is checked all the same).
 *
 * libevtx renders XML text; it is parsed with expat, a real XML parser, so
 * a value is never taken for markup here either.  libevtx does not escape
 * '"' in attribute values: such a record does not parse and stays unread.
 */
#ifndef SHODO_PARSERS_EVTX_FALLBACK_H
#define SHODO_PARSERS_EVTX_FALLBACK_H

#include <stdint.h>
#include "evtx_reader.h"

typedef struct evtx_fallback evtx_fallback;

/* FAILED when libevtx cannot open the log (err says why). */
shodo_status evtx_fallback_open(const char *path, evtx_fallback **out, shodo_err *err);
void evtx_fallback_close(evtx_fallback *fb);

/* Reads record index of the allocated (recovered 0) or recovered list into
 * *r (valid until the next call).  1 read, 0 not readable (why says). */
int evtx_fallback_read(evtx_fallback *fb, int recovered, uint64_t index, uint64_t record_id, evtx_record *r,
                       char *why, size_t whyn);

#endif
