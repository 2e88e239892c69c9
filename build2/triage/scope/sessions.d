build2/triage/scope/sessions.o: triage/scope/sessions.c \
 triage/scope/scope.h triage/triage_int.h include/shodo/event.h \
 include/shodo/status.h include/shodo/triage.h include/shodo/case.h \
 triage/store.h
triage/scope/scope.h:
triage/triage_int.h:
include/shodo/event.h:
include/shodo/status.h:
include/shodo/triage.h:
include/shodo/case.h:
triage/store.h:
