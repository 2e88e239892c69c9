#include <stdio.h>
#include "cli.h"

/* placeholder until the triage engine lands: fails loudly, never pretends */
int cmd_triage(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "shodo: triage: not implemented yet\n");
	return 3;
}
