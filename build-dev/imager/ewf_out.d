build-dev/imager/ewf_out.o: imager/ewf_out.c imager/imager_int.h \
 include/shodo/event.h include/shodo/hash.h include/shodo/status.h \
 imager/imager_out.h include/shodo/imager.h
imager/imager_int.h:
include/shodo/event.h:
include/shodo/hash.h:
include/shodo/status.h:
imager/imager_out.h:
include/shodo/imager.h:
