/*
 * shodo triage SOURCE... --case DIR --evidence ID [options]
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "cli.h"
#include <sys/stat.h>
#include "shodo/case.h"
#include "shodo/devices.h"
#include "shodo/triage.h"
#include "shodo/util.h"

static void help(void)
{
	puts("usage: shodo triage SOURCE... --case DIR --evidence ID [options]\n"
	     "\n"
	     "Reads an E01 (first segment), a raw image (also split .001), or a block device\n"
	     "through The Sleuth Kit, collects the Windows artifacts of every volume into\n"
	     "DIR/ID/triage/files/, writes manifest.jsonl and triage.log, parses the\n"
	     "artifacts and answers the scoping questions (summary.txt, report.html, CSVs).\n"
	     "The source is only read.\n"
	     "\n"
	     "  -c, --case DIR          case folder (created when absent)\n"
	     "  -e, --evidence ID       evidence ID (letters, digits, '.', '_', '-')\n"
	     "      --since ISO         start of the incident window (ISO 8601, UTC unless zoned)\n"
	     "      --until ISO         end of the incident window\n"
	     "      --profile P         quick (default): logs, hives, prefetch, notes, tasks, executables\n"
	     "                          in user-writable places; full: also $MFT, $UsnJrnl:$J and every\n"
	     "                          file of the volume in the files table\n"
	     "      --no-extract        copy nothing into the case: parse temporary copies, keep hashes\n"
	     "      --volume-timeout S  stop a volume's walk after S seconds without progress (a\n"
	     "                          hostile or damaged file system) and mark it failed (300)\n"
	     "      --force             read a block device even when one of its file systems is\n"
	     "                          mounted read-write (the result is then not consistent)\n"
	     "      --examiner NAME     examiner (case.json, custody)\n"
	     "      --case-number N     case number (case.json)\n"
	     "      --sign-key PEM      sign SHA256SUMS with this private key\n"
	     "      --json              print the result as one JSON document\n"
	     "  -v, --verbose           say what is found as it is found\n"
	     "  -q, --quiet             only errors\n"
	     "  -h, --help              this help\n"
	     "\n"
	     "Exit status: 0 done, 1 done with problems (unreadable volumes or files,\n"
	     "artifacts that failed to parse), 2 usage, 3 could not be done.");
}

int cmd_triage(int argc, char **argv)
{
	enum { O_SINCE = 256, O_UNTIL, O_PROFILE, O_NOEXT, O_FORCE, O_EXAMINER, O_CASENO, O_JSON, O_SIGN, O_VTIME };
	static const struct option longopts[] = {
		{"case", required_argument, NULL, 'c'},
		{"evidence", required_argument, NULL, 'e'},
		{"since", required_argument, NULL, O_SINCE},
		{"until", required_argument, NULL, O_UNTIL},
		{"profile", required_argument, NULL, O_PROFILE},
		{"no-extract", no_argument, NULL, O_NOEXT},
		{"volume-timeout", required_argument, NULL, O_VTIME},
		{"force", no_argument, NULL, O_FORCE},
		{"examiner", required_argument, NULL, O_EXAMINER},
		{"case-number", required_argument, NULL, O_CASENO},
		{"sign-key", required_argument, NULL, O_SIGN},
		{"json", no_argument, NULL, O_JSON},
		{"verbose", no_argument, NULL, 'v'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *dir = NULL, *id = NULL, *examiner = NULL, *caseno = NULL, *sign = NULL;
	shodo_triage_opts o;
	int json = 0, verbose = 0, quiet = 0, force = 0, c;
	memset(&o, 0, sizeof(o));
	o.profile = SHODO_PROFILE_QUICK;
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:e:vqh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': dir = optarg; break;
		case 'e': id = optarg; break;
		case O_SINCE:
			if (shodo_parse_iso(optarg, &o.since) < 0)
				return cli_usage("triage", "--since: '%s' is not an ISO 8601 time", optarg);
			break;
		case O_UNTIL:
			if (shodo_parse_iso(optarg, &o.until) < 0)
				return cli_usage("triage", "--until: '%s' is not an ISO 8601 time", optarg);
			break;
		case O_PROFILE:
			if (!strcmp(optarg, "quick"))
				o.profile = SHODO_PROFILE_QUICK;
			else if (!strcmp(optarg, "full"))
				o.profile = SHODO_PROFILE_FULL;
			else
				return cli_usage("triage", "--profile: '%s' is neither quick nor full", optarg);
			break;
		case O_NOEXT: o.no_extract = 1; break;
		case O_VTIME: {
			char *end = NULL;
			double t = strtod(optarg, &end);
			if (!end || *end || !(t >= 1 && t <= 86400))
				return cli_usage("triage", "--volume-timeout: '%s' is not a number of seconds (1..86400)", optarg);
			o.volume_timeout = t;
			break;
		}
		case O_FORCE: force = 1; break;
		case O_EXAMINER: examiner = optarg; break;
		case O_CASENO: caseno = optarg; break;
		case O_SIGN: sign = optarg; break;
		case O_JSON: json = 1; break;
		case 'v': verbose = 1; break;
		case 'q': quiet = 1; break;
		case 'h': help(); return 0;
		default: return cli_usage("triage", "unknown option");
		}
	}
	if (optind >= argc)
		return cli_usage("triage", "no SOURCE given");
	if (!dir)
		return cli_usage("triage", "--case DIR is required");
	if (!id)
		return cli_usage("triage", "--evidence ID is required");
	if (!shodo_case_id_valid(id))
		return cli_usage("triage", "invalid evidence ID '%s': use 1-64 letters, digits, '.', '_' or '-'", id);

	cli_cmd cc;
	int rc;
	cli_cmd_console(&cc, NULL, verbose, quiet);
	o.sources = (const char *const *)(argv + optind);
	o.nsources = argc - optind;
	o.force = force;
	o.evidence_id = id;
	o.sign_key = sign;
	o.sink = &cc.sink;
	o.cancel = &cli_cancel;
	/* a mistake (a typo'd source, a case folder on the evidence) creates nothing */
	shodo_status st = shodo_triage_check(&o, dir, &cc.err);
	if (st != SHODO_OK) {
		cli_cmd_close(&cc);
		if (json)
			cli_print_json(json_pack("{s:s, s:s, s:s, s:s, s:[]}", "evidence", id, "status",
			                         shodo_status_name(st), "error", cc.err.msg, "hint", cc.err.hint, "volumes"));
		return cli_fail(&cc.err);
	}
	o.checked = 1;
	shodo_case_meta meta = {.case_number = caseno, .examiner = examiner};
	if ((rc = cli_cmd_open(&cc, dir, &meta, 1)) != 0)
		return rc;
	o.kase = cc.kase;
	json_t *res = NULL;
	st = shodo_triage_run(&o, json ? &res : NULL, &cc.err);
	cli_cmd_close(&cc);
	if (json && res)
		cli_print_json(res);
	else
		json_decref(res);
	rc = cli_exit(st, &cc.err, quiet ? NULL : "shodo: ");
	/* after a refusal (FATAL, USAGE) the error line stays the last one */
	if (!quiet && st != SHODO_USAGE && st != SHODO_FATAL)
		cli_print_custody_head(dir);
	return rc;
}
