build-dev/core/source.o: core/source.c include/shodo/source.h \
 include/shodo/status.h
include/shodo/source.h:
include/shodo/status.h:
