build-dev/core/hash.o: core/hash.c include/shodo/hash.h \
 include/shodo/status.h
include/shodo/hash.h:
include/shodo/status.h:
