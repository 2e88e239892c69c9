build-dev/cli/cmd_devices.o: cli/cmd_devices.c cli/cli.h \
 include/shodo/status.h include/shodo/event.h include/shodo/job.h \
 include/shodo/devices.h include/shodo/util.h
cli/cli.h:
include/shodo/status.h:
include/shodo/event.h:
include/shodo/job.h:
include/shodo/devices.h:
include/shodo/util.h:
