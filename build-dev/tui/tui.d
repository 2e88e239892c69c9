build-dev/tui/tui.o: tui/tui.c tui/tui.h include/shodo/event.h \
 include/shodo/status.h include/shodo/devices.h include/shodo/job.h \
 include/shodo/logfile.h include/shodo/util.h
tui/tui.h:
include/shodo/event.h:
include/shodo/status.h:
include/shodo/devices.h:
include/shodo/job.h:
include/shodo/logfile.h:
include/shodo/util.h:
