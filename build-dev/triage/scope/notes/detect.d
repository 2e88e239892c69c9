build-dev/triage/scope/notes/detect.o: triage/scope/notes/detect.c \
 triage/scope/notes/notes.h
triage/scope/notes/notes.h:
