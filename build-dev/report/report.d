build-dev/report/report.o: report/report.c report/render.h \
 report/report_int.h triage/triage_int.h include/shodo/event.h \
 include/shodo/status.h include/shodo/triage.h include/shodo/case.h \
 triage/store.h include/shodo/util.h
report/render.h:
report/report_int.h:
triage/triage_int.h:
include/shodo/event.h:
include/shodo/status.h:
include/shodo/triage.h:
include/shodo/case.h:
triage/store.h:
include/shodo/util.h:
