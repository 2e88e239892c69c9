/*
 * scope_report — runs the scoping and report stages on a store filled by
 * `shodo parse --db DB FILE...`, for tests that feed built or corpus
 * artifacts without building a disk:
 *
 *   scope_report DB OUTDIR
 *
 * writes OUTDIR/summary.txt, OUTDIR/report.html and the CSVs.  Exit 0 ok,
 * 1 a stage failed.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "triage/triage_int.h"

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: scope_report DB OUTDIR\n");
		return 2;
	}
	shodo_err e;
	shodo_err_clear(&e);
	shodo_store *st = NULL;
	mkdir(argv[2], 0700);
	if (shodo_store_open(argv[1], &st, &e) != SHODO_OK) {
		fprintf(stderr, "scope_report: %s\n", e.msg);
		return 1;
	}
	shodo_triage_opts o;
	memset(&o, 0, sizeof(o));
	o.evidence_id = "TEST";
	o.profile = SHODO_PROFILE_QUICK;
	shodo_triage_ctx ctx;
	memset(&ctx, 0, sizeof(ctx));
	ctx.opts = &o;
	ctx.store = st;
	ctx.triage_dir = argv[2];
	int rc = 0;
	if (shodo_scope_run(&ctx, &e) != SHODO_OK || shodo_report_write(&ctx, &e) != SHODO_OK ||
	    shodo_store_write_csv(st, argv[2], NULL, &e) != SHODO_OK) {
		fprintf(stderr, "scope_report: %s\n", e.msg);
		rc = 1;
	}
	shodo_store_close(st);
	return rc;
}
