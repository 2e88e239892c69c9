/* The engine calls behind the TUI's jobs: the same options a user would give
 * the CLI, with defaults (E01, fast compression, all hashes, verify). */
#include <string.h>
#include "tui.h"
#include "shodo/case.h"
#include "shodo/imager.h"
#include "shodo/triage.h"

static shodo_status run_triage(const tui_job_spec *s, const shodo_sink *sink, shodo_cancel *cancel,
                               shodo_err *err)
{
	shodo_case *c = NULL;
	const char *srcs[1] = {s->source};
	shodo_triage_opts o;
	memset(&o, 0, sizeof(o));
	o.sources = srcs;
	o.nsources = 1;
	o.evidence_id = s->evidence_id;
	o.profile = SHODO_PROFILE_QUICK;
	o.sink = sink;
	o.cancel = cancel;
	/* before the case folder is created: a mistake creates nothing */
	shodo_status st = shodo_triage_check(&o, s->case_dir, err);
	if (st != SHODO_OK)
		return st;
	o.checked = 1;
	shodo_case_meta meta = {.case_number = s->case_number, .examiner = s->examiner};
	st = shodo_case_open(s->case_dir, &meta, 1, &c, err);
	if (st != SHODO_OK)
		return st;
	o.kase = c;
	json_t *res = NULL;
	st = shodo_triage_run(&o, &res, err);
	json_decref(res);
	shodo_case_close(c);
	return st;
}

static shodo_status run_image(const tui_job_spec *s, const shodo_sink *sink, shodo_cancel *cancel,
                              shodo_err *err)
{
	shodo_image_opts o;
	shodo_image_opts_init(&o);
	o.source = s->source;
	o.case_dir = s->case_dir;
	o.evidence_id = s->evidence_id;
	o.case_number = s->case_number;
	o.examiner = s->examiner;
	o.verify = 1;
	o.sink = sink;
	o.cancel = cancel;
	json_t *res = NULL;
	shodo_status st = shodo_image_acquire(&o, &res, err);
	json_decref(res);
	return st;
}

shodo_status tui_run_spec(const tui_job_spec *s, const shodo_sink *sink, shodo_cancel *cancel, shodo_err *err)
{
	switch (s->kind) {
	case TUI_JOB_TRIAGE:
		return run_triage(s, sink, cancel, err);
	case TUI_JOB_IMAGE:
		return run_image(s, sink, cancel, err);
	}
	return shodo_err_set(err, SHODO_USAGE, 0, "unknown job kind");
}
