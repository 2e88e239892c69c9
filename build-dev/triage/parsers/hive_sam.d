build-dev/triage/parsers/hive_sam.o: triage/parsers/hive_sam.c \
 triage/parsers/regutil.h triage/parsers/putil.h triage/triage_int.h \
 include/shodo/event.h include/shodo/status.h include/shodo/triage.h \
 include/shodo/case.h triage/store.h
triage/parsers/regutil.h:
triage/parsers/putil.h:
triage/triage_int.h:
include/shodo/event.h:
include/shodo/status.h:
include/shodo/triage.h:
include/shodo/case.h:
triage/store.h:
