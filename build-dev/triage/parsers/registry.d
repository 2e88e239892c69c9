build-dev/triage/parsers/registry.o: triage/parsers/registry.c \
 triage/triage_int.h include/shodo/event.h include/shodo/status.h \
 include/shodo/triage.h include/shodo/case.h triage/store.h \
 triage/parsers/parser_list.h
triage/triage_int.h:
include/shodo/event.h:
include/shodo/status.h:
include/shodo/triage.h:
include/shodo/case.h:
triage/store.h:
triage/parsers/parser_list.h:
