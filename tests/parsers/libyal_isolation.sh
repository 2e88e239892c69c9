#!/bin/sh
# The libyal parsers are isolated at link time (Makefile, "libyal
# isolation"): each runs on its own copies of the libyal support libraries.
# Linked the ordinary way, libevtx runs on libewf's older libfvalue and every
# record of these logs fails with "unsupported type: 0x14".  Proved three
# ways: the binary exports no support-library symbol that another copy could
# bind to; it needs no shared libyal parser library; and libevtx reads every
# record of the logs that the clashing copy broke, as many as evtxexport.
. "$(dirname "$0")/../lib/common.sh"
need nm binutils
need readelf binutils
need jq jq
need evtxexport libevtx-utils

# 1. no global support-library symbol in the binary: one copy could serve another library
nm --defined-only "$SHODO_BIN" | awk '$2 ~ /^[A-Z]$/ { print $3 }' |
	grep -E '^lib(bfio|cdata|cerror|cfile|clocale|cnotify|cpath|csplit|cthreads|fcache|fdata|fdatetime|fguid|fvalue|fwevt|una)_' > shared.txt
[ -s shared.txt ] && fail "support-library symbols are global in the binary: $(head -3 shared.txt | tr '\n' ' ')"
ok "no libyal support-library symbol is global in the binary"

# 2. each parser library's API is in the binary itself, not in a shared library
for l in libevtx libevt libregf libscca libesedb; do
	nm --defined-only "$SHODO_BIN" | grep -q " T ${l}_get_version$\| T ${l}_error_free$" || fail "$l is not linked into the binary"
	readelf -d "$SHODO_BIN" | grep -q "NEEDED.*\[$l\.so" && fail "$l is loaded as a shared library"
done
ok "libevtx, libevt, libregf, libscca and libesedb are linked in, isolated"

# 3. the logs whose records the clashing libfvalue copy could not read
need_corpus
E=$CORPUS/evtx/deepbluecli/evtx
n=0
for f in eventlog-dac metasploit-sysmon mimikatz-privilegedebug-tokenelevate-hashdump sliver-sysmon; do
	[ -f "$E/$f.evtx" ] || fail "corpus file missing: $E/$f.evtx"
	shodo parse --json --tables evtx_stats "$E/$f.evtx" > "$f.json" 2> "$f.err"; rc=$?
	[ $rc -le 1 ] || { cat "$f.err"; fail "shodo parse $f: exit $rc"; }
	grep -q "unsupported type" "$f.json" "$f.err" && fail "$f: $(jq -r '.files[0].message' "$f.json")"
	want=$(evtxexport "$E/$f.evtx" 2>/dev/null | grep -c '^Event number')
	got=$(jq -r '.files[0].evtx_stats[0] | "\(.parsed) \(.errors)"' "$f.json")
	[ "$got" = "$want 0" ] || fail "$f: parsed/errors $got, evtxexport reads $want records"
	n=$((n + want))
done
ok "libevtx reads all $n records of the four logs the clashing copy broke, as evtxexport does"
