/*
 * libevtx, for the records shodo's reader refuses (see evtx_fallback.h).
 * Rarely used: Windows writes nothing the reader refuses; damaged chunks and
 * hand-made binary XML (processing instructions, unknown tokens) end here.
 */
#include <errno.h>
#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "evtx_fallback.h"
#include <libevtx.h>
#include "putil.h"


struct evtx_fallback {
	libevtx_file_t *f;
	char *xml;
	size_t xml_cap;
	/* the record being built: strings in buf, fields by offset */
	char *buf;
	size_t used, cap;
	struct fref { size_t name, value; uint8_t is_data; } *fr;
	size_t nfr, capfr;
	evtx_field *fields;
	size_t capfields;
	/* expat state */
	struct xel { char name[64]; size_t text; int kids; long data_name; } st[64];
	int depth, overflow;
	size_t provider, source, channel, computer, user, evid, qual, created, recid;
};

static size_t put(evtx_fallback *fb, const char *s, size_t n)
{
	if (fb->overflow)
		return 0;
	if (fb->used + n + 1 > fb->cap) {
		size_t nc = fb->cap ? fb->cap : 8192;
		while (nc < fb->used + n + 1)
			nc *= 2;
		char *nb = nc > (64u << 20) ? NULL : realloc(fb->buf, nc);
		if (!nb) {
			fb->overflow = 1;
			return 0;
		}
		fb->buf = nb;
		fb->cap = nc;
	}
	size_t at = fb->used;
	memcpy(fb->buf + at, s, n);
	fb->buf[at + n] = '\0';
	fb->used += n + 1;
	return at;
}

static const char *attr(const char **a, const char *name)
{
	for (; a && a[0]; a += 2)
		if (!strcmp(a[0], name))
			return a[1];
	return NULL;
}

static void XMLCALL on_start(void *ud, const char *name, const char **atts)
{
	evtx_fallback *fb = ud;
	if (fb->depth >= (int)(sizeof(fb->st) / sizeof(fb->st[0]))) {
		fb->overflow = 1;
		return;
	}
	if (fb->depth)
		fb->st[fb->depth - 1].kids = 1;
	struct xel *e = &fb->st[fb->depth++];
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->text = (size_t)-1;
	e->kids = 0;
	e->data_name = -1;
	const char *a;
	if (fb->depth == 3 && !strcmp(fb->st[1].name, "System")) {
		if (!strcmp(name, "Provider")) {
			if ((a = attr(atts, "Name")))
				fb->provider = put(fb, a, strlen(a));
			if ((a = attr(atts, "EventSourceName")))
				fb->source = put(fb, a, strlen(a));
		} else if (!strcmp(name, "EventID") && (a = attr(atts, "Qualifiers"))) {
			fb->qual = put(fb, a, strlen(a));
		} else if (!strcmp(name, "TimeCreated") && (a = attr(atts, "SystemTime"))) {
			fb->created = put(fb, a, strlen(a));
		} else if (!strcmp(name, "Security") && (a = attr(atts, "UserID"))) {
			fb->user = put(fb, a, strlen(a));
		}
	} else if (fb->depth >= 3 && !strcmp(fb->st[1].name, "EventData") && !strcmp(name, "Data")) {
		a = attr(atts, "Name");
		e->data_name = (long)put(fb, a ? a : "", a ? strlen(a) : 0);
	}
}

static void XMLCALL on_text(void *ud, const char *s, int len)
{
	evtx_fallback *fb = ud;
	if (fb->depth < 1 || len <= 0)
		return;
	struct xel *e = &fb->st[fb->depth - 1];
	if (e->text == (size_t)-1) {
		e->text = put(fb, s, (size_t)len);
	} else if (!fb->overflow) {
		/* expat hands text in pieces: extend the last string */
		size_t at = e->text, old = strlen(fb->buf + at);
		if (at + old + 1 != fb->used) {
			/* something was stored after it: copy it to the end first */
			char *tmp = strdup(fb->buf + at);
			if (!tmp) {
				fb->overflow = 1;
				return;
			}
			e->text = put(fb, tmp, old);
			free(tmp);
			at = e->text;
		}
		fb->used = at + old;
		put(fb, s, (size_t)len);
		e->text = at;
	}
}

static void add_field(evtx_fallback *fb, size_t name, size_t value, uint8_t is_data)
{
	if (fb->nfr == fb->capfr) {
		size_t nc = fb->capfr ? fb->capfr * 2 : 64;
		void *n = realloc(fb->fr, nc * sizeof(*fb->fr));
		if (!n) {
			fb->overflow = 1;
			return;
		}
		fb->fr = n;
		fb->capfr = nc;
	}
	fb->fr[fb->nfr++] = (struct fref){name, value, is_data};
}

static void XMLCALL on_end(void *ud, const char *name)
{
	evtx_fallback *fb = ud;
	(void)name;
	if (fb->depth < 1)
		return;
	struct xel *e = &fb->st[fb->depth - 1];
	size_t empty = put(fb, "", 0);
	size_t text = e->text == (size_t)-1 ? empty : e->text;
	if (fb->depth == 3 && !strcmp(fb->st[1].name, "System")) {
		if (!strcmp(e->name, "EventID"))
			fb->evid = text;
		else if (!strcmp(e->name, "EventRecordID"))
			fb->recid = text;
		else if (!strcmp(e->name, "Channel"))
			fb->channel = text;
		else if (!strcmp(e->name, "Computer"))
			fb->computer = text;
	} else if (fb->depth >= 3 && !strcmp(fb->st[1].name, "EventData")) {
		if (e->data_name >= 0)
			add_field(fb, (size_t)e->data_name, text, 1);
		else if (!e->kids || e->text != (size_t)-1)
			add_field(fb, put(fb, e->name, strlen(e->name)), text, 0);
	} else if (fb->depth >= 4 && !strcmp(fb->st[1].name, "UserData")) {
		if (!e->kids || e->text != (size_t)-1)
			add_field(fb, put(fb, e->name, strlen(e->name)), text, 0);
	}
	fb->depth--;
}

shodo_status evtx_fallback_open(const char *path, evtx_fallback **out, shodo_err *err)
{
	*out = NULL;
	evtx_fallback *fb = calloc(1, sizeof(*fb));
	if (!fb)
		return shodo_err_set(err, SHODO_FATAL, ENOMEM, "cannot read the event log");
	libevtx_error_t *e = NULL;
	if (libevtx_file_initialize(&fb->f, &e) != 1 || libevtx_file_open(fb->f, path, LIBEVTX_OPEN_READ, &e) != 1) {
		char msg[256];
		PUTIL_YAL_MSG(libevtx, e, msg, sizeof(msg));
		if (e)
			libevtx_error_free(&e);
		evtx_fallback_close(fb);
		return shodo_err_set(err, SHODO_FAILED, 0, "libevtx cannot open the log: %s", msg);
	}
	*out = fb;
	return SHODO_OK;
}

void evtx_fallback_close(evtx_fallback *fb)
{
	if (!fb)
		return;
	if (fb->f) {
		libevtx_file_close(fb->f, NULL);
		libevtx_file_free(&fb->f, NULL);
	}
	free(fb->xml);
	free(fb->buf);
	free(fb->fr);
	free(fb->fields);
	free(fb);
}

/* libevtx writes control characters as they are; XML 1.0 has no place for
 * them (not even as references), so they become U+FFFD before parsing. */
static int sanitize(evtx_fallback *fb, size_t n)
{
	size_t ctl = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)fb->xml[i];
		if (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r')
			ctl++;
	}
	if (!ctl)
		return 0;
	char *o = malloc(n + 2 * ctl + 1);
	if (!o)
		return -1;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)fb->xml[i];
		if (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') {
			memcpy(o + k, "\xef\xbf\xbd", 3);
			k += 3;
		} else {
			o[k++] = (char)ch;
		}
	}
	o[k] = '\0';
	free(fb->xml);
	fb->xml = o;
	fb->xml_cap = n + 2 * ctl + 1;
	return 0;
}

int evtx_fallback_read(evtx_fallback *fb, int recovered, uint64_t index, uint64_t record_id, evtx_record *r,
                       char *why, size_t whyn)
{
	libevtx_record_t *rec = NULL;
	libevtx_error_t *e = NULL;
	int ok = 0;
	memset(r, 0, sizeof(*r));
	why[0] = '\0';
	if (index > 0x7fffffff) {
		snprintf(why, whyn, "record index out of range");
		return 0;
	}
	if ((recovered ? libevtx_file_get_recovered_record_by_index(fb->f, (int)index, &rec, &e)
	               : libevtx_file_get_record_by_index(fb->f, (int)index, &rec, &e)) != 1) {
		PUTIL_YAL_MSG(libevtx, e, why, whyn);
		goto out;
	}
	uint64_t id = 0, written = 0;
	uint32_t ev = 0;
	if (libevtx_record_get_identifier(rec, &id, NULL) != 1 || id != record_id) {
		snprintf(why, whyn, "libevtx lists another record at this place");
		goto out;
	}
	libevtx_record_get_written_time(rec, &written, NULL);
	if (libevtx_record_get_event_identifier(rec, &ev, &e) != 1) {
		PUTIL_YAL_MSG(libevtx, e, why, whyn);
		goto out;
	}
	size_t sz = 0;
	if (libevtx_record_get_utf8_xml_string_size(rec, &sz, &e) != 1 || sz == 0 || sz > (16u << 20)) {
		snprintf(why, whyn, "libevtx cannot render the record");
		goto out;
	}
	if (sz > fb->xml_cap) {
		char *nx = realloc(fb->xml, sz);
		if (!nx) {
			snprintf(why, whyn, "out of memory");
			goto out;
		}
		fb->xml = nx;
		fb->xml_cap = sz;
	}
	if (libevtx_record_get_utf8_xml_string(rec, (uint8_t *)fb->xml, sz, &e) != 1) {
		PUTIL_YAL_MSG(libevtx, e, why, whyn);
		goto out;
	}
	fb->xml[sz - 1] = '\0';
	size_t n = strlen(fb->xml);
	if (sanitize(fb, n) < 0) {
		snprintf(why, whyn, "out of memory");
		goto out;
	}
	fb->used = fb->nfr = 0;
	fb->depth = fb->overflow = 0;
	size_t none = put(fb, "", 0);
	fb->provider = fb->source = fb->channel = fb->computer = fb->user = fb->evid = fb->qual = none;
	fb->created = fb->recid = none;
	XML_Parser p = XML_ParserCreate("UTF-8");
	if (!p) {
		snprintf(why, whyn, "out of memory");
		goto out;
	}
	XML_SetUserData(p, fb);
	XML_SetElementHandler(p, on_start, on_end);
	XML_SetCharacterDataHandler(p, on_text);
	int parsed = XML_Parse(p, fb->xml, (int)strlen(fb->xml), 1) == XML_STATUS_OK;
	if (!parsed)
		snprintf(why, whyn, "libevtx's XML does not parse: %s", XML_ErrorString(XML_GetErrorCode(p)));
	XML_ParserFree(p);
	if (!parsed)
		goto out;
	if (fb->overflow) {
		snprintf(why, whyn, "record too large");
		goto out;
	}
	if (fb->nfr > fb->capfields) {
		evtx_field *nf = realloc(fb->fields, fb->nfr * sizeof(*nf));
		if (!nf) {
			snprintf(why, whyn, "out of memory");
			goto out;
		}
		fb->fields = nf;
		fb->capfields = fb->nfr;
	}
	for (size_t i = 0; i < fb->nfr; i++) {
		fb->fields[i].name = fb->buf + fb->fr[i].name;
		fb->fields[i].value = fb->buf + fb->fr[i].value;
		fb->fields[i].len = (uint32_t)strlen(fb->fields[i].value);
		fb->fields[i].type = 0;
		fb->fields[i].is_data = fb->fr[i].is_data;
	}
	r->record_id = id;
	r->written = written;
	r->event_id = ev;
	r->has_event_id = 1;
	r->qualifiers = (uint32_t)strtoul(fb->buf + fb->qual, NULL, 10);
	r->event_record_id = strtoull(fb->buf + fb->recid, NULL, 10);
	r->created = evtx_text_filetime(fb->buf + fb->created);
	r->recovered = (uint8_t)recovered;
	r->state = EVTX_REC_OK;
	r->wanted = 1;
	r->source = fb->buf + fb->source;
	r->provider = fb->buf[fb->provider] ? fb->buf + fb->provider : r->source;
	r->channel = fb->buf + fb->channel;
	r->computer = fb->buf + fb->computer;
	r->user_sid = fb->buf + fb->user;
	r->fields = fb->fields;
	r->nfields = fb->nfr;
	r->index = index;
	ok = 1;
out:
	if (e)
		libevtx_error_free(&e);
	if (rec)
		libevtx_record_free(&rec, NULL);
	return ok;
}
