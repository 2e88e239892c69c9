#!/bin/sh
# Mistake: imaging a 150 MiB source onto a 20 MiB destination.  shodo refuses
# before writing anything (exit 3, free and needed bytes, a hint), leaves no
# image behind, and --force tries anyway and stops cleanly with a resumable
# state when the disk fills.  An empty (compressible) source of the same size
# fits and is imaged.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/imager/lib/imager.sh"
[ "$(id -u)" = 0 ] || skip "mounting a small tmpfs needs root"
head -c 157286400 /dev/urandom > "$T/src.bin"
src_hash "$T/src.bin"
mkdir -p "$T/dest"
mount -t tmpfs -o size=20m tmpfs "$T/dest" || skip "cannot mount a tmpfs"
trap 'umount "$T/dest" 2>/dev/null' EXIT

"$SHODO_BIN" image "$T/src.bin" --case "$T/dest/case" --evidence A >/dev/null 2>"$T/err"
rc=$?
[ $rc -eq 3 ] || { cat "$T/err"; fail "expected exit 3, got $rc"; }
grep -q "^shodo: not enough free space for the image in '.*': [0-9]* bytes free, the image needs about [0-9]* ([0-9]* at most)" "$T/err" \
	|| { cat "$T/err"; fail "message"; }
grep -q "^hint: .*--force" "$T/err" || fail "no hint"
ls "$T/dest/case/A/image/"* >/dev/null 2>&1 && fail "a refused run left image files"
# raw too
expect_exit 3 shodo image "$T/src.bin" --case "$T/dest/case" --evidence A --format raw 2>/dev/null

# --force: tries, stops cleanly at the full disk with a resumable state
"$SHODO_BIN" image "$T/src.bin" --case "$T/dest/case" --evidence B --force --segment-size 4M >/dev/null 2>"$T/err"
rc=$?
[ $rc -eq 3 ] || { cat "$T/err"; fail "--force on a full disk: expected exit 3, got $rc"; }
grep -q "may not fit" "$T/err" || { cat "$T/err"; fail "--force did not warn"; }
grep -q "No space left on device" "$T/err" || { cat "$T/err"; fail "the full disk is not said"; }
[ -f "$T/dest/case/B/image/B.state.json" ] || fail "no resumable state after the full disk"
[ ! -e "$T/dest/case/B/image/acquisition.json" ] || fail "a stopped image looks complete"

# a sparse (all zeros) source of the same size compresses and fits
umount "$T/dest"; mount -t tmpfs -o size=20m tmpfs "$T/dest"
truncate -s 157286400 "$T/zero.bin"
shodo image "$T/zero.bin" --case "$T/dest/case" --evidence Z -q || fail "a compressible source that fits was refused"
ewfverify -q "$T/dest/case/Z/image/Z.E01" </dev/null >/dev/null 2>&1 || fail "ewfverify"
src_unchanged "$T/src.bin"
ok "a source bigger than the destination is refused before writing"
