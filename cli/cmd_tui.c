#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "tui/tui.h"

int cmd_tui(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: shodo tui [IMAGE-FILE...]\n       shodo            (on a terminal)\n\n"
		       "The ncurses front end: lists block devices (and the image files given), starts\n"
		       "acquisition ('i') and triage ('t') jobs into a case folder, several at once,\n"
		       "shows their progress and log, cancels them ('x').\n");
		return 0;
	}
	if (!isatty(0) || !isatty(1)) {
		fprintf(stderr, "shodo: tui: needs a terminal\n");
		return 2;
	}
	return tui_main((const char *const *)argv + 1, argc > 1 ? argc - 1 : 0);
}
