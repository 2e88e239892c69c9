build-dev/cli/cmd_parse.o: cli/cmd_parse.c cli/cli.h \
 include/shodo/status.h include/shodo/event.h include/shodo/job.h \
 triage/triage_int.h include/shodo/triage.h include/shodo/case.h \
 triage/store.h
cli/cli.h:
include/shodo/status.h:
include/shodo/event.h:
include/shodo/job.h:
triage/triage_int.h:
include/shodo/triage.h:
include/shodo/case.h:
triage/store.h:
