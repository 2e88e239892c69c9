build-dev/imager/badlist.o: imager/badlist.c imager/imager_int.h \
 include/shodo/event.h include/shodo/hash.h include/shodo/status.h
imager/imager_int.h:
include/shodo/event.h:
include/shodo/hash.h:
include/shodo/status.h:
