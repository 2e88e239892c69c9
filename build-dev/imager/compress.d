build-dev/imager/compress.o: imager/compress.c imager/imager_int.h \
 include/shodo/event.h include/shodo/hash.h include/shodo/status.h \
 include/shodo/imager.h
imager/imager_int.h:
include/shodo/event.h:
include/shodo/hash.h:
include/shodo/status.h:
include/shodo/imager.h:
