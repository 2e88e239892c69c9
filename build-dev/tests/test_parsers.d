build-dev/tests/test_parsers: tests/unit/test_parsers.c tests/unit/unit.h \
 triage/parsers/hivelog.h triage/parsers/putil.h triage/triage_int.h \
 include/shodo/event.h include/shodo/status.h include/shodo/triage.h \
 include/shodo/case.h triage/store.h triage/parsers/regutil.h \
 triage/parsers/putil.h triage/parsers/evtxlib.h
tests/unit/unit.h:
triage/parsers/hivelog.h:
triage/parsers/putil.h:
triage/triage_int.h:
include/shodo/event.h:
include/shodo/status.h:
include/shodo/triage.h:
include/shodo/case.h:
triage/store.h:
triage/parsers/regutil.h:
triage/parsers/putil.h:
triage/parsers/evtxlib.h:
