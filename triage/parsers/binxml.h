/*
 * triage/parsers/binxml.h — Windows binary XML (the record format inside
 * EVTX chunks), read into evtx_record fields.  Private to evtx_reader.c.
 *
 * A bx_ctx belongs to one thread; it holds the chunk's compiled templates
 * (each template definition is compiled once per chunk into a plan: which
 * substitution or literal text lands in which field) and the output arena
 * of the chunk being parsed.
 */
#ifndef SHODO_PARSERS_BINXML_H
#define SHODO_PARSERS_BINXML_H

#include <stddef.h>
#include <stdint.h>
#include "evtx_reader.h"

typedef struct bx_ctx bx_ctx;

/* A record as the worker builds it: strings are offsets into the arena
 * (the arena grows while a chunk is parsed), fixed up by bx_finish(). */
typedef struct bx_rec {
	evtx_record r;
	uint32_t provider, source, channel, computer, user_sid, refusal;  /* arena offsets */
	uint32_t field0, nfields;                                 /* into the field list */
} bx_rec;

typedef struct bx_out {
	bx_rec *recs;
	size_t nrecs, caprecs;
	struct bx_fieldref { uint32_t name, value, len; uint8_t type, is_data; } *fields;
	size_t nfields, capfields;
	evtx_field *efields;    /* fixed-up fields, one array for the chunk */
	size_t capefields;
	char *arena;
	size_t used, cap;
	int full;               /* the arena cap was reached */
} bx_out;

bx_ctx *bx_ctx_new(void);
void bx_ctx_free(bx_ctx *x);
/* Starts a chunk: forgets the previous chunk's templates. */
void bx_ctx_chunk(bx_ctx *x, const uint8_t *chunk);

void bx_out_reset(bx_out *o);
void bx_out_free(bx_out *o);
/* Memory held, for deciding what is worth keeping for the next log. */
size_t bx_ctx_bytes(const bx_ctx *x);
size_t bx_out_bytes(const bx_out *o);

typedef const char *const *(*bx_want_fn)(const evtx_record *r, void *ud);

/* Parses the binary XML of the record at chunk offset xml_off (xml_len
 * bytes) into a new record appended to o (rec holds the header facts
 * already).  Returns 0, or -1 when the record was refused (it is still
 * appended, with state REFUSED and its refusal text). */
int bx_record(bx_ctx *x, uint32_t xml_off, uint32_t xml_len, const evtx_record *hdr, bx_want_fn want, void *ud,
              bx_out *o);
/* Turns arena offsets into pointers once the chunk is done. */
void bx_finish(bx_out *o);

/* Value rendering, shared with the tests: UTF-16LE -> UTF-8 (stops at NUL),
 * FILETIME -> text. */
size_t bx_utf16_to_utf8(const uint8_t *p, size_t nchars, char *out, size_t cap);

#endif
