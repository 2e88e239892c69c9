build-dev/triage/collect/collect.o: triage/collect/collect.c \
 triage/collect/collect.h triage/triage_int.h include/shodo/event.h \
 include/shodo/status.h include/shodo/triage.h include/shodo/case.h \
 triage/store.h triage/scope/scope.h include/shodo/hash.h \
 include/shodo/util.h
triage/collect/collect.h:
triage/triage_int.h:
include/shodo/event.h:
include/shodo/status.h:
include/shodo/triage.h:
include/shodo/case.h:
triage/store.h:
triage/scope/scope.h:
include/shodo/hash.h:
include/shodo/util.h:
