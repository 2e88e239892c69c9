/*
 * triage/parsers/evtx_reader.h — shodo's own reader of Windows XML event
 * logs (.evtx): file and chunk checks, binary XML read straight into the
 * fields scoping uses, every chunk on its own thread.
 *
 * A log is a 4 KiB file header and 64 KiB chunks; every chunk carries its
 * own string and template tables, so chunks are parsed independently, in
 * parallel (after a log's first EVTX_SOLO_CHUNKS, read on the calling
 * thread), and delivered to the caller in file order.  Memory is bounded
 * by the number of chunks in flight (a few per thread), not by the file.
 *
 * Records are framed exactly as libevtx frames them, so the reader's counts
 * (records, recovered records) and record order are libevtx's, and a record
 * the reader refuses can be handed to libevtx by its index (see evtx.c).
 *
 * Values are data: each substitution value is rendered from its type
 * (string, SID, GUID, integer, hex integer, FILETIME, SYSTEMTIME, binary,
 * ...) into the field it belongs to.  Markup inside a value stays text.
 */
#ifndef SHODO_PARSERS_EVTX_READER_H
#define SHODO_PARSERS_EVTX_READER_H

#include <stddef.h>
#include <stdint.h>
#include "shodo/event.h"
#include "shodo/status.h"

#define EVTX_CHUNK_SIZE 65536u
/* A log's first chunks are read on the calling thread, and threads start
 * only when at least as many chunks again remain: most logs are a few
 * chunks or a 1 MiB file of mostly empty chunks, where starting threads and
 * handing chunks to them cost more CPU than the chunks themselves (see
 * docs/parsers.md). */
#define EVTX_SOLO_CHUNKS 16
#define EVTX_HEADER_SIZE 4096u

/* One named value from EventData (<Data Name="X">) or UserData (<X>). */
typedef struct evtx_field {
	const char *name;   /* Data's Name attribute, or the element's name; "" for an unnamed Data */
	const char *value;  /* UTF-8, entities already decoded */
	uint32_t len;       /* strlen(value) */
	uint8_t type;       /* value type of the (last) substitution in it, 0 for literal text */
	uint8_t is_data;    /* 1: an EventData <Data Name=...> element, 0: any other element */
} evtx_field;

enum evtx_record_state {
	EVTX_REC_OK = 0,
	EVTX_REC_REFUSED,   /* framed, but its binary XML is damaged or uses what this reader does not read */
};

typedef struct evtx_record {
	uint64_t record_id;       /* record header identifier (what libevtx calls the record's identifier) */
	uint64_t event_record_id; /* System/EventRecordID; 0 when absent (usually record_id) */
	uint64_t written;         /* record header written time, FILETIME */
	uint64_t created;         /* System/TimeCreated@SystemTime, FILETIME; 0 when absent */
	uint32_t event_id;        /* System/EventID */
	uint32_t qualifiers;      /* System/EventID@Qualifiers */
	uint8_t has_event_id;
	uint8_t recovered;        /* from slack space, or from a chunk past the header's count */
	uint8_t state;            /* enum evtx_record_state */
	uint8_t wanted;           /* the want() callback asked for the data values */
	const char *provider;     /* Provider@Name (EventSourceName when Name is absent) */
	const char *source;       /* Provider@EventSourceName, "" when absent (libevtx's "source name" when set) */
	const char *channel, *computer;
	const char *user_sid;     /* System/Security@UserID */
	const char *refusal;      /* why, for EVTX_REC_REFUSED */
	const evtx_field *fields; /* EventData/UserData values in document order (only when wanted) */
	size_t nfields;
	uint32_t chunk;           /* chunk number in the file */
	uint32_t offset;          /* record offset in its chunk */
	uint64_t index;           /* position in libevtx's record list (allocated) or recovered list */
} evtx_record;

/* The value of the first field called name: an EventData <Data Name="name">
 * first, any element <name> otherwise; NULL when absent. */
const char *evtx_field_get(const evtx_record *r, const char *name);

/* What the file header says and what the chunks were found to be. */
typedef struct evtx_info {
	/* file header */
	int header_ok;            /* signature present */
	int header_crc_ok;
	uint32_t flags;           /* 1 dirty, 2 full */
	uint16_t major, minor;
	uint16_t header_chunks;   /* chunks the header counts */
	uint64_t file_size;
	uint32_t file_chunks;     /* whole 64 KiB chunks in the file */
	/* chunks */
	uint32_t chunks_zero;     /* all zero (preallocated, never written) */
	uint32_t chunks_past;     /* valid chunks past the header's count (a log not flushed) */
	uint32_t chunks_past_bad; /* non-zero blocks past the header's count that are no valid chunk */
	uint32_t chunks_bad;      /* chunks within the header's count with bad checksums or signature */
	uint32_t bad[16];         /* the first bad chunks' numbers */
	uint32_t nbad_listed;
	/* records */
	uint64_t records;         /* libevtx's allocated records */
	uint64_t recovered;       /* libevtx's recovered records */
	uint64_t recovered_slack; /* of which found in slack space */
	uint64_t refused;         /* records (allocated or recovered) the reader refused */
	uint64_t unframed;        /* chunks where records stopped before the chunk's last record */
} evtx_info;

typedef struct evtx_reader evtx_reader;

/* Opens a log (reads and checks its header).  FAILED when the file cannot be
 * read or is too short to hold a header; a damaged header is read anyway
 * (info->header_ok 0): chunks are found by their own signatures. */
shodo_status evtx_reader_open(const char *path, evtx_reader **out, shodo_err *err);
/* The same over bytes in memory (tests, fuzzing); buf must outlive the reader. */
shodo_status evtx_reader_open_mem(const uint8_t *buf, size_t n, evtx_reader **out, shodo_err *err);
void evtx_reader_close(evtx_reader *rd);
const evtx_info *evtx_reader_info(const evtx_reader *rd);

extern const char *const evtx_all[];
#define EVTX_ALL evtx_all

typedef struct evtx_read_opts {
	/* Called on a worker thread with the System fields filled: which of the
	 * record's EventData/UserData values to render: NULL none, EVTX_ALL
	 * every one, or a NULL-terminated list of names (values named from a
	 * substitution are always rendered).  No callback: all. */
	const char *const *(*want)(const evtx_record *r, void *ud);
	/* Called on the calling thread, in file order (per chunk: its allocated
	 * records, then its recovered ones).  Nonzero stops the read. */
	int (*record)(const evtx_record *r, void *ud);
	void *ud;
	unsigned threads;         /* 0: one per online CPU (at most 16) */
	/* Chunks read on the calling thread before threads start: 0 the default
	 * (EVTX_SOLO_CHUNKS; threads only when as many again remain), < 0 none
	 * (every chunk to the threads when threads > 1: the tests compare both
	 * ways). */
	int solo_chunks;
	const uint32_t *chunks;   /* only these chunk numbers (ascending), NULL = every chunk */
	size_t nchunks;
	int skip_allocated;       /* deliver recovered records only */
	shodo_cancel *cancel;
} evtx_read_opts;

/* Reads the chunks and delivers the records; fills the reader's info.  OK,
 * CANCELLED, FATAL (out of memory, a thread), or the record callback's stop
 * (OK with the read cut short).  Can be called again (e.g. for chunks). */
shodo_status evtx_reader_run(evtx_reader *rd, const evtx_read_opts *o, shodo_err *err);

/* FILETIME -> "2021-10-23T21:50:11.666519700Z" (libevtx's rendering); "" for 0. */
void evtx_filetime_text(uint64_t ft, char out[40]);
/* "2021-10-23T21:50:11.666519700Z" -> FILETIME; 0 when not a time. */
uint64_t evtx_text_filetime(const char *s);

#endif
