build2/triage/parsers/executable.o: triage/parsers/executable.c \
 triage/parsers/putil.h triage/triage_int.h include/shodo/event.h \
 include/shodo/status.h include/shodo/triage.h include/shodo/case.h \
 triage/store.h include/shodo/hash.h
triage/parsers/putil.h:
triage/triage_int.h:
include/shodo/event.h:
include/shodo/status.h:
include/shodo/triage.h:
include/shodo/case.h:
triage/store.h:
include/shodo/hash.h:
