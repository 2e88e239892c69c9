build-dev/triage/scope/scope.o: triage/scope/scope.c triage/scope/scope.h \
 triage/triage_int.h include/shodo/event.h include/shodo/status.h \
 include/shodo/triage.h include/shodo/case.h triage/store.h \
 triage/parsers/putil.h include/shodo/util.h
triage/scope/scope.h:
triage/triage_int.h:
include/shodo/event.h:
include/shodo/status.h:
include/shodo/triage.h:
include/shodo/case.h:
triage/store.h:
triage/parsers/putil.h:
include/shodo/util.h:
