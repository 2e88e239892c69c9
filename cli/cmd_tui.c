#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "tui/tui.h"

int cmd_tui(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: shodo tui [IMAGE-FILE...]\n       shodo            (on a terminal)\n\n"
		       "The ncurses front end: the disks (with partitions, file systems and the Windows\n"
		       "host found on them) and the image files given; a destination, the case and\n"
		       "evidence details and the options; a confirmation; then triage and image jobs,\n"
		       "several at once, with progress, cancel and resume; the results (hashes,\n"
		       "verification, the triage findings); and review of existing case folders.\n"
		       "Keyboard only: F1 or ? shows the keys of every screen; Esc goes back.\n"
		       "Needs a terminal of at least 64x18 (the console's 80x25 is the reference).\n");
		return 0;
	}
	if (!isatty(0) || !isatty(1)) {
		fprintf(stderr, "shodo: tui: needs a terminal\n");
		return 2;
	}
	return tui_main((const char *const *)argv + 1, argc > 1 ? argc - 1 : 0);
}
