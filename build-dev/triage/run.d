build-dev/triage/run.o: triage/run.c triage/collect/collect.h \
 triage/triage_int.h include/shodo/event.h include/shodo/status.h \
 include/shodo/triage.h include/shodo/case.h triage/store.h \
 include/shodo/devices.h include/shodo/hash.h include/shodo/logfile.h \
 include/shodo/util.h include/shodo/version.h
triage/collect/collect.h:
triage/triage_int.h:
include/shodo/event.h:
include/shodo/status.h:
include/shodo/triage.h:
include/shodo/case.h:
triage/store.h:
include/shodo/devices.h:
include/shodo/hash.h:
include/shodo/logfile.h:
include/shodo/util.h:
include/shodo/version.h:
