build-dev/triage/parsers/putil.o: triage/parsers/putil.c \
 include/shodo/util.h include/shodo/status.h triage/parsers/putil.h \
 triage/triage_int.h include/shodo/event.h include/shodo/triage.h \
 include/shodo/case.h triage/store.h
include/shodo/util.h:
include/shodo/status.h:
triage/parsers/putil.h:
triage/triage_int.h:
include/shodo/event.h:
include/shodo/triage.h:
include/shodo/case.h:
triage/store.h:
