build-dev/cli/cmd_image.o: cli/cmd_image.c cli/cli.h \
 include/shodo/status.h include/shodo/event.h include/shodo/job.h \
 include/shodo/hash.h include/shodo/imager.h include/shodo/util.h
cli/cli.h:
include/shodo/status.h:
include/shodo/event.h:
include/shodo/job.h:
include/shodo/hash.h:
include/shodo/imager.h:
include/shodo/util.h:
