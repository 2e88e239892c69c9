build-dev/triage/parsers/hivelog.o: triage/parsers/hivelog.c \
 triage/parsers/hivelog.h
triage/parsers/hivelog.h:
