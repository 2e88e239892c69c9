build-dev/core/safepath.o: core/safepath.c include/shodo/safepath.h
include/shodo/safepath.h:
