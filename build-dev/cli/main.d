build-dev/cli/main.o: cli/main.c cli/cli.h include/shodo/status.h \
 include/shodo/event.h include/shodo/job.h include/shodo/version.h
cli/cli.h:
include/shodo/status.h:
include/shodo/event.h:
include/shodo/job.h:
include/shodo/version.h:
