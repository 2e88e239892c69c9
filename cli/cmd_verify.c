#include <stdio.h>
#include "cli.h"

/* placeholder until the verify engine lands: fails loudly, never pretends */
int cmd_verify(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "shodo: verify: not implemented yet\n");
	return 3;
}
