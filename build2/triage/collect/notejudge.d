build2/triage/collect/notejudge.o: triage/collect/notejudge.c \
 triage/collect/collect.h triage/triage_int.h include/shodo/event.h \
 include/shodo/status.h include/shodo/triage.h include/shodo/case.h \
 triage/store.h include/shodo/hash.h triage/scope/notes/notes.h
triage/collect/collect.h:
triage/triage_int.h:
include/shodo/event.h:
include/shodo/status.h:
include/shodo/triage.h:
include/shodo/case.h:
triage/store.h:
include/shodo/hash.h:
triage/scope/notes/notes.h:
