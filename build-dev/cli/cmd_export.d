build-dev/cli/cmd_export.o: cli/cmd_export.c cli/cli.h \
 include/shodo/status.h include/shodo/event.h include/shodo/job.h \
 include/shodo/case.h include/shodo/report.h
cli/cli.h:
include/shodo/status.h:
include/shodo/event.h:
include/shodo/job.h:
include/shodo/case.h:
include/shodo/report.h:
