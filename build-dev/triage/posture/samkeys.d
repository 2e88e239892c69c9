build-dev/triage/posture/samkeys.o: triage/posture/samkeys.c \
 triage/posture/posture_int.h triage/triage_int.h include/shodo/event.h \
 include/shodo/status.h include/shodo/triage.h include/shodo/case.h \
 triage/store.h
triage/posture/posture_int.h:
triage/triage_int.h:
include/shodo/event.h:
include/shodo/status.h:
include/shodo/triage.h:
include/shodo/case.h:
triage/store.h:
