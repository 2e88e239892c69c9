#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include "evtxlib.h"

/* Filled once under pthread_once and read-only afterwards. */
static evtxlib lib;
static pthread_once_t once = PTHREAD_ONCE_INIT;

#define LINKED(f) lib.f = libevtx_##f

static void use_linked(void)
{
	lib.isolated = 0;
	LINKED(file_initialize);
	LINKED(file_free);
	LINKED(file_open);
	LINKED(file_close);
	LINKED(file_is_corrupted);
	LINKED(file_get_flags);
	LINKED(file_get_number_of_records);
	LINKED(file_get_number_of_recovered_records);
	LINKED(file_get_record_by_index);
	LINKED(file_get_recovered_record_by_index);
	LINKED(record_free);
	LINKED(record_get_identifier);
	LINKED(record_get_written_time);
	LINKED(record_get_event_identifier);
	LINKED(record_get_utf8_source_name);
	LINKED(record_get_utf8_computer_name);
	LINKED(record_get_utf8_xml_string_size);
	LINKED(record_get_utf8_xml_string);
	LINKED(error_free);
	LINKED(error_backtrace_sprint);
}

static void load(void)
{
	use_linked();
	if (getenv("SHODO_EVTX_NO_ISOLATION"))
		return;
	void *h = dlmopen(LM_ID_NEWLM, "libevtx.so.1", RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return;
	evtxlib l = {.isolated = 1};
	int ok = 1;
#define SYM(f) ok &= (*(void **)&l.f = dlsym(h, "libevtx_" #f)) != NULL
	SYM(file_initialize);
	SYM(file_free);
	SYM(file_open);
	SYM(file_close);
	SYM(file_is_corrupted);
	SYM(file_get_flags);
	SYM(file_get_number_of_records);
	SYM(file_get_number_of_recovered_records);
	SYM(file_get_record_by_index);
	SYM(file_get_recovered_record_by_index);
	SYM(record_free);
	SYM(record_get_identifier);
	SYM(record_get_written_time);
	SYM(record_get_event_identifier);
	SYM(record_get_utf8_source_name);
	SYM(record_get_utf8_computer_name);
	SYM(record_get_utf8_xml_string_size);
	SYM(record_get_utf8_xml_string);
	SYM(error_free);
	SYM(error_backtrace_sprint);
#undef SYM
	if (ok)
		lib = l;
	/* the handle stays open for the life of the process */
}

const evtxlib *evtxlib_get(void)
{
	pthread_once(&once, load);
	return &lib;
}
