build-dev/triage/posture/posture.o: triage/posture/posture.c \
 include/shodo/util.h include/shodo/status.h triage/posture/posture_int.h \
 triage/triage_int.h include/shodo/event.h include/shodo/triage.h \
 include/shodo/case.h triage/store.h
include/shodo/util.h:
include/shodo/status.h:
triage/posture/posture_int.h:
triage/triage_int.h:
include/shodo/event.h:
include/shodo/triage.h:
include/shodo/case.h:
triage/store.h:
