build-dev/core/job.o: core/job.c include/shodo/job.h \
 include/shodo/status.h include/shodo/event.h
include/shodo/job.h:
include/shodo/status.h:
include/shodo/event.h:
