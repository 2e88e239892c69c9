build-dev/tui/jobs.o: tui/jobs.c tui/tui.h include/shodo/event.h \
 include/shodo/status.h include/shodo/case.h include/shodo/imager.h \
 include/shodo/triage.h
tui/tui.h:
include/shodo/event.h:
include/shodo/status.h:
include/shodo/case.h:
include/shodo/imager.h:
include/shodo/triage.h:
