build-dev/tests/helpers/hive_replay: tests/helpers/hive_replay.c \
 triage/parsers/hivelog.h
triage/parsers/hivelog.h:
