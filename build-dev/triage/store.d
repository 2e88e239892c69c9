build-dev/triage/store.o: triage/store.c triage/store.h \
 include/shodo/status.h
triage/store.h:
include/shodo/status.h:
