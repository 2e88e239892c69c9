build-dev/cli/cmd_verify.o: cli/cmd_verify.c cli/cli.h \
 include/shodo/status.h include/shodo/event.h include/shodo/job.h \
 include/shodo/imager.h
cli/cli.h:
include/shodo/status.h:
include/shodo/event.h:
include/shodo/job.h:
include/shodo/imager.h:
