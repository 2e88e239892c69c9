/*
 * shodo parse FILE... — runs the triage parsers on loose files (an event
 * log, a prefetch file, a hive, ntds.dit, GptTmpl.inf) and prints what they
 * extracted, without a case folder (include/shodo/parse.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "shodo/parse.h"

static void usage(FILE *fp)
{
	fprintf(fp,
	        "usage: shodo parse FILE|DIR... [--json] [--category C] [--db PATH] [--tables LIST]\n"
	        "\n"
	        "Runs the triage parsers on loose files (directories are walked) and prints what\n"
	        "they found.\n"
	        "\n"
	        "  --json            print one JSON document with every file's rows\n"
	        "  --category C      treat every FILE as category C (evtx, evt, prefetch, registry,\n"
	        "                    account_db, policy, ransom_note); default: from the name and content\n"
	        "  --db PATH         keep the results in the SQLite store PATH (created or appended)\n"
	        "  --tables LIST     tables to print (comma list; default: all that have rows)\n"
	        "  -v, --verbose     say what each parser did\n"
	        "  -q, --quiet       errors only\n"
	        "  -h, --help        this text\n"
	        "\n"
	        "Exit status: 0 every file parsed, 1 a file failed or was parsed in part, 2 usage,\n"
	        "3 the store could not be opened.\n");
}

/* the text for a person: each file's grade, message and summary lines */
static void print_text(json_t *doc)
{
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(doc, "files"), i, f) {
		const char *parser = shodo_json_str(f, "parser", NULL), *message = shodo_json_str(f, "message", NULL);
		printf("%s: %s%s%s%s\n", shodo_json_str(f, "file", ""), shodo_json_str(f, "status", ""), parser ? " (" : "",
		       parser ? parser : "", parser ? ")" : "");
		if (message)
			printf("  %s\n", message);
		size_t k;
		json_t *line;
		json_array_foreach(json_object_get(f, "summary"), k, line)
			printf("  %s\n", json_string_value(line));
	}
}

int cmd_parse(int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},     {"category", required_argument, NULL, 'c'},
		{"db", required_argument, NULL, 'd'}, {"tables", required_argument, NULL, 't'},
		{"verbose", no_argument, NULL, 'v'},  {"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},     {NULL, 0, NULL, 0},
	};
	int json = 0, verbose = 0, quiet = 0, c;
	const char *tables_arg = NULL;
	shodo_parse_opts o = {0};
	while ((c = getopt_long(argc, argv, "vqh", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'c': o.category = optarg; break;
		case 'd': o.db = optarg; break;
		case 't': tables_arg = optarg; break;
		case 'v': verbose = 1; break;
		case 'q': quiet = 1; break;
		case 'h': usage(stdout); return 0;
		default: return cli_usage("parse", "unknown option");
		}
	}
	if (optind >= argc)
		return cli_usage("parse", "no FILE given");
	const char *tables[32];
	char *tcopy = NULL;
	if (tables_arg) {
		int n = 0;
		tcopy = strdup(tables_arg);
		for (char *sv = NULL, *t = tcopy ? strtok_r(tcopy, ",", &sv) : NULL; t && n < 31; t = strtok_r(NULL, ",", &sv))
			tables[n++] = t;
		tables[n] = NULL;
		o.tables = tables;
	}
	o.paths = (const char *const *)argv + optind;
	o.no_rows = !json; /* the text output prints the summaries only */
	o.npaths = (size_t)(argc - optind);

	cli_console con;
	cli_console_init(&con, verbose, quiet);
	shodo_sink sink = {cli_console_fn, &con, NULL, 0};
	shodo_sink_start(&sink);
	cli_install_signals();
	o.sink = &sink;
	o.cancel = &cli_cancel;
	shodo_err err;
	shodo_err_clear(&err);
	json_t *doc = NULL;
	shodo_status st = shodo_parse_run(&o, &doc, &err);
	cli_console_finish(&con);
	free(tcopy);
	if (st == SHODO_USAGE)
		return cli_usage("parse", "%s", err.msg);
	if (!doc)
		return cli_fail(&err);
	if (json) {
		/* the summary lines are for the text output */
		size_t i;
		json_t *f;
		json_array_foreach(json_object_get(doc, "files"), i, f)
			json_object_del(f, "summary");
		cli_print_json(doc);
	} else {
		print_text(doc);
		json_decref(doc);
	}
	return st == SHODO_OK ? 0 : 1;
}
