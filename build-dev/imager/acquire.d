build-dev/imager/acquire.o: imager/acquire.c imager/imager_int.h \
 include/shodo/event.h include/shodo/hash.h include/shodo/status.h \
 imager/imager_out.h imager/imager_verify.h include/shodo/case.h \
 include/shodo/devices.h include/shodo/imager.h include/shodo/source.h \
 include/shodo/util.h include/shodo/version.h
imager/imager_int.h:
include/shodo/event.h:
include/shodo/hash.h:
include/shodo/status.h:
imager/imager_out.h:
imager/imager_verify.h:
include/shodo/case.h:
include/shodo/devices.h:
include/shodo/imager.h:
include/shodo/source.h:
include/shodo/util.h:
include/shodo/version.h:
