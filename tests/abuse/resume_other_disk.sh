#!/bin/sh
# Mistake: resuming with another disk of the same size (a row of identical
# PCs, the wrong one in the dock).  The resume is refused (exit 3, saying
# so) before anything is changed: the image files and the state file are
# as they were.  With the right disk it finishes an image equal to it, also
# after the resume was refused once.  With --no-verify nothing else would
# have caught the image joined from two disks.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/imager/lib/imager.sh"
FIO=$PRELOAD_DIR/faultio.so
[ -f "$FIO" ] || fail "fault injector not built: $FIO"
size=$((6 * 1024 * 1024))
fat_disk "$T/A.img" $size
fat_disk "$T/B.img" $size      # the same layout, other files (random.bin differs)
cmp -s "$T/A.img" "$T/B.img" && fail "the two disks are equal"
src_hash "$T/A.img"
cp "$T/A.img" "$T/dock.img"

# the acquisition of A in the dock, killed after its first segments
FAULTIO_WRITE_MATCH="/X/image/X." FAULTIO_WRITE_KILL=2500000 FAULTIO_WRITE_DELAY_US=20000 LD_PRELOAD="$FIO" \
	"$SHODO_BIN" image "$T/dock.img" --case "$T/case" --evidence X --segment-size 1M --no-verify -q 2>/dev/null
[ $? -eq 137 ] || fail "the injector did not kill the run"
d="$T/case/X/image"
[ -f "$d/X.state.json" ] || fail "no state file"
(cd "$d" && sha256sum X.* | sort) > "$T/before"

# B in the dock
cp "$T/B.img" "$T/dock.img"
expect_exit 3 shodo image "$T/dock.img" --case "$T/case" --evidence X --resume --no-verify 2> "$T/err"
grep -q "^shodo: cannot resume: '$T/dock.img' is not the source the interrupted acquisition read (the same size, but its first MiB differs)" "$T/err" \
	|| { cat "$T/err"; fail "no message saying it is another disk"; }
grep -q "^hint: give the same disk" "$T/err" || { cat "$T/err"; fail "no hint"; }
(cd "$d" && sha256sum X.* | sort) > "$T/after"
cmp -s "$T/before" "$T/after" || { diff "$T/before" "$T/after"; fail "the refused resume changed the image or its state"; }
ok "another disk of the same size: the resume refused, nothing changed"

# A back in the dock
cp "$T/A.img" "$T/dock.img"
shodo image "$T/dock.img" --case "$T/case" --evidence X --resume --no-verify -q || fail "resume with the right disk: exit $?"
e01_check "$d/X.E01" "$T/A.img"
[ "$(json_get "$d/acquisition.json" .hashes.sha256)" = "$SRC_SUM" ] || fail "sha256 of the resumed image"
src_unchanged "$T/A.img"
(cd "$T/case" && sha256sum -c --quiet SHA256SUMS) || fail "sha256sum -c"
ok "the right disk back: the resume finishes an image equal to it"
