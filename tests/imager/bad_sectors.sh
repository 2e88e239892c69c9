#!/bin/sh
# Unreadable sectors (LD_PRELOAD fault injector failing reads of chosen byte
# ranges): the run finishes with exit 1 and says how much was lost; the image
# (exported with ewfexport, or raw) equals the source with exactly those
# sectors zeroed; the E01 acquiry-error table, acquisition.json and the log
# list them.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/imager/lib/imager.sh"
FIO=$PRELOAD_DIR/faultio.so
[ -f "$FIO" ] || fail "fault injector not built: $FIO"

size=$((12 * 1024 * 1024 + 5 * 512))
fat_disk "$T/disk.img" $size
src_hash "$T/disk.img"
# bad: one sector inside the FAT area, 1500 bytes straddling sectors 9765-9768,
# a 40 KiB run across a chunk boundary, and the very last sector
last=$((size - 512))
BAD="1050112:512,5000000:1500,8372224:40960,$last:512"
cp "$T/disk.img" "$T/expect.img"
zero() { dd if=/dev/zero of="$T/expect.img" bs=512 seek=$1 count=$2 conv=notrunc 2>/dev/null; }
zero 2051 1; zero 9765 4; zero 16352 80; zero $((last / 512)) 1
lost=$(( (1 + 4 + 80 + 1) * 512 ))

for fmt in e01 raw; do
	FAULTIO_READ_PATH="$T/disk.img" FAULTIO_READ_BAD="$BAD" LD_PRELOAD="$FIO" \
		"$SHODO_BIN" image "$T/disk.img" --case "$T/case" --evidence B-$fmt --format $fmt --retries 1 \
		> "$T/out" 2> "$T/err"
	rc=$?
	[ $rc -eq 1 ] || { cat "$T/err"; fail "$fmt: expected exit 1 with bad sectors, got $rc"; }
	grep -q "^shodo: image: $lost bytes in 4 ranges were unreadable" "$T/err" || { cat "$T/err"; fail "$fmt: loss not reported"; }
	src_unchanged "$T/disk.img"
	aj="$T/case/B-$fmt/image/acquisition.json"
	[ "$(json_get "$aj" .unreadable_bytes)" = $lost ] || fail "$fmt: unreadable_bytes"
	[ "$(json_get "$aj" '[.unreadable[] | "\(.offset):\(.length)"] | join(",")')" = \
	  "1050112:512,4999680:2048,8372224:40960,$last:512" ] || fail "$fmt: unreadable ranges: $(json_get "$aj" .unreadable)"
	[ "$(json_get "$aj" .hashes.sha256)" = "$(sha256 "$T/expect.img")" ] || fail "$fmt: sha256 is not that of the zero-filled media"
	[ "$(json_get "$aj" .hashes.md5)" = "$(md5sum < "$T/expect.img" | cut -d' ' -f1)" ] || fail "$fmt: md5"
	[ "$(json_get "$aj" .verification.result)" = match ] || fail "$fmt: verification"
	log=$(ls "$T/case/B-$fmt/image/"*.txt)
	grep -q "offset 4999680, length 2048 (sectors 9765-9768), zero-filled" "$log" || fail "$fmt: log lacks the range"
	grep -q "Total unreadable: *$lost bytes" "$log" || fail "$fmt: log lacks the total"
done
cmp "$T/case/B-raw/image/B-raw.raw" "$T/expect.img" || fail "raw image is not the source with the bad sectors zeroed"
e01_check "$T/case/B-e01/image/B-e01.E01" "$T/expect.img"
ewfinfo "$T/case/B-e01/image/B-e01.E01" </dev/null > "$T/info" 2>&1
grep -q "total number: 4" "$T/info" || { cat "$T/info"; fail "acquiry error table"; }
grep -q "at sector(s): 9765 - 9768 number: 4" "$T/info" || fail "acquiry error 9765-9768"
grep -q "at sector(s): 16352 - 16431 number: 80" "$T/info" || fail "acquiry error 16352"
ok "unreadable sectors zero-filled, logged, and in the E01 error table (ewfinfo)"
# the image is still consistent: shodo verify matches and lists the table
shodo verify --json "$T/case/B-e01/image/B-e01.E01" > "$T/v.json" || fail "verify of an image with acquiry errors"
[ "$(jq '.acquiry_errors | length' "$T/v.json")" = 4 ] || fail "verify does not list the acquiry errors"
(cd "$T/case" && sha256sum -c --quiet SHA256SUMS) || fail "sha256sum -c"
ok "bad sectors zero-filled and recorded (E01 table, acquisition.json, log)"
