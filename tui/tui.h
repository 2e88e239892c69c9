/* tui/tui.h — the ncurses front end (tui.c) and the jobs it starts (jobs.c). */
#ifndef SHODO_TUI_H
#define SHODO_TUI_H

#include "shodo/event.h"
#include "shodo/status.h"

#define SHODO_TUI_VERSION SHODO_VERSION

typedef enum tui_job_kind { TUI_JOB_IMAGE, TUI_JOB_TRIAGE } tui_job_kind;

typedef struct tui_job_spec {
	tui_job_kind kind;
	char source[256];
	char case_dir[256];
	char evidence_id[72];
	char examiner[128];
	char case_number[64];
} tui_job_spec;

/* Runs one job to completion on the calling thread (a shodo_job thread). */
shodo_status tui_run_spec(const tui_job_spec *s, const shodo_sink *sink, shodo_cancel *cancel, shodo_err *err);
/* The front end; files are image files to offer besides the devices. */
int tui_main(const char *const *files, int nfiles);

#endif
