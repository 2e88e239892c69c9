build-dev/cli/cmd_tui.o: cli/cmd_tui.c cli/cli.h include/shodo/status.h \
 include/shodo/event.h include/shodo/job.h tui/tui.h
cli/cli.h:
include/shodo/status.h:
include/shodo/event.h:
include/shodo/job.h:
tui/tui.h:
