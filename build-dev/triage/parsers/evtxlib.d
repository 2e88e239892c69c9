build-dev/triage/parsers/evtxlib.o: triage/parsers/evtxlib.c \
 triage/parsers/evtxlib.h
triage/parsers/evtxlib.h:
