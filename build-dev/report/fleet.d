build-dev/report/fleet.o: report/fleet.c report/render.h \
 report/report_int.h triage/triage_int.h include/shodo/event.h \
 include/shodo/status.h include/shodo/triage.h include/shodo/case.h \
 triage/store.h include/shodo/hash.h include/shodo/report.h \
 include/shodo/util.h
report/render.h:
report/report_int.h:
triage/triage_int.h:
include/shodo/event.h:
include/shodo/status.h:
include/shodo/triage.h:
include/shodo/case.h:
triage/store.h:
include/shodo/hash.h:
include/shodo/report.h:
include/shodo/util.h:
