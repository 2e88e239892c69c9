build2/triage/scope/notes/ioc.o: triage/scope/notes/ioc.c \
 triage/scope/notes/notes_int.h triage/scope/notes/notes.h
triage/scope/notes/notes_int.h:
triage/scope/notes/notes.h:
