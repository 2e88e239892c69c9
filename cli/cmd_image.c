/*
 * shodo image SOURCE --case DIR --evidence ID [metadata] [options]
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "cli.h"
#include "shodo/hash.h"
#include "shodo/imager.h"
#include "shodo/job.h"
#include "shodo/util.h"

static void help(FILE *fp)
{
	fputs("usage: shodo image SOURCE --case DIR --evidence ID [metadata] [options]\n"
	      "\n"
	      "Acquires SOURCE (a block device or an image file) into DIR/ID/image/:\n"
	      "ID.E01, .E02 ... (or a raw image), the log ID.E01.txt and acquisition.json,\n"
	      "with custody entries and a refreshed SHA256SUMS in the case folder.\n"
	      "\n"
	      "metadata (E01 header and logs):\n"
	      "  --case-number N  --evidence-number N  --examiner NAME\n"
	      "  --description TEXT  --notes TEXT\n"
	      "options:\n"
	      "  --format e01|raw        image format (default e01)\n"
	      "  --compression none|fast|best   E01 compression (default fast)\n"
	      "  --segment-size SIZE     segment size, e.g. 2G (E01 default 2G; raw: split\n"
	      "                          into .001, .002 ... only when given)\n"
	      "  --hash LIST             md5,sha1,sha256 (default all three)\n"
	      "  --threads N             worker threads (default: all cores)\n"
	      "  --no-verify             do not read the image back after writing\n"
	      "  --verify-all            read back recomputing every digest, not only\n"
	      "                          the strongest (SHA-256)\n"
	      "  --resume                continue an interrupted acquisition\n"
	      "  --retries N             retries of a failing read (default 2)\n"
	      "  --buffered              read a block device through the page cache\n"
	      "                          (default: O_DIRECT, past it)\n"
	      "  --force                 image a source that is mounted read-write\n"
	      "  --sign-key PEM          sign SHA256SUMS with this private key\n"
	      "  --json                  print acquisition.json on stdout\n"
	      "  -v, --verbose  -q, --quiet  -h, --help\n"
	      "exit status: 0 done and verified; 1 unreadable sectors or verification\n"
	      "mismatch; 2 usage error; 3 source or destination unusable.\n",
	      fp);
}

typedef struct run_arg {
	shodo_image_opts *o;
	json_t *doc;
} run_arg;

static shodo_status run(void *arg, const shodo_sink *sink, shodo_cancel *cancel, shodo_err *err)
{
	run_arg *r = arg;
	r->o->sink = sink;
	r->o->cancel = cancel;
	return shodo_image_acquire(r->o, &r->doc, err);
}

int cmd_image(int argc, char **argv)
{
	enum { O_CASE = 256, O_EVID, O_CNUM, O_ENUM, O_EXAM, O_DESC, O_NOTES, O_FMT, O_COMP, O_SEG, O_HASH,
	       O_THR, O_NOVER, O_VERALL, O_RESUME, O_RETRY, O_FORCE, O_JSON, O_KEY, O_DIRECT, O_BUFFERED };
	static const struct option lo[] = {
		{"case", required_argument, 0, O_CASE},
		{"evidence", required_argument, 0, O_EVID},
		{"case-number", required_argument, 0, O_CNUM},
		{"evidence-number", required_argument, 0, O_ENUM},
		{"examiner", required_argument, 0, O_EXAM},
		{"description", required_argument, 0, O_DESC},
		{"notes", required_argument, 0, O_NOTES},
		{"format", required_argument, 0, O_FMT},
		{"compression", required_argument, 0, O_COMP},
		{"segment-size", required_argument, 0, O_SEG},
		{"hash", required_argument, 0, O_HASH},
		{"threads", required_argument, 0, O_THR},
		{"no-verify", no_argument, 0, O_NOVER},
		{"verify-all", no_argument, 0, O_VERALL},
		{"resume", no_argument, 0, O_RESUME},
		{"retries", required_argument, 0, O_RETRY},
		{"force", no_argument, 0, O_FORCE},
		{"direct", no_argument, 0, O_DIRECT},
		{"buffered", no_argument, 0, O_BUFFERED},
		{"json", no_argument, 0, O_JSON},
		{"sign-key", required_argument, 0, O_KEY},
		{"verbose", no_argument, 0, 'v'},
		{"quiet", no_argument, 0, 'q'},
		{"help", no_argument, 0, 'h'},
		{0, 0, 0, 0},
	};
	shodo_image_opts o;
	shodo_image_opts_init(&o);
	int json = 0, verbose = 0, quiet = 0, nover = 0, verall = 0, ch;
	char *end;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "vqh", lo, NULL)) != -1) {
		switch (ch) {
		case O_CASE: o.case_dir = optarg; break;
		case O_EVID: o.evidence_id = optarg; break;
		case O_CNUM: o.case_number = optarg; o.given |= SHODO_IMAGE_GIVEN_META; break;
		case O_ENUM: o.evidence_number = optarg; o.given |= SHODO_IMAGE_GIVEN_META; break;
		case O_EXAM: o.examiner = optarg; o.given |= SHODO_IMAGE_GIVEN_META; break;
		case O_DESC: o.description = optarg; o.given |= SHODO_IMAGE_GIVEN_META; break;
		case O_NOTES: o.notes = optarg; o.given |= SHODO_IMAGE_GIVEN_META; break;
		case O_FMT:
			o.given |= SHODO_IMAGE_GIVEN_FORMAT;
			if (!strcmp(optarg, "e01") || !strcmp(optarg, "E01"))
				o.format = SHODO_IMAGE_E01;
			else if (!strcmp(optarg, "raw"))
				o.format = SHODO_IMAGE_RAW;
			else
				return cli_usage("image", "unknown format '%s' (use e01 or raw)", optarg);
			break;
		case O_COMP:
			o.given |= SHODO_IMAGE_GIVEN_COMPRESSION;
			if (!strcmp(optarg, "none"))
				o.compression = SHODO_COMPRESS_NONE;
			else if (!strcmp(optarg, "fast"))
				o.compression = SHODO_COMPRESS_FAST;
			else if (!strcmp(optarg, "best"))
				o.compression = SHODO_COMPRESS_BEST;
			else
				return cli_usage("image", "unknown compression '%s' (use none, fast or best)", optarg);
			break;
		case O_SEG:
			o.given |= SHODO_IMAGE_GIVEN_SEGMENT;
			o.segment_size = shodo_parse_size(optarg);
			if (!o.segment_size)
				return cli_usage("image", "bad segment size '%s' (e.g. 2G, 640M)", optarg);
			break;
		case O_HASH:
			o.given |= SHODO_IMAGE_GIVEN_HASHES;
			o.hashes = shodo_hash_parse_list(optarg);
			if (!o.hashes)
				return cli_usage("image", "bad hash list '%s' (use md5,sha1,sha256)", optarg);
			break;
		case O_THR:
			o.threads = (int)strtol(optarg, &end, 10);
			if (*end || o.threads < 1 || o.threads > 64)
				return cli_usage("image", "bad thread count '%s' (1-64)", optarg);
			break;
		case O_NOVER: nover = 1; break;
		case O_VERALL: verall = 1; break;
		case O_RESUME: o.resume = 1; break;
		case O_RETRY:
			o.retries = (int)strtol(optarg, &end, 10);
			if (*end || o.retries < 0 || o.retries > 100)
				return cli_usage("image", "bad retry count '%s' (0-100)", optarg);
			break;
		case O_FORCE: o.force = 1; break;
		case O_DIRECT: o.direct = 1; break;
		case O_BUFFERED: o.direct = 0; break;
		case O_JSON: json = 1; break;
		case O_KEY: o.sign_key = optarg; break;
		case 'v': verbose = 1; break;
		case 'q': quiet = 1; break;
		case 'h': help(stdout); return 0;
		default: return cli_usage("image", "unknown option");
		}
	}
	if (nover && verall)
		return cli_usage("image", "--no-verify and --verify-all exclude each other");
	o.verify = nover ? 0 : verall ? 2 : 1;
	if (optind >= argc)
		return cli_usage("image", "no source given");
	if (argc - optind > 1)
		return cli_usage("image", "one source at a time (got '%s' and '%s')", argv[optind], argv[optind + 1]);
	o.source = argv[optind];
	if (!o.case_dir)
		return cli_usage("image", "--case DIR is required");
	if (!o.evidence_id)
		return cli_usage("image", "--evidence ID is required");

	cli_cmd cc;
	cli_cmd_console(&cc, o.evidence_id, verbose, quiet);
	cli_cmd_open(&cc, NULL, NULL, 0);
	run_arg r = {&o, NULL};
	shodo_status st = cli_run_job(o.evidence_id, run, &r, &cc.sink, &cc.err);
	cli_cmd_close(&cc);
	if (json && r.doc)
		cli_print_json(r.doc);
	else
		json_decref(r.doc);
	if (st == SHODO_OK && !quiet && !json)
		fprintf(stderr, "shodo: image: done: %s/%s/image\n", o.case_dir, o.evidence_id);
	int rc = cli_exit(st, &cc.err, "shodo: image: ");
	/* after a refusal (FATAL, USAGE) the error line stays the last one */
	if (!quiet && st != SHODO_USAGE && st != SHODO_FATAL)
		cli_print_custody_head(o.case_dir);
	return rc;
}
