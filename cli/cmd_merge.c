/*
 * shodo merge DEST SRC... — one case folder from the case folders of many
 * sticks or responders.  The sources are only read.
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
	puts("usage: shodo merge DEST SRC... [options]\n"
	     "\n"
	     "Brings the evidence items (SRC/ID/image, SRC/ID/triage) of other case folders\n"
	     "into the case folder DEST, creating it when needed.  Each source must have an\n"
	     "intact custody chain; each item's files are read once, read-only, and must match\n"
	     "the source's SHA256SUMS and the hashes its custody recorded.  The items, their\n"
	     "custody entries and the merge itself are recorded in DEST's custody.jsonl, and\n"
	     "DEST's SHA256SUMS is refreshed.  An item already in DEST with the same files is\n"
	     "left as it is, so the merge can be repeated as more sticks come in; the same ID\n"
	     "with other content is refused.  The sources are never changed.\n"
	     "Afterwards, 'shodo report DEST' rebuilds the fleet view.\n"
	     "\n"
	     "      --case-number N     case number of DEST when it is created (default: the\n"
	     "                          first source's)\n"
	     "      --examiner NAME     who merges (default: DEST's or the first source's examiner)\n"
	     "      --sign-key PEM      sign DEST's SHA256SUMS with this private key\n"
	     "      --json              print the result as one JSON document\n"
	     "  -q, --quiet             only errors\n"
	     "  -v, --verbose           say what is copied\n"
	     "  -h, --help              this help\n"
	     "\n"
	     "Exit status: 0 every item merged or already present, 1 an item or a source was\n"
	     "refused (the others were merged; one line each says why), 2 usage, 3 DEST could\n"
	     "not be written.");
}

static const char *first_meta(const char *src, const char *key, char *out, size_t outsz)
{
	char p[4200];
	snprintf(p, sizeof(p), "%s/case.json", src);
	json_t *j = json_load_file(p, 0, NULL);
	json_t *v = j ? json_object_get(j, key) : NULL;
	out[0] = '\0';
	if (json_is_string(v))
		snprintf(out, outsz, "%s", json_string_value(v));
	json_decref(j);
	return out[0] ? out : NULL;
}

int cmd_merge(int argc, char **argv)
{
	enum { O_JSON = 256, O_SIGN, O_CASENO, O_EXAMINER };
	static const struct option longopts[] = {
		{"case-number", required_argument, NULL, O_CASENO},
		{"examiner", required_argument, NULL, O_EXAMINER},
		{"sign-key", required_argument, NULL, O_SIGN},
		{"json", no_argument, NULL, O_JSON},
		{"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int json = 0, quiet = 0, verbose = 0, c;
	const char *sign = NULL, *caseno = NULL, *examiner = NULL;
	optind = 1;
	while ((c = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
		switch (c) {
		case O_JSON: json = 1; break;
		case O_SIGN: sign = optarg; break;
		case O_CASENO: caseno = optarg; break;
		case O_EXAMINER: examiner = optarg; break;
		case 'q': quiet = 1; break;
		case 'v': verbose = 1; break;
		case 'h': help(); return 0;
		default: return cli_usage("merge", "unknown option");
		}
	}
	if (argc - optind < 1)
		return cli_usage("merge", "no destination case folder DEST given");
	if (argc - optind < 2)
		return cli_usage("merge", "no source case folder SRC given");
	const char *dest = argv[optind];
	char cn[256], ex[256];
	shodo_case_meta meta = {
		.case_number = caseno ? caseno : first_meta(argv[optind + 1], "case_number", cn, sizeof(cn)),
		.examiner = examiner ? examiner : first_meta(dest, "examiner", ex, sizeof(ex)),
	};
	if (!meta.examiner)
		meta.examiner = first_meta(argv[optind + 1], "examiner", ex, sizeof(ex));
	cli_cmd cc;
	int rc;
	cli_cmd_console(&cc, NULL, verbose, quiet);
	if ((rc = cli_cmd_open(&cc, dest, &meta, 1)) != 0)
		return rc;
	shodo_merge_opts o = {
		.dest = cc.kase,
		.sources = (const char *const *)argv + optind + 1,
		.nsources = argc - optind - 1,
		.sign_key = sign,
		.sink = &cc.sink,
		.cancel = &cli_cancel,
	};
	json_t *res = NULL;
	shodo_status st = shodo_merge_run(&o, &res, &cc.err);
	cli_cmd_close(&cc);
	if (json && res) {
		cli_print_json(res);
		res = NULL;
	} else if (res && !quiet) {
		printf("%lld merged, %lld already present, %lld refused (%s copied) into %s\n",
		       (long long)json_integer_value(json_object_get(res, "merged")),
		       (long long)json_integer_value(json_object_get(res, "present")),
		       (long long)json_integer_value(json_object_get(res, "refused")),
		       json_string_value(json_object_get(res, "size")), dest);
	}
	json_decref(res);
	rc = cli_exit(st, &cc.err, "shodo: ");
	/* after a refusal (FATAL, USAGE) the error line stays the last one */
	if (!quiet && st != SHODO_USAGE && st != SHODO_FATAL)
		cli_print_custody_head(dest);
	return rc;
}
