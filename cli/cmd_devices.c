#include <stdio.h>
#include "cli.h"

/* placeholder until the devices engine lands: fails loudly, never pretends */
int cmd_devices(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "shodo: devices: not implemented yet\n");
	return 3;
}
