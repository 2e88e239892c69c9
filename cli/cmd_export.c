/*
 * shodo export DIR --to timesketch|csv|postgres://...
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include "cli.h"
#include "shodo/case.h"
#include "shodo/report.h"

static void help(void)
{
	printf("usage: shodo export DIR --to FORMAT [options]\n"
	       "\n"
	       "Exports the timelines of every triaged evidence item of the case folder DIR,\n"
	       "merged and sorted by time (UTC).\n"
	       "\n"
	       "  -t, --to FORMAT         timesketch: JSON Lines for Timesketch (message, datetime,\n"
	       "                            timestamp, timestamp_desc, host, evidence, source, record)\n"
	       "                          csv: one merged timeline CSV with evidence and host columns\n"
	       "                          postgres://USER@HOST/DB (or postgresql://, or a libpq\n"
	       "                            connection string): table shodo_timeline%s\n"
	       "  -o, --output FILE       where to write (- for standard output); default\n"
	       "                          DIR/exports/timeline-timesketch.jsonl or timeline-merged.csv,\n"
	       "                          recorded in custody.jsonl and SHA256SUMS\n"
	       "  -e, --evidence ID       only this evidence item\n"
	       "      --sign-key PEM      sign SHA256SUMS with this private key\n"
	       "      --json              print what was written as one JSON document\n"
	       "  -q, --quiet             only errors\n"
	       "  -h, --help              this help\n"
	       "\n"
	       "Exit status: 0 done, 1 done but an evidence database could not be read (or none\n"
	       "is triaged), 2 usage, 3 could not be done.\n",
	       shodo_export_postgres_available() ? "" : " (not in this build: no libpq)");
}

int cmd_export(int argc, char **argv)
{
	enum { O_JSON = 256, O_SIGN };
	static const struct option longopts[] = {
		{"to", required_argument, NULL, 't'},
		{"output", required_argument, NULL, 'o'},
		{"evidence", required_argument, NULL, 'e'},
		{"sign-key", required_argument, NULL, O_SIGN},
		{"json", no_argument, NULL, O_JSON},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *to = NULL;
	int json = 0, quiet = 0, c;
	shodo_export_opts o;
	memset(&o, 0, sizeof(o));
	optind = 1;
	while ((c = getopt_long(argc, argv, "t:o:e:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 't': to = optarg; break;
		case 'o': o.target = optarg; break;
		case 'e': o.evidence = optarg; break;
		case O_SIGN: o.sign_key = optarg; break;
		case O_JSON: json = 1; break;
		case 'q': quiet = 1; break;
		case 'h': help(); return 0;
		default: return cli_usage("export", "unknown option");
		}
	}
	if (optind >= argc)
		return cli_usage("export", "no case folder DIR given");
	if (argc - optind > 1)
		return cli_usage("export", "one case folder only ('%s' is extra)", argv[optind + 1]);
	if (!to)
		return cli_usage("export", "--to FORMAT is required (timesketch, csv or postgres://...)");
	if (!strcmp(to, "timesketch") || !strcmp(to, "jsonl"))
		o.format = SHODO_EXPORT_TIMESKETCH;
	else if (!strcmp(to, "csv"))
		o.format = SHODO_EXPORT_CSV;
	else if (!strncmp(to, "postgres://", 11) || !strncmp(to, "postgresql://", 13) || strchr(to, '=')) {
		if (o.target)
			return cli_usage("export", "--output does not apply to postgres");
		o.format = SHODO_EXPORT_POSTGRES;
		o.target = to;
	} else
		return cli_usage("export", "--to: '%s' is not timesketch, csv or postgres://...", to);
	if (json && o.target && !strcmp(o.target, "-"))
		return cli_usage("export", "--json and --output - both want standard output");

	cli_cmd cc;
	int rc;
	cli_cmd_console(&cc, NULL, 0, quiet);
	if ((rc = cli_cmd_open(&cc, argv[optind], NULL, 0)) != 0)
		return rc;
	if (o.target && !strcmp(o.target, "-") && o.format != SHODO_EXPORT_POSTGRES)
		o.out = stdout;
	o.kase = cc.kase;
	o.sink = &cc.sink;
	o.cancel = &cli_cancel;
	json_t *res = NULL;
	shodo_status st = shodo_export_run(&o, json ? &res : NULL, &cc.err);
	cli_cmd_close(&cc);
	if (res)
		cli_print_json(res);
	rc = cli_exit(st, &cc.err, "shodo: ");
	/* after a refusal (FATAL, USAGE) the error line stays the last one */
	if (!quiet && st != SHODO_USAGE && st != SHODO_FATAL)
		cli_print_custody_head(argv[optind]);
	return rc;
}
