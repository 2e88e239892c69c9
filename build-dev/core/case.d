build-dev/core/case.o: core/case.c include/shodo/case.h \
 include/shodo/status.h include/shodo/hash.h include/shodo/safepath.h \
 include/shodo/util.h include/shodo/version.h
include/shodo/case.h:
include/shodo/status.h:
include/shodo/hash.h:
include/shodo/safepath.h:
include/shodo/util.h:
include/shodo/version.h:
