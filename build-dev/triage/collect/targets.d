build-dev/triage/collect/targets.o: triage/collect/targets.c \
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
