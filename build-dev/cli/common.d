build-dev/cli/common.o: cli/common.c cli/cli.h include/shodo/status.h \
 include/shodo/event.h include/shodo/job.h
cli/cli.h:
include/shodo/status.h:
include/shodo/event.h:
include/shodo/job.h:
