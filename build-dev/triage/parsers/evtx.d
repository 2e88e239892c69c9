build-dev/triage/parsers/evtx.o: triage/parsers/evtx.c \
 triage/parsers/evtxlib.h triage/parsers/putil.h triage/triage_int.h \
 include/shodo/event.h include/shodo/status.h include/shodo/triage.h \
 include/shodo/case.h triage/store.h
triage/parsers/evtxlib.h:
triage/parsers/putil.h:
triage/triage_int.h:
include/shodo/event.h:
include/shodo/status.h:
include/shodo/triage.h:
include/shodo/case.h:
triage/store.h:
