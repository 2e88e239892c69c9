build-dev/imager/pipeline.o: imager/pipeline.c imager/imager_int.h \
 include/shodo/event.h include/shodo/hash.h include/shodo/status.h
imager/imager_int.h:
include/shodo/event.h:
include/shodo/hash.h:
include/shodo/status.h:
