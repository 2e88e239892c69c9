/*
 * shodo — forensic imaging and triage.  Command dispatch.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"
#include "shodo/version.h"

struct cmd {
	const char *name;
	int (*fn)(int, char **);
	const char *help;
};

static const struct cmd commands[] = {
	{"devices", cmd_devices, "list block devices and what is on them"},
	{"image", cmd_image, "acquire a device or image file into an E01 or raw image"},
	{"verify", cmd_verify, "recompute and compare an image's hashes, or check a case folder"},
	{"triage", cmd_triage, "collect and analyse Windows artifacts from a disk or image"},
	{"report", cmd_report, "rebuild the case-wide summary.txt and report.html"},
	{"merge", cmd_merge, "bring the evidence items of other case folders into one case"},
	{"export", cmd_export, "export the timeline (timesketch, csv, postgres)"},
	{"parse", cmd_parse, "run the artifact parsers on loose files (evtx, prefetch, hives, ...)"},
	{"tui", cmd_tui, "the ncurses front end (also: shodo with no arguments on a terminal)"},
};

static void usage(FILE *fp)
{
	fprintf(fp, "usage: shodo <command> [options]\n       shodo --version | --help\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(fp, "  %-9s %s\n", commands[i].name, commands[i].help);
	fprintf(fp, "\n'shodo <command> --help' describes a command; 'man shodo' has the details.\n");
}

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	/* the case folder holds SAM/NTDS copies: nothing we create is for others */
	umask(077);
	if (argc < 2) {
		if (isatty(0) && isatty(1))
			return cmd_tui(argc, argv);
		usage(stderr);
		return 2;
	}
	const char *c = argv[1];
	if (!strcmp(c, "--version") || !strcmp(c, "-V")) {
		fputs(shodo_version_long(), stdout);
		return 0;
	}
	if (!strcmp(c, "--help") || !strcmp(c, "-h") || !strcmp(c, "help")) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(c, commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "shodo: '%s' is not a shodo command\n", c);
	usage(stderr);
	return 2;
}
