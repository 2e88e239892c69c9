#include <stdio.h>
#include "cli.h"

/* placeholder until the report engine lands: fails loudly, never pretends */
int cmd_report(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "shodo: report: not implemented yet\n");
	return 3;
}
