build-dev/report/render.o: report/render.c report/render.h \
 include/shodo/util.h include/shodo/status.h
report/render.h:
include/shodo/util.h:
include/shodo/status.h:
