build2/triage/collect/isolate.o: triage/collect/isolate.c \
 triage/collect/collect.h triage/triage_int.h include/shodo/event.h \
 include/shodo/status.h include/shodo/triage.h include/shodo/case.h \
 triage/store.h
triage/collect/collect.h:
triage/triage_int.h:
include/shodo/event.h:
include/shodo/status.h:
include/shodo/triage.h:
include/shodo/case.h:
triage/store.h:
