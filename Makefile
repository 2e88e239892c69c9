# shodo — forensic imaging and triage kit.  Plain GNU make; see `make list`.
#
# Sources are picked up by wildcard: a new file in core/, imager/, triage/ (and
# triage/parsers/), cli/ or tui/ needs no Makefile change.

PREFIX   ?= /usr/local
DESTDIR  ?=
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man
LOCALEDIR ?= $(PREFIX)/share/locale
CC       ?= cc
VERSION  := 0.1.0
BUILD    ?= build
V        ?= 0
Q        := $(if $(filter 1,$(V)),,@)

PKGS     := libewf tsk openssl jansson sqlite3 blkid libudev ncursesw libisal libdeflate zlib libgvc expat
# libyal parsers, each isolated at link time (see "libyal isolation" below)
YAL      := libevtx libevt libregf libscca libesedb
# optional: PostgreSQL export (shodo export --to postgres://...) when libpq-dev is installed
ifeq ($(shell pkg-config --exists libpq 2>/dev/null && echo 1),1)
PKGS     += libpq
PQ_DEF   := -DSHODO_HAVE_LIBPQ
endif
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) $(YAL) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
YAL_LIBDIR := $(shell pkg-config --variable=libdir libevtx 2>/dev/null)
BFIO_LIBDIR := $(shell pkg-config --variable=libdir libbfio 2>/dev/null)

WARN     := -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wno-unused-parameter -Wno-format-truncation -Wvla -Wpointer-arith -Wundef
CFLAGS   ?= -O2 -g
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -pthread $(WARN) \
            -Iinclude -Icore -I. -DSHODO_VERSION='"$(VERSION)"' $(PKG_CFLAGS) $(CFLAGS) $(SAN)
LDLIBS   := $(PKG_LIBS) -lstdc++ -lpthread -lm
ALL_LDFLAGS := -pthread $(LDFLAGS) $(SAN)

ALL_CFLAGS += $(PQ_DEF) -DSHODO_LOCALEDIR='"$(LOCALEDIR)"'

# Translations of the reports: po/<lang>.po, compiled by msgfmt (gettext)
LANGS    := $(basename $(notdir $(wildcard po/*.po)))
MO       := $(LANGS:%=$(BUILD)/locale/%/LC_MESSAGES/shodo.mo)

ifeq ($(DEVELOPER),1)
ALL_CFLAGS += -Werror
endif

LIB_SRC  := $(shell find core imager triage report -name "*.c" | LC_ALL=C sort)
CLI_SRC  := $(wildcard cli/*.c tui/*.c)
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
YAL_OBJ  := $(YAL:%=$(BUILD)/yal/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
HELPER_SRC := $(wildcard tests/helpers/*.c)
HELPER_BIN := $(HELPER_SRC:tests/helpers/%.c=$(BUILD)/tests/helpers/%)
PRELOAD_SRC := $(wildcard tests/preload/*.c)
PRELOAD_SO  := $(PRELOAD_SRC:tests/preload/%.c=$(BUILD)/tests/preload/%.so)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/tests/fuzz/%)
DEPS     := $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_BIN:=.d) $(HELPER_BIN:=.d) $(FUZZ_BIN:=.d)

.PHONY: pot all deps check check-asan check-all check-unit install uninstall clean list example bench fuzz

## all: build ./shodo (default)
all: shodo

shodo: $(BUILD)/shodo $(MO)
	$(Q)ln -sf $(BUILD)/shodo shodo

$(BUILD)/locale/%/LC_MESSAGES/shodo.mo: po/%.po
	@mkdir -p $(dir $@)
	@echo "  MSGFMT  $@"
	$(Q)msgfmt --check -o $@ $<

## pot: refresh po/shodo.pot from the sources (then: msgmerge -U po/ja.po po/shodo.pot)
pot:
	$(Q)xgettext --from-code=UTF-8 -k_ -kN_ -c -s --package-name=shodo -o po/shodo.pot report/*.c

$(BUILD)/shodo: $(CLI_OBJ) $(BUILD)/libshodo.a
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libshodo.a $(LDLIBS)

$(BUILD)/libshodo.a: $(LIB_OBJ) $(YAL_OBJ)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

# libyal isolation.  Debian's libyal libraries each carry and export their
# own copies of the support libraries (libcdata, libfvalue, libuna, libbfio
# ...), of different ages; linked side by side, one copy serves them all and
# libevtx on libewf's older libfvalue fails on records with value types that
# copy lacks ("unsupported type: 0x1a").  So each library's static archive,
# with libbfio's, is linked into one relocatable object whose only global
# symbols are the library's own API (libevtx_*): its support copies are local
# to it.  tests/parsers/libyal_isolation.sh proves it on the built binary.
$(BUILD)/yal/%.o: $(YAL_LIBDIR)/%.a
	@mkdir -p $(dir $@)
	@echo "  YAL     $@"
	$(Q)$(LD) -r -o $@.tmp --whole-archive $< --no-whole-archive $(BFIO_LIBDIR)/libbfio.a && \
	    objcopy --wildcard --keep-global-symbol='$*_*' $@.tmp $@ && rm -f $@.tmp

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c tests/unit/unit.h $(BUILD)/libshodo.a
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -Itests/unit -MMD -MP -o $@ $< $(BUILD)/libshodo.a $(ALL_LDFLAGS) $(LDLIBS)

$(BUILD)/tests/helpers/%: tests/helpers/%.c $(BUILD)/libshodo.a
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -o $@ $< $(BUILD)/libshodo.a $(ALL_LDFLAGS) $(LDLIBS)

# Fuzz targets linked with the regression driver: ordinary test programs
# that replay seeds and deterministic mutations (tests/fuzz/regress.sh).
$(BUILD)/tests/fuzz/%: tests/fuzz/%.c tests/fuzz/regression_driver.c $(BUILD)/libshodo.a
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -o $@ $< tests/fuzz/regression_driver.c $(BUILD)/libshodo.a $(ALL_LDFLAGS) $(LDLIBS)

# LD_PRELOAD fault injectors are never built with sanitizers: they are loaded
# into the program under test, ahead of the sanitizer runtime.
$(BUILD)/tests/preload/%.so: tests/preload/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE -O2 -g -Wall -fPIC -shared -o $@ $< -ldl

# The report pages' libraries, inlined at build time from Debian's libjs-*
# packages (report/assets.c); DataTables' stylesheet loses its image
# references, since the pages load nothing.
JSDIR    ?= /usr/share/javascript
ASSET_SRC := $(JSDIR)/jquery/jquery.min.js $(JSDIR)/jquery-datatables/jquery.dataTables.min.js \
             $(JSDIR)/chart.js/chart.min.js $(JSDIR)/jquery-datatables/css/jquery.dataTables.min.css report/page.js
$(ASSET_SRC):
	@echo "shodo: '$@' is missing: run 'make deps' (libjs-jquery, libjs-jquery-datatables, libjs-chart.js)" >&2; exit 3
$(BUILD)/report/datatables.css: $(JSDIR)/jquery-datatables/css/jquery.dataTables.min.css
	@mkdir -p $(dir $@)
	$(Q)sed 's/url([^)]*)/none/g' $< > $@
$(BUILD)/report/assets.o: $(ASSET_SRC) $(BUILD)/report/datatables.css
$(BUILD)/report/assets.o: ALL_CFLAGS += -DSHODO_ASSET_JQUERY='"$(JSDIR)/jquery/jquery.min.js"' \
	-DSHODO_ASSET_DATATABLES='"$(JSDIR)/jquery-datatables/jquery.dataTables.min.js"' \
	-DSHODO_ASSET_CHARTJS='"$(JSDIR)/chart.js/chart.min.js"' \
	-DSHODO_ASSET_DATATABLES_CSS='"$(CURDIR)/$(BUILD)/report/datatables.css"' \
	-DSHODO_ASSET_PAGE='"$(CURDIR)/report/page.js"'

-include $(DEPS)

## deps: install the Debian packages needed to build and test (root)
deps:
	$(Q)sh .ci/install-deps

## check: build and run every test (unit, CLI, end-to-end against peer tools)
check: all $(UNIT_BIN) $(HELPER_BIN) $(PRELOAD_SO) $(FUZZ_BIN)
	$(Q)SHODO_BUILD=$(BUILD) sh tests/run

## check-asan: the whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer
check-asan:
	$(Q)ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=1:abort_on_error=0 \
	    LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    $(MAKE) --no-print-directory BUILD=build-asan CFLAGS="-O1 -g -fno-omit-frame-pointer" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined" check

## check-all: what CI runs: check with the stick's boot test (root, QEMU), then check-asan
# The boot test builds the lite image and boots it twice under emulation
# (tests/live/stick.sh); tests/run starts it first so that the rest of the
# suite runs beside it.  Under check-asan it passes at once when the same
# sources already passed it (the stick carries the ordinary build).
check-all:
	$(Q)SHODO_LIVE_TEST=1 $(MAKE) --no-print-directory check
	$(Q)SHODO_LIVE_TEST=1 $(MAKE) --no-print-directory check-asan

## check-unit: only the C unit tests
check-unit: all $(UNIT_BIN)
	$(Q)SHODO_BUILD=$(BUILD) SHODO_TESTS=unit sh tests/run

## example: image and triage a small generated disk into ./example-case
example: all
	$(Q)sh tests/lib/example.sh

## fuzz: build libFuzzer targets with clang into build-fuzz/ (run: build-fuzz/fuzz_parsers tests/fuzz/seeds/fuzz_parsers)
fuzz:
	$(Q)$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang CFLAGS="-O1 -g -Wno-unknown-warning-option" \
	    SAN="-fsanitize=address,undefined,fuzzer-no-link" build-fuzz/libshodo.a
	$(Q)for f in $(FUZZ_SRC) tests/fuzz/fswalk_fuzz.c; do n=$$(basename $$f .c); echo "  FUZZ    build-fuzz/$$n"; \
	    clang $(ALL_CFLAGS) -Wno-unknown-warning-option -fsanitize=address,undefined,fuzzer -o build-fuzz/$$n $$f \
	    build-fuzz/libshodo.a $(LDLIBS) || exit 1; done

## bench: run the benchmarks in bench/ (slow; prints ratios against peer tools)
bench: all
	$(Q)for b in bench/*.sh; do sh $$b || exit 1; done

## install: install shodo and its man pages under $(DESTDIR)$(PREFIX)
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 0755 $(BUILD)/shodo $(DESTDIR)$(BINDIR)/shodo
	install -m 0644 docs/*.1 $(DESTDIR)$(MANDIR)/man1/
	for l in $(LANGS); do install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES && \
	    install -m 0644 $(BUILD)/locale/$$l/LC_MESSAGES/shodo.mo $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/; done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/shodo
	for l in $(LANGS); do rm -f $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/shodo.mo; done
	cd $(DESTDIR)$(MANDIR)/man1 && rm -f $(notdir $(wildcard docs/*.1))

clean:
	rm -rf build build-asan build-fuzz shodo

## list: show the documented targets
list:
	@grep -E '^## ' Makefile | sed 's/^## /  /'

# --- the live USB stick (live-image/README.md) --------------------------------
# Building and testing the stick needs root and a Debian 12 machine whose apt
# sources reach a Debian mirror.
VARIANT ?= full
IMAGE   ?= shodo-live-$(VARIANT).img
.PHONY: deb live-image live-usb live-test

## deb: the Debian package of shodo (installs into /usr) in build/deb/
deb: all
	$(Q)rm -rf $(BUILD)/deb/root
	$(Q)$(MAKE) --no-print-directory install DESTDIR=$(CURDIR)/$(BUILD)/deb/root PREFIX=/usr >/dev/null
	$(Q)sh live-image/mkdeb.sh $(BUILD) $(VERSION)

## live-image: the stick's image (root): make live-image [VARIANT=full|lite] [IMAGE=file.img]
live-image: deb
	$(Q)sh live-image/build.sh --variant $(VARIANT) --deb "$$(ls $(BUILD)/deb/shodo_*.deb)" $(IMAGE)

## live-usb: write the image to a stick and grow its case partition (root): make live-usb DEV=/dev/sdX
live-usb:
	$(Q)sh live-image/write-usb.sh $(IMAGE) $(DEV)

## live-test: boot the lite image in QEMU (BIOS and UEFI) and check it (root; builds it when needed)
live-test: deb
	$(Q)SHODO_TOP=$(CURDIR) SHODO_BUILD=$(CURDIR)/$(BUILD) SHODO_BIN=$(CURDIR)/$(BUILD)/shodo SHODO_LIVE_TEST=1 \
	    SHODO_LIVE_DEB="$$(ls $(CURDIR)/$(BUILD)/deb/shodo_*.deb)" sh tests/live/stick.sh
