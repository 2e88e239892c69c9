/*
 * triage/parsers/evtxlib.h — libevtx, loaded into a link namespace of its
 * own.
 *
 * Debian's libyal libraries each embed and export private copies of the
 * libyal support libraries (libcdata, libfvalue, ...).  In one namespace the
 * first copy loaded serves every library: libevtx then runs on libewf's
 * 2014 libfvalue and fails on records with value types that copy does not
 * know ("unsupported type: 0x1a"), while libewf on libevtx's copies breaks
 * in turn.  So libevtx is opened with dlmopen(LM_ID_NEWLM) and used through
 * this table; when that is not possible the linked libevtx is used.
 */
#ifndef SHODO_PARSERS_EVTXLIB_H
#define SHODO_PARSERS_EVTXLIB_H

#include <stddef.h>
#include <stdint.h>
#include <libevtx.h>

typedef struct evtxlib {
	int isolated;  /* 1 when loaded in its own namespace */
	int (*file_initialize)(libevtx_file_t **, libevtx_error_t **);
	int (*file_free)(libevtx_file_t **, libevtx_error_t **);
	int (*file_open)(libevtx_file_t *, const char *, int, libevtx_error_t **);
	int (*file_close)(libevtx_file_t *, libevtx_error_t **);
	int (*file_is_corrupted)(libevtx_file_t *, libevtx_error_t **);
	int (*file_get_flags)(libevtx_file_t *, uint32_t *, libevtx_error_t **);
	int (*file_get_number_of_records)(libevtx_file_t *, int *, libevtx_error_t **);
	int (*file_get_number_of_recovered_records)(libevtx_file_t *, int *, libevtx_error_t **);
	int (*file_get_record_by_index)(libevtx_file_t *, int, libevtx_record_t **, libevtx_error_t **);
	int (*file_get_recovered_record_by_index)(libevtx_file_t *, int, libevtx_record_t **, libevtx_error_t **);
	int (*record_free)(libevtx_record_t **, libevtx_error_t **);
	int (*record_get_identifier)(libevtx_record_t *, uint64_t *, libevtx_error_t **);
	int (*record_get_written_time)(libevtx_record_t *, uint64_t *, libevtx_error_t **);
	int (*record_get_event_identifier)(libevtx_record_t *, uint32_t *, libevtx_error_t **);
	int (*record_get_utf8_source_name)(libevtx_record_t *, uint8_t *, size_t, libevtx_error_t **);
	int (*record_get_utf8_computer_name)(libevtx_record_t *, uint8_t *, size_t, libevtx_error_t **);
	int (*record_get_utf8_xml_string_size)(libevtx_record_t *, size_t *, libevtx_error_t **);
	int (*record_get_utf8_xml_string)(libevtx_record_t *, uint8_t *, size_t, libevtx_error_t **);
	void (*error_free)(libevtx_error_t **);
	int (*error_backtrace_sprint)(libevtx_error_t *, char *, size_t);
} evtxlib;

/* The table (loaded once per process, thread-safe). Never NULL. */
const evtxlib *evtxlib_get(void);

#endif
