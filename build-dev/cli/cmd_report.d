build-dev/cli/cmd_report.o: cli/cmd_report.c cli/cli.h \
 include/shodo/status.h include/shodo/event.h include/shodo/job.h \
 include/shodo/case.h include/shodo/report.h
cli/cli.h:
include/shodo/status.h:
include/shodo/event.h:
include/shodo/job.h:
include/shodo/case.h:
include/shodo/report.h:
