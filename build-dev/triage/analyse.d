build-dev/triage/analyse.o: triage/analyse.c triage/triage_int.h \
 include/shodo/event.h include/shodo/status.h include/shodo/triage.h \
 include/shodo/case.h triage/store.h
triage/triage_int.h:
include/shodo/event.h:
include/shodo/status.h:
include/shodo/triage.h:
include/shodo/case.h:
triage/store.h:
