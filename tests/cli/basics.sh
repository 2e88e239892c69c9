# The command-line contract every subcommand shares (SPEC "One program").
. "$SHODO_TOP/tests/lib/common.sh"
# the reference for the libewf version
need ewfinfo ewf-tools

shodo --version > v.txt || fail "--version exited $?"
for lib in "shodo 0." libewf libtsk OpenSSL libevtx libregf libscca; do
	grep -q "$lib" v.txt || fail "--version does not name $lib"
done
ok "--version names shodo and every library"
# versions are the linked libraries', not made up
grep -q "libewf $(ewfinfo -V | sed -n 's/^ewfinfo \([0-9]*\).*/\1/p')" v.txt || fail "libewf version differs from ewfinfo's"

shodo --help > h.txt || fail "--help exited $?"
for c in devices image verify triage report export; do
	grep -q "^  $c " h.txt || fail "--help does not list $c"
	"$SHODO_BIN" "$c" --help > "help-$c.txt" 2>&1 || fail "shodo $c --help exited $?"
	grep -qi "usage: shodo $c" "help-$c.txt" || fail "shodo $c --help has no usage line"
done

expect_exit 2 shodo frobnicate 2>err.txt
grep -q "^shodo: 'frobnicate' is not a shodo command" err.txt || fail "unknown command message: $(head -1 err.txt)"
ok "the libewf version is the linked one (ewfinfo's); --help and unknown commands"
# no arguments and no terminal: usage, exit 2 (the TUI needs a terminal)
expect_exit 2 shodo </dev/null >/dev/null 2>&1
ok "cli basics"
