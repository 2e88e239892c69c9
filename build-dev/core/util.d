build-dev/core/util.o: core/util.c include/shodo/util.h \
 include/shodo/status.h
include/shodo/util.h:
include/shodo/status.h:
