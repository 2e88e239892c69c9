/*
 * Legacy Windows event logs (.evt, NT to Server 2003) through libevt.
 *
 * Records are read one at a time.  Event IDs carry severity bits in their
 * top half; the low 16 bits are the ID Event Viewer shows.  Legacy records
 * have no field names, only strings in message order, so the fields of the
 * few events that matter are taken by position (documented per ID below).
 * Counts go to event_counts (provider = source name), the file's numbers to
 * evtx_stats, logons and changes to logons/events like the .evtx parser.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libevt.h>
#include "shodo/buf.h"
#include "shodo/util.h"
#include "putil.h"

/* positions of fields in the legacy Security events (Windows 2000/XP/2003) */
enum { L_NONE = -1 };
static const struct legacy {
	uint32_t id;
	const char *category, *result;
	int logon;                     /* goes to logons */
	int user, domain, logon_id, type, process, auth, ws, ip;  /* string index or L_NONE */
} legacy[] = {
	/* 528 interactive/remote logon, 540 network logon */
	{528, "logon_success", "success", 1, 0, 1, 2, 3, 4, 5, 6, 13},
	{540, "logon_success", "success", 1, 0, 1, 2, 3, 4, 5, 6, 13},
	/* 529-537, 539: failed logons (reason in the ID) */
	{529, "logon_failure", "failure", 1, 0, 1, L_NONE, 2, 3, 4, 5, 11},
	{530, "logon_failure", "failure", 1, 0, 1, L_NONE, 2, 3, 4, 5, 11},
	{531, "logon_failure", "failure", 1, 0, 1, L_NONE, 2, 3, 4, 5, 11},
	{532, "logon_failure", "failure", 1, 0, 1, L_NONE, 2, 3, 4, 5, 11},
	{533, "logon_failure", "failure", 1, 0, 1, L_NONE, 2, 3, 4, 5, 11},
	{534, "logon_failure", "failure", 1, 0, 1, L_NONE, 2, 3, 4, 5, 11},
	{535, "logon_failure", "failure", 1, 0, 1, L_NONE, 2, 3, 4, 5, 11},
	{536, "logon_failure", "failure", 1, 0, 1, L_NONE, 2, 3, 4, 5, 11},
	{537, "logon_failure", "failure", 1, 0, 1, L_NONE, 2, 3, 4, 5, 11},
	{539, "logon_failure", "failure", 1, 0, 1, L_NONE, 2, 3, 4, 5, 11},
	{538, "logoff", "logoff", 1, 0, 1, 2, 3, L_NONE, L_NONE, L_NONE, L_NONE},
	{576, "logon_admin", "admin", 1, 0, 1, 2, L_NONE, L_NONE, L_NONE, L_NONE, L_NONE},
	{552, "logon_explicit", "explicit", 1, 4, 5, L_NONE, L_NONE, L_NONE, L_NONE, 7, 10},
	/* changes: user = strings[user], target = strings[domain] (see store_change) */
	{624, "account_created", NULL, 0, 0, 1, L_NONE, L_NONE, L_NONE, L_NONE, L_NONE, L_NONE},
	{632, "group_member_added", NULL, 0, 0, 2, L_NONE, L_NONE, L_NONE, L_NONE, L_NONE, L_NONE},
	{636, "group_member_added", NULL, 0, 0, 2, L_NONE, L_NONE, L_NONE, L_NONE, L_NONE, L_NONE},
	{660, "group_member_added", NULL, 0, 0, 2, L_NONE, L_NONE, L_NONE, L_NONE, L_NONE, L_NONE},
	{517, "log_cleared", NULL, 0, 3, 4, L_NONE, L_NONE, L_NONE, L_NONE, L_NONE, L_NONE},
	{601, "service_installed", NULL, 0, 0, 1, L_NONE, L_NONE, L_NONE, L_NONE, L_NONE, L_NONE},
};

static const struct legacy *find_legacy(const char *source, uint32_t id)
{
	if (strcasecmp(source, "Security"))
		return NULL;
	for (size_t i = 0; i < sizeof(legacy) / sizeof(legacy[0]); i++)
		if (legacy[i].id == id)
			return &legacy[i];
	return NULL;
}

#define MAXSTR 16
struct strs {
	int n;
	char s[MAXSTR][512];
};

static void read_strings(libevt_record_t *rec, struct strs *st)
{
	int n = 0;
	st->n = 0;
	if (libevt_record_get_number_of_strings(rec, &n, NULL) != 1)
		return;
	for (int i = 0; i < n && i < MAXSTR; i++) {
		st->s[i][0] = '\0';
		if (libevt_record_get_utf8_string(rec, i, (uint8_t *)st->s[i], sizeof(st->s[i]), NULL) != 1)
			st->s[i][0] = '\0';
		st->n = i + 1;
	}
}

static const char *at(const struct strs *st, int i)
{
	if (i < 0 || i >= st->n)
		return NULL;
	const char *v = st->s[i];
	return (v[0] == '\0' || (v[0] == '-' && v[1] == '\0')) ? NULL : v;
}

static shodo_status store_legacy(shodo_triage_ctx *ctx, const shodo_artifact *a, const struct legacy *d,
                                 libevt_record_t *rec, uint32_t id, const char *source, const char *time,
                                 const char *computer, uint32_t recno, int recovered, shodo_err *err)
{
	struct strs st;
	char user[600] = "", target[600] = "", detail[1024] = "";
	read_strings(rec, &st);
	if (d->logon) {
		shodo_logon_row lr = {
			.time = time, .event_id = id, .result = d->result,
			.logon_type = at(&st, d->type) ? atoi(at(&st, d->type)) : -1,
			.target_user = at(&st, d->user), .target_domain = at(&st, d->domain), .source_ip = at(&st, d->ip),
			.workstation = at(&st, d->ws), .logon_id = at(&st, d->logon_id), .process = at(&st, d->process),
			.auth_package = at(&st, d->auth), .computer = computer, .source = a->source, .record = recno,
			.recovered = recovered,
		};
		shodo_status rc = shodo_store_add_logon(ctx->store, &lr, err);
		if (rc != SHODO_OK)
			return rc;
		snprintf(user, sizeof(user), "%s%s%s", at(&st, d->domain) ? at(&st, d->domain) : "",
		         at(&st, d->domain) ? "\\" : "", at(&st, d->user) ? at(&st, d->user) : "");
		snprintf(target, sizeof(target), "%s", at(&st, d->ip) ? at(&st, d->ip) : at(&st, d->ws) ? at(&st, d->ws) : "");
		if (at(&st, d->type))
			snprintf(detail, sizeof(detail), "logon type %s", at(&st, d->type));
	} else if (d->id == 624) {
		/* new account name, domain, SID, caller user, caller domain */
		snprintf(target, sizeof(target), "%s\\%s", at(&st, 1) ? at(&st, 1) : "", at(&st, 0) ? at(&st, 0) : "");
		snprintf(user, sizeof(user), "%s\\%s", at(&st, 4) ? at(&st, 4) : "", at(&st, 3) ? at(&st, 3) : "");
		snprintf(detail, sizeof(detail), "%s", at(&st, 2) ? at(&st, 2) : "");
	} else if (d->id == 632 || d->id == 636 || d->id == 660) {
		/* member name, member SID, group name, group domain, group SID, caller user, caller domain */
		snprintf(target, sizeof(target), "%s", at(&st, 0) ? at(&st, 0) : at(&st, 1) ? at(&st, 1) : "");
		snprintf(user, sizeof(user), "%s\\%s", at(&st, 6) ? at(&st, 6) : "", at(&st, 5) ? at(&st, 5) : "");
		snprintf(detail, sizeof(detail), "added to group %s\\%s", at(&st, 3) ? at(&st, 3) : "",
		         at(&st, 2) ? at(&st, 2) : "");
	} else if (d->id == 517) {
		snprintf(user, sizeof(user), "%s\\%s", at(&st, 4) ? at(&st, 4) : "", at(&st, 3) ? at(&st, 3) : "");
		snprintf(target, sizeof(target), "Security");
		snprintf(detail, sizeof(detail), "Security log cleared");
	} else if (d->id == 601) {
		/* service name, file name, type, start type, account */
		snprintf(target, sizeof(target), "%s", at(&st, 0) ? at(&st, 0) : "");
		snprintf(detail, sizeof(detail), "%s", at(&st, 1) ? at(&st, 1) : "");
		snprintf(user, sizeof(user), "%s", at(&st, 4) ? at(&st, 4) : "");
		shodo_status rc = shodo_store_add_persistence(ctx->store, time, "service", target, detail, user,
		                                              "event 601", a->source, (long long)recno, err);
		if (rc != SHODO_OK)
			return rc;
	}
	shodo_event_row er = {
		.time = time, .category = d->category, .event_id = id, .provider = source, .channel = "Security",
		.computer = computer, .user = strcmp(user, "\\") ? user : NULL, .target = strcmp(target, "\\") ? target : NULL,
		.detail = detail, .source = a->source, .record = recno, .recovered = recovered,
	};
	return shodo_store_add_event(ctx->store, &er, err);
}

struct counts {
	struct {
		char source[128];
		uint32_t id;
		uint64_t n;
	} *t;
	size_t n, cap;
};

static void count(struct counts *c, const char *source, uint32_t id)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->t[i].id == id && !strcmp(c->t[i].source, source)) {
			c->t[i].n++;
			return;
		}
	if (c->n >= 65536)
		return;
	if (shodo_grow(&c->t, &c->cap, c->n + 1) < 0)
		return;
	snprintf(c->t[c->n].source, sizeof(c->t[c->n].source), "%s", source);
	c->t[c->n].id = id;
	c->t[c->n].n = 1;
	c->n++;
}

static int bid_evt(const shodo_artifact *a, const unsigned char *head, size_t n)
{
	if (n >= 8 && le32(head) == 0x30 && !memcmp(head + 4, "LfLe", 4))
		return 64;
	if (a->category && !strcmp(a->category, CAT_EVT))
		return 1;
	return 0;
}

static shodo_status parse_evt(const shodo_artifact *a, shodo_triage_ctx *ctx, shodo_err *err)
{
	libevt_file_t *f = NULL;
	libevt_error_t *e = NULL;
	char msg[512], first[32] = "", last[32] = "", first_error[256] = "";
	uint32_t tmin = 0, tmax = 0;
	int nrec = 0, nrecov = 0;
	uint64_t parsed = 0, errors = 0, stored_recov = 0;
	int dirty = 0;
	struct counts c = {0};
	shodo_status rc = SHODO_OK;

	if (libevt_file_initialize(&f, &e) != 1 || libevt_file_open(f, a->file, LIBEVT_OPEN_READ, &e) != 1) {
		PUTIL_YAL_MSG(libevt, e, msg, sizeof(msg));
		rc = shodo_err_set(err, SHODO_FAILED, 0, "not a readable legacy event log: %s", msg);
		goto out;
	}
	if (libevt_file_get_number_of_records(f, &nrec, &e) != 1) {
		libevt_error_free(&e);
		nrec = 0;
	}
	if (libevt_file_get_number_of_recovered_records(f, &nrecov, &e) != 1) {
		libevt_error_free(&e);
		nrecov = 0;
	}
	for (int pass = 0; pass < 2; pass++) {
		int total = pass ? nrecov : nrec;
		for (int i = 0; i < total; i++) {
			if ((i & 1023) == 0 && shodo_cancelled(ctx->cancel)) {
				rc = shodo_err_set(err, SHODO_CANCELLED, 0, "cancelled");
				goto out;
			}
			libevt_record_t *rec = NULL;
			int got = pass ? libevt_file_get_recovered_record_by_index(f, i, &rec, &e)
			               : libevt_file_get_record_by_index(f, i, &rec, &e);
			if (got != 1) {
				if (!pass && !first_error[0])
					PUTIL_YAL_MSG(libevt, e, first_error, sizeof(first_error));
				libevt_error_free(&e);
				errors += !pass;
				continue;
			}
			uint32_t id = 0, t = 0, recno = 0;
			char source[256] = "", computer[256] = "", ts[32] = "";
			if (libevt_record_get_event_identifier(rec, &id, NULL) != 1) {
				libevt_record_free(&rec, NULL);
				errors += !pass;
				continue;
			}
			id &= 0xFFFF;
			libevt_record_get_utf8_source_name(rec, (uint8_t *)source, sizeof(source), NULL);
			libevt_record_get_utf8_computer_name(rec, (uint8_t *)computer, sizeof(computer), NULL);
			libevt_record_get_identifier(rec, &recno, NULL);
			if (libevt_record_get_written_time(rec, &t, NULL) == 1 && t)
				shodo_time_iso((time_t)t, ts);
			if (!pass) {
				parsed++;
				count(&c, source, id);
				if (t && (!tmin || t < tmin)) {
					tmin = t;
					memcpy(first, ts, sizeof(ts));
				}
				if (t > tmax) {
					tmax = t;
					memcpy(last, ts, sizeof(ts));
				}
			}
			const struct legacy *d = find_legacy(source, id);
			if (d) {
				rc = store_legacy(ctx, a, d, rec, id, source, ts, computer, recno, pass, err);
				if (rc == SHODO_OK && pass)
					stored_recov++;
			}
			libevt_record_free(&rec, NULL);
			if (rc != SHODO_OK)
				goto out;
		}
	}
	{
		static const char sql[] = "INSERT INTO evtx_stats(source,records,recovered,parsed,errors,first_time,"
		                          "last_time,recovered_stored,dirty) VALUES(?,?,?,?,?,?,?,?,?)";
		sqlite3_stmt *s = shodo_store_stmt(ctx->store, sql, err);
		if (!s) {
			rc = SHODO_FATAL;
			goto out;
		}
		uint32_t flags = 0;
		libevt_file_get_flags(f, &flags, NULL);
		dirty = (flags & LIBEVT_FILE_FLAG_IS_DIRTY) != 0;
		shodo_bind_text(s, 1, a->source);
		sqlite3_bind_int64(s, 2, nrec);
		sqlite3_bind_int64(s, 3, nrecov);
		sqlite3_bind_int64(s, 4, (sqlite3_int64)parsed);
		sqlite3_bind_int64(s, 5, (sqlite3_int64)errors);
		shodo_bind_text(s, 6, first);
		shodo_bind_text(s, 7, last);
		sqlite3_bind_int64(s, 8, (sqlite3_int64)stored_recov);
		sqlite3_bind_int(s, 9, (flags & LIBEVT_FILE_FLAG_IS_DIRTY) ? 1 : 0);
		if ((rc = shodo_store_step_done(ctx->store, s, err)) != SHODO_OK)
			goto out;
		static const char sqlc[] = "INSERT INTO event_counts(source,provider,event_id,count) VALUES(?,?,?,?)";
		for (size_t i = 0; i < c.n; i++) {
			if (!(s = shodo_store_stmt(ctx->store, sqlc, err))) {
				rc = SHODO_FATAL;
				goto out;
			}
			shodo_bind_text(s, 1, a->source);
			sqlite3_bind_text(s, 2, c.t[i].source, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(s, 3, c.t[i].id);
			sqlite3_bind_int64(s, 4, (sqlite3_int64)c.t[i].n);
			if ((rc = shodo_store_step_done(ctx->store, s, err)) != SHODO_OK)
				goto out;
		}
	}
	if (errors)
		rc = shodo_err_set(err, SHODO_WARN, 0, "%llu of %d records unreadable%s%s", (unsigned long long)errors,
		                   nrec, first_error[0] ? ": " : "", first_error);
	else
		snprintf(err->msg, sizeof(err->msg), "%d records, %d recovered (%llu stored)%s", nrec, nrecov,
		         (unsigned long long)stored_recov, dirty ? "; log was not closed cleanly (dirty)" : "");
out:
	if (e)
		libevt_error_free(&e);
	if (f) {
		libevt_file_close(f, NULL);
		libevt_file_free(&f, NULL);
	}
	free(c.t);
	return rc;
}

const shodo_parser shodo_parser_evt = {"evt", bid_evt, parse_evt};
