build-dev/triage/parsers/mam.o: triage/parsers/mam.c triage/parsers/mam.h \
 triage/triage_int.h include/shodo/event.h include/shodo/status.h \
 include/shodo/triage.h include/shodo/case.h triage/store.h
triage/parsers/mam.h:
triage/triage_int.h:
include/shodo/event.h:
include/shodo/status.h:
include/shodo/triage.h:
include/shodo/case.h:
triage/store.h:
