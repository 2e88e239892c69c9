# make install honours PREFIX and DESTDIR, installs the binary and every man
# page, and the installed binary runs; make uninstall removes them again.
. "$SHODO_TOP/tests/lib/common.sh"
need make make
B=$(basename "$SHODO_BUILD")
make -s -C "$SHODO_TOP" BUILD="$B" install DESTDIR="$T/root" PREFIX=/opt/shodo > install.log 2>&1 || fail "make install: $(tail -5 install.log)"
[ -x "$T/root/opt/shodo/bin/shodo" ] || fail "binary not installed under DESTDIR/PREFIX"
for m in "$SHODO_TOP"/docs/*.1; do
	[ -f "$T/root/opt/shodo/share/man/man1/$(basename "$m")" ] || fail "$(basename "$m") not installed"
done
"$T/root/opt/shodo/bin/shodo" --version | grep -q "^shodo " || fail "installed binary does not run"
# the Japanese catalog is installed and found by the installed program
[ -f "$T/root/opt/shodo/share/locale/ja/LC_MESSAGES/shodo.mo" ] || fail "ja catalog not installed"
"$HELPERS/fake_triage" "$T/case" EV1 1 || fail "fake_triage"
"$T/root/opt/shodo/bin/shodo" report "$T/case" -q --no-pdf --lang ja || fail "installed shodo report --lang ja"
grep -q "^脅迫文: " "$T/case/summary.txt" || fail "installed program did not find its Japanese catalog"
MANPATH="$T/root/opt/shodo/share/man" man -w shodo-image >/dev/null 2>&1 || skip_part "man -w cannot find shodo-image (man-db not set up); files checked directly"
make -s -C "$SHODO_TOP" BUILD="$B" uninstall DESTDIR="$T/root" PREFIX=/opt/shodo > uninstall.log 2>&1 || fail "make uninstall"
[ ! -e "$T/root/opt/shodo/bin/shodo" ] || fail "uninstall left the binary"
[ -z "$(find "$T/root" -type f)" ] || fail "uninstall left files: $(find "$T/root" -type f | head -3)"
ok "install"
