build2/triage/scope/notes/strip.o: triage/scope/notes/strip.c \
 triage/scope/notes/notes_int.h triage/scope/notes/notes.h
triage/scope/notes/notes_int.h:
triage/scope/notes/notes.h:
