#!/bin/sh
# Attack or damage: an E01 whose first bytes (the EWF signature) are
# overwritten.  It must never be read as a raw image (a "hash mismatch" or a
# triage of garbage): verify and triage say the E01 header is damaged and
# exit 3.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/imager/lib/imager.sh"
fat_disk "$T/src.img" 4194304
src_hash "$T/src.img"
shodo image "$T/src.img" --case "$T/case" --evidence A -q || fail "image"
mkdir -p "$T/set"; cp "$T/case/A/image/"* "$T/set/"; chmod u+w "$T/set"/*
printf 'XXXXXXXX' | dd of="$T/set/A.E01" bs=1 count=8 conv=notrunc 2>/dev/null
for cmd in verify triage; do
	if [ $cmd = verify ]; then "$SHODO_BIN" verify "$T/set/A.E01" >"$T/out" 2>"$T/err"
	else "$SHODO_BIN" triage "$T/set/A.E01" --case "$T/tcase" --evidence T -q >"$T/out" 2>"$T/err"; fi
	rc=$?
	[ $rc -eq 3 ] || { cat "$T/out" "$T/err"; fail "$cmd: expected exit 3, got $rc"; }
	grep -q "mismatch" "$T/out" "$T/err" && fail "$cmd: reported as a hash mismatch (read as raw)"
	grep -q "^shodo: .*'.*A.E01'.*EWF signature is damaged" "$T/err" || { cat "$T/err"; fail "$cmd: message"; }
	grep -q "^hint: " "$T/err" || fail "$cmd: no hint"
done
[ ! -e "$T/tcase/T" ] || fail "triage created T from a damaged E01"
# a damaged section header (the signature intact) is an EWF error, not raw either
cp "$T/case/A/image/A.E01" "$T/set/A.E01"; chmod u+w "$T/set/A.E01"
printf 'garbagegarbage!!' | dd of="$T/set/A.E01" bs=1 seek=13 conv=notrunc 2>/dev/null
expect_exit 3 shodo verify "$T/set/A.E01" >/dev/null 2>"$T/err"
grep -q "mismatch" "$T/err" && fail "damaged section read as raw"
grep -q "'.*A.E01'" "$T/err" || { cat "$T/err"; fail "damaged section: file not named"; }
src_unchanged "$T/src.img"
ok "a damaged E01 header is said, never read as raw"
