#include <stdio.h>
#include "cli.h"

/* placeholder until the image engine lands: fails loudly, never pretends */
int cmd_image(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "shodo: image: not implemented yet\n");
	return 3;
}
