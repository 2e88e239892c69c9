#include <stdio.h>
#include "cli.h"

/* placeholder until the export engine lands: fails loudly, never pretends */
int cmd_export(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "shodo: export: not implemented yet\n");
	return 3;
}
