build-dev/imager/verify.o: imager/verify.c imager/imager_int.h \
 include/shodo/event.h include/shodo/hash.h include/shodo/status.h \
 imager/imager_verify.h include/shodo/case.h include/shodo/imager.h \
 include/shodo/source.h include/shodo/util.h
imager/imager_int.h:
include/shodo/event.h:
include/shodo/hash.h:
include/shodo/status.h:
imager/imager_verify.h:
include/shodo/case.h:
include/shodo/imager.h:
include/shodo/source.h:
include/shodo/util.h:
