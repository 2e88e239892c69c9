/*
 * posture_run — runs the posture stage alone on given files, for tests:
 *
 *   posture_run [--since ISO] [--until ISO] CASE_DIR ID ARTIFACT...
 *
 * ARTIFACT is category:volume:original/path=local-file, e.g.
 *   registry:p1@1048576:Windows/System32/config/SYSTEM=/tmp/SYSTEM
 * Rows already in CASE_DIR/ID/triage/triage.db (files, events, policy)
 * are used as the stage finds them.  Exit 0 ok, 1 warnings, 3 fatal.
 *
 *   posture_run --fleet CASE_DIR
 *
 * prints shodo_posture_shared_passwords() as JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shodo/case.h"
#include "shodo/posture.h"
#include "shodo/util.h"
#include "triage/triage_int.h"

static void sink_fn(const shodo_event *ev, void *ud)
{
	(void)ud;
	if (ev->kind == SHODO_EV_PROGRESS || ev->kind == SHODO_EV_DEBUG)
		return;
	fprintf(stderr, "%s: %s\n", ev->phase ? ev->phase : "", ev->msg ? ev->msg : "");
}

int main(int argc, char **argv)
{
	time_t since = 0, until = 0;
	int i = 1;
	if (argc == 3 && !strcmp(argv[1], "--fleet")) {
		shodo_err e;
		shodo_err_clear(&e);
		json_t *j = shodo_posture_shared_passwords(argv[2], &e);
		if (!j) {
			fprintf(stderr, "posture_run: %s\n", e.msg);
			return 3;
		}
		char *s = json_dumps(j, JSON_INDENT(1) | JSON_SORT_KEYS);
		puts(s ? s : "null");
		free(s);
		json_decref(j);
		return 0;
	}
	for (; i + 1 < argc && !strncmp(argv[i], "--", 2); i += 2) {
		if (!strcmp(argv[i], "--since"))
			shodo_parse_iso(argv[i + 1], &since);
		else if (!strcmp(argv[i], "--until"))
			shodo_parse_iso(argv[i + 1], &until);
	}
	if (argc - i < 2) {
		fprintf(stderr, "usage: posture_run [--since ISO] [--until ISO] CASE_DIR ID ARTIFACT...\n");
		return 2;
	}
	const char *dir = argv[i], *id = argv[i + 1];
	i += 2;
	shodo_err err;
	shodo_err_clear(&err);
	shodo_case *c = NULL;
	if (shodo_case_open(dir, NULL, 1, &c, &err) != SHODO_OK) {
		fprintf(stderr, "posture_run: %s\n", err.msg);
		return 3;
	}
	char tdir[4096], db[4200];
	if (shodo_case_evidence_dir(c, id, "triage", tdir, sizeof(tdir), &err) != SHODO_OK) {
		fprintf(stderr, "posture_run: %s\n", err.msg);
		return 3;
	}
	snprintf(db, sizeof(db), "%s/triage.db", tdir);
	shodo_store *st = NULL;
	if (shodo_store_open(db, &st, &err) != SHODO_OK) {
		fprintf(stderr, "posture_run: %s\n", err.msg);
		return 3;
	}
	size_t n = (size_t)(argc - i);
	shodo_artifact *arts = calloc(n ? n : 1, sizeof(*arts));
	for (size_t k = 0; k < n; k++) {
		char *s = strdup(argv[i + (int)k]);
		char *c1 = strchr(s, ':');
		char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		char *eq = c2 ? strchr(c2 + 1, '=') : NULL;
		if (!eq) {
			fprintf(stderr, "posture_run: bad artifact '%s'\n", argv[i + (int)k]);
			return 2;
		}
		*c1 = *c2 = *eq = 0;
		arts[k].category = s;
		arts[k].volume = c1 + 1;
		arts[k].path = c2 + 1;
		arts[k].file = eq + 1;
		arts[k].source = eq + 1;
	}
	shodo_sink sink = {sink_fn, NULL, id, 0};
	shodo_sink_start(&sink);
	shodo_triage_opts opts = {0};
	opts.kase = c;
	opts.evidence_id = id;
	opts.sink = &sink;
	shodo_triage_ctx ctx = {0};
	ctx.opts = &opts;
	ctx.store = st;
	ctx.triage_dir = tdir;
	ctx.sink = &sink;
	ctx.since = since;
	ctx.until = until;
	shodo_status rc = shodo_posture_run(&ctx, arts, n, &err);
	if (rc != SHODO_OK)
		fprintf(stderr, "posture_run: %s\n", err.msg);
	shodo_store_close(st);
	shodo_case_close(c);
	for (size_t k = 0; k < n; k++)
		free((char *)arts[k].category);
	free(arts);
	return rc == SHODO_OK ? (ctx.warnings ? 1 : 0) : shodo_status_exit(rc);
}
