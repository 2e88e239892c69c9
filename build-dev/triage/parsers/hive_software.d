build-dev/triage/parsers/hive_software.o: triage/parsers/hive_software.c \
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
