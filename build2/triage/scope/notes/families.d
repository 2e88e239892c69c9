build2/triage/scope/notes/families.o: triage/scope/notes/families.c \
 triage/scope/notes/notes_int.h triage/scope/notes/notes.h
triage/scope/notes/notes_int.h:
triage/scope/notes/notes.h:
