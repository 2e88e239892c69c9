build-dev/cli/cmd_triage.o: cli/cmd_triage.c cli/cli.h \
 include/shodo/status.h include/shodo/event.h include/shodo/job.h \
 include/shodo/case.h include/shodo/devices.h include/shodo/triage.h \
 include/shodo/util.h
cli/cli.h:
include/shodo/status.h:
include/shodo/event.h:
include/shodo/job.h:
include/shodo/case.h:
include/shodo/devices.h:
include/shodo/triage.h:
include/shodo/util.h:
