build-dev/triage/parsers/ransom_note.o: triage/parsers/ransom_note.c \
 include/shodo/hash.h include/shodo/status.h triage/scope/notes/notes.h \
 triage/triage_int.h include/shodo/event.h include/shodo/triage.h \
 include/shodo/case.h triage/store.h
include/shodo/hash.h:
include/shodo/status.h:
triage/scope/notes/notes.h:
triage/triage_int.h:
include/shodo/event.h:
include/shodo/triage.h:
include/shodo/case.h:
triage/store.h:
