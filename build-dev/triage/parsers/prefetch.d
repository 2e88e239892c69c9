build-dev/triage/parsers/prefetch.o: triage/parsers/prefetch.c \
 include/shodo/util.h include/shodo/status.h triage/parsers/mam.h \
 triage/triage_int.h include/shodo/event.h include/shodo/triage.h \
 include/shodo/case.h triage/store.h triage/parsers/putil.h \
 triage/parsers/regutil.h
include/shodo/util.h:
include/shodo/status.h:
triage/parsers/mam.h:
triage/triage_int.h:
include/shodo/event.h:
include/shodo/triage.h:
include/shodo/case.h:
triage/store.h:
triage/parsers/putil.h:
triage/parsers/regutil.h:
