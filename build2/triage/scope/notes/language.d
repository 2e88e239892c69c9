build2/triage/scope/notes/language.o: triage/scope/notes/language.c \
 triage/scope/notes/notes_int.h triage/scope/notes/notes.h
triage/scope/notes/notes_int.h:
triage/scope/notes/notes.h:
