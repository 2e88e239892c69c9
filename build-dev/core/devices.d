build-dev/core/devices.o: core/devices.c include/shodo/devices.h \
 include/shodo/status.h
include/shodo/devices.h:
include/shodo/status.h:
