#include <stdio.h>
#include "cli.h"

/* placeholder until the tui engine lands: fails loudly, never pretends */
int cmd_tui(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "shodo: tui: not implemented yet\n");
	return 3;
}
