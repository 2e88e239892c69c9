build-dev/core/event.o: core/event.c include/shodo/event.h
include/shodo/event.h:
