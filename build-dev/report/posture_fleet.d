build-dev/report/posture_fleet.o: report/posture_fleet.c \
 include/shodo/hash.h include/shodo/status.h include/shodo/posture.h \
 triage/posture/posture_int.h triage/triage_int.h include/shodo/event.h \
 include/shodo/triage.h include/shodo/case.h triage/store.h
include/shodo/hash.h:
include/shodo/status.h:
include/shodo/posture.h:
triage/posture/posture_int.h:
triage/triage_int.h:
include/shodo/event.h:
include/shodo/triage.h:
include/shodo/case.h:
triage/store.h:
