/*
 * shodo's EVTX reader on hostile bytes: the file header, chunk framing and
 * checksums, and the binary XML of every record (templates, nested BinXml
 * values, every value type), all values rendered.  Odd-sized inputs are
 * read by two threads, so the chunk pool is fuzzed as well.  The reader may
 * refuse anything; it must not crash, hang or leak, and every string it
 * hands out must be readable.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "triage/parsers/evtx_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t sink;

static void touch(const char *s)
{
	if (s)
		sink += strlen(s);
}

static int on_record(const evtx_record *r, void *ud)
{
	(void)ud;
	touch(r->provider);
	touch(r->source);
	touch(r->channel);
	touch(r->computer);
	touch(r->user_sid);
	touch(r->refusal);
	for (size_t i = 0; i < r->nfields; i++) {
		touch(r->fields[i].name);
		touch(r->fields[i].value);
		if (strlen(r->fields[i].value) != r->fields[i].len)
			abort();
	}
	const char *v = evtx_field_get(r, "TargetUserName");
	touch(v);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	evtx_reader *rd = NULL;
	shodo_err err;
	shodo_err_clear(&err);
	if (evtx_reader_open_mem(data, size, &rd, &err) != SHODO_OK)
		return 0;
	evtx_read_opts o = {.record = on_record, .threads = (size & 1) ? 2 : 1};
	if (evtx_reader_run(rd, &o, &err) == SHODO_OK) {
		/* the second pass the parser makes over chunks with recovered records */
		const evtx_info *in = evtx_reader_info(rd);
		if (in->file_chunks) {
			uint32_t last = in->file_chunks - 1;
			evtx_read_opts o2 = {.record = on_record, .threads = 1, .chunks = &last, .nchunks = 1,
			                     .skip_allocated = 1};
			evtx_reader_run(rd, &o2, &err);
		}
	}
	evtx_reader_close(rd);
	return 0;
}
