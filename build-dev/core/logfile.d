build-dev/core/logfile.o: core/logfile.c include/shodo/logfile.h \
 include/shodo/event.h include/shodo/status.h include/shodo/util.h
include/shodo/logfile.h:
include/shodo/event.h:
include/shodo/status.h:
include/shodo/util.h:
