build2/cli/common.o: cli/common.c cli/cli.h include/shodo/status.h \
 include/shodo/event.h include/shodo/job.h include/shodo/case.h
cli/cli.h:
include/shodo/status.h:
include/shodo/event.h:
include/shodo/job.h:
include/shodo/case.h:
