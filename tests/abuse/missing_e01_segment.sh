#!/bin/sh
# Mistake: an E01 set with a segment missing or cut short (a copy that did
# not finish, a file left behind).  verify (exit 3) and triage (which reads
# what it can, exit 1, or exit 3 creating nothing when it can read nothing)
# name the missing or short segment and say what to do, instead of libewf's
# internal message.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/imager/lib/imager.sh"
fat_disk "$T/src.img" 6291456
src_hash "$T/src.img"
shodo image "$T/src.img" --case "$T/case" --evidence A --segment-size 1M --compression none -q || fail "image"
d="$T/case/A/image"
[ -e "$d/A.E04" ] || fail "setup: expected at least 4 segments"
mkdir -p "$T/set"; cp "$d"/A.E0? "$T/set/"; chmod u+w "$T/set"/*
last=$(ls "$T/set"/A.E0? | tail -n 1); lastname=$(basename "$last")

check() {  # WHAT NAME-EXPECTED TEXT
	# verify cannot verify an incomplete set: exit 3, naming the segment
	"$SHODO_BIN" verify "$T/set/A.E01" >/dev/null 2>"$T/err"
	rc=$?
	[ $rc -eq 3 ] || { cat "$T/err"; fail "$1, verify: expected exit 3, got $rc"; }
	grep -q "^shodo: .*$2'" "$T/err" || { cat "$T/err"; fail "$1, verify: '$2' is not named"; }
	grep -q "$3" "$T/err" || { cat "$T/err"; fail "$1, verify: does not say '$3'"; }
	grep -q "^hint: .*restore" "$T/err" || { cat "$T/err"; fail "$1, verify: no hint"; }
	grep -q "libmfdata\|libewf_" "$T/err" && { cat "$T/err"; fail "$1, verify: libewf's internal message shown"; }
	# triage reads what can be read (exit 1) and names the segment with what to do
	rm -rf "$T/tcase"
	"$SHODO_BIN" triage "$T/set/A.E01" --case "$T/tcase" --evidence T -q >/dev/null 2>"$T/err"
	rc=$?
	[ $rc -eq 1 ] || [ $rc -eq 3 ] || { cat "$T/err"; fail "$1, triage: expected exit 1 or 3, got $rc"; }
	grep -q "$2'.*$3\|$3.*$2'" "$T/err" || { cat "$T/err"; fail "$1, triage: '$2' not named"; }
	grep -q "restore" "$T/err" || { cat "$T/err"; fail "$1, triage: not said what to do"; }
	if [ $rc -eq 1 ]; then
		grep -q "$2'" "$T/tcase/T/triage/triage.log" || fail "$1, triage: not in triage.log"
	else
		[ ! -e "$T/tcase/T" ] || { cat "$T/err"; fail "$1: a triage that read nothing created T"; }
	fi
}
# a middle segment missing
mv "$T/set/A.E03" "$T/E03.away"
ewfverify -q "$T/set/A.E01" </dev/null >/dev/null 2>&1 && fail "ewfverify accepts a set without E03?"
check "E03 missing" A.E03 "is missing"
mv "$T/E03.away" "$T/set/A.E03"
# the last segment missing
mv "$last" "$T/last.away"
check "last missing" "$lastname" "missing"
mv "$T/last.away" "$last"
# a segment cut short
truncate -s 300000 "$T/set/A.E02"
check "E02 truncated" A.E02 "truncated"
src_unchanged "$T/src.img"
ok "missing and truncated segments are named with what to do"
