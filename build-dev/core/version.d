build-dev/core/version.o: core/version.c include/shodo/version.h
include/shodo/version.h:
