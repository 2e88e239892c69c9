build-dev/report/export.o: report/export.c report/report_int.h \
 triage/triage_int.h include/shodo/event.h include/shodo/status.h \
 include/shodo/triage.h include/shodo/case.h triage/store.h \
 report/render.h include/shodo/hash.h include/shodo/report.h \
 include/shodo/util.h /usr/include/postgresql/libpq-fe.h \
 /usr/include/postgresql/postgres_ext.h \
 /usr/include/postgresql/pg_config_ext.h
report/report_int.h:
triage/triage_int.h:
include/shodo/event.h:
include/shodo/status.h:
include/shodo/triage.h:
include/shodo/case.h:
triage/store.h:
report/render.h:
include/shodo/hash.h:
include/shodo/report.h:
include/shodo/util.h:
/usr/include/postgresql/libpq-fe.h:
/usr/include/postgresql/postgres_ext.h:
/usr/include/postgresql/pg_config_ext.h:
