build-dev/triage/parsers/evt.o: triage/parsers/evt.c include/shodo/util.h \
 include/shodo/status.h triage/parsers/putil.h triage/triage_int.h \
 include/shodo/event.h include/shodo/triage.h include/shodo/case.h \
 triage/store.h
include/shodo/util.h:
include/shodo/status.h:
triage/parsers/putil.h:
triage/triage_int.h:
include/shodo/event.h:
include/shodo/triage.h:
include/shodo/case.h:
triage/store.h:
