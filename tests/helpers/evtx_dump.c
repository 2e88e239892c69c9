/*
 * evtx_dump [--threads N] [--solo N] [--again] [--recovered] FILE.evtx — every record as shodo's
 * EVTX reader reads it, one JSON object per line, for the tests that compare
 * the reader with libevtx/evtxexport record by record and field by field:
 *   {"index":0,"recovered":0,"record":90907,"chunk":0,"state":"ok",
 *    "event_id":4625,"provider":"...","channel":"...","computer":"...",
 *    "time":"2021-10-23T21:50:11.666519700Z","user":"S-1-5-18",
 *    "data":[["SubjectUserSid","S-1-5-18",1],...]}
 * (data: name, value, 1 when the name is a <Data Name=...>, 0 an element's).
 * The last line is the file's summary: {"summary":{...}}.
 *
 * --quiet: no records, only the summary; --system: System fields only.
 * --solo N: evtx_read_opts.solo_chunks (chunks read before threads start;
 * -1 none).  --again: the records of a second run over every chunk named in
 * a list (the partial run shodo parse makes for recovered records) instead
 * of the first run's: the same lines when the reader is right.
 *
 * evtx_dump --libevtx FILE: the same facts from libevtx's record API (the
 * reference): index, identifier, written time, event identifier, source
 * name, computer name and the strings, allocated records then recovered.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "triage/parsers/evtx_reader.h"
#include <libevtx.h>

static void js(const char *s)
{
	putchar('"');
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p < 0x20)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

static int only_recovered, quiet;
static unsigned long long nrec;

static const char *const *want_none(const evtx_record *r, void *ud)
{
	(void)r;
	(void)ud;
	return NULL;
}

static int on_record(const evtx_record *r, void *ud)
{
	(void)ud;
	if (only_recovered && !r->recovered)
		return 0;
	nrec++;
	if (quiet)
		return 0;
	char t[40];
	evtx_filetime_text(r->created, t);
	printf("{\"index\":%llu,\"recovered\":%d,\"record\":%llu,\"chunk\":%u,\"offset\":%u,\"state\":\"%s\"",
	       (unsigned long long)r->index, r->recovered, (unsigned long long)r->record_id, r->chunk, r->offset,
	       r->state == EVTX_REC_OK ? "ok" : "refused");
	if (r->state != EVTX_REC_OK) {
		printf(",\"why\":");
		js(r->refusal);
		printf("}\n");
		return 0;
	}
	if (r->has_event_id)
		printf(",\"event_id\":%u", r->event_id);
	printf(",\"qualifiers\":%u,\"event_record_id\":%llu,\"provider\":", r->qualifiers,
	       (unsigned long long)r->event_record_id);
	js(r->provider);
	printf(",\"source\":");
	js(r->source);
	printf(",\"channel\":");
	js(r->channel);
	printf(",\"computer\":");
	js(r->computer);
	printf(",\"time\":");
	js(t);
	evtx_filetime_text(r->written, t);
	printf(",\"written\":");
	js(t);
	printf(",\"user\":");
	js(r->user_sid);
	printf(",\"data\":[");
	for (size_t i = 0; i < r->nfields; i++) {
		printf("%s[", i ? "," : "");
		js(r->fields[i].name);
		putchar(',');
		js(r->fields[i].value);
		printf(",%d]", r->fields[i].is_data);
	}
	printf("]}\n");
	return 0;
}


static int dump_libevtx(const char *file)
{
	libevtx_file_t *f = NULL;
	if (libevtx_file_initialize(&f, NULL) != 1 || libevtx_file_open(f, file, LIBEVTX_OPEN_READ, NULL) != 1) {
		printf("{\"summary\":{\"open\":0}}\n");
		return 1;
	}
	int n[2] = {0, 0};
	libevtx_file_get_number_of_records(f, &n[0], NULL);
	libevtx_file_get_number_of_recovered_records(f, &n[1], NULL);
	static char buf[1 << 16];
	for (int rec = 0; rec < 2; rec++) {
		for (int i = 0; i < n[rec]; i++) {
			libevtx_record_t *r = NULL;
			int ok = rec ? libevtx_file_get_recovered_record_by_index(f, i, &r, NULL)
			             : libevtx_file_get_record_by_index(f, i, &r, NULL);
			printf("{\"index\":%d,\"recovered\":%d", i, rec);
			if (ok != 1) {
				printf(",\"state\":\"refused\"}\n");
				continue;
			}
			uint64_t id = 0, ft = 0;
			uint32_t ev = 0;
			libevtx_record_get_identifier(r, &id, NULL);
			libevtx_record_get_written_time(r, &ft, NULL);
			char t[40];
			evtx_filetime_text(ft, t);
			printf(",\"record\":%llu,\"written\":\"%s\"", (unsigned long long)id, t);
			if (libevtx_record_get_event_identifier(r, &ev, NULL) == 1)
				printf(",\"event_id\":%u", ev);
			else
				printf(",\"state\":\"refused\"");
			if (libevtx_record_get_utf8_source_name(r, (uint8_t *)buf, sizeof(buf), NULL) != 1)
				buf[0] = '\0';
			printf(",\"provider\":");
			js(buf);
			if (libevtx_record_get_utf8_computer_name(r, (uint8_t *)buf, sizeof(buf), NULL) != 1)
				buf[0] = '\0';
			printf(",\"computer\":");
			js(buf);
			printf("}\n");
			libevtx_record_free(&r, NULL);
		}
	}
	printf("{\"summary\":{\"records\":%d,\"recovered\":%d,\"corrupted\":%d}}\n", n[0], n[1],
	       libevtx_file_is_corrupted(f, NULL) == 1);
	libevtx_file_close(f, NULL);
	libevtx_file_free(&f, NULL);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned threads = 0;
	int system_only = 0, solo = 0, again = 0;
	const char *file = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--threads") && i + 1 < argc)
			threads = (unsigned)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--solo") && i + 1 < argc)
			solo = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--again"))
			again = 1;
		else if (!strcmp(argv[i], "--recovered"))
			only_recovered = 1;
		else if (!strcmp(argv[i], "--quiet"))
			quiet = 1; /* count only (the benchmarks) */
		else if (!strcmp(argv[i], "--system"))
			system_only = 1; /* System fields only: no data values rendered */
		else if (!strcmp(argv[i], "--libevtx") && i + 1 < argc)
			return dump_libevtx(argv[i + 1]);
		else
			file = argv[i];
	}
	if (!file) {
		fprintf(stderr, "usage: evtx_dump [--threads N] [--solo N] [--again] [--recovered] FILE.evtx\n");
		return 2;
	}
	shodo_err err;
	shodo_err_clear(&err);
	evtx_reader *rd = NULL;
	if (evtx_reader_open(file, &rd, &err) != SHODO_OK) {
		fprintf(stderr, "evtx_dump: %s\n", err.msg);
		return 1;
	}
	evtx_read_opts o = {.record = on_record, .threads = threads, .solo_chunks = solo,
	                    .want = system_only ? want_none : NULL};
	int q = quiet;
	quiet |= again;
	shodo_status rc = evtx_reader_run(rd, &o, &err);
	const evtx_info *in = evtx_reader_info(rd);
	quiet = q;
	uint32_t *all = NULL;
	if (rc == SHODO_OK && again && in->file_chunks) {
		all = malloc(in->file_chunks * sizeof(*all));
		if (!all) {
			fprintf(stderr, "evtx_dump: out of memory\n");
			return 1;
		}
		for (uint32_t i = 0; i < in->file_chunks; i++)
			all[i] = i;
		o.chunks = all;
		o.nchunks = in->file_chunks;
		rc = evtx_reader_run(rd, &o, &err);
	}
	free(all);
	printf("{\"summary\":{\"records\":%llu,\"recovered\":%llu,\"recovered_slack\":%llu,\"refused\":%llu,"
	       "\"header_ok\":%d,\"header_crc_ok\":%d,\"flags\":%u,\"header_chunks\":%u,\"file_chunks\":%u,"
	       "\"chunks_zero\":%u,\"chunks_past\":%u,\"chunks_past_bad\":%u,\"chunks_bad\":%u,\"unframed\":%llu,"
	       "\"bad\":[",
	       (unsigned long long)in->records, (unsigned long long)in->recovered,
	       (unsigned long long)in->recovered_slack, (unsigned long long)in->refused, in->header_ok,
	       in->header_crc_ok, in->flags, in->header_chunks, in->file_chunks, in->chunks_zero, in->chunks_past,
	       in->chunks_past_bad, in->chunks_bad, (unsigned long long)in->unframed);
	for (uint32_t i = 0; i < in->nbad_listed; i++)
		printf("%s%u", i ? "," : "", in->bad[i]);
	printf("]}}\n");
	evtx_reader_close(rd);
	if (rc != SHODO_OK) {
		fprintf(stderr, "evtx_dump: %s\n", err.msg);
		return 1;
	}
	return 0;
}
