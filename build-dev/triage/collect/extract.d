build-dev/triage/collect/extract.o: triage/collect/extract.c \
 triage/collect/collect.h triage/triage_int.h include/shodo/event.h \
 include/shodo/status.h include/shodo/triage.h include/shodo/case.h \
 triage/store.h include/shodo/hash.h include/shodo/safepath.h \
 include/shodo/util.h
triage/collect/collect.h:
triage/triage_int.h:
include/shodo/event.h:
include/shodo/status.h:
include/shodo/triage.h:
include/shodo/case.h:
triage/store.h:
include/shodo/hash.h:
include/shodo/safepath.h:
include/shodo/util.h:
