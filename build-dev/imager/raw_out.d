build-dev/imager/raw_out.o: imager/raw_out.c imager/imager_out.h \
 imager/imager_int.h include/shodo/event.h include/shodo/hash.h \
 include/shodo/status.h
imager/imager_out.h:
imager/imager_int.h:
include/shodo/event.h:
include/shodo/hash.h:
include/shodo/status.h:
