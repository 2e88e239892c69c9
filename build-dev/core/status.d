build-dev/core/status.o: core/status.c include/shodo/status.h
include/shodo/status.h:
