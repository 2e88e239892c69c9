build-dev/triage/parsers/gpttmpl.o: triage/parsers/gpttmpl.c \
 include/shodo/util.h include/shodo/status.h triage/parsers/regutil.h \
 triage/parsers/putil.h triage/triage_int.h include/shodo/event.h \
 include/shodo/triage.h include/shodo/case.h triage/store.h
include/shodo/util.h:
include/shodo/status.h:
triage/parsers/regutil.h:
triage/parsers/putil.h:
triage/triage_int.h:
include/shodo/event.h:
include/shodo/triage.h:
include/shodo/case.h:
triage/store.h:
