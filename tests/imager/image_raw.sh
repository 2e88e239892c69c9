#!/bin/sh
# shodo image --format raw: single file and split pieces compared with cmp,
# hashes against md5sum/sha1sum/sha256sum, shodo verify on both; an empty
# source gives a valid empty E01 and raw image.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/imager/lib/imager.sh"

fat_disk "$T/disk.img" $((9 * 1024 * 1024 + 3 * 512))
src_hash "$T/disk.img"
shodo image "$T/disk.img" --case "$T/case" --evidence R1 --format raw --examiner E -q || fail "raw single exit $?"
shodo image "$T/disk.img" --case "$T/case" --evidence R2 --format raw --segment-size 2M -q || fail "raw split exit $?"
src_unchanged "$T/disk.img"
cmp "$T/case/R1/image/R1.raw" "$T/disk.img" || fail "raw image differs"
[ "$(ls "$T/case/R2/image" | grep -c '^R2\.00[0-9]$')" = 5 ] || fail "expected 5 pieces: $(ls "$T/case/R2/image")"
[ "$(stat -c %s "$T/case/R2/image/R2.001")" = $((2 * 1024 * 1024)) ] || fail "piece size"
cat "$T/case/R2/image/R2.00"? | cmp - "$T/disk.img" || fail "split raw differs"
for id in R1 R2; do
	aj="$T/case/$id/image/acquisition.json"
	[ "$(json_get "$aj" .hashes.md5)" = "$(md5sum < "$T/disk.img" | cut -d' ' -f1)" ] || fail "$id md5"
	[ "$(json_get "$aj" .hashes.sha1)" = "$(sha1sum < "$T/disk.img" | cut -d' ' -f1)" ] || fail "$id sha1"
	[ "$(json_get "$aj" .hashes.sha256)" = "$SRC_SUM" ] || fail "$id sha256"
	[ "$(json_get "$aj" .verification.result)" = match ] || fail "$id verification"
done
[ -f "$T/case/R1/image/R1.raw.txt" ] && [ -f "$T/case/R2/image/R2.001.txt" ] || fail "raw logs missing"
expect_exit 0 shodo verify "$T/case/R1/image/R1.raw" >/dev/null
expect_exit 0 shodo verify "$T/case/R2/image/R2.001" >/dev/null
# a raw image whose bytes changed is caught
cp -r "$T/case/R1" "$T/x"; chmod -R u+w "$T/x"
printf 'Z' | dd of="$T/x/image/R1.raw" bs=1 seek=1234567 conv=notrunc 2>/dev/null
expect_exit 1 shodo verify "$T/x/image/R1.raw" >/dev/null 2>&1
(cd "$T/case" && sha256sum -c --quiet SHA256SUMS) || fail "sha256sum -c"
ok "a raw image whose bytes changed is caught"

# --hash md5,sha1 computes only those; --no-verify skips read-back
shodo image "$T/disk.img" --case "$T/case" --evidence H1 --hash md5,sha1 --no-verify -q || fail "hash subset"
aj="$T/case/H1/image/acquisition.json"
[ "$(json_get "$aj" .hashes.sha256)" = null ] || fail "sha256 computed although not asked"
[ "$(json_get "$aj" .verification)" = null ] || fail "verified although --no-verify"
e01_check "$T/case/H1/image/H1.E01" "$T/disk.img"
ok "hash md5,sha1 computes only those; --no-verify skips read-back"

# empty source
: > "$T/empty.img"
shodo image "$T/empty.img" --case "$T/case" --evidence EMPTY -q || fail "empty source E01 exit $?"
shodo image "$T/empty.img" --case "$T/case" --evidence EMPTYR --format raw -q || fail "empty source raw exit $?"
[ "$(json_get "$T/case/EMPTY/image/acquisition.json" .hashes.sha256)" = "$(sha256 "$T/empty.img")" ] || fail "empty sha256"
[ -f "$T/case/EMPTYR/image/EMPTYR.raw" ] && [ ! -s "$T/case/EMPTYR/image/EMPTYR.raw" ] || fail "empty raw"
expect_exit 0 shodo verify "$T/case/EMPTYR/image/EMPTYR.raw" >/dev/null
(cd "$T/case" && sha256sum -c --quiet SHA256SUMS) || fail "sha256sum -c after all"
ok "raw images, hash subsets and the empty source"
