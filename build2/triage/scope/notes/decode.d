build2/triage/scope/notes/decode.o: triage/scope/notes/decode.c \
 triage/scope/notes/notes_int.h triage/scope/notes/notes.h
triage/scope/notes/notes_int.h:
triage/scope/notes/notes.h:
