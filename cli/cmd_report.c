/*
 * shodo report DIR — the fleet view across all evidence items of a case.
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
	puts("usage: shodo report DIR [options]\n"
	     "\n"
	     "Rebuilds DIR/summary.txt and DIR/report.html across every triaged evidence item\n"
	     "of the case folder DIR (each DIR/ID/triage/triage.db is read, never written):\n"
	     "hosts with ransom notes and their families, the earliest and latest encryption,\n"
	     "RDP and network logon sources and accounts seen on several hosts, failed\n"
	     "logons, local accounts that share one password, posture findings.\n"
	     "Records both files in custody.jsonl and refreshes SHA256SUMS.\n"
	     "\n"
	     "Also writes DIR/handover.html, the handover sheet for the police (case, each\n"
	     "evidence item's media, hashes stored and verified, times, examiner, unreadable\n"
	     "sectors, the custody chain's head, signature status, spaces for signatures),\n"
	     "and prints it into DIR/handover.pdf with headless Chromium when installed.\n"
	     "\n"
	     "      --lang en|ja        language of the summary, the report and the handover\n"
	     "                          sheet (default en)\n"
	     "      --no-pdf            do not print handover.pdf\n"
	     "      --sign-key PEM      sign SHA256SUMS with this private key\n"
	     "      --json              print the fleet view as one JSON document\n"
	     "  -q, --quiet             do not print the summary\n"
	     "  -h, --help              this help\n"
	     "\n"
	     "Exit status: 0 done, 1 done but an evidence database could not be read\n"
	     "(or none is triaged), 2 usage, 3 could not be done.");
}

int cmd_report(int argc, char **argv)
{
	enum { O_JSON = 256, O_SIGN, O_LANG, O_NOPDF };
	static const struct option longopts[] = {
		{"lang", required_argument, NULL, O_LANG},
		{"no-pdf", no_argument, NULL, O_NOPDF},
		{"json", no_argument, NULL, O_JSON},
		{"sign-key", required_argument, NULL, O_SIGN},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int json = 0, quiet = 0, no_pdf = 0, c;
	const char *sign = NULL, *lang = NULL;
	optind = 1;
	while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
		switch (c) {
		case O_JSON: json = 1; break;
		case O_SIGN: sign = optarg; break;
		case O_LANG: lang = optarg; break;
		case O_NOPDF: no_pdf = 1; break;
		case 'q': quiet = 1; break;
		case 'h': help(); return 0;
		default: return cli_usage("report", "unknown option");
		}
	}
	if (optind >= argc)
		return cli_usage("report", "no case folder DIR given");
	if (argc - optind > 1)
		return cli_usage("report", "one case folder only ('%s' is extra)", argv[optind + 1]);
	if (lang && cli_lang(lang) < 0)
		return cli_usage("report", "--lang: '%s' is not en or ja", lang);
	cli_cmd cc;
	int rc;
	cli_cmd_console(&cc, NULL, 0, quiet);
	if ((rc = cli_cmd_open(&cc, argv[optind], NULL, 0)) != 0)
		return rc;
	json_t *res = NULL;
	shodo_report_opts ro = {.kase = cc.kase, .sign_key = sign, .sink = &cc.sink, .cancel = &cli_cancel,
	                        .no_pdf = no_pdf};
	shodo_status st = shodo_fleet_report(&ro, &res, &cc.err);
	cli_cmd_close(&cc);
	if (json && res) {
		cli_print_json(res);
		res = NULL;
	} else if (res && !quiet) {
		fputs(json_string_value(json_object_get(res, "summary")), stdout);
	}
	json_decref(res);
	rc = cli_exit(st, &cc.err, "shodo: ");
	/* after a refusal (FATAL, USAGE) the error line stays the last one */
	if (!quiet && st != SHODO_USAGE && st != SHODO_FATAL)
		cli_print_custody_head(argv[optind]);
	return rc;
}
