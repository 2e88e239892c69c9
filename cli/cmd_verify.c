/*
 * shodo verify PATH — an E01 (first segment), a raw image with its
 * acquisition.json, or a case folder.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>
#include "shodo/json.h"
#include "cli.h"
#include "shodo/imager.h"
#include "shodo/job.h"

static void help(FILE *fp)
{
	fputs("usage: shodo verify PATH [--pubkey PEM] [--anchor HEAD] [--threads N] [--json] [-v|-q]\n"
	      "\n"
	      "PATH is an E01 image (first segment), a raw image with its acquisition.json\n"
	      "beside it, or a case folder.  Images are read back and their MD5, SHA-1 and\n"
	      "SHA-256 compared with the hashes stored in the image and in acquisition.json.\n"
	      "A case folder is checked against SHA256SUMS, its custody chain, the sha256\n"
	      "custody recorded for each file, unfinished images and, with --pubkey, the\n"
	      "signature SHA256SUMS.sig (RSA, ECDSA or Ed25519).  --anchor HEAD checks that\n"
	      "the chain still holds the entry whose head an earlier command printed (or\n"
	      "the handover sheet carries): removed or edited custody entries are caught\n"
	      "even when SHA256SUMS was rewritten.\n"
	      "exit status: 0 everything matches; 1 a mismatch (one line says which);\n"
	      "2 usage error; 3 the image or folder cannot be read.\n",
	      fp);
}

typedef struct run_arg {
	shodo_verify_opts *o;
	json_t *doc;
} run_arg;

static shodo_status run(void *arg, const shodo_sink *sink, shodo_cancel *cancel, shodo_err *err)
{
	run_arg *r = arg;
	r->o->sink = sink;
	r->o->cancel = cancel;
	return shodo_image_verify(r->o, &r->doc, err);
}

int cmd_verify(int argc, char **argv)
{
	enum { O_PUB = 256, O_THR, O_JSON, O_ANCHOR };
	static const struct option lo[] = {
		{"pubkey", required_argument, 0, O_PUB},
		{"anchor", required_argument, 0, O_ANCHOR},
		{"threads", required_argument, 0, O_THR},
		{"json", no_argument, 0, O_JSON},
		{"verbose", no_argument, 0, 'v'},
		{"quiet", no_argument, 0, 'q'},
		{"help", no_argument, 0, 'h'},
		{0, 0, 0, 0},
	};
	shodo_verify_opts o;
	memset(&o, 0, sizeof(o));
	int json = 0, verbose = 0, quiet = 0, ch;
	char *end;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "vqh", lo, NULL)) != -1) {
		switch (ch) {
		case O_PUB: o.pubkey = optarg; break;
		case O_ANCHOR: o.anchor = optarg; break;
		case O_THR:
			o.threads = (int)strtol(optarg, &end, 10);
			if (*end || o.threads < 1 || o.threads > 64)
				return cli_usage("verify", "bad thread count '%s' (1-64)", optarg);
			break;
		case O_JSON: json = 1; break;
		case 'v': verbose = 1; break;
		case 'q': quiet = 1; break;
		case 'h': help(stdout); return 0;
		default: return cli_usage("verify", "unknown option");
		}
	}
	if (optind >= argc)
		return cli_usage("verify", "no image or case folder given");
	if (argc - optind > 1)
		return cli_usage("verify", "one path at a time");
	o.path = argv[optind];

	cli_cmd cc;
	cli_cmd_console(&cc, "verify", verbose, quiet);
	cli_cmd_open(&cc, NULL, NULL, 0);
	run_arg r = {&o, NULL};
	shodo_status st = cli_run_job("verify", run, &r, &cc.sink, &cc.err);
	cli_cmd_close(&cc);
	if (json && r.doc) {
		json_incref(r.doc);
		cli_print_json(r.doc);
	} else if (r.doc && !quiet) {
		json_t *c = json_object_get(r.doc, "computed");
		if (c) {
			printf("%s: %s (%s, %lld bytes)\n", o.path, shodo_json_str(r.doc, "result", ""), shodo_json_str(r.doc, "kind", ""),
			       (long long)json_integer_value(json_object_get(r.doc, "size")));
			static const char *const k[3] = {"md5", "sha1", "sha256"};
			for (int i = 0; i < 3; i++)
				if (*shodo_json_str(c, k[i], ""))
					printf("  %-7s %s\n", k[i], shodo_json_str(c, k[i], ""));
			json_t *pm = json_object_get(r.doc, "computed_padded_media");
			if (pm) {
				printf("  the E01 stores the media padded with %lld zero bytes to whole sectors; its hashes:\n",
				       (long long)json_integer_value(json_object_get(pm, "padding_bytes")));
				for (int i = 0; i < 2; i++)
					if (*shodo_json_str(pm, k[i], ""))
						printf("  %-7s %s (padded media)\n", k[i], shodo_json_str(pm, k[i], ""));
			}
		} else {
			json_t *h = json_object_get(r.doc, "custody_head");
			printf("%s: %s (%lld files ok, signature %s)\n", o.path, shodo_json_str(r.doc, "result", ""),
			       (long long)json_integer_value(json_object_get(r.doc, "files_ok")),
			       shodo_json_str(r.doc, "signature", ""));
			printf("  custody head %s (%lld entries)\n", shodo_json_str(h, "sha256", ""),
			       (long long)json_integer_value(json_object_get(h, "entries")));
		}
	}
	json_decref(r.doc);
	return cli_exit(st, &cc.err, "shodo: verify: ");
}
